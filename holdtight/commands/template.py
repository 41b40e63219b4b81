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
    """A blank template replaces only nothing, an empty file or another blank template
    with no answer in it: a session (even one with a TOML slip that stops it parsing),
    a file of notes or anything else someone wrote is refused, one line, exit 2."""
    from holdtight.batch_output import given_answers
    from holdtight.templates import TEMPLATE_MARK
    from holdtight.terminal_text import for_terminal

    if not target.is_file():
        return
    try:
        with open(target, "rb") as handle:
            head = handle.read(200)
    except OSError:
        return  # the write says why it cannot
    if not head.strip():
        return
    shown = for_terminal(target)
    count = given_answers(target)
    if count is None:
        raise UsageError(
            f"{shown}: exists and does not read as an answer file (it may be a session "
            "with a slip); a template would replace it: write it elsewhere"
        )
    if count:
        raise UsageError(
            f"{shown}: holds {count} answer{'s' if count != 1 else ''}; "
            "a blank template would replace them: write it elsewhere"
        )
    if not head.startswith(TEMPLATE_MARK.encode()):
        raise UsageError(
            f"{shown}: exists and is not a blank template; a template would replace it: "
            "write it elsewhere"
        )
