"""Read aloud: lesson text and quiz questions spoken with Qt's text-to-speech.

Qt's speech module (PySide6.QtTextToSpeech, in the PySide6-Addons wheel) is
imported only when first needed, and every way it can fail (the module or
libpulse missing, no speech engine, no voice for the lesson's language, an
engine error while speaking) ends in a plain message for the learner instead
of a crash. On Linux it needs libpulse0 and speech-dispatcher (with a voice
such as espeak-ng's); see docs/accessibility.md.

``Speech`` talks to an engine through the part of QTextToSpeech's API listed
in ``Engines``; tests hand it fake engines with ``use_engines`` and hear
nothing, but see every word that would have been said.
"""

from __future__ import annotations

import sys
from typing import Callable

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app import i18n
from app.i18n import N_, _
from app.ui import widgets as w

# (stored value, label, QTextToSpeech rate from -1 to 1)
SPEECH_RATES = [("slower", N_("Slower"), -0.35), ("normal", N_("Normal"), 0.0), ("faster", N_("Faster"), 0.35)]


class SpeechUnavailable(Exception):
    """Read aloud cannot work on this computer; the message says why (for the log)."""


class Engines:
    """Qt's speech engines. A replacement (tests) offers the same two methods.

    ``create()`` returns an object with QTextToSpeech's ``say``, ``stop``,
    ``state``, ``stateChanged``, ``availableLocales``, ``setLocale``,
    ``availableVoices``, ``setVoice`` and ``setRate``, or raises SpeechUnavailable.
    """

    def __init__(self, name: str | None = None):
        self.name = name  # a particular engine ("speechd", "sapi", "darwin", …); None: the first real one

    def _module(self):
        try:
            from PySide6 import QtTextToSpeech
        except ImportError as exc:  # no PySide6-Addons, or libpulse.so.0 missing on Linux
            raise SpeechUnavailable(f"Qt speech module: {exc}") from exc
        return QtTextToSpeech

    def _engine_name(self, module) -> str:
        names = [n for n in module.QTextToSpeech.availableEngines() if n == self.name or
                 (self.name is None and n != "mock")]  # fmt: skip  # "mock" is Qt's silent test engine
        if not names:
            raise SpeechUnavailable("no speech engine")
        return names[0]

    def probe(self) -> None:
        """Raise SpeechUnavailable if speech surely cannot work; starts nothing."""
        self._engine_name(self._module())

    def create(self):
        module = self._module()
        engine = module.QTextToSpeech(self._engine_name(module))
        if engine.state() == module.QTextToSpeech.State.Error:
            raise SpeechUnavailable(f"speech engine: {engine.errorString()}")
        return engine


def not_available_text() -> str:
    if sys.platform.startswith("linux"):
        return _("Read aloud is not available on this computer: install speech-dispatcher and libpulse0, "
                 "then start Lantern again.")  # fmt: skip
    return _("Read aloud is not available on this computer: no speech engine was found.")


def no_voice_text(language: str) -> str:
    return _("There is no voice for %(language)s on this computer, so this text cannot be read aloud. "
             "Your computer's speech settings may offer one to install.") % {"language": i18n.language_name(language)}  # fmt: skip


def plain_text(html: str) -> str:
    """What a rich-text label says, without its markup."""
    return QTextDocumentFragment.fromHtml(html).toPlainText()


def _state_name(state) -> str:
    return getattr(state, "name", str(state))


class Speech(QObject):
    """The app's one voice: says a text in a language, stops, and tells why it cannot."""

    speaking_changed = Signal(bool)
    failed = Signal(str)  # a message for the learner, when speaking stopped with an error

    def __init__(self, engines=None, parent=None):
        super().__init__(parent)
        self.engines = engines or Engines()
        self._engine = None
        self._problem: str | None = None  # why not, for the log; set once it is known
        self.speaking = False

    def set_engines(self, engines) -> None:
        """Speak with other *engines* from now on (tests use fakes)."""
        self.stop()
        if self._engine is not None:
            self._engine.stateChanged.disconnect(self._state_changed)
        self.engines, self._engine, self._problem = engines, None, None

    def available(self) -> bool:
        """False when read aloud surely cannot work here (checked without starting an engine)."""
        if self._engine is not None:
            return True
        if self._problem is None:
            try:
                self.engines.probe()
            except SpeechUnavailable as exc:
                self._problem = str(exc)
        return self._problem is None

    def _ready_engine(self):
        if self._engine is None and self.available():
            try:
                self._engine = self.engines.create()
            except SpeechUnavailable as exc:
                self._problem = str(exc)
                return None
            self._engine.stateChanged.connect(self._state_changed)
        return self._engine

    def say(self, text: str, language: str, rate: float = 0.0) -> str | None:
        """Start reading *text* in *language*; None when it started, else a message saying why not."""
        self.stop()
        engine = self._ready_engine()
        if engine is None:
            return not_available_text()
        locale = self.voice_locale(language)
        if locale is None:
            return no_voice_text(language)
        engine.setLocale(locale)
        voices = engine.availableVoices()
        if not voices:
            return no_voice_text(language)
        engine.setVoice(voices[0])
        engine.setRate(rate)
        engine.say(text)
        return None

    def voice_locale(self, language: str) -> QLocale | None:
        """The engine's locale for *language* (zh-Hant → a Traditional Chinese voice first), or None."""
        engine = self._ready_engine()
        if engine is None:
            return None
        wanted = QLocale(language.replace("-", "_"))
        same = [loc for loc in engine.availableLocales() if loc.language() == wanted.language()]
        if not same:
            return None
        same.sort(key=lambda loc: (loc.script() != wanted.script(), loc.territory() != wanted.territory()))
        return same[0]

    def stop(self) -> None:
        if self._engine is not None and self.speaking:
            self._engine.stop()
        self._set_speaking(False)

    def _state_changed(self, state) -> None:
        name = _state_name(state)
        self._set_speaking(name in ("Speaking", "Synthesizing"))
        if name == "Error":
            self.failed.emit(_("Read aloud stopped because the speech engine reported a problem."))

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self.speaking_changed.emit(speaking)


_shared: Speech | None = None


def speaker() -> Speech:
    """The app's one Speech, made on first use."""
    global _shared
    if _shared is None:
        _shared = Speech()
    return _shared


def use_engines(engines) -> Speech:
    """Speak through *engines* (tests: fakes; None: Qt's own again)."""
    speech = speaker()
    speech.set_engines(engines or Engines())
    return speech


def rate_value(name: str) -> float:
    return next((value for key, _label, value in SPEECH_RATES if key == name), 0.0)


class ReadAloudBar(QWidget):
    """"Read aloud" and "Stop" buttons, with a line that says when reading aloud cannot work.

    *source* returns (plain text, language tag) at the moment the learner asks.
    Hidden when the learner turned read aloud off; stops speaking when hidden.
    """

    def __init__(self, appearance, source: Callable[[], tuple[str, str]], parent=None):
        super().__init__(parent)
        self.appearance = appearance
        self.source = source
        layout = w.vbox(self, spacing=4)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.read_button = w.button()
        self.read_button.setObjectName("read-aloud")
        self.read_button.clicked.connect(self.read)
        self.stop_button = w.button()
        self.stop_button.setObjectName("stop-reading")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        row.addWidget(self.read_button)
        row.addWidget(self.stop_button)
        row.addStretch(1)
        self.message = w.paragraph()
        self.message.setObjectName("read-aloud-message")
        self.message.hide()
        layout.addLayout(row)
        layout.addWidget(self.message)
        appearance.changed.connect(self.refresh)
        self._set_texts()

    def refresh(self) -> None:
        """Text in the current language; shown only when the learner wants read aloud."""
        self.setVisible(self.appearance.read_aloud)
        self._set_texts()

    def _set_texts(self) -> None:
        self.read_button.setText(_("Read aloud"))
        w.name(self.read_button, _("Read aloud"), _("Read this text aloud with the computer's voice"))
        self.stop_button.setText(_("Stop"))
        w.name(self.stop_button, _("Stop reading aloud"))

    def read(self) -> None:
        text, language = self.source()
        problem = speaker().say(text, language, rate_value(self.appearance.speech_rate)) if text.strip() else None
        if problem:
            self._show_message(problem)
        else:
            self.message.hide()

    def stop(self) -> None:
        speaker().stop()

    def _speaking_changed(self, speaking: bool) -> None:
        self.stop_button.setEnabled(speaking)
        if not speaking and self.stop_button.hasFocus():
            self.read_button.setFocus()  # focus never falls off a button that became disabled

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # The app-wide voice is connected only while the bar is shown, so it never keeps a closed
    # window (and its screens) alive through its signals.
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        speech = speaker()
        speech.speaking_changed.connect(self._speaking_changed)
        speech.failed.connect(self._show_message)
        self.stop_button.setEnabled(speech.speaking)
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Leaving the screen (or turning read aloud off) silences it.
        speech = speaker()
        if speech.speaking:
            speech.stop()
        speech.speaking_changed.disconnect(self._speaking_changed)
        speech.failed.disconnect(self._show_message)
        super().hideEvent(event)
