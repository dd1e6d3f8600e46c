"""Glossary: the bundled terms, language fallback, the lesson's word box, the checker rule, the screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import paths
from app.content.catalog import Library
from app.content.checker import check_paths
from app.content.glossary import Glossary, glossary_for, words_html
from app.i18n import _

LANGUAGES = ("en", "zh-Hans", "zh-Hant", "es", "ar")


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    return glossary_for(paths.lessons_dir())


def test_every_language_has_the_same_usable_terms(bundled):
    assert bundled.problems == []
    assert set(bundled.by_locale) == set(LANGUAGES)
    ids = set(bundled.by_locale["en"])
    assert len(ids) >= 35
    for language in LANGUAGES:
        terms = bundled.by_locale[language]
        assert set(terms) == ids, language
        for term in terms.values():
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.id)
            assert set(term.see_also) <= ids, (language, term.id)
            assert term.id not in term.see_also
            # Short and plain: one or two sentences.
            assert len(re.findall(r"[.!?。！？](\s|$)|[。！？]", term.definition)) <= 3, (language, term.id)


def test_every_id_a_bundled_lesson_lists_is_defined_in_every_language(bundled):
    library = Library.load(paths.lessons_dir())
    used = {term_id for variants in library.lessons.values() for lesson in variants.values()
            for term_id in lesson.glossary}  # fmt: skip
    assert used  # the risk-awareness lessons list their words
    for language in LANGUAGES:
        assert used <= set(bundled.by_locale[language]), language


def test_terms_fall_back_along_the_language_chain(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "en.toml").write_text('[[terms]]\nid = "fee"\nterm = "Fee"\ndefinition = "A charge."\n'
                                    '[[terms]]\nid = "risk"\nterm = "Risk"\ndefinition = "A chance of loss."\n',
                                    encoding="utf-8")  # fmt: skip
    (folder / "es.toml").write_text('[[terms]]\nid = "fee"\nterm = "Comisión"\ndefinition = "Un cobro."\n',
                                    encoding="utf-8")  # fmt: skip
    glossary = Glossary.load(folder)
    assert glossary.term("fee", "es-MX").term == "Comisión"
    assert glossary.term("risk", "es-MX").locale == "en"  # no Spanish entry yet
    assert glossary.term("fee", "fr").term == "Fee"
    assert glossary.term("nothing", "es") is None
    assert {t.term for t in glossary.terms("es")} == {"Comisión", "Risk"}


def test_broken_glossary_entries_are_reported_and_skipped(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "en.toml").write_text('[[terms]]\nid = "Bad Id"\nterm = "x"\ndefinition = "y"\n'
                                    '[[terms]]\nid = "ok"\nterm = "OK"\ndefinition = "Fine."\n'
                                    '[[terms]]\nid = "ok"\nterm = "Again"\ndefinition = "Twice."\n'
                                    '[[terms]]\nid = "empty"\nterm = ""\ndefinition = "No term."\n',
                                    encoding="utf-8")  # fmt: skip
    (folder / "es.toml").write_text("this is not toml [", encoding="utf-8")
    glossary = Glossary.load(folder)
    assert list(glossary.by_locale["en"]) == ["ok"]
    assert glossary.by_locale["en"]["ok"].term == "OK"
    assert len(glossary.problems) == 4 and {p.code for p in glossary.problems} == {"GLOSS002"}


def test_word_box_escapes_and_keeps_the_lesson_order(bundled):
    box = words_html(bundled, ["ponzi-scheme", "no-such-term", "licence"], "es")
    assert "Esquema Ponzi" in box and "Licencia" in box and "no-such-term" not in box
    assert box.index("Esquema Ponzi") < box.index("Licencia")
    assert 'name="glossary-licence"' in box
    assert words_html(bundled, [], "en") == ""
    folder = Path(bundled.folder)
    evil = Glossary(folder, {"en": {}})
    from app.content.glossary import Term

    evil.by_locale["en"]["x"] = Term("x", "<script>", "a & b", "en")
    assert "&lt;script&gt;" in words_html(evil, ["x"], "en") and "a &amp; b" in words_html(evil, ["x"], "en")


# ------------------------------------------------------------------ checker


LESSON = """---
title: Words
summary: A lesson with glossary words.
order: 1
minutes: 5
objectives: [Know the words]
sources: [https://example.org/source]
glossary: [fee, no-such-term]
---
Text.

```gift
::q:: Is a fee a charge? {TRUE#It is.#Yes.}
```
"""


def test_checker_warns_on_a_glossary_id_without_an_entry(tmp_path):
    track = tmp_path / "lessons" / "basics"
    track.mkdir(parents=True)
    (track / "_track.en.md").write_text("---\ntitle: Basics\n---\n", encoding="utf-8")
    (track / "words.en.md").write_text(LESSON, encoding="utf-8")
    (tmp_path / "lessons" / "glossary").mkdir()
    (tmp_path / "lessons" / "glossary" / "en.toml").write_text(
        '[[terms]]\nid = "fee"\nterm = "Fee"\ndefinition = "A charge."\n', encoding="utf-8")
    found = [p for p in check_paths([tmp_path / "lessons"]) if p.code.startswith("GLOSS")]
    assert [(p.code, p.severity.value, p.line) for p in found] == [("GLOSS001", "warning", 8)]
    assert "`no-such-term`" in found[0].message


def test_bundled_lessons_have_no_glossary_problems():
    assert [p for p in check_paths([paths.lessons_dir()]) if p.code.startswith("GLOSS")] == []


# ------------------------------------------------------------------ screens


def sign_in(qtbot, window, nickname="Ana"):
    qtbot.keyClicks(window.current.nickname, nickname)
    qtbot.keyClick(window.current.nickname, Qt.Key_Return)
    assert window.current.name == "home"


def test_lesson_shows_the_words_it_uses_with_their_definitions(qtbot, make_window):
    window = make_window(lessons=paths.lessons_dir(), locale="zh-Hans")
    sign_in(qtbot, window)
    window.session.set_region("CN")
    lesson = window.go("lesson", lesson_id="illegal-fundraising")
    text = lesson.browser.toPlainText()
    assert _("Words in this lesson") in text
    glossary = glossary_for(paths.lessons_dir())
    for term_id in ("illegal-fundraising", "ponzi-scheme", "licence"):
        term = glossary.term(term_id, "zh-Hans")
        assert term.term in text and term.definition in text


def test_glossary_screen_sorts_for_the_language_and_filters(qtbot, make_window):
    window = make_window(lessons=paths.lessons_dir(), locale="zh-Hans")
    sign_in(qtbot, window)
    window.session.set_region("CN")
    screen = window.go("glossary")
    assert screen.focusWidget() is screen.filter
    terms = [t.term for t in screen.shown]
    assert len(terms) >= 35
    # Pinyin order: 安 (an) before 风 (feng) before 庞 (pang).
    assert terms.index("“安全账户”诈骗") < terms.index("风险") < terms.index("庞氏骗局")
    screen.filter.setText("骗局")
    assert {t.id for t in screen.shown} >= {"ponzi-scheme"} and len(screen.shown) < len(terms)
    assert "庞氏骗局" in screen.page.toPlainText() and "单利" not in screen.page.toPlainText()

    window.session.set_region("MX")
    window.change_language("es")
    QApplication.processEvents()
    screen.filter.setText("COMISION")  # accents and case do not matter
    assert "fee" in {t.id for t in screen.shown} and "Comisión" in screen.page.toPlainText()
    screen.filter.clear()
    spanish = [t.term for t in screen.shown]
    assert spanish.index("Arbitraje") < spanish.index("Comisión") < spanish.index("Señal de alarma")
