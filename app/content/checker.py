"""``lantern lessons check``: every problem a reviewer would point out.

Per-file problems come from the loader and the GIFT parser; this module adds
the checks that need more than one file (translations, duplicate ids) and the
review rules that make a lesson good rather than merely readable.
"""

from __future__ import annotations

from pathlib import Path

from app.content.catalog import Library
from app.content.lesson import Lesson, load_lesson, load_track
from app.content.problems import LessonError, Problem, Severity
from app.content.render import markdown_to_html
from app.i18n import SOURCE_LOCALE


def _review(lesson: Lesson) -> list[Problem]:
    """Rules for a publishable lesson, beyond what parsing enforces."""
    found = []
    file = str(lesson.path)
    if lesson.kind == "lesson" and not lesson.sources:
        found.append(Problem("lesson has no `sources`; list where its facts come from",
                             Severity.WARNING, file, 1, 0, "SRC001"))  # fmt: skip
    if not lesson.questions and lesson.kind == "lesson":
        found.append(Problem("lesson has no quiz questions", Severity.WARNING, file, 1, 0, "Q002"))
    try:
        markdown_to_html(lesson.body, file, lesson.body_line)
    except LessonError as exc:
        found.append(exc.problem)
    return found


def _check_file(path: Path) -> list[Problem]:
    try:
        if path.name.startswith("_track."):
            return list(load_track(path).problems)
        lesson = load_lesson(path)
    except LessonError as exc:
        return [exc.problem]
    return list(lesson.problems) + _review(lesson)


def _check_translations(library: Library) -> list[Problem]:
    found = []
    for lesson_id, variants in library.lessons.items():
        source = variants.get(SOURCE_LOCALE)
        if source is None:
            continue
        source_ids = [q.id for q in source.questions]
        for locale, lesson in variants.items():
            if locale == SOURCE_LOCALE:
                continue
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
                                     Severity.ERROR, str(lesson.path), 1, 0, "TR001"))  # fmt: skip
    return found


def check_paths(paths: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and any(path.glob("_track.*.md")):
            # One track folder: its files, checked against its siblings.
            for f in sorted(path.glob("*.md")):
                problems.extend(_check_file(f))
            library = Library.load(path.parent)
            problems.extend(p for p in _check_translations(library) if Path(p.file).parent == path)
        elif path.is_dir():
            for f in sorted(path.rglob("*.md")):
                if f.relative_to(path).parts[0] == "help":
                    continue
                problems.extend(_check_file(f))
            library = Library.load(path)
            problems.extend(p for p in library.broken if p.code == "ID001")
            problems.extend(_check_translations(library))
        else:
            problems.extend(_check_file(path))
    # Same problem reached twice (file and library pass): report once.
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file, p.line, p.column))
