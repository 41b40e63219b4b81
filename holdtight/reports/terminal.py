"""Rich renderables for the terminal. Text from files is shown as plain `Text`, never
parsed as markup, and stripped of control characters."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from holdtight.model import SETTINGS, Result, Rulebook
from holdtight.reports.data import safe_text

# Truecolor, the same hues as the HTML report (Rich downgrades them on smaller palettes).
SETTING_STYLE = {
    "tight": "bold #c061d6",
    "lean_tight": "#c98fd9",
    "balanced": "#d9a93a",
    "lean_loose": "#5fb3d3",
    "loose": "bold #3a9cc4",
}
CONFIDENCE_STYLE = {"high": "#4caf50", "medium": "#d9a93a", "low": "#e05252"}


def spectrum(setting: str, width: int = 5) -> Text:
    """tight ●────── loose: a marker on a five-step line, tight on the left."""
    position = len(SETTINGS) - 1 - SETTINGS.index(setting)
    cells = ["─"] * len(SETTINGS)
    cells[position] = "●"
    return Text("".join(cells), style=SETTING_STYLE.get(setting, ""))


def result_renderable(
    rulebook: Rulebook, source: str, result: Result, meta: Mapping[str, Any] | None = None
) -> RenderableType:
    organization = safe_text((meta or {}).get("organization", ""), 80)
    title = Text(safe_text(source, 120), style="bold")
    if organization:
        title.append(f" — {organization}", style="")
    table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
    table.add_column("Domain", overflow="fold")
    table.add_column("tight … loose", no_wrap=True)
    table.add_column("Setting", no_wrap=True)
    table.add_column("Confidence", no_wrap=True)
    for d in result.domains:
        table.add_row(
            Text(safe_text(d.title)),
            spectrum(d.setting),
            Text(rulebook.setting_label(d.setting), style=SETTING_STYLE[d.setting]),
            Text(d.confidence, style=CONFIDENCE_STYLE[d.confidence]),
        )
    posture = Text(
        f"Posture: {rulebook.posture_text(result.posture_label)} (index {result.posture_index:+.2f})"
    )
    parts: list[RenderableType] = [title, table, posture]
    for warning in result.warnings:
        parts.append(Text(f"warning: {safe_text(warning, 300)}", style="yellow"))
    return Group(*parts)


def render_text(renderable: RenderableType, width: int = 100, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, color_system="standard" if color else None
    )
    console.print(renderable)
    return buffer.getvalue().rstrip("\n")


def result_table_text(
    rulebook: Rulebook, source: str, result: Result, meta: Mapping[str, Any] | None = None
) -> str:
    return render_text(result_renderable(rulebook, source, result, meta)) + "\n"


def summary_renderable(rulebook: Rulebook, summary: dict[str, Any]) -> RenderableType:
    """The `--summary` table: settings by their labels, domains by their titles."""
    table = Table(title="Settings across inputs", header_style="bold")
    table.add_column("Domain")
    for setting in reversed(SETTINGS):
        table.add_column(
            Text(safe_text(rulebook.setting_label(setting))),
            justify="right",
            style=SETTING_STYLE[setting],
            max_width=8,
        )
    table.add_column("conf. H/M/L", justify="right", max_width=8)
    for domain in summary["domains"]:
        counts = domain["settings"]
        conf = domain["confidence"]
        table.add_row(
            Text(safe_text(domain["title"])),
            *(str(counts[s]) for s in reversed(SETTINGS)),
            f"{conf['high']}/{conf['medium']}/{conf['low']}",
        )
    posture = summary["posture"]
    lines: list[RenderableType] = [
        table,
        Text(
            f"Inputs {summary['inputs']}: scored {summary['scored']}, failed "
            f"{len(summary['failed'])}, with warnings {summary['with_warnings']}"
        ),
        Text(
            "Posture: "
            + ", ".join(
                f"{rulebook.posture_text(label)} {count}" for label, count in posture.items()
            )
        ),
    ]
    for failure in summary["failed"][:50]:
        lines.append(Text(f"failed: {safe_text(failure['error'], 300)}", style="red"))
    if len(summary["failed"]) > 50:
        lines.append(Text(f"… and {len(summary['failed']) - 50} more failed"))
    return Group(*lines)
