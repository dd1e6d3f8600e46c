"""My progress: mastery per track, a next step, the knowledge-check gain, certificates, every lesson.

Mastery of a track is the mean of its lessons' best quiz scores (a lesson not
yet taken counts 0), so it grows with every lesson and reaches 100% only when
every quiz was answered fully right. A track is complete, and earns its
certificate, when every lesson of it is passed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app import i18n
from app.i18n import _, ngettext, pgettext
from app.ui import widgets as w
from app.ui.charts import BarChart
from app.ui.knowledge import knowledge_gain
from app.ui.screens.base import Screen
from app.ui.screens.track import status_text


def track_mastery(session, track_id: str) -> float:
    ids = session.library.lesson_ids(track_id, session.region)
    if not ids or session.learner is None:
        return 0.0
    progress = session.store.progress(session.learner.id)
    return sum((progress[i].best_score or 0.0) if i in progress else 0.0 for i in ids) / len(ids)


class ProgressScreen(Screen):
    name = "progress"

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=12)
        self.heading = w.heading(1)
        self.summary = w.paragraph()
        self.summary.setObjectName("progress-summary")
        # A friendly next step, with the button that takes it.
        self.next_card, self.next_title, self.next_text, self.next_button = w.action_card(primary=True)
        self.next_text.setObjectName("next-step")
        self.next_button.setObjectName("next-step-button")
        self.next_button.clicked.connect(self._take_next_step)
        self._next: tuple[str, dict] | None = None
        self.mastery_title = w.heading(2)
        self.mastery_chart = BarChart()
        self.mastery_chart.setObjectName("mastery-chart")
        self.knowledge = w.paragraph()
        self.knowledge.setObjectName("knowledge-gain")
        self.knowledge_chart = BarChart()
        self.knowledge_chart.setObjectName("knowledge-chart")
        self.certificates_title = w.heading(2)
        self.certificates_text = w.paragraph()
        self.certificates_box = w.vbox(spacing=8)
        self.lessons_title = w.heading(2)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("progress-table")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setWordWrap(True)
        # The page scrolls, not the table: every lesson is visible at once.
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
        for widget in (self.heading, self.summary, self.next_card, self.mastery_title, self.mastery_chart,
                       self.knowledge, self.knowledge_chart, self.certificates_title, self.certificates_text):
            layout.addWidget(widget)  # fmt: skip
        layout.addLayout(self.certificates_box)
        layout.addWidget(self.lessons_title)
        layout.addWidget(self.table)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))

    def enter(self, **kwargs) -> None:
        self.retranslate()
        (self.next_button if not self.next_card.isHidden() else self.table).setFocus()

    # ------------------------------------------------------------ data

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

    def _track_title(self, track_id: str) -> str:
        resolved = self.session.library.track(track_id, self.session.content_locale)
        return resolved.item.title if resolved else track_id

    def completed_tracks(self) -> list[str]:
        from app.ui.certificate import track_complete

        session = self.session
        progress = session.store.progress(session.learner.id) if session.learner else {}
        return [t for t in session.library.track_ids() if track_complete(session.library, progress, t, session.region)]

    def next_step(self) -> tuple[str, tuple[str, dict] | None, str]:
        """(sentence, where the button goes, button text): reviews first, then the next lesson."""
        from app.ui.review_queue import due_count_text, due_questions

        session = self.session
        due = len(due_questions(session))
        if due:
            return (_("You have %(count)s. A few minutes now help you remember for months.")
                    % {"count": due_count_text(due)}, ("review", {}), _("Start review"))  # fmt: skip
        progress = session.store.progress(session.learner.id) if session.learner else {}
        for track_id in session.library.track_ids():
            for lesson_id in session.library.lesson_ids(track_id, session.region):
                p = progress.get(lesson_id)
                if p is not None and p.passed:
                    continue
                resolved = session.library.lesson(lesson_id, session.content_locale)
                title = i18n.isolate(resolved.item.title if resolved else lesson_id)
                if p is None:
                    sentence = _("Next up: %(lesson)s. Each lesson takes only a few minutes.") % {"lesson": title}
                elif p.status == "completed":
                    sentence = _("So close: read %(lesson)s again and retake its quiz to pass.") % {"lesson": title}
                else:
                    sentence = _("Pick up where you stopped: %(lesson)s.") % {"lesson": title}
                return sentence, ("lesson", {"lesson_id": lesson_id}), _("Open the lesson")
        gain = knowledge_gain(session)
        if gain.lesson_id and gain.after is None:
            return (_("You passed every lesson. Take the knowledge check again to see how much you learned."),
                    ("quiz", {"lesson_id": gain.lesson_id}), _("Take the check again"))  # fmt: skip
        return _("You passed every lesson. Well done! Save your certificates below."), None, ""

    def _take_next_step(self) -> None:
        if self._next:
            name, kwargs = self._next
            self.window.go(name, **kwargs)

    # ------------------------------------------------------------ text

    def retranslate(self) -> None:
        session = self.session
        self.heading.setText(_("My progress"))
        rows_progress = session.store.progress(session.learner.id) if session.learner else {}
        lesson_ids = [lid for t in session.library.track_ids() for lid in session.library.lesson_ids(t, session.region)]
        passed = sum(1 for lid in lesson_ids if lid in rows_progress and rows_progress[lid].passed)
        started = sum(1 for lid in lesson_ids if lid in rows_progress and not rows_progress[lid].passed)
        seconds = sum(p.seconds_spent for p in rows_progress.values())
        answering = sum(a["seconds"] for a in session.store.answers(session.learner.id)) if session.learner else 0
        self.summary.setText(
            _("%(done)d of %(total)d lessons passed, %(started)d in progress. Time spent learning: %(time)s.")
            % {"done": passed, "total": len(lesson_ids), "started": started,
               "time": i18n.format_duration_minutes(seconds + answering)}
        )  # fmt: skip

        sentence, self._next, button_text = self.next_step()
        self.next_title.setText(_("Your next step"))
        self.next_text.setText(sentence)
        self.next_button.setVisible(self._next is not None)
        self.next_button.setText(button_text)
        w.name(self.next_button, button_text or _("Your next step"), sentence)

        self._update_mastery()
        self._update_knowledge()
        self._update_certificates()

        self.lessons_title.setText(_("Every lesson"))
        self.table.setHorizontalHeaderLabels(
            [pgettext("noun: a group of lessons", "Track"), _("Lesson"), _("Status"), _("Quiz attempts"), _("Time spent")]
        )
        w.name(self.table, _("Progress per lesson"))
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

    def _update_mastery(self) -> None:
        track_ids = self.session.library.track_ids()
        titles = [self._track_title(t) for t in track_ids]
        values = [track_mastery(self.session, t) for t in track_ids]
        self.mastery_title.setText(_("Mastery per track"))
        chart = self.mastery_chart
        chart.value_text = i18n.format_percent
        chart.empty_text = _("No tracks yet.")
        chart.set_data(values, titles, maximum=1.0)
        described = "; ".join(f"{title}: {i18n.format_percent(v)}" for title, v in zip(titles, values))
        w.name(chart, _("Mastery per track"),
               _("Mastery is the average best quiz score of a track's lessons. %(values)s") % {"values": described})

    def _update_knowledge(self) -> None:
        gain = knowledge_gain(self.session)
        self.knowledge.setVisible(gain.lesson_id is not None)
        self.knowledge.setText(_("Knowledge check: %(summary)s") % {"summary": gain.summary()})
        self.knowledge_chart.setVisible(gain.before is not None)
        if gain.before is None:
            return
        values = [gain.before] + ([gain.after] if gain.after is not None else [])
        labels = [_("Before"), _("Now")][: len(values)]
        chart = self.knowledge_chart
        chart.value_text = i18n.format_percent
        chart.set_data(values, labels, maximum=1.0)
        chart.setMinimumHeight(150)
        w.name(chart, _("Knowledge check before and now"), gain.summary())

    def _update_certificates(self) -> None:
        w.clear_layout(self.certificates_box)
        done = self.completed_tracks()
        self.certificates_title.setText(_("Certificates"))
        self.certificates_text.setText(
            ngettext("You completed %(n)d track. Save its certificate or print it.",
                     "You completed %(n)d tracks. Save their certificates or print them.", len(done)) % {"n": len(done)}
            if done else _("Pass every lesson of a track to earn its certificate.")
        )  # fmt: skip
        for track_id in done:
            title = self._track_title(track_id)
            row = QHBoxLayout()
            label = w.paragraph()
            label.setText(title)
            row.addWidget(label, 1)
            actions = (("save-certificate", _("Save as PDF"), _("Save the certificate for %(track)s as PDF"),
                        self.save_certificate),
                       ("print-certificate", _("Print"), _("Print the certificate for %(track)s"),
                        self.print_certificate))  # fmt: skip
            for object_name, text, accessible, act in actions:
                action = w.button()
                action.setObjectName(object_name)
                action.setProperty("track", track_id)
                action.setText(text)
                w.name(action, accessible % {"track": i18n.isolate(title)})
                action.clicked.connect(lambda _c=False, t=track_id, act=act: act(t))
                row.addWidget(action)
            self.certificates_box.addLayout(row)

    # ------------------------------------------------------------ certificates

    def certificate(self, track_id: str, issued: date | None = None):
        from app.ui.certificate import Certificate

        return Certificate(self.session.learner.nickname, self._track_title(track_id), issued or date.today(),
                           self.session.locale)  # fmt: skip

    def save_certificate(self, track_id: str):
        from app.ui.certificate import ChooseCertificateFile, suggested_file_name, write_pdf

        cert = self.certificate(track_id)
        path = ChooseCertificateFile.choose(self, _("Save the certificate"), suggested_file_name(cert, track_id))
        if path is None:
            return None
        try:
            write_pdf(cert, path)
        except OSError as exc:
            w.Ask.inform(self, _("Save the certificate"),
                         _("The certificate could not be saved: %(reason)s") % {"reason": exc.strerror or exc})
            return None  # fmt: skip
        w.Ask.inform(self, _("Save the certificate"), _("Certificate saved: %(file)s") % {"file": str(path)})
        return path

    def print_certificate(self, track_id: str) -> bool:
        from app.ui.certificate import print_certificate

        return print_certificate(self.certificate(track_id), self)

    def title(self) -> str:
        return _("My progress")
