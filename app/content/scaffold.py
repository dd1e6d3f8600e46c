"""Writing lesson files for authors: a new lesson from a template, questions appended from GIFT.

``new_lesson`` writes a lesson with every section and one example of each
question type, each explained in a comment, that passes ``lantern lessons
check`` as it is. For a translation it copies the English source instead and
records ``translated_from``, so the translator starts from the right text and
the checker can tell later when the source changes.

``append_questions`` adds the questions of a Moodle GIFT file to a lesson's
quiz, keeping their names as ids, and writes the file only if the result
reads back to exactly those questions. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.content.gift import Question, parse_gift, write_gift
from app.content.lesson import content_hash, load_lesson, parse_lesson, read_text, split_name
from app.content.problems import LessonError, Problem
from app.i18n import SOURCE_LOCALE

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")

TRACK_TEMPLATE = """\
---
# The track: its title and one sentence on what it teaches. `order` places it on the home screen.
title: {title}
summary: One sentence on what this track teaches.
order: {order}
---
A short introduction to the track, shown above its lessons.
"""

LESSON_TEMPLATE = """\
---
# Everything between the two --- lines is the lesson's "front matter".
# Lines starting with # are comments: Lantern ignores them. Put texts that contain
# a colon (:) or a # in "double quotes".
id: {slug}                  # the file name without .{locale}.md; the same in every language
title: {title}
summary: One sentence on what the learner will be able to do afterwards.
order: {order}              # position in the track: 1, 2, 3 …
minutes: 8                  # about how long reading and the quiz take
level: beginner             # beginner, intermediate or advanced
pass_score: 0.7             # share of the quiz to get right to pass: 0.7 is 70 %
objectives:                 # what the learner will be able to do, one per line
  - Recognise the first warning sign
  - Know where to ask for help
sources:                    # the web address of every fact this lesson relies on
  - https://example.org/replace-with-your-source
---
# {title}

Start with a short story a learner recognises: who, what happened, what it cost.

## What to look for

Explain one idea per paragraph, in short sentences. Use **bold** for the one thing to
remember. Lists help:

- the first sign
- the second sign

## A worked example

| Month | Paid in | Paid out |
|-------|---------|----------|
| 1     | 1,000   | 50       |
| 2     | 0       | 50       |

> A quote or a tip stands out like this.

## Where to get help

The box below lists the official places to ask for help or complain in the learner's own
region. Name the topics it should cover: banking, lending, insurance, securities,
payments, credit-reporting, fraud, privacy.

```help
covers: [fraud, banking]
```

## Check what you learned

```gift
// The quiz. Questions are separated by a blank line; each starts with ::its-id::.
// Every answer gets a #feedback that says WHY it is right or wrong.

// Single choice: one right answer (=), the others wrong (~).
::sample-single:: A platform promises a "guaranteed" 15 % a year. What does that tell you? {{
  =It is a warning sign #Right: no investment can guarantee a high return.
  ~It is safe if the platform is big #Not so: size does not remove the risk.
  ~Nothing at all #It tells you a lot: a guarantee of high returns is a classic warning sign.
}}

// Multiple choice: several right answers; the positive weights add up to 100 %.
::sample-multiple:: Which two are warning signs? {{
  ~%50%Pressure to decide today #Yes: pressure stops you from checking.
  ~%50%Returns that are "guaranteed" #Yes: nobody can promise that.
  ~%-100%A written contract #No: a contract is normal and useful.
}}

// True/false: the first #feedback is for a wrong answer, the second for a right one.
::sample-true-false:: A licence from the regulator means your money cannot be lost. {{FALSE#Not so: a licence means supervision, not a guarantee.#Right: even licensed firms can lose money.}}

// Short answer: every accepted wording with =; the learner types the answer.
::sample-short:: Which organisation licenses banks in your country? Give its short name. {{
  =regulator #Right: check the regulator's register.
  =the regulator #Right: check the regulator's register.
}}

// Numerical: the answer, then :tolerance (104.04 plus or minus 0.01 here).
// Inside questions, write \\= \\# \\{{ \\}} \\~ \\: for these characters as plain text.
::sample-number:: You put 100 in a savings account at 2 % a year. How much is there after 2 years? {{#104.04:0.01 #Right: 100 × 1.02 × 1.02 makes 104.04.}}

// Matching: at least three pairs, term -> meaning. Matching answers have no feedback
// of their own, so explain in the general feedback after ####.
::sample-matching:: Match each word to its meaning. {{
  =Interest -> The price of borrowing money
  =Inflation -> Prices rising over time
  =Diversification -> Spreading money over several investments
  ####Interest, inflation and diversification come back in every money decision.
}}

// Missing word: the answer braces sit inside the sentence.
::sample-missing-word:: A Ponzi scheme pays old investors with {{=new investors' money #Right: there is no real profit. ~real profits #No: there are none.}} money.

// Essay: no answer is graded; a reflection the learner writes for themselves.
::sample-essay:: What will you check before you next pay a new platform? {{####Keep your list: checking before paying is the best protection.}}

// Description: information between questions, with no answer.
::sample-note:: Well done. The last questions are about your own plans.
```
"""


class ScaffoldError(Exception):
    pass


def _next_order(track_dir: Path) -> int:
    orders = [0]
    for path in track_dir.glob(f"*.{SOURCE_LOCALE}.md"):
        if path.name.startswith("_track."):
            continue
        try:
            orders.append(load_lesson(path).order)
        except LessonError:
            continue
    return max(orders) + 1


def _write_new(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as out:
        out.write(text)


def new_lesson(root: Path, track: str, slug: str, locale: str = SOURCE_LOCALE) -> list[Path]:
    """Write ``root/track/slug.locale.md`` (and the track file if the track is new).

    Returns the files written. Raises ScaffoldError for a bad name or an existing file.
    """
    if not _SLUG.fullmatch(track):
        raise ScaffoldError(f"track {track!r} must be a lower-case id like risk-awareness")
    if not _SLUG.fullmatch(slug):
        raise ScaffoldError(f"lesson id {slug!r} must be lower-case letters, digits and hyphens, like red-flags")
    if not _LOCALE.fullmatch(locale):
        raise ScaffoldError(f"{locale!r} is not a language tag like en or zh-Hans")
    track_dir = Path(root) / track
    path = track_dir / f"{slug}.{locale}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    written = []
    track_dir.mkdir(parents=True, exist_ok=True)
    track_file = track_dir / f"_track.{locale}.md"
    track_source = track_dir / f"_track.{SOURCE_LOCALE}.md"
    if locale != SOURCE_LOCALE and track_source.is_file() and not track_file.exists():
        source_text = read_text(track_source)
        _write_new(track_file, _with_translated_from(source_text, content_hash(source_text)))
        written.append(track_file)
    elif not any(track_dir.glob("_track.*.md")):
        siblings = [p for p in Path(root).iterdir() if p.is_dir() and any(p.glob("_track.*.md"))]
        title = track.replace("-", " ").capitalize()
        _write_new(track_file, TRACK_TEMPLATE.format(title=title, order=len(siblings) + 1))
        written.append(track_file)
    source = track_dir / f"{slug}.{SOURCE_LOCALE}.md"
    if locale != SOURCE_LOCALE and source.is_file():
        text = read_text(source)
        text = _with_translated_from(text, content_hash(text))
    else:
        title = slug.replace("-", " ").capitalize()
        text = LESSON_TEMPLATE.format(slug=slug, title=title, locale=locale, order=_next_order(track_dir))
    _write_new(path, text)
    written.append(path)
    return written


def _with_translated_from(text: str, digest: str) -> str:
    """The source text with ``translated_from`` set in its front matter."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return text
    lines = [line for line in lines[:end] if not line.startswith("translated_from:")] + lines[end:]
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    note = "# Translate the texts; keep ids, answers and weights. translated_from: the English file's hash."
    return "\n".join(lines[:end] + [note, f"translated_from: {digest}"] + lines[end:])


# ------------------------------------------------------------------ GIFT import


@dataclass
class AppendResult:
    questions: list[Question]
    problems: list[Problem]  # warnings from reading the GIFT file


class ImportRefused(Exception):
    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def _comparable(q: Question) -> dict:
    data = q.to_json()
    data.pop("line")
    data.pop("category")
    return data


def append_questions(lesson_path: Path, gift_text: str, gift_file: str = "") -> AppendResult:
    """Append the questions in *gift_text* to the quiz of the lesson at *lesson_path*.

    Names become ids (a question without one gets the id Lantern derives from its
    content, written out as its name). Refuses, writing nothing, when the GIFT has
    errors, an id is already in the lesson, or the new file would not read back
    to exactly the imported questions.
    """
    lesson_path = Path(lesson_path)
    text = read_text(lesson_path)
    lesson = parse_lesson(text, lesson_path)
    result = parse_gift(gift_text, file=gift_file)
    errors = [p for p in result.problems if p.is_error]
    if errors:
        raise ImportRefused("the GIFT file has errors; nothing was imported", errors)
    if not result.questions:
        raise ImportRefused("the GIFT file holds no questions")
    existing = {q.id for q in lesson.questions}
    clashes = [q.id for q in result.questions if q.id in existing]
    if clashes:
        raise ImportRefused("these question ids are already in the lesson: " + ", ".join(clashes))
    for q in result.questions:
        q.name = q.name or q.id
        q.category = ""  # the lesson is the category
    block = write_gift(result.questions, categories=False)
    if re.search(r"^\s{0,3}(```|~~~)", block, re.M):
        raise ImportRefused("a question has a line starting with ``` or ~~~, which would end the gift block")
    new_text = text.rstrip("\n") + "\n\n```gift\n" + block + "```\n"
    reread = parse_lesson(new_text, lesson_path)
    added = reread.questions[len(lesson.questions):]
    if [_comparable(q) for q in added] != [_comparable(q) for q in result.questions]:
        raise ImportRefused("the questions would not read back unchanged from the lesson; nothing was imported")
    tmp = lesson_path.with_name(f".{lesson_path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(new_text, encoding="utf-8", newline="\n")
    os.replace(tmp, lesson_path)
    return AppendResult(added, result.problems)


def lesson_parts(path: Path) -> tuple[str, str]:
    """(slug, locale) of a lesson file name."""
    return split_name(path)
