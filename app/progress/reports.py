"""Reports for educators: completion per lesson and item analysis per question.

Everything comes from the append-only ``answers`` log (plus reading time from
``lesson_progress``), through the totals that triggers keep in step with it
(``attempt_totals``, ``lesson_answer_time``; schema version 4 in db.py): the
overview reads one row per attempt instead of every answer, and item analysis
reads the answers of each learner's first finished attempt only. The formulas
(also in ``docs/reports.md``):

- An **attempt** is one run through a lesson's quiz (``answers.attempt``). For
  each question the attempt's *latest* answer counts. An attempt is
  **finished** when it has an answer to every graded question (not essays or
  descriptions). Its **score** is the mean credit over the graded questions.
- Like Moodle's statistics ("first attempt" setting), item analysis, the score
  distribution and the median score use each learner's **first finished
  attempt**, so retries (which see the feedback) do not inflate the figures.
- **Started**: learners with any reading or answer for the lesson.
  **Completed**: learners with a finished attempt. **Passed**: learners whose
  best finished score reaches the lesson's ``pass_score``.
- **Median time**: among learners who completed, the median of reading time
  (``lesson_progress.seconds_spent``) plus answering time (all their answers).
- **Facility index** F of a question: the mean credit (0..1) it earned; for
  right/wrong questions, the share of learners who got it right.
- **Discrimination index** D: the point-biserial (Pearson) correlation between
  the credit on the question and the learner's score on the *rest* of the quiz
  (Moodle's "discrimination index", as a value from -1 to 1). Undefined when
  either varies not at all.
- **Flags** (only with at least ``MIN_RESPONSES`` learners): too easy F > 0.9,
  too hard F < 0.3, negative discrimination D < 0.
"""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from dataclasses import dataclass, field
from typing import Iterable

from app.content.gift import Question
from app.content.lesson import Lesson
from app.i18n import N_, _

MIN_RESPONSES = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
NOT_GRADED = ("essay", "description")

FLAG_LABELS = {
    "too-easy": N_("too easy"),
    "too-hard": N_("too hard"),
    "negative-discrimination": N_("negative discrimination"),
}


@dataclass
class OptionCount:
    text: str
    fraction: float
    count: int


@dataclass
class QuestionStats:
    id: str
    text: str
    type: str
    responses: int
    facility: float | None
    discrimination: float | None
    options: list[OptionCount] = field(default_factory=list)  # choices, in the question's order
    wrong_responses: list[tuple[str, int]] = field(default_factory=list)  # typed answers, most frequent first
    flags: list[str] = field(default_factory=list)

    @property
    def wrong_options(self) -> list[OptionCount]:
        return [o for o in self.options if o.fraction <= 0]

    def to_json(self) -> dict:
        return {
            "id": self.id, "text": self.text, "type": self.type, "responses": self.responses,
            "facility": self.facility, "discrimination": self.discrimination,
            "options": [o.__dict__ for o in self.options],
            "wrong_responses": [{"response": r, "count": c} for r, c in self.wrong_responses],
            "flags": list(self.flags),
        }  # fmt: skip


@dataclass
class LessonStats:
    id: str
    title: str
    track: str
    started: int
    completed: int
    passed: int
    median_score: float | None  # 0..1
    median_seconds: float | None
    scores: list[float] = field(default_factory=list)  # first finished attempt of each learner
    questions: list[QuestionStats] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "track": self.track, "started": self.started,
            "completed": self.completed, "passed": self.passed, "median_score": self.median_score,
            "median_seconds": self.median_seconds, "scores": self.scores,
            "questions": [q.to_json() for q in self.questions],
        }  # fmt: skip


# ------------------------------------------------------------------ statistics


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def point_biserial(item: list[float], rest: list[float]) -> float | None:
    """Pearson correlation of *item* and *rest*; with 0/1 item scores this is the point-biserial."""
    n = len(item)
    if n < 2:
        return None
    mean_x, mean_y = sum(item) / n, sum(rest) / n
    sxx = sum((x - mean_x) ** 2 for x in item)
    syy = sum((y - mean_y) ** 2 for y in rest)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(item, rest))
    return sxy / math.sqrt(sxx * syy)


def histogram(scores: list[float], bins: int = 10) -> list[int]:
    """How many scores fall in each of *bins* equal bands of 0..1 (1.0 goes in the last)."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins + 1e-9)))] += 1
    return counts


# ------------------------------------------------------------------ from the log


@dataclass
class _Attempt:
    learner: int
    attempt: int
    answers: dict[str, tuple[str, float | None]]  # question id → (response JSON, credit), latest


def _attempts(conn, lesson_id: str, with_responses: bool = True) -> list[_Attempt]:
    # Only item analysis reads responses; the course overview reads credits (less to fetch and keep).
    response = "response" if with_responses else "NULL"
    rows = conn.execute(
        f"SELECT learner_id, attempt, question_id, {response}, credit FROM answers "  # noqa: S608 - fixed text
        "WHERE lesson_id = ? AND attempt > 0 ORDER BY learner_id, attempt, id",
        [lesson_id],
    )  # served by the answers_by_question index (lesson_id first); attempt 0 is spaced review, not a quiz
    found: dict[tuple[int, int], _Attempt] = {}
    for learner, attempt, question_id, response, credit in rows:
        key = (learner, attempt)
        current = found.get(key)
        if current is None:
            current = found[key] = _Attempt(learner, attempt, {})
        current.answers[question_id] = (response, credit)
    return list(found.values())


def _option_index(question: Question, value) -> list[int]:
    """Indices of the answers a logged response chose (choice and true/false questions)."""
    if question.type == "single_choice" and isinstance(value, int) and not isinstance(value, bool):
        return [value] if 0 <= value < len(question.answers) else []
    if question.type == "multiple_choice" and isinstance(value, list):
        return [i for i in value if isinstance(i, int) and 0 <= i < len(question.answers)]
    if question.type == "true_false" and isinstance(value, bool):
        wanted = "true" if value else "false"
        return [i for i, a in enumerate(question.answers) if getattr(a, "text", "") == wanted]
    return []


def _question_stats(question: Question, firsts: list[_Attempt], graded: list[str],
                    credits: list[list[float]]) -> QuestionStats:  # fmt: skip
    """*credits*: per first attempt, the credit of each graded question (in *graded* order)."""
    item, rest = [], []
    counts = [0] * len(question.answers)
    typed: dict[str, int] = {}
    position = graded.index(question.id)
    reads_value = question.type in ("single_choice", "multiple_choice", "true_false", "short_answer", "numerical")
    decoded: dict[str, object] = {}  # most learners give one of a few responses: decode each once
    for attempt, row in zip(firsts, credits):
        response, credit = attempt.answers.get(question.id, ("null", 0.0))
        x = credit or 0.0
        item.append(x)
        rest.append(sum(row[:position] + row[position + 1:]))  # same order of additions as question by question
        if not reads_value:
            continue
        if response in decoded:
            value = decoded[response]
        else:
            try:
                value = json.loads(response)
            except ValueError:
                value = None
            decoded[response] = value
        for i in _option_index(question, value):
            counts[i] += 1
        if question.type in ("short_answer", "numerical") and x < 0.999 and value is not None:
            key = str(value).strip()
            typed[key] = typed.get(key, 0) + 1
    n = len(item)
    facility = sum(item) / n if n else None
    discrimination = point_biserial(item, rest)
    options = []
    if question.type in ("single_choice", "multiple_choice", "true_false"):
        options = [OptionCount(getattr(a, "text", ""), getattr(a, "fraction", 0.0), c)
                   for a, c in zip(question.answers, counts)]  # fmt: skip
    flags = []
    if n >= MIN_RESPONSES and facility is not None:
        if facility > TOO_EASY:
            flags.append("too-easy")
        if facility < TOO_HARD:
            flags.append("too-hard")
        if discrimination is not None and discrimination < 0:
            flags.append("negative-discrimination")
    wrong = sorted(typed.items(), key=lambda kv: (-kv[1], kv[0]))
    return QuestionStats(question.id, question.text, question.type, n, facility, discrimination, options, wrong,
                         flags)  # fmt: skip


# Joins an attempt's question ids in attempt_totals.questions (db.py, schema version 4).
_QUESTION_SEPARATOR = "\x1f"


def _score(attempt: _Attempt, graded: list[str]) -> float:
    return sum(attempt.answers[g][1] or 0.0 for g in graded) / len(graded)


def _read_attempts(conn, lesson_id: str, pairs: list[tuple[int, int]],
                   with_responses: bool) -> dict[tuple[int, int], _Attempt]:  # fmt: skip
    """The latest answer to each question of the (learner, attempt) *pairs*, read from the log."""
    # One small indexed query per attempt (answers_by_learner): far quicker than one query
    # joining a list of pairs, which SQLite plans badly.
    sql = (f"SELECT question_id, {'response' if with_responses else 'NULL'}, credit FROM answers "  # noqa: S608
           "WHERE learner_id = ? AND lesson_id = ? AND attempt = ? ORDER BY id")  # fmt: skip
    found: dict[tuple[int, int], _Attempt] = {}
    for learner, attempt in pairs:
        answers = {question_id: (text, credit) for question_id, text, credit in
                   conn.execute(sql, [learner, lesson_id, attempt])}  # later answers replace earlier ones
        found[learner, attempt] = _Attempt(learner, attempt, answers)
    return found


def _scored_attempts(conn, lesson_id: str, graded: list[str]) -> list[tuple[int, int, float]]:
    """(learner, attempt, score) of every finished attempt, ordered by learner and attempt.

    From attempt_totals: an attempt that answered exactly the graded questions,
    all with dyadic credits, scores its total ÷ the number of questions (any
    order of adding gives that same total). Any other finished attempt (extra or
    removed questions, other credits) is scored from its answers, in question order.
    """
    if not graded:
        return []
    if any(_QUESTION_SEPARATOR in g for g in graded):  # ids the totals cannot tell apart: use the log
        return [(a.learner, a.attempt, _score(a, graded)) for a in _attempts(conn, lesson_id, with_responses=False)
                if all(g in a.answers for g in graded)]  # fmt: skip
    wanted = frozenset(graded)
    shapes: dict[str, tuple[bool, bool]] = {}  # most attempts answer the same questions: judge each list once
    found: list[tuple[int, int, float | None]] = []
    rows = conn.execute(
        "SELECT learner_id, attempt, questions, credit, exact FROM attempt_totals WHERE lesson_id = ? "
        "ORDER BY learner_id, attempt",
        [lesson_id],
    )  # the primary key's order
    for learner, attempt, questions, credit, exact in rows:
        shape = shapes.get(questions)
        if shape is None:
            answered = frozenset(questions.split(_QUESTION_SEPARATOR))
            shape = shapes[questions] = (wanted <= answered, wanted == answered)
        finished, same_questions = shape
        if finished:
            found.append((learner, attempt, credit / len(graded) if same_questions and exact else None))
    unsure = [(learner, attempt) for learner, attempt, score in found if score is None]
    if not unsure:
        return found  # type: ignore[return-value]
    answers = _read_attempts(conn, lesson_id, unsure, with_responses=False)
    return [(learner, attempt, _score(answers[learner, attempt], graded) if score is None else score)
            for learner, attempt, score in found]  # fmt: skip


def lesson_stats(conn, lesson: Lesson, with_questions: bool = True) -> LessonStats:
    """Completion and item analysis for one lesson (question texts from *lesson*)."""
    graded = [q.id for q in lesson.questions if q.type not in NOT_GRADED]
    firsts: dict[int, tuple[int, float]] = {}  # learner → (attempt, score) of their first finished attempt
    best: dict[int, float] = {}
    for learner, attempt, score in _scored_attempts(conn, lesson.id, graded):  # ordered by learner, attempt
        firsts.setdefault(learner, (attempt, score))
        best[learner] = max(best.get(learner, 0.0), score)
    readers = {r[0]: r[1] for r in conn.execute(
        "SELECT learner_id, seconds_spent FROM lesson_progress WHERE lesson_id = ?", [lesson.id])}  # fmt: skip
    answering = {r[0]: r[1] for r in conn.execute(
        "SELECT learner_id, seconds FROM lesson_answer_time WHERE lesson_id = ?", [lesson.id])}  # fmt: skip
    started = set(readers) | set(answering)
    times = [readers.get(learner, 0.0) + answering.get(learner, 0.0) for learner in firsts]
    scores = [score for _attempt, score in firsts.values()]
    stats = LessonStats(
        id=lesson.id,
        title=lesson.title,
        track=lesson.track,
        started=len(started),
        completed=len(firsts),
        passed=sum(1 for s in best.values() if s + 1e-9 >= lesson.pass_score),
        median_score=median(scores),
        median_seconds=median(times),
        scores=scores,
    )
    if with_questions:
        pairs = [(learner, attempt) for learner, (attempt, _score) in firsts.items()]
        chosen = _read_attempts(conn, lesson.id, pairs, with_responses=True)
        first_attempts = [chosen[pair] for pair in pairs]
        credits = [[a.answers.get(g, ("", 0.0))[1] or 0.0 for g in graded] for a in first_attempts]
        stats.questions = [_question_stats(q, first_attempts, graded, credits) for q in lesson.questions
                           if q.type not in NOT_GRADED]  # fmt: skip
    return stats


def course_stats(conn, lessons: Iterable[Lesson], with_questions: bool = False) -> list[LessonStats]:
    return [lesson_stats(conn, lesson, with_questions) for lesson in lessons]


def library_lessons(library, locale: str) -> list[Lesson]:
    """Every lesson of *library* in course order (knowledge check first), in *locale* if it has it."""
    ids = []
    for track_id in library.track_ids(include_checks=True):
        ids.extend(library.lesson_ids(track_id))
    return [library.lesson(lesson_id, locale).item for lesson_id in ids]


# ------------------------------------------------------------------ tables (screen and CSV)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def lesson_table(stats: list[LessonStats]) -> tuple[list[str], list[list]]:
    """The lesson table exactly as the screen shows it; numbers stay numbers."""
    headers = [_("Lesson id"), _("Lesson"), _("Learners started"), _("Completed"), _("Passed"),
               _("Median score (%)"), _("Median time (min)")]  # fmt: skip
    rows = [[s.id, s.title, s.started, s.completed, s.passed,
             _round(None if s.median_score is None else s.median_score * 100, 1),
             _round(None if s.median_seconds is None else s.median_seconds / 60, 1)] for s in stats]  # fmt: skip
    return headers, rows


def flag_text(flags: list[str]) -> str:
    return ", ".join(_(FLAG_LABELS[f]) for f in flags)


def wrong_answers_text(q: QuestionStats, limit: int = 5) -> str:
    """"text (times)" for the wrong options, or the most frequent wrong typed answers."""
    if q.options:
        items = [(o.text, o.count) for o in q.wrong_options]
    else:
        items = q.wrong_responses[:limit]
    return "; ".join(f"{text} ({count})" for text, count in items)


def question_table(stats: LessonStats) -> tuple[list[str], list[list]]:
    headers = [_("Question id"), _("Question"), _("Responses"), _("Facility (%)"), _("Discrimination"),
               _("Wrong answers chosen (times)"), _("Flags")]  # fmt: skip
    rows = [[q.id, q.text, q.responses, _round(None if q.facility is None else q.facility * 100, 1),
             _round(q.discrimination, 2), wrong_answers_text(q), flag_text(q.flags)] for q in stats.questions]  # fmt: skip
    return headers, rows


def to_csv(headers: list[str], rows: list[list]) -> str:
    """CSV text; write it with encoding ``utf-8-sig`` so spreadsheet apps read any script."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(cell):
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell  # a text that a spreadsheet would run as a formula
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def write_csv(path, headers: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(to_csv(headers, rows))
