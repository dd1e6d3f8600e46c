"""Lantern's number markup: amounts shown in the learner's own currency and style.

Lesson writers put ``{{money 1000}}``, ``{{number 1234.5}}`` or
``{{percent 0.05}}`` in lesson and quiz text. Each is formatted with Babel
for the lesson's language and the learner's region: ``{{money 1000}}`` reads
"1.000 €" in Spain, "$1,000" in Mexico, "HK$1,000" in Hong Kong. Amounts are
not converted between currencies; writers choose amounts that make sense in
every region their language serves. Without a region the bare number shows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, format_percent, get_territory_currencies

MARKUP_RE = re.compile(r"\{\{\s*(money|number|percent)\s+(-?\d+(?:\.\d+)?)\s*\}\}")


@lru_cache(maxsize=64)
def _babel_locale(language: str, region: str | None) -> Locale:
    base = Locale.parse(language.replace("-", "_"))
    if region:
        try:
            return Locale(base.language, region.upper(), script=base.script)
        except (UnknownLocaleError, ValueError):
            pass
    return base


@lru_cache(maxsize=64)
def region_currency(region: str | None) -> str | None:
    if not region:
        return None
    currencies = get_territory_currencies(region.upper(), tender=True)
    return currencies[0] if currencies else None


def _money(amount: float, locale: Locale, currency: str | None) -> str:
    if currency is None:
        return format_decimal(amount, locale=locale)
    pattern = locale.currency_formats["standard"].pattern
    if float(amount).is_integer():
        # Whole amounts read better without ".00" in running text.
        pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)


def expand(text: str, language: str, region: str | None = None) -> str:
    """Replace every markup in *text* with the formatted value."""
    if "{{" not in text:
        return text
    locale = _babel_locale(language, region)
    currency = region_currency(region)

    def replace(match: re.Match) -> str:
        kind, raw = match.group(1), match.group(2)
        value = float(raw) if "." in raw else int(raw)
        if kind == "money":
            return _money(value, locale, currency)
        if kind == "percent":
            return format_percent(value, locale=locale, decimal_quantization=False)
        return format_decimal(value, locale=locale)

    return MARKUP_RE.sub(replace, text)


def find_unknown(text: str) -> list[tuple[int, str]]:
    """``{{…}}`` uses that are not valid markup, as (line, text), for the checker."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in re.finditer(r"\{\{[^{}]*\}\}", line):
            if not MARKUP_RE.fullmatch(match.group(0)):
                found.append((number, match.group(0)))
    return found
