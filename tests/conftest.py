from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from holdtight.model import Rulebook
from holdtight.rulebook import bundled_rules_dir, load_rulebook

HOLDTIGHT = str(Path(sys.executable).parent / "holdtight")


# The rulebook cache of the whole run (collection, which loads rulebooks, and every
# subprocess, which inherits os.environ) is a fresh folder, never the user's own.
_CACHE_HOME = Path(tempfile.mkdtemp(prefix="holdtight-test-cache-"))
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)
os.environ["XDG_CACHE_HOME"] = str(_CACHE_HOME)
os.environ["HOLDTIGHT_CACHE_DIR"] = str(_CACHE_HOME / "holdtight")
os.environ.pop("HOLDTIGHT_NO_CACHE", None)


@pytest.fixture(scope="session", autouse=True)
def private_cache() -> Path:
    """The test run's cache home (the cache itself is its `holdtight` folder)."""
    assert os.environ["HOLDTIGHT_CACHE_DIR"] == str(_CACHE_HOME / "holdtight")
    return _CACHE_HOME


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `holdtight` command in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
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


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_cli


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


@pytest.fixture
def make_rulebook(tmp_path: Path) -> Callable[..., Path]:
    """Write the mini rulebook with some files replaced or added; return its folder."""

    def make(**files: str | None) -> Path:
        folder = tmp_path / "rb"
        folder.mkdir(exist_ok=True)
        contents: dict[str, str | None] = {**MINI_RULEBOOK, **files}
        for name, text in contents.items():
            path = folder / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return make


@pytest.fixture
def bundled_dir() -> Path:
    return bundled_rules_dir()
