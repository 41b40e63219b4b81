"""A leadership team's sessions side by side: the heat map (respondent × domain), the
consensus and spread per domain, the answer splits that drive each contested domain
(found by re-scoring with the engine, never guessed), questions of fact and of judgment
kept apart, and a discussion agenda. Also the consensus session `holdtight merge` writes.

Everything here is plain data with labels beside ids; `holdtight.team_documents` formats
it as Markdown, HTML or JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import median
from typing import Any

from holdtight.diff import answer_key, in_option_order, same_answer
from holdtight.engine import score
from holdtight.model import (
    SETTINGS,
    UNSURE,
    AnswerValue,
    MetaValue,
    Question,
    Result,
    Rulebook,
    Session,
    tightness,
)
from holdtight.reports.data import answer_text
from holdtight.reports.phrases import listed
from holdtight.sessionfile import new_session

TEAM_SCHEMA = 1
MIDDLE = SETTINGS.index("balanced")
LETTERS = {"tight": "T", "lean_tight": "t", "balanced": "B", "lean_loose": "ℓ", "loose": "L"}
"""One letter per setting, so the heat map never relies on colour alone."""

Named = list[tuple[str, Session]]


def consensus_setting(settings: Sequence[str]) -> str:
    """The median setting; with an even team split across two middle settings, the one
    nearer to balanced (a team that is split is not yet at either end)."""
    levels = sorted(tightness(s) for s in settings)
    middle = median(levels)
    if middle != int(middle):
        low, high = int(middle - 0.5), int(middle + 0.5)
        middle = low if abs(low - MIDDLE) <= abs(high - MIDDLE) else high
    return SETTINGS[int(middle)]


def _modal(values: list[AnswerValue | None]) -> AnswerValue | None:
    """The most common answer (multiple choices as sets); ties go to the first given."""
    keys = [answer_key(v) for v in values]
    best = Counter(keys).most_common(1)[0][0]
    return values[keys.index(best)]


def _answer_label(rulebook: Rulebook, question: Question, value: AnswerValue | None) -> str:
    return answer_text(rulebook, question.id, in_option_order(rulebook, question.id, value))


def _drivers(
    rulebook: Rulebook, team: Named, results: list[Result], position: int
) -> list[dict[str, Any]]:
    """The answer splits that drive one domain: for every question the domain's rules
    read on which respondents differ, who would move (and to what) if they gave the
    team's most common answer instead, found by scoring again."""
    domain = rulebook.domains[position]
    drivers: list[dict[str, Any]] = []
    for question in rulebook.questions.values():
        if question.id not in rulebook.domain_reads[domain.id]:
            continue
        values = [s.answers.get(question.id) for _, s in team]
        if len({answer_key(v) for v in values}) < 2:
            continue
        common = _modal(values)
        moves = []
        for (name, session), result, value in zip(team, results, values, strict=True):
            if same_answer(value, common):
                continue
            answers = dict(session.answers)
            if common is None:
                answers.pop(question.id, None)
            else:
                answers[question.id] = common
            moved = score(rulebook, answers, levers=False).domains[position].setting
            now = result.domains[position].setting
            if moved != now:
                moves.append(
                    {
                        "respondent": name,
                        "answer": value,
                        "answer_label": _answer_label(rulebook, question, value),
                        "from": now,
                        "from_label": rulebook.setting_label(now),
                        "to": moved,
                        "to_label": rulebook.setting_label(moved),
                    }
                )
        if moves:
            drivers.append(
                {
                    "question": question.id,
                    "prompt": question.prompt,
                    "nature": question.nature or "judgment",
                    "common": common,
                    "common_label": _answer_label(rulebook, question, common),
                    "moves": moves,
                }
            )
    drivers.sort(key=lambda d: (-len(d["moves"]), rulebook.questions[d["question"]].order))
    return drivers


def _rules_split(team: Named, results: list[Result], position: int) -> list[dict[str, Any]]:
    """Reasons (fired rules) that hold for some respondents and not others."""
    fired: dict[str, tuple[float, str, list[str]]] = {}
    for (name, _), result in zip(team, results, strict=True):
        for reason in result.domains[position].because:
            entry = fired.setdefault(reason.rule, (reason.weight, reason.text, []))
            entry[2].append(name)
    return [
        {"rule": rule, "weight": weight, "text": text, "respondents": names}
        for rule, (weight, text, names) in fired.items()
        if len(names) < len(team)
    ]


def _question_view(rulebook: Rulebook, question: Question, team: Named) -> dict[str, Any]:
    values = [(name, s.answers.get(question.id)) for name, s in team]
    agreed = len({answer_key(v) for _, v in values}) == 1
    item: dict[str, Any] = {
        "question": question.id,
        "prompt": question.prompt,
        "kind": question.kind,
        "nature": question.nature or "judgment",
        "agreed": agreed,
        "answers": {
            name: {"value": v, "label": _answer_label(rulebook, question, v)} for name, v in values
        },
    }
    if question.kind in ("scale", "number"):
        numbers = [float(v) for _, v in values if isinstance(v, int | float)]
        if numbers:
            item["median"] = median(numbers)
            item["range"] = [min(numbers), max(numbers)]
    elif question.kind == "multi":
        sets = [set(v) for _, v in values if isinstance(v, list)]
        everyone = set.intersection(*sets) if sets else set()
        anyone = set.union(*sets) if sets else set()
        item["everyone"] = [
            question.option_label(o) for o in in_option_order(rulebook, question.id, list(everyone))
        ]
        item["some"] = {
            question.option_label(option): [
                name for name, v in values if isinstance(v, list) and option in v
            ]
            for option in in_option_order(rulebook, question.id, list(anyone - everyone))
        }
    else:
        groups: dict[str, list[str]] = {}
        for name, v in values:
            groups.setdefault(_answer_label(rulebook, question, v), []).append(name)
        item["groups"] = groups
    return item


def analyse_team(rulebook: Rulebook, team: Named) -> dict[str, Any]:
    """Everything a team workshop needs, as plain data (JSON-ready)."""
    results = [score(rulebook, s.answers, levers=False) for _, s in team]
    names = [name for name, _ in team]
    domains: list[dict[str, Any]] = []
    for position, domain in enumerate(rulebook.domains):
        settings = [r.domains[position].setting for r in results]
        levels = [tightness(s) for s in settings]
        consensus = consensus_setting(settings)
        spread = max(levels) - min(levels)
        domains.append(
            {
                "id": domain.id,
                "title": domain.title,
                "consensus": consensus,
                "consensus_label": rulebook.setting_label(consensus),
                "spread": spread,
                "by_respondent": {
                    name: {"setting": s, "label": rulebook.setting_label(s), "letter": LETTERS[s]}
                    for name, s in zip(names, settings, strict=True)
                },
                "drivers": _drivers(rulebook, team, results, position) if spread else [],
                "reasons_split": _rules_split(team, results, position) if spread else [],
            }
        )
    order = {d["id"]: i for i, d in enumerate(domains)}
    domains.sort(key=lambda d: (-d["spread"], order[d["id"]]))
    questions = [_question_view(rulebook, q, team) for q in rulebook.questions.values()]
    return {
        "schema": TEAM_SCHEMA,
        "rulebook": {"id": rulebook.id, "version": rulebook.version, "title": rulebook.meta.title},
        "organization": _common_meta(team, "organization"),
        "respondents": names,
        "settings": [
            {"id": s, "label": rulebook.setting_label(s), "letter": LETTERS[s]}
            for s in reversed(SETTINGS)
        ],
        "domains": domains,
        "questions": {
            nature: [q for q in questions if q["nature"] == nature and q["kind"] != "text"]
            for nature in ("fact", "judgment")
        },
        "statements": [q for q in questions if q["kind"] == "text"],
        "agenda": agenda(rulebook, domains),
    }


def agenda(rulebook: Rulebook, domains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions to settle, most at stake first: facts to fetch before the meeting,
    then judgments to discuss in it. At stake: the domains each question moves."""
    items: dict[str, dict[str, Any]] = {}
    for domain in domains:
        for driver in domain["drivers"]:
            item = items.setdefault(
                driver["question"],
                {
                    "question": driver["question"],
                    "prompt": driver["prompt"],
                    "nature": driver["nature"],
                    "stakes": [],
                },
            )
            for move in driver["moves"]:
                item["stakes"].append(
                    {
                        "domain": domain["id"],
                        "domain_title": domain["title"],
                        "respondent": move["respondent"],
                        "from_label": move["from_label"],
                        "to_label": move["to_label"],
                    }
                )
    ordered = sorted(
        items.values(),
        key=lambda i: (
            i["nature"] != "fact",
            -len({s["domain"] for s in i["stakes"]}),
            rulebook.questions[i["question"]].order,
        ),
    )
    for number, item in enumerate(ordered, 1):
        item["step"] = number
    return ordered


def _common_meta(team: Named, key: str) -> str:
    values = {str(s.meta.get(key, "")) for _, s in team} - {""}
    return values.pop() if len(values) == 1 else ""


def consensus_session(rulebook: Rulebook, team: Named) -> Session:
    """A session with the answers everyone gave; every disagreement is left unanswered
    with a note listing who answered what, for the team to settle together."""
    meta: dict[str, MetaValue] = {"respondent": "Team consensus"}
    organization = _common_meta(team, "organization")
    if organization:
        meta["organization"] = organization
    meta["merged_from"] = "; ".join(name for name, _ in team)
    session = new_session(rulebook, meta)
    for question in rulebook.questions.values():
        values = [(name, s.answers.get(question.id)) for name, s in team]
        if all(v is None for _, v in values):
            continue
        # What respondents wrote beside this question travels with it, named.
        written = [
            f"{name}: {s.notes[question.id].strip()}"
            for name, s in team
            if s.notes.get(question.id, "").strip()
        ]
        if len({answer_key(v) for _, v in values}) == 1:
            value = values[0][1]
            assert value is not None
            session.answers[question.id] = in_option_order(rulebook, question.id, value)
            if written:
                session.notes[question.id] = " ".join(_sentence(text) for text in written)[:9_000]
            continue
        if question.kind == "multi":
            view = _question_view(rulebook, question, team)
            everyone = view["everyone"]
            lines = [
                f"Chosen by all who answered: {listed(everyone)}."
                if everyone
                else "No option was chosen by all who answered."
            ]
            lines += [f"{option}: {listed(who)}." for option, who in view["some"].items()]
            lines += [
                f"{label[:1].upper()}{label[1:]}: {listed(who)}."
                for label, who in _groups(rulebook, question, values, lists=False).items()
            ]
        else:
            lines = [
                f"{label[:1].upper()}{label[1:]}: {listed(who)}."
                for label, who in _groups(rulebook, question, values).items()
            ]
        note = " ".join(["To settle.", *lines])
        if written:
            note += " Notes. " + " ".join(_sentence(text) for text in written)
        session.notes[question.id] = note[:9_000]
    return session


def _groups(
    rulebook: Rulebook,
    question: Question,
    values: list[tuple[str, AnswerValue | None]],
    lists: bool = True,
) -> dict[str, list[str]]:
    """Who gave which answer, by the answer's label (`lists=False`: only those who gave
    no list: not answered, not sure)."""
    groups: dict[str, list[str]] = {}
    for name, value in values:
        if lists or not isinstance(value, list):
            label = _answer_label(rulebook, question, value)
            if question.kind == "text" and isinstance(value, str) and value != UNSURE:
                label = f"“{label}”"  # a person's words, set apart from the names after them
            groups.setdefault(label, []).append(name)
    return groups


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."
