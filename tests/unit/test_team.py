"""The team workshop's logic: consensus, spread, what drives a contested domain, facts
and judgments apart, the agenda, and the consensus session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from holdtight.diff import answer_key, name_sessions, same_answer
from holdtight.model import Rulebook, Session
from holdtight.sessionfile import load_session, new_session
from holdtight.team import analyse_team, consensus_session, consensus_setting
from tests.helpers import write_team


@pytest.fixture
def team(tmp_path: Path, rulebook: Rulebook) -> list[tuple[str, Session]]:
    paths = write_team(tmp_path / "team")
    return name_sessions([(str(p), load_session(p, rulebook)) for p in paths])


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (["tight", "tight", "loose"], "tight"),
        (["tight", "balanced", "loose"], "balanced"),
        (["tight", "lean_tight"], "lean_tight"),  # split: the one nearer to balanced
        (["loose", "lean_loose", "tight", "tight"], "balanced"),
        (["loose", "lean_loose"], "lean_loose"),
    ],
)
def test_consensus_is_the_median_leaning_to_the_middle(settings: list[str], expected: str) -> None:
    assert consensus_setting(settings) == expected


def test_multiple_choices_compare_as_sets() -> None:
    assert same_answer(["a", "b"], ["b", "a", "a"])
    assert not same_answer(["a"], ["a", "b"])
    assert answer_key(None) != answer_key("none")


def test_sessions_are_named_by_respondent_or_file(rulebook: Rulebook) -> None:
    named, unnamed, twin = new_session(rulebook), new_session(rulebook), new_session(rulebook)
    named.meta["respondent"] = "CAO"
    twin.meta["respondent"] = "CAO"
    names = [
        n
        for n, _ in name_sessions([("x/a.toml", named), ("y/b.json", unnamed), ("z/c.toml", twin)])
    ]
    assert names == ["CAO (a.toml)", "b", "CAO (c.toml)"]


def test_team_analysis(rulebook: Rulebook, team: list[tuple[str, Session]]) -> None:
    data = analyse_team(rulebook, team)
    assert data["respondents"] == [
        "Superintendent",
        "Chief academic officer",
        "Chief financial officer",
        "Principal representative",
    ]
    spreads = [d["spread"] for d in data["domains"]]
    assert spreads == sorted(spreads, reverse=True) and spreads[0] >= 2
    first = data["domains"][0]
    assert first["id"] == "instructional_model"
    assert {d["by_respondent"]["Superintendent"]["letter"] for d in data["domains"]} <= set("TtBlL")
    # The drivers come from scoring again: the CAO's "proven model" holds it tight.
    driver = next(d for d in first["drivers"] if d["question"] == "model_confidence")
    move = driver["moves"][0]
    assert move["respondent"] == "Chief academic officer" and move["from"] == "tight"
    assert move["to"] != "tight"
    # Facts and judgments apart; the multiple choice compared as a set.
    facts = {q["question"] for q in data["questions"]["fact"] if not q["agreed"]}
    judgments = {q["question"] for q in data["questions"]["judgment"] if not q["agreed"]}
    assert {"infrastructure", "data_systems"} <= facts and not facts & judgments
    assert {"desired_variation", "aims"} <= judgments
    aims = next(q for q in data["questions"]["judgment"] if q["question"] == "aims")
    assert list(aims["some"]) == ["Student agency and ownership of learning"]
    assert len(aims["everyone"]) == 2
    principals = next(
        q for q in data["questions"]["judgment"] if q["question"] == "buy_in_principals"
    )
    assert principals["median"] == 3 and principals["range"] == [2, 3]
    assert len(data["statements"][0]["answers"]) == 4
    # The agenda: facts to fetch first, then judgments; each with what is at stake.
    natures = [item["nature"] for item in data["agenda"]]
    assert natures == sorted(natures, key=lambda n: n != "fact") and "judgment" in natures
    assert all(item["stakes"] for item in data["agenda"])
    assert [item["step"] for item in data["agenda"]] == list(range(1, len(natures) + 1))


def test_every_bundled_question_says_fact_or_judgment(rulebook: Rulebook) -> None:
    assert {q.nature for q in rulebook.questions.values()} == {"fact", "judgment"}
    assert rulebook.questions["infrastructure"].nature == "fact"
    assert rulebook.questions["desired_variation"].nature == "judgment"


def test_consensus_session(rulebook: Rulebook, team: list[tuple[str, Session]]) -> None:
    session = consensus_session(rulebook, team)
    assert session.meta["respondent"] == "Team consensus"
    assert session.answers["schools"] == 180  # everyone agreed
    for disputed in ("desired_variation", "infrastructure", "aims", "vision_statement"):
        assert disputed not in session.answers
    note = session.notes["desired_variation"]
    assert "One consistent model: Chief academic officer." in note
    assert "Many different models: Principal representative." in note
    assert (
        "Student agency and ownership of learning: Chief academic officer" in session.notes["aims"]
    )
    assert "مسیر یادگیری 👩‍👩‍👧" in session.notes["vision_statement"]


def test_consensus_notes_name_who_answered_what_in_sentences(rulebook: Rulebook) -> None:
    """Names with commas ('Executive Director, Office of School Design') and option
    labels with commas stay apart; no option chosen by all is not 'everyone chose:
    nothing'; who did not answer is said."""

    def member(role: str, answers: dict[str, Any]) -> Session:
        session = new_session(rulebook, {"respondent": role})
        session.answers.update(answers)
        return session

    director = "Executive Director, Office of School Design"
    team = [
        (
            "Superintendent",
            member("Superintendent", {"student_mobility": "low", "aims": ["efficiency"]}),
        ),
        (director, member(director, {"student_mobility": "low", "aims": ["targeted_instruction"]})),
        ("Principal", member("Principal", {"student_mobility": "high"})),
    ]
    notes = consensus_session(rulebook, team).notes
    labels = {o.id: o.label for o in rulebook.questions["aims"].options}
    mobility = {o.id: o.label for o in rulebook.questions["student_mobility"].options}
    assert notes["student_mobility"] == (
        f"To settle. {mobility['low']}: Superintendent; and {director}. "
        f"{mobility['high']}: Principal."
    )
    assert notes["aims"] == (
        "To settle. No option was chosen by all who answered. "
        f"{labels['targeted_instruction']}: {director}. {labels['efficiency']}: Superintendent. "
        "Not answered: Principal."
    )


def test_consensus_notes_quote_free_text(rulebook: Rulebook) -> None:
    """A written answer ran into the names after it ('… every student.: Chief …')."""
    one, two = new_session(rulebook, {}), new_session(rulebook, {})
    one.answers["vision_statement"] = "Schools own their designs; we hold the promise."
    two.answers["vision_statement"] = "Every student, every school."
    note = consensus_session(rulebook, [("CAO", one), ("CFO", two)]).notes["vision_statement"]
    assert note == (
        "To settle. “Schools own their designs; we hold the promise.”: CAO. "
        "“Every student, every school.”: CFO."
    )
