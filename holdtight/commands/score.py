"""`holdtight score PATH…`: score answer files (files, folders, or - for JSON Lines)."""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
from collections.abc import Iterable

from holdtight import strictjson
from holdtight.commands.common import Subparsers, load_rules, rules_option, wrote
from holdtight.commands.progress import progress_print, start_progress, wants_progress
from holdtight.errors import EXIT_INPUT, EXIT_OK, UsageError
from holdtight.terminal_text import is_terminal

NAMES = ("score",)


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("score", help="score answer files (files, folders, or - for JSON Lines)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    rules_option(p)
    p.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table")
    p.add_argument("--summary", action="store_true", help="print a summary across all inputs")
    p.add_argument("--jobs", default="1", metavar="N", help="worker processes (or 'auto')")
    p.add_argument("-o", "--output", metavar="OUT", help="write results to OUT")
    p.add_argument(
        "--no-header", action="store_true", help="CSV without its header line (one per partition)"
    )
    p.add_argument(
        "--source-prefix",
        default="<stdin>",
        metavar="PREFIX",
        help="name lines of - without a source PREFIX:N (default <stdin>:N)",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    return run(
        args.paths,
        rules=args.rules,
        fmt=args.format,
        summary=args.summary,
        jobs=args.jobs,
        output=args.output,
        header=not args.no_header,
        source_prefix=args.source_prefix,
    )


def run(
    paths: list[str],
    *,
    rules: str | None,
    fmt: str,
    summary: bool,
    jobs: str,
    output: str | None,
    header: bool = True,
    source_prefix: str = "<stdin>",
) -> int:
    from holdtight.batch import (
        COLUMN_FORMATS,
        MAX_JOBS,
        TABLE_WIDTH,
        Arrival,
        BatchSummary,
        Item,
        find_inputs,
        resolve_jobs,
        score_stream,
    )
    from holdtight.batch_output import Output, ResultWriter

    if not source_prefix.strip():
        # Spark partitions name their lines PREFIX:N; an empty prefix gave ":1".
        raise UsageError("--source-prefix: give a name, such as part-3 (lines become part-3:1, …)")
    try:
        workers = resolve_jobs(jobs)
    except ValueError:
        raise UsageError(
            f"--jobs: expected a whole number from 1 to {MAX_JOBS} or 'auto', not '{jobs}'"
        ) from None
    rulebook = load_rules(rules)
    # The compiled rulebook lives as long as the command: out of the collector's sight,
    # so the many short-lived objects of a batch do not make it walk the rulebook again.
    # The collector was off while it loaded (holdtight.cli.main), and is on from here.
    gc.freeze()
    gc.enable()
    counts = BatchSummary(rulebook) if summary else None
    # The output is checked (and never one of the inputs) before anything is read.
    out = Output(output, paths) if not summary or output else None
    writer: ResultWriter | None = None
    progress = None
    failed = 0
    scored_inputs = 0
    try:
        skip = out.identity() if out is not None else None
        arrival = Arrival()
        # Lines typed at a terminal each get their row at once; otherwise CSV and JSON
        # are scored in chunks (as columns: holdtight.columns), and stdin's lines may
        # come in blocks, read at once.
        chunked = "-" not in paths or not is_terminal(sys.stdin)
        items: Iterable[Item] = find_inputs(
            paths,
            skip=skip,
            source_prefix=source_prefix,
            arrival=arrival,
            blocks=chunked and fmt in COLUMN_FORMATS and counts is None,
        )
        total: int | None = None
        # A bar only where it cannot tear what is read: not over results drawn on the
        # same terminal (rows came out between its redraws), nor over lines being
        # typed; and only for a folder or files (the bar needs a total).
        results_on_terminal = out is not None and out.is_stdout and is_terminal(sys.stdout)
        bar = wants_progress() and not results_on_terminal and "-" not in paths
        if bar:
            items = list(items)  # the bar needs a total; without one, inputs stream
            total = len(items)
        iterator = iter(items)
        head = next(iterator, None)
        if head is None and "-" not in paths:  # an empty partition on stdin is no error
            raise UsageError("no *.toml or *.json answer files found in " + ", ".join(paths))
        items = itertools.chain([head] if head is not None else [], iterator)
        if out is not None:
            writer = ResultWriter(rulebook, fmt, out, header=header)
            writer.begin()
        progress = start_progress(total) if bar else None
        width = _table_width() if fmt == "table" else TABLE_WIDTH
        stream = score_stream(
            rulebook, items, fmt, workers, counts is not None, width, chunked, arrival
        )
        for scored in stream:
            scored_inputs += scored.inputs
            if progress is not None:
                progress.advance(scored.inputs)
            if counts is not None:
                counts.add(scored)
            if not scored.ok:
                failed += 1
                if fmt == "table" or writer is None:
                    progress_print(progress, f"holdtight: {scored.error}")
            if writer is not None:
                writer.write(scored)
                if arrival.waiting():  # a producer pauses: what is scored goes out now
                    out.flush()  # type: ignore[union-attr]
        if writer is not None:
            writer.end()
    except BaseException:
        if out is not None:
            out.abort()
        raise
    finally:
        if progress is not None:
            progress.stop()
    if out is not None:
        out.close()
        if not out.is_stdout:
            wrote(str(output))
    if failed and writer is not None and fmt != "table":
        # Each failure is a record of the output, with its reason; say that there are
        # some, where a person looks (exit code 1 alone is easy to miss).
        where = "the error column" if fmt == "csv" else 'the records with "ok": false'
        inputs = "input" if scored_inputs == 1 else "inputs"
        print(
            f"holdtight: {failed} of {scored_inputs} {inputs} could not be scored; see {where}",
            file=sys.stderr,
        )
    if counts is not None:
        data = counts.as_dict()
        if fmt in ("json", "jsonl"):
            from holdtight.terminal_text import json_for_terminal

            # A document on standard output: what could steer a terminal is escaped.
            sys.stdout.write(json_for_terminal(strictjson.dumps(data, indent=2)) + "\n")
        else:
            from rich.console import Console

            from holdtight.reports.terminal import summary_renderable, summary_width

            console = Console()
            renderable = summary_renderable(rulebook, data)
            # Never a count cut ("120…" for 120,000 below 80 columns): a table that
            # cannot fit is drawn whole, wider, and the terminal wraps its lines.
            console.width = max(console.width, summary_width(console, renderable))
            # Lines whole (a failure names its file and place): a terminal wraps them.
            console.print(renderable, soft_wrap=True)
    return EXIT_INPUT if failed else EXIT_OK


def _table_width() -> int:
    """The `score` table's width: a terminal's, up to 100 columns; 100 in a pipe."""
    from holdtight.batch import TABLE_WIDTH
    from holdtight.terminal_text import terminal_columns

    columns = terminal_columns(sys.stdout)
    return TABLE_WIDTH if columns is None else max(40, min(TABLE_WIDTH, columns))
