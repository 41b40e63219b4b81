"""What the subcommands share: the parser class (usage errors are one line, exit 2), the
`--rules` option and loading the rulebook it names."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TypeAlias

from holdtight.errors import UsageError
from holdtight.terminal_text import for_terminal

if TYPE_CHECKING:
    from holdtight.model import Rulebook

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every usage error
        raise UsageError(f"{message} (see '{self.prog} --help')")


def rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", help="rulebook folder (default: the bundled one)")


def load_rules(path: str | None) -> Rulebook:
    from holdtight.rulebook import load_rulebook

    return load_rulebook(path)


def wrote(path: str) -> None:
    """The one line a command prints on standard error after writing `-o OUT`."""
    print(f"wrote {for_terminal(path)}", file=sys.stderr)
