"""Welcome: choose a language, then continue as someone or create a learner.

On a kiosk the same screen serves strangers: big language buttons, "Start
learning" as a guest without typing anything, and (if the centre allows)
personal profiles recognised by a colour and protected by a 4-digit PIN.
It never lists other visitors' nicknames without their colour-and-PIN tile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app import i18n
from app.i18n import _
from app.progress import kiosk_data, pins
from app.ui import widgets as w
from app.ui.screens.base import Screen

MAX_NICKNAME = 40


class WelcomeScreen(Screen):
    name = "welcome"

    def __init__(self, window):
        super().__init__(window)
        self.kiosk = window.kiosk
        self.colour = kiosk_data.PROFILE_COLOURS[0]
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=16)
        self.title_label = w.heading(1)
        self.intro = w.paragraph()
        self.language_label = w.heading(2)
        self.language_grid = QGridLayout()
        self.language_grid.setSpacing(12)
        self.language_buttons: dict[str, QPushButton] = {}
        offered = self.kiosk.config.offered_languages() if self.kiosk else i18n.shipped_locales()
        for index, tag in enumerate(offered):
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

        # Kiosk: start as a guest, no typing.
        self.guest_button = w.button(primary=True)
        self.guest_button.setObjectName("start-guest")
        self.guest_button.setMinimumHeight(72)
        self.guest_button.clicked.connect(self._start_guest)
        self.guest_button.setVisible(self.kiosk is not None)

        self.learners_label = w.heading(2)
        self.learners_box = QGridLayout()
        self.learners_box.setSpacing(10)
        self.new_label = w.heading(2)
        self.nickname = QLineEdit()
        self.nickname.setObjectName("nickname")
        self.nickname.setMaxLength(MAX_NICKNAME)
        self.nickname.returnPressed.connect(self._create)
        self.colour_row = QHBoxLayout()
        self.colour_buttons: list[QPushButton] = []
        if self.kiosk is not None:
            for index, colour in enumerate(kiosk_data.PROFILE_COLOURS):
                b = QPushButton()
                b.setObjectName(f"colour-{index}")
                b.setCheckable(True)
                b.setMinimumSize(48, 48)
                b.setStyleSheet(f"background: {colour}; border-radius: 24px;")
                b.clicked.connect(lambda _c=False, c=colour: self._choose_colour(c))
                self.colour_buttons.append(b)
                self.colour_row.addWidget(b)
            self.colour_row.addStretch(1)
        self.create_button = w.button(primary=self.kiosk is None)
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
        layout.addWidget(self.guest_button)
        layout.addWidget(self.learners_label)
        layout.addLayout(self.learners_box)
        layout.addWidget(self.new_label)
        layout.addLayout(row)
        layout.addLayout(self.colour_row)
        layout.addWidget(self.error)
        layout.addWidget(self.privacy)
        layout.addStretch(1)
        outer = w.vbox(self)
        outer.addWidget(w.scrolling(inner))

    @property
    def profiles_allowed(self) -> bool:
        return self.kiosk is None or self.kiosk.config.profiles

    def enter(self, **kwargs) -> None:
        self.nickname.clear()
        self.error.hide()
        self.retranslate()
        first = self.guest_button if self.kiosk is not None else self.nickname
        first.setFocus(Qt.OtherFocusReason)

    # ------------------------------------------------------------ actions

    def _start_guest(self) -> None:
        session = self.session
        region = self.kiosk.config.default_region if self.kiosk else None
        self.window.sign_in(kiosk_data.create_guest(session.store, session.locale, region))

    def _choose_colour(self, colour: str) -> None:
        self.colour = colour
        for b, c in zip(self.colour_buttons, kiosk_data.PROFILE_COLOURS):
            b.setChecked(c == colour)

    def _open_profile(self, learner) -> None:
        """A kiosk profile: its PIN on the number pad, with slow-downs after wrong tries."""
        from app.ui.kiosk import PinPad

        pad = PinPad(learner.nickname, _("Enter your 4-digit PIN."), 4, self.window)
        while pad.exec() == PinPad.Accepted:
            result = kiosk_data.check_profile_pin(self.session.store, learner.id, pad.pin())
            if result.ok:
                self.window.sign_in(learner)
                return
            pad.clear(_("Wrong PIN.") if result.wait_seconds < 1 else
                      _("Wrong PIN. Try again in %(n)d seconds.") % {"n": round(result.wait_seconds)})  # fmt: skip

    def _create(self) -> None:
        nickname = self.nickname.text().strip()
        if not nickname:
            self._show_error(_("Please type a nickname first."))
            return
        if self.session.store.find_learner(nickname):
            self._show_error(_("Someone already uses “%(name)s”. Choose it above, or pick another nickname.")
                             % {"name": nickname})  # fmt: skip
            return
        if self.kiosk is None:
            self.window.sign_in(self.session.create_learner(nickname))
            return
        from app.ui.kiosk import PinPad

        first = PinPad(nickname, _("Choose a 4-digit PIN. You will need it to come back."), 4, self.window)
        if first.exec() != PinPad.Accepted:
            return
        second = PinPad(nickname, _("Enter the same PIN again."), 4, self.window)
        if second.exec() != PinPad.Accepted:
            return
        if first.pin() != second.pin():
            self._show_error(_("The two PINs were different. Please try again."))
            return
        try:
            learner = kiosk_data.create_profile(self.session.store, nickname, first.pin(), self.colour,
                                                self.session.locale, self.kiosk.config.default_region)  # fmt: skip
        except pins.PinFormatError:
            self._show_error(_("A PIN has exactly 4 digits."))
            return
        self.window.sign_in(learner)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.nickname.setFocus(Qt.OtherFocusReason)

    # ------------------------------------------------------------ text

    def _rebuild_learners(self) -> None:
        w.clear_layout(self.learners_box)
        if self.kiosk is not None:
            entries = kiosk_data.profiles(self.session.store) if self.kiosk.config.profiles else []
        else:
            entries = [(learner, None) for learner in self.session.store.learners()]
        self.learners_label.setVisible(bool(entries))
        for index, (learner, colour) in enumerate(entries[:12]):
            b = w.button()
            b.setObjectName("learner")
            if colour:
                b.setMinimumHeight(64)
                b.setStyleSheet(f"border-left: 24px solid {colour};")
                b.setText(learner.nickname)
                b.clicked.connect(lambda _c=False, l=learner: self._open_profile(l))
            else:
                b.setText(_("Continue as %(name)s") % {"name": i18n.isolate(learner.nickname)})
                b.clicked.connect(lambda _c=False, l=learner: self.window.sign_in(l))
            w.name(b, b.text())
            self.learners_box.addWidget(b, index // 2, index % 2)
        buttons = [self.learners_box.itemAt(i).widget() for i in range(self.learners_box.count())]
        self._order_tabs(buttons)

    def _order_tabs(self, learner_buttons: list) -> None:
        """Tab follows reading order: languages, start, returning learners, then a new nickname.

        The learner buttons are rebuilt on every visit, so without this they would come last.
        """
        chain = [*self.language_buttons.values(), self.guest_button, *learner_buttons,
                 self.nickname, self.create_button, *self.colour_buttons]  # fmt: skip
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        self.title_label.setText(_("Welcome to Lantern"))
        self.intro.setText(
            _("Learn to spot risky money platforms, use your rights over your personal data, "
              "and know where to complain. Everything stays on this computer.")
        )  # fmt: skip
        self.language_label.setText(_("Choose your language"))
        for tag, b in self.language_buttons.items():
            b.setChecked(tag == self.session.locale)
        self.guest_button.setText(_("Start learning"))
        w.name(self.guest_button, _("Start learning"), _("No name or password needed"))
        self.learners_label.setText(_("Your profile") if self.kiosk else _("Welcome back"))
        for widget in (self.new_label, self.nickname, self.create_button):
            widget.setVisible(self.profiles_allowed)
        self.new_label.setText(
            _("Or make a personal profile to come back later") if self.kiosk else _("New here? Pick a nickname")
        )
        self.nickname.setPlaceholderText(_("A nickname, not your real name"))
        w.name(self.nickname, _("Nickname"), _("Any name you like; it is only stored on this computer."))
        create = _("Make my profile") if self.kiosk else _("Start learning")
        self.create_button.setText(create)
        w.name(self.create_button, create)
        for b, colour in zip(self.colour_buttons, kiosk_data.PROFILE_COLOURS):
            b.setVisible(self.profiles_allowed)
            b.setChecked(colour == self.colour)
            w.name(b, _("Profile colour %(n)d") % {"n": self.colour_buttons.index(b) + 1})
        if self.kiosk is not None:
            self.privacy.setText(
                _("This is a shared computer. When you finish, or after a few quiet minutes, Lantern starts "
                  "over and the next visitor sees nothing of yours.")
            )  # fmt: skip
        else:
            self.privacy.setText(
                _("Lantern stores only your nickname, language and answers, in a file on this computer. "
                  "Nothing is sent anywhere.")
            )  # fmt: skip
        self._rebuild_learners()

    def title(self) -> str:
        return _("Welcome")
