"""Lesson reader: the sanitized lesson text, then the way to its quiz."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout

from app import i18n, paths
from app.content.glossary import glossary_for, words_html
from app.content.problems import LessonError
from app.content.render import render_lesson
from app.i18n import _
from app.ui import widgets as w
from app.ui.browser import LessonBrowser
from app.ui.screens.base import Screen
from app.ui.speech import ReadAloudBar


class LessonScreen(Screen):
    name = "lesson"

    def __init__(self, window):
        super().__init__(window)
        self.lesson_id = ""
        self.lesson = None
        self._entered_at = 0.0
        # "Started reading" is written just after the lesson's first frame, not before it: a
        # durable commit waits for the disk. Leaving earlier writes the position anyway.
        self._mark_started = QTimer(self, singleShot=True, interval=0)
        self._mark_started.timeout.connect(lambda: self._save({"screen": "lesson", "scroll": self._opened_at}))
        self._opened_at = 0.0
        layout = w.vbox(self, margins=16, spacing=10)
        self.notice = w.notice()
        # Images may come from the bundled lessons, installed packs or the assets folder, nowhere else.
        self.browser = LessonBrowser([*self.session.library.roots, paths.assets_dir()])
        self.browser.setObjectName("lesson-text")
        self.quiz_button = w.button(primary=True)
        self.quiz_button.setObjectName("start-quiz")
        self.quiz_button.clicked.connect(self._start_quiz)
        self.read_aloud = ReadAloudBar(window.appearance, self._speakable)
        row = QHBoxLayout()
        row.addWidget(self.read_aloud, 1)
        row.addWidget(self.quiz_button, 0, Qt.AlignTop)
        layout.addWidget(self.notice)
        layout.addWidget(self.browser, 1)
        layout.addLayout(row)

    def enter(self, lesson_id: str = "", resume: bool = False, find: str = "", **kwargs) -> None:
        self.lesson_id = lesson_id or self.lesson_id
        self._entered_at = time.monotonic()
        self.retranslate()
        learner = self.session.learner
        position = {}
        if learner:
            saved = self.session.store.progress(learner.id).get(self.lesson_id)
            position = saved.position if (saved and resume) else {}
            self._opened_at = position.get("scroll", 0.0)
            self._mark_started.start()
        scroll = float(position.get("scroll", 0.0))
        # The document lays out asynchronously; restore the scroll once it has.
        # Opened from search: select the first match instead (it scrolls there).
        QTimer.singleShot(0, lambda: self.show_match(find) if find else self._restore_scroll(scroll))
        self.browser.setFocus(Qt.OtherFocusReason)

    def show_match(self, text: str) -> bool:
        """Select the first *text* in the lesson text (after the title heading) and scroll to it."""
        document = self.browser.document()
        found = document.find(text, document.begin().next().position(), QTextDocument.FindCaseSensitively)
        if found.isNull():
            return False
        self.browser.setTextCursor(found)
        self.browser.ensureCursorVisible()
        return True

    def _restore_scroll(self, fraction: float) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(round(fraction * bar.maximum()))

    def scroll_fraction(self) -> float:
        bar = self.browser.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() else 0.0

    def leave(self) -> None:
        self._mark_started.stop()  # the position saved now says more
        if self.session.learner and self.lesson is not None:
            self._save({"screen": "lesson", "scroll": round(self.scroll_fraction(), 4)})

    def _save(self, position: dict) -> None:
        now = time.monotonic()
        spent, self._entered_at = now - self._entered_at, now
        self.session.store.save_position(self.session.learner.id, self.lesson_id, position, spent)

    def _speakable(self) -> tuple[str, str]:
        """The lesson as read aloud: its text as shown, in the lesson's own language."""
        language = self.lesson.locale if self.lesson else self.session.locale
        return self.browser.toPlainText(), language

    def _start_quiz(self) -> None:
        self.window.go("quiz", lesson_id=self.lesson_id)

    def retranslate(self) -> None:
        self.read_aloud.refresh()
        resolved = self.session.library.lesson(self.lesson_id, self.session.content_locale)
        if resolved is None:
            self.lesson = None
            self.browser.setPlainText(_("This lesson is not available."))
            self.quiz_button.hide()
            return
        self.lesson = lesson = resolved.item
        notes = []
        if resolved.is_fallback:
            notes.append(_("This lesson is not yet available in your language; it is shown in %(lang)s.")
                         % {"lang": i18n.language_name(resolved.used)})  # fmt: skip
        if resolved.stale:
            notes.append(_("The original lesson was updated after this translation was made."))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        try:
            body = render_lesson(lesson, self.window.help_html, self.session.region)
            body += words_html(glossary_for(self.session.library.root), lesson.glossary, resolved.used)
        except LessonError as exc:
            body = "<p>%s</p><p><code>%s</code></p>" % (
                html.escape(_("This lesson cannot be shown.")), html.escape(exc.problem.format())
            )
        self.browser.set_lesson_html(body, lesson.path.parent)
        self.browser.setLayoutDirection(Qt.RightToLeft if i18n.is_rtl(resolved.used) else Qt.LeftToRight)
        w.name(self.browser, _("Lesson text: %(title)s") % {"title": lesson.title})
        has_quiz = bool(lesson.questions)
        self.quiz_button.setVisible(has_quiz)
        self.quiz_button.setText(_("Start the quiz"))
        w.name(self.quiz_button, _("Start the quiz"))

    def title(self) -> str:
        return self.lesson.title if self.lesson else _("Lesson")
