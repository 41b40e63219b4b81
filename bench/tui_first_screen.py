"""The TUI's first screen against a minimal Textual app's, in paired runs.

    python bench/tui_first_screen.py [--pairs 12]       # A B A B …, median of ratios
    python bench/tui_first_screen.py minimal|holdtight  # one child: prints "shown"

Each child is a fresh process, headless at 80×24. Both detect "first screen shown" the
same way: every screen update Textual hands to the terminal is rendered to the escape
codes a terminal would get, and the child says "shown" on the update after which the
text it waits for has all been drawn (the minimal app's "Hello"; holdtight's question
prompt and its first option). The parent times from starting the process to reading that
line, so neither app's shutdown counts.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = (80, 24)
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Watch:
    """Collects the text drawn so far; says "shown" once every needle is in it."""

    def __init__(self, needles: list[str]) -> None:
        self.needles = needles
        self.drawn = ""
        self.done = False

    def saw(self, app: Any, renderable: object) -> None:
        if self.done or renderable is None or app._batch_count:
            return
        raw = renderable.render_segments(app.console)  # type: ignore[attr-defined]
        self.drawn += ESCAPES.sub("", raw)
        flat = " ".join(self.drawn.split())
        if all(needle in flat for needle in self.needles):
            self.done = True
            sys.stdout.write("shown\n")
            sys.stdout.flush()
            os._exit(0)


def watched(app: Any, needles: list[str]) -> Any:
    """The app, saying "shown" once every needle has been drawn."""
    watch = Watch(needles)
    display = app._display

    def _display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        watch.saw(app, renderable)

    app._display = _display
    return app


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

    watched(Minimal(), ["Hello"]).run(headless=True, size=SIZE)


def holdtight() -> None:
    """What `holdtight open FILE` does (holdtight.commands.interactive.run): load the
    rulebook and the session, then start the app as `run_app` does."""
    from holdtight.rulebook import load_rulebook
    from holdtight.sessionfile import load_session, new_session, save_session
    from holdtight.tui import make_app

    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "s.toml"
        rulebook = load_rulebook()
        save_session(path, new_session(rulebook, {"organization": "Bench"}), rulebook)
        session = load_session(path, rulebook, unknown="keep")
        first = rulebook.questions[next(iter(rulebook.questions))]
        label = first.options[0].label if first.options else ""
        app = make_app(rulebook, session, path, is_new=False)
        watched(app, [" ".join(first.prompt.split())[:24], label[:12]])
        app.run(headless=True, size=SIZE)


def timed(which: str) -> tuple[float, float]:
    """(wall, CPU) seconds from starting the child to its first screen."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, which], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, _, usage = os.wait4(child.pid, 0)  # the child leaves at once after "shown"
    child.returncode = 0
    if line.strip() != b"shown":
        raise SystemExit(f"{which}: the first screen was never shown")
    return elapsed, usage.ru_utime + usage.ru_stime


def summary(label: str, ratios: list[float]) -> str:
    median = statistics.median(ratios)
    return f"{label}: {median:.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"


def pairs(count: int) -> None:
    timed("minimal")  # warm-up pair: bytecode and the page cache
    timed("holdtight")
    wall, cpu = [], []
    for _ in range(count):
        a, a_cpu = timed("minimal")
        b, b_cpu = timed("holdtight")
        wall.append(b / a)
        cpu.append(b_cpu / a_cpu)
        print(
            f"  minimal {a * 1000:4.0f} ms ({a_cpu * 1000:4.0f} CPU)"
            f"  holdtight {b * 1000:4.0f} ms ({b_cpu * 1000:4.0f} CPU)  {b / a:.2f}×"
        )
    print(summary("first question / minimal first screen, wall", wall) + "  target ≤ 1.3×")
    print(summary("the same in CPU time (less moved by other load)", cpu))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("minimal", "holdtight"):
        {"minimal": minimal, "holdtight": holdtight}[sys.argv[1]]()
    else:
        parser = argparse.ArgumentParser(
            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        parser.add_argument("--pairs", type=int, default=12)
        pairs(parser.parse_args().pairs)
