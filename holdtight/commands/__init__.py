"""The subcommands, one module each: how each adds its arguments, and its handler (set as
the parser default `handler`). argparse lives here and nowhere below; the modules the
handlers call take plain arguments. Heavy modules (Textual above all) are imported inside
the handlers that need them, so `holdtight score` starts fast and never loads the TUI."""

from __future__ import annotations

import argparse

from holdtight import __version__
from holdtight.commands import (
    diff,
    importing,
    interactive,
    report,
    rules,
    schema,
    score,
    team,
    template,
)
from holdtight.commands.common import Parser

MODULES = (interactive, score, report, diff, team, template, schema, importing, rules)
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


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="holdtight",
        description="Decide, domain by domain, what a school system holds tight and leaves loose.",
    )
    parser.add_argument("--version", action="version", version=f"holdtight {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for module in MODULES:
        module.add_parser(sub)
    return parser
