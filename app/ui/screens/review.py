"""Review: the questions that are due come back one at a time, like a quiz.

Each answer is graded and logged (attempt 0 in the answers log) and moves the
question to its next Leitner box (app/progress/review.py) before its feedback
appears; the summary says how many were remembered and when the next review is.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QWidget

from app import i18n
from app.content.grading import grade, response_to_json
from app.content.markup import expand
from app.content.render import question_html
from app.i18n import _, ngettext, pgettext
from app.progress import review
from app.ui import widgets as w
from app.ui.questions import AnswerWidget, QuestionPage, answer_widget_for, show_feedback
from app.ui.review_queue import Clock, DueQuestion, due_questions, review_questions
from app.ui.screens.base import Screen


class ReviewScreen(Screen):
    name = "review"

    def __init__(self, window):
        super().__init__(window)
        self.items: list[DueQuestion] = []
        self.index = 0
        self.results: list[review.Entry | None] = []
        self.right = 0
        self.answer_widget: AnswerWidget | None = None
        self._shown_at = 0.0

        self.pages = QStackedWidget()
        w.vbox(self, margins=16).addWidget(self.pages)

        # --- question page: the quiz's look, with the lesson each question comes from
        self.source = QLabel()
        self.source.setObjectName("hint")
        self.source.setWordWrap(True)
        page = QuestionPage(self.check, self.next, above_text=[self.source])
        self.counter, self.question_text, self.answer_slot = page.counter, page.question_text, page.answer_slot
        self.message, self.feedback = page.message, page.feedback
        self.check_button, self.next_button = page.check_button, page.next_button
        self.pages.addWidget(page)

        # --- summary page (also "nothing to review")
        summary_page = QWidget()
        s_layout = w.vbox(summary_page, margins=24, spacing=16)
        self.summary_title = w.heading(1)
        self.summary_score = w.heading(2)
        self.summary_score.setObjectName("score")
        self.summary_text = w.paragraph()
        self.summary_text.setObjectName("next-review")
        self.home_button = w.button(primary=True)
        self.home_button.setObjectName("back-to-home")
        self.home_button.clicked.connect(lambda: self.window.go("home", reset=True))
        for widget in (self.summary_title, self.summary_score, self.summary_text):
            s_layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.home_button)
        row.addStretch(1)
        s_layout.addLayout(row)
        s_layout.addStretch(1)
        self.pages.addWidget(summary_page)

    # ------------------------------------------------------------ flow

    def enter(self, **kwargs) -> None:
        self.items = due_questions(self.session)
        self.index = 0
        self.right = 0
        self.results = []
        self._show_question()

    def current(self) -> DueQuestion | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def _show_question(self) -> None:
        item = self.current()
        if item is None:
            self._finish()
            return
        self.pages.setCurrentIndex(0)
        w.clear_layout(self.answer_slot)
        self.answer_widget = answer_widget_for(item.question, lambda text: self._plain(item, text))
        self.answer_widget.changed.connect(self.message.hide)
        self.answer_slot.addWidget(self.answer_widget)
        self.answer_widget.show()  # now: focus needs it visible
        self.message.hide()
        self.feedback.hide()
        self.feedback.clear()
        self._shown_at = time.monotonic()
        self.check_button.show()
        self.next_button.hide()
        self.retranslate()
        first = self.answer_widget.first_input()
        (first or self.check_button).setFocus(Qt.OtherFocusReason)

    def check(self) -> None:
        item = self.current()
        if item is None or self.answer_widget is None:
            return
        response = self.answer_widget.response()
        if response is None:
            self.message.setText(_("Please answer first, then press “Check”."))
            self.message.show()
            return
        result = grade(item.question, response)
        # Logged and rescheduled first, then shown: feedback is the learner's receipt.
        entry = review.record_review(
            self.session.store, self.session.learner.id, item.lesson.id, item.question.id,
            response_to_json(item.question, response), result.credit, time.monotonic() - self._shown_at,
            now=Clock.now(),
        )  # fmt: skip
        self.results.append(entry)
        if result.correct:
            self.right += 1
        self.answer_widget.lock()
        self._show_feedback(item, result, entry)
        self.check_button.hide()
        self.next_button.show()
        self.next_button.setFocus(Qt.OtherFocusReason)
        self.retranslate()

    def _show_feedback(self, item: DueQuestion, result, entry: review.Entry | None) -> None:
        show_feedback(self.feedback, result, lambda text: self._html(item, text), self._when_back(entry))

    @staticmethod
    def _when_back(entry: review.Entry | None) -> str:
        if entry is None or entry.learned:
            return _("Learned: this question will not come back.")
        days = (entry.due_on - review.local_day(Clock.now())).days
        if days <= 1:
            return _("It comes back tomorrow.")
        return ngettext("It comes back in %(n)d day.", "It comes back in %(n)d days.", days) % {"n": days}

    def _plain(self, item: DueQuestion, text: str) -> str:
        return expand(text, item.lesson.locale, self.session.region)

    def _html(self, item: DueQuestion, text: str) -> str:
        return question_html(text, item.question.format, item.lesson.locale, self.session.region)

    def next(self) -> None:
        self.index += 1
        self._show_question()

    def _finish(self) -> None:
        self.pages.setCurrentIndex(1)
        self.retranslate()
        self.home_button.setFocus(Qt.OtherFocusReason)

    # ------------------------------------------------------------ text

    def retranslate(self) -> None:
        item = self.current()
        total = len(self.items)
        # Translators: a verb on a button: check the answer the learner chose.
        self.check_button.setText(pgettext("button", "Check"))
        w.name(self.check_button, _("Check my answer"))
        last = self.index >= total - 1
        self.next_button.setText(_("See my results") if last else _("Next question"))
        w.name(self.next_button, self.next_button.text())
        if item is not None and self.pages.currentIndex() == 0:
            self.counter.setText(_("Review %(number)d of %(total)d") % {"number": self.index + 1, "total": total})
            self.source.setText(_("From the lesson: %(lesson)s") % {"lesson": i18n.isolate(item.lesson.title)})
            self.question_text.setText(self._html(item, item.question.text))
            w.name(self.question_text, item.question.text)
        if self.pages.currentIndex() == 1:
            self._retranslate_summary()
        self.home_button.setText(_("Back to Home"))
        w.name(self.home_button, self.home_button.text())

    def _retranslate_summary(self) -> None:
        answered = len(self.results)
        if answered:
            self.summary_title.setText(_("Review finished"))
            self.summary_score.setText(
                ngettext("You remembered %(right)d of %(n)d question.",
                         "You remembered %(right)d of %(n)d questions.", answered)
                % {"right": self.right, "n": answered}
            )  # fmt: skip
            self.summary_score.show()
        else:
            self.summary_title.setText(_("Nothing to review today"))
            self.summary_score.hide()
        waiting = review_questions(self.session)
        upcoming = waiting[0].entry.due_on if waiting else None
        if upcoming is None:
            self.summary_text.setText(_("No questions are waiting. Questions you miss in a quiz come back here."))
        elif upcoming <= review.local_day(Clock.now()):
            self.summary_text.setText(_("More questions are due: start the review again from Home."))
        else:
            self.summary_text.setText(_("Next review: %(date)s") % {"date": i18n.format_date(upcoming, fmt="long")})

    def title(self) -> str:
        return _("Review")
