"""Small charts drawn with QPainter (no QtCharts): vertical bars with labels and guide lines.

A chart draws only what it is given; the caller sets the texts (in the active
language) and an accessible description that says in words what the bars show,
so the numbers are never only in the picture. Its colours come from the theme:
bars, text and the axis from the palette, flagged bars from the stylesheet
(``qproperty-flaggedColor``, the theme's error colour), and guide lines are
dashed in the text colour, which every theme keeps readable on its background.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Property, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.theme import LIGHT


class BarChart(QWidget):
    """Bars for *values* (0..*maximum*) with a label under each and optional guide lines."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.values: list[float] = []
        self.labels: list[str] = []
        self.flagged: list[bool] = []
        self.maximum = 1.0
        self.guides: list[float] = []
        self.value_text: Callable[[float], str] = lambda v: f"{v:g}"
        self.title = ""
        self.empty_text = ""
        self._flagged_color = QColor(LIGHT.error)  # until the stylesheet gives the theme's
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setFocusPolicy(Qt.TabFocus)  # reachable, so screen readers announce the description

    def set_data(self, values: list[float], labels: list[str], maximum: float | None = None,
                 flagged: list[bool] | None = None, guides: list[float] = ()) -> None:  # fmt: skip
        self.values = [max(0.0, float(v)) for v in values]
        self.labels = list(labels)
        self.flagged = list(flagged) if flagged else [False] * len(values)
        self.maximum = maximum if maximum else max(self.values, default=0.0) or 1.0
        self.guides = list(guides)
        self.update()

    def _get_flagged_color(self) -> QColor:
        return self._flagged_color

    def _set_flagged_color(self, colour: QColor) -> None:
        self._flagged_color = QColor(colour)
        self.update()

    # Set by the stylesheet (app/ui/style.py), so flagged bars change with the theme.
    flaggedColor = Property(QColor, _get_flagged_color, _set_flagged_color)  # noqa: N815 - a Qt property name

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 220)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.WindowText)
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, 4, -8, -4)
        painter.setPen(text_color)
        if self.title:
            painter.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt.AlignLeft, self.title)
            area.setTop(area.top() + line + 4)
        if not self.values:
            painter.drawText(area, Qt.AlignCenter | Qt.TextWordWrap, self.empty_text)
            return
        plot = QRectF(area.left(), area.top() + line, area.width(), area.height() - 2 * line - 8)
        # Axis
        painter.setPen(QPen(palette.color(QPalette.Mid), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        slot = plot.width() / len(self.values)
        bar_width = max(2.0, slot * 0.7)
        normal = palette.color(QPalette.Highlight)
        for i, value in enumerate(self.values):
            height = plot.height() * min(1.0, value / self.maximum)
            x = plot.left() + i * slot + (slot - bar_width) / 2
            bar = QRectF(x, plot.bottom() - height, bar_width, height)
            painter.fillRect(bar, self._flagged_color if self.flagged[i] else normal)
            painter.setPen(text_color)
            if slot >= metrics.horizontalAdvance(self.value_text(value)) * 0.8:
                painter.drawText(QRectF(x - slot * 0.15, bar.top() - line, slot, line), Qt.AlignHCenter,
                                 self.value_text(value))  # fmt: skip
            label = metrics.elidedText(self.labels[i] if i < len(self.labels) else "", Qt.ElideRight, slot)
            painter.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 4, slot, line), Qt.AlignHCenter, label)
        for guide in self.guides:
            y = plot.bottom() - plot.height() * min(1.0, guide / self.maximum)
            painter.setPen(QPen(text_color, 1, Qt.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.end()
