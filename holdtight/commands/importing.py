"""`holdtight import`: a survey tool's CSV export turned into answer files."""

from __future__ import annotations

import argparse

from holdtight.commands.common import Subparsers, load_rules, rules_option, wrote
from holdtight.errors import EXIT_OK

NAMES = ("import",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("import", help="turn a survey tool's CSV export into answer files")
    p.add_argument("csv", nargs="?", metavar="RESPONSES.csv")
    p.add_argument("--map", metavar="MAP.toml", help="columns → question ids, labels → option ids")
    p.add_argument("--template", action="store_true", help="write a starter map")
    rules_option(p)
    p.add_argument("-o", "--output", metavar="OUT", help="folder for answer files (or map file)")
    p.add_argument("--format", choices=("toml", "jsonl"), default="toml")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight.importer import map_template, run_import

    rulebook = load_rules(args.rules)
    if args.template:
        from holdtight.batch_output import open_output

        with open_output(args.output) as out:
            out.write(map_template(rulebook))
        if not out.is_stdout:
            wrote(args.output)
        return EXIT_OK
    return run_import(
        rulebook, csv_path=args.csv, map_path=args.map, output=args.output, fmt=args.format
    )
