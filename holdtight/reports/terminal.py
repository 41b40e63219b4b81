"""Rich renderables for the terminal. Text from files is shown as plain `Text`, never
parsed as markup, and stripped of control characters."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from holdtight.model import SETTINGS, AnswerValue, Result, Rulebook, Session
from holdtight.reports.phrases import earned, readable_warnings
from holdtight.reports.plain_table import headers, result_rows, spectrum_line
from holdtight.terminal_text import for_terminal

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
    """tight ●────── loose, in the setting's colour."""
    return Text(spectrum_line(setting), style=SETTING_STYLE.get(setting, ""))


def result_renderable(
    rulebook: Rulebook,
    source: str,
    result: Result,
    meta: Mapping[str, Any] | None = None,
    short: bool = False,
    spectrum: bool = True,
) -> RenderableType:
    organization = for_terminal((meta or {}).get("organization", ""), 80)
    title = Text(for_terminal(source, 120), style="bold")
    if organization:
        title.append(f" — {organization}", style="")
    table = Table(show_header=True, header_style="bold", expand=False)
    # The headers are plain_table's (one definition). The domain wraps between words,
    # never inside one ("Curriculu"/"m" at 40 columns): its column is at least as wide
    # as its longest word, and the setting wraps between its words instead.
    names = headers(spectrum)
    rows = result_rows(rulebook, result, short, spectrum)
    longest = max((len(word) for cells in rows for word in cells[0].split()), default=1)
    table.add_column(names[0], overflow="fold", min_width=longest)
    for header in names[1:-2]:
        table.add_column(header, no_wrap=True)
    table.add_column(names[-2])  # the setting: "Leave" / "loose" where it must
    table.add_column(names[-1], no_wrap=True)
    for d, cells in zip(result.domains, rows, strict=True):
        styles = [SETTING_STYLE[d.setting]] * (len(cells) - 2) + [CONFIDENCE_STYLE[d.confidence]]
        table.add_row(
            Text(cells[0]), *(Text(c, style=st) for c, st in zip(cells[1:], styles, strict=True))
        )
    posture = Text(
        f"Posture: {rulebook.posture_text(result.posture_label)} (index {result.posture_index:+.2f})"
    )
    parts: list[RenderableType] = [title, table, posture]
    for warning in readable_warnings(rulebook, result.warnings):
        parts.append(Text(f"warning: {for_terminal(warning, 300)}", style="yellow"))
    return Group(*parts)


def render_text(renderable: RenderableType, width: int = 100, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, color_system="standard" if color else None
    )
    console.print(renderable)
    return buffer.getvalue().rstrip("\n")


def result_table_text(
    rulebook: Rulebook,
    source: str,
    result: Result,
    meta: Mapping[str, Any] | None = None,
    width: int = 100,
    short: bool = False,
    spectrum: bool = True,
) -> str:
    renderable = result_renderable(rulebook, source, result, meta, short, spectrum)
    return render_text(renderable, width) + "\n"


def summary_renderable(rulebook: Rulebook, summary: dict[str, Any]) -> RenderableType:
    """The `--summary` table: settings by their labels, domains by their titles."""
    table = Table(title="Settings across inputs", header_style="bold")
    # Domains by their short names, on one line: the counts beside them stay readable
    # at 80 columns (the full titles are in the JSON summary and the reports). A count
    # is never cut: each column is at least as wide as its longest count ("120…" was
    # shown for 120,000 on a narrow terminal); a header may fold instead.
    counts_of = [[d["settings"][s] for d in summary["domains"]] for s in reversed(SETTINGS)]
    table.add_column("Domain", no_wrap=True)
    for setting, counts in zip(reversed(SETTINGS), counts_of, strict=True):
        widest = max((len(str(n)) for n in counts), default=1)
        table.add_column(
            Text(for_terminal(rulebook.setting_label(setting))),
            justify="right",
            style=SETTING_STYLE[setting],
            min_width=widest,
            max_width=max(8, widest),
            overflow="fold",
        )
    # Confidence in a table of its own: its three counts in one cell of 8 columns were
    # cut ("129/27…") from a hundred inputs on.
    confidence = Table(title="Confidence across inputs", header_style="bold")
    confidence.add_column("Domain", no_wrap=True)
    for level in ("High", "Medium", "Low"):
        widest = max(
            (len(str(d["confidence"][level.lower()])) for d in summary["domains"]), default=1
        )
        confidence.add_column(level, justify="right", min_width=widest, overflow="fold")
    short_names = {d.id: d.short for d in rulebook.domains}
    for domain in summary["domains"]:
        counts = domain["settings"]
        conf = domain["confidence"]
        short = Text(for_terminal(short_names.get(domain["id"]) or domain["title"]))
        table.add_row(short, *(str(counts[s]) for s in reversed(SETTINGS)))
        confidence.add_row(short, str(conf["high"]), str(conf["medium"]), str(conf["low"]))
    posture = summary["posture"]
    lines: list[RenderableType] = [
        table,
        confidence,
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
        lines.append(Text(f"failed: {for_terminal(failure['error'], 300)}", style="red"))
    if len(summary["failed"]) > 50:
        lines.append(Text(f"… and {len(summary['failed']) - 50} more failed"))
    return Group(*lines)


def summary_width(console: Console, renderable: RenderableType) -> int:
    """The fewest columns the summary's tables need, each count whole."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update_width(10_000), renderable).minimum


def domain_detail_renderable(
    rulebook: Rulebook,
    result: Result,
    domain_id: str,
    *,
    full: bool = True,
    answers: Mapping[str, AnswerValue] | None = None,
) -> RenderableType:
    """One domain as the report's outline says it (`holdtight.reports.outline.domain_view`),
    for the terminal and the TUI's domain detail: setting, road ahead, confidence in words,
    reasons with their direction, guard rails and the levers a leader can change. Text is
    shown as plain `Text` with control characters stripped. `full=False` is the preview:
    setting, road ahead, confidence and why; `full=True` adds guard rails, what a leader
    can change and every other answer that would change it, and the scenarios."""
    from holdtight.reports.outline import domain_view

    view = domain_view(rulebook, result, domain_id, answers)
    head = Text(for_terminal(view.title), style="bold")
    head.append("  ")
    head.append(for_terminal(view.setting_label), style=SETTING_STYLE.get(view.setting, ""))
    if view.borderline:
        head.append(f"  ⚑ borderline: {for_terminal(view.borderline)}", style="yellow")
    parts: list[RenderableType] = [head]
    road = " → ".join(f"{for_terminal(stage)}: {for_terminal(label)}" for stage, label in view.road)
    parts.append(Text(f"Road ahead: {road}"))
    if view.earned_by:
        tiers = "; ".join(for_terminal(item) for item in view.earned_by)
        parts.append(Text(f"What earns a looser setting: {tiers}"))
    parts.append(
        Text(
            f"Confidence: {for_terminal(view.confidence_words)}",
            style=CONFIDENCE_STYLE[view.confidence],
        )
    )
    parts.append(Text(f"Tight means: {for_terminal(view.tight_means)}"))
    parts.append(Text(f"Loose means: {for_terminal(view.loose_means)}"))
    parts.append(Text("Why", style="bold"))
    parts.append(Text(f"  • {for_terminal(view.starting_point)}"))
    for reason in view.reasons:
        line = Text(f"  • {for_terminal(reason.text)} — ")
        line.append(for_terminal(reason.direction), style="bold")
        parts.append(line)
    for extra in (view.smaller, view.held_by):
        if extra:
            parts.append(Text(f"  • {for_terminal(extra)}"))
    if not full:
        parts.append(
            Text("Enter opens guard rails, what would change it and more.", style="italic")
        )
        return Group(*parts)
    parts.append(Text("Guard rails", style="bold"))
    parts += [Text(f"  • {for_terminal(rail)}") for rail in view.guard_rails] or [
        Text("  • None for this setting.")
    ]
    if view.levers:
        parts.append(Text("What a leader can change", style="bold"))
        for group in view.levers:
            for lever in group.lines:
                parts.append(
                    Text(
                        f"  • {for_terminal(group.title)}: {for_terminal(lever.prompt)} → "
                        f"{for_terminal(lever.answers)}: {for_terminal(lever.setting_label)}"
                    )
                )
    if view.other_levers:
        parts.append(Text("Other answers that would change it", style="bold"))
        for lever in view.other_levers:
            parts.append(
                Text(
                    f"  • {for_terminal(lever.prompt)} → {for_terminal(lever.answers)}: "
                    f"{for_terminal(lever.setting_label)}"
                )
            )
    domain = result.domain(domain_id)
    if domain.scenarios:
        parts.append(Text("Scenarios", style="bold"))
        for under in domain.scenarios:
            label = rulebook.setting_label(under.setting)
            parts.append(Text(f"  • {for_terminal(under.title)}: {for_terminal(label)}"))
    for tier in earned(rulebook, domain):
        parts.append(
            Text(
                f"What earns {for_terminal(tier.setting)}: {for_terminal(tier.title)}", style="bold"
            )
        )
        parts += [Text(f"  • {for_terminal(criterion)}") for criterion in tier.criteria]
    return Group(*parts)


def outline_renderable(rulebook: Rulebook, session: Session, result: Result) -> RenderableType:
    """The report's executive summary in the terminal, from the same outline as the
    documents: who and when, each setting group with its first guard rail and flags, the
    earned-autonomy path and the next steps."""
    from holdtight.reports.outline import build_outline

    o = build_outline(rulebook, session, result)
    parts: list[RenderableType] = [
        Text(f"Tight or loose: {for_terminal(o.organization)}", style="bold"),
        Text(
            f"Prepared for {for_terminal(o.prepared_for)} · by {for_terminal(o.prepared_by)} · "
            f"{for_terminal(o.date)} · {for_terminal(o.rulebook_title)} {for_terminal(o.rulebook_version)}"
        ),
    ]
    if o.rulebook_note:
        parts.append(Text(for_terminal(o.rulebook_note), style="yellow"))
    parts.append(Text(for_terminal(o.posture)))
    for group in o.summary:
        parts.append(Text(group.title, style="bold"))
        for item in group.items:
            line = Text(f"  • {for_terminal(item.domain)} ({for_terminal(item.setting_label)})")
            for flag in item.flags:
                line.append(f" ⚑ {for_terminal(flag)}", style="yellow")
            parts.append(line)
            if item.guard_rail:
                parts.append(Text(f"    Guard rail: {for_terminal(item.guard_rail)}"))
    if o.path:
        parts.append(Text("The earned-autonomy path", style="bold"))
        for n, step in enumerate(o.path, 1):
            opens = "; ".join(for_terminal(x) for x in step.opens)
            parts.append(Text(f"  {n}. {for_terminal(step.title)}: {opens}"))
    parts.append(Text("Next steps", style="bold"))
    parts += [Text(f"  {n}. {for_terminal(s)}") for n, s in enumerate(o.next_steps, 1)]
    return Group(*parts)
