"""What the subcommands share: the parser class (usage errors are one line, exit 2), the
`--rules` option and loading the rulebook it names."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any, TypeAlias

from holdtight.errors import UsageError, did_you_mean
from holdtight.terminal_text import for_terminal

if TYPE_CHECKING:
    from holdtight.model import Rulebook

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every usage error
        raise UsageError(f"{message}{self._hint(message)} (see '{self.prog} --help')")

    def _hint(self, message: str) -> str:
        """A did-you-mean for a mistyped choice or option, found among this parser's and
        its subcommands' own words."""
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            return did_you_mean(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
        unknown = re.search(r"unrecognized arguments: (\S+)", message)
        if unknown and unknown.group(1).startswith("-"):
            word = unknown.group(1)  # never "did you mean" the word itself
            return did_you_mean(word, [w for w in _option_strings(self) if w != word])
        return ""


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    words: list[str] = []
    for action in parser._actions:
        words += action.option_strings
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                words += _option_strings(sub)
    return words


def rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", help="rulebook folder (default: the bundled one)")


def load_rules(path: str | None) -> Rulebook:
    from holdtight.rulebook import load_rulebook

    return load_rulebook(path)


def wrote(path: str) -> None:
    """The one line a command prints on standard error after writing `-o OUT`."""
    print(f"wrote {for_terminal(path)}", file=sys.stderr)


def write_output(output: str | None, text: str, inputs: list[str], fmt: str) -> None:
    """A whole document in `fmt` to `-o OUT` (then `wrote OUT`) or standard output,
    as `batch_output.write_document` writes it: JSON escaped for a terminal, a text
    format (Markdown, a diff's text) wrapped at its width."""
    from holdtight.batch_output import write_document

    if write_document(output, text, inputs, escaped=fmt == "json", wrap=fmt in ("md", "text")):
        wrote(str(output))
