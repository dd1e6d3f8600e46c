"""A start paints the window first and reads the lessons right after (see docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

from tests.conftest import FIXTURE_LESSONS, PROJECT


def _returning_learner(data_dir, theme: str | None = None):
    from app.progress.store import ProgressStore
    from app.ui.session import SETTING_LAST_LEARNER

    store = ProgressStore(data_dir / "progress.db")
    learner = store.create_learner("Rosa", "ar")
    store.set_setting(SETTING_LAST_LEARNER, str(learner.id))
    if theme:
        store.set_setting(f"pref.{learner.id}.theme", theme)
    store.close()


def test_the_window_paints_before_the_lessons_are_read_then_shows_home(qtbot, qapp, private_data_dir):
    from app.ui.main_window import MainWindow
    from app.ui.session import Session
    from app.ui.theme import DARK

    _returning_learner(private_data_dir, theme="dark")
    session = Session.open(lessons_dir=FIXTURE_LESSONS, database=private_data_dir / "progress.db",
                           load_library=False)  # fmt: skip
    assert session.library is None and session.learner.nickname == "Rosa"
    window = MainWindow(session)
    qtbot.addWidget(window)
    # The first frame: the learner's language, direction and theme, and a page saying what is happening.
    assert window.stack.currentWidget() is window.loading_page
    assert window.loading_page.text() == "جارٍ تجهيز الدروس…"  # "Preparing the lessons…"
    assert qapp.layoutDirection() == Qt.RightToLeft
    assert qapp.palette().window().color().name() == DARK.window
    assert window.screens == {}
    qtbot.mouseClick(window.home_button, Qt.LeftButton)  # nothing to show yet: no screen is built
    assert window.screens == {} and window.current is None

    filled = []
    window.after_first_paint(lambda: (window.load_library(), filled.append(window.current.name)),
                             fallback_ms=60_000)  # fmt: skip
    window.show()
    qtbot.waitUntil(lambda: filled == ["home"])
    assert window.loading_page is None
    assert window.stack.currentWidget() is window.screens["home"]
    assert window.session.library.lessons and window.session.help_directory is not None
    window.session.store.close()


def test_a_window_that_is_never_painted_still_gets_its_lessons(qtbot, private_data_dir):
    from app.ui.main_window import MainWindow
    from app.ui.session import Session

    _returning_learner(private_data_dir)
    session = Session.open(lessons_dir=FIXTURE_LESSONS, database=private_data_dir / "progress.db",
                           load_library=False)  # fmt: skip
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.after_first_paint(window.load_library, fallback_ms=10)  # never shown
    qtbot.waitUntil(lambda: window.current is not None)
    assert window.current.name == "home"
    window.session.store.close()


START_AND_REPORT = """
import sys
from PySide6.QtCore import QTimer
from app.ui.application import make_qapplication, run_app

app = make_qapplication()

def check():
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "main-window")
    if window.current is None:
        QTimer.singleShot(10, check)
        return
    print("screen:", window.current.name, "lessons:", len(window.session.library.lessons) > 0)
    app.quit()

QTimer.singleShot(0, check)
sys.exit(run_app(locale="en"))
"""


def test_a_real_start_ends_on_the_welcome_screen_with_the_lessons_read(private_data_dir, lessons_dir):
    result = subprocess.run([sys.executable, "-c", START_AND_REPORT], cwd=PROJECT, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["screen: welcome lessons: True"]
