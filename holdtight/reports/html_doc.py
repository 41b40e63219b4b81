"""The report outline as one self-contained HTML page: readable from 390 px wide up,
printable on Letter and A4 (page numbers and a running header in the page margins).
User text is HTML-escaped only, so every character a person wrote is kept."""

from __future__ import annotations

import html
import re

from holdtight.model import SETTINGS
from holdtight.reports.outline import NO_PATH, other_levers_text
from holdtight.reports.outline_model import DomainView, Outline
from holdtight.terminal_text import for_document

# Marker fills, each with white text at WCAG AA contrast (4.5:1 or more); the letter and
# the position on the five-step track carry the setting too, never colour alone.
FILLS = {
    "tight": "#6a1b7a",
    "lean_tight": "#8e3f9f",
    "balanced": "#7a5c00",
    "lean_loose": "#1d6887",
    "loose": "#0d4d68",
}
LETTERS = {"tight": "T", "lean_tight": "t", "balanced": "B", "lean_loose": "ℓ", "loose": "L"}
ORDER = tuple(reversed(SETTINGS))  # tight first, as the chart reads left to right


def e(text: object) -> str:
    return html.escape(for_document(text), quote=True)


_URL = re.compile(r"https?://[^\s<>\"']+")


def linked(text: object) -> str:
    """User text escaped, with every web address (http or https) made a link."""
    value = str(text)
    out, last = [], 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(".,;:!?)")
        out.append(e(value[last : match.start()]))
        out.append(f'<a href="{e(url)}">{e(url)}</a>')
        last = match.start() + len(url)
    out.append(e(value[last:]))
    return "".join(out)


def css_string(text: str) -> str:
    """Text as a CSS string literal: everything but letters, digits and spaces escaped,
    so no file can close the style sheet or the string."""
    out = []
    for char in text:
        out.append(char if char.isalnum() or char == " " else f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def _link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'{e(text)}. <a href="{e(url)}">{e(url)}</a>'
    return e(text)


CSS = """
*{box-sizing:border-box}
body{font:16px/1.45 Georgia,'Times New Roman',serif;color:#1f1f1f;max-width:52rem;
margin:1.5rem auto;padding:0 1rem;overflow-wrap:anywhere}
h1,h2,h3,.chart,.facts,.flag,.kind{font-family:Helvetica,Arial,sans-serif}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;border-bottom:2px solid #ddd;
padding-bottom:.15rem;margin:1.6rem 0 .6rem}h3{font-size:1.05rem;margin:1rem 0 .3rem}
p,ul,ol{margin:.3rem 0 .6rem}li{margin:.1rem 0}
a{color:#0b4f8a}
.facts{display:flex;flex-wrap:wrap;gap:.1rem 1.2rem;font-size:.85rem;color:#444;margin:0 0 .5rem}
.note{border-left:4px solid #8a5a00;background:#fff7e6;padding:.3rem .6rem}
blockquote{border-left:3px solid #999;margin:.5rem 0;padding:.1rem .8rem;font-style:italic}
.groups{columns:2 16rem;column-gap:1.2rem}.groups>div{break-inside:auto}
.groups h3{margin-top:.4rem}.groups ul{padding-left:1.1rem;font-size:.92rem}
.rail{color:#333}.flag{font-size:.8rem;color:#8a1c1c}
.chart{margin:.4rem 0 .8rem;font-size:13px}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:.1rem .6rem;padding:2px 0;
border-bottom:1px solid #eee}
.row .name{flex:1 1 13rem;min-width:0}
.track{flex:1 1 13rem;display:grid;grid-template-columns:repeat(5,1fr);gap:2px}
.track span{text-align:center;border:1px solid #bbb;border-radius:3px;color:#555;
font-size:12px;line-height:18px}
.track span.on{color:#fff;font-weight:bold;border-color:transparent}
.legend{font-size:12px;color:#444}.road{flex:1 1 100%;font-size:12px;color:#444}
.domain{break-inside:avoid-page;margin-bottom:.6rem}
.domain h3{display:flex;flex-wrap:wrap;gap:.3rem;align-items:baseline}
.pill{font:bold 12px/1.5 Helvetica,Arial,sans-serif;color:#fff;border-radius:9px;
padding:0 .5rem}
.means,.conf{font-size:.9rem;color:#333}
.domain ul{font-size:.92rem;padding-left:1.1rem}.why small{color:#444}
.kind{font-size:.75rem;text-transform:uppercase;letter-spacing:.03em;color:#444;margin:.3rem 0 0}
.answers{columns:2 18rem;column-gap:1.5rem;font-size:.85rem;list-style:none;padding:0}
.answers li{margin:0 0 .3rem;break-inside:avoid}
.small{font-size:.82rem}
section.page{break-before:page}
@page{size:auto;margin:18mm 15mm 16mm 15mm}
@page{@bottom-right{content:"Page " counter(page) " of " counter(pages);
font:9pt Helvetica,Arial,sans-serif;color:#555}}
@media print{body{margin:0;max-width:none;font-size:9pt;line-height:1.35}
h1{font-size:16pt}h2{font-size:12pt;break-after:avoid;margin-top:0}h3{font-size:10pt;break-after:avoid}
section.group>.cols{columns:2;column-gap:7mm}.groups{columns:2}section h2{column-span:all}
section.group h2{margin-top:.8rem}
section.appendix{font-size:8pt;line-height:1.28}section.appendix .cols{columns:2;column-gap:7mm;padding-bottom:1.4em}
section.appendix .answers{columns:1}section.appendix h2{break-after:avoid}
section.appendix h3{break-after:avoid}
section.appendix .small,section.appendix .answers{font-size:8pt}
.domain{break-inside:auto}.domain h3,.means,.kind{break-after:avoid}.domain .head{break-inside:avoid}
.cols>p.small:first-child{column-span:all;break-after:avoid}
.chart{font-size:8.5pt}.row{flex-wrap:nowrap}.row .name{flex:0 0 38%}
.track{flex:0 0 30%}.road{flex:1 1 auto;font-size:7.5pt}.track span{font-size:8pt;line-height:12px}.row{padding:0}
.groups ul,.domain ul{font-size:9pt}li{break-inside:avoid}a{color:#1f1f1f}}
@media (max-width:480px){body{font-size:15px;padding:0 .6rem}}
"""


def _header_css(o: Outline) -> str:
    title = css_string(for_document(f"Tight or loose: {o.organization} — {o.date}"))
    return (
        f"@page{{@top-left{{content:{title};font:9pt Helvetica,Arial,sans-serif;color:#555}}}}"
        "@page:first{@top-left{content:none}}"
    )


def chart(o: Outline) -> str:
    """Every domain on the tight-to-loose track: HTML bars that reflow at any width."""
    legend = " · ".join(f"{LETTERS[s]} = {e(label)}" for s, label in _labels(o))
    stages = [stage for stage, _ in o.domains[0].road[1:]] if o.domains else []
    if stages:
        legend += ". Now on the track, then: " + e(" → ".join(stages)) + ". ⚑ = check first"
    rows = [
        f'<div class="chart" role="table" aria-label="Setting per domain"><p class="legend">{legend}</p>'
    ]
    for view in o.domains:
        cells = []
        for setting in ORDER:
            if setting == view.setting:
                cells.append(
                    f'<span class="on" style="background:{FILLS[setting]}" '
                    f'title="{e(view.setting_label)}">{LETTERS[setting]}</span>'
                )
            else:
                cells.append('<span aria-hidden="true">·</span>')
        road = " → ".join(label for _, label in view.road[1:])
        rows.append(
            f'<div class="row" role="row"><span class="name" role="cell">{e(view.title)}'
            + (" ⚑" if view.borderline or view.confidence == "low" else "")
            + "</span>"
            f'<span class="track" role="cell" aria-label="{e(view.setting_label)}">'
            + "".join(cells)
            + "</span>"
            + (f'<span class="road" role="cell">then {e(road)}</span>' if road else "")
            + "</div>"
        )
    rows.append("</div>")
    return "".join(rows)


def _labels(o: Outline) -> list[tuple[str, str]]:
    """The rulebook's label of every setting, tightest first (the chart's order)."""
    labels = dict(o.setting_labels)
    return [(s, labels[s]) for s in ORDER]


GENERATOR = '<meta name="generator" content="holdtight">'
"""Marks a report holdtight wrote: the TUI replaces one without asking, not another file."""


def html_outline(o: Outline) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        GENERATOR,
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Tight or loose — {e(o.organization)}</title>",
        f"<style>{CSS}{_header_css(o)}</style></head><body>",
        f"<h1>Tight or loose: {e(o.organization)}</h1>",
        '<p class="facts">'
        f"<span><b>Prepared for</b> {e(o.prepared_for)}</span>"
        f"<span><b>Prepared by</b> {e(o.prepared_by)}</span>"
        f"<span><b>Date</b> {e(o.date)}"
        + (f" ({e(o.date_meaning)})" if o.date_meaning else "")
        + "</span>"
        f"<span><b>Rulebook</b> {e(o.rulebook_title)}, version {e(o.rulebook_version)}</span>"
        + "".join(f"<span><b>{e(k)}</b> {e(v)}</span>" for k, v in o.details)
        + "</p>",
    ]
    if o.rulebook_note:
        out.append(f'<p class="note">{e(o.rulebook_note)}</p>')
    out.append("<h2>Executive summary</h2>")
    out.append(f"<p>{e(o.posture)} <small>{e(o.survey)}</small></p>")
    if o.vision_statement:
        out.append(f"<blockquote>{linked(o.vision_statement)}</blockquote>")
    out.append(chart(o))
    out.append('<div class="groups">')
    for group in o.summary:
        out.append(f"<div><h3>{e(group.title)}</h3><ul>")
        if not group.items:
            out.append("<li>None.</li>")
        for item in group.items:
            flags = "".join(f' <span class="flag">⚑ {e(f)}</span>' for f in item.flags)
            rail = (
                f'<br><span class="rail">Guard rail: {e(item.guard_rail)}</span>'
                if item.guard_rail
                else ""
            )
            out.append(f"<li><b>{e(item.domain)}</b> ({e(item.setting_label)}){flags}{rail}</li>")
        out.append("</ul></div>")
    out.append("</div>")
    if o.check_first:
        out.append(f'<p class="check"><b>Check first:</b> {e(o.check_first)}</p>')
    out.append("<h3>The earned-autonomy path</h3>")
    if not o.path:  # a sentence, not a list of one
        out.append(f"<p>{e(NO_PATH)}</p>")
    else:
        out.append("<ol>")
        for step in o.path:
            opens = "; ".join(e(x) for x in step.opens)
            out.append(f"<li><b>{e(step.title)}</b>: {opens}</li>")
        if any(step.criteria for step in o.path):
            out.append('<li class="small" style="list-style:none">The bars are in Appendix B.</li>')
        out.append("</ol>")
    out.append("<h3>Next steps</h3><ol>")
    out += [f"<li>{e(step)}</li>" for step in o.next_steps]
    out.append("</ol>")
    for page in o.pages:
        # Groups follow on (a heading across both columns), so that a short summary or
        # group never leaves a near-empty page behind it.
        # The heading outside the columns, as the appendices': spanning them, it was
        # left at the foot of a printed page with its domains on the next.
        out.append(f'<section class="group"><h2>{e(page.title)}</h2><div class="cols">')
        out += [domain_html(view) for view in page.domains]
        out.append("</div></section>")
    # Each appendix its own section, its heading outside the columns: one multi-column
    # block with headings spanning it overlapped text across a page break in Chromium.
    answers = []
    for section in o.answers:
        answers.append(f'<h3>{e(section.title)}</h3><ul class="answers">')
        for a in section.lines:
            note = f"<br><i>Note: {linked(a.note)}</i>" if a.note else ""
            answers.append(f"<li><b>{e(a.prompt)}</b> {linked(a.answer)}{note}</li>")
        answers.append("</ul>")
    out.append(_appendix("Appendix A: every answer", "".join(answers)))
    bars = [step for step in o.path if step.criteria]
    if bars:
        items = "".join(
            f"<li><b>{e(step.title)}</b><ul>"
            + "".join(f"<li>{e(c)}</li>" for c in step.criteria)
            + "</ul></li>"
            for step in bars
        )
        out.append(_appendix("Appendix B: the readiness bars", f'<ul class="small">{items}</ul>'))
    others = [(v.title, other_levers_text(v)) for v in o.domains if v.other_levers]
    if others:
        out.append(
            _appendix(
                "Appendix C: other answers that would change a setting",
                '<p class="small">Answering one of these questions differently would move the '
                'domain to the setting in brackets.</p><ul class="small">'
                + "".join(f"<li><b>{e(title)}</b>: {e(text)}</li>" for title, text in others)
                + "</ul>",
            )
        )
    out.append(
        _appendix("Appendix D: method", "".join(f'<p class="small">{e(p)}</p>' for p in o.method))
    )
    out.append(
        _appendix(
            "Appendix E: questions for your team",
            '<ol class="small">' + "".join(f"<li>{e(q)}</li>" for q in o.reflection) + "</ol>",
        )
    )
    out.append(
        _appendix(
            "Sources",
            '<ul class="small">'
            + "".join(f"<li>{_link(text, url)}</li>" for text, url in o.sources)
            + "</ul>",
        )
    )
    if o.warnings:
        out.append(
            _appendix(
                "Warnings",
                '<ul class="small">' + "".join(f"<li>{e(w)}</li>" for w in o.warnings) + "</ul>",
            )
        )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _appendix(title: str, body: str) -> str:
    return f'<section class="appendix"><h2>{e(title)}</h2><div class="cols">{body}</div></section>'


def domain_html(view: DomainView) -> str:
    parts = [
        # The heading kept with its first lines: never alone at the foot of a page.
        f'<div class="domain" id="{e(view.id)}"><div class="head"><h3>{e(view.title)} '
        f'<span class="pill" style="background:{FILLS[view.setting]}">'
        f"{LETTERS[view.setting]} · {e(view.setting_label)}</span></h3>",
        f'<p class="means"><b>Tight means</b> {e(view.tight_means)} '
        f"<b>Loose means</b> {e(view.loose_means)}</p></div>",
        f'<p class="conf"><b>Confidence.</b> {e(view.confidence_words)}'
        + (
            f' <span class="flag">⚑ borderline: {e(view.borderline)}</span>'
            if view.borderline
            else ""
        )
        + "</p>",
        '<p class="conf"><b>Road ahead.</b> '
        + " → ".join(f"{e(stage)}: <b>{e(label)}</b>" for stage, label in view.road)
        + ".</p>"
        + (
            '<p class="conf"><b>What earns a looser setting.</b> '
            + "; ".join(e(item) for item in view.earned_by)
            + " (the bars are in Appendix B).</p>"
            if view.earned_by
            else ""
        ),
        f'<p class="kind">Why</p><ul class="why"><li>{e(view.starting_point)}</li>',
    ]
    for reason in view.reasons:
        parts.append(f"<li>{e(reason.text)} — <b>{e(reason.direction)}</b></li>")
    if view.smaller:
        parts.append(f"<li>{e(view.smaller)}</li>")
    if view.held_by:
        parts.append(f"<li>{e(view.held_by)}</li>")
    parts.append('</ul><p class="kind">Guard rails</p><ul>')
    parts += [f"<li>{e(rail)}</li>" for rail in view.guard_rails] or [
        "<li>None for this setting.</li>"
    ]
    parts.append("</ul>")
    if view.levers:
        parts.append('<p class="kind">What a leader can change</p><ul>')
        for group in view.levers:
            for line in group.lines:
                parts.append(
                    f"<li>{e(group.title)}: {e(line.prompt)} → <i>{e(line.answers)}</i>: "
                    f"<b>{e(line.setting_label)}</b></li>"
                )
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)
