"""Spaced review: the Leitner schedule, its storage across restarts, the review session, reports."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone

import pytest

from app.content.catalog import Library
from app.progress import privacy, review
from app.progress.reports import lesson_stats
from app.progress.review import INTERVALS, LEARNED, REVIEW_ATTEMPT, Entry, next_entry
from app.progress.store import ProgressStore
from tests.conftest import FIXTURE_LESSONS, FIXTURES


@pytest.fixture
def clock(monkeypatch):
    """Simulated days for the review queue: ``clock(n)`` makes it n days from now."""
    from app.ui.review_queue import Clock

    start = datetime.now(timezone.utc)

    def set_day(days: int) -> datetime:
        monkeypatch.setattr(Clock, "fixed", start + timedelta(days=days))
        return Clock.fixed

    set_day(0)
    return set_day


# ---------------------------------------------------------------- the scheduler


def test_leitner_steps_wrong_to_box_one_right_review_up_a_box_last_box_retires():
    day = date(2026, 3, 2)
    entry = next_entry(None, "l", "q", 0.0, False, day, 1)
    assert (entry.box, entry.due_on) == (1, date(2026, 3, 3))  # due tomorrow
    assert next_entry(entry, "l", "q", 1.0, False, day, 2) == entry  # a right quiz retry is not spaced recall
    assert next_entry(None, "l", "q", 1.0, False, day, 2) is None  # a right first answer is never scheduled
    assert next_entry(entry, "l", "q", None, True, day, 2) == entry  # essays are not marked
    when = date(2026, 3, 3)
    boxes = []
    for answer_id in range(3, 3 + len(INTERVALS)):
        entry = next_entry(entry, "l", "q", 1.0, True, when, answer_id)
        boxes.append((entry.box, (entry.due_on - when).days if entry.due_on else None))
        when = entry.due_on or when
    assert boxes == [(2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (LEARNED, None)]
    assert entry.learned and not entry.is_due(date(2099, 1, 1))
    again = next_entry(Entry("l", "q", 5, date(2026, 5, 1), 9), "l", "q", 0.5, True, date(2026, 5, 1), 10)
    assert (again.box, again.due_on) == (1, date(2026, 5, 2))  # partly right is not remembered


def test_fold_of_the_log_matches_the_steps():
    log = [
        {"id": 1, "lesson_id": "l", "question_id": "a", "attempt": 1, "credit": 0.0,
         "answered_at": "2026-03-02T10:00:00+00:00"},
        {"id": 2, "lesson_id": "l", "question_id": "b", "attempt": 1, "credit": 1.0,
         "answered_at": "2026-03-02T10:00:05+00:00"},
        {"id": 3, "lesson_id": "l", "question_id": "a", "attempt": REVIEW_ATTEMPT, "credit": 1.0,
         "answered_at": "2026-03-03T10:00:00+00:00"},
    ]  # fmt: skip
    schedule = review.fold(log)
    assert list(schedule) == [("l", "a")]
    day = review.local_day(datetime.fromisoformat("2026-03-03T10:00:00+00:00"))
    assert schedule[("l", "a")] == Entry("l", "a", 2, day + timedelta(days=2), 3)


# ---------------------------------------------------------------- storage


def _store(tmp_path) -> tuple[ProgressStore, int]:
    store = ProgressStore(tmp_path / "progress.db")
    return store, store.create_learner("Ana", "en").id


def test_schedule_is_stored_survives_a_restart_and_rebuilds_from_the_log(tmp_path):
    store, ana = _store(tmp_path)
    store.record_answer(ana, "every-type", 1, "single", "1", 0.0)
    store.record_answer(ana, "every-type", 1, "short", '"110"', 1.0)
    store.record_answer(ana, "every-type", 1, "essay", '"hm"', None)
    now = datetime.now(timezone.utc)
    assert review.due(store, ana, now) == []  # missed today: due tomorrow
    [entry] = review.due(store, ana, now + timedelta(days=1))
    assert (entry.question_id, entry.box) == ("single", 1)
    store.close()

    store = ProgressStore(tmp_path / "progress.db")  # a restart
    assert review.due(store, ana, now + timedelta(days=1)) == [entry]
    review.record_review(store, ana, "every-type", "single", "0", 1.0, 4.0, now=now)
    assert review.schedule(store, ana)[("every-type", "single")].box == 2
    logged = store.answers(ana, "every-type", REVIEW_ATTEMPT)
    assert [(r["question_id"], r["credit"]) for r in logged] == [("single", 1.0)]
    incremental = review.schedule(store, ana)
    assert review.rebuild(store, ana) == incremental  # same clock: the log gives the same schedule
    store.close()


def test_migration_keeps_the_released_schedule_and_privacy_covers_it(tmp_path):
    path = tmp_path / "progress.db"
    shutil.copyfile(FIXTURES / "db" / "v3.db", path)
    store = ProgressStore(path)
    ana = store.find_learner("Ana")
    [entry] = review.schedule(store, ana.id).values()
    assert entry == Entry("red-flags", "pressure-tactics", 1, date(2026, 3, 3), 2)
    assert review.sync(store, ana.id) == 0  # already up to date with the log
    exported = privacy.export_learner(store, ana.id)
    assert exported["other"]["reviews"] == [{"lesson_id": "red-flags", "question_id": "pressure-tactics",
                                             "box": 1, "due_on": "2026-03-03", "last_answer_id": 2}]  # fmt: skip
    assert any("review" in kind.what for kind in privacy.KINDS)
    report = privacy.erase_learner(store, ana.id)
    assert report.rows["reviews"] == 1
    assert store.conn.execute("SELECT count(*) FROM reviews WHERE learner_id = ?", [ana.id]).fetchone()[0] == 0
    store.close()


def test_version_two_database_gets_an_empty_schedule(tmp_path):
    path = tmp_path / "progress.db"
    shutil.copyfile(FIXTURES / "db" / "v2.db", path)
    store = ProgressStore(path)
    mei = store.find_learner("小梅")
    assert review.schedule(store, mei.id) == {}
    review.sync(store, mei.id)  # built from the log the old version kept
    assert set(review.schedule(store, mei.id)) == {("red-flags", "guaranteed-return")}
    store.close()


def test_reports_count_quiz_attempts_only(tmp_path):
    store, ana = _store(tmp_path)
    lesson = Library.load(FIXTURE_LESSONS).lesson("second", "en").item
    store.record_answer(ana, "second", 1, "only", "false", 0.0)
    store.finish_attempt(ana, "second", 1, ["only"], lesson.pass_score)
    review.record_review(store, ana, "second", "only", "true", 1.0)
    stats = lesson_stats(store.conn, lesson)
    assert stats.scores == [0.0] and stats.completed == 1 and stats.passed == 0
    assert stats.questions[0].facility == 0.0 and stats.questions[0].responses == 1
    assert store.next_attempt(ana, "second") == 2  # the review did not take an attempt number
    store.close()


# ---------------------------------------------------------------- the app


def _answer_second_lesson(qtbot, window, right: bool) -> None:
    from PySide6.QtCore import Qt

    window.go("quiz", lesson_id="second")
    quiz = window.current
    quiz.answer_widget.buttons[0 if right else 1].setChecked(True)
    qtbot.mouseClick(quiz.check_button, Qt.LeftButton)
    qtbot.mouseClick(quiz.next_button, Qt.LeftButton)
    assert quiz.pages.currentIndex() == 1


def _review_card(window):
    home = window.go("home", reset=True)
    return home.review_card, home.review_text.text(), home.review_button


def test_review_queue_across_simulated_days_and_a_restart(qtbot, make_window, clock):
    from PySide6.QtCore import Qt

    from app.ui.theme import LIGHT

    window = make_window()
    window.session.create_learner("Ana")
    window.go("home", reset=True)
    _answer_second_lesson(qtbot, window, right=False)

    card, _text, _button = _review_card(window)
    assert card.isHidden()  # day 0: missed just now, due tomorrow

    clock(1)
    card, text, button = _review_card(window)
    assert not card.isHidden() and text.startswith("1 question to review")
    # Drawn as a card like the others (the stylesheet's card background), not as bare window.
    assert card.grab().toImage().pixelColor(card.width() - 6, card.height() // 2).name() == LIGHT.base
    qtbot.mouseClick(button, Qt.LeftButton)
    screen = window.current
    assert screen.name == "review"
    assert screen.counter.text() == "Review 1 of 1"
    assert "A second lesson" in screen.source.text()
    screen.answer_widget.buttons[0].setChecked(True)  # True: right
    qtbot.mouseClick(screen.check_button, Qt.LeftButton)
    assert screen.feedback.isVisible() and "Correct" in screen.feedback.text()
    assert "comes back in 2 days" in screen.feedback.text()
    qtbot.mouseClick(screen.next_button, Qt.LeftButton)
    assert screen.pages.currentIndex() == 1
    assert screen.summary_score.text() == "You remembered 1 of 1 question."
    assert screen.summary_text.text().startswith("Next review: ")

    clock(2)
    assert _review_card(window)[0].isHidden()  # box 2 waits two days
    clock(3)
    card, text, button = _review_card(window)
    assert text.startswith("1 question to review")
    qtbot.mouseClick(button, Qt.LeftButton)
    screen = window.current
    screen.answer_widget.buttons[1].setChecked(True)  # wrong again
    qtbot.mouseClick(screen.check_button, Qt.LeftButton)
    assert "Not quite" in screen.feedback.text() and "comes back tomorrow" in screen.feedback.text()

    learner_id = window.session.learner.id
    log = window.session.store.answers(learner_id, "second")
    assert [(r["attempt"], r["credit"]) for r in log] == [(1, 0.0), (0, 1.0), (0, 0.0)]
    window.close()
    window.session.store.close()

    clock(4)
    window = make_window()  # a restart: the same database, the schedule as it was
    assert window.session.learner.id == learner_id
    card, text, _button = _review_card(window)
    assert not card.isHidden() and text.startswith("1 question to review")


def test_nothing_to_review_says_so(qtbot, make_window, clock):
    window = make_window()
    window.session.create_learner("Ana")
    screen = window.go("review")
    assert screen.pages.currentIndex() == 1
    assert screen.summary_title.text() == "Nothing to review today"
    assert screen.home_button.accessibleName() == "Back to Home"


def test_answer_is_required_before_check(qtbot, make_window, clock):
    from PySide6.QtCore import Qt

    window = make_window()
    window.session.create_learner("Ana")
    _answer_second_lesson(qtbot, window, right=False)
    clock(1)
    screen = window.go("review")
    qtbot.mouseClick(screen.check_button, Qt.LeftButton)
    assert screen.message.isVisible() and not screen.feedback.isVisible()
    assert window.session.store.answers(window.session.learner.id, "second", REVIEW_ATTEMPT) == []
