"""Glossary: every financial word the lessons use, explained plainly, in the learner's language.

Terms are sorted the way the language sorts (QCollator: pinyin for Simplified
Chinese, strokes for Traditional, Arabic alphabet order); the filter field
narrows the list as the learner types, ignoring accents and case.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app import i18n, paths
from app.content.glossary import Term, glossary_for
from app.content.search import fold
from app.i18n import _, ngettext
from app.ui import widgets as w
from app.ui.browser import LessonBrowser
from app.ui.screens.base import Screen


def sorted_terms(terms: list[Term], locale: str) -> list[Term]:
    """*terms* in the alphabetical order of *locale*."""
    collator = QCollator(QLocale(locale.replace("-", "_")))
    collator.setCaseSensitivity(Qt.CaseInsensitive)
    collator.setNumericMode(True)
    return sorted(terms, key=lambda t: collator.sortKey(t.term))


class GlossaryScreen(Screen):
    name = "glossary"

    def __init__(self, window):
        super().__init__(window)
        layout = w.vbox(self, margins=16, spacing=10)
        self.label = QLabel()
        self.filter = QLineEdit()
        self.filter.setObjectName("glossary-filter")
        self.filter.setClearButtonEnabled(True)
        self.label.setBuddy(self.filter)
        self.filter.textChanged.connect(self._show)
        self.count = w.paragraph()
        self.count.setObjectName("glossary-count")
        self.page = LessonBrowser([paths.assets_dir()])
        self.page.setObjectName("glossary-terms")
        for widget in (self.label, self.filter, self.count):
            layout.addWidget(widget)
        layout.addWidget(self.page, 1)
        self.shown: list[Term] = []

    def enter(self, term: str = "", **kwargs) -> None:
        self.retranslate()
        self.filter.setFocus(Qt.OtherFocusReason)
        if term:
            self.page.scrollToAnchor(f"glossary-{term}")

    def retranslate(self) -> None:
        self.label.setText(_("Find a word"))
        self.filter.setPlaceholderText(_("For example: interest"))
        w.name(self.filter, _("Find a word"), _("Shows only the words that contain what you type"))
        w.name(self.page, _("Glossary"))
        self._show()

    def _show(self) -> None:
        locale = self.session.content_locale
        glossary = glossary_for(self.session.library.root)
        wanted = fold(self.filter.text().strip())
        terms = sorted_terms(glossary.terms(locale), self.session.locale)
        self.shown = [t for t in terms if not wanted or wanted in fold(t.term + "\n" + t.definition)]
        names = {t.id: t.term for t in terms}
        parts = []
        for t in self.shown:
            parts.append(f'<h3><a name="glossary-{t.id}"></a>{html.escape(t.term)}</h3><p>{html.escape(t.definition)}</p>')
            related = [f'<a href="#glossary-{s}">{html.escape(names[s])}</a>' for s in t.see_also if s in names]
            if related:
                parts.append("<p><small>%s</small></p>" % html.escape(_("See also: %(terms)s"))
                             .replace("%(terms)s", ", ".join(related)))  # fmt: skip
        self.page.setHtml("".join(parts))
        self.page.setLayoutDirection(Qt.RightToLeft if i18n.is_rtl(self.session.locale) else Qt.LeftToRight)
        if self.filter.text().strip():
            self.count.setText(ngettext("%(n)d word", "%(n)d words", len(self.shown)) % {"n": len(self.shown)}
                               if self.shown else _("No word matches “%(text)s”.") % {"text": self.filter.text()})
        else:
            self.count.setText(_("Short, plain explanations of the words used in the lessons."))

    def title(self) -> str:
        return _("Glossary")
