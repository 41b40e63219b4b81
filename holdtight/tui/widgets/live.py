"""The live panel: each domain's setting as answers come in, with a legend."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from holdtight.tui.state import Workspace
from holdtight.tui.text import marker, plain


def live_text(ws: Workspace, moved: list[str]) -> Text:
    live = Text("Recommendations\n", style="bold")
    live.append("tight ◀──▶ loose", style="italic")
    live.append("  ▌ moved\n", style="reverse")
    for index, d in enumerate(ws.result.domains):
        style = "reverse" if d.id in moved else ""
        name = for_width(ws.rulebook.domains[index].short, 13)
        live.append_text(plain(f"{name:<13} ", style=style))
        live.append_text(marker(d.setting))
        live.append("\n")
    live.append(f"\nPosture: {ws.result.posture_label.replace('_', ' ')}", style="italic")
    return live


def for_width(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class LivePanel(Static):
    def show(self, ws: Workspace, moved: list[str]) -> None:
        self.update(live_text(ws, moved))
