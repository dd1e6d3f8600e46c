"""`lantern preview`: reloads when the file changes (also when an editor replaces it), switches
between translations and lists problems beside the last good rendering instead of failing."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import FIXTURE_LESSONS


@pytest.fixture
def lesson_copy(tmp_path):
    track = tmp_path / "basics"
    shutil.copytree(FIXTURE_LESSONS / "basics", track)
    return track / "every-type.en.md"


@pytest.fixture
def preview(qtbot, lesson_copy):
    from app.ui.preview import PreviewWindow

    window = PreviewWindow(lesson_copy, debounce_ms=10)
    qtbot.addWidget(window)
    window.show()
    return window


def _problems(window) -> list[str]:
    return [window.problem_list.item(i).text() for i in range(window.problem_list.count())]


def test_edit_in_place_reloads_and_shows_new_text(qtbot, preview, lesson_copy):
    assert "Every question type" in preview.browser.toPlainText()
    text = lesson_copy.read_text(encoding="utf-8").replace("Every question type", "Freshly edited title")
    with qtbot.waitSignal(preview.reloaded, timeout=5000):
        lesson_copy.write_text(text, encoding="utf-8")
    assert "Freshly edited title" in preview.browser.toPlainText()


def test_replace_by_rename_keeps_watching(qtbot, preview, lesson_copy):
    original = lesson_copy.read_text(encoding="utf-8")
    for round_ in range(2):  # the second save proves the file is watched again after the first
        text = original.replace("Some **bold** text", f"Saved {round_} **bold** text")
        tmp = lesson_copy.with_name(".every-type.en.md.swp")
        tmp.write_text(text, encoding="utf-8")
        with qtbot.waitSignal(preview.reloaded, timeout=5000):
            os.replace(tmp, lesson_copy)
        qtbot.waitUntil(lambda: f"Saved {round_} bold" in preview.browser.toPlainText(), timeout=5000)
        assert str(lesson_copy.resolve()) in preview.watcher.files()


def test_broken_save_lists_the_problem_and_keeps_the_last_rendering(qtbot, preview, lesson_copy):
    good = lesson_copy.read_text(encoding="utf-8")
    with qtbot.waitSignal(preview.reloaded, timeout=5000):
        lesson_copy.write_text(good.replace("title: Every question type", "title: [broken"), encoding="utf-8")
    qtbot.waitUntil(lambda: any("FM004" in p for p in _problems(preview)), timeout=5000)
    assert "Every question type" in preview.browser.toPlainText()
    assert preview.notice.isVisible()
    with qtbot.waitSignal(preview.reloaded, timeout=5000):
        lesson_copy.write_text(good.replace("~A licensed firm #A licence is a good sign, not a warning.",
                                            "~A licensed firm"), encoding="utf-8")  # fmt: skip
    qtbot.waitUntil(lambda: any("FB001" in p for p in _problems(preview)), timeout=5000)
    assert not preview.notice.isVisible()
    assert "A licensed firm" in preview.browser.toPlainText()


def test_switches_between_translations(qtbot, preview, lesson_copy):
    combo = preview.language
    assert [combo.itemData(i).rsplit("/", 1)[1] for i in range(combo.count())] == [
        "every-type.en.md", "every-type.zh-Hans.md"]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert preview.path.name == "every-type.zh-Hans.md"
    assert "每" in preview.browser.toPlainText() or preview.lesson.locale == "zh-Hans"
    assert str(preview.path) in preview.watcher.files()


def test_quiz_shows_every_answer_marked(preview):
    text = preview.browser.toPlainText()
    assert "Quiz" in text and "✔ A guaranteed high return" in text and "Inflation → Prices rising" in text
