"""Themes: contrast, switching from Settings, following the system live, per-learner preferences
that are exported and erased with the learner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.progress import privacy
from app.ui import theme
from app.ui.theme import DARK, HIGH_CONTRAST, LIGHT


def window_colour() -> str:
    return QApplication.instance().palette().color(QPalette.Window).name()


@pytest.mark.parametrize("t", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_text_contrast_meets_wcag(t):
    needed = 7.0 if t is HIGH_CONTRAST else 4.5  # AAA for high contrast, AA otherwise
    pairs = {
        "text on window": (t.text, t.window),
        "text on base": (t.text, t.base),
        "text on button": (t.text, t.button),
        "hints": (t.placeholder, t.window),
        "hints on base": (t.placeholder, t.base),
        "primary button": (t.on_accent, t.accent),
        "errors": (t.error, t.base),
        "links": (t.link, t.base),
    }
    low = {what: round(theme.contrast_ratio(*colours), 2) for what, colours in pairs.items()
           if theme.contrast_ratio(*colours) < needed}  # fmt: skip
    assert low == {}
    # Borders and the focus outline are visible (WCAG non-text contrast), and focus differs from borders.
    for colour in (t.focus, t.mid, t.success, t.warning, t.error):  # error: also flagged chart bars
        assert theme.contrast_ratio(colour, t.window) >= 3.0, colour
    for border in (t.mid, t.primary_border):
        assert theme.contrast_ratio(t.focus, border) >= 2.0, border  # focus shows by lightness, not hue alone
    assert HIGH_CONTRAST.border_px > LIGHT.border_px  # thicker outlines


def test_theme_chosen_in_settings_applies_at_once_and_is_the_learners(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    settings = window.go("settings")
    assert window_colour() == QColor(LIGHT.window).name()
    settings.theme.setFocus()
    index = settings.theme.findData("high-contrast")
    while settings.theme.currentIndex() < index:
        qtbot.keyClick(settings.theme, Qt.Key_Down)  # the keyboard alone chooses
    assert window.appearance.theme is HIGH_CONTRAST
    assert window_colour() == "#000000"
    assert HIGH_CONTRAST.focus in QApplication.instance().styleSheet()
    assert "4px solid" in QApplication.instance().styleSheet()
    learner = window.session.learner
    assert window.session.store.setting(f"pref.{learner.id}.theme") == "high-contrast"
    # Another learner keeps their own look; the first gets theirs back.
    window.sign_out()
    assert window.appearance.theme_choice == "system" and window_colour() == QColor(LIGHT.window).name()
    window.session.create_learner("Ben")
    window.go("home", reset=True)
    assert window.appearance.theme_choice == "system"
    window.sign_in(learner)
    assert window.appearance.theme is HIGH_CONTRAST and window_colour() == "#000000"


def test_system_colour_scheme_is_followed_live(make_window):
    window = make_window()
    window.session.create_learner("Ana")
    window.go("home", reset=True)
    assert window.appearance.theme_choice == "system"
    hints = QGuiApplication.styleHints()
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what Qt sends when the system switches
        assert window.appearance.theme is DARK and window_colour() == QColor(DARK.window).name()
        assert DARK.focus in QApplication.instance().styleSheet()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert window.appearance.theme is LIGHT and window_colour() == QColor(LIGHT.window).name()
        # A learner who chose a theme keeps it whatever the system does.
        window.appearance.set_theme("light")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert window.appearance.theme is LIGHT and window_colour() == QColor(LIGHT.window).name()
    finally:
        hints.colorSchemeChanged.emit(hints.colorScheme())
        window.appearance.system_scheme = hints.colorScheme()


def test_system_high_contrast_wish_is_followed(make_window):
    window = make_window()
    window.go("welcome")
    window.appearance.system_contrast_changed(Qt.ContrastPreference.HighContrast)
    assert window.appearance.theme is HIGH_CONTRAST and window_colour() == "#000000"
    window.appearance.system_contrast_changed(Qt.ContrastPreference.NoPreference)
    assert window.appearance.theme is LIGHT


def test_quiz_feedback_never_relies_on_colour_alone(qtbot, make_window):
    window = make_window()
    window.session.create_learner("Ana")
    window.appearance.set_theme("high-contrast")
    quiz = window.go("quiz", lesson_id="every-type")
    quiz.answer_widget.first_input().click()
    quiz.check()
    verdict = quiz.feedback.accessibleName()
    assert verdict and verdict in quiz.feedback.text()  # the verdict in words, whatever the border colour


def test_preferences_are_exported_and_erased_with_the_learner(make_window):
    window = make_window()
    store = window.session.store
    ana = window.session.create_learner("Ana")
    window.go("home", reset=True)
    window.appearance.set_theme("dark")
    window.appearance.set_text_size(150)
    window.appearance.set_read_aloud(False)
    ben = window.session.create_learner("Ben")
    window.go("home", reset=True)
    window.appearance.set_theme("high-contrast")
    window.sign_out()
    window.appearance.set_text_size(125)  # app-wide, while nobody is signed in
    data = privacy.export_learner(store, ana.id)
    assert data["settings"] == {f"pref.{ana.id}.read_aloud": "off", f"pref.{ana.id}.text_size": "150",
                                f"pref.{ana.id}.theme": "dark"}  # fmt: skip
    assert "theme = dark" in privacy.summary_text(data)
    report = privacy.erase_learner(store, ana.id)
    assert report.rows["settings"] == 3
    assert store.settings_with_prefix(f"pref.{ana.id}.") == {}
    assert store.setting(f"pref.{ben.id}.theme") == "high-contrast"  # others' stay
    assert store.setting("pref.text_size") == "125"


@pytest.mark.parametrize("t", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_charts_are_drawn_in_the_theme_s_colours(qtbot, make_window, t):
    from app.ui.charts import BarChart

    window = make_window()
    window.session.create_learner("Ana")
    window.appearance.set_theme(t.name)
    chart = BarChart(window)
    qtbot.addWidget(chart)
    chart.resize(300, 200)
    chart.set_data([1.0, 1.0], ["plain", "flagged"], maximum=1.0, flagged=[False, True], guides=[0.5])
    chart.show()
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, image.height() // 2 + 20).name() for x in range(image.width())}
    assert t.accent in colours and t.error in colours  # a plain bar and a flagged one, in this theme
    assert t.text in {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
