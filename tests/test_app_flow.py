"""End-to-end flows through real widgets: learner, lesson, quiz, restart, language."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QWidget


def click(qtbot, widget):
    QApplication.processEvents()
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.LeftButton)


def button(window, name: str, **props) -> QPushButton:
    QApplication.processEvents()  # layouts show newly added widgets on the next event loop pass
    for b in window.findChildren(QPushButton, name):
        if b.isVisible() and all(b.property(k) == v for k, v in props.items()):
            return b
    raise AssertionError(f"no visible button {name} {props}")


def create_learner(qtbot, window, nickname="Ana"):
    welcome = window.current
    assert welcome.name == "welcome"
    qtbot.keyClicks(welcome.nickname, nickname)
    qtbot.keyClick(welcome.nickname, Qt.Key_Return)
    assert window.current.name == "home"


def open_lesson(qtbot, window, track="basics", lesson="every-type"):
    click(qtbot, button(window, "open-track", track=track))
    assert window.current.name == "track"
    click(qtbot, button(window, "open-lesson", lesson=lesson))
    assert window.current.name == "lesson"


def answer(qtbot, quiz, right: bool):
    """Answer the current question right or wrong through its widget, then check it."""
    q = quiz.current()
    widget = quiz.answer_widget
    if q.type in ("single_choice", "true_false"):
        if q.type == "true_false":
            correct_index = 0 if q.answers[0].fraction == 1.0 and q.answers[0].text == "true" else 1
        else:
            correct_index = next(i for i, a in enumerate(q.answers) if a.fraction == 1.0)
        index = correct_index if right else 1 - correct_index if len(widget.buttons) == 2 else (correct_index + 1) % len(widget.buttons)
        click(qtbot, widget.findChild(QWidget, f"choice-{index}"))  # the row, not just the dot
    elif q.type == "multiple_choice":
        for i in range(len(q.answers)):
            if (q.answers[i].fraction > 0) == right:
                click(qtbot, widget.findChild(QWidget, f"choice-{i}"))
    elif q.type in ("short_answer", "numerical"):
        edit = widget.findChild(QLineEdit)
        text = (q.answers[0].text if q.type == "short_answer" else str(q.answers[0].value)) if right else "999999"
        qtbot.keyClicks(edit, text)
    elif q.type == "matching":
        pairs = [p for p in q.answers if p.text]
        for pair, combo in zip(pairs, widget.findChildren(QComboBox)):
            wanted = pair.match if right else next(p.match for p in pairs if p.match != pair.match)
            combo.setCurrentIndex(combo.findData(wanted))
    elif q.type == "essay":
        qtbot.keyClicks(widget.findChild(QPlainTextEdit), "I would check the licence.")
    if q.type == "description":
        click(qtbot, quiz.next_button)
        return
    click(qtbot, quiz.check_button)
    assert quiz.feedback.isVisible(), (q.type, quiz.message.text(), widget.response())
    click(qtbot, quiz.next_button)


def test_full_flow_passes_and_survives_restart(qtbot, make_window, private_data_dir):
    window = make_window()
    create_learner(qtbot, window)
    open_lesson(qtbot, window)
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    assert quiz.name == "quiz"
    seen_types = set()
    while quiz.pages.currentIndex() == 0:
        seen_types.add(quiz.current().type)
        answer(qtbot, quiz, right=True)
    assert seen_types == {
        "single_choice", "multiple_choice", "true_false", "short_answer",
        "numerical", "matching", "essay", "description",
    }
    assert quiz.passed
    assert "100" in quiz.summary_score.text()

    # Every answer is in the log, committed, readable by another connection.
    conn = sqlite3.connect(private_data_dir / "progress.db")
    rows = conn.execute("SELECT question_id, credit FROM answers ORDER BY id").fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["single", "multi", "truefalse", "short", "numerical", "matching", "missing", "essay"]
    assert all(r[1] == 1.0 for r in rows if r[0] != "essay")

    window.close()
    window.session.store.close()
    again = make_window(locale=None)
    assert again.current.name == "home"
    assert again.session.learner.nickname == "Ana"
    progress = again.session.store.progress(again.session.learner.id)["every-type"]
    assert progress.passed and progress.best_score == 1.0
    assert again.current.continue_button.isVisible()


def test_wrong_answers_give_feedback_and_not_passed(qtbot, make_window):
    window = make_window()
    create_learner(qtbot, window, "Ben")
    open_lesson(qtbot, window)
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    verdicts = []
    while quiz.pages.currentIndex() == 0:
        q = quiz.current()
        if q.type in ("essay", "description"):
            answer(qtbot, quiz, right=True)
            continue
        answer_without_next = quiz  # keep reference for readability
        answer(qtbot, answer_without_next, right=False)
        verdicts.append(quiz.feedback.property("verdict"))
    assert set(verdicts) == {"wrong"}
    assert not quiz.passed
    assert "Not passed yet" in quiz.summary_text.text()
    click(qtbot, quiz.retry_button)
    assert quiz.pages.currentIndex() == 0 and quiz.attempt == 2


def test_check_without_answer_asks_for_one(qtbot, make_window):
    window = make_window()
    create_learner(qtbot, window)
    open_lesson(qtbot, window)
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    click(qtbot, quiz.check_button)
    assert quiz.message.isVisible()
    assert window.session.store.answers(window.session.learner.id) == []


def test_switch_language_retranslates_without_restart(qtbot, make_window):
    window = make_window()
    create_learner(qtbot, window)
    assert window.home_button.text() == "Home"
    window.change_language("zh-Hans")
    assert window.home_button.text() == "首页"
    assert window.current.tracks_label.text() == "你的课程"
    open_lesson(qtbot, window)
    assert "每种题型" in window.current.browser.toPlainText()
    window.change_language("en")
    assert "Every question type" in window.current.browser.toPlainText()
    assert window.home_button.text() == "Home"


def test_fallback_language_is_announced(qtbot, make_window):
    window = make_window(locale="zh-Hans")
    create_learner(qtbot, window)
    open_lesson(qtbot, window, lesson="second")
    notice = window.current.notice
    assert notice.isVisible()
    assert "English" in notice.text()


def test_broken_lesson_beside_good_ones(qtbot, make_window):
    window = make_window()
    create_learner(qtbot, window)
    home = window.current
    assert home.problems_notice.isVisible()
    assert window.problems_button.isVisible()
    open_lesson(qtbot, window, track="broken", lesson="good")
    assert "Still works" in window.current.browser.toPlainText()
    click(qtbot, window.problems_button)
    items = [window.current.list.item(i).text() for i in range(window.current.list.count())]
    assert any("bad-yaml.en.md:3:6: error FM004" in text for text in items)


def test_reading_position_is_resumed(qtbot, make_window):
    window = make_window()
    create_learner(qtbot, window)
    open_lesson(qtbot, window)
    lesson = window.current
    lesson.leave()
    saved = window.session.store.progress(window.session.learner.id)["every-type"]
    assert saved.position["screen"] == "lesson"
    click(qtbot, window.current.quiz_button)
    quiz = window.current
    answer(qtbot, quiz, right=True)  # one answer, then "quit"
    window.close()
    window.session.store.close()
    again = make_window(locale=None)
    click(qtbot, again.current.continue_button)
    assert again.current.name == "quiz"
    assert again.current.index == 1  # continues after the answered question


def test_opening_a_lesson_is_recorded_after_its_first_frame(qtbot, make_window):
    """"Started reading" is written once the lesson is on screen; leaving at once keeps the position."""
    window = make_window()
    create_learner(qtbot, window)
    learner = window.session.learner.id
    click(qtbot, button(window, "open-track", track="basics"))
    qtbot.mouseClick(button(window, "open-lesson", lesson="every-type"), Qt.LeftButton)
    assert "every-type" not in window.session.store.progress(learner)  # not before the frame
    qtbot.waitUntil(lambda: "every-type" in window.session.store.progress(learner))
    assert window.session.store.last_activity(learner).lesson_id == "every-type"

    window.go("home")
    window.go("lesson", lesson_id="every-type", resume=True)
    window.current.browser.verticalScrollBar().setMaximum(100)
    window.current.browser.verticalScrollBar().setValue(50)
    window.go("home")  # left before the deferred write ran: it must not reset the scroll to the top
    QApplication.processEvents()
    saved = window.session.store.progress(learner)["every-type"].position
    assert saved == {"screen": "lesson", "scroll": 0.5}
