"""Shared fixtures: offscreen Qt, a private data folder per test, English by default.

No test ever touches the real user data folder: LANTERN_DATA_DIR points into
pytest's tmp_path for every test (autouse).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_LESSONS = FIXTURES / "lessons"
PROJECT = Path(__file__).parent.parent


def show_screen(window, name: str, **kwargs) -> None:
    """Show screen *name* as a learner would reach it (welcome means signed out)."""
    if name == "welcome":
        window.sign_out()
        return
    if window.session.learner is None:
        window.sign_in(window.session.store.learners()[0])
    window.go(name, **kwargs)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("LANTERN_DATA_DIR", str(data))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    yield data
    from app import i18n

    i18n.set_locale("en")
    if "app.ui.main_window" in sys.modules:  # a test built a window: reset Qt's own language too
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        sys.modules["app.ui.main_window"].install_qt_translator("en")
        if QApplication.instance() is not None:
            QApplication.instance().setLayoutDirection(Qt.LeftToRight)


@pytest.fixture(autouse=True)
def no_dialogs():
    from app.ui.widgets import Ask

    Ask.answer = False
    yield
    Ask.answer = None


@pytest.fixture
def lessons_dir(monkeypatch):
    """The small fixture library (every question type, a fallback-only lesson)."""
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(FIXTURE_LESSONS))
    return FIXTURE_LESSONS


@pytest.fixture
def make_window(qtbot, qapp, private_data_dir):
    """Build a main window over *lessons* and a database in the test's data dir.

    A window's theme and text size are app-wide: the look of the test process is put back afterwards.
    """
    from PySide6.QtGui import QPalette

    from app.ui.main_window import MainWindow
    from app.ui.session import Session
    from app.ui.style import STYLESHEET

    palette, font, sheet = QPalette(qapp.palette()), qapp.font(), qapp.styleSheet()
    qapp.setStyleSheet(STYLESHEET)
    opened = []

    def make(lessons: Path = FIXTURE_LESSONS, locale: str | None = "en") -> MainWindow:
        session = Session.open(lessons_dir=lessons, database=private_data_dir / "progress.db", locale=locale)
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        window.session.store.close()
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
