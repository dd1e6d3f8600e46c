"""Settings: language and region, text size and theme, read aloud.

Text size, theme and read aloud are the learner's own (app/ui/theme.py keeps
them); every change shows at once, on every screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from app import i18n
from app.i18n import _
from app.ui import speech
from app.ui import widgets as w
from app.ui.screens.base import Screen
from app.ui.theme import TEXT_SIZES, THEME_CHOICES


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


def _fill(combo: QComboBox, items: list[tuple[object, str]], current) -> None:
    """(data, label) items, the one holding *current* chosen, without emitting a change."""
    combo.blockSignals(True)
    combo.clear()
    for data, label in items:
        combo.addItem(label, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


class SettingsScreen(Screen):
    name = "settings"

    def __init__(self, window):
        super().__init__(window)
        self.appearance = window.appearance
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=16)
        self.heading = w.heading(1)

        self.form = self._form()
        self.language = self._combo("settings-language")
        for tag in i18n.shipped_locales():
            self.language.addItem(i18n.language_name(tag), tag)
        self.language.activated.connect(lambda i: self.window.change_language(self.language.itemData(i)))
        self.region = self._combo("settings-region")
        self.region.activated.connect(self._region_chosen)
        self.language_label = self._row(self.form, self.language)
        self.region_label = self._row(self.form, self.region)
        self.region_hint = w.paragraph()
        self.region_hint.setObjectName("hint")

        self.display_heading = w.heading(2)
        self.display_form = self._form()
        self.text_size = self._combo("settings-text-size")
        self.text_size.activated.connect(lambda i: self.appearance.set_text_size(self.text_size.itemData(i)))
        self.theme = self._combo("settings-theme")
        self.theme.activated.connect(lambda i: self.appearance.set_theme(self.theme.itemData(i)))
        self.text_size_label = self._row(self.display_form, self.text_size)
        self.theme_label = self._row(self.display_form, self.theme)
        self.display_hint = w.paragraph()
        self.display_hint.setObjectName("hint")

        self.speech_heading = w.heading(2)
        self.read_aloud = QCheckBox()
        self.read_aloud.setObjectName("settings-read-aloud")
        self.read_aloud.setProperty("role", "setting")
        self.read_aloud.toggled.connect(self.appearance.set_read_aloud)
        self.speech_form = self._form()
        self.speech_rate = self._combo("settings-speech-rate")
        self.speech_rate.activated.connect(lambda i: self.appearance.set_speech_rate(self.speech_rate.itemData(i)))
        self.speech_rate_label = self._row(self.speech_form, self.speech_rate)
        self.try_voice = w.button()
        self.try_voice.setObjectName("settings-try-voice")
        self.try_voice.clicked.connect(self._try_voice)
        try_row = QHBoxLayout()
        try_row.addWidget(self.try_voice)
        try_row.addStretch(1)
        self.speech_status = w.paragraph()
        self.speech_status.setObjectName("settings-speech-status")

        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.region_hint)
        layout.addWidget(self.display_heading)
        layout.addLayout(self.display_form)
        layout.addWidget(self.display_hint)
        layout.addWidget(self.speech_heading)
        layout.addWidget(self.read_aloud)
        layout.addLayout(self.speech_form)
        layout.addLayout(try_row)
        layout.addWidget(self.speech_status)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))
        self.appearance.changed.connect(self._show_preferences)

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)  # label above its field when space is short
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        return form

    @staticmethod
    def _combo(object_name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(object_name)
        combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        return combo

    @staticmethod
    def _row(form: QFormLayout, field: QWidget) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setBuddy(field)
        form.addRow(label, field)
        return label

    def enter(self, **kwargs) -> None:
        self.retranslate()
        self.language.setFocus()

    def _region_chosen(self, index: int) -> None:
        self.session.set_region(self.region.itemData(index))
        self.retranslate()

    def _try_voice(self) -> None:
        problem = speech.speaker().say(_("This is how Lantern reads lessons and questions aloud."),
                                       self.session.locale, speech.rate_value(self.appearance.speech_rate))  # fmt: skip
        self.speech_status.setText(problem or "")
        self.speech_status.setVisible(bool(problem))

    def _show_preferences(self) -> None:
        """The controls show the current preferences (they also change with Ctrl +/−)."""
        appearance = self.appearance
        _fill(self.text_size, [(size, i18n.format_percent(size / 100)) for size in TEXT_SIZES], appearance.text_size)
        _fill(self.theme, [(key, _(label)) for key, label in THEME_CHOICES], appearance.theme_choice)
        _fill(self.speech_rate, [(key, _(label)) for key, label, _rate in speech.SPEECH_RATES],
              appearance.speech_rate)  # fmt: skip
        self.read_aloud.blockSignals(True)
        self.read_aloud.setChecked(appearance.read_aloud)
        self.read_aloud.blockSignals(False)

    def retranslate(self) -> None:
        self.heading.setText(_("Settings"))
        self.language_label.setText(_("Language"))
        w.name(self.language, _("Language"), _("The language of Lantern and of its lessons"))
        self.language.setCurrentIndex(max(0, self.language.findData(self.session.locale)))
        self.region_label.setText(_("Your region"))
        w.name(self.region, _("Your region"), _("Decides which complaint and help channels lessons show"))
        fill_region_combo(self.region, self.session)
        self.region_hint.setText(
            _("Laws, regulators and hotlines differ from place to place. Lessons show the "
              "official channels for the region you choose here.")
        )  # fmt: skip

        self.display_heading.setText(_("Text and colours"))
        self.text_size_label.setText(_("Text size"))
        w.name(self.text_size, _("Text size"), _("How large text is on every screen"))
        self.theme_label.setText(_("Colours"))
        w.name(self.theme, _("Colours"), _("Light, dark or high contrast, or the same as this computer"))
        self.display_hint.setText(_("On any screen, Ctrl and + makes text larger, Ctrl and − smaller, "
                                    "and Ctrl and 0 brings it back to normal."))  # fmt: skip

        self.speech_heading.setText(_("Read aloud"))
        self.read_aloud.setText(_("Show “Read aloud” buttons on lessons and quiz questions"))
        w.name(self.read_aloud, self.read_aloud.text(), _("The computer's voice reads the text for you"))
        self.speech_rate_label.setText(_("Reading speed"))
        w.name(self.speech_rate, _("Reading speed"))
        self.try_voice.setText(_("Try the voice"))
        w.name(self.try_voice, _("Try the voice"), _("Reads a short sentence aloud in your language"))
        available = speech.speaker().available()
        self.speech_status.setText("" if available else speech.not_available_text())
        self.speech_status.setVisible(not available)
        self._show_preferences()

    def title(self) -> str:
        return _("Settings")
