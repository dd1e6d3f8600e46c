"""``lantern preview FILE``: the lesson and its quiz as learners will see them, reloaded on save.

A QFileSystemWatcher watches the file *and* its folder: many editors save by
writing a new file and renaming it over the old one, after which the watcher
has lost the file; the folder's change tells us, and the file is watched again.
Changes are gathered for a short moment (``debounce_ms``) so one save that
touches the file several times reloads once. A file that cannot be read does
not close the window: its problems are listed beside the last good rendering.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter, QWidget

from app import i18n, paths
from app.content.gift import MatchPair, NumericalAnswer, Question
from app.content.lesson import Lesson, load_lesson, split_name
from app.content.problems import LessonError, Problem
from app.content.render import question_html, render_lesson
from app.i18n import _
from app.ui import widgets as w
from app.ui.browser import LessonBrowser

DEBOUNCE_MS = 150


def translations_of(path: Path) -> list[Path]:
    """The file and its translations (``slug.*.md`` beside it), source language first."""
    try:
        slug, _locale = split_name(path)
    except LessonError:
        return [path]
    found = sorted(path.parent.glob(f"{slug}.*.md"), key=lambda p: (split_name(p)[1] != i18n.SOURCE_LOCALE, p.name))
    return found or [path]


def quiz_html(lesson: Lesson) -> str:
    """Every question with its answers marked, weights and feedback: the author's view of the quiz."""
    if not lesson.questions:
        return ""
    title = html.escape(_("Quiz"))
    parts = [f"<hr/><h2>{title}</h2>"]
    for number, q in enumerate(lesson.questions, 1):
        parts.append(f"<h3>{number}. {html.escape(q.id)} <small>({html.escape(q.type.replace('_', ' '))})</small></h3>")
        parts.append(question_html(q.text, q.format))
        parts.append(_answers_html(q))
        if q.general_feedback:
            parts.append(f"<p><i>{question_html(q.general_feedback, q.format)}</i></p>")
    return "".join(parts)


def _answers_html(q: Question) -> str:
    items = []
    for a in q.answers:
        if isinstance(a, MatchPair):
            items.append(f"{html.escape(a.text) or '—'} → {html.escape(a.match)}")
            continue
        if isinstance(a, NumericalAnswer):
            text = _("any other number") if a.value is None else f"{a.value:g} ± {a.tolerance:g}"
        else:
            text = html.escape(a.text)
        mark = "✔" if a.fraction >= 0.999 else ("✘" if a.fraction <= 0 else f"{a.fraction * 100:g} %")
        feedback = f" — <i>{question_html(a.feedback, q.format)}</i>" if a.feedback else ""
        items.append(f"<b>{mark}</b> {text}{feedback}")
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


class PreviewWindow(QMainWindow):
    reloaded = Signal()  # after every (re)load, successful or not

    def __init__(self, path: Path, debounce_ms: int = DEBOUNCE_MS):
        super().__init__()
        self.setObjectName("preview-window")
        self.path = Path(path).resolve()
        self.lesson: Lesson | None = None
        self.problems: list[Problem] = []
        self.reloads = 0

        central = QWidget()
        layout = w.vbox(central, margins=8, spacing=8)
        top = QHBoxLayout()
        self.file_label = QLabel()
        self.file_label.setObjectName("hint")
        self.language = QComboBox()
        self.language.setObjectName("preview-language")
        self.language.activated.connect(lambda i: self.open(Path(self.language.itemData(i))))
        top.addWidget(self.file_label, 1)
        top.addWidget(self.language)
        self.notice = w.notice()
        self.notice.setObjectName("preview-notice")
        self.browser = LessonBrowser([self.path.parent.parent, paths.assets_dir()])
        self.browser.setObjectName("preview-text")
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("preview-problems")
        self.problem_list.setWordWrap(True)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.browser)
        split.addWidget(self.problem_list)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.reload)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self.resize(1100, 800)
        self.open(self.path)

    # ------------------------------------------------------------ watching

    def open(self, path: Path) -> None:
        """Show *path* (one of the translations) and watch it from now on."""
        for watched in self.watcher.files() + self.watcher.directories():
            self.watcher.removePath(watched)
        self.path = Path(path).resolve()
        self.watcher.addPath(str(self.path.parent))
        self.reload()

    def _changed(self, _path: str) -> None:
        self.timer.start()  # restart: many events from one save make one reload

    def _watch_file(self) -> None:
        # After a replace-by-rename the watcher no longer has the file: add it again.
        if self.path.exists() and str(self.path) not in self.watcher.files():
            self.watcher.addPath(str(self.path))

    # ------------------------------------------------------------ showing

    def reload(self) -> None:
        from app.content.checker import check_paths

        self._watch_file()
        self.reloads += 1
        try:
            lesson = load_lesson(self.path)
        except LessonError as exc:
            self.problems = [exc.problem]
            self._show_broken()
        else:
            self.lesson = lesson
            folder = self.path.parent
            scope = [folder] if any(folder.glob("_track.*.md")) else [self.path]
            self.problems = [p for p in check_paths(scope) if Path(p.file).resolve() == self.path]
            self._show_lesson(lesson)
        self._fill_problems()
        self._fill_languages()
        self.retranslate()
        self.reloaded.emit()

    def _show_lesson(self, lesson: Lesson) -> None:
        try:
            body = render_lesson(lesson)
        except LessonError as exc:
            self.problems.append(exc.problem)
            body = f"<h1>{html.escape(lesson.title)}</h1>"
        self.browser.set_lesson_html(body + quiz_html(lesson), self.path.parent)
        self.browser.setLayoutDirection(Qt.RightToLeft if i18n.is_rtl(lesson.locale) else Qt.LeftToRight)
        self.notice.hide()

    def _show_broken(self) -> None:
        if self.lesson is None or self.lesson.path.resolve() != self.path:
            message = html.escape(_("This file cannot be shown yet; see the problems beside it."))
            self.browser.setHtml(f"<p>{message}</p>")
        self.notice.setText(_("The file has an error: the last version that could be read is shown."))
        self.notice.setVisible(self.lesson is not None and self.lesson.path.resolve() == self.path)

    def _fill_problems(self) -> None:
        self.problem_list.clear()
        for problem in self.problems:
            where = f"{problem.line}:{problem.column}" if problem.column else str(problem.line or "")
            item = QListWidgetItem(f"{where}  {problem.severity.value} {problem.code}: {problem.message}")
            item.setData(Qt.UserRole, problem.code)
            self.problem_list.addItem(item)
        if not self.problems:
            self.problem_list.addItem(_("No problems found."))

    def _fill_languages(self) -> None:
        self.language.blockSignals(True)
        self.language.clear()
        for path in translations_of(self.path):
            try:
                locale = split_name(path)[1]
            except LessonError:
                locale = path.name
            self.language.addItem(i18n.language_name(locale) if locale else path.name, str(path.resolve()))
        index = self.language.findData(str(self.path))
        self.language.setCurrentIndex(max(0, index))
        self.language.blockSignals(False)

    def retranslate(self) -> None:
        errors = sum(p.is_error for p in self.problems)
        self.setWindowTitle(_("Preview: %(file)s") % {"file": self.path.name})
        self.file_label.setText(_("%(file)s — %(errors)d error(s), %(warnings)d warning(s); updates when you save.")
                                % {"file": str(self.path), "errors": errors, "warnings": len(self.problems) - errors})
        w.name(self.language, _("Language of the lesson"))
        w.name(self.browser, _("Lesson preview"))
        w.name(self.problem_list, _("Problems in this file"))


def run_preview(path: Path) -> int:
    from app.ui.application import display_available, make_qapplication

    if not display_available():
        print("lantern: the preview needs a screen (set QT_QPA_PLATFORM=offscreen to test without one)",
              file=sys.stderr)  # fmt: skip
        return 1
    app = make_qapplication()
    window = PreviewWindow(path)
    window.show()
    return app.exec()
