"""The before/after knowledge check: its scores and the sentence that sums them up."""

from __future__ import annotations

from dataclasses import dataclass

from app import i18n
from app.i18n import _


@dataclass
class KnowledgeGain:
    lesson_id: str | None
    before: float | None  # first completed attempt
    after: float | None  # latest completed attempt, when there are two or more

    @property
    def gain(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def summary(self) -> str:
        pct = i18n.format_percent
        if self.before is None:
            return _("Before you start, take a 5-minute check. It is not a test of you: "
                     "it lets Lantern show you how much you learn.")  # fmt: skip
        if self.after is None:
            return _("Your first check: %(before)s. Take it again after the course to see what you learned.") % {
                "before": pct(self.before)
            }
        points = round((self.gain or 0) * 100)
        return _("Before: %(before)s. Now: %(after)s. Change: %(points)+d points.") % {
            "before": pct(self.before),
            "after": pct(self.after),
            "points": points,
        }


def knowledge_gain(session) -> KnowledgeGain:
    resolved = session.library.knowledge_check(session.content_locale)
    if resolved is None or session.learner is None:
        return KnowledgeGain(None, None, None)
    lesson = resolved.item
    graded = [q.id for q in lesson.graded_questions]
    scores = session.store.completed_attempt_scores(session.learner.id, lesson.id, graded)
    return KnowledgeGain(
        lesson.id,
        scores[0] if scores else None,
        scores[-1] if len(scores) > 1 else None,
    )
