"""`holdtight new` without a file name, in a folder with unfinished sessions: offer to
resume one (a numbered list) or start a new one. Plain lines on the terminal before the
TUI starts, so Textual is not loaded for this choice."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TextIO

from holdtight.errors import HoldtightError
from holdtight.model import Rulebook, Session
from holdtight.terminal_text import for_terminal


class Unfinished(NamedTuple):
    path: Path
    session: Session
    missing: int
    organization: str


def unfinished_sessions(folder: Path, rulebook: Rulebook, limit: int = 9) -> list[Unfinished]:
    """Session files here, whatever their names (a .toml or .json file whose header
    says it is a holdtight session), with required questions still unanswered, newest
    first."""
    from holdtight.engine import shown_questions
    from holdtight.sessionfile import load_session

    found: list[Unfinished] = []
    candidates = []
    for path in folder.iterdir():
        try:
            if path.suffix.lower() in (".toml", ".json") and path.is_file():
                candidates.append((path.stat().st_mtime, path))
        except OSError:
            continue
    candidates.sort(reverse=True)
    for _, path in candidates:
        if not looks_like_session(path):
            continue
        try:
            session = load_session(path, rulebook, unknown="keep")
        except (HoldtightError, OSError, ValueError):
            continue
        shown = shown_questions(rulebook, session.answers)
        missing = sum(
            1 for q in shown if q not in session.answers and rulebook.questions[q].required
        )
        if missing:
            organization = str(session.meta.get("organization", ""))
            found.append(Unfinished(path, session, missing, organization))
        if len(found) >= limit:
            break
    return found


HEADER_BYTES = 4096
TOML_HEADER = re.compile(rb"^\s*\[\s*holdtight\s*\]", re.MULTILINE)
JSON_HEADER = re.compile(rb'^\s*\{\s*"holdtight"\s*:')


def looks_like_session(path: Path) -> bool:
    """A cheap look at the file's start: a holdtight session begins with its
    `[holdtight]` table (TOML, after any comments) or its "holdtight" key (JSON). Only
    files that pass are read in full."""
    try:
        with open(path, "rb") as file:
            head = file.read(HEADER_BYTES)
    except OSError:
        return False
    if path.suffix.lower() == ".json":
        return JSON_HEADER.match(head) is not None
    for line in head.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(b"#"):
            return TOML_HEADER.match(stripped) is not None
    return False


QUIT = "quit"
"""What `choose` returns for `q`, or the end of input (ctrl+d): leave without a session."""


def choose(
    found: list[Unfinished],
    ask: Callable[[str], str] = input,
    out: TextIO | None = None,
) -> Unfinished | str | None:
    """The session to resume, None to start a new one, or QUIT. `out` is standard
    output as it is when called (not as it was when this module was imported)."""
    out = out if out is not None else sys.stdout
    print("Unfinished sessions in this folder:", file=out)
    for n, item in enumerate(found, 1):
        who = f" ({for_terminal(item.organization, 40)})" if item.organization else ""
        print(f"  {n}. {for_terminal(item.path.name)}{who}: {item.missing} to answer", file=out)
    print("  n. Start a new session", file=out)
    numbers = "1" if len(found) == 1 else f"a number from 1 to {len(found)}"
    question = "Resume it (1)" if len(found) == 1 else f"Resume which (1-{len(found)})"
    while True:
        try:
            reply = ask(f"{question}, n for new, or q to quit? ").strip().lower()
        except EOFError:
            print(file=out)
            return QUIT
        if reply in ("q", "quit"):
            return QUIT
        if reply in ("", "n", "new"):
            return None
        if reply.isdigit() and 1 <= int(reply) <= len(found):
            return found[int(reply) - 1]
        print(f"Type {numbers}, n or q.", file=out)
