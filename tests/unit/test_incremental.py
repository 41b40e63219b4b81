"""The engine's shortcuts equal scoring outright, on small random rulebooks that are not
in the repository: scenarios scored incrementally (only the rules that read a changed
question, or a full run when visibility changes) equal scoring the scenario's answers;
levers found from the per-question tables (kept with the rulebook across sessions, or
built ahead by `prepare`) equal rescoring every single-answer change."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdtight.codegen import scenario_check
from holdtight.engine import prepare, score, score_settings
from holdtight.model import SETTINGS, Rulebook, settle
from holdtight.rulebook import load_rulebook
from holdtight.scenarios import _decides_shown, scenario_answers
from holdtight.scenarios import _Plans as _ScenarioPlans
from holdtight.scoring import band, effective_answers, setting_index
from holdtight.sessionfile import check_answers
from tests.helpers import examples
from tests.unit.test_engine import brute_force_levers
from tests.unit.test_formats_agree import cases, loaded


def _load(book: dict[str, Any], files: list[dict[str, Any]]) -> tuple[Rulebook, list[Any]]:
    rulebook = loaded(book)
    return rulebook, [check_answers(rulebook, raw, "x")[0] for raw in files]


_SLOW = settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _kernel_totals_are_settled_sums(rulebook: Rulebook, answers: Any) -> None:
    """The generated kernel rounds its totals with `model.settle`'s constants, spelled
    out in the code it generates: each total equals `settle` of the bias plus the weights
    of the rules that fired."""
    position = rulebook.domain_positions
    fired, scores = rulebook.kernel(effective_answers(rulebook, answers))
    totals = [domain.bias for domain in rulebook.domains]
    for rule, on in zip(rulebook.rules, fired, strict=True):
        for domain_id, weight in rule.effects if on else ():
            totals[position[domain_id]] += weight
    assert scores == [settle(total) for total in totals], answers


@_SLOW
@given(case=cases())
def test_incremental_scenarios_equal_scoring_their_answers(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    rulebook, sessions = _load(*case)
    for answers in sessions:
        _kernel_totals_are_settled_sums(rulebook, answers)
        result = score(rulebook, answers, levers=False)
        quick = score_settings(rulebook, answers)
        assert len(quick.scenarios) == len(rulebook.scenarios)
        for k, scenario in enumerate(rulebook.scenarios):
            changed = scenario_answers(scenario, answers)
            direct = score(rulebook, changed, levers=False) if changed is not None else result
            outright = [(d.setting, d.score) for d in direct.domains]
            assert [(d.scenarios[k].setting, d.scenarios[k].score) for d in result.domains] == (
                outright
            ), (case, k)
            assert list(quick.scenarios[k]) == [setting for setting, _ in outright], (case, k)


@_SLOW
@given(case=cases(), ahead=st.booleans())
def test_levers_equal_rescoring_every_change_on_random_rulebooks(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]], ahead: bool
) -> None:
    rulebook, sessions = _load(*case)
    if ahead:
        prepare(rulebook)
    # Twice over: the second pass reads the tables the first one kept.
    for answers in [*sessions, *sessions]:
        result = score(rulebook, answers)
        found = {
            (d.id, lever.question, lever.setting) for d in result.domains for lever in d.levers
        }
        assert found == brute_force_levers(rulebook, answers), (case, answers)


@given(
    st.lists(st.integers(-20, 20).map(lambda n: n / 4), min_size=4, max_size=4).map(sorted),
    st.integers(-40, 40).map(lambda n: n / 8),
    st.integers(-40, 40).map(lambda n: n / 8),
)
def test_band_holds_exactly_the_scores_of_the_same_setting(
    thresholds: list[float], score_: float, other: float
) -> None:
    t = (thresholds[0], thresholds[1], thresholds[2], thresholds[3])
    low, high = band(t, score_)
    assert low <= score_ < high
    assert (low <= other < high) == (setting_index(t, other) == setting_index(t, score_))
    assert SETTINGS[setting_index(t, score_)]


def test_kept_items_keep_the_type_of_an_answer() -> None:
    """Items kept for the next session (reasons, scenario settings) are found by value
    and type: an answer of 40.0 is shown as 40.0 even after one of 40, and back."""
    book = load_rulebook()
    for first, second in ((40, 40.0), (40.0, 40)):
        score(book, {"schools": first})
        reads = {
            value
            for domain in score(book, {"schools": second}).domains
            for fired in domain.because
            for name, value in fired.reads
            if name == "schools"
        }
        assert reads and all(type(value) is type(second) for value in reads)


@_SLOW
@given(case=cases())
def test_generated_scenario_checks_flip_what_rescoring_flips(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    """The kernel's code for a scenario (`codegen.scenario_check`) names exactly the rules
    that fire differently when the scenario's answers are scored outright, and which way,
    whenever the engine uses it (no question it changes decides what is shown)."""
    rulebook, sessions = _load(*case)
    for k, scenario in enumerate(rulebook.scenarios):
        check = scenario_check(rulebook.kernel, k)
        keys = [*scenario.answers, *([scenario.step[0]] if scenario.step else [])]
        if check is None or any(_decides_shown(rulebook, key) for key in keys):
            continue
        for answers in sessions:
            effective = effective_answers(rulebook, answers)
            fired, _ = rulebook.kernel(effective)
            changed = scenario_answers(scenario, answers)
            now = rulebook.kernel(effective_answers(rulebook, changed))[0] if changed else fired
            expected = 0
            for i, (before, after) in enumerate(zip(fired, now, strict=True)):
                if before != after:
                    expected |= 1 << (2 * i + after)
            assert check(effective, fired) == expected, (case, k, answers)


def test_every_scenario_of_the_bundled_rulebook_has_generated_code() -> None:
    """The bundled rulebook's scenarios are all scored from the kernel's code (a change
    that lost it would only show as a slower batch)."""
    rulebook = load_rulebook()
    assert rulebook.scenarios
    plans = _ScenarioPlans(rulebook)
    assert all(plan.check is not None for plan in plans.plans)
    for k in range(len(rulebook.scenarios)):
        assert scenario_check(rulebook.kernel, k) is not None


def test_a_total_that_equals_a_threshold_as_written_agrees_on_every_path(
    no_cache: None,
) -> None:
    """0.7 - 0.2 is 0.49999999999999994 in floating point, and lean_tight starts at 0.5:
    the kernel, a lever and a scenario all take it as 0.5, lean tight (`model.settle`),
    whichever order the weights are added in."""
    book = {
        "questions": [{"id": "q0", "kind": "single"}, {"id": "q1", "kind": "single"}],
        "domains": [0.0],
        "rules": [
            {"id": "r0", "when": "answered(q0)", "effects": {"d0": 0.7}},
            {"id": "r1", "when": "q1 == 'o0'", "effects": {"d0": -0.2}},
        ],
        "scenarios": [{"id": "sc0", "answers": {"q1": "o0"}}],
    }
    rulebook, (alone, both) = _load(book, [{"q0": "o0"}, {"q0": "o0", "q1": "o0"}])
    outright = score(rulebook, both, levers=False).domains[0]
    assert (outright.setting, outright.score) == ("lean_tight", 0.5)
    result = score(rulebook, alone)
    assert result.domains[0].setting == "lean_tight"
    # Answering q1 'o0' adds -0.2 to 0.7: still lean tight, so not a lever.
    assert not any(lever.question == "q1" for lever in result.domains[0].levers)
    assert brute_force_levers(rulebook, alone) == {
        (d.id, lever.question, lever.setting) for d in result.domains for lever in d.levers
    }
    ahead = result.domains[0].scenarios[0]
    assert (ahead.setting, ahead.score) == ("lean_tight", 0.5)
    assert score_settings(rulebook, alone).scenarios[0] == ("lean_tight",)


def test_a_score_just_under_a_threshold_is_shown_as_it_is(no_cache: None) -> None:
    """0.7 - 0.20001 is 0.49999, balanced: shown as 0.49999 with its margin, not rounded
    to a 0.5 that would read as lean tight."""
    book = {
        "questions": [{"id": "q0", "kind": "single"}, {"id": "q1", "kind": "single"}],
        "domains": [0.0],
        "rules": [
            {"id": "r0", "when": "answered(q0)", "effects": {"d0": 0.7}},
            {"id": "r1", "when": "answered(q1)", "effects": {"d0": -0.20001}},
        ],
        "scenarios": [],
    }
    rulebook, (answers,) = _load(book, [{"q0": "o0", "q1": "o0"}])
    domain = score(rulebook, answers).domains[0]
    assert (domain.setting, domain.score, domain.margin) == ("balanced", 0.49999, 0.00001)
