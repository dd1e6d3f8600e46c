"""The progress database: opened, configured and migrated in one place.

One SQLite file. WAL with ``synchronous=FULL`` so a committed answer survives
power loss; foreign keys on; ``secure_delete`` on so erased rows are
overwritten with zeros instead of lingering in free space; the schema version
lives in ``user_version`` and each version has exactly one migration step. A
file from a newer Lantern is refused untouched; a file that is not a database
(or fails SQLite's quick check) is moved aside.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


class DatabaseTooNew(Exception):
    """The file was written by a newer Lantern; we must not touch it."""


_V1 = """
        CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            nickname TEXT NOT NULL UNIQUE,
            locale TEXT NOT NULL DEFAULT 'en',
            region TEXT,
            is_guest INTEGER NOT NULL DEFAULT 0,
            pin_hash TEXT,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        );
        -- Append-only: the source of truth for everything a learner did.
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            response TEXT NOT NULL,
            credit REAL,
            seconds REAL NOT NULL DEFAULT 0,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX answers_by_learner ON answers(learner_id, lesson_id, attempt);
        CREATE INDEX answers_by_question ON answers(lesson_id, question_id);
        -- Derived from answers (and reading events); rebuilt by rebuild_progress().
        CREATE TABLE lesson_progress (
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'started',
            attempts INTEGER NOT NULL DEFAULT 0,
            best_score REAL,
            last_score REAL,
            passed INTEGER NOT NULL DEFAULT 0,
            position TEXT NOT NULL DEFAULT '{}',
            seconds_spent REAL NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, lesson_id)
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
"""

# Version 2: kiosks. A colour to recognise a profile, PIN throttling that
# survives restarts, and visits (one per walk-up session) for the centre's
# statistics; a visit outlives an erased learner only as an anonymous count.
_V2 = """
        ALTER TABLE learners ADD COLUMN colour TEXT;
        ALTER TABLE learners ADD COLUMN pin_throttle TEXT;
        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER REFERENCES learners(id) ON DELETE SET NULL,
            was_guest INTEGER NOT NULL DEFAULT 0,
            locale TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            end_reason TEXT
        );
        CREATE INDEX visits_by_day ON visits(started_at);
"""

# Version 3: spaced review. One row per learner and missed question: its
# Leitner box (1-6; 7 = learned) and the local day it is due (NULL once
# learned). Derived from the answers log (app/progress/review.py), where
# review answers are logged with attempt 0.
_V3 = """
        CREATE TABLE reviews (
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            box INTEGER NOT NULL,
            due_on TEXT,
            last_answer_id INTEGER NOT NULL,
            PRIMARY KEY (learner_id, lesson_id, question_id)
        );
        CREATE INDEX reviews_due ON reviews(learner_id, due_on);
"""

# One SQL script per schema version; index + 1 is the version it produces.
# Released versions are never edited: a change is a new script.
MIGRATIONS = [_V1, _V2, _V3]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class OpenResult:
    conn: sqlite3.Connection
    path: Path
    moved_aside: Path | None = None  # where an unreadable old file went


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 5000")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseTooNew(
            f"{path} was written by a newer version of Lantern (data version {version}, "
            f"this version understands up to {SCHEMA_VERSION}). Please update Lantern; "
            "the file has not been changed."
        )
    for number in range(version, SCHEMA_VERSION):
        # One transaction per step: a failed step leaves the previous version intact.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
    # is exactly as wide as the code says.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
            return conn  # a newer Lantern's file: refused by the caller, never judged or moved
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # Reads every page's structure (not the indexes' contents): milliseconds
        # for a learner's database, and catches a file damaged past its header.
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {verdict}")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    count = 1
    while target.exists():  # two damaged files within one second keep both
        count += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{count}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def open_database(path: Path) -> OpenResult:
    """Open (creating or upgrading) the progress database at *path*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    moved = None
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError:
        moved = _move_aside(path)
        conn = _connect(path)
    # Check the version before any pragma that could write to the file.
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        conn.close()
        raise DatabaseTooNew(
            f"{path} was written by a newer version of Lantern (data version {version}, "
            f"this version understands up to {SCHEMA_VERSION}). Please update Lantern; "
            "the file has not been changed."
        )
    _configure(conn)
    _migrate(conn, path)
    return OpenResult(conn, path, moved)


def compact(conn: sqlite3.Connection) -> None:
    """Push every committed page into the main file, empty the WAL, rebuild the file.

    With ``secure_delete`` the deleted rows are already zeroed in the pages;
    the checkpoint copies those pages over the old ones and truncates the WAL
    (which still holds older copies), and VACUUM rewrites the file without
    free pages. Raises when another connection keeps the WAL busy.
    """
    for step in ("checkpoint", "vacuum", "checkpoint"):
        if step == "vacuum":
            conn.execute("VACUUM")
            continue
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise sqlite3.OperationalError("the database is in use by another program; close it and try again")


def integrity_ok(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
