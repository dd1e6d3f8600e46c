"""Rolling backups of the progress database, made with SQLite's backup API.

A backup is a complete, consistent copy of ``progress.db`` (taken while the
app may be writing) in ``<data dir>/backups/progress-<UTC time>.db``. The app
makes one at start when the newest is older than ``INTERVAL``, and keeps the
newest ``KEEP``. Backups are plain single-file databases (rollback journal,
not WAL), so copying one somewhere is enough to keep it.

Restoring replaces the database with a backup, after first backing up the
current file, so a restore can itself be undone.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.progress.db import SCHEMA_VERSION, _move_aside

KEEP = 7
INTERVAL = timedelta(hours=12)
DIR_NAME = "backups"
_NAME = re.compile(r"^progress-(\d{8}T\d{12})Z(?:-([a-z-]+))?\.db$")
_STAMP = "%Y%m%dT%H%M%S%f"

log = logging.getLogger("lantern.backup")


class BackupError(Exception):
    """A backup cannot be used (damaged, not a Lantern database, or too new)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    created: datetime  # UTC, from the file name (purging a backup changes its mtime)
    label: str  # "" for a scheduled backup, "before-restore" for the safety copy

    @property
    def name(self) -> str:
        return self.path.name


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / DIR_NAME


def list_backups(db_path: Path) -> list[Backup]:
    """Every backup beside *db_path*, newest first."""
    folder = backups_dir(db_path)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match and path.is_file():
                stamp = match.group(1)  # _STAMP; fromisoformat, unlike strptime, costs no import at start-up
                created = datetime.fromisoformat(f"{stamp[:15]}.{stamp[15:]}").replace(tzinfo=timezone.utc)
                found.append(Backup(path, created, match.group(2) or ""))
    return sorted(found, key=lambda b: b.created, reverse=True)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy *source* into a new single-file database at *target*, atomically."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(str(partial))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.replace(partial, target)


def make_backup(conn: sqlite3.Connection, db_path: Path, keep: int = KEEP, label: str = "",
                now: datetime | None = None) -> Backup:  # fmt: skip
    """Back up the open database *conn* (whose file is *db_path*); keep the newest *keep*."""
    created = now or datetime.now(timezone.utc)
    name = f"progress-{created.strftime(_STAMP)}Z{'-' + label if label else ''}.db"
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    _copy(conn, folder / name)
    log.info("backup.made name=%s", name)
    prune(db_path, keep)
    return Backup(folder / name, created, label)


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest *keep* backups; returns what was deleted."""
    removed = [b.path for b in list_backups(db_path)[max(keep, 1):]]
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("backup.pruned name=%s", path.name)
    return removed


def backup_if_due(conn: sqlite3.Connection, db_path: Path, keep: int = KEEP, interval: timedelta = INTERVAL,
                  now: datetime | None = None) -> Backup | None:  # fmt: skip
    """The start-up backup: made only when the newest backup is older than *interval*."""
    now = now or datetime.now(timezone.utc)
    newest = next(iter(list_backups(db_path)), None)
    if newest is not None and now - newest.created < interval:
        return None
    return make_backup(conn, db_path, keep=keep, now=now)


def find_backup(db_path: Path, name_or_path: str) -> Path:
    """A backup named in the backups folder, or any file path."""
    candidate = backups_dir(db_path) / name_or_path
    if _NAME.match(name_or_path) and candidate.is_file():
        return candidate
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    raise BackupError(f"no backup called {name_or_path}")


def check_backup(path: Path) -> int:
    """Raise BackupError unless *path* is a sound Lantern database; returns its data version."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise BackupError(
                    f"{path.name} comes from a newer version of Lantern (data version {version}); "
                    "update Lantern to restore it"
                )
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path.name} is damaged")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "learners" not in tables or "answers" not in tables:
                raise BackupError(f"{path.name} is not a Lantern progress database")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} is not a readable database ({exc})") from exc
    return version


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database at *db_path* with *backup*. Nothing may have it open.

    Returns where the previous database went: a "before-restore" backup, or,
    when the current file is itself unreadable, the file moved aside.
    """
    check_backup(backup)
    previous: Path | None = None
    if db_path.exists():
        try:
            current = sqlite3.connect(str(db_path))
            try:
                current.execute("PRAGMA quick_check").fetchone()
                # keep + 1: the safety copy never pushes out the oldest regular backup it may replace
                previous = make_backup(current, db_path, keep=len(list_backups(db_path)) + 1,
                                       label="before-restore").path  # fmt: skip
            finally:
                current.close()
        except sqlite3.DatabaseError:
            previous = _move_aside(db_path)
    for suffix in ("-wal", "-shm"):
        # The last connection closed cleanly, so the WAL was checkpointed into the copy above.
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _copy(source, db_path)
    finally:
        source.close()
    log.info("backup.restored name=%s", backup.name)
    return previous
