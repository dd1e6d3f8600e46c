"""The fast paths of app.content.search against the straightforward code they replace.

Folding with ``str.translate``, mapping folded positions back per line, looking
only at the first match's line for snippets, and reading simple Markdown without
rendering it must all give exactly what the character-by-character reference
(and python-markdown + nh3, for the text) gives.
"""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.content import search
from app.content.search import _fold_char, _fold_map, _Origin, fold, parse_query


def reference_fold(text: str) -> str:
    return "".join(map(_fold_char, text))


def reference_spans(text: str, query) -> list[tuple[int, int]]:
    """_spans as it was: the whole text folded and mapped character by character."""
    folded, origin = _fold_map(text)
    found = [search._original_span(text, origin, m.start(), m.end())
             for pattern in query.patterns for m in pattern.finditer(folded) if m.end() > m.start()]  # fmt: skip
    return search._merged(found)


# Letters that fold to one, to none (marks, tatweel) and to several (ß, ligatures), line breaks and spaces.
TRICKY = "aAéÉe\u0301ßﬁİ\u0130ｐ２ПпΣσς أإآٱىةـًٌ٠١٢۳ 骗局诈騙\n\n- _.,!\u00a0\u3000"
texts = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=120)
queries = st.text(alphabet=st.sampled_from(TRICKY + "e p2p "), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_translate_fold_equals_per_character_fold(text):
    assert fold(text) == reference_fold(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_origin_equals_the_full_map(text):
    folded, origin = _fold_map(text)
    fast = _Origin(text, fold(text))
    assert [fast[i] for i in range(len(folded))] == origin


@settings(max_examples=400, deadline=None)
@given(texts, queries)
def test_spans_equal_the_reference(text, query_text):
    query = parse_query(query_text)
    expected = reference_spans(text, query)
    assert search._spans(text, query) == expected
    first_line = search._first_line_spans(text, query, fold(text))
    # The snippet and the viewer's find see the same: first span, and every span on its line.
    assert search._window(text, first_line) == search._window(text, expected) if expected else first_line == []
    if expected:
        assert first_line[0] == expected[0]


def test_match_across_a_line_break_falls_back_to_every_span():
    text = "write an e\nmail to e-mail@bank"
    query = parse_query("e-mail")
    assert search._first_line_spans(text, query, fold(text)) == reference_spans(text, query)


def test_no_character_but_the_line_break_folds_to_one():
    # _Origin maps line by line: folded line k must be original line k.
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if "\n" in unicodedata.normalize("NFKD", c).casefold() and c != "\n"] == []  # fmt: skip
    assert _fold_char("\n") == "\n"


# ------------------------------------------------------------------ simple Markdown without rendering


def rendered_text(text: str) -> str:
    from app.content.render import markdown_to_html

    return search.html_text(markdown_to_html(text))


words = st.text(alphabet=st.sampled_from("ab Zé骗局أًـ1.-#:;'\"()?,\u00a0\u3000\u2028\t*_[]<>&!|~`\\=+") |
                st.characters(codec="utf-8"), min_size=1, max_size=12)  # fmt: skip
line = st.lists(words, min_size=1, max_size=5).map(" ".join)
block = st.one_of(
    line.map(lambda s: "# " + s), line.map(lambda s: "### " + s), line.map(lambda s: "####### " + s),
    st.lists(line, min_size=1, max_size=3).map("\n".join),
    st.lists(line.map(lambda s: "- " + s), min_size=1, max_size=3).map("\n".join),
    st.lists(line, min_size=2, max_size=3).map(lambda ls: ls[0] + "\n- " + "\n".join(ls[1:])),
    line.map(lambda s: s + "\n===="), line.map(lambda s: "1. " + s), line.map(lambda s: "    " + s),
    st.just("---"), st.just("- - -"), st.just(""), st.just(" "),
)
documents = st.lists(block, max_size=6).flatmap(
    lambda blocks: st.sampled_from(["\n\n", "\n", "\n\n\n"]).map(lambda sep: sep.join(blocks)))


@settings(max_examples=600, deadline=None)
@given(documents)
def test_simple_markdown_text_equals_the_rendered_text(text):
    simple = search._simple_markdown_text(text)
    if simple is not None:
        assert simple == rendered_text(text)


plain_line = st.lists(st.text(alphabet="abcZé骗局أى 1.,;:'?()", min_size=1, max_size=10).map(str.strip)
                      .filter(lambda w: w and not w[0].isdigit()), min_size=1, max_size=5).map(" ".join)  # fmt: skip
plain_block = st.one_of(plain_line.map(lambda s: "## " + s),
                        st.lists(plain_line, min_size=1, max_size=3).map("\n".join),
                        st.lists(plain_line.map(lambda s: "- " + s), min_size=1, max_size=3).map("\n".join))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_block, min_size=1, max_size=6).map("\n\n".join))
def test_plain_paragraphs_headings_and_lists_take_the_fast_path(text):
    simple = search._simple_markdown_text(text)
    assert simple is not None
    assert simple == rendered_text(text)


def test_every_lesson_body_reads_the_same_with_and_without_the_fast_path(tmp_path):
    """The bundled course and generated lessons: same index text either way; the generated ones are all simple."""
    from app.content.catalog import Library
    from tests.test_search_golden import BUNDLED, generated_library

    simple = {}
    for name, root in (("bundled", BUNDLED), ("generated", generated_library(tmp_path))):
        simple[name] = 0
        for variants in Library.load(root).lessons.values():
            for lesson in variants.values():
                text = search.body_markdown(lesson)
                fast = search._simple_markdown_text(text)
                if fast is not None:
                    simple[name] += 1
                    assert fast == rendered_text(text), lesson.path
    assert simple["generated"] == 200


def test_origin_is_right_for_characters_this_process_never_folded(monkeypatch):
    # A stored index is loaded, not built: its texts were folded by another process.
    monkeypatch.setattr(search, "_MET", set())
    monkeypatch.setattr(search, "_IRREGULAR", set())
    monkeypatch.setattr(search, "_FOLD", search._FoldTable())
    text = "Straße e\u0301tait"  # ß folds to two characters, the accent to none: same length
    folded = reference_fold(text)
    assert len(folded) == len(text)
    fast = _Origin(text, folded)
    assert [fast[i] for i in range(len(folded))] == _fold_map(text)[1]
