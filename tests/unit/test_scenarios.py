"""Scenarios (earned autonomy, the road ahead) and borderline settings: the engine scores
each scenario in the same call, readiness never tightens, and every domain says how far
its score is from the edge of its band."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from holdtight.engine import score, score_settings
from holdtight.errors import RulebookError
from holdtight.model import SETTINGS, AnswerValue, Rulebook, tightness
from holdtight.reports.data import result_dict
from holdtight.reports.documents import render_report
from holdtight.reports.phrases import earned, road_ahead, setting_phrase
from holdtight.rulebook import load_rulebook
from holdtight.scenarios import scenario_answers
from holdtight.scoring import bounds, effective_answers, lean_index, margin
from holdtight.sessionfile import new_session
from tests.helpers import Cli, examples
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


@settings(max_examples=examples(25), deadline=None)
@given(_answers_strategy(BUNDLED))
def test_every_scenario_scores_as_its_answers_would(answers: dict[str, Any]) -> None:
    """The incremental scenario run equals scoring the scenario's answers outright."""
    result = score(BUNDLED, answers, levers=False)
    for i, scenario in enumerate(BUNDLED.scenarios):
        changed = scenario_answers(scenario, answers)
        direct = score(BUNDLED, changed, levers=False) if changed is not None else result
        for domain, expected in zip(result.domains, direct.domains, strict=True):
            under = domain.scenarios[i]
            assert under.id == scenario.id
            assert (under.setting, under.score) == (expected.setting, expected.score)


def test_ready_schools_overrides_the_readiness_answers(rulebook: Rulebook) -> None:
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


@settings(max_examples=examples(20), deadline=None)
@given(_answers_strategy(BUNDLED))
def test_readiness_never_tightens_any_domain(answers: dict[str, Any]) -> None:
    result = score(BUNDLED, answers, levers=False)
    readiness = {s.id for s in BUNDLED.scenarios if s.kind == "readiness"}
    assert readiness
    for domain in result.domains:
        for under in domain.scenarios:
            if under.id in readiness:
                assert tightness(under.setting) <= tightness(domain.setting), (domain.id, under)


@settings(max_examples=examples(20), deadline=None)
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


@settings(max_examples=examples(20), deadline=None)
@given(_answers_strategy(BUNDLED))
def test_borderline_is_a_small_margin_and_never_high_confidence(answers: dict[str, Any]) -> None:
    limit = BUNDLED.meta.scale.borderline
    fired, _ = BUNDLED.kernel(effective_answers(BUNDLED, answers))
    for domain in score(BUNDLED, answers, levers=False).domains:
        assert domain.margin == margin(BUNDLED.thresholds, domain.score)
        own = domain.setting == domain.raw_setting
        low, high, _, _ = bounds(BUNDLED, fired, domain.id)
        reachable = low <= lean_index(BUNDLED.thresholds, domain.score) <= high
        assert domain.borderline == (own and domain.margin < limit and reachable)
        if domain.borderline:
            assert domain.confidence != "high"
        if not domain.because:
            assert domain.confidence != "high"  # nothing moved it: only the starting point


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
    make_rulebook: Callable[..., Path],
    answers: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = make_rulebook(**{"scenarios.toml": SCENARIO.format(answers=answers)})
    monkeypatch.chdir(folder.parent)  # the file as it opens from here
    with pytest.raises(RulebookError) as error:
        load_rulebook(folder)
    text = str(error.value)
    assert "\n" not in text
    assert text.startswith(f"{folder.name}/scenarios.toml: ") and message in text, text
    assert "more" not in text
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not below the current folder: the whole path
    with pytest.raises(RulebookError) as error:
        load_rulebook(folder)
    assert str(error.value).startswith(f"{folder / 'scenarios.toml'}: ")


def test_a_bad_step_is_reported(make_rulebook: Callable[..., Path]) -> None:
    text = SCENARIO.format(answers="{ }") + 'step = { question = "team", map = { none = "x" } }\n'
    folder = make_rulebook(**{"scenarios.toml": text})
    with pytest.raises(RulebookError, match=r"field 'step.map.none': 'x' is not an option"):
        load_rulebook(folder)


def test_rules_check_warns_when_a_readiness_scenario_tightens(
    make_rulebook: Callable[..., Path], cli: Cli
) -> None:
    # 'big_team' moves d1 and d2 tighter: a readiness tier must not do that.
    folder = make_rulebook(**{"scenarios.toml": SCENARIO.format(answers='{ team = "big" }')})
    result = cli("rules", "check", str(folder))
    assert result.returncode == 0
    assert "scenario 'ready': a readiness scenario tightens domain 'd1'" in result.stderr
    assert "1 scenarios" in result.stdout and "warning(s)" in result.stdout
    calm = SCENARIO.format(answers='{ team = "none" }')
    result = cli("rules", "check", str(make_rulebook(**{"scenarios.toml": calm})))
    assert "tightens" not in result.stderr


def test_rules_test_checks_expected_scenario_settings_and_reports_unexercised(
    make_rulebook: Callable[..., Path], cli: Cli
) -> None:
    scenarios = SCENARIO.format(answers='{ team = "none" }') + (
        '[[scenario]]\nid = "other"\ntitle = "Other"\nanswers = { mood = 5 }\n'
    )
    examples = """
        [[example]]
        id = "e"
        answers = { size = 60, team = "big" }
        expect = { d1 = "tight" }
        expect_scenarios.ready = { d1 = "RESULT" }
    """
    good = make_rulebook(
        **{"scenarios.toml": scenarios, "examples.toml": examples.replace("RESULT", "balanced")}
    )
    result = cli("rules", "test", str(good))
    assert result.returncode == 0, result.stdout
    assert "scenarios an example expects settings of: 1 of 2" in result.stdout
    assert "no example exercises: other" in result.stdout
    bad = make_rulebook(**{"examples.toml": examples.replace("RESULT", "loose")})
    result = cli("rules", "test", str(bad))
    assert result.returncode == 1
    assert "d1@ready: expected loose, got balanced" in result.stdout


def test_an_example_cannot_expect_an_unknown_scenario(make_rulebook: Callable[..., Path]) -> None:
    examples = '[[example]]\nid = "e"\nanswers = {}\nexpect_scenarios.nope = { d1 = "tight" }\n'
    with pytest.raises(RulebookError, match="field 'expect_scenarios': unknown scenario 'nope'"):
        load_rulebook(make_rulebook(**{"examples.toml": examples}))


def test_csv_has_one_column_per_domain_and_scenario(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[answers]\nnope = 1\n")
    good = tmp_path / "good.toml"
    good.write_text('[answers]\nstage = "piloting"\n')
    result = cli("score", "good.toml", "bad.toml", "--format", "csv", cwd=tmp_path)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    assert "technology@ready_schools" in header and "engagement@next_stage" in header
    assert all(len(row) == len(header) for row in rows)
    data = dict(zip(header, rows[1], strict=True))
    result_json = json.loads(cli("score", "good.toml", "--format", "jsonl", cwd=tmp_path).stdout)
    for domain in result_json["domains"]:
        for under in domain["scenarios"]:
            assert data[f"{domain['id']}@{under['id']}"] == under["setting"]


def test_setting_phrase_says_which_way_a_borderline_setting_leans(rulebook: Rulebook) -> None:
    result = score(rulebook, EXAMPLE, levers=False)
    domain = result.domains[0]
    t = rulebook.thresholds
    near_tight = domain._replace(setting="balanced", raw_setting="balanced", score=t[2] - 0.5)
    near_tight = near_tight._replace(borderline=True, margin=0.5)
    assert setting_phrase(rulebook, near_tight) == "Balanced, close to lean tight"
    near_loose = near_tight._replace(score=t[1])
    assert setting_phrase(rulebook, near_loose) == "Balanced, close to lean loose"
    assert setting_phrase(rulebook, near_tight._replace(borderline=False)) == "Balanced"


def test_road_ahead_and_what_earns_it_use_labels_and_titles(rulebook: Rulebook) -> None:
    result = score(rulebook, EXAMPLE, levers=False)
    ids = set(SETTINGS)
    seen_earned = False
    for domain in result.domains:
        road = road_ahead(rulebook, domain)
        assert road.startswith(f"Now: {rulebook.setting_label(domain.setting)} → ")
        assert "Schools that meet the readiness bar: " in road
        assert "The next stage of the rollout: " in road
        assert not any(f": {setting}" in road for setting in ids - {"balanced"})
        for item in earned(rulebook, domain):
            seen_earned = True
            assert item.criteria and item.setting in {s.label for s in rulebook.meta.scale.settings}
    assert seen_earned


def test_markdown_report_shows_the_road_ahead_and_borderline(rulebook: Rulebook) -> None:
    session = new_session(rulebook)
    session.answers.update(EXAMPLE)
    text = render_report(rulebook, session, "md")
    assert "**Road ahead.** Now: " in text and "**What earns a looser setting.** " in text
    result = score(rulebook, EXAMPLE, levers=False)
    for domain in result.domains:
        if domain.borderline:
            assert f"borderline: {setting_phrase(rulebook, domain)}" in text
    assert any(domain.borderline for domain in result.domains)
    html = render_report(rulebook, session, "html")
    assert "<b>Road ahead.</b> Now: " in html
    assert "<b>What earns a looser setting.</b> " in html


def test_the_rulebook_schema_knows_scenarios_and_borderline(cli: Cli) -> None:
    data = json.loads(cli("schema", "--rulebook").stdout)
    assert data["properties"]["scenario"]["items"] == {"$ref": "#/$defs/ScenarioDef"}
    scenario = data["$defs"]["ScenarioDef"]
    assert {"id", "title", "criteria", "answers", "kind", "step"} <= set(scenario["properties"])
    assert scenario["properties"]["kind"]["enum"] == ["readiness", "road_ahead"]
    assert "expect_scenarios" in data["$defs"]["ExampleDef"]["properties"]
    assert "borderline" in data["$defs"]["Scale"]["properties"]
