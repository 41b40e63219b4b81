"""holdtight benchmarks: every figure is a ratio against a baseline measured in the same
run, on this machine, so the numbers mean the same on a laptop and in CI.

    python bench/run.py [--files 10000] [--repeat 3] [--only NAME ...]

Targets (from the spec):
  batch     score of N files vs tomllib parse-only of the same files   ≤ 1.25× (1 job), ≤ 0.75× (2 jobs)
  startup   `holdtight score ONE_FILE` vs `python -c "from pydantic import BaseModel"`   ≤ 1.5×
  session   scoring one session, levers included                       well under 5 ms
  memory    peak memory at N/10 vs N files                             flat (≈ 1.0×)
  tui       first question on screen vs a minimal Textual app's first screen   ≤ 1.3×
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOLDTIGHT = str(BIN / "holdtight")

PARSE_ONLY = """
import sys, tomllib
from pathlib import Path
folder = Path(sys.argv[1])
for path in sorted(p for pattern in ("*.toml", "*.json") for p in folder.rglob(pattern)):
    with open(path, "rb") as handle:
        tomllib.loads(handle.read().decode("utf-8"))
"""

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_files(folder: Path, count: int, seed: int = 7) -> None:
    """Answer files as people and tools write them: every contract question, some unsure."""
    from holdtight.rulebook import load_rulebook
    from holdtight.rulecheck import random_answers
    from holdtight.sessionfile import dumps_session, new_session

    rulebook = load_rulebook()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        session = new_session(
            rulebook, {"organization": f"School {i:05}", "respondent": "Principal"}
        )
        session.answers.update(random_answers(rulebook, rng))
        (folder / f"school-{i:05}.toml").write_text(dumps_session(session, rulebook))


def wall(command: list[str], repeat: int) -> float:
    """Best wall time of `repeat` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def bench_batch(folder: Path, repeat: int) -> list[tuple[str, float, str]]:
    base = wall([sys.executable, "-c", PARSE_ONLY, str(folder)], repeat)
    rows = [("tomllib parse only (baseline)", 1.0, f"{base:.2f} s")]
    for label, extra, target in (
        ("score --format csv", ["--format", "csv"], "≤ 1.25"),
        ("score --format csv --jobs 2", ["--format", "csv", "--jobs", "2"], "≤ 0.75"),
        ("score --format jsonl (levers)", ["--format", "jsonl"], "—"),
        ("score --format jsonl --jobs 2", ["--format", "jsonl", "--jobs", "2"], "—"),
    ):
        seconds = wall([HOLDTIGHT, "score", str(folder), *extra], repeat)
        rows.append((label, seconds / base, f"{seconds:.2f} s, target {target}"))
    return rows


def bench_startup(folder: Path, repeat: int) -> list[tuple[str, float, str]]:
    one = next(folder.glob("*.toml"))
    subprocess.run(
        [HOLDTIGHT, "score", str(one)], stdout=subprocess.DEVNULL, check=False
    )  # warm the cache
    runs = max(repeat * 5, 10)
    base = wall([sys.executable, "-c", "from pydantic import BaseModel"], runs)
    ours = wall([HOLDTIGHT, "score", str(one), "--format", "csv"], runs)
    cold_env = {**os.environ, "HOLDTIGHT_NO_CACHE": "1"}
    start_times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [HOLDTIGHT, "score", str(one)], stdout=subprocess.DEVNULL, env=cold_env, check=False
        )
        start_times.append(time.perf_counter() - start)
    cold = min(start_times)
    return [
        ("python -c 'from pydantic import BaseModel' (baseline)", 1.0, f"{base * 1000:.0f} ms"),
        ("holdtight score ONE_FILE", ours / base, f"{ours * 1000:.0f} ms, target ≤ 1.5"),
        ("  same, rulebook cache off", cold / base, f"{cold * 1000:.0f} ms"),
    ]


def bench_session() -> list[tuple[str, float, str]]:
    from holdtight.engine import score
    from holdtight.rulebook import load_rulebook
    from holdtight.rulecheck import random_answers

    rulebook = load_rulebook()
    rng = random.Random(3)
    sessions = [random_answers(rulebook, rng) for _ in range(300)]
    times = []
    for answers in sessions:
        start = time.perf_counter()
        score(rulebook, answers)
        times.append(time.perf_counter() - start)
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    return [
        (
            "score one session with levers (vs 5 ms)",
            median / 5.0,
            f"median {median:.2f} ms, max {worst:.2f} ms",
        )
    ]


def bench_memory(folder: Path, count: int) -> list[tuple[str, float, str]]:
    small = folder.parent / "small"
    small.mkdir(exist_ok=True)
    for path in sorted(folder.glob("*.toml"))[: max(1, count // 10)]:
        (small / path.name).write_bytes(path.read_bytes())

    def peak(target: Path) -> int:
        out = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, HOLDTIGHT, "score", str(target), "--format", "jsonl"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip())

    low, high = peak(small), peak(folder)
    return [
        (f"peak memory, {count // 10} files (baseline)", 1.0, f"{low / 1024:.0f} MiB"),
        (f"peak memory, {count} files", high / low, f"{high / 1024:.0f} MiB, target ≈ 1.0"),
    ]


def bench_tui(repeat: int) -> list[tuple[str, float, str]]:
    script = str(HERE / "tui_first_screen.py")
    runs = max(repeat * 3, 5)
    minimal = wall([sys.executable, script, "minimal"], runs)
    ours = wall([sys.executable, script, "holdtight"], runs)
    return [
        ("minimal Textual app, first screen (baseline)", 1.0, f"{minimal * 1000:.0f} ms"),
        (
            "holdtight, first question on screen",
            ours / minimal,
            f"{ours * 1000:.0f} ms, target ≤ 1.3",
        ),
    ]


def compile_bytecode() -> None:
    """Compile holdtight's modules as `pip install` does: with PYTHONDONTWRITEBYTECODE
    set (as on some machines), an editable install would otherwise recompile them on
    every start, which no installed copy does."""
    import compileall

    import holdtight

    compileall.compile_dir(str(Path(holdtight.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", nargs="*", choices=("batch", "startup", "session", "memory", "tui")
    )
    args = parser.parse_args()
    chosen = set(args.only or ("batch", "startup", "session", "memory", "tui"))
    compile_bytecode()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "answers"
        if chosen & {"batch", "startup", "memory"}:
            print(f"generating {args.files} answer files …", file=sys.stderr)
            make_files(folder, args.files)
        if "batch" in chosen:
            rows += bench_batch(folder, args.repeat)
        if "startup" in chosen:
            rows += bench_startup(folder, args.repeat)
        if "session" in chosen:
            rows += bench_session()
        if "memory" in chosen:
            rows += bench_memory(folder, args.files)
        if "tui" in chosen:
            rows += bench_tui(args.repeat)
    width = max(len(label) for label, _, _ in rows)
    print(f"{'measure':<{width}}  ratio  detail")
    for label, ratio, detail in rows:
        print(f"{label:<{width}}  {ratio:5.2f}  {detail}")
    _ = resource  # imported for the child-process memory measure above


if __name__ == "__main__":
    main()
