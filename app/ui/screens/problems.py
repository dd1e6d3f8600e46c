"""Problems: lesson files that could not be loaded, and why (for educators)."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget

from app.i18n import _, ngettext
from app.ui import widgets as w
from app.ui.screens.base import Screen


class ProblemsScreen(Screen):
    name = "problems"

    def __init__(self, window):
        super().__init__(window)
        layout = w.vbox(self, margins=24, spacing=12)
        self.heading = w.heading(1)
        self.intro = w.paragraph()
        self.list = QListWidget()
        self.list.setObjectName("problem-list")
        self.list.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)

    def enter(self, **kwargs) -> None:
        self.retranslate()
        self.list.setFocus()

    def retranslate(self) -> None:
        broken = self.session.library.broken
        self.heading.setText(_("Lesson problems"))
        self.intro.setText(
            ngettext(
                "%(n)d file was skipped. Everything else works. An educator can fix it with the details below.",
                "%(n)d files were skipped. Everything else works. An educator can fix them with the details below.",
                len(broken),
            ) % {"n": len(broken)}
            if broken else _("All lesson files loaded without problems.")
        )  # fmt: skip
        self.list.clear()
        for problem in broken:
            self.list.addItem(problem.format())
        w.name(self.list, _("Files that could not be loaded"))

    def title(self) -> str:
        return _("Lesson problems")
