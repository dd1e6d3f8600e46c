"""Search and parsing give exactly the results recorded before they were made faster.

tests/fixtures/search-golden.json holds, for a set of queries in all five
languages (with regional variants), every result of the bundled course and of a
generated library (ids, order, scores, titles, snippets, highlight spans, the
text the viewer looks for), and a digest of every parsed lesson and problem of
the bundled course, the generated library, the fixture lessons and the hostile
corpus. It was recorded with the straightforward implementation these
optimisations replaced; re-record it only when a change to what is found or
parsed is intended:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/test_search_golden.py --record
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

import generate  # noqa: E402

from app.content.catalog import Library  # noqa: E402
from app.content.lesson import load_lesson  # noqa: E402
from app.content.problems import LessonError  # noqa: E402
from app.content.search import build_index  # noqa: E402

GOLDEN = Path(__file__).parent / "fixtures" / "search-golden.json"
FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
HOSTILE = Path(__file__).parent / "hostile"
BUNDLED = PROJECT / "lessons"

# (locale, region, query): every script, prefix and substring matching, short and long
# Chinese words, accents and Arabic forms both ways, several words, nothing found.
BUNDLED_QUERIES = [
    ("en", None, "guaranteed return"), ("en", None, "complaint"), ("en", "GB", "ombudsman"),
    ("en", "US", "credit report"), ("en", None, "fee"), ("en", None, "p2p"), ("en", None, "zzzz-not-there"),
    ("en", None, "data"), ("en", None, "a"), ("en", "HK", "bank"), ("en", None, "Ｐ２Ｐ"),
    ("es", None, "préstamo"), ("es", None, "prestamo"), ("es", "MX", "condusef"), ("es-MX", "MX", "queja banco"),
    ("es-ES", "ES", "reclamación"), ("es", None, "datos personales"),
    ("zh-Hans", None, "骗局"), ("zh-Hans", "CN", "银行 投诉"), ("zh-Hans", None, "个人信息"),
    ("zh-Hans", None, "钱"), ("zh-Hans", None, "p2p"),
    ("zh-Hant", None, "詐騙"), ("zh-Hant-HK", "HK", "投訴"), ("zh-Hant-TW", "TW", "銀行"),
    ("ar", None, "احتيال"), ("ar", "SA", "شكوى بنك"), ("ar", None, "البنك"), ("ar", None, "اموال"),
    ("ar-AE", "AE", "حماية"), ("ar", None, "ساما"),
]
GENERATED_QUERIES = [
    ("en", None, "guaranteed return"), ("en", None, "complaint"), ("en", None, "ombudsman deadline"),
    ("en", None, "fee"), ("en", None, "zzzz-not-there"), ("en", None, "priv"),
    ("es", None, "préstamo"), ("es", None, "queja banco"), ("es", None, "comision"),
    ("zh-Hans", None, "诈骗"), ("zh-Hans", None, "银行 投诉"), ("zh-Hans", None, "银行卡转账"),
    ("zh-Hant", None, "詐騙"), ("zh-Hant-HK", "HK", "帳戶"),
    ("ar", None, "احتيال"), ("ar", None, "شكوى بنك"), ("ar", None, "ايداع"), ("ar", None, "مكافاة"),
]


def generated_library(folder: Path) -> Path:
    root = folder / "generated"
    generate.generate_lessons(root, lessons=40, words=200, questions=6, per_track=10)
    return root


def search_snapshot(library: Library, queries) -> dict:
    index = build_index(library)
    found = {}
    for locale, region, query in queries:
        results = index.search(query, locale, region)
        found[f"{locale}|{region or ''}|{query}"] = [r.to_json() | {"score": round(r.score, 9)} for r in results]
    return found


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:20]


def _relative(value, root: Path):
    """*value* (JSON-like) with *root* taken off every path, so the record does not depend on the folder."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return json.loads(text.replace(json.dumps(str(root))[1:-1] + "/", ""))


def parse_snapshot(root: Path) -> dict:
    """Each lesson (every field, body included) and track as a digest; every problem in full."""
    library = Library.load(root)
    lessons = {f"{lid}.{loc}": _digest(_relative(l.to_json() | {"body": l.body, "body_line": l.body_line}, root))
               for lid, v in library.lessons.items() for loc, l in v.items()}  # fmt: skip
    tracks = {f"{tid}.{loc}": _digest(_relative({k: str(v) for k, v in vars(t).items() if k != "problems"}, root))
              for tid, v in library.tracks.items() for loc, t in v.items()}  # fmt: skip
    return {
        "lessons": lessons,
        "tracks": tracks,
        "problems": _relative([p.to_json() for p in library.problems], root),
        "broken": _relative([p.to_json() for p in library.broken], root),
    }


def hostile_snapshot() -> dict:
    """Each hostile file parsed alone: the lesson's digest, or the problem that refused it."""
    found = {}
    for path in sorted(HOSTILE.glob("*.md")):
        try:
            lesson = load_lesson(path)
            found[path.name] = _digest(_relative(lesson.to_json() | {"body": lesson.body}, HOSTILE))
        except LessonError as exc:
            found[path.name] = _relative(exc.problem.to_json(), HOSTILE)
    return found


def record_all(folder: Path) -> dict:
    generated = generated_library(folder)
    return {
        "search": {
            "bundled": search_snapshot(Library.load(BUNDLED), BUNDLED_QUERIES),
            "generated": search_snapshot(Library.load(generated), GENERATED_QUERIES),
        },
        "parse": {
            "bundled": parse_snapshot(BUNDLED),
            "generated": parse_snapshot(generated),
            "fixtures": parse_snapshot(FIXTURES),
            "hostile": hostile_snapshot(),
        },
    }


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generated_library(tmp_path_factory.mktemp("golden"))


def test_bundled_course_search_results_are_unchanged(golden):
    assert search_snapshot(Library.load(BUNDLED), BUNDLED_QUERIES) == golden["search"]["bundled"]


def test_generated_library_search_results_are_unchanged(golden, generated):
    assert search_snapshot(Library.load(generated), GENERATED_QUERIES) == golden["search"]["generated"]


def test_queries_find_something_in_every_language(golden):
    # The record is only a guard if the queries match: each language has results with highlights.
    for name, results in golden["search"].items():
        for language in ("en", "es", "zh-Hans", "zh-Hant", "ar"):
            hits = [r for key, found in results.items() if key.startswith(language) for r in found]
            assert any(r["highlights"] and r["find"] for r in hits), (name, language)


@pytest.mark.parametrize("name", ["bundled", "fixtures"])
def test_parsed_lessons_and_problems_are_unchanged(golden, name):
    root = {"bundled": BUNDLED, "fixtures": FIXTURES}[name]
    assert parse_snapshot(root) == golden["parse"][name]


def test_generated_lessons_parse_unchanged(golden, generated):
    assert parse_snapshot(generated) == golden["parse"]["generated"]


def test_hostile_files_parse_or_fail_unchanged(golden):
    assert hostile_snapshot() == golden["parse"]["hostile"]


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    with tempfile.TemporaryDirectory() as folder:
        GOLDEN.write_text(json.dumps(record_all(Path(folder)), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")  # fmt: skip
    print(f"recorded {GOLDEN}")
