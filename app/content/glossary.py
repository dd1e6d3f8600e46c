"""The glossary: short, plain definitions of the financial words lessons use.

One TOML file per language in ``<lessons root>/glossary/<locale>.toml``::

    [[terms]]
    id = "ponzi-scheme"             # ASCII kebab-case, the same in every language
    term = "Ponzi scheme"
    definition = "A fraud that pays earlier investors with money from newer investors…"
    see_also = ["illegal-fundraising"]   # optional

A lesson lists the ids it uses (``glossary: [ponzi-scheme, licence]``). Looking
a term up walks the locale fallback chain (es-MX → es → en), like lessons.
No Qt here.
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.content.problems import Problem, Severity
from app.i18n import fallback_chain

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    locale: str
    see_also: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"id": self.id, "term": self.term, "definition": self.definition, "locale": self.locale,
                "see_also": list(self.see_also)}  # fmt: skip


@dataclass
class Glossary:
    folder: Path
    by_locale: dict[str, dict[str, Term]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> "Glossary":
        """Every ``<locale>.toml`` in *folder* (a missing folder is an empty glossary)."""
        glossary = cls(Path(folder))
        if glossary.folder.is_dir():
            for path in sorted(glossary.folder.glob("*.toml")):
                glossary._read(path)
        return glossary

    def _problem(self, message: str, path: Path) -> None:
        self.problems.append(Problem(message, Severity.ERROR, str(path), 0, 0, "GLOSS002"))

    def _read(self, path: Path) -> None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return self._problem(f"glossary file is larger than {MAX_FILE_BYTES // 1024} KB", path)
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return self._problem(f"glossary file cannot be read: {exc}", path)
        terms = {}
        for number, entry in enumerate(data.get("terms", []), start=1):
            if not isinstance(entry, dict):
                self._problem(f"term {number} is not a table", path)
                continue
            term_id, term, definition = entry.get("id"), entry.get("term"), entry.get("definition")
            see_also = entry.get("see_also", [])
            if not (isinstance(term_id, str) and ID_RE.fullmatch(term_id)):
                self._problem(f"term {number}: `id` must be lower-case ASCII words joined by hyphens", path)
            elif not (isinstance(term, str) and term.strip() and isinstance(definition, str) and definition.strip()):
                self._problem(f"term `{term_id}` needs a `term` and a `definition`", path)
            elif not (isinstance(see_also, list) and all(isinstance(s, str) for s in see_also)):
                self._problem(f"term `{term_id}`: `see_also` must be a list of term ids", path)
            elif term_id in terms:
                self._problem(f"term `{term_id}` is defined twice", path)
            else:
                terms[term_id] = Term(term_id, term.strip(), definition.strip(), path.stem, tuple(see_also))
        self.by_locale[path.stem] = terms

    def term(self, term_id: str, locale: str) -> Term | None:
        """The term in *locale*, or in the nearest language of its fallback chain."""
        for tag in fallback_chain(locale):
            found = self.by_locale.get(tag, {}).get(term_id)
            if found is not None:
                return found
        return None

    def terms(self, locale: str) -> list[Term]:
        """Every term, each in the nearest language to *locale* (in file order, not sorted)."""
        ids: dict[str, None] = {}
        for tag in fallback_chain(locale):
            ids.update(dict.fromkeys(self.by_locale.get(tag, {})))
        return [t for t in (self.term(term_id, locale) for term_id in ids) if t is not None]


def glossary_for(lessons_root: Path) -> Glossary:
    return Glossary.load(Path(lessons_root) / "glossary")


def words_html(glossary: Glossary, term_ids: list[str], locale: str) -> str:
    """The "Words in this lesson" box under a lesson: each term with its definition, as safe HTML."""
    from app.i18n import _

    terms = [t for t in (glossary.term(term_id, locale) for term_id in term_ids) if t is not None]
    if not terms:
        return ""
    items = "".join(f'<dt><a name="glossary-{t.id}"></a><b>{html.escape(t.term)}</b></dt>'
                    f"<dd>{html.escape(t.definition)}</dd>" for t in terms)  # fmt: skip
    heading = html.escape(_("Words in this lesson"))
    return f'<hr/><h2 id="words-in-this-lesson">{heading}</h2><dl>{items}</dl>'
