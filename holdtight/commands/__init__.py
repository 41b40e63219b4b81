"""The subcommands, one module each: how each adds its arguments, and its handler (set as
the parser default `handler`). argparse lives here and nowhere below; the modules the
handlers call take plain arguments. Heavy modules (Textual above all) are imported inside
the handlers that need them, so `holdtight score` starts fast and never loads the TUI."""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

from holdtight import __version__
from holdtight.commands.common import Parser
from holdtight.errors import UsageError

# In the order of `holdtight --help`. Each is imported when its parser is built: a
# command line that names its command loads that command's module only.
MODULES = (
    "interactive",
    "score",
    "report",
    "diff",
    "team",
    "template",
    "schema",
    "importing",
    "rules",
)
COMMANDS = (
    "new",
    "open",
    "score",
    "report",
    "diff",
    "team",
    "merge",
    "template",
    "rules",
    "schema",
    "import",
)


# The module that adds each command's parser.
_OWNER = {
    "new": "interactive",
    "open": "interactive",
    "score": "score",
    "report": "report",
    "diff": "diff",
    "team": "team",
    "merge": "team",
    "template": "template",
    "rules": "rules",
    "schema": "schema",
    "import": "importing",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"holdtight.commands.{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `command`, only that command's subparser (and
    those its module adds beside it) is built: see `parse_args`."""
    parser = Parser(
        prog="holdtight",
        description="Decide, domain by domain, what a school system holds tight and leaves loose.",
    )
    parser.add_argument("--version", action="version", version=f"holdtight {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for name in MODULES if command is None else (_OWNER[command],):
        _module(name).add_parser(sub)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """`argv` parsed. Building every subcommand's parser costs ≈4 ms of each start, so
    when `argv` plainly names a command (nothing but --debug before it), only that one
    is built; any usage error is then found again by the whole parser, so that help and
    errors read exactly as the whole parser words them (its did-you-mean looks at every
    subcommand's options)."""
    command = _named_command(argv)
    if command is not None:
        try:
            return build_parser(command).parse_args(argv)
        except UsageError:
            pass
    return build_parser().parse_args(argv)


def _named_command(argv: list[str]) -> str | None:
    for arg in argv:
        if arg != "--debug":
            return arg if arg in _OWNER else None
    return None
