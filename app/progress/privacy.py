"""A learner's own data: what is kept, export it, erase it.

``KINDS`` is the one list of every kind of data Lantern keeps; the "What
Lantern stores about you" screen and docs/data.md say the same.

Export gives everything about one learner as JSON (for programs) and a plain
text summary (for people). The PIN is never exported: only its hash is
stored, and a short PIN's hash is as good as the PIN itself.

Erase deletes every row about the learner in every table, then makes sure
the bytes are gone too: ``secure_delete`` zeroes deleted content, a
checkpoint empties the WAL and VACUUM rewrites the file. Backups hold copies
of the same rows, so the learner's rows are purged from every backup the same
way (other learners' rows stay restorable). A damaged file that was moved
aside cannot be cleaned row by row; one that contains the nickname is deleted.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app import i18n
from app.i18n import N_, _
from app.progress.backup import list_backups
from app.progress.db import SCHEMA_VERSION, compact, utc_now
from app.progress.store import PREFERENCE_PREFIX, ProgressStore, learner_preference_prefix

EXPORT_FORMAT = "lantern-learner-export"
EXPORT_VERSION = 1
# Settings whose value is a learner id: erased with that learner.
LEARNER_SETTINGS = ("last_learner_id",)
# A learner's display and read-aloud preferences (store.learner_preference_prefix) are exported
# and erased with them.

_LEARNER_SETTING_ROWS = "(key IN ({marks}) AND value = ?) OR substr(key, 1, length(?)) = ?"


def _learner_setting_params(learner_id: int) -> list:
    prefix = learner_preference_prefix(learner_id)
    return [*LEARNER_SETTINGS, str(learner_id), prefix, prefix]

log = logging.getLogger("lantern.privacy")


@dataclass(frozen=True)
class Kind:
    """One kind of data: what it is, where it is kept, for how long (translatable)."""

    what: str
    where: str
    how_long: str


KINDS = [
    Kind(N_("Your nickname, language, region and whether you are a guest"),
         N_("The progress database (progress.db) in Lantern's data folder"),
         N_("Until you erase your data")),
    Kind(N_("When you started and when you last used Lantern"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("A scrambled form (hash) of your PIN, if you set one; never the PIN itself"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("Every answer you give: the question, what you answered, the points, the time taken and when"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("Each lesson's status, scores, attempts, time spent and where you stopped reading"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("Totals for the reports, worked out from your answers: each quiz attempt's points, time answering"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("On a shared kiosk: your profile's colour and how many wrong PINs were tried lately"),
         N_("The progress database"), N_("Until you erase your data, or the kiosk's retention period ends")),
    Kind(N_("On a shared kiosk: when each visit started and ended, without your name once you erase your data"),
         N_("The progress database (visits)"), N_("Kept as anonymous counts for the centre's statistics")),
    Kind(N_("Which missed questions come back for review, and when"),
         N_("The progress database"), N_("Until you erase your data")),
    Kind(N_("Your text size, colour theme and read-aloud choices"),
         N_("The progress database (settings)"), N_("Until you change them or erase your data")),
    Kind(N_("Who used Lantern last, so it can greet you next time"),
         N_("The progress database (settings)"), N_("Until someone else signs in or you erase your data")),
    Kind(N_("Copies of all of the above, so nothing is lost if the computer fails"),
         N_("The backups folder beside the database"),
         N_("The newest seven copies are kept; erasing your data removes you from every copy")),
    Kind(N_("A log of what the app did (event names and numbers only: no nicknames, answers or PINs)"),
         N_("The logs folder beside the database"),
         N_("Old entries are overwritten once the log reaches about 2 MB")),
]  # fmt: skip


# ---------------------------------------------------------------- export


def _learner_tables(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, what deleting a learner does to its rows) for every table with a learner_id.

    "SET NULL" means the schema keeps the row as an anonymous count (a kiosk
    visit); anything else means the row is about the learner and goes.
    """
    found = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        if "learner_id" not in {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}:
            continue
        on_delete = next((r[6] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
                          if r[2] == "learners" and r[3] == "learner_id"), "CASCADE")  # fmt: skip
        found.append((table, on_delete.upper()))
    return found


def _stored_order(conn: sqlite3.Connection, table: str) -> str:
    """ORDER BY text listing *table*'s rows as stored: rowid, or the key of a WITHOUT ROWID table."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    if not sql.upper().rstrip().endswith("WITHOUT ROWID"):
        return "rowid"
    key = sorted((r[5], r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5])
    return ", ".join(f'"{name}"' for _position, name in key)


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, tuple(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def export_learner(store: ProgressStore, learner_id: int) -> dict:
    """Everything Lantern holds about one learner, as JSON-ready data."""
    conn = store.conn
    found = _rows(conn, "SELECT * FROM learners WHERE id = ?", [learner_id])
    if not found:
        raise LookupError(f"no learner with id {learner_id}")
    learner = dict(found[0])
    learner["is_guest"] = bool(learner["is_guest"])
    learner["has_pin"] = learner.pop("pin_hash", None) is not None
    where = _LEARNER_SETTING_ROWS.format(marks=",".join("?" * len(LEARNER_SETTINGS)))
    settings = {
        r["key"]: r["value"]
        for r in _rows(conn, f"SELECT key, value FROM settings WHERE {where} ORDER BY key",
                       _learner_setting_params(learner_id))
    }  # fmt: skip
    answers = []
    for r in _rows(conn, "SELECT * FROM answers WHERE learner_id = ? ORDER BY id", [learner_id]):
        r.pop("learner_id")
        try:
            r["response"] = json.loads(r["response"])
        except (TypeError, ValueError):
            pass  # kept as the stored text
        answers.append(r)
    progress = []
    for r in _rows(conn, "SELECT * FROM lesson_progress WHERE learner_id = ? ORDER BY lesson_id", [learner_id]):
        r.pop("learner_id")
        r["passed"] = bool(r["passed"])
        r["position"] = json.loads(r["position"] or "{}")
        progress.append(r)
    # Any other table that records something per learner (kiosk visits, …), as stored.
    other = {
        table: [{k: v for k, v in r.items() if k != "learner_id"}
                for r in _rows(conn, f'SELECT * FROM "{table}" WHERE learner_id = ? '
                               f"ORDER BY {_stored_order(conn, table)}", [learner_id])]
        for table, _on_delete in _learner_tables(conn)
        if table not in ("answers", "lesson_progress")
    }  # fmt: skip
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": utc_now(),
        "learner": learner,
        "settings": settings,
        "answers": answers,
        "lesson_progress": progress,
        "other": {table: rows for table, rows in other.items() if rows},
    }


def _when(stamp: str | None) -> str:
    if not stamp:
        return "—"
    from datetime import datetime

    from babel.dates import format_datetime

    try:
        local = datetime.fromisoformat(stamp).astimezone()  # stored in UTC, shown in local time
    except ValueError:
        return stamp
    return format_datetime(local, format="medium", locale=i18n.babel_locale())


def _response_text(response) -> str:
    if isinstance(response, str):
        return response
    return json.dumps(response, ensure_ascii=False)


def summary_text(data: dict) -> str:
    """The export as plain text a person can read, in the current UI language."""
    learner = data["learner"]
    yes, no = _("yes"), _("no")
    lines = [
        _("Lantern: everything stored about %(name)s") % {"name": learner["nickname"]},
        _("Exported: %(when)s") % {"when": _when(data["exported_at"])},
        "",
        _("Nickname: %(name)s") % {"name": learner["nickname"]},
        _("Language: %(language)s") % {"language": learner["locale"]},
        _("Region: %(region)s") % {"region": learner["region"] or "—"},
        _("Guest: %(answer)s") % {"answer": yes if learner["is_guest"] else no},
        _("PIN set: %(answer)s (the PIN itself is never stored)") % {"answer": yes if learner["has_pin"] else no},
        _("First used: %(when)s") % {"when": _when(learner["created_at"])},
        _("Last used: %(when)s") % {"when": _when(learner["last_seen_at"])},
        "",
    ]
    progress = data["lesson_progress"]
    lines.append(i18n.ngettext("%(count)d lesson", "%(count)d lessons", len(progress)) % {"count": len(progress)})
    for p in progress:
        best = i18n.format_percent(p["best_score"]) if p["best_score"] is not None else "—"
        lines.append(
            "- " + _("%(lesson)s: %(status)s, best score %(score)s, %(attempts)s, %(minutes)s")
            % {"lesson": p["lesson_id"], "status": p["status"], "score": best,
               "attempts": i18n.ngettext("%(n)d quiz attempt", "%(n)d quiz attempts", p["attempts"])
               % {"n": p["attempts"]},
               "minutes": i18n.format_duration_minutes(p["seconds_spent"])}
        )  # fmt: skip
    lines.append("")
    answers = data["answers"]
    lines.append(i18n.ngettext("%(count)d answer", "%(count)d answers", len(answers)) % {"count": len(answers)})
    for a in answers:
        credit = i18n.format_percent(a["credit"]) if a["credit"] is not None else _("not scored")
        lines.append(
            "- " + _("%(when)s, %(lesson)s / %(question)s (attempt %(attempt)d): %(response)s → %(credit)s")
            % {"when": _when(a["answered_at"]), "lesson": a["lesson_id"], "question": a["question_id"],
               "attempt": a["attempt"], "response": _response_text(a["response"]), "credit": credit}
        )  # fmt: skip
    if any(key in LEARNER_SETTINGS for key in data["settings"]):
        lines += ["", _("Lantern also remembers that you were the last person to use it on this computer.")]
    preferences = {k: v for k, v in data["settings"].items() if k.startswith(PREFERENCE_PREFIX)}
    if preferences:
        named = ", ".join(f"{key.rsplit('.', 1)[1]} = {value}" for key, value in preferences.items())
        lines += ["", _("Your display and read-aloud preferences: %(preferences)s") % {"preferences": named}]
    return "\n".join(lines) + "\n"


def export_paths(path: Path) -> tuple[Path, Path]:
    """The JSON file and its readable summary (.txt beside it) for a chosen *path*."""
    json_path = path if path.suffix.lower() == ".json" else path.with_name(path.name.removesuffix(".txt") + ".json")
    return json_path, json_path.with_suffix(".txt")


def write_export(store: ProgressStore, learner_id: int, path: Path) -> tuple[Path, Path]:
    """Write the JSON export and its summary; returns both paths."""
    data = export_learner(store, learner_id)
    json_path, text_path = export_paths(path)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text_path.write_text(summary_text(data), encoding="utf-8")
    log.info("data.exported learner_id=%d answers=%d", learner_id, len(data["answers"]))
    return json_path, text_path


# ---------------------------------------------------------------- erase


@dataclass
class EraseReport:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows deleted from the database
    backups_purged: int = 0  # backups the learner's rows were removed from
    backups_deleted: int = 0  # backups that could not be cleaned and were deleted instead
    damaged_deleted: int = 0  # moved-aside damaged files that mentioned the learner


def _delete_learner_rows(conn: sqlite3.Connection, nickname: str, learner_id: int | None,
                         created_at: str | None) -> dict[str, int]:  # fmt: skip
    """Delete one learner's rows in every table, in one transaction.

    In a backup the same person is found by nickname (unique at any time), or
    by id and creation time (ids can be reused after an erase).
    """
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    learner_tables = _learner_tables(conn)
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM learners WHERE nickname = ? OR (id = ? AND created_at = ?)",
        [nickname, learner_id, created_at])]  # fmt: skip
    counts: dict[str, int] = {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        for lid in ids:
            for table, on_delete in learner_tables:
                if on_delete == "SET NULL":
                    sql = f'UPDATE "{table}" SET learner_id = NULL WHERE learner_id = ?'
                    key = f"{table} (kept without a name)"
                else:
                    sql, key = f'DELETE FROM "{table}" WHERE learner_id = ?', table
                cur = conn.execute(sql, [lid])
                if cur.rowcount:
                    counts[key] = counts.get(key, 0) + cur.rowcount
            if "settings" in tables:
                where = _LEARNER_SETTING_ROWS.format(marks=",".join("?" * len(LEARNER_SETTINGS)))
                cur = conn.execute(f"DELETE FROM settings WHERE {where}", _learner_setting_params(lid))
                if cur.rowcount:
                    counts["settings"] = counts.get("settings", 0) + cur.rowcount
            conn.execute("DELETE FROM learners WHERE id = ?", [lid])
            counts["learners"] = counts.get("learners", 0) + 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counts


def _purge_backup(path: Path, nickname: str, learner_id: int, created_at: str) -> bool:
    """Remove the learner from one backup file; False when nothing was there."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        counts = _delete_learner_rows(conn, nickname, learner_id, created_at)
        if not any(counts.values()):
            return False
        conn.execute("VACUUM")
        return True
    finally:
        conn.close()


def erase_learner(store: ProgressStore, learner_id: int) -> EraseReport:
    """Remove every trace of one learner from the database, its WAL and every backup."""
    found = _rows(store.conn, "SELECT nickname, created_at FROM learners WHERE id = ?", [learner_id])
    if not found:
        raise LookupError(f"no learner with id {learner_id}")
    nickname, created_at = found[0]["nickname"], found[0]["created_at"]
    report = EraseReport(rows=_delete_learner_rows(store.conn, nickname, learner_id, created_at))
    compact(store.conn)
    for backup in list_backups(store.path):
        try:
            if _purge_backup(backup.path, nickname, learner_id, created_at):
                report.backups_purged += 1
        except sqlite3.DatabaseError:
            # A backup we cannot clean must not keep the learner's data.
            backup.path.unlink(missing_ok=True)
            report.backups_deleted += 1
    needle = nickname.encode("utf-8")
    for damaged in store.path.parent.glob(store.path.name + ".unreadable-*"):
        if needle in damaged.read_bytes():
            damaged.unlink()
            report.damaged_deleted += 1
    log.info("data.erased learner_id=%d backups_purged=%d backups_deleted=%d damaged_deleted=%d",
             learner_id, report.backups_purged, report.backups_deleted, report.damaged_deleted)  # fmt: skip
    return report
