"""The log file holds event names and ids only; crashes show a calm dialog; a real start and stop."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app import logs
from app.progress import privacy
from app.ui import crash
from app.ui.application import after_open
from tests.test_app_flow import answer, click, create_learner, open_lesson

NICKNAME = "Zephyrine"
TYPED = "Marmalade-7731"


@pytest.fixture
def log_file(private_data_dir):
    path = logs.setup(private_data_dir)
    yield path
    logs.shutdown()
    logs.set_secret_source(lambda: ())


def test_nicknames_are_redacted_and_exception_messages_withheld(log_file):
    logs.set_secret_source(lambda: [NICKNAME])
    log = logging.getLogger("lantern.test")
    log.info("learner.created nickname=%s", NICKNAME)  # a careless call is still caught
    try:
        float(TYPED)  # the kind of error that quotes what the learner typed
    except ValueError:
        log.exception("grading.failed question_id=%s", "numerical")
    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table")
    except sqlite3.OperationalError:
        log.exception("db.failed")
    text = log_file.read_text(encoding="utf-8")
    assert "learner.created nickname=[redacted]" in text
    assert "grading.failed question_id=numerical" in text
    assert "builtins.ValueError\n" in text and "test_data_logs.py:" in text  # type and location kept
    assert "no such table: no_such_table" in text  # SQLite's own words describe the machine
    assert NICKNAME not in text and TYPED not in text


def test_the_log_file_opens_at_its_first_record_and_an_unwritable_one_stops_nothing(private_data_dir, monkeypatch):
    path = logs.setup(private_data_dir)
    try:
        assert not path.exists()  # nothing logged yet: nothing opened (start-up paints first)
        logging.getLogger("lantern.test").info("event.first")
        assert "event.first" in path.read_text(encoding="utf-8")
    finally:
        logs.shutdown()
    blocked = private_data_dir / "blocked"
    blocked.mkdir()
    (blocked / logs.DIR_NAME).mkdir()
    (blocked / logs.DIR_NAME / logs.FILE_NAME).mkdir()  # a folder where the file should be
    monkeypatch.setattr(logging, "raiseExceptions", False)  # as in an installed app: errors are not printed
    logs.setup(blocked)
    try:
        logging.getLogger("lantern.test").info("event.lost")  # must not raise into the caller
    finally:
        logs.shutdown()


def test_log_rotates_in_the_data_folder(private_data_dir, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup(private_data_dir)
    try:
        assert path.parent == private_data_dir / "logs"
        for n in range(200):
            logging.getLogger("lantern.test").info("event.number n=%d", n)
    finally:
        logs.shutdown()
    rotated = sorted(p.name for p in path.parent.iterdir())
    assert rotated == ["lantern.log", "lantern.log.1", "lantern.log.2", "lantern.log.3"]
    assert all(p.stat().st_size <= 2000 for p in path.parent.iterdir())


def test_a_learners_whole_session_leaves_no_nickname_or_answer_in_the_log(qtbot, make_window, log_file, tmp_path):
    window = make_window()
    after_open(window.session)
    create_learner(qtbot, window, NICKNAME)
    open_lesson(qtbot, window)
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    while quiz.pages.currentIndex() == 0:
        answer(qtbot, quiz, right=True)
    learner_id = window.session.learner.id
    privacy.write_export(window.session.store, learner_id, tmp_path / "export.json")
    reporter = crash.CrashReporter()
    try:
        raise ValueError(f"{NICKNAME} answered {TYPED}")
    except ValueError:
        reporter(*sys.exc_info())
    reporter.dialog.accept()
    privacy.erase_learner(window.session.store, learner_id)
    text = log_file.read_text(encoding="utf-8")
    assert "backup.made" in text and f"data.exported learner_id={learner_id}" in text
    assert f"data.erased learner_id={learner_id}" in text and "app.crash" in text
    for secret in (NICKNAME, TYPED, "I would check the licence"):  # the essay typed by answer()
        assert secret not in text


def test_crash_shows_calm_dialog_and_copies_clean_details(qtbot, log_file):
    logs.set_secret_source(lambda: [NICKNAME])
    reporter = crash.CrashReporter()
    try:
        raise KeyError(f"{NICKNAME}'s answer {TYPED}")
    except KeyError:
        reporter(*sys.exc_info())
    dialog = reporter.dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Something went wrong" in shown and "Your answers so far are saved" in shown
    assert "Traceback" not in shown and "KeyError" not in shown and TYPED not in shown
    copy = dialog.findChild(QPushButton, "copy-details")
    assert copy.accessibleName() == "Copy details"
    QApplication.clipboard().clear()
    qtbot.mouseClick(copy, qtbot_left())
    copied = QApplication.clipboard().text()
    assert copied.startswith("builtins.KeyError") and "test_data_logs.py:" in copied
    assert NICKNAME not in copied and TYPED not in copied
    assert "app.crash count=1" in log_file.read_text(encoding="utf-8")
    qtbot.mouseClick(dialog.findChild(QPushButton, "close-crash"), qtbot_left())
    assert not dialog.isVisible()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.LeftButton


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_reaches_the_crash_dialog(qtbot, log_file):
    """Through Qt itself: a button whose handler raises, clicked for real."""
    previous = sys.excepthook
    reporter = crash.install()
    try:
        broken = QPushButton("broken")
        qtbot.addWidget(broken)
        broken.clicked.connect(lambda: 1 / 0)
        broken.show()
        qtbot.mouseClick(broken, qtbot_left())
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        qtbot.addWidget(reporter.dialog)
        assert "builtins.ZeroDivisionError" in reporter.dialog.details
        # A second failure while the dialog is open adds to it instead of stacking dialogs.
        qtbot.mouseClick(broken, qtbot_left())
        qtbot.waitUntil(lambda: reporter.reported == 2)
        assert reporter.dialog.details.count("ZeroDivisionError") == 2
        reporter.dialog.accept()
    finally:
        sys.excepthook = previous


START_AND_QUIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.ui.application import acquire_lock, make_qapplication, run_app

app = make_qapplication()
data = Path(sys.argv[1])

def while_running():
    window = next((w for w in app.topLevelWidgets() if w.objectName() == "main-window"), None)
    if window is None or window.current is None:  # the lessons (and the backup) come after the first frame
        QTimer.singleShot(10, while_running)
        return
    print("second instance gets the lock:", acquire_lock(data) is not None)
    print("backups:", len(list((data / "backups").iterdir())))
    app.quit()

QTimer.singleShot(0, while_running)
code = run_app(locale="en")
print("hook restored:", sys.excepthook is sys.__excepthook__)
sys.exit(code)
"""


def test_a_real_start_locks_backs_up_logs_and_releases(private_data_dir, lessons_dir):
    """The whole start and stop, in its own process (a finished QApplication.exec() is not reusable)."""
    from app.ui.application import acquire_lock
    from tests.conftest import PROJECT

    result = subprocess.run([sys.executable, "-c", START_AND_QUIT, str(private_data_dir)], cwd=PROJECT,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "second instance gets the lock: False",
        "backups: 1",
        "hook restored: True",
    ]
    text = (private_data_dir / "logs" / "lantern.log").read_text(encoding="utf-8")
    assert "app.started" in text and "app.stopped code=0" in text
    again = acquire_lock(private_data_dir)
    assert again is not None  # released on exit
    again.unlock()
