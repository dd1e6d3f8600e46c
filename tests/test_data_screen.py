"""The "Your data" screen: what is stored, export through the file seam, erase with confirmation."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from app.progress import privacy
from app.ui.application import after_open
from app.ui.screens.data import ChooseExportFile
from app.ui.widgets import Ask
from tests.test_app_flow import answer, click, create_learner, open_lesson

NICKNAME = "Quillon"


@pytest.fixture(autouse=True)
def no_file_dialog():
    yield
    ChooseExportFile.answer = None


def learner_with_answers(qtbot, make_window):
    """A learner who answered the whole quiz through the real widgets, and a start-up backup."""
    window = make_window()
    create_learner(qtbot, window, NICKNAME)
    open_lesson(qtbot, window)
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    while quiz.pages.currentIndex() == 0:
        answer(qtbot, quiz, right=True)
    after_open(window.session)  # what every start does: the rolling backup
    return window


def open_data_screen(qtbot, window):
    [action] = [a for a in window.more_menu.actions() if a.objectName() == "menu-data"]
    assert action.text() == "Your data"
    action.trigger()
    screen = window.current
    assert screen.name == "data"
    return screen


def test_screen_lists_every_kind_of_data_and_the_learners_own(qtbot, make_window):
    window = learner_with_answers(qtbot, make_window)
    screen = open_data_screen(qtbot, window)
    kinds = screen.findChildren(QLabel, "data-kind")
    assert len(kinds) == len(privacy.KINDS)
    texts = [k.text() for k in kinds]
    assert all("Where:" in t and "How long:" in t for t in texts)
    assert any("Every answer you give" in t for t in texts)
    assert any("backups folder" in t for t in texts) and any("logs folder" in t for t in texts)
    assert str(window.session.store.path.parent) in screen.folder.text()
    assert f"Stored for {NICKNAME} right now: 8 answers and 1 lesson." in screen.yours.text()
    assert "1 backup copy" in screen.yours.text()
    for b in screen.findChildren(QAbstractButton):
        if b.isVisible():
            assert b.accessibleName(), b.objectName()


def test_export_from_the_screen_writes_json_and_summary(qtbot, make_window, tmp_path):
    window = learner_with_answers(qtbot, make_window)
    screen = open_data_screen(qtbot, window)
    ChooseExportFile.answer = tmp_path / "exports" / "mine.json"
    click(qtbot, screen.export_button)
    data = json.loads((tmp_path / "exports" / "mine.json").read_text(encoding="utf-8"))
    assert data["learner"]["nickname"] == NICKNAME
    assert [a["question_id"] for a in data["answers"]][:2] == ["single", "multi"]
    summary = (tmp_path / "exports" / "mine.txt").read_text(encoding="utf-8")
    assert f"Nickname: {NICKNAME}" in summary and "8 answers" in summary
    assert screen.export_result.isVisible() and "mine.txt" in screen.export_result.text()


def test_erase_asks_first_and_does_nothing_when_declined(qtbot, make_window):
    window = learner_with_answers(qtbot, make_window)
    screen = open_data_screen(qtbot, window)
    Ask.answer = False
    click(qtbot, screen.erase_button)
    assert window.session.store.find_learner(NICKNAME) is not None
    assert window.session.learner is not None and not screen.erase_result.isVisible()


def test_erase_from_the_screen_leaves_no_trace_on_disk(qtbot, make_window, private_data_dir):
    window = learner_with_answers(qtbot, make_window)
    store = window.session.store
    typed = store.answers(window.session.learner.id)
    essay = next(a["response"] for a in typed if a["question_id"] == "essay")
    screen = open_data_screen(qtbot, window)
    Ask.answer = True
    click(qtbot, screen.erase_button)

    assert screen.erase_result.isVisible()
    assert "erased from this computer" in screen.erase_result.text()
    assert "1 backup copy" in screen.erase_result.text()
    assert window.session.learner is None and not window.learner_label.isVisible()
    conn = sqlite3.connect(store.path)
    for table in ("learners", "answers", "lesson_progress"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'last_learner_id'").fetchone()[0] == 0
    conn.close()
    needles = [NICKNAME.encode(), json.loads(essay).encode()]
    scanned = [p for p in private_data_dir.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert {"progress.db", "progress.db-wal"} <= {p.name for p in scanned}
    assert any(p.parent.name == "backups" for p in scanned)
    for path in scanned:
        data = path.read_bytes()
        assert not [n for n in needles if n in data], path

    click(qtbot, screen.restart_button)
    assert window.current.name == "welcome"
    assert window.current.learners_label.isHidden()  # nobody left to continue as


def test_screen_switches_language_without_restart(qtbot, make_window):
    window = learner_with_answers(qtbot, make_window)
    screen = open_data_screen(qtbot, window)
    window.change_language("zh-Hans")
    assert screen.heading.text()  # retranslated, not emptied
    window.change_language("en")
    assert screen.heading.text() == "Your data"
    assert screen.erase_button.accessibleName() == "Erase my data"
