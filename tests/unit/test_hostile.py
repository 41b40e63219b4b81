"""Hostile input: every loader answers garbage with one clear line, never a crash."""

from __future__ import annotations

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
from tests.helpers import MINI_RULEBOOK, examples


@settings(max_examples=examples(40), deadline=None)
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


@settings(max_examples=examples(40), deadline=None)
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
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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
    max_examples=examples(35),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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
    for round_ in range(6):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.04 * round_)
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
