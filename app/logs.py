"""Logging: one rotating file in the data folder, event names and ids only.

Lantern's own log calls write an event name and numeric ids
(``data.erased learner_id=3``), never nicknames, answers or PINs. Two nets
catch what a log call or an exception might still carry:

- exception messages are left out (a ``ValueError`` can quote what the learner
  typed); only the exception's type and the code locations are written, except
  for SQLite and file-system errors, whose messages describe the machine;
- every finished line has the known nicknames replaced by ``[redacted]``
  (the application tells this module where to find them).

``describe_exception`` is also what the crash dialog shows and copies, so
what a learner might paste into an email is just as clean.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from pathlib import Path
from typing import Callable, Iterable

DIR_NAME = "logs"
FILE_NAME = "lantern.log"
MAX_BYTES = 512 * 1024
BACKUP_COUNT = 3  # four files of 512 KB at most: about 2 MB
REDACTED = "[redacted]"
# Their messages describe the machine (file names, "database is locked"), not the learner.
_SAFE_MESSAGES = (sqlite3.Error, OSError)

_secret_source: Callable[[], Iterable[str]] = lambda: ()
_handler: logging.Handler | None = None


def set_secret_source(source: Callable[[], Iterable[str]]) -> None:
    """*source* returns the strings that must never be written (the nicknames)."""
    global _secret_source
    _secret_source = source


def redact(text: str) -> str:
    try:
        secrets = sorted({s for s in _secret_source() if s and s.strip()}, key=len, reverse=True)
    except Exception:  # noqa: BLE001 - the log must work even when the database does not
        secrets = []
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def describe_exception(exc_type, exc, tb) -> str:
    """Type and code locations of an exception (and its causes), without user data."""
    lines = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        message = str(exc) if isinstance(exc, _SAFE_MESSAGES) else ""
        head = f"{type(exc).__module__}.{type(exc).__qualname__}"
        lines.append(f"{head}: {message}" if message else head)
        for frame in traceback.extract_tb(exc.__traceback__ if exc.__traceback__ is not None else tb):
            lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
        tb = None
        exc = exc.__cause__ or exc.__context__
        if exc is not None:
            lines.append("caused by:")
    return redact("\n".join(lines))


class SafeFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 - logging API
        return describe_exception(*ei)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging API
        return ""  # a stack dump shows source lines; locations come with exceptions

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_path(data_dir: Path) -> Path:
    return data_dir / DIR_NAME / FILE_NAME


def setup(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``lantern`` loggers to the rotating file in *data_dir*; returns its path."""
    global _handler
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutdown()
    handler = _RotatingFileOnFirstRecord(path)
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("lantern")
    logger.setLevel(level)
    logger.addHandler(handler)
    _handler = handler
    return path


class _RotatingFileOnFirstRecord(logging.Handler):
    """The rotating log file, opened when the first record comes: a start that logs nothing
    before its first frame need not import logging.handlers (sockets, pickling, queues: ~6 ms)."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None:
            import logging.handlers

            try:
                self.file = logging.handlers.RotatingFileHandler(
                    self.path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
                )
            except OSError:
                self.handleError(record)  # like any handler: a log that cannot be written never stops the app
                return
            self.file.setFormatter(self.formatter)
        self.file.handle(record)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def shutdown() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger("lantern").removeHandler(_handler)
        _handler.close()
        _handler = None
