"""Certificates: the PDF's text as a reader extracts it (Chinese and Arabic too), saving and
printing from My progress, and ``lantern certificate`` for educators."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date

import pytest

from app import i18n
from app.cli import main
from tests.conftest import FIXTURE_LESSONS

BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pdf_text(path) -> str:
    """The text poppler extracts, with ligatures (ﬁ) folded and direction marks dropped."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return unicodedata.normalize("NFKC", out.decode("utf-8")).translate(BIDI_MARKS)


def raw_pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8").translate(BIDI_MARKS)


def page_size(path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size:"))


@pytest.fixture
def write(qapp, tmp_path):
    from app.ui.certificate import Certificate, write_pdf

    def make(nickname, track, locale, name="c.pdf"):
        i18n.set_locale(locale)
        return write_pdf(Certificate(nickname, track, date(2026, 3, 12), locale), tmp_path / name)

    return make


def test_english_certificate_is_one_a4_page_with_every_line(write):
    path = write("Ana", "Spotting risky platforms", "en")
    assert path.stat().st_size > 1000
    assert "842 x 595 pts (A4)" in page_size(path)  # A4, landscape
    text = pdf_text(path)
    for line in ("Certificate of completion", "Ana", "Spotting risky platforms", "Date: March 12, 2026"):
        assert line in text


def test_chinese_certificate_text_comes_back_as_written(write):
    path = write("小梅", "识别高风险平台", "zh-Hans")
    text = raw_pdf_text(path)  # not normalised: 风 and 高 must not come back as radicals
    assert "小梅" in text and "识别高风险平台" in text
    assert "2026年3月12日" in text  # CLDR's long date for Chinese


def test_arabic_certificate_is_shaped_and_reads_right_to_left(write):
    from app.ui.certificate import Certificate, certificate_html

    path = write("ليلى", "حقوق الخصوصية", "ar")
    text = raw_pdf_text(path)
    # Joined letter forms come back as ordinary Arabic letters, words in reading order.
    assert "ليلى" in text and "حقوق الخصوصية" in text
    assert "مارس" in text and "2026" in text
    assert 'dir="rtl"' in certificate_html(Certificate("ليلى", "x", date(2026, 3, 12), "ar"))


# ---------------------------------------------------------------- My progress


def _pass_track(session) -> None:
    store, learner = session.store, session.learner
    for lesson_id in session.library.lesson_ids("basics"):
        lesson = session.library.lesson(lesson_id, "en").item
        graded = [q.id for q in lesson.graded_questions]
        for qid in graded:
            store.record_answer(learner.id, lesson_id, 1, qid, "null", 1.0)
        store.finish_attempt(learner.id, lesson_id, 1, graded, lesson.pass_score)


def _buttons(screen, name):
    from PySide6.QtWidgets import QPushButton

    return [b for b in screen.findChildren(QPushButton, name) if not b.isHidden()]


def test_certificate_buttons_appear_when_the_track_is_complete(qtbot, make_window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.ui.certificate import ChooseCertificateFile

    window = make_window()
    window.session.create_learner("Ana")
    screen = window.go("progress")
    QApplication.processEvents()  # rows added now would show on this pass
    assert _buttons(screen, "save-certificate") == []
    assert screen.certificates_text.text() == "Pass every lesson of a track to earn its certificate."

    _pass_track(window.session)
    screen = window.go("progress")
    qtbot.waitUntil(lambda: len(_buttons(screen, "save-certificate")) == 1)  # new rows show on the next pass
    [save] = _buttons(screen, "save-certificate")
    [printing] = _buttons(screen, "print-certificate")
    assert save.accessibleName() == "Save the certificate for \u2068Basics for testing\u2069 as PDF"
    out = tmp_path / "out" / "ana.pdf"
    ChooseCertificateFile.answer = out
    try:
        qtbot.mouseClick(save, Qt.LeftButton)
    finally:
        ChooseCertificateFile.answer = None
    text = pdf_text(out)
    assert "Ana" in text and "Basics for testing" in text
    assert i18n.format_date(date.today(), "en", fmt="long") in text


def test_print_goes_through_the_print_dialog(qtbot, make_window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from app.ui.certificate import PrintDialog

    window = make_window(locale="zh-Hans")
    window.session.create_learner("小梅")
    _pass_track(window.session)
    screen = window.go("progress")
    qtbot.waitUntil(lambda: len(_buttons(screen, "print-certificate")) == 1)
    [printing] = _buttons(screen, "print-certificate")
    printed = tmp_path / "printed.pdf"
    seen = []

    def accept(dialog):
        seen.append(dialog)
        dialog.printer().setOutputFormat(QPrinter.PdfFormat)  # a "printer" the test can read
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.Accepted

    PrintDialog.answer = accept
    try:
        qtbot.mouseClick(printing, Qt.LeftButton)
        assert len(seen) == 1 and isinstance(seen[0], QPrintDialog)
        text = pdf_text(printed)  # a printer's file: Qt's own text map, radicals folded by NFKC
        assert "小梅" in text and "测试用基础课" in text
        PrintDialog.answer = lambda dialog: QPrintDialog.Rejected
        assert screen.print_certificate("basics") is False  # cancelled: nothing printed
    finally:
        PrintDialog.answer = None


# ---------------------------------------------------------------- CLI


def test_cli_writes_certificates_only_for_completed_tracks(monkeypatch, tmp_path, capsys, private_data_dir):
    from app.progress.store import ProgressStore

    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(FIXTURE_LESSONS))
    store = ProgressStore(private_data_dir / "progress.db")
    learner = store.create_learner("小梅", "zh-Hans", region="CN")
    store.close()
    out = tmp_path / "mei.pdf"
    args = ["certificate", "--learner", "小梅", "--track", "basics", "--out", str(out)]
    assert main(args) == 1
    assert "has not passed every lesson" in capsys.readouterr().err and not out.exists()

    store = ProgressStore(private_data_dir / "progress.db")
    from app.content.catalog import Library

    library = Library.load(FIXTURE_LESSONS)
    for lesson_id in library.lesson_ids("basics"):
        lesson = library.lesson(lesson_id, "en").item
        graded = [q.id for q in lesson.graded_questions]
        for qid in graded:
            store.record_answer(learner.id, lesson_id, 1, qid, "null", 1.0)
        store.finish_attempt(learner.id, lesson_id, 1, graded, lesson.pass_score)
    store.close()

    assert main(args) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = raw_pdf_text(out)
    assert "小梅" in text and "测试用基础课" in text  # the learner's language by default
    assert i18n.format_date(date.today(), "zh-Hans", fmt="long") in text
    assert i18n.current_locale() == "en"  # the command put the language back

    english = tmp_path / "mei-en.pdf"
    assert main([*args[:-1], str(english), "--locale", "en"]) == 0
    assert "Basics for testing" in pdf_text(english)

    assert main(["certificate", "--learner", "Nobody", "--track", "basics", "--out", str(out)]) == 1
    assert main(["certificate", "--learner", "小梅", "--track", "no-such", "--out", str(out)]) == 2
