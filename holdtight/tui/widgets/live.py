"""The live panel: each domain's setting as answers come in, with a legend."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from holdtight.terminal_text import for_terminal
from holdtight.tui.state import Workspace
from holdtight.tui.text import marker, plain


def live_text(
    ws: Workspace, moved: list[str], name_width: int = 13, height: int | None = None
) -> Text:
    """The panel's lines: every domain and the posture always; the title, the legend and
    the blank line before the posture as far as `height` (rows) allows, most useful
    first, so that a short terminal (60×20) still shows the posture."""
    posture = for_terminal(ws.rulebook.posture_text(ws.result.posture_label))
    # The label on a line of its own: "Posture: More centralized" would wrap mid-label.
    width = name_width + 6
    needed = len(ws.result.domains) + 1 + max(1, -(-len(posture) // max(1, width)))
    spare = 4 if height is None else height - needed
    title, legend, reversed_, blank = (spare > n for n in (1, 0, 2, 3))
    live = Text()
    if title:
        live.append("Recommendations\n", style="bold")
    if legend:
        live.append("● on tight◀─▶loose\n", style="italic")
    if reversed_:
        live.append("reversed", style="reverse")
        live.append(" = just moved\n", style="italic")
    for index, d in enumerate(ws.result.domains):
        style = "reverse" if d.id in moved else ""
        name = for_width(ws.rulebook.domains[index].short, name_width)
        live.append_text(plain(name, style=style))
        live.append(" " * (name_width + 1 - len(name)))
        live.append_text(marker(d.setting))
        live.append("\n")
    live.append(f"{chr(10) if blank else ''}Posture:\n{posture}", style="italic")
    return live


def for_width(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class LivePanel(Static):
    _shown: tuple[object, ...] = ()
    _last: tuple[Workspace, list[str]] | None = None

    def on_resize(self) -> None:
        """Laid out again (its rows decide what it shows): drawn for its new size."""
        if self._last is not None:
            self.show(*self._last)

    def show(self, ws: Workspace, moved: list[str]) -> None:
        self._last = (ws, list(moved))
        width = self.content_size.width or 21  # before the first layout: #live is 24 wide
        name_width = max(6, min(16, width - 6))
        height = self.content_size.height or None  # before the first layout: all of it
        # Drawn again only when what it shows changed: mounting, resuming and resizing
        # all ask, and each update lays the screen out again.
        shown = (ws.result, ws.rulebook, tuple(moved), name_width, height)
        if len(shown) == len(self._shown) and all(
            a is b or a == b for a, b in zip(shown, self._shown, strict=True)
        ):
            return
        self._shown = shown
        self.update(live_text(ws, moved, name_width, height))
