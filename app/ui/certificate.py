"""Certificates: one A4 page saying a learner finished a track, as PDF or on paper.

The page is a QTextDocument drawn with QPainter inside a printed frame. Qt's
text layout shapes Arabic and Chinese (font fallback included) and lays the
Arabic page out right to left; the PDF keeps the text as text, so it can be
searched, copied and read aloud. The same function writes the PDF for the
app's "Save as PDF" button and for ``lantern certificate``.

One correction to Qt's PDF: its ToUnicode maps (what a reader gets back when
it extracts text) give each glyph the *lowest* code point that the font maps
to it (QFontSubset::getReverseMap). CJK fonts draw 风 and the radical ⻛ with
one glyph, so "风" would come back as the radical; Arabic letters in their
joined forms come back as presentation forms. :func:`_fix_text_layer`
rewrites those entries to the ordinary characters, in place (same length,
so nothing else in the file moves).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRawFont,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from app import i18n
from app.i18n import _

FRAME = QColor("#1f4e79")


@dataclass(frozen=True)
class Certificate:
    nickname: str
    track_title: str
    issued: date
    locale: str  # the language the certificate is written in

    def texts(self) -> dict[str, str]:
        """Every line of the page in the certificate's language (set as the UI language by the caller)."""
        return {
            "title": _("Certificate of completion"),
            "intro": _("This certificate is awarded to"),
            "name": self.nickname,
            "body": _("for completing the Lantern course track"),
            "track": self.track_title,
            "date": _("Date: %(date)s") % {"date": i18n.format_date(self.issued, self.locale, fmt="long")},
            "footer": _("Lantern: learning to protect yourself and your money"),
        }


def unfinished_lessons(library, progress: dict, track_id: str, region: str | None) -> list[str]:
    """Lessons of the track the learner has not passed yet (empty: the track is complete)."""
    return [lesson_id for lesson_id in library.lesson_ids(track_id, region)
            if not (lesson_id in progress and progress[lesson_id].passed)]  # fmt: skip


def track_complete(library, progress: dict, track_id: str, region: str | None) -> bool:
    return bool(library.lesson_ids(track_id, region)) and not unfinished_lessons(library, progress, track_id, region)


def certificate_html(cert: Certificate) -> str:
    t = {key: html.escape(value) for key, value in cert.texts().items()}
    direction = "rtl" if i18n.is_rtl(cert.locale) else "ltr"
    styles = [("title", "font-size:30pt; font-weight:bold; color:#1f4e79;"), ("", "font-size:14pt;"),
              ("intro", "font-size:16pt;"), ("name", "font-size:28pt; font-weight:bold;"),
              ("body", "font-size:16pt;"), ("track", "font-size:22pt; font-weight:bold;"), ("", "font-size:14pt;"),
              ("date", "font-size:14pt;"), ("footer", "font-size:11pt; color:#555555;")]  # fmt: skip
    # Every paragraph carries the direction: Qt gives each block its own.
    return "".join(f'<p dir="{direction}" align="center" style="{style}">{t[key] if key else "&nbsp;"}</p>'
                   for key, style in styles)  # fmt: skip


# Fonts whose own (default) glyphs are the right regional forms, best first.
_CJK_FONTS = {
    "Hans": ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC"),
    "Hant": ("Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC"),
}


def _chinese_family(locale: str) -> str | None:
    """The installed font that draws this Chinese's characters in their own regional forms.

    Left to fallback, Qt may pick a Japanese-default CJK font and substitute the
    Chinese forms while shaping; such glyphs are missing from the PDF's text map.
    """
    tag = i18n.babel_locale(locale)
    if tag.language != "zh":
        return None
    script = tag.script or ("Hant" if tag.territory in ("TW", "HK", "MO") else "Hans")
    installed = set(QFontDatabase.families())
    return next((f for f in _CJK_FONTS.get(script, ()) if f in installed), None)


def _font(cert: Certificate) -> QFont:
    """Latin text and digits in the usual font, Chinese in its regional one."""
    font = QFont()
    chinese = _chinese_family(cert.locale)
    if chinese:
        latin = QFontInfo(font).family()  # the real family behind an alias such as "Sans Serif"
        font.setFamilies([latin, chinese] if latin != chinese else [chinese])
    return font


def _document(cert: Certificate, device, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)  # point sizes in the device's own resolution
    doc.setDefaultFont(_font(cert))
    option = QTextOption(Qt.AlignHCenter)
    option.setWrapMode(QTextOption.WordWrap)
    option.setTextDirection(Qt.RightToLeft if i18n.is_rtl(cert.locale) else Qt.LeftToRight)
    doc.setDefaultTextOption(option)
    doc.setHtml(certificate_html(cert))
    doc.setTextWidth(width)
    return doc


def paint(cert: Certificate, painter: QPainter, page: QRectF) -> None:
    """Draw the certificate on *page* (device coordinates): a double frame, the text centred."""
    device = painter.device()
    unit = device.logicalDpiX() / 72.0  # device pixels per point
    painter.save()
    painter.setPen(QPen(FRAME, 4 * unit))
    outer = page.adjusted(12 * unit, 12 * unit, -12 * unit, -12 * unit)
    painter.drawRect(outer)
    painter.setPen(QPen(FRAME, 1.2 * unit))
    painter.drawRect(outer.adjusted(8 * unit, 8 * unit, -8 * unit, -8 * unit))
    inner = outer.adjusted(48 * unit, 36 * unit, -48 * unit, -36 * unit)
    doc = _document(cert, device, inner.width())
    top = inner.top() + max(0.0, (inner.height() - doc.size().height()) / 2)
    painter.translate(inner.left(), top)
    doc.drawContents(painter)
    painter.restore()


def _layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Landscape, QMarginsF(0, 0, 0, 0))


def write_pdf(cert: Certificate, path: Path) -> Path:
    """Write the certificate as a one-page A4 (landscape) PDF at *path*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageLayout(_layout())
    writer.setTitle(cert.texts()["title"])
    writer.setCreator("Lantern")
    painter = QPainter(writer)
    try:
        paint(cert, painter, QRectF(0, 0, writer.width(), writer.height()))
    finally:
        painter.end()
    del writer  # the file is complete once the writer is gone
    _fix_text_layer(path, _font(cert))
    return path


RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_ARRAY = re.compile(rb"\[[^\]]*\]")
_BFCHAR = re.compile(rb"beginbfchar.*?endbfchar", re.S)
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_SINGLE_RANGE = re.compile(rb"^(<([0-9A-Fa-f]{4})> <\2> )<([0-9A-Fa-f]{4})>$", re.M)  # "<g> <g> <char>"


def _radical_equivalents(font: QFont) -> dict[int, int]:
    """Radical → the unified ideograph the Chinese font draws with the same glyph."""
    found: dict[int, int] = {}
    for system in (QFontDatabase.SimplifiedChinese, QFontDatabase.TraditionalChinese):
        raw = QRawFont.fromFont(font, system)
        if not raw.isValid():
            continue
        radicals = "".join(chr(c) for c in RADICALS)
        unified = "".join(chr(c) for c in range(0x4E00, 0xA000))
        by_glyph: dict[int, int] = {}
        for char, glyph in zip(unified, raw.glyphIndexesForString(unified)):
            if glyph:
                by_glyph.setdefault(glyph, ord(char))
        for char, glyph in zip(radicals, raw.glyphIndexesForString(radicals)):
            if glyph in by_glyph:
                found.setdefault(ord(char), by_glyph[glyph])
    return found


def _ordinary(code: int, radicals: dict[int, int]) -> int:
    if code in radicals:
        return radicals[code]
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:  # Arabic presentation forms
        plain = unicodedata.normalize("NFKC", chr(code))
        if len(plain) == 1:
            return ord(plain)
    return code


def _fix_text_layer(path: Path, font: QFont) -> None:
    """Give radicals and Arabic presentation forms in the ToUnicode maps their ordinary characters."""
    data = path.read_bytes()
    radicals: dict[int, int] | None = None

    def code(match: re.Match) -> bytes:
        nonlocal radicals
        value = int(match.group(1), 16)
        if value in RADICALS and radicals is None:
            radicals = _radical_equivalents(font)
        return b"<%04X>" % _ordinary(value, radicals or {})

    def entries(match: re.Match) -> bytes:
        return _CODE.sub(code, match.group(0))

    def bfchar(match: re.Match) -> bytes:  # "<glyph> <character>" lines: only the character
        lines = match.group(0).split(b"\n")
        return b"\n".join(line[:7] + _CODE.sub(code, line[7:]) if line.startswith(b"<") else line for line in lines)

    def single(match: re.Match) -> bytes:
        return match.group(1) + _CODE.sub(code, b"<" + match.group(3) + b">")

    def cmap(match: re.Match) -> bytes:
        return _SINGLE_RANGE.sub(single, _BFCHAR.sub(bfchar, _ARRAY.sub(entries, match.group(0))))

    fixed = _CMAP.sub(cmap, data)
    if fixed != data and len(fixed) == len(data):  # same length: every offset in the file still holds
        path.write_bytes(fixed)


def print_certificate(cert: Certificate, parent: QWidget | None) -> bool:
    """Ask for a printer (Qt's print dialog) and print; False if the learner cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageLayout(_layout())
    printer.setDocName(cert.texts()["title"])
    dialog = QPrintDialog(printer, parent)
    if PrintDialog.run(dialog) != QPrintDialog.Accepted:
        return False
    painter = QPainter(printer)
    try:
        paint(cert, painter, QRectF(0, 0, printer.width(), printer.height()))  # the printable area
    finally:
        painter.end()
    return True


class PrintDialog:
    """The one place the print dialog runs; tests set ``PrintDialog.answer`` to answer it.

    ``answer`` takes the dialog (whose printer a test may point at a file) and
    returns its result code.
    """

    answer = None

    @classmethod
    def run(cls, dialog) -> int:
        if cls.answer is not None:
            return cls.answer(dialog)
        return dialog.exec()


class ChooseCertificateFile:
    """The one place that asks where to save a certificate; tests set ``answer``."""

    answer: Path | None = None

    @classmethod
    def choose(cls, parent: QWidget, title: str, suggested: str) -> Path | None:
        if cls.answer is not None:
            return cls.answer
        chosen, _filter = QFileDialog.getSaveFileName(parent, title, suggested, _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def suggested_file_name(cert: Certificate, track_id: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in cert.nickname).strip("-") or "learner"
    return f"lantern-certificate-{track_id}-{safe}.pdf"
