"""Schema versions: every released version's database upgrades; newer and damaged files are handled."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from app.progress import db as dbmod
from app.progress.db import SCHEMA_VERSION, DatabaseTooNew
from app.progress.store import ProgressStore
from tests.conftest import FIXTURES

FIXTURE_DBS = FIXTURES / "db"


def copy_fixture(version: int, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURE_DBS / f"v{version}.db", target)
    return target


def test_a_fixture_exists_for_every_released_version():
    for version in range(1, SCHEMA_VERSION + 1):
        assert (FIXTURE_DBS / f"v{version}.db").is_file(), f"add tests/fixtures/db/v{version}.db"


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_released_database_upgrades_with_every_row(tmp_path, version):
    path = copy_fixture(version, tmp_path / "progress.db")
    store = ProgressStore(path)
    conn = store.conn
    assert store.moved_aside is None
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    assert {l.nickname for l in store.learners(include_guests=True)} == {"Ana", "小梅", "Guest 1"}
    ana = store.find_learner("Ana")
    assert ana.region == "GB" and not ana.is_guest
    answers = store.answers(ana.id)
    assert len(answers) == 6
    assert answers[4]["response"] == "110.25" and answers[4]["credit"] == 1.0
    red_flags = store.progress(ana.id)["red-flags"]
    assert red_flags.passed and red_flags.best_score == 1.0 and red_flags.attempts == 2
    assert red_flags.position == {"screen": "quiz", "index": 3}
    mei = store.find_learner("小梅")
    assert store.answers(mei.id, "your-rights")[0]["response"] == '"我可以要求查看他们保存的关于我的数据"'
    assert store.setting("last_learner_id") == str(mei.id)

    # The upgraded file takes new answers like a new one.
    new_id = store.record_answer(ana.id, "red-flags", 3, "guaranteed-return", "0", 1.0)
    assert store.answers(ana.id)[-1]["id"] == new_id
    store.close()


REPORT_TOTALS = ("attempt_totals", "lesson_answer_time", "question_totals")  # version 4


@pytest.mark.parametrize("version", range(1, 4))
def test_upgrade_builds_the_report_totals_the_triggers_keep(tmp_path, version):
    """An upgraded kiosk shows the same figures: the totals built from its log equal the ones
    version 4's triggers kept while the same answers went in (v4.db), and stay so with new answers."""
    upgraded = ProgressStore(copy_fixture(version, tmp_path / "old" / "progress.db"))
    kept = ProgressStore(copy_fixture(4, tmp_path / "new" / "progress.db"))
    for table in REPORT_TOTALS:
        query = f"SELECT * FROM {table} ORDER BY 1, 2, 3"  # noqa: S608 - fixed names
        assert upgraded.conn.execute(query).fetchall() == kept.conn.execute(query).fetchall(), table
    assert upgraded.conn.execute("SELECT count(*) FROM question_totals").fetchone()[0] == 5
    for store in (upgraded, kept):
        store.record_answer(1, "red-flags", 2, "guaranteed-return", "1", 0.0, seconds=3.0)
    for table in REPORT_TOTALS:
        query = f"SELECT * FROM {table} ORDER BY 1, 2, 3"  # noqa: S608 - fixed names
        assert upgraded.conn.execute(query).fetchall() == kept.conn.execute(query).fetchall(), table
    assert kept.conn.execute("SELECT questions, credit FROM attempt_totals WHERE learner_id = 1 AND attempt = 2 "
                             "AND lesson_id = 'red-flags'").fetchone() == ("pressure-tactics\x1fguaranteed-return", 1.0)
    upgraded.close()
    kept.close()


def test_next_version_upgrades_released_file(tmp_path, monkeypatch):
    """The migration machinery itself: a further step runs once, in order, keeping every row."""
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, "ALTER TABLE learners ADD COLUMN text_size INTEGER;"])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    path = copy_fixture(SCHEMA_VERSION, tmp_path / "progress.db")
    store = ProgressStore(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert store.conn.execute("SELECT count(*) FROM learners WHERE text_size IS NULL").fetchone()[0] == 3
    store.close()
    ProgressStore(path).close()  # opening again does not run the step twice


def test_failed_migration_step_leaves_the_previous_version(tmp_path, monkeypatch):
    broken = "ALTER TABLE learners ADD COLUMN ok INTEGER; ALTER TABLE no_such_table ADD COLUMN x;"
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, broken])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    path = copy_fixture(SCHEMA_VERSION, tmp_path / "progress.db")
    with pytest.raises(sqlite3.OperationalError):
        ProgressStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {r[1] for r in conn.execute("PRAGMA table_info(learners)")}
    assert "ok" not in columns  # the half-done step was rolled back
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 9
    conn.close()


def test_database_from_newer_lantern_is_refused_and_untouched(tmp_path):
    path = copy_fixture(1, tmp_path / "progress.db")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of Lantern.*has not been changed"):
        ProgressStore(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]  # nothing moved, nothing left behind


def test_file_that_is_not_a_database_is_moved_aside(tmp_path):
    path = tmp_path / "progress.db"
    junk = b"These are my notes, not a database.\n" * 200
    path.write_bytes(junk)
    store = ProgressStore(path)
    moved = store.moved_aside
    assert moved is not None and moved.read_bytes() == junk
    assert re.fullmatch(r"progress\.db\.unreadable-\d{8}T\d{6}Z", moved.name)
    assert store.learners(include_guests=True) == []
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def test_database_damaged_past_its_header_is_moved_aside(tmp_path):
    path = copy_fixture(1, tmp_path / "progress.db")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page : 3 * page] = b"\xa5" * (2 * page)  # page 1 (header, schema) intact; tables garbled
    path.write_bytes(bytes(data))
    store = ProgressStore(path)
    assert store.moved_aside is not None and store.moved_aside.read_bytes() == bytes(data)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_learner_is_told_in_plain_words_when_the_file_was_set_aside(qtbot, make_window, private_data_dir):
    from app.ui.application import startup_notices

    private_data_dir.mkdir(parents=True, exist_ok=True)
    (private_data_dir / "progress.db").write_bytes(b"\x00garbage" * 500)
    window = make_window()
    [notice] = startup_notices(window)
    qtbot.waitUntil(notice.isVisible)
    moved = window.session.store.moved_aside
    assert moved.exists()
    assert "could not read the file" in notice.text() and moved.name in notice.text()
    assert "Traceback" not in notice.text()
    notice.accept()
