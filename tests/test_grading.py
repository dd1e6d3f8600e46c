"""Grading a learner's response, per question type: right, wrong and partial."""

from __future__ import annotations

import pytest

from app.content.gift import parse_gift
from app.content.grading import Grade, grade, response_from_json, response_to_json, wildcard_match


def q(text: str):
    (question,) = parse_gift(text).questions
    return question


SINGLE = q("::s:: Pick {=right #yes ~%50%half #close ~wrong #no ~%-50%bad #worse ####gf}")
MULTI = q("::m:: Pick two {~%50%a #fa ~%50%b #fb ~%-100%c #fc ~d #fd}")
TRUE_FALSE = q("::t:: Sky is blue. {TRUE#Look up.#Right.####gf}")
FALSE_ = q("::f:: Sky is green. {F#It is blue.#Correct.}")
SHORT = q("::a:: Capital? {=Paris #yes =%50%Par* #close =%25%*is #odd}")
NUMERIC = q("::n:: Pi? {# =%50%3:1 #rough =3.14:0.01 #good ~#about 3.14}")
RANGE = q("::r:: Between? {#100..110 #in range}")
MATCH = q("::x:: Match {=Bank -> lends =Insurer -> covers =Broker -> trades = -> prints money}")
ESSAY = q("::e:: Why? {####Model answer}")
DESCRIPTION = q("::d:: Read this.")
MISSING = q("::w:: Two plus {=two =2 #digits} equals four.")


# ------------------------------------------------------------------ choice


def test_single_choice_right_partial_wrong():
    assert grade(SINGLE, 0) == Grade(1.0, True, ["yes"], "gf")
    assert grade(SINGLE, 1) == Grade(0.5, False, ["close"], "gf")
    assert grade(SINGLE, 2) == Grade(0.0, False, ["no"], "gf")
    assert grade(SINGLE, 3).credit == 0.0  # negative weights never go below zero


@pytest.mark.parametrize("response", [None, -1, 4, 99, True, "0", 1.0])
def test_single_choice_unusable_response_earns_nothing(response):
    assert grade(SINGLE, response) == Grade(0.0, False, [], "gf")


def test_multiple_choice_sums_chosen_weights():
    assert grade(MULTI, {0, 1}) == Grade(1.0, True, ["fa", "fb"], "")
    assert grade(MULTI, [1]) == Grade(0.5, False, ["fb"], "")
    assert grade(MULTI, [1, 0, 3]).credit == 1.0
    assert grade(MULTI, [0, 2]).credit == 0.0  # clamped, like Moodle
    assert grade(MULTI, [0, 1, 2]).credit == 0.0
    assert grade(MULTI, []).credit == 0.0
    assert grade(MULTI, [3, 0]).feedback == ["fa", "fd"]  # in answer order
    assert grade(MULTI, 0).credit == 0.0


def test_true_false_feedback_follows_the_chosen_side():
    assert grade(TRUE_FALSE, True) == Grade(1.0, True, ["Right."], "gf")
    assert grade(TRUE_FALSE, False) == Grade(0.0, False, ["Look up."], "gf")
    assert grade(FALSE_, False) == Grade(1.0, True, ["Correct."], "")
    assert grade(FALSE_, True) == Grade(0.0, False, ["It is blue."], "")
    assert grade(FALSE_, None).credit == 0.0
    assert grade(FALSE_, 1).credit == 0.0  # a bool, not an int


# ------------------------------------------------------------------ short answer


@pytest.mark.parametrize(
    "response, credit, feedback",
    [
        ("Paris", 1.0, ["yes"]),
        ("  paris ", 1.0, ["yes"]),
        ("PARIS", 1.0, ["yes"]),
        ("Parisian", 0.5, ["close"]),
        ("Tunis", 0.25, ["odd"]),
        ("London", 0.0, []),
        ("", 0.0, []),
        (None, 0.0, []),
    ],
)
def test_short_answer_best_matching_answer(response, credit, feedback):
    result = grade(SHORT, response)
    assert (result.credit, result.feedback) == (credit, feedback)


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        ("abc", "ABC", True),
        ("a*c", "abbbc", True),
        ("a*c", "ac", True),
        ("a*c", "acb", False),
        ("*", "anything", True),
        ("a**b", "axb", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("ab*ab", "ab", False),
        ("*x*y*", "..x..y..", True),
        ("*x*y*", "..y..x..", False),
        ("Ä", "ä", True),
    ],
)
def test_wildcard_match(pattern, text, expected):
    assert wildcard_match(pattern, text) is expected


def test_wildcard_match_is_fast_on_long_input():
    assert not wildcard_match("*a*a*a*a*a*a*a*b", "a" * 50_000)


# ------------------------------------------------------------------ numerical


@pytest.mark.parametrize(
    "response, credit, feedback",
    [
        (3.14, 1.0, ["good"]),
        ("3.145", 1.0, ["good"]),
        (" 3.15 ", 1.0, ["good"]),
        (2.5, 0.5, ["rough"]),
        ("3", 0.5, ["rough"]),
        (10, 0.0, ["about 3.14"]),
        ("1,5", 0.0, ["about 3.14"]),
        ("pi", 0.0, ["about 3.14"]),
        ("nan", 0.0, ["about 3.14"]),
        (None, 0.0, ["about 3.14"]),
    ],
)
def test_numerical(response, credit, feedback):
    result = grade(NUMERIC, response)
    assert (result.credit, result.feedback) == (credit, feedback)


def test_numerical_range_edges_count():
    assert grade(RANGE, 100).correct and grade(RANGE, "110").correct
    assert grade(RANGE, 110.01) == Grade(0.0, False, [], "")


# ------------------------------------------------------------------ matching


def test_matching_share_of_correct_pairs_without_distractors():
    right = {"Bank": "lends", "Insurer": "covers", "Broker": "trades"}
    assert grade(MATCH, right) == Grade(1.0, True, [], "")
    partial = grade(MATCH, {"Bank": "lends", "Insurer": "prints money", "Broker": "covers"})
    assert partial.credit == pytest.approx(1 / 3) and not partial.correct
    assert grade(MATCH, {}).credit == 0.0
    assert grade(MATCH, None).credit == 0.0


# ------------------------------------------------------------------ ungraded and missing word


def test_essay_and_description_are_not_graded():
    assert grade(ESSAY, "Because.") == Grade(None, False, [], "Model answer")
    assert grade(DESCRIPTION, None) == Grade(None, False, [], "")


def test_missing_word_grades_as_its_answer_set():
    assert MISSING.type == "short_answer"
    assert grade(MISSING, "2") == Grade(1.0, True, ["digits"], "")
    assert grade(MISSING, "three").credit == 0.0


def test_correct_means_nearly_full_credit():
    thirds = q("::t:: Pick {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}")
    assert grade(thirds, {0, 1, 2}).correct


# ------------------------------------------------------------------ answers log


@pytest.mark.parametrize(
    "question, response, text",
    [
        (SINGLE, 2, "2"),
        (MULTI, {3, 0}, "[0,3]"),
        (TRUE_FALSE, False, "false"),
        (SHORT, "Pâris", '"Pâris"'),
        (NUMERIC, "3.14", '"3.14"'),
        (NUMERIC, 3.5, "3.5"),
        (MATCH, {"Insurer": "covers", "Bank": "lends"}, '{"Bank":"lends","Insurer":"covers"}'),
        (ESSAY, "My text", '"My text"'),
        (DESCRIPTION, None, "null"),
    ],
)
def test_response_json_round_trip(question, response, text):
    assert response_to_json(question, response) == text
    back = response_from_json(question, text)
    assert back == response
    assert grade(question, back) == grade(question, response)


def test_multiple_choice_list_and_set_log_the_same():
    assert response_to_json(MULTI, [1, 0, 1]) == response_to_json(MULTI, {0, 1}) == "[0,1]"
