"""Many answer sets scored at once, as columns of small integers (NumPy): the batch CSV
path, and with `details` the ground of the batch JSON path (`holdtight.result_columns`:
which rules fire, which shown-if questions are shown, which guard rails hold). Pure: no
I/O, no clock.

For each raw `[answers]` table, what `engine.score_raw_answers` gives it: settings,
posture, the warnings about answers to hidden questions and each scenario's settings,
or None where the table must take the full path (an answer not valid as it stands, an
unknown question). `row(table)` codes one table (as soon as it is read), `encode` turns
a chunk's rows into columns, `score_codes` scores them and `settings_cells` writes their
CSV cells; `score(tables)` does it all. The tests hold it to the engine over random
answers, random rulebooks and invalid values.

How. Each answer becomes a code: 0 unanswered, 1 "not sure", then one code per value
valid as it stands (an option, a scale step, a number in range, a set of options).
The questions are put in groups such that every rule reads questions of one group,
together with the questions that decide whether those are shown (groups may share a
question). For each group a table gives, for every combination of its codes, what its
rules add to each domain's score (whole millionths, as the kernel adds them), the
floors and ceilings they hold each domain to, and which hidden-question warnings arise.
The tables are filled in by the rules' own predicates (each rule's one definition),
on the effective answers of each combination (`scoring.effective_answers`: "not sure"
dropped, hidden questions dropped). A set of answers is then scored by looking up its
groups' rows and adding them up; settings, bounds and posture follow the engine's steps
(`scoring.setting_index`, `clamp`, `engine._posture`) on whole columns, in the same
floating-point operations, in the same order. A scenario looks up again only the groups
its answers change.

A rulebook this cannot hold in small tables (a rule or a shown-if reading a text
answer, a rule depending on too many combinations of answers) is not `supported`: the
batch then scores each file on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import product
from typing import Any, NamedTuple, get_args

import numpy as np
from numpy.typing import NDArray

from holdtight.codegen import multi_accepted_as_is
from holdtight.engine import SettingsOnly, hidden_warning
from holdtight.limits import MAX_TEXT
from holdtight.model import SCORE_UNITS, SETTINGS, UNSURE, PostureLabel, Question, Rulebook, units
from holdtight.scoring import INF, TIGHTEST, clamp

MAX_GROUP = 1 << 12
"""Rows of a group's table when small groups are joined (fewer lookups per answer set)."""
MAX_COMPONENT = 1 << 16
"""Rows of the table of what one rule depends on (the questions it reads and those that
decide whether they are shown); a rulebook needing more is not supported here."""
MAX_SHARED = 1 << 20
"""Cells of the table from shared codes to each question's own (8 MB); a rulebook with
more (several number questions of thousands of whole values each) is not supported."""
MAX_MULTI_OPTIONS = 10
"""Options of a multiple-choice question read by a rule (its codes: every subset)."""

_NONE, _UNSURE = 0, 1
_NUMERIC_CLASSES = frozenset({int, str, type(None)})
_MAX_WARNINGS = 62  # shown-if questions: their warnings are bits of an int64

Ints = NDArray[np.int64]


class _Column(NamedTuple):
    """How one question's answers become codes."""

    id: str
    kind: str
    codes: dict[Any, int]
    """value → code, for single, scale and number questions (None → 0, "unsure" → 1)."""
    values: tuple[Any, ...]
    """code → the answer it stands for (None, "unsure", then the values)."""
    numeric: bool
    """Whether ints are among the values (then a bool or a float must not pass as one)."""
    options: tuple[str, ...] = ()
    """A multiple choice's options: code 2 + a bit per option."""


class _Group(NamedTuple):
    rows: tuple[int, ...]
    """The positions of its questions among the columns."""
    strides: tuple[int, ...]
    scores: Ints
    """(combinations, domains): whole millionths added to each domain's score."""
    bounds: NDArray[np.uint8]
    """(combinations, domains): the floors and ceilings its rules that fire hold, as
    bits (`_bound_bits`), so that groups combine with one `|`."""
    warns: Ints
    """(combinations,): bit k set when the k-th shown-if question's answer is ignored."""
    shown: Ints | None = None
    """(combinations,): bit k set when the k-th shown-if question is shown (details)."""
    rails: Ints | None = None
    """(combinations,): bit k set when the k-th guard rail with a `when` holds (details)."""
    fired: NDArray[np.bool_] | None = None
    """(combinations, rules): whether each of `rule_indexes` fires (details)."""
    rule_indexes: tuple[int, ...] = ()
    """The rules of the group, in rule order."""


class ColumnScores(NamedTuple):
    """Scores of N answer sets, as columns."""

    ok: list[bool]
    """Whether each answer set was scored here (else it takes the full path)."""
    settings: Ints
    """(N, domains): setting indexes (0 loose … 4 tight)."""
    posture_labels: list[PostureLabel]
    posture_indexes: list[float]
    warns: list[int]
    scenarios: list[Ints]
    """Per scenario, (N, domains) setting indexes."""
    totals: Ints | None = None
    """(N, domains): scores in whole millionths."""
    bounds: NDArray[np.uint8] | None = None
    """(N, domains): the bounds that fired, as bits (`_bound_bits`)."""
    keys: list[Ints] | None = None
    """Per group, each answer set's row in its tables."""
    parts: list[Ints] | None = None
    """Per group, (N, domains): what its rules add to each score."""
    scenario_totals: list[Ints] | None = None
    """Per scenario, (N, domains) scores in whole millionths."""


class ColumnScorer:
    """See the module's docstring. Build once per rulebook and process; `supported` says
    whether this rulebook can be scored here at all."""

    def __init__(self, rulebook: Rulebook, details: bool = False) -> None:
        self.rulebook = rulebook
        self.supported = False
        self.details = details
        """Also tables of which rules fire, which shown-if questions are shown and which
        guard rails hold (`holdtight.result_columns`: results with details and levers)."""
        self.rails_when = tuple(r for r in rulebook.guard_rails if r.when is not None)
        questions = list(rulebook.questions.values())
        self.ids = tuple(q.id for q in questions)
        self.row_of = {q.id: i for i, q in enumerate(questions)}
        self.columns = [_column(rulebook, q) for q in questions]
        self._add_scenario_values()
        self._shared_codes()
        self.domains = len(rulebook.domains)
        thresholds = rulebook.thresholds
        self.band_low = np.array((-INF, *thresholds), dtype=np.float64)
        self.band_high = np.array((*thresholds, INF), dtype=np.float64)
        self.cuts = [_cut(t) for t in thresholds]
        self.clamped = _clamp_table()
        self.clamped_bytes = self.clamped.astype(np.int8)
        self.conditional = tuple(q.id for q in rulebook.conditional)
        self._warnings: dict[int, tuple[str, ...]] = {0: ()}
        if TIGHTEST != 4 or len(self.conditional) > _MAX_WARNINGS or self.too_many_codes:
            return
        if details and len(self.rails_when) > _MAX_WARNINGS:
            return  # bounds are bits of a byte (`_bound_bits`), warnings of an int64
        self._combinations: dict[frozenset[str], list[tuple[dict[str, Any], dict[str, Any]]]]
        self._combinations = {}
        built = self._build()
        del self._combinations  # only for building
        if built is None:
            return
        self.groups, self.bias = built
        self.warning_groups = [k for k, group in enumerate(self.groups) if group.warns.any()]
        self.scenarios = [self._scenario(s) for s in rulebook.scenarios]
        if any(s is None for s in self.scenarios):
            return
        self.supported = True

    # --- building ------------------------------------------------------------------------

    def _shared_codes(self) -> None:
        """Codes shared by the single, scale and number questions (`row`): 0 unanswered,
        1 "not sure", then each value any of them accepts as it stands; `local` maps a
        shared code to each question's own code, -1 where it is no answer to it."""
        plain = [c for c in self.columns if c.kind not in ("multi", "text")]
        special = [c for c in self.columns if c.kind in ("multi", "text")]
        self.special_ids = tuple(c.id for c in special)
        # With details, ticks out of their options' order take the full path: the
        # record shows the list as given (`holdtight.result_columns`).
        self.special_coders = [_special_coder(c, self.details) for c in special]
        self.plain_ids = tuple(c.id for c in plain)
        self.numeric = [k for k, c in enumerate(plain) if c.numeric]
        self.plain_rows = [self.row_of[c.id] for c in plain]
        self.special_rows = [self.row_of[c.id] for c in special]
        shared: dict[Any, int] = {None: _NONE, UNSURE: _UNSURE}
        for column in plain:
            for value in column.codes:
                shared.setdefault(value, len(shared))
        # int 1 and True, 2 and 2.0 are one key: `row` refuses bools and floats.
        self.shared = shared
        self.too_many_codes = len(plain) * len(shared) > MAX_SHARED
        if self.too_many_codes:  # many long number ranges: not scored here
            self.local = np.empty((0, 0), dtype=np.int64)
            self.plain_index = np.empty((0, 1), dtype=np.int64)
            return
        self.local = np.full((len(plain), len(shared)), -1, dtype=np.int64)
        for k, column in enumerate(plain):
            for value, code in column.codes.items():
                self.local[k, shared[value]] = code
        self.plain_index = np.arange(len(plain))[:, None]

    def _add_scenario_values(self) -> None:
        """Codes for the answers scenarios set, and with details the answers levers try,
        that no file gives as it stands (a number that is not whole, for one): scenarios
        and levers reach them, `encode` never does."""
        extra: dict[str, list[Any]] = {}
        wanted: list[tuple[str, Any]] = []
        for scenario in self.rulebook.scenarios:
            wanted += scenario.answers.items()
            if scenario.step is not None:
                name, steps = scenario.step
                wanted += [(name, target) for target in steps.values()]
        if self.details:
            for name, candidates in self.rulebook.lever_candidates.items():
                wanted += [(name, value) for value in candidates]
        for name, value in wanted:
            column = self.columns[self.row_of[name]]
            known = [*column.values, *extra.get(name, [])]
            if column.kind in ("multi", "text") or _find(known, value) is not None:
                continue
            extra.setdefault(name, []).append(value)
        for name, values in extra.items():
            row = self.row_of[name]
            column = self.columns[row]
            self.columns[row] = column._replace(values=(*column.values, *values))

    def _build(self) -> tuple[list[_Group], Ints] | None:
        rulebook = self.rulebook
        # What each rule, and each shown-if question's warning, depends on: the questions
        # it reads and those that decide whether they are shown. Each must lie within
        # one group (groups may share a question).
        needs: list[tuple[frozenset[str], str, int]] = []
        for i, rule in enumerate(rulebook.rules):
            if rule.reads:
                needs.append((self._basis(rule.reads), "rule", i))
        for bit, q in enumerate(rulebook.conditional):
            needs.append((self._basis((q.id,)), "warn", bit))
        if self.details:  # what a question's being shown and a rail's `when` depend on
            for bit, q in enumerate(rulebook.conditional):
                needs.append((self._basis(q.show_if_reads), "shown", bit))
            for bit, rail in enumerate(self.rails_when):
                needs.append((self._basis(rail.reads), "rail", bit))
        for basis, _, _ in needs:
            for name in basis:
                column = self.columns[self.row_of[name]]
                if column.kind == "text" or (
                    column.kind == "multi" and len(column.options) > MAX_MULTI_OPTIONS
                ):
                    return None
            if self._size(basis) > MAX_COMPONENT:
                return None
        # Largest first, each into the first group that holds it or can take it whole.
        needs.sort(key=lambda need: -self._size(need[0]))
        members: list[set[str]] = []
        rules_of: list[list[int]] = []
        warns_of: list[list[int]] = []
        shown_of: list[list[int]] = []
        rails_of: list[list[int]] = []
        lists = {"rule": rules_of, "warn": warns_of, "shown": shown_of, "rail": rails_of}
        for basis, kind, index in needs:
            fits = (
                k
                for k, group in enumerate(members)
                if basis <= group or self._size(group | basis) <= MAX_GROUP
            )
            target = next(fits, len(members))
            if target == len(members):
                members.append(set())
                for found in lists.values():
                    found.append([])
            members[target] |= basis
            lists[kind][target].append(index)
        bias = np.array([units(d.bias) for d in rulebook.domains], dtype=np.int64)
        position = rulebook.domain_positions
        for i, rule in enumerate(rulebook.rules):
            if not rule.reads and rule.when({}):  # fires for every answer set
                for domain_id, weight in rule.effects:
                    bias[position[domain_id]] += units(weight)
                if rule.at_least or rule.at_most:  # its bounds: in every row of a table
                    if not members:
                        members.append(set())
                        for found in lists.values():
                            found.append([])
                    rules_of[0].append(i)
        groups = []
        for k, names in enumerate(members):
            ordered = sorted(names, key=self.row_of.__getitem__)
            groups.append(
                self._group(ordered, sorted(rules_of[k]), warns_of[k], shown_of[k], rails_of[k])
            )
        return groups, bias

    def _basis(self, reads: Iterable[str]) -> frozenset[str]:
        questions = self.rulebook.questions
        basis = set(reads)
        for name in list(basis):
            basis |= _controllers(questions, name)
        return frozenset(basis)

    def _size(self, names: Iterable[str]) -> int:
        return _size(self.columns[self.row_of[n]] for n in names)

    def _group(
        self,
        names: list[str],
        rule_indexes: list[int],
        warn_bits: list[int],
        shown_bits: list[int],
        rail_bits: list[int],
    ) -> _Group:
        """A group's tables: its rules' scores and bounds, its shown-if warnings. Each
        rule's part is worked out on the questions it depends on and added into the
        group's table by broadcasting (one operation a rule, not one a domain)."""
        domain_count = self.domains
        rulebook = self.rulebook
        shape = tuple(len(self.columns[self.row_of[n]].values) for n in names)
        size = int(np.prod(shape))
        scores = np.zeros((*shape, domain_count), dtype=np.int64)
        bounds = np.zeros((*shape, domain_count), dtype=np.uint8)
        warns = np.zeros(shape, dtype=np.int64)
        position = rulebook.domain_positions
        fired_by_rule = []
        for i in rule_indexes:
            rule = rulebook.rules[i]
            fired = self._table(names, shape, rule.reads, _fires(rule.when))[..., None]
            if self.details:
                fired_by_rule.append(np.broadcast_to(fired[..., 0], shape).reshape(size))
            weights = np.zeros(domain_count, dtype=np.int64)
            bits = np.zeros(domain_count, dtype=np.uint8)
            if rule.reads:  # a rule with no reads is in the bias already
                for domain_id, weight in rule.effects:
                    weights[position[domain_id]] += units(weight)
            for domain_id, level in rule.at_least:
                bits[position[domain_id]] |= _bound_bits(low=level)
            for domain_id, level in rule.at_most:
                bits[position[domain_id]] |= _bound_bits(high=level)
            if weights.any():
                scores += fired * weights
            if bits.any():
                bounds |= fired * bits
        for bit, q in enumerate(rulebook.conditional):
            if bit in warn_bits:
                warns |= self._table(names, shape, (q.id,), _ignored(q)).astype(np.int64) << bit
        rows = tuple(self.row_of[n] for n in names)
        group = _Group(
            rows,
            _strides(shape),
            scores.reshape(size, domain_count),
            bounds.reshape(size, domain_count),
            warns.reshape(size),
        )
        if not self.details:
            return group
        shown = np.zeros(shape, dtype=np.int64)
        for bit in shown_bits:
            q = rulebook.conditional[bit]
            shown |= self._table(names, shape, q.show_if_reads, _shows(q)).astype(np.int64) << bit
        rails = np.zeros(shape, dtype=np.int64)
        for bit in rail_bits:
            rail = self.rails_when[bit]
            rails |= (
                self._table(names, shape, rail.reads, _fires(rail.when)).astype(np.int64) << bit
            )
        fired_matrix = (
            np.stack(fired_by_rule, axis=1)
            if fired_by_rule
            else np.zeros((size, 0), dtype=np.bool_)
        )
        return group._replace(
            shown=shown.reshape(size),
            rails=rails.reshape(size),
            fired=fired_matrix,
            rule_indexes=tuple(rule_indexes),
        )

    def _table(
        self, names: list[str], shape: tuple[int, ...], reads: Iterable[str], test: Any
    ) -> NDArray[np.bool_]:
        """`test(effective answers)` for every combination of the codes of the questions
        it depends on (those it reads, and those that decide whether they are shown),
        shaped to broadcast over the group's table (extent 1 for its other questions)."""
        basis = self._basis(reads)
        columns = [self.columns[self.row_of[n]] for n in names if n in basis]
        combinations = self._combinations.get(basis)
        if combinations is None:  # the answers of each combination, once per basis
            hiding = [q for q in self.rulebook.conditional if q.id in basis]
            ids = [c.id for c in columns]
            combinations = self._combinations[basis] = []
            for values in product(*(c.values for c in columns)):  # code 0 is None
                given = {k: v for k, v in zip(ids, values, strict=True) if v is not None}
                combinations.append((given, _effective(given, hiding)))
        found = [bool(test(given, effective)) for given, effective in combinations]
        return np.array(found, dtype=np.bool_).reshape(
            [extent if n in basis else 1 for n, extent in zip(names, shape, strict=True)]
        )

    def _scenario(self, scenario: Any) -> list[tuple[int, Ints]] | None:
        """A scenario as changes to the code columns: (row, code per current code)."""
        changes: list[tuple[int, Ints]] = []
        for name, value in scenario.answers.items():
            column = self.columns[self.row_of[name]]
            code = _code(column, value)
            if code is None:
                return None
            changes.append((self.row_of[name], np.full(len(column.values), code, np.int64)))
        if scenario.step is not None:
            name, steps = scenario.step
            column = self.columns[self.row_of[name]]
            # Where no step applies, the answer stays: the scenario's own, if it sets
            # this question too, else the one given.
            mapping = np.arange(len(column.values), dtype=np.int64)
            if name in scenario.answers:
                own = _code(column, scenario.answers[name])
                if own is None:
                    return None
                mapping[:] = own
            for code, value in enumerate(column.values):
                if isinstance(value, str):
                    target = steps.get(value)
                    if target is not None and target != value:
                        new = _code(column, target)
                        if new is None:
                            return None
                        mapping[code] = new
            changes.append((self.row_of[name], mapping))
        return changes

    # --- scoring -------------------------------------------------------------------------

    def row(self, table: dict[str, Any]) -> list[int] | None:
        """One table's answers as codes, taken as soon as it is read (while it is in the
        processor's cache; `encode` turns a chunk of rows into columns), or None when an
        answer is not valid as it stands or a key is no question of the rulebook (the
        full path then says what is wrong)."""
        values = tuple(map(table.get, self.plain_ids))
        specials = tuple(map(table.get, self.special_ids))
        if len(values) + len(specials) - values.count(None) - specials.count(None) != len(table):
            return None  # a key of no question, or a null
        return self.coded(values, specials)

    def coded(self, values: tuple[Any, ...], specials: tuple[Any, ...]) -> list[int] | None:
        """`row` given the answers in `plain_ids` and `special_ids` order (None: not
        answered). Single, scale and number answers get codes shared by all questions
        (`_shared_codes`), looked up in one pass at C speed."""
        try:
            row: list[Any] = list(map(self.shared.__getitem__, values))
        except (KeyError, TypeError):  # no answer to any of these questions, or a list
            return None  # or a table where a single value belongs
        # 1, True and 1.0 are one key: a number must be an int (a bool or a float that
        # shares a key with an option of another question is refused by `encode`).
        numeric = self.numeric
        if numeric and not _NUMERIC_CLASSES.issuperset(map(type, [values[k] for k in numeric])):
            return None
        for code_of, value in zip(self.special_coders, specials, strict=True):
            if value is None:
                row.append(_NONE)
                continue
            code = code_of(value)
            if code is None:
                return None
            row.append(code)
        return row

    def encode(self, rows: Sequence[list[int]]) -> tuple[Ints, list[bool]]:
        """(codes, ok): the rows of `row` as columns of each question's own codes (one
        per question, in questionnaire order); ok false for a row with a shared code
        that is no answer to its question (it takes the full path)."""
        count = len(rows)
        plain = len(self.plain_ids)
        matrix = np.empty((len(self.columns), count), dtype=np.int64)
        given = np.array(rows, dtype=np.int64).reshape(
            count, len(self.plain_ids) + len(self.special_ids)
        )
        local = self.local[self.plain_index, given[:, :plain].T]
        matrix[self.plain_rows] = local
        matrix[self.special_rows] = given[:, plain:].T
        ok = [True] * count
        for bad in np.flatnonzero((local < 0).any(axis=0)).tolist():
            ok[bad] = False
            matrix[:, bad] = _NONE
        return matrix, ok

    def score(self, tables: Sequence[dict[str, Any]]) -> list[SettingsOnly | None]:
        """`engine.score_raw_answers` of each table (None: the full path decides)."""
        rows = [self.row(table) for table in tables]
        kept = [row for row in rows if row is not None]
        if not kept:
            return [None] * len(tables)
        scored = self.score_codes(*self.encode(kept))
        results = iter(
            self.settings_only(scored, j) if scored.ok[j] else None for j in range(len(kept))
        )
        return [next(results) if row is not None else None for row in rows]

    def settings_only(self, scored: ColumnScores, j: int) -> SettingsOnly:
        named = SETTINGS.__getitem__
        return SettingsOnly(
            tuple(map(named, scored.settings[j].tolist())),
            scored.posture_labels[j],
            scored.posture_indexes[j],
            self.warnings(scored.warns[j]),
            tuple(tuple(map(named, s[j].tolist())) for s in scored.scenarios),
        )

    def settings_cells(self, scored: ColumnScores) -> list[str]:
        """Per answer set, its CSV cells of settings, joined: the domains' settings, then
        each scenario's (`reports.data.scenario_columns`' order)."""
        return joined_runs(self.settings_runs(scored))

    def settings_runs(self, scored: ColumnScores) -> NDArray[np.object_]:
        """Per answer set (a row), `settings_cells` before its runs are joined: settings
        are looked up five at a time, as runs of cells written once (`_run_texts`), by
        NumPy (the texts as objects: a lookup a cell in Python was ~0.4 µs a row)."""
        table = np.concatenate([scored.settings, *scored.scenarios], axis=1)
        count, width = table.shape
        whole = width - width % _RUN
        texts = self._run_texts()
        keys = table[:, :whole].reshape(count, whole // _RUN, _RUN) @ _RUN_WEIGHTS
        rest = width - whole
        if rest:
            tail = table[:, whole:] @ _RUN_WEIGHTS[_RUN - rest :] + _RUN_OFFSETS[rest]
            keys = np.concatenate([keys, tail[:, None]], axis=1)
        runs: NDArray[np.object_] = texts[keys]
        return runs

    def _run_texts(self) -> NDArray[np.object_]:
        texts: NDArray[np.object_] | None = self.__dict__.get("_texts")
        if texts is None:
            found: list[str] = []
            for length in range(_RUN, 0, -1):  # at _RUN_OFFSETS[length]
                found.extend(",".join(cells) for cells in product(SETTINGS, repeat=length))
            texts = self.__dict__["_texts"] = np.array(found, dtype=object)
        return texts

    def warnings(self, bits: int) -> tuple[str, ...]:
        """The hidden-question warnings of a warning bit set, in the engine's words."""
        kept = self._warnings.get(bits)
        if kept is None:
            kept = self._warnings[bits] = tuple(
                hidden_warning(self.rulebook, name)
                for k, name in enumerate(self.conditional)
                if bits >> k & 1
            )
        return kept

    def score_codes(self, codes: Ints, ok: list[bool]) -> ColumnScores:
        """Score the columns of `encode` (every answer set: `ok` is passed through)."""
        groups = self.groups
        count = codes.shape[1]
        keys = [_key(group, codes, count) for group in groups]
        keyed = list(zip(groups, keys, strict=True))
        # Gathers by `np.take`, not by an index: a third to a quarter of the time.
        parts = [np.take(group.scores, key, axis=0) for group, key in keyed]
        bits = [np.take(group.bounds, key, axis=0) for group, key in keyed]
        totals = self.bias
        for part in parts:
            totals = totals + part
        totals = np.broadcast_to(totals, (codes.shape[1], self.domains))
        joined_bits = _joined(bits, count, self.domains)
        settings = self._settings(totals, joined_bits)
        labels, indexes = self._posture(totals, settings)
        warns = np.zeros(codes.shape[1], dtype=np.int64)
        for k in self.warning_groups:
            warns |= np.take(groups[k].warns, keys[k])
        scenarios = []
        scenario_totals = []
        for changes in self.scenarios:
            assert changes is not None
            altered = dict(enumerate(codes))  # the scenario's codes: its rows replaced
            for row, mapping in changes:
                altered[row] = mapping[codes[row]]
            rows = {row for row, _ in changes}
            s_totals = totals
            s_bits = list(bits)
            for k, group in enumerate(groups):
                if rows.intersection(group.rows):
                    key = _key(group, altered, count)
                    s_totals = s_totals + (np.take(group.scores, key, axis=0) - parts[k])
                    s_bits[k] = np.take(group.bounds, key, axis=0)
            joined = _joined(s_bits, codes.shape[1], self.domains)
            scenarios.append(self._settings(s_totals, joined))
            if self.details:
                scenario_totals.append(np.broadcast_to(s_totals, totals.shape))
        if not self.details:
            return ColumnScores(ok, settings, labels, indexes, warns.tolist(), scenarios)
        return ColumnScores(
            ok,
            settings,
            labels,
            indexes,
            warns.tolist(),
            scenarios,
            totals,
            joined_bits,
            keys,
            parts,
            scenario_totals,
        )

    def _settings(self, totals: Ints, bounds: NDArray[np.uint8]) -> Ints:
        """`scoring.settings_of` on columns (`held_settings` of `raw_settings`)."""
        settings: Ints = self.held_settings(self.raw_settings(totals), bounds).astype(np.int64)
        return settings

    def raw_settings(self, totals: Ints) -> NDArray[np.int8]:
        """The setting of each score alone (`setting_index`: the thresholds as whole
        millionths, `cuts`), counted in bytes (a tenth of the time of `searchsorted`)."""
        # Comparisons viewed as bytes and added in place: a bool array added to an int8
        # one is cast first (1.6 times the time, measured on a chunk's levers).
        raw: NDArray[np.int8] = (totals >= self.cuts[0]).view(np.int8)
        for cut in self.cuts[1:]:
            raw += (totals >= cut).view(np.int8)
        return raw

    def held_settings(self, raw: NDArray[np.int8], bounds: NDArray[np.uint8]) -> NDArray[np.int8]:
        """Settings held by the bounds that fired (`clamp`, as a table by bounds and
        setting). `bounds` may be of fewer dimensions than `raw` (broadcast)."""
        index = bounds.astype(np.int16)
        index *= len(SETTINGS)
        # `take`, not an index: a third of the time for NumPy's gathers here.
        settings: NDArray[np.int8] = np.take(self.clamped_bytes, index + raw)
        return settings

    def _posture(self, totals: Ints, settings: Ints) -> tuple[list[PostureLabel], list[float]]:
        """`engine._posture` on columns, operation for operation."""
        t0, t3 = self.rulebook.thresholds[0], self.rulebook.thresholds[3]
        values = totals / SCORE_UNITS
        lows = np.take(self.band_low, settings)
        highs = np.take(self.band_high, settings)
        values = np.where(values < lows, lows, np.where(values > highs, highs, values))
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(
                values >= 0,
                np.where(values < t3, values / t3, 1.0),
                np.where(values > t0, values / -t0, -1.0),
            )
        total = np.zeros(values.shape[0], dtype=np.float64)
        for d in range(self.domains):  # in domain order, as the engine adds them
            total = total + shares[:, d]
        rounded = rounded_4(total / self.domains)
        band = self.rulebook.meta.posture.band
        # Places in `_POSTURE_LABELS`: more centralized, midway, more decentralized (the
        # engine's comparisons).
        kinds = 1 - (rounded > band).view(np.int8) + (rounded < -band).view(np.int8)
        labels: list[PostureLabel] = np.take(_POSTURE_LABELS, kinds).tolist()
        return labels, rounded.tolist()


def joined_runs(runs: NDArray[np.object_]) -> list[str]:
    """Each answer set's cells of settings, from its runs (`ColumnScorer.settings_runs`)."""
    return list(map(",".join, runs.tolist()))


_POSTURE_LABELS = np.array(get_args(PostureLabel), dtype=object)


def rounded_4(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """`round(value, 4)` of each, as Python rounds (the nearest float to the value rounded
    to four decimals, half to even on its exact binary value): a whole number of
    ten-thousandths divided by 10,000 is that float, and `rint` of the product finds the
    number wherever the product is not within a hair of a half (its rounding error is
    ~1e-12 for values in [-1, 1]); those few are rounded by Python itself."""
    scaled = values * 10_000.0
    rounded: NDArray[np.float64] = np.rint(scaled) / 10_000.0
    near_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
    near_half |= ~(np.abs(values) <= 1.0)  # (and anything outside [-1, 1], NaN included)
    for k in np.flatnonzero(near_half).tolist():
        rounded[k] = round(float(values[k]), 4)
    return rounded


_RUN = 5  # settings per looked-up run of cells: 5**5 texts
_RUN_WEIGHTS = np.array([len(SETTINGS) ** k for k in range(_RUN - 1, -1, -1)], dtype=np.int64)
_RUN_OFFSETS = {
    length: sum(len(SETTINGS) ** k for k in range(length + 1, _RUN + 1))
    for length in range(1, _RUN + 1)
}


def _bound_bits(low: int = 0, high: int = TIGHTEST) -> int:
    """A floor as bit low-1 (none for 0), a ceiling as bit 4+high (none for tightest)."""
    return (1 << (low - 1) if low else 0) | (1 << (TIGHTEST + high) if high < TIGHTEST else 0)


FLOORS = tuple(nibble.bit_length() for nibble in range(16))
"""The floor of each nibble of floor bits (`_bound_bits`): the highest bit set."""
CEILINGS = tuple((n & -n).bit_length() - 1 if n else TIGHTEST for n in range(16))
"""The ceiling of each nibble of ceiling bits: the lowest bit set (none: tightest)."""


def _clamp_table() -> Ints:
    """`scoring.clamp` of every (bound bits, raw setting), flat: bits * 5 + raw. A floor
    is the highest of the low four bits set (`_bound_bits`), a ceiling the lowest of
    the high four."""
    table = [
        clamp(raw, FLOORS[bits & 15], CEILINGS[bits >> 4])
        for bits in range(256)
        for raw in range(TIGHTEST + 1)
    ]
    return np.array(table, dtype=np.int64)


def _joined(bits: list[NDArray[np.uint8]], count: int, domains: int) -> NDArray[np.uint8]:
    if not bits:
        return np.zeros((count, domains), dtype=np.uint8)
    joined = bits[0]
    for more in bits[1:]:
        joined = joined | more
    return joined


def _cut(threshold: float) -> int:
    """The least whole number of millionths whose score (`units / SCORE_UNITS`, as the
    kernel divides) is at or above `threshold`: the scores at or above it are exactly
    those of at least this many millionths."""
    cut = units(threshold) - 2
    while cut / SCORE_UNITS < threshold:
        cut += 1
    return cut


def _key(group: _Group, codes: Ints | dict[int, Ints], count: int) -> Ints:
    """Each of `count` answer sets' row in the group's tables (`codes`: each question's
    codes, by its row)."""
    rows = group.rows
    if not rows:  # only rules that read nothing: one row
        return np.zeros(count, dtype=np.int64)
    key: Ints = codes[rows[-1]]
    for row, stride in zip(rows[:-1], group.strides[:-1], strict=True):
        key = key + codes[row] * stride
    return key


def _strides(extents: Sequence[int]) -> tuple[int, ...]:
    """Row-major strides of a table with these extents (the last varies fastest)."""
    strides = []
    stride = 1
    for extent in reversed(extents):
        strides.append(stride)
        stride *= extent
    return tuple(reversed(strides))


def _size(columns: Iterable[_Column]) -> int:
    size = 1
    for column in columns:
        size *= len(column.values)
    return size


def _controllers(questions: Mapping[str, Question], name: str) -> set[str]:
    """The questions that decide, directly or through others, whether `name` is shown."""
    found: set[str] = set()
    todo = [name]
    while todo:
        question = questions[todo.pop()]
        for other in question.show_if_reads:
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def _effective(given: dict[str, Any], hiding: list[Question]) -> dict[str, Any]:
    """`scoring.effective_answers` of `given`: "not sure" dropped, then hidden questions
    (in order: a shown-if reads only questions before its own)."""
    effective = {key: value for key, value in given.items() if value != UNSURE}
    for q in hiding:
        if q.id in effective and not q.show_if(effective):  # type: ignore[misc]
            del effective[q.id]
    return effective


def _fires(when: Any) -> Any:
    """A rule's test as `_table` calls it."""

    def test(_given: dict[str, Any], effective: dict[str, Any]) -> bool:
        return bool(when(effective))

    return test


def _shows(question: Question) -> Any:
    """`scoring.is_shown` of a shown-if question, as `_table` calls it."""

    def test(_given: dict[str, Any], effective: dict[str, Any]) -> bool:
        return bool(question.show_if(effective))  # type: ignore[misc]

    return test


def _ignored(question: Question) -> Any:
    """The test behind `engine._hidden_warnings` for one shown-if question."""
    name = question.id

    def test(given: dict[str, Any], effective: dict[str, Any]) -> bool:
        value = given.get(name)
        return (
            value is not None
            and (name not in effective or value == UNSURE)
            and not question.show_if(effective)  # type: ignore[misc]
        )

    return test


def _column(rulebook: Rulebook, question: Question) -> _Column:
    """How a question's answers become codes (see the module's docstring)."""
    values: tuple[Any, ...]
    if question.kind == "multi":
        options = tuple(o.id for o in question.options)
        count = 1 << len(options) if len(options) <= MAX_MULTI_OPTIONS else 0
        values = (
            None,
            UNSURE,
            *([o for k, o in enumerate(options) if mask >> k & 1] for mask in range(count)),
        )
        return _Column(question.id, "multi", {}, values, False, options)
    if question.kind == "text":
        return _Column(question.id, "text", {}, (None, UNSURE, ""), False)
    accepted: list[Any] = [v for v in rulebook.accepted_as_is[question.id] if v != UNSURE]
    if question.kind == "single":
        order = {o.id: k for k, o in enumerate(question.options)}
        accepted.sort(key=lambda v: order.get(v, len(order)))
    else:
        accepted.sort(key=lambda v: (v.__class__ is str, v))
    values = (None, UNSURE, *accepted)
    codes: dict[Any, int] = {value: code for code, value in enumerate(values)}
    numeric = any(v.__class__ is int for v in accepted)
    return _Column(question.id, question.kind, codes, values, numeric)


def _special_coder(column: _Column, ordered: bool = False) -> Callable[[Any], int | None]:
    """A multiple choice's or a text question's code of one answer given (not None), or
    None when it is not valid as it stands (`_codes`, for one value, faster); `ordered`:
    also None for ticks out of the order of the options (`in_order`)."""
    if column.kind == "text":

        def text_code(value: Any) -> int | None:
            if value.__class__ is not str or len(value) > MAX_TEXT:
                return None
            return _UNSURE if value == UNSURE else 2

        return text_code
    known: dict[tuple[str, ...], int | None] = {}
    order = {option: k for k, option in enumerate(column.options)}

    def multi_code(value: Any) -> int | None:
        if value.__class__ is not list:
            return _UNSURE if value.__class__ is str and value == UNSURE else None
        try:
            key = tuple(value)
            code = known[key]
        except (KeyError, TypeError):  # not seen yet, or not a list of strings
            code = _codes(column, [value])[0]
            if ordered and code is not None and not in_order(value, order):
                code = None
            if all(item.__class__ is str for item in value) and len(known) < 4096:
                known[tuple(value)] = code
        return code

    return multi_code


def in_order(value: Any, order: Mapping[str, int]) -> bool:
    """Whether a multiple choice's ticks (if a list of them) are in its options' order."""
    if value.__class__ is not list or len(value) < 2:
        return True
    places = [order[item] for item in value]
    return places == sorted(places)


def _code(column: _Column, value: Any) -> int | None:
    """The code of a scenario's answer (valid, though perhaps not as a file gives it)."""
    if column.kind in ("multi", "text"):
        return _codes(column, [value])[0]
    return _find(column.values, value)


def _find(values: Sequence[Any], value: Any) -> int | None:
    """Where `value` is among `values`, by type as well (1 is not 1.0 nor True)."""
    for code, known in enumerate(values):
        if known.__class__ is value.__class__ and known == value:
            return code
    return None


def _codes(column: _Column, values: Sequence[Any]) -> list[int | None]:
    kind = column.kind
    if kind == "multi":
        options = column.options
        allowed = frozenset(options)
        bit = {o: 1 << k for k, o in enumerate(options)}
        out: list[int | None] = []
        for value in values:
            if value is None:
                out.append(_NONE)
            elif value.__class__ is str:
                out.append(_UNSURE if value == UNSURE else None)
            elif len(options) <= MAX_MULTI_OPTIONS and multi_accepted_as_is(value, allowed):
                out.append(2 + sum(bit[item] for item in value))
            else:
                out.append(None)
        return out
    if kind == "text":
        return [
            _NONE
            if value is None
            else (_UNSURE if value == UNSURE else 2)
            if value.__class__ is str and len(value) <= MAX_TEXT
            else None
            for value in values
        ]
    get = column.codes.get
    try:
        codes = list(map(get, values))
    except TypeError:  # a list or a table: not hashable, not valid
        codes = [get(v) if v.__class__ in _NUMERIC_CLASSES else None for v in values]
    if column.numeric and not _NUMERIC_CLASSES.issuperset(map(type, values)):
        # True == 1 and 2.0 == 2 as keys: only an int (or "unsure") stands as it is. (A
        # str subclass stands as its text; values from a parser are never one.)
        codes = [
            code if value.__class__ in _NUMERIC_CLASSES else None
            for code, value in zip(codes, values, strict=True)
        ]
    return codes
