"""Whole-rulebook checks that `holdtight rules check` reports: a guard rail for every
setting of every domain (an error), and domains no rule moves or questions no rule reads
(warnings)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from holdtight.model import SETTINGS, Domain, GuardRail, Question, Rule
from holdtight.rulebook.files import Findings


def lint(
    findings: Findings,
    questions: Mapping[str, Question],
    rules: Iterable[Rule],
    rails: Iterable[GuardRail],
    domains: Iterable[Domain],
) -> None:
    rules = list(rules)
    moved = {domain_id for rule in rules for domain_id, _ in rule.effects}
    rails_file = "guard_rails.toml"
    always: dict[str, set[str]] = {}  # domain -> settings with an unconditional rail
    for rail in rails:
        if rail.when is None:
            always.setdefault(rail.domain, set()).update(rail.settings)
    for domain in domains:
        for setting in SETTINGS:
            if setting not in always.get(domain.id, ()):
                findings.error(
                    rails_file,
                    f"domain '{domain.id}'",
                    f"no unconditional guard rail for setting '{setting}'",
                )
        if domain.id not in moved and domain.bias == 0:
            findings.warn("domains.toml", f"domain '{domain.id}'", "no rule moves this domain")
    read = {name for rule in rules for name in rule.reads}
    read |= {name for q in questions.values() for name in q.show_if_reads}
    for q in questions.values():
        if q.id not in read and q.kind != "text":
            findings.warn("questions.toml", f"question '{q.id}'", "no rule reads this question")
