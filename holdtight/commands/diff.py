"""`holdtight diff FILE FILE [FILE…]`: what differs between sessions, or across a team."""

from __future__ import annotations

import argparse

from holdtight.commands.common import Subparsers, load_rules, rules_option, write_output
from holdtight.errors import EXIT_OK, UsageError

NAMES = ("diff",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("diff", help="what differs between sessions (two, or a team of three+)")
    p.add_argument("files", nargs="+", metavar="FILE")
    rules_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", metavar="OUT")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.diff import diff_report, name_sessions
    from holdtight.sessionfile import load_session

    if len(args.files) < 2:
        raise UsageError("diff needs two sessions (or three or more for a team)")
    rulebook = load_rules(args.rules)
    loaded = [(path, load_session(path, rulebook, unknown="keep")) for path in args.files]
    text = diff_report(rulebook, name_sessions(loaded), args.format)
    write_output(args.output, text, args.files, args.format)
    return EXIT_OK
