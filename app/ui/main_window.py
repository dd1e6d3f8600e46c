"""The one main window: a navigation bar over a stack of screens."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QPushButton,
    QToolButton,
    QWidget,
)

from app import i18n
from app.i18n import _
from app.ui import widgets as w
from app.ui.screens.base import Screen
from app.ui.session import Session
from app.ui.theme import Appearance

# Qt's own catalogs (OK/Cancel, context menus) are named after POSIX locales.
_QT_CATALOG = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}


def _screen_classes() -> dict[str, str]:
    """Screen name → "module:Class", imported only when first shown."""
    from app.ui.screens import SCREENS

    result = {}
    for spec in SCREENS:
        module, cls = spec.split(":")
        result[module.rsplit(".", 1)[1]] = spec
    return result


def _load(spec: str) -> type[Screen]:
    module, cls = spec.split(":")
    return getattr(importlib.import_module(module), cls)


_qt_translator: list[QTranslator] = []  # the one installed translator for Qt's own strings


def install_qt_translator(tag: str) -> None:
    """Qt's own strings (OK, Cancel, context menus) in *tag*; replaces the previous language."""
    app = QApplication.instance()
    while _qt_translator:
        app.removeTranslator(_qt_translator.pop())  # no parent: gone with its last reference
    catalog = _QT_CATALOG.get(tag, tag.split("-")[0])
    # Not a child of the application: each language change (every kiosk visit) would leave one behind.
    translator = QTranslator()
    if translator.load(f"qtbase_{catalog}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
        _qt_translator.append(translator)


# The widest one-row navigation bar (pixels): wider, and it takes two rows, so that large text
# still fits a 1280-pixel screen.
NAV_ONE_ROW_MAX = 1200
# The language box's width in average characters: the widest name, 中文 (繁體), needs about 9.
LANGUAGE_BOX_CHARACTERS = 10
# Screens a kiosk visitor must never reach without the admin PIN.
KIOSK_STAFF_ONLY = {"admin", "reports", "problems"}


class MainWindow(QMainWindow):
    def __init__(self, session: Session, kiosk_config=None):
        super().__init__()
        self.session = session
        self.kiosk = None  # a KioskController in kiosk mode
        self.setObjectName("main-window")
        self._classes = _screen_classes()
        self.screens: dict[str, Screen] = {}
        self.history: list[tuple[str, dict]] = []
        self.current: Screen | None = None
        # Theme and text size (per learner) before any widget exists: each widget is then
        # styled once as it is made, not restyled when the preferences arrive.
        self.appearance = Appearance(session, self)
        self.appearance.follow_learner()

        central = QWidget()
        layout = w.vbox(central)
        self.nav = QWidget()
        self.nav.setObjectName("nav")
        # The screens' buttons, then who is learning in which language: one row, or two at large
        # text sizes, so the window still fits a small screen (_fit_nav).
        self.nav_rows = QBoxLayout(QBoxLayout.LeftToRight, self.nav)
        self.nav_rows.setContentsMargins(12, 8, 12, 8)
        nav, self.nav_account = QHBoxLayout(), QHBoxLayout()
        self.nav_rows.addLayout(nav, 1)
        self.nav_rows.addLayout(self.nav_account)
        # The Lantern mark: in kiosk mode, five quick taps on it ask staff for the admin PIN.
        self.mark = QPushButton("Lantern")
        self.mark.setObjectName("mark")
        self.mark.setFlat(True)
        self.mark.setFocusPolicy(Qt.NoFocus)
        self.mark.setAccessibleName("Lantern")
        self.mark.setStyleSheet("border: none; background: transparent; font-weight: 600;")
        nav.addWidget(self.mark)
        self.back_button = w.button()
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        self.home_button = w.button()
        self.home_button.setObjectName("home")
        self.home_button.clicked.connect(lambda: self.go("home", reset=True))
        self.progress_button = w.button()
        self.progress_button.setObjectName("my-progress")
        self.progress_button.clicked.connect(lambda: self.go("progress"))
        self.problems_button = w.button()
        self.problems_button.setObjectName("problems")
        self.problems_button.clicked.connect(lambda: self.go("problems"))
        self.more_button = QToolButton()
        self.more_button.setObjectName("more")
        self.more_button.setPopupMode(QToolButton.InstantPopup)
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        self.learner_label = QLabel()
        self.learner_label.setObjectName("learner-name")
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        # Sized by a count of characters rather than by measuring every language's name, which
        # would load a font for each script (Chinese, Arabic…) before the first frame.
        self.language_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.language_combo.setMinimumContentsLength(LANGUAGE_BOX_CHARACTERS)
        offered = kiosk_config.offered_languages() if kiosk_config is not None else i18n.shipped_locales()
        for tag in offered:
            self.language_combo.addItem(i18n.language_name(tag), tag)
        self.language_combo.activated.connect(
            lambda index: self.change_language(self.language_combo.itemData(index))
        )
        self.sign_out_button = w.button()
        self.sign_out_button.setObjectName("sign-out")
        self.sign_out_button.clicked.connect(self.sign_out)
        for widget in (self.back_button, self.home_button, self.progress_button, self.more_button,
                       self.problems_button):
            nav.addWidget(widget)
        nav.addStretch(1)
        for widget in (self.learner_label, self.language_combo, self.sign_out_button):
            self.nav_account.addWidget(widget)
        self.stack = QStackedWidget()
        self.font_warning = w.notice()
        self.font_warning.setObjectName("font-warning")
        layout.addWidget(self.nav)
        layout.addWidget(self.font_warning)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        QShortcut(QKeySequence.Back, self, activated=self.back)
        # Ctrl+F anywhere opens the lesson search (on the search screen: back to its field).
        QShortcut(QKeySequence.Find, self, activated=lambda: self.go("search") if getattr(self.current, "name", "")
                  != "search" else self.current.enter())  # fmt: skip
        # Text size from anywhere: Ctrl+= too, for keyboards where + needs Shift.
        for keys, change in (("Ctrl++", self.appearance.bigger), ("Ctrl+=", self.appearance.bigger),
                             ("Ctrl+-", self.appearance.smaller), ("Ctrl+0", self.appearance.reset_text_size)):
            QShortcut(QKeySequence(keys), self, activated=change)  # fmt: skip
        self.appearance.changed.connect(self._fit_nav)
        self.resize(1000, 720)
        if kiosk_config is not None:
            from app.ui.kiosk import KioskController

            self.kiosk = KioskController(self, kiosk_config)
            self.mark.clicked.connect(self.kiosk.tap_mark)
            self.setWindowFlag(Qt.FramelessWindowHint, True)
        self.loading_page: QLabel | None = None
        self._after_paint = None  # see after_first_paint()
        if session.library is None:
            # Painted at once; load_library() replaces it with the first screen.
            self.loading_page = QLabel(alignment=Qt.AlignCenter)
            self.loading_page.setObjectName("loading")
            self.loading_page.setWordWrap(True)
            self.stack.addWidget(self.loading_page)
        self.apply_language()
        if session.library is not None:
            self.go(self.first_screen())

    def first_screen(self) -> str:
        return "home" if self.session.learner else "welcome"

    def after_first_paint(self, callback, fallback_ms: int = 1000) -> None:
        """Call *callback* once, right after the loading page has been painted (or after
        *fallback_ms*, for a window that is never painted, e.g. minimised at start)."""
        self._after_paint = callback
        if self.loading_page is not None:
            self.loading_page.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._run_after_paint)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.loading_page and event.type() == QEvent.Paint:
            self.loading_page.removeEventFilter(self)
            QTimer.singleShot(0, self._run_after_paint)  # once this paint has been shown
        return False

    def _run_after_paint(self) -> None:
        callback, self._after_paint = self._after_paint, None
        if callback is not None:
            callback()

    def load_library(self, progress=None) -> None:
        """Read the lessons (the window has been painted meanwhile), then show the first screen."""
        self.session.load_library(progress)
        if self.loading_page is not None:
            self.stack.removeWidget(self.loading_page)
            self.loading_page.deleteLater()
            self.loading_page = None
        self.go(self.first_screen())

    # ------------------------------------------------------------ navigation

    def screen(self, name: str) -> Screen:
        """The screen called *name*, built on first use (startup pays for one)."""
        if name not in self.screens:
            screen = _load(self._classes[name])(self)
            self.screens[name] = screen
            self.stack.addWidget(screen)
        return self.screens[name]

    def go(self, name: str, reset: bool = False, _record: bool = True, **kwargs) -> Screen | None:
        if self.session.library is None:
            return None  # still reading the lessons: no screen can be shown yet
        self.appearance.follow_learner()  # a new learner brings their own text size and theme
        needs_learner = name not in ("welcome", "problems", "admin", "reports")
        if needs_learner and self.session.learner is None:
            name, kwargs = "welcome", {}
        if self.kiosk is not None and name in KIOSK_STAFF_ONLY and not self.session.is_admin:
            name, kwargs = "welcome", {}  # visitors never see other people's results
        if self.current is not None:
            self.current.leave()
        if reset:
            self.history.clear()
        if _record:
            self.history.append((name, kwargs))
        screen = self.screen(name)
        self.stack.setCurrentWidget(screen)
        self.current = screen
        screen.enter(**kwargs)
        self._update_nav()
        return screen

    def back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()
            name, kwargs = self.history[-1]
            self.go(name, _record=False, **kwargs)

    def sign_in(self, learner) -> None:
        self.session.sign_in(learner)
        self.apply_language()
        self.go("home", reset=True)
        if self.kiosk is not None:
            self.kiosk.visit_started()

    def sign_out(self) -> None:
        if self.kiosk is not None:
            self.kiosk.end_visit("finished")
            return
        if self.current is not None:
            self.current.leave()
            self.current = None
        self.session.sign_out()
        self.go("welcome", reset=True)

    def current_is_not_welcome(self) -> bool:
        return self.current is not None and self.current.name != "welcome"

    def discard_screens(self) -> None:
        """Destroy every screen, so nothing of one visitor (text, scroll, choices) reaches the next."""
        if self.current is not None:
            self.current.leave()
            self.current = None
        for screen in self.screens.values():
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
        self.screens.clear()
        self.history.clear()

    # ------------------------------------------------------------ administration

    def ask_admin_pin(self) -> None:
        """Staff only: the admin PIN (set it on first use), then the admin screen."""
        from app.progress import kiosk_data
        from app.ui.kiosk import PinPad

        store = self.session.store
        if not kiosk_data.has_admin_pin(store):
            if self.set_admin_pin():
                self.session.is_admin = True
                self.go("admin")
            return
        pad = PinPad(_("Staff only"), _("Enter the admin PIN."), 8, self)
        while pad.exec() == PinPad.Accepted:
            result = kiosk_data.check_admin_pin(store, pad.pin())
            if result.ok:
                self.session.is_admin = True
                self.go("admin")
                return
            pad.clear(_("Wrong PIN.") if result.wait_seconds < 1 else
                      _("Wrong PIN. Try again in %(n)d seconds.") % {"n": round(result.wait_seconds)})  # fmt: skip

    def set_admin_pin(self) -> bool:
        """Ask for a new admin PIN twice on the number pad; True when it was set."""
        from app.progress import kiosk_data, pins
        from app.ui.kiosk import PinPad

        first = PinPad(_("Set the admin PIN"), _("Choose an admin PIN of 4 to 8 digits."), 8, self)
        if first.exec() != PinPad.Accepted:
            return False
        second = PinPad(_("Set the admin PIN"), _("Enter the same PIN again."), 8, self)
        if second.exec() != PinPad.Accepted:
            return False
        try:
            if first.pin() != second.pin():
                raise pins.PinFormatError("mismatch")
            kiosk_data.set_admin_pin(self.session.store, first.pin())
        except pins.PinFormatError:
            from app.ui.widgets import Ask

            Ask.inform(self, _("Admin PIN not set"), _("The two PINs were different or not 4 to 8 digits."))
            return False
        return True

    def exit_kiosk(self) -> None:
        """The one way out of kiosk mode: from the admin screen, after the PIN."""
        if self.kiosk is not None:
            self.kiosk.locked = False
        self.close()
        QApplication.instance().quit()

    # ------------------------------------------------------------ language

    def change_language(self, tag: str) -> None:
        self.session.set_locale(tag)
        self.apply_language()
        if self.current is not None:
            self.current.retranslate()

    def apply_language(self) -> None:
        """Direction, Qt's own strings and every screen's text, for the session's language."""
        tag = self.session.locale
        app = QApplication.instance()
        QLocale.setDefault(QLocale(tag.replace("-", "_")))
        app.setLayoutDirection(Qt.RightToLeft if i18n.is_rtl(tag) else Qt.LeftToRight)
        install_qt_translator(tag)
        self._check_font(tag)
        for screen in self.screens.values():
            if screen is not self.current:
                screen.retranslate()
        self.retranslate()

    def _check_font(self, tag: str) -> None:
        from app.ui.fonts import install_advice, missing_font

        missing = missing_font(tag)
        self.font_warning.setVisible(missing)
        if missing:
            self.font_warning.setText(install_advice(tag))
            self.font_warning.setAccessibleName(self.font_warning.text())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Lantern"))
        self.back_button.setText(_("Back"))
        w.name(self.back_button, _("Back"), _("Go back to the previous screen"))
        self.home_button.setText(_("Home"))
        w.name(self.home_button, _("Home"))
        self.progress_button.setText(_("My progress"))
        w.name(self.progress_button, _("My progress"))
        self.problems_button.setText(_("Problems"))
        w.name(self.problems_button, _("Lesson problems"))
        finish = _("Finish") if self.kiosk is not None else _("Switch learner")
        self.sign_out_button.setText(finish)
        w.name(self.sign_out_button, finish, _("End this visit and start over") if self.kiosk else "")
        w.name(self.language_combo, _("Language"))
        if self.loading_page is not None:
            self.loading_page.setText(_("Preparing the lessons…"))
            w.name(self.loading_page, _("Preparing the lessons…"))
        self.more_button.setText(_("More"))
        w.name(self.more_button, _("More"), _("Other screens"))
        self._build_menu()
        index = self.language_combo.findData(self.session.locale)
        if index >= 0:
            self.language_combo.setCurrentIndex(index)
        self._update_nav()

    def _build_menu(self) -> None:
        from app.ui.screens import MENU

        self.more_menu.clear()
        for screen_name, label in MENU:
            if self.kiosk is not None and screen_name in KIOSK_STAFF_ONLY:
                continue
            action = self.more_menu.addAction(_(label))
            action.setObjectName(f"menu-{screen_name}")
            action.triggered.connect(lambda _c=False, n=screen_name: self.go(n))
        self.more_button.setVisible(bool(MENU))

    def _update_nav(self) -> None:
        learner = self.session.learner
        on_welcome = self.current is not None and self.current.name == "welcome"
        for widget in (self.home_button, self.progress_button, self.sign_out_button, self.learner_label):
            widget.setVisible(learner is not None and not on_welcome)
        self.more_button.setVisible(learner is not None and not on_welcome and bool(self.more_menu.actions()))
        self.back_button.setEnabled(len(self.history) > 1)
        self.back_button.setVisible(not on_welcome)
        broken = self.session.library is not None and bool(self.session.library.broken)
        self.problems_button.setVisible(broken and self.kiosk is None)
        self.mark.setVisible(self.kiosk is not None)
        self.learner_label.setText(learner.nickname if learner else "")
        if self.current is not None and self.current.title():
            self.setWindowTitle(_("Lantern") + " — " + self.current.title())
        self._fit_nav()

    def _fit_nav(self) -> None:
        """Stack the navigation bar's two groups when one row would be wider than a small screen.

        Measured with every button the bar can show, so the choice depends only on the text size
        and language, and never flips (resizing the window) as screens come and go.
        """
        widgets = self.nav.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
        for widget in widgets:
            widget.ensurePolished()  # a never-shown button gets its stylesheet font and padding first
        one_row = sum(widget.sizeHint().width() + self.nav_rows.spacing() for widget in widgets)
        wide = one_row + 24 > NAV_ONE_ROW_MAX
        self.nav_rows.setDirection(QBoxLayout.TopToBottom if wide else QBoxLayout.LeftToRight)

    # ------------------------------------------------------------ content hooks

    def help_html(self, block) -> str:
        """A lesson's ```help block (a HelpBlock), filled with the learner's region's channels."""
        from app.content.helpdir import help_block_html

        region = self.session.region
        return help_block_html(
            self.session.help_directory.regions.get(region or ""), block.covers, self.session.locale, region
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.kiosk is not None and self.kiosk.locked:
            event.ignore()  # close buttons, Alt+F4 and the window manager cannot end a kiosk
            return
        if self.kiosk is not None:
            self.kiosk.shutdown()
        if self.current is not None:
            self.current.leave()  # saves reading position and time spent
        super().closeEvent(event)
