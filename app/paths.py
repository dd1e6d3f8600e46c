"""Every path Lantern reads or writes, decided in one place.

Each can be overridden by an environment variable so tests, kiosks and
educators can point Lantern elsewhere without touching code.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Lantern"
# The checkout (or installed tree) that holds lessons/, locales/ and assets/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def data_dir() -> Path:
    """Where the learner's database, backups and logs live (created on demand)."""
    if "LANTERN_DATA_DIR" in os.environ:
        path = Path(os.environ["LANTERN_DATA_DIR"]).expanduser()
    else:
        import platformdirs  # imported lazily: only needed for the real user dir

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Things Lantern can always make again (the parsed-lessons cache).

    LANTERN_CACHE_DIR if set; else inside LANTERN_DATA_DIR when that is set (a kiosk,
    a USB stick, the tests keep everything in one folder); else the user's cache folder.
    """
    if "LANTERN_CACHE_DIR" in os.environ:
        return Path(os.environ["LANTERN_CACHE_DIR"]).expanduser()
    if "LANTERN_DATA_DIR" in os.environ:
        return data_dir() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    return data_dir() / "progress.db"


def packs_dir() -> Path:
    """Installed lesson packs, one folder each (``<pack-id>/``); made by the installer."""
    return _env_path("LANTERN_PACKS_DIR", data_dir() / "packs")


def installed_pack_roots() -> list[Path]:
    """The lessons root of every installed pack, in a stable order."""
    root = packs_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file())


def lessons_dir() -> Path:
    return _env_path("LANTERN_LESSONS_DIR", PROJECT_ROOT / "lessons")


def help_dir() -> Path:
    return lessons_dir() / "help"


def locales_dir() -> Path:
    return _env_path("LANTERN_LOCALES_DIR", PROJECT_ROOT / "locales")


def assets_dir() -> Path:
    return PROJECT_ROOT / "assets"
