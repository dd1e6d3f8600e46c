"""The search index kept between starts, beside the catalog cache (``paths.cache_dir()/search.sqlite``).

Building the index reads every lesson text (seconds for a library of thousands);
a start whose lessons did not change loads the stored one instead, in a fraction
of that. The file is the index database itself plus a ``meta`` table holding two
keys: the *library key* (every indexed lesson's id, language, track and
content hash, so an edited, added or removed lesson file makes a new index) and
the *indexer fingerprint* (the source of the modules that decide what is indexed,
the versions of Python, Unicode, SQLite, python-markdown and nh3), so a new
Lantern never trusts an older indexer's output.

Like the catalog cache it is only a shortcut: a missing, damaged, foreign or
stale file means "build it"; a new index is written to a temporary file and moved
into place in one step, so another Lantern reading the old file is never
disturbed and never sees half a file; a read-only or full disk skips the write.
Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import unicodedata
from pathlib import Path

from app.content.cache import code_fingerprint
from app.content.search import SearchIndex, build_index

log = logging.getLogger("lantern.search_cache")

INDEX_NAME = "search.sqlite"
FORMAT = 1  # bump when what is stored changes shape
# Modules whose code decides what text is indexed and how it is folded.
_INDEXER_MODULES = ("search", "render", "markup", "lesson", "gift")


def indexer_fingerprint() -> str:
    """Changes whenever the indexer's code, or anything it relies on, changes."""
    import markdown
    import nh3

    return code_fingerprint(_INDEXER_MODULES, FORMAT, unicodedata.unidata_version, sqlite3.sqlite_version,
                            markdown.__version__, getattr(nh3, "__version__", ""))  # fmt: skip


def library_key(library) -> str:
    """What the index of *library* depends on: each indexed lesson's id, language, track and file content."""
    digest = hashlib.sha256()
    for lesson_id in sorted(library.lessons):
        for locale, lesson in sorted(library.lessons[lesson_id].items()):
            if lesson.kind == "lesson":
                digest.update(f"{lesson_id}\0{locale}\0{lesson.track}\0{lesson.content_hash}\n".encode())
    return digest.hexdigest()


def load_or_build(library, path: Path | None = None, progress=None) -> SearchIndex:
    """The index of *library*: the stored one when its keys match, else built now (with *progress*) and stored."""
    if path is None:
        from app import paths

        path = paths.cache_dir() / INDEX_NAME
    key, fingerprint = library_key(library), indexer_fingerprint()
    index = _load(path, library, key, fingerprint)
    if index is None:
        index = build_index(library, progress=progress)
        _store(index, path, key, fingerprint)
    return index


def _load(path: Path, library, key: str, fingerprint: str) -> SearchIndex | None:
    if not path.is_file():
        return None
    stored = None
    try:
        stored = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(stored.execute("SELECT key, value FROM meta"))
        if meta.get("library") != key or meta.get("fingerprint") != fingerprint:
            return None
        # Into memory: queries run as fast as on a fresh index, and the file may be replaced meanwhile.
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        stored.backup(conn)
        trigram = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'grams'").fetchone() is not None
        return SearchIndex(conn, library, trigram)
    except Exception as exc:  # noqa: BLE001 - any damage means "not stored": build it
        log.warning("search_cache.unreadable error=%s", exc)
        return None
    finally:
        if stored is not None:
            stored.close()


def _store(index: SearchIndex, path: Path, key: str, fingerprint: str) -> None:
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".search-", suffix=".sqlite", dir=path.parent)
        os.close(handle)
        temporary = Path(name)
        target = sqlite3.connect(str(temporary))
        try:
            index.conn.backup(target)
            with target:
                target.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                target.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                   [("library", key), ("fingerprint", fingerprint)])  # fmt: skip
        finally:
            target.close()
        os.replace(temporary, path)
        temporary = None
    except Exception as exc:  # noqa: BLE001 - read-only, full or busy: the next start builds it again
        log.warning("search_cache.write_failed error=%s", exc)
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
