"""`lantern i18n`: extraction keeps context and comments; status catches what CI must refuse."""

from __future__ import annotations

import json
import shutil

from babel.messages.pofile import read_po

from app.cli import main
from app.i18n_tools import extract_catalog
from tests.conftest import PROJECT


def test_extraction_keeps_plurals_and_placeholders():
    catalog = extract_catalog()
    ids = {m.id for m in catalog}
    assert ("%(n)d minute", "%(n)d minutes") in ids
    assert "Continue where you left off: %(lesson)s" in ids


def test_status_reports_missing_fuzzy_and_broken_placeholders(tmp_path, monkeypatch, capsys):
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT / "locales" / "es", locales / "es")
    po = locales / "es" / "LC_MESSAGES" / "lantern.po"
    text = po.read_text(encoding="utf-8")
    # Break one placeholder, drop one translation, mark one fuzzy.
    text = text.replace('msgstr "Hola, %(name)s"', 'msgstr "Hola, %(nombre)s"', 1)
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    first = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string and "%(" not in m.id)
    text = text.replace(f'msgid "{first.id}"\nmsgstr "{first.string}"', f'msgid "{first.id}"\nmsgstr ""', 1)
    po.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LANTERN_LOCALES_DIR", str(locales))
    assert main(["i18n", "status", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    ui = data["es"]["ui"]
    assert ui["missing"] >= 1
    assert any("nombre" in problem or "name" in problem for problem in ui["problems"])


def test_bundled_catalogs_compile_and_update_round_trip(tmp_path, monkeypatch, capsys):
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT / "locales", locales)
    monkeypatch.setenv("LANTERN_LOCALES_DIR", str(locales))
    assert main(["i18n", "compile"]) == 0
    assert (locales / "ar" / "LC_MESSAGES" / "lantern.mo").stat().st_size > 1000
    before = (locales / "zh-Hans" / "LC_MESSAGES" / "lantern.po").read_text(encoding="utf-8")
    assert main(["i18n", "update", "--locale", "zh-Hans"]) == 0
    after = (locales / "zh-Hans" / "LC_MESSAGES" / "lantern.po").read_text(encoding="utf-8")
    assert "msgstr \"首页\"" in before and "msgstr \"首页\"" in after  # translations survive an update


def test_no_translatable_string_hides_inside_an_f_string():
    """Babel (on Python 3.11) cannot see _() inside f-strings: such text would never be translated."""
    import re

    offenders = []
    for path in (PROJECT / "app").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for literal in re.findall(r"""\bf(["'])(.*?)\1""", line):
                if re.search(r"""\b(_|ngettext|pgettext|npgettext)\(\s*["']""", literal[1]):
                    offenders.append(f"{path.relative_to(PROJECT)}:{number}")
    assert offenders == []


def test_context_and_translator_comments_reach_the_template():
    catalog = extract_catalog()
    check = catalog.get("Check", context="button")
    assert check is not None and any("verb on a button" in c for c in check.auto_comments)
    assert catalog.get("Track", context="noun: a group of lessons") is not None
