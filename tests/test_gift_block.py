"""The GIFT parser's question block against the character-by-character reference it replaced.

``_Block`` now works out a character's (line, column) only when a message needs
it; text and every position must be what the old per-character table gave.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.content.gift import _PLACEHOLDER, _WS, _Block


class ReferenceBlock:
    """_Block as it was: a (line, column) stored for every character."""

    def __init__(self, lines):
        pieces, locs = [], []
        for k, (line, col, content) in enumerate(lines):
            if content.startswith("//"):
                content = " "
            if k:
                pieces.append("\n")
                locs.append(locs[-1] if locs else (line, col))
            pieces.append(content)
            locs.extend((line, col + i) for i in range(len(content)))
        raw = "".join(pieces)
        start, end = 0, len(raw)
        while start < end and raw[start] in _WS:
            start += 1
        while end > start and raw[end - 1] in _WS:
            end -= 1
        out, out_locs = [], []
        i = start
        while i < end:
            c = raw[i]
            if c == "\\" and i + 1 < end:
                d = raw[i + 1]
                if d == "\\" or d in _PLACEHOLDER:
                    out.append("\\" if d == "\\" else _PLACEHOLDER[d])
                    out_locs.append(locs[i])
                    i += 2
                    continue
            out.append(c)
            out_locs.append(locs[i])
            i += 1
        self.t, self.locs = "".join(out), out_locs
        self.first = lines[0][0] if lines else 0

    def loc(self, i):
        if not self.locs:
            return (self.first, 0)
        return self.locs[max(0, min(i, len(self.locs) - 1))]


content = st.text(alphabet=st.sampled_from("ab \t\\{}=~#:/\\\\-é骗\x00\r"), min_size=1, max_size=12)
lines = st.lists(st.tuples(st.integers(1, 50), st.integers(1, 9), content), max_size=6)


@settings(max_examples=500, deadline=None)
@given(lines)
def test_block_text_and_every_position_match_the_reference(lines):
    lines = [(n, c, t) for n, c, t in lines]
    fast, reference = _Block(lines), ReferenceBlock(lines)
    assert fast.t == reference.t
    positions = range(-2, len(fast.t) + 2)
    assert [tuple(fast.loc(i)) for i in positions] == [reference.loc(i) for i in positions]
