"""Lantern's screens, one module each, all shown in the main window's stack.

``SCREENS`` is the one registry: the main window builds a screen from it the
first time it is shown. ``MENU`` lists the screens reached from the "More"
menu of the navigation bar, in order, with their (translatable) labels.
Add a screen by adding its "module:Class" here, and a menu entry if learners
should find it there.
"""

from app.i18n import N_

SCREENS = [
    "app.ui.screens.welcome:WelcomeScreen",
    "app.ui.screens.home:HomeScreen",
    "app.ui.screens.track:TrackScreen",
    "app.ui.screens.lesson:LessonScreen",
    "app.ui.screens.quiz:QuizScreen",
    "app.ui.screens.review:ReviewScreen",
    "app.ui.screens.progress:ProgressScreen",
    "app.ui.screens.problems:ProblemsScreen",
    "app.ui.screens.help:HelpScreen",
    "app.ui.screens.settings:SettingsScreen",
    "app.ui.screens.admin:AdminScreen",
    "app.ui.screens.data:DataScreen",
    "app.ui.screens.reports:ReportsScreen",
    "app.ui.screens.search:SearchScreen",
    "app.ui.screens.glossary:GlossaryScreen",
]

# (screen name, label): label is translated with _() when the menu is shown.
MENU: list[tuple[str, str]] = [
    ("search", N_("Search")),
    ("glossary", N_("Glossary")),
    ("help", N_("Where to get help")),
    ("settings", N_("Settings")),
    ("data", N_("Your data")),
    ("reports", N_("Reports for educators")),
]
