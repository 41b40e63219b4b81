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
    a file of notes or anything else someone wrote is refused, one line, exit 2. Read
    as every answer file is (`reading`), once."""
    from holdtight.errors import InputError
    from holdtight.reading import parse_document, read_bytes
    from holdtight.templates import TEMPLATE_MARK
    from holdtight.terminal_text import for_terminal

    if not target.is_file():
        return
    shown = for_terminal(target)
    try:
        raw = read_bytes(target)
        if not raw.strip():
            return
        document = parse_document(raw, str(target))
    except InputError:
        raise UsageError(
            f"{shown}: exists and does not read as an answer file (it may be a session "
            "with a slip); a template would replace it: write it elsewhere"
        ) from None
    answers = document.get("answers")
    count = len(answers) if isinstance(answers, dict) else 0
    if count:
        raise UsageError(
            f"{shown}: holds {count} answer{'s' if count != 1 else ''}; "
            "a blank template would replace them: write it elsewhere"
        )
    if not raw.startswith(TEMPLATE_MARK.encode()):
        raise UsageError(
            f"{shown}: exists and is not a blank template; a template would replace it: "
            "write it elsewhere"
        )
