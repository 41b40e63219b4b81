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
    rails = list(rails)
    rules = list(rules)
    rails_file = "guard_rails.toml"
    for domain in domains:
        for setting in SETTINGS:
            if not any(
                r.domain == domain.id and setting in r.settings and r.when is None for r in rails
            ):
                findings.error(
                    rails_file,
                    f"domain '{domain.id}'",
                    f"no unconditional guard rail for setting '{setting}'",
                )
        if not any(domain.id in dict(r.effects) for r in rules) and domain.bias == 0:
            findings.warn("domains.toml", f"domain '{domain.id}'", "no rule moves this domain")
    read = {name for rule in rules for name in rule.reads}
    read |= {name for q in questions.values() for name in q.show_if_reads}
    for q in questions.values():
        if q.id not in read and q.kind != "text":
            findings.warn("questions.toml", f"question '{q.id}'", "no rule reads this question")
