"""Kiosk settings: a TOML file a centre deploys to many machines, plus local changes.

No Qt here. The file gives each machine its baseline; what staff change on
the admin screen is stored in the machine's database and wins over the file
(``effective_config``). Nothing in either place is a secret: the admin PIN
lives only as a scrypt hash in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app import i18n

GUEST_POLICIES = ("anonymous", "erase")
SETTING_PREFIX = "kiosk."
ADMIN_PIN_SETTING = "kiosk.admin_pin_hash"
ADMIN_THROTTLE_SETTING = "kiosk.admin_pin_throttle"


class KioskConfigError(ValueError):
    """A kiosk file or value that cannot be used; the message says where and why."""


@dataclass
class KioskConfig:
    languages: list[str] = field(default_factory=list)  # offered on the welcome screen; empty = all
    default_language: str = "en"  # what each new visitor sees first
    default_region: str | None = None  # whose help channels a guest sees
    idle_seconds: int = 120  # quiet time before "Are you still there?"
    countdown_seconds: int = 30  # how long that question waits for an answer
    guest_data: str = "anonymous"  # keep guests' answers anonymously, or erase them at session end
    profiles: bool = True  # allow personal profiles protected by a 4-digit PIN
    profile_retention_days: int | None = None  # erase profiles unused this long; None keeps them

    def validate(self, where: str = "") -> "KioskConfig":
        prefix = f"{where}: " if where else ""
        shipped = i18n.shipped_locales()
        for tag in self.languages + [self.default_language]:
            if tag not in shipped:
                raise KioskConfigError(f"{prefix}language `{tag}` is not one of {', '.join(shipped)}")
        if self.languages and self.default_language not in self.languages:
            raise KioskConfigError(f"{prefix}default_language `{self.default_language}` is not in `languages`")
        if self.default_region is not None and not (
            len(self.default_region) == 2 and self.default_region.isalpha() and self.default_region.isupper()
        ):
            raise KioskConfigError(f"{prefix}default_region must be a two-letter code like GB")
        if not 10 <= self.idle_seconds <= 3600:
            raise KioskConfigError(f"{prefix}idle_seconds must be between 10 and 3600")
        if not 5 <= self.countdown_seconds <= 300:
            raise KioskConfigError(f"{prefix}countdown_seconds must be between 5 and 300")
        if self.guest_data not in GUEST_POLICIES:
            raise KioskConfigError(f"{prefix}guest_data must be one of {', '.join(GUEST_POLICIES)}")
        if self.profile_retention_days is not None and not 1 <= self.profile_retention_days <= 3650:
            raise KioskConfigError(f"{prefix}profile_retention_days must be between 1 and 3650")
        return self

    def offered_languages(self) -> list[str]:
        return self.languages or i18n.shipped_locales()

    # ------------------------------------------------------------ storage

    def to_settings(self) -> dict[str, str]:
        """Values as strings for the database's settings table."""
        out = {}
        for key, value in asdict(self).items():
            if isinstance(value, list):
                value = ",".join(value)
            out[SETTING_PREFIX + key] = "" if value is None else str(value)
        return out

    def with_settings(self, settings: dict[str, str]) -> "KioskConfig":
        """This config overridden by values stored on the admin screen."""
        values = asdict(self)
        for f in fields(self):
            raw = settings.get(SETTING_PREFIX + f.name)
            if raw is None:
                continue
            values[f.name] = _from_text(f.name, raw)
        return KioskConfig(**values)


def _from_text(name: str, raw: str):
    if name == "languages":
        return [t for t in raw.split(",") if t]
    if name in ("idle_seconds", "countdown_seconds"):
        return int(raw)
    if name == "profile_retention_days":
        return int(raw) if raw else None
    if name == "profiles":
        return raw == "True"
    if name == "default_region":
        return raw or None
    return raw


def load_config(path: Path | None) -> KioskConfig:
    """Read a kiosk TOML file (or the defaults when *path* is None)."""
    if path is None:
        return KioskConfig().validate()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KioskConfigError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KioskConfigError(f"{path}: {exc}") from exc
    section = data.get("kiosk", data)
    known = {f.name for f in fields(KioskConfig)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise KioskConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    try:
        config = KioskConfig(**section)
    except TypeError as exc:
        raise KioskConfigError(f"{path}: {exc}") from exc
    for f in fields(KioskConfig):
        value = getattr(config, f.name)
        expected = {"languages": list, "idle_seconds": int, "countdown_seconds": int, "profiles": bool}
        if f.name in expected and not isinstance(value, expected[f.name]):
            raise KioskConfigError(f"{path}: {f.name} has the wrong type")
    return config.validate(str(path))


def effective_config(base: KioskConfig, store) -> KioskConfig:
    """The file's config with the admin screen's local changes applied."""
    config = base.with_settings(store.settings_with_prefix(SETTING_PREFIX))
    try:
        return config.validate()
    except KioskConfigError:
        return base  # a bad local change never locks a centre out of its own kiosk


def save_settings(config: KioskConfig, store) -> None:
    config.validate()
    for key, value in config.to_settings().items():
        store.set_setting(key, value)
