"""The TUI's first screen against a minimal Textual app's, in paired runs.

    python bench/tui_first_screen.py [--pairs 12]    # A B A B …, median of ratios

Both sides are real commands, each in a fresh process on its own pseudo-terminal of
80×24, with nothing patched: `holdtight open FILE` (the installed command; a session with
nothing answered, so its first screen is the first question) and a minimal Textual app
(a header, "Hello", a footer: `python bench/tui_first_screen.py minimal`). The parent
reads what each child writes to its terminal, drops the escape codes, and stops the
clock as soon as the text it waits for has all been drawn: "Hello"; the first question's
prompt and its first option. It then kills the child, so neither app's shutdown counts.
CPU time (the child's, up to that moment) is shown too: other work on the machine moves
it less than wall time.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

SIZE = (80, 24)
# CSI sequences (colours, cursor moves, mode switches and queries), OSC strings (titles)
# and the two-character escapes: what a terminal acts on rather than shows.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_=>78]"
)
HOLDTIGHT = str(Path(sys.executable).parent / "holdtight")


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

    Minimal().run()


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


def timed(command: list[str], needles: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds from starting the command to its terminal showing every
    needle."""
    import fcntl
    import pty
    import select
    import struct
    import subprocess
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    drawn = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                raise SystemExit(f"{' '.join(command)}: nothing shown in 30 s")
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                shown = ESCAPES.sub("", drawn.decode("utf-8", "replace"))
                raise SystemExit(f"{' '.join(command)}: ended before its first screen:\n{shown}")
            drawn += chunk
            flat = " ".join(ESCAPES.sub("", drawn.decode("utf-8", "replace")).split())
            if all(needle in flat for needle in needles):
                break
        elapsed = time.perf_counter() - start
    finally:
        child.kill()
        _, _, usage = os.wait4(child.pid, 0)
        child.returncode = -9
        os.close(master)
    return elapsed, usage.ru_utime + usage.ru_stime


def summary(label: str, ratios: list[float]) -> str:
    import statistics

    median = statistics.median(ratios)
    return f"{label}: {median:.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"


def compile_bytecode() -> None:
    """Compile holdtight's modules as `pip install` does (bench/run.py does the same), so
    that an editable install with PYTHONDONTWRITEBYTECODE set does not recompile them at
    every start, which a real install never does."""
    import compileall

    import holdtight

    compileall.compile_dir(str(Path(holdtight.__file__).parent), quiet=1)


def pairs(count: int) -> None:
    import tempfile

    compile_bytecode()
    with tempfile.TemporaryDirectory() as temp:
        path, needles = session_file(Path(temp))
        theirs = ([sys.executable, __file__, "minimal"], ["Hello"])
        ours = ([HOLDTIGHT, "open", path], needles)
        timed(*theirs)  # warm-up pair: bytecode and the page cache
        timed(*ours)
        wall, cpu = [], []
        for _ in range(count):
            a, a_cpu = timed(*theirs)
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
    else:
        import argparse

        parser = argparse.ArgumentParser(
            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        parser.add_argument("--pairs", type=int, default=12)
        pairs(parser.parse_args().pairs)
