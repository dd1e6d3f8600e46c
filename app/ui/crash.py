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

from app.logs import describe_exception

log = logging.getLogger("lantern.crash")


class CrashReporter:
    """The excepthook: log, then show (or update) the one crash dialog."""

    def __init__(self):
        self.dialog = None  # the CrashDialog on screen, if any
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
            # Imported only now: its Qt classes would otherwise slow every start.
            from PySide6.QtWidgets import QApplication

            from app.ui.crash_dialog import CrashDialog

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
