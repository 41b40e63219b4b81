"""`holdtight template`: a blank answer file with every question as a comment."""

from __future__ import annotations

import argparse
from pathlib import Path

from holdtight.commands.common import Subparsers, load_rules, rules_option, wrote
from holdtight.errors import EXIT_OK, UsageError

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
    if args.output not in (None, "-"):
        _refuse_answers(Path(args.output))
    with open_output(args.output) as out:
        out.write(text)
    if not out.is_stdout:
        wrote(args.output)
    return EXIT_OK


def _refuse_answers(target: Path) -> None:
    """A blank template must not replace a file that holds answers (a session, or a
    filled-in template): one line, exit 2, nothing written."""
    from holdtight.batch_output import given_answers
    from holdtight.terminal_text import for_terminal

    if target.is_file():
        count = given_answers(target)
        if count:
            raise UsageError(
                f"{for_terminal(target)}: holds {count} answer{'s' if count != 1 else ''}; "
                "a blank template would replace them: write it elsewhere"
            )
