"""`holdtight new [FILE]` and `holdtight open FILE`: the TUI, or plain mode (`--plain`,
and whenever standard input or output is not a terminal or TERM=dumb: see
`plain_choice.plain_needed`). Textual is imported only inside `run`, and only for the TUI, so no
other command and never plain mode loads it."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from holdtight.commands.common import Subparsers, load_rules, rules_option
from holdtight.errors import InputError, UsageError

NAMES = ("new", "open")


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("new", help="start a new session (the TUI, or plain lines)")
    p.add_argument("file", nargs="?", metavar="FILE", help="session file to autosave to")
    rules_option(p)
    plain_option(p)
    p.set_defaults(handler=handle)

    p = sub.add_parser("open", help="reopen a saved session (the TUI, or plain lines)")
    p.add_argument("file", metavar="FILE")
    rules_option(p)
    plain_option(p)
    p.set_defaults(handler=handle)


def plain_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plain",
        action="store_true",
        help="one question at a time as plain lines (screen readers, any terminal, pipes); "
        "chosen by itself when there is no terminal or TERM=dumb",
    )


def use_plain(requested: bool) -> bool:
    from holdtight.commands.plain_choice import plain_needed

    return requested or plain_needed(sys.stdin, sys.stdout, os.environ)


def handle(args: argparse.Namespace) -> int:
    # holdtight.cli starts every command with the collector off. Plain mode turns it on
    # now; the TUI keeps it off through its start-up (the rulebook, Textual, the first
    # screen: all live until exit), and the app turns it on at its first paint
    # (holdtight.tui).
    plain = use_plain(args.plain)
    if plain:
        gc.enable()
    return run(args.command, args.file, args.rules, plain=plain)


def run(command: str, file: str | None, rules: str | None, *, plain: bool = False) -> int:
    from holdtight.sessionfile import clean_stale_temp_files, fresh_session_path, load_session

    rulebook = load_rules(rules)
    if command == "open":
        path = Path(str(file))
        if not path.exists():
            raise InputError(f"{path}: no such file (use 'holdtight new {path}' to start one)")
        clean_stale_temp_files(path)
        session = load_session(path, rulebook, unknown="keep")
        is_new = False
    else:
        from holdtight.sessionfile import new_session

        path = Path(file) if file else fresh_session_path(Path.cwd())
        if path.exists():
            raise UsageError(f"{path}: already exists (use 'holdtight open {path}')")
        if not path.parent.is_dir():
            raise UsageError(f"{path.parent}: no such folder")
        session = new_session(rulebook)
        is_new = True
        # A person typing (plain mode too: a screen reader, TERM=dumb) is offered the
        # unfinished sessions here; a pipe is not (its lines are the answers).
        if not file and sys.stdin.isatty():
            from holdtight.commands.resume import QUIT, Unfinished, choose, unfinished_sessions

            found = unfinished_sessions(Path.cwd(), rulebook)
            picked = choose(found) if found else None
            if picked == QUIT:
                return 0  # nothing typed, nothing written
            if isinstance(picked, Unfinished):
                path, session, is_new = picked.path, picked.session, False
    if plain:
        from holdtight.commands.plain import run_plain

        return run_plain(rulebook, session, path, rules=rules)
    from holdtight.tui import run_app

    return run_app(rulebook, session, path, is_new=is_new)
