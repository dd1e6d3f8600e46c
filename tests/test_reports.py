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

import pytest

from app.cli import main
from app.content.catalog import Library
from app.content.grading import grade, response_to_json
from app.progress import reports
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
