"""``lantern i18n extract|update|compile|status``: the gettext workflow, via Babel.

- extract: scan ``app/`` for ``_()``, ``ngettext()``, ``pgettext()``… into
  ``locales/lantern.pot`` (translator comments kept).
- update:  merge the template into every ``locales/<lang>/LC_MESSAGES/lantern.po``.
- compile: write ``.mo`` files (optional: Lantern compiles catalogs in memory).
- status:  per language, UI strings translated / fuzzy / missing and problems
  such as placeholder mismatches; lessons translated / stale / missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app import i18n, paths

KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ["Translators:"]


def template_path() -> Path:
    return paths.locales_dir() / f"{i18n.DOMAIN}.pot"


def po_path(tag: str) -> Path:
    return paths.locales_dir() / tag / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def extract_catalog() -> Catalog:
    """Every translatable string in app/, as a template catalog (nothing written)."""
    catalog = Catalog(project="Lantern", version="1", charset="utf-8", fuzzy=False)
    source_root = paths.PROJECT_ROOT
    method_map = [("app/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source_root), method_map=method_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):  # fmt: skip
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def extract() -> Catalog:
    """Write locales/lantern.pot from the source."""
    catalog = extract_catalog()
    target = template_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=False)
    return catalog


def _read(path: Path, tag: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=tag.replace("-", "_"))


def update(only: str | None = None) -> list[str]:
    template = extract()
    updated = []
    for tag in i18n.shipped_locales():
        if tag == i18n.SOURCE_LOCALE or (only and tag != only):
            continue
        path = po_path(tag)
        catalog = _read(path, tag) if path.exists() else Catalog(locale=tag.replace("-", "_"))
        catalog.update(template, no_fuzzy_matching=False)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, ignore_obsolete=True)
        updated.append(tag)
    return updated


def add_language(tag: str) -> Path:
    """Start a catalog for a new language (used by ``update --locale NEW``)."""
    path = po_path(tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        catalog = Catalog(locale=tag.replace("-", "_"), project="Lantern")
        with path.open("wb") as fh:
            write_po(fh, catalog)
    return path


def compile_all(only: str | None = None) -> list[Path]:
    written = []
    for tag in i18n.shipped_locales():
        if tag == i18n.SOURCE_LOCALE or (only and tag != only):
            continue
        catalog = _read(po_path(tag), tag)
        target = po_path(tag).with_suffix(".mo")
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(target)
    return written


def ui_status(tag: str, template: Catalog | None = None) -> dict:
    """Counts and problems for one language's UI catalog."""
    # Always the source as it is now: a string added without re-extracting still counts as missing.
    template = template or extract_catalog()
    catalog = _read(po_path(tag), tag)
    translated = fuzzy = missing = 0
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        has_text = bool(strings) and (all(strings) if isinstance(strings, tuple) else True)
        if entry is None or not has_text:
            missing += 1
        elif entry.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{po_path(tag)}:{message.lineno}: {error}")
    return {"translated": translated, "fuzzy": fuzzy, "missing": missing, "problems": problems}


def status() -> dict:
    from app.content.catalog import Library
    from app.content.lesson import content_hash, read_text

    library = Library.load(paths.lessons_dir())
    template = extract_catalog()
    result = {}
    for tag in i18n.shipped_locales():
        entry: dict = {}
        if tag != i18n.SOURCE_LOCALE:
            entry["ui"] = ui_status(tag, template)
        counts = {"translated": 0, "stale": 0, "missing": 0}
        missing_ids, stale_ids = [], []
        for lesson_id, variants in library.lessons.items():
            if tag == i18n.SOURCE_LOCALE:
                counts["translated" if tag in variants else "missing"] += 1
                continue
            if tag not in variants:
                counts["missing"] += 1
                missing_ids.append(lesson_id)
                continue
            source = variants.get(i18n.SOURCE_LOCALE)
            lesson = variants[tag]
            if source is not None and lesson.translated_from and lesson.translated_from != content_hash(
                read_text(source.path)
            ):
                counts["stale"] += 1
                stale_ids.append(lesson_id)
            else:
                counts["translated"] += 1
        entry["lessons"] = counts | {"missing_ids": sorted(missing_ids), "stale_ids": sorted(stale_ids)}
        result[tag] = entry
    return result


def run(action: str, args) -> int:
    if action == "extract":
        catalog = extract()
        print(f"{template_path()}: {len(catalog)} messages")
        return 0
    if action == "update":
        if args.locale and args.locale not in i18n.shipped_locales():
            add_language(i18n.normalize(args.locale))
        for tag in update(args.locale):
            print(po_path(tag))
        return 0
    if action == "compile":
        for path in compile_all(args.locale):
            print(path)
        return 0
    data = status()
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for tag, entry in data.items():
            ui = entry.get("ui")
            ui_text = (
                f"UI {ui['translated']} translated, {ui['fuzzy']} fuzzy, {ui['missing']} missing"
                if ui else "UI source language"
            )  # fmt: skip
            lessons = entry["lessons"]
            print(f"{tag:8} {ui_text}; lessons {lessons['translated']} translated, "
                  f"{lessons['stale']} stale, {lessons['missing']} missing")  # fmt: skip
            for problem in (ui or {}).get("problems", []):
                print(f"         {problem}")
    bad = any(
        e.get("ui", {}).get("missing") or e.get("ui", {}).get("fuzzy") or e.get("ui", {}).get("problems")
        for e in data.values()
    )
    return 1 if bad else 0
