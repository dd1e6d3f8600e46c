"""Print the lessons × languages table used in docs/curriculum.md.

    python tools/lesson_matrix.py            # print the Markdown table
    python tools/lesson_matrix.py --write    # replace the table in docs/curriculum.md

A test checks that the document's table matches the library, so the
curriculum never claims a translation that does not exist.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.content.catalog import KNOWLEDGE_CHECK, Library  # noqa: E402

LANGUAGES = ["en", "zh-Hans", "zh-Hant", "es", "ar"]
BEGIN, END = "<!-- lesson-matrix:begin -->", "<!-- lesson-matrix:end -->"


def matrix(library: Library) -> str:
    rows = ["| Track | Lesson | " + " | ".join(LANGUAGES) + " | Regional variants |",
            "|---|---|" + "---|" * len(LANGUAGES) + "---|"]  # fmt: skip
    for track in library.track_ids() + [KNOWLEDGE_CHECK]:
        for lesson_id in library.lesson_ids(track):
            variants = library.lessons[lesson_id]
            marks = ["✓" if lang in variants else "—" for lang in LANGUAGES]
            regional = sorted(v for v in variants if v not in LANGUAGES)
            rows.append(f"| {track} | {lesson_id} | " + " | ".join(marks) + f" | {', '.join(regional)} |")
    return "\n".join(rows)


def main() -> int:
    table = matrix(Library.load(ROOT / "lessons"))
    if "--write" in sys.argv:
        doc = ROOT / "docs" / "curriculum.md"
        text = doc.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        doc.write_text(text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8")
    else:
        print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
