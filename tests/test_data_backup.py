"""Rolling backups, restore, and one Lantern per data folder."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from app.cli import main
from app.progress import backup
from app.progress.db import SCHEMA_VERSION
from app.progress.store import ProgressStore
from app.ui.application import acquire_lock
from tests.conftest import PROJECT

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def answers_in(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def store(private_data_dir):
    s = ProgressStore(private_data_dir / "progress.db")
    learner = s.create_learner("Ana", "en")
    for n in range(3):
        s.record_answer(learner.id, "red-flags", 1, f"q{n}", "0", 1.0)
    yield s
    s.close()


def test_backup_is_a_complete_single_file_copy(store):
    made = backup.make_backup(store.conn, store.path)
    assert made.path.parent == store.path.parent / "backups"
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed beside it
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert answers_in(made.path) == 3  # the answers still in the WAL are in the copy


def test_start_up_backups_roll(store):
    first = backup.backup_if_due(store.conn, store.path, keep=3, now=T0)
    assert first is not None
    assert backup.backup_if_due(store.conn, store.path, keep=3, now=T0 + timedelta(hours=1)) is None
    made = [first]
    for day in range(1, 5):
        made.append(backup.backup_if_due(store.conn, store.path, keep=3, now=T0 + timedelta(days=day)))
    kept = backup.list_backups(store.path)
    assert [b.path for b in kept] == [b.path for b in reversed(made[-3:])]  # newest three, newest first
    assert not made[0].path.exists() and not made[1].path.exists()


def test_restore_brings_back_a_backup_and_keeps_what_it_replaced(store):
    saved = backup.make_backup(store.conn, store.path)
    learner = store.find_learner("Ana")
    store.record_answer(learner.id, "red-flags", 2, "q9", "1", 0.0)
    store.close()
    previous = backup.restore(saved.path, store.path)
    assert answers_in(store.path) == 3
    assert previous is not None and "before-restore" in previous.name and answers_in(previous) == 4
    reopened = ProgressStore(store.path)
    assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(reopened.answers(learner.id)) == 3
    reopened.close()


@pytest.mark.parametrize("problem", ["damaged", "newer", "not lantern"])
def test_restore_refuses_unusable_backups_and_changes_nothing(store, tmp_path, problem):
    bad = tmp_path / "bad.db"
    if problem == "damaged":
        bad.write_bytes(b"definitely not sqlite" * 100)
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE learners(id INTEGER)" if problem == "newer" else "CREATE TABLE other(x)")
        if problem == "newer":
            conn.execute("CREATE TABLE answers(id INTEGER)")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    store.close()
    before = backup.list_backups(store.path)
    with pytest.raises(backup.BackupError):
        backup.restore(bad, store.path)
    assert answers_in(store.path) == 3
    assert backup.list_backups(store.path) == before


def test_cli_lists_and_restores(store, capsys):
    older = backup.make_backup(store.conn, store.path, now=T0)
    backup.make_backup(store.conn, store.path, now=T0 + timedelta(days=1))
    store.record_answer(store.find_learner("Ana").id, "red-flags", 2, "q9", "1", 0.0)
    store.close()

    assert main(["data", "restore", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith(older.name) and "2026-03-01 08:00 UTC" in lines[1]
    assert main(["data", "restore", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["name"] for b in listed][1] == older.name

    assert main(["data", "restore", older.name]) == 0
    assert f"restored {older.name}" in capsys.readouterr().out
    assert answers_in(store.path) == 3

    assert main(["data", "restore", "progress-19990101T000000000000Z.db"]) == 2


def test_cli_restore_refuses_while_lantern_is_open(store, private_data_dir, capsys):
    made = backup.make_backup(store.conn, store.path)
    store.record_answer(store.find_learner("Ana").id, "red-flags", 2, "q9", "1", 0.0)
    lock = acquire_lock(private_data_dir)
    try:
        assert main(["data", "restore", made.name]) == 1
        assert "close it first" in capsys.readouterr().err
    finally:
        lock.unlock()
    assert len(store.answers(store.find_learner("Ana").id)) == 4


def test_cli_backup_now(store, capsys):
    store.close()
    assert main(["data", "backup"]) == 0
    made = capsys.readouterr().out.strip()
    assert answers_in(made) == 3


# ---------------------------------------------------------------- one instance


def test_lock_is_held_once_per_data_folder(private_data_dir, tmp_path):
    first = acquire_lock(private_data_dir)
    assert first is not None
    assert acquire_lock(private_data_dir) is None
    other = tmp_path / "elsewhere"
    other.mkdir()
    elsewhere = acquire_lock(other)
    assert elsewhere is not None  # another folder, another lock
    # Another process sees the lock too.
    probe = ("import sys; from pathlib import Path; from app.ui.application import acquire_lock; "
             "print('free' if acquire_lock(Path(sys.argv[1])) else 'taken')")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe, str(private_data_dir)], cwd=PROJECT,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert out.strip() == "taken"
    first.unlock()
    elsewhere.unlock()
    again = acquire_lock(private_data_dir)
    assert again is not None
    again.unlock()


def test_second_lantern_says_so_and_exits(qapp, private_data_dir, capsys):
    from app.ui.application import run_app

    lock = acquire_lock(private_data_dir)
    try:
        assert run_app() == 1
    finally:
        lock.unlock()
    err = capsys.readouterr().err
    assert "Lantern is already open in another window" in err
    assert not (private_data_dir / "progress.db").exists()  # it never touched the database


def test_lock_left_by_a_killed_lantern_is_taken_over(private_data_dir):
    holder = ("import sys, time; from pathlib import Path; from app.ui.application import acquire_lock; "
              "lock = acquire_lock(Path(sys.argv[1])); print('held', flush=True); time.sleep(600)")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", holder, str(private_data_dir)], cwd=PROJECT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "held"
        assert acquire_lock(private_data_dir) is None
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    assert (private_data_dir / "lantern.lock").exists()  # left behind by the killed process
    lock = acquire_lock(private_data_dir)
    assert lock is not None
    lock.unlock()
