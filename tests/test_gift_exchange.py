"""Moodle exchange: `lantern gift export` and `lantern gift import`, and the round trip
Lantern → GIFT → Lantern on every question type."""

from __future__ import annotations

import shutil

from app.cli import main
from app.content.gift import QUESTION_TYPES, parse_gift
from app.content.lesson import load_lesson, read_text
from tests.conftest import FIXTURE_LESSONS

EVERY_TYPE = FIXTURE_LESSONS / "basics" / "every-type.en.md"
EMPTY_LESSON = """---
title: Imported quiz
---
Text.
"""


def _comparable(q) -> dict:
    data = q.to_json()
    data.pop("line")
    data.pop("category")
    return data


def test_export_writes_categories_and_names_moodle_reads(tmp_path):
    out = tmp_path / "quiz.gift"
    assert main(["gift", "export", str(EVERY_TYPE), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("$CATEGORY: basics/every-type\n")
    result = parse_gift(text)
    assert [p for p in result.problems if p.is_error] == []
    assert [q.name for q in result.questions] == [q.id for q in load_lesson(EVERY_TYPE).questions]
    assert {q.category for q in result.questions} == {"basics/every-type"}


def test_round_trip_lantern_gift_lantern_is_lossless_for_every_type(tmp_path):
    original = load_lesson(EVERY_TYPE)
    assert {q.type for q in original.questions} == set(QUESTION_TYPES)
    gift = tmp_path / "quiz.gift"
    main(["gift", "export", str(EVERY_TYPE), "-o", str(gift)])
    lesson = tmp_path / "imported.en.md"
    lesson.write_text(EMPTY_LESSON, encoding="utf-8")
    assert main(["gift", "import", str(gift), "--lesson", str(lesson)]) == 0
    imported = load_lesson(lesson)
    assert [_comparable(q) for q in imported.questions] == [_comparable(q) for q in original.questions]
    assert [q.missing_word for q in imported.questions] == [q.missing_word for q in original.questions]
    assert [q.text_after for q in imported.questions] == [q.text_after for q in original.questions]
    # And out again: the second export is the first one, byte for byte.
    again = tmp_path / "again.gift"
    main(["gift", "export", str(lesson), "-o", str(again)])
    assert again.read_text(encoding="utf-8").split("\n", 1)[1] == gift.read_text(encoding="utf-8").split("\n", 1)[1]


def test_import_appends_keeps_ids_and_names_unnamed_questions(tmp_path, capsys):
    lesson = tmp_path / "basics" / "every-type.en.md"
    shutil.copytree(FIXTURE_LESSONS / "basics", lesson.parent)
    gift = tmp_path / "moodle.gift"
    gift.write_text("$CATEGORY: $course$/top/Imported\n\n// [tag:moodle]\n::from-moodle:: Is 2 \\= 2? {T#No.#Yes.}\n\n"
                    "A question Moodle named by its text. {=yes #Right. ~no #Wrong.}\n", encoding="utf-8")
    before = load_lesson(lesson).questions
    assert main(["gift", "import", str(gift), "--lesson", str(lesson)]) == 0
    after = load_lesson(lesson).questions
    assert [q.id for q in after[: len(before)]] == [q.id for q in before]
    added = after[len(before):]
    assert added[0].id == "from-moodle" and added[0].tags == ["moodle"] and added[0].text == "Is 2 = 2?"
    assert added[1].id.startswith("q-") and added[1].name == added[1].id  # now named, so the id is stable
    assert "added true_false from-moodle" in capsys.readouterr().out


def test_import_refuses_errors_and_duplicate_ids_without_writing(tmp_path, capsys):
    lesson = tmp_path / "imported.en.md"
    lesson.write_text(EMPTY_LESSON, encoding="utf-8")
    broken = tmp_path / "broken.gift"
    broken.write_text("::a:: Unclosed {=yes\n", encoding="utf-8")
    assert main(["gift", "import", str(broken), "--lesson", str(lesson)]) == 1
    assert "GIFT001" in capsys.readouterr().err
    good = tmp_path / "good.gift"
    good.write_text("::a:: Fine? {TRUE#No.#Yes.}\n", encoding="utf-8")
    assert main(["gift", "import", str(good), "--lesson", str(lesson)]) == 0
    text = read_text(lesson)
    assert main(["gift", "import", str(good), "--lesson", str(lesson)]) == 1
    assert "already in the lesson: a" in capsys.readouterr().err
    assert read_text(lesson) == text
    assert main(["gift", "import", str(tmp_path / "none.gift"), "--lesson", str(lesson)]) == 2
