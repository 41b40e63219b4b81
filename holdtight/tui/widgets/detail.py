"""A domain's detail: the setting, the road ahead, why, guard rails, levers, scenarios."""

from __future__ import annotations

from rich.text import Text

from holdtight.model import DomainResult, Rulebook
from holdtight.reports.data import fired_parts, lever_lines
from holdtight.reports.phrases import earned, road_ahead, setting_phrase
from holdtight.terminal_text import for_terminal


def domain_detail(book: Rulebook, d: DomainResult, *, full: bool = True) -> Text:
    text = Text()
    text.append(for_terminal(f"{d.title}: {setting_phrase(book, d)}"), style="bold")
    text.append(f"  (confidence {d.confidence}: {d.answered} of {d.relevant} answered)\n")
    if d.bound_note:
        text.append(for_terminal(d.bound_note) + "\n", style="italic")
    road = road_ahead(book, d)
    if road:
        text.append(for_terminal(road) + "\n", style="italic")
    for item in earned(book, d)[:1]:
        text.append(
            for_terminal(f"What earns {item.setting} ({item.title})") + "\n",
            style="bold underline",
        )
        for criterion in item.criteria:
            text.append(f"  • {for_terminal(criterion)}\n")
    text.append("Why\n", style="bold underline")
    if not d.because:
        text.append("  No rule fired: this is the domain's starting point.\n")
    for fired in d.because:
        detail = "; ".join(fired_parts(book, fired, prompts=False))
        text.append(f"  • {for_terminal(fired.text)} ({for_terminal(detail)})\n")
    if not full:
        text.append("Enter opens guard rails, what would change it and more.\n", style="italic")
        return text
    if d.scenarios:
        text.append("Scenarios\n", style="bold underline")
        for under in d.scenarios:
            label = book.setting_label(under.setting)
            text.append(f"  • {for_terminal(under.title)}: {label}\n")
    text.append("Guard rails\n", style="bold underline")
    for rail in d.guard_rails:
        text.append(f"  • {for_terminal(rail.text)}\n")
    text.append("What would change it\n", style="bold underline")
    if not d.levers:
        text.append("  No single answer change would move it.\n")
    for prompt, answers, setting in lever_lines(book, d.levers):
        text.append(f"  • {for_terminal(prompt)} → {for_terminal(answers)}: {setting}\n")
    text.append("Questions for your team\n", style="bold underline")
    for prompt in book.meta.reflection:
        text.append(f"  • {for_terminal(prompt)}\n")
    return text
