"""Property tests: the GIFT parser never raises or hangs, and writing is stable."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.gift import (
    Answer,
    GiftResult,
    MatchPair,
    NumericalAnswer,
    Question,
    parse_gift,
    write_gift,
)

# A per-example deadline well above the normal few milliseconds: a hang or a
# quadratic blow-up fails the test instead of being hidden.
PROPS = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

# Pieces of GIFT syntax, so that random text hits the interesting paths often.
PIECES = list("{}~=#:\\%->[]\n /TFtf0123456789.$*_ab\r\t") + [
    "::", "->", "####", "[html]", "[markdown]", "$CATEGORY:", "// [id:x]", "// [tag:y]", "\\n",
    "%50%", "~%-100%", "=%33.33333%", "..", "TRUE", "FALSE", "0", "\n\n", "{#", "_____",
]
gift_like = st.lists(st.sampled_from(PIECES), max_size=300).map("".join)
any_text = st.text(max_size=2000)


def without_line(questions: list[Question]) -> list[Question]:
    return [dataclasses.replace(q, line=0) for q in questions]


@PROPS
@given(st.one_of(any_text, gift_like), st.integers(min_value=0, max_value=10_000))
def test_parse_never_raises_and_reports_real_lines(text, offset):
    result = parse_gift(text, file="f.md", line_offset=offset)
    assert isinstance(result, GiftResult)
    last_line = text.count("\n") + max(1, text.count("\r")) + 1 + offset
    for problem in result.problems:
        assert problem.code.startswith("GIFT")
        assert offset < problem.line <= last_line
        assert problem.file == "f.md"
    for q in result.questions:
        assert offset < q.line <= last_line
        assert q.to_json()["type"] in (
            "single_choice", "multiple_choice", "true_false", "short_answer", "numerical",
            "matching", "essay", "description")


@PROPS
@given(st.one_of(gift_like, any_text))
def test_write_parse_write_is_stable(text):
    questions = parse_gift(text).questions
    written = write_gift(questions)
    again = parse_gift(written).questions
    assert without_line(again) == without_line(questions)
    assert write_gift(again) == written


# ------------------------------------------------------------------ built questions

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("{}~=#:\\\n[]%->"),
                max_size=40).map(lambda s: s.strip(" \t\n\r\0\x0b"))
nonempty = texts.filter(bool)
grades = st.sampled_from([1.0, 0.9, 0.8333333, 0.75, 0.6666667, 0.5, 0.3333333, 0.25, 0.2, 0.1428571,
                          0.125, 0.1, 0.05, 0.0, -0.5, -1.0, -0.3333333])
numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["single_choice", "multiple_choice", "true_false", "short_answer",
                                 "numerical", "matching", "essay", "description"]))
    name = draw(st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True))
    fmt = draw(st.sampled_from(["moodle", "html", "plain", "markdown"]))
    q = Question(kind, name, name, 1, draw(texts), fmt,
                 general_feedback="" if kind == "description" else draw(texts),
                 tags=draw(st.lists(st.from_regex(r"[a-z][a-z -]{0,8}[a-z]", fullmatch=True), max_size=3)),
                 idnumber=draw(st.sampled_from(["", "ID-1", "x]y"])))
    if kind in ("single_choice", "multiple_choice"):
        wrong = draw(st.lists(st.builds(Answer, nonempty, st.just(0.0), texts), min_size=1, max_size=4))
        if kind == "single_choice":
            right = [Answer(draw(nonempty), 1.0, draw(texts))]
        else:
            right = [Answer(draw(nonempty), 0.5, draw(texts)), Answer(draw(nonempty), 0.5, draw(texts))]
        q.answers = draw(st.permutations(right + wrong))
    elif kind == "true_false":
        correct = draw(st.booleans())
        q.answers = [Answer("true", 1.0 if correct else 0.0, draw(texts)),
                     Answer("false", 0.0 if correct else 1.0, draw(texts))]
    elif kind == "short_answer":
        # GIFT cannot hold "->" in a short answer with several answers (it would read as matching).
        no_arrow = texts.filter(lambda s: "->" not in s)
        q.answers = [Answer(draw(nonempty.filter(lambda s: "->" not in s)), 1.0, draw(no_arrow))] + draw(
            st.lists(st.builds(Answer, nonempty.filter(lambda s: "->" not in s), grades, no_arrow), max_size=3))
    elif kind == "numerical":
        q.answers = [NumericalAnswer(draw(numbers), abs(draw(numbers)), 1.0, draw(texts))] + draw(
            st.lists(st.builds(NumericalAnswer, numbers, numbers.map(abs), grades, texts), max_size=2))
        if draw(st.booleans()):
            q.answers.append(NumericalAnswer(None, 0.0, 0.0, draw(texts)))
    elif kind == "matching":
        q.answers = draw(st.lists(st.builds(MatchPair, nonempty.filter(lambda s: "->" not in s), nonempty),
                                  min_size=3, max_size=5))
        if draw(st.booleans()):
            q.answers.append(MatchPair("", draw(nonempty)))
    if kind not in ("description",) and draw(st.booleans()):
        after = draw(nonempty)
        q.missing_word, q.text_after = True, " " + after
        q.text = q.text + " _____ " + after if q.text else "_____ " + after
    return q


@PROPS
@given(st.lists(questions(), max_size=4), st.sampled_from(["", "top/a", "top/b"]))
def test_built_questions_survive_write_and_parse(items, category):
    for index, q in enumerate(items):
        q.category = category
        q.name = q.id = f"{q.name}-{index}"  # names and ids must be unique in one text
        q.idnumber = f"{q.idnumber}-{index}" if q.idnumber else ""
    written = write_gift(items)
    result = parse_gift(written)
    assert without_line(result.questions) == without_line(items), written
    assert not [p for p in result.problems if p.is_error], [p.format() for p in result.problems]
