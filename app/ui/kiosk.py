"""Kiosk mode: walk up, learn, walk away, leave nothing behind.

A mode of the same main window (not a second app). The controller
- keeps the window fullscreen and ignores every way of closing it but the admin's;
- filters close/quit key sequences app-wide;
- restarts one single-shot idle timer on any key, mouse, wheel or touch input,
  then asks "Are you still there?" with a countdown, then ends the visit;
- opens the admin screen after a staff shortcut or gesture and the admin PIN.

Real lock-down (Ctrl+Alt+Del, the OS's own shortcuts) is the operating
system's job: see docs/kiosk.md.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout

from app.i18n import _
from app.kiosk import KioskConfig
from app.progress import kiosk_data
from app.ui import widgets as w

# Every way a keyboard asks an app to close or quit, on every platform.
_CLOSE_KEYS = [QKeySequence.Close, QKeySequence.Quit]
_EXTRA_CLOSE = [QKeySequence("Alt+F4"), QKeySequence("Ctrl+Q"), QKeySequence("Ctrl+W"), QKeySequence("Ctrl+F4")]
ADMIN_SHORTCUT = QKeySequence("Ctrl+Alt+Shift+A")
ADMIN_TAPS = 5  # taps on the Lantern mark within ADMIN_TAP_SECONDS open the admin PIN
ADMIN_TAP_SECONDS = 3.0

_ACTIVITY = {
    QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
    QEvent.TouchBegin, QEvent.TouchUpdate, QEvent.TabletPress, QEvent.InputMethod,
}  # fmt: skip


def _is_close_key(event) -> bool:
    combo = QKeySequence(event.keyCombination())
    for standard in _CLOSE_KEYS:
        if combo in QKeySequence.keyBindings(standard):
            return True
    return any(combo.matches(seq) == QKeySequence.ExactMatch for seq in _EXTRA_CLOSE)


class PinPad(QDialog):
    """An on-screen number pad for PINs: big keys, no typing skills needed.

    Digits typed on a keyboard work too. The PIN is shown as dots only and is
    never logged or stored here; ``pin()`` hands it to the caller once.
    """

    # Tests put PINs here; exec() then takes the next one instead of waiting for taps
    # (None in the list means the person pressed Cancel).
    scripted: list[str | None] | None = None

    def exec(self) -> int:  # noqa: A003 - Qt's name
        if PinPad.scripted is not None:
            if not PinPad.scripted:
                return QDialog.Rejected
            pin = PinPad.scripted.pop(0)
            if pin is None:
                return QDialog.Rejected
            for digit in pin:
                self.keys[digit].click()
            self.ok_key.click()
            return QDialog.Accepted
        return super().exec()

    def __init__(self, title: str, prompt: str, max_digits: int = 8, parent=None):
        super().__init__(parent)
        self.setObjectName("pin-pad")
        self.setModal(True)
        self.setWindowTitle(title)
        self.max_digits = max_digits
        self._digits = ""
        layout = QVBoxLayout(self)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.prompt.setObjectName("h2")
        self.display = QLabel()
        self.display.setObjectName("pin-display")
        self.display.setAlignment(Qt.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_key(grid, digit, index // 3, index % 3)
        self.back_key = self._add_key(grid, "⌫", 3, 0, _("Delete last digit"))
        self._add_key(grid, "0", 3, 1)
        self.ok_key = self._add_key(grid, "✓", 3, 2, _("OK"))
        self.cancel = w.button()
        self.cancel.setObjectName("pin-cancel")
        self.cancel.setText(_("Cancel"))
        w.name(self.cancel, _("Cancel"))
        self.cancel.clicked.connect(self.reject)
        for widget in (self.prompt, self.display, self.message):
            layout.addWidget(widget)
        layout.addLayout(grid)
        layout.addWidget(self.cancel)
        self._refresh()

    def _add_key(self, grid, text: str, row: int, col: int, accessible: str = "") -> QPushButton:
        key = QPushButton(text)
        key.setObjectName(f"pin-key-{text}")
        key.setProperty("role", "pinkey")
        key.setMinimumSize(72, 64)
        key.setFocusPolicy(Qt.StrongFocus)
        w.name(key, accessible or text)
        if text.isdigit():
            key.clicked.connect(lambda _c=False, d=text: self.press(d))
        elif text == "⌫":
            key.clicked.connect(self.backspace)
        else:
            key.clicked.connect(self.accept_if_ready)
        grid.addWidget(key, row, col)
        self.keys[text] = key
        return key

    def press(self, digit: str) -> None:
        if len(self._digits) < self.max_digits:
            self._digits += digit
            self.message.hide()
            self._refresh()

    def backspace(self) -> None:
        self._digits = self._digits[:-1]
        self._refresh()

    def clear(self, message: str = "") -> None:
        self._digits = ""
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self._refresh()

    def accept_if_ready(self) -> None:
        if self._digits:
            self.accept()

    def pin(self) -> str:
        return self._digits

    def _refresh(self) -> None:
        self.display.setText("●" * len(self._digits) or " ")
        w.name(self.display, _("%(n)d digits entered") % {"n": len(self._digits)})

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() == Qt.Key_Backspace:
            self.backspace()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.accept_if_ready()
        else:
            super().keyPressEvent(event)


class StillThere(QDialog):
    """"Are you still there?" with a visible countdown and one big button."""

    def __init__(self, seconds: int, parent=None):
        super().__init__(parent)
        self.setObjectName("still-there")
        self.setModal(True)
        self.remaining = seconds
        layout = QVBoxLayout(self)
        self.question = QLabel(_("Are you still there?"))
        self.question.setObjectName("h1")
        self.question.setAlignment(Qt.AlignCenter)
        self.countdown = QLabel()
        self.countdown.setObjectName("h2")
        self.countdown.setAlignment(Qt.AlignCenter)
        self.countdown.setWordWrap(True)
        self.stay = w.button(primary=True)
        self.stay.setObjectName("still-here")
        self.stay.setText(_("Yes, I am still here"))
        self.stay.setMinimumHeight(72)
        w.name(self.stay, self.stay.text())
        self.stay.clicked.connect(self.accept)
        for widget in (self.question, self.countdown, self.stay):
            layout.addWidget(widget)
        self.setWindowTitle(_("Are you still there?"))
        self.show_remaining()

    def show_remaining(self) -> None:
        self.countdown.setText(
            _("To protect your privacy, Lantern will start over for the next visitor in %(n)d seconds.")
            % {"n": self.remaining}
        )


class KioskController(QObject):
    """The kiosk behaviour of one main window (see module docstring)."""

    visit_ended = Signal(str)  # reason: "idle", "finished", "admin"

    def __init__(self, window, config: KioskConfig):
        super().__init__(window)
        self.window = window
        self.config = config
        self.locked = True
        self.visit_id: int | None = None
        self.still_there: StillThere | None = None
        self._taps: list[float] = []
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(config.idle_seconds * 1000)
        self.idle_timer.timeout.connect(self.ask_still_there)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self._tick)
        QApplication.instance().installEventFilter(self)

    def shutdown(self) -> None:
        """Stop watching: timers off, the app-wide filter removed (the window is closing)."""
        self.idle_timer.stop()
        self.tick_timer.stop()
        QApplication.instance().removeEventFilter(self)

    # ------------------------------------------------------------ configuration

    def apply(self, config: KioskConfig) -> None:
        self.config = config
        self.idle_timer.setInterval(config.idle_seconds * 1000)

    # ------------------------------------------------------------ events

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in _ACTIVITY and self.still_there is None:
            self.restart_idle()
        if kind == QEvent.ShortcutOverride and self.locked and _is_close_key(event):
            # Accepting the override stops any shortcut (ours or Qt's) from seeing the keys;
            # the key press that follows is swallowed below.
            event.accept()
            return True
        if kind == QEvent.KeyPress and self.locked:
            if _is_close_key(event):
                return True  # swallowed: visitors cannot close the kiosk
            if QKeySequence(event.keyCombination()).matches(ADMIN_SHORTCUT) == QKeySequence.ExactMatch:
                QTimer.singleShot(0, self.window.ask_admin_pin)
                return True
        return False

    def restart_idle(self) -> None:
        if self.window.session.learner is not None or self.window.current_is_not_welcome():
            self.idle_timer.start()

    def tap_mark(self) -> None:
        """A tap on the Lantern mark; five quick ones ask for the admin PIN."""
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < ADMIN_TAP_SECONDS] + [now]
        if len(self._taps) >= ADMIN_TAPS:
            self._taps.clear()
            self.window.ask_admin_pin()

    # ------------------------------------------------------------ idle reset

    def ask_still_there(self) -> None:
        if self.still_there is not None:
            return
        dialog = StillThere(self.config.countdown_seconds, self.window)
        self.still_there = dialog
        dialog.finished.connect(self._still_there_closed)
        dialog.finished.connect(dialog.deleteLater)  # one per idle reset: never let them pile up
        dialog.open()
        self.tick_timer.start()

    def _tick(self) -> None:
        if self.still_there is None:
            self.tick_timer.stop()
            return
        self.still_there.remaining -= 1
        if self.still_there.remaining <= 0:
            self.tick_timer.stop()
            self.end_visit("idle")
        else:
            self.still_there.show_remaining()

    def _still_there_closed(self, result: int) -> None:
        self.tick_timer.stop()
        self.still_there = None
        if result == QDialog.Accepted:
            self.restart_idle()

    # ------------------------------------------------------------ visits

    def visit_started(self) -> None:
        learner = self.window.session.learner
        if learner is not None:
            self.visit_id = kiosk_data.start_visit(self.window.session.store, learner)
        self.restart_idle()

    def end_visit(self, reason: str) -> None:
        """Close everything, apply the guest policy and show a clean welcome screen."""
        self.idle_timer.stop()
        self.tick_timer.stop()
        self._close_dialogs()
        session = self.window.session
        learner = session.learner
        self.window.discard_screens()  # leave() first: a reading position is saved, a half-typed answer is not
        if self.visit_id is not None:
            kiosk_data.end_visit(session.store, self.visit_id, reason)
            self.visit_id = None
        if learner is not None and learner.is_guest:
            kiosk_data.end_guest(session.store, learner.id, self.config.guest_data)
        kiosk_data.expire_profiles(session.store, self.config.profile_retention_days)
        session.sign_out()
        session.set_locale(self.config.default_language)
        self.window.apply_language()
        self.window.go("welcome", reset=True)
        self.visit_ended.emit(reason)

    def _close_dialogs(self) -> None:
        self.still_there = None
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(QDialog.Rejected)
            elif widget is not self.window and widget.isWindow() and widget.isVisible():
                widget.close()
