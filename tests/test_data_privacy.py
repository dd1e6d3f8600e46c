"""Export and erase: everything about a learner out; every trace of a learner gone, bytes included."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from app.cli import main
from app.progress import privacy
from app.progress.backup import list_backups, make_backup
from app.progress.store import ProgressStore

NICKNAME = "Zephyrine 小梅"
SECRET_ANSWER = "Marmalade-7731 answer"  # stored as JSON, so ASCII keeps its bytes findable
OTHER = "Keeper"
OTHER_ANSWER = "Untouched-4242"


def fill(path) -> tuple[ProgressStore, int, int]:
    """A database with the learner to erase and one who stays."""
    store = ProgressStore(path)
    me = store.create_learner(NICKNAME, "zh-Hans", region="CN")
    other = store.create_learner(OTHER, "en", region="GB")
    for n in range(5):
        store.record_answer(me.id, "red-flags", 1, f"q{n}", json.dumps(f"{SECRET_ANSWER} {n}"), 0.5, 7)
        store.record_answer(other.id, "red-flags", 1, f"q{n}", json.dumps(f"{OTHER_ANSWER} {n}"), 1.0, 4)
    store.record_answer(me.id, "money-basics", 1, "match", json.dumps({"APR": "yearly"}), 1.0, 3)
    store.finish_attempt(me.id, "red-flags", 1, [f"q{n}" for n in range(5)], 0.7)
    store.save_position(me.id, "money-basics", {"screen": "lesson", "scroll": 0.5}, 120)
    store.save_position(other.id, "red-flags", {"screen": "lesson"}, 60)
    store.set_setting("last_learner_id", str(me.id))
    store.set_setting("ui_locale", "zh-Hans")
    return store, me.id, other.id


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def mentions(path, *needles: str) -> list[str]:
    data = path.read_bytes()
    return [n for n in needles if n.encode("utf-8") in data]


# ---------------------------------------------------------------- export


def test_export_holds_everything_about_the_learner_and_nothing_else(tmp_path):
    store, me, _other = fill(tmp_path / "progress.db")
    data = privacy.export_learner(store, me)
    assert data["format"] == "lantern-learner-export" and data["format_version"] == 1
    learner = data["learner"]
    assert learner["nickname"] == NICKNAME and learner["locale"] == "zh-Hans" and learner["region"] == "CN"
    assert learner["has_pin"] is False and "pin_hash" not in learner
    assert data["settings"] == {"last_learner_id": str(me)}  # ui_locale is not about them
    assert len(data["answers"]) == 6
    assert data["answers"][0]["response"] == f"{SECRET_ANSWER} 0"  # decoded, not JSON-in-JSON
    assert data["answers"][-1]["response"] == {"APR": "yearly"}
    assert {a["question_id"] for a in data["answers"]} == {"q0", "q1", "q2", "q3", "q4", "match"}
    progress = {p["lesson_id"]: p for p in data["lesson_progress"]}
    assert progress["red-flags"]["status"] == "completed" and progress["red-flags"]["passed"] is False
    assert progress["money-basics"]["position"] == {"screen": "lesson", "scroll": 0.5}
    dumped = json.dumps(data, ensure_ascii=False)
    assert OTHER not in dumped and OTHER_ANSWER not in dumped
    store.close()


def test_export_writes_json_and_a_readable_summary(tmp_path):
    store, me, _other = fill(tmp_path / "progress.db")
    json_path, text_path = privacy.write_export(store, me, tmp_path / "out" / "my-data")
    assert (json_path.name, text_path.name) == ("my-data.json", "my-data.txt")
    assert json.loads(json_path.read_text(encoding="utf-8"))["learner"]["nickname"] == NICKNAME
    summary = text_path.read_text(encoding="utf-8")
    assert f"Nickname: {NICKNAME}" in summary
    assert "6 answers" in summary and "2 lessons" in summary
    assert f"red-flags / q3 (attempt 1): {SECRET_ANSWER} 3 → 50%" in summary
    assert "{" not in summary.split("6 answers")[0]  # people read this part: no JSON
    store.close()


# ---------------------------------------------------------------- erase


def test_erase_removes_every_row_and_the_bytes_from_database_wal_and_backups(tmp_path):
    folder = tmp_path / "data"
    store, me, other = fill(folder / "progress.db")
    make_backup(store.conn, store.path)
    store.record_answer(me, "red-flags", 2, "q0", json.dumps(SECRET_ANSWER + " late"), 1.0)
    make_backup(store.conn, store.path)
    damaged = folder / "progress.db.unreadable-20260101T000000Z"
    damaged.write_bytes(b"\x00junk" + NICKNAME.encode() + b"junk")
    # The test means something only if the secrets were on disk in each kind of file.
    wal = folder / "progress.db-wal"
    assert mentions(wal, NICKNAME, SECRET_ANSWER) == [NICKNAME, SECRET_ANSWER]
    assert all(mentions(b.path, NICKNAME, SECRET_ANSWER) for b in list_backups(store.path))

    report = privacy.erase_learner(store, me)

    assert report.rows == {"answers": 7, "lesson_progress": 2, "settings": 1, "learners": 1}
    assert (report.backups_purged, report.backups_deleted, report.damaged_deleted) == (2, 0, 1)
    conn = store.conn
    for table in ("learners", "answers", "lesson_progress"):
        column = "id" if table == "learners" else "learner_id"
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [me]).fetchone()[0] == 0
    assert store.setting("last_learner_id") is None
    assert store.setting("ui_locale") == "zh-Hans"
    scanned = files_under(folder)
    assert {p.name for p in scanned} >= {"progress.db", "progress.db-wal"}
    assert len([p for p in scanned if p.parent.name == "backups"]) == 2
    for path in scanned:
        assert mentions(path, NICKNAME, SECRET_ANSWER) == [], path
    # Everyone else is still there, in the database and restorable from each backup.
    assert store.find_learner(OTHER) is not None and len(store.answers(other)) == 5
    for backup in list_backups(store.path):
        copy = sqlite3.connect(backup.path)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT nickname FROM learners").fetchall() == [(OTHER,)]
        assert copy.execute("SELECT count(*) FROM answers").fetchone()[0] == 5
        copy.close()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_erase_of_unknown_learner_changes_nothing(tmp_path):
    store, _me, _other = fill(tmp_path / "progress.db")
    with pytest.raises(LookupError):
        privacy.erase_learner(store, 999)
    assert len(store.learners()) == 2
    store.close()


# ---------------------------------------------------------------- command line


@pytest.fixture
def data_db(private_data_dir):
    store, me, other = fill(private_data_dir / "progress.db")
    make_backup(store.conn, store.path)
    store.close()
    return private_data_dir


def test_cli_export_prints_json(data_db, capsys):
    assert main(["data", "export", "--learner", NICKNAME]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["learner"]["nickname"] == NICKNAME and len(data["answers"]) == 6


def test_cli_export_to_file_writes_both(data_db, tmp_path, capsys):
    assert main(["data", "export", "--learner", OTHER, "-o", str(tmp_path / "keeper.json")]) == 0
    out = capsys.readouterr().out.split()
    assert out == [str(tmp_path / "keeper.json"), str(tmp_path / "keeper.txt")]
    assert "5 answers" in (tmp_path / "keeper.txt").read_text(encoding="utf-8")


def test_cli_unknown_learner_is_a_problem(data_db, capsys):
    assert main(["data", "export", "--learner", "Nobody"]) == 1
    assert "no learner with the nickname 'Nobody'" in capsys.readouterr().err
    assert main(["data", "delete", "--learner", "Nobody", "--yes"]) == 1


def test_cli_delete_needs_yes_when_not_interactive(data_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["data", "delete", "--learner", NICKNAME]) == 2
    assert "--yes" in capsys.readouterr().err
    conn = sqlite3.connect(data_db / "progress.db")
    assert conn.execute("SELECT count(*) FROM learners").fetchone()[0] == 2
    conn.close()


def test_cli_delete_erases_everywhere(data_db, capsys):
    assert main(["data", "delete", "--learner", NICKNAME, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "answers 6" in out and "removed from 1 backup(s)" in out
    assert NICKNAME not in capsys.readouterr().err
    for path in files_under(data_db):
        assert mentions(path, NICKNAME, SECRET_ANSWER) == [], path


def test_cli_delete_refuses_while_lantern_is_open(data_db, capsys):
    from app.ui.application import acquire_lock

    lock = acquire_lock(data_db)
    try:
        assert main(["data", "delete", "--learner", NICKNAME, "--yes"]) == 1
        assert "close it first" in capsys.readouterr().err
    finally:
        lock.unlock()
    conn = sqlite3.connect(data_db / "progress.db")
    assert conn.execute("SELECT count(*) FROM learners WHERE nickname = ?", [NICKNAME]).fetchone()[0] == 1
    conn.close()


def test_tables_added_later_are_exported_and_erased_by_their_declared_rule(tmp_path):
    """A table with a learner_id is about the learner: exported, and deleted on erase, unless
    the schema declares ON DELETE SET NULL (an anonymous count), which keeps the row without the link."""
    store, me, other = fill(tmp_path / "progress.db")
    store.conn.executescript(
        """
        CREATE TABLE diary (learner_id INTEGER REFERENCES learners(id) ON DELETE CASCADE, note TEXT);
        CREATE TABLE tallies (id INTEGER PRIMARY KEY,
                              learner_id INTEGER REFERENCES learners(id) ON DELETE SET NULL, day TEXT);
        """
    )
    store.conn.execute("INSERT INTO diary VALUES (?, ?)", [me, "Marmalade-7731 diary"])
    store.conn.execute("INSERT INTO tallies(learner_id, day) VALUES (?, '2026-03-01'), (?, '2026-03-02')", [me, other])
    data = privacy.export_learner(store, me)
    assert {table: data["other"][table] for table in ("diary", "tallies")} == \
        {"diary": [{"note": "Marmalade-7731 diary"}], "tallies": [{"id": 1, "day": "2026-03-01"}]}  # fmt: skip

    report = privacy.erase_learner(store, me)
    assert report.rows["diary"] == 1 and report.rows["tallies (kept without a name)"] == 1
    assert store.conn.execute("SELECT count(*) FROM diary").fetchone()[0] == 0
    assert store.conn.execute("SELECT learner_id FROM tallies ORDER BY id").fetchall() == [(None,), (other,)]
    assert b"Marmalade-7731" not in store.path.read_bytes()
    store.close()


def test_report_totals_are_exported_erased_and_shrink_with_the_learner(tmp_path):
    """The per-learner totals kept for reports go with the learner; the per-question ones lose their share."""
    store, me, other = fill(tmp_path / "progress.db")
    data = privacy.export_learner(store, me)
    assert set(data["other"]) >= {"attempt_totals", "lesson_answer_time"}
    assert [(t["lesson_id"], t["attempt"], t["credit"]) for t in data["other"]["attempt_totals"]] == \
        [("money-basics", 1, 1.0), ("red-flags", 1, 2.5)]  # fmt: skip
    assert [(t["lesson_id"], t["seconds"]) for t in data["other"]["lesson_answer_time"]] == \
        [("money-basics", 3.0), ("red-flags", 35.0)]  # fmt: skip
    question = "SELECT answers, wrong, credit FROM question_totals WHERE lesson_id = ? AND question_id = ?"
    assert store.conn.execute(question, ["red-flags", "q0"]).fetchone() == (2, 1, 1.5)

    privacy.erase_learner(store, me)
    for table in ("attempt_totals", "lesson_answer_time"):
        assert store.conn.execute(f"SELECT count(*) FROM {table} WHERE learner_id = ?", [me]).fetchone()[0] == 0  # noqa: S608
        assert store.conn.execute(f"SELECT count(*) FROM {table} WHERE learner_id = ?", [other]).fetchone()[0] == 1  # noqa: S608
    assert store.conn.execute(question, ["red-flags", "q0"]).fetchone() == (1, 0, 1.0)
    assert store.conn.execute(question, ["money-basics", "match"]).fetchone() is None
    store.close()


def test_no_module_can_open_a_network_connection():
    """Nothing leaves the machine: no module below app/ imports a networking library."""
    import ast

    from tests.conftest import PROJECT

    network = {"socket", "ssl", "http.client", "http.server", "urllib.request", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
               "xmlrpc", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}  # fmt: skip
    found = []
    for path in (PROJECT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if any(name == n or name.startswith(n + ".") for n in network):
                    found.append(f"{path.relative_to(PROJECT)}: {name}")
    assert found == []
