"""Lesson packs: build, install (all or nothing), upgrade, uninstall, and refusing every kind of
malicious archive without writing anything."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile

import pytest

from app import paths
from app.cli import main
from app.content import packs
from app.content.scaffold import new_lesson


@pytest.fixture
def pack_source(tmp_path):
    folder = tmp_path / "community"
    new_lesson(folder, "local-stories", "market-scam")
    (folder / "pack.toml").write_text('id = "community"\nversion = "1.0.0"\ntitle = "Community stories"\n',
                                      encoding="utf-8")  # fmt: skip
    return folder


@pytest.fixture
def built(pack_source, tmp_path):
    out = tmp_path / "community.lantern-pack"
    packs.build_pack(pack_source, out)
    return out


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) if root.exists() else []


def _zip(path, entries: dict, manifest: dict | None = None, extra_manifest: dict | None = None):
    """A pack with *entries* (name → bytes); the manifest lists them with correct hashes by default."""
    files = {n: hashlib.sha256(d).hexdigest() for n, d in entries.items()}
    data = manifest or {"format": 1, "id": "evil", "version": "1.0", "title": "Evil", "languages": ["en"],
                        "files": files}  # fmt: skip
    data.update(extra_manifest or {})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(data))
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


GOOD_LESSON = (packs.Path(__file__).parent / "fixtures" / "lessons" / "basics" / "every-type.en.md").read_bytes()


def test_build_writes_a_manifest_with_hashes(built, pack_source):
    with zipfile.ZipFile(built) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["id"] == "community" and manifest["version"] == "1.0.0" and manifest["languages"] == ["en"]
    assert names == {"manifest.json", "local-stories/_track.en.md", "local-stories/market-scam.en.md"}
    lesson = (pack_source / "local-stories" / "market-scam.en.md").read_bytes()
    assert manifest["files"]["local-stories/market-scam.en.md"] == hashlib.sha256(lesson).hexdigest()


def test_build_refuses_a_folder_with_lesson_errors(pack_source, tmp_path, capsys):
    (pack_source / "local-stories" / "broken.en.md").write_text("no front matter\n", encoding="utf-8")
    assert main(["pack", "build", str(pack_source), "-o", str(tmp_path / "x.lantern-pack")]) == 1
    assert "FM001" in capsys.readouterr().err
    assert not (tmp_path / "x.lantern-pack").exists()


def test_install_shows_the_lessons_beside_the_bundled_ones_then_upgrade_and_uninstall(built, pack_source, tmp_path,
                                                                                      make_window):
    steps = []
    result = packs.install_pack(built, progress=lambda done, total: steps.append((done, total)))
    assert result.path == paths.packs_dir() / "community" and result.replaced is None
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)
    window = make_window(lessons=paths.PROJECT_ROOT / "lessons")
    library = window.session.library
    assert library.lesson_track["market-scam"] == "local-stories"
    assert "red-flags" in library.lessons and paths.packs_dir() / "community" in library.roots
    # The same version again is refused; a higher one upgrades.
    with pytest.raises(packs.PackError, match="1.0.0 is installed"):
        packs.install_pack(built)
    (pack_source / "pack.toml").write_text('id = "community"\nversion = "1.1"\ntitle = "Community stories"\n')
    packs.build_pack(pack_source, tmp_path / "v2.lantern-pack")
    assert packs.install_pack(tmp_path / "v2.lantern-pack").replaced == "1.0.0"
    assert [m.version for m in packs.installed()] == ["1.1"]
    assert main(["pack", "uninstall", "community"]) == 0
    assert packs.installed() == [] and _tree(paths.packs_dir()) == []


def test_import_button_installs_with_progress_bar(qtbot, make_window, built):
    from PySide6.QtCore import Qt

    from app.ui.screens.reports import Files

    window = make_window()
    window.session.create_learner("Teacher")
    screen = window.go("reports")
    Files.answer = str(built)
    try:
        with qtbot.waitSignal(screen.pack_finished, timeout=10000) as blocker:
            qtbot.mouseClick(screen.import_button, Qt.LeftButton)
    finally:
        Files.answer = None
    assert blocker.args[0] is True
    assert screen.progress.value() == screen.progress.maximum() == 4
    assert "market-scam" in window.session.library.lessons
    assert "Community stories" in screen.packs_text.text()
    assert any(s.id == "market-scam" for s in screen.stats)


def test_failed_import_says_so_on_screen(qtbot, make_window, tmp_path):
    from PySide6.QtCore import Qt

    from app.ui.screens.reports import Files

    window = make_window()
    window.session.create_learner("Teacher")
    screen = window.go("reports")
    Files.answer = str(_zip(tmp_path / "evil.lantern-pack", {"../evil.md": GOOD_LESSON}))
    try:
        with qtbot.waitSignal(screen.pack_finished, timeout=10000) as blocker:
            qtbot.mouseClick(screen.import_button, Qt.LeftButton)
    finally:
        Files.answer = None
    assert blocker.args[0] is False
    assert "nothing was changed" in screen.status.text() and screen.import_button.isEnabled()


def _symlink_pack(path):
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("t/link.en.md")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
        zf.writestr("manifest.json", json.dumps({"format": 1, "id": "evil", "version": "1", "title": "E",
                                                 "files": {"t/link.en.md": hashlib.sha256(b"/etc/passwd").hexdigest()}}))
    return path


def _many_files(path):
    return _zip(path, {f"t/l{i}.en.md": GOOD_LESSON for i in range(packs.MAX_FILES + 1)})


MALICIOUS = {
    "traversal": lambda p: _zip(p, {"../../evil.md": GOOD_LESSON}),
    "traversal inside": lambda p: _zip(p, {"t/../../evil.en.md": GOOD_LESSON}),
    "absolute path": lambda p: _zip(p, {"/tmp/evil.en.md": GOOD_LESSON}),
    "windows drive": lambda p: _zip(p, {"C:/evil.en.md": GOOD_LESSON}),
    "backslash": lambda p: _zip(p, {"t\\..\\..\\evil.en.md": GOOD_LESSON}),
    "symbolic link": _symlink_pack,
    "oversized file": lambda p: _zip(p, {"t/big.png": b"\0" * (packs.MAX_FILE_BYTES + 1)}),
    "too many files": _many_files,
    "executable": lambda p: _zip(p, {"t/run.sh": b"#!/bin/sh\nrm -rf ~\n"}),
    "deep folder": lambda p: _zip(p, {"a/b/c.en.md": GOOD_LESSON}),
    "hash mismatch": lambda p: _zip(p, {"t/x.en.md": GOOD_LESSON},
                                    extra_manifest={"files": {"t/x.en.md": "0" * 64}}),
    "unlisted file": lambda p: _zip(p, {"t/x.en.md": GOOD_LESSON}, extra_manifest={"files": {}}),
    "bad manifest id": lambda p: _zip(p, {"t/x.en.md": GOOD_LESSON}, extra_manifest={"id": "../evil"}),
    "fails lessons check": lambda p: _zip(p, {"t/x.en.md": b"---\ntitle: [broken\n---\n"}),
    "shadows a bundled lesson": lambda p: _zip(p, {"t/red-flags.en.md": GOOD_LESSON.replace(b"id: every-type", b"id: red-flags")}),
    "not a zip": lambda p: (p.write_bytes(b"PK\x03\x04 not really"), p)[1],
    "no manifest": lambda p: zipfile.ZipFile(p, "w").close() or p,
}


@pytest.mark.parametrize("kind", sorted(MALICIOUS))
def test_malicious_pack_is_refused_without_writing_anything(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(paths.PROJECT_ROOT / "lessons"))
    archive = MALICIOUS[kind](tmp_path / "evil.lantern-pack")
    before = _tree(tmp_path)
    with pytest.raises(packs.PackError):
        packs.install_pack(archive)
    assert not paths.packs_dir().exists()
    assert [p for p in _tree(tmp_path) if p != "data"] == before  # "data": the (empty) data folder itself
    assert main(["pack", "install", str(archive)]) == 1
