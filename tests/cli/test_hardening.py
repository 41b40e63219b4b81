"""Issue 11, hardening round two, through the command (in process): unknown commands,
encoding, strict numbers and keys, escape sequences, CSV injection, the survey import,
and the one writer for -o."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_import import HEADERS, ROWS, starter_map, write_csv
from tests.helpers import Cli

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OK = "[answers]\nschools = 12\n"


def strict_json(text: str) -> Any:
    """Parse with a strict parser: NaN/Infinity and a key twice are errors."""

    def no_constant(name: str) -> Any:
        raise AssertionError(f"{name} in output")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        assert len({k for k, _ in items}) == len(items), "a key twice in output"
        return dict(items)

    return json.loads(text, parse_constant=no_constant, object_pairs_hook=pairs)


def strict_documents(text: str) -> list[Any]:
    """Every JSON document in `text` (one after another), each parsed strictly."""
    decoder = json.JSONDecoder()
    documents, position = [], 0
    text = text.strip()
    while position < len(text):
        _value, end = decoder.raw_decode(text, position)
        documents.append(strict_json(text[position:end]))
        position = end
        while position < len(text) and text[position].isspace():
            position += 1
    return documents


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


# --- item 4: unknown subcommands ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hint"), [(("hlep",), "help"), (("scor", "x"), "score"), (("rpeort",), "report")]
)
def test_unknown_subcommand_is_a_usage_error_with_a_hint(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], hint: str
) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert f"did you mean '{hint}'" in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []  # no questionnaire, no file


def test_bare_word_that_is_no_file_is_not_a_session(cli: Cli, tmp_path: Path) -> None:
    result = cli("notes.txt", cwd=tmp_path)
    assert result.returncode == 2 and "unknown command" in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_help_word_prints_help(cli: Cli) -> None:
    result = cli("help")
    assert result.returncode == 0 and "usage: holdtight" in result.stdout


# --- item 6: encoding --------------------------------------------------------------------

SURROGATES = {
    "value.json": '{"answers": {"vision_statement": "a\\udc00b"}}',
    "meta.json": '{"meta": {"organization": "\\ud800"}, "answers": {"schools": 3}}',
    "key.json": '{"answers": {"\\udfff": 1}}',
    "note.json": '{"answers": {"schools": 3}, "notes": {"schools": "x\\udc80"}}',
}


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_lone_surrogate_is_one_bad_input_and_the_batch_goes_on(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in SURROGATES.items():
        (folder / name).write_text(text)
    (folder / "z-ok.toml").write_text(OK)
    result = cli("score", str(folder), "--format", fmt)
    assert result.returncode == 1
    assert "internal error" not in result.stderr
    if fmt == "json":
        rows = strict_json(result.stdout)
        assert [row["ok"] for row in rows] == [False, False, False, False, True]
    elif fmt == "jsonl":
        rows = [strict_json(line) for line in result.stdout.splitlines()]
        assert [row["ok"] for row in rows] == [False, False, False, False, True]
    elif fmt == "table":
        assert len(result.stderr.strip().splitlines()) == 4
        assert "z-ok.toml" in result.stdout


def test_json_lines_go_on_after_a_lone_surrogate(cli: Cli) -> None:
    lines = [
        '{"source": "a", "answers": {"vision_statement": "\\udc00"}}',
        '{"source": "b\\ud800"}',
    ]
    lines.append('{"source": "c", "answers": {"schools": 4}}')
    result = cli("score", "-", "--format", "jsonl", stdin="\n".join(lines) + "\n")
    rows = [strict_json(line) for line in result.stdout.splitlines()]
    assert [row["ok"] for row in rows] == [False, False, True]
    assert result.returncode == 1


@pytest.mark.parametrize("command", ["report", "diff"])
def test_report_and_diff_refuse_a_lone_surrogate_in_one_line(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(SURROGATES["value.json"])
    good = tmp_path / "good.toml"
    good.write_text(OK)
    args = [str(bad)] if command == "report" else [str(bad), str(good)]
    result = cli(command, *args)
    assert result.returncode == 1
    assert "without its pair" in one_line(result.stderr)


def test_undecodable_file_name_is_scored_with_a_writable_name(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.toml"), "wb") as handle:
        handle.write(OK.encode())
    result = cli("score", str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    (row,) = strict_json(result.stdout)
    assert row["ok"] and row["source"].endswith("caf\ufffd.toml")
    out = tmp_path / "out.json"
    assert cli("score", str(folder), "--format", "json", "-o", str(out)).returncode == 0
    strict_json(out.read_text(encoding="utf-8"))


# --- item 8: escape sequences and markup -------------------------------------------------


def test_nothing_from_a_file_reaches_the_terminal_with_control_characters(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = "\x1b]0;owned\x07\x1b[2J\u202eevil\r\x9b"
    (folder / "a.toml").write_text(
        f'[meta]\norganization = "{json.dumps(hostile)[1:-1]} [bold red]x[/]"\n'
        "[answers]\nschools = 12\n"
    )
    (folder / "b\x1b[31m.toml").write_text("[answers]\nschools = 'x\x1b[2J'\n")
    (folder / "c.json").write_text('{"answers": {"sch\\u001b[2Jools": 3}}')
    for fmt in ("table", "csv"):
        result = cli("score", str(folder), "--format", fmt, "--summary")
        assert not CONTROL.search(result.stdout.replace("\n", "")), fmt
        assert not CONTROL.search(result.stderr.replace("\n", "")), fmt
    table = cli("score", str(folder / "a.toml")).stdout
    assert "[bold red]x[/]" in table  # markup shown literally


def test_diff_rules_check_and_import_keep_escapes_off_the_terminal(
    cli: Cli, tmp_path: Path, make_rulebook: Any
) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b\x1b[2J.toml"
    a.write_text('[answers]\nsystem_type = "cmo"\nvision_statement = "x\\u001b[31m"\n')
    b.write_text('[answers]\nsystem_type = "network"\nvision_statement = "y\\u009b"\n')
    for args in ((str(a), str(b)), (str(a), str(b), str(a))):
        result = cli("diff", *args)
        assert result.returncode == 0, result.stderr
        assert not CONTROL.search(result.stdout.replace("\n", ""))
    folder = make_rulebook(**{"rulebook.toml": 'id = "mini\\u001b[2J"\nname = 3\n'})
    result = cli("rules", "check", str(folder))
    assert result.returncode == 2
    assert not CONTROL.search(result.stderr.replace("\n", ""))
    responses = tmp_path / "r.csv"
    write_csv(responses, ROWS, extra_header="Time\x1b[2Jstamp")
    result = cli(
        "import", str(responses), "--map", str(starter_map(cli, tmp_path)), "--format", "jsonl"
    )
    assert "is not mapped" in result.stderr
    assert not CONTROL.search(result.stderr.replace("\n", ""))


# --- item 9: CSV injection ---------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(cli: Cli) -> None:
    records = [
        {"source": "=HYPERLINK(\"http://x\")", "meta": {"organization": "@SUM(A1)"},
         "answers": {"schools": 3}},
        {"source": "-2+3", "meta": {"organization": "+cmd"}, "answers": {"schools": 3}},
        {"source": "\tfoo", "meta": {"organization": "-1.5"}, "answers": {"schools": 3}},
        {"source": "plain", "meta": {"organization": "\rbar"}, "answers": {"schools": "x"}},
    ]  # fmt: skip
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    result = cli("score", "-", "--format", "csv", stdin=stdin)
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [r["source"] for r in rows] == ['\'=HYPERLINK("http://x")', "'-2+3", "'\tfoo", "plain"]
    assert [r["organization"] for r in rows[:3]] == ["'@SUM(A1)", "'+cmd", "-1.5"]
    assert all(float(r["posture_index"]) == float(r["posture_index"]) for r in rows[:3])
    assert rows[0]["posture_index"].startswith(("-", "0"))  # a number, left as it is
    for line in result.stdout.splitlines()[1:]:
        assert not re.search(r"(^|,)[=+@\t\r]", line)


# --- item 10: strict numbers and keys ----------------------------------------------------


def test_duplicate_keys_in_json_are_an_error(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"answers": {"schools": 3, "schools": 4}}')
    result = cli("score", str(path))
    assert result.returncode == 1 and "given twice" in one_line(result.stderr)
    result = cli("score", "-", "--format", "jsonl", stdin='{"answers": {}, "answers": {}}\n')
    assert "given twice" in strict_json(result.stdout)["error"]


@pytest.mark.parametrize(
    ("content", "place"),
    [
        ("stage = {a = 1,}", "line 2, column 16"),  # a trailing comma in an inline table
        ("stage = {a = 1,\n b = 2}", "line 2, column 16"),  # a line break inside one
        ("stage = 07:32", "line 2, column 10"),  # a time without seconds
        ('stage = "\\e[31m"', "line 2, column 12"),  # the \\e escape
        # read by tomllib from the start (more brackets than the fast path takes)
        ("a = [1]\nb = [2]\nc = [3]\nd = [4]\ne = [5]\nf = [6]\nx = 07:32", "line 8, column 6"),
    ],
)
def test_toml_1_1_syntax_is_named_as_such(
    cli: Cli, tmp_path: Path, content: str, place: str
) -> None:
    # tomllib's message alone ("Invalid initial character for a key part") left a
    # person editing by hand guessing: what holdtight reads, TOML 1.0, is said.
    path = tmp_path / "a.toml"
    message = _refused(cli, path, f"[answers]\n{content}\n")
    assert f"{path}: {place}: " in message and "TOML 1.1 syntax" in message
    plain = tmp_path / "b.toml"
    plain.write_text("[answers]\nstage = = 1\n")
    assert "TOML 1.1" not in cli("score", str(plain)).stderr


def test_huge_numbers_are_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"answers": {"schools": 1' + "0" * 400 + "}}")
    assert "too large" in one_line(cli("score", str(path)).stderr)
    path = tmp_path / "huge.toml"
    path.write_text("[answers]\nschools = 1" + "0" * 5000 + "\n")
    assert "too many digits" in one_line(cli("score", str(path)).stderr)


@pytest.mark.parametrize(
    ("text", "field"),
    [("bias = nan", "bias"), ("bias = inf", "bias"), ("bias = -inf", "bias")],
)
def test_rulebook_numbers_must_be_finite(
    cli: Cli, make_rulebook: Any, bundled_dir: Path, tmp_path: Path, text: str, field: str
) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(bundled_dir, folder)
    domains = folder / "domains.toml"
    domains.write_text(domains.read_text().replace("bias = 2.0", text, 1))
    result = cli("rules", "check", str(folder))
    assert result.returncode == 2
    assert "domains.toml" in result.stderr and f"'{field}'" in result.stderr
    assert "finite" in result.stderr


def test_a_400_digit_number_in_a_condition_is_one_line(
    cli: Cli, bundled_dir: Path, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(bundled_dir, folder)
    rules = folder / "rules" / "capacity.toml"
    text = rules.read_text().replace(
        "when = \"central_team == 'small'\"", f'when = "schools > 1{"0" * 400}"', 1
    )
    rules.write_text(text)
    result = cli("rules", "check", str(folder))
    assert result.returncode == 2 and "number is too large" in result.stderr
    assert "internal error" not in result.stderr


def test_every_json_the_tool_writes_is_strict(cli: Cli, tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[meta]\norganization = "x"\n[answers]\nsystem_type = "cmo"\nschools = 1000\n')
    b.write_text(OK)
    for args in (
        ("score", str(a), str(b), "--format", "json"),
        ("score", str(a), str(b), "--format", "json", "--summary"),
        ("report", str(a), "--format", "json"),
        ("diff", str(a), str(b), "--format", "json"),
        ("diff", str(a), str(b), str(a), "--format", "json"),
        ("schema",),
    ):
        result = cli(*args)
        assert result.returncode == 0, result.stderr
        assert strict_documents(result.stdout), args


# --- item 11: survey CSV import ----------------------------------------------------------


def _import(cli: Cli, tmp_path: Path, text: str, *extra: str) -> Any:
    responses = tmp_path / "responses.csv"
    responses.write_text(text, encoding="utf-8")
    return cli("import", str(responses), "--map", str(starter_map(cli, tmp_path)), *extra)


def _csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(HEADERS.values()), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({HEADERS[k]: v for k, v in row.items()})
    return buffer.getvalue()


def test_unbalanced_quote_is_reported_by_row_and_nothing_is_imported(
    cli: Cli, tmp_path: Path
) -> None:
    text = _csv_text(ROWS) + 'r3,"Unclosed school,cmo,3,,\nr4,Other,cmo,3,,\n'
    result = _import(cli, tmp_path, text, "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "row 4" in result.stderr and "unbalanced quote" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_short_and_long_rows_are_reported_and_counted(cli: Cli, tmp_path: Path) -> None:
    text = _csv_text(ROWS) + "r3,Short\n" + "r4,Long,cmo,3,,,extra,more\n"
    result = _import(cli, tmp_path, text, "--format", "jsonl")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 2
    assert "row 4: 2 fields, but the header has 6" in result.stderr
    assert "row 5: 8 fields" in result.stderr
    assert "2 of 4 row(s) imported" in result.stderr


def test_duplicate_mapped_column_and_oversized_field(cli: Cli, tmp_path: Path) -> None:
    header = ",".join(f'"{h}"' for h in HEADERS.values())
    dup_header = header + ',"' + HEADERS["schools"] + '"'
    result = _import(cli, tmp_path, dup_header + "\nr1,A,cmo,3,,,4\n", "--format", "jsonl")
    assert result.returncode == 1 and "columns 4 and 7 are both named" in one_line(result.stderr)
    big = _csv_text(ROWS) + "r3,Big,cmo,3,," + "x" * 200_000 + "\n"
    result = _import(cli, tmp_path, big, "--format", "jsonl")
    assert result.returncode == 1 and "row 4" in result.stderr and "longer than" in result.stderr
    assert result.stdout == ""


def test_a_word_where_a_number_belongs_names_row_and_column(cli: Cli, tmp_path: Path) -> None:
    rows = [*ROWS, {**ROWS[0], "id": "r3", "schools": "twelve"}]
    result = _import(cli, tmp_path, _csv_text(rows), "--format", "jsonl")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 2
    assert f"row 4, column '{HEADERS['schools']}'" in result.stderr


def test_import_never_overwrites_an_answer_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "r1.toml").write_text("mine\n")
    result = _import(cli, tmp_path, _csv_text(ROWS), "-o", str(out))
    assert result.returncode == 1
    assert "r1.toml: already exists; not overwritten" in result.stderr
    assert (out / "r1.toml").read_text() == "mine\n" and (out / "r2.toml").exists()
    assert sorted(p.name for p in out.iterdir()) == ["r1.toml", "r2.toml"]


# --- items 12-14: the one writer ---------------------------------------------------------


def test_output_is_never_the_commands_own_input(cli: Cli, tmp_path: Path) -> None:
    session = tmp_path / "s.toml"
    session.write_text(OK)
    result = cli("report", str(session), "-o", str(session))
    assert result.returncode == 2 and "is also an input" in one_line(result.stderr)
    assert session.read_text() == OK
    result = cli("score", str(session), "-o", str(session))
    assert result.returncode == 2 and session.read_text() == OK


def test_output_inside_the_scored_folder_is_not_read_back(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(OK)
    out = tmp_path / "results.json"
    for _ in range(2):
        result = cli("score", str(tmp_path), "--format", "json", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert [row["source"] for row in strict_json(out.read_text())] == [str(tmp_path / "a.toml")]


def test_stale_temp_files_of_dead_writers_are_cleaned(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(OK)
    out = tmp_path / "out.csv"
    dead = tmp_path / ".out.csv.999999999.abcd.tmp"
    old = tmp_path / ".out.csv.k3j2h1.tmp"
    live = tmp_path / f".out.csv.{os.getppid()}.live.tmp"
    for path in (dead, old, live):
        path.write_text("half")
    assert cli("score", str(tmp_path / "a.toml"), "--format", "csv", "-o", str(out)).returncode == 0
    assert not dead.exists() and not old.exists() and live.exists()


def test_disk_full_is_one_line_and_the_old_output_is_intact(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.toml").write_text(OK)
    out = tmp_path / "out.csv"
    out.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("holdtight.fileio.os.fsync", full)
    result = cli("score", str(tmp_path / "a.toml"), "--format", "csv", "-o", str(out))
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "No space left on device" in line and "old file is unchanged" in line
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "out.csv"]


def test_process_limit_for_jobs_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing.context

    def no_processes(*args: object, **kwargs: object) -> None:
        raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(multiprocessing.context.BaseContext, "Pool", no_processes)
    (tmp_path / "a.toml").write_text(OK)
    out = tmp_path / "out.csv"
    result = cli("score", str(tmp_path / "a.toml"), "--jobs", "4", "-o", str(out))
    assert result.returncode == 2
    assert "cannot start the worker processes" in one_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_absurd_jobs_is_a_usage_error_before_any_process_starts(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(OK)
    result = cli("score", str(tmp_path / "a.toml"), "--jobs", "9" * 30)
    assert result.returncode == 2 and "--jobs" in one_line(result.stderr)


def test_writing_to_a_full_device_is_one_line(cli: Cli, tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    (tmp_path / "a.toml").write_text(OK)
    result = cli("score", str(tmp_path / "a.toml"), "-o", "/dev/full")
    assert result.returncode == 1
    assert one_line(result.stderr) == "holdtight: /dev/full: cannot write: No space left on device"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("rules", "chek"), "did you mean 'check'?"),
        (("score", "--formt", "csv", "x.toml"), "did you mean '--format'?"),
    ],
)
def test_mistyped_subcommands_and_options_get_a_hint(
    cli: Cli, args: tuple[str, ...], hint: str
) -> None:
    result = cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and hint in result.stderr


def test_rules_commands_take_the_folder_as_every_command_does(cli: Cli, bundled_dir: Path) -> None:
    """`--rules DIR` works for `rules check` as for every other command (it answered
    "unrecognized arguments: --rules (did you mean '--rules'?)")."""
    by_option = cli("rules", "check", "--rules", str(bundled_dir))
    assert by_option.returncode == 0 and by_option.stdout.startswith("ok: ")
    assert cli("rules", "check", str(bundled_dir)).stdout == by_option.stdout
    both = cli("rules", "check", str(bundled_dir), "--rules", "elsewhere")
    assert both.returncode == 2 and "give the rulebook folder once" in both.stderr
    typo = cli("score", "x.toml", "--rulez", "y")
    assert typo.returncode == 2 and "did you mean '--rules'?" in typo.stderr
    # An option of another subcommand: no "did you mean" the very word typed.
    other = cli("rules", "check", "--samples", "5")
    assert other.returncode == 2 and "--samples" in other.stderr
    assert "did you mean '--samples'" not in other.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.toml", "[answers]\nschools = 3\n[a]\nx = 1\n", "line 3: unknown table 'a'"),
        ("b.toml", "[answers]\nschools = 3\n[notes]\nschools = [1]\n", "line 4: notes.schools:"),
        ("c.toml", "[meta]\norganization = [1]\n[answers]\n", "line 2: meta.organization:"),
        ("d.toml", "[answers]\nschools = 3\nx = 1" + "0" * 5000 + "\n", "line 3: a number has"),
        ("e.json", '{"answers":\n {"schools": 1' + "0" * 5000 + "}}", "line 2: a number has"),
        ("f.json", '{"answers": {},\n "extra": 1}', "line 2: unknown table 'extra'"),
        ("g.toml", "# answers, at last\n\nanswers = 5\n", "line 3: answers: must be"),
        # A key set as a table of its own (a later trial): its header's line.
        (
            "h.toml",
            '[answers]\nstage = "piloting"\n\n[answers.extra]\nx = 1\n',
            "line 4: answers.extra:",
        ),
        ("i.toml", '[answers]\n[answers."extra"] # why\nx = 1\n', "line 2: answers.extra:"),
        ("j.toml", '[meta]\norganization = "x"\n[meta.a.a]\nb = 1\n[answers]\n', "line 3: meta.a:"),
        ("k.toml", '[answers] # commented\nschools = "lots"\n', "line 2: answers.schools:"),
    ],
)
def test_errors_outside_the_answers_name_their_line(
    cli: Cli, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    # A second new-user trial found these named no place (answers' errors did).
    path = tmp_path / name
    path.write_text(content)
    for extra in ([], ["--format", "csv"]):
        result = cli("score", str(path), *extra)
        assert result.returncode == 1
        assert f"{path}: {expected}" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('format = "x"', "line 2: holdtight.format: expected a whole number, not text"),
        ('created = "yesterday"', "line 2: holdtight.created: expected a date and time"),
        ("rulebook_version = 2", "line 2: holdtight.rulebook_version: expected text, not a"),
        ("bogus = 1", "line 2: holdtight: unknown key 'bogus'"),
        ("format = 7", "line 2: holdtight.format: format 7 is newer than this holdtight"),
    ],
)
def test_header_errors_name_their_line_in_words(
    cli: Cli, tmp_path: Path, line: str, said: str
) -> None:
    # A third trial: no line, and the validation library's wording ("Input should be a
    # valid integer, unable to parse string as an integer").
    path = tmp_path / "a.toml"
    message = _refused(cli, path, f"[holdtight]\n{line}\n[answers]\nschools = 3\n")
    assert f"{path}: {said}" in message and "Input should" not in message


def _refused(cli: Cli, path: Path, text: str) -> str:
    """`score PATH` of a file holding `text`: refused (exit 1); its one line."""
    path.write_text(text)
    result = cli("score", str(path))
    assert result.returncode == 1
    return one_line(result.stderr)
