"""Helpers shared by the tests: the mini rulebook, the paths of the repository and the
installed command, and running the command in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple, Protocol

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
HOLDTIGHT = str(Path(sys.executable).parent / "holdtight")

# Property tests draw `examples(n)` cases: n in `make test`, n times HOLDTIGHT_TEST_DEPTH
# in a deeper run (`make test-deep` draws ten times as many, for before a release).
_DEPTH = max(1, int(os.environ.get("HOLDTIGHT_TEST_DEPTH", "1") or "1"))


def examples(n: int) -> int:
    return n * _DEPTH


# Rendered output never depends on the terminal the tests run in.
FIXED_ENV = {"NO_COLOR": "1", "COLUMNS": "120", "LINES": "40"}


class CliResult(NamedTuple):
    """What one run of the command gave: exit code and the two streams."""

    returncode: int
    stdout: str
    stderr: str


class Cli(Protocol):
    """Runs `holdtight ARGS…` in this process (see the `cli` fixture)."""

    def __call__(
        self,
        *args: str,
        cwd: Path | None = None,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult: ...


def run_process(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `holdtight` command in a subprocess: only for what a real process
    shows (the console script, signals, terminals, which modules get imported)."""
    full_env = {**os.environ, **FIXED_ENV, **(env or {})}
    full_env.pop("CI", None)
    return subprocess.run(
        [HOLDTIGHT, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


MINI_RULEBOOK = {
    "rulebook.toml": """
        id = "mini"
        version = "0.1"
        title = "Mini"
        [scale.thresholds]
        lean_loose = -3.0
        balanced = -1.0
        lean_tight = 1.0
        tight = 3.0
        [[scale.settings]]
        id = "tight"
        label = "Tight"
        [[scale.settings]]
        id = "lean_tight"
        label = "Lean tight"
        [[scale.settings]]
        id = "balanced"
        label = "Balanced"
        [[scale.settings]]
        id = "lean_loose"
        label = "Lean loose"
        [[scale.settings]]
        id = "loose"
        label = "Loose"
    """,
    "questions.toml": """
        [[section]]
        id = "s"
        title = "S"
        [[question]]
        id = "size"
        section = "s"
        kind = "number"
        prompt = "How many?"
        min = 1
        max = 100
        [[question]]
        id = "team"
        section = "s"
        kind = "single"
        prompt = "Team?"
        options = [{ id = "none", label = "None" }, { id = "big", label = "Big" }]
        [[question]]
        id = "aims"
        section = "s"
        kind = "multi"
        prompt = "Aims?"
        options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]
        [[question]]
        id = "mood"
        section = "s"
        kind = "scale"
        prompt = "Mood?"
        min = 1
        max = 5
        [[question]]
        id = "detail"
        section = "s"
        kind = "single"
        prompt = "Detail?"
        show_if = "team == 'big'"
        options = [{ id = "x", label = "X" }, { id = "y", label = "Y" }]
    """,
    "domains.toml": """
        [[domain]]
        id = "d1"
        title = "Domain one"
        [[domain]]
        id = "d2"
        title = "Domain two"
    """,
    "rules.toml": """
        [[rule]]
        id = "big_system"
        when = "size >= 50"
        effects = { d1 = 2.0 }
        because = "Big systems share."
        [[rule]]
        id = "big_team"
        when = "team == 'big'"
        effects = { d1 = 2.0, d2 = 1.0 }
        because = "A team can carry it."
        [[rule]]
        id = "no_team"
        when = "team == 'none'"
        effects = { d2 = -2.0 }
        at_most = { d1 = "balanced" }
        because = "No team cannot carry it."
        [[rule]]
        id = "aim_a"
        when = "'a' in aims"
        effects = { d2 = -2.0 }
        because = "A is local."
        [[rule]]
        id = "happy"
        when = "mood >= 4"
        effects = { d1 = -1.0 }
        because = "Happy schools lead."
        [[rule]]
        id = "detail_x"
        when = "detail == 'x'"
        effects = { d2 = 3.0 }
        at_least = { d1 = "tight" }
        because = "X needs central control."
    """,
    "guard_rails.toml": "\n".join(
        f"""
        [[guard_rail]]
        id = "{d}_all"
        domain = "{d}"
        settings = ["tight", "lean_tight", "balanced", "lean_loose", "loose"]
        text = "Always for {d}."
        """
        for d in ("d1", "d2")
    ),
}


TEAM_VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "superintendent": ("Superintendent", {}),
    "cao": (
        "Chief academic officer",
        {
            "desired_variation": "consistent",
            "model_confidence": "proven",
            "aims": ["student_agency", "targeted_instruction", "equity_of_access"],
            "vision_statement": "Every learner owns a path — مسیر یادگیری 👩‍👩‍👧 with teachers.",
        },
    ),
    "cfo": (
        "Chief financial officer",
        {
            "infrastructure": "inadequate",
            "data_systems": "partial",
            "buy_in_principals": 2,
            "vision_statement": "Spend once, spend well: https://example.org/a/long/path",
        },
    ),
    "principal": (
        "Principal representative",
        {"desired_variation": "many", "principal_readiness": "most", "buy_in_teachers": 5},
    ),
}
"""A leadership team of four from one system (the Metro example), each answering a few
questions differently: facts (devices, data systems) and judgments (variation, aims)."""


def write_team(folder: Path) -> list[Path]:
    """The team of four as session files in `folder` (created), in a stable order."""
    from holdtight.rulebook import load_rulebook
    from holdtight.sessionfile import load_session, save_session

    rulebook = load_rulebook()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, (name, changes) in TEAM_VARIANTS.items():
        session = load_session(EXAMPLES / "metro-unified-exploring.toml", rulebook)
        session.meta["respondent"] = name
        session.answers.update(changes)  # type: ignore[arg-type]
        path = folder / f"{stem}.toml"
        save_session(path, session, rulebook)
        paths.append(path)
    return paths
