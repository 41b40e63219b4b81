"""Reports a client can keep: Markdown, self-contained HTML, and JSON, all from the one
outline (`holdtight.reports.outline`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from holdtight import strictjson
from holdtight.engine import score
from holdtight.model import Result, Rulebook, Session
from holdtight.reports.data import result_dict
from holdtight.reports.html_doc import html_outline
from holdtight.reports.markdown_doc import markdown_outline
from holdtight.reports.outline import OUTLINE_SCHEMA, build_outline
from holdtight.validation import to_builtin


def scored(rulebook: Rulebook, session: Session) -> Result:
    return score(rulebook, session.answers)


def render_report(rulebook: Rulebook, session: Session, fmt: str, source: str = "") -> str:
    result = scored(rulebook, session)
    if fmt == "json":
        return json_report(rulebook, session, result, source)
    if fmt == "html":
        return html_report(rulebook, session, result)
    return markdown_report(rulebook, session, result)


def markdown_report(rulebook: Rulebook, session: Session, result: Result) -> str:
    return markdown_outline(build_outline(rulebook, session, result))


def html_report(rulebook: Rulebook, session: Session, result: Result) -> str:
    return html_outline(build_outline(rulebook, session, result))


def json_report(rulebook: Rulebook, session: Session, result: Result, source: str = "") -> str:
    """The result as the spec's JSON object, plus labels beside ids, the confidence
    breakdown and the report as the outline says it."""
    outline = build_outline(rulebook, session, result)
    data = result_dict(result, source=source or None, meta=session.meta)
    data["schema"] = OUTLINE_SCHEMA
    data["rulebook"]["title"] = rulebook.meta.title
    data["posture"]["text"] = outline.posture
    for item, d, view in zip(data["domains"], result.domains, outline.domains, strict=True):
        item["setting_label"] = view.setting_label
        toward_tight = sum(f.weight for f in d.because if f.weight > 0)
        toward_loose = -sum(f.weight for f in d.because if f.weight < 0)
        item["confidence_breakdown"] = {
            "level": d.confidence,
            "answered": d.answered,
            "relevant": d.relevant,
            "toward_tight": toward_tight,
            "toward_loose": toward_loose,
            "words": view.confidence_words,
        }
        item["starting_point"] = rulebook.domain(d.id).bias
        item["reasons"] = [asdict(r) for r in view.all_reasons]
        for lever in item.get("levers", []):
            question = rulebook.questions[lever["question"]]
            lever["question_label"] = question.prompt
            lever["setting_label"] = rulebook.setting_label(lever["setting"])
    data["warnings"] = list(outline.warnings)
    data["report"] = {
        "date": outline.date,
        "date_meaning": outline.date_meaning,
        "rulebook_sha256": rulebook.sha256,
        "rulebook_note": outline.rulebook_note,
        "answers": {
            q.id: session.answers[q.id]
            for q in rulebook.questions.values()
            if q.id in session.answers
        },
        "answer_labels": _answers(rulebook, session),
        "notes": dict(session.notes),
        "survey": to_builtin(rulebook.meta.posture.survey)
        if rulebook.meta.posture.survey
        else None,
        "reflection": list(rulebook.meta.reflection),
        "sources": [to_builtin(s) for s in rulebook.meta.sources],
        "summary": [asdict(group) for group in outline.summary],
        "earned_autonomy_path": [asdict(step) for step in outline.path],
        "next_steps": list(outline.next_steps),
    }
    return strictjson.dumps(data, indent=2) + "\n"


def _answers(rulebook: Rulebook, session: Session) -> dict[str, Any]:
    from holdtight.reports.data import answer_text

    return {
        q.id: {
            "question_label": q.prompt,
            "label": answer_text(rulebook, q.id, session.answers[q.id]),
        }
        for q in rulebook.questions.values()
        if q.id in session.answers
    }
