"""The review queue of the signed-in learner: which questions are due today (no widgets).

Home and My progress show its count, the review screen asks its questions; kept apart from
the review screen so that Home does not load that screen's widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from app.content.gift import Question
from app.content.grading import NOT_GRADED
from app.content.lesson import Lesson
from app.i18n import ngettext
from app.progress import review


class Clock:
    """When "today" is for the review queue; tests set ``Clock.fixed`` to live later days."""

    fixed: datetime | None = None

    @classmethod
    def now(cls) -> datetime:
        return cls.fixed or datetime.now(timezone.utc)


@dataclass
class DueQuestion:
    entry: review.Entry
    lesson: Lesson
    question: Question


def review_questions(session) -> list[DueQuestion]:
    """The learner's scheduled questions that exist in the lessons, due first.

    The knowledge check is never rehearsed (it measures what the course
    taught), and a question that was removed from its lesson is left out.
    """
    if session.learner is None:
        return []
    review.sync(session.store, session.learner.id)
    found = []
    entries = sorted(review.schedule(session.store, session.learner.id).values(), key=review.queue_order)
    for entry in entries:
        if entry.due_on is None:
            continue
        resolved = session.library.lesson(entry.lesson_id, session.content_locale)
        if resolved is None or resolved.item.kind == "knowledge-check":
            continue
        question = next((q for q in resolved.item.questions if q.id == entry.question_id), None)
        if question is not None and question.type not in NOT_GRADED:
            found.append(DueQuestion(entry, resolved.item, question))
    return found


def due_questions(session) -> list[DueQuestion]:
    """What a review session asks today (by ``Clock``), the longest-waiting first."""
    today = review.local_day(Clock.now())
    return [item for item in review_questions(session) if item.entry.is_due(today)]


def due_count_text(count: int) -> str:
    return ngettext("%(n)d question to review", "%(n)d questions to review", count) % {"n": count}
