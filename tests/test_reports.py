"""Reports for educators, on a hand-computed answer log.

Lesson `quiz` (pass 0.6) has three graded questions: q1 single choice (answer 0 right),
q2 true/false (TRUE), q3 short answer ("scam"). First finished attempts:

    learner  q1        q2    q3        score
    L1       0 right   true  x wrong   2/3
    L2       0 right   true  x wrong   2/3
    L3       1 wrong   true  scam      2/3
    L4       2 wrong   true  scam      2/3   (second attempt: all right, 1)
    L5       1 wrong   true  y wrong   1/3
    L6       only q1 (unfinished)

Started 6, completed 5, passed 4 (L1-L4), median score 2/3.
q1: F = 2/5 = 0.4; rest scores (q2+q3) 1,1,2,2,1 against 1,1,0,0,0:
    r = sxy / sqrt(sxx syy) = -0.8 / sqrt(1.2 * 1.2) = -2/3  → negative discrimination.
q2: F = 1 → too easy; D undefined (everyone right).
q3: F = 0.4; rest (q1+q2) 2,2,1,1,1 against 0,0,1,1,0: r = -2/3; wrong answers x twice, y once.
Time: every answer 10 s; L1 also read 60 s → L1 90, L2 30, L3 30, L4 60, L5 30 s → median 30 s.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3

import pytest

from app.cli import main
from app.content.catalog import Library
from app.content.grading import grade, response_to_json
from app.progress import kiosk_data, reports
from app.progress.store import ProgressStore

LESSON = """---
title: {title}
summary: A quiz for the report.
order: 1
minutes: 5
pass_score: 0.6
objectives:
  - Count
sources:
  - https://example.org/source
---
Text.

```gift
::q1:: Which is safe? {{
  =A licensed bank #Right.
  ~A guaranteed 20 % #No.
  ~A friend's app #No.
}}

::q2:: Scams exist. {{TRUE#No, they do.#Right.}}

::q3:: What is a fake investment called? {{=scam #Right.}}
```
"""
LOG = {  # learner: [(attempt, question, response)]
    "L1": [(1, "q1", 0), (1, "q2", True), (1, "q3", "x")],
    "L2": [(1, "q1", 0), (1, "q2", True), (1, "q3", "x")],
    "L3": [(1, "q1", 1), (1, "q2", True), (1, "q3", "scam")],
    "L4": [(1, "q1", 2), (1, "q2", True), (1, "q3", "Scam"), (2, "q1", 0), (2, "q2", True), (2, "q3", "scam")],
    "L5": [(1, "q1", 1), (1, "q2", True), (1, "q3", "y")],
    "L6": [(1, "q1", 0)],
}


def make_lessons(root, title="Report quiz"):
    (root / "course").mkdir(parents=True)
    (root / "course" / "_track.en.md").write_text("---\ntitle: Course\norder: 1\n---\nIntro.\n", encoding="utf-8")
    (root / "course" / "quiz.en.md").write_text(LESSON.format(title=title), encoding="utf-8")
    return Library.load(root)


def fill_log(store, lesson):
    questions = {q.id: q for q in lesson.questions}
    for nickname, answers in LOG.items():
        learner = store.create_learner(nickname, "en")
        for attempt, qid, response in answers:
            q = questions[qid]
            store.record_answer(learner.id, lesson.id, attempt, qid, response_to_json(q, response),
                                grade(q, response).credit, seconds=10)  # fmt: skip
        if nickname == "L1":
            store.save_position(learner.id, lesson.id, {"screen": "lesson"}, add_seconds=60)


@pytest.fixture
def logged(tmp_path, private_data_dir):
    library = make_lessons(tmp_path / "lessons", "报告 quiz عربي")
    lesson = library.lesson("quiz", "en").item
    store = ProgressStore(private_data_dir / "progress.db")
    fill_log(store, lesson)
    yield store, lesson, tmp_path / "lessons"
    store.close()


def test_lesson_figures_match_the_hand_computation(logged):
    store, lesson, _root = logged
    stats = reports.lesson_stats(store.conn, lesson)
    assert (stats.started, stats.completed, stats.passed) == (6, 5, 4)
    assert stats.median_score == pytest.approx(2 / 3)
    assert sorted(stats.scores) == pytest.approx([1 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3])
    assert stats.median_seconds == pytest.approx(30)
    q1, q2, q3 = stats.questions
    assert (q1.responses, q1.facility, q1.discrimination) == (5, pytest.approx(0.4), pytest.approx(-2 / 3))
    assert [(o.text, o.count) for o in q1.options] == [("A licensed bank", 2), ("A guaranteed 20 %", 2), ("A friend's app", 1)]
    assert q1.flags == ["negative-discrimination"]
    assert (q2.facility, q2.discrimination, q2.flags) == (1.0, None, ["too-easy"])
    assert [o.count for o in q2.options] == [5, 0]  # true chosen 5 times, false never
    assert (q3.facility, q3.discrimination) == (pytest.approx(0.4), pytest.approx(-2 / 3))
    assert q3.wrong_responses == [("x", 2), ("y", 1)]
    assert reports.histogram(stats.scores, 10) == [0, 0, 0, 1, 0, 0, 4, 0, 0, 0]


def test_formulas_on_textbook_values():
    assert reports.point_biserial([1, 0, 1, 0], [3, 1, 3, 1]) == pytest.approx(1.0)
    assert reports.point_biserial([1, 1, 1], [1, 2, 3]) is None
    assert reports.median([3, 1, 2, 10]) == 2.5
    assert reports.histogram([0.0, 0.05, 0.1, 0.999, 1.0], 10) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_csv_has_numbers_bom_and_the_screen_columns(logged, tmp_path):
    store, lesson, _root = logged
    stats = reports.lesson_stats(store.conn, lesson)
    headers, rows = reports.lesson_table([stats])
    path = tmp_path / "lessons.csv"
    reports.write_csv(path, headers, rows)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0] == headers
    assert table[1] == ["quiz", "报告 quiz عربي", "6", "5", "4", "66.7", "0.5"]
    q_headers, q_rows = reports.question_table(stats)
    assert q_rows[0][2:] == [5, 40, -0.67, "A guaranteed 20 % (2); A friend's app (1)", "negative discrimination"]


def test_cli_report_json_and_csv(logged, monkeypatch, capsys):
    _store, _lesson, root = logged
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(root))
    assert main(["report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lessons"][0]["passed"] == 4 and data["lessons"][0]["questions"][1]["flags"] == ["too-easy"]
    assert main(["report", "--lesson", "quiz", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Question id,Question,Responses,Facility (%)")
    assert lines[1].startswith("q1,Which is safe?,5,40,-0.67,")
    assert main(["report", "--lesson", "nope"]) == 2


def test_report_screen_shows_tables_flags_charts_and_exports(qtbot, make_window, logged, tmp_path):
    from PySide6.QtCore import Qt

    from app.ui.screens.reports import Files

    store, lesson, root = logged
    store.close()
    window = make_window(lessons=root)
    window.session.sign_in(window.session.store.find_learner("L1"))
    screen = window.go("reports")
    table = screen.lessons_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == reports.lesson_table([])[0]
    assert [table.item(0, c).text() for c in range(table.columnCount())][2:] == ["6", "5", "4", "66.7", "0.5"]
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 0)).center())
    questions = screen.questions_table
    assert questions.rowCount() == 3
    assert questions.item(1, 6).text() == "too easy"
    assert screen.facility_chart.values == pytest.approx([40, 100, 40])
    assert screen.facility_chart.flagged == [True, True, True]
    assert screen.score_chart.values == [0, 0, 0, 1, 0, 0, 4, 0, 0, 0]
    assert "q2: 100%" in screen.facility_chart.accessibleDescription()
    target = tmp_path / "questions.csv"
    Files.answer = str(target)
    try:
        qtbot.mouseClick(screen.export_questions_button, Qt.LeftButton)
    finally:
        Files.answer = None
    exported = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert exported[0] == [questions.horizontalHeaderItem(c).text() for c in range(questions.columnCount())]
    assert exported[2][6] == "too easy"
    image = screen.facility_chart.grab()
    assert not image.isNull()


# ------------------------------------------------------------------ totals kept by triggers (schema v4)


def reference_figures(conn, lesson) -> dict:
    """The lesson's figures straight from the answers log, by the formulas in the module docstring."""
    graded = [q.id for q in lesson.questions if q.type not in reports.NOT_GRADED]
    attempts: dict[tuple[int, int], dict] = {}
    answering: dict[int, float] = {}
    rows = conn.execute("SELECT learner_id, attempt, question_id, response, credit, seconds FROM answers "
                        "WHERE lesson_id = ? ORDER BY id", [lesson.id])  # fmt: skip
    for learner, attempt, question_id, response, credit, seconds in rows:
        answering[learner] = answering.get(learner, 0.0) + seconds
        if attempt > 0:
            attempts.setdefault((learner, attempt), {})[question_id] = (response, credit)  # the latest counts
    firsts, best = {}, {}
    for learner, attempt in sorted(attempts):
        answers = attempts[learner, attempt]
        if all(g in answers for g in graded):
            score = sum(answers[g][1] or 0.0 for g in graded) / len(graded)
            firsts.setdefault(learner, (answers, score))
            best[learner] = max(best.get(learner, 0.0), score)
    reading = dict(conn.execute("SELECT learner_id, seconds_spent FROM lesson_progress WHERE lesson_id = ?",
                                [lesson.id]).fetchall())  # fmt: skip
    return {
        "started": len(set(reading) | set(answering)),
        "completed": len(firsts),
        "passed": sum(1 for s in best.values() if s + 1e-9 >= lesson.pass_score),
        "scores": [score for _answers, score in firsts.values()],
        "seconds": [reading.get(learner, 0.0) + answering.get(learner, 0.0) for learner in firsts],
        "facility": {g: sum((a.get(g, ("", 0.0))[1] or 0.0) for a, _s in firsts.values()) / len(firsts)
                     for g in graded} if firsts else {},  # fmt: skip
        "q1 chosen": [sum(1 for a, _s in firsts.values() if json.loads(a["q1"][0]) == i) for i in range(3)],
    }


def totals_from_log(conn) -> dict:
    """What attempt_totals, lesson_answer_time and question_totals must hold, summed from the log in id order."""
    latest: dict[tuple, dict] = {}
    time: dict[tuple, float] = {}
    questions: dict[tuple, list] = {}
    for learner, lesson, attempt, question, credit, seconds in conn.execute(
            "SELECT learner_id, lesson_id, attempt, question_id, credit, seconds FROM answers ORDER BY id"):
        time[lesson, learner] = time.get((lesson, learner), 0.0) + seconds
        if attempt > 0:
            latest.setdefault((lesson, learner, attempt), {})[question] = credit
        if credit is not None:
            count, wrong, total, inexact = questions.get((lesson, question), (0, 0, 0.0, 0))
            dyadic = abs(credit) <= 1 and (credit * 2**20).is_integer()
            questions[lesson, question] = (count + 1, wrong + (credit < 0.999), total + credit, inexact + (not dyadic))
    return {
        "attempts": {key: (set(answers), sum(c or 0.0 for c in answers.values()),
                           all(c is None or (abs(c) <= 1 and (c * 2**20).is_integer()) for c in answers.values()))
                     for key, answers in latest.items()},  # fmt: skip
        "time": time,
        "questions": questions,
    }


# SQLite before 3.43 adds a column's values one by one, as the log's order gives them, so the totals
# equal the log's sums exactly; later versions compensate rounding in sum(), which can move the last bits.
SUM_TOLERANCE = 0 if sqlite3.sqlite_version_info < (3, 43) else 1e-12


def assert_totals_match_the_log(store, lesson):
    conn = store.conn
    want = totals_from_log(conn)
    attempts = {(lesson_id, learner, attempt): (set(questions.split("\x1f")), credit, bool(exact))
                for lesson_id, learner, attempt, questions, credit, exact in conn.execute(
                    "SELECT lesson_id, learner_id, attempt, questions, credit, exact FROM attempt_totals")}  # fmt: skip
    assert attempts.keys() == want["attempts"].keys()
    for key, (answered, credit, exact) in attempts.items():
        assert (answered, exact) == (want["attempts"][key][0], want["attempts"][key][2])
        assert credit == pytest.approx(want["attempts"][key][1], rel=1e-12, abs=1e-12)  # any order: not used
    time = {(l, r): s for l, r, s in conn.execute("SELECT lesson_id, learner_id, seconds FROM lesson_answer_time")}
    assert time.keys() == want["time"].keys()
    assert all(time[key] == pytest.approx(want["time"][key], rel=1e-12) for key in time)
    questions = {(l, q): (n, w, c, i) for l, q, n, w, c, i in conn.execute("SELECT * FROM question_totals")}
    assert {k: (n, w, i) for k, (n, w, _c, i) in questions.items()} == \
        {k: (n, w, i) for k, (n, w, _c, i) in want["questions"].items()}  # fmt: skip
    assert all(questions[k][2] == pytest.approx(want["questions"][k][2], rel=SUM_TOLERANCE, abs=SUM_TOLERANCE)
               for k in questions)  # fmt: skip

    # The report and the admin overview, from the totals, against the log itself.
    stats = reports.lesson_stats(conn, lesson)
    ref = reference_figures(conn, lesson)
    assert (stats.started, stats.completed, stats.passed) == (ref["started"], ref["completed"], ref["passed"])
    assert stats.scores == ref["scores"]  # exactly: same credits added in the same order
    assert stats.median_seconds == pytest.approx(reports.median(ref["seconds"]), rel=1e-12)
    assert {q.id: q.facility for q in stats.questions} == pytest.approx(ref["facility"], rel=1e-12) if ref["facility"] \
        else all(q.facility is None for q in stats.questions)  # fmt: skip
    if ref["completed"]:
        assert [o.count for o in stats.questions[0].options] == ref["q1 chosen"]
    assert [s.to_json() for s in reports.course_stats(conn, [lesson])] == \
        [reports.lesson_stats(conn, lesson, with_questions=False).to_json()]  # fmt: skip
    missed = kiosk_data.most_missed(store, limit=100)
    from_log = store._rows(
        "SELECT lesson_id, question_id, count(*) AS answers, sum(credit < 0.999) AS wrong, avg(credit) AS average "
        "FROM answers WHERE credit IS NOT NULL GROUP BY lesson_id, question_id HAVING wrong > 0 "
        "ORDER BY wrong DESC, average ASC LIMIT 100")  # fmt: skip
    assert [(r["lesson_id"], r["question_id"], r["answers"], r["wrong"]) for r in missed] == \
        [(r["lesson_id"], r["question_id"], r["answers"], r["wrong"]) for r in from_log]  # fmt: skip
    assert [r["average"] for r in missed] == pytest.approx([r["average"] for r in from_log], rel=SUM_TOLERANCE)


def test_totals_equal_the_log_through_answers_erasure_anonymising_and_edits(tmp_path, private_data_dir):
    from app.progress import privacy

    lesson = make_lessons(tmp_path / "lessons").lesson("quiz", "en").item
    store = ProgressStore(private_data_dir / "progress.db")
    rng = random.Random(7)
    credits = [0.0, 1.0, 0.5, 0.25, 1 / 3, 2 / 3, None]  # dyadic ones, others, and unscored
    responses = {"q1": lambda: rng.randrange(3), "q2": lambda: rng.random() < 0.5,
                 "q3": lambda: rng.choice(["scam", "x", "y"])}  # fmt: skip
    learners = []
    for n in range(10):
        learner = kiosk_data.create_guest(store, "en", None) if n % 3 == 0 else store.create_learner(f"T{n}", "en")
        learners.append(learner.id)
        for attempt in range(1, rng.randint(1, 3) + 1):
            for question in rng.sample(["q1", "q2", "q3", "q3", "q1"], rng.randint(1, 5)):  # repeats: changed answers
                store.record_answer(learner.id, lesson.id, attempt, question, json.dumps(responses[question]()),
                                    rng.choice(credits), seconds=rng.uniform(1, 30))  # fmt: skip
        store.record_answer(learner.id, lesson.id, 0, "q1", "0", rng.choice(credits), seconds=4.1)  # a review
        # Only dyadic credits here: this question's total is subtracted from, not recomputed.
        store.record_answer(learner.id, "other-lesson", 1, "q1", "0", rng.choice([0.0, 0.5, 1.0]), seconds=2.3)
        if n % 2:
            store.save_position(learner.id, lesson.id, {"screen": "lesson"}, add_seconds=rng.uniform(10, 100))
    assert store.conn.execute("SELECT count(*) FROM attempt_totals WHERE exact = 0").fetchone()[0] > 0
    assert_totals_match_the_log(store, lesson)

    kiosk_data.end_guest(store, learners[0], "keep")  # anonymised: free text blanked, figures kept
    assert_totals_match_the_log(store, lesson)
    kiosk_data.end_guest(store, learners[3], "erase")
    privacy.erase_learner(store, learners[1])
    assert_totals_match_the_log(store, lesson)
    store._write("UPDATE answers SET learner_id = ? WHERE learner_id = ?", [learners[2], learners[4]])
    store._write("UPDATE answers SET credit = 1 / 3.0, question_id = 'q2' WHERE id = (SELECT min(id) FROM answers)")
    store._write("UPDATE answers SET seconds = seconds + 1, attempt = 9 WHERE learner_id = ?", [learners[5]])
    assert_totals_match_the_log(store, lesson)
    store._write("DELETE FROM answers WHERE id % 4 = 0")
    assert_totals_match_the_log(store, lesson)
    kiosk_data.erase_all_learners(store)
    for table in ("attempt_totals", "lesson_answer_time", "question_totals"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0  # noqa: S608
    store.close()
