"""Reports for educators: who started, completed and passed each lesson; item analysis per
question with flags and charts; CSV export; and installing lesson packs.

The figures come from ``app.progress.reports`` (see docs/reports.md); this
screen only lays them out, so the CSV export has exactly the columns shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from PySide6.QtCore import Qt

from app import i18n
from app.i18n import _, ngettext
from app.progress import reports
from app.ui import widgets as w
from app.ui.charts import BarChart
from app.ui.screens.base import Screen


class Files:
    """The one place this screen asks for a file name. Tests set ``answer`` instead of a dialog."""

    answer: str | None = None

    @classmethod
    def save(cls, parent, title: str, name: str) -> str:
        if cls.answer is not None:
            return cls.answer
        path, _filter = QFileDialog.getSaveFileName(parent, title, name, _("CSV files (*.csv)"))
        return path

    @classmethod
    def open(cls, parent, title: str) -> str:
        if cls.answer is not None:
            return cls.answer
        path, _filter = QFileDialog.getOpenFileName(parent, title, "", _("Lesson packs (*.lantern-pack)"))
        return path


class PackInstall(QThread):
    """Installs a pack off the GUI thread; reports progress and the outcome by signal."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, file: Path, parent=None):
        super().__init__(parent)
        self.file = file

    def run(self) -> None:
        from app.content import packs

        try:
            result = packs.install_pack(self.file, progress=lambda done, total: self.progressed.emit(done, total))
        except packs.PackError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(str(exc))
        else:
            self.succeeded.emit(result)


def _cell(value) -> QTableWidgetItem:
    """A table cell: numbers formatted for the language but sorted as numbers."""
    if value is None:
        item = QTableWidgetItem("")
    elif isinstance(value, (int, float)):
        item = QTableWidgetItem(i18n.format_number(value))
        item.setData(Qt.UserRole, value)
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    else:
        item = QTableWidgetItem(str(value))
    return item


def _table(name: str) -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.setWordWrap(True)
    return table


class ReportsScreen(Screen):
    name = "reports"
    pack_finished = Signal(bool, str)  # success, message (for tests and the status line)

    def __init__(self, window):
        super().__init__(window)
        self.stats: list[reports.LessonStats] = []
        self.current: reports.LessonStats | None = None
        self._worker: PackInstall | None = None
        self._status = ("", "")  # (kind, text) kept untranslated until shown

        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=12)
        self.heading = w.heading(1)
        self.intro = w.paragraph()
        self.lessons_table = _table("report-lessons")
        self.lessons_table.itemSelectionChanged.connect(self._lesson_selected)
        self.lessons_table.setMinimumHeight(200)
        self.export_lessons_button = w.button()
        self.export_lessons_button.setObjectName("export-lessons-csv")
        self.export_lessons_button.clicked.connect(lambda: self.export_csv("lessons"))

        self.lesson_heading = w.heading(2)
        self.questions_table = _table("report-questions")
        self.questions_table.setMinimumHeight(200)
        self.export_questions_button = w.button()
        self.export_questions_button.setObjectName("export-questions-csv")
        self.export_questions_button.clicked.connect(lambda: self.export_csv("questions"))
        self.score_chart = BarChart()
        self.score_chart.setObjectName("score-chart")
        self.facility_chart = BarChart()
        self.facility_chart.setObjectName("facility-chart")
        charts = QSplitter(Qt.Horizontal)
        charts.addWidget(self.score_chart)
        charts.addWidget(self.facility_chart)
        charts.setChildrenCollapsible(False)

        self.packs_heading = w.heading(2)
        self.packs_text = w.paragraph()
        self.import_button = w.button()
        self.import_button.setObjectName("import-pack")
        self.import_button.clicked.connect(self.choose_pack)
        self.progress = QProgressBar()
        self.progress.setObjectName("pack-progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("pack-status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_lessons_button)
        qrow = QHBoxLayout()
        qrow.addWidget(self.lesson_heading, 1)
        qrow.addWidget(self.export_questions_button)
        prow = QHBoxLayout()
        prow.addWidget(self.import_button)
        prow.addWidget(self.progress, 1)
        for widget in (self.heading, self.intro, self.lessons_table):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addLayout(qrow)
        layout.addWidget(self.questions_table)
        layout.addWidget(charts)
        for widget in (self.packs_heading, self.packs_text):
            layout.addWidget(widget)
        layout.addLayout(prow)
        layout.addWidget(self.status)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))

    # ------------------------------------------------------------ data

    def enter(self, **kwargs) -> None:
        self.refresh()
        self.lessons_table.setFocus()

    def leave(self) -> None:
        if self._worker is not None:
            self._worker.wait()

    def refresh(self) -> None:
        """Recompute every figure from the answers log."""
        lessons = reports.library_lessons(self.session.library, self.session.locale)
        self.stats = reports.course_stats(self.session.store.conn, lessons, with_questions=True)
        chosen = self.current.id if self.current else None
        self.current = next((s for s in self.stats if s.id == chosen), None)
        self.retranslate()

    def select_lesson(self, lesson_id: str) -> None:
        for row, stats in enumerate(self.stats):
            if stats.id == lesson_id:
                self.lessons_table.selectRow(row)
                return

    def _lesson_selected(self) -> None:
        rows = {i.row() for i in self.lessons_table.selectedIndexes()}
        if rows:
            item = self.lessons_table.item(min(rows), 0)
            lesson_id = item.text() if item else ""
            self.current = next((s for s in self.stats if s.id == lesson_id), None)
            self._show_lesson()

    # ------------------------------------------------------------ export

    def export_csv(self, which: str) -> Path | None:
        if which == "questions" and self.current is None:
            return None
        if which == "questions":
            headers, rows = reports.question_table(self.current)
            name = f"lantern-{self.current.id}.csv"
        else:
            headers, rows = reports.lesson_table(self.stats)
            name = "lantern-lessons.csv"
        target = Files.save(self, _("Export as CSV"), name)
        if not target:
            return None
        try:
            reports.write_csv(target, headers, rows)
        except OSError as exc:
            self._set_status("error", _("Could not write %(file)s: %(reason)s") % {"file": target, "reason": exc.strerror})
            return None
        self._set_status("ok", _("Saved %(file)s") % {"file": target})
        return Path(target)

    # ------------------------------------------------------------ packs

    def choose_pack(self) -> None:
        path = Files.open(self, _("Import a lesson pack"))
        if path:
            self.install(Path(path))

    def install(self, file: Path) -> None:
        if self._worker is not None and self._worker.isRunning():
            return
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._set_status("", _("Checking %(file)s …") % {"file": file.name})
        self._worker = PackInstall(file, self)
        self._worker.progressed.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_installed)
        self._worker.failed.connect(self._on_failed)
        self._worker.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_installed(self, result) -> None:
        self._worker.wait()
        self.session.load_library()
        self.import_button.setEnabled(True)
        self.progress.setValue(self.progress.maximum())
        manifest = result.manifest
        if result.replaced:
            text = _("Updated “%(title)s” from version %(old)s to %(new)s.") % {
                "title": manifest.title, "old": result.replaced, "new": manifest.version}
        else:
            text = _("Installed “%(title)s” (version %(version)s).") % {
                "title": manifest.title, "version": manifest.version}
        self._set_status("ok", text)
        self.refresh()
        self.pack_finished.emit(True, text)

    def _on_failed(self, message: str) -> None:
        self._worker.wait()
        self.import_button.setEnabled(True)
        self.progress.hide()
        text = _("The pack was not installed; nothing was changed.") + "\n" + message
        self._set_status("error", text)
        self.pack_finished.emit(False, message)

    def _set_status(self, kind: str, text: str) -> None:
        self.status.setObjectName("error" if kind == "error" else "pack-status")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)
        w.name(self.status, text)

    # ------------------------------------------------------------ text

    def _fill(self, table: QTableWidget, headers: list[str], rows: list[list]) -> None:
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, _cell(value))
        if len(headers) > 1:
            table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)  # the title wraps
        table.resizeRowsToContents()

    def retranslate(self) -> None:
        self.heading.setText(_("Reports for educators"))
        learners = len(self.session.store.learners(include_guests=True))
        self.intro.setText(
            ngettext("Figures from the answers of %(n)d learner on this computer. Choose a lesson to see its questions.",
                     "Figures from the answers of %(n)d learners on this computer. Choose a lesson to see its questions.",
                     learners) % {"n": learners})  # fmt: skip
        headers, rows = reports.lesson_table(self.stats)
        self.lessons_table.blockSignals(True)
        self._fill(self.lessons_table, headers, rows)
        if self.current is not None:
            self.lessons_table.selectRow(next(i for i, s in enumerate(self.stats) if s.id == self.current.id))
        self.lessons_table.blockSignals(False)
        w.name(self.lessons_table, _("Lessons: learners started, completed, passed, median score and time"))
        self.export_lessons_button.setText(_("Export lessons as CSV"))
        w.name(self.export_lessons_button, _("Export the lesson table as a CSV file"))
        self.export_questions_button.setText(_("Export questions as CSV"))
        w.name(self.export_questions_button, _("Export the question table as a CSV file"))
        self.packs_heading.setText(_("Lesson packs"))
        installed = [m.title for m in _installed()]
        self.packs_text.setText(
            _("Add lessons from a .lantern-pack file. It is checked first and installed only if every lesson is "
              "correct.") + ("\n" + _("Installed: %(packs)s") % {"packs": ", ".join(installed)} if installed else ""))
        self.import_button.setText(_("Import a lesson pack…"))
        w.name(self.import_button, _("Import a lesson pack"))
        w.name(self.progress, _("Installing the lesson pack"))
        self._show_lesson()

    def _show_lesson(self) -> None:
        stats = self.current
        self.export_questions_button.setEnabled(stats is not None)
        self.score_chart.empty_text = _("No finished quizzes yet.")
        self.facility_chart.empty_text = _("No finished quizzes yet.")
        if stats is None:
            self.lesson_heading.setText(_("Choose a lesson above to see its questions."))
            self._fill(self.questions_table, *reports.question_table(reports.LessonStats("", "", "", 0, 0, 0, None, None)))
            self.score_chart.title = self.facility_chart.title = ""
            self.score_chart.set_data([], [])
            self.facility_chart.set_data([], [])
            for widget in (self.questions_table, self.score_chart, self.facility_chart):
                w.name(widget, _("No lesson chosen"))
            return
        self.lesson_heading.setText(_("Questions of “%(title)s”") % {"title": stats.title})
        self._fill(self.questions_table, *reports.question_table(stats))
        w.name(self.questions_table, _("Questions: facility, discrimination, wrong answers and flags"))

        counts = reports.histogram(stats.scores, 10) if stats.scores else []
        self.score_chart.title = _("Score distribution (first finished attempts)")
        self.score_chart.value_text = lambda v: i18n.format_number(int(v))
        self.score_chart.set_data(counts, [f"{10 * i}–{10 * i + 10}" if i < 9 else "90–100" for i in range(len(counts))])
        bands = "; ".join(f"{10 * i}–{10 * i + 10}%: {c}" for i, c in enumerate(counts) if c)
        w.name(self.score_chart, self.score_chart.title, bands)

        graded = [q for q in stats.questions if q.facility is not None]
        self.facility_chart.title = _("Facility per question (%)")
        self.facility_chart.value_text = lambda v: i18n.format_number(round(v))
        self.facility_chart.set_data([q.facility * 100 for q in graded],
                                     [str(stats.questions.index(q) + 1) for q in graded], maximum=100,
                                     flagged=[bool(q.flags) for q in graded],
                                     guides=[reports.TOO_HARD * 100, reports.TOO_EASY * 100])  # fmt: skip
        described = "; ".join(f"{q.id}: {round(q.facility * 100)}%" for q in graded)
        w.name(self.facility_chart, self.facility_chart.title, described)

    def title(self) -> str:
        return _("Reports for educators")


def _installed():
    from app.content import packs

    return packs.installed()
