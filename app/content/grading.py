"""Grading a learner's response to a GIFT question, the way Moodle marks it.

Pure functions, no Qt. Response shapes by question type:

- single_choice: ``int`` (index into ``question.answers``)
- multiple_choice: ``set``/``list`` of ``int`` indices
- true_false: ``bool``
- short_answer: ``str``
- numerical: ``float`` or ``str`` (``.`` as decimal point; spaces around are fine)
- matching: ``dict`` {pair text: chosen match}
- essay: ``str`` (not auto-graded); description: ``None``

A missing-word question is graded as its underlying type. A response of the
wrong shape (``None`` for "no answer" included) earns no credit; grading never
raises on a response.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

from app.content.gift import Answer, MatchPair, NumericalAnswer, Question

CORRECT_AT = 0.999
NOT_GRADED = ("essay", "description")

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_STARS = re.compile(r"(?<!\\)\*+")


@dataclass
class Grade:
    credit: float | None  # 0..1; None when the question is not auto-graded
    correct: bool
    feedback: list[str] = field(default_factory=list)  # for what the learner chose, in order
    general_feedback: str = ""


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _grade(question: Question, credit: float | None, feedback: list[str]) -> Grade:
    if credit is not None:
        credit = _clamp(credit)
    return Grade(
        credit=credit,
        correct=credit is not None and credit >= CORRECT_AT,
        feedback=[f for f in feedback if f],
        general_feedback=question.general_feedback,
    )


def _index(response, count: int) -> int | None:
    if isinstance(response, bool) or not isinstance(response, int):
        return None
    return response if 0 <= response < count else None


# ------------------------------------------------------------------ short answer


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def wildcard_match(pattern: str, response: str) -> bool:
    """Moodle's short-answer comparison: case-insensitive, trimmed, ``*`` matches anything
    (``\\*`` is a literal star). Greedy segment search, so it is linear, never exponential."""
    parts = [p.replace("\\*", "*") for p in _STARS.split(_normalise(pattern))]
    text = _normalise(response)
    if len(parts) == 1:
        return text == parts[0]
    first, *middle, last = parts
    if not text.startswith(first):
        return False
    pos = len(first)
    for part in middle:
        found = text.find(part, pos)
        if found == -1:
            return False
        pos = found + len(part)
    return len(text) - pos >= len(last) and text.endswith(last)


# ------------------------------------------------------------------ numbers


def parse_number(response) -> float | None:
    """A finite float from a float/int or a string with "." as decimal point."""
    if isinstance(response, bool):
        return None
    if isinstance(response, (int, float)):
        value = float(response)
    elif isinstance(response, str) and _NUMBER.fullmatch(response.strip()):
        value = float(response.strip())
    else:
        return None
    return value if math.isfinite(value) else None


def _within(answer: NumericalAnswer, value: float) -> bool:
    # Moodle adds a tiny margin so that values on the edge are not lost to float error.
    margin = abs(answer.tolerance) + 1e-9 * max(1.0, abs(answer.value or 0.0))
    return abs(value - (answer.value or 0.0)) <= margin


# ------------------------------------------------------------------ grade


def grade(question: Question, response) -> Grade:
    """How much credit *response* earns on *question*, with the feedback to show."""
    kind = question.type
    answers = question.answers
    if kind in NOT_GRADED:
        return _grade(question, None, [])

    if kind == "single_choice":
        index = _index(response, len(answers))
        if index is None:
            return _grade(question, 0.0, [])
        chosen = answers[index]
        return _grade(question, getattr(chosen, "fraction", 0.0), [getattr(chosen, "feedback", "")])

    if kind == "multiple_choice":
        if not isinstance(response, (set, frozenset, list, tuple)):
            return _grade(question, 0.0, [])
        indices = sorted({i for i in (_index(r, len(answers)) for r in response) if i is not None})
        chosen = [answers[i] for i in indices]
        # Moodle: the sum of the chosen weights, clamped to 0..1 (negatives cancel guesses).
        credit = sum(getattr(a, "fraction", 0.0) for a in chosen)
        return _grade(question, credit, [getattr(a, "feedback", "") for a in chosen])

    if kind == "true_false":
        if not isinstance(response, bool):
            return _grade(question, 0.0, [])
        wanted = "true" if response else "false"
        for answer in answers:
            if isinstance(answer, Answer) and answer.text == wanted:
                return _grade(question, answer.fraction, [answer.feedback])
        return _grade(question, 0.0, [])

    if kind == "short_answer":
        if not isinstance(response, str) or not response.strip():
            return _grade(question, 0.0, [])
        best: Answer | None = None
        for answer in answers:
            if isinstance(answer, Answer) and wildcard_match(answer.text, response):
                if best is None or answer.fraction > best.fraction:
                    best = answer
        if best is None:
            return _grade(question, 0.0, [])
        return _grade(question, best.fraction, [best.feedback])

    if kind == "numerical":
        value = parse_number(response)
        numeric = [a for a in answers if isinstance(a, NumericalAnswer) and a.value is not None]
        catch_all = [a for a in answers if isinstance(a, NumericalAnswer) and a.value is None]
        best_num: NumericalAnswer | None = None
        if value is not None:
            for answer in numeric:
                if _within(answer, value) and (best_num is None or answer.fraction > best_num.fraction):
                    best_num = answer
        if best_num is None and catch_all:
            best_num = catch_all[0]
        if best_num is None:
            return _grade(question, 0.0, [])
        return _grade(question, best_num.fraction, [best_num.feedback])

    if kind == "matching":
        pairs = [p for p in answers if isinstance(p, MatchPair) and p.text]
        if not pairs:
            return _grade(question, 0.0, [])
        if not isinstance(response, dict):
            return _grade(question, 0.0, [])
        right = sum(1 for p in pairs if response.get(p.text) == p.match)
        return _grade(question, right / len(pairs), [])

    return _grade(question, 0.0, [])


# ------------------------------------------------------------------ answers log


def _canonical(question: Question, response):
    kind = question.type
    if response is None:
        return None
    if kind == "multiple_choice" and isinstance(response, (set, frozenset, list, tuple)):
        return sorted({r for r in response if isinstance(r, int) and not isinstance(r, bool)})
    if kind == "matching" and isinstance(response, dict):
        return {str(k): v for k, v in response.items()}
    if kind == "numerical" and isinstance(response, float) and not math.isfinite(response):
        return str(response)
    return response


def response_to_json(question: Question, response) -> str:
    """Compact, canonical JSON for the answers log (sets sorted, keys sorted)."""
    return json.dumps(
        _canonical(question, response), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


def response_from_json(question: Question, text: str):
    """The response stored by :func:`response_to_json`, in the shape :func:`grade` takes."""
    value = json.loads(text)
    if question.type == "multiple_choice" and isinstance(value, list):
        return set(value)
    return value
