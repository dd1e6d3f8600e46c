"""Welcome: choose a language, then continue as someone or create a learner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app import i18n
from app.i18n import _
from app.ui import widgets as w
from app.ui.screens.base import Screen

MAX_NICKNAME = 40


class WelcomeScreen(Screen):
    name = "welcome"

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=16)
        self.title_label = w.heading(1)
        self.intro = w.paragraph()
        self.language_label = w.heading(2)
        self.language_grid = QGridLayout()
        self.language_grid.setSpacing(12)
        self.language_buttons: dict[str, object] = {}
        for index, tag in enumerate(i18n.shipped_locales()):
            b = w.button()
            b.setObjectName("language")
            b.setProperty("role", "language")
            b.setCheckable(True)
            b.setText(i18n.language_name(tag))
            # The language's own name is also its accessible name, in any UI language.
            w.name(b, i18n.language_name(tag))
            b.setProperty("locale", tag)
            b.clicked.connect(lambda _checked=False, t=tag: self.window.change_language(t))
            self.language_buttons[tag] = b
            self.language_grid.addWidget(b, index // 3, index % 3)

        self.learners_label = w.heading(2)
        self.learners_box = w.vbox()
        self.new_label = w.heading(2)
        self.nickname = QLineEdit()
        self.nickname.setObjectName("nickname")
        self.nickname.setMaxLength(MAX_NICKNAME)
        self.nickname.returnPressed.connect(self._create)
        self.create_button = w.button(primary=True)
        self.create_button.setObjectName("create-learner")
        self.create_button.clicked.connect(self._create)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.privacy = w.paragraph()
        self.privacy.setObjectName("hint")

        row = QHBoxLayout()
        row.addWidget(self.nickname, 1)
        row.addWidget(self.create_button)
        for widget in (self.title_label, self.intro, self.language_label):
            layout.addWidget(widget)
        layout.addLayout(self.language_grid)
        layout.addWidget(self.learners_label)
        layout.addLayout(self.learners_box)
        layout.addWidget(self.new_label)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.privacy)
        layout.addStretch(1)
        outer = w.vbox(self)
        outer.addWidget(w.scrolling(inner))

    def enter(self, **kwargs) -> None:
        self.nickname.clear()
        self.error.hide()
        self.retranslate()
        self.nickname.setFocus(Qt.OtherFocusReason)

    def _rebuild_learners(self) -> None:
        w.clear_layout(self.learners_box)
        learners = self.session.store.learners()
        self.learners_label.setVisible(bool(learners))
        for learner in learners[:12]:
            b = w.button()
            b.setObjectName("learner")
            b.setText(_("Continue as %(name)s") % {"name": learner.nickname})
            w.name(b, b.text())
            b.clicked.connect(lambda _c=False, l=learner: self.window.sign_in(l))
            self.learners_box.addWidget(b)

    def _create(self) -> None:
        nickname = self.nickname.text().strip()
        if not nickname:
            self._show_error(_("Please type a nickname first."))
            return
        if self.session.store.find_learner(nickname):
            self._show_error(_("Someone already uses “%(name)s”. Choose it above, or pick another nickname.")
                             % {"name": nickname})  # fmt: skip
            return
        self.window.sign_in(self.session.create_learner(nickname))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.nickname.setFocus(Qt.OtherFocusReason)

    def retranslate(self) -> None:
        self.title_label.setText(_("Welcome to Lantern"))
        self.intro.setText(
            _("Learn to spot risky money platforms, use your rights over your personal data, "
              "and know where to complain. Everything stays on this computer.")
        )  # fmt: skip
        self.language_label.setText(_("Choose your language"))
        for tag, b in self.language_buttons.items():
            b.setChecked(tag == self.session.locale)
        self.learners_label.setText(_("Welcome back"))
        self.new_label.setText(_("New here? Pick a nickname"))
        self.nickname.setPlaceholderText(_("A nickname, not your real name"))
        w.name(self.nickname, _("Nickname"), _("Any name you like; it is only stored on this computer."))
        self.create_button.setText(_("Start learning"))
        w.name(self.create_button, _("Start learning"))
        self.privacy.setText(
            _("Lantern stores only your nickname, language and answers, in a file on this computer. "
              "Nothing is sent anywhere.")
        )  # fmt: skip
        self._rebuild_learners()

    def title(self) -> str:
        return _("Welcome")
