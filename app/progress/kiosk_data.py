"""A kiosk's records: visits, guests, PIN-protected profiles, retention, statistics.

Pure Python over the progress store. A guest is a learner row with a
generated name and ``is_guest = 1``; at the end of a visit their answers are
either kept anonymously (free-text answers blanked, nothing that could name
them) or erased, as the kiosk is configured. Visits keep only counts and
times, so statistics survive erasure.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from app.progress import pins
from app.progress.db import utc_now
from app.progress.store import Learner, ProgressStore

PROFILE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


# ---------------------------------------------------------------- visits


def start_visit(store: ProgressStore, learner: Learner) -> int:
    return store._write(
        "INSERT INTO visits(learner_id, was_guest, locale, started_at) VALUES (?, ?, ?, ?)",
        [learner.id, int(learner.is_guest), learner.locale, utc_now()],
    )


def end_visit(store: ProgressStore, visit_id: int, reason: str) -> None:
    store._write("UPDATE visits SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                 [utc_now(), reason, visit_id])  # fmt: skip


# ---------------------------------------------------------------- guests


def create_guest(store: ProgressStore, locale: str, region: str | None) -> Learner:
    # A generated name: the visitor types nothing, and nothing names them.
    return store.create_learner(f"guest-{secrets.token_hex(4)}", locale, region=region, is_guest=True)


def anonymize_guest(store: ProgressStore, learner_id: int) -> None:
    """Keep a guest's answers for statistics, without anything they typed in their own words."""
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        store.conn.execute(
            "UPDATE answers SET response = '\"\"' WHERE learner_id = ? AND credit IS NULL", [learner_id]
        )
        store.conn.execute(
            "UPDATE learners SET nickname = 'anonymous-' || id, region = NULL WHERE id = ? AND is_guest = 1",
            [learner_id],
        )
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise


def end_guest(store: ProgressStore, learner_id: int, policy: str) -> None:
    """Apply the kiosk's guest-data policy when a guest's visit ends."""
    learner = store.learner(learner_id)
    if learner is None or not learner.is_guest:
        return
    if policy == "erase":
        from app.progress.privacy import erase_learner

        # The visit stays as an anonymous count; everything about the guest goes.
        store._write("UPDATE visits SET learner_id = NULL WHERE learner_id = ?", [learner_id])
        erase_learner(store, learner_id)
    else:
        anonymize_guest(store, learner_id)


# ---------------------------------------------------------------- profiles


def create_profile(store: ProgressStore, nickname: str, pin: str, colour: str, locale: str,
                   region: str | None) -> Learner:  # fmt: skip
    pins.check_format(pin, pins.PROFILE_PIN_DIGITS)
    learner = store.create_learner(nickname, locale, region=region)
    store._write("UPDATE learners SET pin_hash = ?, colour = ? WHERE id = ?", [pins.hash_pin(pin), colour, learner.id])
    return learner


def profiles(store: ProgressStore) -> list[tuple[Learner, str]]:
    """(learner, colour) for every PIN-protected profile, most recently used first."""
    rows = store._rows(
        "SELECT id, colour FROM learners WHERE is_guest = 0 AND pin_hash IS NOT NULL ORDER BY last_seen_at DESC"
    )
    return [(store.learner(r["id"]), r["colour"] or PROFILE_COLOURS[0]) for r in rows]


@dataclass
class PinResult:
    ok: bool
    wait_seconds: float = 0.0  # > 0: too many wrong PINs, try again later


def check_profile_pin(store: ProgressStore, learner_id: int, pin: str, now: datetime | None = None) -> PinResult:
    rows = store._rows("SELECT pin_hash, pin_throttle FROM learners WHERE id = ?", [learner_id])
    if not rows:
        return PinResult(False)
    throttle = pins.Throttle.from_text(rows[0]["pin_throttle"])
    wait = throttle.wait_seconds(now)
    if wait > 0:
        return PinResult(False, wait)
    if pins.verify_pin(pin, rows[0]["pin_hash"]):
        store._write("UPDATE learners SET pin_throttle = NULL WHERE id = ?", [learner_id])
        return PinResult(True)
    throttle = throttle.failed(now)
    store._write("UPDATE learners SET pin_throttle = ? WHERE id = ?", [throttle.to_text(), learner_id])
    return PinResult(False, throttle.wait_seconds(now))


def expire_profiles(store: ProgressStore, days: int | None, now: datetime | None = None) -> int:
    """Erase profiles (and guests) not used for *days*; returns how many."""
    if not days:
        return 0
    from app.progress.privacy import erase_learner

    cutoff = ((now or datetime.now(timezone.utc)) - timedelta(days=days)).isoformat(timespec="seconds")
    rows = store._rows("SELECT id FROM learners WHERE last_seen_at < ? AND nickname NOT LIKE 'anonymous-%'", [cutoff])
    for row in rows:
        store._write("UPDATE visits SET learner_id = NULL WHERE learner_id = ?", [row["id"]])
        erase_learner(store, row["id"])
    return len(rows)


# ---------------------------------------------------------------- admin PIN


def set_admin_pin(store: ProgressStore, pin: str) -> None:
    from app.kiosk import ADMIN_PIN_SETTING, ADMIN_THROTTLE_SETTING

    pins.check_format(pin, pins.ADMIN_PIN_DIGITS)
    store.set_setting(ADMIN_PIN_SETTING, pins.hash_pin(pin))
    store.set_setting(ADMIN_THROTTLE_SETTING, None)


def has_admin_pin(store: ProgressStore) -> bool:
    from app.kiosk import ADMIN_PIN_SETTING

    return bool(store.setting(ADMIN_PIN_SETTING))


def check_admin_pin(store: ProgressStore, pin: str, now: datetime | None = None) -> PinResult:
    import logging

    from app.kiosk import ADMIN_PIN_SETTING, ADMIN_THROTTLE_SETTING

    throttle = pins.Throttle.from_text(store.setting(ADMIN_THROTTLE_SETTING))
    wait = throttle.wait_seconds(now)
    if wait > 0:
        return PinResult(False, wait)
    if pins.verify_pin(pin, store.setting(ADMIN_PIN_SETTING)):
        store.set_setting(ADMIN_THROTTLE_SETTING, None)
        return PinResult(True)
    throttle = throttle.failed(now)
    store.set_setting(ADMIN_THROTTLE_SETTING, throttle.to_text())
    logging.getLogger("lantern.kiosk").warning("admin.pin_wrong failures=%d", throttle.failures)
    return PinResult(False, throttle.wait_seconds(now))


# ---------------------------------------------------------------- statistics


@dataclass
class DayStats:
    day: str
    visitors: int
    visits: int
    lessons_started: int
    lessons_completed: int
    average_score: float | None


def daily_stats(store: ProgressStore, days: int = 30, now: datetime | None = None) -> list[DayStats]:
    since = ((now or datetime.now(timezone.utc)) - timedelta(days=days)).date().isoformat()
    visits = {
        r["day"]: r
        for r in store._rows(
            "SELECT substr(started_at, 1, 10) AS day, count(*) AS visits, "
            "count(DISTINCT coalesce(learner_id, -id)) AS visitors FROM visits "
            "WHERE started_at >= ? GROUP BY day",
            [since],
        )
    }
    lessons = {
        r["day"]: r
        for r in store._rows(
            "SELECT substr(started_at, 1, 10) AS day, count(*) AS started, "
            "sum(status = 'completed') AS completed, avg(last_score) AS score "
            "FROM lesson_progress WHERE started_at >= ? GROUP BY day",
            [since],
        )
    }
    out = []
    for day in sorted(set(visits) | set(lessons), reverse=True):
        v, l = visits.get(day, {}), lessons.get(day, {})
        out.append(DayStats(day, v.get("visitors", 0), v.get("visits", 0), l.get("started", 0) or 0,
                            l.get("completed", 0) or 0, l.get("score")))  # fmt: skip
    return out


def most_missed(store: ProgressStore, limit: int = 10) -> list[dict]:
    """Questions most often answered wrongly (credit below full), with how often.

    Read from question_totals, which triggers keep equal to counting the scored
    answers in the log (db.py, schema version 4), so this does not scan the log.
    """
    return store._rows(
        "SELECT lesson_id, question_id, answers, wrong, credit / answers AS average FROM question_totals "
        "WHERE wrong > 0 ORDER BY wrong DESC, average ASC LIMIT ?",
        [limit],
    )


def stats_csv(stats: list[DayStats]) -> str:
    """The daily table as CSV (numbers as numbers), UTF-8 with BOM for spreadsheet apps."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["day", "visitors", "visits", "lessons_started", "lessons_completed", "average_score"])
    for s in stats:
        score = "" if s.average_score is None else round(s.average_score, 4)
        writer.writerow([s.day, s.visitors, s.visits, s.lessons_started, s.lessons_completed, score])
    return "\ufeff" + buf.getvalue()


def erase_all_learners(store: ProgressStore) -> int:
    """Erase every learner and guest, their answers and progress, and every backup.

    Visits stay as anonymous counts. Returns how many learners were erased.
    """
    from app.progress.backup import list_backups
    from app.progress.db import compact

    count = store._rows("SELECT count(*) AS n FROM learners")[0]["n"]
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        store.conn.execute("UPDATE visits SET learner_id = NULL")
        # The totals first: the answers log's delete triggers then have nothing to rebuild.
        for table in ("attempt_totals", "lesson_answer_time", "question_totals",
                      "answers", "lesson_progress", "learners"):  # fmt: skip
            store.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        store.conn.execute("DELETE FROM settings WHERE key = 'last_learner_id'")
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    compact(store.conn)
    for backup in list_backups(store.path):
        backup.path.unlink(missing_ok=True)
    return count
