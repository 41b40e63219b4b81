"""What is wrong with a rulebook: errors stop it loading, warnings are lints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Finding(NamedTuple):
    """One problem in a rulebook: an error stops it loading; a warning is a lint."""

    file: str
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.message}"


@dataclass
class Findings:
    """The findings of one load, in the order they were found."""

    items: list[Finding] = field(default_factory=list)

    def error(self, file: str, where: str, message: str) -> None:
        self.items.append(Finding(file, where, message))

    def warn(self, file: str, where: str, message: str) -> None:
        self.items.append(Finding(file, where, message, "warning"))

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.items)
