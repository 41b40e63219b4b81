from __future__ import annotations

import atexit
import io
import os
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from holdtight.cli import main
from holdtight.model import Rulebook
from holdtight.rulebook import bundled_rules_dir, load_rulebook
from tests.helpers import FIXED_ENV, MINI_RULEBOOK, Cli, CliResult, examples

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


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `holdtight ARGS…` in this process through `holdtight.cli.main`: exit code and
    captured output, with a fixed width, no colour and no CI; `stdin` is what `-` reads."""
    for key, value in FIXED_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CI", raising=False)

    def run(
        *args: str,
        cwd: Path | None = None,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        capsys.readouterr()
        with monkeypatch.context() as patch:
            if cwd is not None:
                patch.chdir(cwd)
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin or ""))
            try:
                code = main(list(args))
            except SystemExit as exit_:  # --help and --version exit from argparse
                code = exit_.code if isinstance(exit_.code, int) else 0
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


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


@pytest.fixture(scope="session")
def bundled_dir() -> Path:
    return bundled_rules_dir()


# No wall-clock limits: property tests run under parallel workers on a busy machine, where
# Hypothesis's deadline and "too slow" health check would fail tests for the machine's sake.
# Tests that do not say how many examples they draw draw 30 (times HOLDTIGHT_TEST_DEPTH).
settings.register_profile(
    "holdtight",
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("holdtight")
