"""``lantern lessons check``: every problem a reviewer would point out.

Per-file problems come from the loader and the GIFT parser; this module adds
the checks that need more than one file (translations, duplicate ids) and the
review rules that make a lesson good rather than merely readable. Every code
is documented in ``docs/checker-codes.md``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app import paths
from app.content.catalog import Library
from app.content.gift import Answer, MatchPair, Question
from app.content.lesson import Lesson, _key_lines, content_hash, load_lesson, load_track, read_text
from app.content.problems import LessonError, Problem, Severity
from app.content.render import markdown_to_html
from app.i18n import SOURCE_LOCALE, fallback_chain

_QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Keys the lesson format asks every lesson to have (title is enforced by the loader,
# sources by SRC001; level and pass_score have sensible defaults).
_EXPECTED_KEYS = ("summary", "order", "minutes", "objectives")
# What must be the same in every language of a lesson.
_SHARED_KEYS = ("order", "pass_score", "kind")


def _problem(message: str, severity: Severity, file, line: int = 1, code: str = "", column: int = 0) -> Problem:
    return Problem(message, severity, str(file), line, column, code)


# ------------------------------------------------------------------ one lesson


def _review(lesson: Lesson) -> list[Problem]:
    """Rules for a publishable lesson, beyond what parsing enforces."""
    found = []
    file = str(lesson.path)
    try:
        text = read_text(lesson.path)
    except LessonError:
        text = ""
    lines = _key_lines(text) if text else {}
    if lesson.kind == "lesson" and not lesson.sources:
        found.append(Problem("lesson has no `sources`; list where its facts come from",
                             Severity.WARNING, file, 1, 0, "SRC001"))  # fmt: skip
    for source in lesson.sources:
        if not re.match(r"https?://[^\s/]+\.[^\s]+$", source):
            found.append(_problem(f"source `{source}` is not a web address", Severity.WARNING, file,
                                  _line_of(text, source, lines.get("sources", 1)), "SRC002"))  # fmt: skip
    if not lesson.questions and lesson.kind == "lesson":
        found.append(Problem("lesson has no quiz questions", Severity.WARNING, file, 1, 0, "Q002"))
    for key in _EXPECTED_KEYS:
        if text and key not in lines:
            found.append(_problem(f"front matter has no `{key}`; every lesson needs one", Severity.WARNING,
                                  file, 1, "FM020"))  # fmt: skip
    for region in lesson.regions:
        if region not in known_regions():
            found.append(_problem(
                f"region `{region}` has no help directory (known: {', '.join(sorted(known_regions()))})",
                Severity.ERROR, file, lines.get("regions", 1), "REG001"))  # fmt: skip
    covered = covered_categories()
    for block in lesson.help_blocks:
        for category in block.covers:
            if covered and category not in covered:
                found.append(_problem(f"no region's help directory has a channel for `{category}`; the box "
                                      "would be empty", Severity.WARNING, file, block.line, "HELP003"))  # fmt: skip
    glossary = _glossary(lesson.path.parent.parent)
    for term_id in lesson.glossary:
        if glossary.term(term_id, lesson.locale) is None:
            found.append(_problem(f"glossary term `{term_id}` has no entry in {glossary.folder}", Severity.WARNING,
                                  file, lines.get("glossary", 1), "GLOSS001"))  # fmt: skip
    for question in lesson.questions:
        found.extend(_review_question(question, file))
    try:
        html = markdown_to_html(lesson.body, file, lesson.body_line)
    except LessonError as exc:
        found.append(exc.problem)
    else:
        found.extend(_check_links(lesson, html, text))
    return found


def _review_question(q: Question, file: str) -> list[Problem]:
    found = []
    if not _QUESTION_ID.fullmatch(q.id):
        found.append(_problem(f"question id `{q.id}` should be lower-case ASCII words joined by hyphens, "
                              "like `guaranteed-return`", Severity.WARNING, file, q.line, "Q003"))  # fmt: skip
    if q.type == "true_false":
        right = next((a for a in q.answers if isinstance(a, Answer) and a.fraction == 1), None)
        wrong = next((a for a in q.answers if isinstance(a, Answer) and a.fraction != 1), None)
        if wrong is not None and not wrong.feedback:
            found.append(_problem(f"`{q.id}` has no feedback for a wrong answer: write {{TRUE#why it is "
                                  "wrong#why it is right}", Severity.WARNING, file, q.line, "FB001"))  # fmt: skip
        if right is not None and not right.feedback:
            found.append(_problem(f"`{q.id}` has no feedback for the right answer (the second `#…`)",
                                  Severity.WARNING, file, q.line, "FB001"))  # fmt: skip
    elif q.type in ("single_choice", "multiple_choice", "short_answer", "numerical"):
        for answer in q.answers:
            if getattr(answer, "feedback", "") or (q.type == "short_answer" and q.general_feedback):
                continue
            label = getattr(answer, "text", None)
            if label is None:
                value = getattr(answer, "value", None)
                label = "any other answer" if value is None else f"{value:g}"
            found.append(_problem(f"answer `{label[:40]}` of `{q.id}` has no feedback: add `#why` after it",
                                  Severity.WARNING, file, q.line, "FB001"))  # fmt: skip
    elif q.type == "matching" and not q.general_feedback:
        found.append(_problem(f"matching question `{q.id}` has no feedback: Moodle has none per pair, so add "
                              "`####general feedback` before the closing }", Severity.WARNING, file, q.line,
                              "FB002"))  # fmt: skip
    return found


def _line_of(text: str, needle: str, default: int) -> int:
    """The line where *needle* first occurs at or after line *default*."""
    start = 0
    for _ in range(default - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return default
    at = text.find(needle, start)
    return text.count("\n", 0, at) + 1 if at >= 0 else default


class _Targets(HTMLParser):
    """Links, images and heading anchors in the rendered (sanitized) body."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"])
        if tag == "img" and values.get("src") is not None:
            self.images.append(values["src"])
        for key in ("id", "name"):
            if values.get(key):
                self.anchors.add(values[key])


def _raw_targets(body: str) -> tuple[list[str], list[str]]:
    """Link and image targets as the author wrote them (before the sanitizer drops some)."""
    import markdown

    parser = _Targets()
    parser.feed(markdown.markdown(body, extensions=["tables", "fenced_code", "toc", "sane_lists"]))
    return parser.links, parser.images


def _check_links(lesson: Lesson, html: str, text: str) -> list[Problem]:
    found = []
    file = str(lesson.path)
    shown = _Targets()
    shown.feed(html)
    links, images = _raw_targets(lesson.body)
    for target in links:
        line = _line_of(text, target, lesson.body_line)
        parts = urlsplit(target)
        if parts.scheme in ("https", "mailto"):
            continue
        if parts.scheme or target.startswith("//"):
            found.append(_problem(f"link to `{target}` is removed: lessons may link only to https:// "
                                  "addresses or to a heading (#…)", Severity.ERROR, file, line, "LINK001"))  # fmt: skip
        elif not parts.path and parts.fragment:
            if unquote(parts.fragment) not in shown.anchors:
                known = ", ".join(f"#{a}" for a in sorted(shown.anchors)) or "none"
                found.append(_problem(f"link to `#{parts.fragment}` leads to no heading in this lesson "
                                      f"(headings: {known})", Severity.ERROR, file, line, "LINK002"))  # fmt: skip
        else:
            exists = (lesson.path.parent / unquote(parts.path)).exists()
            why = "is not a file beside the lesson" if not exists else "is a file, and Lantern does not open files from a lesson"
            found.append(_problem(f"link to `{target}` {why}: link to a heading (#…) or an https:// address",
                                  Severity.ERROR, file, line, "LINK003"))  # fmt: skip
    root = lesson.path.parent.parent.resolve()
    for src in images:
        line = _line_of(text, src, lesson.body_line)
        parts = urlsplit(src)
        if parts.scheme or src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
            found.append(_problem(f"image `{src}` is not shown: images must be files beside the lesson, "
                                  "given by a relative path", Severity.ERROR, file, line, "IMG002"))  # fmt: skip
            continue
        path = (lesson.path.parent / unquote(parts.path)).resolve()
        if not path.is_relative_to(root):
            found.append(_problem(f"image `{src}` is outside the lessons folder and is not shown",
                                  Severity.ERROR, file, line, "IMG002"))  # fmt: skip
        elif not path.is_file():
            found.append(_problem(f"image `{src}` not found", Severity.ERROR, file, line, "IMG001"))
    return found


@lru_cache(maxsize=4)
def _help_directory(help_dir: Path) -> tuple[frozenset, frozenset]:
    regions, categories = set(), set()
    for toml in help_dir.glob("*.toml"):
        regions.add(toml.stem)
        try:
            data = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for channel in data.get("channels", []):
            if isinstance(channel, dict):
                categories.update(c for c in channel.get("covers", []) if isinstance(c, str))
    return frozenset(regions), frozenset(categories)


@lru_cache(maxsize=4)
def _glossary(lessons_root: Path):
    """The glossary beside the checked lessons, else the bundled one (which the app uses for packs)."""
    from app.content.glossary import Glossary

    folder = lessons_root / "glossary"
    return Glossary.load(folder if folder.is_dir() else paths.lessons_dir() / "glossary")


def known_regions() -> frozenset:
    """Regions with a help directory (``lessons/help/<REGION>.toml``)."""
    return _help_directory(paths.help_dir())[0]


def covered_categories() -> frozenset:
    """Help categories that at least one region's directory has a channel for."""
    return _help_directory(paths.help_dir())[1]


def _check_file(path: Path) -> list[Problem]:
    try:
        if path.name.startswith("_track."):
            return list(load_track(path).problems)
        lesson = load_lesson(path)
    except LessonError as exc:
        return [exc.problem]
    return list(lesson.problems) + _review(lesson)


# ------------------------------------------------------------------ translations


def _correct_answers(q: Question) -> tuple:
    """What must not change in a translation: the weights in order, the pair count."""
    if q.type == "numerical":
        return (len(q.answers),)
    if q.type == "matching":
        return (sum(1 for p in q.answers if isinstance(p, MatchPair) and p.text),)
    if q.type == "short_answer":
        return ()  # accepted wordings differ from language to language
    return tuple(round(getattr(a, "fraction", 0.0), 5) for a in q.answers)


def _compare_questions(source: Lesson, lesson: Lesson) -> list[Problem]:
    found = []
    file = str(lesson.path)
    source_ids = [q.id for q in source.questions]
    ids = [q.id for q in lesson.questions]
    if ids != source_ids:
        missing = sorted(set(source_ids) - set(ids))
        extra = sorted(set(ids) - set(source_ids))
        detail = "; ".join(
            part for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"not in the source: {', '.join(extra)}" if extra else "",
                "in a different order" if not missing and not extra else "",
            ) if part
        )  # fmt: skip
        found.append(Problem(f"questions differ from {source.path.name}: {detail}",
                             Severity.ERROR, file, 1, 0, "TR001"))  # fmt: skip
    by_id = {q.id: q for q in source.questions}
    for q in lesson.questions:
        original = by_id.get(q.id)
        if original is None:
            continue
        if (q.type, q.missing_word) != (original.type, original.missing_word):
            kind = lambda x: x.type.replace("_", " ") + (" (missing word)" if x.missing_word else "")  # noqa: E731
            found.append(_problem(f"`{q.id}` is a {kind(q)} question here but a {kind(original)} question in "
                                  f"{source.path.name}", Severity.ERROR, file, q.line, "TR002"))  # fmt: skip
        elif _correct_answers(q) != _correct_answers(original):
            found.append(_problem(f"`{q.id}` has different answers or weights than in {source.path.name}: keep "
                                  "the same answers, in the same order, with the same weights", Severity.ERROR,
                                  file, q.line, "TR003"))  # fmt: skip
    return found


def _compare_front_matter(source: Lesson, lesson: Lesson) -> list[Problem]:
    found = []
    try:
        lines = _key_lines(read_text(lesson.path))
    except LessonError:
        lines = {}
    for key in _SHARED_KEYS:
        ours, theirs = getattr(lesson, key), getattr(source, key)
        if ours != theirs:
            found.append(_problem(f"`{key}` is {ours} here but {theirs} in {source.path.name}; it must be the "
                                  "same in every language", Severity.ERROR, lesson.path, lines.get(key, 1),
                                  "TR006"))  # fmt: skip
    return found


def _stale(item, source) -> Problem | None:
    if not item.translated_from:
        return None
    try:
        text = read_text(item.path)
        current = getattr(source, "content_hash", "") or content_hash(read_text(source.path))
    except LessonError:
        return None
    if item.translated_from == current:
        return None
    return _problem(f"translation is out of date: {source.path.name} changed after it was translated (record "
                    f"`translated_from: {current}` once it is updated)", Severity.WARNING, item.path,
                    _key_lines(text).get("translated_from", 1), "TR005")  # fmt: skip


def _track_locales(library: Library) -> dict[str, set[str]]:
    """Languages each track is offered in: its track files' and its lessons' languages."""
    found: dict[str, set[str]] = {track_id: set(variants) for track_id, variants in library.tracks.items()}
    for lesson_id, track_id in library.lesson_track.items():
        found.setdefault(track_id, set()).update(library.lessons[lesson_id])
    return found


def _missing(offered: set[str], present) -> list[str]:
    """Offered languages a learner would not get: neither the tag nor a parent of it is present.

    A regional variant (es-MX, zh-Hant-HK) is optional: without it the learner gets es or zh-Hant.
    """
    missing = {tag for tag in offered if not any(t in present for t in fallback_chain(tag, final="") if t)}
    # "no es" already says it: no separate "no es-MX" as well.
    return sorted(tag for tag in missing if not any(t in missing for t in fallback_chain(tag, final="")[1:]))


def _check_translations(library: Library) -> list[Problem]:
    found = []
    offered = _track_locales(library)
    for lesson_id, variants in library.lessons.items():
        source = variants.get(SOURCE_LOCALE)
        if source is None:
            sample = next(iter(variants.values()))
            found.append(_problem(f"lesson `{sample.id}` has no {SOURCE_LOCALE} source file; translations are "
                                  f"made from {sample.id}.{SOURCE_LOCALE}.md", Severity.WARNING, sample.path, 1,
                                  "TR007"))  # fmt: skip
            continue
        # A track offered in a language should have every lesson in it.
        for locale in _missing(offered.get(library.lesson_track[lesson_id], set()), variants):
            found.append(_problem(f"no {locale} translation ({source.path.stem.split('.')[0]}.{locale}.md is "
                                  f"missing) although the track is offered in {locale}", Severity.WARNING,
                                  source.path, 1, "TR004"))  # fmt: skip
        for locale, lesson in variants.items():
            if locale == SOURCE_LOCALE:
                continue
            found.extend(_compare_questions(source, lesson))
            found.extend(_compare_front_matter(source, lesson))
            stale = _stale(lesson, source)
            if stale:
                found.append(stale)
    for track_id, variants in library.tracks.items():
        source = variants.get(SOURCE_LOCALE)
        if source is None:
            continue
        for locale in _missing(offered.get(track_id, set()), variants):
            found.append(_problem(f"no {locale} translation of the track (_track.{locale}.md is missing) "
                                  f"although some of its lessons are in {locale}", Severity.WARNING, source.path, 1,
                                  "TR004"))  # fmt: skip
        for locale, track in variants.items():
            stale = _stale(track, source) if locale != SOURCE_LOCALE else None
            if stale:
                found.append(stale)
    return found


# ------------------------------------------------------------------ entry point


def check_paths(paths_: list[Path]) -> list[Problem]:
    """Every problem in the given files and folders, sorted by file and line.

    A folder holding ``_track.*.md`` is one track (checked against its own
    files); any other folder is a lessons root with one sub-folder per track.
    """
    problems: list[Problem] = []
    for path in paths_:
        if path.is_dir() and any(path.glob("_track.*.md")):
            for f in sorted(path.glob("*.md")):
                problems.extend(_check_file(f))
            library = Library.load(path.parent)
            problems.extend(p for p in library.broken if p.code == "ID001" and Path(p.file).parent == path)
            problems.extend(p for p in _check_translations(library) if Path(p.file).parent == path)
        elif path.is_dir():
            for f in sorted(path.rglob("*.md")):
                if f.relative_to(path).parts[0] == "help":
                    continue
                problems.extend(_check_file(f))
            library = Library.load(path)
            problems.extend(p for p in library.broken if p.code == "ID001")
            if (path / "glossary").is_dir():
                problems.extend(_glossary(path).problems)
            problems.extend(_check_translations(library))
        else:
            problems.extend(_check_file(path))
    # Same problem reached twice (file and library pass): report once.
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file, p.line, p.column, p.code))
