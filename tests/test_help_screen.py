"""Where to get help: every region's page, the region picker, help blocks in lessons."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.content.helpdir import HelpDirectory, default_region
from tests.conftest import PROJECT

HELP = HelpDirectory.load(PROJECT / "lessons" / "help")
REGIONS = ["CN", "HK", "TW", "US", "GB", "ES", "MX", "SA", "AE"]


def test_directory_has_every_region():
    assert HELP.problems == []
    assert HELP.region_codes() == sorted(REGIONS)


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
@pytest.mark.parametrize("region", REGIONS)
def test_every_region_page_renders(make_window, locale, region):
    window = make_window(lessons=PROJECT / "lessons", locale=locale)
    window.sign_in(window.session.create_learner("Li"))
    window.session.set_region(region)
    screen = window.go("help")
    text = screen.page.toPlainText()
    data = HELP.regions[region]
    for channel in data.channels:
        assert channel.text("name", locale) in text
        for phone in channel.phones:
            assert phone in text
    # Region names come from CLDR in the learner's language.
    assert screen.region.currentText() == {"en": {"CN": "China", "GB": "United Kingdom"}}.get(locale, {}).get(
        region, screen.region.currentText()
    )
    assert screen.region.currentData() == region


def test_region_picker_changes_region_and_lesson_help_blocks(qtbot, make_window):
    window = make_window(lessons=PROJECT / "lessons", locale="en")
    window.sign_in(window.session.create_learner("Sam"))
    screen = window.go("settings")
    combo = screen.region
    combo.setCurrentIndex(combo.findData("GB"))
    combo.activated.emit(combo.currentIndex())
    assert window.session.store.learner(window.session.learner.id).region == "GB"
    lesson = window.go("lesson", lesson_id="fraud-or-complaint")
    text = lesson.browser.toPlainText().replace("\u2066", "").replace("\u2069", "")
    assert "Phone: 0300 123 2040" in text  # Report Fraud, from GB.toml
    assert "Phone: 96110" not in text
    window.session.set_region("CN")
    lesson.retranslate()
    assert "Phone: \u206696110\u2069" in lesson.browser.toPlainText()


def test_help_block_without_region_asks_to_choose_one(make_window):
    window = make_window(lessons=PROJECT / "lessons", locale="en")
    window.sign_in(window.session.create_learner("Noor"))
    window.session.set_region(None)
    lesson = window.go("lesson", lesson_id="fraud-or-complaint")
    QApplication.processEvents()
    assert "Choose your region in Settings" in lesson.browser.toPlainText()


def test_default_region_comes_from_the_system_locale():
    assert default_region(["en-GB"], REGIONS) == "GB"
    assert default_region(["zh-TW", "en"], REGIONS) == "TW"
    assert default_region(["fr-FR"], REGIONS) is None
