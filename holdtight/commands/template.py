"""`holdtight template`: a blank answer file with every question as a comment."""

from __future__ import annotations

import argparse

from holdtight.commands.common import Subparsers, load_rules, rules_option, wrote
from holdtight.errors import EXIT_OK

NAMES = ("template",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("template", help="a blank answer file with every question as a comment")
    rules_option(p)
    p.add_argument("-o", "--output", metavar="OUT")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.batch_output import open_output
    from holdtight.templates import answer_template

    text = answer_template(load_rules(args.rules))
    with open_output(args.output) as out:
        out.write(text)
    if not out.is_stdout:
        wrote(args.output)
    return EXIT_OK
