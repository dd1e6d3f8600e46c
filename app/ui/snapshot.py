"""``lantern snapshot``: render one screen with demo data to a PNG.

Runs offscreen in a throw-away data folder, so it never touches a learner's
real data; used for documentation and visual checks in every language.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from app import i18n

DEMO_NICKNAME = "Mei"


def _demo_session(data_dir: Path, locale: str, region: str | None):
    from app.content.helpdir import default_region
    from app.ui.session import Session

    session = Session.open(database=data_dir / "progress.db", locale=locale)
    region = region or default_region([locale], session.help_directory.region_codes()) or (
        "CN" if locale.startswith("zh") else "GB"
    )
    learner = session.store.create_learner(DEMO_NICKNAME, session.locale, region=region.upper())
    session.sign_in(learner)
    library = session.library
    # Some history so Home, Track and My progress have something to show.
    for track_id in library.track_ids()[:2]:
        ids = library.lesson_ids(track_id)
        if not ids:
            continue
        first = library.lesson(ids[0], session.locale).item
        graded = [q.id for q in first.graded_questions]
        for index, qid in enumerate(graded):
            session.store.record_answer(learner.id, first.id, 1, qid, "null", 1.0 if index % 4 else 0.0, 20)
        session.store.finish_attempt(learner.id, first.id, 1, graded, first.pass_score)
        session.store.save_position(learner.id, first.id, {"screen": "lesson", "scroll": 0.0}, 420)
    return session


def snapshot(screen: str, locale: str, out: Path, lesson_id: str | None = None, region: str | None = None,
             kiosk: bool = False) -> int:  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.application import make_qapplication

    app = make_qapplication()
    from app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="lantern-snapshot-") as tmp:
        session = _demo_session(Path(tmp), locale, region)
        library = session.library
        if lesson_id is None:
            ids = library.all_lesson_ids()
            lesson_id = ids[0] if ids else None
        elif lesson_id not in library.lessons:
            print(f"lantern: no lesson with id {lesson_id!r}", file=sys.stderr)
            session.store.close()
            return 2
        config = None
        if kiosk or screen == "admin":
            from app.kiosk import KioskConfig

            config = KioskConfig(default_language=session.locale if session.locale in i18n.shipped_locales() else "en")
        window = MainWindow(session, config)
        if config is not None:
            session.is_admin = screen == "admin"
            if window.kiosk is not None:
                window.kiosk.idle_timer.stop()
        window.resize(1100, 800)
        window.show()
        if screen == "welcome":
            window.sign_out()
        elif screen == "track":
            track_id = library.lesson_track.get(lesson_id, library.track_ids()[0] if library.track_ids() else "")
            window.go("track", track_id=track_id)
        elif screen in ("lesson", "quiz"):
            if lesson_id is None:
                print("lantern: there are no lessons to show", file=sys.stderr)
                return 1
            window.go(screen, lesson_id=lesson_id)
            if screen == "quiz":
                _answer_first_question(window.current)
        else:
            window.go(screen)
        for _ in range(3):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(out))
        window.close()
        session.store.close()
    if not ok:
        print(f"lantern: could not write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _answer_first_question(quiz) -> None:
    """Pick the first option and check it, so the snapshot shows feedback too."""
    from PySide6.QtWidgets import QAbstractButton

    widget = quiz.answer_widget
    if widget is None:
        return
    buttons = widget.findChildren(QAbstractButton)
    if buttons:
        buttons[0].setChecked(True)
    if widget.response() is not None:
        quiz.check()
