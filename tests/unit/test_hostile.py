"""Hostile input: every loader answers garbage with one clear line, never a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdtight.errors import InputError
from holdtight.model import Rulebook
from holdtight.rulebook import check_rulebook
from holdtight.sessionfile import parse_document, session_from_document
from tests.conftest import MINI_RULEBOOK, run_cli

CORPUS: dict[str, bytes | str | None] = {
    "01-empty.toml": "",
    "02-comment-only.toml": "# nothing here\n",
    "03-truncated.toml": '[answers]\nsystem_type = "cm',
    "04-binary.toml": bytes(range(256)),
    "05-invalid-utf8.toml": b'[answers]\nsystem_type = "\xc3\x28"\n',
    "06-utf16.toml": "[answers]\nschools = 3\n".encode("utf-16"),
    "07-deeply-nested.toml": "[answers]\nschools = " + "[" * 3000 + "]" * 3000 + "\n",
    "08-huge.toml": "[answers]\n" + ("# padding padding padding\n" * 50_000),
    "09-huge-string.toml": f"[answers]\nvision_statement = '{'x' * 50_000}'\n",
    "10-nan.json": '{"answers": {"schools": NaN}}',
    "11-infinity.json": '{"answers": {"schools": -Infinity}}',
    "12-top-level-array.json": '[{"answers": {}}]',
    "13-null-answers.json": '{"answers": null}',
    "14-scalar-answers.toml": "answers = 42\n",
    "15-table-for-value.toml": "[answers.system_type]\nkind = 'cmo'\n",
    "16-duplicate-option.toml": "[answers]\naims = ['efficiency', 'efficiency']\n",
    "17-unknown-option.toml": "[answers]\naims = ['world_peace']\n",
    "18-out-of-range.toml": "[answers]\nschools = 0\n",
    "19-scale-out-of-range.toml": "[answers]\nbuy_in_teachers = 6\n",
    "20-float-for-int.toml": "[answers]\nschools = 12.5\n",
    "21-bool-for-choice.toml": "[answers]\nsystem_type = true\n",
    "22-hidden-conditional.toml": "[answers]\npartners = 'none'\nknowledge_transfer = 'yes'\n",
    "23-dir.toml": None,
    "24-ok.toml": "[answers]\nschools = 12\n",
    "25-long-list.toml": "[answers]\naims = [" + ", ".join(["'efficiency'"] * 500) + "]\n",
    "26-escape-in-key.toml": '[answers]\n"sch\\u001b[2Jools" = 3\n',
    "27-duplicate-key.toml": "[answers]\nschools = 3\nschools = 4\n",
    "28-json-deep.json": '{"answers": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


def build_corpus(folder: Path) -> list[str]:
    folder.mkdir()
    for name, content in CORPUS.items():
        path = folder / name
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return sorted(CORPUS)


def test_batch_over_hostile_corpus_reports_each_file_once_and_goes_on(tmp_path: Path) -> None:
    names = build_corpus(tmp_path / "corpus")
    started = time.perf_counter()
    result = run_cli("score", str(tmp_path / "corpus"), "--format", "jsonl")
    assert time.perf_counter() - started < 60  # refusing big files is quick, not a hang
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["source"]).name for line in lines] == names
    ok = {Path(line["source"]).name for line in lines if line["ok"]}
    assert ok == {"22-hidden-conditional.toml", "24-ok.toml"}
    for line in lines:
        if not line["ok"]:
            error = line["error"]
            assert "\n" not in error and len(error) < 400, error
            assert error.startswith(line["source"]), error
            assert "x" * 100 not in error and "\x1b" not in error


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01-empty.toml", "file is empty"),
        ("03-truncated.toml", "line 2, column"),
        ("04-binary.toml", "binary file"),
        ("05-invalid-utf8.toml", "line 2: invalid UTF-8"),
        ("06-utf16.toml", "UTF-16"),
        ("07-deeply-nested.toml", "nested too deeply"),
        ("08-huge.toml", "too large"),
        ("09-huge-string.toml", "too long"),
        ("10-nan.json", "NaN is not allowed"),
        ("12-top-level-array.json", "top level must be a table"),
        ("15-table-for-value.toml", "answers.system_type"),
        ("23-dir.toml", "is a folder"),
        ("25-long-list.toml", "list is too long"),
        ("27-duplicate-key.toml", "line 3"),
    ],
)
def test_each_hostile_file_gets_its_own_message(tmp_path: Path, name: str, expected: str) -> None:
    build_corpus(tmp_path / "corpus")
    result = run_cli("score", str(tmp_path / "corpus" / name))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_loaders(data: bytes) -> None:
    from holdtight.rulebook import load_rulebook

    book = _bundled(load_rulebook)
    for name in ("x.toml", "x.json"):
        try:
            session_from_document(parse_document(data, name), book, name)
        except InputError as error:
            assert "\n" not in str(error)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["answers", "meta", "notes", "holdtight", "other"]),
        _json_values,
        max_size=4,
    ),
    st.dictionaries(
        st.sampled_from(["schools", "aims", "system_type", "partners", "buy_in_teachers", "nope"]),
        _json_values,
    ),
)
def test_random_documents_never_crash(
    document: dict[str, object], answers: dict[str, object]
) -> None:
    from holdtight.engine import score
    from holdtight.rulebook import load_rulebook

    book = _bundled(load_rulebook)
    for doc in (document, {**document, "answers": answers}):
        try:
            session = session_from_document(doc, book, "doc.json")
        except InputError as error:
            assert "\n" not in str(error)
        else:
            score(book, session.answers)


_BUNDLED: list[Rulebook] = []


def _bundled(load: Callable[[], Rulebook]) -> Rulebook:
    if not _BUNDLED:
        _BUNDLED.append(load())
    return _BUNDLED[0]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(sorted(MINI_RULEBOOK)),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(["delete", "insert", "replace", "truncate"]),
    st.text(alphabet="[]{}=\"'#,.\n abc_1-:()<>*", min_size=1, max_size=6),
)
def test_mutated_rulebooks_never_crash_the_loader(
    tmp_path_factory: pytest.TempPathFactory, file: str, where: int, how: str, junk: str
) -> None:
    import textwrap

    folder = tmp_path_factory.mktemp("mutant")
    for name, text in MINI_RULEBOOK.items():
        content = textwrap.dedent(text)
        if name == file:
            at = where % (len(content) + 1)
            if how == "delete":
                content = content[:at] + content[at + len(junk) :]
            elif how == "insert":
                content = content[:at] + junk + content[at:]
            elif how == "replace":
                content = content[:at] + junk + content[at + len(junk) :]
            else:
                content = content[:at]
        (folder / name).write_text(content, encoding="utf-8")
    rulebook, findings = check_rulebook(folder)
    assert rulebook is not None or any(f.severity == "error" for f in findings)
    for finding in findings:
        assert "\n" not in str(finding)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["when", "because", "effects", "at_least", "id"]),
    _json_values,
)
def test_rules_with_random_values_never_crash(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: object
) -> None:
    import textwrap

    import tomli_w

    folder = tmp_path_factory.mktemp("values")
    for name, text in MINI_RULEBOOK.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    rule: dict[str, object] = {
        "id": "r",
        "when": "size > 3",
        "effects": {"d1": 1.0},
        "because": "x",
    }
    rule[key] = value if value is not None else "null"
    try:
        text = tomli_w.dumps({"rule": [rule]})
    except (TypeError, ValueError):
        return
    (folder / "rules.toml").write_text(text, encoding="utf-8")
    check_rulebook(folder)


def test_rules_check_on_mutants_exits_0_or_2_with_clear_lines(tmp_path: Path) -> None:
    import textwrap

    for number, (file, junk) in enumerate(
        [
            ("questions.toml", "]]]"),
            ("rules.toml", "when = '''"),
            ("domains.toml", "[[domain]]\nid = 3"),
        ]
    ):
        folder = tmp_path / f"m{number}"
        folder.mkdir()
        for name, text in MINI_RULEBOOK.items():
            content = textwrap.dedent(text) + ("\n" + junk + "\n" if name == file else "")
            (folder / name).write_text(content)
        result = run_cli("rules", "check", str(folder))
        assert result.returncode in (0, 2)
        assert "Traceback" not in result.stderr
        assert all(
            line.startswith(("error:", "warning:", "holdtight:"))
            for line in result.stderr.splitlines()
        )


SAVER = """
import sys
from pathlib import Path
from holdtight.rulebook import load_rulebook
from holdtight.sessionfile import new_session, save_session
rulebook = load_rulebook()
path = Path(sys.argv[1])
session = new_session(rulebook, {"organization": "Crash Test"})
n = 0
print("ready", flush=True)
while True:
    n += 1
    session.answers["schools"] = 1 + n % 2000
    session.notes["schools"] = "x" * (n % 5000)
    save_session(path, session, rulebook)
"""


def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    for round_ in range(8):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.03 * round_)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if path.exists():
            data = tomllib.loads(path.read_text())
            assert data["meta"]["organization"] == "Crash Test"
            schools = data["answers"]["schools"]
            assert data["notes"].get("schools", "") == "x" * ((schools - 1) % 5000)
    leftovers = list(tmp_path.glob(".s.toml.*.tmp"))
    from holdtight.sessionfile import clean_stale_temp_files

    assert sorted(clean_stale_temp_files(path)) == sorted(leftovers)
    assert not list(tmp_path.glob(".s.toml.*.tmp"))


def test_terminal_output_cannot_be_hijacked(tmp_path: Path) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(
        '[meta]\norganization = "[bold red]Evil[/bold red] \\u001b[2J\\u001b]0;pwned\\u0007 Co"\n'
        "[answers]\nschools = 3\n"
    )
    table = run_cli("score", str(path))
    assert table.returncode == 0
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "[bold red]Evil[/bold red]" in table.stdout  # shown literally, not as markup
    bad = tmp_path / "evil2.toml"
    bad.write_text('[answers]\nsystem_type = "\\u001b[31mred\\u001b[0m"\n')
    result = run_cli("score", str(bad))
    assert result.returncode == 1 and "\x1b" not in result.stderr


def test_debug_traceback_does_not_dump_answers(tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_text('[answers]\nvision_statement = "TOP SECRET PLAN"\nschools = "many"\n')
    result = run_cli("--debug", "report", str(path))
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "TOP SECRET PLAN" not in result.stderr
