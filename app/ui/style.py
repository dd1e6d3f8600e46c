"""The look: one stylesheet, sized in points so it scales with the text size."""

STYLESHEET = """
* { font-size: 12pt; }
QLabel#h1 { font-size: 20pt; font-weight: 600; }
QLabel#h2 { font-size: 15pt; font-weight: 600; }
QLabel#hint { color: palette(placeholder-text); }
QLabel#notice { background: palette(alternate-base); border-left: 4px solid #c98a00;
                padding: 8px; }
QLabel#error { color: #b00020; font-weight: 600; }
QLabel#feedback { border: 2px solid palette(mid); border-radius: 6px; padding: 10px; }
QLabel#feedback[verdict="right"] { border-color: #1b7f3b; }
QLabel#feedback[verdict="partial"] { border-color: #c98a00; }
QLabel#feedback[verdict="wrong"] { border-color: #b00020; }
QFrame#card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QWidget#nav { border-bottom: 1px solid palette(mid); }
/* Borders keep one width in every state, so focus never shifts or clips text. */
QToolButton { padding: 8px 16px; min-height: 28px; border-radius: 6px; outline: none;
              border: 3px solid palette(mid); background: palette(button); }
QToolButton:focus { border-color: #e08a00; }
QPushButton { padding: 8px 16px; min-height: 28px; border-radius: 6px; outline: none;
              border: 3px solid palette(mid); background: palette(button); }
QPushButton[role="primary"] { background: #1f5fa8; color: white; border-color: #1f5fa8; font-weight: 600; }
QPushButton[role="language"] { font-size: 15pt; min-height: 44px; }
QPushButton[role="language"]:checked { border-color: #1f5fa8; font-weight: 600; background: palette(base); }
QPushButton:disabled { color: palette(placeholder-text); }
QPushButton:focus, QPushButton[role="primary"]:focus, QPushButton[role="language"]:focus { border-color: #e08a00; }
QLineEdit, QComboBox, QPlainTextEdit, QTextBrowser, QTableWidget, QListWidget {
    border: 3px solid palette(mid); border-radius: 4px; }
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextBrowser:focus,
QTableWidget:focus, QListWidget:focus { border-color: #e08a00; }
ChoiceRow { border: 3px solid transparent; border-radius: 6px; }
ChoiceRow[focused="true"] { border-color: #e08a00; }
QRadioButton, QCheckBox { padding: 6px; spacing: 10px; }
QRadioButton::indicator, QCheckBox::indicator { width: 20px; height: 20px; }
QLineEdit, QComboBox, QPlainTextEdit { padding: 6px; min-height: 28px; }
QProgressBar { min-height: 14px; max-height: 14px; border-radius: 7px; background: palette(alternate-base); }
QProgressBar::chunk { background: #1b7f3b; border-radius: 7px; }
"""
