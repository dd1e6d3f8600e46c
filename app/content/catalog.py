"""The library: which tracks and lessons exist, in which languages.

Scans ``lessons/<track>/`` once; a broken file is skipped and its problem is
kept for the "problems" view, so one bad lesson never stops the others.
Looking a lesson up for a learner walks the locale fallback chain
(zh-Hant-HK → zh-Hant → en) and says when it had to fall back or when a
translation is older than its source.
"""

from __future__ import annotations

import gc
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.content.cache import CatalogCache, file_digest
from app.content.lesson import MAX_FILE_BYTES, Lesson, Track, decode_text, parse_lesson, parse_track, read_bytes
from app.content.problems import LessonError, Problem, Severity
from app.i18n import SOURCE_LOCALE, fallback_chain

KNOWLEDGE_CHECK = "knowledge-check"
_SKIP_DIRS = {"help"}


@dataclass
class Resolved:
    """A lesson or track chosen for a learner's language."""

    item: Lesson | Track
    requested: str
    used: str
    stale: bool = False  # translation older than its source

    @property
    def is_fallback(self) -> bool:
        """True when the learner's language (and script) was not available."""
        return _language(self.used) != _language(self.requested)


@dataclass
class Library:
    root: Path
    tracks: dict[str, dict[str, Track]] = field(default_factory=dict)
    lessons: dict[str, dict[str, Lesson]] = field(default_factory=dict)
    lesson_track: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # every problem, all files
    broken: list[Problem] = field(default_factory=list)  # files that were skipped
    # Installed lesson packs: more lessons roots, loaded after the bundled one.
    extra_roots: list[Path] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path, extra_roots=(), cache=None, progress=None) -> "Library":
        """Every lesson and track under *root* (then each of *extra_roots*).

        *cache*: None to parse every file (tools, checks, pack validation: they write
        nothing), True for the catalog cache in ``paths.cache_dir()`` (the app), or a
        CatalogCache. *progress*: called as ``progress(done, total)``
        while files are read, so a window can show a progress bar on a cold start.
        """
        if cache is True:
            cache = CatalogCache.default()
        library = cls(Path(root), extra_roots=[Path(r) for r in extra_roots])
        roots = [library.root, *library.extra_roots]
        with collector_paused():
            listed = [(r, library._list_files(r)) for r in roots]
            counter = _Counter(sum(len(files) for _root, files in listed), progress)
            if not library.root.is_dir():
                library._skip(Problem("lessons folder not found", file=str(library.root), code="FILE002"))
            bundled: set[str] = set()
            for index, (folder, files) in enumerate(listed):
                library._scan_root(folder, files, bundled, cache, counter)
                if index == 0:
                    bundled = set(library.lessons)
        return library

    @property
    def roots(self) -> list[Path]:
        """Every folder lessons were loaded from (the viewer may show images from these)."""
        return [self.root, *self.extra_roots]

    # ------------------------------------------------------------ loading

    @staticmethod
    def _list_files(root: Path) -> list[tuple[Path, os.stat_result | None]]:
        """Every ``<track>/*.md`` under *root*, in name order (as ``sorted(glob())`` would give),
        with its ``lstat`` (None if it vanished): one system call tells a link apart and keys the cache."""
        if not root.is_dir():
            return []
        files = []
        for track_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            if track_dir.name in _SKIP_DIRS or track_dir.name.startswith((".", "_")):
                continue
            with os.scandir(track_dir) as entries:
                found = [(os.path.normcase(e.name), e) for e in entries if os.path.normcase(e.name).endswith(".md")]
            for _key, entry in sorted(found, key=lambda item: item[0]):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    info = None
                files.append((track_dir / entry.name, info))
        return files

    def _scan_root(self, root: Path, files: list, bundled: set[str], cache, counter: "_Counter") -> None:
        from app.content.parse_ahead import ParseAhead

        old = cache.read_index(root) if cache is not None else {}
        index: dict[str, tuple] = {}
        parsed: dict[str, Lesson] = {}  # digest → lessons parsed now (their bodies go to the cache)
        ahead = ParseAhead(_to_parse(files, old if cache is not None else None))  # a worker shares the parsing
        try:
            for path, info in files:
                counter.step()
                if info is not None and stat.S_ISLNK(info.st_mode):
                    self._skip(Problem("symbolic links are not followed", file=str(path), code="FILE007"))
                    continue
                cacheable = cache is not None and _cacheable(info)
                entry = _unchanged(path, info, old.get(str(path))) if cacheable else None
                if entry is None:
                    digest, item = self._parsed(path, ahead)
                    if cacheable and digest is not None:  # (unreadable right now: not cached, tried again next time)
                        entry = (info.st_size, info.st_mtime_ns, digest, item)
                        if isinstance(item, Lesson):
                            parsed[digest] = item
                else:
                    item = entry[3]
                if entry is not None:
                    index[str(path)] = entry
                if isinstance(item, Problem):
                    self._skip(item)
                elif isinstance(item, Track):
                    self._add_track(item)
                elif item.id in bundled:
                    self._skip(Problem(f"lesson id `{item.id}` is a bundled lesson; a pack cannot "
                                       "replace it", file=str(path), line=1, code="ID002"))  # fmt: skip
                else:
                    self._add_lesson(item)
        finally:
            ahead.close()  # the worker stops at its next chunk, whatever happened here
        if cache is not None and (parsed or index.keys() != old.keys()):
            cache.write(root, index, parsed)
            if old:  # only a replaced index can leave parts behind that nothing refers to
                cache.prune()

    def _parsed(self, path: Path, ahead) -> tuple[str | None, Lesson | Track | Problem]:
        """*path* parsed, by the worker if *ahead* (a ParseAhead) handed it out, else here."""
        taken = ahead.take(path)
        return self._parse(path) if taken is None else taken

    @staticmethod
    def _parse(path: Path) -> tuple[str | None, Lesson | Track | Problem]:
        """The file's digest (None when it could not be read) and what it holds, read once: the
        cache keys what was parsed by the bytes that were parsed."""
        try:
            data = read_bytes(path)
        except LessonError as exc:
            return None, exc.problem
        try:
            text = decode_text(data, path)
            item = parse_track(text, path) if path.name.startswith("_track.") else parse_lesson(text, path)
        except LessonError as exc:
            item = exc.problem
        return file_digest(data), item

    def _skip(self, problem: Problem) -> None:
        self.broken.append(problem)
        self.problems.append(problem)

    def _add_track(self, track: Track) -> None:
        self.problems.extend(track.problems)
        self.tracks.setdefault(track.id, {})[track.locale] = track

    def _add_lesson(self, lesson: Lesson) -> None:
        owner = self.lesson_track.get(lesson.id)
        if owner is not None and owner != lesson.track:
            self._skip(
                Problem(
                    f"lesson id `{lesson.id}` already belongs to track `{owner}`; this file is ignored",
                    file=str(lesson.path),
                    line=1,
                    code="ID001",
                )
            )
            return
        variants = self.lessons.setdefault(lesson.id, {})
        if lesson.locale in variants:
            self._skip(
                Problem(
                    f"lesson id `{lesson.id}` in `{lesson.locale}` is already defined by "
                    f"{variants[lesson.locale].path.name}; this file is ignored",
                    file=str(lesson.path),
                    line=1,
                    code="ID001",
                )
            )
            return
        if any(p.severity is Severity.ERROR for p in lesson.problems) and not lesson.questions and not lesson.body:
            self._skip(lesson.problems[0])
            return
        self.problems.extend(lesson.problems)
        self.lesson_track[lesson.id] = lesson.track
        variants[lesson.locale] = lesson

    # ------------------------------------------------------------ queries

    def _pick(self, variants: dict, locale: str):
        for tag in fallback_chain(locale):
            if tag in variants:
                return tag
        if variants:
            return sorted(variants)[0]
        return None

    def track(self, track_id: str, locale: str) -> Resolved | None:
        variants = self.tracks.get(track_id, {})
        used = self._pick(variants, locale)
        if used is None:
            return None
        return Resolved(variants[used], locale, used, self._is_stale(variants, used))

    def lesson(self, lesson_id: str, locale: str) -> Resolved | None:
        variants = self.lessons.get(lesson_id, {})
        used = self._pick(variants, locale)
        if used is None:
            return None
        return Resolved(variants[used], locale, used, self._is_stale(variants, used))

    @staticmethod
    def _is_stale(variants: dict, used: str) -> bool:
        source = variants.get(SOURCE_LOCALE)
        item = variants[used]
        if used == SOURCE_LOCALE or source is None or not item.translated_from:
            return False
        return item.translated_from != _source_hash(source)

    def track_ids(self, include_checks: bool = False) -> list[str]:
        """Track ids in course order (the knowledge check is separate)."""
        ids = set(self.tracks) | set(self.lesson_track.values())
        if not include_checks:
            ids.discard(KNOWLEDGE_CHECK)

        def order(track_id: str) -> tuple:
            variants = self.tracks.get(track_id, {})
            any_track = variants.get(SOURCE_LOCALE) or next(iter(variants.values()), None)
            return (any_track.order if any_track else 999, track_id)

        return sorted(ids, key=order)

    def lesson_ids(self, track_id: str, region: str | None = None) -> list[str]:
        """Lessons of a track in order; region-limited lessons only for that region."""
        result = []
        for lesson_id, track in self.lesson_track.items():
            if track != track_id:
                continue
            variants = self.lessons[lesson_id]
            sample = variants.get(SOURCE_LOCALE) or next(iter(variants.values()))
            if sample.regions and region and region not in sample.regions:
                continue
            result.append((sample.order, lesson_id))
        return [lesson_id for _order, lesson_id in sorted(result)]

    def all_lesson_ids(self) -> list[str]:
        return [lid for tid in self.track_ids() for lid in self.lesson_ids(tid)]

    def knowledge_check(self, locale: str) -> Resolved | None:
        ids = self.lesson_ids(KNOWLEDGE_CHECK)
        return self.lesson(ids[0], locale) if ids else None

    def locales(self) -> list[str]:
        found = set()
        for variants in self.lessons.values():
            found.update(variants)
        return sorted(found)


def _cacheable(info: os.stat_result | None) -> bool:
    """A regular file no bigger than a lesson may be: a pipe would block, a huge file is refused (and says why)."""
    return info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES


def _to_parse(files: list, cached: dict | None) -> list[Path]:
    """The files _scan_root will parse that a worker can: cacheable, and not in *cached* unchanged (None: no cache)."""
    found = []
    for path, info in files:
        if not _cacheable(info):
            continue
        entry = None if cached is None else cached.get(str(path))
        if entry is None or entry[:2] != (info.st_size, info.st_mtime_ns):
            found.append(path)
    return found


def _unchanged(path: Path, info: os.stat_result, cached: tuple | None) -> tuple | None:
    """(size, mtime_ns, digest, item) of *cached* when the file still holds the same bytes, else None."""
    if cached is None:
        return None
    if cached[:2] == (info.st_size, info.st_mtime_ns):
        return cached[:3] + (_revive(cached[3], path),)
    try:  # touched (a new mtime or size): the same bytes still need no parsing
        with path.open("rb") as handle:
            digest = file_digest(handle.read(MAX_FILE_BYTES + 1))
    except OSError:
        return None
    if digest != cached[2]:
        return None
    return (info.st_size, info.st_mtime_ns, digest, _revive(cached[3], path))


def _revive(item, path: Path):
    """A cached item ready for the library (a lesson gets its file's path and loads its body on use)."""
    if callable(item):
        return item(path)
    return item


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for a while (as it was before, afterwards).

    Loading a library or indexing it makes hundreds of thousands of objects, none in a
    reference cycle; meanwhile the collector would walk every object alive, the whole
    library included, again and again (a third of the search index's build time).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Counter:
    """Reports files done to a progress callback, about a hundred times per load at most."""

    def __init__(self, total: int, callback):
        self.total, self.done, self.callback = total, 0, callback
        self.every = max(1, total // 100)

    def step(self) -> None:
        self.done += 1
        if self.callback is not None and (self.done % self.every == 0 or self.done == self.total):
            self.callback(self.done, self.total)


def _source_hash(source: Lesson | Track) -> str:
    from app.content.lesson import content_hash, read_text

    return getattr(source, "content_hash", "") or content_hash(read_text(source.path))


def _language(tag: str) -> str:
    """zh-Hant-HK → zh-Hant; es-MX → es: what a reader would call the language."""
    chain = [t for t in fallback_chain(tag, final="") if t]
    return chain[-1] if chain else tag
