"""My progress: every lesson's status, best score, attempts and time spent."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app import i18n
from app.i18n import _
from app.ui import widgets as w
from app.ui.knowledge import knowledge_gain
from app.ui.screens.base import Screen
from app.ui.screens.home import track_counts
from app.ui.screens.track import status_text


class ProgressScreen(Screen):
    name = "progress"

    def __init__(self, window):
        super().__init__(window)
        layout = w.vbox(self, margins=24, spacing=12)
        self.heading = w.heading(1)
        self.summary = w.paragraph()
        self.knowledge = w.paragraph()
        self.knowledge.setObjectName("knowledge-gain")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("progress-table")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setWordWrap(True)
        for widget in (self.heading, self.summary, self.knowledge):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)

    def enter(self, **kwargs) -> None:
        self.retranslate()
        self.table.setFocus()

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """(track, lesson, status, attempts, time) for every lesson, in course order."""
        session = self.session
        library = session.library
        progress = session.store.progress(session.learner.id) if session.learner else {}
        rows = []
        for track_id in library.track_ids():
            track = library.track(track_id, session.content_locale)
            track_title = track.item.title if track else track_id
            for lesson_id in library.lesson_ids(track_id, session.region):
                lesson = library.lesson(lesson_id, session.content_locale)
                p = progress.get(lesson_id)
                rows.append((
                    track_title,
                    lesson.item.title if lesson else lesson_id,
                    status_text(p),
                    i18n.format_number(p.attempts) if p else "",
                    i18n.format_duration_minutes(p.seconds_spent) if p else "",
                ))  # fmt: skip
        return rows

    def retranslate(self) -> None:
        self.heading.setText(_("My progress"))
        done = total = 0
        for track_id in self.session.library.track_ids():
            d, t = track_counts(self.session, track_id)
            done, total = done + d, total + t
        self.summary.setText(_("%(done)d of %(total)d lessons done") % {"done": done, "total": total})
        gain = knowledge_gain(self.session)
        self.knowledge.setVisible(gain.lesson_id is not None)
        self.knowledge.setText(_("Knowledge check: %(summary)s") % {"summary": gain.summary()})
        self.table.setHorizontalHeaderLabels(
            [_("Track"), _("Lesson"), _("Status"), _("Quiz attempts"), _("Time spent")]
        )
        w.name(self.table, _("Progress per lesson"))
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

    def title(self) -> str:
        return _("My progress")
