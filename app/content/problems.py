"""Problems found in lesson files: one type for errors and warnings.

Every loader, parser and checker reports through :class:`Problem`, so the CLI,
the problems view and the preview window print them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as we know."""

    message: str
    severity: Severity = Severity.ERROR
    file: str = ""
    line: int = 0  # 1-based; 0 means "the file as a whole"
    column: int = 0  # 1-based; 0 means unknown
    code: str = ""  # short stable identifier, documented in docs/authoring.md

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, file: str, line_offset: int = 0) -> "Problem":
        """The same problem, placed in *file* and shifted by *line_offset* lines."""
        return Problem(
            self.message,
            self.severity,
            file,
            self.line + line_offset if self.line else self.line,
            self.column,
            self.code,
        )

    def format(self) -> str:
        """``FILE:LINE:COL: severity CODE: message`` (parts we lack are left out)."""
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        code = f" {self.code}" if self.code else ""
        return f"{where}: {self.severity.value}{code}: {self.message}"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


class LessonError(Exception):
    """A lesson file that cannot be used at all. Carries the problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


@dataclass
class ProblemList:
    """Collects problems while parsing; helpers keep call sites short."""

    file: str = ""
    items: list[Problem] = field(default_factory=list)

    def error(self, message: str, line: int = 0, column: int = 0, code: str = "") -> None:
        self.items.append(Problem(message, Severity.ERROR, self.file, line, column, code))

    def warning(self, message: str, line: int = 0, column: int = 0, code: str = "") -> None:
        self.items.append(Problem(message, Severity.WARNING, self.file, line, column, code))

    def extend(self, problems) -> None:
        self.items.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.items)
