"""Measure what python-markdown and nh3 cost on hostile input, and print Lantern's limits.

    .venv/bin/python benchmarks/markdown_limits.py [--quick]

The limits in app/content/render.py (documented in docs/security.md) come from
these figures: the time python-markdown takes against the number of `[` in one
paragraph (it grows with the square), the list nesting depth at which it
overflows the stack, the time nh3 takes against raw HTML nesting, and the
slowest input that still passes every limit. Run it again after upgrading
Markdown or nh3; the figures differ between machines, the shape does not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import markdown  # noqa: E402
import nh3  # noqa: E402

from app.content import lesson as lesson_limits  # noqa: E402
from app.content import render  # noqa: E402
from app.content.problems import LessonError  # noqa: E402

EXTENSIONS = ["tables", "fenced_code", "toc", "sane_lists"]


def seconds(function, *args) -> float:
    """Best of three, so that one slow run does not mislead."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, output_format="html")


def overflows(text: str) -> bool:
    try:
        convert(text)
    except RecursionError:
        return True
    return False


def nested_list(levels: int) -> str:
    return "\n".join("    " * i + "- x" for i in range(levels))


def first_overflow(make, low: int, high: int) -> int | None:
    """Smallest nesting depth in [low, high] that overflows, by bisection (None if none does)."""
    if not overflows(make(high)):
        return None
    while low < high:
        middle = (low + high) // 2
        if overflows(make(middle)):
            high = middle
        else:
            low = middle + 1
    return low


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs (a few seconds)")
    quick = parser.parse_args().quick
    print(f"Python {sys.version.split()[0]}, Markdown {markdown.__version__}, nh3 {nh3.__version__}, "
          f"recursion limit {sys.getrecursionlimit()}\n")  # fmt: skip

    print("python-markdown time against `[` in one paragraph (nested [[[x]]] and unclosed [[[):")
    sizes = (250, 500, 1000, 2000) if quick else (250, 500, 1000, 2000, 4000)
    for n in sizes:
        nested = seconds(convert, "[" * n + "x" + "]" * n)
        unclosed = seconds(convert, "![" * n)
        print(f"  {n:>6,} `[`   nested {nested:7.3f} s   unclosed images {unclosed:7.3f} s")
    n = 4000 if not quick else 2000
    spread = seconds(convert, "\n\n".join(["[" * 100] * (n // 100)))
    print(f"  {n:>6,} `[` in paragraphs of 100: {spread:.3f} s  (the cost is per paragraph)\n")

    print("python-markdown against list nesting (4 spaces per level):")
    for levels in (16, 50, 100, 200):
        print(f"  {levels:>4} levels  {seconds(convert, nested_list(levels)):7.3f} s")
    depth = first_overflow(nested_list, 16, 600)
    print(f"  first depth that overflows the stack: {depth} levels (RecursionError)")
    quotes = first_overflow(lambda n: ">" * n + " x", 16, 5000)
    print(f"  quotes (>>>…) overflow at: {quotes or 'no overflow up to 5,000'}; "
          f"5,000 quotes take {seconds(convert, '>' * 5000 + ' x'):.3f} s\n")  # fmt: skip

    print("nh3 (the sanitizer) against raw HTML nesting <div><div>…:")
    for n in (1000, 5000, 10000) if quick else (1000, 5000, 10000, 20000):
        print(f"  {n:>6,} levels  {seconds(render.sanitize, '<div>' * n):7.3f} s")

    url = "https://example.org/" + "a" * 19_000
    amplified = f"[r]: {url}\n\n" + "\n\n".join(["[a][r] " * 50] * 10)
    print(f"\nA {len(amplified):,}-character text of 500 reference links expands to "
          f"{len(convert(amplified)):,} characters of HTML.\n")  # fmt: skip

    # The slowest inputs that pass every limit: what a hostile file can still cost.
    k = render.MAX_BRACKETS_PER_PARAGRAPH
    worst = {
        "brackets at both limits": "\n\n".join(["![" * k] * (render.MAX_BRACKETS // k)),
        "nesting at the limit": "\n".join(nested_list(render.MAX_NESTING) for _ in range(60)),
        "raw HTML at the limit": "<div>" * render.MAX_HTML_TAGS,
        "200,000 characters of prose": ("Plain words with *emphasis* and `code`. " * 5000)[: render.MAX_BODY_CHARS],
    }  # fmt: skip
    print("Slowest accepted inputs (check_limits + markdown + nh3):")
    for label, text in worst.items():
        try:
            took = seconds(render.markdown_to_html, text)
            print(f"  {label:<30} {took:7.3f} s")
        except LessonError as exc:
            print(f"  {label:<30} refused: {exc.problem.code} {exc.problem.message}")

    print("\nLantern's limits:")
    for name in ("MAX_FILE_BYTES", "MAX_FRONT_MATTER_BYTES", "MAX_LINE_CHARS"):
        print(f"  lesson.{name:<27} {getattr(lesson_limits, name):>10,}")
    for name in ("MAX_BODY_CHARS", "MAX_BRACKETS_PER_PARAGRAPH", "MAX_BRACKETS", "MAX_NESTING", "MAX_HTML_TAGS",
                 "MAX_HTML_CHARS", "MAX_IMAGE_SIDE", "MAX_TABLE_SPAN"):  # fmt: skip
        print(f"  render.{name:<27} {getattr(render, name):>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
