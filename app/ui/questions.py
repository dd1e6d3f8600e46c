"""One answer widget per GIFT question type.

Each widget knows how to collect a response in the shape
``app.content.grading.grade`` expects, and how to lock itself once checked.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.content.gift import Question
from app.i18n import _, current_locale, normalize_number_input
from app.ui.widgets import name


class AnswerWidget(QWidget):
    changed = Signal()

    def __init__(self, question: Question, parent=None):
        super().__init__(parent)
        self.question = question
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(8)

    def response(self):
        """The learner's response, or None while it is incomplete."""
        raise NotImplementedError

    def lock(self) -> None:
        for child in self.findChildren(QWidget):
            if isinstance(child, (QRadioButton, QCheckBox, QLineEdit, QPlainTextEdit, QComboBox)):
                child.setEnabled(False)

    def first_input(self) -> QWidget | None:
        inputs = [
            w for w in self.findChildren(QWidget)
            if isinstance(w, (QRadioButton, QCheckBox, QLineEdit, QPlainTextEdit, QComboBox))
        ]  # fmt: skip
        return inputs[0] if inputs else None


class ChoiceRow(QWidget):
    """A radio button or check box with a wrapping label; the whole row is the target.

    Qt's own buttons neither wrap long answers nor react to a tap beside the
    text, both of which matter on a touch screen.
    """

    def __init__(self, indicator: QRadioButton | QCheckBox, text: str, parent=None):
        super().__init__(parent)
        self.indicator = indicator
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        self.label.setBuddy(indicator)
        name(indicator, text)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(indicator, 0, Qt.AlignTop)
        row.addWidget(self.label, 1)
        self.setCursor(Qt.PointingHandCursor)
        self.setAttribute(Qt.WA_StyledBackground, True)
        indicator.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # Show keyboard focus on the whole row, not only on the small indicator.
        if event.type() in (QEvent.FocusIn, QEvent.FocusOut):
            self.setProperty("focused", event.type() == QEvent.FocusIn)
            self.style().unpolish(self)
            self.style().polish(self)
        return False

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.indicator.isEnabled() and event.button() == Qt.LeftButton:
            self.indicator.click()
            self.indicator.setFocus(Qt.MouseFocusReason)
        super().mouseReleaseEvent(event)


class ChoiceWidget(AnswerWidget):
    """Single choice: radio buttons in file order (true/false uses it too)."""

    def __init__(self, question: Question, labels: list[str], parent=None):
        super().__init__(question, parent)
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        for index, text in enumerate(labels):
            radio = QRadioButton()
            row = ChoiceRow(radio, text)
            row.setObjectName(f"choice-{index}")
            self.group.addButton(radio, index)
            self.buttons.append(radio)
            self.layout_.addWidget(row)
        self.group.idToggled.connect(lambda *_a: self.changed.emit())

    def response(self):
        checked = self.group.checkedId()
        return None if checked < 0 else checked


class TrueFalseWidget(ChoiceWidget):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, [_("True"), _("False")], parent)

    def response(self):
        checked = self.group.checkedId()
        return None if checked < 0 else checked == 0


class MultiWidget(AnswerWidget):
    def __init__(self, question: Question, label=lambda text: text, parent=None):
        super().__init__(question, parent)
        hint = QLabel(_("Choose all that apply."))
        hint.setObjectName("hint")
        self.layout_.addWidget(hint)
        self.boxes: list[QCheckBox] = []
        for index, answer in enumerate(question.answers):
            box = QCheckBox()
            row = ChoiceRow(box, label(answer.text))
            row.setObjectName(f"choice-{index}")
            box.toggled.connect(lambda *_a: self.changed.emit())
            self.boxes.append(box)
            self.layout_.addWidget(row)

    def response(self):
        chosen = [i for i, b in enumerate(self.boxes) if b.isChecked()]
        return chosen or None


class ShortAnswerWidget(AnswerWidget):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("answer-text")
        self.edit.setPlaceholderText(_("Type your answer"))
        name(self.edit, _("Your answer"))
        self.edit.textChanged.connect(lambda *_a: self.changed.emit())
        self.layout_.addWidget(self.edit)

    def response(self):
        text = self.edit.text().strip()
        return text or None


class NumericalWidget(ShortAnswerWidget):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.edit.setPlaceholderText(_("Type a number"))
        self.edit.setInputMethodHints(Qt.ImhFormattedNumbersOnly)

    def response(self):
        text = self.edit.text().strip()
        return normalize_number_input(text, current_locale()) if text else None


class EssayWidget(AnswerWidget):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("answer-text")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(_("Write your thoughts. This is not marked."))
        name(self.edit, _("Your answer"))
        self.edit.textChanged.connect(self.changed.emit)
        self.layout_.addWidget(self.edit)

    def response(self):
        text = self.edit.toPlainText().strip()
        return text or None


class MatchingWidget(AnswerWidget):
    def __init__(self, question: Question, label=lambda text: text, parent=None):
        super().__init__(question, parent)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.layout_.addLayout(form)
        # Sorted options, so their order gives nothing away.
        options = sorted({pair.match for pair in question.answers})
        self.combos: dict[str, QComboBox] = {}
        for index, pair in enumerate(p for p in question.answers if p.text):
            combo = QComboBox()
            combo.setObjectName(f"match-{index}")
            combo.addItem(_("Choose…"), None)
            for option in options:
                combo.addItem(label(option), option)
            name(combo, pair.text)
            combo.currentIndexChanged.connect(lambda *_a: self.changed.emit())
            text = QLabel(label(pair.text))
            text.setWordWrap(True)
            text.setBuddy(combo)
            form.addRow(text, combo)
            self.combos[pair.text] = combo

    def response(self):
        chosen = {text: combo.currentData() for text, combo in self.combos.items()}
        if any(v is None for v in chosen.values()):
            return None
        return chosen


class DescriptionWidget(AnswerWidget):
    def response(self):
        return None


def answer_widget_for(question: Question, label=lambda text: text) -> AnswerWidget:
    """The widget for *question*; *label* turns answer texts into what is shown."""
    kind = question.type
    if kind == "single_choice":
        return ChoiceWidget(question, [label(a.text) for a in question.answers])
    if kind == "true_false":
        return TrueFalseWidget(question)
    if kind == "multiple_choice":
        return MultiWidget(question, label)
    if kind == "short_answer":
        return ShortAnswerWidget(question)
    if kind == "numerical":
        return NumericalWidget(question)
    if kind == "matching":
        return MatchingWidget(question, label)
    if kind == "essay":
        return EssayWidget(question)
    return DescriptionWidget(question)


def show_feedback(label: QLabel, result, to_html, footnote: str = "") -> None:
    """Show a grade in *label*: the verdict in words (never colour alone), then every feedback.

    *to_html* turns a feedback text into safe HTML in the question's format;
    *footnote* is plain text added at the end (e.g. when a review comes back).
    The quiz and the review session share this, so feedback reads the same in both.
    """
    import html

    from app import i18n

    if result.credit is None:
        verdict, css = _("Thank you, your answer is saved."), "neutral"
    elif result.correct:
        verdict, css = _("Correct"), "right"
    elif result.credit > 0:
        verdict = _("Partly correct (%(score)s)") % {"score": i18n.format_percent(result.credit)}
        css = "partial"
    else:
        verdict, css = _("Not quite"), "wrong"
    parts = [f"<p><b>{html.escape(verdict)}</b></p>"]
    for text in [*result.feedback, result.general_feedback]:
        if text:
            parts.append(f"<p>{to_html(text)}</p>")
    if footnote:
        parts.append(f"<p><i>{html.escape(footnote)}</i></p>")
    label.setProperty("verdict", css)
    label.setText("".join(parts))
    label.style().unpolish(label)
    label.style().polish(label)
    label.show()
    name(label, verdict)


class QuestionPage(QWidget):
    """The page the quiz and the review session both show, so they look and behave alike:
    a counter, the question, its answer widget, a message, the feedback, Check and Next."""

    def __init__(self, on_check, on_next, above_text=(), below_text=(), parent=None):
        from app.ui import widgets as w

        super().__init__(parent)
        inner = QWidget()
        layout = w.vbox(inner, margins=8, spacing=14)
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        self.question_text = w.paragraph(rich=True)
        self.question_text.setObjectName("question-text")
        self.answer_slot = w.vbox()
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        self.feedback = w.paragraph(rich=True)
        self.feedback.setObjectName("feedback")
        self.feedback.hide()
        for widget in (self.counter, *above_text, self.question_text, *below_text):
            layout.addWidget(widget)
        layout.addLayout(self.answer_slot)
        layout.addWidget(self.message)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self.check_button = w.button(primary=True)
        self.check_button.setObjectName("check")
        self.check_button.clicked.connect(on_check)
        self.next_button = w.button(primary=True)
        self.next_button.setObjectName("next")
        self.next_button.clicked.connect(on_next)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.next_button)
        page_layout = w.vbox(self)
        page_layout.addWidget(w.scrolling(inner), 1)
        page_layout.addLayout(buttons)
