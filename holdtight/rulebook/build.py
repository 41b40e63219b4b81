"""Build the compiled `Rulebook` from checked definitions: questions (with their
`show_if`), domains, rules and guard rails with their conditions compiled and checked
against the questionnaire, every reference and bound checked; then the indexes and the
batch kernel."""

# No `from __future__ import annotations` here: with it, typing.NamedTuple compiles
# every field's annotation string at import, which costs start-up time.

import math
from collections.abc import Mapping
from pathlib import Path
from types import CodeType
from typing import NamedTuple

# The condition language, and the code generation of the batch kernel: the one place
# this package imports them.
from holdtight.answercheck import check_answer
from holdtight.codegen import QuestionSpec, compile_kernel, scenario_spec
from holdtight.errors import did_you_mean
from holdtight.expressions import Condition, ExpressionError, NameInfo, compile_condition
from holdtight.model import (
    Domain,
    Example,
    GuardRail,
    Question,
    QuestionDef,
    Rule,
    Rulebook,
    RulebookMeta,
    Scenario,
    ScenarioDef,
    settle,
    tightness,
)
from holdtight.rulebook.definitions import Definitions, Entry
from holdtight.rulebook.files import Findings
from holdtight.rulebook.index import build_indexes, rails_by_domain


class Parts(NamedTuple):
    """A rulebook's compiled pieces, before indexing."""

    questions: dict[str, Question]
    domains: tuple[Domain, ...]
    rules: tuple[Rule, ...]
    rails: tuple[GuardRail, ...]
    examples: tuple[Example, ...]
    conditions: list[Condition]
    scenarios: tuple[Scenario, ...] = ()
    rail_conditions: tuple[Condition | None, ...] = ()
    """Per guard rail, its condition (None: the rail holds whenever its setting does)."""


def compile_parts(findings: Findings, definitions: Definitions) -> Parts:
    """Compile every table, reporting each problem; the parts are whole only when no
    error was found."""
    return _Builder(findings, definitions).build()


def assemble(
    meta: RulebookMeta,
    definitions: Definitions,
    parts: Parts,
    sha256: str,
    root: Path,
    code: CodeType | None = None,
) -> tuple[Rulebook, CodeType]:
    """The Rulebook: its parts, the engine's indexes and the batch kernel; and the code of
    its compiled conditions (`code`: that code from an earlier load of the same files)."""
    questions, domains, rules = parts.questions, parts.domains, parts.rules
    indexes = build_indexes(questions, domains, rules, parts.rails)
    position = {d.id: i for i, d in enumerate(domains)}
    t = meta.scale.thresholds
    thresholds = (settle(t.lean_loose), settle(t.balanced), settle(t.lean_tight), settle(t.tight))
    specs = [
        QuestionSpec(q.id, q.kind, indexes.accepted_as_is[q.id], q.option_ids)
        for q in questions.values()
    ]
    rail_conditions = [c for c in parts.rail_conditions if c is not None]
    kernel, predicates, fast_factory, code = compile_kernel(
        parts.conditions,
        [[(position[d], w) for d, w in rule.effects] for rule in rules],
        [d.bias for d in domains],
        specs,
        rail_conditions,
        code,
        [scenario_spec(s, indexes.rules_by_question) for s in parts.scenarios],
    )
    # Every rule and rail tests its condition with the kernel's code (compiled at once).
    rules = tuple(rule._replace(when=when) for rule, when in zip(rules, predicates, strict=False))
    rail_tests = iter(predicates[len(rules) :])
    rails = tuple(
        rail if condition is None else rail._replace(when=next(rail_tests))
        for rail, condition in zip(parts.rails, parts.rail_conditions, strict=True)
    )
    rulebook = Rulebook(
        meta=meta,
        sha256=sha256,
        path=str(root),
        sections=tuple(s for _, s in definitions.section),
        questions=questions,
        domains=domains,
        rules=rules,
        guard_rails=rails,
        examples=parts.examples,
        thresholds=thresholds,
        rules_by_question=indexes.rules_by_question,
        rules_by_domain=indexes.rules_by_domain,
        domain_reads=indexes.domain_reads,
        max_swing=indexes.max_swing,
        bounded_by=indexes.bounded_by,
        visibility_controllers=indexes.visibility_controllers,
        lever_candidates=indexes.lever_candidates,
        guard_rails_by_domain=rails_by_domain(domains, rails),
        kernel=kernel,
        fast_factory=fast_factory,
        conditional=indexes.conditional,
        bound_rules={k: v for k, v in indexes.bound_rules.items() if v},
        accepted_as_is=indexes.accepted_as_is,
        scenarios=parts.scenarios,
    )
    return rulebook, code


class _Builder:
    def __init__(self, findings: Findings, definitions: Definitions) -> None:
        self.findings = findings
        self.definitions = definitions
        self.domain_ids = {item.id for _, item in definitions.domain}
        self.names = {item.id: _name_info(item) for _, item in definitions.question}
        self.conditions: list[Condition] = []
        self.rail_conditions: list[Condition | None] = []

    def error(self, entry: Entry, field_name: str | None, message: str) -> None:
        where = f"{entry.label}, field '{field_name}'" if field_name else entry.label
        self.findings.error(entry.file, where, message)

    def settled(self, entry: Entry, field_name: str, value: float) -> float:
        """`value` to six decimals (`model.settle`), with a warning when that changes it."""
        kept = settle(value)
        if kept != value:
            where = f"{entry.label}, field '{field_name}'"
            self.findings.warn(
                entry.file, where, f"{value!r} has more than six decimals: counted as {kept!r}"
            )
        return kept

    def condition(
        self, entry: Entry, field_name: str, text: str, lazy: bool = False
    ) -> Condition | None:
        try:
            return compile_condition(text, self.names, lazy=lazy)
        except ExpressionError as error:
            self.error(entry, field_name, str(error))
            return None

    def build(self) -> Parts:
        questions = self.questions()
        rules = self.rules()
        rails = self.guard_rails()
        for entry, d in self.definitions.domain:
            if not (math.isfinite(d.bias) and abs(d.bias) <= 1000):
                self.error(entry, "bias", "must be a finite number within ±1000")
        domains = tuple(
            Domain(
                d.id,
                d.title,
                d.description,
                d.tight_means,
                d.loose_means,
                self.settled(entry, "bias", d.bias) if math.isfinite(d.bias) else 0.0,
                d.short or d.title.split(",")[0].split(" and ")[0][:14],
            )
            for entry, d in self.definitions.domain
        )
        scenarios = tuple(
            scenario
            for entry, item in self.definitions.scenario
            if (scenario := self.scenario(entry, item, questions)) is not None
        )
        examples = tuple(
            Example(
                e.id,
                e.description,
                dict(e.answers),
                dict(e.expect),
                e.expect_posture,
                entry.file,
                {k: dict(v) for k, v in e.expect_scenarios.items()},
            )
            for entry, e in self.definitions.example
        )
        scenario_ids = {item.id for _, item in self.definitions.scenario}
        for entry, example in self.definitions.example:
            for domain_id in example.expect:
                if domain_id not in self.domain_ids:
                    hint = did_you_mean(domain_id, self.domain_ids)
                    self.error(entry, None, f"expects unknown domain '{domain_id}'{hint}")
            for scenario_id, expected in example.expect_scenarios.items():
                if scenario_id not in scenario_ids:
                    hint = did_you_mean(scenario_id, scenario_ids)
                    self.error(entry, "expect_scenarios", f"unknown scenario '{scenario_id}'{hint}")
                for domain_id in expected:
                    if domain_id not in self.domain_ids:
                        hint = did_you_mean(domain_id, self.domain_ids)
                        self.error(
                            entry,
                            f"expect_scenarios.{scenario_id}",
                            f"unknown domain '{domain_id}'{hint}",
                        )
        return Parts(
            questions,
            domains,
            rules,
            rails,
            examples,
            self.conditions,
            scenarios,
            tuple(self.rail_conditions),
        )

    def scenario(
        self, entry: Entry, item: ScenarioDef, questions: Mapping[str, Question]
    ) -> Scenario | None:
        """A scenario's answers checked like an answer file's, and its step."""
        ok = True
        answers = {}
        for key, value in item.answers.items():
            question = questions.get(key)
            if question is None:
                hint = did_you_mean(key, questions)
                self.error(entry, f"answers.{key}", f"unknown question{hint}")
                ok = False
                continue
            try:
                answers[key] = check_answer(question, value)
            except ValueError as error:
                self.error(entry, f"answers.{key}", str(error))
                ok = False
        if not item.title.strip():
            self.error(entry, "title", "must not be empty")
            ok = False
        step = None
        if item.step is not None:
            step = (item.step.question, dict(item.step.map))
            ok = self.check_step(entry, item, questions) and ok
        elif not item.answers:
            self.error(entry, None, "has no answers and no step: it would change nothing")
            ok = False
        if not ok:
            return None
        return Scenario(
            item.id,
            item.title,
            item.description,
            tuple(item.criteria),
            item.kind,
            answers,
            step,
            entry.file,
        )

    def check_step(
        self, entry: Entry, item: ScenarioDef, questions: Mapping[str, Question]
    ) -> bool:
        assert item.step is not None
        question = questions.get(item.step.question)
        if question is None or question.kind != "single":
            hint = did_you_mean(item.step.question, questions) if question is None else ""
            self.error(entry, "step.question", f"must name a single-choice question{hint}")
            return False
        if item.step.question in item.answers:
            self.error(entry, "step.question", "is also set in answers")
            return False
        for key, value in item.step.map.items():
            for option in (key, value):
                if option not in question.option_ids:
                    hint = did_you_mean(option, question.option_ids)
                    self.error(entry, f"step.map.{key}", f"'{option}' is not an option{hint}")
                    return False
        return True

    def questions(self) -> dict[str, Question]:
        section_ids = {s.id for _, s in self.definitions.section}
        result: dict[str, Question] = {}
        for index, (entry, q) in enumerate(self.definitions.question):
            if q.section not in section_ids:
                hint = did_you_mean(q.section, section_ids)
                self.error(entry, "section", f"unknown section '{q.section}'{hint}")
            self.check_kind(entry, q)
            show_if = self.show_if(entry, q, result) if q.show_if is not None else None
            required = q.required if q.required is not None else q.kind != "text"
            result[q.id] = Question(
                id=q.id,
                section=q.section,
                kind=q.kind,
                prompt=q.prompt,
                help=q.help,
                options=tuple(q.options),
                option_ids=frozenset(o.id for o in q.options),
                min=q.min,
                max=q.max,
                integer=q.integer if q.kind == "number" else True,
                unit=q.unit,
                labels=dict(q.labels),
                required=required,
                show_if=show_if.function if show_if else None,
                show_if_text=q.show_if,
                show_if_reads=frozenset(show_if.reads) if show_if else frozenset(),
                order=index,
                nature=q.nature,
                short_label=q.short_label or derived_short_label(q.prompt),
            )
        return result

    def check_kind(self, entry: Entry, q: QuestionDef) -> None:
        """Options and range fit the question's kind."""
        if q.kind in ("single", "multi"):
            if len(q.options) < 2:
                self.error(entry, "options", f"a {q.kind} question needs at least two options")
            option_ids = [o.id for o in q.options]
            if len(set(option_ids)) != len(option_ids):
                self.error(entry, "options", "duplicate option id")
            if "unsure" in option_ids:
                self.error(entry, "options", "'unsure' is built in; do not list it")
        elif q.options:
            self.error(entry, "options", f"a {q.kind} question has no options")
        if q.kind in ("scale", "number"):
            if q.min is None or q.max is None or not q.min < q.max:
                self.error(entry, None, f"a {q.kind} question needs min < max")
            elif q.kind == "scale" and (q.max - q.min > 20 or not float(q.min).is_integer()):
                self.error(entry, None, "a scale runs over at most 20 whole steps")

    def show_if(
        self, entry: Entry, q: QuestionDef, earlier: Mapping[str, Question]
    ) -> Condition | None:
        """A question's `show_if`, reading only questions asked before it."""
        assert q.show_if is not None
        show_if = self.condition(entry, "show_if", q.show_if)
        if show_if is None:
            return None
        if q.id in show_if.reads:
            self.error(entry, "show_if", "a question cannot depend on itself")
        later = [name for name in show_if.reads if name not in earlier]
        if later:
            self.error(
                entry, "show_if", f"reads '{later[0]}', which is not asked before this question"
            )
        return show_if

    def setting_map(
        self, entry: Entry, field_name: str, values: Mapping[str, str]
    ) -> tuple[tuple[str, int], ...]:
        pairs = []
        for domain_id, setting in values.items():
            if domain_id not in self.domain_ids:
                hint = did_you_mean(domain_id, self.domain_ids)
                self.error(entry, field_name, f"unknown domain '{domain_id}'{hint}")
                continue
            pairs.append((domain_id, tightness(setting)))
        return tuple(pairs)

    def rules(self) -> tuple[Rule, ...]:
        rules = []
        for entry, r in self.definitions.rule:
            condition = self.condition(entry, "when", r.when, lazy=True)
            effects = []
            for domain_id, weight in r.effects.items():
                if domain_id not in self.domain_ids:
                    hint = did_you_mean(domain_id, self.domain_ids)
                    self.error(entry, "effects", f"unknown domain '{domain_id}'{hint}")
                elif not math.isfinite(weight) or abs(weight) > 1000:
                    self.error(
                        entry,
                        f"effects.{domain_id}",
                        "weight must be a finite number within ±1000",
                    )
                else:
                    effects.append(
                        (domain_id, self.settled(entry, f"effects.{domain_id}", float(weight)))
                    )
            at_least = self.setting_map(entry, "at_least", r.at_least)
            at_most = self.setting_map(entry, "at_most", r.at_most)
            if not (effects or at_least or at_most):
                self.error(entry, None, "has no effects and no bounds")
            if not r.because.strip():
                self.error(entry, "because", "must say why")
            if condition is None:
                continue
            self.conditions.append(condition)
            rules.append(
                Rule(
                    r.id,
                    condition.function,
                    r.when,
                    condition.reads,
                    tuple(effects),
                    at_least,
                    at_most,
                    r.because,
                    entry.file,
                    condition.numeric_literals,
                )
            )
        return tuple(rules)

    def guard_rails(self) -> tuple[GuardRail, ...]:
        rails = []
        for entry, g in self.definitions.guard_rail:
            if g.domain not in self.domain_ids:
                hint = did_you_mean(g.domain, self.domain_ids)
                self.error(entry, "domain", f"unknown domain '{g.domain}'{hint}")
                continue
            condition = (
                self.condition(entry, "when", g.when, lazy=True) if g.when is not None else None
            )
            if g.when is not None and condition is None:
                continue
            self.rail_conditions.append(condition)
            rails.append(
                GuardRail(
                    g.id,
                    g.domain,
                    frozenset(g.settings),
                    condition.function if condition else None,
                    g.when,
                    condition.reads if condition else (),
                    g.text,
                )
            )
        return tuple(rails)


def _name_info(question: QuestionDef) -> NameInfo:
    return NameInfo(question.kind, frozenset(o.id for o in question.options))


def derived_short_label(prompt: str, limit: int = 40) -> str:
    """The prompt's first clause, without its question mark, cut at a word."""
    text = prompt.split("?")[0].split(":")[0].strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"
