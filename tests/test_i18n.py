"""Locale negotiation, fallback chains, plurals, CLDR formatting and Qt's own strings."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app import i18n


@pytest.mark.parametrize(
    "tag, chain",
    [
        ("zh-Hant-HK", ["zh-Hant-HK", "zh-Hant", "en"]),
        ("zh-HK", ["zh-Hant-HK", "zh-Hant", "en"]),  # script inferred from CLDR likely subtags
        ("zh_CN.UTF-8", ["zh-Hans-CN", "zh-Hans", "en"]),
        ("es-MX", ["es-MX", "es", "en"]),
        ("es-GB", ["es-GB", "es", "en"]),  # a combination CLDR has no data for still falls back by language
        ("ar-SA", ["ar-SA", "ar", "en"]),
        ("en", ["en"]),
    ],
)
def test_fallback_chain(tag, chain):
    assert i18n.fallback_chain(tag) == chain


@pytest.mark.parametrize(
    "preferred, expected",
    [(["zh-TW"], "zh-Hant"), (["zh-CN"], "zh-Hans"), (["es-MX"], "es"), (["fr-FR", "ar-AE"], "ar"), (["fr"], "en")],
)
def test_negotiate_picks_best_shipped_language(preferred, expected):
    assert i18n.negotiate(preferred, ["en", "zh-Hans", "zh-Hant", "es", "ar"]) == expected


def test_system_locale_is_read_from_environment(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh_CN:en")
    assert i18n.system_locale_tags()[:2] == ["zh-Hans-CN", "en"]


def test_runtime_switch_and_plurals():
    i18n.set_locale("en")
    assert i18n.format_duration_minutes(60) == "1 minute"
    assert i18n.format_duration_minutes(300) == "5 minutes"
    i18n.set_locale("zh-Hans")
    assert i18n._("Home") == "首页"
    assert i18n.format_duration_minutes(300) == "5 分钟"
    assert i18n._("") == ""  # never the catalog header


def test_cldr_formatting_follows_the_locale():
    assert i18n.format_percent(0.7, "en") == "70%"
    assert i18n.format_number(12345.5, "es") == "12.345,5"
    assert i18n.format_currency(1000, "CNY", "zh-Hans") == "¥1,000.00"
    assert i18n.format_date(date(2026, 11, 27), "zh-Hans") == "2026年11月27日"
    assert i18n.is_rtl("ar") and not i18n.is_rtl("zh-Hans")


def test_language_names_are_in_their_own_language():
    assert i18n.language_name("zh-Hans") == "中文 (简体)"
    assert i18n.language_name("ar") == "العربية"
    assert i18n.language_name("es") == "Español"
    assert i18n.language_name("pt-BR") == "Português (Brasil)"  # not shipped: straight from CLDR


def test_writing_direction_agrees_with_cldr():
    """is_rtl reads no CLDR data for shipped languages (it is on the start-up path)."""
    for tag in [*i18n.shipped_locales(), "ar-SA", "ar-AE", "ar_EG", "zh-Hant-HK", "es-MX", "en-GB", "he", "fa"]:
        assert i18n.is_rtl(tag) == i18n.cldr_is_rtl(tag), tag
    assert i18n.is_rtl("ar-SA") and not i18n.is_rtl("zh-Hant-TW")


def test_the_stored_language_names_are_cldr_s():
    """The language box's names are kept in i18n.NATIVE_NAMES so a start need not read five
    languages' CLDR data; every shipped language must have one, spelt as CLDR spells it."""
    assert set(i18n.NATIVE_NAMES) == set(i18n.shipped_locales())
    for tag, name in i18n.NATIVE_NAMES.items():
        assert name == i18n.cldr_language_name(tag)


def test_qt_standard_buttons_follow_the_language(make_window):
    window = make_window(locale="en")
    box = QDialogButtonBox(QDialogButtonBox.Cancel)
    assert box.button(QDialogButtonBox.Cancel).text() == "Cancel"
    window.change_language("zh-Hans")
    box = QDialogButtonBox(QDialogButtonBox.Cancel)
    assert box.button(QDialogButtonBox.Cancel).text() == "取消"
    window.change_language("en")


def test_language_changes_leave_no_qt_translator_behind(make_window, qapp):
    """A kiosk changes language at every visit; each change used to leave a QTranslator behind."""
    from PySide6.QtCore import QTranslator

    window = make_window(locale="en")
    before = len(qapp.findChildren(QTranslator))
    for tag in ["zh-Hans", "ar", "es", "zh-Hant", "en"] * 4:
        window.change_language(tag)
    assert len(qapp.findChildren(QTranslator)) == before
    window.change_language("ar")
    assert QDialogButtonBox(QDialogButtonBox.Cancel).button(QDialogButtonBox.Cancel).text() == "ألغِ"  # Qt's own Arabic
    window.change_language("en")


@pytest.mark.parametrize(
    "typed, tag, number",
    [
        ("18.25", "es", "18.25"), ("18,25", "es", "18.25"), ("4.800", "es", "4800"), ("4,800", "en", "4800"),
        ("1,5", "en", "1.5"), ("1.234,56", "es", "1234.56"), ("1,234.56", "en", "1234.56"),
        ("١٢٣٫٥", "ar", "123.5"), ("10 000", "es", "10000"),
    ],
)
def test_numbers_typed_in_any_local_style(typed, tag, number):
    assert i18n.normalize_number_input(typed, tag) == number


def test_shipped_languages_short_cuts_give_what_cldr_gives(monkeypatch):
    """normalize() and fallback_chain() skip Babel for shipped tags (start-up path); same answers."""
    fast = {(tag, final): (i18n.normalize(tag), i18n.fallback_chain(tag, final))
            for tag in i18n.NATIVE_NAMES for final in ("en", "", "es")}  # fmt: skip
    monkeypatch.setattr(i18n, "NATIVE_NAMES", {})
    for (tag, final), answers in fast.items():
        assert answers == (i18n.normalize(tag), i18n.fallback_chain(tag, final)), (tag, final)


def test_an_english_start_reads_no_cldr_data():
    """Starting in English (the first window) needs neither Babel nor CLDR data."""
    import subprocess
    import sys

    from tests.conftest import PROJECT

    code = ("import sys; from app import i18n; i18n.set_locale('en'); i18n._('Home'); i18n.is_rtl('en'); "
            "i18n.language_name('ar'); print(sorted(m for m in sys.modules if m.startswith('babel')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_START_IN = ("import sys; from app import i18n; i18n.set_locale(sys.argv[1]); print(i18n._('Home')); "
             "print('babel' in sys.modules)")  # fmt: skip


def test_compiled_catalogs_are_kept_so_a_start_needs_no_babel(private_data_dir):
    """The first start in a language compiles its catalog; later starts read the kept one."""
    import subprocess
    import sys

    from tests.conftest import PROJECT

    def start(tag):
        out = subprocess.run([sys.executable, "-c", _START_IN, tag], cwd=PROJECT, capture_output=True,
                             text=True, check=True)  # fmt: skip
        return out.stdout.splitlines()

    assert start("zh-Hans") == ["首页", "True"]  # compiled now
    kept = list((private_data_dir / "cache" / "locales").glob("zh-Hans-*.mo"))
    assert len(kept) == 1
    assert start("zh-Hans") == ["首页", "False"]  # read back, no Babel
    kept[0].write_bytes(kept[0].read_bytes()[:100])  # damaged: compiled again and replaced
    assert start("zh-Hans") == ["首页", "True"]
    assert start("zh-Hans") == ["首页", "False"]


def test_an_edited_catalog_is_compiled_again_and_an_unwritable_cache_is_no_obstacle(tmp_path, monkeypatch):
    import shutil

    from app import paths

    locales = tmp_path / "locales"
    shutil.copytree(paths.locales_dir() / "es", locales / "es")
    monkeypatch.setenv("LANTERN_LOCALES_DIR", str(locales))
    monkeypatch.setenv("LANTERN_CACHE_DIR", str(tmp_path / "cache"))
    compile_es = i18n._compiled.__wrapped__
    first = compile_es("es")
    assert compile_es("es") == first  # from the kept copy
    po = locales / "es" / "LC_MESSAGES" / "lantern.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Inicio"', 'msgstr "Portada"'), encoding="utf-8")
    second = compile_es("es")
    assert second != first and "Portada".encode() in second
    assert [p.name.split("-")[0] for p in (tmp_path / "cache" / "locales").iterdir()] == ["es"]  # old one gone
    regional = tmp_path / "cache" / "locales" / f"es-MX-{'0' * 32}.mo"
    regional.write_bytes(b"")  # another language's catalog (a regional UI catalog) is left alone
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Portada"', 'msgstr "Inicio"'), encoding="utf-8")
    assert compile_es("es") == first and regional.exists()
    shutil.rmtree(tmp_path / "cache")
    (tmp_path / "cache").write_text("a file where the folder should be")
    assert compile_es("es") == first  # compiled, not kept, no error
