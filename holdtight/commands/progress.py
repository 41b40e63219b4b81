"""The progress bar of `holdtight score`: on standard error, only for a person watching a
terminal, never in pipes, files or CI logs."""

from __future__ import annotations

import os
import sys
from typing import Any

from holdtight.terminal_text import for_terminal


class Progress:
    def __init__(self, total: int | None) -> None:
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(transient=True, console=_stderr_console())
        self.task = self.progress.add_task("scoring", total=total)
        self.progress.start()

    def advance(self, count: int = 1) -> None:
        self.progress.advance(self.task, count)

    def stop(self) -> None:
        self.progress.stop()


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def wants_progress() -> bool:
    """A bar only for a person watching a terminal: never in pipes, files or CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def start_progress(total: int | None) -> Progress | None:
    if not wants_progress() or (total is not None and total < 200):
        return None
    return Progress(total)


def progress_print(progress: Progress | None, line: str) -> None:
    """A line on standard error that does not tear the bar."""
    line = for_terminal(line)
    if progress is not None:
        progress.progress.console.print(line, markup=False, highlight=False)
    else:
        print(line, file=sys.stderr)
