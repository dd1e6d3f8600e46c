"""Property tests: the file reader, the front-matter loader and the Markdown pipeline.

Arbitrary input (bounded in size) never raises anything but LessonError and
never hangs; whatever renders is safe for the viewer; and a parsed front matter
written back out parses to the same lesson.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.lesson import parse_lesson, read_text
from app.content.problems import LessonError
from app.content.render import markdown_to_html, render_lesson, sanitize

# A deadline far above the usual milliseconds: a hang or a blow-up fails instead of hiding.
PROPS = settings(max_examples=300, deadline=3000, suppress_health_check=[HealthCheck.too_slow])

YAML_PIECES = [
    "---\n", "title: ", "id: ", "order: ", "minutes: ", "level: ", "pass_score: ", "objectives: ",
    "regions: ", "sources: ", "kind: ", "\n", "  - ", "[", "]", "{", "}", ",", ":", "&a ", "*a", "!!",
    "!!python/object:os.system", "'", '"', "#", "|", ">", "9" * 40, "0.7", "1e400", "2020-13-45", "~",
    "null", "true", "? ", "<<: ", "\t", " ", "beginner", "x", "中文", "\ufeff", "...\n",
]  # fmt: skip
MD_PIECES = [
    "[", "]", "(", ")", "![", "<", ">", "</", "script>", "img src=", "a href=", " onerror=", " style=",
    "javascript:", "data:", "file:///etc/passwd", "https://evil.example/x.png", "//evil", "\\\\", "../",
    "*", "_", "`", "```", "~~~", "    ", "- ", "1. ", "> ", "#", "|", "-|-", "\n", "\n\n", "&#x61;",
    "&amp;", "x", "中", "LANTERN-HELP-BLOCK-0", "[^1]", "[r]: https://e.org", "<div>", "</div>", "<!--",
    "-->", "\t", "\r", "\x0b",
]  # fmt: skip
yaml_like = st.lists(st.sampled_from(YAML_PIECES), max_size=80).map("".join)
markdown_like = st.lists(st.sampled_from(MD_PIECES), max_size=200).map("".join)
any_text = st.text(max_size=1500)
LESSON_PATH = Path("lessons/track/prop.en.md")


def assert_safe(html: str) -> None:
    lower = html.lower()
    assert "<script" not in lower and "<style" not in lower and "<iframe" not in lower
    assert not re.search(r"<[^>]*\son\w+\s*=", lower)
    for attribute, value in re.findall(r"\s(href|src)=\"([^\"]*)\"", lower):
        assert not value.startswith(("javascript:", "data:", "file:", "http:", "//", "\\")), (attribute, value)
        if attribute == "src":
            assert ":" not in value.split("/")[0] and not value.startswith("/"), value


@PROPS
@given(st.one_of(yaml_like.map(lambda y: "---\n" + y + "\n---\n"), yaml_like, any_text), markdown_like)
def test_loader_raises_only_lesson_error(front, body):
    try:
        lesson = parse_lesson(front + body, LESSON_PATH)
    except LessonError as exc:
        assert exc.problem.code and exc.problem.file == str(LESSON_PATH)
        return
    assert lesson.title.strip()
    for problem in lesson.problems:
        assert problem.code and problem.line >= 0


@PROPS
@given(st.binary(max_size=2000))
def test_reader_raises_only_lesson_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("read") / "x.en.md"
    path.write_bytes(data)
    try:
        text = read_text(path)
    except LessonError as exc:
        assert exc.problem.code in ("FILE004", "FILE005", "FILE008")
        return
    assert "\x00" not in text and not re.search("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)


@PROPS
@given(st.one_of(markdown_like, any_text))
def test_markdown_pipeline_raises_only_lesson_error_and_is_safe(text):
    try:
        html = markdown_to_html(text)
    except LessonError as exc:
        assert exc.problem.code.startswith("MD")
        return
    assert_safe(html)
    assert sanitize(html) == sanitize(sanitize(html))  # sanitizing is stable: nothing left to remove


@PROPS
@given(markdown_like)
def test_whole_lesson_renders_safely(body):
    text = "---\ntitle: Property\n---\n" + body + "\n\n```help\ncovers: [fraud]\n```\n"
    try:
        lesson = parse_lesson(text, LESSON_PATH)
        html = render_lesson(lesson)
    except LessonError as exc:
        assert exc.problem.code.startswith(("MD", "GIFT"))
        return
    assert_safe(html)
    # One box per help block, except where raw HTML or an open ``` swallowed the block; never a leftover token.
    assert html.count('<table class="help"') <= len(lesson.help_blocks) <= 1
    assert not re.search(r"LANTERN-HELP-BLOCK-\d+-[0-9a-f]{16}", html)


titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != "")
front_matter = st.fixed_dictionaries(
    {"title": titles},
    optional={
        "summary": st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
        "order": st.integers(-10**6, 10**6),
        "minutes": st.integers(1, 600),
        "level": st.sampled_from(["beginner", "intermediate", "advanced"]),
        "pass_score": st.floats(0, 1, allow_nan=False),
        "objectives": st.lists(titles, max_size=4),
        "regions": st.lists(st.sampled_from(["CN", "HK", "US", "GB"]), max_size=3),
        "kind": st.sampled_from(["lesson", "knowledge-check"]),
    },
)  # fmt: skip


@PROPS
@given(front_matter, markdown_like)
def test_parse_export_parse_is_stable(fields, body):
    """Fields written back as YAML give the same lesson, and writing again gives the same text."""
    body = body.replace("---", "- - -").replace("...", ". . .")  # keep the front matter's end marker ours
    first = parse_lesson("---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body, LESSON_PATH)
    exported = {key: getattr(first, key) for key in fields}
    text = "---\n" + yaml.safe_dump(exported, allow_unicode=True) + "---\n" + body
    second = parse_lesson(text, LESSON_PATH)
    ignore = ("content_hash", "problems", "help_blocks", "questions")
    one, two = first.to_json(), second.to_json()
    assert {k: v for k, v in one.items() if k not in ignore} == {k: v for k, v in two.items() if k not in ignore}
    assert [q.to_json() | {"line": 0} for q in first.questions] == [q.to_json() | {"line": 0} for q in second.questions]
    again = "---\n" + yaml.safe_dump({key: getattr(second, key) for key in fields}, allow_unicode=True) + "---\n" + body
    assert again == text
