from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdtight.engine import effective_answers, score, setting_index
from holdtight.model import SETTINGS, AnswerValue, Rulebook, tightness
from holdtight.rulebook import load_rulebook
from tests.helpers import examples


@pytest.fixture
def mini(make_rulebook: Callable[..., Path]) -> Rulebook:
    return load_rulebook(make_rulebook())


def test_thresholds_map_scores_to_settings_tighter_on_ties() -> None:
    t = (-3.0, -1.0, 1.0, 3.0)
    assert [SETTINGS[setting_index(t, s)] for s in (-5, -3, -2, -1, 0, 1, 2.9, 3, 9)] == [
        "loose", "lean_loose", "lean_loose", "balanced", "balanced",
        "lean_tight", "lean_tight", "tight", "tight",
    ]  # fmt: skip


def test_score_sums_fired_weights(mini: Rulebook) -> None:
    result = score(mini, {"size": 60, "team": "big"})
    d1 = result.domain("d1")
    assert d1.score == 4.0 and d1.setting == "tight"
    assert [f.rule for f in d1.because] == ["big_system", "big_team"]
    assert d1.because[0].reads == (("size", 60),)


def test_at_most_bound_clamps_and_says_so(mini: Rulebook) -> None:
    result = score(mini, {"size": 60, "team": "none"})
    d1 = result.domain("d1")
    assert d1.raw_setting == "lean_tight" and d1.setting == "balanced"
    assert d1.bound_note is not None and "no_team" in d1.bound_note


def test_conditional_question_hidden_is_ignored_with_a_warning(mini: Rulebook) -> None:
    result = score(mini, {"team": "none", "detail": "x"})
    assert result.domain("d2").score == -2.0
    assert any("detail" in w and "team == 'big'" in w for w in result.warnings)
    shown = score(mini, {"team": "big", "detail": "x"})
    assert shown.domain("d2").score == 4.0
    assert not shown.warnings


def test_conflicting_bounds_tighter_wins(make_rulebook: Callable[..., Path]) -> None:
    rules = """
        [[rule]]
        id = "floor"
        when = "team == 'big'"
        at_least = { d1 = "tight" }
        because = "Floor."
        [[rule]]
        id = "ceiling"
        when = "size > 10"
        at_most = { d1 = "loose" }
        effects = { d2 = 1.0 }
        because = "Ceiling."
    """
    book = load_rulebook(make_rulebook(**{"rules.toml": rules}))
    result = score(book, {"team": "big", "size": 20})
    d1 = result.domain("d1")
    assert d1.setting == "tight"
    assert d1.bound_note is not None and "conflict" in d1.bound_note and "tighter" in d1.bound_note


def test_unsure_counts_as_unanswered_and_lowers_confidence(mini: Rulebook) -> None:
    answered = score(mini, {"size": 60, "team": "big", "mood": 2, "aims": [], "detail": "y"})
    unsure = score(mini, {"size": "unsure", "team": "unsure", "mood": "unsure", "aims": "unsure"})
    assert answered.domain("d1").confidence == "high"
    assert unsure.domain("d1").confidence == "low"
    assert unsure.domain("d1").score == 0.0


def test_disagreeing_rules_lower_confidence(mini: Rulebook) -> None:
    # d2: big_team +1 and aim_a -2 disagree: conflict 1/3 → medium.
    result = score(mini, {"size": 60, "team": "big", "mood": 3, "aims": ["a"], "detail": "y"})
    assert result.domain("d2").confidence == "medium"


def test_levers_name_each_change_that_moves_a_setting(mini: Rulebook) -> None:
    result = score(mini, {"size": 10, "mood": 3, "aims": []})
    levers = {(lv.question, str(lv.answer), lv.setting) for lv in result.domain("d1").levers}
    assert ("team", "big", "lean_tight") in levers
    assert ("size", "50", "lean_tight") in levers  # the nearest number that moves it
    d2 = {(lv.question, str(lv.answer), lv.setting) for lv in result.domain("d2").levers}
    assert ("aims", "['a']", "lean_loose") in d2


def brute_force_levers(book: Rulebook, answers: dict[str, Any]) -> set[tuple[str, str, str]]:
    """Every single-answer change, fully rescored: the reference the engine must match."""
    base = score(book, answers, levers=False)
    found = set()
    effective = effective_answers(book, answers)
    for question in book.questions.values():
        if question.show_if is not None and not question.show_if(effective):
            continue
        current = answers.get(question.id)
        alternatives: list[AnswerValue] = []
        if question.kind == "multi":
            chosen = current if isinstance(current, list) else []
            for option in question.options:
                alternatives.append(
                    [c for c in chosen if c != option.id]
                    if option.id in chosen
                    else [*chosen, option.id]
                )
        elif question.kind != "text":
            alternatives = [v for v in book.lever_candidates[question.id] if v != current]
        for alternative in alternatives:
            changed = score(book, {**answers, question.id: alternative}, levers=False)
            for before, after in zip(base.domains, changed.domains, strict=True):
                if before.setting != after.setting:
                    found.add((before.id, question.id, after.setting))
    return found


def _answers_strategy(book: Rulebook) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for q in book.questions.values():
        if q.kind == "single":
            choice: st.SearchStrategy[Any] = st.sampled_from([o.id for o in q.options] + ["unsure"])
        elif q.kind == "multi":
            choice = st.lists(st.sampled_from([o.id for o in q.options]), unique=True)
        elif q.kind == "scale":
            choice = st.integers(int(q.min or 1), int(q.max or 5))
        elif q.kind == "number":
            choice = st.integers(int(q.min or 0), int(q.max or 100))
        else:
            continue
        fields[q.id] = st.one_of(st.none(), choice)
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


BUNDLED = load_rulebook()


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers_strategy(BUNDLED))
def test_levers_match_brute_force_on_the_bundled_rulebook(answers: dict[str, Any]) -> None:
    result = score(BUNDLED, answers)
    engine = {(d.id, lv.question, lv.setting) for d in result.domains for lv in d.levers}
    assert engine == brute_force_levers(BUNDLED, answers)


@settings(max_examples=examples(25), deadline=None)
@given(_answers_strategy(BUNDLED))
def test_vision_is_never_looser_than_lean_tight(answers: dict[str, Any]) -> None:
    assert tightness(score(BUNDLED, answers, levers=False).domain("vision").setting) >= tightness(
        "lean_tight"
    )


READINESS: dict[str, list[Any]] = {
    "principal_readiness": ["few", "some", "most"],
    "teacher_skill": ["novice", "mixed", "experienced"],
    "buy_in_principals": [1, 2, 3, 4, 5],
    "buy_in_teachers": [1, 2, 3, 4, 5],
}


@settings(max_examples=examples(20), deadline=None)
@given(_answers_strategy(BUNDLED), st.sampled_from(sorted(READINESS)))
def test_more_readiness_never_pushes_a_domain_tighter(
    answers: dict[str, Any], question: str
) -> None:
    previous = None
    for value in READINESS[question]:
        result = score(BUNDLED, {**answers, question: value}, levers=False)
        current = [tightness(d.setting) for d in result.domains]
        if previous is not None:
            assert all(now <= before for now, before in zip(current, previous, strict=True))
        previous = current


def test_posture_is_mean_normalized_score_with_label(rulebook: Rulebook) -> None:
    result = score(rulebook, {})
    assert -1.0 <= result.posture_index <= 1.0
    assert result.posture_label in ("more_centralized", "midway", "more_decentralized")


def test_engine_is_pure(rulebook: Rulebook) -> None:
    answers = {
        "schools": 40,
        "aims": ["efficiency"],
        "partners": "some",
        "knowledge_transfer": "no",
    }
    frozen = {k: (list(v) if isinstance(v, list) else v) for k, v in answers.items()}
    first = score(rulebook, answers)
    assert answers == frozen
    assert score(rulebook, answers) == first


def test_guard_rails_match_setting_and_condition(rulebook: Rulebook) -> None:
    result = score(rulebook, {"infrastructure": "uneven", "schools": 80, "procurement": "ad_hoc"})
    tech = result.domain("technology")
    assert tech.guard_rails
    assert all(tech.setting in rail.settings for rail in tech.guard_rails)
    assert "technology_close_gaps" in {rail.id for rail in tech.guard_rails}
    reliable = score(rulebook, {"infrastructure": "reliable"}).domain("technology")
    assert "technology_close_gaps" not in {rail.id for rail in reliable.guard_rails}


_raw_values = st.one_of(
    st.sampled_from(
        [
            "cmo",
            "network",
            "unsure",
            "none",
            "some",
            "heavy",
            "yes",
            "no",
            "few",
            "most",
            "bogus",
            "",
        ]
    ),
    st.integers(-5, 2500),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=3000),
    st.booleans(),
    st.none(),
    st.lists(
        st.sampled_from(
            ["efficiency", "student_agency", "equity_of_access", "bogus", "efficiency"]
        ),
        max_size=4,
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=examples(60), deadline=None)
@given(
    _answers_strategy(BUNDLED),
    st.dictionaries(
        st.sampled_from(
            [
                *list(BUNDLED.questions)[:8],
                "partners",
                "knowledge_transfer",
                "aims",
                "vision_statement",
                "nope",
            ]
        ),
        _raw_values,
        max_size=5,
    ),
)
def test_batch_fast_path_agrees_with_the_full_path(
    valid: dict[str, Any], noise: dict[str, Any]
) -> None:
    from holdtight.engine import score_raw_answers, score_settings
    from holdtight.errors import InputError
    from holdtight.sessionfile import check_answers

    for raw in (valid, {**valid, **noise}):
        quick = score_raw_answers(BUNDLED, raw)
        try:
            answers, kept, _ = check_answers(BUNDLED, raw, "x")
        except InputError:
            assert quick is None  # anything the full path reports, the fast path leaves to it
            continue
        full = score_settings(BUNDLED, answers)
        if quick is not None:
            assert quick == full
        else:
            # The fast path may decline valid input (e.g. a float answer); never wrongly.
            assert any(isinstance(v, float) for v in raw.values()) or kept
