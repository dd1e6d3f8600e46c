"""The lesson viewer: a QTextBrowser that never reaches outside the library.

``loadResource`` serves only images inside the lessons or assets folders
(their real location, after symbolic links) and answers everything else
(remote URLs, network shares, data: URLs, other local paths, ``..`` that
leads out, stylesheets) with an empty value, so Qt reads and fetches nothing.
Links are never followed by Qt: in-page anchors scroll, https and mailto open
only after the learner confirms.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from app import paths
from app.i18n import _
from app.ui.widgets import Ask

MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _inside(path: Path, roots: list[Path]) -> bool:
    """True for a regular file whose real location (symlinks followed) is under a root."""
    try:
        resolved = path.resolve(strict=True)
        return resolved.is_file() and any(resolved.is_relative_to(root.resolve()) for root in roots)
    except (OSError, RuntimeError, ValueError):
        return False


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
        image = self._local_image(url) if kind == QTextDocument.ImageResource else None
        if image is not None:
            return image
        self.blocked.emit(url.toString())
        # Never None: on a null answer QTextDocument decodes data: URLs and reads
        # local files itself. An empty value keeps the layout and fetches nothing.
        return QImage() if kind == QTextDocument.ImageResource else QByteArray()

    def _local_image(self, url: QUrl) -> QImage | None:
        """The image at *url* if it is a file inside the allowed folders, else None."""
        if url.scheme() not in ("", "file") or url.host():  # remote, data:, or a network share
            return None
        local = url.toLocalFile() if url.scheme() == "file" else url.path()
        if not local or local.startswith(("//", "\\\\")):
            return None
        path = Path(local)
        if not path.is_absolute():
            if self._base_dir is None:
                return None
            path = self._base_dir / path
        if not _inside(path, self.allowed_roots()):
            return None
        try:
            if path.stat().st_size > MAX_IMAGE_BYTES:
                return None
        except OSError:
            return None
        image = QImage(str(path))
        return None if image.isNull() else image

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
