"""Lesson packs: a folder of lessons in one zip file, built, checked and installed safely.

A pack source folder is a lessons root (one sub-folder per track) with a
``pack.toml``::

    id = "scam-stories"           # lower-case id, the install folder's name
    version = "1.2.0"             # numbers separated by dots; an install upgrades to a higher one
    title = "Scam stories from our community centre"

``build_pack`` checks the folder (no errors allowed) and writes a zip holding the
files and ``manifest.json`` (id, version, title, languages, SHA-256 of every
file). ``install_pack`` trusts nothing in the zip: it reads the manifest and the
entry list first and refuses path traversal, absolute paths, links, odd names,
too many or too large files and anything the manifest does not vouch for, all
before writing a byte. Then it unpacks into a staging folder beside the
installed packs, runs ``lessons check`` there, and swaps the folder in with one
rename, so an install (or upgrade) either happens completely or not at all.
Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tomllib
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from app import paths

MANIFEST = "manifest.json"
SOURCE_FILE = "pack.toml"
SUFFIX = ".lantern-pack"
FORMAT = 1

MAX_FILES = 500
MAX_FILE_BYTES = 5 * 1024 * 1024  # pictures included; lesson files are limited further by the loader
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024
ALLOWED_SUFFIXES = (".md", ".png", ".jpg", ".jpeg", ".gif", ".webp")

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_VERSION = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6}){0,3}")
_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")

Progress = Callable[[int, int], None]  # (done, total)


class PackError(Exception):
    """The pack cannot be built or installed; ``problems`` says why (nothing was written)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        return "\n".join([self.args[0], *("  " + p for p in self.problems)])


@dataclass
class Manifest:
    id: str
    version: str
    title: str
    languages: list[str]
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256

    def to_json(self) -> dict:
        return {"format": FORMAT, "id": self.id, "version": self.version, "title": self.title,
                "languages": self.languages, "files": dict(sorted(self.files.items()))}  # fmt: skip


@dataclass
class InstallResult:
    manifest: Manifest
    path: Path
    replaced: str | None = None  # the version that was upgraded, if any


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _languages(names) -> list[str]:
    found = set()
    for name in names:
        parts = PurePosixPath(name).name.split(".")
        if name.endswith(".md") and len(parts) >= 3:
            found.add(parts[-2])
    return sorted(found)


def _check_id_version_title(data: dict, where: str) -> list[str]:
    problems = []
    if not isinstance(data.get("id"), str) or not _ID.fullmatch(data["id"]):
        problems.append(f"{where}: `id` must be a lower-case id like scam-stories")
    if not isinstance(data.get("version"), str) or not _VERSION.fullmatch(data["version"]):
        problems.append(f"{where}: `version` must be numbers separated by dots, like \"1.0.0\"")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append(f"{where}: `title` must be a non-empty text")
    return problems


def _check_name(name: str) -> str | None:
    """Why *name* may not be a file in a pack, or None if it may."""
    if "\\" in name or "\x00" in name:
        return "has a backslash or NUL in its name"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "leaves the pack folder (.. or an empty part)"
    if len(parts) != 2 and name != MANIFEST:
        return "is not <track>/<file> (packs hold one folder per track)"
    if not all(_PART.fullmatch(part) for part in parts):
        return "has characters other than letters, digits, '.', '_' and '-'"
    if name != MANIFEST and not name.lower().endswith(ALLOWED_SUFFIXES):
        return "is not a lesson (.md) or a picture (" + ", ".join(ALLOWED_SUFFIXES[1:]) + ")"
    return None


# ------------------------------------------------------------------ build


def read_source(folder: Path) -> dict:
    path = folder / SOURCE_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path} is missing: it gives the pack's id, version and title")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"{path} cannot be read: {exc}")
    problems = _check_id_version_title(data, str(path))
    if problems:
        raise PackError(f"{path} is not a valid pack description", problems)
    return data


def build_pack(folder: Path, out: Path) -> Manifest:
    """Check *folder* and write it as a pack to *out*. Raises PackError on any problem."""
    from app.content.checker import check_paths

    folder = Path(folder)
    data = read_source(folder)
    files: dict[str, bytes] = {}
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == SOURCE_FILE or path.is_dir() and not path.is_symlink():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # editor and version-control files
        why = "is a link" if path.is_symlink() else _check_name(rel)
        if why:
            problems.append(f"{rel} {why}")
            continue
        files[rel] = path.read_bytes()
    errors = [p.format() for p in check_paths([folder]) if p.is_error]
    problems.extend(errors)
    if not any(name.endswith(".md") and not PurePosixPath(name).name.startswith("_track.") for name in files):
        problems.append("the pack has no lessons")
    if problems:
        raise PackError(f"{folder} cannot be packed", problems)
    manifest = Manifest(data["id"], data["version"], data["title"].strip(), _languages(files),
                        {name: _sha256(content) for name, content in files.items()})  # fmt: skip
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=2))
        for name, content in sorted(files.items()):
            zf.writestr(name, content)
    os.replace(tmp, out)
    return manifest


# ------------------------------------------------------------------ reading a pack safely


def _read_manifest(zf: zipfile.ZipFile) -> Manifest:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise PackError(f"not a lesson pack: it has no {MANIFEST}")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackError(f"{MANIFEST} is too large")
    try:
        data = json.loads(_read_limited(zf, info, MAX_MANIFEST_BYTES).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise PackError(f"{MANIFEST} is not valid JSON")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackError(f"{MANIFEST} is not a format {FORMAT} pack manifest")
    problems = _check_id_version_title(data, MANIFEST)
    files = data.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) for k, v in files.items()
    ):
        problems.append(f"{MANIFEST}: `files` must map each file to its SHA-256")
    if problems:
        raise PackError("the pack's manifest is not valid", problems)
    languages = data.get("languages") if isinstance(data.get("languages"), list) else []
    return Manifest(data["id"], data["version"], data["title"].strip(), [str(x) for x in languages], files)


def _read_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, never more than *limit* (a zip may lie about its sizes)."""
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PackError(f"{info.filename} is larger than it says")
    return data


def inspect_pack(file: Path) -> tuple[Manifest, list[zipfile.ZipInfo]]:
    """Validate a pack's entries and manifest without unpacking anything."""
    try:
        zf = zipfile.ZipFile(file)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackError(f"{file} is not a lesson pack (not a zip file: {exc})")
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES + 1:
            raise PackError(f"the pack has {len(infos) - 1} files; at most {MAX_FILES} are allowed")
        problems = []
        seen: set[str] = set()
        total = 0
        entries = []
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if info.is_dir():
                continue
            why = _check_name(name)
            if why is None and stat.S_ISLNK(mode):
                why = "is a symbolic link"
            if why is None and mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
                why = "is not a regular file"
            if why is None and name.lower() in seen:
                why = "appears twice"
            if why is None and info.file_size > MAX_FILE_BYTES:
                why = f"is {info.file_size // 1024} KB; a file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB"
            if why:
                problems.append(f"{name!r} {why}")
                continue
            seen.add(name.lower())
            total += info.file_size
            if name != MANIFEST:
                entries.append(info)
        if total > MAX_TOTAL_BYTES:
            problems.append(f"the files add up to {total // (1024 * 1024)} MB; at most "
                            f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB are allowed")  # fmt: skip
        if problems:
            raise PackError("the pack is refused", problems)
        manifest = _read_manifest(zf)
        names = {info.filename for info in entries}
        missing = sorted(set(manifest.files) - names)
        unlisted = sorted(names - set(manifest.files))
        if missing or unlisted:
            raise PackError("the pack's files do not match its manifest",
                            [f"{n}: listed but missing" for n in missing]
                            + [f"{n}: not listed in the manifest" for n in unlisted])  # fmt: skip
        return manifest, entries


# ------------------------------------------------------------------ install, upgrade, uninstall


def installed() -> list[Manifest]:
    """Manifests of the installed packs."""
    found = []
    for root in paths.installed_pack_roots():
        try:
            data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
            found.append(Manifest(data["id"], data["version"], data["title"], data.get("languages", []),
                                  data.get("files", {})))  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _bundled_lesson_ids() -> dict[str, str]:
    from app.content.catalog import Library

    library = Library.load(paths.lessons_dir())
    return dict(library.lesson_track)


def install_pack(file: Path, progress: Progress | None = None, force: bool = False) -> InstallResult:
    """Install (or upgrade to) the pack in *file*, all or nothing.

    *progress* is called with (done, total) steps while unpacking and checking.
    Raises PackError, having left the installed packs exactly as they were.
    """
    from app.content.catalog import Library
    from app.content.checker import check_paths

    file = Path(file)
    manifest, entries = inspect_pack(file)
    current = {m.id: m for m in installed()}.get(manifest.id)
    if current and not force and _version_key(manifest.version) <= _version_key(current.version):
        raise PackError(f"{manifest.id} {current.version} is installed; this pack is version {manifest.version} "
                        "(install a higher version to upgrade, or uninstall first)")  # fmt: skip
    total = len(entries) + 2
    report = progress or (lambda done, total: None)
    report(0, total)

    root = paths.packs_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".staging-{manifest.id}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        with zipfile.ZipFile(file) as zf:
            for done, info in enumerate(entries, 1):
                data = _read_limited(zf, info, info.file_size)
                if _sha256(data) != manifest.files[info.filename]:
                    raise PackError(f"{info.filename} does not match the manifest's hash (damaged or altered)")
                target = staging.joinpath(*info.filename.split("/"))
                target.parent.mkdir(exist_ok=True)
                with open(target, "xb") as out:
                    out.write(data)
                report(done, total)
        (staging / MANIFEST).write_text(json.dumps(manifest.to_json(), ensure_ascii=False, indent=2),
                                        encoding="utf-8")  # fmt: skip
        errors = [p for p in check_paths([staging]) if p.is_error]
        if errors:
            raise PackError("the pack's lessons have errors (lantern lessons check)",
                            [p.format().replace(str(staging) + os.sep, "") for p in errors])  # fmt: skip
        report(len(entries) + 1, total)
        bundled = _bundled_lesson_ids()
        library = Library.load(staging)
        shadowing = sorted(set(library.lesson_track) & set(bundled))
        if shadowing:
            raise PackError("the pack would replace bundled lessons", [f"lesson id `{i}`" for i in shadowing])
        others = {}
        for other in paths.installed_pack_roots():
            if other.name != manifest.id:
                others.update({i: other.name for i in Library.load(other).lesson_track})
        clashes = sorted(set(library.lesson_track) & set(others))
        if clashes:
            raise PackError("the pack uses lesson ids of another installed pack",
                            [f"lesson id `{i}` (pack {others[i]})" for i in clashes])  # fmt: skip
        target = root / manifest.id
        old = root / f".old-{manifest.id}-{uuid.uuid4().hex[:8]}"
        if target.exists():
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except OSError:
            if old.exists():
                os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
        report(total, total)
        return InstallResult(manifest, target, current.version if current else None)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        try:
            root.rmdir()  # only if empty: a refused first install leaves nothing behind
        except OSError:
            pass


def uninstall_pack(pack_id: str) -> Manifest:
    """Remove an installed pack. Raises PackError if there is none with that id."""
    current = {m.id: m for m in installed()}.get(pack_id)
    if current is None or not _ID.fullmatch(pack_id):
        raise PackError(f"no installed pack with the id {pack_id!r}")
    root = paths.packs_dir()
    trash = root / f".old-{pack_id}-{uuid.uuid4().hex[:8]}"
    os.replace(root / pack_id, trash)  # one rename: the pack is gone at once
    shutil.rmtree(trash, ignore_errors=True)
    return current
