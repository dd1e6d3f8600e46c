"""The lesson viewer: a QTextBrowser that never reaches outside the library.

``loadResource`` serves only images inside the lessons or assets folders and
answers everything else (remote URLs, arbitrary local paths, stylesheets) with
nothing. Links are never followed by Qt: in-page anchors scroll, https and
mailto open only after the learner confirms.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from app import paths
from app.i18n import _
from app.ui.widgets import Ask

MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _inside(path: Path, roots: list[Path]) -> bool:
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


class LessonBrowser(QTextBrowser):
    blocked = Signal(str)  # a resource or link that was refused (for tests and logs)

    def __init__(self, roots: list[Path] | None = None, parent=None):
        super().__init__(parent)
        self._roots = roots
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self._base_dir: Path | None = None

    def set_lesson_html(self, html: str, base_dir: Path) -> None:
        self._base_dir = base_dir
        # A base URL inside the lesson folder makes relative image paths resolve there.
        self.document().setBaseUrl(QUrl.fromLocalFile(str(base_dir) + "/"))
        self.setHtml(html)

    def allowed_roots(self) -> list[Path]:
        return self._roots if self._roots is not None else [paths.lessons_dir(), paths.assets_dir()]

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt override
        if kind == QTextDocument.ImageResource and url.scheme() in ("", "file"):
            path = Path(url.toLocalFile() or url.path())
            if not path.is_absolute() and self._base_dir is not None:
                path = self._base_dir / path
            if _inside(path, self.allowed_roots()) and path.stat().st_size <= MAX_IMAGE_BYTES:
                image = QImage(str(path))
                if not image.isNull():
                    return image
        self.blocked.emit(url.toString())
        if kind == QTextDocument.ImageResource:
            return QImage()  # an empty image: the layout stays, nothing is fetched
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "" and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
            return
        if url.scheme() in ("https", "mailto"):
            question = _("Open this link outside Lantern?\n\n%(url)s") % {"url": url.toString()}
            if Ask.confirm(self, _("Open link"), question):
                QDesktopServices.openUrl(url)
            return
        self.blocked.emit(url.toString())
