"""Search: find the lesson about what worries you, in your language.

Results update as the learner types (after a short pause), each with its
match in bold; Enter or a click opens the lesson at the match. The searching
itself is app.content.search; this screen only shows it.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app import i18n
from app.content.catalog import Library
from app.content import search_cache
from app.content.search import SearchIndex, SearchResult
from app.i18n import _, ngettext
from app.ui import widgets as w
from app.ui.screens.base import Screen

HTML_ROLE = Qt.UserRole + 1  # the item's rich text (the display role keeps plain text for screen readers)
LESSON_ROLE = Qt.UserRole + 2
FIND_ROLE = Qt.UserRole + 3

_cached: tuple[Library, SearchIndex] | None = None


def index_for(library: Library, parent=None, progress_delay: float = 0.5) -> SearchIndex:
    """The search index of *library*, kept while the library is the same: on first use the stored one
    (app.content.search_cache), or built, with a progress bar once that takes longer than *progress_delay* s."""
    global _cached
    if _cached is None or _cached[0] is not library:
        from app.ui.application import LoadingProgress

        progress = LoadingProgress(delay=progress_delay, parent=parent, text=lambda: _("Preparing the search…"))
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            _cached = (library, search_cache.load_or_build(library, progress=progress))
        finally:
            progress.close()
            QApplication.restoreOverrideCursor()
    return _cached[1]


def _bold(text: str, spans) -> str:
    """*text* as HTML with each span in <b>."""
    out, at = [], 0
    for start, end in spans:
        out += [html.escape(text[at:start]), "<b>", html.escape(text[start:end]), "</b>"]
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item's HTML (wrapped to the list's width) instead of its plain text."""

    def _document(self, option: QStyleOptionViewItem, index, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(8)
        text_option = doc.defaultTextOption()
        text_option.setTextDirection(option.direction)
        text_option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(text_option)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(width, 100))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, index, opt.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.HighlightedText if opt.state & QStyle.State_Selected else QPalette.Text
        context.palette.setColor(QPalette.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt override
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        doc = self._document(option, index, width)
        return QSize(width, math.ceil(doc.size().height()))


class SearchScreen(Screen):
    name = "search"
    DEBOUNCE_MS = 250  # wait for a pause in typing; tests set 0

    def __init__(self, window):
        super().__init__(window)
        layout = w.vbox(self, margins=16, spacing=10)
        self.label = QLabel()
        self.query = QLineEdit()
        self.query.setObjectName("search-query")
        self.query.setClearButtonEnabled(True)
        self.label.setBuddy(self.query)
        self.status = w.paragraph()
        self.status.setObjectName("search-status")
        self.results = QListWidget()
        self.results.setObjectName("search-results")
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setResizeMode(QListView.Adjust)
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollPerPixel)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        for widget in (self.label, self.query, self.status):
            layout.addWidget(widget)
        layout.addWidget(self.results, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._open_first)
        self.query.installEventFilter(self)
        self._shown_for: tuple | None = None  # (query, locale, region) of the listed results

    def enter(self, query: str | None = None, **kwargs) -> None:
        if query is not None:
            self.query.setText(query)
        self.retranslate()
        self.query.setFocus(Qt.OtherFocusReason)
        self.query.selectAll()

    def leave(self) -> None:
        self.timer.stop()

    def _typed(self) -> None:
        self.timer.start(self.DEBOUNCE_MS)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        # Down from the search field moves into the results, as in any search box.
        if obj is self.query and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down:
            if self.results.count():
                self.results.setFocus(Qt.TabFocusReason)
                self.results.setCurrentRow(max(self.results.currentRow(), 0))
                return True
        return super().eventFilter(obj, event)

    def run_search(self) -> None:
        """Search now for the field's text and list the results."""
        self.timer.stop()
        text = self.query.text().strip()
        session = self.session
        key = (text, session.content_locale, session.region)
        if key == self._shown_for:
            return
        self._shown_for = key
        self.results.clear()
        if not text:
            self.status.setText(_("Type a word or two. Lesson titles, texts and quiz questions in your language "
                                  "are searched."))  # fmt: skip
            return
        found = index_for(session.library, self.window).search(text, session.content_locale, session.region)
        for result in found:
            self._add(result)
        if found:
            self.status.setText(ngettext("%(n)d lesson found", "%(n)d lessons found", len(found)) % {"n": len(found)})
        else:
            self.status.setText(_("No lesson matches “%(query)s”. Try a shorter or different word.") % {"query": text})

    def _add(self, result: SearchResult) -> None:
        track = self.session.library.track(result.track, self.session.content_locale)
        details = [track.item.title if track else result.track]
        if result.field == "questions":
            details.append(_("in the quiz"))
        if result.is_fallback:
            details.append(_("in %(lang)s") % {"lang": i18n.language_name(result.locale)})
        snippet = _bold(result.snippet, result.snippet_spans)
        rich = (f"<div><big>{_bold(result.title, result.title_spans)}</big></div>"
                f"<div>{snippet}</div><div><small>{html.escape(' · '.join(details))}</small></div>")  # fmt: skip
        plain = "\n".join([result.title, result.snippet, " · ".join(details)])
        item = QListWidgetItem(plain)
        item.setData(HTML_ROLE, rich)
        item.setData(LESSON_ROLE, result.lesson_id)
        item.setData(FIND_ROLE, result.find)
        item.setData(Qt.AccessibleTextRole, plain)
        self.results.addItem(item)

    def _open_first(self) -> None:
        self.run_search()
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._open(item)

    def _open(self, item: QListWidgetItem) -> None:
        if self.window.current is not self:
            return  # the click of a double click already opened it
        self.window.go("lesson", lesson_id=item.data(LESSON_ROLE), find=item.data(FIND_ROLE) or "")

    def retranslate(self) -> None:
        self.label.setText(_("Search the lessons"))
        self.query.setPlaceholderText(_("For example: guaranteed return"))
        w.name(self.query, _("Search the lessons"), _("Results appear below as you type"))
        w.name(self.results, _("Lessons found"), _("Press Enter to open a lesson at the first match"))
        self._shown_for = None  # the language may have changed: search again
        self.run_search()

    def title(self) -> str:
        return _("Search")
