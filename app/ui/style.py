"""The look: one stylesheet template, filled in for a theme's colours and a text size.

Font sizes are in points and paddings in pixels; both are multiplied by the
learner's text size, so at 200% every control grows with its text instead of
clipping it. Colours come from the theme (app/ui/theme.py); ``palette(…)``
entries follow the palette the theme installs.
"""

from __future__ import annotations

import re

from app.ui.theme import LIGHT, Theme

TEMPLATE = """
* { font-size: {pt:12}; }
QLabel#h1 { font-size: {pt:20}; font-weight: 600; }
QLabel#h2 { font-size: {pt:15}; font-weight: 600; }
QLabel#hint { color: palette(placeholder-text); }
QLabel#notice { background: palette(alternate-base); border-left: {px:4} solid {c:warning};
                padding: {px:8}; }
QLabel#error { color: {c:error}; font-weight: 600; }
QLabel#feedback { border: {bw} solid palette(mid); border-radius: 6px; padding: {px:10}; }
QLabel#feedback[verdict="right"] { border-color: {c:success}; }
QLabel#feedback[verdict="partial"] { border-color: {c:warning}; }
QLabel#feedback[verdict="wrong"] { border-color: {c:error}; }
QFrame#card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QWidget#nav { border-bottom: 1px solid palette(mid); }
/* Borders keep one width in every state, so focus never shifts or clips text. */
QToolButton { padding: {px:8} {px:16}; min-height: {px:28}; border-radius: 6px; outline: none;
              border: {bw} solid palette(mid); background: palette(button); color: palette(button-text); }
QToolButton:focus { border-color: {c:focus}; }
QPushButton { padding: {px:8} {px:16}; min-height: {px:28}; border-radius: 6px; outline: none;
              border: {bw} solid palette(mid); background: palette(button); color: palette(button-text); }
QPushButton[role="primary"] { background: {c:accent}; color: {c:on_accent}; border-color: {c:primary_border};
                              font-weight: 600; }
QPushButton[role="language"] { font-size: {pt:15}; min-height: {px:44}; }
QPushButton[role="language"]:checked { border-color: {c:accent}; font-weight: 600; background: palette(base); }
QPushButton:disabled { color: palette(placeholder-text); }
QPushButton:focus, QPushButton[role="primary"]:focus, QPushButton[role="language"]:focus {
    border-color: {c:focus}; }
QLineEdit, QComboBox, QPlainTextEdit, QTextBrowser, QTableWidget, QListWidget {
    border: {bw} solid palette(mid); border-radius: 4px; }
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextBrowser:focus,
QTableWidget:focus, QListWidget:focus { border-color: {c:focus}; }
/* A scroll area takes focus so arrow keys scroll long text; show it like any other control. */
QScrollArea { border: {bw} solid transparent; }
QScrollArea:focus { border-color: {c:focus}; }
BarChart { qproperty-flaggedColor: {c:error}; }
ChoiceRow { border: {bw} solid transparent; border-radius: 6px; }
ChoiceRow[focused="true"] { border-color: {c:focus}; }
QCheckBox[role="setting"] { border: {bw} solid transparent; border-radius: 6px; }
QCheckBox[role="setting"]:focus { border-color: {c:focus}; }
QRadioButton, QCheckBox { padding: {px:6}; spacing: {px:10}; }
QRadioButton::indicator, QCheckBox::indicator { width: {px:20}; height: {px:20}; }
QLineEdit, QComboBox, QPlainTextEdit { padding: {px:6}; min-height: {px:28}; }
QProgressBar { min-height: {px:14}; max-height: {px:14}; border-radius: {px:7};
               background: palette(alternate-base); border: 1px solid palette(mid); }
QProgressBar::chunk { background: {c:success}; border-radius: {px:7}; }
"""

_FIELD = re.compile(r"\{(pt|px|c):(\w+)\}|\{bw\}")


def stylesheet(theme: Theme = LIGHT, scale: float = 1.0) -> str:
    """The application stylesheet for *theme* with every size multiplied by *scale*."""

    def fill(match: re.Match) -> str:
        kind, value = match.group(1), match.group(2)
        if kind is None:
            return f"{theme.border_px}px"
        if kind == "pt":
            return f"{round(float(value) * scale, 1):g}pt"
        if kind == "px":
            return f"{round(float(value) * scale)}px"
        return getattr(theme, value)

    return _FIELD.sub(fill, TEMPLATE)


STYLESHEET = stylesheet()  # the default look (light, 100%) before preferences are read
