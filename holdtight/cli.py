"""The top of the command line: parse (the subcommands live in `holdtight.commands`), run
the handler, and map every error to one line and an exit code."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from holdtight.commands import COMMANDS, parse_args
from holdtight.errors import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    HoldtightError,
    UsageError,
    did_you_mean,
)
from holdtight.terminal_text import for_terminal

_TAKES_VALUE = ("--rules",)


def _normalize(argv: list[str]) -> list[str]:
    """`holdtight` means `holdtight new`; `holdtight FILE` opens FILE if it exists, else
    starts a new session there, but only when it ends in .toml or .json. Any other first
    word is an unknown command: a usage error with a did-you-mean, nothing opened or
    created."""
    positional = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in _TAKES_VALUE:
            skip = True
        elif not arg.startswith("-") or arg == "-":
            positional.append(i)
    if not positional:
        if any(arg in ("-h", "--help", "--version") for arg in argv):
            return argv
        return [*argv, "new"]
    first = positional[0]
    word = argv[first]
    if word in COMMANDS:
        return argv
    if word == "help":
        return [*argv[:first], "--help"]
    if os.path.exists(word):
        return [*argv[:first], "open", *argv[first:]]
    if word.lower().endswith((".toml", ".json")):
        return [*argv[:first], "new", *argv[first:]]
    raise UsageError(
        f"unknown command '{for_terminal(word, 60)}'{did_you_mean(word, (*COMMANDS, 'help'))}"
        " (see 'holdtight --help')"
    )


EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like ctrl+c so that every half-written output
    is dropped on the way out."""


_MAIN_PID = os.getpid()


def _on_sigterm(_signum: int, _frame: Any) -> None:
    if os.getpid() != _MAIN_PID:  # a worker forked before it set its own handler
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated


def _run_handler(args: Any) -> int:
    """Run the subcommand; the batch commands turn SIGTERM into Terminated for the run
    (the TUI keeps its own handling of signals)."""
    handler: Callable[[Any], int] = args.handler  # set by each subcommand's parser
    # score turns it on once its rulebook is loaded; new and open once they know whether
    # it is plain mode (deciding imports plain mode's modules: no collections meanwhile).
    if args.command not in ("score", "new", "open"):
        gc.enable()
    previous = None
    if args.command not in ("new", "open"):
        with contextlib.suppress(ValueError):  # only the main thread may set handlers
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return handler(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up makes many objects that live as long as the command (the parser, then the
    # rulebook): the cyclic collector would walk them again and again for nothing
    # (≈5 ms of `score FILE`). It is on again when the handler starts (for `score`, once
    # its rulebook is loaded and frozen), and as it was when main returns.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()
        else:
            gc.disable()


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        return _run_handler(parse_args(_normalize(args_list)))
    except HoldtightError as error:
        if debug:
            import traceback

            traceback.print_exc()
        print(f"holdtight: {for_terminal(error)}", file=sys.stderr)
        return error.exit_code
    except Terminated:
        print("holdtight: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("holdtight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Someone closed the pipe (e.g. `| head`): not an error worth a traceback.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as error:  # the system refused something (no space, too many files)
        if debug:
            raise
        where = f"{for_terminal(error.filename)}: " if error.filename else ""
        print(f"holdtight: {where}{for_terminal(error.strerror or error)}", file=sys.stderr)
        return EXIT_INPUT
    except UnicodeEncodeError as error:  # e.g. a terminal whose encoding is not UTF-8
        if debug:
            raise
        print(
            f"holdtight: cannot write this text in the output's encoding ({error.encoding}); "
            "use a UTF-8 locale or -o FILE",
            file=sys.stderr,
        )
        return EXIT_INPUT
    except (RecursionError, MemoryError) as error:
        if debug:
            raise
        print(
            f"holdtight: input is too large or nested too deeply ({type(error).__name__})",
            file=sys.stderr,
        )
        return EXIT_INPUT
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
    """The `holdtight` command (a process of its own; `main` is also called in-process)."""
    # toml-rs allocates with mimalloc, which by default commits its arenas as it takes
    # them: a run of 100,000 files peaked 13% above one of 1,000 (1.128x, against 1.08x
    # without it; speed the same, paired). Read when toml-rs loads, after this; only
    # this process's own allocator is told (the API leaves its host's environment be).
    os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
    if sys.stderr is None:  # started with it closed (`2>&-`): messages go nowhere, as
        # asked, rather than crash, or land in the results (`print(file=None)` writes
        # to standard output); the exit code still tells.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    code = main()
    if code == EXIT_TERMINATED:
        # Cleaned up; now end as SIGTERM ends a process, so callers see the signal.
        sys.stderr.flush()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
    sys.exit(code)


if __name__ == "__main__":
    run()
