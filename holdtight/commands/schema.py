"""`holdtight schema [--rulebook]`: the JSON Schema of the answer file, or of a rulebook
file."""

from __future__ import annotations

import argparse

from holdtight import strictjson
from holdtight.commands.common import Subparsers, load_rules, rules_option
from holdtight.errors import EXIT_OK
from holdtight.terminal_text import json_for_terminal

NAMES = ("schema",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("schema", help="JSON Schema of the answer file (or of a rulebook file)")
    rules_option(p)
    p.add_argument(
        "--rulebook", action="store_true", help="the schema of a rulebook file's tables instead"
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.templates import answer_schema, rulebook_schema

    if args.rulebook:
        print(strictjson.dumps(rulebook_schema(), indent=2))
        return EXIT_OK
    # A rulebook's prompts and labels: what could steer a terminal is escaped (same JSON).
    print(json_for_terminal(strictjson.dumps(answer_schema(load_rules(args.rules)), indent=2)))
    return EXIT_OK
