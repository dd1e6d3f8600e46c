"""Text size: Ctrl +/−/0 and the Settings choice scale every screen, and at 200% nothing is clipped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QScrollArea

from app.ui.theme import BASE_POINT_SIZE
from tests.test_accessibility import visit_every_screen

SMALL_SCREEN = (1280, 720)


def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_ctrl_plus_minus_and_zero_change_the_text_size(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    home = window.go("home", reset=True)
    active(qtbot, window)
    normal = home.greeting.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
    assert window.appearance.text_size == 125
    qtbot.keyClick(window, Qt.Key_Equal, Qt.ControlModifier)  # the same key without Shift
    assert window.appearance.text_size == 150
    assert home.greeting.font().pointSizeF() == pytest.approx(normal * 1.5, abs=0.1)
    assert QApplication.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE * 1.5)
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
    assert window.appearance.text_size == 200  # the largest step, not beyond
    qtbot.keyClick(window, Qt.Key_Minus, Qt.ControlModifier)
    assert window.appearance.text_size == 175
    learner = window.session.learner
    assert window.session.store.setting(f"pref.{learner.id}.text_size") == "175"
    qtbot.keyClick(window, Qt.Key_0, Qt.ControlModifier)
    assert window.appearance.text_size == 100
    assert home.greeting.font().pointSizeF() == pytest.approx(normal, abs=0.1)


def test_text_size_from_settings_and_shortcuts_agree(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    settings = window.go("settings")
    settings.text_size.setFocus()
    qtbot.keyClick(settings.text_size, Qt.Key_Down)
    assert window.appearance.text_size == 125
    active(qtbot, window)
    qtbot.keyClick(window, Qt.Key_Plus, Qt.ControlModifier)
    assert settings.text_size.currentData() == 150  # the setting shows what the shortcut did


def test_the_welcome_screen_text_size_is_app_wide_and_a_learner_starts_from_it(make_window):
    window = make_window()
    window.go("welcome")
    window.appearance.set_text_size(150)
    assert window.session.store.setting("pref.text_size") == "150"
    window.session.create_learner("Ana")
    window.go("home", reset=True)
    assert window.appearance.text_size == 150
    window.appearance.set_text_size(200)  # now the learner's own
    window.sign_out()
    assert window.appearance.text_size == 150


def clipped(window) -> list[str]:
    """Visible text that does not fit its widget, and anything needing a sideways scroll."""
    for _ in range(3):  # rebuilt lists lay out over a few passes of nested layout requests
        QApplication.processEvents()
    problems = []
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QComboBox):
        if widget.isVisible() and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{type(widget).__name__}#{widget.objectName()} {widget.width()} < "
                            f"{widget.minimumSizeHint().width()}")  # fmt: skip
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height():
                problems.append(f"label#{label.objectName()} {label.text()[:40]!r} is cut off at the bottom")
        elif label.width() < label.minimumSizeHint().width():
            problems.append(f"label#{label.objectName()} {label.text()[:40]!r} is cut off at the side")
    for area in window.findChildren(QScrollArea):
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
            problems.append(f"{area.parentWidget().objectName()} scrolls sideways")
    if window.width() > SMALL_SCREEN[0]:
        problems.append(f"window needs {window.width()} pixels")
    return problems


@pytest.mark.parametrize("locale", ["en", "zh-Hans", "ar"])
def test_at_200_percent_no_screen_clips_text_on_a_small_screen(make_window, locale):
    window = make_window(locale=locale)
    window.resize(*SMALL_SCREEN)
    learner = window.session.create_learner("Ana")
    window.session.store.save_position(learner.id, "every-type", {"screen": "lesson", "scroll": 0.0})  # "Continue"
    window.go("home", reset=True)
    window.appearance.set_text_size(200)
    window.sign_out()
    window.session.store.set_setting("pref.text_size", "200")  # the welcome screen too
    window.appearance.load()
    problems = {}
    for name in visit_every_screen(window):
        found = clipped(window)
        if found:
            problems[name] = found
    assert window.appearance.text_size == 200
    assert window.nav_rows.direction().name == "TopToBottom"  # the navigation bar took two rows
    assert problems == {}


def test_at_200_percent_the_window_takes_its_normal_size_again_at_100(make_window):
    window = make_window()
    window.session.create_learner("Ana")
    window.go("home", reset=True)
    window.appearance.set_text_size(200)
    window.appearance.set_text_size(100)
    assert window.nav_rows.direction().name == "LeftToRight"
    assert window.minimumSizeHint().width() < 1000


@pytest.mark.parametrize("percent", [100, 200])
def test_every_language_name_fits_the_language_box(make_window, percent):
    """The box is sized by a count of characters (measuring every name would load every
    script's font before the first frame); each name must still fit, at any text size."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    window = make_window()
    window.appearance.set_text_size(percent)
    box = window.language_combo
    QApplication.processEvents()
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    room = box.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, box).width()
    for index in range(box.count()):
        assert box.fontMetrics().horizontalAdvance(box.itemText(index)) <= room, box.itemText(index)
