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

# Version 4 (released: the helpers below are part of it; a change is a version 5, never an
# edit here): totals for the reports and the kiosk's admin overview, so reading
# them no longer rescans every answer. Built from the log when a file is
# upgraded and kept exact by triggers on the log (insert, delete, and updates of
# the columns they read). A credit that is a multiple of 2^-20 in [-1, 1]
# ("dyadic": 0, 1, 1/2, 1/4 ...) adds up to the same total in any order, so a
# total of dyadic credits may be subtracted from; any other total is recomputed
# in the log's own order, so it equals what summing the log gives.
_DYADIC = "(abs({c}) <= 1 AND {c} * 1048576 = round({c} * 1048576))"


def _rebuild_attempt(row: str) -> str:
    """SQL rebuilding the attempt_totals row of *row*'s (learner, lesson, attempt) from the log."""
    return f"""
            DELETE FROM attempt_totals
             WHERE lesson_id = {row}.lesson_id AND learner_id = {row}.learner_id AND attempt = {row}.attempt;
            INSERT INTO attempt_totals(lesson_id, learner_id, attempt, questions, credit, exact)
            SELECT lesson_id, learner_id, attempt, group_concat(question_id, char(31)), total(credit),
                   min(credit IS NULL OR {_DYADIC.format(c="credit")})
              FROM answers AS a
             WHERE learner_id = {row}.learner_id AND lesson_id = {row}.lesson_id AND attempt = {row}.attempt
               AND attempt > 0
               AND id = (SELECT max(id) FROM answers AS b WHERE b.learner_id = a.learner_id
                         AND b.lesson_id = a.lesson_id AND b.attempt = a.attempt AND b.question_id = a.question_id)
             GROUP BY learner_id, lesson_id, attempt;"""


def _rebuild_answer_time(row: str) -> str:
    """SQL rebuilding the lesson_answer_time row of *row*'s (learner, lesson) from the log."""
    return f"""
            DELETE FROM lesson_answer_time WHERE lesson_id = {row}.lesson_id AND learner_id = {row}.learner_id;
            INSERT INTO lesson_answer_time(lesson_id, learner_id, seconds)
            SELECT lesson_id, learner_id, sum(seconds) FROM answers
             WHERE learner_id = {row}.learner_id AND lesson_id = {row}.lesson_id
             GROUP BY learner_id, lesson_id;"""


def _rebuild_question(row: str) -> str:
    """SQL rebuilding the question_totals row of *row*'s (lesson, question) from the log."""
    return f"""
            DELETE FROM question_totals WHERE lesson_id = {row}.lesson_id AND question_id = {row}.question_id;
            INSERT INTO question_totals(lesson_id, question_id, answers, wrong, credit, inexact)
            SELECT lesson_id, question_id, count(*), sum(credit < 0.999), sum(credit),
                   sum(NOT {_DYADIC.format(c="credit")})
              FROM answers WHERE lesson_id = {row}.lesson_id AND question_id = {row}.question_id
               AND credit IS NOT NULL
             GROUP BY lesson_id, question_id;"""


_V4 = f"""
        -- One row per quiz attempt (attempt > 0): the ids of the questions it answered (joined
        -- by char(31)) and the total credit of each one's latest answer (no credit counts 0);
        -- exact = 1 when all those credits are dyadic.
        CREATE TABLE attempt_totals (
            lesson_id TEXT NOT NULL,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            questions TEXT NOT NULL,
            credit REAL NOT NULL,
            exact INTEGER NOT NULL,
            PRIMARY KEY (lesson_id, learner_id, attempt)
        ) WITHOUT ROWID;
        -- One row per learner and lesson: seconds spent answering (review answers included).
        CREATE TABLE lesson_answer_time (
            lesson_id TEXT NOT NULL,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            seconds REAL NOT NULL,
            PRIMARY KEY (lesson_id, learner_id)
        ) WITHOUT ROWID;
        -- One row per question with scored answers (no learner in it): how many, how many
        -- below full credit, the credits' total and how many of those credits are not dyadic.
        CREATE TABLE question_totals (
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            answers INTEGER NOT NULL,
            wrong INTEGER NOT NULL,
            credit REAL NOT NULL,
            inexact INTEGER NOT NULL,
            PRIMARY KEY (lesson_id, question_id)
        ) WITHOUT ROWID;
        CREATE INDEX lesson_progress_by_lesson ON lesson_progress(lesson_id, learner_id, seconds_spent);

        INSERT INTO question_totals(lesson_id, question_id, answers, wrong, credit, inexact)
        SELECT lesson_id, question_id, count(*), sum(credit < 0.999), sum(credit),
               sum(NOT {_DYADIC.format(c="credit")})
          FROM answers WHERE credit IS NOT NULL GROUP BY lesson_id, question_id;
        INSERT INTO lesson_answer_time(lesson_id, learner_id, seconds)
        SELECT lesson_id, learner_id, sum(seconds) FROM answers GROUP BY learner_id, lesson_id;
        INSERT INTO attempt_totals(lesson_id, learner_id, attempt, questions, credit, exact)
        SELECT lesson_id, learner_id, attempt, group_concat(question_id, char(31)), total(credit),
               min(credit IS NULL OR {_DYADIC.format(c="credit")})
          FROM answers
         WHERE attempt > 0 AND id IN (SELECT max(id) FROM answers WHERE attempt > 0
                                      GROUP BY learner_id, lesson_id, attempt, question_id)
         GROUP BY learner_id, lesson_id, attempt;

        CREATE TRIGGER answers_totals_insert AFTER INSERT ON answers BEGIN
            INSERT INTO question_totals(lesson_id, question_id, answers, wrong, credit, inexact)
            SELECT NEW.lesson_id, NEW.question_id, 1, NEW.credit < 0.999, NEW.credit,
                   NOT {_DYADIC.format(c="NEW.credit")}
             WHERE NEW.credit IS NOT NULL
            ON CONFLICT (lesson_id, question_id) DO UPDATE SET answers = answers + 1,
                wrong = wrong + excluded.wrong, credit = credit + excluded.credit,
                inexact = inexact + excluded.inexact;
            {_rebuild_attempt("NEW")}
            {_rebuild_answer_time("NEW")}
        END;
        -- The delete triggers act only while a total exists, so emptying the totals before
        -- the log (erasing everyone) skips the rebuilds.
        CREATE TRIGGER answers_question_totals_delete AFTER DELETE ON answers WHEN OLD.credit IS NOT NULL BEGIN
            UPDATE question_totals SET answers = answers - 1, wrong = wrong - (OLD.credit < 0.999),
                   inexact = inexact - NOT {_DYADIC.format(c="OLD.credit")},
                   credit = CASE WHEN inexact = 0 THEN credit - OLD.credit
                                 ELSE (SELECT total(credit) FROM answers WHERE lesson_id = OLD.lesson_id
                                        AND question_id = OLD.question_id AND credit IS NOT NULL) END
             WHERE lesson_id = OLD.lesson_id AND question_id = OLD.question_id;
            DELETE FROM question_totals
             WHERE lesson_id = OLD.lesson_id AND question_id = OLD.question_id AND answers = 0;
        END;
        CREATE TRIGGER answers_attempt_totals_delete AFTER DELETE ON answers
        WHEN EXISTS (SELECT 1 FROM attempt_totals WHERE lesson_id = OLD.lesson_id
                     AND learner_id = OLD.learner_id AND attempt = OLD.attempt) BEGIN
            {_rebuild_attempt("OLD")}
        END;
        CREATE TRIGGER answers_answer_time_delete AFTER DELETE ON answers
        WHEN EXISTS (SELECT 1 FROM lesson_answer_time WHERE lesson_id = OLD.lesson_id
                     AND learner_id = OLD.learner_id) BEGIN
            {_rebuild_answer_time("OLD")}
        END;
        CREATE TRIGGER answers_question_totals_update AFTER UPDATE OF lesson_id, question_id, credit ON answers BEGIN
            {_rebuild_question("OLD")}
            {_rebuild_question("NEW")}
        END;
        CREATE TRIGGER answers_attempt_totals_update
        AFTER UPDATE OF learner_id, lesson_id, attempt, question_id, credit ON answers BEGIN
            {_rebuild_attempt("OLD")}
            {_rebuild_attempt("NEW")}
        END;
        CREATE TRIGGER answers_answer_time_update AFTER UPDATE OF learner_id, lesson_id, seconds ON answers BEGIN
            {_rebuild_answer_time("OLD")}
            {_rebuild_answer_time("NEW")}
        END;
"""

# One SQL script per schema version; index + 1 is the version it produces.
# Released versions are never edited: a change is a new script.
MIGRATIONS = [_V1, _V2, _V3, _V4]
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
