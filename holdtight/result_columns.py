"""Whole results, levers included, for many answer sets at once: the batch JSON path.
Pure: no I/O, no clock.

For each answer table valid as it stands (`columns.ColumnScorer.row`; a multiple
choice's ticks in the order of its options, as the TUI and `template` write them), the
JSON record that `reports.data.result_dict` makes of `engine.score(…, levers=True)`,
written as bytes. The tests hold every record to the engine's, byte for byte, on the
bundled rulebook and on random ones.

How. The column scorer, with details, gives each answer set's scores, bounds, scenario
scores, hidden-question warnings, which rules fire, which shown-if questions are shown
and which guard rails' `when` hold, as columns. A lever is a scenario of one answer:
for each question and each other answer worth trying (`Rulebook.lever_candidates`, or
an option of a multiple choice ticked or unticked) only the groups of tables that read
the question are looked up again, and every answer set whose setting moves in a domain
gets that lever: a brute-force rescoring of every answer set at once. What a record
shows is then a choice among pieces of JSON, each written once by
`parsing.dumps_json_bytes` and kept, by a key computed for all answer sets at once: a
rule that fired with the answers it read, a lever, a scenario's setting and score, a
domain's guard rails. A domain's head (setting, score, confidence, margin, borderline)
is made by the engine's own functions (`engine.closeness`, `engine.confidence_of`) and
kept by what they read; a bound note (rare) by `engine.bound_note`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from holdtight.columns import CEILINGS, FLOORS, ColumnScorer, Ints, _find
from holdtight.engine import bound_note, closeness, confidence_of, domain_plans
from holdtight.model import SCORE_UNITS, SETTINGS, FiredRule, Lever, Rulebook, ScenarioSetting
from holdtight.parsing import dumps_json_bytes
from holdtight.reports.data import (
    domain_opening,
    fired_item,
    lever_item,
    result_opening,
    scenario_item,
    scenario_setting_item,
)
from holdtight.scoring import setting_index

_PIECES_BUDGET = 8 << 20
"""Bytes of pieces of JSON kept per kind; beyond, the kind starts again (number answers
and scores vary without end): memory stays bounded however many inputs."""
_UNITS_OFFSET = 1 << 40
"""Scores in whole millionths, made positive for keys (a score beyond ±1,099,511
points takes the full path)."""
_DENSE_LIMIT = 1 << 22
"""Keys of a kind of piece from which they are kept in a dictionary, not a table."""
_MIX = np.uint64(0x9E3779B97F4A7C15)
"""The multiplier of the rows' hash (`_cell_found`): odd, its bits well spread."""
_MAX_RAIL_BITS = 48  # guard rails with a `when`, as bits of an int64 key
_WIDTH = len(SETTINGS)
_BOUND_CODES = 256  # a domain's bounds: a byte (`columns._bound_bits`)
_CONFIDENCE_CODES = 9  # a domain's confidences, not borderline and borderline (`_confidences`)
_HEAD_CODES = _BOUND_CODES * _CONFIDENCE_CODES


class _Kept:
    """Pieces kept by key, up to `_PIECES_BUDGET` bytes; past it, they start again."""

    def __init__(self) -> None:
        self.pieces: dict[Any, Any] = {}
        self.held = 0

    def __len__(self) -> int:
        return len(self.pieces)

    def get(self, key: Any) -> Any:
        return self.pieces.get(key)

    def put(self, key: Any, piece: Any) -> Any:
        if self.held >= _PIECES_BUDGET:
            self.pieces.clear()
            self.held = 0
        self.pieces[key] = piece
        self.held += _held(key) + _held(piece)
        return piece


def _held(value: Any) -> int:
    """About the bytes a kept key or piece takes (its object and its dict entry)."""
    return 100 + len(value) if value.__class__ is bytes else 100


class _DensePieces:
    """Pieces by key where the keys are few enough for a table (`_DENSE_LIMIT`): each
    made once (`build`), looked up for all answer sets at once."""

    def __init__(self, size: int, build: Callable[[int], bytes]) -> None:
        self.ids = np.full(size, -1, dtype=np.int64)
        self.made: list[bytes] = []
        self.held = 0
        self.table = np.empty(0, dtype=object)
        self.build = build

    def __call__(self, keys: Ints) -> NDArray[Any]:
        ids = np.take(self.ids, keys)
        missing = ids < 0
        if missing.any():
            if self.held >= _PIECES_BUDGET:  # start again
                self.ids.fill(-1)
                self.made = []
                self.held = 0
                missing = np.ones(len(keys), dtype=np.bool_)
            new = np.unique(keys[missing])
            start = len(self.made)
            made = [self.build(key) for key in new.tolist()]
            self.held += sum(map(len, made)) + 100 * len(made)
            self.made += made
            self.ids[new] = np.arange(start, len(self.made))
            self.table = np.empty(len(self.made), dtype=object)
            self.table[:] = self.made
            ids = np.take(self.ids, keys)
        return np.take(self.table, ids)


class _LeverQuestion(NamedTuple):
    """A question a lever can be, and what trying its other answers looks up."""

    row: int
    id: str
    kind: str
    reading: list[tuple[int, int, Ints, NDArray[np.uint8]]]
    """Per group of tables that reads it: (group, its stride there, the group's scores
    and bounds in `domains`)."""
    others: tuple[int, ...]
    """The groups with bounds that do not read it (their bounds stay)."""
    domains: Ints
    """The domains an answer to it can move or bound."""
    answers: list[Any]
    """Its answers worth trying (a multiple choice: each option, ticked or unticked)."""
    mappings: Ints
    """(answers, codes): the code each answer tried gives, by the code given."""
    first: int
    """Its first pair."""
    slots: Ints
    """(its domains, its answers): the slot of each (`ResultColumns.slot_pair`)."""


class ResultColumns:
    """See the module's docstring. Build once per rulebook and process; `supported` says
    whether this rulebook can be scored here at all."""

    def __init__(self, rulebook: Rulebook) -> None:
        scorer = self.scorer = ColumnScorer(rulebook, details=True)
        self.supported = scorer.supported and len(scorer.rails_when) <= _MAX_RAIL_BITS
        if not self.supported:
            return
        self.rulebook = rulebook
        self.plans = domain_plans(rulebook)
        domains = self.domains = len(rulebook.domains)
        self.scenario_count = len(rulebook.scenarios)
        if not domains or max(self.scenario_count, _HEAD_CODES) * domains * _WIDTH >= 1 << 21:
            self.supported = False  # scenario or head keys would not fit an int64
            return
        self.reads = np.zeros((domains, len(scorer.columns)), dtype=np.float64)
        for p, domain in enumerate(rulebook.domains):
            for name in rulebook.domain_reads[domain.id]:
                self.reads[p, scorer.row_of[name]] = 1
        self.conditional_rows = [scorer.row_of[q.id] for q in rulebook.conditional]
        self._ends: dict[int, bytes] = {}
        """A record's end (`_end`) by its warning bit set."""
        self.always = [
            i for i, rule in enumerate(rulebook.rules) if not rule.reads and rule.when({})
        ]
        self._because_columns()
        # Per domain with rules that bound it, those rules (a bound note names them).
        self.bound_rules = [
            (p, tuple(sorted({i for i, _, _ in entries})))
            for p, entries in sorted(rulebook.bound_rules.items())
        ]
        self._rail_masks()
        self._with_bounds = [k for k, group in enumerate(scorer.groups) if group.bounds.any()]
        self.levers = self._lever_plan()
        self._numbers: dict[int, NDArray[np.float64]] = {}
        """A number question's codes as floats, by its row (`_nearest`)."""
        self.scenarios_piece = dumps_json_bytes([scenario_item(x) for x in rulebook.scenarios])
        self._pieces: dict[str, _Kept] = {
            "because": _Kept(),
            "lever": _Kept(),
            "scenario": _Kept(),
            "rails": _Kept(),
            "head": _Kept(),
            "confidence": _Kept(),
            "note": _Kept(),
        }
        self._dense = {
            kind: _DensePieces(size, build)
            for kind, size, build in (
                ("because", 2 * self.key_total, self._because_piece),
                ("lever", 2 * _WIDTH * self.pair_total, self._lever_piece),
            )
            if size <= _DENSE_LIMIT
        }

    # --- what is fixed by the rulebook ---------------------------------------------------------

    def _because_columns(self) -> None:
        """Each domain's rules in its `because` order (heaviest first) as columns; a key
        per column for the answers its rule reads (their codes, row-major)."""
        scorer = self.scorer
        plans = self.plans
        entries = [
            (position, entry[0], i, entry)
            for i, items in enumerate(plans.by_rule)
            for position, entry in items
        ]
        entries.sort(key=lambda item: (item[0], item[1]))
        self.entries = entries
        count = len(entries)
        self.column_rule = np.array([e[2] for e in entries], dtype=np.int64)
        self.column_domain = np.array([e[0] for e in entries], dtype=np.int64)
        widest = max((len(plans.rule_reads[e[2]]) for e in entries), default=0) or 1
        self.read_rows = np.zeros((count, widest), dtype=np.int64)
        self.read_strides = np.zeros((count, widest), dtype=np.int64)
        self.column_offset = np.zeros(count, dtype=np.int64)
        self.column_of_offset: list[int] = []  # the column of each key's range, by its start
        starts = []
        total = 0
        for c, (_, _, i, _) in enumerate(entries):
            stride = 1
            for j in range(len(plans.rule_reads[i]) - 1, -1, -1):
                row = scorer.row_of[plans.rule_reads[i][j]]
                self.read_rows[c, j] = row
                self.read_strides[c, j] = stride
                stride *= len(scorer.columns[row].values)
            self.column_offset[c] = total
            starts.append(total)
            total += stride
        self.key_starts = np.array(starts, dtype=np.int64)
        self.key_total = total
        if total >= 1 << 61:
            self.supported = False
        # Per domain, its columns' (start, end) and the signed weights in order.
        self.domain_columns = [
            (
                int(np.searchsorted(self.column_domain, p)),
                int(np.searchsorted(self.column_domain, p, "right")),
            )
            for p in range(self.domains)
        ]
        self.weights = np.array([e[3][1] for e in entries], dtype=np.float64)

    def _rail_masks(self) -> None:
        """Per domain and setting, the bits of its guard rails with a `when`."""
        bit_of = {id(rail): bit for bit, rail in enumerate(self.scorer.rails_when)}
        masks = np.zeros((self.domains, _WIDTH), dtype=np.int64)
        self.rail_parts: list[list[tuple[tuple[str, int | None], ...]]] = []
        for p, by_setting in enumerate(self.plans.rails):
            parts = []
            for setting, rails in enumerate(by_setting):
                listed = tuple((rail.text, bit_of.get(id(rail))) for rail in rails)
                for _, bit in listed:
                    if bit is not None:
                        masks[p, setting] |= 1 << bit
                parts.append(listed)
            self.rail_parts.append(parts)
        self.rail_masks = masks

    def _lever_plan(self) -> list[_LeverQuestion]:
        """Per question a lever can be (not text; read by some rule or shown-if), in
        questionnaire order. A pair is one of its answers worth trying; pairs are
        numbered in order across questions (`pair_*` arrays)."""
        scorer = self.scorer
        rulebook = self.rulebook
        groups = scorer.groups
        position = rulebook.domain_positions
        plan: list[_LeverQuestion] = []
        pair_question: list[int] = []
        pair_answer: list[Any] = []
        pair_base: list[int] = []
        pair_multi: list[bool] = []
        base = 0
        # What each rule depends on (its questions, and those that show or hide them).
        bases = [(rule, scorer._basis(rule.reads)) for rule in rulebook.rules if rule.reads]
        for question in rulebook.questions.values():
            if question.kind == "text":
                continue
            row = scorer.row_of[question.id]
            # The domains an answer to it can move or bound: those of the rules that
            # read it, or read a question its answer shows or hides.
            moved = sorted(
                {
                    position[d]
                    for rule, basis in bases
                    if question.id in basis
                    for d, _ in (*rule.effects, *rule.at_least, *rule.at_most)
                }
            )
            if not moved:
                continue  # no answer to it moves a setting
            domains = np.array(moved, dtype=np.int64)
            reading = []
            for k, group in enumerate(groups):
                if row in group.rows:
                    stride = group.strides[group.rows.index(row)]
                    reading.append(
                        (
                            k,
                            stride,
                            np.ascontiguousarray(group.scores[:, domains]),
                            np.ascontiguousarray(group.bounds[:, domains]),
                        )
                    )
            others = tuple(k for k in self._with_bounds if row not in groups[k].rows)
            column = scorer.columns[row]
            count = len(column.values)
            answers: list[Any] = []
            mappings: list[list[int]] = []
            if question.kind == "multi":
                for bit, option in enumerate(column.options):
                    answers.append(option)
                    mappings.append(
                        [2 + ((c - 2 if c >= 2 else 0) ^ (1 << bit)) for c in range(count)]
                    )
            else:
                for value in rulebook.lever_candidates[question.id]:
                    code = _find(column.values, value)
                    assert code is not None  # added with details (`_add_scenario_values`)
                    answers.append(value)
                    mappings.append([code] * count)
            if not answers:
                continue
            first = len(pair_question)
            for answer in answers:
                pair_question.append(len(plan))
                pair_answer.append(answer)
                pair_base.append(base)
                pair_multi.append(question.kind == "multi")
                base += count if question.kind == "multi" else 1
            plan.append(
                _LeverQuestion(
                    row,
                    question.id,
                    question.kind,
                    reading,
                    others,
                    domains,
                    answers,
                    np.array(mappings, dtype=np.int64),
                    first,
                    np.empty((0, 0), dtype=np.int64),  # below, once all pairs are known
                )
            )
        self.pair_question = pair_question
        self.pair_answer = pair_answer
        self.pair_base = np.array(pair_base, dtype=np.int64)
        self.pair_total = base
        self.pair_multi = np.array(pair_multi, dtype=np.bool_)
        self.pair_row = np.array([plan[q].row for q in pair_question], dtype=np.int64)
        # A slot is a (domain, pair) a lever can be found in, numbered by domain, then
        # pair: found in slot order, each answer set's levers are in the engine's order.
        # (A table of every domain and pair would be ~2.5 times as large, mostly cells
        # no answer can reach, and a chunk's table is cleared and searched.)
        cells = sorted(
            (int(d), question.first + a)
            for question in plan
            for d in question.domains
            for a in range(len(question.answers))
        )
        slot_of = {cell: s for s, cell in enumerate(cells)}
        self.slot_domain = np.array([d for d, _ in cells], dtype=np.int64)
        self.slot_pair = np.array([pair for _, pair in cells], dtype=np.int64)
        return [
            question._replace(
                slots=np.array(
                    [
                        [slot_of[int(d), question.first + a] for a in range(len(question.answers))]
                        for d in question.domains
                    ],
                    dtype=np.int64,
                )
            )
            for question in plan
        ]

    # --- rows --------------------------------------------------------------------------

    def row(self, table: Mapping[str, Any]) -> list[int] | None:
        """`ColumnScorer.row` of the scorer with details: None also where a multiple
        choice's ticks are not in the order of its options (its record shows the list
        as given)."""
        return self.scorer.row(table)  # type: ignore[arg-type]

    def encode(self, rows: Sequence[list[int]]) -> tuple[Ints, list[bool]]:
        """`ColumnScorer.encode` of rows of `row`."""
        return self.scorer.encode(rows)

    def records(
        self,
        codes: Ints,
        ok: list[bool],
        sources: Sequence[str],
        metas: Sequence[Mapping[str, Any]],
        extra_warnings: Sequence[str | None],
    ) -> tuple[list[list[bytes] | None], list[int]]:
        """(records, each as pieces of JSON to be joined; warning counts) of rows coded
        (`encode`, `TypedLines.matrix`); None where the full path must say what is wrong
        (a code of another question's value)."""
        scorer = self.scorer
        scored = scorer.score_codes(codes, ok)
        assert scored.keys is not None and scored.totals is not None
        assert scored.bounds is not None and scored.scenario_totals is not None
        count = codes.shape[1]
        domains = self.domains
        if (
            count
            and max(int(np.abs(t).max()) for t in (scored.totals, *scored.scenario_totals))
            >= _UNITS_OFFSET
        ):
            return [None] * count, [0] * count  # scores beyond the keys' reach
        groups = scorer.groups
        shown_bits = np.zeros(count, dtype=np.int64)
        rail_bits = np.zeros(count, dtype=np.int64)
        fired = np.zeros((count, len(self.rulebook.rules)), dtype=np.bool_)
        for k, group in enumerate(groups):
            assert group.shown is not None and group.rails is not None
            assert group.fired is not None
            key = scored.keys[k]
            shown_bits |= np.take(group.shown, key)
            rail_bits |= np.take(group.rails, key)
            if group.rule_indexes:
                fired[:, group.rule_indexes] = np.take(group.fired, key, axis=0)
        fired[:, self.always] = True
        shown = np.ones(codes.shape, dtype=np.int64)
        for bit, row in enumerate(self.conditional_rows):
            shown[row] = shown_bits >> bit & 1
        effective = shown * (codes >= 2)
        # (domains, count), counted in floating point by BLAS (exact: whole numbers far
        # below 2**53): NumPy's integer matrix product has no fast loop (~18x the time).
        relevant = (self.reads @ shown.astype(np.float64)).astype(np.int64)
        answered = (self.reads @ effective.astype(np.float64)).astype(np.int64)

        in_column = fired[:, self.column_rule]  # (count, columns): each domain's because
        because, because_at = self._because(in_column, codes, count)
        levers, levers_at = self._levers(codes, scored, shown, count)
        cells = count * domains
        span = self.scenario_count
        # Each record laid out in one array of pieces: its opening; each domain's object
        # (head, scenarios, guard rails with the opening of `because`, `because`, the
        # opening of `levers`, levers, the close with a bound note where one is due);
        # its end (the scenarios, the warnings). A record is then one slice of it.
        sizes = np.full(cells, 4 + span, dtype=np.int64)
        sizes += np.diff(because_at)
        sizes += np.diff(levers_at)
        by_record = sizes.reshape(count, domains)
        record_starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(by_record.sum(axis=1) + 2, out=record_starts[1:])
        within = np.zeros((count, domains), dtype=np.int64)
        np.cumsum(by_record[:, :-1], axis=1, out=within[:, 1:])
        first = (record_starts[:-1, None] + 1 + within).reshape(-1)
        closes = first + sizes - 1
        flat = np.empty(int(record_starts[-1]), dtype=object)
        flat[first] = self._heads_of(scored, in_column, relevant, answered)
        blocks = span
        if span:
            flat[(first[:, None] + 1 + np.arange(span)).reshape(-1)] = self._scenarios(scored)
        flat[first + 1 + blocks] = self._rails(rail_bits, scored.settings)
        after_rails = first + 2 + blocks
        flat[_placed(after_rails, because_at)] = because
        at_levers = after_rails + np.diff(because_at)
        flat[at_levers] = b'],"levers":['
        flat[_placed(at_levers + 1, levers_at)] = levers
        flat[closes] = b"]}"
        self._notes(scored, fired, flat, closes)
        shown_counts = shown.sum(axis=0).tolist()
        answered_counts = effective.sum(axis=0).tolist()
        openings: list[bytes] = []
        ends: list[bytes] = []
        warning_counts = []
        for j in range(count):
            if not ok[j]:  # laid out, never written
                openings.append(b"")
                ends.append(b"")
                warning_counts.append(0)
                continue
            bits = scored.warns[j]
            warnings = scorer.warnings(bits)
            extra = extra_warnings[j]
            if extra:
                warnings = (extra, *warnings)
            openings.append(
                self._opening(
                    sources[j],
                    metas[j],
                    scored.posture_labels[j],
                    scored.posture_indexes[j],
                    answered_counts[j],
                    shown_counts[j],
                )
            )
            end = None if extra else self._ends.get(bits)
            if end is None:
                end = self._end(warnings)
                if not extra:  # as many as `scorer.warnings` keeps
                    self._ends[bits] = end
            ends.append(end)
            warning_counts.append(len(warnings))
        flat[record_starts[:-1]] = openings
        flat[record_starts[1:] - 1] = ends
        pieces = flat.tolist()
        bounds = record_starts.tolist()
        out: list[list[bytes] | None] = [
            pieces[bounds[j] : bounds[j + 1]] if ok[j] else None for j in range(count)
        ]
        return out, warning_counts

    def _heads_of(
        self, scored: Any, in_column: NDArray[np.bool_], relevant: Ints, answered: Ints
    ) -> NDArray[Any]:
        """Every answer set's and domain's head (`_head`), by what it depends on."""
        count = in_column.shape[0]
        domains = self.domains
        positive = np.zeros((count, domains), dtype=np.float64)
        negative = np.zeros((count, domains), dtype=np.float64)
        moved = np.zeros((count, domains), dtype=np.int64)
        weights = self.weights.tolist()
        by_column = np.ascontiguousarray(in_column.T)  # (columns, count)
        for p, (start, end) in enumerate(self.domain_columns):
            if start == end:
                continue
            # The weights of its rules that fired, added in `because` order as the
            # engine adds them (a rule that did not fire adds 0.0, which changes no sum).
            pos = positive[:, p]
            neg = negative[:, p]
            for c in range(start, end):
                weight = weights[c]
                if weight > 0:
                    pos += by_column[c] * weight
                elif weight < 0:
                    neg -= by_column[c] * weight
            moved[:, p] = by_column[start:end].any(axis=0)
        # Confidence, by what it reads (the same in every domain): both ways, as the
        # score is borderline or not (`_head` knows which).
        inputs = np.stack(
            [relevant.T, answered.T, moved, positive.view(np.int64), negative.view(np.int64)],
            axis=2,
        ).reshape(count * domains, 5)
        found, inverse = self._cell_found("confidence", inputs, _confidences)
        confidences = np.take(np.array(found, dtype=np.int64), inverse).reshape(count, domains)
        # A head's key: its score in units, its bounds, its confidences, its setting and
        # its domain as one whole number (within an int64: `records` bounds the units,
        # `__init__` the rest).
        keys = (scored.totals + _UNITS_OFFSET) * _BOUND_CODES + scored.bounds
        keys *= _CONFIDENCE_CODES
        keys += confidences
        keys *= _WIDTH
        keys += scored.settings
        keys *= domains
        keys += np.arange(domains, dtype=np.int64)
        return self._pieces_of("head", keys.reshape(-1), self._head)

    def _notes(
        self, scored: Any, fired: NDArray[np.bool_], flat: NDArray[Any], closes: Ints
    ) -> None:
        """The bound notes (`engine.bound_note`) of the domains held off their score's
        setting, into their close."""
        low = _FLOOR_OF[scored.bounds & 15]
        high = _CEILING_OF[scored.bounds >> 4]
        raw = self.scorer.raw_settings(scored.totals)
        held = (scored.settings != raw) | (low > high)
        if not held.any():
            return
        # A note names the bound rules of its domain that fired: their bits, as its key.
        which = np.zeros(held.shape, dtype=np.int64)
        for p, rules in self.bound_rules:
            for bit, i in enumerate(rules):
                which[:, p] |= fired[:, i].astype(np.int64) << bit
        rows, places = np.nonzero(held)
        keys = zip(
            places.tolist(),
            scored.settings[rows, places].tolist(),
            raw[rows, places].tolist(),
            low[rows, places].tolist(),
            high[rows, places].tolist(),
            which[rows, places].tolist(),
            strict=True,
        )
        kept = self._pieces["note"]
        at = closes[rows * self.domains + places].tolist()
        for key, close in zip(keys, at, strict=True):
            piece = kept.get(key)
            if piece is None:
                piece = kept.put(key, self._note_piece(*key))
            flat[close] = piece

    def _note_piece(self, p: int, setting: int, raw: int, low: int, high: int, which: int) -> bytes:
        """A domain's close with its bound note (`engine.bound_note`), or without."""
        rulebook = self.rulebook
        fired = [False] * len(rulebook.rules)
        for bit, i in enumerate(dict(self.bound_rules)[p]):
            fired[i] = bool(which >> bit & 1)
        note = bound_note(rulebook, fired, rulebook.domains[p].id, setting, raw, low, high)
        return b'],"note":' + dumps_json_bytes(note) + b"}" if note else b"]}"

    def _opening(
        self,
        source: str,
        meta: Mapping[str, Any],
        label: str,
        index: float,
        answered: int,
        shown: int,
    ) -> bytes:
        """The record up to its domains (`reports.data.result_opening`)."""
        rulebook = self.rulebook
        opening = result_opening(
            source, meta, rulebook.id, rulebook.version, label, index, answered, shown
        )
        return dumps_json_bytes(opening)[:-1] + b',"domains":'

    def _end(self, warnings: Sequence[str]) -> bytes:
        """The record after its domains (`reports.data.result_dict`)."""
        written = b',"warnings":' + dumps_json_bytes(list(warnings)) if warnings else b""
        return b'],"scenarios":' + self.scenarios_piece + written + b"}"

    def _head(self, key: int) -> bytes:
        """A domain's object from its opening to its scenarios' (the array's opening for
        the first domain, a comma for the others)."""
        key, p = divmod(key, self.domains)
        key, setting = divmod(key, _WIDTH)
        key, confidences = divmod(key, _CONFIDENCE_CODES)
        shifted, bits = divmod(key, _BOUND_CODES)
        units = shifted - _UNITS_OFFSET
        domain = self.rulebook.domains[p]
        total = units / SCORE_UNITS
        raw = setting_index(self.rulebook.thresholds, total)
        low, high = FLOORS[bits & 15], CEILINGS[bits >> 4]
        distance, borderline = closeness(self.rulebook, total, setting, raw, low, high)
        confidence = _CONFIDENCES[
            confidences // len(_CONFIDENCES) if borderline else confidences % len(_CONFIDENCES)
        ]
        piece = dumps_json_bytes(
            domain_opening(
                domain.id, domain.title, SETTINGS[setting], total, confidence, distance, borderline
            )
        )
        return (b",{" if p else b"[{") + piece[1:-1] + b',"scenarios":['

    # --- pieces by key, for all answer sets at once ----------------------------------------

    def _pieces_of(self, kind: str, keys: Ints, build: Callable[[int], bytes]) -> NDArray[Any]:
        """The piece of each key, each made once (`build`) and kept: by a table as long as
        the keys can be (`_DENSE_LIMIT`), else by a dictionary of the keys found."""
        if not len(keys):
            return np.empty(0, dtype=object)
        dense = self._dense.get(kind)
        if dense is not None:
            return dense(keys)
        kept = self._pieces[kind]
        unique, inverse = np.unique(keys, return_inverse=True)
        listed = unique.tolist()
        found = list(map(kept.pieces.get, listed))
        if None in found:
            for k, piece in enumerate(found):
                if piece is None:
                    found[k] = kept.put(listed[k], build(listed[k]))
        return _objects(found, inverse.reshape(-1))

    def _cell_found(
        self, kind: str, table: Ints, build: Callable[[tuple[int, ...]], Any]
    ) -> tuple[list[Any], Ints]:
        """(what `build` makes of each distinct row of `table`, made once from the row's
        values and kept by its bytes; which of them each row is). Rows are told apart
        by a hash, sorted, and every row is then compared with the one it was taken
        for: where two differ (a collision), each row is looked up on its own."""
        rows, width = table.shape
        table = np.ascontiguousarray(table)
        mixed = np.zeros(rows, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in table.T.view(np.uint64):
                mixed = (mixed ^ column) * _MIX
                mixed ^= mixed >> np.uint64(29)
        # Each distinct hash's row: any row with it serves, as every row is compared
        # with it below (a scatter: asking `unique` for first places sorts stably, 4×
        # the time).
        distinct, inverse = np.unique(mixed, return_inverse=True)
        inverse = inverse.reshape(-1)
        firsts = np.empty(len(distinct), dtype=np.int64)
        firsts[inverse] = np.arange(rows)
        if not (table[firsts][inverse] == table).all():  # a collision: no sharing
            firsts, inverse = np.arange(rows), np.arange(rows)
        keys = table[firsts].view(np.dtype((np.void, 8 * width))).reshape(-1)
        kept = self._pieces[kind]
        listed: list[Any] = keys.tolist()  # each row as its bytes
        found = list(map(kept.pieces.get, listed))
        if None in found:
            unpack = struct.Struct(f"<{width}q").unpack  # a row's values from its bytes
            for k, piece in enumerate(found):
                if piece is None:
                    key = listed[k]
                    found[k] = kept.put(key, build(unpack(key)))
        return found, inverse

    def _because(
        self, in_column: NDArray[np.bool_], codes: Ints, count: int
    ) -> tuple[NDArray[Any], list[int]]:
        """(the `because` items of every answer set and domain, in order; where each
        answer set's and domain's items start, and the end)."""
        rows, columns = np.nonzero(in_column)  # by answer set, then domain and rank
        take = np.take
        keys = take(self.column_offset, columns)
        every_code = codes.reshape(-1)  # (questions, count) as one row: by row × count + set
        for read_rows, read_strides in zip(self.read_rows.T, self.read_strides.T, strict=True):
            at = take(read_rows, columns) * count + rows
            keys += take(every_code, at) * take(read_strides, columns)
        cells = rows * self.domains + take(self.column_domain, columns)
        comma = _commas(cells)
        pieces = self._pieces_of("because", keys * 2 + comma, self._because_piece)
        return pieces, _starts(cells, count * self.domains)

    def _because_piece(self, key: int) -> bytes:
        comma, key = key & 1, key >> 1
        c = int(np.searchsorted(self.key_starts, key, "right")) - 1
        combined = key - int(self.key_starts[c])
        _, _, i, entry = self.entries[c]
        _, weight, rule_id, why, bound_text, _ = entry
        reads = self.plans.rule_reads[i]
        values = []
        for j, name in enumerate(reads):
            stride = int(self.read_strides[c, j])
            column = self.scorer.columns[self.scorer.row_of[name]]
            values.append(column.values[combined // stride % len(column.values)])
        fired = FiredRule(rule_id, weight, why, tuple(zip(reads, values, strict=True)), bound_text)
        return b"," * comma + dumps_json_bytes(fired_item(fired))

    def _levers(
        self, codes: Ints, scored: Any, shown: Ints, count: int
    ) -> tuple[NDArray[Any], list[int]]:
        """(every answer set's and domain's levers, in the engine's order: by question,
        then answer tried; where each answer set's and domain's levers start). All the
        answers tried for a question are looked up at once: (answers, sets, domains)."""
        groups = self.scorer.groups
        totals, parts, keys = scored.totals, scored.parts, scored.keys
        settings = scored.settings
        slots = len(self.slot_pair)
        moves = np.zeros((count, slots), dtype=np.bool_)
        news = np.zeros((count, slots), dtype=np.int8)
        chosen = None  # 1 + the pair whose piece a slot shows, where it is not its own
        raw_of, held = self.scorer.raw_settings, self.scorer.held_settings
        # Gathers by `np.take`, not by an index: a third to a quarter of the time.
        take = np.take
        bounds_of = {k: take(groups[k].bounds, keys[k], axis=0) for k in self._with_bounds}
        kept_bits: dict[tuple[int, ...], NDArray[np.uint8]] = {}  # by groups: their bounds
        for question in self.levers:
            row, domains = question.row, question.domains
            asked = shown[row].astype(np.bool_)
            if not asked.any():
                continue
            current = codes[row]
            new_codes = take(question.mappings, current, axis=1)  # (answers, sets)
            step = new_codes - current
            changed = (step != 0) & asked
            new_totals = take(totals, domains, axis=1)
            others = kept_bits.get(question.others)
            if others is None:
                others = np.zeros((count, self.domains), dtype=np.uint8)
                for k in question.others:
                    others |= bounds_of[k]
                kept_bits[question.others] = others
            new_bits = take(others, domains, axis=1)
            for k, stride, table_scores, table_bounds in question.reading:
                key = keys[k] + step * stride
                new_totals = new_totals - take(parts[k], domains, axis=1)
                new_totals = new_totals + take(table_scores, key, axis=0)
                if k in bounds_of:
                    new_bits = new_bits | take(table_bounds, key, axis=0)
            new_settings = held(raw_of(new_totals), new_bits)
            moved = new_settings != take(settings, domains, axis=1)
            moved &= changed[:, :, None]
            if question.kind != "number":
                moves[:, question.slots] = moved.transpose(1, 2, 0)
                news[:, question.slots] = new_settings.transpose(1, 2, 0)
                continue
            if chosen is None:
                chosen = np.zeros((count, slots), dtype=np.int32)
            self._nearest(question, codes, moved, new_settings, moves, news, chosen)
        found = np.flatnonzero(moves)  # by answer set, domain, then pair
        new = news.reshape(-1)[found].astype(np.int64)
        rows, slot = np.divmod(found, max(slots, 1))
        cells = rows * self.domains + self.slot_domain[slot]  # answer set × domains + domain
        pair = self.slot_pair[slot]
        if chosen is not None:
            other = chosen.reshape(-1)[found]
            pair = np.where(other > 0, other - 1, pair)
        multi = np.take(self.pair_multi, pair)
        ticked = np.take(codes.reshape(-1), np.take(self.pair_row, pair) * count + rows)
        keys_ = np.take(self.pair_base, pair) + np.where(multi, ticked, 0)
        comma = _commas(cells)
        pieces = self._pieces_of("lever", (keys_ * _WIDTH + new) * 2 + comma, self._lever_piece)
        return pieces, _starts(cells, count * self.domains)

    def _nearest(
        self,
        question: _LeverQuestion,
        codes: Ints,
        moved: NDArray[np.bool_],
        new_settings: NDArray[np.int8],
        moves: NDArray[np.bool_],
        news: NDArray[np.int8],
        chosen: NDArray[np.int32],
    ) -> None:
        """A number question's levers, as `levers._nearest` keeps them: of the answers
        that give a domain the same new setting, the one nearest the answer given (the
        first of equals), in the place of the first of them. `moved`, `new_settings`:
        (answers, sets, its domains)."""
        numbers = self._numbers.get(question.row)
        if numbers is None:  # each code's number (NaN: none given), once
            numbers = self._numbers[question.row] = np.array(
                [
                    float(v) if isinstance(v, int | float) else np.nan
                    for v in self.scorer.columns[question.row].values
                ]
            )
        given = np.take(numbers, codes[question.row])
        tried = np.array([float(answer) for answer in question.answers])
        distance = np.abs(tried[:, None] - given[None, :])  # (answers, sets)
        distance[np.isnan(distance)] = 0.0  # no number given: every distance is 0.0
        first = question.first
        for setting in range(_WIDTH):
            hit = moved & (new_settings == setting)
            anywhere = hit.any(axis=0)  # (sets, domains)
            if not anywhere.any():
                continue
            slot = hit.argmax(axis=0)  # the first answer giving it
            best = np.where(hit, distance[:, :, None], np.inf).argmin(axis=0)
            r, d = np.nonzero(anywhere)
            place = question.slots[d, slot[r, d]]
            moves[r, place] = True
            news[r, place] = setting
            chosen[r, place] = first + best[r, d] + 1

    def _lever_piece(self, key: int) -> bytes:
        comma, key = key & 1, key >> 1
        key, new = divmod(key, _WIDTH)
        k = int(np.searchsorted(self.pair_base, key, "right")) - 1
        # Multiple-choice pairs span a code range; others one key each.
        pair = k
        q = self.pair_question[pair]
        row, qid, kind = self.levers[q][:3]
        answer = self.pair_answer[pair]
        if kind == "multi":
            column = self.scorer.columns[row]
            current = column.values[key - int(self.pair_base[pair])]
            chosen = current if isinstance(current, list) else []
            answer = (
                [item for item in chosen if item != answer]
                if answer in chosen
                else [*chosen, answer]
            )
        piece = dumps_json_bytes(lever_item(Lever(qid, answer, SETTINGS[new])))
        return b"," * comma + piece

    def _scenarios(self, scored: Any) -> NDArray[Any]:
        """Every answer set's, domain's and scenario's item, in that order (each kept
        on its own: a domain's scenarios as one piece would be a new object for most
        domains, held until its record is written)."""
        span = self.scenario_count
        units = np.stack(scored.scenario_totals, axis=2)  # (count, domains, scenarios)
        settings = np.stack(scored.scenarios, axis=2)
        # An item's key: its score in units, its scenario and its setting as one whole
        # number (within an int64: `records` bounds the units, `__init__` the rest).
        keys = ((units + _UNITS_OFFSET) * span + np.arange(span)) * _WIDTH + settings
        return self._pieces_of("scenario", keys.reshape(-1), self._scenario_item)

    def _scenario_item(self, key: int) -> bytes:
        """A domain's setting and score under a scenario (after a comma but the first)."""
        key, setting = divmod(key, _WIDTH)
        shifted, s = divmod(key, self.scenario_count)
        units = shifted - _UNITS_OFFSET
        scenario = self.rulebook.scenarios[s]
        item = ScenarioSetting(scenario.id, scenario.title, SETTINGS[setting], units / SCORE_UNITS)
        piece = dumps_json_bytes(scenario_setting_item(item))
        return b"," + piece if s else piece

    def _rails(self, rail_bits: Ints, settings: Ints) -> NDArray[Any]:
        """Every answer set's and domain's guard rails, with the opening of `because`."""
        p = np.arange(self.domains, dtype=np.int64)[None, :]
        held = rail_bits[:, None] & self.rail_masks[p, settings]
        keys = (held * self.domains + p) * _WIDTH + settings
        return self._pieces_of("rails", keys.reshape(-1), self._rails_piece)

    def _rails_piece(self, key: int) -> bytes:
        key, setting = divmod(key, _WIDTH)
        held, p = divmod(key, self.domains)
        texts = [
            text for text, bit in self.rail_parts[p][setting] if bit is None or held >> bit & 1
        ]
        return b'],"guard_rails":' + dumps_json_bytes(texts) + b',"because":['


def _placed(firsts: Ints, starts: list[int]) -> Ints:
    """Where items sorted by cell go: each cell's `firsts` place, then the next ones
    (`starts`: where each cell's items start among the items, and the end)."""
    begins = np.array(starts, dtype=np.int64)
    counts = np.diff(begins)
    total = int(begins[-1])
    within = np.arange(total, dtype=np.int64) - np.repeat(begins[:-1], counts)
    return np.repeat(firsts, counts) + within


_CONFIDENCES = ("low", "medium", "high")


def _confidences(key: tuple[int, ...]) -> int:
    """(`engine.confidence_of` of a domain's inputs when its score is not borderline)
    + 3 × (the same when it is), as `_head` reads it."""
    relevant, answered, moved, positive_bits, negative_bits = key
    positive, negative = _float(positive_bits), _float(negative_bits)
    plain, borderline = (
        _CONFIDENCES.index(
            confidence_of(positive, negative, answered, relevant, bool(moved), close)
        )
        for close in (False, True)
    )
    return plain + len(_CONFIDENCES) * borderline


def _float(bits: int) -> float:
    """A float64 from its bits (as `_heads_of` keys it)."""
    value: float = struct.unpack("<d", struct.pack("<q", bits))[0]
    return value


_FLOOR_OF = np.array(FLOORS, dtype=np.int64)
_CEILING_OF = np.array(CEILINGS, dtype=np.int64)


def _objects(found: list[Any], inverse: Ints) -> NDArray[Any]:
    """`found` as an array of objects, taken in the order of `inverse`."""
    array = np.empty(len(found), dtype=object)
    array[:] = found
    return np.take(array, inverse)


def _commas(cells: Ints) -> Ints:
    """1 for each item (sorted by cell) after the first of its cell: its piece starts
    with a comma."""
    comma = np.zeros(len(cells), dtype=np.int64)
    comma[1:] = cells[1:] == cells[:-1]
    return comma


def _starts(cells: Ints, total: int) -> list[int]:
    """Where each cell's items start among items sorted by cell, and the end."""
    counts = np.bincount(cells, minlength=total)
    starts = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    found: list[int] = starts.tolist()
    return found
