"""Every control on every screen has an accessible name, in every shipped language,
and the whole course can be done with the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTextBrowser,
    QWidget,
)

from app import i18n
from app.ui.screens import SCREENS

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTextBrowser, QAbstractItemView, QProgressBar)


def unnamed_controls(root: QWidget) -> list[str]:
    QApplication.processEvents()
    missing = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QHeaderView):
            continue  # named by its column labels
        if isinstance(widget, CONTROLS) and widget.isVisible() and not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__}#{widget.objectName()} {getattr(widget, 'text', lambda: '')()!r}")
    return missing


def visit_every_screen(window):
    """Yield each screen after showing it with sensible arguments."""
    names = [spec.split(":")[0].rsplit(".", 1)[1] for spec in SCREENS]
    for name in names:
        kwargs = {}
        if name in ("lesson", "quiz"):
            kwargs = {"lesson_id": "every-type"}
        elif name == "track":
            kwargs = {"track_id": "basics"}
        if name == "welcome":
            window.sign_out()
        else:
            if window.session.learner is None:
                window.sign_in(window.session.store.learners()[0])
            window.go(name, **kwargs)
        yield name


@pytest.mark.parametrize("locale", i18n.shipped_locales())
def test_every_control_has_an_accessible_name(make_window, locale):
    window = make_window(locale=locale)
    window.session.create_learner("Ana")
    problems = {}
    for name in visit_every_screen(window):
        missing = unnamed_controls(window)
        if missing:
            problems[name] = missing
    assert problems == {}


def test_quiz_completed_with_keyboard_only(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    welcome = window.current
    qtbot.keyClicks(welcome.nickname, "Kim")
    qtbot.keyClick(welcome.nickname, Qt.Key_Return)
    window.go("quiz", lesson_id="every-type")
    quiz = window.current
    steps = 0
    while quiz.pages.currentIndex() == 0 and steps < 20:
        steps += 1
        q = quiz.current()
        focus = QApplication.focusWidget()
        assert focus is not None, q.id
        if q.type in ("single_choice", "true_false", "multiple_choice"):
            qtbot.keyClick(focus, Qt.Key_Space)  # the first option has focus
        elif q.type in ("short_answer", "numerical", "essay"):
            qtbot.keyClicks(focus, "110")
        elif q.type == "matching":
            for _ in range(3):
                combo = QApplication.focusWidget()
                assert isinstance(combo, QComboBox), type(combo)
                qtbot.keyClick(combo, Qt.Key_Down)
                assert combo.currentIndex() == 1, combo.currentIndex()
                qtbot.keyClick(combo, Qt.Key_Tab)
        if q.type != "description":
            # Tab to the Check button, press it; focus then moves to Next.
            for _ in range(12):
                if QApplication.focusWidget() is quiz.check_button:
                    break
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
            assert QApplication.focusWidget() is quiz.check_button, q.id
            qtbot.keyClick(quiz.check_button, Qt.Key_Space)
            assert quiz.feedback.isVisible(), (q.id, quiz.message.text())
        assert QApplication.focusWidget() is quiz.next_button
        qtbot.keyClick(quiz.next_button, Qt.Key_Return)
    assert quiz.pages.currentIndex() == 1
    answered = window.session.store.answers(window.session.learner.id, "every-type")
    assert len(answered) == 8
