"""Messages the screens send up to the app."""

from __future__ import annotations

from textual.message import Message


class SessionChanged(Message):
    """Something in the session changed: the app saves it (autosave happens only here)."""

    def __init__(self, announce: str = "") -> None:
        super().__init__()
        self.announce = announce
