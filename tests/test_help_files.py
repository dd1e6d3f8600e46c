"""Checks for the "where to get help" directory in lessons/help/<REGION>.toml.

The help directory is the single source of truth for phone numbers and addresses
shown to learners, so every file must parse and follow one schema.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from app.content.lesson import HELP_CATEGORIES

HELP_DIR = Path(__file__).resolve().parent.parent / "lessons" / "help"

REGIONS = ["CN", "HK", "TW", "US", "GB", "ES", "MX", "SA", "AE"]

STEPS = {"firm", "regulator", "ombudsman", "mediation", "arbitration", "court", "fraud"}
# Channels are listed in escalation order; steps in the same tier may mix.
STEP_RANK = {
    "firm": 0,
    "regulator": 1,
    "ombudsman": 1,
    "mediation": 2,
    "arbitration": 2,
    "court": 3,
    "fraud": 4,
}
COVERS = set(HELP_CATEGORIES)  # the categories lessons' help blocks may ask for
LANGUAGES = {"en", "es", "ar", "zh-Hans", "zh-Hant"}

TOP_KEYS = {"region", "verified", "local_languages", "channels"}
REQUIRED_TOP_KEYS = TOP_KEYS
CHANNEL_KEYS = {
    "id",
    "step",
    "covers",
    "phone",
    "phones",
    "website",
    "email",
    "source",
    "verified",
    "name",
    "covers_text",
    "time_limit",
    "notes",
}
REQUIRED_CHANNEL_KEYS = {"id", "step", "covers", "source", "verified", "name", "covers_text"}
TEXT_TABLES = ("name", "covers_text", "time_limit", "notes")

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Digits, spaces, + - ( ) and letters for vanity numbers such as 800SANADAK or 1-877-FTC-HELP.
PHONE = re.compile(r"^[0-9A-Za-z +\-()]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def load(region: str) -> dict:
    with open(HELP_DIR / f"{region}.toml", "rb") as fh:
        return tomllib.load(fh)


def phones_of(channel: dict) -> list[str]:
    if "phones" in channel:
        return list(channel["phones"])
    if "phone" in channel:
        return [channel["phone"]]
    return []


def test_all_regions_present():
    found = sorted(p.stem for p in HELP_DIR.glob("*.toml"))
    missing = sorted(set(REGIONS) - set(found))
    assert not missing, f"help files missing for: {missing}"


def test_every_help_file_parses():
    for path in sorted(HELP_DIR.glob("*.toml")):
        with open(path, "rb") as fh:
            tomllib.load(fh)  # raises on any syntax error


@pytest.mark.parametrize("region", REGIONS)
def test_top_level(region):
    data = load(region)
    assert REQUIRED_TOP_KEYS <= data.keys(), f"missing: {REQUIRED_TOP_KEYS - data.keys()}"
    assert not data.keys() - TOP_KEYS, f"unknown keys: {data.keys() - TOP_KEYS}"
    assert data["region"] == region
    assert isinstance(data["verified"], dt.date)
    langs = data["local_languages"]
    assert isinstance(langs, list) and langs, "local_languages must be a non-empty list"
    assert set(langs) <= LANGUAGES, f"unknown languages: {set(langs) - LANGUAGES}"
    assert isinstance(data["channels"], list) and data["channels"]


@pytest.mark.parametrize("region", REGIONS)
def test_channels(region):
    data = load(region)
    langs = ["en", *data["local_languages"]]
    seen: set[str] = set()
    for ch in data["channels"]:
        where = f"{region}:{ch.get('id', '?')}"
        assert REQUIRED_CHANNEL_KEYS <= ch.keys(), f"{where} missing {REQUIRED_CHANNEL_KEYS - ch.keys()}"
        assert not ch.keys() - CHANNEL_KEYS, f"{where} unknown keys {ch.keys() - CHANNEL_KEYS}"

        assert KEBAB.match(ch["id"]), f"{where}: id must be ASCII kebab-case"
        assert ch["id"] not in seen, f"{where}: duplicate id"
        seen.add(ch["id"])

        assert ch["step"] in STEPS, f"{where}: bad step {ch['step']!r}"
        covers = ch["covers"]
        assert isinstance(covers, list) and covers, f"{where}: covers must be a non-empty list"
        assert set(covers) <= COVERS, f"{where}: bad covers {set(covers) - COVERS}"
        assert len(set(covers)) == len(covers), f"{where}: repeated covers value"

        assert isinstance(ch["source"], str) and ch["source"].startswith("http"), where
        assert isinstance(ch["verified"], dt.date), f"{where}: verified must be a TOML date"

        for table in TEXT_TABLES:
            if table not in ch:
                continue
            texts = ch[table]
            assert isinstance(texts, dict), f"{where}: {table} must be a table"
            assert set(texts) <= LANGUAGES, f"{where}: {table} has unknown languages"
            assert "en" in texts, f"{where}: {table} needs an en text"
            for lang, text in texts.items():
                assert isinstance(text, str) and text.strip(), f"{where}: empty {table}.{lang}"
            missing = set(langs) - set(texts)
            assert not missing, f"{where}: {table} lacks {sorted(missing)}"


@pytest.mark.parametrize("region", REGIONS)
def test_texts_in_every_language(region):
    """Every region's directory can be read in all of Lantern's languages, not only its own:
    a learner in one language may need help in a region that speaks another."""
    for ch in load(region)["channels"]:
        where = f"{region}:{ch.get('id', '?')}"
        for table in TEXT_TABLES:
            if table not in ch and table in ("time_limit", "notes"):
                continue
            assert table in ch, f"{where}: missing {table}"
            texts = ch[table]
            missing = LANGUAGES - set(texts)
            assert not missing, f"{where}: {table} lacks {sorted(missing)}"
            for lang in LANGUAGES:
                assert isinstance(texts[lang], str) and texts[lang].strip(), f"{where}: empty {table}.{lang}"


@pytest.mark.parametrize("region", REGIONS)
def test_contacts(region):
    for ch in load(region)["channels"]:
        where = f"{region}:{ch['id']}"
        assert not ("phone" in ch and "phones" in ch), f"{where}: use phone or phones, not both"
        if "phones" in ch:
            assert isinstance(ch["phones"], list) and len(ch["phones"]) >= 2, where
        for number in phones_of(ch):
            assert isinstance(number, str) and PHONE.match(number), f"{where}: bad phone {number!r}"
            assert re.search(r"[0-9]", number), f"{where}: phone without digits {number!r}"
        if "website" in ch:
            assert ch["website"].startswith("https://"), f"{where}: website must be https"
            assert " " not in ch["website"], where
        if "email" in ch:
            assert EMAIL.match(ch["email"]), f"{where}: bad email {ch['email']!r}"


@pytest.mark.parametrize("region", REGIONS)
def test_escalation_order(region):
    channels = load(region)["channels"]
    first = channels[0]
    assert first["id"] == "the-firm" and first["step"] == "firm", "the firm comes first"
    assert not phones_of(first), "the-firm entry has no phone"
    assert "time_limit" in first or "notes" in first or "covers_text" in first
    ranks = [STEP_RANK[ch["step"]] for ch in channels]
    assert ranks == sorted(ranks), f"channels out of escalation order: {[c['step'] for c in channels]}"
