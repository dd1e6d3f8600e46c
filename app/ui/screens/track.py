"""Track: its introduction and its lessons with the learner's status."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app import i18n
from app.i18n import _, pgettext
from app.ui import widgets as w
from app.ui.screens.base import Screen


def status_text(progress) -> str:
    """One short phrase for a lesson's state, shared by the track and progress screens."""
    if progress is None:
        return _("Not started")
    if progress.status != "completed":
        return _("In progress")
    score = i18n.format_percent(progress.best_score or 0)
    if progress.passed:
        return _("Passed, best score %(score)s") % {"score": score}
    return _("Not passed yet, best score %(score)s") % {"score": score}


class TrackScreen(Screen):
    name = "track"

    def __init__(self, window):
        super().__init__(window)
        self.track_id = ""
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=14)
        self.heading = w.heading(1)
        self.notice = w.notice()
        self.intro = w.paragraph()
        self.lessons_box = w.vbox(spacing=10)
        for widget in (self.heading, self.notice, self.intro):
            layout.addWidget(widget)
        layout.addLayout(self.lessons_box)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))

    def enter(self, track_id: str = "", **kwargs) -> None:
        self.track_id = track_id or self.track_id
        self.retranslate()
        first = self.findChild(QWidget, "open-lesson")
        if first is not None:
            first.setFocus()

    def retranslate(self) -> None:
        library = self.session.library
        resolved = library.track(self.track_id, self.session.content_locale)
        self.heading.setText(resolved.item.title if resolved else self.track_id)
        self.intro.setText(resolved.item.intro if resolved else "")
        self.notice.setVisible(bool(resolved and resolved.is_fallback))
        if resolved and resolved.is_fallback:
            self.notice.setText(_("This track is not yet available in your language; it is shown in %(lang)s.")
                                % {"lang": i18n.language_name(resolved.used)})  # fmt: skip
        w.clear_layout(self.lessons_box)
        progress = self.session.store.progress(self.session.learner.id) if self.session.learner else {}
        for number, lesson_id in enumerate(library.lesson_ids(self.track_id, self.session.region), start=1):
            lesson = library.lesson(lesson_id, self.session.content_locale)
            if lesson is None:
                continue
            frame = w.card()
            box = w.vbox(frame, margins=14, spacing=6)
            title = w.heading(2)
            title.setText(_("%(number)d. %(title)s") % {"number": number, "title": lesson.item.title})
            summary = w.paragraph()
            summary.setText(lesson.item.summary)
            meta = w.paragraph()
            meta.setObjectName("hint")
            parts = [status_text(progress.get(lesson_id))]
            if lesson.item.minutes:
                parts.append(i18n.format_duration_minutes(lesson.item.minutes * 60))
            if lesson.is_fallback:
                parts.append(_("in %(lang)s") % {"lang": i18n.language_name(lesson.used)})
            meta.setText(" · ".join(parts))
            row = QHBoxLayout()
            open_button = w.button(primary=lesson_id not in progress)
            open_button.setObjectName("open-lesson")
            open_button.setProperty("lesson", lesson_id)
            open_button.setText(_("Read") if lesson_id not in progress else _("Open again"))
            w.name(open_button, "%s: %s" % (open_button.text(), lesson.item.title))
            open_button.clicked.connect(lambda _c=False, l=lesson_id: self.window.go("lesson", lesson_id=l))
            row.addWidget(open_button)
            row.addStretch(1)
            for widget in (title, summary, meta):
                box.addWidget(widget)
            box.addLayout(row)
            self.lessons_box.addWidget(frame)

    def title(self) -> str:
        return pgettext("noun: a group of lessons", "Track")
