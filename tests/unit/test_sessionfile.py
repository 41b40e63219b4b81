from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from holdtight.errors import InputError
from holdtight.fileio import atomic_write
from holdtight.model import Rulebook
from holdtight.sessionfile import (
    clean_stale_temp_files,
    load_session,
    new_session,
    save_session,
)


def write(tmp_path: Path, text: str | bytes, name: str = "a.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_keeps_answers_notes_meta_and_unknown(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    session = new_session(rulebook, {"organization": "Riverside Unified", "respondent": "CAO"})
    session.answers.update({"schools": 42, "aims": ["equity_of_access"], "system_type": "unsure"})
    session.notes["schools"] = "Includes 3 alternative schools."
    session.unknown["retired_question"] = "kept"
    path = tmp_path / "s.toml"
    save_session(path, session, rulebook)
    again = load_session(path, rulebook, unknown="keep")
    assert again.answers == session.answers
    assert again.notes == session.notes
    assert again.meta["organization"] == "Riverside Unified"
    assert again.unknown == {"retired_question": "kept"}
    assert again.header.rulebook_sha256 == rulebook.sha256
    text = path.read_text()
    assert text.index("system_type") < text.index("schools") < text.index("aims")


def test_new_files_are_owner_only_and_existing_keep_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    atomic_write(path, b"a = 1\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o640)
    atomic_write(path, b"a = 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == "a = 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.toml"]


def test_json_session_is_accepted_and_written(tmp_path: Path, rulebook: Rulebook) -> None:
    path = write(
        tmp_path, json.dumps({"answers": {"schools": 3}, "meta": {"organization": "X"}}), "a.json"
    )
    session = load_session(path, rulebook)
    assert session.answers == {"schools": 3}
    save_session(path, session, rulebook)
    assert json.loads(path.read_text())["holdtight"]["rulebook"] == rulebook.id


HOSTILE = [
    ("", "file is empty"),
    ("# only a comment\n", "no [answers] table"),
    ("[answers\nschools = 3", "line 1, column"),
    (b"\xff\xfe[\x00a\x00", "UTF-16"),
    (b'[answers]\nschools = "\xe9"\n', "line 2, column 12: invalid UTF-8 (byte 0xE9; save"),
    (b"\x00\x01\x02binary", "binary file"),
    ("answers = 3", "answers: must be a table, not a number"),
    ("[answers]\nschools = 5000", "line 2: answers.schools: 5000 is above the maximum 2000"),
    ("[answers]\nschools = 4.5", "expected a whole number"),
    ("[answers]\nschools = true", "expected a number, not a boolean"),
    ("[answers]\nsystem_type = true", "expected one option id"),
    ("[answers]\nsystem_type = 'districtt'", "is not an option"),
    ("[answers]\nschool = 3", "answers.school: unknown question (did you mean 'schools'?)"),
    ("[answers]\naims = ['efficiency', 'efficiency']", "listed twice"),
    ("[answers]\naims = ['magic']", "'magic' is not an option"),
    ("[answers]\naims = 'efficiency'", "expected a list"),
    ("[answers]\nbuy_in_teachers = 9", "above the maximum 5"),
    ("[answers]\nbuy_in_teachers = 2.0", "expected a whole number"),
    ("[answers.system_type]\nx = 1", "expected one option id (a string), not a table"),
    ("[answers]\n[extra]\n", "unknown table 'extra'"),
    ("[holdtight]\nformat = 99\n[answers]\n", "format 99 is newer"),
    ("[holdtight]\nwho = 1\n[answers]\n", "holdtight: unknown key 'who'"),
    ("[meta]\norganization = [1]\n[answers]\n", "meta.organization"),
    ("[notes]\nschools = 3\n[answers]\n", "notes.schools: expected text"),
]


@pytest.mark.parametrize(("content", "expected"), HOSTILE)
def test_hostile_files_get_one_line_with_place(
    tmp_path: Path, rulebook: Rulebook, content: str | bytes, expected: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        load_session(path, rulebook)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and message.startswith(str(path))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"answers": {"schools": NaN}}', "NaN is not allowed"),
        ('{"answers": {"schools": Infinity}}', "Infinity is not allowed"),
        ('[{"answers": {}}]', "top level must be an object ({…}), not a list"),
        ('{"answers": null}', "answers: must be a table, not null"),
        ('{"answers": {"schools": 3,}}', "line 1, column"),
        ("[" * 100000, "nested too deeply"),
    ],
)
def test_hostile_json(tmp_path: Path, rulebook: Rulebook, content: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        load_session(write(tmp_path, content, "a.json"), rulebook)
    assert expected in str(caught.value)


def test_a_json_list_is_answered_with_the_command_for_this_file(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = write(tmp_path, '[{"answers": {}}]', "two sets.json")
    with pytest.raises(InputError) as caught:
        load_session(path, rulebook)
    assert f"jq -c '.[]' '{path}' | holdtight score -)" in str(caught.value)


def test_huge_and_folder_inputs_are_refused(tmp_path: Path, rulebook: Rulebook) -> None:
    big = write(tmp_path, "[answers]\n" + "#" * (2 * 1024 * 1024))
    with pytest.raises(InputError, match="too large"):
        load_session(big, rulebook)
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        load_session(folder, rulebook)
    with pytest.raises(InputError, match="no such file"):
        load_session(tmp_path / "missing.toml", rulebook)


def test_huge_strings_are_refused(tmp_path: Path, rulebook: Rulebook) -> None:
    path = write(tmp_path, f"[answers]\nvision_statement = '{'x' * 20000}'")
    with pytest.raises(InputError, match="too long"):
        load_session(path, rulebook)


def test_older_rulebook_keeps_unknown_answers_as_warnings(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = write(
        tmp_path,
        '[holdtight]\nrulebook_version = "0.9"\n[answers]\nold_question = "x"\nschools = 3',
    )
    session = load_session(path, rulebook)
    assert session.unknown == {"old_question": "x"}
    assert any("version 0.9" in w for w in session.warnings)
    assert any("old_question" in w for w in session.warnings)


def test_stale_temp_files_are_cleaned(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    stale = tmp_path / ".s.toml.abc123.tmp"
    stale.write_text("half")
    assert clean_stale_temp_files(target) == [stale]
    assert not stale.exists()


def test_an_answer_under_meta_or_a_note_for_no_question_is_said(rulebook: Rulebook) -> None:
    """`schools = 12` under [meta] scored with the question unanswered, without a word;
    a note for a misspelt question was accepted and lost from every report."""
    from holdtight.batch import Item, Scorer
    from holdtight.sessionfile import session_from_document

    document = {
        "meta": {"organization": "North", "schools": 12},
        "answers": {"stage": "piloting"},
        "notes": {"schol": "Three schools share a campus.", "stage": "Since 2024."},
    }
    session = session_from_document(document, rulebook, "f.toml")
    assert session.warnings == [
        "meta.schools: 'schools' is a question, and its answer counts only under [answers]",
        "notes.schol: no such question (did you mean 'schools'?); the note is kept",
    ]
    assert "schools" not in session.answers and session.notes["schol"]
    # Every output says it: the CSV fast path sends such a file down the full path.
    for fmt in ("csv", "jsonl"):
        scored = Scorer(rulebook, fmt)(Item("f.toml", document=dict(document)))
        text = scored.text if isinstance(scored.text, str) else scored.text.decode()
        assert "'schools' is a question" in text and "did you mean 'schools'" in text
