"""The footer: Textual's, recomposed only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

OPTIONAL = ("unsure", "command_palette")
"""Actions whose key is shown only when it fits, left out in this order: "not sure"
first (every question's hint line says ctrl+u), then the palette's key, which, last,
would show as a stray "^". At 60 columns a question shows the palette's key and Quit."""


def key_width(widget: Widget) -> int:
    """A compact footer key's cells: "^q Quit" and the gap after it."""
    if not isinstance(widget, FooterKey):
        return 0
    described = 1 + cell_len(widget.description) if widget.description else 0
    return cell_len(widget.key_display) + described + 1


class KeysFooter(Footer):
    """Textual's footer rebuilds all its keys whenever the screen's bindings are
    refreshed, which is on every focus change: moving from one question to the next
    (the old answer widget goes, the new one takes focus) rebuilt it two to nine times.
    This one rebuilds only when what it would show differs from what it shows."""

    def __init__(self, **options: Any) -> None:
        super().__init__(compact=True, show_command_palette=False, **options)
        self.shown: tuple[object, ...] | None = None
        self.fits: int | None = None
        """The width the keys were last laid out for."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        for action in OPTIONAL:
            if sum(key_width(key) for key in keys) <= self.app.size.width:
                break
            keys = [k for k in keys if not (isinstance(k, FooterKey) and k.action == action)]
        self.fits = self.app.size.width
        yield from keys

    def on_resize(self) -> None:
        """Recomposed when the width changes: what fits may have changed."""
        if self.fits is not None and self.fits != self.app.size.width:
            self.fits = None
            self.refresh(recompose=True)

    def keys(self, screen: Screen[Any]) -> tuple[object, ...]:
        """What the footer shows for these bindings (the fields `Footer.compose` reads)."""
        return tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self.keys(screen)
            if keys == self.shown:
                return
            self.shown = keys
        super().bindings_changed(screen)
