"""The catalog cache: same library with and without it, no re-parsing of unchanged files, safe when damaged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from app.content import catalog, lesson as lesson_module
from app.content.cache import CACHE_NAME, CachedLesson, CatalogCache
from app.content.catalog import Library
from tests.conftest import FIXTURE_LESSONS, PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
import generate  # noqa: E402


def snapshot(library: Library) -> dict:
    """Everything a library tells its users, in comparable form."""
    return {
        "lessons": {lid: {loc: l.to_json() | {"body": l.body} for loc, l in v.items()}
                    for lid, v in library.lessons.items()},  # fmt: skip
        "tracks": {tid: {loc: vars(t) for loc, t in v.items()} for tid, v in library.tracks.items()},
        "lesson_track": library.lesson_track,
        "problems": [p.to_json() for p in library.problems],
        "broken": [p.to_json() for p in library.broken],
        "order": [(t, library.lesson_ids(t)) for t in library.track_ids(include_checks=True)],
    }


@pytest.fixture
def cache(tmp_path) -> CatalogCache:
    return CatalogCache(tmp_path / "cache" / CACHE_NAME)


@pytest.fixture
def parse_count(monkeypatch) -> list[Path]:
    """Every lesson or track file the library parses."""
    parsed: list[Path] = []
    for name in ("parse_lesson", "parse_track"):
        real = getattr(catalog, name)

        def counting(text, path, _real=real):
            parsed.append(path)
            return _real(text, path)

        monkeypatch.setattr(catalog, name, counting)
    return parsed


@pytest.mark.parametrize("root", [FIXTURE_LESSONS, PROJECT / "lessons"], ids=["fixtures", "bundled"])
def test_cached_library_equals_parsed_library(root, cache):
    plain = snapshot(Library.load(root, cache=None))
    cold = Library.load(root, cache=cache)
    warm = Library.load(root, cache=CatalogCache(cache.path))
    assert any(isinstance(l, CachedLesson) for v in warm.lessons.values() for l in v.values())
    assert snapshot(cold) == plain
    assert snapshot(warm) == plain


def test_warm_start_parses_no_unchanged_file(tmp_path, cache, parse_count):
    root = tmp_path / "lessons"
    generate.generate_lessons(root, lessons=6, words=80, questions=3, per_track=3)
    first = Library.load(root, cache=cache)
    assert len(parse_count) == 6 * 5 + 2 * 5  # every lesson and track file, once
    parse_count.clear()
    again = Library.load(root, cache=CatalogCache(cache.path))
    assert parse_count == []
    assert snapshot(again) == snapshot(first)


def test_edited_touched_added_and_removed_files(tmp_path, cache, parse_count):
    root = tmp_path / "lessons"
    generate.generate_lessons(root, lessons=4, words=60, questions=2, per_track=4)
    Library.load(root, cache=cache)
    folder = root / "track-001"
    edited = folder / "lesson-00001.en.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("order: 1", "order: 9"), encoding="utf-8")
    touched = folder / "lesson-00002.en.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 5_000_000_000))
    (folder / "lesson-00003.es.md").unlink()
    shutil.copy(FIXTURE_LESSONS / "basics" / "second.en.md", folder / "second.en.md")
    parse_count.clear()
    library = Library.load(root, cache=CatalogCache(cache.path))
    # Only the edited and the new file are parsed; the touched one is hashed and found unchanged.
    assert sorted(p.name for p in parse_count) == ["lesson-00001.en.md", "second.en.md"]
    assert library.lesson("lesson-00001", "en").item.order == 9
    assert "es" not in library.lessons["lesson-00003"]
    assert snapshot(library) == snapshot(Library.load(root, cache=None))


def test_broken_files_are_cached_with_their_problem(tmp_path, cache, parse_count):
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, root)
    first = Library.load(root, cache=cache)
    assert first.broken
    parse_count.clear()
    again = Library.load(root, cache=CatalogCache(cache.path))
    assert parse_count == []
    assert [p.to_json() for p in again.broken] == [p.to_json() for p in first.broken]


def test_damaged_cache_file_is_replaced(tmp_path, cache):
    Library.load(FIXTURE_LESSONS, cache=cache)
    cache.close()
    cache.path.write_bytes(b"this is not a database" * 100)
    library = Library.load(FIXTURE_LESSONS, cache=CatalogCache(cache.path))
    assert snapshot(library) == snapshot(Library.load(FIXTURE_LESSONS, cache=None))
    with sqlite3.connect(cache.path) as conn:  # made again, and holds the library
        assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 1


def test_damaged_entries_fall_back_to_the_files(tmp_path, cache):
    Library.load(FIXTURE_LESSONS, cache=cache)
    cache.close()
    with sqlite3.connect(cache.path) as conn:
        conn.execute("UPDATE parsed SET data = x'00ff'")
    library = Library.load(FIXTURE_LESSONS, cache=CatalogCache(cache.path))
    lesson = library.lesson("every-type", "en").item
    assert isinstance(lesson, CachedLesson)
    assert lesson.questions and lesson.body  # read from the lesson file instead
    with sqlite3.connect(cache.path) as conn:
        conn.execute("UPDATE files SET data = x'00ff'")
    assert snapshot(Library.load(FIXTURE_LESSONS, cache=CatalogCache(cache.path))) == snapshot(
        Library.load(FIXTURE_LESSONS, cache=None))


def test_parser_change_invalidates_the_cache(tmp_path, cache, parse_count, monkeypatch):
    Library.load(FIXTURE_LESSONS, cache=cache)
    parse_count.clear()
    monkeypatch.setattr("app.content.cache._parser_fingerprint", lambda: "a newer parser")
    Library.load(FIXTURE_LESSONS, cache=CatalogCache(cache.path))
    assert parse_count  # everything parsed again


def test_concurrent_writers_leave_a_usable_cache(tmp_path):
    root = tmp_path / "lessons"
    generate.generate_lessons(root, lessons=10, words=60, questions=2, per_track=5)
    path = tmp_path / "cache" / CACHE_NAME
    errors = []

    def load():
        try:
            Library.load(root, cache=CatalogCache(path))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert snapshot(Library.load(root, cache=CatalogCache(path))) == snapshot(Library.load(root, cache=None))


def test_unwritable_cache_folder_still_loads(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    library = Library.load(FIXTURE_LESSONS, cache=CatalogCache(blocker / CACHE_NAME))
    assert snapshot(library) == snapshot(Library.load(FIXTURE_LESSONS, cache=None))


def test_the_app_caches_in_the_data_folder_or_lantern_cache_dir(private_data_dir, tmp_path, monkeypatch):
    from app.ui.session import Session

    Library.load(FIXTURE_LESSONS)  # tools and checks write nothing
    assert not (private_data_dir / "cache").exists()
    Session.open(lessons_dir=FIXTURE_LESSONS).store.close()
    assert (private_data_dir / "cache" / CACHE_NAME).is_file()
    monkeypatch.setenv("LANTERN_CACHE_DIR", str(tmp_path / "elsewhere"))
    Session.open(lessons_dir=FIXTURE_LESSONS).store.close()
    assert (tmp_path / "elsewhere" / CACHE_NAME).is_file()


def test_a_cached_lesson_copies_as_a_complete_lesson(cache):
    import copy
    import pickle

    Library.load(FIXTURE_LESSONS, cache=cache)
    lesson = Library.load(FIXTURE_LESSONS, cache=CatalogCache(cache.path)).lesson("every-type", "en").item
    for clone in (copy.deepcopy(lesson), pickle.loads(pickle.dumps(lesson))):
        assert type(clone) is lesson_module.Lesson
        assert clone.to_json() == lesson.to_json() and clone.body == lesson.body


def test_progress_is_reported_while_loading(tmp_path):
    root = tmp_path / "lessons"
    generate.generate_lessons(root, lessons=3, words=40, questions=1, per_track=3)
    seen = []
    Library.load(root, cache=None, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (20, 20) and all(b == 20 for _a, b in seen)
    assert [a for a, _b in seen] == sorted(a for a, _b in seen)


def test_a_slow_load_shows_a_progress_bar_and_a_quick_one_does_not(qapp, tmp_path):
    from app.ui.application import LoadingProgress

    root = tmp_path / "lessons"
    generate.generate_lessons(root, lessons=8, words=40, questions=1, per_track=4)
    now = [0.0]
    quick = LoadingProgress(clock=lambda: now[0])
    Library.load(root, cache=None, progress=quick)  # the clock never passes half a second
    assert quick.dialog is None

    def slow_clock():
        now[0] += 0.05  # every file takes 50 ms
        return now[0]

    now[0] = 0.0
    slow = LoadingProgress(clock=slow_clock)
    shown = []

    def progress(done, total):
        slow(done, total)
        if slow.dialog is not None and slow.dialog.isVisible():
            shown.append((slow.dialog.value(), slow.dialog.maximum()))

    Library.load(root, cache=None, progress=progress)
    dialog = slow.dialog
    assert shown and shown[0][0] > 0  # not from the first file: only once half a second has passed
    assert all(total == 8 * 5 + 2 * 5 for _done, total in shown)
    assert [done for done, _total in shown] == sorted(done for done, _total in shown)
    assert dialog.objectName() == "loading-lessons" and dialog.accessibleName()
    from PySide6.QtWidgets import QProgressBar

    assert not dialog.findChild(QProgressBar).isTextVisible()  # "40%" does not fit the slim bar
    slow.close()
    assert slow.dialog is None and not dialog.isVisible()
