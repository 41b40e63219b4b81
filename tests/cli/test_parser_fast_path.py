"""Only the named command's parser is built when the command line plainly names one
(`holdtight.commands.parse_args`); what it gives, and every usage error, must be what the
whole parser gives."""

from __future__ import annotations

from typing import Any

import pytest

from holdtight import commands
from holdtight.commands import COMMANDS, build_parser, parse_args
from holdtight.errors import UsageError

GOOD = [
    ["open", "s.toml"],
    ["--debug", "open", "s.toml", "--plain"],
    ["new", "s.toml", "--rules", "r"],
    ["score", "a.toml", "--format", "csv"],
    ["report", "s.toml"],
    ["team", "a.toml", "b.toml"],
    ["merge", "a.toml", "b.toml", "-o", "m.toml"],
    ["rules", "check"],
    ["schema"],
    ["template"],
]
BAD = [
    ["open"],
    ["open", "s.toml", "--plian"],
    ["open", "s.toml", "--formt", "csv"],  # the did-you-mean looks at every command
    ["score", "a.toml", "--format", "cvs"],
    ["rules", "chek"],
    ["--debug", "merge"],
    ["team", "a.toml", "--rulse", "r"],
]


def _outcome(parse: Any, argv: list[str]) -> tuple[str, Any]:
    try:
        return "ok", vars(parse(argv))
    except UsageError as error:
        return "usage", str(error)
    except SystemExit as error:
        return "exit", error.code


@pytest.mark.parametrize("argv", GOOD + BAD, ids=" ".join)
def test_same_as_the_whole_parser(argv: list[str]) -> None:
    expected = _outcome(build_parser().parse_args, argv)
    assert _outcome(parse_args, argv) == expected
    assert expected[0] == ("ok" if argv in GOOD else "usage")


def test_a_named_command_builds_only_its_own_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str | None] = []
    whole = commands.build_parser

    def counting(command: str | None = None) -> Any:
        built.append(command)
        return whole(command)

    monkeypatch.setattr(commands, "build_parser", counting)
    parse_args(["--debug", "open", "s.toml"])
    assert built == ["open"]
    built.clear()
    with pytest.raises(UsageError):
        parse_args(["open", "s.toml", "--plian"])
    assert built == ["open", None]  # the error is found again by the whole parser
    built.clear()
    parse_args(["--debug", "--debug", "score", "x.toml"])
    assert built == ["score"]
    for argv in (["-h"], ["--deb", "open", "s.toml"], ["nosuch"]):
        built.clear()
        _outcome(parse_args, argv)
        assert built == [None]
    assert set(commands._OWNER) == set(COMMANDS)


def test_a_named_command_loads_only_its_own_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from holdtight.commands import parse_args; parse_args(['open', 'x']); "
        "print(sorted(m for m in sys.modules if m.startswith('holdtight.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['holdtight.commands.common', 'holdtight.commands.interactive']"
