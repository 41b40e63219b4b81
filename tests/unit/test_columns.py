"""Scoring as columns (`holdtight.columns`, the batch CSV path) gives what the engine
gives each answer set alone (`engine.score_raw_answers`): settings, posture, warnings and
scenarios, or None (the full path) for an answer not valid as it stands. On the bundled
rulebook and on small random rulebooks (random scenarios, shown-if chains, bounds) that
are not in the repository, with values a parser or a caller may hand it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from holdtight.columns import MAX_COMPONENT, ColumnScorer
from holdtight.engine import score_raw_answers
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from tests.helpers import examples
from tests.unit.test_formats_agree import cases, loaded, write_rulebook

# What a file or an API caller may give instead of a valid answer.
ODD = [True, False, 1.0, 2.5, -1, 10**30, "", "zzz", "UNSURE", [], ["o0", "o0"], ["zzz"], {}, None]


def _same(scorer: ColumnScorer, tables: list[dict[str, Any]]) -> None:
    rulebook = scorer.rulebook
    got = scorer.score(tables)
    want = [score_raw_answers(rulebook, table) for table in tables]
    assert got == want
    # The CSV cells of settings are the settings and scenario settings, in order.
    rows = [(row, one) for row, one in zip(map(scorer.row, tables), want, strict=True) if row]
    if not rows:
        return
    scored = scorer.score_codes(*scorer.encode([row for row, _ in rows]))
    cells = scorer.settings_cells(scored)
    for k, (_, one) in enumerate(rows):
        if scored.ok[k]:
            assert one is not None
            assert cells[k] == ",".join((*one.settings, *(s for run in one.scenarios for s in run)))
        else:
            assert one is None  # a value of another question: the full path says so


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), data=st.data())
def test_columns_equal_the_engine_on_random_rulebooks(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]], data: st.DataObject
) -> None:
    book, files = case
    rulebook = loaded(book)
    scorer = ColumnScorer(rulebook)
    reads_text = any(
        rulebook.questions[name].kind == "text" for rule in rulebook.rules for name in rule.reads
    ) or any(
        rulebook.questions[name].kind == "text"
        for q in rulebook.conditional
        for name in (q.id, *q.show_if_reads)
    )
    # What this rulebook set can lack: a rule or shown-if reading a text answer, or one
    # depending on more combinations of answers than a table holds (shown-if chains of
    # multiple choices).
    too_many = any(
        scorer._size(scorer._basis(reads)) > MAX_COMPONENT
        for reads in (
            *(rule.reads for rule in rulebook.rules if rule.reads),
            *((q.id,) for q in rulebook.conditional),
        )
    )
    assert scorer.supported is not (reads_text or too_many)
    event(f"columns supported: {scorer.supported}")
    if not scorer.supported:
        return
    tables = [dict(f) for f in files]
    for table in list(tables):  # and each with one odd value, or an unknown key
        odd = dict(table)
        key = data.draw(st.sampled_from([*rulebook.questions, "nosuch"]))
        odd[key] = data.draw(st.sampled_from(ODD))
        tables.append(odd)
    _same(scorer, tables)


def test_columns_equal_the_engine_on_the_bundled_rulebook() -> None:
    rulebook = load_rulebook()
    scorer = ColumnScorer(rulebook)
    assert scorer.supported
    rng = random.Random(11)
    tables = [random_answers(rulebook, rng, unsure=0.15) for _ in range(600)]
    for table in tables[::3]:  # unanswered questions, a hidden question answered
        for name in rng.sample(list(table), 4):
            del table[name]
    for table in tables[::5]:
        table["partners"] = "none"
        table["knowledge_transfer"] = "yes"
    odd = []
    for k, value in enumerate(ODD * 3):
        table = dict(tables[k])
        table[rng.choice([*rulebook.questions, "nosuch"])] = value
        odd.append(table)
    _same(scorer, tables + odd)
    assert sum(r is None for r in scorer.score(odd)) >= len(ODD)  # most go the full path


def test_numbers_must_be_ints_and_options_exact() -> None:
    """`True == 1` and `2.0 == 2` as dictionary keys; the per-file check refuses both."""
    rulebook = load_rulebook()
    scorer = ColumnScorer(rulebook)
    base = random_answers(rulebook, random.Random(2))
    tables = [
        {**base, "schools": True},
        {**base, "schools": 12.0},
        {**base, "buy_in_teachers": 3.0},
        {**base, "schools": 12},
        {**base, "aims": ["efficiency", "efficiency"]},
        {**base, "aims": "efficiency"},
        {**base, "stage": ["piloting"]},
        {**base, "stage": None},
        {**base, "stage": "cmo"},  # an option of another question
    ]
    got = scorer.score(tables)
    assert [r is None for r in got] == [True, True, True, False, True, True, True, True, True]
    _same(scorer, tables)


def test_a_rule_reading_a_text_answer_is_left_to_the_engine(tmp_path: Path) -> None:
    book = {
        "questions": [{"id": "q0", "kind": "text"}, {"id": "q1", "kind": "single"}],
        "domains": [0.0],
        "rules": [{"id": "r0", "when": "q0 == 'hello'", "effects": {"d0": 1.0}}],
        "scenarios": [],
    }
    write_rulebook(tmp_path / "rb", book)
    assert not ColumnScorer(load_rulebook(tmp_path / "rb")).supported
    book["rules"][0]["when"] = "q1 == 'o1'"
    write_rulebook(tmp_path / "rb2", book)
    assert ColumnScorer(load_rulebook(tmp_path / "rb2")).supported


def test_too_many_shared_codes_is_left_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Number questions of thousands of whole values each would make the table from
    shared codes large (questions × values): past `MAX_SHARED`, not supported."""
    from holdtight import columns

    rulebook = load_rulebook()
    assert ColumnScorer(rulebook).supported
    monkeypatch.setattr(columns, "MAX_SHARED", 1000)  # the bundled: 34 × ~2,000
    assert not ColumnScorer(rulebook).supported


def test_the_clamp_table_is_scoring_clamp_on_every_bound() -> None:
    """Bounds travel as bits (`_bound_bits`) and are read back by one table: for every
    floor and ceiling the rules can set, and every raw setting, it is `scoring.clamp`."""
    from itertools import combinations

    from holdtight.columns import _bound_bits, _clamp_table
    from holdtight.scoring import TIGHTEST, clamp

    table = _clamp_table()
    levels = range(TIGHTEST + 1)
    for floors in (c for k in range(3) for c in combinations(levels, k)):
        for ceilings in (c for k in range(3) for c in combinations(levels, k)):
            bits = 0
            for level in floors:
                bits |= _bound_bits(low=level)
            for level in ceilings:
                bits |= _bound_bits(high=level)
            low, high = max(floors, default=0), min(ceilings, default=TIGHTEST)
            for raw in levels:
                assert table[bits * (TIGHTEST + 1) + raw] == clamp(raw, low, high)


@st.composite
def _near_a_half(draw: st.DrawFn) -> float:
    """A value whose ten-thousandths end in a half, or a float or two beside one."""
    import math

    value = (draw(st.integers(-10_000, 9_999)) + 0.5) / 10_000
    for _ in range(draw(st.integers(0, 3))):
        value = math.nextafter(value, draw(st.sampled_from([-2.0, 2.0])))
    return value


@given(
    st.lists(
        st.floats(-1, 1)
        | _near_a_half()
        | st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.00005, -0.00005, 0.99995, float("nan")]),
        max_size=50,
    )
)
def test_rounding_a_column_is_rounding_each_value(values: list[float]) -> None:
    """`rounded_4` is Python's `round(value, 4)`, float for float (sign of zero too)."""
    import math

    import numpy as np

    from holdtight.columns import rounded_4

    got = rounded_4(np.array(values, dtype=np.float64)).tolist()
    want = [round(value, 4) for value in values]
    assert [(math.copysign(1, g), g) if g == g else "nan" for g in got] == [
        (math.copysign(1, w), w) if w == w else "nan" for w in want
    ]
