"""Text shown in widgets: plain Text, never markup, never control characters."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.screen import Screen

from holdtight.reports.terminal import spectrum
from holdtight.terminal_text import for_terminal


def plain(value: object, limit: int | None = None, style: str = "") -> Text:
    """A Text of anything from a file or a person: shown literally, cleaned."""
    return Text(for_terminal(value, limit), style=style)


def notify_plain(target: App[Any] | Screen[Any], message: str, **options: Any) -> None:
    """A notification whose text is shown as it is: paths and file text are not markup."""
    safe = "\n".join(for_terminal(line) for line in message.split("\n"))
    target.notify(safe, markup=False, **options)


def marker(setting: str) -> Text:
    return spectrum(setting)
