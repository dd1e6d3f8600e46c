"""The catalog cache: parsed lesson and track files kept between starts.

Parsing a lesson (YAML, GIFT, the Markdown check) costs about a millisecond; a
library of thousands of files would make every start slow. So ``Library.load``
keeps what it parsed in one SQLite file (``paths.cache_dir()/catalog.sqlite``):

- ``files``: per lessons root, one pickled index ``{path: (size, mtime_ns, sha256,
  item)}`` where *item* is the parsed Track, the Lesson *without* its body and
  questions, or the Problem that made the file unusable. A file whose size and
  mtime match is not read at all; one whose size or mtime changed is read and
  hashed, and parsed again only if its bytes changed.
- ``parsed``: body, help blocks and questions of each lesson, keyed by the
  file's sha256 (content-addressed, so an entry can never describe other bytes).
  A lesson loads them on first use (``CachedLesson``); starting the app needs
  only titles, order and problems.

Safety: the cache is only ever a shortcut. Every read that fails (a damaged or
foreign file, an old format, an unpicklable entry) counts as "not cached"; a
file SQLite cannot open is deleted and made again. Writers use one SQLite
transaction each, so two Lanterns sharing a cache folder never see half of the
other's write; a busy or read-only cache is skipped. The key includes the
parser's own source (``code_fingerprint``, which the search index's cache uses
too), so a new Lantern never trusts what an older parser produced. Nothing
here imports Qt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sqlite3
from pathlib import Path

from app.content.lesson import Lesson

log = logging.getLogger("lantern.cache")

CACHE_NAME = "catalog.sqlite"
FORMAT = 1  # bump when the layout of what is stored changes
HEAVY = ("body", "help_blocks", "questions")  # what a lesson loads on first use
# Modules whose code decides what a parsed file looks like.
_PARSER_MODULES = ("lesson", "gift", "render", "problems", "markup")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (root TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (digest TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_fingerprint(modules, *parts) -> str:
    """A key that changes whenever the source of *modules* (names in app/content) or any of
    *parts* (versions, formats) changes: a cache made by other code is never trusted."""
    import sys

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for part in (sys.version, *parts):
        digest.update(f"{part}|".encode())
    for name in modules:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            digest.update(f"{name}:missing".encode())
    return digest.hexdigest()[:32]


def _parser_fingerprint() -> str:
    """Changes whenever the parser's code (or the Python that pickles) changes."""
    return code_fingerprint(_PARSER_MODULES, FORMAT)


class _Heavy:
    """A lesson field read from the cache on first use; afterwards the instance holds it."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, lesson, owner=None):
        if lesson is None:
            return self
        lesson.__dict__.update(lesson._heavy_loader())  # all three at once: one read
        _keep_recent(lesson)
        return lesson.__dict__[self.name]


KEEP_LOADED = 64  # lessons whose bodies stay in memory; older ones are read again when used
_recent: dict[int, "CachedLesson"] = {}  # insertion-ordered: oldest first


def _keep_recent(lesson: "CachedLesson") -> None:
    """Keep the bodies of the last KEEP_LOADED lessons used, so memory stays flat however many are opened."""
    _recent.pop(id(lesson), None)
    _recent[id(lesson)] = lesson
    while len(_recent) > KEEP_LOADED:
        oldest = _recent.pop(next(iter(_recent)))
        for name in HEAVY:
            oldest.__dict__.pop(name, None)


class CachedLesson(Lesson):
    """A lesson whose body, help blocks and questions load on first use (from the cache, or from
    the pickled parts a parse worker sent)."""

    body = _Heavy()
    help_blocks = _Heavy()
    questions = _Heavy()

    def __reduce__(self):
        # A copy or pickle is a plain, complete Lesson.
        values = {k: v for k, v in self.__dict__.items() if not k.startswith(_LOADING)}
        return (_plain_lesson, ({**values, **{n: getattr(self, n) for n in HEAVY}},))


_LOADING = "_heavy"  # attributes of a CachedLesson that say how to load its heavy parts, not part of the lesson


def _plain_lesson(values: dict) -> Lesson:
    lesson = Lesson.__new__(Lesson)
    lesson.__dict__.update(values)
    return lesson


def light_fields(lesson: Lesson) -> dict:
    """What the cache's index keeps of a lesson: everything but its heavy parts (the path as text)."""
    values = {k: v for k, v in lesson.__dict__.items() if k not in HEAVY and not k.startswith(_LOADING)}
    values["path"] = str(values["path"])
    return values


def heavy_blob(lesson: Lesson) -> bytes:
    """A lesson's body, help blocks and questions, pickled as the cache keeps them."""
    blob = lesson.__dict__.get("_heavy_blob")
    if blob is None:
        blob = pickle.dumps({n: getattr(lesson, n) for n in HEAVY}, protocol=pickle.HIGHEST_PROTOCOL)
    return blob


def lesson_from_parts(values: dict, blob: bytes, path: Path) -> CachedLesson:
    """The lesson of :func:`light_fields` and :func:`heavy_blob` (made in a parse worker): its heavy
    parts are unpickled when first used, and the blob goes to the cache as it is."""
    lesson = CachedLesson.__new__(CachedLesson)
    lesson.__dict__.update(values)
    lesson.path = path
    lesson._heavy_blob = blob
    lesson._heavy_loader = lambda: pickle.loads(blob)  # noqa: S301 - made by our own parse worker
    return lesson


class _LessonMaker:
    """Makes the CachedLesson of an index entry, given the Path the library already has for the file."""

    __slots__ = ("cache", "values", "digest")

    def __init__(self, cache: "CatalogCache", values: dict, digest: str):
        self.cache, self.values, self.digest = cache, values, digest

    def __call__(self, path: Path) -> CachedLesson:
        lesson = CachedLesson.__new__(CachedLesson)
        lesson.__dict__.update(self.values)
        lesson.path = path
        lesson._heavy_loader = lambda: self.cache._heavy(self.digest, lesson)
        return lesson


class CatalogCache:
    """One cache file; every method works (or quietly does nothing) whatever state the file is in."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._fingerprint = _parser_fingerprint()

    @classmethod
    def default(cls) -> "CatalogCache":
        from app import paths

        return cls(paths.cache_dir() / CACHE_NAME)

    # ------------------------------------------------------------ the file

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        for _try in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), timeout=2.0, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(_SCHEMA)
                row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                if row is None or row[0] != self._fingerprint:
                    # Another Lantern's (or an older parser's) cache: start it afresh.
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("DELETE FROM files")
                    conn.execute("DELETE FROM parsed")
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fingerprint', ?)",
                                 [self._fingerprint])  # fmt: skip
                    conn.execute("COMMIT")
                self._conn = conn
                return conn
            except sqlite3.DatabaseError as exc:
                log.warning("cache.unreadable error=%s", exc)
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - the connection may not exist
                    pass
                self._discard()
            except OSError as exc:
                log.warning("cache.unavailable error=%s", exc)
                return None
        return None

    def _discard(self) -> None:
        """Remove a damaged cache file (and SQLite's side files) so the next try starts clean."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            except OSError:
                pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # ------------------------------------------------------------ reading

    def read_index(self, root: Path) -> dict[str, tuple]:
        """``{path: (size, mtime_ns, digest, item)}`` for *root*, or {} when nothing usable is cached."""
        conn = self._connect()
        if conn is None:
            return {}
        try:
            row = conn.execute("SELECT data FROM files WHERE root = ?", [str(root)]).fetchone()
            if row is None:
                return {}
            index = pickle.loads(row[0])
            for key, (size, mtime, digest, item) in index.items():
                if isinstance(item, dict):  # a lesson's stored fields: becomes a CachedLesson when used
                    index[key] = (size, mtime, digest, _LessonMaker(self, item, digest))
            return index
        except Exception as exc:  # noqa: BLE001 - any damage means "not cached", never a failed start
            log.warning("cache.index_unreadable error=%s", exc)
            return {}

    def _heavy(self, digest: str, lesson: Lesson) -> dict:
        """The body, help blocks and questions of a cached lesson (from the cache, or the file again)."""
        conn = self._connect()
        if conn is not None:
            try:
                row = conn.execute("SELECT data FROM parsed WHERE digest = ?", [digest]).fetchone()
                if row is not None:
                    values = pickle.loads(row[0])
                    if set(values) == set(HEAVY):
                        return values
            except Exception as exc:  # noqa: BLE001 - damaged entry: parse the file instead
                log.warning("cache.entry_unreadable error=%s", exc)
        from app.content.lesson import load_lesson
        from app.content.problems import LessonError

        try:
            fresh = load_lesson(lesson.path)
        except LessonError:
            return {"body": "", "help_blocks": [], "questions": []}  # deleted or broken since the start
        return {name: getattr(fresh, name) for name in HEAVY}

    # ------------------------------------------------------------ writing

    def write(self, root: Path, index: dict[str, tuple], parsed: dict[str, Lesson]) -> None:
        """Store *root*'s index and the new lessons' heavy parts in one transaction (or not at all)."""
        conn = self._connect()
        if conn is None:
            return
        stored = {key: (size, mtime, digest, light_fields(item) if isinstance(item, Lesson) else item)
                  for key, (size, mtime, digest, item) in index.items()}  # fmt: skip
        try:
            blob = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
            heavy = [(digest, heavy_blob(lesson)) for digest, lesson in parsed.items()]
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR REPLACE INTO files(root, data) VALUES (?, ?)", [str(root), blob])
                conn.executemany("INSERT OR REPLACE INTO parsed(digest, data) VALUES (?, ?)", heavy)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except Exception as exc:  # noqa: BLE001 - busy, read-only or full: the next start parses again
            log.warning("cache.write_failed error=%s", exc)

    def prune(self) -> None:
        """Forget roots that no longer exist and heavy parts no index refers to."""
        conn = self._connect()
        if conn is None:
            return
        try:
            roots = [r for (r,) in conn.execute("SELECT root FROM files") if not os.path.isdir(r)]
            wanted: set[str] = set()
            for (data,) in conn.execute("SELECT data FROM files"):
                wanted.update(entry[2] for entry in pickle.loads(data).values())
            unused = [(d,) for (d,) in conn.execute("SELECT digest FROM parsed") if d not in wanted]
            if not roots and not unused:
                return
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("DELETE FROM files WHERE root = ?", [(r,) for r in roots])
            conn.executemany("DELETE FROM parsed WHERE digest = ?", unused)
            conn.execute("COMMIT")
        except Exception as exc:  # noqa: BLE001 - pruning is housekeeping only
            log.warning("cache.prune_failed error=%s", exc)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
