"""GIFT parsing, problems and writing: every construct Lantern reads."""

from __future__ import annotations

import dataclasses

import pytest

from app.content.gift import (
    QUESTION_TYPES,
    Answer,
    GiftResult,
    MatchPair,
    NumericalAnswer,
    Question,
    parse_gift,
    write_gift,
)
from app.content.problems import Severity


def one(text: str, **kwargs) -> Question:
    result = parse_gift(text, **kwargs)
    assert len(result.questions) == 1, result
    return result.questions[0]


def codes(text: str, **kwargs) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in parse_gift(text, **kwargs).problems]


def clean(text: str) -> Question:
    """The one question in *text*, which must parse with no problems at all."""
    result = parse_gift(text)
    assert result.problems == [], [p.format() for p in result.problems]
    assert len(result.questions) == 1
    return result.questions[0]


def round_trip(questions: list[Question]) -> list[Question]:
    again = parse_gift(write_gift(questions)).questions
    assert [dataclasses.replace(q, line=0) for q in again] == [
        dataclasses.replace(q, line=0) for q in questions
    ]
    return again


# ------------------------------------------------------------------ question types


def test_single_choice_with_feedback():
    q = clean("::q:: Pick one {=right #yes ~wrong #no ~other #nope}")
    assert q.type == "single_choice"
    assert q.text == "Pick one"
    assert q.answers == [Answer("right", 1.0, "yes"), Answer("wrong", 0.0, "no"), Answer("other", 0.0, "nope")]


def test_multiple_choice_with_negative_weights():
    q = clean("::q:: Pick two {~%50%a #fa ~%50%b ~%-100%c #fc}")
    assert q.type == "multiple_choice"
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("a", 0.5, "fa"), ("b", 0.5, ""), ("c", -1.0, "fc")]


def test_weights_with_an_equals_answer_stay_single_choice_as_in_moodle():
    # Moodle turns "single" off only when no answer starts with "=".
    q = clean("::q:: Best? {=best ~%50%half ~none}")
    assert q.type == "single_choice"
    assert [a.fraction for a in q.answers] == [1.0, 0.5, 0.0]


def test_fractional_weights_moodle_accepts():
    q = clean("::q:: Three {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}")
    assert q.type == "multiple_choice"
    assert q.answers[0].fraction == pytest.approx(0.3333333)


@pytest.mark.parametrize(
    "braces, correct",
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)],
)
def test_true_false_forms(braces, correct):
    q = clean(f"::q:: The sky is blue. {braces}")
    assert q.type == "true_false"
    assert q.answers == [
        Answer("true", 1.0 if correct else 0.0, ""),
        Answer("false", 0.0 if correct else 1.0, ""),
    ]


def test_true_false_feedback_first_for_wrong_second_for_right():
    q = clean("::q:: Saving early helps. {TRUE#Think again: time compounds.#Right: time compounds.}")
    true, false = q.answers
    assert true == Answer("true", 1.0, "Right: time compounds.")
    assert false == Answer("false", 0.0, "Think again: time compounds.")
    q = clean("::q:: Fees never matter. {FALSE#Fees add up.#Correct.}")
    true, false = q.answers
    assert true == Answer("true", 0.0, "Fees add up.")
    assert false == Answer("false", 1.0, "Correct.")


def test_short_answer_with_weights_and_wildcard():
    q = clean("::q:: Capital of France? {=Paris #yes =%50%Par* #close}")
    assert q.type == "short_answer"
    assert q.answers == [Answer("Paris", 1.0, "yes"), Answer("Par*", 0.5, "close")]


def test_numerical_value_and_tolerance():
    q = clean("::q:: Pi? {#3.14:0.01 #close enough}")
    assert q.type == "numerical"
    assert q.answers == [NumericalAnswer(3.14, 0.01, 1.0, "close enough")]


def test_numerical_range_becomes_midpoint_and_half_width():
    q = clean("::q:: Between {#100..110}")
    assert q.answers == [NumericalAnswer(105.0, 5.0, 1.0, "")]


def test_numerical_several_answers_and_catch_all():
    q = clean("::q:: Pi? {# =%50%3:1 #rough =3.14:0.01 #good ~#no, about 3.14}")
    assert q.answers == [
        NumericalAnswer(3.0, 1.0, 0.5, "rough"),
        NumericalAnswer(3.14, 0.01, 1.0, "good"),
        NumericalAnswer(None, 0.0, 0.0, "no, about 3.14"),
    ]
    assert q.to_json()["answers"][2] == {"value": None, "tolerance": 0.0, "fraction": 0.0,
                                         "feedback": "no, about 3.14"}


def test_numerical_negative_and_exponent_values():
    q = clean("::q:: Loss? {#-5.5:0.5}")
    assert q.answers[0].value == -5.5
    q = clean("::q:: Big? {#1e3}")
    assert q.answers[0].value == 1000.0


def test_matching_with_distractor():
    q = clean("::q:: Match {=Bank -> lends =Insurer -> covers =Broker -> trades = -> prints money}")
    assert q.type == "matching"
    assert q.answers == [
        MatchPair("Bank", "lends"), MatchPair("Insurer", "covers"), MatchPair("Broker", "trades"),
        MatchPair("", "prints money")]
    assert q.to_json()["answers"][3] == {"text": "", "match": "prints money"}


def test_missing_word_keeps_type_of_answer_set_and_shows_a_blank():
    q = clean("::q:: Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.type == "single_choice"
    assert q.text == "Grant is _____ in Grant's tomb."
    assert q.text_after == " in Grant's tomb."
    assert q.missing_word
    q = clean("::q:: Two plus {=two =2} equals four.")
    assert q.type == "short_answer"
    assert q.text == "Two plus _____ equals four."


def test_missing_word_at_the_start():
    q = clean("::q:: {=Saving ~Spending} early pays off.")
    assert q.text == "_____ early pays off."


def test_essay_and_description():
    q = clean("::q:: What would you ask the seller? {}")
    assert q.type == "essay" and q.answers == [] and q.text == "What would you ask the seller?"
    q = clean("::intro:: Read the story, then answer.")
    assert q.type == "description" and q.text == "Read the story, then answer."


def test_all_types_are_listed():
    assert set(QUESTION_TYPES) == {
        "single_choice", "multiple_choice", "true_false", "short_answer", "numerical",
        "matching", "essay", "description"}


# ------------------------------------------------------------------ text features


def test_name_id_and_line():
    result = parse_gift("\n\n::first-q:: Sure? {T}\n", line_offset=10)
    q = result.questions[0]
    assert (q.name, q.id, q.line) == ("first-q", "first-q", 13)


def test_idnumber_and_tags_from_comments():
    text = "// plain comment\n// [id:ID-7] [tag:fees] [tag: risk ]\n::q:: Sure? {T}"
    q = clean(text)
    assert q.idnumber == "ID-7"
    assert q.tags == ["fees", "risk"]
    assert q.id == "q"
    assert q.line == 3


def test_escaped_bracket_in_id_and_tag():
    q = clean("// [id:a\\]b] [tag:x\\]y]\n::q:: Sure? {T}")
    assert q.idnumber == "a]b" and q.tags == ["x]y"]


def test_unnamed_question_uses_idnumber_then_a_stable_slug():
    result = parse_gift("// [id:ID-1]\nSure? {T}\n\nAlso sure? {T}")
    first, second = result.questions
    assert first.id == "ID-1"
    assert second.id.startswith("q-") and len(second.id) == 10
    assert parse_gift("\n\n\nAlso sure? {T}").questions[0].id == second.id  # not line based
    assert [p.code for p in result.problems] == ["GIFT006", "GIFT006"]


def test_identical_unnamed_questions_get_distinct_ids():
    result = parse_gift("Sure? {T}\n\nSure? {T}")
    assert len({q.id for q in result.questions}) == 2


def test_comments_inside_a_question_are_ignored():
    q = clean("::q:: Pick {\n  =a\n  // not an answer ~x\n  ~b\n}")
    assert [a.text for a in q.answers] == ["a", "b"]


def test_comment_lines_between_text_lines_become_a_blank_space_line_as_in_moodle():
    q = clean("::q:: One\n// note\nTwo {T}")
    assert q.text == "One\n \nTwo"


def test_multi_line_question_joins_trimmed_lines():
    q = clean("::q::\n   First line\n   second line {\n   =a\n   ~b\n}")
    assert q.text == "First line\nsecond line"


@pytest.mark.parametrize(
    "source, text",
    [
        (r"Ratio 1\:2", "Ratio 1:2"),
        (r"Use \~ and \= and \#", "Use ~ and = and #"),
        (r"Braces \{ \}", "Braces { }"),
        (r"Back\\slash", "Back\\slash"),
        (r"Line\nbreak", "Line\nbreak"),
        (r"Not an escape \d", "Not an escape \\d"),
        (r"Double \\n", "Double \\n"),
    ],
)
def test_escapes_in_text(source, text):
    assert clean(f"::q:: {source} {{T}}").text == text


def test_escapes_in_answers_and_feedback():
    q = clean(r"::q:: Which? {=1\:2 \#1 #a \= sign ~\{x\} #b \~ tilde}")
    assert q.answers == [Answer("1:2 #1", 1.0, "a = sign"), Answer("{x}", 0.0, "b ~ tilde")]


def test_escaped_colons_in_name():
    assert clean(r"::a\:b:: Sure? {T}").name == "a:b"


def test_categories():
    result = parse_gift("::a:: A {T}\n\n$CATEGORY: top/fees\n\n::b:: B {T}\n\n$CATEGORY: top/risk\n\n::c:: C {T}",
                        category="lesson")
    assert [q.category for q in result.questions] == ["lesson", "top/fees", "top/risk"]
    assert result.problems == []


@pytest.mark.parametrize("fmt", ["html", "moodle", "plain", "markdown"])
def test_format_tags(fmt):
    q = clean(f"::q::[{fmt}]Is this <b>bold</b>? {{=[{fmt}]yes #[{fmt}]fb ~no}}")
    assert q.format == fmt
    assert q.text == "Is this <b>bold</b>?"
    assert q.answers[0] == Answer("yes", 1.0, "fb")


def test_default_format_is_moodle():
    assert clean("::q:: Sure? {T}").format == "moodle"


def test_general_feedback():
    q = clean("::q:: Pick {=a #fa ~b #fb ####Because a.}")
    assert q.general_feedback == "Because a."
    assert q.answers[1] == Answer("b", 0.0, "fb")
    assert clean("::q:: Sure? {TRUE#no#yes####general}").general_feedback == "general"
    assert clean("::q:: Think. {####Model answer}").general_feedback == "Model answer"


def test_to_json_has_exactly_the_documented_keys():
    data = clean("::q:: Sure? {T}").to_json()
    assert list(data) == ["type", "name", "id", "line", "text", "format", "general_feedback",
                          "category", "tags", "idnumber", "answers"]


def test_windows_line_endings_and_bom():
    result = parse_gift("\ufeff::a:: A {T}\r\n\r\n::b:: B {F}\r\n")
    assert [q.name for q in result.questions] == ["a", "b"]
    assert [q.line for q in result.questions] == [1, 3]


def test_empty_and_comment_only_input():
    assert parse_gift("") == GiftResult([], [])
    assert parse_gift("// only a comment\n\n   \n") == GiftResult([], [])


# ------------------------------------------------------------------ problems


def test_problem_lines_follow_line_offset_and_file():
    result = parse_gift("\n::q:: Amount? {#abc}", file="lesson.md", line_offset=40)
    (problem,) = result.problems
    assert (problem.code, problem.line, problem.file, problem.severity) == (
        "GIFT020", 42, "lesson.md", Severity.ERROR)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("::q:: Open {=a ~b", [("GIFT001", 1)]),
        ("::q:: Close =a ~b}", [("GIFT001", 1)]),
        ("::q:: Wrong } way {", [("GIFT001", 1)]),
        ("::q:: One {=a ~b}\nand {=c ~d}", [("GIFT002", 2)]),
        ("::q Sure? {T}", [("GIFT003", 1), ("GIFT006", 1)]),
        ("::a:: One {T}\n::b:: Two {F}", [("GIFT002", 2), ("GIFT004", 2)]),
        ("::a:: One {T}\n\n::a:: Two {F}", [("GIFT005", 3)]),
        ("Sure? {T}", [("GIFT006", 1)]),
        ("::q:: [HTML]Bold? {T}", [("GIFT007", 1)]),
        ("::q:: Pick {=[html]a ~b}", [("GIFT008", 1)]),
        ("::q:: Sure? {T}x", [("GIFT009", 1)]),
        ("::q:: Sure?\n{true}", [("GIFT010", 2)]),
        ("::q:: Sure? {t#no#yes}", [("GIFT010", 1)]),
        ("::q:: Pick {a ~b =c}", [("GIFT011", 1)]),
        ("::q:: Pick {=%50%a ~b}", [("GIFT012", 1)]),
        ("::q:: Pick {\n~%50 %a\n~%50%b\n=c}", [("GIFT013", 2)]),
        ("::q:: Pick {~%33%a ~%67%b}", [("GIFT014", 1), ("GIFT014", 1)]),
        ("::q:: Pick {=a ~ ~b}", [("GIFT015", 1)]),
        ("::q:: Pick {~only}", [("GIFT016", 1)]),
        ("::q:: Type it {0}", [("GIFT011", 1), ("GIFT016", 1)]),
        ("::q:: Pick {~a ~b}", [("GIFT017", 1)]),
        ("::q:: Pick {~%50%a ~%40%b ~c}", [("GIFT018", 1)]),
        ("::q:: Name {=%50%Par*}", [("GIFT019", 1)]),
        ("::q:: Amount?\n{#1,5}", [("GIFT020", 2)]),
        ("::q:: Amount? {#=1:x}", [("GIFT021", 1)]),
        ("::q:: Amount? {#1..x}", [("GIFT021", 1)]),
        ("::q:: Amount? {#0}", [("GIFT022", 1)]),
        ("::q:: Match {=a -> b}", [("GIFT023", 1)]),
        ("::q:: Match {=a -> b = -> c}", [("GIFT023", 1)]),
        ("::q:: Match {=a -> b =c}", [("GIFT024", 1)]),
        ("::q:: Match {=a -> b =c -> d}", [("GIFT025", 1)]),
        ("::q:: Match {=a -> b #fb =c -> d =e -> f}", [("GIFT026", 1)]),
        ("::q:: Match {=a -> =c -> d =e -> f}", [("GIFT027", 1)]),
        ("$CATEGORY: a\n::q:: Sure? {T}", [("GIFT028", 2)]),
        ("$category: a", [("GIFT006", 1), ("GIFT029", 1)]),
        ("// [id:x]\n\n::q:: Sure? {T}", [("GIFT030", 1)]),
        ("::q:: Sure? {T}\n0\n", [("GIFT031", 2)]),
        ("// [id:x]\n::a:: A {T}\n\n// [id:x]\n::b:: B {T}", [("GIFT032", 5)]),
        ("::q:: Bad \ud800 char {T}", [("GIFT033", 1)]),
    ],
)
def test_each_problem_with_its_line(text, expected):
    assert sorted(codes(text)) == sorted(expected)


@pytest.mark.parametrize(
    "code, severity",
    [("GIFT001", "error"), ("GIFT006", "warning"), ("GIFT009", "warning"), ("GIFT010", "warning"),
     ("GIFT018", "error"), ("GIFT020", "error")],
)
def test_severities(code, severity):
    samples = {
        "GIFT001": "::q:: {=a", "GIFT006": "Sure? {T}", "GIFT009": "::q:: Sure? {T}x",
        "GIFT010": "::q:: Sure? {true}", "GIFT018": "::q:: {~%50%a ~b}", "GIFT020": "::q:: {#x}",
    }
    problem = next(p for p in parse_gift(samples[code]).problems if p.code == code)
    assert problem.severity.value == severity


def test_lower_case_true_is_read_as_short_answer_like_moodle():
    result = parse_gift("::q:: Sure? {true}")
    assert result.questions[0].type == "short_answer"
    assert result.questions[0].answers == [Answer("true", 1.0, "")]


def test_non_number_in_numerical_is_an_error_not_any_answer():
    q = parse_gift("::q:: Amount? {#about ten}").questions[0]
    assert q.answers == [NumericalAnswer(None, 0.0, 1.0, "")]


def test_questions_moodle_refuses_are_left_out():
    result = parse_gift("::a:: {=a\n\n::b:: Fine {T}\n\n::c:: {~one}\n\n::d:: {#1:x}\n\n::e:: {=a -> b =c}")
    assert [q.name for q in result.questions] == ["b"]
    assert [p.code for p in result.problems] == ["GIFT001", "GIFT016", "GIFT021", "GIFT024"]


def test_punctuation_after_braces_is_an_ordinary_missing_word():
    result = parse_gift("::q:: The answer is {=four =4}.")
    assert result.problems == []
    assert result.questions[0].text == "The answer is _____."


def test_problem_columns_point_at_the_answer():
    (problem,) = parse_gift("::q:: Pick {\n    ~%50%a\n    ~b\n}").problems
    assert (problem.code, problem.line, problem.column) == ("GIFT018", 2, 5)


def test_arbitrary_junk_never_raises():
    for text in ["{", "}", "{}", "::", "::::", "{#}", "{~}", "{=}", "{->}", "####", "{####}", "\\", "\\\\{",
                 "{#..}", "{#1..}", "{#:}", "{#~}", "{T#}", "[html", "[", "$CATEGORY:", "{%50%}", "{~%--5%a ~b}",
                 "{#=%50%}", "\x00{\x0b}", "0", "\r", "a\rb{T}"]:
        assert isinstance(parse_gift(text), GiftResult)


# ------------------------------------------------------------------ writing


ALL_TYPES = """
// [id:ID-1] [tag:fees] [tag:risk]
::single:: Pick one {
  =right #yes
  ~wrong #no
  ####General words.
}

::multi::[html]Pick <b>two</b> {~%50%a #fa ~%50%b ~%-100%c #fc}

::tf:: The sky is green. {FALSE#It is blue, look up.#Right.}

::short:: Capital of France? {=Paris #yes =%50%Par* #close}

::num:: Pi? {# =%50%3:1 #rough =3.14:0.01 #good ~#no}

::range:: Between {#100..110}

$CATEGORY: top/other

::match:: Match {=Bank -> lends =Insurer -> covers =Broker -> trades = -> prints money ####gf}

::missing:: Grant is {~buried =entombed ~living} in Grant's tomb.

::essay:: Why? {####Model answer}

::desc:: Just read \\{this\\} \\: ok.
"""


def test_round_trip_every_type():
    result = parse_gift(ALL_TYPES, category="lesson")
    assert result.problems == []
    assert {q.type for q in result.questions} == set(QUESTION_TYPES)
    again = round_trip(result.questions)
    assert write_gift(again) == write_gift(result.questions)


def test_written_text_has_escapes_names_ids_tags_and_categories():
    text = write_gift(parse_gift(ALL_TYPES, category="lesson").questions)
    assert text.startswith("$CATEGORY: lesson\n\n// [id:ID-1] [tag:fees] [tag:risk]\n::single:: Pick one {\n")
    assert "\n$CATEGORY: top/other\n" in text
    assert "::multi:: [html]Pick <b>two</b> {" in text
    assert "::desc:: Just read \\{this\\} \\: ok." in text
    assert "{#100..110}" not in text and "{#105:5}" in text


def test_write_without_categories():
    text = write_gift(parse_gift(ALL_TYPES, category="lesson").questions, categories=False)
    assert "$CATEGORY" not in text


def test_floats_are_written_without_needless_zeros():
    q = Question("numerical", "n", "n", 1, "How much?", answers=[
        NumericalAnswer(2.50, 0.10, 1.0), NumericalAnswer(100.0, 0.0, 0.5), NumericalAnswer(1e-7, 0.0, 0.1)])
    text = write_gift([q])
    assert "=2.5:0.1\n" in text and "=%50%100\n" in text and "=%10%0.0000001\n" in text


def test_written_weights_read_back_exactly():
    q = Question("multiple_choice", "m", "m", 1, "Pick", answers=[
        Answer("a", 0.3333333), Answer("b", 0.3333333), Answer("c", 0.3333333), Answer("d", -0.1428571)])
    assert "~%33.33333%a" in write_gift([q])
    round_trip([q])


def test_writer_protects_text_that_looks_like_syntax():
    questions = [
        Question("description", "", "x", 1, "// not a comment"),
        Question("description", "", "x", 1, "0"),
        Question("true_false", "t", "t", 1, "[html] is literal",
                 answers=[Answer("true", 1.0, "[x] fb"), Answer("false", 0.0, "")]),
        Question("short_answer", "s", "s", 1, "Rate?", answers=[Answer("%5% of it", 1.0, "")]),
        Question("multiple_choice", "m", "m", 1, "Pick",
                 answers=[Answer("%5%", 0.0), Answer("a", 1.0)]),
        Question("numerical", "z", "z", 1, "Zero?", answers=[NumericalAnswer(0.0, 0.0, 1.0)]),
    ]
    for q in questions:
        q.id = q.name or q.id
    text = write_gift(questions)
    result = parse_gift(text)
    assert [q.text for q in result.questions] == [q.text for q in questions]
    assert [q.answers for q in result.questions] == [q.answers for q in questions]


def test_missing_word_round_trip_keeps_the_blank_in_place():
    q = clean("::q:: Two plus {=two =2 ####gf} equals four.")
    text = write_gift([q])
    assert "::q:: Two plus {=two =2 ####gf} equals four." in text
    round_trip([q])


def test_round_trip_names_and_texts_with_every_special_character():
    special = "a\\b #c =d ~e {f} g:h\nnew line"
    q = Question("single_choice", special, special, 1, special, general_feedback=special,
                 answers=[Answer(special, 1.0, special), Answer("x", 0.0, "")])
    round_trip([q])
