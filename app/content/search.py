"""Search the lessons a learner can read: titles, summaries, text and quiz questions.

No Qt here; the search screen and ``lantern search`` both call :meth:`SearchIndex.search`.

How text is matched (docs/search-and-glossary.md explains it for educators):

- Every text is *folded* before it is indexed and every query before it is run:
  compatibility forms are unified (full-width ``Ｐ２Ｐ`` → ``p2p``), accents and
  other combining marks are removed (``crédito`` → ``credito``), case is
  folded, and Arabic is normalised the usual way for search: tashkeel and
  tatweel removed, alef forms (أ إ آ ٱ) → ا, hamza carriers ؤ ئ → و ي,
  ى → ي, ة → ه, Arabic-Indic digits → 0-9. Folding is done per character, so a
  match in folded text maps back to the exact original characters for the
  snippet and for finding the match in the lesson viewer.
- Queries in Latin, Greek or Cyrillic letters match *words that start with*
  each query word (FTS5 ``unicode61``), so "fee" finds "fees" but not "coffee".
- Any other query (Chinese, Arabic, mixed) matches *anywhere in the text*:
  Chinese has no spaces between words and Arabic joins "the", "and", "with"
  to the word. Query words of 3+ characters use the FTS5 ``trigram`` index;
  shorter ones (骗局 is two characters) are found with ``instr`` over the
  folded text, which takes about a millisecond for the whole bundled course.

Which version is searched follows the lesson viewer: for each lesson the
learner can see, exactly the language version :meth:`Library.lesson` picks
(zh-Hant-HK → zh-Hant → en), so an English lesson is searched only when it has
no translation in the learner's language.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from app.content.catalog import Library
from app.content.lesson import HELP_MARKER, Lesson
from app.content.markup import expand
from app.content.problems import LessonError
from app.content.render import markdown_to_html, question_html

FIELDS = ("title", "summary", "body", "questions")
# bm25 column weights: a word in the title says more than the same word in the text.
_WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.0, "questions": 2.0}
# The field a snippet is taken from, in order of preference (the title is shown anyway).
_SNIPPET_FIELDS = ("body", "summary", "questions")
TRIGRAM = 3  # the trigram index cannot look up shorter query words
SNIPPET_WIDTH = 120  # in "narrow character" units; a Chinese character counts as two
MAX_RESULTS = 50

# ------------------------------------------------------------------ folding

_ARABIC = {
    "\u0671": "\u0627",  # alef wasla → alef (أ إ آ lose their hamza/madda as combining marks)
    "\u0649": "\u064a",  # alef maqsura → ya
    "\u0629": "\u0647",  # taa marbuta → ha
    "\u0640": "",  # tatweel (stretching)
}
_ARABIC.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠١٢ → 012
_ARABIC.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰۱۲ → 012


@lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    if ch < "\x80":
        return ch.lower()
    if ch in _ARABIC:
        return _ARABIC[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_ARABIC.get(c, c) for c in kept.casefold())


class _FoldTable(dict):
    """``str.translate`` table of :func:`_fold_char`, filled in as characters are first met.

    Folding a text is then one C-speed ``translate``; a character seen for the first
    time costs one ``_fold_char`` call. Characters that fold to zero or several
    characters are remembered, so a text without them maps positions one to one.
    """

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(folded) != 1:
            _IRREGULAR.add(chr(code))
        _MET.add(chr(code))
        self[code] = folded
        return folded


_MET: set[str] = set()  # characters folded so far
_IRREGULAR: set[str] = set()  # those of them that do not fold to exactly one character
_FOLD = _FoldTable()


def _one_to_one(text: str) -> bool:
    """True when every character of *text* folds to exactly one character."""
    for ch in set(text).difference(_MET):  # characters met for the first time (a stored index was not
        _FOLD[ord(ch)]  # folded in this process): fold each once
    return _IRREGULAR.isdisjoint(text)


def fold(text: str) -> str:
    """*text* as it is indexed and matched: no case, accents, tashkeel or width differences."""
    return text.lower() if text.isascii() else text.translate(_FOLD)  # ASCII folds by lower() alone


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Folded *text* and, for each folded character, the index of the original one."""
    parts, origin = [], []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


class _Origin:
    """``origin[i]`` of :func:`_fold_map` for *text*, without folding it character by character.

    Positions are mapped line by line: a line break folds to itself and nothing
    else folds to one, so folded line *k* is original line *k*. On a line whose
    characters each fold to exactly one (any ASCII text, most others) positions
    are the same; only other lines are folded character by character.
    """

    def __init__(self, text: str, folded: str):
        self.text, self.folded = text, folded
        self.same = text.isascii()  # ASCII folds by lower(): one to one
        self._starts: list[int] | None = None  # where each line of *text* starts
        self._lines: dict[int, list[int] | None] = {}  # None: the line maps one to one

    def __getitem__(self, index: int) -> int:
        if self.same:
            return index
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        number = self.folded.count("\n", 0, index)
        local = index - (self.folded.rfind("\n", 0, index) + 1)
        start = self._starts[number]
        if number not in self._lines:
            end = self.text.find("\n", start)
            line_text = self.text[start:] if end < 0 else self.text[start:end]
            self._lines[number] = None if _one_to_one(line_text) else _fold_map(line_text)[1]
        line = self._lines[number]
        if line is None:
            return start + local  # (the line break after the line, when *local* is the line's length)
        return start + line[local] if local < len(line) else self._starts[number + 1] - 1  # the line break


def _original_span(text: str, origin, start: int, end: int) -> tuple[int, int]:
    """Folded span → span of *text*, including marks that folded to nothing (é written as e + ́)."""
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and _fold_char(text[last]) == "":
        last += 1
    return first, last


# ------------------------------------------------------------------ plain text


class _Text(HTMLParser):
    """The text a reader sees in sanitized lesson HTML, one line per block."""

    _BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dt", "dd",
               "blockquote", "pre", "div", "table", "ul", "ol", "dl", "hr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


# Simple Markdown: blank-line separated paragraphs, "#" headings and "- " lists of plain text.
# Anything else (emphasis, links, code, HTML, entities, escapes, tables, indentation, other
# block markers) is rendered for real. Every line break that str.splitlines knows but
# Markdown does not is refused too, and every control character.
_NOT_SIMPLE = re.compile("[\\\\`*_\\[\\]<>&!|~\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
_HEADING = re.compile(r"#{1,6} ([^#]+)")
_ITEM = re.compile(r"- (.+)")
_BLOCK_MARK = re.compile(r"[-+*#>=]|\d+[.)]|\s")  # starts a list, heading, quote, rule, code…: not a paragraph
_COLLAPSE = re.compile(r"[ \t\r\n]+")


def _simple_markdown_text(text: str) -> str | None:
    """``html_text(markdown_to_html(text))`` for simple Markdown, without rendering it; None if not simple.

    tests/test_search_reference.py compares it with the real rendering.
    """
    from app.content.render import MAX_BODY_CHARS

    if len(text) > MAX_BODY_CHARS or _NOT_SIMPLE.search(text):
        return None
    if text.startswith(" ") or text.endswith(" ") or " \n" in text or "\n " in text:
        return None  # a line that starts or ends with a space (tabs are refused above)
    out = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("#"):
            heading = _HEADING.fullmatch(first)
            if heading is None or len(lines) > 1:
                return None
            out.append(heading.group(1))
        elif first.startswith("- "):
            for line in lines:
                item = _ITEM.fullmatch(line)
                if item is None or _BLOCK_MARK.match(item.group(1)):
                    return None
                out.append(item.group(1))
        elif any(_BLOCK_MARK.match(line) for line in lines):
            return None
        else:
            out.append(" ".join(lines))
    # Lines hold no tab or line break here: only runs of spaces are left to collapse.
    stripped = ((_COLLAPSE.sub(" ", line) if "  " in line else line).strip() for line in out)
    return "\n".join(line for line in stripped if line)


_MARKUP_CHARS = re.compile(r"[<&{]")  # a question text without them is plain text already
_HELP_LINE = re.compile("(?m)^" + re.escape(HELP_MARKER.split("{")[0]) + r"\d+$")


def body_markdown(lesson: Lesson) -> str:
    """The Markdown of the lesson text the viewer renders below the title, without the help boxes."""
    text = lesson.body
    lines = text.split("\n")
    if lines and lines[0].startswith("# "):  # the viewer shows the title once, from the front matter
        text = "\n".join(lines[1:])
    return _HELP_LINE.sub("", expand(text, lesson.locale))


def lesson_texts(lesson: Lesson) -> dict[str, str]:
    """What is indexed for one language version of a lesson, field by field, as plain text.

    The body is rendered the way the viewer renders it (Markdown, then the
    sanitizer) so that a match can be found again in the viewer's text.
    """
    text = body_markdown(lesson)
    body = _simple_markdown_text(text)
    if body is None:
        try:
            body = html_text(markdown_to_html(text))
        except LessonError:
            body = ""  # the viewer cannot show it either
    questions = []
    for q in lesson.questions:
        parts = [q.text + (" " + q.text_after if q.text_after else "")]
        if q.type in ("single_choice", "multiple_choice"):
            parts.extend(a.text for a in q.answers)
        elif q.type == "matching":
            parts.extend(f"{p.text} {p.match}".strip() for p in q.answers)
        for part in parts:
            if q.format != "markdown" and not _MARKUP_CHARS.search(part):
                questions.append(part.strip())  # plain text already: skip the HTML round trip
                continue
            try:
                questions.append(html_text(question_html(part, q.format, lesson.locale)))
            except LessonError:
                continue
    return {
        "title": lesson.title,
        "summary": lesson.summary,
        "body": "\n".join([*lesson.objectives, body]).strip(),
        "questions": "\n".join(q for q in questions if q),
    }


# ------------------------------------------------------------------ results


@dataclass
class SearchResult:
    lesson_id: str
    track: str
    locale: str  # the language version that was searched and matched
    is_fallback: bool  # not the learner's language (no translation yet)
    title: str
    title_spans: list[tuple[int, int]]
    field: str  # where the snippet comes from: body, summary, questions (or title)
    snippet: str
    snippet_spans: list[tuple[int, int]]
    find: str  # the first match in the lesson text exactly as written, for the viewer; "" if none
    score: float = 0.0

    def marked(self, text: str | None = None, spans=None, start: str = "[", end: str = "]") -> str:
        """The snippet (or *text*) with each match between *start* and *end*."""
        text = self.snippet if text is None else text
        spans = self.snippet_spans if spans is None else spans
        out, at = [], 0
        for a, b in spans:
            out += [text[at:a], start, text[a:b], end]
            at = b
        out.append(text[at:])
        return "".join(out)

    def to_json(self) -> dict:
        return {
            "lesson": self.lesson_id,
            "track": self.track,
            "locale": self.locale,
            "fallback": self.is_fallback,
            "title": self.title,
            "title_highlights": [list(s) for s in self.title_spans],
            "field": self.field,
            "snippet": self.snippet,
            "highlights": [list(s) for s in self.snippet_spans],
            "marked": self.marked(),
            "find": self.find,
        }


# ------------------------------------------------------------------ the index


@dataclass
class _Query:
    words: bool  # True: word-prefix matching; False: substring matching
    terms: list[str]
    patterns: list[re.Pattern] = field(default_factory=list)


def _is_spaced(term: str) -> bool:
    """Latin, Greek, Cyrillic (and digits, punctuation): scripts that put spaces between words."""
    return all(ord(c) < 0x0250 or 0x0370 <= ord(c) < 0x0530 for c in term)


def parse_query(query: str) -> _Query:
    terms = list(dict.fromkeys(fold(query).split()))
    if terms and all(_is_spaced(t) for t in terms):
        token_lists = [re.findall(r"[^\W_]+", t) for t in terms]
        token_lists = [tokens for tokens in token_lists if tokens]
        # A word starts at a token boundary; the last token of a query word may be a prefix.
        patterns = [re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, tokens))) for tokens in token_lists]
        return _Query(True, [" ".join(tokens) for tokens in token_lists], patterns)
    return _Query(False, terms, [re.compile(re.escape(t)) for t in terms])


class SearchIndex:
    """An in-memory SQLite database of every language version of every lesson.

    ``docs`` holds the original texts, ``folded`` the folded ones, and two FTS5
    indexes read ``folded`` as their external content: ``words`` (unicode61)
    and ``grams`` (trigram). Build it with :func:`build_index`.
    """

    def __init__(self, conn: sqlite3.Connection, library: Library, trigram: bool):
        self.conn = conn
        self.library = library
        self.trigram = trigram
        self._ids = {(lesson_id, locale): doc_id for doc_id, lesson_id, locale
                     in conn.execute("SELECT id, lesson_id, locale FROM docs")}  # fmt: skip
        self._visible_for: dict[tuple, dict[int, tuple[int, bool]]] = {}
        self._scanning: dict | None = None  # the visible set whose ids the table ``scan`` holds

    def __len__(self) -> int:
        return len(self._ids)

    def _visible(self, locale: str, region: str | None) -> dict[int, tuple[int, bool]]:
        """Doc id → (course position, is fallback) of the version each visible lesson is read in.

        Kept per (locale, region): the library of an index does not change, and
        walking it costs more than a query.
        """
        key = (locale, region)
        if key not in self._visible_for:
            if len(self._visible_for) >= 8:
                self._visible_for.pop(next(iter(self._visible_for)))
            self._visible_for[key] = self._walk_visible(locale, region)
        return self._visible_for[key]

    def _walk_visible(self, locale: str, region: str | None) -> dict[int, tuple[int, bool]]:
        found = {}
        position = 0
        for track_id in self.library.track_ids():
            for lesson_id in self.library.lesson_ids(track_id, region):
                resolved = self.library.lesson(lesson_id, locale)
                doc_id = self._ids.get((lesson_id, resolved.used)) if resolved else None
                if doc_id is not None:
                    found[doc_id] = (position, resolved.is_fallback)
                    position += 1
        return found

    def _candidates(self, query: _Query, visible: dict[int, tuple[int, bool]]) -> list[tuple[int, float]]:
        """(doc id, score: lower is better) of documents containing every query term (at least the *visible* ones)."""
        weights = ", ".join(str(_WEIGHTS[f]) for f in FIELDS)
        if query.words:
            match = " AND ".join(f'"{t}"*' for t in query.terms)
            sql = f"SELECT rowid, bm25(words, {weights}) FROM words WHERE words MATCH ?"
            return list(self.conn.execute(sql, (match,)))
        indexed = [t for t in query.terms if self.trigram and len(t) >= TRIGRAM]
        scanned = [t for t in query.terms if t not in indexed]
        everything = " || char(10) || ".join(f"f.{name}" for name in FIELDS)
        where = [f"instr({everything}, ?) > 0" for _ in scanned]
        params: list = list(scanned)
        if indexed:
            match = " AND ".join('"%s"' % t.replace('"', '""') for t in indexed)
            sql = (f"SELECT f.id, bm25(grams, {weights}) FROM grams JOIN folded f ON f.id = grams.rowid "
                   f"WHERE grams MATCH ?" + "".join(f" AND {w}" for w in where))  # fmt: skip
            return list(self.conn.execute(sql, [match, *params]))
        # No index narrows the scan: read only what the learner can see, and test it in Python, which
        # finds a substring in non-Latin text several times faster than SQLite's instr. A term holds no
        # line break, so "in one of the fields" is "in the fields joined by line breaks" as above.
        self._only_scan(visible)
        rows = self.conn.execute(f"SELECT f.id, {', '.join('f.' + n for n in FIELDS)} FROM scan s "
                                 "JOIN folded f ON f.id = s.id")  # fmt: skip
        # No index to rank with: weigh occurrences by field, like bm25's column weights.
        return [(row[0], -sum(_WEIGHTS[name] * min(text.count(t), 5) for name, text in zip(FIELDS, row[1:])
                              for t in scanned))
                for row in rows if all(any(t in text for text in row[1:]) for t in scanned)]  # fmt: skip

    def _only_scan(self, visible: dict[int, tuple[int, bool]]) -> None:
        """Fill the temporary table ``scan`` with the ids of *visible* (unless it holds them already)."""
        if self._scanning is visible:
            return
        with self.conn:
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS scan (id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM scan")
            self.conn.executemany("INSERT INTO scan (id) VALUES (?)", ((doc_id,) for doc_id in visible))
        self._scanning = visible

    def search(self, query: str, locale: str, region: str | None = None, limit: int = MAX_RESULTS) -> list[SearchResult]:
        """Lessons matching *query* for a learner reading in *locale* (a content locale, e.g. es-MX)."""
        parsed = parse_query(query)
        if not parsed.terms:
            return []
        visible = self._visible(locale, region)
        hits = [(score, visible[doc_id][0], doc_id) for doc_id, score in self._candidates(parsed, visible)
                if doc_id in visible]
        results = []
        for score, _position, doc_id in sorted(hits)[:limit]:
            results.append(self._result(doc_id, parsed, visible[doc_id][1], score))
        return results

    def _result(self, doc_id: int, query: _Query, is_fallback: bool, score: float) -> SearchResult:
        row = self.conn.execute(f"SELECT d.lesson_id, d.track, d.locale, {', '.join('d.' + n for n in FIELDS)}, "
                                f"{', '.join('f.' + n for n in FIELDS)} FROM docs d JOIN folded f ON f.id = d.id "
                                "WHERE d.id = ?", (doc_id,)).fetchone()  # fmt: skip
        lesson_id, track, locale = row[:3]
        texts = dict(zip(FIELDS, row[3:3 + len(FIELDS)]))
        folded = dict(zip(FIELDS, row[3 + len(FIELDS):]))
        title_spans = _spans(texts["title"], query, folded["title"])
        chosen, spans = "title", []
        for name in _SNIPPET_FIELDS:
            spans = _first_line_spans(texts[name], query, folded[name])
            if spans:
                chosen = name
                break
        if spans:
            snippet, snippet_spans = _window(texts[chosen], spans)
        else:
            snippet, snippet_spans = _window(texts["summary"] or texts["body"], [])
        body_spans = spans if chosen == "body" else []
        find = texts["body"][body_spans[0][0]:body_spans[0][1]] if body_spans else ""
        return SearchResult(lesson_id, track, locale, is_fallback, texts["title"], title_spans, chosen,
                            snippet, snippet_spans, find, score)  # fmt: skip


def _spans(text: str, query: _Query, folded: str | None = None) -> list[tuple[int, int]]:
    """Where any query term matches in *text* (*folded*: its folded form), as sorted, non-overlapping original spans."""
    if not text:
        return []
    folded = fold(text) if folded is None else folded
    origin = None
    found = []
    for pattern in query.patterns:
        for m in pattern.finditer(folded):
            if m.end() > m.start():
                origin = origin or _Origin(text, folded)
                found.append(_original_span(text, origin, m.start(), m.end()))
    return _merged(found)


def _first_line_spans(text: str, query: _Query, folded: str) -> list[tuple[int, int]]:
    """What a snippet and the viewer's find need of :func:`_spans`: the spans on the line of the first match.

    The snippet is cut from that line and the viewer looks for the first span, so
    matches on later lines change nothing unless the first span runs on past its
    line (a query word matched across a line break): then all spans are computed.
    """
    firsts = [m.start() for pattern in query.patterns
              for m in [next((m for m in pattern.finditer(folded) if m.end() > m.start()), None)] if m]  # fmt: skip
    if not firsts:
        return []
    first = min(firsts)
    line_start = folded.rfind("\n", 0, first) + 1
    line_end = folded.find("\n", first)
    line_end = len(folded) if line_end < 0 else line_end
    origin = _Origin(text, folded)
    found = []
    for pattern in query.patterns:
        # From the line's start the scan meets the same matches as from the text's start: none comes earlier.
        for m in pattern.finditer(folded, line_start):
            if m.start() >= line_end:
                break
            if m.end() > m.start():
                found.append(_original_span(text, origin, m.start(), m.end()))
    merged = _merged(found)
    if merged[0][1] > (origin[line_end] if line_end < len(folded) else len(text)):
        return _spans(text, query, folded)
    return merged


def _merged(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A short excerpt of the line holding the first match, with the spans inside it moved along."""
    at = spans[0][0] if spans else 0
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    # About a third of the room before the match, the rest after it.
    start, room = at, SNIPPET_WIDTH // 3
    while start > line_start and room > 0:
        start -= 1
        room -= _width(text[start])
    end, room = at, SNIPPET_WIDTH - (SNIPPET_WIDTH // 3 - room)
    while end < line_end and room > 0:
        room -= _width(text[end])
        end += 1
    # Cut at a space where the language has spaces, so no word is halved.
    if start > line_start:
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < line_end:
        space = text.rfind(" ", max(at, spans[0][1] if spans else at), end)
        end = space if space > 0 else end
    prefix = "…" if start > line_start else ""
    suffix = "…" if end < line_end else ""
    shift = len(prefix) - start
    inside = [(max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start]
    return prefix + text[start:end] + suffix, inside


CHUNK_DOCUMENTS = 500  # documents whose texts are made while the previous chunk is being indexed


def build_index(library: Library, progress=None) -> SearchIndex:
    """Index every language version of every lesson in *library* (app.content.search_cache keeps it).

    *progress*: called as ``progress(done, total)`` while the lessons are read, like ``Library.load``'s.

    Two kinds of work alternate here: making each lesson's plain texts (Python) and
    adding them to the full-text indexes (SQLite's C code, which lets go of Python's
    lock while it runs). So a helper thread indexes one chunk of documents while this
    thread makes the texts of the next: on two processors the build takes about as
    long as the indexing alone. Rows are added in the same order with the same ids
    as one by one, and the statistics bm25 ranks with do not depend on how the rows
    were grouped, so the index answers exactly as if it were built in one go.
    """
    from concurrent.futures import ThreadPoolExecutor

    from app.content.catalog import _Counter, collector_paused

    documents = [(lesson_id, locale, lesson) for lesson_id in sorted(library.lessons)
                 for locale, lesson in sorted(library.lessons[lesson_id].items()) if lesson.kind == "lesson"]  # fmt: skip
    counter = _Counter(len(documents) + 1, progress)  # the last step: the full-text indexes
    # No implicit transactions: this function says where its one transaction starts and ends.
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    columns = ", ".join(FIELDS)
    conn.execute(f"CREATE TABLE docs (id INTEGER PRIMARY KEY, lesson_id TEXT, track TEXT, locale TEXT, {columns})")
    conn.execute(f"CREATE TABLE folded (id INTEGER PRIMARY KEY, {columns})")
    conn.execute(f"CREATE VIRTUAL TABLE words USING fts5({columns}, content='folded', content_rowid='id', "
                 "tokenize='unicode61 remove_diacritics 2')")  # fmt: skip
    try:
        conn.execute(f"CREATE VIRTUAL TABLE grams USING fts5({columns}, content='folded', content_rowid='id', "
                     "tokenize='trigram')")  # fmt: skip
        trigram = True
    except sqlite3.OperationalError:  # SQLite older than 3.34: substring queries scan instead
        trigram = False
    tables = ("words", "grams") if trigram else ("words",)
    for table in tables:
        # Built once and only read: no merging of segments while building, and bigger ones in memory
        # (a third less time; what a query finds and how it ranks does not depend on the segments).
        for option, value in (("automerge", 0), ("hashsize", 32 * 2**20)):
            try:
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)", (option, value))
            except sqlite3.OperationalError:  # an SQLite without the option builds as it always did
                pass
    placeholders = ", ".join("?" for _ in FIELDS)
    add_docs = f"INSERT INTO docs (id, lesson_id, track, locale, {columns}) VALUES (?, ?, ?, ?, {placeholders})"
    add_folded = f"INSERT INTO folded (id, {columns}) VALUES (?, {placeholders})"
    # External-content FTS5 tables are filled by inserting the content's rows into them.
    add_indexed = [f"INSERT INTO {table}(rowid, {columns}) SELECT id, {columns} FROM folded WHERE id BETWEEN ? AND ?"
                   for table in tables]  # fmt: skip

    def index_rows(first: int, last: int) -> None:  # runs on the helper thread
        for statement in add_indexed:
            conn.execute(statement, (first, last))

    conn.execute("BEGIN")
    try:
        with collector_paused(), ThreadPoolExecutor(1, thread_name_prefix="search-index") as indexer:
            indexing = None  # the chunk the helper thread is on
            for start in range(0, len(documents), CHUNK_DOCUMENTS):
                rows = []
                for doc_id, (lesson_id, locale, lesson) in enumerate(documents[start:start + CHUNK_DOCUMENTS], start + 1):
                    counter.step()
                    fields = lesson_texts(lesson)
                    rows.append((doc_id, lesson_id, lesson.track, locale, [fields[name] for name in FIELDS]))
                folded = [(doc_id, *map(fold, texts)) for doc_id, *_rest, texts in rows]
                if indexing is not None:
                    indexing.result()  # one thread at a time on the connection
                conn.executemany(add_docs, [(doc_id, lesson_id, track, locale, *texts)
                                            for doc_id, lesson_id, track, locale, texts in rows])  # fmt: skip
                conn.executemany(add_folded, folded)
                indexing = indexer.submit(index_rows, start + 1, start + len(rows))
            if indexing is not None:
                indexing.result()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        conn.close()
        raise
    counter.step()
    return SearchIndex(conn, library, trigram)
