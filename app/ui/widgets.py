"""Small shared widgets and helpers: every screen builds from these."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def name(widget: QWidget, accessible_name: str, description: str = "") -> QWidget:
    """Give *widget* its accessible name (and description) in the current language."""
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def heading(level: int = 1) -> QLabel:
    label = QLabel()
    label.setObjectName(f"h{level}")
    label.setWordWrap(True)
    label.setTextFormat(Qt.PlainText)
    return label


def paragraph(rich: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText if rich else Qt.PlainText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def button(primary: bool = False) -> QPushButton:
    b = QPushButton()
    b.setAutoDefault(True)
    if primary:
        b.setProperty("role", "primary")  # styled by property: objectName stays free for tests
    b.setCursor(Qt.PointingHandCursor)
    return b


def card() -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    frame.setFrameShape(QFrame.StyledPanel)
    return frame


def action_card(primary: bool = False) -> tuple[QFrame, QLabel, QLabel, QPushButton]:
    """A card with a heading, a paragraph and a button under them: (card, title, text, button).

    The caller fills in the texts, names the parts and connects the button; the card keeps
    its own object name, which the stylesheet draws it by.
    """
    frame = card()
    layout = vbox(frame, margins=16, spacing=8)
    title, text, action = heading(2), paragraph(), button(primary=primary)
    for widget in (title, text, action):
        layout.addWidget(widget)
    return frame, title, text, action


def notice() -> QLabel:
    """A quiet one-line notice (fallback language, stale translation)."""
    label = QLabel()
    label.setObjectName("notice")
    label.setWordWrap(True)
    label.hide()
    return label


def scrolling(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(inner)
    return area


def clear_layout(layout) -> None:
    """Remove and delete every item of *layout* (screens rebuild their lists)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


def vbox(parent: QWidget | None = None, margins: int = 0, spacing: int = 12) -> QVBoxLayout:
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    layout.setContentsMargins(margins, margins, margins, margins)
    layout.setSpacing(spacing)
    return layout


def expanding(widget: QWidget) -> QWidget:
    widget.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
    return widget


class Ask:
    """The one place that asks the learner a yes/no question.

    Tests replace ``Ask.answer`` instead of patching Qt dialogs.
    """

    answer: bool | None = None  # set by tests to skip the dialog

    @classmethod
    def confirm(cls, parent: QWidget, title: str, text: str) -> bool:
        if cls.answer is not None:
            return cls.answer
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
        box.setDefaultButton(QMessageBox.No)
        return box.exec() == QMessageBox.Yes

    @classmethod
    def inform(cls, parent: QWidget, title: str, text: str) -> None:
        """A message the learner must read; tests record it instead of showing it."""
        if cls.answer is not None:
            cls.told.append(text)
            return
        QMessageBox.information(parent, title, text)

    told: list[str] = []


class ElidingButton(QPushButton):
    """A button whose long text is shortened with "…" to fit, instead of widening the screen.

    The full text stays its accessible name and tooltip (buttons cannot wrap text).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        from PySide6.QtCore import Qt as _Qt

        room = max(40, self.width() - 48)  # padding and borders of the stylesheet
        self.setText(self.fontMetrics().elidedText(self._full, _Qt.ElideRight, room))
