"""`holdtight report FILE`: one session as Markdown, HTML or JSON."""

from __future__ import annotations

import argparse

from holdtight.commands.common import Subparsers, load_rules, rules_option, write_output
from holdtight.errors import EXIT_OK

NAMES = ("report",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="a report of one session (Markdown, HTML or JSON)")
    p.add_argument("file", metavar="FILE")
    rules_option(p)
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("-o", "--output", metavar="OUT")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.reports.documents import render_report
    from holdtight.sessionfile import load_session

    rulebook = load_rules(args.rules)
    session = load_session(args.file, rulebook, unknown="keep")
    text = render_report(rulebook, session, args.format, source=args.file)
    write_output(args.output, text, [args.file], args.format)
    return EXIT_OK
