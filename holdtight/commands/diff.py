"""`holdtight diff FILE FILE [FILE…]`: what differs between sessions, or across a team."""

from __future__ import annotations

import argparse
import sys

from holdtight.commands.common import Subparsers, load_rules, rules_option
from holdtight.errors import EXIT_OK, UsageError
from holdtight.terminal_text import terminal_block

NAMES = ("diff",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("diff", help="what differs between sessions (two, or a team of three+)")
    p.add_argument("files", nargs="+", metavar="FILE")
    rules_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.diff import diff_report
    from holdtight.sessionfile import load_session

    if len(args.files) < 2:
        raise UsageError("diff needs two sessions (or three or more for a team)")
    rulebook = load_rules(args.rules)
    sessions = [(path, load_session(path, rulebook, unknown="keep")) for path in args.files]
    text = diff_report(rulebook, sessions, args.format)
    sys.stdout.write(text if args.format == "json" else terminal_block(text))
    return EXIT_OK
