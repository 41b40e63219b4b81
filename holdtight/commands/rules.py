"""`holdtight rules check | test | stats [DIR | --rules DIR]`: validate, run worked
examples, calibrate."""

from __future__ import annotations

import argparse

from holdtight.commands.common import Parser, Subparsers

NAMES = ("rules",)


def add_parser(sub: Subparsers) -> None:
    rules = sub.add_parser("rules", help="check, test or calibrate a rulebook")
    rsub = rules.add_subparsers(dest="rules_command", parser_class=Parser, metavar="ACTION")
    rsub.required = True
    for name, text in (
        ("check", "validate and lint a rulebook"),
        ("test", "run the rulebook's worked examples"),
        ("stats", "score random answers: how often each setting and rule comes out"),
    ):
        q = rsub.add_parser(name, help=text)
        q.add_argument(
            "dir", nargs="?", metavar="DIR", help="the rulebook's folder (default: the bundled one)"
        )
        # Every other command names its rulebook with --rules: accepted here too.
        q.add_argument("--rules", dest="rules_dir", metavar="DIR", help="the same as DIR")
        if name == "stats":
            q.add_argument(
                "--samples",
                type=int,
                default=2000,
                metavar="N",
                help="how many random answer sets to score (default 2000)",
            )
            q.add_argument(
                "--seed",
                type=int,
                default=1,
                help="the random seed, for the same answer sets again (default 1)",
            )
    rules.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from holdtight import rulecheck
    from holdtight.errors import UsageError

    if args.dir and args.rules_dir and args.dir != args.rules_dir:
        raise UsageError("give the rulebook folder once: as DIR or with --rules DIR")
    args.dir = args.dir or args.rules_dir

    if args.rules_command == "check":
        return rulecheck.run_check(args.dir)
    if args.rules_command == "test":
        return rulecheck.run_test(args.dir)
    return rulecheck.run_stats(args.dir, samples=args.samples, seed=args.seed)
