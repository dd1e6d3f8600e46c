#!/usr/bin/env python3
"""Flesch–Kincaid grade level of every English lesson (``*.en.md``) under a folder.

Usage:
    python tools/readability.py [FOLDER] [--max-grade N]

FOLDER defaults to the repository's ``lessons/`` folder. One line is printed per
file (grade, words, sentences, path), then the median grade. With ``--max-grade N``
the script exits with status 1 when any file's grade is above N.

Standard library only, so it runs anywhere Python 3.11+ does.

What is measured
----------------
Only the reading text of the lesson body:

* the YAML front matter (between the first two ``---`` lines) is dropped;
* fenced blocks (```` ``` ```` or ``~~~``: ``gift`` quizzes, ``help`` boxes, code) are dropped;
* Markdown tables (lines starting with ``|``) and horizontal rules are dropped;
* markup is removed: heading ``#`` marks, list and quote markers, ``**bold**`` and
  ``*italic*`` marks, inline code, links ``[text](url)`` (the text is kept),
  bare ``https://`` addresses and raw HTML tags.

Each heading, list item and paragraph is treated as ending a sentence, even
without a full stop, so a heading is not glued onto the next sentence.

Formula (Kincaid et al., 1975)::

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Counting rules
--------------
* Sentences end at ``.``, ``!``, ``?`` (or ``;`` is NOT an end) followed by a space
  or the end of a block. Common abbreviations (e.g., i.e., etc., Mr., Dr., No.,
  vs., U.S., U.K.) do not end a sentence; neither does a dot inside a number.
* A word is a run of letters, digits, apostrophes or hyphens that contains a
  letter or a digit. A hyphenated word is one word.
* Syllables (a heuristic, right for most everyday words, off by one for some):
  count groups of vowels (a e i o u y) in each hyphen-separated part; then
  subtract one for a silent final "e" ("make"), but not for a consonant + "le"
  ending ("table") or for "ee"/"ye" endings; subtract one for a silent "-ed"
  ("jumped", but not "wanted") and a silent "-es" ("makes", but not "boxes");
  every part has at least one syllable. A number ("1,000", "5%") counts as one
  word of one syllable.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "lessons"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "mr.", "mrs.", "ms.", "dr.", "no.", "vs.", "u.s.", "u.k.", "st.")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def strip_front_matter(text: str) -> str:
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                return "\n".join(lines[i + 1 :])
    return text


def reading_blocks(markdown: str) -> list[str]:
    """The body's reading text as blocks (paragraphs, headings, list items)."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        match = _FENCE.match(raw)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            flush()
            fence = match.group(1)
            continue
        line = raw.strip()
        if not line or line.startswith("|") or re.fullmatch(r"([-*_]\s*){3,}", line):
            flush()
            continue
        line = re.sub(r"^(>\s*)+", "", line)  # quotes
        heading = re.match(r"^#{1,6}\s+", line)
        item = re.match(r"^([-*+]|\d+[.)])\s+", line)
        if heading or item:
            flush()
            line = line[(heading or item).end() :]
            current.append(line)
            if heading:
                flush()
            continue
        current.append(line)
    flush()
    return [clean_markup(b) for b in blocks if clean_markup(b)]


def clean_markup(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: keep the text
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"<[^>]+>", " ", text)  # raw HTML tags
    text = re.sub(r"(\*\*|__|\*|~~)", "", text)
    text = re.sub(r"(?<!\w)_(\S[^_]*\S|\S)_(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def count_sentences(block: str) -> int:
    text = block.lower()
    for abbr in _ABBREVIATIONS:
        text = text.replace(abbr, abbr.replace(".", ""))
    text = re.sub(r"(?<=\d)\.(?=\d)", "", text)
    ends = re.findall(r"[.!?]+[\"'”’)\]]*(?=\s|$)", text)
    # The block itself ends a sentence, full stop or not.
    if not re.search(r"[.!?]+[\"'”’)\]]*\s*$", text):
        return len(ends) + 1
    return max(1, len(ends))


def syllables(word: str) -> int:
    if not re.search(r"[A-Za-z]", word):
        return 1  # a number
    total = 0
    for part in re.split(r"-+", word.lower()):
        part = re.sub(r"[^a-z]", "", part)
        if not part:
            continue
        count = len(_VOWEL_GROUPS.findall(part))
        if count > 1:
            if part.endswith("e") and not part.endswith(("ee", "ye")):
                if not (part.endswith("le") and len(part) > 2 and part[-3] not in "aeiouy"):
                    count -= 1
            elif part.endswith("ed") and not part.endswith(("ted", "ded")):
                count -= 1
            elif part.endswith("es") and not re.search(r"(s|x|z|ch|sh|ce|ge|se|ze)es$", part):
                count -= 1
        total += max(1, count)
    return max(1, total)


def analyse(path: Path) -> tuple[float, int, int] | None:
    """(grade, words, sentences) for one lesson file, or None if it has no text."""
    body = strip_front_matter(path.read_text(encoding="utf-8"))
    blocks = reading_blocks(body)
    words = [w for b in blocks for w in _WORD.findall(b)]
    if not words:
        return None
    sentences = sum(count_sentences(b) for b in blocks)
    syl = sum(syllables(w) for w in words)
    grade = 0.39 * (len(words) / sentences) + 11.8 * (syl / len(words)) - 15.59
    return grade, len(words), sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Flesch–Kincaid grade of English lessons (*.en.md).")
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--max-grade", type=float, default=None, help="exit 1 if any file is above this grade")
    args = parser.parse_args(argv)

    if not args.folder.is_dir():
        print(f"not a folder: {args.folder}", file=sys.stderr)
        return 2
    files = sorted(args.folder.rglob("*.en.md"))
    grades: list[float] = []
    too_hard: list[Path] = []
    for path in files:
        shown = path.relative_to(args.folder) if path.is_relative_to(args.folder) else path
        result = analyse(path)
        if result is None:
            print(f"  n/a  {0:>5} words {0:>4} sentences  {shown}")
            continue
        grade, words, sentences = result
        grades.append(grade)
        flag = ""
        if args.max_grade is not None and grade > args.max_grade:
            too_hard.append(path)
            flag = "  <-- above max"
        print(f"{grade:5.1f}  {words:>5} words {sentences:>4} sentences  {shown}{flag}")
    if grades:
        print(f"median grade: {statistics.median(grades):.1f} ({len(grades)} files)")
    else:
        print("no English lessons found")
    if too_hard:
        print(f"{len(too_hard)} file(s) above grade {args.max_grade:g}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
