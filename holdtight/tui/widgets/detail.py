"""A domain's detail: the setting, the road ahead, why, guard rails, levers, scenarios."""

from __future__ import annotations

from rich.text import Text

from holdtight.model import DomainResult, FiredRule, Rulebook
from holdtight.reports.data import answer_text, lever_lines
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
        detail = "; ".join(reason_parts(book, fired))
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
    names = {q.prompt: q.short_label for q in book.questions.values()}
    for prompt, answers, setting in lever_lines(book, d.levers):
        name = names.get(prompt, prompt)
        text.append(f"  • {for_terminal(name)} → {for_terminal(answers)}: {setting}\n")
    text.append("Questions for your team\n", style="bold underline")
    for prompt in book.meta.reflection:
        text.append(f"  • {for_terminal(prompt)}\n")
    return text


def reason_parts(book: Rulebook, fired: FiredRule) -> list[str]:
    """A fired rule's weight, bound and the answers it read, by short label and option
    label: never an id."""
    parts = []
    if fired.weight:
        parts.append(f"{fired.weight:+g}")
    if fired.bound:
        parts.append(fired.bound.replace("_", " "))
    for question_id, value in fired.reads:
        question = book.questions.get(question_id)
        name = question.short_label if question is not None else "an answer no longer asked"
        parts.append(f"{name}: {answer_text(book, question_id, value)}")
    return parts
