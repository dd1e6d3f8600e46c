"""Read aloud: what is spoken, in which language, and what learners are told when it cannot work.

A fake engine stands in for Qt's text-to-speech (the seam is app.ui.speech.use_engines):
it records every word that would have been said and reports states like the real one.
"""

from __future__ import annotations

import enum

import pytest
from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel

from app.ui import speech

State = enum.Enum("State", "Ready Speaking Paused Error Synthesizing")


class FakeEngine(QObject):
    """The part of QTextToSpeech that Lantern uses, with voices for the given locales."""

    stateChanged = Signal(object)  # noqa: N815 - Qt's name

    def __init__(self, locales=("en_GB",)):
        super().__init__()
        self.locales = [QLocale(name) for name in locales]
        self.locale = QLocale("en_GB")
        self.said: list[tuple[str, str]] = []  # (locale name, text)
        self.rate = 0.0
        self.stops = 0
        self._state = State.Ready

    def availableLocales(self):  # noqa: N802
        return self.locales

    def setLocale(self, locale):  # noqa: N802
        self.locale = locale

    def availableVoices(self):  # noqa: N802
        return [f"voice-{self.locale.name()}"] if self.locale in self.locales else []

    def setVoice(self, voice):  # noqa: N802
        self.voice = voice

    def setRate(self, rate):  # noqa: N802
        self.rate = rate

    def state(self):
        return self._state

    def _set(self, state):
        self._state = state
        self.stateChanged.emit(state)

    def say(self, text):
        self.said.append((self.locale.name(), text))
        self._set(State.Speaking)

    def stop(self):
        self.stops += 1
        self._set(State.Ready)


class FakeEngines:
    def __init__(self, engine=None, problem: str | None = None):
        self.engine, self.problem = engine, problem

    def probe(self):
        if self.problem:
            raise speech.SpeechUnavailable(self.problem)

    def create(self):
        self.probe()
        return self.engine


@pytest.fixture
def engine():
    fake = FakeEngine(("en_GB", "zh_CN"))
    speech.use_engines(FakeEngines(fake))
    yield fake
    speech.use_engines(None)


@pytest.fixture
def no_engine():
    speech.use_engines(FakeEngines(problem="no speech engine"))
    yield
    speech.use_engines(None)


def signed_in(make_window, locale="en"):
    window = make_window(locale=locale)
    window.session.create_learner("Ana")
    window.go("home", reset=True)
    return window


def press(qtbot, button):
    QApplication.processEvents()
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.LeftButton)


def test_lesson_is_read_in_its_own_language_and_stops(qtbot, make_window, engine):
    window = signed_in(make_window, "zh-Hans")
    lesson = window.go("lesson", lesson_id="every-type")
    bar = lesson.read_aloud
    assert bar.read_button.text() and not bar.stop_button.isEnabled()
    press(qtbot, bar.read_button)
    locale, text = engine.said[-1]
    assert locale == "zh_CN"  # the Chinese voice, not the English one
    assert text == lesson.browser.toPlainText() and "每种题型" in text
    assert bar.stop_button.isEnabled()
    press(qtbot, bar.stop_button)
    assert engine.stops == 1 and not bar.stop_button.isEnabled()
    assert not bar.message.isVisible()


def test_quiz_question_is_read_with_its_choices_and_then_its_feedback(qtbot, make_window, engine):
    window = signed_in(make_window)
    quiz = window.go("quiz", lesson_id="every-type")
    press(qtbot, quiz.read_aloud.read_button)
    locale, text = engine.said[-1]
    assert locale == "en_GB"
    choices = [label.text() for label in quiz.answer_widget.findChildren(QLabel)]
    assert choices and all(choice in text for choice in choices)
    assert speech.plain_text(quiz.question_text.text()) in text
    quiz.answer_widget.first_input().click()
    press(qtbot, quiz.check_button)
    press(qtbot, quiz.read_aloud.read_button)
    assert speech.plain_text(quiz.feedback.text()) in engine.said[-1][1]
    # The next question silences the last one.
    stops = engine.stops
    press(qtbot, quiz.next_button)
    assert engine.stops == stops + 1


def test_leaving_the_screen_stops_reading(qtbot, make_window, engine):
    window = signed_in(make_window)
    lesson = window.go("lesson", lesson_id="every-type")
    press(qtbot, lesson.read_aloud.read_button)
    assert speech.speaker().speaking
    window.go("home")
    assert engine.stops == 1 and not speech.speaker().speaking


def test_slower_reading_speed_reaches_the_engine(qtbot, make_window, engine):
    window = signed_in(make_window)
    window.appearance.set_speech_rate("slower")
    lesson = window.go("lesson", lesson_id="every-type")
    press(qtbot, lesson.read_aloud.read_button)
    assert engine.rate == speech.rate_value("slower") < 0


def test_without_a_speech_engine_the_learner_is_told_what_to_install(qtbot, make_window, no_engine):
    window = signed_in(make_window)
    lesson = window.go("lesson", lesson_id="every-type")
    press(qtbot, lesson.read_aloud.read_button)
    assert lesson.read_aloud.message.isVisible()
    assert lesson.read_aloud.message.text() == speech.not_available_text()
    assert "speech-dispatcher" in speech.not_available_text() and "libpulse0" in speech.not_available_text()
    settings = window.go("settings")
    assert settings.speech_status.isVisible() and settings.speech_status.text() == speech.not_available_text()


def test_no_voice_for_the_lessons_language_is_said_plainly(qtbot, make_window):
    speech.use_engines(FakeEngines(FakeEngine(("en_US",))))
    try:
        window = signed_in(make_window, "zh-Hans")
        lesson = window.go("lesson", lesson_id="every-type")
        press(qtbot, lesson.read_aloud.read_button)
        assert lesson.read_aloud.message.text() == speech.no_voice_text("zh-Hans")
        assert "中文" in lesson.read_aloud.message.text()
        assert speech.speaker().engines.engine.said == []
    finally:
        speech.use_engines(None)


def test_an_engine_error_while_speaking_is_reported(qtbot, make_window, engine):
    window = signed_in(make_window)
    lesson = window.go("lesson", lesson_id="every-type")
    press(qtbot, lesson.read_aloud.read_button)
    engine._set(State.Error)
    assert lesson.read_aloud.message.isVisible()
    assert not lesson.read_aloud.stop_button.isEnabled()


def test_read_aloud_can_be_turned_off_and_it_is_remembered(qtbot, make_window, engine):
    window = signed_in(make_window)
    settings = window.go("settings")
    settings.read_aloud.setFocus()
    qtbot.keyClick(settings.read_aloud, Qt.Key_Space)
    assert not settings.read_aloud.isChecked()
    learner = window.session.learner
    assert window.session.store.setting(f"pref.{learner.id}.read_aloud") == "off"
    lesson = window.go("lesson", lesson_id="every-type")
    assert not lesson.read_aloud.isVisible()
    quiz = window.go("quiz", lesson_id="every-type")
    assert not quiz.read_aloud.isVisible()


def test_try_the_voice_in_settings_speaks_the_interface_language(qtbot, make_window, engine):
    window = signed_in(make_window, "zh-Hans")
    settings = window.go("settings")
    assert not settings.speech_status.isVisible()
    press(qtbot, settings.try_voice)
    assert engine.said[-1][0] == "zh_CN"


def test_qt_speech_module_is_used_when_present_and_explained_when_not():
    """The real module: on this computer either it loads (with Qt's silent "mock" engine) or it
    cannot (no PySide6-Addons, or no libpulse), and then nothing crashes."""
    try:
        from PySide6 import QtTextToSpeech  # noqa: F401
    except ImportError:
        engines = speech.Engines()
        with pytest.raises(speech.SpeechUnavailable):
            engines.probe()
        voice = speech.Speech(engines)
        assert not voice.available()
        assert voice.say("Hello", "en") == speech.not_available_text()
        return
    voice = speech.Speech(speech.Engines("mock"))
    assert voice.available()
    result = voice.say("Hello", "en")
    assert result in (None, speech.no_voice_text("en"))  # the mock engine's voices vary by Qt version
    voice.stop()
