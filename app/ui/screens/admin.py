"""Kiosk administration (staff only, after the admin PIN).

Visitors and sessions per day, lessons started and completed, average
scores, the most-missed questions, CSV export; the kiosk's settings; erase
all learner data; restore a backup; change the PIN; leave kiosk mode.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app import i18n
from app.i18n import _
from app.kiosk import KioskConfig, save_settings
from app.progress import kiosk_data
from app.ui import widgets as w
from app.ui.screens.base import Screen
from app.ui.screens.settings import fill_region_combo


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().hide()
    # Columns share the width: long headers in some languages never push the table off screen.
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
    table.setWordWrap(True)
    table.setMinimumHeight(180)
    return table


class AdminScreen(Screen):
    name = "admin"
    export_path: Path | None = None  # tests set this instead of driving the file dialog

    def __init__(self, window):
        super().__init__(window)
        inner = QWidget()
        layout = w.vbox(inner, margins=24, spacing=14)
        self.heading = w.heading(1)
        self.stats_label = w.heading(2)
        self.stats = _table(6, "admin-stats")
        self.missed_label = w.heading(2)
        self.missed = _table(4, "admin-missed")
        self.export_button = w.button()
        self.export_button.setObjectName("admin-export")
        self.export_button.clicked.connect(self.export_csv)
        self.export_note = QLabel()
        self.export_note.setObjectName("hint")

        self.settings_label = w.heading(2)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.language_boxes: dict[str, QCheckBox] = {}
        languages = QGridLayout()
        for index, tag in enumerate(i18n.shipped_locales()):
            box = QCheckBox(i18n.language_name(tag))
            box.setObjectName(f"offer-{tag}")
            w.name(box, i18n.language_name(tag))
            self.language_boxes[tag] = box
            languages.addWidget(box, index // 3, index % 3)
        self.default_language = QComboBox()
        self.default_language.setObjectName("admin-default-language")
        for tag in i18n.shipped_locales():
            self.default_language.addItem(i18n.language_name(tag), tag)
        self.default_region = QComboBox()
        self.default_region.setObjectName("admin-default-region")
        self.idle = QSpinBox()
        self.idle.setObjectName("admin-idle")
        self.idle.setRange(10, 3600)
        self.idle.setSingleStep(30)
        self.guest_data = QComboBox()
        self.guest_data.setObjectName("admin-guest-data")
        self.profiles = QCheckBox()
        self.profiles.setObjectName("admin-profiles")
        self.retention = QSpinBox()
        self.retention.setObjectName("admin-retention")
        self.retention.setRange(0, 3650)
        self.labels = {key: QLabel() for key in ("languages", "default", "region", "idle", "guest", "retention")}
        form.addRow(self.labels["languages"], languages)
        form.addRow(self.labels["default"], self.default_language)
        form.addRow(self.labels["region"], self.default_region)
        form.addRow(self.labels["idle"], self.idle)
        form.addRow(self.labels["guest"], self.guest_data)
        form.addRow(self.labels["retention"], self.retention)
        form.addRow("", self.profiles)
        for key, field in (("default", self.default_language), ("region", self.default_region),
                           ("idle", self.idle), ("guest", self.guest_data), ("retention", self.retention)):  # fmt: skip
            self.labels[key].setBuddy(field)
        self.save_button = w.button(primary=True)
        self.save_button.setObjectName("admin-save")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("notice")
        self.message.hide()

        self.restore_label = w.heading(2)
        restore_row = QHBoxLayout()
        self.backups = QComboBox()
        self.backups.setObjectName("admin-backups")
        self.restore_button = w.button()
        self.restore_button.setObjectName("admin-restore")
        self.restore_button.clicked.connect(self.restore_backup)
        restore_row.addWidget(self.backups, 1)
        restore_row.addWidget(self.restore_button)

        self.actions_label = w.heading(2)
        actions = QGridLayout()  # three to a row: long labels in some languages never widen the page
        self.reports_button = w.button()
        self.reports_button.setObjectName("admin-reports")
        self.reports_button.clicked.connect(lambda: self.window.go("reports"))
        self.pin_button = w.button()
        self.pin_button.setObjectName("admin-change-pin")
        self.pin_button.clicked.connect(self.change_pin)
        self.erase_button = w.button()
        self.erase_button.setObjectName("admin-erase-all")
        self.erase_button.clicked.connect(self.erase_all)
        self.exit_button = w.button()
        self.exit_button.setObjectName("admin-exit")
        self.exit_button.clicked.connect(self.window.exit_kiosk)
        self.done_button = w.button(primary=True)
        self.done_button.setObjectName("admin-done")
        self.done_button.clicked.connect(lambda: self.window.kiosk.end_visit("admin"))
        for index, b in enumerate((self.reports_button, self.pin_button, self.erase_button, self.exit_button,
                                   self.done_button)):  # fmt: skip
            actions.addWidget(b, index // 3, index % 3)

        for widget in (self.heading, self.stats_label, self.stats, self.missed_label, self.missed,
                       self.export_button, self.export_note, self.settings_label):  # fmt: skip
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addWidget(self.restore_label)
        layout.addLayout(restore_row)
        layout.addWidget(self.actions_label)
        layout.addLayout(actions)
        layout.addStretch(1)
        w.vbox(self).addWidget(w.scrolling(inner))

    # ------------------------------------------------------------ flow

    def enter(self, **kwargs) -> None:
        if not self.session.is_admin or self.window.kiosk is None:
            self.window.go("welcome", reset=True)  # never reachable without the PIN
            return
        self.message.hide()
        self.retranslate()
        self._load_settings(self.window.kiosk.config)
        self.save_button.setFocus()

    def _load_settings(self, config: KioskConfig) -> None:
        offered = config.offered_languages()
        for tag, box in self.language_boxes.items():
            box.setChecked(tag in offered)
        self.default_language.setCurrentIndex(max(0, self.default_language.findData(config.default_language)))
        self.default_region.setCurrentIndex(max(0, self.default_region.findData(config.default_region)))
        self.idle.setValue(config.idle_seconds)
        self.guest_data.setCurrentIndex(max(0, self.guest_data.findData(config.guest_data)))
        self.profiles.setChecked(config.profiles)
        self.retention.setValue(config.profile_retention_days or 0)

    def form_config(self) -> KioskConfig:
        base = self.window.kiosk.config
        return KioskConfig(
            languages=[tag for tag, box in self.language_boxes.items() if box.isChecked()],
            default_language=self.default_language.currentData(),
            default_region=self.default_region.currentData(),
            idle_seconds=self.idle.value(),
            countdown_seconds=base.countdown_seconds,
            guest_data=self.guest_data.currentData(),
            profiles=self.profiles.isChecked(),
            profile_retention_days=self.retention.value() or None,
        )

    def save(self) -> None:
        from app.kiosk import KioskConfigError

        try:
            config = self.form_config().validate()
        except KioskConfigError as exc:
            self._say(_("Not saved: %(reason)s") % {"reason": str(exc)})
            return
        save_settings(config, self.session.store)
        self.window.kiosk.apply(config)
        self._say(_("Saved. New visitors get these settings."))

    def export_csv(self) -> None:
        path = self.export_path
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export statistics"), "lantern-statistics.csv",
                                                          "CSV (*.csv)")  # fmt: skip
            if not chosen:
                return
            path = Path(chosen)
        path.write_text(kiosk_data.stats_csv(kiosk_data.daily_stats(self.session.store, days=365)), encoding="utf-8")
        self.export_note.setText(_("Saved to %(file)s") % {"file": str(path)})

    def change_pin(self) -> None:
        if self.window.set_admin_pin():
            self._say(_("The admin PIN was changed."))

    def erase_all(self) -> None:
        if not w.Ask.confirm(self, _("Erase all learner data"),
                             _("Erase every learner, guest, answer and backup on this kiosk? This cannot be undone.")):  # fmt: skip
            return
        count = kiosk_data.erase_all_learners(self.session.store)
        self._say(_("Erased %(n)d learners and every backup.") % {"n": count})
        self.retranslate()

    def restore_backup(self) -> None:
        """Put a backup back in place of the kiosk's database (a safety copy is kept)."""
        from app.progress.backup import BackupError, restore
        from app.progress.store import ProgressStore

        chosen = self.backups.currentData()
        if not chosen or not w.Ask.confirm(
            self, _("Restore a backup"),
            _("Replace all current learner data with the backup from %(when)s? A copy of the current data is "
              "kept as a backup first.") % {"when": self.backups.currentText()},
        ):  # fmt: skip
            return
        session = self.session
        path = session.store.path
        session.store.close()
        try:
            restore(Path(chosen), path)
            self._say(_("The backup was restored."))
        except BackupError:
            self._say(_("That backup cannot be read, so nothing was changed."))
        finally:
            session.store = ProgressStore(path)
        self.retranslate()

    def _fill_backups(self) -> None:
        from app.progress.backup import list_backups

        self.backups.clear()
        for backup in list_backups(self.session.store.path):
            when = i18n.format_date(backup.created, fmt="medium") + backup.created.strftime(" %H:%M UTC")
            self.backups.addItem(when + (f" ({backup.label})" if backup.label else ""), str(backup.path))
        self.restore_button.setEnabled(self.backups.count() > 0)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------ text

    def retranslate(self) -> None:
        self.heading.setText(_("Kiosk administration"))
        self.stats_label.setText(_("Visitors in the last 30 days"))
        self.stats.setHorizontalHeaderLabels(
            [_("Day"), _("Visitors"), _("Sessions"), _("Lessons started"), _("Lessons completed"), _("Average score")]
        )
        w.name(self.stats, _("Visitors in the last 30 days"))
        rows = kiosk_data.daily_stats(self.session.store)
        self.stats.setRowCount(len(rows))
        for r, s in enumerate(rows):
            score = "" if s.average_score is None else i18n.format_percent(s.average_score)
            cells = [s.day, s.visitors, s.visits, s.lessons_started, s.lessons_completed, score]
            for c, value in enumerate(cells):
                self.stats.setItem(r, c, QTableWidgetItem(str(value)))
        self.missed_label.setText(_("Most-missed questions"))
        self.missed.setHorizontalHeaderLabels([_("Lesson"), _("Question"), _("Wrong answers"), _("All answers")])
        w.name(self.missed, _("Most-missed questions"))
        missed = kiosk_data.most_missed(self.session.store)
        self.missed.setRowCount(len(missed))
        for r, row in enumerate(missed):
            lesson = self.session.library.lesson(row["lesson_id"], self.session.content_locale)
            title = lesson.item.title if lesson else row["lesson_id"]
            for c, value in enumerate((title, row["question_id"], row["wrong"], row["answers"])):
                self.missed.setItem(r, c, QTableWidgetItem(str(value)))
        self.export_button.setText(_("Export statistics (CSV)"))
        w.name(self.export_button, self.export_button.text())
        self.settings_label.setText(_("Kiosk settings"))
        self.labels["languages"].setText(_("Languages offered"))
        self.labels["default"].setText(_("Language for each new visitor"))
        self.labels["region"].setText(_("Region for guests"))
        self.labels["idle"].setText(_("Start over after this many quiet seconds"))
        self.labels["guest"].setText(_("Guests' answers"))
        self.labels["retention"].setText(_("Erase profiles unused for this many days (0 = keep)"))
        w.name(self.default_language, self.labels["default"].text())
        w.name(self.default_region, self.labels["region"].text())
        w.name(self.idle, self.labels["idle"].text())
        w.name(self.guest_data, self.labels["guest"].text())
        w.name(self.retention, self.labels["retention"].text())
        current_policy = self.guest_data.currentData()
        self.guest_data.clear()
        self.guest_data.addItem(_("Keep anonymously for statistics"), "anonymous")
        self.guest_data.addItem(_("Erase when the visit ends"), "erase")
        self.guest_data.setCurrentIndex(max(0, self.guest_data.findData(current_policy)))
        region = self.default_region.currentData()
        fill_region_combo(self.default_region, self.session)
        self.default_region.setCurrentIndex(max(0, self.default_region.findData(region)))
        self.profiles.setText(_("Allow personal profiles with a PIN"))
        w.name(self.profiles, self.profiles.text())
        self.save_button.setText(_("Save settings"))
        self.restore_label.setText(_("Backups"))
        self._fill_backups()
        w.name(self.backups, _("Backups"))
        self.restore_button.setText(_("Restore this backup"))
        w.name(self.restore_button, self.restore_button.text())
        self.actions_label.setText(_("Actions"))
        texts = {
            self.reports_button: _("Reports for educators"),
            self.pin_button: _("Change admin PIN"),
            self.erase_button: _("Erase all learner data"),
            self.exit_button: _("Exit kiosk mode"),
            self.done_button: _("Done"),
            self.save_button: _("Save settings"),
        }
        for b, text in texts.items():
            b.setText(text)
            w.name(b, text)
        from app.ui.screens import SCREENS

        self.reports_button.setVisible(any(s.endswith(":ReportsScreen") for s in SCREENS))

    def title(self) -> str:
        return _("Kiosk administration")
