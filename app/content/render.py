"""Lesson Markdown → HTML that is safe for Qt's rich-text viewer.

python-markdown does not sanitize, and lesson files are untrusted input, so its
output always passes through nh3 with an allow-list of what ``QTextBrowser``
can display. Links are limited to https, mailto, relative and ``#``; images
must be relative (the viewer decides which files it will actually read).
"""

from __future__ import annotations

import html
import re
from typing import Callable

import nh3

from app.content.lesson import HELP_MARKER, HelpBlock, Lesson
from app.content.markup import expand
from app.content.problems import LessonError, Problem

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "name"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "div": {"class"},
    "span": {"class"},
    "table": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}  # fmt: skip
URL_SCHEMES = {"https", "mailto"}

# python-markdown's cost grows with the square of nested brackets and it
# recurses per nesting level; these bounds keep every render fast and safe.
MAX_BODY_CHARS = 200_000
MAX_NESTING = 16
MAX_BRACKETS = 2_000

_NEST_RE = re.compile(r"^((?:\s*(?:>|[-*+]\s|\d+[.)]\s))*)")


def check_limits(text: str, file: str = "", first_line: int = 1) -> None:
    """Raise LessonError when *text* is beyond what we render safely."""
    if len(text) > MAX_BODY_CHARS:
        raise LessonError(
            Problem(
                f"lesson text has {len(text):,} characters; the limit is {MAX_BODY_CHARS:,}",
                file=file,
                line=first_line,
                code="MD002",
            )
        )
    brackets = text.count("[") + text.count("(")
    if brackets > MAX_BRACKETS:
        raise LessonError(
            Problem(
                f"lesson text has {brackets} brackets; the limit is {MAX_BRACKETS}",
                file=file,
                line=first_line,
                code="MD003",
            )
        )
    for number, line in enumerate(text.split("\n"), start=first_line):
        depth = _nesting_depth(line)
        if depth > MAX_NESTING:
            raise LessonError(
                Problem(
                    f"lists or quotes are nested {depth} levels deep; the limit is {MAX_NESTING}",
                    file=file,
                    line=number,
                    code="MD004",
                )
            )


def _nesting_depth(line: str) -> int:
    """Quote markers, list markers and 4-space indents at the start of *line*."""
    prefix = _NEST_RE.match(line).group(1)
    markers = len(re.findall(r">|[-*+]\s|\d+[.)]\s", prefix))
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
    return markers + indent // 4


def sanitize(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def markdown_to_html(text: str, file: str = "", first_line: int = 1) -> str:
    import markdown  # lazy: only screens that render lessons pay for it

    check_limits(text, file, first_line)
    try:
        raw = markdown.markdown(
            text,
            extensions=["tables", "fenced_code", "toc", "sane_lists"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
    except RecursionError:
        raise LessonError(
            Problem("lesson text is nested too deeply to display", file=file, line=first_line, code="MD004")
        )
    return sanitize(raw)


def render_lesson(
    lesson: Lesson, help_html: Callable[[HelpBlock], str] | None = None, region: str | None = None
) -> str:
    """The lesson page as sanitized HTML: title, objectives, body, help blocks.

    This is exactly what the viewer shows (``lantern lessons render`` prints
    it). *help_html* turns a help block into (already safe) HTML; without it a
    neutral box says that regional help goes here.
    """
    from app.i18n import _

    text, first_line = lesson.body, lesson.body_line
    # The title is shown once, above the objectives, even if the body opens with it.
    lines = text.split("\n")
    if lines and lines[0].startswith("# "):
        text, first_line = "\n".join(lines[1:]), first_line + 1
    header = f"<h1>{html.escape(lesson.title)}</h1>"
    if lesson.objectives:
        items = "".join(f"<li>{html.escape(o)}</li>" for o in lesson.objectives)
        header += f"<p><b>{html.escape(_('In this lesson you will:'))}</b></p><ul>{items}</ul><hr/>"
    text = expand(text, lesson.locale, region)
    body = header + markdown_to_html(text, str(lesson.path), first_line)
    for index, block in enumerate(lesson.help_blocks):
        marker = HELP_MARKER.format(index=index)
        box = help_html(block) if help_html else placeholder_help_box(block)
        body = body.replace(f"<p>{marker}</p>", box).replace(marker, box)
    return body


def placeholder_help_box(block: HelpBlock) -> str:
    from app.i18n import _

    title = html.escape(_("Help for your region"))
    text = html.escape(_("Official places to ask for help or complain will be listed here."))
    return (
        '<table class="help" width="100%" cellpadding="12" border="1"><tr><td>'
        f"<b>{title}</b><br/>{text}</td></tr></table>"
    )


def question_html(text: str, fmt: str, language: str = "en", region: str | None = None) -> str:
    """A question or feedback text in its GIFT format, as safe HTML."""
    text = expand(text, language, region)
    if fmt == "markdown":
        return markdown_to_html(text)
    if fmt in ("html", "moodle"):
        # Moodle's "moodle auto-format" keeps HTML and turns newlines into breaks.
        return sanitize(text.replace("\n", "<br/>") if fmt == "moodle" else text)
    return html.escape(text).replace("\n", "<br/>")
