"""The README's Command line block lists every subcommand `holdtight --help` offers."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import Cli


def test_every_subcommand_is_in_the_readme_command_line_block(cli: Cli) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Command line") :]
    block = section[section.index("```") + 3 :]
    block = block[: block.index("```")]
    listed = set(re.findall(r"^holdtight (?:\[)?([a-z]+)", block, re.MULTILINE))
    helped = cli("--help").stdout
    offered = set(re.findall(r"^    ([a-z]+) {2,}", helped, re.MULTILINE))
    assert offered, helped
    assert offered - listed == set()
