"""Lesson Markdown → HTML that is safe for Qt's rich-text viewer.

python-markdown does not sanitize, and lesson files are untrusted input, so its
output always passes through nh3 with an allow-list of what ``QTextBrowser``
can display. Links are limited to https, mailto, relative and ``#``; images
must be relative (the viewer decides which files it will actually read).
"""

from __future__ import annotations

import html
import re
import secrets
from html.parser import HTMLParser
from typing import Callable

import nh3

from app.content.lesson import HELP_MARKER, HelpBlock, Lesson
from app.content.markup import expand
from app.i18n import is_rtl
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

# Input limits, chosen by measurement (benchmarks/markdown_limits.py prints the
# figures; docs/security.md explains them). python-markdown's link matching
# costs time with the square of the "[" in one paragraph, its list parser
# recurses (and slows down) with every nesting level, nh3 slows down with the
# square of raw HTML nesting, and a short reference link can expand into
# megabytes of HTML. Every bound is far above what a real lesson uses.
MAX_BODY_CHARS = 200_000
MAX_BRACKETS_PER_PARAGRAPH = 200
MAX_BRACKETS = 2_000
MAX_NESTING = 16
MAX_HTML_TAGS = 1_000
MAX_HTML_CHARS = 2_000_000
# Attributes that make Qt allocate or lay out in proportion to their value.
MAX_IMAGE_SIDE = 4_000
MAX_TABLE_SPAN = 100

# What starts a container on a line: a quote marker or a list marker.
_CONTAINER_RE = re.compile(r">|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")
_RAW_TAG_RE = re.compile(r"<[A-Za-z]")
_BLANK_RE = re.compile(r"[ \t]*")


def _limit(message: str, file: str, line: int, code: str) -> LessonError:
    return LessonError(Problem(message, file=file, line=line, code=code))


def check_limits(text: str, file: str = "", first_line: int = 1) -> None:
    """Raise LessonError when *text* is beyond what we render quickly and safely.

    One pass over the lines; the problem names the line where the limit is crossed.
    """
    if len(text) > MAX_BODY_CHARS:
        raise _limit(f"lesson text has {len(text):,} characters; the limit is {MAX_BODY_CHARS:,}",
                     file, first_line, "MD002")  # fmt: skip
    total = paragraph = tags = 0
    paragraph_line = first_line
    for number, line in enumerate(text.split("\n"), start=first_line):
        if _BLANK_RE.fullmatch(line):
            paragraph = 0
            continue
        if paragraph == 0:
            paragraph_line = number
        count = line.count("[")
        paragraph += count
        total += count
        if paragraph > MAX_BRACKETS_PER_PARAGRAPH:
            raise _limit(f"the paragraph starting on line {paragraph_line} has more than "
                         f"{MAX_BRACKETS_PER_PARAGRAPH} `[`; split it with blank lines",
                         file, number, "MD003")  # fmt: skip
        if total > MAX_BRACKETS:
            raise _limit(f"lesson text has more than {MAX_BRACKETS:,} `[`; split the lesson",
                         file, number, "MD003")  # fmt: skip
        depth = _nesting_depth(line)
        if depth > MAX_NESTING:
            raise _limit(f"lists, quotes or indentation are nested {depth} levels deep; the limit is {MAX_NESTING}",
                         file, number, "MD004")  # fmt: skip
        tags += len(_RAW_TAG_RE.findall(line))
        if tags > MAX_HTML_TAGS:
            raise _limit(f"lesson text has more than {MAX_HTML_TAGS:,} HTML tags; write it in Markdown",
                         file, number, "MD005")  # fmt: skip


def _nesting_depth(line: str) -> int:
    """Containers *line* opens: quote and list markers, plus every 4 columns of
    indentation before or between them (python-markdown nests on both)."""
    line = line.expandtabs(4)
    depth = pos = 0
    while True:
        start = pos
        while pos < len(line) and line[pos] == " ":
            pos += 1
        depth += (pos - start) // 4
        marker = _CONTAINER_RE.match(line, pos)
        if marker is None:
            return depth
        depth += 1
        pos = marker.end()


def _local_path(value: str) -> bool:
    """A relative path inside the lesson's folder tree: no scheme, host, drive or root."""
    return bool(value) and not value.startswith(("/", "\\")) and "\\" not in value and not re.match(
        r"^[^/?#]*:", value
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 hook: drop URLs and sizes the viewer must never act on."""
    if attribute == "src":
        return value if _local_path(value) else None  # never remote, absolute or data:
    if attribute == "href":
        lower = value.lower()
        return value if lower.startswith(("https:", "mailto:", "#")) or _local_path(value) else None
    if attribute in ("width", "height"):
        return value if re.fullmatch(r"\d{1,4}%?", value) and int(value.rstrip("%")) <= MAX_IMAGE_SIDE else None
    if attribute in ("colspan", "rowspan"):
        return value if re.fullmatch(r"\d{1,3}", value) and 1 <= int(value) <= MAX_TABLE_SPAN else None
    return value


def sanitize(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _markdown(text: str):
    import markdown  # lazy: only screens that render lessons pay for it

    return markdown.Markdown(
        extensions=["tables", "fenced_code", "toc", "sane_lists"],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )


def markdown_to_html(text: str, file: str = "", first_line: int = 1) -> str:
    """Lesson Markdown as sanitized HTML, or LessonError with the line that is too much."""
    check_limits(text, file, first_line)
    try:
        raw = _markdown(text).convert(text)
    except RecursionError:
        raise _limit("lesson text is nested too deeply to display", file, first_line, "MD004")
    if len(raw) > MAX_HTML_CHARS:
        raise _limit(f"lesson text expands to {len(raw):,} characters of HTML (the limit is {MAX_HTML_CHARS:,}); "
                     "a reference link repeated many times does this", file, first_line, "MD006")  # fmt: skip
    return sanitize(raw)


class _RawTags(HTMLParser):
    """Tags and attributes in an author's raw HTML that the sanitizer removes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed: list[tuple[str, str]] = []  # (tag, attribute or "")

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.removed.append((tag, ""))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name == "class":  # dropped silently: fenced code carries one, and it does nothing
                continue
            if name not in allowed or _filter_attribute(tag, name, value or "") is None:
                self.removed.append((tag, name))


def removed_markup(text: str, file: str = "", first_line: int = 1) -> list[Problem]:
    """One error for each raw HTML tag or attribute that the viewer will not get.

    Only the author's own HTML is looked at (what python-markdown passes through
    untouched); Markdown links and images are the checker's (LINK…, IMG…).
    """
    if not _RAW_TAG_RE.search(text):
        return []
    try:
        check_limits(text, file, first_line)
        md = _markdown(text)
        md.convert(text)
    except (LessonError, RecursionError):
        return []  # rendering reports this with its own code
    parser = _RawTags()
    for block in md.htmlStash.rawHtmlBlocks:
        parser.feed(str(block))
    parser.close()
    problems, seen = [], set()
    lines = text.split("\n")
    for tag, attribute in parser.removed:
        if (tag, attribute) in seen:
            continue
        seen.add((tag, attribute))
        if attribute:
            pattern = re.compile(rf"<{re.escape(tag)}\b[^>]*\b{re.escape(attribute)}\b", re.IGNORECASE)
            message = (f"attribute `{attribute}` of <{tag}> is removed: lessons may not use "
                       "scripts, styles or outside addresses")  # fmt: skip
            code = "HTML002"
        else:
            pattern = re.compile(rf"<{re.escape(tag)}\b", re.IGNORECASE)
            message = f"HTML tag <{tag}> is removed: lessons may use Markdown and simple HTML only"
            code = "HTML001"
        line = next((i for i, text_line in enumerate(lines) if pattern.search(text_line)), 0)
        problems.append(Problem(message, file=file, line=first_line + line, code=code))
    return sorted(problems, key=lambda p: p.line)


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
        label = html.escape(_("In this lesson you will:"))
        header += f"<p><b>{label}</b></p><ul>{items}</ul><hr/>"
    text = expand(text, lesson.locale, region)
    # The help markers become a secret token only where the loader put them (a
    # line of their own), so marker text written by the author, in a link
    # address for instance, can never be swapped for a box.
    token = secrets.token_hex(8)
    markers = [HELP_MARKER.format(index=index) for index in range(len(lesson.help_blocks))]
    text = "\n".join(f"{line}-{token}" if line in markers else line for line in text.split("\n"))
    body = header + present_tables(markdown_to_html(text, str(lesson.path), first_line), is_rtl(lesson.locale))
    for marker, block in zip(markers, lesson.help_blocks):
        box = help_html(block) if help_html else placeholder_help_box(block)
        body = body.replace(f"<p>{marker}-{token}</p>", box).replace(f"{marker}-{token}", "")
    return body


_ROW_RE = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL_RE = re.compile(r"<t([hd])([^>]*)>(.*?)</t\1>", re.S)


def present_tables(body: str, rtl: bool) -> str:
    """Give Markdown tables visible cell borders, and right-to-left column order for RTL.

    Qt's rich-text layout always puts a table's first column on the left, so for
    Arabic the cells of each row are written in reverse: the first column of
    the lesson's table then stands on the right, where an Arabic reader starts.
    """
    body = body.replace("<table>", '<table border="1" cellspacing="0" cellpadding="6" width="100%">')
    if not rtl:
        return body

    def reverse(row: re.Match) -> str:
        inner = row.group(1)
        if "<table" in inner:
            return row.group(0)  # a nested table: leave it as written
        cells = [c.group(0) for c in _CELL_RE.finditer(inner)]
        return "<tr>" + "".join(reversed(cells)) + "</tr>" if cells else row.group(0)

    return _ROW_RE.sub(reverse, body)


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
