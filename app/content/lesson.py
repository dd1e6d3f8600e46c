"""Lesson and track files: YAML front matter, Markdown body, fenced blocks.

A file is read once into a :class:`Lesson` (or :class:`Track`). Problems that
make a file unusable raise :class:`LessonError`; everything else is recorded in
``.problems`` and the lesson stays usable. Nothing here imports Qt.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.content.gift import Question, parse_gift
from app.content.problems import LessonError, Problem, ProblemList, Severity

# Input limits: lesson files come from anyone (packs, e-mail), so sizes are
# bounded before any parser sees them.
MAX_FILE_BYTES = 512 * 1024
MAX_FRONT_MATTER_BYTES = 16 * 1024
MAX_LINE_CHARS = 20_000

LEVELS = ("beginner", "intermediate", "advanced")
HELP_CATEGORIES = (
    "banking",
    "lending",
    "insurance",
    "securities",
    "payments",
    "credit-reporting",
    "fraud",
    "privacy",
)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors and aliases (no "billion laughs")."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml reads front matter about ten times faster than the Python loader. It is used only where
# the two cannot differ: no alias, anchor, tag, directive or complex key, only printable characters,
# shallow nesting and short lines; a text it refuses is read again by the Python loader, so every
# message and line number stays the Python loader's (tests/test_lesson_yaml.py compares them).
_C_LOADER = getattr(yaml, "CSafeLoader", None)
_NOT_FOR_LIBYAML = re.compile(
    "[*&!\t\ufeff\x85\u2028\u2029]|^%|(?:^|[\\s,\\[{])\\?(?:\\s|$)|^ {33}|[^\n]{1001}"
    "|[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
    re.M,
)
_MAX_LIBYAML_BRACKETS = 64


def _load_yaml(text: str):
    """*text* read by the alias-refusing safe loader (libyaml where it gives the very same result)."""
    if (_C_LOADER is not None and not _NOT_FOR_LIBYAML.search(text)
            and text.count("[") + text.count("{") <= _MAX_LIBYAML_BRACKETS):  # fmt: skip
        try:
            return yaml.load(text, Loader=_C_LOADER)  # noqa: S506 - safe loader
        except Exception:  # noqa: BLE001 - the Python loader below says what is wrong, as it always has
            pass
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe subclass


def _str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# key: (check, description, required)
_LESSON_KEYS = {
    "id": (lambda v: isinstance(v, str) and bool(_ID_RE.match(v)), "a lower-case id like red-flags", False),
    "title": (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty text", True),
    "summary": (lambda v: isinstance(v, str), "a text", False),
    "order": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number", False),
    "minutes": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 600, "minutes, 1 to 600", False),
    "level": (lambda v: v in LEVELS, "one of " + ", ".join(LEVELS), False),
    "pass_score": (
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1,
        "a share between 0 and 1, like 0.7",
        False,
    ),
    "objectives": (_str_list, "a list of texts", False),
    "regions": (
        lambda v: _str_list(v) and all(re.fullmatch(r"[A-Z]{2}", r) for r in v),
        "a list of two-letter region codes like [CN, HK]",
        False,
    ),
    "sources": (_str_list, "a list of web addresses", False),
    "translated_from": (
        lambda v: isinstance(v, str) and bool(re.fullmatch(r"[0-9a-f]{8,64}", v)),
        "the hexadecimal hash printed by `lantern i18n status`",
        False,
    ),
    "glossary": (_str_list, "a list of glossary term ids", False),
    "kind": (lambda v: v in ("lesson", "knowledge-check"), "lesson or knowledge-check", False),
}
_TRACK_KEYS = {
    "id": _LESSON_KEYS["id"],
    "title": _LESSON_KEYS["title"],
    "summary": _LESSON_KEYS["summary"],
    "order": _LESSON_KEYS["order"],
    "translated_from": _LESSON_KEYS["translated_from"],
}


@dataclass
class HelpBlock:
    """A ```help block: show the learner's region's channels covering *covers*."""

    covers: list[str]
    line: int


@dataclass
class Lesson:
    id: str
    locale: str
    path: Path
    track: str
    title: str
    summary: str = ""
    order: int = 0
    minutes: int = 0
    level: str = "beginner"
    pass_score: float = 0.7
    objectives: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)
    translated_from: str = ""
    kind: str = "lesson"
    body: str = ""  # Markdown with gift blocks removed and help blocks as markers
    body_line: int = 1  # file line of the body's first line
    help_blocks: list[HelpBlock] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""

    @property
    def graded_questions(self) -> list[Question]:
        return [q for q in self.questions if q.type not in ("essay", "description")]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "locale": self.locale,
            "track": self.track,
            "file": str(self.path),
            "title": self.title,
            "summary": self.summary,
            "order": self.order,
            "minutes": self.minutes,
            "level": self.level,
            "pass_score": self.pass_score,
            "objectives": self.objectives,
            "regions": self.regions,
            "sources": self.sources,
            "glossary": self.glossary,
            "translated_from": self.translated_from,
            "kind": self.kind,
            "content_hash": self.content_hash,
            "help_blocks": [{"covers": h.covers, "line": h.line} for h in self.help_blocks],
            "questions": [q.to_json() for q in self.questions],
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class Track:
    id: str
    locale: str
    path: Path
    title: str
    summary: str = ""
    order: int = 0
    intro: str = ""
    translated_from: str = ""
    problems: list[Problem] = field(default_factory=list)


# Marker left in the body where a help block stood; the renderer swaps in the box.
HELP_MARKER = "LANTERN-HELP-BLOCK-{index}"
_MARKER_LINE_RE = re.compile(r"LANTERN-HELP-BLOCK-\d+")


def split_name(path: Path) -> tuple[str, str]:
    """``red-flags.zh-Hans.md`` → ("red-flags", "zh-Hans")."""
    stem = path.name[: -len(".md")] if path.name.endswith(".md") else path.stem
    if "." not in stem:
        raise LessonError(
            Problem(
                "file name must be <id>.<locale>.md, like red-flags.en.md",
                file=str(path),
                code="FILE001",
            )
        )
    slug, locale = stem.split(".", 1)
    return slug, locale


def content_hash(text: str) -> str:
    """Short stable hash of a source file, recorded by translations."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_text(path: Path) -> str:
    """The file's text, refusing what no lesson can be: too big, not UTF-8, NUL bytes, control characters."""
    return decode_text(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """The bytes of a lesson file, refusing what is not a regular file or is too big to be a lesson."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            raise LessonError(Problem("not a regular file", file=str(path), code="FILE002"))
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # never more, even if the file grows meanwhile
    except OSError as exc:
        raise LessonError(Problem(f"cannot read the file: {exc.strerror}", file=str(path), code="FILE002"))
    if len(data) > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        raise LessonError(
            Problem(
                f"file is {size // 1024} KB; lessons may be at most {MAX_FILE_BYTES // 1024} KB",
                file=str(path),
                code="FILE003",
            )
        )
    return data


def decode_text(data: bytes, path: Path) -> str:
    """The text of a lesson file's *data*, refusing what is not UTF-8 or holds NUL bytes or control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LessonError(
            Problem("file is not valid UTF-8 text", file=str(path), line=line, code="FILE004")
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise LessonError(Problem("file contains a NUL byte", file=str(path), line=line, code="FILE005"))
    control = _CONTROL_RE.search(text)
    if control:
        # Titles and messages reach terminals (`lantern lessons check`): no escape sequences.
        line = text[: control.start()].count("\n") + 1
        raise LessonError(
            Problem(
                f"file contains the control character U+{ord(control.group()):04X}",
                file=str(path),
                line=line,
                code="FILE008",
            )
        )
    return text.lstrip("\ufeff")


def _front_matter(text: str, problems: ProblemList) -> tuple[dict, str, int]:
    """Split front matter from body. Returns (fields, body, body_first_line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise LessonError(
            Problem("file must start with a front matter block opened by ---", file=problems.file, line=1, code="FM001")
        )
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise LessonError(
            Problem("front matter opened on line 1 is never closed by ---", file=problems.file, line=1, code="FM002")
        )
    raw = "\n".join(lines[1:end])
    if len(raw.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise LessonError(
            Problem(
                f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KB",
                file=problems.file,
                line=2,
                code="FM003",
            )
        )
    try:
        data = _load_yaml(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        column = mark.column + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise LessonError(
            Problem(f"front matter is not valid YAML: {reason}", file=problems.file, line=line, column=column, code="FM004")
        )
    except RecursionError:
        raise LessonError(Problem("front matter is nested too deeply", file=problems.file, line=2, code="FM004"))
    except (ValueError, OverflowError) as exc:  # a 5,000-digit number, a 13th month
        raise LessonError(
            Problem(f"front matter has a value that cannot be read: {exc}", file=problems.file, line=2, code="FM004")
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LessonError(
            Problem("front matter must be a set of `key: value` lines", file=problems.file, line=2, code="FM005")
        )
    return data, "\n".join(lines[end + 1 :]), end + 2


def _key_lines(text: str) -> dict[str, int]:
    """Line of each top-level front-matter key (for messages)."""
    found = {}
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m:
            found.setdefault(m.group(1), number)
    return found


def _check_fields(data: dict, schema: dict, text: str, problems: ProblemList) -> dict:
    lines = _key_lines(text)
    clean = {}
    for key, value in data.items():
        key = str(key)
        line = lines.get(key, 2)
        if key not in schema:
            close = difflib.get_close_matches(key, schema.keys(), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            problems.warning(f"unknown front matter key `{key}`{hint}", line, code="FM010")
            continue
        check, description, _required = schema[key]
        if not check(value):
            problems.error(f"`{key}` must be {description}", line, code="FM011")
            continue
        clean[key] = value
    for key, (_check, _desc, required) in schema.items():
        if required and key not in data:
            problems.error(f"missing required front matter key `{key}`", 1, code="FM012")
    return clean


def _fenced_blocks(body: str, body_line: int, problems: ProblemList):
    """Yield (kind, content, first_content_line, start_index, end_index) for ``` blocks."""
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info").lower()
        start = i
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close.startswith(fence[0] * len(fence)) and set(close) <= {fence[0]}:
                break
            i += 1
        else:
            problems.error(f"``` block opened here is never closed", body_line + start, code="MD001")
            return
        yield info, "\n".join(lines[start + 1 : i]), body_line + start + 1, start, i
        i += 1


def _check_lines(text: str, problems: ProblemList) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise LessonError(
                Problem(
                    f"line is {len(line)} characters long; the limit is {MAX_LINE_CHARS}",
                    file=problems.file,
                    line=number,
                    code="FILE006",
                )
            )


def parse_lesson(text: str, path: Path, track: str = "", locale: str = "") -> Lesson:
    """Parse lesson *text* read from *path*. Raises LessonError if unusable."""
    problems = ProblemList(str(path))
    _check_lines(text, problems)
    slug, file_locale = split_name(path)
    locale = locale or file_locale
    data, body, body_line = _front_matter(text, problems)
    fields = _check_fields(data, _LESSON_KEYS, text, problems)
    if "id" in fields and fields["id"] != slug:
        problems.warning(
            f"id `{fields['id']}` differs from the file name `{slug}`; the id wins",
            _key_lines(text).get("id", 2),
            code="FM013",
        )
    if "title" not in fields:
        raise LessonError(problems.items[-1] if problems.items else Problem("missing title", file=str(path), code="FM012"))

    lesson = Lesson(
        id=fields.get("id", slug),
        locale=locale,
        path=path,
        track=track or path.parent.name,
        title=fields["title"].strip(),
        summary=fields.get("summary", "").strip(),
        order=fields.get("order", 0),
        minutes=fields.get("minutes", 0),
        level=fields.get("level", "beginner"),
        pass_score=float(fields.get("pass_score", 0.7)),
        objectives=fields.get("objectives", []),
        regions=fields.get("regions", []),
        sources=fields.get("sources", []),
        glossary=fields.get("glossary", []),
        translated_from=fields.get("translated_from", ""),
        kind=fields.get("kind", "lesson"),
        body_line=body_line,
        content_hash=content_hash(text),
    )

    # Cut gift blocks out of the reading text and swap help blocks for markers.
    body_lines = body.split("\n")
    keep = [True] * len(body_lines)
    replacements: dict[int, str] = {}
    for info, content, first_line, start, end in _fenced_blocks(body, body_line, problems):
        if info == "gift":
            result = parse_gift(content, file=str(path), line_offset=first_line - 1, category=lesson.id)
            lesson.questions.extend(result.questions)
            problems.extend(result.problems)
            for k in range(start, end + 1):
                keep[k] = False
        elif info == "help":
            block = _parse_help_block(content, first_line, problems)
            replacements[start] = HELP_MARKER.format(index=len(lesson.help_blocks))
            lesson.help_blocks.append(block)
            for k in range(start + 1, end + 1):
                keep[k] = False
    out = []
    for k, line in enumerate(body_lines):
        if k in replacements:
            out.extend(["", replacements[k], ""])
        elif keep[k]:
            # An author's line that looks like a marker is escaped (it still reads the same).
            out.append(line.replace("-", "\\-", 1) if _MARKER_LINE_RE.fullmatch(line) else line)
    lesson.body = "\n".join(out).strip("\n")
    from app.content.render import removed_markup  # lazy: render imports this module

    problems.extend(removed_markup(lesson.body, str(path), lesson.body_line))

    seen: dict[str, int] = {}
    for q in lesson.questions:
        if q.id in seen:
            problems.error(
                f"question id `{q.id}` is used twice (first on line {seen[q.id]})", q.line, code="Q001"
            )
        else:
            seen[q.id] = q.line
    lesson.problems = problems.items
    return lesson


def _parse_help_block(content: str, first_line: int, problems: ProblemList) -> HelpBlock:
    try:
        data = _load_yaml(content) if content.strip() else {}
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        problems.error("help block must be YAML like `covers: [banking, fraud]`", first_line, code="HELP001")
        return HelpBlock([], first_line)
    covers = data.get("covers", []) if isinstance(data, dict) else None
    if not _str_list(covers):
        problems.error("help block needs `covers:` with a list of categories", first_line, code="HELP001")
        return HelpBlock([], first_line)
    for c in covers:
        if c not in HELP_CATEGORIES:
            close = difflib.get_close_matches(c, HELP_CATEGORIES, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            problems.error(f"unknown help category `{c}`{hint}", first_line, code="HELP002")
    return HelpBlock([c for c in covers if c in HELP_CATEGORIES], first_line)


def parse_track(text: str, path: Path) -> Track:
    problems = ProblemList(str(path))
    _check_lines(text, problems)
    _name, locale = split_name(path)
    data, body, _body_line = _front_matter(text, problems)
    fields = _check_fields(data, _TRACK_KEYS, text, problems)
    if "title" not in fields:
        raise LessonError(problems.items[-1])
    track_id = path.parent.name
    if "id" in fields and fields["id"] != track_id:
        problems.warning(
            f"track id `{fields['id']}` differs from its folder `{track_id}`; the folder wins", 2, code="FM013"
        )
    return Track(
        id=track_id,
        locale=locale,
        path=path,
        title=fields["title"].strip(),
        summary=fields.get("summary", "").strip(),
        order=fields.get("order", 0),
        intro=body.strip(),
        translated_from=fields.get("translated_from", ""),
        problems=problems.items,
    )


def load_lesson(path: Path) -> Lesson:
    return parse_lesson(read_text(path), path)


def load_track(path: Path) -> Track:
    return parse_track(read_text(path), path)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
