"""Kiosk mode: lock-down, idle reset with no trace, guests, profiles, PINs, admin."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from app.kiosk import KioskConfig, KioskConfigError, load_config
from app.progress import kiosk_data, pins
from app.ui.kiosk import PinPad
from tests.conftest import FIXTURE_LESSONS, PROJECT


@pytest.fixture
def kiosk_window(qtbot, qapp, private_data_dir):
    """A kiosk main window over the fixture lessons, with millisecond timers."""
    from app.ui.main_window import MainWindow
    from app.ui.session import Session

    windows = []

    def make(**overrides):
        config = KioskConfig(**overrides).validate()
        session = Session.open(lessons_dir=FIXTURE_LESSONS, database=private_data_dir / "progress.db",
                               locale=config.default_language)  # fmt: skip
        session.sign_out()
        window = MainWindow(session, config)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Injected short timers: the idle wait and the countdown run in milliseconds.
        window.kiosk.idle_timer.setInterval(30)
        window.kiosk.tick_timer.setInterval(5)
        windows.append(window)
        return window

    yield make
    PinPad.scripted = None
    for window in windows:
        window.kiosk.locked = False
        window.close()
        window.session.store.close()


def start_as_guest(qtbot, window):
    button = window.current.guest_button
    qtbot.mouseClick(button, Qt.LeftButton)
    assert window.session.learner is not None and window.session.learner.is_guest
    return window.session.learner


def visible_texts(window) -> str:
    """Every piece of text any widget of the window could show."""
    QApplication.processEvents()
    parts = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            parts.append(widget.text())
        elif isinstance(widget, QTextBrowser):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
        parts.append(widget.accessibleName())
    return "\n".join(parts)


# ---------------------------------------------------------------- lock-down


def test_close_events_ignored_in_kiosk_and_honoured_outside(kiosk_window, make_window):
    kiosk = kiosk_window()
    kiosk.close()
    assert kiosk.isVisible()
    normal = make_window()
    normal.close()
    assert not normal.isVisible()


@pytest.mark.parametrize("keys", ["Alt+F4", "Ctrl+Q", "Ctrl+W"])
def test_close_and_quit_keys_are_swallowed_only_in_kiosk(qtbot, kiosk_window, make_window, keys):
    for window, expect_fired in ((kiosk_window(), False), (make_window(), True)):
        fired = []
        QShortcut(QKeySequence(keys), window, activated=lambda: fired.append(True))
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        seq = QKeySequence(keys)[0]
        qtbot.keyClick(window, seq.key(), seq.keyboardModifiers())
        assert bool(fired) is expect_fired, (keys, expect_fired)
        assert window.isVisible()
        window.kiosk and setattr(window.kiosk, "locked", False)


# ---------------------------------------------------------------- idle reset


def test_idle_countdown_resets_to_welcome_without_a_trace(qtbot, kiosk_window, private_data_dir):
    window = kiosk_window(default_language="en")
    window.change_language("zh-Hans")  # the visitor switches language
    guest = start_as_guest(qtbot, window)
    window.go("lesson", lesson_id="every-type")
    window.current.browser.verticalScrollBar().setValue(40)
    window.go("quiz", lesson_id="every-type")
    quiz = window.current
    quiz.answer_widget.findChild(QWidget, "choice-0").mouseReleaseEvent  # the first question is single choice
    qtbot.mouseClick(quiz.answer_widget.findChild(QWidget, "choice-0"), Qt.LeftButton)
    qtbot.mouseClick(quiz.check_button, Qt.LeftButton)
    qtbot.mouseClick(quiz.next_button, Qt.LeftButton)
    # Half an answer: boxes ticked but never checked.
    qtbot.mouseClick(quiz.answer_widget.findChild(QWidget, "choice-0"), Qt.LeftButton)

    with qtbot.waitSignal(window.kiosk.visit_ended, timeout=5000) as ended:
        pass  # the idle timer fires, the countdown runs out
    assert ended.args == ["idle"]
    assert window.current.name == "welcome"
    assert window.session.learner is None
    assert window.session.locale == "en"  # the kiosk's default language again
    assert window.home_button.text() == "Home"
    text = visible_texts(window)
    for trace in (guest.nickname, "Every question type", "Which are red flags", "每种题型", "Correct"):
        assert trace not in text
    assert set(window.screens) == {"welcome"}  # every other screen was destroyed, state and all
    store = window.session.store
    answers = store.conn.execute("SELECT question_id FROM answers").fetchall()
    assert answers == [("single",)]  # the checked answer kept, the half answer never written
    visit = store.conn.execute("SELECT end_reason, ended_at IS NOT NULL FROM visits").fetchall()
    assert visit == [("idle", 1)]


def test_still_here_keeps_the_visit(qtbot, kiosk_window):
    window = kiosk_window()
    window.kiosk.tick_timer.setInterval(10_000)  # the countdown waits for us
    start_as_guest(qtbot, window)
    qtbot.waitUntil(lambda: window.kiosk.still_there is not None, timeout=3000)
    qtbot.mouseClick(window.kiosk.still_there.stay, Qt.LeftButton)
    assert window.kiosk.still_there is None
    assert window.session.learner is not None and window.current.name == "home"


def test_finish_button_ends_the_visit(qtbot, kiosk_window):
    window = kiosk_window()
    window.kiosk.idle_timer.setInterval(60_000)
    start_as_guest(qtbot, window)
    assert window.sign_out_button.text() == "Finish"
    qtbot.mouseClick(window.sign_out_button, Qt.LeftButton)
    assert window.current.name == "welcome" and window.session.learner is None


# ---------------------------------------------------------------- guest data


@pytest.mark.parametrize("policy", ["anonymous", "erase"])
def test_guest_data_policy(qtbot, kiosk_window, policy):
    window = kiosk_window(guest_data=policy)
    window.kiosk.idle_timer.setInterval(60_000)
    guest = start_as_guest(qtbot, window)
    store = window.session.store
    store.record_answer(guest.id, "every-type", 1, "single", "0", 1.0)
    store.record_answer(guest.id, "every-type", 1, "essay", '"my name is Rosa Diaz"', None)
    window.kiosk.end_visit("finished")
    rows = store.conn.execute("SELECT response, credit FROM answers").fetchall()
    nicknames = [r[0] for r in store.conn.execute("SELECT nickname FROM learners")]
    if policy == "erase":
        assert rows == [] and nicknames == []
    else:
        assert sorted(rows, key=str) == sorted([("0", 1.0), ('""', None)], key=str)  # free text blanked
        assert nicknames == [f"anonymous-{guest.id}"]
    assert store.conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 1  # still counted


def test_profiles_expire_after_retention(private_data_dir):
    from app.progress.store import ProgressStore

    store = ProgressStore(private_data_dir / "p.db")
    old = kiosk_data.create_profile(store, "Old", "1234", "#1f77b4", "en", None)
    new = kiosk_data.create_profile(store, "New", "5678", "#d62728", "en", None)
    store.conn.execute("UPDATE learners SET last_seen_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", [old.id])
    store.record_answer(old.id, "x", 1, "q", "0", 1.0)
    assert kiosk_data.expire_profiles(store, 30) == 1
    assert [l.nickname for l in store.learners()] == ["New"]
    assert store.conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    assert kiosk_data.expire_profiles(store, None) == 0
    store.close()
    assert new.nickname == "New"


# ---------------------------------------------------------------- PINs


def test_profile_pin_on_number_pad_and_wrong_pin_throttling(qtbot, kiosk_window):
    window = kiosk_window()
    store = window.session.store
    profile = kiosk_data.create_profile(store, "Grace", "2468", "#2ca02c", "en", None)
    window.go("welcome", reset=True)
    tile = next(b for b in window.current.findChildren(QAbstractButton, "learner") if b.text() == "Grace")
    PinPad.scripted = ["1111", None]  # one wrong PIN, then Cancel
    qtbot.mouseClick(tile, Qt.LeftButton)
    assert window.session.learner is None
    PinPad.scripted = ["2468"]
    qtbot.mouseClick(tile, Qt.LeftButton)
    assert window.session.learner.id == profile.id and window.current.name == "home"


def test_wrong_pins_slow_down_exponentially(private_data_dir):
    from app.progress.store import ProgressStore

    store = ProgressStore(private_data_dir / "p.db")
    kiosk_data.set_admin_pin(store, "73915")
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    waits = []
    now = t0
    for _attempt in range(7):
        result = kiosk_data.check_admin_pin(store, "00000", now)
        assert not result.ok
        waits.append(round(result.wait_seconds))
        now += timedelta(seconds=result.wait_seconds)
    assert waits == [0, 0, 1, 2, 4, 8, 16]
    # While blocked, even the right PIN is not checked.
    blocked = kiosk_data.check_admin_pin(store, "73915", now - timedelta(seconds=1))
    assert not blocked.ok and blocked.wait_seconds > 0
    assert kiosk_data.check_admin_pin(store, "73915", now).ok
    store.close()


def test_pins_are_stored_only_as_scrypt_hashes(private_data_dir, tmp_path):
    from app.progress.store import ProgressStore

    store = ProgressStore(private_data_dir / "progress.db")
    kiosk_data.set_admin_pin(store, "73915")
    kiosk_data.create_profile(store, "Hui", "2468", "#9467bd", "en", None)
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nidle_seconds = 90\n', encoding="utf-8")
    store.close()
    for path in [config, *private_data_dir.glob("progress.db*"), *private_data_dir.rglob("*.log*")]:
        data = path.read_bytes()
        for pin in (b"73915", b"2468"):
            # Standing alone, not by chance inside a hexadecimal salt or hash.
            assert not re.search(rb"(?<![0-9a-f])" + pin + rb"(?![0-9a-f])", data), (path, pin)
    store = ProgressStore(private_data_dir / "progress.db")
    assert store.setting("kiosk.admin_pin_hash").startswith("scrypt$")
    store.close()


def test_set_pin_command_reads_standard_input(private_data_dir):
    result = subprocess.run([sys.executable, "-m", "app", "admin", "set-pin"], input="482916\n", text=True,
                            capture_output=True, cwd=PROJECT, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "482916" not in result.stdout + result.stderr
    bad = subprocess.run([sys.executable, "-m", "app", "admin", "set-pin"], input="12\n", text=True,
                         capture_output=True, cwd=PROJECT, timeout=60)  # fmt: skip
    assert bad.returncode == 2 and "4 to 8 digits" in bad.stderr
    from app.progress.store import ProgressStore

    store = ProgressStore(private_data_dir / "progress.db")
    assert pins.verify_pin("482916", store.setting("kiosk.admin_pin_hash"))
    store.close()


# ---------------------------------------------------------------- admin


def test_admin_shortcut_pin_settings_and_exit(qtbot, kiosk_window):
    window = kiosk_window()
    kiosk_data.set_admin_pin(window.session.store, "73915")
    window.go("admin")
    assert window.current.name == "welcome"  # never without the PIN
    PinPad.scripted = ["11111", "73915"]
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_A, Qt.ControlModifier | Qt.AltModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: window.current.name == "admin", timeout=3000)
    admin = window.current
    admin.idle.setValue(300)
    admin.guest_data.setCurrentIndex(admin.guest_data.findData("erase"))
    qtbot.mouseClick(admin.save_button, Qt.LeftButton)
    assert window.kiosk.config.idle_seconds == 300 and window.kiosk.idle_timer.interval() == 300_000
    assert window.session.store.setting("kiosk.guest_data") == "erase"
    with qtbot.waitSignal(QApplication.instance().aboutToQuit, timeout=1000, raising=False):
        qtbot.mouseClick(admin.exit_button, Qt.LeftButton)
    assert not window.isVisible()


def test_five_taps_on_the_mark_ask_for_the_pin(qtbot, kiosk_window):
    window = kiosk_window()
    kiosk_data.set_admin_pin(window.session.store, "1234")
    PinPad.scripted = [None]
    for _ in range(4):
        qtbot.mouseClick(window.mark, Qt.LeftButton)
    assert PinPad.scripted == [None]  # four taps: nothing yet
    qtbot.mouseClick(window.mark, Qt.LeftButton)
    assert PinPad.scripted == []  # the fifth asked for the PIN (and was cancelled)


def test_admin_statistics_and_csv(qtbot, kiosk_window, tmp_path):
    window = kiosk_window()
    window.kiosk.idle_timer.setInterval(60_000)
    guest = start_as_guest(qtbot, window)
    store = window.session.store
    store.record_answer(guest.id, "every-type", 1, "single", "1", 0.0)
    store.record_answer(guest.id, "every-type", 1, "multi", "[0]", 0.5)
    window.kiosk.end_visit("finished")
    window.session.is_admin = True
    admin = window.go("admin")
    assert admin.stats.rowCount() == 1 and admin.stats.item(0, 2).text() == "1"
    assert admin.missed.item(0, 1).text() in ("single", "multi")
    admin.export_path = tmp_path / "stats.csv"
    qtbot.mouseClick(admin.export_button, Qt.LeftButton)
    data = admin.export_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for spreadsheet apps
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "day,visitors,visits,lessons_started,lessons_completed,average_score"
    assert lines[1].split(",")[1:3] == ["1", "1"]


def test_kiosk_config_file(tmp_path):
    path = tmp_path / "centre.toml"
    path.write_text('[kiosk]\nlanguages = ["en", "zh-Hans"]\ndefault_language = "zh-Hans"\n'
                    'default_region = "HK"\nidle_seconds = 90\nguest_data = "erase"\n', encoding="utf-8")  # fmt: skip
    config = load_config(path)
    assert config.offered_languages() == ["en", "zh-Hans"] and config.idle_seconds == 90
    path.write_text("[kiosk]\nidle_secs = 90\n", encoding="utf-8")
    with pytest.raises(KioskConfigError, match="unknown setting"):
        load_config(path)
    result = subprocess.run([sys.executable, "-m", "app", "kiosk", "--config", str(path)], capture_output=True,
                            text=True, cwd=PROJECT, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "idle_secs" in result.stderr


def test_admin_restores_a_backup(qtbot, kiosk_window):
    from app.progress.backup import make_backup
    from app.ui.widgets import Ask

    window = kiosk_window()
    store = window.session.store
    kept = store.create_learner("Kept", "en")
    make_backup(store.conn, store.path)
    store.create_learner("Added later", "en")
    window.session.is_admin = True
    admin = window.go("admin")
    assert admin.backups.count() == 1
    Ask.answer = True
    qtbot.mouseClick(admin.restore_button, Qt.LeftButton)
    names = [l.nickname for l in window.session.store.learners()]
    assert names == [kept.nickname]
    assert admin.backups.count() == 2  # the safety copy of what was there before
