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
