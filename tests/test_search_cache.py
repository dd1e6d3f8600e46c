"""The stored search index: same results as a fresh one, rebuilt when lessons or the indexer change, safe when damaged."""

from __future__ import annotations

import sqlite3

import pytest

from app.content import search_cache
from app.content.catalog import Library
from app.content.search import build_index
from tests.test_search_golden import GENERATED_QUERIES, generated_library


@pytest.fixture
def builds(monkeypatch) -> list:
    """Every index search_cache builds (instead of loading)."""
    built = []
    real = search_cache.build_index

    def counting(library, progress=None):
        built.append(library)
        return real(library, progress=progress)

    monkeypatch.setattr(search_cache, "build_index", counting)
    return built


def results(index) -> dict:
    found = {}
    for locale, region, query in GENERATED_QUERIES:
        found[(locale, query)] = [r.to_json() | {"score": r.score} for r in index.search(query, locale, region)]
    return found


def test_stored_index_gives_the_same_results_and_is_not_built_again(tmp_path, builds):
    root = generated_library(tmp_path)
    stored = tmp_path / "cache" / search_cache.INDEX_NAME
    first = search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 1 and stored.is_file()
    again = search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 1  # loaded, not built
    assert results(again) == results(first) == results(build_index(Library.load(root)))


def test_an_edited_lesson_makes_a_new_index(tmp_path, builds):
    root = generated_library(tmp_path)
    stored = tmp_path / "search.sqlite"
    search_cache.load_or_build(Library.load(root), stored)
    lesson = next(root.glob("track-001/lesson-00001.en.md"))
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("## ", "## Zanzibar ", 1), encoding="utf-8")
    index = search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 2
    assert [r.lesson_id for r in index.search("zanzibar", "en")] == ["lesson-00001"]
    assert len(builds) == 2
    search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 2  # the new one was stored


def test_a_new_indexer_does_not_trust_the_old_index(tmp_path, builds, monkeypatch):
    root = generated_library(tmp_path)
    stored = tmp_path / "search.sqlite"
    search_cache.load_or_build(Library.load(root), stored)
    monkeypatch.setattr(search_cache, "FORMAT", search_cache.FORMAT + 1)
    search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 2


@pytest.mark.parametrize("damage", [b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 5000, b""])
def test_a_damaged_file_is_rebuilt(tmp_path, builds, damage):
    root = generated_library(tmp_path)
    stored = tmp_path / "search.sqlite"
    stored.write_bytes(damage)
    index = search_cache.load_or_build(Library.load(root), stored)
    assert len(builds) == 1 and index.search("complaint", "en")
    with sqlite3.connect(stored) as conn:  # replaced by a good one
        assert dict(conn.execute("SELECT key, value FROM meta"))["fingerprint"] == search_cache.indexer_fingerprint()


def test_an_unwritable_cache_folder_still_gives_an_index(tmp_path, builds):
    root = generated_library(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    index = search_cache.load_or_build(Library.load(root), blocker / "search.sqlite")
    assert index.search("complaint", "en") and len(builds) == 1
    assert list(tmp_path.glob(".search-*")) == []


def test_search_screen_shows_a_progress_bar_while_building_and_none_when_stored(qtbot, make_window, tmp_path,
                                                                                monkeypatch):  # fmt: skip
    from app.ui.application import LoadingProgress
    from app.ui.screens import search as search_screen

    shown = []
    real = LoadingProgress._make_dialog

    def recording(self, total):
        dialog = real(self, total)
        shown.append((dialog.labelText(), dialog.accessibleName()))
        return dialog

    monkeypatch.setattr(LoadingProgress, "_make_dialog", recording)
    window = make_window(lessons=generated_library(tmp_path), locale="en")
    library = window.session.library
    monkeypatch.setattr(search_screen, "_cached", None)
    search_screen.index_for(library, window, progress_delay=-1)  # every build "takes too long"
    assert shown == [("Preparing the search…", "Preparing the search…")]
    monkeypatch.setattr(search_screen, "_cached", None)
    index = search_screen.index_for(library, window, progress_delay=-1)  # stored now: nothing to wait for
    assert len(shown) == 1 and index.search("complaint", "en")
