"""Rich renderables for the terminal. Text from files is shown as plain `Text`, never
parsed as markup, and stripped of control characters."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from holdtight.model import SETTINGS, Result, Rulebook, Session
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


def spectrum(setting: str) -> Text:
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
            Text(safe_text(rulebook.setting_label(d.setting)), style=SETTING_STYLE[d.setting]),
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


def domain_detail_renderable(rulebook: Rulebook, result: Result, domain_id: str) -> RenderableType:
    """One domain as the report's outline says it (`holdtight.reports.outline.domain_view`),
    for the terminal and the TUI's domain detail: setting, road ahead, confidence in words,
    reasons with their direction, guard rails and the levers a leader can change. Text is
    shown as plain `Text` with control characters stripped."""
    from holdtight.reports.outline import domain_view

    view = domain_view(rulebook, result, domain_id)
    head = Text(safe_text(view.title), style="bold")
    head.append("  ")
    head.append(safe_text(view.setting_label), style=SETTING_STYLE.get(view.setting, ""))
    if view.borderline:
        head.append(f"  ⚑ borderline: {safe_text(view.borderline)}", style="yellow")
    parts: list[RenderableType] = [head]
    road = " → ".join(f"{safe_text(stage)}: {safe_text(label)}" for stage, label in view.road)
    parts.append(Text(f"Road ahead: {road}"))
    if view.earned_by:
        earned = "; ".join(safe_text(item) for item in view.earned_by)
        parts.append(Text(f"What earns a looser setting: {earned}"))
    parts.append(
        Text(
            f"Confidence: {safe_text(view.confidence_words)}",
            style=CONFIDENCE_STYLE[view.confidence],
        )
    )
    parts.append(Text(f"Tight means: {safe_text(view.tight_means)}"))
    parts.append(Text(f"Loose means: {safe_text(view.loose_means)}"))
    parts.append(Text("Why", style="bold"))
    parts.append(Text(f"  • {safe_text(view.starting_point)}"))
    for reason in view.reasons:
        line = Text(f"  • {safe_text(reason.text)} — ")
        line.append(safe_text(reason.direction), style="bold")
        parts.append(line)
    for extra in (view.smaller, view.held_by):
        if extra:
            parts.append(Text(f"  • {safe_text(extra)}"))
    parts.append(Text("Guard rails", style="bold"))
    parts += [Text(f"  • {safe_text(rail)}") for rail in view.guard_rails] or [
        Text("  • None for this setting.")
    ]
    if view.levers:
        parts.append(Text("What a leader can change", style="bold"))
        for group in view.levers:
            for lever in group.lines:
                parts.append(
                    Text(
                        f"  • {safe_text(group.title)}: {safe_text(lever.prompt)} → "
                        f"{safe_text(lever.answers)}: {safe_text(lever.setting_label)}"
                    )
                )
    return Group(*parts)


def outline_renderable(rulebook: Rulebook, session: Session, result: Result) -> RenderableType:
    """The report's executive summary in the terminal, from the same outline as the
    documents: who and when, each setting group with its first guard rail and flags, the
    earned-autonomy path and the next steps."""
    from holdtight.reports.outline import build_outline

    o = build_outline(rulebook, session, result)
    parts: list[RenderableType] = [
        Text(f"Tight or loose: {safe_text(o.organization)}", style="bold"),
        Text(
            f"Prepared for {safe_text(o.prepared_for)} · by {safe_text(o.prepared_by)} · "
            f"{safe_text(o.date)} · {safe_text(o.rulebook_title)} {safe_text(o.rulebook_version)}"
        ),
    ]
    if o.rulebook_note:
        parts.append(Text(safe_text(o.rulebook_note), style="yellow"))
    parts.append(Text(safe_text(o.posture)))
    for group in o.summary:
        parts.append(Text(group.title, style="bold"))
        for item in group.items:
            line = Text(f"  • {safe_text(item.domain)} ({safe_text(item.setting_label)})")
            for flag in item.flags:
                line.append(f" ⚑ {safe_text(flag)}", style="yellow")
            parts.append(line)
            if item.guard_rail:
                parts.append(Text(f"    Guard rail: {safe_text(item.guard_rail)}"))
    if o.path:
        parts.append(Text("The earned-autonomy path", style="bold"))
        for n, step in enumerate(o.path, 1):
            opens = "; ".join(safe_text(x) for x in step.opens)
            parts.append(Text(f"  {n}. {safe_text(step.title)}: {opens}"))
    parts.append(Text("Next steps", style="bold"))
    parts += [Text(f"  {n}. {safe_text(s)}") for n, s in enumerate(o.next_steps, 1)]
    return Group(*parts)
