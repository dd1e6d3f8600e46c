"""The crash dialog: what went wrong in plain words, and "Copy details" (see app/ui/crash.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QWidget

from app.i18n import _
from app.ui import widgets as w


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crash-dialog")
        self.details = details
        layout = w.vbox(self, margins=20, spacing=12)
        self.heading = w.heading(2)
        self.text = w.paragraph()
        self.copied = QLabel()
        self.copied.setObjectName("hint")
        self.copied.hide()
        buttons = QDialogButtonBox()
        self.copy_button = w.button()
        self.copy_button.setObjectName("copy-details")
        self.copy_button.clicked.connect(self.copy_details)
        self.close_button = w.button(primary=True)
        self.close_button.setObjectName("close-crash")
        self.close_button.clicked.connect(self.accept)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.AcceptRole)
        for widget in (self.heading, self.text, self.copied, buttons):
            layout.addWidget(widget)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Something went wrong"))
        self.heading.setText(_("Something went wrong"))
        self.text.setText(
            _("Lantern ran into a problem it did not expect. Your answers so far are saved. "
              "You can carry on, or close Lantern and open it again. If it keeps happening, "
              "press “Copy details” and send them to whoever looks after this computer. "
              "The details contain no nickname and none of your answers.")
        )  # fmt: skip
        self.copy_button.setText(_("Copy details"))
        w.name(self.copy_button, _("Copy details"), _("Copies a technical description of the problem"))
        self.close_button.setText(_("Close"))
        w.name(self.close_button, _("Close"))
        self.copied.setText(_("Copied."))

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.copied.show()
