"""Text shown in widgets: plain Text, never markup, never control characters."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
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


class Hanging:
    """A marker, then a label whose wrapped lines are indented under its first line
    (a Rich renderable: the wrapping is Rich's own, at whatever width it is given)."""

    def __init__(self, marker: str, label: str | Text) -> None:
        self.marker = marker
        self.label = label if isinstance(label, Text) else Text(label)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.marker)
        lines = self.label.wrap(console, max(1, options.max_width - indent))
        for n, line in enumerate(lines):
            yield Segment(self.marker if n == 0 else " " * indent)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = cell_len(self.marker)
        words = self.label.plain.split() or [""]
        return Measurement(
            indent + max(cell_len(word) for word in words), indent + self.label.cell_len
        )

    def __str__(self) -> str:
        return self.marker + self.label.plain


BULLET = "  • "


def hang_bullets(renderable: RenderableType) -> RenderableType:
    """The reports' bulleted lines ("  • …"), each wrapped under its own first line
    rather than back at the margin."""
    if isinstance(renderable, Group):
        return Group(*(hang_bullets(part) for part in renderable.renderables))
    if isinstance(renderable, Text) and renderable.plain.startswith(BULLET):
        return Hanging(BULLET, renderable[len(BULLET) :])
    return renderable
