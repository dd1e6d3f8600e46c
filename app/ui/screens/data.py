"""Your data: what Lantern stores about you, export it, erase it."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QWidget

from app.i18n import _, ngettext
from app.progress import privacy
from app.progress.backup import list_backups
from app.ui import widgets as w
from app.ui.screens.base import Screen


class ChooseExportFile:
    """The one place that asks where to save an export.

    Tests set ``ChooseExportFile.answer`` instead of driving the native dialog.
    """

    answer: Path | None = None

    @classmethod
    def choose(cls, parent: QWidget, title: str, suggested: Path) -> Path | None:
        if cls.answer is not None:
            return cls.answer
        chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), "JSON (*.json)")
        return Path(chosen) if chosen else None


class DataScreen(Screen):
    name = "data"

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=12)
        self.heading = w.heading(1)
        self.intro = w.paragraph()
        self.kinds_heading = w.heading(2)
        self.kind_labels = []
        kinds_box = w.vbox(spacing=8)
        for _kind in privacy.KINDS:
            box = w.card()
            label = w.paragraph(rich=True)
            label.setObjectName("data-kind")
            w.vbox(box, margins=12).addWidget(label)
            kinds_box.addWidget(box)
            self.kind_labels.append(label)
        self.folder = w.paragraph()
        self.folder.setObjectName("data-folder")
        self.yours = w.paragraph()
        self.yours.setObjectName("data-yours")

        self.export_heading = w.heading(2)
        self.export_text = w.paragraph()
        self.export_button = w.button(primary=True)
        self.export_button.setObjectName("export-data")
        self.export_button.clicked.connect(self.export)
        self.export_result = w.notice()
        self.export_result.setObjectName("export-result")

        self.erase_heading = w.heading(2)
        self.erase_text = w.paragraph()
        self.erase_button = w.button()
        self.erase_button.setObjectName("erase-data")
        self.erase_button.clicked.connect(self.erase)
        self.erase_result = w.notice()
        self.erase_result.setObjectName("erase-result")
        self.restart_button = w.button(primary=True)
        self.restart_button.setObjectName("after-erase")
        self.restart_button.clicked.connect(lambda: self.window.go("welcome", reset=True))
        self.restart_button.hide()

        # The two actions first, then the full list of what is kept.
        actions = QHBoxLayout()
        actions.setSpacing(12)
        for title, text, button_, result in (
            (self.export_heading, self.export_text, self.export_button, self.export_result),
            (self.erase_heading, self.erase_text, self.erase_button, self.erase_result),
        ):
            box = w.card()
            box_layout = w.vbox(box, margins=16, spacing=8)
            for widget in (title, text, result):
                box_layout.addWidget(widget)
            box_layout.addStretch(1)
            box_layout.addWidget(button_)
            if button_ is self.erase_button:
                box_layout.addWidget(self.restart_button)
            actions.addWidget(box, 1)
        for widget in (self.heading, self.intro, self.yours):
            layout.addWidget(widget)
        layout.addLayout(actions)
        layout.addWidget(self.kinds_heading)
        layout.addLayout(kinds_box)
        layout.addWidget(self.folder)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))
        self._erased: privacy.EraseReport | None = None
        self._exported: tuple[Path, Path] | None = None

    def enter(self, **kwargs) -> None:
        self._erased = None
        self._exported = None
        self.export_result.hide()
        self.erase_result.hide()
        self.restart_button.hide()
        self.retranslate()
        self.export_button.setFocus()

    # ------------------------------------------------------------ actions

    def export(self) -> None:
        learner = self.session.learner
        if learner is None:
            return
        suggested = Path.home() / f"lantern-{learner.nickname}.json"
        chosen = ChooseExportFile.choose(self, _("Export my data"), suggested)
        if chosen is None:
            return
        try:
            self._exported = privacy.write_export(self.session.store, learner.id, chosen)
        except OSError as exc:
            self.export_result.setText(_("Lantern could not save there (%(reason)s). Please choose another folder.")
                                       % {"reason": exc.strerror or exc})  # fmt: skip
            self.export_result.show()
            return
        self.retranslate()

    def erase(self) -> None:
        learner = self.session.learner
        if learner is None:
            return
        if not w.Ask.confirm(
            self,
            _("Erase my data"),
            _("Erase everything Lantern stores about %(name)s? Your answers, progress and nickname will be "
              "removed from this computer, including its backup copies. This cannot be undone.")
            % {"name": learner.nickname},
        ):  # fmt: skip
            return
        self._erased = privacy.erase_learner(self.session.store, learner.id)
        self.session.learner = None  # the row is gone; the setting that pointed at it too
        self.window.retranslate()  # the navigation bar forgets the nickname
        self.retranslate()
        self.restart_button.show()
        self.restart_button.setFocus()

    # ------------------------------------------------------------ text

    def retranslate(self) -> None:
        self.heading.setText(_("Your data"))
        self.intro.setText(
            _("Everything Lantern keeps stays on this computer. Lantern sends nothing anywhere: it has no "
              "telemetry and makes no internet connections unless the person who set up this computer "
              "turned that on.")
        )  # fmt: skip
        self.kinds_heading.setText(_("What Lantern stores about you"))
        for label, kind in zip(self.kind_labels, privacy.KINDS):
            label.setText(
                f"<b>{escape(_(kind.what))}</b><br>"
                + escape(_("Where: %(where)s") % {"where": _(kind.where)}) + "<br>"
                + escape(_("How long: %(how_long)s") % {"how_long": _(kind.how_long)})
            )  # fmt: skip
            w.name(label, _(kind.what))
        store = self.session.store
        self.folder.setText(_("Lantern's data folder: %(folder)s") % {"folder": str(store.path.parent)})
        learner = self.session.learner
        backups = len(list_backups(store.path))
        if learner is not None:
            answers = len(store.answers(learner.id))
            lessons = len(store.progress(learner.id))
            self.yours.setText(
                _("Stored for %(name)s right now: %(answers)s and %(lessons)s.")
                % {"name": learner.nickname,
                   "answers": ngettext("%(n)d answer", "%(n)d answers", answers) % {"n": answers},
                   "lessons": ngettext("%(n)d lesson", "%(n)d lessons", lessons) % {"n": lessons}}
                + " " + ngettext("There is %(n)d backup copy.", "There are %(n)d backup copies.", backups)
                % {"n": backups}
            )  # fmt: skip
        self.yours.setVisible(learner is not None)

        self.export_heading.setText(_("Export my data"))
        self.export_text.setText(
            _("Save everything Lantern stores about you in two files: a JSON file that other programs can read, "
              "and a text file you can read yourself.")
        )  # fmt: skip
        self.export_button.setText(_("Export my data…"))
        w.name(self.export_button, _("Export my data"), _("Choose where to save your data"))
        if self._exported:
            self.export_result.setText(_("Saved: %(json)s and %(text)s")
                                       % {"json": str(self._exported[0]), "text": str(self._exported[1])})  # fmt: skip
            self.export_result.show()

        self.erase_heading.setText(_("Erase my data"))
        self.erase_text.setText(
            _("Remove your nickname, answers and progress from this computer for good, including from "
              "Lantern's backup copies. Files you exported yourself are not touched.")
        )  # fmt: skip
        self.erase_button.setText(_("Erase my data…"))
        w.name(self.erase_button, _("Erase my data"), _("Asks you to confirm first"))
        self.export_button.setEnabled(learner is not None)
        self.erase_button.setEnabled(learner is not None)
        if self._erased is not None:
            purged = self._erased.backups_purged + self._erased.backups_deleted
            self.erase_result.setText(
                _("Your data has been erased from this computer.") + " "
                + ngettext("It was also removed from %(n)d backup copy.",
                           "It was also removed from %(n)d backup copies.", purged) % {"n": purged}
            )  # fmt: skip
            self.erase_result.show()
        self.restart_button.setText(_("Back to the start"))
        w.name(self.restart_button, _("Back to the start"))

    def title(self) -> str:
        return _("Your data")
