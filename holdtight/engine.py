"""The engine: answers in, a recommendation per domain out. Pure: no I/O, no clock.

`score(rulebook, answers)` expects answers already checked against the rulebook (see
`holdtight.sessionfile`); it trusts their types. The rules run as one compiled kernel
(`Rulebook.kernel`); everything here works on lists in domain order.

Every scoring rule is written once — here and in `holdtight.scoring`: setting from
score, bounds, margin, posture, confidence, and how "not sure", unanswered and hidden
questions count — and every path runs it: `score` (details and levers),
`score_settings` (settings and posture only) and `score_raw_answers` (the batch CSV
fast path, on answers valid as they stand). Each path also scores the rulebook's
scenarios: the answers as a scenario has them (`holdtight.scenarios`: from the answers'
own run, testing again only the rules a scenario may flip).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import compress
from typing import Any, NamedTuple

from holdtight.model import (
    SETTINGS,
    UNSURE,
    Answers,
    Confidence,
    DomainResult,
    FiredRule,
    Lever,
    PostureLabel,
    Result,
    Rulebook,
    ScenarioSetting,
    SettingId,
)
from holdtight.scenarios import Run, scenario_runs
from holdtight.scoring import (
    INF,
    TIGHTEST,
    Holds,
    bounds,
    derived,
    effective_answers,
    is_shown,
    lean_index,
    margin,
    settings_of,
)
from holdtight.scoring import setting_index as setting_index
from holdtight.scoring import setting_indexes as setting_indexes
from holdtight.scoring import shown_questions as shown_questions

__all__ = [
    "SettingsOnly",
    "effective_answers",
    "prepare",
    "score",
    "score_raw_answers",
    "score_settings",
    "setting_index",
    "setting_indexes",
    "shown_questions",
]

CONFIDENCE_HIGH_COVERAGE = 0.85
CONFIDENCE_LOW_COVERAGE = 0.5
CONFIDENCE_HIGH_CONFLICT = 0.25
CONFIDENCE_LOW_CONFLICT = 0.4


def _posture(
    rulebook: Rulebook, scores: list[float], settings: list[int]
) -> tuple[PostureLabel, float]:
    """(label, index): the index is the mean normalized score in [-1, 1], each score first
    moved into its final setting's band, so that a bound counts."""
    t0, t1, t2, t3 = rulebook.thresholds
    values = list(scores)
    # Only a bound moves a setting off its score's band: other scores are in it already.
    lows = (-INF, t0, t1, t2, t3)
    highs = (t0, t1, t2, t3, INF)
    for position in rulebook.bound_rules:
        value = values[position]
        setting = settings[position]
        if value < lows[setting]:
            values[position] = lows[setting]
        elif value > highs[setting]:
            values[position] = highs[setting]
    total = 0.0
    for value in values:
        # min(value / t3, 1.0) at or above zero, max(value / -t0, -1.0) below (t0 < 0 < t3).
        total += (
            (value / t3 if value < t3 else 1.0)
            if value >= 0
            else (value / -t0 if value > t0 else -1.0)
        )
    domains = len(scores)
    index = round(total / domains, 4) if domains else 0.0
    band = rulebook.meta.posture.band
    label: PostureLabel = (
        "more_centralized" if index > band else "more_decentralized" if index < -band else "midway"
    )
    return label, index


def hidden_warning(rulebook: Rulebook, question_id: str) -> str:
    """The note that a hidden question's answer was not counted (data formats keep it as
    it is; reports reword it by matching this text: `reports.phrases.readable_warnings`)."""
    text = rulebook.questions[question_id].show_if_text
    return f"answer to '{question_id}' ignored: the question is shown only if {text}"


def _hidden_warnings(rulebook: Rulebook, answers: Answers, effective: Answers) -> tuple[str, ...]:
    warnings: tuple[str, ...] = ()
    for q in rulebook.conditional:
        value = answers.get(q.id)
        if (
            value is not None
            and (q.id not in effective or value == UNSURE)
            and not is_shown(q, effective)
        ):
            warnings += (hidden_warning(rulebook, q.id),)
    return warnings


class SettingsOnly(NamedTuple):
    """Settings and posture only: what a CSV row needs, computed without the details.
    `scenarios` holds, per scenario of the rulebook, its settings in domain order."""

    settings: tuple[SettingId, ...]
    posture_label: PostureLabel
    posture_index: float
    warnings: tuple[str, ...]
    scenarios: tuple[tuple[SettingId, ...], ...] = ()


def score_settings(rulebook: Rulebook, answers: Answers) -> SettingsOnly:
    """Settings and posture only (the batch CSV path): no details, no levers. The same
    steps as `score`, so both give the same settings and posture."""
    effective = effective_answers(rulebook, answers)
    fired, scores = rulebook.kernel(effective)
    holds: Holds = {}
    settings = settings_of(rulebook, fired, scores, holds)
    label, index = _posture(rulebook, scores, settings)
    warnings = _hidden_warnings(rulebook, answers, effective) if rulebook.conditional else ()
    named = SETTINGS.__getitem__
    now = tuple(map(named, settings))
    scenarios = (
        tuple(
            [
                now if run is settings else tuple(map(named, run))
                for _, run in scenario_runs(
                    rulebook, answers, effective, fired, scores, settings, holds
                )
            ]
        )
        if rulebook.scenarios
        else ()
    )
    return SettingsOnly(now, label, index, warnings, scenarios)


def score_raw_answers(rulebook: Rulebook, raw_answers: Mapping[str, Any]) -> SettingsOnly | None:
    """`score_settings` straight from an answer file's raw `[answers]` table, when every
    answer is valid as it stands (then the table is what the full check would give);
    None means the full path must check and score it."""
    accepts_as_is = rulebook.accepts_as_is
    if accepts_as_is is None or not accepts_as_is(raw_answers):
        return None
    return score_settings(rulebook, raw_answers)


def prepare(rulebook: Rulebook) -> None:
    """Build now what scoring derives from a rulebook on first use (its domain entries and
    lever tables), so that the first session scores as fast as the next."""
    from holdtight.levers import prepare_levers  # only where levers are wanted

    derived(rulebook, "domain_plans", _Plans)
    prepare_levers(rulebook)


def score(rulebook: Rulebook, answers: Answers, *, levers: bool = True) -> Result:
    """Score answers against a rulebook. Set `levers=False` when they will not be shown."""
    effective = effective_answers(rulebook, answers)
    fired, scores = rulebook.kernel(effective)
    holds: Holds = {}
    settings = settings_of(rulebook, fired, scores, holds)
    label, index = _posture(rulebook, scores, settings)
    shown = [q for q in rulebook.questions.values() if is_shown(q, effective)]
    shown_ids = {q.id for q in shown}
    lever_map: dict[int, list[Lever]] = {}
    if levers:  # the TUI's question screens score without them: levers load on first use
        from holdtight.levers import find_levers

        lever_map = find_levers(rulebook, answers, effective, fired, scores, settings, shown, holds)
    runs = scenario_runs(rulebook, answers, effective, fired, scores, settings, holds)
    plans: _Plans = derived(rulebook, "domain_plans", _Plans)
    columns = _scenario_columns(rulebook, runs, plans)
    fired_entries = plans.fired_rules(fired, answers)
    domains = tuple(
        _domain_result(
            rulebook,
            position,
            effective,
            fired,
            scores[position],
            settings[position],
            shown_ids,
            lever_map.get(position, ()),
            tuple([column[position] for column in columns]),
            plans,
            fired_entries[position],
            holds.get(position, _UNBOUNDED),
        )
        for position in range(len(rulebook.domains))
    )
    return Result(
        rulebook_id=rulebook.id,
        rulebook_version=rulebook.version,
        domains=domains,
        posture_label=label,
        posture_index=index,
        answered=sum(1 for q in shown if q.id in effective),
        shown=len(shown),
        warnings=_hidden_warnings(rulebook, answers, effective),
        scenarios=rulebook.scenarios,
    )


def _scenario_columns(rulebook: Rulebook, runs: list[Run], plans: _Plans) -> list[list[Any]]:
    """Per scenario, each domain's setting and score under it, in domain order."""
    columns = []
    for scenario, (run_scores, run_settings), made in zip(
        rulebook.scenarios, runs, plans.scenario_items, strict=True
    ):
        column = []
        for setting, value in zip(run_settings, run_scores, strict=True):
            # By type too: 1 and 1.0 are equal keys, but not the same output.
            key = (setting, value, value.__class__)
            item = made.get(key)
            if item is None:
                item = ScenarioSetting(scenario.id, scenario.title, SETTINGS[setting], value)
                if value and len(made) < _MADE_LIMIT * 16:  # not zero: it may be -0.0
                    made[key] = item
            column.append(item)
        columns.append(column)
    return columns


Entry = tuple[int, float, str, str, str | None, dict[Any, FiredRule]]
"""A rule as a domain's `because` lists it: (rank among the domain's rules, heaviest
first; weight on the domain; rule id; why; bound text; the FiredRule items already
made, by the answers the rule reads)."""

Fired = tuple[int, float, FiredRule]
"""(rank, weight, item) of a rule that fired, in a domain's `because`."""

_UNBOUNDED = (0, TIGHTEST)  # no bound rule: (floor, ceiling) that holds nothing
_MADE_LIMIT = 64  # FiredRule items kept per rule and domain (number answers vary)
_AS_IS, _TYPED, _UNKEPT = "as is", "typed", "unkept"  # FiredRule keys (`_Plans.key_modes`)


class _Plans:
    """What domain details need from the rulebook, taken once: per rule, the domains it
    moves or bounds with its entry there; per domain, whether any rule bounds it."""

    def __init__(self, rulebook: Rulebook) -> None:
        by_rule: list[list[tuple[int, Entry]]] = [[] for _ in rulebook.rules]
        for position, domain in enumerate(rulebook.domains):
            domain_id = domain.id
            entries = []
            for i in rulebook.rules_by_domain[domain_id]:
                rule = rulebook.rules[i]
                weight = sum(w for d, w in rule.effects if d == domain_id)
                bound = [f"at least {SETTINGS[b]}" for d, b in rule.at_least if d == domain_id]
                bound += [f"at most {SETTINGS[b]}" for d, b in rule.at_most if d == domain_id]
                entries.append((i, weight, rule.id, rule.because, ", ".join(bound)))
            entries.sort(key=lambda item: -abs(item[1]))  # stable: rule order among equals
            for rank, (i, weight, rule_id, why, bound_text) in enumerate(entries):
                entry: Entry = (rank, weight, rule_id, why, bound_text or None, {})
                by_rule[i].append((position, entry))
        self.by_rule = tuple(tuple(items) for items in by_rule)
        self.rule_reads = tuple(rule.reads for rule in rulebook.rules)
        # How a rule's answers key its FiredRule items: as they are when every question it
        # reads answers with text (an option id, "unsure": a str or None), with their
        # types when a number or a scale is among them (1 and 1.0 are equal keys, but not
        # the same output), not at all when a list is (multiple choice: made every time).
        kinds = [{rulebook.questions[name].kind for name in rule.reads} for rule in rulebook.rules]
        self.key_modes = tuple(
            _UNKEPT if "multi" in k else _TYPED if k & {"number", "scale"} else _AS_IS
            for k in kinds
        )
        # Per domain, per setting: the guard rails that speak to that setting.
        self.rails = tuple(
            tuple(
                tuple(r for r in rulebook.guard_rails_by_domain[d.id] if name in r.settings)
                for name in SETTINGS
            )
            for d in rulebook.domains
        )
        # Per scenario, its ScenarioSetting items already made, by (setting, score).
        self.scenario_items: tuple[dict[tuple[int, float, type], ScenarioSetting], ...] = tuple(
            {} for _ in rulebook.scenarios
        )
        # The questions a domain's rules read, as sets: coverage is counted in C.
        self.reads = tuple(frozenset(rulebook.domain_reads[d.id]) for d in rulebook.domains)

    def fired_rules(self, fired: list[bool], answers: Answers) -> list[list[Fired]]:
        """Per domain, its rules that fired, heaviest first, each with its FiredRule
        item (kept for the next session that gives the same answers to what it reads)."""
        found: list[list[Fired]] = [[] for _ in self.reads]
        get = answers.get
        modes = self.key_modes
        for i in compress(range(len(fired)), fired):
            reads = self.rule_reads[i]
            values = tuple([get(name) for name in reads])
            mode = modes[i]
            keep = mode is not _UNKEPT
            key: Any = values
            if mode is _TYPED:
                key = (values, tuple([value.__class__ for value in values]))
            pairs = None
            for position, (rank, weight, rule_id, why, bound_text, made) in self.by_rule[i]:
                item = made.get(key) if keep else None
                if item is None:
                    if pairs is None:
                        pairs = tuple(zip(reads, values, strict=True))
                    item = FiredRule(rule_id, weight, why, pairs, bound_text)
                    if keep and len(made) < _MADE_LIMIT:
                        made[key] = item
                found[position].append((rank, weight, item))
        for entries in found:
            entries.sort()  # by rank: ranks differ within a domain
        return found


def _domain_result(
    rulebook: Rulebook,
    position: int,
    effective: Answers,
    fired: list[bool],
    total: float,
    setting: int,
    shown_ids: set[str],
    levers: tuple[Lever, ...] | list[Lever],
    scenarios: tuple[ScenarioSetting, ...],
    plans: _Plans,
    entries: list[Fired],
    bounded: tuple[int, int],
) -> DomainResult:
    """`bounded`: the domain's (floor, ceiling) in the run (`settings_of`'s holds)."""
    domain = rulebook.domains[position]
    domain_id = domain.id
    because: list[FiredRule] = []
    positive = negative = 0.0
    for _, weight, item in entries:
        if weight > 0:
            positive += weight
        else:
            negative -= weight
        because.append(item)
    low, high = bounded
    raw = setting_index(rulebook.thresholds, total)
    note = bound_note(rulebook, fired, domain_id, setting, raw, low, high)
    relevant = plans.reads[position] & shown_ids
    answered = len(relevant & effective.keys())
    distance, borderline = closeness(rulebook, total, setting, raw, low, high)
    confidence = confidence_of(
        positive, negative, answered, len(relevant), bool(because), borderline
    )
    rails = tuple(
        [
            rail
            for rail in plans.rails[position][setting]
            if rail.when is None or rail.when(effective)
        ]
    )
    return DomainResult(
        domain_id,
        domain.title,
        SETTINGS[setting],
        total,  # exact to six decimals (`settle`): 0.49999 is not shown as 0.5
        SETTINGS[raw],
        confidence,
        answered,
        len(relevant),
        tuple(because),
        rails,
        tuple(levers),
        note,
        distance,
        borderline,
        scenarios,
    )


def bound_note(
    rulebook: Rulebook,
    fired: list[bool],
    domain_id: str,
    setting: int,
    raw: int,
    low: int,
    high: int,
) -> str | None:
    """Which rules hold a domain off its score's setting (`low`, `high`: the bounds in
    force), or None when none do."""
    if not (low > high or setting != raw):
        return None
    rules = rulebook.rules
    _, _, low_rules, high_rules = bounds(rulebook, fired, domain_id)
    if low > high:
        return (
            f"bounds conflict: {', '.join(rules[i].id for i in low_rules)} hold it at least "
            f"{SETTINGS[low]}, {', '.join(rules[i].id for i in high_rules)} at most "
            f"{SETTINGS[high]}; the tighter bound wins"
        )
    which = low_rules if setting == low else high_rules
    side = "at least" if setting == low else "at most"
    return (
        f"held {side} {SETTINGS[setting]} by {', '.join(rules[i].id for i in which)} "
        f"(score alone: {SETTINGS[raw]})"
    )


def closeness(
    rulebook: Rulebook, total: float, setting: int, raw: int, low: int, high: int
) -> tuple[float, bool]:
    """(margin, borderline) of a domain's score. Borderline: the score's own setting, a
    small change of score away from the next one, and that next setting allowed by the
    bounds in force (a vision that may never be balanced is not "close to balanced")."""
    thresholds = rulebook.thresholds
    distance = margin(thresholds, total)
    borderline = (
        setting == raw
        and distance < rulebook.meta.scale.borderline
        and low <= lean_index(thresholds, total) <= high
    )
    return distance, borderline


def confidence_of(
    positive: float, negative: float, answered: int, relevant: int, moved: bool, borderline: bool
) -> Confidence:
    """How far to trust a domain's setting: the share of its shown questions answered
    (`answered` of `relevant`) and how much its rules that fired pull against each other
    (`positive`, `negative`: their weights' sums, in `because` order); `moved`: whether
    any rule fired."""
    coverage = answered / relevant if relevant else 1.0
    conflict = min(positive, negative) / (positive + negative) if positive + negative else 0.0
    confidence: Confidence
    if coverage >= CONFIDENCE_HIGH_COVERAGE and conflict <= CONFIDENCE_HIGH_CONFLICT:
        confidence = "high"
    elif coverage < CONFIDENCE_LOW_COVERAGE or conflict > CONFIDENCE_LOW_CONFLICT:
        confidence = "low"
    else:
        confidence = "medium"
    if confidence == "high" and not moved:
        confidence = "medium"  # no answer moved it: the setting is only the starting point
    if borderline and confidence == "high":
        confidence = "medium"
    return confidence


def domain_plans(rulebook: Rulebook) -> _Plans:
    """What domain details need from the rulebook (built once, kept with it)."""
    plans: _Plans = derived(rulebook, "domain_plans", _Plans)
    return plans
