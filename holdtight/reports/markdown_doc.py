"""The report outline as Markdown. User text is escaped so it cannot format or link; no
character a person wrote is dropped or replaced."""

from __future__ import annotations

from typing import NamedTuple

from holdtight.reports.outline import NO_PATH, other_levers_text
from holdtight.reports.outline_model import DomainView, Outline
from holdtight.terminal_text import for_document


class Marks(NamedTuple):
    """The report's own signs: a flag on a setting to check, an arrow from one stage or
    answer to the next. Plain mode reads words instead (a screen reader says "black
    flag" and "rightwards arrow")."""

    flag: str = "⚑"
    arrow: str = " → "
    answering: str = " → "
    """Between a lever's question and the answer that would move the setting."""
    bars: str = "the bars are in Appendix B"
    """Where the readiness bars are (plain mode reads them with `r all`)."""


SIGNS = Marks()
SPOKEN = Marks(
    flag="— check,", arrow=", then ", answering=" Answering ", bars="type r all for the bars"
)


def md(text: object) -> str:
    """User text made inert in Markdown: escape the characters that format or link;
    line breaks become spaces so a value cannot start a heading or a list."""
    value = " ".join(for_document(text).splitlines())
    for char in "\\`*_{}[]<>#|!":
        value = value.replace(char, "\\" + char)
    return value


def _link(text: str, url: str) -> str:
    return f"{md(text)} <{url}>" if url.startswith(("https://", "http://")) else md(text)


def markdown_outline(o: Outline) -> str:
    lines = [
        f"# Tight or loose: {md(o.organization)}",
        "",
        f"- **Prepared for:** {md(o.prepared_for)}",
        f"- **Prepared by:** {md(o.prepared_by)}",
        f"- **Date:** {md(o.date)}" + (f" ({o.date_meaning})" if o.date_meaning else ""),
        f"- **Rulebook:** {md(o.rulebook_title)}, version {md(o.rulebook_version)}",
    ]
    lines += [f"- **{md(key)}:** {md(value)}" for key, value in o.details]
    if o.rulebook_note:
        lines += ["", f"> **Note:** {md(o.rulebook_note)}"]
    lines += ["", *summary_markdown(o)]
    for page in o.pages:
        lines += [f"## {page.title}", ""]
        for view in page.domains:
            lines += domain_markdown(view)
    lines += ["## Appendix A: every answer", ""]
    for section in o.answers:
        lines += [f"### {md(section.title)}", ""]
        for a in section.lines:
            lines.append(f"- **{md(a.prompt)}** {md(a.answer)}")
            if a.note:
                lines.append(f"  - *Note:* {md(a.note)}")
        lines.append("")
    lines += bars_markdown(o)
    others = [(v.title, other_levers_text(v)) for v in o.domains if v.other_levers]
    if others:
        lines += ["## Appendix C: other answers that would change a setting", ""]
        lines += [f"- **{md(title)}:** {md(text)}" for title, text in others]
        lines.append("")
    lines += ["## Appendix D: method", ""]
    lines += [md(p) + "\n" for p in o.method]
    lines += ["## Appendix E: questions for your team", ""]
    lines += [f"{n}. {md(q)}" for n, q in enumerate(o.reflection, 1)]
    lines += ["", "## Sources", ""]
    lines += [f"- {_link(text, url)}" for text, url in o.sources]
    if o.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {md(w)}" for w in o.warnings]
    return "\n".join(lines).rstrip() + "\n"


def summary_markdown(
    o: Outline, *, guard_rails: bool = True, marks: Marks = SIGNS, numbered: bool = False
) -> list[str]:
    """The executive summary: posture, the settings by group, what to check first, the
    earned-autonomy path and next steps. Plain mode's `r` reads this part alone, without
    each setting's first guard rail (`guard_rails=False`: its `r N` has them all), the
    settings numbered down the groups (`numbered`: as `r N` counts them)."""
    number = 0
    lines = ["## Executive summary", "", md(o.posture), ""]
    if o.survey:
        lines += [md(o.survey), ""]
    if o.vision_statement:
        lines += [f"> *Vision statement:* {md(o.vision_statement)}", ""]
    for group in o.summary:
        lines += [f"### {group.title}", ""]
        if not group.items:
            lines.append("- None.")
        for item in group.items:
            flags = f" {marks.flag} {', '.join(item.flags)}" if item.flags else ""
            rail = (
                f" — guard rail: {md(item.guard_rail)}" if item.guard_rail and guard_rails else ""
            )
            number += 1
            bullet = f"{number}." if numbered else "-"
            lines.append(f"{bullet} **{md(item.domain)}** ({md(item.setting_label)}){flags}{rail}")
        lines.append("")
    if o.check_first:
        lines += ["**Check first:** " + md(o.check_first), ""]
    lines += ["### The earned-autonomy path", ""]
    if not o.path:  # a sentence, not a list of one
        lines.append(md(NO_PATH))
    for n, step in enumerate(o.path, 1):
        lines.append(f"{n}. **{md(step.title)}**: " + "; ".join(md(x) for x in step.opens))
    if any(step.criteria for step in o.path):
        lines.append(f"\n{marks.bars[:1].upper()}{marks.bars[1:]}.")
    lines += ["", "### Next steps", ""]
    lines += [f"{n}. {md(step)}" for n, step in enumerate(o.next_steps, 1)]
    lines.append("")
    return lines


def bars_markdown(o: Outline, *, headed: bool = False) -> list[str]:
    """Appendix B: what a school must show to earn each step of the path (none when no
    step has a bar). `headed`: each step a heading of its own above its criteria (plain
    mode: read aloud, an indented list sounds like one flat list)."""
    bars = [step for step in o.path if step.criteria]
    if not bars:
        return []
    lines = ["## Appendix B: the readiness bars", ""]
    for step in bars:
        if headed:
            lines += [f"### {md(step.title)}", "", *(f"- {md(c)}" for c in step.criteria), ""]
        else:
            lines.append(f"- **{md(step.title)}**")
            lines += [f"  - {md(c)}" for c in step.criteria]
    lines.append("")
    return lines


def domain_markdown(view: DomainView, marks: Marks = SIGNS) -> list[str]:
    lines = [f"### {md(view.title)}: {md(view.setting_label)}", ""]
    lines += [
        f"*Tight means:* {md(view.tight_means)}  ",
        f"*Loose means:* {md(view.loose_means)}",
        "",
    ]
    flag = f" {marks.flag} borderline: {md(view.borderline)}" if view.borderline else ""
    lines += [f"**Confidence.** {md(view.confidence_words)}{flag}", ""]
    road = marks.arrow.join(f"{md(stage)}: **{md(label)}**" for stage, label in view.road)
    lines += [f"**Road ahead.** {road}", ""]
    if view.earned_by:
        earned = "; ".join(md(item) for item in view.earned_by)
        lines += [f"**What earns a looser setting.** {earned} ({marks.bars}).", ""]
    lines += ["**Why**", "", f"- {md(view.starting_point)}"]
    for reason in view.reasons:
        lines.append(f"- {md(reason.text)} — *{md(reason.direction)}*")
    if view.smaller:
        lines.append(f"- {md(view.smaller)}")
    if view.held_by:
        lines.append(f"- {md(view.held_by)}")
    lines += ["", "**Guard rails**", ""]
    lines += [f"- {md(rail)}" for rail in view.guard_rails] or ["- None for this setting."]
    if view.levers:
        lines += ["", "**What a leader can change**", ""]
        for group in view.levers:
            for line in group.lines:
                lines.append(
                    f"- {md(group.title)}: {md(line.prompt)}{marks.answering}*{md(line.answers)}*: "
                    f"{md(line.setting_label)}"
                )
    lines.append("")
    return lines
