"""Spaced review: questions a learner missed come back after growing intervals.

The scheduler is the Leitner system (Sebastian Leitner, *So lernt man lernen*,
1972): each missed question sits in a numbered box; a right answer moves it
one box up, where it waits longer before it comes back; a wrong answer sends
it back to box 1. Lantern's boxes wait 1, 2, 4, 8, 16 and 32 days; a right
answer in the last box retires the question ("learned"). Days are calendar
days in the learner's local time, so a question missed in the evening is due
the next morning, not 24 hours later.

- A quiz answer with credit < 1 puts the question in box 1, due tomorrow.
  A right quiz answer changes nothing (retrying a quiz minutes later is not
  spaced recall).
- A review answer (``attempt = REVIEW_ATTEMPT`` in the answers log) with full
  credit moves the question up one box; with less, back to box 1.
- Every graded question is scheduled; what is *shown* is decided by the
  caller (the app leaves out the knowledge check, which measures what the
  course taught and so is never rehearsed, and questions no longer in the
  lessons).

Review answers go into the same append-only ``answers`` table as quiz answers,
with attempt number 0 (quiz attempts count from 1), so the log stays the one
source of truth; educator reports read quiz attempts only (``attempt > 0``).
The ``reviews`` table is the schedule derived from that log; :func:`sync`
brings it up to date with new quiz answers, :func:`record_review` writes a
review answer and its effect together, and :func:`rebuild` derives the whole
schedule again from the log.

Pure Python with an injectable clock: every function that needs the time
takes ``now`` (an aware datetime; default: the current time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from app.content.grading import CORRECT_AT

REVIEW_ATTEMPT = 0
INTERVALS = (1, 2, 4, 8, 16, 32)  # days to wait in box 1, 2, … 6
LEARNED = len(INTERVALS) + 1  # the box of retired questions: never due again


@dataclass(frozen=True)
class Entry:
    """Where one question stands for one learner."""

    lesson_id: str
    question_id: str
    box: int
    due_on: date | None  # None once learned
    last_answer_id: int

    @property
    def learned(self) -> bool:
        return self.box >= LEARNED

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today


def local_day(moment: datetime) -> date:
    """The calendar day of *moment* in the computer's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().date()


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(timezone.utc)


def next_entry(entry: Entry | None, lesson_id: str, question_id: str, credit: float | None,
               is_review: bool, day: date, answer_id: int) -> Entry | None:  # fmt: skip
    """The Leitner step for one answer given on *day*; None means "not scheduled"."""
    if credit is None:
        return entry  # an essay or description is not marked, so never reviewed
    right = credit >= CORRECT_AT
    if not right:
        return Entry(lesson_id, question_id, 1, day + timedelta(days=INTERVALS[0]), answer_id)
    if entry is None or not is_review:
        return entry
    box = min(entry.box + 1, LEARNED)
    due = day + timedelta(days=INTERVALS[box - 1]) if box < LEARNED else None
    return Entry(lesson_id, question_id, box, due, answer_id)


def fold(answers: Iterable[dict]) -> dict[tuple[str, str], Entry]:
    """The schedule that a learner's answers log (oldest first) produces."""
    schedule: dict[tuple[str, str], Entry] = {}
    for row in answers:
        key = (row["lesson_id"], row["question_id"])
        day = local_day(datetime.fromisoformat(row["answered_at"]))
        entry = next_entry(schedule.get(key), *key, row["credit"], row["attempt"] == REVIEW_ATTEMPT, day, row["id"])
        if entry is not None:
            schedule[key] = entry
    return schedule


# ---------------------------------------------------------------- storage


def _row(row: dict) -> Entry:
    due = date.fromisoformat(row["due_on"]) if row["due_on"] else None
    return Entry(row["lesson_id"], row["question_id"], row["box"], due, row["last_answer_id"])


def _save(conn, learner_id: int, entries: Iterable[Entry]) -> None:
    conn.executemany(
        "INSERT INTO reviews(learner_id, lesson_id, question_id, box, due_on, last_answer_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(learner_id, lesson_id, question_id) DO UPDATE SET "
        "box = excluded.box, due_on = excluded.due_on, last_answer_id = excluded.last_answer_id",
        [(learner_id, e.lesson_id, e.question_id, e.box, e.due_on.isoformat() if e.due_on else None,
          e.last_answer_id) for e in entries],
    )  # fmt: skip


def _in_transaction(store, work) -> None:
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        work()
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise


def _rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, tuple(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def schedule(store, learner_id: int) -> dict[tuple[str, str], Entry]:
    rows = _rows(store.conn, "SELECT * FROM reviews WHERE learner_id = ?", [learner_id])
    return {(r["lesson_id"], r["question_id"]): _row(r) for r in rows}


def sync(store, learner_id: int) -> int:
    """Schedule the quiz answers logged since the last sync; returns how many entries changed.

    Answers up to the newest one already reflected in the schedule are done;
    a later right quiz answer changes nothing, so seeing it again is harmless.
    """
    current = schedule(store, learner_id)
    done = max((e.last_answer_id for e in current.values()), default=0)
    rows = _rows(
        store.conn,
        "SELECT * FROM answers WHERE learner_id = ? AND id > ? AND attempt != ? ORDER BY id",
        [learner_id, done, REVIEW_ATTEMPT],
    )
    changed: dict[tuple[str, str], Entry] = {}
    for row in rows:
        key = (row["lesson_id"], row["question_id"])
        before = changed.get(key, current.get(key))
        day = local_day(datetime.fromisoformat(row["answered_at"]))
        entry = next_entry(before, *key, row["credit"], False, day, row["id"])
        if entry is not None and entry != before:
            changed[key] = entry
    if changed:
        _in_transaction(store, lambda: _save(store.conn, learner_id, changed.values()))
    return len(changed)


def record_review(store, learner_id: int, lesson_id: str, question_id: str, response: str,
                  credit: float | None, seconds: float = 0.0, now: datetime | None = None) -> Entry | None:
    """Log one review answer (attempt 0) and move the question to its next box."""
    sync(store, learner_id)  # earlier quiz answers first, so the order holds
    answer_id = store.record_answer(learner_id, lesson_id, REVIEW_ATTEMPT, question_id, response, credit, seconds)
    before = schedule(store, learner_id).get((lesson_id, question_id))
    entry = next_entry(before, lesson_id, question_id, credit, True, local_day(_now(now)), answer_id)
    if entry is not None:
        _in_transaction(store, lambda: _save(store.conn, learner_id, [entry]))
    return entry


def queue_order(entry: Entry) -> tuple:
    """Longest-waiting first; among equals the lower box (the shakier memory)."""
    return (entry.due_on or date.max, entry.box, entry.last_answer_id)


def due(store, learner_id: int, now: datetime | None = None) -> list[Entry]:
    """Questions due on *now*'s day or earlier, in queue order (after a sync)."""
    sync(store, learner_id)
    today = local_day(_now(now))
    return sorted((e for e in schedule(store, learner_id).values() if e.is_due(today)), key=queue_order)


def rebuild(store, learner_id: int) -> dict[tuple[str, str], Entry]:
    """Derive the learner's whole schedule from the answers log again (answer times as logged)."""
    result = fold(store.answers(learner_id))

    def work():
        store.conn.execute("DELETE FROM reviews WHERE learner_id = ?", [learner_id])
        _save(store.conn, learner_id, result.values())

    _in_transaction(store, work)
    return result
