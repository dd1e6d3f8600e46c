"""Settings: the learner's language and region (more preferences join here)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from app import i18n
from app.i18n import _
from app.ui import widgets as w
from app.ui.screens.base import Screen


def fill_region_combo(combo: QComboBox, session) -> None:
    """Regions with help channels, named in the learner's language, sorted for it."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_("Not chosen"), None)
    codes = session.help_directory.region_codes()
    named = sorted((i18n.territory_name(code, session.locale), code) for code in codes)
    for label, code in named:
        combo.addItem(label, code)
    index = combo.findData(session.region)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


class SettingsScreen(Screen):
    name = "settings"

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=16)
        self.heading = w.heading(1)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.language = QComboBox()
        self.language.setObjectName("settings-language")
        for tag in i18n.shipped_locales():
            self.language.addItem(i18n.language_name(tag), tag)
        self.language.activated.connect(lambda i: self.window.change_language(self.language.itemData(i)))
        self.region = QComboBox()
        self.region.setObjectName("settings-region")
        self.region.activated.connect(self._region_chosen)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.region_label = QLabel()
        self.region_label.setBuddy(self.region)
        self.region_hint = w.paragraph()
        self.region_hint.setObjectName("hint")
        self.form.addRow(self.language_label, self.language)
        self.form.addRow(self.region_label, self.region)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.region_hint)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))

    def enter(self, **kwargs) -> None:
        self.retranslate()
        self.language.setFocus()

    def _region_chosen(self, index: int) -> None:
        self.session.set_region(self.region.itemData(index))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Settings"))
        self.language_label.setText(_("Language"))
        w.name(self.language, _("Language"))
        self.language.setCurrentIndex(max(0, self.language.findData(self.session.locale)))
        self.region_label.setText(_("Your region"))
        w.name(self.region, _("Your region"), _("Decides which complaint and help channels lessons show"))
        fill_region_combo(self.region, self.session)
        self.region_hint.setText(
            _("Laws, regulators and hotlines differ from place to place. Lessons show the "
              "official channels for the region you choose here.")
        )  # fmt: skip

    def title(self) -> str:
        return _("Settings")
