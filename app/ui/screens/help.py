"""Where to get help: the learner's region's escalation path and its channels."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from app import paths
from app.content.helpdir import region_page_html
from app.i18n import _
from app.ui import widgets as w
from app.ui.browser import LessonBrowser
from app.ui.screens.base import Screen
from app.ui.screens.settings import fill_region_combo


class HelpScreen(Screen):
    name = "help"

    def __init__(self, window):
        super().__init__(window)
        layout = w.vbox(self, margins=16, spacing=10)
        row = QHBoxLayout()
        self.region_label = QLabel()
        self.region = QComboBox()
        self.region.setObjectName("help-region")
        self.region_label.setBuddy(self.region)
        self.region.activated.connect(self._region_chosen)
        row.addWidget(self.region_label)
        row.addWidget(self.region, 1)
        self.page = LessonBrowser([paths.assets_dir()])
        self.page.setObjectName("help-page")
        layout.addLayout(row)
        layout.addWidget(self.page, 1)

    def enter(self, **kwargs) -> None:
        self.retranslate()
        self.region.setFocus()

    def _region_chosen(self, index: int) -> None:
        self.session.set_region(self.region.itemData(index))
        self.retranslate()

    def retranslate(self) -> None:
        self.region_label.setText(_("Your region"))
        w.name(self.region, _("Your region"))
        fill_region_combo(self.region, self.session)
        region = self.session.help_directory.regions.get(self.session.region or "")
        if region is None:
            self.page.setHtml("<p>%s</p>" % _("Choose your region above to see where to complain or ask for help."))
        else:
            self.page.setHtml(region_page_html(region, self.session.locale))
        w.name(self.page, _("Where to get help"))

    def title(self) -> str:
        return _("Where to get help")
