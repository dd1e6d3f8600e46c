"""Home: the tracks with the learner's progress, and where to continue."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from app import i18n
from app.i18n import _, ngettext, pgettext
from app.ui import widgets as w
from app.ui.knowledge import knowledge_gain
from app.ui.screens.base import Screen


def track_counts(session, track_id: str) -> tuple[int, int]:
    """(completed lessons, lessons) of a track for the current learner."""
    ids = session.library.lesson_ids(track_id, session.region)
    progress = session.store.progress(session.learner.id) if session.learner else {}
    done = sum(1 for lid in ids if lid in progress and progress[lid].status == "completed")
    return done, len(ids)


class HomeScreen(Screen):
    name = "home"

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=16)
        self.greeting = w.heading(1)
        self.continue_button = w.ElidingButton()
        self.continue_button.setProperty("role", "primary")
        self.continue_button.setCursor(Qt.PointingHandCursor)
        self.continue_button.setObjectName("continue")
        self.continue_button.clicked.connect(self._continue)
        self.problems_notice = w.notice()
        self.check_card, self.check_title, self.check_text, self.check_button = w.action_card()
        self.check_button.setObjectName("knowledge-check")
        self.check_button.clicked.connect(self._take_check)
        self.review_card, self.review_title, self.review_text, self.review_button = w.action_card(primary=True)
        self.review_text.setObjectName("review-count")
        self.review_button.setObjectName("start-review")
        self.review_button.clicked.connect(lambda: self.window.go("review"))
        self.tracks_label = w.heading(2)
        self.tracks_box = w.vbox(spacing=12)
        for widget in (self.greeting, self.continue_button, self.problems_notice, self.review_card,
                       self.check_card, self.tracks_label):
            layout.addWidget(widget)
        layout.addLayout(self.tracks_box)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))
        self._resume: tuple[str, dict] | None = None

    def enter(self, **kwargs) -> None:
        self.retranslate()
        focus = self.continue_button if self.continue_button.isVisible() else None
        if not self.review_card.isHidden():
            focus = self.review_button
        if focus is None and self.tracks_box.count():
            focus = self.findChild(QWidget, "open-track")
        if focus is not None:
            focus.setFocus()

    def _continue(self) -> None:
        if self._resume:
            lesson_id, position = self._resume
            screen = "quiz" if position.get("screen") == "quiz" else "lesson"
            self.window.go(screen, lesson_id=lesson_id, resume=True)

    def _take_check(self) -> None:
        gain = knowledge_gain(self.session)
        if gain.lesson_id:
            self.window.go("quiz", lesson_id=gain.lesson_id)

    def _update_check_card(self) -> None:
        gain = knowledge_gain(self.session)
        self.check_card.setVisible(gain.lesson_id is not None)
        self.check_title.setText(_("Check your knowledge"))
        self.check_text.setText(gain.summary())
        self.check_button.setText(_("Take the check") if gain.before is None else _("Take the check again"))
        w.name(self.check_button, self.check_button.text())

    def _update_review_card(self) -> None:
        from app.ui.review_queue import due_count_text, due_questions

        count = len(due_questions(self.session))
        self.review_card.setVisible(count > 0)
        self.review_title.setText(_("Time to review"))
        self.review_text.setText(
            due_count_text(count) + " " + _("Questions you missed come back after a while, so they stick.")
        )
        self.review_button.setText(_("Start review"))
        w.name(self.review_button, _("Start review: %(count)s") % {"count": due_count_text(count)})

    def _rebuild(self) -> None:
        w.clear_layout(self.tracks_box)
        library = self.session.library
        for track_id in library.track_ids():
            resolved = library.track(track_id, self.session.content_locale)
            title = resolved.item.title if resolved else track_id
            summary = resolved.item.summary if resolved else ""
            done, total = track_counts(self.session, track_id)
            frame = w.card()
            box = w.vbox(frame, margins=16, spacing=8)
            head = w.heading(2)
            head.setText(title)
            text = w.paragraph()
            text.setText(summary)
            bar = QProgressBar()
            bar.setRange(0, max(total, 1))
            bar.setValue(done)
            bar.setTextVisible(False)
            status = _("%(done)d of %(total)d lessons done") % {"done": done, "total": total}
            w.name(bar, status)
            label = w.paragraph()
            label.setText(status)
            row = QHBoxLayout()
            row.addWidget(bar, 1)
            row.addWidget(label)
            open_button = w.button()
            open_button.setObjectName("open-track")
            open_button.setProperty("track", track_id)
            # Translators: a verb on a button that opens a track of lessons.
            open_button.setText(pgettext("button", "Open"))
            w.name(open_button, _("Open %(track)s") % {"track": title})
            open_button.clicked.connect(lambda _c=False, t=track_id: self.window.go("track", track_id=t))
            for widget in (head, text):
                box.addWidget(widget)
            box.addLayout(row)
            box.addWidget(open_button)
            self.tracks_box.addWidget(frame)

    def retranslate(self) -> None:
        learner = self.session.learner
        self.greeting.setText(
            _("Hello, %(name)s") % {"name": i18n.isolate(learner.nickname)} if learner else _("Hello")
        )
        self._resume = None
        last = self.session.store.last_activity(learner.id) if learner else None
        resolved = self.session.library.lesson(last.lesson_id, self.session.content_locale) if last else None
        if last and resolved:
            self._resume = (last.lesson_id, last.position)
            # Translators: %(lesson)s is the title of the lesson the learner was reading.
            self.continue_button.set_full_text(
                _("Continue where you left off: %(lesson)s") % {"lesson": i18n.isolate(resolved.item.title)}
            )
            self.continue_button.show()
        else:
            self.continue_button.hide()
        broken = len(self.session.library.broken)
        if broken:
            self.problems_notice.setText(
                ngettext(
                    "%(n)d lesson file could not be loaded. The other lessons work as usual.",
                    "%(n)d lesson files could not be loaded. The other lessons work as usual.",
                    broken,
                )
                % {"n": broken}
            )
            self.problems_notice.show()
        else:
            self.problems_notice.hide()
        self.tracks_label.setText(_("Your course"))
        self._update_review_card()
        self._update_check_card()
        self._rebuild()

    def title(self) -> str:
        return _("Home")
