"""Synthetic lessons and answer logs of any size, so anyone can reproduce the performance figures.

    .venv/bin/python benchmarks/generate.py lessons OUT_DIR [--lessons 1000] [--words 300] [--questions 6]
    .venv/bin/python benchmarks/generate.py answers DB --lessons-dir DIR [--learners 10000] [--answers 1000000]

Lessons: ``--lessons`` lessons in each of five languages (en, zh-Hans, zh-Hant, ar,
es), spread over tracks of ``--per-track`` lessons, every file a valid lesson with
``--words`` words of body text (Chinese counted in words of two or three characters)
and ``--questions`` GIFT questions of every graded kind. Answers: a progress
database at the current schema version with ``--learners`` learners and about
``--answers`` answers over years of kiosk visits, spread over the library's lessons
the way a real course is used (early lessons answered more often than late ones).
The same ``--seed`` gives the same files and rows.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOCALES = ("en", "zh-Hans", "zh-Hant", "ar", "es")

# Words that read like the course, so search and rendering see realistic text.
WORDS = {
    "en": ("platform return risk guaranteed deposit savings loan interest rate licence regulator complaint "
           "bank insurer broker payment app fraud scam pressure secret recruit bonus withdraw fee contract "
           "privacy data consent rights delete access personal lender collector debt budget emergency fund "
           "check register warning sign friend family money account card transfer receipt evidence letter "
           "deadline ombudsman mediation court record").split(),
    "es": ("plataforma rendimiento riesgo garantizado depósito ahorro préstamo interés tasa licencia "
           "regulador queja banco aseguradora pago fraude estafa presión secreto bono retirar comisión "
           "contrato privacidad datos consentimiento derechos borrar acceso deuda presupuesto emergencia "
           "cuenta tarjeta transferencia recibo prueba carta plazo mediación tribunal registro").split(),
    "zh-Hans": ("平台 收益 风险 保本 存款 储蓄 贷款 利息 利率 牌照 监管 投诉 银行 保险 券商 支付 "
                "诈骗 骗局 压力 保密 拉人 奖励 提现 费用 合同 隐私 数据 同意 权利 删除 查阅 个人 "
                "借款 催收 债务 预算 应急 账户 银行卡 转账 收据 证据 期限 调解 法院 记录 警示 家人").split(),
    "zh-Hant": ("平台 收益 風險 保本 存款 儲蓄 貸款 利息 利率 牌照 監管 投訴 銀行 保險 券商 支付 "
                "詐騙 騙局 壓力 保密 拉人 獎勵 提現 費用 合約 私隱 資料 同意 權利 刪除 查閱 個人 "
                "借款 催收 債務 預算 應急 帳戶 銀行卡 轉帳 收據 證據 期限 調解 法院 紀錄 警示 家人").split(),
    "ar": ("منصة عائد مخاطر مضمون إيداع مدخرات قرض فائدة نسبة ترخيص جهة رقابية شكوى بنك تأمين وسيط "
           "دفع احتيال ضغط سر مكافأة سحب رسوم عقد خصوصية بيانات موافقة حقوق حذف وصول شخصي دين "
           "ميزانية طوارئ حساب بطاقة تحويل إيصال دليل رسالة مهلة وساطة محكمة سجل تحذير عائلة").split(),
}
_CJK = ("zh-Hans", "zh-Hant")


def _sentence(rng: random.Random, locale: str, words: int) -> str:
    chosen = [rng.choice(WORDS[locale]) for _ in range(words)]
    if locale in _CJK:
        return "".join(chosen) + "。"
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + ("." if locale != "ar" else ".")


def _paragraphs(rng: random.Random, locale: str, words: int) -> list[str]:
    """Body text of about *words* words: headings, paragraphs and one list, like a real lesson."""
    out, left, section = [], words, 1
    while left > 0:
        if len(out) % 4 == 0:
            out.append(f"## {_sentence(rng, locale, 4).rstrip('.。')} {section}")
            section += 1
        size = min(left, rng.randint(30, 70))
        sentences, used = [], 0
        while used < size:
            n = min(size - used, rng.randint(6, 14))
            sentences.append(_sentence(rng, locale, n))
            used += n
        out.append(("" if locale in _CJK else " ").join(sentences))
        left -= size
        if len(out) % 7 == 3:
            out.append("\n".join(f"- {_sentence(rng, locale, 5)}" for _ in range(3)))
    return out


def _gift(rng: random.Random, locale: str, count: int) -> str:
    """*count* questions cycling through the graded kinds (ids q1, q2, …, the same in every language)."""
    s = lambda n: _sentence(rng, locale, n).replace("=", "").replace("~", "")  # noqa: E731
    blocks = []
    for i in range(1, count + 1):
        kind = (i - 1) % 6
        if kind == 0:
            body = f"{s(8)} {{\n  ={s(3)} #{s(5)}\n  ~{s(3)} #{s(5)}\n  ~{s(3)} #{s(5)}\n}}"
        elif kind == 1:
            body = f"{s(8)} {{\n" + "".join(f"  ~%{w}%{s(3)} #{s(4)}\n" for w in (50, 50, -100, -100)) + "}"
        elif kind == 2:
            body = f"{s(10)} {{{'T' if i % 2 else 'F'} #{s(4)} #{s(4)}}}"
        elif kind == 3:
            body = f"{s(8)} {{=answer #{s(4)} =reply #{s(4)}}}"
        elif kind == 4:
            body = f"{s(8)} {{#18.25:0.01 #{s(4)}}}"
        else:
            body = f"{s(6)} {{\n" + "".join(f"  ={s(2)} -> {s(2)}\n" for _ in range(3)) + f"  ####{s(5)}\n}}"
        blocks.append(f"::q{i}:: {body}")
    return "\n\n".join(blocks)


def lesson_text(lesson_id: str, locale: str, order: int, words: int, questions: int, seed: int = 0) -> str:
    rng = random.Random(f"{seed}-{lesson_id}-{locale}")
    title = _sentence(rng, locale, 5).rstrip(".。")
    front = [
        "---",
        f"id: {lesson_id}",
        f"title: {json.dumps(title + ' ' + str(order), ensure_ascii=False)}",
        f"summary: {json.dumps(_sentence(rng, locale, 12), ensure_ascii=False)}",
        f"order: {order}",
        "minutes: 8",
        "level: beginner",
        "pass_score: 0.7",
        "sources:",
        "  - https://www.example.org/consumer-protection",
        "objectives:",
        *[f"  - {json.dumps(_sentence(rng, locale, 8), ensure_ascii=False)}" for _ in range(3)],
        "---",
        f"# {title}",
        "",
    ]
    body = "\n\n".join(_paragraphs(rng, locale, words))
    gift = f"```gift\n{_gift(rng, locale, questions)}\n```" if questions else ""
    return "\n".join(front) + body + "\n\n" + gift + "\n"


def generate_lessons(out: Path, lessons: int = 1000, words: int = 300, questions: int = 6, per_track: int = 20,
                     locales=LOCALES, seed: int = 0) -> list[Path]:  # fmt: skip
    """Write *lessons* lessons × *locales* under *out*; returns the lesson files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(lessons):
        track = f"track-{index // per_track + 1:03d}"
        folder = out / track
        if index % per_track == 0:
            folder.mkdir(exist_ok=True)
            for locale in locales:
                rng = random.Random(f"{seed}-{track}-{locale}")
                (folder / f"_track.{locale}.md").write_text(
                    f"---\ntitle: {json.dumps(_sentence(rng, locale, 4).rstrip('.。'), ensure_ascii=False)}\n"
                    f"order: {index // per_track + 1}\n---\n{_sentence(rng, locale, 20)}\n", encoding="utf-8")  # fmt: skip
        lesson_id = f"lesson-{index + 1:05d}"
        for locale in locales:
            path = folder / f"{lesson_id}.{locale}.md"
            path.write_text(lesson_text(lesson_id, locale, index % per_track + 1, words, questions, seed),
                            encoding="utf-8")  # fmt: skip
            written.append(path)
    return written


# ------------------------------------------------------------------ answer logs


def _response(question, rng: random.Random, right: bool):
    """A logged response (the JSON the quiz screen stores) and its credit."""
    kind = question.type
    if kind == "single_choice":
        correct = next(i for i, a in enumerate(question.answers) if a.fraction > 0)
        value = correct if right else rng.choice([i for i in range(len(question.answers)) if i != correct])
    elif kind == "multiple_choice":
        value = [i for i, a in enumerate(question.answers) if a.fraction > 0] if right else [2]
    elif kind == "true_false":
        value = rng.random() < 0.5
    elif kind == "numerical":
        value = 18.25 if right else rng.choice([18.0, 182.5, 20.0])
    elif kind == "short_answer":
        value = "answer" if right else rng.choice(["no idea", "bank", "maybe"])
    else:
        value = {"0": 0, "1": 1, "2": 2} if right else {"0": 1, "1": 0, "2": 2}
    return json.dumps(value), (1.0 if right else 0.0)


def generate_answers(db_path: Path, lessons_dir: Path, learners: int = 10_000, answers: int = 1_000_000,
                     years: float = 3.0, seed: int = 0) -> dict:  # fmt: skip
    """A progress database with *learners* learners and about *answers* answers; returns the counts."""
    from app.content.catalog import Library
    from app.progress.db import open_database

    rng = random.Random(seed)
    library = Library.load(lessons_dir)
    course = [library.lesson(lid, "en").item for lid in library.all_lesson_ids()]
    course = [lesson for lesson in course if lesson.graded_questions]
    if not course:
        raise SystemExit(f"no lessons with questions in {lessons_dir}")
    db_path.unlink(missing_ok=True)
    conn = open_database(db_path).conn
    conn.execute("PRAGMA synchronous = OFF")  # a generated file: speed over durability
    start = datetime.now(timezone.utc) - timedelta(days=365 * years)
    span = 365 * years * 86400
    stamp = lambda t: (start + timedelta(seconds=t)).isoformat(timespec="seconds")  # noqa: E731
    per_learner = max(1, answers // learners)
    # Early lessons are taken by more learners, like a real course (Zipf-like weights).
    weights = [1 / (i + 1) ** 0.7 for i in range(len(course))]
    learner_rows, answer_rows, progress_rows, visit_rows = [], [], [], []
    for learner_id in range(1, learners + 1):
        skill = rng.random()
        first = rng.random() * span * 0.95
        when = first
        learner_rows.append((learner_id, f"learner-{learner_id:06d}", rng.choice(LOCALES), None,
                             int(rng.random() < 0.6), stamp(first), stamp(first)))  # fmt: skip
        visit_rows.append((learner_id, int(rng.random() < 0.6), "en", stamp(first), stamp(first + 900), "finished"))
        left = per_learner
        taken: dict[str, int] = {}
        while left > 0:
            lesson = rng.choices(course, weights)[0]
            attempt = taken.get(lesson.id, 0) + 1
            taken[lesson.id] = attempt
            graded = lesson.graded_questions
            for question in graded[:left]:
                when += rng.uniform(5, 60)
                response, credit = _response(question, rng, rng.random() < 0.35 + 0.6 * skill)
                answer_rows.append((learner_id, lesson.id, attempt, question.id, response, credit,
                                    round(rng.uniform(5, 60), 1), stamp(when)))  # fmt: skip
            left -= len(graded)
        for lesson_id, attempts in taken.items():
            progress_rows.append((learner_id, lesson_id, "completed", attempts, round(rng.random(), 3),
                                  round(rng.random(), 3), int(rng.random() < 0.6), "{}",
                                  round(rng.uniform(60, 900), 1), stamp(first), stamp(when)))  # fmt: skip
        if len(answer_rows) > 200_000:
            _insert(conn, learner_rows, answer_rows, progress_rows, visit_rows)
    _insert(conn, learner_rows, answer_rows, progress_rows, visit_rows)
    conn.execute("ANALYZE")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
              for t in ("learners", "answers", "lesson_progress", "visits")}  # fmt: skip
    conn.close()
    return counts


def _insert(conn, learner_rows, answer_rows, progress_rows, visit_rows) -> None:
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO learners(id, nickname, locale, region, is_guest, created_at, last_seen_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", learner_rows)  # fmt: skip
    conn.executemany("INSERT INTO answers(learner_id, lesson_id, attempt, question_id, response, credit, seconds, "
                     "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", answer_rows)  # fmt: skip
    conn.executemany("INSERT INTO lesson_progress(learner_id, lesson_id, status, attempts, best_score, last_score, "
                     "passed, position, seconds_spent, started_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     progress_rows)  # fmt: skip
    conn.executemany("INSERT INTO visits(learner_id, was_guest, locale, started_at, ended_at, end_reason) "
                     "VALUES (?, ?, ?, ?, ?, ?)", visit_rows)  # fmt: skip
    conn.execute("COMMIT")
    for rows in (learner_rows, answer_rows, progress_rows, visit_rows):
        rows.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    lessons = sub.add_parser("lessons", help="write a synthetic lessons folder")
    lessons.add_argument("out", type=Path)
    lessons.add_argument("--lessons", type=int, default=1000, help="lessons per language (default 1000)")
    lessons.add_argument("--words", type=int, default=300, help="body words per lesson (default 300)")
    lessons.add_argument("--questions", type=int, default=6, help="questions per lesson (default 6)")
    lessons.add_argument("--per-track", type=int, default=20, help="lessons per track (default 20)")
    lessons.add_argument("--seed", type=int, default=0)
    answers = sub.add_parser("answers", help="write a synthetic progress database")
    answers.add_argument("db", type=Path)
    answers.add_argument("--lessons-dir", type=Path, required=True, help="the lessons the answers belong to")
    answers.add_argument("--learners", type=int, default=10_000)
    answers.add_argument("--answers", type=int, default=1_000_000)
    answers.add_argument("--years", type=float, default=3.0, help="how many years of visits (default 3)")
    answers.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    if args.what == "lessons":
        files = generate_lessons(args.out, args.lessons, args.words, args.questions, args.per_track, seed=args.seed)
        print(f"wrote {len(files)} lesson files under {args.out} in {time.perf_counter() - began:.1f} s")
    else:
        counts = generate_answers(args.db, args.lessons_dir, args.learners, args.answers, args.years, args.seed)
        print(f"wrote {args.db}: " + ", ".join(f"{n} {t}" for t, n in counts.items())
              + f" in {time.perf_counter() - began:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
