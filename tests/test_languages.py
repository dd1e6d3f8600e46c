"""Five languages: every screen in every language, nothing left in English, Arabic
right to left, CLDR plurals and money, fallback and stale translations."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from app import i18n
from app.content.catalog import Library
from app.content.lesson import content_hash
from app.content.markup import expand
from app.content.render import present_tables
from app.ui.screens import SCREENS
from tests.conftest import PROJECT, show_screen

LANGUAGES = ["en", "zh-Hans", "zh-Hant", "es", "ar"]
REGION = {"en": "GB", "zh-Hans": "CN", "zh-Hant": "HK", "es": "MX", "ar": "SA"}
# Screens a learner reaches, with what they need to show something real.
LEARNER_SCREENS = {
    "welcome": {}, "home": {}, "track": {"track_id": "risk-awareness"}, "lesson": {"lesson_id": "red-flags"},
    "quiz": {"lesson_id": "red-flags"}, "progress": {}, "help": {}, "settings": {},
}  # fmt: skip


def _msgids() -> set[str]:
    with (PROJECT / "locales" / "lantern.pot").open("rb") as fh:
        catalog = read_po(fh)
    ids = set()
    for message in catalog:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            if text and "%(" not in text and any(c.isalpha() for c in text):
                ids.add(text)
    return ids


def test_every_language_is_shipped():
    assert i18n.shipped_locales() == LANGUAGES


@pytest.fixture
def course_window(make_window):
    def make(locale):
        window = make_window(lessons=PROJECT / "lessons", locale=locale)
        window.sign_in(window.session.create_learner("Mira"))
        window.session.set_region(REGION[locale])
        return window

    return make


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_screen_renders_in_every_language(course_window, locale):
    window = course_window(locale)
    assert {spec.split(":")[0].rsplit(".", 1)[1] for spec in SCREENS} >= set(LEARNER_SCREENS)
    for name, kwargs in LEARNER_SCREENS.items():
        show_screen(window, name, **kwargs)
        image = window.grab()
        assert not image.isNull() and image.width() > 400, (locale, name)


@pytest.mark.parametrize("locale", [l for l in LANGUAGES if l != "en"])
def test_no_visible_english_when_another_language_is_active(course_window, locale):
    english = _msgids() - {"Lantern", "OK"}
    window = course_window(locale)
    leftovers = {}
    for name, kwargs in LEARNER_SCREENS.items():
        show_screen(window, name, **kwargs)
        QApplication.processEvents()
        for widget in window.findChildren(QWidget):
            if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
                continue
            if widget.text() in english:
                leftovers.setdefault(name, []).append(widget.text())
    assert leftovers == {}


def test_arabic_is_right_to_left_and_mirrored(course_window):
    window = course_window("ar")
    window.go("home")
    QApplication.processEvents()
    assert QApplication.layoutDirection() == Qt.RightToLeft
    assert window.layoutDirection() == Qt.RightToLeft
    # The back button sits at the right-hand edge, where an Arabic reader starts.
    back = window.back_button.mapTo(window, window.back_button.rect().center())
    assert back.x() > window.width() / 2
    lesson = window.go("lesson", lesson_id="risk-and-return")
    assert lesson.browser.layoutDirection() == Qt.RightToLeft
    window.change_language("en")
    assert QApplication.layoutDirection() == Qt.LeftToRight


def test_rtl_tables_put_the_first_column_on_the_right():
    html = "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert "<tr><th>B</th><th>A</th></tr><tr><td>2</td><td>1</td></tr>" in present_tables(html, rtl=True)
    assert "<tr><th>A</th><th>B</th></tr>" in present_tables(html, rtl=False)


@pytest.mark.parametrize(
    "locale, minutes, expected",
    [("en", 1, "1 minute"), ("en", 5, "5 minutes"), ("zh-Hans", 5, "5 分钟"), ("es", 1, "1 minuto"),
     ("es", 5, "5 minutos")],
)  # fmt: skip
def test_plurals_follow_cldr_rules(locale, minutes, expected):
    i18n.set_locale(locale)
    assert i18n.format_duration_minutes(minutes * 60) == expected


def test_arabic_has_six_distinct_plural_forms():
    i18n.set_locale("ar")
    forms = {n: i18n.format_duration_minutes(n * 60) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(f.replace(str(n), "#") for n, f in forms.items())) == 6, forms


@pytest.mark.parametrize(
    "language, region, expected",
    [("es", "ES", "1.000\u00a0€"), ("es", "MX", "$1,000"), ("zh-Hant", "HK", "HK$1,000"), ("en", "GB", "£1,000"),
     ("zh-Hans", "CN", "¥1,000")],
)  # fmt: skip
def test_money_markup_uses_the_regions_currency(language, region, expected):
    assert expand("{{money 1000}}", language, region) == expected


def test_lesson_variant_fallback_and_stale_notice(tmp_path, make_window):
    track = tmp_path / "lessons" / "demo"
    track.mkdir(parents=True)
    (track / "_track.en.md").write_text("---\ntitle: Demo\n---\n", encoding="utf-8")
    source = "---\ntitle: Saving\nsources: [https://example.org]\n---\nSave a little every month.\n"
    (track / "saving.en.md").write_text(source, encoding="utf-8")
    (track / "saving.es.md").write_text(
        f"---\ntitle: Ahorrar\ntranslated_from: {content_hash(source)}\n---\nAhorre un poco.\n", encoding="utf-8"
    )
    (track / "saving.es-MX.md").write_text(
        "---\ntitle: Ahorrar en México\ntranslated_from: 0123456789abcdef\n---\nAhorre cada quincena.\n",
        encoding="utf-8",
    )
    library = Library.load(tmp_path / "lessons")
    assert library.lesson("saving", "es-MX").used == "es-MX"
    assert library.lesson("saving", "es-ES").used == "es"
    assert library.lesson("saving", "zh-Hant-HK").used == "en"
    assert library.lesson("saving", "zh-Hant-HK").is_fallback
    assert not library.lesson("saving", "es").stale
    assert library.lesson("saving", "es-MX").stale  # its source changed since it was translated

    window = make_window(lessons=tmp_path / "lessons", locale="es")
    window.sign_in(window.session.create_learner("Lupe"))
    window.session.set_region("MX")
    lesson = window.go("lesson", lesson_id="saving")
    assert "Ahorre cada quincena" in lesson.browser.toPlainText()
    assert lesson.notice.isVisible()  # the quiet notice about the newer original


def test_every_bundled_translation_records_its_source(tmp_path):
    library = Library.load(PROJECT / "lessons")
    missing = [
        str(lesson.path.relative_to(PROJECT)) for variants in library.lessons.values()
        for tag, lesson in variants.items() if tag not in ("en", "zh-Hans") and not lesson.translated_from
    ]  # fmt: skip
    assert missing == []
    assert Path(PROJECT / "lessons").is_dir()
