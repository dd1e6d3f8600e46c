"""What every screen has: enter/leave hooks and retranslation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class Screen(QWidget):
    """A page of the main window's stack.

    ``enter`` runs each time the screen is shown (with the navigation
    arguments), ``leave`` when another screen replaces it, and ``retranslate``
    whenever the language changes, so no text is set only once.
    """

    name = ""

    def __init__(self, window: "MainWindow"):
        super().__init__()
        self.window = window
        self.session = window.session
        self.setObjectName(f"screen-{self.name}")

    def enter(self, **kwargs) -> None:
        self.retranslate()

    def leave(self) -> None:
        pass

    def retranslate(self) -> None:
        pass

    def title(self) -> str:
        return ""
