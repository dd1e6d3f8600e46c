"""Search: Chinese without spaces, accents both ways, Arabic forms, the fallback chain, CLI, UI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.content.catalog import Library
from app.content.search import build_index, fold
from app.i18n import ngettext

LESSON = """---
title: {title}
summary: {summary}
order: {order}
sources: [https://example.org/source]
---
# {title}

{body}

```gift
::q1:: {question} {{
  =Stop and check #Right.
  ~Pay at once #No.
}}
```
"""

COURSE = {
    "ponzi.en.md": dict(title="How a Ponzi scheme works", summary="Old investors paid with new money.", order=1,
                        body="A Ponzi scheme is a scam. Fees and coffee are not the point; the **promise** is.",
                        question="What do you do when someone promises a guaranteed return?"),
    "ponzi.zh-Hans.md": dict(title="庞氏骗局是怎么运转的", summary="用新钱支付老投资者。", order=1,
                             body="庞氏骗局是一种诈骗。它靠**新投资者的钱**维持。", question="有人保证高回报，你该怎么办？"),
    "ponzi.zh-Hant.md": dict(title="龐氏騙局是怎樣運作的", summary="用新錢支付舊投資者。", order=1,
                             body="龐氏騙局是一種詐騙。", question="有人保證高回報，你應該怎麼辦？"),
    "ponzi.es.md": dict(title="Cómo funciona un esquema Ponzi", summary="Pagar a los antiguos con dinero nuevo.",
                        order=1, body="Le ofrecen un crédito rápido y una ganancia garantizada.",
                        question="¿Cuanto tiempo tiene para decidir?"),
    "ponzi.es-MX.md": dict(title="Cómo funciona un esquema Ponzi", summary="Pagar a los antiguos con dinero nuevo.",
                           order=1, body="Si ya pagó, acuda a la CONDUSEF.", question="¿Qué hace usted?"),
    "ponzi.ar.md": dict(title="كيف يعمل مخطط بونزي", summary="يدفع للقدامى من أموال الجدد.", order=1,
                        body="يَعِدُك المحتال بمضاعفة الأمْوَال خلال شهر، والاحتيال يبدأ بوعد. المبلغ ١٠٠ دينار.",
                        question="ماذا تفعل؟"),
    "english-only.en.md": dict(title="Checking a licence", summary="Look the firm up on the register.", order=2,
                               body="Search the official register before you pay.", question="Where do you check?"),
}


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "lessons"
    track = root / "scams"
    track.mkdir(parents=True)
    (track / "_track.en.md").write_text("---\ntitle: Scams\norder: 1\n---\nAbout scams.\n", encoding="utf-8")
    (track / "_track.zh-Hans.md").write_text("---\ntitle: 骗局\norder: 1\n---\n关于骗局。\n", encoding="utf-8")
    for name, parts in COURSE.items():
        (track / name).write_text(LESSON.format(**parts), encoding="utf-8")
    return root


@pytest.fixture
def index(course):
    return build_index(Library.load(course))


def type_with_input_method(widget, text: str) -> None:
    """Chinese is typed through an input method, which commits whole words (QTest types ASCII only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def only(results):
    assert len(results) == 1, [r.to_json() for r in results]
    return results[0]


def highlighted(result) -> list[str]:
    return [result.snippet[a:b] for a, b in result.snippet_spans]


# ------------------------------------------------------------------ Chinese


def test_two_character_chinese_query_finds_the_lesson_and_highlights_the_match(index):
    result = only(index.search("骗局", "zh-Hans"))
    assert (result.lesson_id, result.locale, result.is_fallback) == ("ponzi", "zh-Hans", False)
    assert result.title[slice(*result.title_spans[0])] == "骗局"
    assert highlighted(result) == ["骗局"]
    assert result.find == "骗局"  # what the lesson viewer looks for
    assert result.marked() == "庞氏[骗局]是一种诈骗。它靠新投资者的钱维持。"


def test_longer_and_single_character_chinese_queries(index):
    assert only(index.search("庞氏骗局", "zh-Hans")).field == "body"  # trigram index
    assert index.search("庞氏骗子", "zh-Hans") == []  # a substring, not any of the characters
    assert highlighted(only(index.search("钱", "zh-Hans"))) == ["钱"]
    question = only(index.search("保证高回报", "zh-Hans"))
    assert question.field == "questions" and highlighted(question) == ["保证高回报"]


def test_chinese_scripts_are_searched_separately(index):
    # A Traditional Chinese learner reads the zh-Hant version: simplified 骗局 is not in it.
    assert index.search("骗局", "zh-Hant") == []
    result = only(index.search("騙局", "zh-Hant-HK"))
    assert (result.locale, result.is_fallback) == ("zh-Hant", False)


def test_full_width_letters_match_ascii():
    assert fold("Ｐ２Ｐ网贷") == "p2p网贷"


# ------------------------------------------------------------------ Spanish accents


def test_spanish_query_without_accents_finds_accented_text(index):
    result = only(index.search("credito", "es"))
    assert highlighted(result) == ["crédito"]
    assert result.find == "crédito"
    assert only(index.search("CRÉDITO rapido", "es")).lesson_id == "ponzi"


def test_spanish_query_with_accents_finds_text_written_without_them(index):
    result = only(index.search("cuánto", "es"))
    assert result.field == "questions"
    assert highlighted(result) == ["Cuanto"]


def test_latin_words_match_from_their_start(index):
    assert highlighted(only(index.search("fee", "en"))) == ["Fee"]  # "Fees", not "coffee"
    assert index.search("offee", "en") == []


def test_regional_variant_is_searched_for_that_region(index):
    assert only(index.search("condusef", "es-MX", "MX")).locale == "es-MX"
    assert index.search("condusef", "es") == []


# ------------------------------------------------------------------ Arabic


def test_arabic_without_hamza_or_tashkeel_finds_the_written_form(index):
    result = only(index.search("اموال", "ar"))
    assert result.find == "أمْوَال"  # the original letters, marks included, for the viewer
    assert "[أمْوَال]" in result.marked()


def test_arabic_word_is_found_with_its_attached_particles(index):
    # والاحتيال = "and the fraud": the search word sits inside the written word.
    assert highlighted(only(index.search("احتيال", "ar"))) == ["احتيال"]
    assert only(index.search("الاحتيال", "ar")).lesson_id == "ponzi"


def test_arabic_indic_digits_match_western_digits(index):
    assert highlighted(only(index.search("100", "ar"))) == ["١٠٠"]


# ------------------------------------------------------------------ fallback


def test_lesson_without_a_translation_is_searched_in_english(index):
    result = only(index.search("register", "zh-Hans"))
    assert (result.lesson_id, result.locale, result.is_fallback) == ("english-only", "en", True)


def test_english_version_of_a_translated_lesson_is_not_searched(index):
    # "coffee" is only in ponzi.en.md; a zh-Hans learner reads ponzi.zh-Hans.md.
    assert index.search("coffee", "zh-Hans") == []
    assert only(index.search("coffee", "en")).lesson_id == "ponzi"


def test_empty_or_blank_query_finds_nothing(index):
    assert index.search("   ", "en") == []
    assert index.search("?!", "en") == []


def test_bundled_course_finds_chinese_scams():
    from app import paths

    index = build_index(Library.load(paths.lessons_dir()))
    found = index.search("骗局", "zh-Hans")
    assert len(found) >= 3
    assert all(r.locale == "zh-Hans" for r in found)
    assert all(highlighted(r) and set(highlighted(r)) == {"骗局"} or r.field == "title" for r in found)


# ------------------------------------------------------------------ command line


def test_cli_search_json(course, monkeypatch, capsys):
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(course))
    assert main(["search", "credito", "--locale", "es", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["query"], data["locale"]) == ("credito", "es")
    [result] = data["results"]
    assert (result["lesson"], result["locale"], result["fallback"], result["field"]) == ("ponzi", "es", False, "body")
    start, end = result["highlights"][0]
    assert result["snippet"][start:end] == "crédito"
    assert "[crédito]" in result["marked"]


def test_cli_search_text_region_and_usage_errors(course, monkeypatch, capsys):
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(course))
    assert main(["search", "condusef", "--locale", "es", "--region", "mx"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ponzi (scams):") and "[CONDUSEF]" in out
    assert main(["search", "骗局", "--locale", "zh-Hans", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["find"] == "骗局"
    assert main(["search", " ", "--locale", "en"]) == 2
    assert main(["search", "x", "--locale", "xx-notalocale"]) == 2


# ------------------------------------------------------------------ the screen


def test_type_query_choose_result_and_lesson_opens_at_the_match(qtbot, make_window, course):
    from app.ui.screens.search import HTML_ROLE

    window = make_window(lessons=course, locale="zh-Hans")
    welcome = window.current
    qtbot.keyClicks(welcome.nickname, "Mei")
    qtbot.keyClick(welcome.nickname, Qt.Key_Return)
    assert window.current.name == "home"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach only the active window
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)  # Ctrl+F from anywhere
    qtbot.waitUntil(lambda: window.current.name == "search")
    screen = window.current
    assert screen.name == "search"
    assert screen.query.hasFocus()
    screen.DEBOUNCE_MS = 0
    type_with_input_method(screen.query, "骗局")
    qtbot.waitUntil(lambda: screen.results.count() == 1)
    item = screen.results.item(0)
    assert "<b>骗局</b>" in item.data(HTML_ROLE)
    assert "庞氏骗局是一种诈骗" in item.data(Qt.AccessibleTextRole)
    assert screen.status.text() == ngettext("%(n)d lesson found", "%(n)d lessons found", 1) % {"n": 1}

    qtbot.keyClick(screen.query, Qt.Key_Down)  # into the results, keyboard only
    assert screen.results.hasFocus() and screen.results.currentRow() == 0
    qtbot.keyClick(screen.results, Qt.Key_Return)
    lesson = window.current
    assert (lesson.name, lesson.lesson_id) == ("lesson", "ponzi")
    qtbot.waitUntil(lambda: lesson.browser.textCursor().selectedText() == "骗局")
    # The selection is the body's match, not the title's.
    assert lesson.browser.textCursor().block().text().startswith("庞氏骗局是一种诈骗")


def test_results_follow_typing_and_language_changes(qtbot, make_window, course):
    window = make_window(lessons=course, locale="es")
    welcome = window.current
    qtbot.keyClicks(welcome.nickname, "Ana")
    qtbot.keyClick(welcome.nickname, Qt.Key_Return)
    screen = window.go("search")
    screen.DEBOUNCE_MS = 0
    qtbot.keyClicks(screen.query, "credito")
    qtbot.waitUntil(lambda: screen.results.count() == 1)
    qtbot.keyClicks(screen.query, "xyz")
    qtbot.waitUntil(lambda: screen.results.count() == 0)
    assert "credito" in screen.status.text()
    screen.query.setText("register")
    qtbot.waitUntil(lambda: screen.results.count() == 1)
    assert "English" in screen.results.item(0).text() or "inglés" in screen.results.item(0).text()
    window.change_language("en")
    QApplication.processEvents()
    assert screen.results.count() == 1 and "English" not in screen.results.item(0).text()
    qtbot.keyClick(screen.query, Qt.Key_Return)  # Enter in the field opens the first result
    assert window.current.name == "lesson" and window.current.lesson_id == "english-only"
