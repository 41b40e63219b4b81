"""`holdtight schema`: the JSON Schema of the answer file."""

from __future__ import annotations

import argparse

from holdtight import strictjson
from holdtight.commands.common import Subparsers, load_rules, rules_option
from holdtight.errors import EXIT_OK

NAMES = ("schema",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("schema", help="JSON Schema of the answer file")
    rules_option(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.templates import answer_schema

    print(strictjson.dumps(answer_schema(load_rules(args.rules)), indent=2))
    return EXIT_OK
