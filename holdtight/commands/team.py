"""`holdtight team PATH...` (a leadership team's workshop) and `holdtight merge PATH... -o
consensus.toml` (a consensus session with each disagreement left to settle)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from holdtight.commands.common import Subparsers, load_rules, rules_option, write_output, wrote
from holdtight.errors import EXIT_OK, UsageError
from holdtight.terminal_text import for_terminal

if TYPE_CHECKING:
    from holdtight.model import Rulebook, Session

NAMES = ("team", "merge")
SESSION_SUFFIXES = (".toml", ".json")


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("team", help="a leadership team's sessions side by side, for a workshop")
    p.add_argument("paths", nargs="+", metavar="PATH", help="session files or folders")
    rules_option(p)
    p.add_argument("--format", choices=("html", "md", "json"), default="md")
    p.add_argument("-o", "--output", metavar="OUT")
    p.set_defaults(handler=handle_team)
    m = sub.add_parser("merge", help="one consensus session from a team's sessions")
    m.add_argument("paths", nargs="+", metavar="PATH", help="session files or folders")
    rules_option(m)
    m.add_argument("-o", "--output", metavar="OUT", required=True)
    m.set_defaults(handler=handle_merge)


def session_paths(paths: list[str]) -> list[str]:
    """Files as given; a folder stands for its session files (.toml, .json; hidden files
    skipped, as `score` does), by name. A file given twice (or named and also in a given
    folder, or linked) counts once: one respondent is one voice in the team."""
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            found += sorted(
                str(p)
                for p in folder.iterdir()
                if p.suffix.lower() in SESSION_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    seen: set[tuple[int, int]] = set()
    once: list[str] = []
    for path in found:
        try:
            status = os.stat(path)
        except OSError:
            once.append(path)  # reported, in one line, when it is loaded
            continue
        if (status.st_dev, status.st_ino) not in seen:
            seen.add((status.st_dev, status.st_ino))
            once.append(path)
    return once


def _team(args: argparse.Namespace) -> tuple[Rulebook, list[tuple[str, Session]]]:
    from holdtight.diff import name_sessions
    from holdtight.sessionfile import load_session

    paths = session_paths(args.paths)
    if len(paths) < 2:
        raise UsageError(f"{args.command} needs at least two sessions (files or folders)")
    rulebook = load_rules(args.rules)
    loaded = [(path, load_session(path, rulebook, unknown="keep")) for path in paths]
    _one_organization(session for _, session in loaded)
    return rulebook, name_sessions(loaded)


def _one_organization(sessions: Iterable[Session]) -> None:
    """Say so when the sessions name different organizations: a team's sessions are one
    system's leaders (a folder of several districts went by without a word, titled
    "The leadership team"). Said, not refused: a network's schools may differ."""
    from holdtight.reports.phrases import listed

    names: list[str] = []
    for session in sessions:
        name = str(session.meta.get("organization", "")).strip()
        if name and name not in names:
            names.append(name)
    if len(names) > 1:
        shown = listed([for_terminal(name, 60) for name in names])
        print(
            f"holdtight: the sessions name {len(names)} organizations ({shown}); "
            "a team's sessions are usually one system's",
            file=sys.stderr,
        )


def handle_team(args: argparse.Namespace) -> int:
    from holdtight.team_documents import render_team

    rulebook, team = _team(args)
    text = render_team(rulebook, team, args.format)
    write_output(args.output, text, args.paths, args.format)
    return EXIT_OK


def handle_merge(args: argparse.Namespace) -> int:
    from holdtight.batch_output import refuse_inputs
    from holdtight.sessionfile import save_session
    from holdtight.team import consensus_session

    refuse_inputs(Path(args.output), args.paths)
    rulebook, team = _team(args)
    save_session(args.output, consensus_session(rulebook, team), rulebook)
    wrote(args.output)
    return EXIT_OK
