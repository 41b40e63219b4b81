"""The footer: Textual's, recomposed only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer rebuilds all its keys whenever the screen's bindings are
    refreshed, which is on every focus change: moving from one question to the next
    (the old answer widget goes, the new one takes focus) rebuilt it two to nine times.
    This one rebuilds only when what it would show differs from what it shows."""

    def __init__(self, **options: Any) -> None:
        super().__init__(compact=True, show_command_palette=False, **options)
        self.shown: tuple[object, ...] | None = None

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
