"""The top of the command line: parse (the subcommands live in `holdtight.commands`), run
the handler, and map every error to one line and an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from holdtight.commands import COMMANDS, build_parser
from holdtight.errors import EXIT_OK, EXIT_USAGE, HoldtightError, UsageError, did_you_mean
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


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(_normalize(args_list))
        handler: Callable[[Any], int] = args.handler  # set by each subcommand's parser
        return handler(args)
    except HoldtightError as error:
        if debug:
            import traceback

            traceback.print_exc()
        print(f"holdtight: {for_terminal(error)}", file=sys.stderr)
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
