"""The TUI's first screen against a minimal Textual app's, in paired runs.

    python bench/tui_first_screen.py [--pairs 12]       # A B A B …, median of ratios
    python bench/tui_first_screen.py minimal            # one child: prints "shown"
    python bench/tui_first_screen.py holdtight FILE TEXT…

Each child is a fresh process, headless at 80×24. Both detect "first screen shown" the
same way: every screen update Textual hands to the terminal is rendered to the escape
codes a terminal would get, and the child says "shown" on the update after which the
text it waits for has all been drawn (the minimal app's "Hello"; holdtight's question
prompt and its first option). The parent times from starting the process to reading that
line, so neither app's shutdown counts. holdtight's child runs the command's own code
(`holdtight open FILE` after argument parsing: rulebook, session, app); the parent writes
the file and works out the text to wait for, so the child does nothing the command does
not. CPU time is shown too: other work on the machine moves it less than wall time.
"""

from __future__ import annotations

# The children import only what both need (the parent's tools are imported in `main`):
# neither app pays for the bench's own modules.
import os
import re
import sys
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


def holdtight(path: str, needles: list[str]) -> None:
    """`holdtight open FILE` as the command runs it (holdtight.commands.interactive.run,
    after the argument parsing), headless: only the app's `run` is given the size."""
    import holdtight.tui
    from holdtight.commands import interactive

    make_app = holdtight.tui.make_app

    def headless(*args: Any, **options: Any) -> Any:
        app = watched(make_app(*args, **options), needles)
        run = app.run
        app.run = lambda: run(headless=True, size=SIZE)
        return app

    holdtight.tui.make_app = headless
    interactive.run("open", path, None, plain=False)


def session_file(folder: Path) -> tuple[str, list[str]]:
    """A session with nothing answered, and the text its first screen must show: the
    first question's prompt and its first option."""
    from holdtight.rulebook import load_rulebook
    from holdtight.sessionfile import new_session, save_session

    rulebook = load_rulebook()
    path = folder / "s.toml"
    save_session(path, new_session(rulebook, {"organization": "Bench"}), rulebook)
    first = rulebook.questions[next(iter(rulebook.questions))]
    label = first.options[0].label if first.options else ""
    return str(path), [" ".join(first.prompt.split())[:24], label[:12]]


def timed(which: str, *args: str) -> tuple[float, float]:
    """(wall, CPU) seconds from starting the child to its first screen."""
    import subprocess
    import time

    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, which, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
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
    import statistics

    median = statistics.median(ratios)
    return f"{label}: {median:.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"


def pairs(count: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        path, needles = session_file(Path(temp))
        ours = ("holdtight", path, *needles)
        timed("minimal")  # warm-up pair: bytecode and the page cache
        timed(*ours)
        wall, cpu = [], []
        for _ in range(count):
            a, a_cpu = timed("minimal")
            b, b_cpu = timed(*ours)
            wall.append(b / a)
            cpu.append(b_cpu / a_cpu)
            print(
                f"  minimal {a * 1000:4.0f} ms ({a_cpu * 1000:4.0f} CPU)"
                f"  holdtight {b * 1000:4.0f} ms ({b_cpu * 1000:4.0f} CPU)  {b / a:.2f}×"
            )
    print(summary("first question / minimal first screen, wall", wall) + "  target ≤ 1.3×")
    print(summary("the same in CPU time (less moved by other load)", cpu))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "minimal":
        minimal()
    elif len(sys.argv) > 1 and sys.argv[1] == "holdtight":
        holdtight(sys.argv[2], sys.argv[3:])
    else:
        import argparse

        parser = argparse.ArgumentParser(
            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        parser.add_argument("--pairs", type=int, default=12)
        pairs(parser.parse_args().pairs)
