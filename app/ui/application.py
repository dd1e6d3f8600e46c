"""Starting the desktop app: display check, QApplication, main window."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = (
    "lantern: no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set). "
    "Run Lantern on a desktop, or set QT_QPA_PLATFORM=offscreen to render without a screen."
)


def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # Windows and macOS always have a window system


def make_qapplication(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from app.ui.style import STYLESHEET

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Lantern")
    app.setOrganizationName("Lantern")
    app.setStyleSheet(STYLESHEET)
    return app


def run_app(locale: str | None = None) -> int:
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    app = make_qapplication()
    from app.progress.db import DatabaseTooNew
    from app.ui.main_window import MainWindow
    from app.ui.session import Session

    try:
        session = Session.open(locale=locale)
    except DatabaseTooNew as exc:
        print(f"lantern: {exc}", file=sys.stderr)
        return 1
    window = MainWindow(session)
    window.show()
    return app.exec()
