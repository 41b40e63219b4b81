"""Scenarios (earned autonomy, the road ahead) and borderline settings: the engine scores
each scenario in the same call, readiness never tightens, and every domain says how far
its score is from the edge of its band."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from holdtight.engine import score, score_settings
from holdtight.errors import RulebookError
from holdtight.model import SETTINGS, AnswerValue, Rulebook, tightness
from holdtight.reports.data import result_dict
from holdtight.rulebook import load_rulebook
from holdtight.scoring import margin
from tests.unit.test_engine import BUNDLED, _answers_strategy

EXAMPLE: dict[str, AnswerValue] = {
    "system_type": "traditional_district",
    "schools": 40,
    "stage": "piloting",
    "principal_readiness": "some",
    "teacher_skill": "mixed",
}


def test_bundled_rulebook_has_the_scenarios_issue_12_asks_for(rulebook: Rulebook) -> None:
    ids = [s.id for s in rulebook.scenarios]
    assert "ready_schools" in ids and "next_stage" in ids
    kinds = {s.id: s.kind for s in rulebook.scenarios}
    assert kinds["ready_schools"] == "readiness" and kinds["next_stage"] == "road_ahead"
    assert all(s.criteria and s.title and s.description for s in rulebook.scenarios)


def test_each_domain_carries_every_scenario_in_rulebook_order(rulebook: Rulebook) -> None:
    result = score(rulebook, EXAMPLE)
    ids = [s.id for s in rulebook.scenarios]
    assert [s.id for s in result.scenarios] == ids
    for domain in result.domains:
        assert [s.id for s in domain.scenarios] == ids
        assert all(s.setting in SETTINGS for s in domain.scenarios)


def test_a_scenario_scores_as_its_answers_would(rulebook: Rulebook) -> None:
    ready = next(s for s in rulebook.scenarios if s.id == "ready_schools")
    direct = score(rulebook, {**EXAMPLE, **ready.answers}, levers=False)
    result = score(rulebook, EXAMPLE)
    for domain, expected in zip(result.domains, direct.domains, strict=True):
        under = next(s for s in domain.scenarios if s.id == "ready_schools")
        assert (under.setting, under.score) == (expected.setting, expected.score)


def test_next_stage_moves_the_stage_one_step_and_stops_at_the_last(rulebook: Rulebook) -> None:
    for stage, following in (("piloting", "scaling"), ("scaling", "systemwide")):
        result = score(rulebook, {**EXAMPLE, "stage": stage}, levers=False)
        direct = score(rulebook, {**EXAMPLE, "stage": following}, levers=False)
        for domain, expected in zip(result.domains, direct.domains, strict=True):
            under = next(s for s in domain.scenarios if s.id == "next_stage")
            assert under.setting == expected.setting
    for last in ("systemwide", "unsure", None):
        answers = {k: v for k, v in EXAMPLE.items() if k != "stage"}
        if last is not None:
            answers["stage"] = last
        result = score(rulebook, answers, levers=False)
        for domain in result.domains:
            under = next(s for s in domain.scenarios if s.id == "next_stage")
            assert (under.setting, under.score) == (domain.setting, domain.score)


@settings(max_examples=60, deadline=None)
@given(_answers_strategy(BUNDLED))
def test_readiness_never_tightens_any_domain(answers: dict[str, Any]) -> None:
    result = score(BUNDLED, answers, levers=False)
    readiness = {s.id for s in BUNDLED.scenarios if s.kind == "readiness"}
    assert readiness
    for domain in result.domains:
        for under in domain.scenarios:
            if under.id in readiness:
                assert tightness(under.setting) <= tightness(domain.setting), (domain.id, under)


@settings(max_examples=40, deadline=None)
@given(_answers_strategy(BUNDLED))
def test_settings_only_gives_the_same_scenario_settings(answers: dict[str, Any]) -> None:
    full = score(BUNDLED, answers, levers=False)
    quick = score_settings(BUNDLED, answers)
    for i, _scenario in enumerate(BUNDLED.scenarios):
        assert quick.scenarios[i] == tuple(d.scenarios[i].setting for d in full.domains)


def test_margin_is_the_distance_to_the_nearest_threshold_of_the_band() -> None:
    t = (-4.0, -1.5, 1.5, 4.0)
    assert margin(t, 0.0) == 1.5
    assert margin(t, 1.0) == 0.5
    assert margin(t, 1.5) == 0.0  # on a threshold: the tighter band, at its edge
    assert margin(t, -2.0) == 0.5
    assert margin(t, 9.0) == 5.0  # tight: one threshold below
    assert margin(t, -10.0) == 6.0  # loose: one threshold above


@settings(max_examples=60, deadline=None)
@given(_answers_strategy(BUNDLED))
def test_borderline_is_a_small_margin_and_never_high_confidence(answers: dict[str, Any]) -> None:
    limit = BUNDLED.meta.scale.borderline
    for domain in score(BUNDLED, answers, levers=False).domains:
        assert domain.margin == margin(BUNDLED.thresholds, domain.score)
        own = domain.setting == domain.raw_setting
        assert domain.borderline == (own and domain.margin < limit)
        if domain.borderline:
            assert domain.confidence != "high"


def test_json_has_margin_borderline_and_scenarios(rulebook: Rulebook) -> None:
    data = result_dict(score(rulebook, EXAMPLE))
    top = data["scenarios"]
    assert [s["id"] for s in top] == [s.id for s in rulebook.scenarios]
    assert set(top[0]) == {"id", "title", "description", "criteria"}
    assert isinstance(top[0]["criteria"], list)
    for domain in data["domains"]:
        assert isinstance(domain["margin"], float) and isinstance(domain["borderline"], bool)
        assert [set(s) for s in domain["scenarios"]] == [{"id", "title", "setting", "score"}] * len(
            top
        )


SCENARIO = """
    [[scenario]]
    id = "ready"
    kind = "readiness"
    title = "Ready"
    criteria = ["Ready."]
    answers = {answers}
"""


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ('{ nope = "x" }', "scenario 'ready', field 'answers.nope': unknown question"),
        ('{ team = "huge" }', "scenario 'ready', field 'answers.team': 'huge' is not an option"),
        ("{ }", "scenario 'ready': has no answers and no step"),
    ],
)
def test_a_bad_scenario_is_one_line_naming_file_scenario_and_field(
    make_rulebook: Callable[..., Path], answers: str, message: str
) -> None:
    folder = make_rulebook(**{"scenarios.toml": SCENARIO.format(answers=answers)})
    with pytest.raises(RulebookError) as error:
        load_rulebook(folder)
    text = str(error.value)
    assert "\n" not in text
    assert text.startswith("rb/scenarios.toml: ") and message in text, text
    assert "more" not in text


def test_a_bad_step_is_reported(make_rulebook: Callable[..., Path]) -> None:
    text = SCENARIO.format(answers="{ }") + 'step = { question = "team", map = { none = "x" } }\n'
    folder = make_rulebook(**{"scenarios.toml": text})
    with pytest.raises(RulebookError, match=r"field 'step.map.none': 'x' is not an option"):
        load_rulebook(folder)
