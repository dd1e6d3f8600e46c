"""Quiz: one question at a time, feedback after each, a summary at the end.

Every answer is written to the answers log (and committed) before its
feedback appears, so what the learner saw acknowledged is never lost.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QWidget

from app import i18n
from app.content.grading import grade, response_to_json
from app.content.markup import expand
from app.content.render import question_html
from app.i18n import _, pgettext
from app.ui import widgets as w
from app.ui.questions import AnswerWidget, QuestionPage, answer_widget_for, show_feedback
from app.ui.screens.base import Screen
from app.ui.speech import ReadAloudBar, plain_text

NOT_GRADED = ("essay", "description")


class QuizScreen(Screen):
    name = "quiz"

    def __init__(self, window):
        super().__init__(window)
        self.lesson = None
        self.lesson_id = ""
        self.attempt = 0
        self.index = 0
        self.grades: dict[str, object] = {}
        self.answer_widget: AnswerWidget | None = None
        self._shown_at = 0.0
        self.score: float | None = None

        self.pages = QStackedWidget()
        w.vbox(self, margins=16).addWidget(self.pages)

        # --- question page
        self.read_aloud = ReadAloudBar(window.appearance, self._speakable)
        page = QuestionPage(self.check, self.next, below_text=[self.read_aloud])
        self.counter, self.question_text, self.answer_slot = page.counter, page.question_text, page.answer_slot
        self.message, self.feedback = page.message, page.feedback
        self.check_button, self.next_button = page.check_button, page.next_button
        self.pages.addWidget(page)

        # --- summary page
        summary_page = QWidget()
        s_layout = w.vbox(summary_page, margins=24, spacing=16)
        self.summary_title = w.heading(1)
        self.summary_score = w.heading(2)
        self.summary_score.setObjectName("score")
        self.summary_text = w.paragraph()
        self.retry_button = w.button()
        self.retry_button.setObjectName("retry")
        self.retry_button.clicked.connect(self.retry)
        self.back_button = w.button(primary=True)
        self.back_button.setObjectName("back-to-track")
        self.back_button.clicked.connect(self._back_to_track)
        for widget in (self.summary_title, self.summary_score, self.summary_text):
            s_layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addWidget(self.back_button)
        row.addStretch(1)
        s_layout.addLayout(row)
        s_layout.addStretch(1)
        self.pages.addWidget(summary_page)

    # ------------------------------------------------------------ flow

    def enter(self, lesson_id: str = "", resume: bool = False, **kwargs) -> None:
        self.lesson_id = lesson_id or self.lesson_id
        resolved = self.session.library.lesson(self.lesson_id, self.session.content_locale)
        self.lesson = resolved.item if resolved else None
        learner = self.session.learner
        store = self.session.store
        self.grades = {}
        self.index = 0
        saved = store.progress(learner.id).get(self.lesson_id) if learner else None
        position = saved.position if saved else {}
        if resume and position.get("screen") == "quiz" and position.get("attempt"):
            # Pick up the unfinished attempt after the last answered question.
            self.attempt = int(position["attempt"])
            answered = {row["question_id"] for row in store.answers(learner.id, self.lesson_id, self.attempt)}
            questions = self.lesson.questions if self.lesson else []
            while self.index < len(questions) and questions[self.index].id in answered:
                self.index += 1
            self.index = max(self.index, int(position.get("question", 0)))
        else:
            self.attempt = store.next_attempt(learner.id, self.lesson_id) if learner else 1
        self._show_question()

    def _questions(self):
        return self.lesson.questions if self.lesson else []

    def current(self):
        questions = self._questions()
        return questions[self.index] if 0 <= self.index < len(questions) else None

    def _save_position(self) -> None:
        if self.session.learner:
            self.session.store.save_position(
                self.session.learner.id, self.lesson_id,
                {"screen": "quiz", "attempt": self.attempt, "question": self.index},
            )  # fmt: skip

    def _show_question(self) -> None:
        question = self.current()
        if question is None:
            self._finish()
            return
        self.pages.setCurrentIndex(0)
        self._save_position()
        self.read_aloud.stop()
        w.clear_layout(self.answer_slot)
        self.answer_widget = answer_widget_for(question, self._plain)
        self.answer_widget.changed.connect(self.message.hide)
        self.answer_slot.addWidget(self.answer_widget)
        self.answer_widget.show()  # now, not on the next event loop pass: focus needs it visible
        self.message.hide()
        self.feedback.hide()
        self.feedback.clear()
        self._shown_at = time.monotonic()
        self.retranslate()
        self.check_button.setVisible(question.type != "description")
        self.next_button.setVisible(question.type == "description")
        # Tab in reading order: read aloud, the answers, then Check (the answers are made last).
        inputs = [child for child in self.answer_widget.findChildren(QWidget)
                  if child.focusPolicy() & Qt.TabFocus and child.isVisibleTo(self.answer_widget)]  # fmt: skip
        order = [self.read_aloud.read_button, self.read_aloud.stop_button, *inputs, self.check_button,
                 self.next_button]  # fmt: skip
        for before, after in zip(order, order[1:]):
            QWidget.setTabOrder(before, after)
        first = self.answer_widget.first_input()
        (first or self.next_button).setFocus(Qt.OtherFocusReason)

    def check(self) -> None:
        question = self.current()
        if question is None or self.answer_widget is None:
            return
        response = self.answer_widget.response()
        if response is None:
            self.message.setText(_("Please answer first, then press “Check”."))
            self.message.show()
            return
        result = grade(question, response)
        # Commit first, then show: feedback is the learner's receipt.
        self.session.store.record_answer(
            self.session.learner.id,
            self.lesson_id,
            self.attempt,
            question.id,
            response_to_json(question, response),
            result.credit,
            time.monotonic() - self._shown_at,
        )
        self.grades[question.id] = result
        self.answer_widget.lock()
        self._show_feedback(question, result)
        self.check_button.hide()
        self.next_button.show()
        self.next_button.setFocus(Qt.OtherFocusReason)
        self.retranslate()

    def _show_feedback(self, question, result) -> None:
        show_feedback(self.feedback, result, lambda text: self._html(text, question.format))

    def _plain(self, text: str) -> str:
        """Answer labels: plain text with number markup expanded."""
        language = self.lesson.locale if self.lesson else self.session.locale
        return expand(text, language, self.session.region)

    def _html(self, text: str, fmt: str) -> str:
        """Question or feedback text as safe HTML, numbers in the learner's style."""
        language = self.lesson.locale if self.lesson else self.session.locale
        return question_html(text, fmt, language, self.session.region)

    def next(self) -> None:
        self.index += 1
        self._show_question()

    def _finish(self) -> None:
        learner = self.session.learner
        graded = [q.id for q in self._questions() if q.type not in NOT_GRADED]
        if learner and self.lesson is not None:
            self.score = self.session.store.finish_attempt(
                learner.id, self.lesson_id, self.attempt, graded, self.lesson.pass_score
            )
        self.pages.setCurrentIndex(1)
        self.retranslate()
        self.back_button.setFocus(Qt.OtherFocusReason)

    def retry(self) -> None:
        self.enter(lesson_id=self.lesson_id)

    def _back_to_track(self) -> None:
        if self.lesson is None or self.lesson.kind == "knowledge-check":
            self.window.go("home", reset=True)
        else:
            self.window.go("track", track_id=self.lesson.track)

    @property
    def passed(self) -> bool:
        return self.score is not None and self.lesson is not None and self.score + 1e-9 >= self.lesson.pass_score

    # ------------------------------------------------------------ text

    def _speakable(self) -> tuple[str, str]:
        """The question as read aloud: its text, the answers to choose from, then any feedback."""
        parts = [plain_text(self.question_text.text())]
        if self.answer_widget is not None:
            parts += [label.text() for label in self.answer_widget.findChildren(QLabel) if label.text()]
        if self.feedback.isVisible():
            parts.append(plain_text(self.feedback.text()))
        return "\n".join(parts), self.lesson.locale if self.lesson else self.session.locale

    def retranslate(self) -> None:
        self.read_aloud.refresh()
        questions = self._questions()
        question = self.current()
        # Translators: a verb on a button: check the answer the learner chose.
        self.check_button.setText(pgettext("button", "Check"))
        w.name(self.check_button, _("Check my answer"))
        last = self.index >= len(questions) - 1
        self.next_button.setText(_("See my score") if last else _("Next question"))
        w.name(self.next_button, self.next_button.text())
        if question is not None and self.pages.currentIndex() == 0:
            self.counter.setText(
                _("Question %(number)d of %(total)d") % {"number": self.index + 1, "total": len(questions)}
            )
            self.question_text.setText(self._html(question.text, question.format))
            w.name(self.question_text, question.text)
        if self.pages.currentIndex() == 1 and self.lesson is not None:
            self.summary_title.setText(_("Quiz finished: %(title)s") % {"title": self.lesson.title})
            score = i18n.format_percent(self.score or 0)
            self.summary_score.setText(_("Your score: %(score)s") % {"score": score})
            needed = i18n.format_percent(self.lesson.pass_score)
            if self.passed:
                self.summary_text.setText(_("Well done, you passed (%(needed)s needed).") % {"needed": needed})
            else:
                self.summary_text.setText(
                    _("Not passed yet: %(needed)s is needed. Read the lesson again or try the quiz once more.")
                    % {"needed": needed}
                )
        self.retry_button.setText(_("Try again"))
        w.name(self.retry_button, _("Try the quiz again"))
        is_check = self.lesson is not None and self.lesson.kind == "knowledge-check"
        self.back_button.setText(_("Back to Home") if is_check else _("Back to the track"))
        w.name(self.back_button, self.back_button.text())

    def title(self) -> str:
        return _("Quiz: %(title)s") % {"title": self.lesson.title} if self.lesson else _("Quiz")
