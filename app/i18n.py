"""Languages: gettext catalogs, locale negotiation, CLDR formatting, direction.

No Qt here. Locale tags are BCP 47 (``en``, ``zh-Hans``, ``zh-Hant-HK``);
Babel does the parsing and the CLDR data. UI catalogs are ``.po`` files under
``locales/<tag>/LC_MESSAGES/lantern.po`` and are compiled in memory on first
use, so a fresh checkout runs without a build step.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from app import paths

if TYPE_CHECKING:
    from babel import Locale

# Babel is imported where CLDR data is needed, not here: a start in a shipped language paints
# its first window without it (tags, fallback chains and names of shipped languages are known).

SOURCE_LOCALE = "en"
DOMAIN = "lantern"


# ---------------------------------------------------------------- tags


def to_babel(tag: str) -> Locale:
    """Parse a BCP 47 tag (``zh-Hant-HK``) or POSIX name (``zh_Hant_HK``)."""
    from babel import Locale

    tag = tag.strip().split(".")[0].split("@")[0]  # drop POSIX ".UTF-8" / "@euro"
    return Locale.parse(tag.replace("-", "_"))


def to_tag(locale: Locale) -> str:
    parts = [locale.language, locale.script, locale.territory]
    return "-".join(p for p in parts if p)


def normalize(tag: str) -> str:
    """Canonical BCP 47 spelling of *tag*; raises ValueError when unknown."""
    if tag in NATIVE_NAMES:
        return tag  # a shipped language's tag is canonical already
    from babel import UnknownLocaleError

    try:
        return to_tag(to_babel(tag))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {tag!r}") from exc


def _parts(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, territory) of a tag, with the script filled in from CLDR
    likely subtags for languages written in several scripts (zh-HK → zh, Hant, HK).

    Parsing only: the combination need not exist in CLDR (es-GB, ar-CN are fine).
    """
    from babel.core import get_global, parse_locale

    clean = tag.strip().split(".")[0].split("@")[0].replace("_", "-")
    language, territory, script, _variant = parse_locale(clean, sep="-")[:4]
    if not script and language in ("zh", "sr", "pa", "uz", "az"):
        # Only these languages carry the script in their tags; "en-Latn" would be noise.
        likely = get_global("likely_subtags")
        full = likely.get(f"{language}_{territory}" if territory else language) or likely.get(language)
        if full:
            script = parse_locale(full)[2]
    return language, script, territory


def fallback_chain(tag: str, final: str = SOURCE_LOCALE) -> list[str]:
    """Tags to try, most specific first: zh-Hant-HK → zh-Hant → en; es-GB → es → en.

    A bare ``zh`` is never offered: Lantern's Chinese content is per script.
    """
    if tag in NATIVE_NAMES:  # shipped languages have no region: the general rule gives just this
        return [tag] if final == tag else [tag, final]
    try:
        language, script, territory = _parts(tag)
    except ValueError:
        return [final]
    candidates = [(language, script, territory), (language, script, None)]
    if not script:
        candidates.append((language, None, None))
    chain: list[str] = []
    for cand in candidates:
        t = "-".join(p for p in cand if p)
        if t not in chain:
            chain.append(t)
    if final not in chain:
        chain.append(final)
    return chain


def negotiate(preferred: list[str], available: list[str]) -> str:
    """The best of *available* for a user who prefers *preferred*, in order."""
    for tag in preferred:
        for candidate in fallback_chain(tag, final=""):
            if candidate in available:
                return candidate
            for option in available:  # es-MX learner, only "es" shipped → "es"
                if option.split("-")[0] == candidate and "-" not in option:
                    return option
    return SOURCE_LOCALE if SOURCE_LOCALE in available else available[0]


def system_locale_tags() -> list[str]:
    """The operating system's preferred languages, as BCP 47 tags."""
    import locale as _locale

    tags = []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            tags.extend(v for v in value.split(":") if v)
    if not tags:
        lang, _enc = _locale.getlocale()
        if lang:
            tags.append(lang)
    result = []
    for t in tags:
        if t in ("C", "POSIX"):
            continue
        try:
            result.append(normalize(t))
        except ValueError:
            continue
    return result


# ---------------------------------------------------------------- catalogs


def shipped_locales() -> list[str]:
    """Languages with a UI catalog, plus English (the source language)."""
    found = {SOURCE_LOCALE}
    root = paths.locales_dir()
    if root.is_dir():
        for po in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
            found.add(po.parent.parent.name)
    order = ["en", "zh-Hans", "zh-Hant", "es", "ar"]
    return sorted(found, key=lambda t: (order.index(t) if t in order else len(order), t))


@lru_cache(maxsize=None)
def _compiled(tag: str) -> bytes | None:
    """The .mo bytes for exactly *tag* (compiled from its .po), or None.

    Compiling takes Babel and about 20 ms, on the way to a learner's first window, so the
    result is kept in the cache folder under the .po file's SHA-256: an edited catalog is
    compiled again, and a missing or unwritable cache only means compiling every time.
    """
    import hashlib

    po_path = paths.locales_dir() / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        po = po_path.read_bytes()
    except OSError:
        return None
    kept = paths.cache_dir() / "locales" / f"{tag}-{hashlib.sha256(po).hexdigest()[:32]}.mo"
    try:
        data = kept.read_bytes()
        _gettext.GNUTranslations(io.BytesIO(data))  # damaged (a crash mid-write elsewhere): compile again
        return data
    except Exception:  # noqa: BLE001 - OSError, or whatever a damaged .mo makes gettext raise
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buf = io.BytesIO()
    write_mo(buf, read_po(io.BytesIO(po), locale=tag.replace("-", "_")), use_fuzzy=False)
    data = buf.getvalue()
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob(f"{tag}-*.mo"):  # earlier versions of this catalog (not zh-Hans-HK's)
            if re.fullmatch(re.escape(tag) + r"-[0-9a-f]{32}\.mo", old.name):
                old.unlink(missing_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, kept)  # whole or not at all: a reader never sees half a file
    except OSError:
        pass
    return data


def translations_for(tag: str) -> _gettext.NullTranslations:
    """Catalog for *tag* falling back along its chain (zh-Hant-HK → zh-Hant → en)."""
    found = [_compiled(t) for t in fallback_chain(tag) if t != SOURCE_LOCALE]
    catalogs = [_gettext.GNUTranslations(io.BytesIO(data)) for data in found if data]
    if not catalogs:
        return _gettext.NullTranslations()
    for earlier, later in zip(catalogs, catalogs[1:]):
        earlier.add_fallback(later)
    return catalogs[0]


@dataclass
class _State:
    tag: str = SOURCE_LOCALE
    translations: _gettext.NullTranslations = _gettext.NullTranslations()


_state = _State()
_listeners: list = []


def set_locale(tag: str) -> str:
    """Make *tag* the language of the UI; returns the normalized tag."""
    tag = normalize(tag)
    _state.tag = tag
    _state.translations = translations_for(tag)
    for listener in list(_listeners):
        listener(tag)
    return tag


def current_locale() -> str:
    return _state.tag


def on_locale_changed(callback) -> None:
    """Call *callback(tag)* after every :func:`set_locale`."""
    _listeners.append(callback)


def _(message: str) -> str:
    if not message:  # gettext("") returns the catalog header
        return message
    return _state.translations.gettext(message)


def N_(message: str) -> str:
    """Mark *message* for extraction; translate it later with ``_()``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _state.translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _state.translations.npgettext(context, singular, plural, n)


# ---------------------------------------------------------------- CLDR


def babel_locale(tag: str | None = None) -> Locale:
    return to_babel(tag or _state.tag)


def is_rtl(tag: str | None = None) -> bool:
    """True for languages written right to left (ar, ar-SA…)."""
    language = (tag or _state.tag).replace("_", "-").split("-")[0]
    for shipped, name in NATIVE_NAMES.items():
        if shipped.split("-")[0] == language:
            # A shipped language's own name is in its script: no CLDR data to read (~15 ms) at start-up.
            return unicodedata.bidirectional(name[0]) in ("R", "AL")
    return cldr_is_rtl(tag)


def cldr_is_rtl(tag: str | None = None) -> bool:
    return babel_locale(tag).character_order == "right-to-left"


# The shipped languages' names in themselves, as cldr_language_name() gives them (a test keeps
# the two equal): reading five languages' CLDR data just to fill the language box would add
# about 40 ms to every start.
NATIVE_NAMES = {"en": "English", "zh-Hans": "中文 (简体)", "zh-Hant": "中文 (繁體)", "es": "Español", "ar": "العربية"}


def language_name(tag: str) -> str:
    """The language's name in itself: 中文 (简体), العربية, Español."""
    return NATIVE_NAMES.get(tag) or cldr_language_name(tag)


def cldr_language_name(tag: str) -> str:
    name = to_babel(tag).display_name or tag
    return name[:1].upper() + name[1:]


def territory_name(region: str, tag: str | None = None) -> str:
    return babel_locale(tag).territories.get(region.upper(), region)


def format_number(value: float, tag: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(tag))


def format_percent(value: float, tag: str | None = None) -> str:
    """*value* is a share: 0.7 → "70%"."""
    from babel.numbers import format_percent as _fp

    return _fp(value, locale=babel_locale(tag))


def format_currency(amount: float, currency: str, tag: str | None = None) -> str:
    from babel.numbers import format_currency as _fc

    return _fc(amount, currency, locale=babel_locale(tag))


def format_date(value: date | datetime, tag: str | None = None, fmt: str = "medium") -> str:
    from babel.dates import format_date as _fd

    if isinstance(value, datetime):
        value = value.date()
    return _fd(value, format=fmt, locale=babel_locale(tag))


def format_duration_minutes(seconds: float) -> str:
    minutes = max(0, round(seconds / 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


_NATIVE_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_number_input(text: str, tag: str | None = None) -> str:
    """What a learner typed as a number, as a plain "1234.5" string.

    Accepts Arabic-Indic digits, the Arabic decimal and group marks, spaces,
    and either "." or "," as the decimal mark: a mark that appears once and is
    not followed by exactly three digits is the decimal mark, whatever the
    locale says ("18.25" and "18,25" are both 18.25; "4,800" and "4.800" are
    4800 where that mark groups thousands).
    """
    from babel.numbers import get_group_symbol

    text = text.strip().translate(_NATIVE_DIGITS).replace("٫", ".").replace("٬", ",")
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "\u00a0\u202f'’")
    group = get_group_symbol(babel_locale(tag))
    marks = [ch for ch in text if ch in ".,"]
    if not marks:
        return text
    last = max(text.rfind("."), text.rfind(","))
    if len(set(marks)) == 2:
        # Both marks: the last one is the decimal mark, the other groups thousands.
        integer, fraction = text[:last], text[last + 1:]
        return integer.replace(".", "").replace(",", "") + "." + fraction
    mark = marks[0]
    if len(marks) > 1:
        return text.replace(mark, "")  # "1.000.000": grouping only
    digits_after = len(text) - last - 1
    if digits_after == 3 and mark == group:
        return text.replace(mark, "")  # "4,800" in English, "4.800" in Spanish
    return text.replace(mark, ".")


def isolate(text: str) -> str:
    """Wrap text of unknown direction (a nickname, a lesson title) in Unicode isolates.

    Inside a sentence of the other direction ("Continue: ‹Arabic title›") the
    bidirectional algorithm would otherwise reorder the punctuation around it.
    """
    return f"\u2068{text}\u2069"


def content_locale(language: str, region: str | None) -> str:
    """The tag lessons are chosen by: the learner's language plus their region
    (es + MX → es-MX, which falls back to es, then en)."""
    if not region:
        return language
    parts = language.split("-")
    if len(parts[-1]) == 2 and parts[-1].isupper():
        parts = parts[:-1]  # the language tag already names a territory
    return "-".join(parts + [region.upper()])
