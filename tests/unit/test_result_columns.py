"""Whole results as columns (`holdtight.result_columns`, the batch JSON path) are the
engine's, byte for byte: every record is what `reports.data.result_dict` makes of
`engine.score(…, levers=True)` for that answer set alone, written by
`parsing.dumps_json_bytes` (levers, scenarios, reasons, guard rails, notes, warnings,
confidence and borderline included). On the bundled rulebook and on small random
rulebooks (random scenarios, shown-if chains, bounds) that are not in the repository."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from holdtight.engine import score
from holdtight.parsing import dumps_json_bytes
from holdtight.reports.data import result_dict
from holdtight.result_columns import ResultColumns
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from tests.helpers import examples
from tests.unit.test_formats_agree import cases, loaded


def _same(results: ResultColumns, tables: list[dict[str, Any]], warning: str | None = None) -> int:
    """Hold every table valid as it stands to the engine; how many were."""
    rulebook = results.rulebook
    rows = [(k, results.row(table)) for k, table in enumerate(tables)]
    kept = [(k, row) for k, row in rows if row is not None]
    if not kept:
        return 0
    sources = [f"answers/{k}.toml" for k, _ in kept]
    metas: list[dict[str, Any]] = [
        {"organization": f"School {k}", "respondent": "Principal"} if k % 3 else {} for k, _ in kept
    ]
    records, counts = results.records(
        *results.encode([row for _, row in kept]),
        sources,
        metas,
        [warning if k % 2 else None for k, _ in kept],
    )
    done = 0
    for (k, _), record, count, source, meta in zip(
        kept, records, counts, sources, metas, strict=True
    ):
        if record is None:
            continue
        want = score(rulebook, tables[k])
        if k % 2 and warning:
            want = want._replace(warnings=(warning, *want.warnings))
        expected = dumps_json_bytes(result_dict(want, source=source, meta=meta))
        assert b"".join(record) == expected, (k, tables[k])
        assert count == len(want.warnings)
        done += 1
    return done


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), data=st.data())
def test_records_equal_the_engine_on_random_rulebooks(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]], data: st.DataObject
) -> None:
    book, files = case
    rulebook = loaded(book)
    results = ResultColumns(rulebook)
    event(f"supported: {results.supported}")
    if not results.supported:
        return
    tables = [dict(f) for f in files]
    for table in list(tables):  # and some answers taken back or made "not sure"
        changed = dict(table)
        for name in data.draw(st.lists(st.sampled_from(list(rulebook.questions)), max_size=3)):
            if data.draw(st.booleans()):
                changed.pop(name, None)
            elif rulebook.questions[name].kind != "text":
                changed[name] = "unsure"
        tables.append(changed)
    _same(results, tables, warning="a warning of the file's own")


def test_records_equal_the_engine_on_the_bundled_rulebook() -> None:
    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    assert results.supported
    rng = random.Random(12)
    tables = [random_answers(rulebook, rng, unsure=0.15) for _ in range(700)]
    for table in tables[::3]:  # unanswered questions
        for name in rng.sample(list(table), 6):
            del table[name]
    for table in tables[::5]:  # a hidden question answered: a warning
        table["partners"] = "none"
        table["knowledge_transfer"] = "yes"
    for table in tables[::7]:  # numbers at and around the rules' cut-offs
        table["schools"] = rng.choice([1, 2, 4, 5, 6, 19, 20, 21, 99, 100, 101, 2000])
    for table in tables[1::4]:  # every option of the multiple choice, or none
        table["aims"] = rng.choice(
            [[], "unsure", [o.id for o in rulebook.questions["aims"].options]]
        )
    assert _same(results, tables, warning="rulebook changed since") == len(tables)


def test_tables_the_engine_must_check_take_the_full_path() -> None:
    """A value not valid as it stands, or ticks out of the options' order (the record
    shows the list as given), is left to the engine."""
    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    base = random_answers(rulebook, random.Random(3))
    options = [o.id for o in rulebook.questions["aims"].options]
    assert results.row({**base, "aims": options[:2]}) is not None
    for odd in (
        {"aims": options[1::-1]},  # reversed
        {"aims": [options[0], options[0]]},
        {"schools": True},
        {"schools": 12.5},
        {"stage": "cmo"},
        {"nosuch": 1},
    ):
        row = results.row({**base, **odd})
        # (an option of another question passes `row`: `encode` finds it out)
        assert row is None or results.records(*results.encode([row]), ["x"], [{}], [None])[0] == [
            None
        ], odd


@pytest.mark.parametrize("dense", [True, False])
def test_pieces_kept_beyond_their_budget_start_again(
    monkeypatch: pytest.MonkeyPatch, dense: bool
) -> None:
    """Kept pieces are bounded: past their budget of bytes a kind's pieces are made
    again (by dictionary, and by table where the keys are few), and the records do not
    change."""
    from holdtight import result_columns

    monkeypatch.setattr(result_columns, "_PIECES_BUDGET", 1)  # every chunk starts again
    if not dense:
        monkeypatch.setattr(result_columns, "_DENSE_LIMIT", 0)  # every kind by dictionary
    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    assert bool(results._dense) is dense
    rng = random.Random(5)
    for _ in range(2):
        tables = [random_answers(rulebook, rng, unsure=0.2) for _ in range(40)]
        assert _same(results, tables) == len(tables)
        rows = [results.row(table) for table in tables]
        records, _ = results.records(*results.encode(rows), ["x"] * 40, [{}] * 40, [None] * 40)  # type: ignore[arg-type]
        written = b"\n".join(b"".join(record) for record in records)  # type: ignore[arg-type]
        # What is kept was made for this chunk: nothing of the one before.
        for table in results._dense.values():
            assert all(piece.lstrip(b",") in written for piece in table.made)
        for kind in ("because", "lever", "scenario"):
            kept = results._pieces[kind].pieces.values()
            assert all(piece.lstrip(b",") in written for piece in kept)


def test_a_hash_collision_never_mixes_two_answer_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are told apart by a hash and then compared: with a hash that makes every row
    collide, each row is looked up on its own, and the records do not change."""
    import numpy as np

    from holdtight import result_columns

    monkeypatch.setattr(result_columns, "_MIX", np.uint64(0))  # every row hashes to 0
    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    rng = random.Random(6)
    tables = [random_answers(rulebook, rng, unsure=0.2) for _ in range(40)]
    assert _same(results, tables) == len(tables)


def test_scores_beyond_the_keys_reach_take_the_full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from holdtight import result_columns

    monkeypatch.setattr(result_columns, "_UNITS_OFFSET", 1)  # every score is beyond it
    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    tables = [random_answers(rulebook, random.Random(k)) for k in range(5)]
    rows = [results.row(table) for table in tables]
    records, _ = results.records(*results.encode(rows), ["x"] * 5, [{}] * 5, [None] * 5)  # type: ignore[arg-type]
    assert records == [None] * 5


def test_a_scenario_score_beyond_the_keys_reach_takes_the_full_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scenario's score counts too: it is a key of its item (`_scenarios`)."""
    import numpy as np

    from holdtight import result_columns

    rulebook = load_rulebook()
    results = ResultColumns(rulebook)
    rows = [results.row(random_answers(rulebook, random.Random(0)))]
    codes, ok = results.scorer.encode(rows)  # type: ignore[arg-type]
    scored = results.scorer.score_codes(codes, ok)
    assert scored.scenario_totals is not None
    highest = int(np.abs(scored.totals).max())
    assert max(int(np.abs(t).max()) for t in scored.scenario_totals) > highest
    monkeypatch.setattr(result_columns, "_UNITS_OFFSET", highest + 1)
    records, _ = results.records(*results.encode(rows), ["x"], [{}], [None])  # type: ignore[arg-type]
    assert records == [None]
