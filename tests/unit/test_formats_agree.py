"""Every output format of `holdtight score` gives the same settings, posture and scenario
settings, on small random rulebooks (with random scenarios) that are not in the
repository (the batch CSV fast path once drifted from the engine: "unsure" to a text
question read by `answered()`)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdtight.cli import main
from holdtight.engine import score
from holdtight.model import Rulebook
from holdtight.rulebook import load_rulebook
from holdtight.scenarios import scenario_answers
from holdtight.sessionfile import check_answers
from tests.helpers import examples

SETTING_IDS = ("tight", "lean_tight", "balanced", "lean_loose", "loose")
LABELS = {f"Set{i}": s for i, s in enumerate(SETTING_IDS)}
KINDS = ("single", "multi", "scale", "number", "text")
OPTIONS = ("o0", "o1", "o2")
WORDS = ("hello", "unsure", "other")


def _toml(value: Any) -> str:
    return json.dumps(value)  # strings, numbers and lists of strings: JSON is valid TOML


# Weights as people write them, whose float sums depend on the order they are added in
# (0.7 - 0.2 is 0.49999999999999994, 0.2 + 0.2 + 0.2 is 0.6000000000000001): every path
# must still give the kernel's score and setting (`model.settle`).
DECIMALS = [0.1, 0.2, 0.3, 0.7, 1.1, -0.1, -0.2, -0.3, -0.7, 0.05, 0.15]


@st.composite
def rulebooks(draw: st.DrawFn) -> dict[str, Any]:
    """A small rulebook as data: questions (show_if chains), domains, rules."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=6))
    questions: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        q: dict[str, Any] = {"id": f"q{i}", "kind": kind}
        if kind == "number":
            q["integer"] = draw(st.booleans())
        if i and draw(st.integers(0, 2)) == 0:  # shown only after an earlier question
            q["show_if"] = draw(_condition(questions[:i]))
        questions.append(q)
    domains = draw(st.integers(1, 3))
    rules = []
    for r in range(draw(st.integers(1, 6))):
        rule: dict[str, Any] = {"id": f"r{r}", "when": draw(_condition(questions))}
        weights = st.integers(-6, 6).map(lambda n: n / 2) | st.sampled_from(DECIMALS)
        rule["effects"] = draw(
            st.dictionaries(st.sampled_from([f"d{d}" for d in range(domains)]), weights)
        )
        for bound in ("at_least", "at_most"):
            if draw(st.integers(0, 3)) == 0:
                rule[bound] = {
                    f"d{draw(st.integers(0, domains - 1))}": draw(st.sampled_from(SETTING_IDS))
                }
        if not rule["effects"] and "at_least" not in rule and "at_most" not in rule:
            rule["effects"] = {"d0": 1.0}
        rules.append(rule)
    biases = [
        draw(st.integers(-4, 4).map(lambda n: n / 2) | st.sampled_from(DECIMALS))
        for _ in range(domains)
    ]
    scenarios = [draw(_scenario(questions, n)) for n in range(draw(st.integers(0, 2)))]
    return {"questions": questions, "domains": biases, "rules": rules, "scenarios": scenarios}


@st.composite
def _scenario(draw: st.DrawFn, questions: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """A scenario overriding some answers, or stepping a single-choice answer on."""
    singles = [q["id"] for q in questions if q["kind"] == "single"]
    scenario: dict[str, Any] = {"id": f"sc{n}", "answers": {}}
    stepping: bool = draw(st.booleans())
    if singles and stepping:
        question = draw(st.sampled_from(singles))
        steps = draw(st.dictionaries(st.sampled_from(OPTIONS), st.sampled_from(OPTIONS)))
        scenario["step"] = {"question": question, "map": steps}
    picked = draw(st.lists(st.sampled_from(questions), unique_by=lambda q: q["id"], max_size=3))
    for q in picked:
        if q["id"] != scenario.get("step", {}).get("question"):
            answer = _answer(draw, q)
            if answer is not None:
                scenario["answers"][q["id"]] = answer
    if not scenario["answers"] and "step" not in scenario:
        scenario["answers"][questions[0]["id"]] = "unsure"
    return scenario


def _atom(draw: st.DrawFn, q: dict[str, Any]) -> str:
    qid, kind = q["id"], q["kind"]
    if draw(st.integers(0, 3)) == 0:
        return f"answered({qid})"
    if kind == "single":
        return f"{qid} {draw(st.sampled_from(['==', '!=']))} '{draw(st.sampled_from(OPTIONS))}'"
    if kind == "multi":
        return f"'{draw(st.sampled_from(OPTIONS))}' {draw(st.sampled_from(['in', 'not in']))} {qid}"
    if kind in ("scale", "number"):
        op = draw(st.sampled_from([">=", "<", "==", ">"]))
        return f"{qid} {op} {draw(st.integers(1, 5))}"
    return f"{qid} {draw(st.sampled_from(['==', '!=']))} '{draw(st.sampled_from(WORDS))}'"


@st.composite
def _condition(draw: st.DrawFn, questions: list[dict[str, Any]]) -> str:
    """One to three atoms over the given questions, joined with and / or / not."""
    picked = draw(st.lists(st.sampled_from(questions), min_size=1, max_size=3))
    text = _atom(draw, picked[0])
    for q in picked[1:]:
        joiner = draw(st.sampled_from([" and ", " or ", " and not "]))
        text += joiner + _atom(draw, q)
    return text


def _answer(draw: st.DrawFn, q: dict[str, Any]) -> Any:
    kind = q["kind"]
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return None  # not answered
    if choice == 1:
        return "unsure"  # for every kind, text included
    if kind == "single":
        return draw(st.sampled_from(OPTIONS))
    if kind == "multi":
        return draw(st.lists(st.sampled_from(OPTIONS), unique=True, max_size=3))
    if kind == "scale":
        return draw(st.integers(1, 5))
    if kind == "number":
        if q.get("integer", True):
            return draw(st.integers(0, 10))
        return draw(st.sampled_from([0, 2, 3, 4.5, 5, 7.25, 10]))
    return draw(st.sampled_from(WORDS))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    book = draw(rulebooks())
    files = []
    for _ in range(draw(st.integers(1, 4))):
        answers = {q["id"]: _answer(draw, q) for q in book["questions"]}
        files.append({k: v for k, v in answers.items() if v is not None})
    return book, files


def loaded(book: dict[str, Any]) -> Rulebook:
    """A random rulebook (`rulebooks()`), written to a temporary folder and loaded."""
    with tempfile.TemporaryDirectory() as temp:
        write_rulebook(Path(temp) / "rb", book)
        return load_rulebook(Path(temp) / "rb")


def write_rulebook(folder: Path, book: dict[str, Any]) -> None:
    folder.mkdir()
    head = [
        'id = "random"',
        'version = "0.1"',
        'title = "Random"',
        "[scale.thresholds]",
        "lean_loose = -2.0",
        "balanced = -0.5",
        "lean_tight = 0.5",
        "tight = 2.0",
    ]
    for label, setting in LABELS.items():
        head += ["[[scale.settings]]", f'id = "{setting}"', f'label = "{label}"']
    (folder / "rulebook.toml").write_text("\n".join(head) + "\n")
    lines = ["[[section]]", 'id = "s"', 'title = "S"']
    for q in book["questions"]:
        lines += ["[[question]]", f'id = "{q["id"]}"', 'section = "s"']
        lines += [f'kind = "{q["kind"]}"', f'prompt = "{q["id"]}?"']
        if q["kind"] in ("single", "multi"):
            lines.append(
                "options = ["
                + ", ".join(f'{{ id = "{o}", label = "{o.upper()}" }}' for o in OPTIONS)
                + "]"
            )
        if q["kind"] == "scale":
            lines += ["min = 1", "max = 5"]
        if q["kind"] == "number":
            lines += ["min = 0", "max = 10", f"integer = {str(q['integer']).lower()}"]
        if "show_if" in q:
            lines.append(f"show_if = {_toml(q['show_if'])}")
    (folder / "questions.toml").write_text("\n".join(lines) + "\n")
    lines = []
    for d, bias in enumerate(book["domains"]):
        lines += ["[[domain]]", f'id = "d{d}"', f'title = "D{d}"', f"bias = {bias}"]
    (folder / "domains.toml").write_text("\n".join(lines) + "\n")
    lines = []
    for rule in book["rules"]:
        lines += ["[[rule]]", f'id = "{rule["id"]}"', f"when = {_toml(rule['when'])}"]
        lines.append('because = "Because."')
        for key in ("effects", "at_least", "at_most"):
            if rule.get(key):
                items = ", ".join(f"{d} = {_toml(v)}" for d, v in rule[key].items())
                lines.append(f"{key} = {{ {items} }}")
    (folder / "rules.toml").write_text("\n".join(lines) + "\n")
    lines = []
    for d in range(len(book["domains"])):
        lines += ["[[guard_rail]]", f'id = "rail{d}"', f'domain = "d{d}"']
        lines += [f"settings = {_toml(list(SETTING_IDS))}", 'text = "Always."']
    (folder / "guard_rails.toml").write_text("\n".join(lines) + "\n")
    lines = []
    for scenario in book["scenarios"]:
        lines += ["[[scenario]]", f'id = "{scenario["id"]}"', 'title = "Scenario"']
        items = ", ".join(f"{k} = {_toml(v)}" for k, v in scenario["answers"].items())
        lines.append(f"answers = {{ {items} }}")
        if "step" in scenario:
            steps = ", ".join(f"{k} = {_toml(v)}" for k, v in scenario["step"]["map"].items())
            lines.append(
                f'step = {{ question = "{scenario["step"]["question"]}", map = {{ {steps} }} }}'
            )
    (folder / "scenarios.toml").write_text("\n".join(lines) + "\n")


def write_answers(folder: Path, files: list[dict[str, Any]]) -> None:
    folder.mkdir()
    for i, answers in enumerate(files):
        lines = ["[answers]", *(f"{k} = {_toml(v)}" for k, v in answers.items())]
        (folder / f"f{i}.toml").write_text("\n".join(lines) + "\n")


def run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["score", "answers", "--rules", "rb", *args])
    assert code == 0, out.getvalue()
    return out.getvalue()


Outcome = tuple[tuple[str, ...], str, float, tuple[tuple[str, ...], ...]]
"""Settings, posture label and index, and per domain its settings under each scenario."""


def from_csv(text: str, domains: int, scenarios: list[str]) -> dict[str, Outcome]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {
        row["source"]: (
            tuple(row[f"d{d}"] for d in range(domains)),
            row["posture"],
            round(float(row["posture_index"]), 4),
            tuple(tuple(row[f"d{d}@{s}"] for s in scenarios) for d in range(domains)),
        )
        for row in rows
    }


def from_json(records: list[dict[str, Any]]) -> dict[str, Outcome]:
    return {
        r["source"]: (
            tuple(d["setting"] for d in r["domains"]),
            r["posture"]["label"],
            round(float(r["posture"]["index"]), 4),
            tuple(tuple(s["setting"] for s in d["scenarios"]) for d in r["domains"]),
        )
        for r in records
    }


_ROW = re.compile(r"^│?\s*D(\d+)\s*│\s*[─●]+\s*│\s*(Set\d)\s*│")
_POSTURE = re.compile(r"^Posture: (.+) \(index ([+-][\d.]+)\)")


def from_table(
    text: str, sources: list[str], domains: int
) -> dict[str, tuple[tuple[str, ...], str, float]]:
    settings = [LABELS[m.group(2)] for line in text.splitlines() if (m := _ROW.match(line))]
    postures = [m.groups() for line in text.splitlines() if (m := _POSTURE.match(line))]
    assert len(settings) == domains * len(sources) and len(postures) == len(sources), text
    return {
        source: (
            tuple(settings[i * domains : (i + 1) * domains]),
            postures[i][0].lower().replace(" ", "_"),
            round(float(postures[i][1]), 2),
        )
        for i, source in enumerate(sources)
    }


def scored_outright(folder: Path, files: list[dict[str, Any]]) -> list[Any]:
    """Per file, per domain its settings under each scenario, scoring the scenario's
    answers outright (the engine scores scenarios incrementally when it can)."""
    rulebook = load_rulebook(folder)
    out = []
    for raw in files:
        answers, _, _ = check_answers(rulebook, raw, "x")
        base = score(rulebook, answers, levers=False)
        runs = []
        for scenario in rulebook.scenarios:
            changed = scenario_answers(scenario, answers)
            runs.append(score(rulebook, changed, levers=False) if changed is not None else base)
        out.append(
            tuple(tuple(run.domains[d].setting for run in runs) for d in range(len(base.domains)))
        )
    return out


@pytest.fixture
def no_color(no_cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_every_format_gives_the_same_settings(
    no_color: None, case: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    book, files = case
    domains = len(book["domains"])
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as temp:
        os.chdir(temp)  # relative paths: sources do not depend on the temp path
        try:
            write_rulebook(Path("rb"), book)
            write_answers(Path("answers"), files)
            names = [scenario["id"] for scenario in book["scenarios"]]
            csv_out = from_csv(run("--format", "csv"), domains, names)
            json_out = from_json(json.loads(run("--format", "json")))
            jsonl_out = from_json(
                [json.loads(line) for line in run("--format", "jsonl").splitlines()]
            )
            sources = list(json_out)  # input order, as the table prints them
            table_out = from_table(run("--format", "table"), sources, domains)
            summary = json.loads(run("--summary", "--format", "json"))
            direct = scored_outright(Path("rb"), files)
        finally:
            os.chdir(here)
    assert len(json_out) == len(files)
    assert [json_out[f"answers/f{i}.toml"][3] for i in range(len(files))] == direct, book
    assert csv_out == json_out, book
    assert jsonl_out == json_out, book
    rounded = {s: (v[0], v[1], round(v[2], 2)) for s, v in json_out.items()}
    assert all(len(v[3][0]) == len(book["scenarios"]) for v in json_out.values())
    assert table_out == rounded, book
    for d, domain in enumerate(summary["domains"]):
        counts = {s: sum(1 for v in json_out.values() if v[0][d] == s) for s in SETTING_IDS}
        assert domain["settings"] == counts, book
    postures = [v[1] for v in json_out.values()]
    assert summary["posture"] == {label: postures.count(label) for label in summary["posture"]}
