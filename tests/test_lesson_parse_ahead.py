"""Parsing shared with a worker process: the same library as parsing everything here, whatever the worker does."""

from __future__ import annotations

import sys

import pytest

from app.content import parse_ahead
from app.content.cache import CACHE_NAME, CatalogCache
from app.content.catalog import Library
from app.content.parse_ahead import ParseAhead, parse_files
from tests.conftest import FIXTURE_LESSONS, PROJECT
from tests.test_cache import snapshot

sys.path.insert(0, str(PROJECT / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def library_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("parse-ahead") / "lessons"
    generate.generate_lessons(root, lessons=60, words=60, questions=3, per_track=20)
    # Broken and hostile files among them: their problems must come back the same from the worker.
    for source in [*(FIXTURE_LESSONS / "broken").glob("*.md"), *(PROJECT / "tests" / "hostile").glob("*.md")]:
        (root / "track-002" / source.name).write_bytes(source.read_bytes())
    return root


def items_json(results) -> list:
    """(digest, item) pairs comparable across processes: a lesson from the worker loads its body on use."""
    return [(digest, item.to_json() | {"body": getattr(item, "body", None)} if hasattr(item, "to_json") else repr(item))
            for digest, item in results]  # fmt: skip


@pytest.fixture(autouse=True)
def few_files_are_enough(monkeypatch):
    monkeypatch.setattr(parse_ahead, "MIN_FILES", 40)


def test_worker_results_equal_parsing_here(library_root):
    paths = sorted(library_root.rglob("*.md"))
    ahead = ParseAhead(paths)
    with ahead._lock:  # let the worker finish its first chunk before the loader takes anything
        assert ahead._lock.wait_for(lambda: 0 in ahead._done, timeout=60)
    taken = [ahead.take(path) for path in paths]
    ahead.close()
    assert ahead.by_worker >= 1
    assert items_json(taken) == items_json(parse_files(paths))


@pytest.mark.parametrize("worker", [["-c", "import sys; sys.stdin.buffer.read(100)"], ["-m", "no.such.module"]],
                         ids=["dies-after-a-chunk-was-sent", "never-starts"])  # fmt: skip
def test_a_failing_worker_leaves_the_parsing_here(library_root, monkeypatch, worker):
    monkeypatch.setattr(parse_ahead, "WORKER", worker)
    paths = sorted(library_root.rglob("*.md"))
    ahead = ParseAhead(paths)
    taken = [ahead.take(path) for path in paths]
    assert ahead.by_worker == 0
    assert items_json(taken) == items_json(parse_files(paths))


def test_library_is_the_same_with_and_without_the_worker(library_root, tmp_path, monkeypatch):
    monkeypatch.setattr(parse_ahead, "MIN_FILES", 10**9)
    alone = snapshot(Library.load(library_root))
    made = []
    monkeypatch.setattr(parse_ahead, "MIN_FILES", 40)
    monkeypatch.setattr(parse_ahead, "ParseAhead", type("Recorded", (ParseAhead,), {
        "__init__": lambda self, paths: (made.append(self), ParseAhead.__init__(self, paths))[1]}))  # fmt: skip
    shared = snapshot(Library.load(library_root))
    cold = Library.load(library_root, cache=CatalogCache(tmp_path / CACHE_NAME))
    assert len(made) == 2 and len(made[0]._chunks) > 2
    assert shared == alone
    assert snapshot(cold) == alone
    made.clear()
    warm = Library.load(library_root, cache=CatalogCache(tmp_path / CACHE_NAME))
    assert snapshot(warm) == alone
    assert made[0]._chunks == [] and made[0]._process is None  # nothing to parse on a warm start: no worker


def test_the_worker_runs_this_lantern_whatever_the_current_folder_holds(library_root, tmp_path, monkeypatch):
    # Started from a folder holding some other "app" package (another checkout, say), the
    # worker must still import this one: the same parser as the process it works for.
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("raise SystemExit('not this app')\n")
    monkeypatch.chdir(tmp_path)
    paths = sorted(library_root.rglob("*.md"))
    ahead = ParseAhead(paths)
    with ahead._lock:
        assert ahead._lock.wait_for(lambda: 0 in ahead._done, timeout=60)
    taken = [ahead.take(path) for path in paths]
    ahead.close()
    assert ahead.by_worker >= 1
    assert items_json(taken) == items_json(parse_files(paths))


def test_a_lesson_from_the_worker_loads_its_parts_on_use_and_copies_whole(library_root):
    import copy
    import pickle

    from app.content.lesson import Lesson

    paths = sorted(library_root.rglob("lesson-*.en.md"))
    ahead = ParseAhead(paths)
    with ahead._lock:
        assert ahead._lock.wait_for(lambda: 0 in ahead._done, timeout=60)
    digest, lesson = ahead.take(paths[0])
    ahead.close()
    here_digest, here = parse_files(paths[:1])[0]
    assert digest == here_digest
    assert "questions" not in lesson.__dict__  # still pickled, until it is used
    assert lesson.questions and lesson.to_json() == here.to_json() and lesson.body == here.body
    for clone in (copy.deepcopy(lesson), pickle.loads(pickle.dumps(lesson))):
        assert type(clone) is Lesson and not any(k.startswith("_heavy") for k in vars(clone))
        assert clone.to_json() == here.to_json()
