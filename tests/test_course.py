"""The bundled course: complete in every language, one source of truth for contacts."""

from __future__ import annotations

import re
import tomllib

import pytest

from app.content.catalog import KNOWLEDGE_CHECK, Library
from app.content.gift import QUESTION_TYPES
from tests.conftest import PROJECT

LESSONS = PROJECT / "lessons"
COURSE_LANGUAGES = ["en", "zh-Hans"]
TRACKS = ["risk-awareness", "privacy-rights", "complaint-channels", "money-basics"]
MIN_LESSONS = {"risk-awareness": 6, "privacy-rights": 5, "complaint-channels": 5, "money-basics": 5}


@pytest.fixture(scope="module")
def library():
    return Library.load(LESSONS)


def test_course_loads_without_problems(library):
    assert library.broken == []
    assert [p.format() for p in library.problems if p.is_error] == []
    assert library.track_ids() == TRACKS


@pytest.mark.parametrize("track", TRACKS)
def test_every_lesson_in_every_course_language_with_same_questions(library, track):
    ids = library.lesson_ids(track)
    assert len(ids) >= MIN_LESSONS[track]
    for locale in COURSE_LANGUAGES:
        assert locale in library.tracks[track], f"{track} has no _track.{locale}.md"
    for lesson_id in ids:
        variants = library.lessons[lesson_id]
        source = [(q.id, q.type) for q in variants["en"].questions]
        assert len([q for q in variants["en"].questions if q.type != "description"]) >= 4
        for locale in COURSE_LANGUAGES:
            assert locale in variants, f"{lesson_id} is missing in {locale}"
            assert [(q.id, q.type) for q in variants[locale].questions] == source, (lesson_id, locale)


@pytest.mark.parametrize("track", TRACKS)
def test_each_track_uses_at_least_three_question_types(library, track):
    types = {q.type for lid in library.lesson_ids(track) for q in library.lessons[lid]["en"].questions}
    assert len(types) >= 3, types


def test_course_uses_every_gift_question_type(library):
    types = {q.type for variants in library.lessons.values() for q in variants["en"].questions}
    missing_word = any("_____" in q.text for v in library.lessons.values() for q in v["en"].questions)
    assert set(QUESTION_TYPES) - {"description"} <= types
    assert missing_word


def test_knowledge_check_covers_the_seven_oecd_concepts(library):
    check = library.knowledge_check("en").item
    assert check.kind == "knowledge-check"
    assert {q.id for q in check.questions} == {
        "time-value", "loan-interest", "simple-interest", "compound-interest",
        "risk-return", "inflation", "diversification",
    }
    assert KNOWLEDGE_CHECK not in library.track_ids()


# ---------------------------------------------------------------- contacts

_PHONE_CONTEXT = re.compile(
    r"\b(?:call|calls|phone|hotline|helpline|dial|sms)\b|"
    r"电话|電話|热线|熱線|专线|專線|拨打|撥打|致电|致電|报警|報警|短信|簡訊|"
    r"llam|tel[eé]fono|\bl[ií]nea\b|"
    r"اتصل|هاتف|الخط",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,/$¥€£])(\+?\d[\d \-()]{1,18}\d|\d{3})(?![\w,%/]|[.,]\d)")
_WEB = re.compile(r"\b(?:https?://)?(?:[a-z0-9-]+\.)+(?:gov|org|com|cn|hk|tw|uk|es|mx|sa|ae|police|net)(?:\.[a-z]{2})?\b[^\s)\]>\"']*", re.I)


def _help_contacts() -> tuple[set[str], str]:
    """All phone numbers (digits only) and the full text of the help directory."""
    phones, text = set(), ""
    for path in (LESSONS / "help").glob("*.toml"):
        raw = path.read_text(encoding="utf-8")
        text += raw
        data = tomllib.loads(raw)
        for channel in data["channels"]:
            for phone in channel.get("phones", []) + ([channel["phone"]] if "phone" in channel else []):
                phones.add(re.sub(r"\D", "", phone))
    # Numbers the directory mentions in its notes (e.g. the SMS sender 12381) count too.
    phones |= {re.sub(r"\D", "", m) for m in re.findall(r"\d{3,}", text)}
    return phones, text.lower()


def _lesson_texts(library):
    for variants in library.lessons.values():
        for lesson in variants.values():
            parts = [lesson.body]
            for q in lesson.questions:
                parts.append(q.text)
                parts.extend(getattr(a, "text", "") + " " + getattr(a, "feedback", "") for a in q.answers)
                parts.append(q.general_feedback)
            yield lesson, "\n".join(parts)


def unknown_phones(text: str, phones: set[str]) -> list[str]:
    """Phone-like numbers in *text* that the help directory does not list."""
    unknown = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        # The words just before the number, within its own sentence or table cell.
        window = re.split(r"[|\n.。]", text[max(0, match.start() - 40): match.start()])[-1]
        after = text[match.end(): match.end() + 8]
        if re.match(r"\s?(元|块|萬|万|％|euros?|pesos?|dollars?|ريال|درهم)", after, re.I):
            continue  # an amount of money, not a phone number
        looks_like_phone = len(digits) >= 7 or _PHONE_CONTEXT.search(window)
        if not looks_like_phone or (len(digits) == 4 and 1900 <= int(digits) <= 2100):
            continue
        if not any(p.endswith(digits) or digits.endswith(p) for p in phones if len(p) >= 3):
            unknown.append(match.group(1))
    return unknown


def test_phone_detector_finds_unlisted_numbers_and_ignores_amounts():
    phones = {"12378", "08001116768"}
    assert unknown_phones("Call 0800 999 1234 today.", phones) == ["0800 999 1234"]
    assert unknown_phones("拨打 12399 举报。", phones) == ["12399"]
    assert unknown_phones("Call 12378, or the FCA on 0800 111 6768.", phones) == []
    assert unknown_phones("You lose 260 元. Type a number: 200. | phone | 130 |", phones) == []


def test_every_phone_number_in_lessons_is_in_the_help_directory(library):
    phones, _text = _help_contacts()
    unknown = [f"{lesson.path.name}: {n}" for lesson, text in _lesson_texts(library) for n in unknown_phones(text, phones)]
    assert unknown == []


def test_every_website_in_lessons_is_in_the_help_directory(library):
    _phones, help_text = _help_contacts()
    unknown = []
    for lesson, text in _lesson_texts(library):
        for match in _WEB.finditer(text):
            site = match.group(0).lower().removeprefix("https://").removeprefix("http://").rstrip(".,;:")
            if site.split("/")[0] not in help_text:
                unknown.append(f"{lesson.path.name}: {site}")
    assert unknown == []


def test_curriculum_table_matches_the_library(library):
    import importlib.util

    spec = importlib.util.spec_from_file_location("lesson_matrix", PROJECT / "tools" / "lesson_matrix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = (PROJECT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    assert module.matrix(library) in doc, "run: python tools/lesson_matrix.py --write"
