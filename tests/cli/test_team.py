"""`holdtight team`, `holdtight merge` and the team side of `holdtight diff`, in-process."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

from holdtight.model import Rulebook
from holdtight.sessionfile import load_session
from tests.helpers import Cli, write_team


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_team_formats(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    write_team(folder)
    md = cli("team", str(folder))
    assert md.returncode == 0, md.stderr
    text = md.stdout
    assert text.index("## Where the team stands") < text.index("## Discussion agenda")
    assert "| Instructional model and school design |" in text
    assert "**Get the data:** How are devices and connectivity across schools?" in text
    assert "## Matters of fact where answers differ" in text
    assert "مسیر یادگیری 👩‍👩‍👧" in text  # joiners and bidi text kept whole
    assert "instructional_model" not in text and "desired_variation" not in text  # labels
    out = tmp_path / "team.html"
    result = cli("team", str(folder), "--format", "html", "-o", str(out))
    assert result.returncode == 0 and result.stdout == "" and "wrote" in result.stderr
    page = out.read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(page)
    assert "table" in parser.tags and "script" not in parser.tags
    assert 'class="heat"' in page and "T = Hold tight" in page
    assert "مسیر یادگیری 👩‍👩‍👧" in page and "?" * 3 not in page
    data = json.loads(
        cli("team", *(str(p) for p in sorted(folder.iterdir())), "--format", "json").stdout
    )
    assert data["schema"] == 1 and len(data["respondents"]) == 4
    assert data["domains"][0]["title"] == "Instructional model and school design"


def test_team_needs_two_sessions(cli: Cli, tmp_path: Path) -> None:
    paths = write_team(tmp_path / "team")
    result = cli("team", str(paths[0]))
    assert result.returncode == 2 and "at least two sessions" in result.stderr
    assert cli("merge", str(paths[0]), str(paths[1])).returncode == 2  # -o is required
    missing = cli("team", str(paths[0]), str(tmp_path / "missing.toml"))
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1


def test_merge_writes_a_session_that_opens(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    folder = tmp_path / "team"
    write_team(folder)
    out = tmp_path / "consensus.toml"
    result = cli("merge", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    session = load_session(out, rulebook)  # strict: nothing unknown
    assert session.meta["respondent"] == "Team consensus"
    assert "desired_variation" not in session.answers
    # One sentence per answer, naming who gave it (names may hold commas: see below).
    assert session.notes["desired_variation"] == (
        "To settle. One consistent model: Chief academic officer. Some variation on a common "
        "core: Chief financial officer and Superintendent. Many different models: Principal "
        "representative."
    )
    assert cli("report", str(out)).returncode == 0
    # Notes on answers everyone agreed on travel too, named by who wrote them.
    agreed = [q for q in session.notes if q in session.answers]
    assert agreed and all(":" in session.notes[q] for q in agreed)
    # Plain mode reads each disagreement's note aloud where the question is asked.
    plain = cli("open", str(out), "--plain", stdin="\n" * 60 + "q\n")
    assert plain.returncode == 0, plain.stderr
    assert "Note: To settle. " in plain.stdout


def test_diff_by_respondent_sets_text_and_output(cli: Cli, tmp_path: Path) -> None:
    _, cao, cfo, _ = write_team(tmp_path / "team")
    text = cli("diff", str(cao), str(cfo)).stdout
    assert "A = Chief academic officer" in text and "B = Chief financial officer" in text
    assert (
        "How are devices and connectivity across schools?: Uneven between schools → Inadequate"
        in text
    )
    assert "In a sentence or two" in text  # text questions included
    assert ".:" not in text  # a prompt's closing full stop gives way to the colon
    assert "Posture: More centralized" in text
    out = tmp_path / "diff.txt"
    assert cli("diff", str(cao), str(cfo), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == text
    # Multiple choices as sets: the same options in another order are no difference.
    again = tmp_path / "again.toml"
    again.write_text(
        cao.read_text(encoding="utf-8").replace(
            '"student_agency",\n    "targeted_instruction",',
            '"targeted_instruction",\n    "student_agency",',
        ),
        encoding="utf-8",
    )
    assert again.read_text(encoding="utf-8") != cao.read_text(encoding="utf-8")
    assert cli("diff", str(cao), str(again)).stdout.startswith("No differences")


def test_the_team_agenda_is_one_numbered_list_past_item_nine(cli: Cli) -> None:
    """Under '10.' the bullets need four spaces: with three, Markdown closed the list."""
    from markdown_it import MarkdownIt

    examples = Path(__file__).parents[2] / "examples"
    names = ("metro-unified-exploring.toml", "pine-valley-rural.toml", "summit-prep-scaling.toml")
    text = cli("team", *(str(examples / name) for name in names)).stdout
    agenda = text[text.index("## Discussion agenda") : text.index("## Contested domains")]
    assert "\n10. " in agenda
    html = MarkdownIt().render(agenda)
    assert html.count("<ol") == 1 and html.count("</ol>") == 1


def test_diff_and_team_list_names_that_hold_commas_unambiguously(cli: Cli) -> None:
    """ "5 respondents: Executive Director, Office of School Design, Superintendent, …"
    read as six people; a written answer's full stop ran into its colon ("college.:");
    the guard rails that changed stood under no heading."""
    from tests.helpers import EXAMPLES

    files = sorted(str(p) for p in EXAMPLES.glob("*.toml"))
    team = cli("diff", *files)
    assert team.returncode == 0, team.stderr
    head = team.stdout.splitlines()[0]
    assert "Executive Director, Office of School Design;" in head and "; and " in head
    assert ".: " not in team.stdout
    named = [line for line in team.stdout.splitlines() if "Office of School Design" in line]
    assert all("Office of School Design;" in line or line.endswith("Design") for line in named)
    workshop = cli("team", str(EXAMPLES))
    assert "Executive Director, Office of School Design;" in workshop.stdout
    two = cli("diff", files[0], files[1])
    lines = two.stdout.splitlines()
    rails = [k for k, line in enumerate(lines) if line.startswith(("  + ", "  - "))]
    assert rails and lines[rails[0] - 1].startswith("Guard rails that changed (")


def test_a_team_of_different_organizations_is_said(cli: Cli, tmp_path: Path) -> None:
    """A folder of five districts made a workshop titled "The leadership team" without a
    word; said on stderr (not refused: a network's schools may differ)."""
    from tests.helpers import EXAMPLES

    mixed = cli("team", str(EXAMPLES))
    assert mixed.returncode == 0
    assert mixed.stderr.startswith("holdtight: the sessions name 5 organizations (")
    one = tmp_path / "team"
    write_team(one)
    same = cli("team", str(one))
    assert same.returncode == 0 and same.stderr == ""
