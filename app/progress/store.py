"""What learners did: learners, the answers log, lesson progress, settings.

Every public method that writes commits before it returns, so when the UI
shows feedback the answer is already on disk. ``lesson_progress`` is a
summary derived from ``answers`` (and reading positions) and can be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

from app.progress.db import open_database, utc_now

STARTED = "started"
COMPLETED = "completed"


@dataclass
class Learner:
    id: int
    nickname: str
    locale: str
    region: str | None
    is_guest: bool
    created_at: str
    last_seen_at: str


@dataclass
class LessonProgress:
    lesson_id: str
    status: str
    attempts: int
    best_score: float | None
    last_score: float | None
    passed: bool
    position: dict
    seconds_spent: float
    updated_at: str


def _learner(row: dict) -> Learner:
    return Learner(
        row["id"], row["nickname"], row["locale"], row["region"], bool(row["is_guest"]),
        row["created_at"], row["last_seen_at"],
    )  # fmt: skip


def _progress(row: dict) -> LessonProgress:
    import json  # here, not at the top: the window's first frame needs the store but no JSON (~2 ms)

    return LessonProgress(
        row["lesson_id"], row["status"], row["attempts"], row["best_score"], row["last_score"],
        bool(row["passed"]), json.loads(row["position"] or "{}"), row["seconds_spent"], row["updated_at"],
    )  # fmt: skip


# Settings keys of display preferences: app-wide ``pref.<name>``, a learner's own
# ``pref.<learner id>.<name>`` (exported and erased with the learner: privacy.py).
PREFERENCE_PREFIX = "pref."


def learner_preference_prefix(learner_id: int) -> str:
    return f"{PREFERENCE_PREFIX}{learner_id}."


class ProgressStore:
    def __init__(self, path: Path):
        opened = open_database(path)
        self.conn = opened.conn
        self.path = opened.path
        self.moved_aside = opened.moved_aside

    @cached_property
    def db(self):
        """The same connection as a ``sqlite_utils.Database`` (imported on first use: it is
        slow to import and the window's first paint does not need it)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def _write(self, sql: str, params: Iterable = ()) -> int:
        """Run one statement in its own committed transaction; returns lastrowid."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            cur = self.conn.execute(sql, tuple(params))
            self.conn.execute("COMMIT")
            return cur.lastrowid
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # ------------------------------------------------------------ settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str | None) -> None:
        if value is None:
            self._write("DELETE FROM settings WHERE key = ?", [key])
        else:
            self._write(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def settings_with_prefix(self, prefix: str) -> dict[str, str]:
        rows = self._rows("SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'",
                          [prefix.replace("_", "\\_").replace("%", "\\%") + "%"])  # fmt: skip
        return {r["key"]: r["value"] for r in rows}

    # ------------------------------------------------------------ learners

    def create_learner(
        self, nickname: str, locale: str, region: str | None = None, is_guest: bool = False
    ) -> Learner:
        nickname = nickname.strip()
        if not nickname:
            raise ValueError("a nickname cannot be empty")
        now = utc_now()
        learner_id = self._write(
            "INSERT INTO learners(nickname, locale, region, is_guest, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [nickname, locale, region, int(is_guest), now, now],
        )
        return self.learner(learner_id)

    def learner(self, learner_id: int) -> Learner | None:
        rows = self._rows("SELECT * FROM learners WHERE id = ?", [learner_id])
        return _learner(rows[0]) if rows else None

    def find_learner(self, nickname: str) -> Learner | None:
        rows = self._rows("SELECT * FROM learners WHERE nickname = ?", [nickname.strip()])
        return _learner(rows[0]) if rows else None

    def learners(self, include_guests: bool = False) -> list[Learner]:
        where = "" if include_guests else "WHERE is_guest = 0"
        return [_learner(r) for r in self._rows(f"SELECT * FROM learners {where} ORDER BY last_seen_at DESC")]

    def touch_learner(self, learner_id: int) -> None:
        self._write("UPDATE learners SET last_seen_at = ? WHERE id = ?", [utc_now(), learner_id])

    def set_learner_locale(self, learner_id: int, locale: str) -> None:
        self._write("UPDATE learners SET locale = ? WHERE id = ?", [locale, learner_id])

    def set_learner_region(self, learner_id: int, region: str | None) -> None:
        self._write("UPDATE learners SET region = ? WHERE id = ?", [region, learner_id])

    # ------------------------------------------------------------ lessons

    def _ensure_progress(self, learner_id: int, lesson_id: str) -> None:
        now = utc_now()
        self.conn.execute(
            "INSERT OR IGNORE INTO lesson_progress(learner_id, lesson_id, started_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [learner_id, lesson_id, now, now],
        )

    def save_position(self, learner_id: int, lesson_id: str, position: dict, add_seconds: float = 0) -> None:
        """Remember where the learner is in a lesson (and time spent since last save)."""
        import json

        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._ensure_progress(learner_id, lesson_id)
            self.conn.execute(
                "UPDATE lesson_progress SET position = ?, seconds_spent = seconds_spent + ?, "
                "updated_at = ? WHERE learner_id = ? AND lesson_id = ?",
                [json.dumps(position, sort_keys=True), max(0.0, add_seconds), utc_now(), learner_id, lesson_id],
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def next_attempt(self, learner_id: int, lesson_id: str) -> int:
        rows = self._rows(
            "SELECT coalesce(max(attempt), 0) AS a FROM answers WHERE learner_id = ? AND lesson_id = ?",
            [learner_id, lesson_id],
        )
        return rows[0]["a"] + 1

    def record_answer(
        self,
        learner_id: int,
        lesson_id: str,
        attempt: int,
        question_id: str,
        response: str,
        credit: float | None,
        seconds: float = 0.0,
    ) -> int:
        """Append one answer and commit it (durably) before returning its row id."""
        return self._write(
            "INSERT INTO answers(learner_id, lesson_id, attempt, question_id, response, credit, "
            "seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [learner_id, lesson_id, attempt, question_id, response, credit, max(0.0, seconds), utc_now()],
        )

    def answers(self, learner_id: int, lesson_id: str | None = None, attempt: int | None = None) -> list[dict]:
        sql = "SELECT * FROM answers WHERE learner_id = ?"
        params: list = [learner_id]
        if lesson_id is not None:
            sql += " AND lesson_id = ?"
            params.append(lesson_id)
        if attempt is not None:
            sql += " AND attempt = ?"
            params.append(attempt)
        return self._rows(sql + " ORDER BY id", params)

    def attempt_score(self, learner_id: int, lesson_id: str, attempt: int, graded_ids: list[str]) -> float:
        """Share of credit over the lesson's graded questions (latest answer each)."""
        if not graded_ids:
            return 1.0
        latest: dict[str, float] = {}
        for row in self.answers(learner_id, lesson_id, attempt):
            if row["credit"] is not None:
                latest[row["question_id"]] = row["credit"]
        return sum(latest.get(q, 0.0) for q in graded_ids) / len(graded_ids)

    def completed_attempt_scores(self, learner_id: int, lesson_id: str, graded_ids: list[str]) -> list[float]:
        """Scores of every attempt that answered all graded questions, oldest first."""
        by_attempt: dict[int, dict[str, float]] = {}
        for row in self.answers(learner_id, lesson_id):
            if row["credit"] is not None:
                by_attempt.setdefault(row["attempt"], {})[row["question_id"]] = row["credit"]
        scores = []
        for attempt in sorted(by_attempt):
            credits = by_attempt[attempt]
            if graded_ids and all(q in credits for q in graded_ids):
                scores.append(sum(credits[q] for q in graded_ids) / len(graded_ids))
        return scores

    def finish_attempt(
        self, learner_id: int, lesson_id: str, attempt: int, graded_ids: list[str], pass_score: float
    ) -> float:
        score = self.attempt_score(learner_id, lesson_id, attempt, graded_ids)
        passed = score + 1e-9 >= pass_score
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._ensure_progress(learner_id, lesson_id)
            self.conn.execute(
                "UPDATE lesson_progress SET status = ?, attempts = max(attempts, ?), last_score = ?, "
                "best_score = max(coalesce(best_score, 0), ?), passed = max(passed, ?), updated_at = ? "
                "WHERE learner_id = ? AND lesson_id = ?",
                [COMPLETED, attempt, score, score, int(passed), utc_now(), learner_id, lesson_id],
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return score

    def progress(self, learner_id: int) -> dict[str, LessonProgress]:
        rows = self._rows("SELECT * FROM lesson_progress WHERE learner_id = ?", [learner_id])
        return {r["lesson_id"]: _progress(r) for r in rows}

    def last_activity(self, learner_id: int) -> LessonProgress | None:
        rows = self._rows(
            "SELECT * FROM lesson_progress WHERE learner_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT 1",
            [learner_id],
        )
        return _progress(rows[0]) if rows else None
