"""The command line. Heavy modules (Textual above all) are imported inside the commands
that need them, so `holdtight score` starts fast and never loads the TUI."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from holdtight import __version__
from holdtight.errors import EXIT_INPUT, EXIT_OK, EXIT_USAGE, HoldtightError, InputError, UsageError

if TYPE_CHECKING:
    from holdtight.model import Rulebook

COMMANDS = ("new", "open", "score", "report", "diff", "template", "rules", "schema", "import")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every usage error
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="holdtight",
        description="Decide, domain by domain, what a school system holds tight and leaves loose.",
    )
    parser.add_argument("--version", action="version", version=f"holdtight {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def rules_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rules", metavar="DIR", help="rulebook folder (default: the bundled one)")

    p = sub.add_parser("new", help="start a new session in the TUI")
    p.add_argument("file", nargs="?", metavar="FILE", help="session file to autosave to")
    rules_option(p)

    p = sub.add_parser("open", help="reopen a saved session in the TUI")
    p.add_argument("file", metavar="FILE")
    rules_option(p)

    p = sub.add_parser("score", help="score answer files (files, folders, or - for JSON Lines)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    rules_option(p)
    p.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table")
    p.add_argument("--summary", action="store_true", help="print a summary across all inputs")
    p.add_argument("--jobs", default="1", metavar="N", help="worker processes (or 'auto')")
    p.add_argument("-o", "--output", metavar="OUT", help="write results to OUT")

    p = sub.add_parser("report", help="a report of one session (Markdown, HTML or JSON)")
    p.add_argument("file", metavar="FILE")
    rules_option(p)
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("-o", "--output", metavar="OUT")

    p = sub.add_parser("diff", help="what differs between sessions (two, or a team of three+)")
    p.add_argument("files", nargs="+", metavar="FILE")
    rules_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("template", help="a blank answer file with every question as a comment")
    rules_option(p)
    p.add_argument("-o", "--output", metavar="OUT")

    p = sub.add_parser("schema", help="JSON Schema of the answer file")
    rules_option(p)

    p = sub.add_parser("import", help="turn a survey tool's CSV export into answer files")
    p.add_argument("csv", nargs="?", metavar="RESPONSES.csv")
    p.add_argument("--map", metavar="MAP.toml", help="columns → question ids, labels → option ids")
    p.add_argument("--template", action="store_true", help="write a starter map")
    rules_option(p)
    p.add_argument("-o", "--output", metavar="OUT", help="folder for answer files (or map file)")
    p.add_argument("--format", choices=("toml", "jsonl"), default="toml")

    rules = sub.add_parser("rules", help="check, test or calibrate a rulebook")
    rsub = rules.add_subparsers(dest="rules_command", parser_class=_Parser, metavar="ACTION")
    rsub.required = True
    for name, text in (
        ("check", "validate and lint a rulebook"),
        ("test", "run the rulebook's worked examples"),
        ("stats", "score random answers: how often each setting and rule comes out"),
    ):
        q = rsub.add_parser(name, help=text)
        q.add_argument("dir", nargs="?", metavar="DIR")
        if name == "stats":
            q.add_argument("--samples", type=int, default=2000, metavar="N")
            q.add_argument("--seed", type=int, default=1)
    return parser


def _rulebook(path: str | None) -> Rulebook:
    from holdtight.rulebook import load_rulebook

    return load_rulebook(path)


def _out(path: str | None) -> TextIO:
    if path in (None, "-"):
        return sys.stdout
    target = Path(str(path))
    if target.exists() and not target.is_file():
        # A device or pipe (e.g. /dev/null): write straight to it, never replace it.
        if target.is_dir():
            raise UsageError(f"{target}: is a folder; -o takes a file")
        return open(target, "w", encoding="utf-8")
    return _AtomicText(target)  # type: ignore[return-value]


class _AtomicText:
    """A text output that streams to a temp file and appears, owner-only and whole, when
    closed; an interrupted command leaves nothing behind."""

    def __init__(self, path: Path) -> None:
        from holdtight.fileio import AtomicFile

        try:
            self.file = AtomicFile(path)
        except OSError as error:
            raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None

    def write(self, text: str) -> int:
        return self.file.write(text)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        try:
            self.file.close()
        except OSError as error:
            raise UsageError(f"{self.file.path}: cannot write: {error.strerror or error}") from None

    def abort(self) -> None:
        self.file.abort()


# --- commands ------------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    from holdtight.batch import Item, Summary, find_inputs, resolve_jobs, score_stream

    try:
        jobs = resolve_jobs(args.jobs)
    except ValueError:
        raise UsageError(
            f"--jobs: expected a whole number ≥ 1 or 'auto', not '{args.jobs}'"
        ) from None
    rulebook = _rulebook(args.rules)
    items: Iterable[Item] = find_inputs(args.paths)
    total: int | None = None
    if _wants_progress() and "-" not in args.paths:
        items = list(items)  # the bar needs a total; without one, inputs stream
        total = len(items)
    iterator = iter(items)
    head = next(iterator, None)
    if head is None:
        raise UsageError("no *.toml or *.json answer files found in " + ", ".join(args.paths))
    items = itertools.chain([head], iterator)
    fmt = args.format
    summary = Summary(rulebook) if args.summary else None
    write_results = not args.summary or args.output
    out: Any = _out(args.output) if write_results else None
    progress = _progress(total)
    failed = 0
    first = True
    try:
        if out is not None and fmt == "csv":
            from holdtight.batch import csv_line
            from holdtight.reports.data import csv_header

            out.write(csv_line(csv_header(rulebook)) + "\n")
        if out is not None and fmt == "json":
            out.write("[")
        for scored in score_stream(rulebook, items, fmt, jobs, summary is not None):
            if progress is not None:
                progress.advance()
            if summary is not None:
                summary.add(scored)
            if not scored.ok:
                failed += 1
                if fmt == "table" or out is None:
                    progress_print(progress, f"holdtight: {scored.error}")
            if out is None:
                continue
            if fmt == "json":
                out.write(("\n" if first else ",\n") + scored.text)
            elif scored.text:
                out.write(scored.text + ("\n" if fmt != "table" else ""))
            first = False
        if out is not None and fmt == "json":
            out.write("\n]\n" if not first else "]\n")
    except BaseException:
        if isinstance(out, _AtomicText):
            out.abort()
        raise
    finally:
        if progress is not None:
            progress.stop()
    if out is not None and out is not sys.stdout:
        out.close()
    if summary is not None:
        data = summary.as_dict()
        if fmt in ("json", "jsonl"):
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            from rich.console import Console

            from holdtight.reports.terminal import summary_renderable

            Console().print(summary_renderable(data))
    return EXIT_INPUT if failed else EXIT_OK


class _Progress:
    def __init__(self, total: int | None) -> None:
        from rich.progress import Progress

        self.progress = Progress(transient=True, console=_stderr_console())
        self.task = self.progress.add_task("scoring", total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _wants_progress() -> bool:
    """A bar only for a person watching a terminal: never in pipes, files or CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _progress(total: int | None) -> _Progress | None:
    if not _wants_progress() or (total is not None and total < 200):
        return None
    return _Progress(total)


def progress_print(progress: _Progress | None, line: str) -> None:
    if progress is not None:
        progress.progress.console.print(line, markup=False, highlight=False)
    else:
        print(line, file=sys.stderr)


def cmd_template(args: argparse.Namespace) -> int:
    from holdtight.templates import answer_template

    text = answer_template(_rulebook(args.rules))
    out = _out(args.output)
    out.write(text)
    if out is not sys.stdout:
        out.close()
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from holdtight.templates import answer_schema

    print(json.dumps(answer_schema(_rulebook(args.rules)), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from holdtight import rulecheck

    action: Callable[[argparse.Namespace], int] = getattr(rulecheck, f"run_{args.rules_command}")
    return action(args)


def cmd_report(args: argparse.Namespace) -> int:
    from holdtight.reports.documents import render_report
    from holdtight.sessionfile import load_session

    rulebook = _rulebook(args.rules)
    session = load_session(args.file, rulebook, unknown="keep")
    text = render_report(rulebook, session, args.format, source=args.file)
    out = _out(args.output)
    out.write(text)
    if out is not sys.stdout:
        out.close()
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from holdtight.diff import diff_report
    from holdtight.sessionfile import load_session

    if len(args.files) < 2:
        raise UsageError("diff needs two sessions (or three or more for a team)")
    rulebook = _rulebook(args.rules)
    sessions = [(path, load_session(path, rulebook, unknown="keep")) for path in args.files]
    sys.stdout.write(diff_report(rulebook, sessions, args.format))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from holdtight.importer import run_import

    return run_import(args, _rulebook(args.rules))


def cmd_tui(args: argparse.Namespace) -> int:
    from holdtight.sessionfile import clean_stale_temp_files, fresh_session_path, load_session

    rulebook = _rulebook(args.rules)
    if args.command == "open":
        path = Path(args.file)
        if not path.exists():
            raise InputError(f"{path}: no such file (use 'holdtight new {path}' to start one)")
        clean_stale_temp_files(path)
        session = load_session(path, rulebook, unknown="keep")
        is_new = False
    else:
        from holdtight.sessionfile import new_session

        path = Path(args.file) if args.file else fresh_session_path(Path.cwd())
        if path.exists():
            raise UsageError(f"{path}: already exists (use 'holdtight open {path}')")
        if not path.parent.is_dir():
            raise UsageError(f"{path.parent}: no such folder")
        session = new_session(rulebook)
        is_new = True
    from holdtight.tui.app import run_app

    return run_app(rulebook, session, path, is_new=is_new)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_tui,
    "open": cmd_tui,
    "score": cmd_score,
    "report": cmd_report,
    "diff": cmd_diff,
    "template": cmd_template,
    "schema": cmd_schema,
    "rules": cmd_rules,
    "import": cmd_import,
}


def _normalize(argv: list[str]) -> list[str]:
    """`holdtight` and `holdtight FILE` mean `holdtight new [FILE]`."""
    positional = [i for i, arg in enumerate(argv) if not arg.startswith("-")]
    if not positional:
        if any(arg in ("-h", "--help", "--version") for arg in argv):
            return argv
        return [*argv, "new"]
    first = positional[0]
    if argv[first] not in COMMANDS:
        return [*argv[:first], "new", *argv[first:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(_normalize(args_list))
        return HANDLERS[args.command](args)
    except HoldtightError as error:
        if debug:
            import traceback

            traceback.print_exc()
        print(f"holdtight: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("holdtight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Someone closed the pipe (e.g. `| head`): not an error worth a traceback.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except Exception as error:  # a bug, not a user error: still one line unless --debug
        if debug:
            raise
        print(
            f"holdtight: internal error ({type(error).__name__}); run again with --debug "
            "for details and please report it",
            file=sys.stderr,
        )
        return EXIT_USAGE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
