"""The top of the command line: parse (the subcommands live in `holdtight.commands`), run
the handler, and map every error to one line and an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from holdtight.commands import COMMANDS, build_parser
from holdtight.errors import EXIT_OK, EXIT_USAGE, HoldtightError


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
        handler: Callable[[Any], int] = args.handler  # set by each subcommand's parser
        return handler(args)
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
