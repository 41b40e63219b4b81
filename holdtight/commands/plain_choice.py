"""Whether `new` and `open` run plain mode: a module of its own, light enough that the
TUI's start-up can ask without loading plain mode itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class _Terminal(Protocol):
    def isatty(self) -> bool: ...


def plain_needed(stdin: _Terminal, stdout: _Terminal, environ: Mapping[str, str]) -> bool:
    """The one place that decides: plain mode whenever standard input or output is not a
    terminal, or the terminal says it is dumb. The full-screen TUI otherwise."""
    try:
        both_terminals = stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        both_terminals = False
    return not both_terminals or environ.get("TERM", "") == "dumb"
