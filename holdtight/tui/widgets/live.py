"""The live panel: each domain's setting as answers come in, with a legend."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from holdtight.terminal_text import for_terminal
from holdtight.tui.state import Workspace
from holdtight.tui.text import marker, plain


def live_text(ws: Workspace, moved: list[str], name_width: int = 13) -> Text:
    live = Text("Recommendations\n", style="bold")
    live.append("● on tight◀─▶loose\n", style="italic")
    live.append("reversed", style="reverse")
    live.append(" = just moved\n", style="italic")
    for index, d in enumerate(ws.result.domains):
        style = "reverse" if d.id in moved else ""
        name = for_width(ws.rulebook.domains[index].short, name_width)
        live.append_text(plain(name, style=style))
        live.append(" " * (name_width + 1 - len(name)))
        live.append_text(marker(d.setting))
        live.append("\n")
    # The label on a line of its own: "Posture: More centralized" would wrap mid-label.
    posture = ws.rulebook.posture_text(ws.result.posture_label)
    live.append(f"\nPosture:\n{for_terminal(posture)}", style="italic")
    return live


def for_width(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class LivePanel(Static):
    _shown: tuple[object, ...] = ()

    def show(self, ws: Workspace, moved: list[str]) -> None:
        width = self.content_size.width or 21  # before the first layout: #live is 24 wide
        name_width = max(6, min(16, width - 6))
        # Drawn again only when what it shows changed: mounting, resuming and resizing
        # all ask, and each update lays the screen out again.
        shown = (ws.result, ws.rulebook, tuple(moved), name_width)
        if len(shown) == len(self._shown) and all(
            a is b or a == b for a, b in zip(shown, self._shown, strict=True)
        ):
            return
        self._shown = shown
        self.update(live_text(ws, moved, name_width))
