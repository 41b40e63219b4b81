"""The widgets that answer a question. Each turns what was pressed or typed into an
answer value once, and posts `Answered`; the question screen stores it."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from holdtight.model import Question
from holdtight.terminal_text import for_terminal
from holdtight.tui.text import Hanging

UNSURE_LABEL = "Not sure"


class Answered(Message):
    """An answer widget's value: an option id, a scale point, a list, text, a number,
    "unsure", or None for "clear this answer"."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value


def scale_label(value: object, label: str, key: int) -> str:
    label = label[:1].upper() + label[1:]  # "Resistant", as options are written
    if str(value) == str(key):
        return label or str(value)
    return f"{value} {label}".rstrip()


class OptionsInCard(OptionList):
    """Options drawn at their full height inside the question's card, which scrolls:
    one scrollbar, not the list's beside the card's (two at 60×20). The card follows
    the highlighted option as the list would have."""

    def on_resize(self) -> None:
        """Options wrap anew at another width: the highlighted one kept in sight."""
        self.call_after_refresh(self.scroll_to_highlight)

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)  # nothing to do when the list itself fits
        highlighted = self.highlighted
        if highlighted is None or not self.is_mounted:
            return
        try:
            y = self._index_to_line[highlighted]
        except KeyError:
            return
        height = self._heights[highlighted]
        # The option's place in the first scrolling ancestor's content: each widget's
        # virtual region is relative to its container's content.
        widget: Widget = self
        offset = 0
        while widget.parent is not None and isinstance(widget.parent, Widget):
            offset += widget.virtual_region.y
            widget = widget.parent
            if isinstance(widget, ScrollableContainer):
                # The first option brings the card back to its top, the hint above it.
                top_y = 0 if highlighted == 0 else offset + y
                widget.scroll_to_region(
                    Region(
                        0,
                        top_y,
                        widget.scrollable_content_region.width,
                        offset + y + height - top_y,
                    ),
                    animate=False,
                    top=top,
                    immediate=True,
                )
                return


class ChoiceList(OptionsInCard):
    """A single choice or a scale: a digit or Enter answers."""

    def __init__(self, question: Question, current: object) -> None:
        self.values: list[object] = []
        super().__init__(*self._choices(question, current), id="choice", compact=True)
        if current in self.values:
            self.highlighted = self.values.index(current)

    def _choices(self, question: Question, current: object) -> list[Option]:
        self.values = (
            [o.id for o in question.options]
            if question.kind == "single"
            else list(range(int(question.min or 1), int(question.max or 5) + 1))
        )
        if question.kind == "single":
            labels = [o.label for o in question.options]
        else:
            # The key to press is the number shown; a scale point's own value is shown
            # too only when it differs from that number (a scale not starting at 1).
            labels = [
                scale_label(v, question.labels.get(str(v), ""), n)
                for n, v in enumerate(self.values, 1)
            ]
        self.values.append("unsure")
        labels.append(UNSURE_LABEL)
        return [
            Option(Hanging(f"{'● ' if current == value else '  '}{n}. ", for_terminal(label)))
            for n, (value, label) in enumerate(zip(self.values, labels, strict=True), 1)
        ]

    def load(self, question: Question, current: object) -> None:
        """Show another question in this same widget (see `reuse`)."""
        self.set_options(self._choices(question, current))
        # The first option when unanswered, as a newly mounted list has it: with none
        # highlighted, ↓ ↓ Enter chose the second option, not the third.
        self.highlighted = self.values.index(current) if current in self.values else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.values[event.option_index]))

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if character and character.isdigit() and character != "0":
            n = int(character)
            if n <= len(self.values):
                event.stop()
                event.prevent_default()
                self.highlighted = n - 1
                self.post_message(Answered(self.values[n - 1]))


class MultiChoice(OptionsInCard):
    """A multiple choice: space or a digit toggles, Enter confirms. Boxes are [x] and
    [ ], so they read the same without colour."""

    BINDINGS = [
        Binding("space", "tick", "Toggle", show=False),
        Binding("enter", "confirm", "Confirm", show=False),
    ]

    def __init__(self, question: Question, current: object) -> None:
        self.ids = [o.id for o in question.options]
        self.labels = [for_terminal(o.label) for o in question.options]
        self.chosen: set[str] = set(current) if isinstance(current, list) else set()
        self.confirmed = set(self.chosen)
        """The ticks as last stored (shown, or answered): others are the screen's to keep."""
        super().__init__(*self._box_options(), id="choice", compact=True)
        self.highlighted = 0

    def load(self, question: Question, current: object) -> None:
        """Show another question in this same widget (see `reuse`)."""
        self.ids = [o.id for o in question.options]
        self.labels = [for_terminal(o.label) for o in question.options]
        self.chosen = set(current) if isinstance(current, list) else set()
        self.confirmed = set(self.chosen)
        self.set_options(self._box_options())
        self.highlighted = 0

    def _box_options(self) -> list[Option]:
        return [
            Option(Hanging(f"[{'x' if oid in self.chosen else ' '}] {n}. ", label))
            for n, (oid, label) in enumerate(zip(self.ids, self.labels, strict=True), 1)
        ]

    @property
    def selected(self) -> list[str]:
        return [oid for oid in self.ids if oid in self.chosen]

    def toggle_index(self, index: int) -> None:
        oid = self.ids[index]
        self.chosen ^= {oid}
        keep = self.highlighted
        self.clear_options()
        self.add_options(self._box_options())
        self.highlighted = index if keep is None else keep

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle_index(self.highlighted)

    def action_confirm(self) -> None:
        self.post_message(Answered(self.selected))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.selected))

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if character and character.isdigit() and character != "0":
            n = int(character)
            if n <= len(self.ids):
                event.stop()
                event.prevent_default()
                self.highlighted = n - 1
                self.toggle_index(n - 1)


class LightInput(Input):
    """An input whose keystrokes do not lay the whole screen out again. Textual's Input
    sets its virtual width to its text's width on every change, and that reactive asks
    for a layout of the screen (every widget arranged again, 26 on a question), though
    only the input's own horizontal scrolling depends on it, which reads it directly."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)


class TypedAnswer(LightInput):
    """A number or a text answer; Enter answers. The text typed is read back with
    `pending()` so that leaving by any route keeps it."""

    class Invalid(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, question: Question, current: object) -> None:
        self.question = question
        if question.kind == "number":
            kind = "whole number" if question.integer else "number"
            placeholder = f"A {kind} from {question.min:g} to {question.max:g}"
        else:
            placeholder = "Type and press Enter (empty skips)"
        self.shown_value = "" if current in (None, "unsure") else for_terminal(current)
        super().__init__(
            self.shown_value,
            placeholder=placeholder,
            type=("integer" if question.integer else "number")
            if question.kind == "number"
            else "text",
            id="typed",
            compact=True,
        )

    def parse(self) -> tuple[bool, object]:
        """(ok, value): None clears; ok is False with the message as the value."""
        text = self.value.strip()
        if not text:
            if self.question.required:
                return False, "Type an answer, or press ctrl+u for not sure."
            return True, None
        if self.question.kind == "number":
            try:
                return True, int(text) if self.question.integer else float(text)
            except ValueError:
                return False, "Type a number."
        return True, self.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ok, value = self.parse()
        self.post_message(Answered(value) if ok else self.Invalid(str(value)))


def answer_widget(question: Question, current: object) -> Widget:
    """The widget that answers this question, showing its current answer."""
    if question.kind in ("single", "scale"):
        return ChoiceList(question, current)
    if question.kind == "multi":
        return MultiChoice(question, current)
    return TypedAnswer(question, current)


def reuse(widget: Widget, question: Question, current: object) -> bool:
    """Show the question in the answer widget already on screen when it is of the right
    kind, and say so. Mounting a new one restyles it, moves the focus, and with it
    refreshes the screen's bindings and the footer: most of the cost of going from one
    question to the next."""
    if question.kind in ("single", "scale") and type(widget) is ChoiceList:
        widget.load(question, current)
        return True
    if question.kind == "multi" and type(widget) is MultiChoice:
        widget.load(question, current)
        return True
    return False


def hint(question: Question) -> str:
    """What to press, shown before typing."""
    if question.kind in ("single", "scale"):
        return "Press a number, or ↑↓ then Enter to confirm · ctrl+u not sure · Tab: note"
    if question.kind == "multi":
        return "Digits or space tick [x] · Enter to confirm · ctrl+u not sure · Tab: note"
    if question.kind == "number":
        kind = "whole number" if question.integer else "number"
        return (
            f"A {kind} from {question.min:g} to {question.max:g}, Enter to confirm"
            " · ctrl+u not sure · Tab: note"
        )
    return "Type, Enter to confirm (empty skips) · ctrl+u not sure · Tab: note"
