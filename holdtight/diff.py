"""What differs between sessions: two (what changed), or three and more (where a team
disagrees, most contested first)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from holdtight import strictjson
from holdtight.engine import score
from holdtight.model import SETTINGS, Result, Rulebook, Session, tightness
from holdtight.reports.data import answer_text, safe_text


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
        if va != vb:
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
        if q.kind == "text":
            continue
        values = [json.dumps(s.answers.get(q.id), sort_keys=True) for _, s, _ in scored]
        counts = Counter(values)
        if len(counts) > 1:
            by_answer: dict[str, list[str]] = {}
            for name, s, _ in scored:
                by_answer.setdefault(answer_text(rulebook, q.id, s.answers.get(q.id)), []).append(
                    name
                )
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
    a, b = safe_text(data["a"]), safe_text(data["b"])
    if data["identical"]:
        return f"No differences between {a} and {b}: same answers, same recommendations.\n"
    lines = [f"A = {a}", f"B = {b}", ""]
    if data["answers"]:
        lines.append(f"Answers that changed ({len(data['answers'])}):")
        for item in data["answers"]:
            lines.append(
                f"  {item['question']}: {safe_text(answer_text(rulebook, item['question'], item['a']))} → {safe_text(answer_text(rulebook, item['question'], item['b']))}"
            )
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
    for d in data["domains"]:
        for text in d["guard_rails_gained"]:
            lines.append(f"  + {d['title']}: {text}")
        for text in d["guard_rails_lost"]:
            lines.append(f"  - {d['title']}: {text}")
    p = data["posture"]
    lines.append(f"Posture: {p['a']} ({p['a_index']:+.2f}) → {p['b']} ({p['b_index']:+.2f})")
    return "\n".join(lines).rstrip() + "\n"


def _team_text(rulebook: Rulebook, data: dict[str, Any]) -> str:
    lines = [
        f"{len(data['sessions'])} sessions: " + ", ".join(safe_text(s) for s in data["sessions"]),
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
        lines.append(f"  {d['title']}: spread {d['spread']} step(s) — {spread}")
    lines.append("")
    if data["questions"]:
        lines.append("Where respondents disagree, least agreement first:")
        for q in data["questions"]:
            lines.append(
                f"  {q['question']} ({q['agreement']:.0%} agree): {safe_text(q['prompt'])}"
            )
            for answer, names in q["answers"].items():
                lines.append(f"      {safe_text(answer)}: {', '.join(safe_text(n) for n in names)}")
    else:
        lines.append("Every respondent gave the same answers.")
    return "\n".join(lines).rstrip() + "\n"
