from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest

from holdtight.model import Rulebook
from holdtight.sessionfile import new_session, save_session
from tests.helpers import Cli

EVIL = '<script>alert("x")</script> & "Quotes" \'single\' ' + "Z" * 300


def make_session(path: Path, rulebook: Rulebook, **answers: object) -> Path:
    session = new_session(rulebook, {"organization": EVIL, "respondent": "CAO <b>"})
    base: dict[str, object] = {
        "system_type": "traditional_district",
        "schools": 42,
        "aims": ["equity_of_access", "student_agency"],
        "vision_statement": "Every student <owns> their path & more",
        "partners": "some",
        "knowledge_transfer": "no",
    }
    base.update(answers)
    session.answers.update(base)  # type: ignore[arg-type]
    session.notes["schools"] = "Includes 3 <alt> schools & a *hospital* program"
    save_session(path, session, rulebook)
    return path


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_is_self_contained_escaped_and_complete(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    source = make_session(tmp_path / "s.toml", rulebook)
    out = tmp_path / "r.html"
    result = cli("report", str(source), "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert (out.stat().st_mode & 0o777) == 0o600
    parser = _Collector()
    parser.feed(text)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    # Nothing loads from elsewhere; the only outside addresses are source links.
    assert not any(name == "src" for name, _ in parser.attrs)
    links = [v for name, v in parser.attrs if name == "href" and v and "://" in v]
    assert links and all(v.startswith("https://") for v in links)
    assert 'class="chart"' in text and "@media print" in text and "@page" in text
    assert "&lt;script&gt;" in text and "&amp;" in text and "&quot;Quotes&quot;" in text
    assert "35%" in text and "39%" in text and "26%" in text and "89 leaders" in text
    for domain in rulebook.domains:
        assert domain.title in text
    assert "Guard rails" in text and "What a leader can change" in text and "Why" in text
    assert "Includes 3 &lt;alt&gt; schools" in text
    assert "questions for your team" in text and "The Learning Accelerator" in text
    assert (
        text.index("Executive") < text.index("What to hold tight</h2>") < text.index("Appendix A")
    )
    # A group's heading stands outside its columns (printed, a heading spanning them was
    # left at the foot of a page): each group heading is followed by its columns.
    groups = text.count('<section class="group"><h2>')
    headed = re.findall(r'<section class="group"><h2>[^<]*</h2><div class="cols">', text)
    assert groups >= 1 and len(headed) == groups


def test_markdown_escapes_and_covers_everything(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    source = make_session(tmp_path / "s.toml", rulebook)
    result = cli("report", str(source))
    text = result.stdout
    assert result.returncode == 0
    assert text.startswith("# Tight or loose: \\<script\\>")
    assert "\\*hospital\\*" in text  # user text cannot format
    assert text.index("## Executive summary") < text.index("## Appendix A: every answer")
    assert text.count("**Guard rails**") == len(rulebook.domains)
    assert "## Appendix E: questions for your team" in text and "## Sources" in text
    assert "Note:" in text and "35%" in text


def test_json_report_is_the_result_plus_meta(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    source = make_session(tmp_path / "s.toml", rulebook)
    data = json.loads(cli("report", str(source), "--format", "json").stdout)
    assert data["ok"] and data["organization"] == EVIL
    assert len(data["domains"]) == 13 and "levers" in data["domains"][0]
    assert data["report"]["notes"]["schools"].startswith("Includes 3")
    assert data["report"]["survey"]["respondents"] == 89
    assert data["report"]["answers"]["schools"] == 42
    # Labels beside ids, a schema version, the confidence breakdown, warnings.
    assert data["schema"] == 2 and "warnings" in data
    assert data["report"]["answer_labels"]["schools"]["label"] == "42 schools"
    first = data["domains"][0]
    assert first["setting_label"] and first["confidence_breakdown"]["words"]
    assert first["reasons"] and first["starting_point"] == 2.0
    assert all(r["direction"].startswith(("toward", "holds it")) for r in first["reasons"])
    assert all("question_label" in lever for lever in first["levers"])


def test_report_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    missing = cli("report", str(tmp_path / "nope.toml"))
    assert (
        missing.returncode == 1
        and missing.stderr.count("\n") == 1
        and "no such file" in missing.stderr
    )
    broken = tmp_path / "broken.toml"
    broken.write_text("[answers\n")
    result = cli("report", str(broken), "--format", "html")
    assert (
        result.returncode == 1
        and "line 1, column" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert cli("report", str(broken), "--format", "pdf").returncode == 2


def test_diff_two_sessions(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    a = make_session(tmp_path / "a.toml", rulebook)
    b = make_session(
        tmp_path / "b.toml", rulebook, procurement="ad_hoc", infrastructure="uneven", schools=3
    )
    text = cli("diff", str(a), str(b)).stdout
    assert "Answers that changed (3)" in text
    assert (
        "How are digital tools chosen and bought?: not answered → School by school, ad hoc" in text
    )
    assert "Technology infrastructure and procurement:" in text and "(tighter)" in text
    assert "+ Technology infrastructure and procurement: Publish a dated plan" in text
    data = json.loads(cli("diff", str(a), str(b), "--format", "json").stdout)
    assert {item["question"] for item in data["answers"]} == {
        "procurement",
        "infrastructure",
        "schools",
    }
    tech = next(d for d in data["domains"] if d["id"] == "technology")
    assert tech["direction"] == "tighter" and tech["guard_rails_gained"]
    same = cli("diff", str(a), str(a))
    assert same.returncode == 0 and same.stdout.startswith("No differences")


def test_diff_team_of_three_most_contested_first(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    a = make_session(
        tmp_path / "cao.toml", rulebook, model_confidence="proven", desired_variation="consistent"
    )
    b = make_session(
        tmp_path / "cfo.toml", rulebook, model_confidence="exploring", desired_variation="many"
    )
    c = make_session(
        tmp_path / "principal.toml",
        rulebook,
        model_confidence="exploring",
        desired_variation="some",
    )
    data = json.loads(cli("diff", str(a), str(b), str(c), "--format", "json").stdout)
    spreads = [d["spread"] for d in data["domains"]]
    assert spreads == sorted(spreads, reverse=True) and spreads[0] >= 2
    assert data["domains"][0]["id"] == "instructional_model"
    questions = [q["question"] for q in data["questions"]]
    assert set(questions) == {"model_confidence", "desired_variation"}
    assert data["questions"][0]["question"] == "desired_variation"  # three different answers
    text = cli("diff", str(a), str(b), str(c)).stdout
    assert "Domains, most contested first:" in text and "Where respondents disagree" in text


@pytest.mark.parametrize("args", [["diff", "only-one.toml"], ["diff", "a.toml", "missing.toml"]])
def test_diff_errors(cli: Cli, tmp_path: Path, rulebook: Rulebook, args: list[str]) -> None:
    make_session(tmp_path / "a.toml", rulebook)
    result = cli(*args, cwd=tmp_path)
    assert result.returncode in (1, 2) and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_an_open_bidi_override_in_a_name_stays_inside_it(
    cli: Cli, tmp_path: Path, rulebook: Rulebook, fmt: str
) -> None:
    """A name holding a right-to-left override keeps every character, inside an isolate,
    so the date and headings after it are not reversed (seen in a printed page header)."""
    name = "Evil\u202eesrever"
    session = new_session(rulebook, {"organization": name, "respondent": "CAO"})
    session.answers["system_type"] = "traditional_district"
    path = tmp_path / "s.toml"
    save_session(path, session, rulebook)
    out = tmp_path / f"r.{fmt}"
    result = cli("report", str(path), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    isolated = f"\u2068{name}\u2069"
    assert isolated in text
    assert text.count("\u202e") == text.count(isolated)  # every override is isolated
    if fmt == "html":  # the running page header (CSS escapes) too
        assert "\\2068 Evil\\202e esrever\\2069" in text


def test_printed_report_keeps_each_small_heading_with_what_follows() -> None:
    # Printed (Chromium, two columns), "GUARD RAILS" ended a column with its list in
    # the next, and Appendix C's opening sentence was split across the two columns
    # with its list after it: the small headings avoid a break after them, and an
    # appendix's opening sentence spans both columns above its list.
    from holdtight.reports.html_doc import CSS

    printed = CSS[CSS.index("@media print") :]
    avoided = {
        selector.strip()
        for rule in re.findall(r"([^{}]+)\{[^{}]*break-after:avoid", printed)
        for selector in rule.split(",")
    }
    assert {".kind", ".domain h3", ".means"} <= avoided
    assert "section.group>.cols{columns:2" in printed and "section.group{columns" not in printed
    assert re.search(r"\.cols>p\.small:first-child\{column-span:all;break-after:avoid\}", printed)
