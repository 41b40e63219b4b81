"""holdtight benchmarks: every figure is a ratio against a baseline measured in the same
run, on this machine, so the numbers mean the same on a laptop and in CI.

    python bench/run.py [--files 10000] [--lines 100000] [--pairs 5] [--only NAME ...]

Each comparison runs as pairs after one warm-up pair (baseline, tool, baseline, tool,
…): each pair gives a ratio, and the row shows the median ratio with the range (lowest
and highest pair). Load from the rest of the machine falls on both halves of a pair
and cancels out of its ratio. Baselines walk folders as the tool does (the same code,
copied below: sorted names, one directory at a time).

Targets (issue 15):
  csv       score DIR --format csv, one process   vs tomllib parse-only   ≤ 0.40×
  csv2      same, --jobs 2                         vs the same             ≤ 0.25×
  jsonl     score DIR --format jsonl (levers)      vs the same             ≤ 1.0×
  stdin     score - --format csv, JSON Lines       vs json.loads per line  ≤ 1.5×
  stdinj    score - --format jsonl                 vs the same             ≤ 10×
  startup   holdtight score ONE_FILE  vs python -c "from pydantic import BaseModel"  ≤ 1.0×
  session   one session, levers, in process        vs 5 ms                 ≤ 0.1 (first ≤ 0.5)
  memory    peak memory, 100× the files            vs 1×                   ≤ 1.1×
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOLDTIGHT = str(BIN / "holdtight")

# The tool's walk (holdtight.walk: sorted names, files then subfolders) and read
# (reading.read_bytes: one os.read of the size fstat gives, plus one byte),
# so that the baseline differs from the tool by parsing only.
PARSE_ONLY = """
import os, sys, tomllib

def walk(folder):
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    subfolders = []
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(folder, name)
        if name.endswith((".toml", ".json")):
            yield path
        elif os.path.isdir(path):
            subfolders.append(path)
    for sub in subfolders:
        yield from walk(sub)

for path in walk(sys.argv[1]):
    fd = os.open(path, os.O_RDONLY)
    try:
        raw = os.read(fd, os.fstat(fd).st_size + 1)
    finally:
        os.close(fd)
    tomllib.loads(raw.decode("utf-8"))
"""

JSON_PER_LINE = """
import json, sys
for line in sys.stdin:
    json.loads(line)
"""

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

FIRST_SESSION = """
import random, sys, time
start = time.perf_counter()
from holdtight.api import Engine
from holdtight.rulecheck import random_answers
engine = Engine()
answers = random_answers(engine.rulebook, random.Random(int(sys.argv[1])))
start = time.perf_counter()
engine.score_answers(answers)
print(time.perf_counter() - start)
"""

Row = tuple[str, str, str]


def make_files(folder: Path, count: int, seed: int = 7) -> None:
    """Answer files as people and tools write them: every contract question, some unsure."""
    from holdtight.rulebook import load_rulebook
    from holdtight.rulecheck import random_answers
    from holdtight.sessionfile import dumps_session, new_session

    rulebook = load_rulebook()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        meta = {"organization": f"School {i:05}", "respondent": "Principal"}
        session = new_session(rulebook, meta)
        session.answers.update(random_answers(rulebook, rng))
        (folder / f"school-{i:05}.toml").write_text(dumps_session(session, rulebook))


def make_lines(path: Path, count: int, seed: int = 5) -> None:
    """JSON Lines of as many different answer sets (none repeated: what the engine keeps
    between sessions must earn its keep on new answers, as in a real export)."""
    from holdtight.rulebook import load_rulebook
    from holdtight.rulecheck import random_answers

    rulebook = load_rulebook()
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            document = {
                "answers": random_answers(rulebook, rng),
                "meta": {"organization": f"School {i:06}", "respondent": "Principal"},
            }
            out.write(json.dumps(document, ensure_ascii=False) + "\n")


def timed(command: list[str], stdin: Path | None = None) -> float:
    start = time.perf_counter()
    with open(stdin or "/dev/null", "rb") as feed:
        subprocess.run(
            command, stdin=feed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
    return time.perf_counter() - start


def paired(base: Callable[[], float], ours: Callable[[], float], pairs: int) -> list[float]:
    """Ratios ours/base of `pairs` pairs run A B A B …, after one warm-up pair."""
    base()
    ours()
    ratios = []
    for _ in range(pairs):
        a = base()
        b = ours()
        ratios.append(b / a)
    return ratios


def row(label: str, ratios: list[float], target: str) -> Row:
    median = statistics.median(ratios)
    return (label, f"{median:.2f}× ({min(ratios):.2f}–{max(ratios):.2f})", target)


def bench_batch(folder: Path, pairs: int, chosen: set[str]) -> list[Row]:
    base = [sys.executable, "-c", PARSE_ONLY, str(folder)]
    rows = []
    for name, label, extra, target in (
        ("csv", "score DIR --format csv", ["--format", "csv"], "≤ 0.40×"),
        ("csv2", "score DIR --format csv --jobs 2", ["--format", "csv", "--jobs", "2"], "≤ 0.25×"),
        ("jsonl", "score DIR --format jsonl (levers)", ["--format", "jsonl"], "≤ 1.0×"),
    ):
        if name not in chosen:
            continue
        command = [HOLDTIGHT, "score", str(folder), *extra]
        ratios = paired(partial(timed, base), partial(timed, command), pairs)
        rows.append((f"{label}  vs tomllib parse-only", *row("", ratios, target)[1:]))
    return rows


def bench_stdin(lines: Path, count: int, pairs: int, chosen: set[str]) -> list[Row]:
    base = [sys.executable, "-c", JSON_PER_LINE]
    rows = []
    for name, fmt, target in (("stdin", "csv", "≤ 1.5×"), ("stdinj", "jsonl", "≤ 10×")):
        if name not in chosen:
            continue
        command = [HOLDTIGHT, "score", "-", "--format", fmt]
        ratios = paired(partial(timed, base, lines), partial(timed, command, lines), pairs)
        label = f"score - --format {fmt}, {count:,} lines  vs json.loads per line"
        rows.append((label, *row("", ratios, target)[1:]))
    return rows


def bench_startup(folder: Path, pairs: int) -> list[Row]:
    one = str(next(folder.glob("*.toml")))
    timed([HOLDTIGHT, "score", one])  # warm the rulebook cache
    base = [sys.executable, "-c", "from pydantic import BaseModel"]
    ours = [HOLDTIGHT, "score", one]
    ratios = paired(lambda: timed(base), lambda: timed(ours), max(pairs, 10))
    return [
        ("holdtight score ONE_FILE  vs import pydantic.BaseModel", *row("", ratios, "≤ 1.0×")[1:])
    ]


def bench_session(pairs: int) -> list[Row]:
    from holdtight.api import Engine
    from holdtight.rulecheck import random_answers

    engine = Engine()
    rng = random.Random(3)
    sessions = [random_answers(engine.rulebook, rng) for _ in range(200)]
    medians = []
    for _ in range(pairs):
        times = []
        for answers in sessions:
            start = time.perf_counter()
            engine.score_answers(answers)
            times.append(time.perf_counter() - start)
        medians.append(statistics.median(times) / 0.005)
    firsts = []
    for seed in range(pairs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_SESSION, str(seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        firsts.append(float(out.stdout) / 0.005)
    return [
        ("one session, levers, in process (API)  vs 5 ms", *row("", medians, "≤ 0.1")[1:]),
        ("  first call in a fresh process  vs 5 ms", *row("", firsts, "≤ 0.5")[1:]),
    ]


def bench_memory(folder: Path, pairs: int) -> list[Row]:
    files = sorted(folder.glob("*.toml"))
    small = folder.parent / "small"
    small.mkdir(exist_ok=True)
    for path in files[: max(1, len(files) // 100)]:
        (small / path.name).write_bytes(path.read_bytes())

    def peak(target: Path) -> float:
        command = [HOLDTIGHT, "score", str(target), "--format", "csv"]
        out = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, *command], capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())

    ratios = paired(lambda: peak(small), lambda: peak(folder), pairs)
    label = f"peak memory, {len(files):,} vs {len(files) // 100:,} files (csv)"
    return [(label, *row("", ratios, "≤ 1.1×")[1:])]


def compile_bytecode() -> None:
    """Compile holdtight's modules as `pip install` does, so that an editable install
    with PYTHONDONTWRITEBYTECODE set does not recompile them on every start."""
    import compileall

    import holdtight

    compileall.compile_dir(str(Path(holdtight.__file__).parent), quiet=1)


NAMES = ("csv", "csv2", "jsonl", "stdin", "stdinj", "startup", "session", "memory")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--memory-files", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=NAMES)
    args = parser.parse_args()
    chosen = set(args.only or NAMES)
    compile_bytecode()
    shown = 0

    def show(rows: list[Row]) -> None:  # each row as soon as it is measured
        nonlocal shown
        if not shown:
            print(f"{'measure':<64}  {'median (range)':<20}  target", flush=True)
        for label, ratio, target in rows:
            print(f"{label:<64}  {ratio:<20}  {target}", flush=True)
        shown += len(rows)

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "answers"
        print(f"generating {args.files:,} answer files …", file=sys.stderr)
        make_files(folder, args.files)
        show(bench_batch(folder, args.pairs, chosen))
        if chosen & {"stdin", "stdinj"}:
            lines = Path(temp) / "answers.jsonl"
            make_lines(lines, args.lines)
            show(bench_stdin(lines, args.lines, args.pairs, chosen))
        if "startup" in chosen:
            show(bench_startup(folder, args.pairs))
        if "session" in chosen:
            show(bench_session(args.pairs))
        if "memory" in chosen:
            many = Path(temp) / "many"
            print(f"generating {args.memory_files:,} answer files …", file=sys.stderr)
            make_files(many, args.memory_files, seed=11)
            show(bench_memory(many, max(3, args.pairs // 2)))


if __name__ == "__main__":
    main()
