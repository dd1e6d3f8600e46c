"""A language whose script has no font gets plain advice instead of empty boxes."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from app.ui import fonts


def test_installed_fonts_cover_every_shipped_script(qapp):
    # CI installs fonts-noto-cjk and fonts-noto-core, as the README asks.
    for tag in ("zh-Hans", "zh-Hant", "ar", "en", "es"):
        assert not fonts.missing_font(tag), tag


def test_missing_script_is_detected_and_explained(qapp):
    no_cjk = lambda system: [] if system in (QFontDatabase.SimplifiedChinese,) else ["Noto Sans"]  # noqa: E731
    assert fonts.missing_font("zh-Hans", families=no_cjk)
    assert fonts.missing_font("zh-Hans-CN", families=no_cjk)
    assert not fonts.missing_font("es", families=no_cjk)
    advice = fonts.install_advice("zh-Hans", platform="linux")
    assert "fonts-noto-cjk" in advice and "Chinese (Simplified)" in advice
    assert "Settings > Time & Language" in fonts.install_advice("ar", platform="win32")


def test_main_window_shows_the_advice(make_window, monkeypatch):
    window = make_window()
    assert not window.font_warning.isVisible()
    monkeypatch.setattr(fonts, "missing_font", lambda tag, families=None: tag == "zh-Hans")
    window.change_language("zh-Hans")
    assert window.font_warning.isVisible() and "fonts-noto-cjk" in window.font_warning.text()
    window.change_language("en")
    assert not window.font_warning.isVisible()
