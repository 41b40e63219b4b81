"""The team workshop as Markdown, self-contained HTML (printable, readable on a phone) or
JSON. Documents keep every character a person wrote: HTML is escaped, nothing replaced."""

from __future__ import annotations

import json
from typing import Any

from holdtight.model import Rulebook, Session
from holdtight.reports.html_doc import e, linked
from holdtight.reports.markdown_doc import md
from holdtight.reports.phrases import listed
from holdtight.team import LETTERS, analyse_team

# Light fills with dark text (WCAG AA at any size); the letter in each cell carries the
# setting too, so the heat map never relies on colour alone.
FILLS = {
    "tight": "#e8d5ef",
    "lean_tight": "#f3e8f7",
    "balanced": "#fbf1d3",
    "lean_loose": "#e1f0f7",
    "loose": "#cfe6f1",
}


def render_team(rulebook: Rulebook, team: list[tuple[str, Session]], fmt: str) -> str:
    data = analyse_team(rulebook, team)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "html":
        return team_html(data)
    return team_markdown(data)


def _who(names: list[str]) -> str:
    """Respondents in a sentence; semicolons where a role holds a comma (`listed`)."""
    return listed(names)


def _legend(data: dict[str, Any]) -> str:
    return " · ".join(f"{s['letter']} = {s['label']}" for s in data["settings"])


def _stake_text(item: dict[str, Any]) -> list[str]:
    return [
        f"{s['domain_title']}: {s['respondent']}'s setting goes from {s['from_label']} to "
        f"{s['to_label']} with the team's most common answer"
        for s in item["stakes"]
    ]


def _reason_lines(domain: dict[str, Any]) -> list[str]:
    """Reasons (the engine's fired rules) that hold for some respondents only."""
    lines = []
    for reason in domain["reasons_split"]:
        weight = reason["weight"]
        toward = "toward tight" if weight > 0 else "toward loose" if weight < 0 else "a bound"
        lines.append(
            f"{reason['text']} ({toward}, {abs(weight):g}) — for {_who(reason['respondents'])}"
        )
    return lines


def _question_summary(q: dict[str, Any]) -> list[str]:
    """How the team answered one question, as lines of plain text."""
    if "median" in q:
        low, high = q["range"]
        head = f"median {q['median']:g}, range {low:g}–{high:g}"
        return [head] + [f"{name}: {a['label']}" for name, a in q["answers"].items()]
    if "everyone" in q:
        lines = [f"everyone: {', '.join(q['everyone']) or 'nothing in common'}"]
        lines += [f"{option}: {_who(names)}" for option, names in q["some"].items()]
        return lines
    return [f"{label}: {_who(names)}" for label, names in q.get("groups", {}).items()]


def team_markdown(data: dict[str, Any]) -> str:
    names = data["respondents"]
    org = data["organization"] or "The leadership team"
    lines = [
        f"# Team workshop: {md(org)}",
        "",
        f"{len(names)} respondents: {md(_who(names))}. Rulebook: "
        f"{md(data['rulebook']['title'])} (version {md(data['rulebook']['version'])}).",
        "",
        "## Where the team stands",
        "",
        f"Settings: {_legend(data)}. Most contested first.",
        "",
        "| Domain | " + " | ".join(md(n) for n in names) + " | Consensus | Spread |",
        "|---" * (len(names) + 3) + "|",
    ]
    for d in data["domains"]:
        cells = [d["by_respondent"][n]["letter"] for n in names]
        lines.append(
            f"| {md(d['title'])} | "
            + " | ".join(cells)
            + f" | {md(d['consensus_label'])} | {d['spread']} |"
        )
    lines += ["", "## Discussion agenda", ""]
    if not data["agenda"]:
        lines.append("No answer split moves a setting: confirm the consensus and move on.")
    for item in data["agenda"]:
        verb = "Get the data" if item["nature"] == "fact" else "Discuss and decide"
        marker = f"{item['step']}. "
        lines.append(f"{marker}**{verb}:** {md(item['prompt'])}")
        # Under the item's text, however wide its number: "10. " needs four spaces, or
        # Markdown ends the numbered list there.
        indent = " " * len(marker)
        lines += [f"{indent}- At stake — {md(text)}" for text in _stake_text(item)]
    lines += ["", "## Contested domains and the answers that drive them", ""]
    for d in data["domains"]:
        if not d["spread"]:
            continue
        lines.append(f"### {md(d['title'])} (consensus {md(d['consensus_label'])})")
        lines.append("")
        for driver in d["drivers"]:
            lines.append(
                f"- {md(driver['prompt'])} (team's most common answer: "
                f"{md(driver['common_label'])})"
            )
            for m in driver["moves"]:
                lines.append(
                    f"  - {md(m['respondent'])} answered {md(m['answer_label'])}; with the "
                    f"common answer: {md(m['from_label'])} → {md(m['to_label'])}"
                )
        if not d["drivers"]:
            lines.append("- No single answer moves it; these reasons hold for some and not others:")
            lines += [f"  - {md(text)}" for text in _reason_lines(d)]
        lines.append("")
    for nature, title in (("fact", "Matters of fact"), ("judgment", "Matters of judgment")):
        split = [q for q in data["questions"][nature] if not q["agreed"]]
        lines += [f"## {title} where answers differ", ""]
        if not split:
            lines += ["None.", ""]
        for q in split:
            lines.append(f"- **{md(q['prompt'])}**")
            lines += [f"  - {md(text)}" for text in _question_summary(q)]
        if split:
            lines.append("")
    lines += ["## Vision statements side by side", ""]
    for q in data["statements"]:
        for name, answer in q["answers"].items():
            lines.append(f"- **{md(name)}:** {md(answer['label'])}")
    return "\n".join(lines).rstrip() + "\n"


TEAM_CSS = """
body{font-family:Georgia,'Times New Roman',serif;color:#222;max-width:58rem;margin:1.5rem auto;
padding:0 1rem;line-height:1.45;overflow-wrap:anywhere}
h1,h2,h3{font-family:Helvetica,Arial,sans-serif;line-height:1.2}
table.heat{border-collapse:collapse;width:100%;font:13px/1.3 Helvetica,Arial,sans-serif}
.heat th,.heat td{border:1px solid #ccc;padding:4px;text-align:center;overflow-wrap:normal;
word-break:normal;hyphens:auto}
.heat th:first-child,.heat td:first-child{text-align:left}
.heat td.cell{font-weight:bold;color:#222}
.legend{font:13px Helvetica,Arial,sans-serif;color:#444}
.stake{color:#444}.kind{font:12px Helvetica,Arial,sans-serif;text-transform:uppercase;color:#555}
.statements blockquote{border-left:3px solid #999;margin:.6rem 0;padding:.1rem .8rem}
@page{size:auto;margin:16mm 14mm;@bottom-right{content:"Page " counter(page) " of "
counter(pages);font:9pt Helvetica,Arial,sans-serif;color:#555}}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}
li,tr,blockquote{break-inside:avoid}}
@media (max-width:480px){.heat{font-size:12px}.heat th,.heat td{padding:3px 2px}
.heat thead th.who{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;
text-align:left}}
"""


def _heat_table(data: dict[str, Any]) -> list[str]:
    names = data["respondents"]
    out = [
        '<table class="heat"><caption class="legend">'
        + e(_legend(data))
        + '; most contested first</caption><thead><tr><th scope="col">Domain</th>'
    ]
    out += [f'<th scope="col" class="who">{e(n)}</th>' for n in names]
    out.append('<th scope="col">Team</th><th scope="col">Spread</th></tr></thead><tbody>')
    for d in data["domains"]:
        row = [f'<tr><th scope="row">{e(d["title"])}</th>']
        for n in names:
            s = d["by_respondent"][n]
            row.append(
                f'<td class="cell" style="background:{FILLS[s["setting"]]}" '
                f'title="{e(n)}: {e(s["label"])}">{s["letter"]}</td>'
            )
        c = d["consensus"]
        row.append(
            f'<td class="cell" style="background:{FILLS[c]}" title="{e(d["consensus_label"])}">'
            f"{LETTERS[c]}</td>"
            f"<td>{d['spread']}</td></tr>"
        )
        out.append("".join(row))
    out.append("</tbody></table>")
    return out


def team_html(data: dict[str, Any]) -> str:
    names = data["respondents"]
    org = data["organization"] or "The leadership team"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>Team workshop — {e(org)}</title><style>{TEAM_CSS}</style></head><body>",
        f"<h1>Team workshop: {e(org)}</h1>",
        f"<p>{len(names)} respondents: {e(_who(names))}. Rulebook: "
        f"{e(data['rulebook']['title'])}, version {e(data['rulebook']['version'])}.</p>",
        "<h2>Where the team stands</h2>",
        *_heat_table(data),
        "<h2>Discussion agenda</h2>",
    ]
    if not data["agenda"]:
        out.append("<p>No answer split moves a setting: confirm the consensus.</p>")
    out.append("<ol>")
    for item in data["agenda"]:
        verb = "Get the data" if item["nature"] == "fact" else "Discuss and decide"
        stakes = "".join(f"<li>{e(t)}</li>" for t in _stake_text(item))
        out.append(
            f'<li><span class="kind">{verb}</span><br><b>{e(item["prompt"])}</b>'
            f'<ul class="stake">{stakes}</ul></li>'
        )
    out.append("</ol><h2>Contested domains and the answers that drive them</h2>")
    for d in data["domains"]:
        if not d["spread"]:
            continue
        out.append(f"<h3>{e(d['title'])} — team: {e(d['consensus_label'])}</h3><ul>")
        for driver in d["drivers"]:
            moves = "".join(
                f"<li>{e(m['respondent'])} answered <i>{e(m['answer_label'])}</i>; with the "
                f"common answer: {e(m['from_label'])} → {e(m['to_label'])}</li>"
                for m in driver["moves"]
            )
            out.append(
                f'<li>{e(driver["prompt"])} <span class="stake">(most common answer: '
                f"{e(driver['common_label'])})</span><ul>{moves}</ul></li>"
            )
        if not d["drivers"]:
            reasons = "".join(f"<li>{e(t)}</li>" for t in _reason_lines(d))
            out.append(
                "<li>No single answer moves it; these reasons hold for some and not others:"
                f"<ul>{reasons}</ul></li>"
            )
        out.append("</ul>")
    for nature, title in (("fact", "Matters of fact"), ("judgment", "Matters of judgment")):
        split = [q for q in data["questions"][nature] if not q["agreed"]]
        out.append(f"<h2>{title} where answers differ</h2>")
        if not split:
            out.append("<p>None.</p>")
            continue
        out.append("<ul>")
        for q in split:
            rows = "".join(f"<li>{e(t)}</li>" for t in _question_summary(q))
            out.append(f"<li><b>{e(q['prompt'])}</b><ul>{rows}</ul></li>")
        out.append("</ul>")
    out.append('<h2>Vision statements side by side</h2><div class="statements">')
    for q in data["statements"]:
        for name, answer in q["answers"].items():
            out.append(f"<blockquote><b>{e(name)}:</b> {linked(answer['label'])}</blockquote>")
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"
