"""Moodle GIFT quizzes: parse, validate and write them, with no Qt in sight.

Lantern reads GIFT the way Moodle's importer (``question/format/gift/format.php``
with ``qformat_default::readquestions``) reads it, step for step, so that a quiz
moves between Lantern and Moodle unchanged. Where Moodle would silently import
something the author almost surely did not mean, or would refuse a question,
Lantern reports a :class:`~app.content.problems.Problem` with a stable code
(documented in ``docs/gift.md``) and the line it is on. The parser never raises.

How Moodle reads a file, and therefore how this module does:

1. Lines are trimmed; blank lines separate questions.
2. In a question, lines starting with ``//`` are comments (Moodle 4 reads
   ``[id:…]`` and ``[tag:…]`` in them); the rest are joined with newlines.
3. Escapes (``\\\\ \\: \\# \\= \\{ \\} \\~ \\n``) are swapped for placeholders
   first, so no later step sees them as syntax, and resolved at the very end.
4. ``$CATEGORY:``, then ``::name::``, then the first ``{`` and first ``}``
   delimit the answers; the type follows from what is between them.

Missing word: when text follows the closing brace, Moodle stores the question
text with ``_____`` where the braces were. :attr:`Question.text` holds exactly
that display text; :attr:`Question.text_after` holds the part after the blank
and :attr:`Question.missing_word` says the blank is there, so the writer can put
the braces back in place.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from app.content.problems import Problem, Severity

QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "essay",
    "description",
)
FORMATS = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"
BLANK = "_____"  # what Moodle shows where a missing word goes


# ------------------------------------------------------------------ data


@dataclass
class Answer:
    """A choice, one side of true/false, or an accepted short answer."""

    text: str
    fraction: float
    feedback: str = ""

    def to_json(self) -> dict:
        return {"text": self.text, "fraction": self.fraction, "feedback": self.feedback}


@dataclass
class NumericalAnswer:
    """``value`` ± ``tolerance``; ``value`` None is the catch-all (any other answer)."""

    value: float | None
    tolerance: float
    fraction: float
    feedback: str = ""

    def to_json(self) -> dict:
        return {
            "value": self.value,
            "tolerance": self.tolerance,
            "fraction": self.fraction,
            "feedback": self.feedback,
        }


@dataclass
class MatchPair:
    """``text -> match``; ``text`` is empty for an extra distractor match."""

    text: str
    match: str

    def to_json(self) -> dict:
        return {"text": self.text, "match": self.match}


@dataclass
class Question:
    type: str
    name: str
    id: str
    line: int
    text: str
    format: str = DEFAULT_FORMAT
    general_feedback: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    idnumber: str = ""
    answers: list[Answer | NumericalAnswer | MatchPair] = field(default_factory=list)
    # Missing word: ``text`` is the display text with BLANK where the braces
    # were; ``text_after`` is the display text after the blank.
    text_after: str = ""
    missing_word: bool = False

    def to_json(self) -> dict:
        return {
            "type": self.type,
            "name": self.name,
            "id": self.id,
            "line": self.line,
            "text": self.text,
            "format": self.format,
            "general_feedback": self.general_feedback,
            "category": self.category,
            "tags": list(self.tags),
            "idnumber": self.idnumber,
            "answers": [a.to_json() for a in self.answers],
        }


@dataclass
class GiftResult:
    questions: list[Question]
    problems: list[Problem]


# ------------------------------------------------------------------ Moodle's rules

# PHP's trim() strips exactly these; Python's strip() would also eat Unicode spaces.
_WS = " \t\n\r\0\x0b"

# Escapes become lone surrogates while parsing (Moodle uses "&&058;"-style
# placeholders). Real text cannot hold lone surrogates: input ones are replaced.
_ESCAPABLE = ":#={}~n"
_PLACEHOLDER = {c: chr(0xDC00 + i) for i, c in enumerate(_ESCAPABLE)}
_RESOLVE = str.maketrans({ph: ("\n" if c == "n" else c) for c, ph in _PLACEHOLDER.items()})
_SURROGATES = re.compile("[\ud800-\udfff]")

# qformat_gift's $giftanswerweightregex.
_WEIGHT = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")
# Something an author meant as a weight but Moodle will not read as one.
_WEIGHT_LIKE = re.compile(r"%[ \t]*[-+]?[0-9.,]+[ \t]*%")
# PHP is_numeric(), ASCII digits only (Python's \d would take any script's digits).
_NUMBER = re.compile(r"[ \t\n\r\x0b\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\x0b\f]*")
_FORMAT_LIKE = re.compile(r"\[([A-Za-z]+)\]")
_SECOND_NAME = re.compile(r"\n::[^\n]*?::")
_CHOICE_MARK = re.compile("[~=]")

_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")

# question_bank::fraction_options_full(): the only grades Moodle imports.
_ALLOWED = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
            0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
_ALLOWED_FRACTIONS = (0.0,) + _ALLOWED + tuple(-f for f in _ALLOWED)


def _trim(s: str) -> str:
    return s.strip(_WS)


_PLACEHOLDER_RE = re.compile("[" + "".join(_PLACEHOLDER.values()) + "]")


def _resolve(s: str) -> str:
    return s.translate(_RESOLVE) if _PLACEHOLDER_RE.search(s) else s  # most texts escape nothing


def _php_empty(s: str) -> bool:
    # PHP's empty() is also true for "0": Moodle drops such lines and answers.
    return s == "" or s == "0"


def _number(s: str) -> float | None:
    """The value of *s* if PHP's is_numeric() accepts it and it is finite."""
    if not _NUMBER.fullmatch(s):
        return None
    value = float(s.strip(" \t\n\r\x0b\f"))
    return value if math.isfinite(value) else None


def _allowed_fraction(fraction: float) -> bool:
    return any(abs(fraction - f) < 0.00001 for f in _ALLOWED_FRACTIONS)


# ------------------------------------------------------------------ parsing


def _positions(text: str, char: str, start: int) -> list[int]:
    """Every index of *char* in *text* from *start* on."""
    found = []
    at = text.find(char, start)
    while at != -1:
        found.append(at)
        at = text.find(char, at + 1)
    return found


class _Skip(Exception):
    """Moodle would refuse this question; the reason is already reported."""


class _Where:
    """A (line, column) in a question block, worked out only if a message reads it (most never do)."""

    __slots__ = ("block", "index")

    def __init__(self, block: "_Block", index: int):
        self.block, self.index = block, index

    def __iter__(self):
        return iter(self.block._loc_now(self.index))

    def __getitem__(self, k: int) -> int:
        return self.block._loc_now(self.index)[k]


class _Block:
    """One question's text after comment removal, with escapes as placeholders.

    ``loc(i)`` is the (line, column) in the GIFT text of character ``t[i]``, worked out
    when a message needs it (most questions need none).
    """

    def __init__(self, lines: list[tuple[int, int, str]]):
        self.comments: list[tuple[int, str]] = []
        pieces: list[str] = []
        self._piece_starts: list[int] = []  # where each line's content starts in the joined text
        self._piece_locs: list[tuple[int, int]] = []  # its (line, column)
        self._piece_ends: list[int] = []
        at = 0
        for k, (line, col, content) in enumerate(lines):
            if content.startswith("//"):
                self.comments.append((line, content))
                content = " "  # Moodle blanks the line but keeps its place
            if k:
                pieces.append("\n")  # located where the previous line's last character is
                at += 1
            pieces.append(content)
            self._piece_starts.append(at)
            self._piece_locs.append((line, col))
            at += len(content)
            self._piece_ends.append(at)
        raw = "".join(pieces)
        start, end = 0, len(raw)
        while start < end and raw[start] in _WS:
            start += 1
        while end > start and raw[end - 1] in _WS:
            end -= 1
        self.first = lines[0][0] if lines else 0
        self._start = start
        if "\\" not in raw[start:end]:
            # Nothing escaped: character i of the text is character start + i of the lines.
            self.t = raw[start:end]
            self._raw_index: list[int] | None = None
            return
        out: list[str] = []
        raw_index: list[int] = []
        i = start
        while i < end:
            c = raw[i]
            if c == "\\" and i + 1 < end:
                d = raw[i + 1]
                if d == "\\":
                    out.append("\\")
                    raw_index.append(i)
                    i += 2
                    continue
                if d in _PLACEHOLDER:
                    out.append(_PLACEHOLDER[d])
                    raw_index.append(i)
                    i += 2
                    continue
            out.append(c)
            raw_index.append(i)
            i += 1
        self.t = "".join(out)
        self._raw_index = raw_index

    def _raw_loc(self, r: int) -> tuple[int, int]:
        """(line, column) of character *r* of the joined lines; a line break has its line's last character's."""
        k = bisect.bisect_right(self._piece_starts, r) - 1
        r = min(r, self._piece_ends[k] - 1)  # the "\n" after line k
        line, col = self._piece_locs[k]
        return (line, col + r - self._piece_starts[k])

    def loc(self, i: int) -> "_Where":
        """The (line, column) of ``t[i]``, *i* clamped to the text; worked out when it is read."""
        return _Where(self, i)

    def _loc_now(self, i: int) -> tuple[int, int]:
        if not self.t:
            return (self.first, 0)
        i = max(0, min(i, len(self.t) - 1))
        return self._raw_loc(self._start + i if self._raw_index is None else self._raw_index[i])

    def trim(self, a: int, b: int) -> tuple[int, int]:
        t = self.t
        while a < b and t[a] in _WS:
            a += 1
        while b > a and t[b - 1] in _WS:
            b -= 1
        return a, b

    def split_at(self, a: int, b: int, sep: str) -> list[tuple[int, int]]:
        """Like PHP explode(): spans between the separators."""
        spans = []
        t = self.t
        k = t.find(sep, a, b)
        while k != -1:
            spans.append((a, k))
            a = k + len(sep)
            k = t.find(sep, a, b)
        spans.append((a, b))
        return spans


class _Parser:
    def __init__(self, file: str, line_offset: int, category: str):
        self.file = file
        self.offset = line_offset
        self.category = category
        self.problems: list[Problem] = []
        self.questions: list[Question] = []
        self.names: dict[str, int] = {}
        self.idnumbers: dict[str, int] = {}
        self.slugs: dict[str, int] = {}
        self.qformat = DEFAULT_FORMAT

    # -- reporting

    def report(self, severity: Severity, code: str, message: str, where: tuple[int, int]) -> None:
        line, col = where
        self.problems.append(
            Problem(message, severity, self.file, line + self.offset if line else 0, col, code)
        )

    def error(self, code: str, message: str, where: tuple[int, int]) -> None:
        self.report(Severity.ERROR, code, message, where)

    def warning(self, code: str, message: str, where: tuple[int, int]) -> None:
        self.report(Severity.WARNING, code, message, where)

    # -- file level

    def parse(self, text: str) -> GiftResult:
        if _SURROGATES.search(text):
            self.warning("GIFT033", "invalid characters (lone surrogates) were replaced with U+FFFD", (1, 0))
            text = _SURROGATES.sub("\ufffd", text)
        if text.startswith("\ufeff"):
            text = text[1:]
        # qformat_default::readdata(): a file without "\n" but with "\r" is an old Mac file.
        lines = text.split("\r") if "\n" not in text and "\r" in text else text.split("\n")
        block: list[tuple[int, int, str]] = []
        for number, raw in enumerate(lines, 1):
            content = _trim(raw)
            if _php_empty(content):
                if content == "0":
                    self.warning(
                        "GIFT031",
                        'a line holding only "0" counts as a blank line in Moodle and is dropped',
                        (number, len(raw) - len(raw.lstrip(_WS)) + 1),
                    )
                if block:
                    self.read_block(block)
                    block = []
            else:
                block.append((number, len(raw) - len(raw.lstrip(_WS)) + 1, content))
        if block:
            self.read_block(block)
        self.problems.sort(key=lambda p: (p.line, p.column))
        return GiftResult(self.questions, self.problems)

    def read_block(self, lines: list[tuple[int, int, str]]) -> None:
        b = _Block(lines)
        idnumber, tags = _id_and_tags("".join(c + "\n" for _, c in b.comments))
        t = b.t
        if t == "" or t.startswith("$CATEGORY:"):
            if idnumber or tags:
                self.warning(
                    "GIFT030",
                    "this [id:…]/[tag:…] comment belongs to no question: put it directly above the "
                    "question, with no blank line between",
                    (b.comments[0][0], 1),
                )
            if t:
                self.category = _trim(_resolve(t[len("$CATEGORY:"):]))
                if "\n" in self.category:
                    self.warning(
                        "GIFT028",
                        "the category line runs on into the next lines, which Moodle makes part of "
                        "the category name: put a blank line after $CATEGORY",
                        b.loc(t.find("\n") + 1),
                    )
            return
        if t[: len("$CATEGORY:")].upper() == "$CATEGORY:":
            self.warning("GIFT029", "write $CATEGORY: in upper case, or Moodle reads a description question",
                         b.loc(0))
        try:
            question = self.read_question(b, idnumber, tags)
        except _Skip:
            return
        self.questions.append(question)

    # -- one question

    def read_question(self, b: _Block, idnumber: str, tags: list[str]) -> Question:
        t = b.t
        n = len(t)
        qloc = b.loc(0)
        name = ""
        start = 0
        if t.startswith("::"):
            finish = t.find("::", 2)
            if finish == -1:
                self.error("GIFT003", "the question name has no closing `::`", qloc)
                start = 2  # Moodle drops the opening "::" and names the question after its text
            else:
                name = _trim(_resolve(t[2:finish]))
                start, _ = b.trim(finish + 2, n)
        for m in _SECOND_NAME.finditer(t, start):
            self.error(
                "GIFT004",
                "a second `::name::` inside one question: separate questions with a blank line",
                b.loc(m.start() + 1),
            )

        opens = _positions(t, "{", start)
        closes = _positions(t, "}", start)
        description = not opens and not closes
        missing_word = False
        if not description:
            if not opens or not closes:
                where = b.loc((closes or opens)[0])
                missing = "`{`" if not opens else "`}`"
                self.error("GIFT001", f"unbalanced braces: {missing} is missing (escape a literal brace "
                           "as \\{ or \\})", where)
                raise _Skip
            ans_start, ans_end = opens[0], closes[0]
            if ans_end < ans_start:
                self.error("GIFT001", "unbalanced braces: `}` comes before `{`", b.loc(ans_end))
                raise _Skip
            if len(opens) > 1 or len(closes) > 1:
                extra = opens[1] if len(opens) > 1 else closes[1]
                self.error(
                    "GIFT002",
                    "more than one `{…}` in a question: Moodle reads only the first; escape literal braces "
                    "as \\{ and \\}",
                    b.loc(extra),
                )
            missing_word = t[-1] != "}"
            raw_text = t[start:ans_start] + (BLANK if missing_word else "") + t[ans_end + 1:]
            a, z = b.trim(ans_start + 1, ans_end)
            if missing_word:
                self.check_after(b, ans_end + 1)
        else:
            raw_text = t[start:]
            a = z = 0

        general_raw = None
        if not description:
            gf = t.rfind("####", a, z)
            if gf != -1:
                general_raw = (gf + 4, z)
                a, z = b.trim(a, gf)

        text, self.qformat = self.text_with_format(raw_text, DEFAULT_FORMAT, b.loc(start))
        general_feedback = ""
        if general_raw:
            general_feedback = self.sub_text(t[general_raw[0]:general_raw[1]], b.loc(general_raw[0]), trim=False)

        answers: list = []
        if description:
            qtype = "description"
        elif a == z:
            qtype = "essay"
        elif t[a] == "#":
            qtype = "numerical"
            answers = self.read_numerical(b, a, z)
        elif "~" in t[a:z]:
            single = "=" in t[a:z]
            qtype = "single_choice" if single else "multiple_choice"
            answers = self.read_choice(b, a, z, single)
        elif "=" in t[a:z] and "->" in t[a:z]:
            qtype = "matching"
            answers = self.read_matching(b, a, z)
        else:
            check = t[a:z]
            hash_at = check.find("#")
            if hash_at > 0:
                check = _trim(check[:hash_at])
            if check in _TRUE_FALSE:
                qtype = "true_false"
                answers = self.read_true_false(b, a, z)
            else:
                qtype = "short_answer"
                if check.upper() in _TRUE_FALSE:
                    self.warning(
                        "GIFT010",
                        f"`{{{_resolve(check)}}}` is read by Moodle as a short answer, not true/false: "
                        f"write {{{check.upper()}}} in upper case",
                        b.loc(a),
                    )
                answers = self.read_short(b, a, z, warn_leading=check.upper() not in _TRUE_FALSE)

        text_after = ""
        if missing_word:
            after = _resolve(t[closes[0] + 1:])
            text_after = after.rstrip(_WS)
            if text_after.strip(_WS) == "":
                text_after = ""

        question = Question(
            type=qtype,
            name=name,
            id="",
            line=qloc[0] + self.offset,
            text=text,
            format=self.qformat,
            general_feedback=general_feedback,
            category=self.category,
            tags=tags,
            idnumber=idnumber,
            answers=answers,
            text_after=text_after,
            missing_word=missing_word,
        )
        self.assign_id(question, qloc)
        return question

    def check_after(self, b: _Block, after: int) -> None:
        """Warn when the text after `}` looks accidental rather than a missing-word sentence."""
        rest = _trim(_resolve(b.t[after:]))
        stray = rest == "" or (len(rest) == 1 and (rest.isalnum() or rest in "}~=#:\\|/`^*_+<>[]"))
        if stray:
            self.warning(
                "GIFT009",
                "text after `}` makes this a missing-word question (shown with a _____ blank); "
                "remove the stray character after `}` if that was not meant",
                b.loc(after),
            )

    def assign_id(self, q: Question, qloc: tuple[int, int]) -> None:
        if q.name:
            if q.name in self.names:
                self.error("GIFT005", f"question name `{q.name}` is used twice (first on line "
                           f"{self.names[q.name]})", qloc)
            else:
                self.names[q.name] = q.line
        else:
            self.warning("GIFT006", "question has no `::name::`; Lantern lessons need one as the question id", qloc)
        if q.idnumber:
            if q.idnumber in self.idnumbers:
                self.error("GIFT032", f"[id:{q.idnumber}] is used twice (first on line "
                           f"{self.idnumbers[q.idnumber]}); Moodle refuses the second", qloc)
            else:
                self.idnumbers[q.idnumber] = q.line
        if q.name:
            q.id = q.name
        elif q.idnumber:
            q.id = q.idnumber
        else:
            # Content-derived, so it survives moving the question and a write/read round trip.
            payload = json.dumps([q.type, q.text, [a.to_json() for a in q.answers]], sort_keys=True)
            slug = "q-" + hashlib.sha1(payload.encode("utf-8", "replace")).hexdigest()[:8]
            seen = self.slugs.get(slug, 0)
            self.slugs[slug] = seen + 1
            q.id = slug if not seen else f"{slug}-{seen + 1}"

    # -- texts

    def text_with_format(self, s: str, default: str, where: tuple[int, int]) -> tuple[str, str]:
        """qformat_gift::parse_text_with_format(): an optional leading [format] tag."""
        fmt = default
        if s.startswith("["):
            end = s.find("]")
            # With no "]", PHP's substr($s, 1, false - 1) takes all but the last character.
            tag, rest = (s[1:-1], s[1:]) if end == -1 else (s[1:end], s[end + 1:])
            if tag in FORMATS:
                return _trim(_resolve(rest)), tag
        text = _trim(_resolve(s))
        m = _FORMAT_LIKE.match(text)
        if m and not (s.startswith("[") and m.group(1) in FORMATS):
            known = m.group(1) in FORMATS
            self.warning(
                "GIFT007",
                f"`[{m.group(1)}]` is not read as a format tag "
                + ("because it does not start the text" if known else "(Moodle knows [html], [moodle], "
                   "[plain], [markdown]); it stays part of the text"),
                where,
            )
        return text, fmt

    def sub_text(self, s: str, where: tuple[int, int], trim: bool = True) -> str:
        """An answer or feedback text; Lantern shows it in the question's format."""
        if trim:
            s = _trim(s)
        text, fmt = self.text_with_format(s, self.qformat, where)
        if fmt != self.qformat:
            self.warning(
                "GIFT008",
                f"`[{fmt}]` here differs from the question's format `{self.qformat}`; Lantern shows all "
                "texts of a question in the question's format",
                where,
            )
        return text

    def answer_and_feedback(self, b: _Block, a: int, z: int) -> tuple[str, str]:
        """qformat_gift::commentparser(): text, then feedback after the first `#`."""
        h = b.t.find("#", a, z)
        if h == -1:
            return self.sub_text(b.t[a:z], b.loc(a)), ""
        fa, fz = b.trim(h + 1, z)
        return self.sub_text(b.t[a:h], b.loc(a)), self.sub_text(b.t[fa:fz], b.loc(fa))

    def weight(self, b: _Block, a: int, z: int) -> tuple[float | None, int]:
        """A leading %n% weight: (fraction or None, where the answer text starts)."""
        t = b.t
        m = _WEIGHT.match(t, a, z)
        if not m:
            bad = _WEIGHT_LIKE.match(t, a, z)
            if bad:
                self.error(
                    "GIFT013",
                    f"`{t[bad.start():bad.end()]}` is not a weight Moodle reads (write it like %50% or "
                    "%-33.33333%); Moodle would make it part of the answer text",
                    b.loc(a),
                )
            return None, a
        inner = t[a + 1:m.end() - 1]
        try:
            # Decimal division, so "33.33333" gives 0.3333333 and not 0.33333329999999994.
            fraction = float(Decimal(inner) / 100)
        except (ArithmeticError, ValueError):
            self.error("GIFT013", f"`%{inner}%` is not a weight Moodle reads", b.loc(a))
            return 0.0, m.end()
        if not _allowed_fraction(fraction):
            self.error(
                "GIFT014",
                f"Moodle refuses the weight {inner}%: use one of its grades (100, 90, 83.33333, 80, 75, 70, "
                "66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0, "
                "or the same negated)",
                b.loc(a),
            )
        return fraction, m.end()

    def leading(self, b: _Block, spans: list[tuple[int, int]], marker: str, warn: bool = True
                ) -> list[tuple[int, int]]:
        """Moodle's `if (empty($answers[0])) array_shift($answers)`, with a warning when the
        text before the first marker becomes an answer (or, being "0", vanishes)."""
        if not spans:
            return spans
        a, z = b.trim(*spans[0])
        first = b.t[a:z]
        if not warn:
            return spans[1:] if _php_empty(first) else spans
        if _php_empty(first):
            if first == "0":
                self.warning("GIFT011", f'the "0" before the first {marker} is dropped by Moodle', b.loc(a))
            return spans[1:]
        self.warning(
            "GIFT011",
            f"`{_resolve(first)[:40]}` comes before the first {marker}; Moodle makes it an answer of its own",
            b.loc(a),
        )
        return spans

    def check_empty(self, b: _Block, text: str, a: int) -> None:
        if text == "":
            self.error("GIFT015", "an answer is empty", b.loc(a))

    # -- answer sets

    def read_choice(self, b: _Block, a: int, z: int, single: bool) -> list[Answer]:
        t = b.t
        spans: list[tuple[int, int]] = []
        cur = a
        for m in _CHOICE_MARK.finditer(t, a, z):  # str_replace("=", "~=") then explode("~")
            k = m.start()
            spans.append((cur, k))
            cur = k + 1 if t[k] == "~" else k
        spans.append((cur, z))
        spans = self.leading(b, spans, "`~` or `=`")
        if len(spans) < 2:
            self.error("GIFT016", "a choice question needs at least two answers", b.loc(a))
            raise _Skip
        answers = []
        for span in spans:
            sa, sz = b.trim(*span)
            if sa < sz and t[sa] == "=":
                fraction = 1.0
                sa += 1
                if _WEIGHT.match(t, sa, sz) or _WEIGHT_LIKE.match(t, sa, sz):
                    self.warning(
                        "GIFT012",
                        "a weight after `=` is not read in a choice question (it stays in the answer text); "
                        "write `~%50%answer` instead",
                        b.loc(sa),
                    )
            else:
                weight, sa = self.weight(b, sa, sz)
                fraction = 0.0 if weight is None else weight
            text, feedback = self.answer_and_feedback(b, sa, sz)
            self.check_empty(b, text, span[0])
            answers.append(Answer(text, fraction, feedback))
        if single:
            return answers
        positive = sum(x.fraction for x in answers if x.fraction > 0)
        if positive == 0:
            self.error("GIFT017", "no answer is correct: mark one with `=` or give weights like `~%50%`",
                       b.loc(a))
        elif round(positive, 2) != 1:
            self.error(
                "GIFT018",
                f"the positive weights add up to {_number_text(round(positive * 100, 5))}%, "
                "not 100%; Moodle refuses the question",
                b.loc(a),
            )
        return answers

    def read_short(self, b: _Block, a: int, z: int, warn_leading: bool) -> list[Answer]:
        spans = self.leading(b, b.split_at(a, z, "="), "`=`", warn=warn_leading)
        if not spans:  # only "{0}": Moodle drops the "0" and then refuses the question
            self.error("GIFT016", "a short-answer question needs at least one answer (write `{=0}`)", b.loc(a))
            raise _Skip
        answers = []
        for span in spans:
            sa, sz = b.trim(*span)
            weight, sa = self.weight(b, sa, sz)
            text, feedback = self.answer_and_feedback(b, sa, sz)
            self.check_empty(b, text, span[0])
            answers.append(Answer(text, 1.0 if weight is None else weight, feedback))
        self.check_full_credit(b, a, answers)
        return answers

    def check_full_credit(self, b: _Block, a: int, answers: list) -> None:
        if answers and max(x.fraction for x in answers) != 1:
            self.error("GIFT019", "no answer gives full credit (100%)", b.loc(a))

    def read_true_false(self, b: _Block, a: int, z: int) -> list[Answer]:
        spans = b.split_at(a, z, "#")
        if len(spans) > 3:  # explode('#', $s, 3): the last part keeps its '#'
            spans = spans[:2] + [(spans[2][0], z)]
        texts = [self.sub_text(b.t[x:y], b.loc(x)) for x, y in spans]
        texts += [""] * (3 - len(texts))
        value, wrong, right = texts
        correct = value in ("T", "TRUE")
        return [
            Answer("true", 1.0 if correct else 0.0, right if correct else wrong),
            Answer("false", 0.0 if correct else 1.0, wrong if correct else right),
        ]

    def read_matching(self, b: _Block, a: int, z: int) -> list[MatchPair]:
        t = b.t
        spans = self.leading(b, b.split_at(a, z, "="), "`=`")
        if len(spans) < 2:
            self.error("GIFT023", "a matching question needs at least two pairs", b.loc(a))
            raise _Skip
        pairs = []
        for span in spans:
            sa, sz = b.trim(*span)
            arrow = t.find("->", sa, sz)
            if arrow == -1:
                self.error("GIFT024", "a matching item has no `->`; Moodle refuses the question", b.loc(sa))
                raise _Skip
            if t.find("#", sa, sz) != -1:
                self.warning(
                    "GIFT026",
                    "matching answers have no feedback in Moodle: the `#…` stays part of the text "
                    "(escape it as \\# if meant)",
                    b.loc(t.find("#", sa, sz)),
                )
            text, _fmt = self.text_with_format(t[sa:arrow], self.qformat, b.loc(sa))
            match = _trim(_resolve(t[arrow + 2:sz]))
            if match == "":
                self.error("GIFT027", "a matching pair has nothing after `->`", b.loc(sa))
            pairs.append(MatchPair(text, match))
        real = sum(1 for p in pairs if p.text)
        if real < 2:
            self.error("GIFT023", "a matching question needs at least two pairs (distractors do not count)",
                       b.loc(a))
        elif real == 2:
            self.warning("GIFT025", "only two matching pairs; Moodle asks for at least three", b.loc(a))
        return pairs

    def read_numerical(self, b: _Block, a: int, z: int) -> list[NumericalAnswer]:
        t = b.t
        a += 1  # the leading "#"
        tilde = t.find("~", a, z)
        end = z if tilde == -1 else tilde
        spans = self.leading(b, b.split_at(a, end, "="), "`=`", warn=False)
        if not spans:
            self.error("GIFT022", "a numerical question without answers (note: Moodle drops `{#0}`; "
                       "write `{#=0}`)", b.loc(a))
            raise _Skip
        answers: list[NumericalAnswer] = []
        for span in spans:
            sa, sz = b.trim(*span)
            weight, sa = self.weight(b, sa, sz)
            text, feedback = self.answer_and_feedback(b, sa, sz)
            where = b.loc(sa)
            dots, colon = text.find(".."), text.find(":")
            value: float | None
            if dots > 0:
                low, high = _number(_trim(text[:dots])), _number(_trim(text[dots + 2:]))
                if low is None or high is None:
                    self.error("GIFT021", f"`{text}` is not a range of two numbers like 1.5..2.5", where)
                    raise _Skip
                value = low / 2 + high / 2
                tolerance = abs(high - value)
            elif colon > 0:
                tolerance_number = _number(_trim(text[colon + 1:]))
                if tolerance_number is None:
                    self.error("GIFT021", f"the tolerance in `{text}` is not a number; Moodle refuses the "
                               "question", where)
                    raise _Skip
                tolerance = abs(tolerance_number)
                value = _number(_trim(text[:colon]))
            else:
                tolerance = 0.0
                value = _number(_trim(text))
            if value is None:
                self.error(
                    "GIFT020",
                    f"`{_trim(text[:colon]) if colon > 0 else _trim(text)}` is not a number (use . as the "
                    "decimal point, no thousands separators); Moodle would accept any answer here",
                    where,
                )
            answers.append(NumericalAnswer(value, tolerance, 1.0 if weight is None else weight, feedback))
        if tilde != -1:
            h = t.find("#", tilde, z)
            feedback = ""
            if h != -1:
                fa, fz = b.trim(h + 1, z)
                feedback = self.sub_text(t[fa:fz], b.loc(fa))
            answers.append(NumericalAnswer(None, 0.0, 0.0, feedback))
        self.check_full_credit(b, a, answers)
        return answers


def _bracket_tokens(text: str, prefix: str, forbidden: str, allow_empty: bool) -> Iterable[str]:
    """What Moodle's ``~\\[id:((?:\\\\]|[^][:cntrl:]])+)]~``-style patterns capture, found by a
    linear scan: a regex with that shape backtracks quadratically on long comment lines.

    Characters in *forbidden* and control characters end a token; ``\\]`` is an escaped ``]``.
    Like the regex, when no plain ``]`` ends the run, the last ``\\]`` in it does.
    """
    n = len(text)
    pos = 0
    while True:
        start = text.find(prefix, pos)
        if start == -1:
            return
        i = start + len(prefix)
        last_escape = -1
        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n and text[i + 1] == "]":
                last_escape = i
                i += 2
                continue
            if c == "]" or c in forbidden or c < " " or c == "\x7f":
                break
            i += 1
        content_start = start + len(prefix)
        if i < n and text[i] == "]" and (allow_empty or i > content_start):
            yield text[content_start:i]
            pos = i + 1
        elif last_escape != -1:
            yield text[content_start:last_escape + 1]
            pos = last_escape + 2
        else:
            # Every start inside this run would stop at the same place and fail too.
            pos = max(start + 1, i)


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle 4's extract_idnumber_and_tags_from_comment(): the first [id:…], every [tag:…]."""
    idnumber = ""
    for raw in _bracket_tokens(comments, "[id:", "[", allow_empty=False):
        idnumber = _trim(raw).replace("\\]", "]")
        break
    tags = []
    for raw in _bracket_tokens(comments, "[tag:", "<>", allow_empty=True):
        tag = _trim(raw).replace("\\]", "]")
        if tag:
            tags.append(tag)
    return idnumber, tags


def parse_gift(text: str, *, file: str = "", line_offset: int = 0, category: str = "") -> GiftResult:
    """Read GIFT *text* as Moodle would; never raises.

    *line_offset* is added to every line number (problems and ``Question.line``)
    so they point into the file the GIFT text was cut from. *category* is the
    category of questions before the first ``$CATEGORY:``.
    """
    return _Parser(file, line_offset, category).parse(text)


# ------------------------------------------------------------------ writing


_ESCAPES = str.maketrans({"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}",
                          ":": "\\:", "\n": "\\n"})


def _escape(text: str) -> str:
    """qformat_gift::repchar(), except that "\\r" is kept (it is not a line break there)."""
    return text.translate(_ESCAPES)


def _number_text(x: float) -> str:
    """Shortest decimal that reads back as *x*, without exponent or needless zeros."""
    if x == 0:
        return "0"
    s = repr(float(x))
    if "e" in s or "E" in s:
        s = format(Decimal(s), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _percent(fraction: float) -> str:
    """The weight in percent that the parser reads back as exactly *fraction*."""
    if not math.isfinite(fraction):
        return "0"
    s = format(Decimal(repr(float(fraction))) * 100, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _sub(text: str, fmt: str) -> str:
    """An escaped answer/feedback text; a leading "[" must not be taken for a format tag."""
    return (f"[{fmt}]" if text.startswith("[") else "") + _escape(text)


def _answer_fields(x, default_fraction: float) -> tuple[str, float, str]:
    # Tolerant of hand-built questions holding the wrong answer class.
    return getattr(x, "text", ""), getattr(x, "fraction", default_fraction), getattr(x, "feedback", "")


class _Writer:
    def __init__(self, q: Question):
        self.q = q
        self.fmt = q.format if q.format in FORMATS else DEFAULT_FORMAT

    def text(self, text: str, first: bool) -> str:
        """The question text: a format tag when not moodle, or when it is needed to keep
        the text from reading as a tag, a comment or Moodle's "0" blank line."""
        needs_tag = self.fmt != DEFAULT_FORMAT or text.startswith("[")
        if first and not self.q.name and (text.startswith("//") or text == "0"):
            needs_tag = True
        return (f"[{self.fmt}]" if needs_tag else "") + _escape(text)

    def general(self) -> str:
        gf = self.q.general_feedback
        return "####" + _sub(gf, self.fmt) if gf else ""

    def items(self) -> list[str] | None:
        q = self.q
        fmt = self.fmt
        kind = q.type
        out: list[str] = []
        if kind in ("single_choice", "multiple_choice"):
            single = kind == "single_choice"
            for x in q.answers:
                text, fraction, feedback = _answer_fields(x, 0.0)
                if single and fraction == 1:
                    marker = "="
                elif fraction == 0 and not text.startswith("%"):
                    marker = "~"
                else:
                    marker = f"~%{_percent(fraction)}%"
                out.append(marker + _sub(text, fmt) + (f"#{_sub(feedback, fmt)}" if feedback else ""))
        elif kind == "short_answer":
            answers = list(q.answers)
            # "=" with "->" anywhere would read as matching: a lone answer can go without "=".
            bare = len(answers) == 1 and any(
                "->" in getattr(answers[0], attr, "") for attr in ("text", "feedback"))
            for x in answers:
                text, fraction, feedback = _answer_fields(x, 1.0)
                weight = f"%{_percent(fraction)}%" if fraction != 1 or text.startswith("%") or bare else ""
                marker = "" if bare else "="
                out.append(marker + weight + _sub(text, fmt) + (f"#{_sub(feedback, fmt)}" if feedback else ""))
        elif kind == "matching":
            for x in q.answers:
                text, match = getattr(x, "text", ""), getattr(x, "match", "")
                out.append("=" + _sub(text, fmt) + " -> " + _escape(match))
        elif kind == "numerical":
            answers = list(q.answers)
            for k, x in enumerate(answers):
                value = getattr(x, "value", None)
                tolerance = getattr(x, "tolerance", 0.0) or 0.0
                fraction = getattr(x, "fraction", 1.0)
                feedback = getattr(x, "feedback", "")
                fb = f"#{_sub(feedback, fmt)}" if feedback else ""
                if value is None and fraction == 0 and k == len(answers) - 1 and k > 0:
                    out.append("~" + fb)
                    continue
                weight = f"%{_percent(fraction)}%" if fraction != 1 else ""
                number = "*" if value is None else _number_text(value)
                if value is not None and tolerance:
                    number += ":" + _number_text(abs(tolerance))
                out.append("=" + weight + number + fb)
        else:
            return None
        return out

    def block(self) -> str:
        q = self.q
        if q.type == "description":
            return ""
        if q.type == "essay":
            return "{" + self.general() + "}"
        if q.type == "true_false":
            return "{" + self.true_false() + self.general() + "}"
        items = self.items() or []
        general = self.general()
        prefix = "#" if q.type == "numerical" else ""
        if q.type == "numerical" and len(items) == 1 and items[0].startswith("=") and items[0] != "=0":
            # A lone full-credit number reads best as {#3.14:0.01}; Moodle drops a bare {#0}.
            if not items[0].startswith(("=%", "=*")):
                items = [items[0][1:]]
        if q.missing_word or (q.type in ("numerical", "short_answer") and len(items) == 1):
            return "{" + prefix + " ".join(items + ([general] if general else [])) + "}"
        lines = items + ([general] if general else [])
        return "{" + prefix + "".join("\n\t" + line for line in lines) + "\n}"

    def true_false(self) -> str:
        answers = {getattr(x, "text", ""): x for x in self.q.answers}
        true = answers.get("true")
        false = answers.get("false")
        correct_true = true is None or getattr(true, "fraction", 1.0) == 1
        right_answer, wrong_answer = (true, false) if correct_true else (false, true)
        right = getattr(right_answer, "feedback", "") if right_answer else ""
        wrong = getattr(wrong_answer, "feedback", "") if wrong_answer else ""
        out = "TRUE" if correct_true else "FALSE"
        if wrong or right:
            out += "#" + _sub(wrong, self.fmt)
        if right:
            out += "#" + _sub(right, self.fmt)
        return out

    def write(self) -> str:
        q = self.q
        lines = []
        bits = []
        if q.idnumber:
            bits.append("[id:" + q.idnumber.replace("]", "\\]") + "]")
        bits.extend("[tag:" + tag.replace("]", "\\]") + "]" for tag in q.tags)
        if bits:
            lines.append("// " + " ".join(bits))
        head = f"::{_escape(q.name)}::" if q.name else ""
        block = self.block()
        if q.missing_word and q.type != "description":
            after = q.text_after
            cut = len(q.text) - len(after) - len(BLANK)
            if cut >= 0 and q.text[cut:] == BLANK + after:
                before = q.text[:cut]
            else:
                before = q.text
            # An empty "after" still has to keep the last character from being "}".
            tail = _escape(after) if after else "\\n"
            body = self.text(before, True) + block + tail
        else:
            text = self.text(q.text, True)
            body = text + (" " if text and block else "") + block
        if head and body:
            head += " "
        if not head and not body:
            head = "::::"
        lines.append(head + body)
        return "\n".join(lines)


def write_gift(questions: Iterable[Question], *, categories: bool = True) -> str:
    """GIFT text for *questions*, which Moodle and :func:`parse_gift` read back unchanged.

    With *categories*, a ``$CATEGORY:`` line is written whenever the category changes.
    """
    parts: list[str] = []
    current = ""
    for q in questions:
        if categories and q.category and q.category != current:
            parts.append("$CATEGORY: " + _escape(q.category))
            current = q.category
        parts.append(_Writer(q).write())
    return "\n\n".join(parts) + "\n" if parts else ""
