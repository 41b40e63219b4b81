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
    _end_when_the_terminal_is_gone()
    try:
        result = app.run()
    finally:
        gc.enable()
    if path.exists():
        shown = for_terminal(path)
        print(f"Saved to {shown}\nReopen it with: holdtight open {shown}")
    return int(result or 0)


def _end_when_the_terminal_is_gone(poll: float = 1.0, grace: float = 5.0) -> None:
    """A terminal that goes away while the app starts (a pane or ssh session closed in
    its first tenth of a second) leaves Textual's driver without its output thread
    (`start_application_mode` returns early when it cannot set the terminal up), and the
    app waits forever to write its 31st piece of output: the process outlived its
    terminal. A watcher checks once a second that the terminal is there; once it is
    not, the app's own hang-up handling (save, then leave) has a few seconds, and then
    the process ends. Answers are saved as they are given, so nothing given is lost."""
    import os
    import threading
    import time

    for fd in (0, 1, 2):
        if os.isatty(fd):
            break
    else:
        return

    def watch() -> None:
        while os.isatty(fd):
            time.sleep(poll)
        time.sleep(grace)
        os._exit(0)

    threading.Thread(target=watch, name="holdtight-terminal", daemon=True).start()
