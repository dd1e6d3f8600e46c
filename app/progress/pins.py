"""PINs: salted scrypt hashes only, and slowing down wrong guesses.

A PIN is never stored, logged or compared in plain text: only
``scrypt$n$r$p$salt$hash`` is kept. Wrong guesses double the wait before the
next try (1 s, 2 s, 4 s … capped), and the wait survives restarts because
the failure count is stored beside the hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# scrypt cost: ~50 ms on a modest PC, 16 MB of memory; enough for a PIN that is
# also rate-limited, cheap enough for a kiosk to check at a tap.
_N, _R, _P = 2**14, 8, 1
MAX_DELAY_SECONDS = 300
ADMIN_PIN_DIGITS = (4, 8)
PROFILE_PIN_DIGITS = (4, 4)


class PinFormatError(ValueError):
    pass


def check_format(pin: str, digits: tuple[int, int]) -> None:
    low, high = digits
    if not pin.isdigit() or not pin.isascii() or not (low <= len(pin) <= high):
        expected = f"{low}" if low == high else f"{low} to {high}"
        raise PinFormatError(f"a PIN is {expected} digits")


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=64 * 1024 * 1024
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def delay_after(failures: int) -> int:
    """Seconds to wait after *failures* wrong PINs in a row: 0, 0, 0, 1, 2, 4, … capped."""
    if failures < 3:
        return 0  # three honest typos are free
    return min(MAX_DELAY_SECONDS, 2 ** (failures - 3))


@dataclass
class Throttle:
    """Failure count and the time before which no PIN is checked."""

    failures: int = 0
    blocked_until: datetime | None = None

    def wait_seconds(self, now: datetime | None = None) -> float:
        now = now or datetime.now(timezone.utc)
        if self.blocked_until is None or self.blocked_until <= now:
            return 0.0
        return (self.blocked_until - now).total_seconds()

    def failed(self, now: datetime | None = None) -> "Throttle":
        now = now or datetime.now(timezone.utc)
        failures = self.failures + 1
        return Throttle(failures, now + timedelta(seconds=delay_after(failures)))

    def to_text(self) -> str:
        until = self.blocked_until.isoformat() if self.blocked_until else ""
        return f"{self.failures}|{until}"

    @classmethod
    def from_text(cls, text: str | None) -> "Throttle":
        if not text or "|" not in text:
            return cls()
        count, until = text.split("|", 1)
        try:
            return cls(int(count), datetime.fromisoformat(until) if until else None)
        except ValueError:
            return cls()
