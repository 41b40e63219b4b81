"""What differs between sessions: two (what changed), or three and more (where a team
disagrees, most contested first)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePath
from typing import Any

from holdtight import strictjson
from holdtight.engine import score
from holdtight.model import SETTINGS, AnswerValue, Result, Rulebook, Session, tightness
from holdtight.reports.data import answer_text
from holdtight.reports.phrases import listed
from holdtight.terminal_text import for_terminal


def answer_key(value: AnswerValue | None) -> str:
    """One comparable text per answer: multiple choices as sets (order never matters)."""
    if isinstance(value, list):
        value = sorted(set(value))
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def in_option_order(rulebook: Rulebook, question_id: str, value: AnswerValue | None) -> Any:
    """A multiple choice as a set, listed in the question's option order; others as is."""
    question = rulebook.questions.get(question_id)
    if not isinstance(value, list) or question is None:
        return value
    order = {option.id: i for i, option in enumerate(question.options)}
    return sorted(set(value), key=lambda item: (order.get(item, len(order)), item))


def same_answer(a: AnswerValue | None, b: AnswerValue | None) -> bool:
    return answer_key(a) == answer_key(b)


def respondent_name(path: str, session: Session) -> str:
    """Who answered: `meta.respondent`, else the file's name without its folder."""
    named = str(session.meta.get("respondent", "")).strip()
    return named or PurePath(path).stem or path


def name_sessions(items: list[tuple[str, Session]]) -> list[tuple[str, Session]]:
    """Sessions named by respondent; two with one name are told apart by file name."""
    names = [respondent_name(path, s) for path, s in items]
    counts = Counter(names)
    named = []
    for (path, session), name in zip(items, names, strict=True):
        if counts[name] > 1:
            name = f"{name} ({PurePath(path).name})"
        named.append((name, session))
    return named


def _pairs(
    rulebook: Rulebook, sessions: list[tuple[str, Session]]
) -> list[tuple[str, Session, Result]]:
    return [(name, s, score(rulebook, s.answers, levers=False)) for name, s in sessions]


def compare_two(
    rulebook: Rulebook, a: tuple[str, Session], b: tuple[str, Session]
) -> dict[str, Any]:
    (_, sa, ra), (_, sb, rb) = _pairs(rulebook, [a, b])
    answers = []
    for q in rulebook.questions.values():
        va, vb = sa.answers.get(q.id), sb.answers.get(q.id)
        if not same_answer(va, vb):
            answers.append({"question": q.id, "prompt": q.prompt, "a": va, "b": vb})
    for key in sorted(set(sa.unknown) | set(sb.unknown)):
        if sa.unknown.get(key) != sb.unknown.get(key):
            answers.append(
                {"question": key, "prompt": key, "a": sa.unknown.get(key), "b": sb.unknown.get(key)}
            )
    domains = []
    for da, db in zip(ra.domains, rb.domains, strict=True):
        rails_a = {r.id: r.text for r in da.guard_rails}
        rails_b = {r.id: r.text for r in db.guard_rails}
        gained = [rails_b[k] for k in rails_b if k not in rails_a]
        lost = [rails_a[k] for k in rails_a if k not in rails_b]
        if da.setting != db.setting or gained or lost:
            move = tightness(db.setting) - tightness(da.setting)
            domains.append(
                {
                    "id": da.id,
                    "title": da.title,
                    "a": da.setting,
                    "b": db.setting,
                    "direction": "tighter" if move > 0 else "looser" if move < 0 else "same",
                    "guard_rails_gained": gained,
                    "guard_rails_lost": lost,
                }
            )
    posture = {
        "a": ra.posture_label,
        "b": rb.posture_label,
        "a_index": ra.posture_index,
        "b_index": rb.posture_index,
    }
    return {
        "a": a[0],
        "b": b[0],
        "answers": answers,
        "domains": domains,
        "posture": posture,
        "identical": not answers and not domains,
    }


def compare_team(rulebook: Rulebook, sessions: list[tuple[str, Session]]) -> dict[str, Any]:
    scored = _pairs(rulebook, sessions)
    questions = []
    for q in rulebook.questions.values():
        values = [answer_key(s.answers.get(q.id)) for _, s, _ in scored]
        counts = Counter(values)
        if len(counts) > 1:
            by_answer: dict[str, list[str]] = {}
            for name, s, _ in scored:
                value = in_option_order(rulebook, q.id, s.answers.get(q.id))
                by_answer.setdefault(answer_text(rulebook, q.id, value), []).append(name)
            agreement = max(counts.values()) / len(values)
            questions.append(
                {
                    "question": q.id,
                    "prompt": q.prompt,
                    "agreement": round(agreement, 3),
                    "answers": by_answer,
                }
            )
    questions.sort(key=lambda item: (item["agreement"], item["question"]))
    domains: list[dict[str, Any]] = []
    for i, domain in enumerate(rulebook.domains):
        settings = [r.domains[i].setting for _, _, r in scored]
        levels = [tightness(s) for s in settings]
        counts = Counter(settings)
        domains.append(
            {
                "id": domain.id,
                "title": domain.title,
                "spread": max(levels) - min(levels),
                "settings": {s: counts.get(s, 0) for s in reversed(SETTINGS) if counts.get(s)},
                "by_session": {name: r.domains[i].setting for name, _, r in scored},
            }
        )
    domains.sort(key=lambda item: (-item["spread"], -len(item["settings"]), item["id"]))
    return {"sessions": [name for name, _, _ in scored], "questions": questions, "domains": domains}


def diff_report(rulebook: Rulebook, sessions: list[tuple[str, Session]], fmt: str = "text") -> str:
    if len(sessions) == 2:
        data = compare_two(rulebook, sessions[0], sessions[1])
        return (
            strictjson.dumps(data, indent=2) + "\n" if fmt == "json" else _two_text(rulebook, data)
        )
    data = compare_team(rulebook, sessions)
    return strictjson.dumps(data, indent=2) + "\n" if fmt == "json" else _team_text(rulebook, data)


def _two_text(rulebook: Rulebook, data: dict[str, Any]) -> str:
    a, b = for_terminal(data["a"]), for_terminal(data["b"])
    if data["identical"]:
        return f"No differences between {a} and {b}: same answers, same recommendations.\n"
    lines = [f"A = {a}", f"B = {b}", ""]
    if data["answers"]:
        lines.append(f"Answers that changed ({len(data['answers'])}):")
        for item in data["answers"]:
            qid = item["question"]
            before = for_terminal(
                answer_text(rulebook, qid, in_option_order(rulebook, qid, item["a"]))
            )
            after = for_terminal(
                answer_text(rulebook, qid, in_option_order(rulebook, qid, item["b"]))
            )
            # "… Choose all that apply.: A → B" read oddly: a closing full stop gives way.
            prompt = for_terminal(item["prompt"]).removesuffix(".")
            lines.append(f"  {prompt}: {before} → {after}")
        lines.append("")
    moved = [d for d in data["domains"] if d["direction"] != "same"]
    if moved:
        lines.append(f"Recommendations that moved ({len(moved)}):")
        for d in moved:
            lines.append(
                f"  {d['title']}: {rulebook.setting_label(d['a'])} → {rulebook.setting_label(d['b'])} ({d['direction']})"
            )
        lines.append("")
    else:
        lines += ["No recommendation moved.", ""]
    rails = [
        f"  {sign} {d['title']}: {text}"
        for d in data["domains"]
        for sign, key in (("+", "guard_rails_gained"), ("-", "guard_rails_lost"))
        for text in d[key]
    ]
    if rails:  # a heading: the block stood unnamed under the recommendations
        lines += [f"Guard rails that changed ({len(rails)}; + new with B, - gone):", *rails, ""]
    p = data["posture"]
    labels = rulebook.meta.posture.labels
    a_label = labels.get(p["a"], p["a"].replace("_", " "))
    b_label = labels.get(p["b"], p["b"].replace("_", " "))
    lines.append(f"Posture: {a_label} ({p['a_index']:+.2f}) → {b_label} ({p['b_index']:+.2f})")
    return "\n".join(lines).rstrip() + "\n"


def _team_text(rulebook: Rulebook, data: dict[str, Any]) -> str:
    # Names with semicolons where one holds a comma ("Executive Director, Office of
    # School Design"): a comma list read as one more person.
    lines = [
        f"{len(data['sessions'])} sessions: " + listed([for_terminal(s) for s in data["sessions"]]),
        "",
    ]
    contested = [d for d in data["domains"] if d["spread"] > 0]
    lines.append(
        "Domains, most contested first:"
        if contested
        else "Every domain gets the same setting from every respondent."
    )
    for d in data["domains"]:
        spread = ", ".join(f"{rulebook.setting_label(s)} ×{n}" for s, n in d["settings"].items())
        steps = "step" if d["spread"] == 1 else "steps"
        lines.append(f"  {d['title']}: spread {d['spread']} {steps} — {spread}")
    lines.append("")
    if data["questions"]:
        lines.append("Where respondents disagree, least agreement first:")
        for q in data["questions"]:
            lines.append(f"  {for_terminal(q['prompt'])} ({q['agreement']:.0%} agree)")
            for answer, names in q["answers"].items():
                # "…for college.: Chief Schools Officer": a closing full stop gives way.
                said = for_terminal(answer).removesuffix(".")
                lines.append(f"      {said}: {listed([for_terminal(n) for n in names])}")
    else:
        lines.append("Every respondent gave the same answers.")
    return "\n".join(lines).rstrip() + "\n"
