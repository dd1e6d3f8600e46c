"""Is there a font for the current language's script? If not, say what to install.

Without a Chinese or Arabic font Qt draws empty boxes; a learner cannot read
a warning written in boxes, so the warning itself is in English (Latin script
is always available) with the language's own name beside it.
"""

from __future__ import annotations

import sys

from app import i18n

# The script each language needs, named as Qt's writing systems (looked up only for these
# languages: Qt makes its Python enum of writing systems, at a cost, on first use).
WRITING_SYSTEMS = {"zh-Hans": "SimplifiedChinese", "zh-Hant": "TraditionalChinese", "ar": "Arabic"}
# Debian/Ubuntu packages that provide each script (README lists the same).
LINUX_PACKAGES = {"SimplifiedChinese": "fonts-noto-cjk", "TraditionalChinese": "fonts-noto-cjk",
                  "Arabic": "fonts-noto-core"}  # fmt: skip


def _writing_system(tag: str) -> str | None:
    for key, system in WRITING_SYSTEMS.items():
        if tag == key or tag.startswith(key + "-"):
            return system
    return None


def missing_font(tag: str, families=None) -> bool:
    """True when no installed font can write *tag*'s script."""
    system = _writing_system(tag)
    if system is None:
        return False
    from PySide6.QtGui import QFontDatabase

    return not (families or QFontDatabase.families)(getattr(QFontDatabase.WritingSystem, system))


def install_advice(tag: str, platform: str = sys.platform) -> str:
    """Plain English: what to install so *tag* shows as text, not boxes."""
    system = _writing_system(tag)
    english = i18n.to_babel(tag).get_display_name("en")
    if platform.startswith("win"):
        how = f"open Settings > Time & Language > Language, add {english} and let Windows download its fonts"
    elif platform == "darwin":
        how = f"open Font Book and download the {english} fonts"
    else:
        how = f"ask whoever looks after this computer to install the package {LINUX_PACKAGES.get(system, 'fonts-noto')}"
    return (
        f"This computer has no font for {english} ({i18n.language_name(tag)}), so its letters may show as "
        f"empty boxes. To fix it, {how}, then restart Lantern."
    )
