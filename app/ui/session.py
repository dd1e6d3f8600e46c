"""The running app's state: library, progress store, current learner and language.

Screens read from here and call its methods; it owns no widgets, so the same
object serves the main window, the snapshot command and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import i18n, paths
from app.progress.store import Learner, ProgressStore

if TYPE_CHECKING:  # imported when the lessons are read, after the window's first paint
    from app.content.catalog import Library
    from app.content.helpdir import HelpDirectory

SETTING_LAST_LEARNER = "last_learner_id"
SETTING_UI_LOCALE = "ui_locale"


@dataclass
class Session:
    store: ProgressStore
    lessons_root: Path
    library: Library | None = None  # None until load_library(): the window paints before the lessons are read
    learner: Learner | None = None
    locale: str = i18n.SOURCE_LOCALE
    help_directory: HelpDirectory | None = None  # read with the library
    is_admin: bool = False  # kiosk staff, after the admin PIN; cleared when the visit ends

    @classmethod
    def open(cls, lessons_dir: Path | None = None, database: Path | None = None, locale: str | None = None,
             progress=None, load_library: bool = True):  # fmt: skip
        """The progress store, the language and the returning learner; then (unless *load_library*
        is False) the lessons, telling *progress(done, total)* how far reading them has got."""
        store = ProgressStore(database or paths.database_path())
        session = cls(store, Path(lessons_dir or paths.lessons_dir()))
        last = store.setting(SETTING_LAST_LEARNER)
        if last and last.isdigit():
            session.learner = store.learner(int(last))
        if session.learner:
            start = session.learner.locale  # a returning learner's own language
        elif locale:
            start = i18n.normalize(locale)
        elif saved := store.setting(SETTING_UI_LOCALE):
            start = saved
        else:
            # First start: the best shipped language for the system's preferences.
            start = i18n.negotiate(i18n.system_locale_tags(), i18n.shipped_locales())
        session.locale = i18n.set_locale(start)
        if load_library:
            session.load_library(progress)
        return session

    def load_library(self, progress=None) -> None:
        """Read the lessons (through the catalog cache) and the help directory; again after a pack
        was installed or removed."""
        from app.content.catalog import Library
        from app.content.helpdir import HelpDirectory

        root = self.lessons_root
        self.library = Library.load(root, extra_roots=paths.installed_pack_roots(), cache=True, progress=progress)
        self.help_directory = HelpDirectory.load(root / "help")

    # ------------------------------------------------------------ language

    def set_locale(self, tag: str) -> None:
        self.locale = i18n.set_locale(tag)
        self.store.set_setting(SETTING_UI_LOCALE, self.locale)
        if self.learner:
            self.store.set_learner_locale(self.learner.id, self.locale)
            self.learner.locale = self.locale

    # ------------------------------------------------------------ learners

    def sign_in(self, learner: Learner) -> None:
        self.learner = learner
        self.store.touch_learner(learner.id)
        self.store.set_setting(SETTING_LAST_LEARNER, str(learner.id))
        if learner.locale != self.locale and learner.locale in i18n.shipped_locales():
            self.set_locale(learner.locale)

    def create_learner(self, nickname: str) -> Learner:
        from app.content.helpdir import default_region

        region = default_region(i18n.system_locale_tags(), self.help_directory.region_codes())
        learner = self.store.create_learner(nickname, self.locale, region=region)
        self.sign_in(learner)
        return learner

    def sign_out(self) -> None:
        self.learner = None
        self.is_admin = False
        self.store.set_setting(SETTING_LAST_LEARNER, None)

    @property
    def content_locale(self) -> str:
        """Language plus region for choosing lesson variants: es + MX → es-MX (→ es → en)."""
        return i18n.content_locale(self.locale, self.region)

    @property
    def region(self) -> str | None:
        return self.learner.region if self.learner else None

    def set_region(self, region: str | None) -> None:
        if self.learner:
            self.store.set_learner_region(self.learner.id, region)
            self.learner.region = region
