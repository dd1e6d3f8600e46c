"""`lantern lessons new`: the scaffold has every section and question type and passes the checker."""

from __future__ import annotations

from app.cli import main
from app.content.checker import check_paths
from app.content.gift import QUESTION_TYPES
from app.content.lesson import content_hash, load_lesson, read_text


def test_new_lesson_passes_the_checker_with_no_problems(tmp_path, capsys):
    assert main(["lessons", "new", "my-track", "first-steps", "--root", str(tmp_path)]) == 0
    written = capsys.readouterr().out.split()
    assert written == [str(tmp_path / "my-track" / "_track.en.md"), str(tmp_path / "my-track" / "first-steps.en.md")]
    assert check_paths([tmp_path]) == []
    lesson = load_lesson(tmp_path / "my-track" / "first-steps.en.md")
    assert {q.type for q in lesson.questions} == set(QUESTION_TYPES)
    assert any(q.missing_word for q in lesson.questions)
    assert lesson.help_blocks and lesson.sources and lesson.objectives and lesson.order == 1
    text = read_text(lesson.path)
    assert text.count("\n# ") >= 1 and "// Single choice" in text  # commented for the author


def test_second_lesson_takes_the_next_order_and_existing_file_is_refused(tmp_path, capsys):
    main(["lessons", "new", "my-track", "first", "--root", str(tmp_path)])
    main(["lessons", "new", "my-track", "second", "--root", str(tmp_path)])
    assert load_lesson(tmp_path / "my-track" / "second.en.md").order == 2
    assert main(["lessons", "new", "my-track", "first", "--root", str(tmp_path)]) == 2
    assert main(["lessons", "new", "my-track", "Bad_Name", "--root", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_translation_copies_the_source_and_records_its_hash(tmp_path):
    main(["lessons", "new", "my-track", "first-steps", "--root", str(tmp_path)])
    assert main(["lessons", "new", "my-track", "first-steps", "--locale", "zh-Hans", "--root", str(tmp_path)]) == 0
    source = tmp_path / "my-track" / "first-steps.en.md"
    translation = load_lesson(tmp_path / "my-track" / "first-steps.zh-Hans.md")
    assert translation.translated_from == content_hash(read_text(source))
    assert [q.id for q in translation.questions] == [q.id for q in load_lesson(source).questions]
    assert (tmp_path / "my-track" / "_track.zh-Hans.md").is_file()
    assert check_paths([tmp_path]) == []
    # The source changes afterwards: the translation is reported as out of date.
    source.write_text(read_text(source).replace("Start with a short story", "Begin with a story"), encoding="utf-8")
    assert [p.code for p in check_paths([tmp_path])] == ["TR005"]
