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
    QScrollArea,
    QTextBrowser,
    QWidget,
)

from app import i18n
from app.ui.screens import SCREENS
from tests.conftest import show_screen

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
        show_screen(window, name, **kwargs)
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
    answer_quiz_with_keyboard(qtbot, quiz)
    assert quiz.pages.currentIndex() == 1
    answered = window.session.store.answers(window.session.learner.id, "every-type")
    assert len(answered) == 8


# ---------------------------------------------------------------- tab order, focus, keyboard-only


def tab_chain(window) -> list[QWidget]:
    """The controls Tab visits, in order, once round, starting at the navigation bar."""
    QApplication.processEvents()

    def stop(widget):
        return (widget.isVisible() and widget.isEnabled() and bool(widget.focusPolicy() & Qt.TabFocus)
                and widget.window() is window)  # fmt: skip

    chain, widget = [], window
    for _ in range(2000):
        widget = widget.nextInFocusChain()
        if stop(widget):
            if widget in chain:
                break
            chain.append(widget)
    nav = [w for w in chain if window.nav.isAncestorOf(w)]
    start = chain.index(nav[0]) if nav else 0
    return chain[start:] + chain[:start]


def out_of_reading_order(window, chain: list[QWidget]) -> list[str]:
    """Pairs where Tab jumps back up the screen, or against the reading direction within a row."""
    rtl = QApplication.layoutDirection() == Qt.RightToLeft
    problems = []
    controls = [w for w in chain if not isinstance(w, QScrollArea)]  # containers: they hold the rest
    for a, b in zip(controls, controls[1:]):
        ra = a.rect().translated(a.mapTo(window, a.rect().topLeft()))
        rb = b.rect().translated(b.mapTo(window, b.rect().topLeft()))
        same_row = rb.top() < ra.bottom() and ra.top() < rb.bottom()
        if same_row:
            forward = rb.center().x() < ra.center().x() if rtl else rb.center().x() > ra.center().x()
        else:
            forward = rb.top() >= ra.top()
        if not forward:
            problems.append(f"{a.objectName() or type(a).__name__} → {b.objectName() or type(b).__name__}")
    return problems


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_tab_order_follows_reading_order_on_every_screen(make_window, locale):
    window = make_window(locale=locale)
    window.session.create_learner("Ana")
    problems = {}
    for name in visit_every_screen(window):
        if window.current.name == "welcome":
            continue  # below
        chain = tab_chain(window)
        assert chain, name
        wrong = out_of_reading_order(window, chain)
        if wrong:
            problems[name] = wrong
    assert problems == {}


def test_welcome_tab_order_follows_reading_order(make_window):
    window = make_window()
    window.session.create_learner("Ana")
    window.sign_out()
    assert out_of_reading_order(window, tab_chain(window)) == []


def test_focus_is_visible_on_every_control_of_settings_lesson_and_quiz(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.session.create_learner("Ana")
    unchanged = []
    for name, kwargs in (("settings", {}), ("lesson", {"lesson_id": "every-type"}),
                         ("quiz", {"lesson_id": "every-type"})):  # fmt: skip
        window.go(name, **kwargs)
        for control in tab_chain(window):
            window.nav.setFocus()  # somewhere else first
            control.clearFocus()
            QApplication.processEvents()
            target = control.parentWidget() if control.parentWidget().metaObject().className() == "ChoiceRow" else control
            before = target.grab().toImage()
            control.setFocus(Qt.TabFocusReason)
            QApplication.processEvents()
            after = target.grab().toImage()
            if before == after:
                unchanged.append(f"{name}: {control.objectName() or type(control).__name__}")
    assert unchanged == []


def test_settings_controls_have_descriptions_in_every_language(make_window):
    for locale in i18n.shipped_locales():
        window = make_window(locale=locale)
        window.session.create_learner(f"Ana {locale}")
        settings = window.go("settings")
        for control in (settings.language, settings.region, settings.text_size, settings.theme,
                        settings.read_aloud, settings.try_voice):  # fmt: skip
            assert control.accessibleName().strip() and control.accessibleDescription().strip(), control.objectName()
        lesson = window.go("lesson", lesson_id="every-type")
        assert lesson.read_aloud.read_button.accessibleDescription().strip()
        window.close()


def keyboard_until(qtbot, window, target, key=Qt.Key_Tab, limit=40) -> None:
    """Press *key* until *target* has focus (as a keyboard user would)."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget() or window, key)
    assert QApplication.focusWidget() is target, (target.objectName(), QApplication.focusWidget())


def answer_quiz_with_keyboard(qtbot, quiz) -> None:
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
            # Check follows the answers in the Tab order: Tab never leaves the question on the way.
            for _ in range(10):
                if QApplication.focusWidget() is quiz.check_button:
                    break
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
                assert quiz.isAncestorOf(QApplication.focusWidget()), (q.id, QApplication.focusWidget())
            assert QApplication.focusWidget() is quiz.check_button, q.id
            qtbot.keyClick(quiz.check_button, Qt.Key_Space)
            assert quiz.feedback.isVisible(), (q.id, quiz.message.text())
        assert QApplication.focusWidget() is quiz.next_button
        qtbot.keyClick(quiz.next_button, Qt.Key_Return)


def test_lesson_and_quiz_from_home_with_the_keyboard_alone(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClicks(window.current.nickname, "Kim")
    qtbot.keyClick(window.current.nickname, Qt.Key_Return)
    assert window.current.name == "home"
    QApplication.processEvents()  # the track list is laid out on the next pass
    open_track = next(b for b in window.findChildren(QAbstractButton, "open-track")
                      if b.isVisible() and b.property("track") == "basics")  # fmt: skip
    keyboard_until(qtbot, window, open_track)
    qtbot.keyClick(open_track, Qt.Key_Return)
    assert window.current.name == "track"
    read = QApplication.focusWidget()
    assert read.objectName() == "open-lesson" and read.property("lesson") == "every-type"
    qtbot.keyClick(read, Qt.Key_Return)
    lesson = window.current
    assert lesson.name == "lesson" and QApplication.focusWidget() is lesson.browser
    qtbot.keyClick(lesson.browser, Qt.Key_PageDown)  # reading scrolls with the keyboard
    keyboard_until(qtbot, window, lesson.quiz_button)
    qtbot.keyClick(lesson.quiz_button, Qt.Key_Return)
    quiz = window.current
    assert quiz.name == "quiz"
    answer_quiz_with_keyboard(qtbot, quiz)
    assert quiz.pages.currentIndex() == 1 and QApplication.focusWidget() is quiz.back_button
    qtbot.keyClick(quiz.back_button, Qt.Key_Return)
    assert window.current.name == "track"
    progress = window.session.store.progress(window.session.learner.id)["every-type"]
    assert progress.status == "completed"
