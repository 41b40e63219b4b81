"""`holdtight rules check | test | stats`: validate, run worked examples, calibrate."""

from __future__ import annotations

import random
import sys
from collections import Counter
from typing import Any

from holdtight.engine import score
from holdtight.errors import EXIT_INPUT, EXIT_OK, EXIT_USAGE, InputError
from holdtight.model import SETTINGS, AnswerValue, Question, Rule, Rulebook, tightness
from holdtight.rulebook import bundled_rules_dir, check_rulebook, load_rulebook
from holdtight.sessionfile import check_answers
from holdtight.terminal_text import for_terminal


def run_check(folder: str | None = None) -> int:
    path = folder or bundled_rules_dir()
    rulebook, findings = check_rulebook(path)
    for finding in findings:
        print(for_terminal(f"{finding.severity}: {finding}"), file=sys.stderr)
    if rulebook is None:
        errors = sum(1 for f in findings if f.severity == "error")
        print(
            for_terminal(
                f"holdtight: {path}: {errors} error{'' if errors == 1 else 's'}; "
                "the rulebook cannot be used"
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    tightening = readiness_findings(rulebook)
    for line in tightening:
        print(f"warning: {line}", file=sys.stderr)
    warnings = len(findings) + len(tightening)
    print(
        f"ok: {rulebook.id} {rulebook.version}: {len(rulebook.questions)} questions, "
        f"{len(rulebook.domains)} domains, {len(rulebook.rules)} rules, "
        f"{len(rulebook.guard_rails)} guard rails, {len(rulebook.scenarios)} scenarios, "
        f"{len(rulebook.examples)} examples" + (f", {warnings} warning(s)" if warnings else "")
    )
    return EXIT_OK


READINESS_SAMPLES = 300


def readiness_findings(
    rulebook: Rulebook, samples: int = READINESS_SAMPLES, seed: int = 1
) -> list[str]:
    """A readiness scenario must never be tighter than the answers as given: one line per
    scenario and domain where it is, on a seeded sample of random answers."""
    readiness = {s.id: s for s in rulebook.scenarios if s.kind == "readiness"}
    if not readiness:
        return []
    rng = random.Random(seed)
    found: dict[tuple[str, str], str] = {}
    for _ in range(samples):
        result = score(rulebook, random_answers(rulebook, rng), levers=False)
        for domain in result.domains:
            for under in domain.scenarios:
                key = (under.id, domain.id)
                if (
                    under.id in readiness
                    and key not in found
                    and tightness(under.setting) > tightness(domain.setting)
                ):
                    found[key] = (
                        f"{readiness[under.id].source_file}: scenario '{under.id}': a readiness "
                        f"scenario tightens domain '{domain.id}' ({domain.setting} to "
                        f"{under.setting}) for some answers; readiness should only loosen"
                    )
    return list(found.values())


def run_test(folder: str | None = None) -> int:
    rulebook = load_rulebook(folder)
    fired_by_any: set[str] = set()
    exercised: set[str] = set()
    failures = 0
    for example in rulebook.examples:
        where = f"{example.source_file}: example '{example.id}'"
        try:
            answers, _, _ = check_answers(rulebook, example.answers, where)
        except InputError as error:
            print(for_terminal(f"FAIL {error}"))
            failures += 1
            continue
        result = score(rulebook, answers, levers=False)
        problems = []
        exercised.update(example.expect_scenarios)
        for domain in result.domains:
            fired_by_any.update(f.rule for f in domain.because)
            expected = example.expect.get(domain.id)
            if expected is not None and expected != domain.setting:
                problems.append(
                    f"{domain.id}: expected {expected}, got {domain.setting} (score {domain.score:g})"
                )
            for under in domain.scenarios:
                expected = example.expect_scenarios.get(under.id, {}).get(domain.id)
                if expected is not None and expected != under.setting:
                    problems.append(
                        f"{domain.id}@{under.id}: expected {expected}, got {under.setting} "
                        f"(score {under.score:g})"
                    )
        if example.expect_posture and example.expect_posture != result.posture_label:
            problems.append(
                f"posture: expected {example.expect_posture}, got {result.posture_label}"
            )
        if problems:
            failures += 1
            print(for_terminal(f"FAIL {where}: " + "; ".join(problems)))
        else:
            checked = len(example.expect) + sum(map(len, example.expect_scenarios.values()))
            print(
                f"ok   {for_terminal(example.id)} ({checked} setting{'' if checked == 1 else 's'} checked)"
            )
    unfired = [rule.id for rule in rulebook.rules if rule.id not in fired_by_any]
    covered = len(rulebook.rules) - len(unfired)
    share = covered / len(rulebook.rules) * 100 if rulebook.rules else 100.0
    print(f"rules fired by some example: {covered} of {len(rulebook.rules)} ({share:.0f}%)")
    for rule_id in unfired:
        print(f"  never fired: {rule_id}")
    if rulebook.scenarios:
        unexercised = [s.id for s in rulebook.scenarios if s.id not in exercised]
        print(
            "scenarios an example expects settings of: "
            f"{len(rulebook.scenarios) - len(unexercised)} of {len(rulebook.scenarios)}"
        )
        for scenario_id in unexercised:
            print(f"  no example exercises: {scenario_id}")
    passed = len(rulebook.examples) - failures
    print(f"{passed} passed, {failures} failed")
    return EXIT_INPUT if failures else EXIT_OK


def random_answers(
    rulebook: Rulebook, rng: random.Random, unsure: float = 0.05
) -> dict[str, AnswerValue]:
    """A random, valid answer set: each question answered, sometimes 'unsure'."""
    answers: dict[str, AnswerValue] = {}
    for question in rulebook.questions.values():
        answer = _random_answer(question, rng, unsure)
        if answer is not None:
            answers[question.id] = answer
    return answers


def _random_answer(question: Question, rng: random.Random, unsure: float) -> AnswerValue | None:
    if question.kind == "text":
        return None
    if rng.random() < unsure:
        return "unsure"
    if question.kind == "single":
        return rng.choice(question.options).id
    if question.kind == "multi":
        return [o.id for o in question.options if rng.random() < 0.4]
    low = int(question.min or 0)
    high = int(question.max or 0)
    if question.kind == "number" and high - low > 100:
        # Sizes spread over orders of magnitude: sample them so.
        return min(high, max(low, round(10 ** rng.uniform(0, 3.3))))
    return rng.randint(low, high)


def run_stats(folder: str | None = None, samples: int = 2000, seed: int = 1) -> int:
    """Print, by labels and titles (never ids), how often each setting, posture and rule
    comes out of random answers. A rule is named by the start of its `because` text."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    rulebook = load_rulebook(folder)
    samples = max(1, samples)
    data = stats_data(rulebook, samples, seed)
    settings, fires, posture = data["settings"], data["fires"], data["posture"]
    console = Console()
    table = Table(title=f"Settings over {samples} random answer sets", header_style="bold")
    table.add_column("Domain", no_wrap=True)
    for setting in reversed(SETTINGS):
        label = Text(for_terminal(rulebook.setting_label(setting)))
        table.add_column(label, justify="right", max_width=8)
    table.add_column("reached", justify="right", max_width=8)
    for domain in rulebook.domains:
        counts = settings[domain.id]
        table.add_row(
            Text(for_terminal(domain.short or domain.title)),
            *(f"{counts[s] / samples:.0%}" for s in reversed(SETTINGS)),
            str(sum(1 for s in SETTINGS if counts[s])),
        )
    console.print(table)
    postures = ", ".join(
        f"{rulebook.posture_text(k)} {posture[k] / samples:.0%}"
        for k in ("more_centralized", "midway", "more_decentralized")
    )
    console.print(Text(for_terminal(f"Posture: {postures}")))
    rules = Table(title="How often each rule fires", header_style="bold")
    rules.add_column("Rule (because …)", no_wrap=True, overflow="ellipsis")
    rules.add_column("fires", justify="right", no_wrap=True)
    for rule in sorted(rulebook.rules, key=lambda r: fires[r.id]):
        rules.add_row(Text(_rule_name(rule)), f"{fires[rule.id] / samples:.1%}")
    console.print(rules)
    for rule in rulebook.rules:
        if not fires[rule.id]:
            console.print(Text(f"never fired: {_rule_name(rule)}"))
    return EXIT_OK


def _rule_name(rule: Rule) -> str:
    """A rule as a person recognizes it: the start of its reason."""
    return for_terminal(rule.because, 60)


def stats_data(rulebook: Rulebook, samples: int, seed: int = 1) -> dict[str, Any]:
    """Per domain the settings reached, per rule how often it fires, and the postures."""
    rng = random.Random(seed)
    settings: dict[str, Counter[str]] = {d.id: Counter() for d in rulebook.domains}
    fires: Counter[str] = Counter()
    posture: Counter[str] = Counter()
    for _ in range(samples):
        result = score(rulebook, random_answers(rulebook, rng), levers=False)
        posture[result.posture_label] += 1
        for domain in result.domains:
            settings[domain.id][domain.setting] += 1
        fires.update({f.rule for domain in result.domains for f in domain.because})
    return {"settings": settings, "fires": fires, "posture": posture}
