"""When something unexpected breaks: a calm dialog, never a traceback.

``install()`` makes a ``CrashReporter`` the interpreter's excepthook (PySide6
sends exceptions raised in slots and event handlers there). It writes the
details to the rotating log and shows one dialog with "Copy details", so the
learner can pass the details on without reading them. The details are
``app.logs.describe_exception``: types and code locations, no user data.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QWidget

from app.i18n import _
from app.logs import describe_exception
from app.ui import widgets as w

log = logging.getLogger("lantern.crash")


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


class CrashReporter:
    """The excepthook: log, then show (or update) the one crash dialog."""

    def __init__(self):
        self.dialog: CrashDialog | None = None
        self.reported = 0
        self._reporting = False

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.reported += 1
        log.error("app.crash count=%d", self.reported, exc_info=(exc_type, exc, tb))
        if self._reporting:  # the dialog itself failed: the log has it, stay quiet
            return
        self._reporting = True
        try:
            details = describe_exception(exc_type, exc, tb)
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.details += "\n\n" + details
                return
            self.dialog = CrashDialog(details, QApplication.activeWindow())
            self.dialog.open()  # window-modal and non-blocking: the event loop keeps running
        except Exception:  # noqa: BLE001 - last resort: never raise out of the excepthook
            log.exception("app.crash_dialog_failed")
        finally:
            self._reporting = False


def install() -> CrashReporter:
    reporter = CrashReporter()
    sys.excepthook = reporter
    return reporter
