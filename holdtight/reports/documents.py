"""Reports a client can keep: Markdown, self-contained HTML, and JSON."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from holdtight import strictjson
from holdtight.engine import score
from holdtight.model import SETTINGS, Result, Rulebook, Session
from holdtight.reports.data import (
    answer_text,
    fired_parts,
    lever_lines,
    result_dict,
    safe_text,
)
from holdtight.validation import to_builtin

_SETTING_COLOURS = {
    "tight": "#7b2d8e",
    "lean_tight": "#a45db5",
    "balanced": "#b08a1e",
    "lean_loose": "#3a8fb0",
    "loose": "#1d6a8a",
}


def scored(rulebook: Rulebook, session: Session) -> Result:
    return score(rulebook, session.answers)


def render_report(rulebook: Rulebook, session: Session, fmt: str, source: str = "") -> str:
    result = scored(rulebook, session)
    if fmt == "json":
        return json_report(rulebook, session, result, source)
    if fmt == "html":
        return html_report(rulebook, session, result)
    return markdown_report(rulebook, session, result)


def _date(session: Session) -> str:
    moment = session.header.updated or session.header.created or datetime.now(UTC)
    return moment.date().isoformat()


def _survey_line(rulebook: Rulebook) -> str:
    survey = rulebook.meta.posture.survey
    if survey is None:
        return ""
    return (
        f"In a survey of {survey.respondents} leaders from {survey.systems} systems, "
        f"{survey.more_centralized:g}% reported a more centralized approach, "
        f"{survey.midway:g}% placed themselves midway and {survey.more_decentralized:g}% "
        f"reported a more decentralized one ({survey.source})."
    )


def _posture_label(rulebook: Rulebook, label: str) -> str:
    return rulebook.meta.posture.labels.get(label, label.replace("_", " ").capitalize())  # type: ignore[call-overload,no-any-return]


def json_report(rulebook: Rulebook, session: Session, result: Result, source: str = "") -> str:
    data = result_dict(result, source=source or None, meta=session.meta)
    data["report"] = {
        "date": _date(session),
        "rulebook_sha256": rulebook.sha256,
        "answers": {
            q.id: session.answers[q.id]
            for q in rulebook.questions.values()
            if q.id in session.answers
        },
        "notes": dict(session.notes),
        "survey": to_builtin(rulebook.meta.posture.survey)
        if rulebook.meta.posture.survey
        else None,
        "reflection": list(rulebook.meta.reflection),
        "sources": [to_builtin(s) for s in rulebook.meta.sources],
    }
    return strictjson.dumps(data, indent=2) + "\n"


def _md(text: object) -> str:
    """User text made inert in Markdown: escape the characters that format or link."""
    value = safe_text(text)
    for char in "\\`*_{}[]<>#|!":
        value = value.replace(char, "\\" + char)
    return value


def markdown_report(rulebook: Rulebook, session: Session, result: Result) -> str:
    org = _md(session.meta.get("organization") or "Unnamed organization")
    lines = [
        f"# Tight or loose: {org}",
        "",
        f"- **Respondent:** {_md(session.meta.get('respondent') or '—')}",
        f"- **Date:** {_date(session)}",
        f"- **Rulebook:** {_md(rulebook.meta.title)} (`{rulebook.id}` {_md(rulebook.version)})",
        f"- **Answered:** {result.answered} of {result.shown} questions",
        "",
        "## Posture",
        "",
        f"**{_posture_label(rulebook, result.posture_label)}** (index {result.posture_index:+.2f}, "
        "from −1 fully decentralized to +1 fully centralized).",
        "",
        _survey_line(rulebook),
        "",
    ]
    statement = session.answers.get("vision_statement")
    if isinstance(statement, str) and statement.strip():
        lines += [f"> {_md(statement)}", ""]
    lines += ["## Summary", "", "| Domain | Setting | Confidence |", "|---|---|---|"]
    for d in result.domains:
        lines.append(f"| {_md(d.title)} | {rulebook.setting_label(d.setting)} | {d.confidence} |")
    lines.append("")
    for d in result.domains:
        domain = rulebook.domain(d.id)
        lines += [f"## {_md(d.title)}: {rulebook.setting_label(d.setting)}", ""]
        lines += [
            f"Confidence: **{d.confidence}** ({d.answered} of {d.relevant} relevant questions answered). Score {d.score:+g}.",
            "",
        ]
        if d.bound_note:
            lines += [f"*{_md(d.bound_note)}*", ""]
        lines += [
            f"*Tight means:* {_md(domain.tight_means)}  ",
            f"*Loose means:* {_md(domain.loose_means)}",
            "",
        ]
        lines += ["### Why", ""]
        if not d.because:
            lines.append("- No rule fired: the setting is the domain's starting point.")
        for fired in d.because:
            detail = "; ".join(_md(part) for part in fired_parts(rulebook, fired))
            lines.append(f"- {_md(fired.text)} ({detail})")
        lines += ["", "### Guard rails", ""]
        lines += [f"- {_md(rail.text)}" for rail in d.guard_rails]
        lines += ["", "### What would change it", ""]
        if not d.levers:
            lines.append("- No single answer change would move this setting.")
        for prompt, answers, setting in lever_lines(rulebook, d.levers):
            lines.append(f"- {_md(prompt)} → {_md(answers)}: **{setting}**")
        lines.append("")
    lines += ["## Answers", ""]
    for section in rulebook.sections:
        lines += [f"### {_md(section.title)}", ""]
        for q in rulebook.questions.values():
            if q.section != section.id:
                continue
            lines.append(
                f"- **{_md(q.prompt)}** {_md(answer_text(rulebook, q.id, session.answers.get(q.id)))}"
            )
            note = session.notes.get(q.id)
            if note:
                lines.append(f"  - *Note:* {_md(note)}")
        lines.append("")
    if session.unknown:
        lines += ["### Answers to questions this rulebook no longer asks", ""]
        lines += [f"- `{_md(k)}`: {_md(v)}" for k, v in session.unknown.items()]
        lines.append("")
    lines += ["## Questions for your team", ""]
    lines += [f"{i}. {_md(prompt)}" for i, prompt in enumerate(rulebook.meta.reflection, 1)]
    lines += ["", "## Sources", ""]
    for source in rulebook.meta.sources:
        author = f"{_md(source.author)}, " if source.author else ""
        link = f" <{source.url}>" if source.url else ""
        lines.append(f"- {author}*{_md(source.title)}*.{link}")
    return "\n".join(lines).rstrip() + "\n"


def _e(text: object) -> str:
    return html.escape(safe_text(text), quote=True)


def spectrum_svg(rulebook: Rulebook, result: Result) -> str:
    """All domains on one tight↔loose chart, as inline SVG."""
    row, label_w, chart_w = 30, 330, 420
    height = 40 + row * len(result.domains)
    step = chart_w / (len(SETTINGS) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + chart_w + 40} {height}" '
        f'role="img" aria-label="Recommended setting per domain, from tight to loose" class="spectrum">'
    ]
    for i, setting in enumerate(reversed(SETTINGS)):
        x = label_w + i * step
        parts.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{height - 8}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{x:.1f}" y="14" text-anchor="middle" font-size="11" fill="#555">{_e(rulebook.setting_label(setting))}</text>'
        )
    for n, d in enumerate(result.domains):
        y = 40 + n * row
        x = label_w + (len(SETTINGS) - 1 - SETTINGS.index(d.setting)) * step
        parts.append(
            f'<text x="{label_w - 12}" y="{y + 4}" text-anchor="end" font-size="13">{_e(d.title)}</text>'
        )
        parts.append(
            f'<line x1="{label_w}" y1="{y}" x2="{label_w + chart_w}" y2="{y}" stroke="#bbb" stroke-width="2"/>'
        )
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="8" fill="{_SETTING_COLOURS[d.setting]}"><title>{_e(d.title)}: {_e(rulebook.setting_label(d.setting))}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:Georgia,'Times New Roman',serif;color:#222;max-width:58rem;margin:2rem auto;padding:0 1.5rem;line-height:1.5}
h1,h2,h3{font-family:'Helvetica Neue',Arial,sans-serif;line-height:1.2}
h1{font-size:1.9rem;margin-bottom:.2rem}h2{border-bottom:2px solid #eee;padding-bottom:.2rem;margin-top:2.2rem}
.meta{color:#555;margin:0 0 1rem}.meta span{margin-right:1.4rem}
.posture{background:#f6f3f8;border-left:4px solid #7b2d8e;padding:.8rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-family:'Helvetica Neue',Arial,sans-serif;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
.setting{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;color:#fff;font-size:.85rem;font-family:'Helvetica Neue',Arial,sans-serif;white-space:nowrap}
.conf-high{color:#2e7d32}.conf-medium{color:#a56d00}.conf-low{color:#c62828}
.domain{break-inside:avoid-page;page-break-inside:avoid}
.note{color:#555;font-style:italic}.means{color:#444;font-size:.95rem}
.spectrum{width:100%;height:auto;margin:.5rem 0 1rem}
blockquote{border-left:3px solid #ccc;margin:1rem 0;padding:.2rem 1rem;color:#444;font-style:italic}
.answers dt{font-weight:bold;margin-top:.5rem}.answers dd{margin-left:1rem}
footer{color:#777;font-size:.85rem;margin-top:3rem;border-top:1px solid #eee;padding-top:.6rem}
@media print{body{margin:0;max-width:none;font-size:11pt}section.page{break-before:page;page-break-before:always}
a{color:inherit;text-decoration:none}.posture{background:none}}
"""


def html_report(rulebook: Rulebook, session: Session, result: Result) -> str:
    org = _e(session.meta.get("organization") or "Unnamed organization")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Tight or loose — {org}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Tight or loose: {org}</h1>",
        '<p class="meta">'
        f"<span><b>Respondent:</b> {_e(session.meta.get('respondent') or '—')}</span>"
        f"<span><b>Date:</b> {_date(session)}</span>"
        f"<span><b>Rulebook:</b> {_e(rulebook.meta.title)} ({_e(rulebook.id)} {_e(rulebook.version)})</span></p>",
        f'<div class="posture"><b>Posture: {_e(_posture_label(rulebook, result.posture_label))}</b> '
        f"(index {result.posture_index:+.2f}, from −1 fully decentralized to +1 fully centralized). "
        f"{_e(_survey_line(rulebook))}</div>",
    ]
    statement = session.answers.get("vision_statement")
    if isinstance(statement, str) and statement.strip():
        out.append(f"<blockquote>{_e(statement)}</blockquote>")
    out += [
        "<h2>Summary</h2>",
        spectrum_svg(rulebook, result),
        "<table><thead><tr><th>Domain</th><th>Setting</th><th>Confidence</th></tr></thead><tbody>",
    ]
    for d in result.domains:
        out.append(
            f'<tr><td><a href="#{_e(d.id)}">{_e(d.title)}</a></td>'
            f'<td><span class="setting" style="background:{_SETTING_COLOURS[d.setting]}">{_e(rulebook.setting_label(d.setting))}</span></td>'
            f'<td class="conf-{d.confidence}">{d.confidence}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append('<section class="page"><h2>Domain by domain</h2>')
    for d in result.domains:
        domain = rulebook.domain(d.id)
        out.append(
            f'<div class="domain" id="{_e(d.id)}"><h3>{_e(d.title)}: '
            f'<span class="setting" style="background:{_SETTING_COLOURS[d.setting]}">{_e(rulebook.setting_label(d.setting))}</span></h3>'
        )
        out.append(
            f'<p>Confidence <b class="conf-{d.confidence}">{d.confidence}</b> ({d.answered} of {d.relevant} relevant questions answered; score {d.score:+g}).</p>'
        )
        if d.bound_note:
            out.append(f'<p class="note">{_e(d.bound_note)}</p>')
        out.append(
            f'<p class="means"><b>Tight means</b> {_e(domain.tight_means)}<br><b>Loose means</b> {_e(domain.loose_means)}</p>'
        )
        out.append("<p><b>Why</b></p><ul>")
        if not d.because:
            out.append("<li>No rule fired: the setting is the domain's starting point.</li>")
        for fired in d.because:
            detail = "; ".join(_e(part) for part in fired_parts(rulebook, fired))
            out.append(f"<li>{_e(fired.text)} <small>({detail})</small></li>")
        out.append("</ul><p><b>Guard rails</b></p><ul>")
        out += [f"<li>{_e(rail.text)}</li>" for rail in d.guard_rails]
        out.append("</ul><p><b>What would change it</b></p><ul>")
        if not d.levers:
            out.append("<li>No single answer change would move this setting.</li>")
        for prompt, answers, setting in lever_lines(rulebook, d.levers):
            out.append(f"<li>{_e(prompt)} → <i>{_e(answers)}</i>: <b>{_e(setting)}</b></li>")
        out.append("</ul></div>")
    out.append("</section>")
    out.append('<section class="page"><h2>Answers</h2><dl class="answers">')
    for q in rulebook.questions.values():
        out.append(
            f"<dt>{_e(q.prompt)}</dt><dd>{_e(answer_text(rulebook, q.id, session.answers.get(q.id)))}</dd>"
        )
        note = session.notes.get(q.id)
        if note:
            out.append(f'<dd class="note">Note: {_e(note)}</dd>')
    for key, value in session.unknown.items():
        out.append(f"<dt>{_e(key)} (no longer asked)</dt><dd>{_e(value)}</dd>")
    out.append("</dl></section>")
    out.append("<section><h2>Questions for your team</h2><ol>")
    out += [f"<li>{_e(p)}</li>" for p in rulebook.meta.reflection]
    out.append("</ol><h2>Sources</h2><ul>")
    for source in rulebook.meta.sources:
        author = f"{_e(source.author)}, " if source.author else ""
        url = f" <span>{_e(source.url)}</span>" if source.url else ""
        out.append(f"<li>{author}<i>{_e(source.title)}</i>.{url}</li>")
    out.append("</ul></section>")
    out.append(
        f"<footer>Made with holdtight from rulebook {_e(rulebook.id)} {_e(rulebook.version)}. This report is decision support: discuss it, challenge it, and decide together.</footer>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
