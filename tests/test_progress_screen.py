"""My progress: counts, time, mastery chart, knowledge-check chart, the next step and where it leads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from app import i18n


def _finish(session, lesson_id: str, credit: float, attempt: int = 1, seconds: float = 30.0) -> None:
    lesson = session.library.lesson(lesson_id, "en").item
    graded = [q.id for q in lesson.graded_questions]
    for qid in graded:
        session.store.record_answer(session.learner.id, lesson_id, attempt, qid, "null", credit, seconds)
    session.store.finish_attempt(session.learner.id, lesson_id, attempt, graded, lesson.pass_score)


def test_new_learner_is_pointed_at_the_first_lesson(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    screen = window.go("progress")
    assert screen.summary.text() == "0 of 3 lessons passed, 0 in progress. Time spent learning: 0 minutes."
    assert screen.mastery_chart.values == [0.0, 0.0]
    assert screen.mastery_chart.labels == ["Basics for testing", "Broken track"]
    assert screen.next_text.text().startswith("Next up: \u2068Every question type\u2069.")
    assert not screen.knowledge_chart.isVisibleTo(screen)  # no knowledge check in this library
    qtbot.mouseClick(screen.next_button, Qt.LeftButton)
    assert window.current.name == "lesson" and window.current.lesson_id == "every-type"


def test_scores_time_and_mastery_follow_the_quizzes(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    session = window.session
    _finish(session, "every-type", 1.0, seconds=60)  # passed: 100%
    _finish(session, "second", 0.0, seconds=60)  # taken, not passed
    session.store.save_position(session.learner.id, "second", {"screen": "lesson"}, add_seconds=120)
    screen = window.go("progress")
    # every-type has 7 graded questions, second 1: 8 answers of a minute, plus two minutes reading
    assert screen.summary.text() == "1 of 3 lessons passed, 1 in progress. Time spent learning: 10 minutes."
    assert screen.mastery_chart.values == [0.5, 0.0]  # (100% + 0%) / 2 lessons; the other track untouched
    assert "Basics for testing: 50%" in screen.mastery_chart.accessibleDescription()
    assert screen.next_text.text().startswith("So close: read \u2068A second lesson\u2069 again")
    statuses = [screen.table.item(r, 2).text() for r in range(screen.table.rowCount())]
    assert statuses == ["Passed, best score 100%", "Not passed yet, best score 0%", "Not started"]

    _finish(session, "second", 1.0, attempt=2)
    _finish(session, "good", 1.0)
    screen = window.go("progress")
    assert screen.mastery_chart.values == [1.0, 1.0]
    assert screen.next_text.text() == "You passed every lesson. Well done! Save your certificates below."
    assert screen.next_button.isHidden()


def test_reviews_come_first_in_the_next_step(qtbot, make_window, monkeypatch):
    from app.ui.review_queue import Clock

    window = make_window()
    window.session.create_learner("Ana")
    _finish(window.session, "second", 0.0)
    monkeypatch.setattr(Clock, "fixed", datetime.now(timezone.utc) + timedelta(days=1))
    screen = window.go("progress")
    assert screen.next_text.text().startswith("You have 1 question to review.")
    assert screen.next_button.text() == "Start review"
    qtbot.mouseClick(screen.next_button, Qt.LeftButton)
    assert window.current.name == "review" and window.current.counter.text() == "Review 1 of 1"


def test_knowledge_check_gain_is_charted(qtbot, make_window):
    from tests.conftest import PROJECT

    window = make_window(lessons=PROJECT / "lessons")
    window.session.create_learner("Ana")
    session = window.session
    check = session.library.knowledge_check("en").item
    graded = [q.id for q in check.graded_questions]
    for attempt, right in ((1, 2), (2, 5)):
        for index, qid in enumerate(graded):
            session.store.record_answer(session.learner.id, check.id, attempt, qid, "null", 1.0 if index < right else 0.0)
    screen = window.go("progress")
    chart = screen.knowledge_chart
    assert chart.isVisibleTo(screen)
    assert chart.labels == ["Before", "Now"]
    assert chart.values == [2 / len(graded), 5 / len(graded)]
    assert i18n.format_percent(5 / len(graded)) in chart.accessibleDescription()
