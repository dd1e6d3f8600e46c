"""Starting the desktop app: display check, data-folder lock, logging, crash dialog,
start-up backup, the main window and any notice about the start itself."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

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


FUSION_PROPERTY = "lanternFusion"  # set on an application made with the Fusion style


def make_qapplication(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from app.ui.style import STYLESHEET

    app = QApplication.instance()
    if app is None:
        argv = list(argv or [sys.argv[0]])
        # Fusion draws with the palette on every platform (native styles ignore a dark one).
        # Chosen here, it is made once in C++; asking Python for the style later makes Qt
        # build the Python side of QStyle and its enums (~5 ms of every start).
        app = QApplication([argv[0], "-style", "Fusion", *argv[1:]])
        app.setProperty(FUSION_PROPERTY, True)
    app.setApplicationName("Lantern")
    app.setOrganizationName("Lantern")
    app.setStyleSheet(STYLESHEET)
    return app


LOCK_NAME = "lantern.lock"


def acquire_lock(data_dir: Path):
    """Hold the data folder's lock (a QLockFile), or return None if another Lantern has it.

    One instance per data folder, so two windows never race on one database.
    A lock left by a Lantern that crashed is taken over (its process is gone).
    """
    from PySide6.QtCore import QLockFile

    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # stale only when its owner is gone, however old
    if lock.tryLock(200):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:
        raise OSError(f"cannot create a lock file in {data_dir} (is the folder writable?)")
    return None


def already_running_text() -> str:
    from app.i18n import _

    return _("Lantern is already open in another window. Switch to that window, or close it and try again.")


def tell(title: str, text: str, parent=None) -> None:
    """A blocking message for start-up problems; on a screenless platform only the terminal sees it."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    print(f"lantern: {text}", file=sys.stderr)
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return  # nobody could press OK
    QMessageBox.information(parent, title, text)


def after_open(session) -> None:
    """What every start does once the database is open: logging's redaction, the rolling backup."""
    import sqlite3

    from app import logs
    from app.progress.backup import backup_if_due

    store = session.store
    logs.set_secret_source(lambda: [l.nickname for l in store.learners(include_guests=True)])
    try:
        backup_if_due(store.conn, store.path)
    except (OSError, sqlite3.Error):
        # A full disk must not stop a learner from learning; the log says why.
        logging.getLogger("lantern.backup").exception("backup.failed")


def startup_notices(window) -> list:
    """Plain-words notices about the start itself (a damaged file set aside), shown without blocking."""
    from PySide6.QtWidgets import QMessageBox

    from app.i18n import _

    notices = []
    moved = window.session.store.moved_aside
    if moved is not None:
        box = QMessageBox(QMessageBox.Information, _("Lantern started afresh"), "", QMessageBox.Ok, window)
        box.setObjectName("moved-aside-notice")
        box.setText(
            _("Lantern could not read the file where it keeps everyone's progress, so it set that file aside "
              "and started with a new, empty one. Earlier progress is not shown, but it has not been deleted: "
              "the old file is kept as “%(file)s”. Whoever looks after this computer may be able to bring "
              "back a recent copy with “lantern data restore”.") % {"file": moved.name}
        )  # fmt: skip
        box.open()
        notices.append(box)
    return notices


class LoadingProgress:
    """A progress bar while the lessons are read, shown only when that takes longer than *delay* seconds.

    A warm start (catalog cache) finishes long before; a first start with a big
    library, or after the lessons changed, shows how far it has got. Called as
    ``progress(done, total)`` from Library.load, and from building the search
    index (*text*: a function giving the translated label for that); *clock* is for tests.
    """

    def __init__(self, delay: float = 0.5, clock=None, parent=None, text=None):
        import time

        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.delay = delay
        self.parent = parent
        self.text = text
        self.dialog = None

    def __call__(self, done: int, total: int) -> None:
        from PySide6.QtWidgets import QApplication

        if self.dialog is None:
            if done >= total or self.clock() - self.started <= self.delay:
                return
            self.dialog = self._make_dialog(total)
        self.dialog.setValue(done)
        QApplication.processEvents()  # paint it: nothing else runs while the lessons are read

    def _make_dialog(self, total: int):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressBar, QProgressDialog

        from app.i18n import _
        from app.ui import widgets as w

        label = self.text() if self.text is not None else _("Preparing the lessons…")
        dialog = QProgressDialog(label, "", 0, total, self.parent)
        bar = QProgressBar()
        bar.setTextVisible(False)  # the style's slim bar has no room for "40%"; its value is still announced
        dialog.setBar(bar)
        dialog.setRange(0, total)  # the new bar came with 0..100
        dialog.setObjectName("loading-lessons")
        dialog.setWindowTitle(_("Lantern"))
        dialog.setCancelButton(None)  # reading cannot be skipped: the app needs the lessons
        dialog.setWindowModality(Qt.ApplicationModal)
        dialog.setMinimumDuration(0)
        w.name(dialog, label)
        dialog.show()
        return dialog

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


def acquire_kiosk_lock():
    """One kiosk per machine, whatever data folder it uses (a lock in the system's temp folder)."""
    from PySide6.QtCore import QDir, QLockFile

    lock = QLockFile(QDir.temp().filePath("lantern-kiosk.lock"))
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(200) else None


def run_app(locale: str | None = None, kiosk_config=None) -> int:
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    # Start-up makes tens of thousands of objects and no garbage: the cyclic collector would
    # only walk them again and again before the first frame. It is switched on once the first
    # screen is shown, after what start-up made has been set aside for good (gc.freeze), so
    # later collections need not walk it either.
    gc.disable()
    try:
        return _run_app(locale, kiosk_config)
    finally:
        gc.enable()


def _run_app(locale: str | None, kiosk_config) -> int:
    app = make_qapplication()
    from app import i18n, logs, paths
    from app.i18n import _
    from app.progress.db import DatabaseTooNew
    from app.ui import crash
    from app.ui.main_window import MainWindow
    from app.ui.session import Session

    data_dir = paths.data_dir()
    logs.setup(data_dir)
    log = logging.getLogger("lantern.app")
    lock = acquire_lock(data_dir)
    if lock is None:
        # No session yet: speak the system's language.
        i18n.set_locale(i18n.normalize(locale) if locale else
                        i18n.negotiate(i18n.system_locale_tags(), i18n.shipped_locales()))  # fmt: skip
        log.info("app.already_running")
        tell(_("Lantern is already open"), already_running_text())
        logs.shutdown()
        return 1
    kiosk_lock = None
    if kiosk_config is not None:
        kiosk_lock = acquire_kiosk_lock()
        if kiosk_lock is None:
            log.info("kiosk.already_running")
            tell(_("Lantern is already open"), _("A Lantern kiosk is already running on this computer."))
            lock.unlock()
            logs.shutdown()
            return 1
        locale = locale or kiosk_config.default_language
    previous_hook = sys.excepthook
    crash.install()
    try:
        try:
            session = Session.open(locale=locale, load_library=False)
        except DatabaseTooNew:
            log.info("app.database_too_new")
            tell(_("Please update Lantern"),
                 _("Your progress was saved by a newer version of Lantern, which this version cannot read. "
                   "Please install the newer Lantern. Nothing in “%(file)s” has been changed.")
                 % {"file": str(paths.database_path())})  # fmt: skip
            return 1
        if session.store.moved_aside is not None:
            log.warning("db.moved_aside name=%s", session.store.moved_aside.name)
        if kiosk_config is not None:
            from app.kiosk import effective_config
            from app.progress import kiosk_data

            kiosk_config = effective_config(kiosk_config, session.store)
            kiosk_data.expire_profiles(session.store, kiosk_config.profile_retention_days)
            session.sign_out()  # a kiosk always starts at the welcome screen
            session.set_locale(kiosk_config.default_language)
        window = MainWindow(session, kiosk_config)
        notices = []

        def fill_window() -> None:
            # The window is on screen: reading the lessons (milliseconds from the catalog cache; a
            # progress bar after half a second on a first start) never leaves the learner without one.
            log.info("app.started")  # the first record, after the first frame (it opens the log file)
            after_open(session)  # the log's redaction list and the rolling backup: not needed for the first frame
            loading = LoadingProgress(parent=window)
            try:
                window.load_library(progress=loading)
            finally:
                loading.close()
                gc.freeze()
                gc.enable()
            notices.extend(startup_notices(window))
            if kiosk_config is not None and not kiosk_data.has_admin_pin(session.store):
                window.set_admin_pin()  # first start: staff choose the PIN before visitors arrive

        window.after_first_paint(fill_window)
        if kiosk_config is not None:
            window.showFullScreen()
        else:
            window.show()
        code = app.exec()
        session.store.close()
        log.info("app.stopped code=%d", code)
        return code
    finally:
        sys.excepthook = previous_hook
        if kiosk_lock is not None:
            kiosk_lock.unlock()
        lock.unlock()
        logs.shutdown()
