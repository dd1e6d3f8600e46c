"""Themes, text size and the learner's display preferences, applied to the whole app.

Four theme choices: "system" (light or dark as the computer is set, switching
live, and high contrast when the system asks for it, Qt 6.10+), "light",
"dark" and "high-contrast" (at least 7:1 contrast for text, thick borders,
a focus colour no other border uses). Text size is a percentage from 100 to
200; the stylesheet template (app/ui/style.py) scales every font size and
padding with it, and Ctrl +/−/0 change it from anywhere.

Preferences are kept per learner in the settings table as
``pref.<learner id>.<name>`` (erased and exported with the learner, see
app/progress/privacy.py), or app-wide as ``pref.<name>`` while nobody is
signed in (the welcome screen, a kiosk between visitors). A learner's own
value wins; the app-wide value is their starting point.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.i18n import N_
from app.progress.store import PREFERENCE_PREFIX, learner_preference_prefix


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    text: str
    base: str
    alt_base: str
    button: str
    mid: str  # borders of controls, cards and the navigation bar
    placeholder: str  # hints, placeholders and disabled text
    accent: str  # the primary button's background
    on_accent: str  # text on the primary button
    focus: str  # the keyboard focus border: no other border uses this colour
    error: str
    success: str
    warning: str
    link: str
    border_px: int  # control borders keep this width in every state, focus included
    accent_border: str = ""  # the primary button's border when not focused (default: its background)

    @property
    def primary_border(self) -> str:
        return self.accent_border or self.accent


LIGHT = Theme("light", window="#f3f3f3", text="#1a1a1a", base="#ffffff", alt_base="#f0f0f0",
              button="#fafafa", mid="#8a8a8a", placeholder="#595959", accent="#1f5fa8", on_accent="#ffffff",
              focus="#8a3d00", error="#b00020", success="#1b7f3b", warning="#a86b00", link="#1f5fa8",
              border_px=3, accent_border="#a9c4e6")  # fmt: skip
DARK = Theme("dark", window="#1e1f22", text="#ececec", base="#27292d", alt_base="#303237",
             button="#303237", mid="#767a82", placeholder="#b5b8be", accent="#8ab4f8", on_accent="#0b1a2e",
             focus="#ffc766", error="#ff8a80", success="#81c995", warning="#f2c14e", link="#8ab4f8",
             border_px=3, accent_border="#3d5a80")  # fmt: skip
HIGH_CONTRAST = Theme("high-contrast", window="#000000", text="#ffffff", base="#000000", alt_base="#000000",
                      button="#000000", mid="#808080", placeholder="#e6e6e6", accent="#ffff00",
                      on_accent="#000000", focus="#00ffff", error="#ff9c9c", success="#7dff9c",
                      warning="#ffff00", link="#ffff00", border_px=4,
                      accent_border="#808080")  # fmt: skip
THEMES = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}

# (stored value, label): labels translated with _() where shown.
THEME_CHOICES = [
    ("system", N_("Same as this computer")),
    ("light", N_("Light")),
    ("dark", N_("Dark")),
    ("high-contrast", N_("High contrast")),
]
TEXT_SIZES = (100, 125, 150, 175, 200)  # percent
BASE_POINT_SIZE = 12.0  # the stylesheet's body text at 100%


def resolve(choice: str, scheme=None, high_contrast: bool = False) -> Theme:
    """The theme to show for a *choice*, given the system's colour *scheme* and contrast wish."""
    if choice in THEMES:
        return THEMES[choice]
    if high_contrast:
        return HIGH_CONTRAST
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def palette(theme: Theme) -> QPalette:
    """A complete palette for *theme*, so unstyled parts (menus, popups, scroll bars) match."""
    p = QPalette()
    c = QColor
    roles = {
        QPalette.Window: theme.window, QPalette.WindowText: theme.text, QPalette.Base: theme.base,
        QPalette.AlternateBase: theme.alt_base, QPalette.Text: theme.text, QPalette.Button: theme.button,
        QPalette.ButtonText: theme.text, QPalette.BrightText: theme.text, QPalette.Mid: theme.mid,
        QPalette.Dark: theme.mid, QPalette.Shadow: theme.mid, QPalette.Light: theme.base,
        QPalette.Midlight: theme.alt_base, QPalette.PlaceholderText: theme.placeholder,
        QPalette.Highlight: theme.accent, QPalette.HighlightedText: theme.on_accent, QPalette.Link: theme.link,
        QPalette.LinkVisited: theme.link, QPalette.ToolTipBase: theme.base, QPalette.ToolTipText: theme.text,
    }  # fmt: skip
    for role, colour in roles.items():
        p.setColor(role, c(colour))
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, c(theme.placeholder))
    return p


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        q = QColor(colour)
        channels = []
        for v in (q.redF(), q.greenF(), q.blueF()):
            channels.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class Preferences:
    """The signed-in learner's preferences, or the app-wide ones while nobody is signed in."""

    def __init__(self, session):
        self.session = session

    def _keys(self, name: str) -> list[str]:
        app_wide = PREFERENCE_PREFIX + name
        learner = self.session.learner
        return [learner_preference_prefix(learner.id) + name, app_wide] if learner else [app_wide]

    def get(self, name: str, default: str) -> str:
        for key in self._keys(name):
            value = self.session.store.setting(key)
            if value is not None:
                return value
        return default

    def set(self, name: str, value: str) -> None:
        self.session.store.set_setting(self._keys(name)[0], value)


class Appearance(QObject):
    """Applies the theme and text size to the application, and keeps them current.

    Follows the system's colour scheme and contrast wish live while the
    choice is "system", and reloads the preferences when the learner changes.
    """

    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.preferences = Preferences(session)
        self.session = session
        hints = QGuiApplication.styleHints()
        self.system_scheme = hints.colorScheme()
        self.system_high_contrast = False
        hints.colorSchemeChanged.connect(self.system_scheme_changed)
        if hasattr(hints, "accessibility"):  # Qt 6.10+
            accessibility = hints.accessibility()
            self.system_high_contrast = accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast
            accessibility.contrastPreferenceChanged.connect(self.system_contrast_changed)
        self._learner_id: int | None | object = object()  # nobody applied yet
        self.text_size = 100
        self.theme_choice = "system"
        self.read_aloud = True  # show the Read aloud buttons
        self.speech_rate = "normal"  # a key of app.ui.speech.SPEECH_RATES

    # ------------------------------------------------------------ state

    @property
    def theme(self) -> Theme:
        return resolve(self.theme_choice, self.system_scheme, self.system_high_contrast)

    def follow_learner(self) -> None:
        """Load and apply the current learner's preferences if the learner changed."""
        learner = self.session.learner
        learner_id = learner.id if learner else None
        if learner_id != self._learner_id:
            self._learner_id = learner_id
            self.load()

    def load(self) -> None:
        size = self.preferences.get("text_size", "100")
        self.text_size = int(size) if size.isdigit() and int(size) in TEXT_SIZES else 100
        choice = self.preferences.get("theme", "system")
        self.theme_choice = choice if choice in dict(THEME_CHOICES) else "system"
        self.read_aloud = self.preferences.get("read_aloud", "on") != "off"
        self.speech_rate = self.preferences.get("speech_rate", "normal")
        self.apply()

    def apply(self) -> None:
        from app.ui.application import FUSION_PROPERTY
        from app.ui.style import stylesheet

        app = QApplication.instance()
        theme = self.theme
        scale = self.text_size / 100
        # Fusion draws with the palette on every platform; native styles ignore a dark one.
        # make_qapplication() starts with it; another application is given it once.
        if not app.property(FUSION_PROPERTY):
            app.setStyle("Fusion")
            app.setProperty(FUSION_PROPERTY, True)
        app.setPalette(palette(theme))
        font = QFont(app.font())
        font.setPointSizeF(BASE_POINT_SIZE * scale)
        app.setFont(font)
        app.setStyleSheet(stylesheet(theme, scale))
        self.changed.emit()

    # ------------------------------------------------------------ changes

    def set_text_size(self, percent: int) -> None:
        percent = min(TEXT_SIZES, key=lambda size: abs(size - percent))
        if percent != self.text_size:
            self.text_size = percent
            self.preferences.set("text_size", str(percent))
            self.apply()

    def bigger(self) -> None:
        larger = [size for size in TEXT_SIZES if size > self.text_size]
        if larger:
            self.set_text_size(larger[0])

    def smaller(self) -> None:
        smaller = [size for size in TEXT_SIZES if size < self.text_size]
        if smaller:
            self.set_text_size(smaller[-1])

    def reset_text_size(self) -> None:
        self.set_text_size(100)

    def set_theme(self, choice: str) -> None:
        if choice in dict(THEME_CHOICES) and choice != self.theme_choice:
            self.theme_choice = choice
            self.preferences.set("theme", choice)
            self.apply()

    def set_read_aloud(self, on: bool) -> None:
        self.read_aloud = on
        self.preferences.set("read_aloud", "on" if on else "off")
        self.changed.emit()

    def set_speech_rate(self, rate: str) -> None:
        self.speech_rate = rate
        self.preferences.set("speech_rate", rate)
        self.changed.emit()

    def system_scheme_changed(self, scheme) -> None:
        """The computer switched between light and dark: follow it when the choice is "system"."""
        self.system_scheme = scheme
        if self._follows_system():
            self.apply()

    def system_contrast_changed(self, preference) -> None:
        self.system_high_contrast = preference == Qt.ContrastPreference.HighContrast
        if self._follows_system():
            self.apply()

    def _follows_system(self) -> bool:
        # A closed window (one not yet deleted) must not restyle the app under the open one.
        window = self.parent()
        return self.theme_choice == "system" and (window is None or window.isVisible())
