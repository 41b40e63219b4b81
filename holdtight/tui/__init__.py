"""The Textual app. The only package that imports Textual, and only from its modules:
importing this package does not load Textual, so `run_app` can switch the collector off
before it does."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from holdtight.model import Rulebook, Session
from holdtight.terminal_text import for_terminal

if TYPE_CHECKING:
    from holdtight.tui.app import HoldtightApp


def make_app(rulebook: Rulebook, session: Session, path: Path, *, is_new: bool) -> HoldtightApp:
    """The app, with the garbage collector off: the hundreds of thousands of objects
    Textual and the first screen make all live until exit, and the collector would walk
    them again and again before anything is drawn. The app freezes what is there and
    turns the collector back on once its first screen is painted."""
    gc.disable()
    from holdtight.tui.app import HoldtightApp

    return HoldtightApp(rulebook, session, path, is_new=is_new)


def run_app(rulebook: Rulebook, session: Session, path: Path, *, is_new: bool) -> int:
    app = make_app(rulebook, session, path, is_new=is_new)
    try:
        result = app.run()
    finally:
        gc.enable()
    if path.exists():
        shown = for_terminal(path)
        print(f"Saved to {shown}\nReopen it with: holdtight open {shown}")
    return int(result or 0)
