"""Plain mode (`holdtight new|open FILE --plain`, and by itself without a terminal):
driven by piping answers in, in-process through `holdtight.cli.main` (the `cli` fixture
gives a StringIO stdin, which is not a terminal) and once through a real pipe."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from holdtight.cli import main
from holdtight.commands.plain import plain_needed
from holdtight.commands.plain_text import plain_lines
from holdtight.model import Rulebook
from holdtight.sessionfile import new_session, save_session
from tests.helpers import FIXED_ENV, HOLDTIGHT, MINI_RULEBOOK, Cli, run_process

# The bundled rulebook's first questions: 1 system_type (4 options), 2 schools (1..2000),
# 3..11 single choices, 12 network_authority (only for a network or CMO), 16 aims (multi),
# 20 buy_in_principals (scale 1..5 with labels), 24 vision_statement (text).
ORDER_TO_AIMS = [
    ("system_type", "traditional_district"),
    ("schools", 40),
    ("autonomy_history", "mixed"),
    ("need_diversity", "moderate"),
    ("performance_spread", "narrow"),
    ("student_mobility", "low"),
    ("policy_flexibility", "moderate"),
    ("stage", "piloting"),
    ("leadership_stability", "stable"),
    ("funding", "mixed"),
    ("accountability_pressure", "medium"),
    ("definition", "drafting"),
    ("outcomes", "goals"),
    ("competencies", "none"),
]


def answers_file(rulebook: Rulebook, path: Path, answers: dict[str, Any], **meta: str) -> Path:
    session = new_session(rulebook, meta)
    session.answers.update(answers)
    save_session(path, session, rulebook)
    return path


def saved(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def no_escape_codes(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text


def after(out: str, marker: str) -> str:
    """The output after the last occurrence of `marker`."""
    assert marker in out, out
    return out.rsplit(marker, 1)[1]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# --- choosing plain mode ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "term", "plain"),
    [
        (True, True, "xterm-256color", False),
        (True, True, "dumb", True),
        (False, True, "xterm", True),
        (True, False, "xterm", True),
        (False, False, "", True),
    ],
)
def test_one_function_decides(stdin_tty: bool, stdout_tty: bool, term: str, plain: bool) -> None:
    stdin = FakeTerminal() if stdin_tty else io.StringIO()
    stdout = FakeTerminal() if stdout_tty else io.StringIO()
    assert plain_needed(stdin, stdout, {"TERM": term}) is plain


def _refuse_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    import holdtight.tui as tui_app

    def refuse(*args: object, **kwargs: object) -> int:
        raise AssertionError("the TUI was started")

    monkeypatch.setattr(tui_app, "run_app", refuse)


def test_term_dumb_selects_plain_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _refuse_tui(monkeypatch)
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdin", FakeTerminal("Acme\n"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "dumb")
    path = tmp_path / "s.toml"
    assert main(["new", str(path)]) == 0
    no_escape_codes(out.getvalue())
    assert "Organization" in out.getvalue()
    assert saved(path)["meta"]["organization"] == "Acme"


def test_plain_flag_selects_plain_mode_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebook: Rulebook
) -> None:
    _refuse_tui(monkeypatch)
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdin", FakeTerminal("q\n"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "xterm-256color")
    path = answers_file(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    assert main(["open", str(path), "--plain"]) == 0
    assert "Question 2 of 35, Context: How many schools" in out.getvalue()


def test_no_terminal_selects_plain_mode_and_asks_meta_first(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    result = cli("new", str(path), stdin="Acme District\nDr. Rivera\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    no_escape_codes(out)
    assert out.index("Organization") < out.index("Respondent") < out.index("Question 1 of 34")
    assert "Question 1 of 34, Context: What kind of school system do you lead?" in out
    assert "1. Traditional district\n" in out
    data = saved(path)
    assert data["meta"] == {"organization": "Acme District", "respondent": "Dr. Rivera"}
    assert data["answers"] == {"system_type": "traditional_district"}


# --- answering --------------------------------------------------------------------------


def test_number_range_shown_first_and_invalid_numbers_asked_again(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    result = cli("new", str(path), stdin="Acme\nJo\n1\nabc\n5000\n12.5\n0\n180\n")
    assert result.returncode == 0
    question = after(result.stdout, "Question 2 of 34")
    assert question.index("Type a whole number from 1 to 2000 (schools), or u if") < question.index(
        "Your answer:"
    )
    assert question.count("Try again.") == 4
    assert "5000 is above the maximum 2000" in question
    assert saved(path)["answers"]["schools"] == 180


def test_invalid_option_numbers_asked_again(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    result = cli("new", str(path), stdin="Acme\nJo\n7\nzero\n-1\n2\n")
    assert after(result.stdout, "Question 1 of 34").count("Try again.") == 3
    assert saved(path)["answers"]["system_type"] == "cmo"


def test_unsure_back_help_and_empty_line(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    typed = "Acme\nJo\n1\n?\nb\n\nu\n\n"  # answer, help, back, keep, not sure, skip
    result = cli("new", str(path), stdin=typed)
    out = result.stdout
    assert rulebook.questions["schools"].help[:60] in out
    assert out.count("Question 1 of 34") == 2  # shown again after `b`
    assert "Current answer: Traditional district." in out
    answers = saved(path)["answers"]
    assert answers == {"system_type": "traditional_district", "schools": "unsure"}
    # The last empty line moved on from question 3 without answering it.
    assert "Question 4 of 34" in after(out, "Saved: not sure.")


def test_back_on_the_first_question_says_so(cli: Cli, tmp_path: Path) -> None:
    result = cli("new", str(tmp_path / "s.toml"), stdin="b\n")
    assert "This is the first question" in result.stdout


def test_results_as_text_with_labels(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    result = cli("open", str(path), stdin="r\n")
    out = result.stdout
    no_escape_codes(out)
    results = after(out, "Your answer: r")
    assert "Posture" in results and "That was the summary." in results
    assert "Vision, definition and outcomes" in results
    assert any(label in results for label in ("Hold tight", "Lean tight", "Balanced"))
    for raw in ("lean_tight", "lean_loose", "more_centralized", "more_decentralized", "**", "|"):
        assert raw not in results
    # A summary, not every setting's reasons: a screen reader reads it in a minute.
    summary = results.split("That was the summary.")[0]
    assert "Why" not in summary.splitlines() and len(summary.splitlines()) < 60
    # Numbered as `r N` counts them, down the groups: nobody has to count.
    groups = summary.split("Next steps")[0]
    numbers = re.findall(r"^(\d+)\. .+ \((?:Hold|Lean|Balanced|Leave)", groups, re.M)
    assert numbers == [str(n) for n in range(1, len(rulebook.domains) + 1)]
    # The question is read again after the results, then asked.
    again = after(results, "or r all for every setting and the readiness bars.")
    assert again.startswith("\n\nQuestion 4 of 34, Context: How different are the needs")
    assert "\n1. Similar across schools\n" in again and "\nYour answer:" in again


def test_results_one_setting_or_all_of_them(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    out = cli("open", str(path), stdin="r 1\nr all\nr 99\nR ALL\n").stdout
    one = after(out, "Your answer: r 1").split("End of the results.")[0]
    first = re.search(r"\(r 1 is ([^)]+)\)", cli("open", str(path), stdin="r\n").stdout)
    assert first is not None and one.lstrip().startswith(f"1. {first.group(1)}: ")
    assert one.count("\nWhy\n") == 1 and "Guard rails" in one
    every = after(out, "Your answer: r all").split("End of the results.")[0]
    assert every.count("\nWhy\n") == len(rulebook.domains)
    assert f"\n{len(rulebook.domains)}. " in every  # numbered as r N counts them
    assert "Appendix B: the readiness bars" in every
    assert f"Type r and a number from 1 to {len(rulebook.domains)}, r all, or r alone." in out
    assert out.count("End of the results.") == 3  # r 1, r all, R ALL
    assert saved(path)["answers"] == dict(ORDER_TO_AIMS[:3])  # none of it was an answer


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("r", True),
        ("r all", True),
        ("r 3", True),
        ("R 12", True),
        ("r and d", False),
        ("rall", False),
        ("r -1", False),
        ("red", False),
    ],
)
def test_results_commands_leave_other_text_to_be_an_answer(line: str, command: bool) -> None:
    from holdtight.commands.plain import _results_command

    assert _results_command(line.strip()) is command


def test_quit_saves_and_names_the_reopen_command(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "my session.toml"
    result = cli("new", str(path), stdin="Acme\nq\nnot read\n")
    assert result.returncode == 0
    assert saved(path)["meta"] == {"organization": "Acme"}
    assert f"holdtight open '{path}'" in result.stdout
    assert "not read" not in result.stdout


def test_multi_numbers_with_spaces_or_commas(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS))
    result = cli("open", str(path), stdin="9\n1 x\n3, 1 1,\n")
    question = after(result.stdout, "Question 15 of 34, Vision: What is the work mainly for?")
    assert "separated by spaces or commas" in question.split("Your answer:")[0]
    assert question.count("Try again.") == 2
    # Duplicates ignored, order irrelevant: stored in the options' order.
    assert saved(path)["answers"]["aims"] == ["targeted_instruction", "equity_of_access"]
    again = cli("open", str(path), stdin="b\n0\n")
    # Semicolons between options: a label holds a comma.
    assert "Current answer: Targeted, data-driven instruction; Equity of access" in again.stdout
    assert saved(path)["answers"]["aims"] == []


def test_scale_shows_its_labels_and_text_is_typed(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    answers = {
        **dict(ORDER_TO_AIMS),
        "aims": ["efficiency"],
        "model_confidence": "exploring",
        "desired_variation": "some",
        "instructional_framework": "none",
    }
    answers = {k: v for k, v in answers.items() if k in rulebook.questions}
    for qid in ("model_confidence", "desired_variation", "instructional_framework"):
        answers[qid] = rulebook.questions[qid].options[0].id
    path = answers_file(rulebook, tmp_path / "s.toml", answers)
    typed = "4\n\n\n\nWe want every student to own their learning.\n"
    result = cli("open", str(path), stdin=typed)
    scale = after(result.stdout, "How do principals feel about the work?")
    assert "1. Resistant\n" in scale and "5. Championing\n" in scale
    assert "Type an option number from 1 to 5, or u if you are not sure." in scale
    data = saved(path)["answers"]
    assert data["buy_in_principals"] == 4
    assert data["vision_statement"] == "We want every student to own their learning."


def test_conditional_question_appears_and_disappears(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    result = cli("new", str(path), stdin="Acme\nJo\n4\n")
    assert "Question 2 of 35" in result.stdout  # the network's question is now counted
    answers = {**dict(ORDER_TO_AIMS[:11]), "system_type": "network"}
    path = answers_file(rulebook, tmp_path / "n.toml", answers)
    result = cli("open", str(path), stdin="")
    assert "Question 12 of 35, Context: What authority does the network" in result.stdout
    # Back to question 1, answer "traditional district": the network question goes.
    typed = "b\n" * 11 + "1\n" + "\n" * 10
    result = cli("open", str(path), stdin=typed)
    later = after(result.stdout, "Saved: Traditional district.")
    assert "What authority" not in later
    assert "Question 12 of 34, Vision:" in later


def test_resume_where_left(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    result = cli("open", str(path), stdin="")
    out = result.stdout
    assert "Organization" not in out
    assert "Question 4 of 34, Context:" in out and "Question 3 of" not in out


def test_finished_session_offers_results_back_and_quit(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.engine import shown_questions

    answers: dict[str, Any] = {}
    for qid in shown_questions(rulebook, {}):
        answers[qid] = "unsure" if rulebook.questions[qid].kind != "text" else "why"
    path = answers_file(rulebook, tmp_path / "s.toml", answers, organization="O")
    result = cli("open", str(path), stdin="r\nb\n\nq\n")
    out = result.stdout
    # Reopened: it says all is answered (not "That was the last question", which came
    # out of nowhere); after going back to the last one, it does.
    opened = out.split("Type r for the results", 1)[0]
    assert opened.endswith("\n\nAll 34 questions are answered already.\n")
    assert out.count("That was the last question.") == 1
    assert "That was the summary." in out and "Question 34 of 34" in out
    assert result.returncode == 0


def test_end_of_input_saves_and_exits_zero(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    result = cli("new", str(path), stdin="Acme\nJo\n2")  # no newline at the end either
    assert result.returncode == 0
    assert saved(path)["answers"] == {"system_type": "cmo"}
    assert f"Saved 1 of 35 answers to {path}." in result.stdout
    assert f"holdtight open {path}" in result.stdout


def test_ctrl_c_says_where_the_answers_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Interrupted(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            line = super().readline()
            if not line:
                raise KeyboardInterrupt
            return line

    monkeypatch.setattr(sys, "stdin", Interrupted("Acme\n"))
    path = tmp_path / "s.toml"
    assert main(["new", str(path)]) == 130
    assert f"holdtight open {path}" in capsys.readouterr().out
    assert saved(path)["meta"] == {"organization": "Acme"}


def test_quitting_before_anything_typed_leaves_no_file(cli: Cli, tmp_path: Path) -> None:
    for typed in ("", "q\n", "\n\nq\n"):
        result = cli(stdin=typed, cwd=tmp_path)  # plain `holdtight`, no terminal
        assert result.returncode == 0
        assert "no file was written" in result.stdout
        assert list(tmp_path.iterdir()) == []


def test_nothing_from_a_file_or_stdin_reaches_the_output_with_control_characters(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    path = answers_file(rulebook, tmp_path / "s.toml", {}, organization="Evil\x1b[2J\x07Org")
    result = cli("open", str(path), stdin="b\n\n\x1b]0;pwned\x07\n\x9b31m\n1\n")
    no_escape_codes(result.stdout)
    assert "\x07" not in result.stdout
    assert "Evil?[2J?Org" in result.stdout


def test_hostile_rulebook_text_reaches_the_output_without_control_characters(
    cli: Cli, tmp_path: Path, make_rulebook: Callable[..., Path]
) -> None:
    questions = (
        MINI_RULEBOOK["questions.toml"]
        .replace('prompt = "How many?"', 'prompt = "How\\u001b[2J many?"\nhelp = "Hel\\u009bp"')
        .replace('label = "Big"', 'label = "B\\u001b]0;x\\u0007ig"')
        .replace('title = "S"', 'title = "S\\u001b[31m"')
    )
    folder = make_rulebook(**{"questions.toml": questions})
    path = tmp_path / "s.toml"
    result = cli("new", str(path), "--rules", str(folder), stdin="Acme\nJo\n?\n50\nr\n")
    assert result.returncode == 0, result.stderr
    no_escape_codes(result.stdout)
    assert "\x07" not in result.stdout
    assert "How?[2J many?" in result.stdout and "2. B?]0;x?ig" in result.stdout
    assert saved(path)["answers"] == {"size": 50}


def test_markdown_outline_read_as_plain_lines() -> None:
    lines = plain_lines("# Title\n\n**Bold** \\_x\\_\n| a | b |\n|---|---|\n| c \\| d | e |\n")
    assert lines == ["Title", "", "Bold _x_", "a; b", "c | d; e"]


# --- real processes -----------------------------------------------------------------------


def test_through_a_real_pipe(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    result = run_process("new", str(path), stdin="Acme\nJo\n1\n180\nu\n")
    assert result.returncode == 0, result.stderr
    no_escape_codes(result.stdout + result.stderr)
    assert "Question 3 of 34" in result.stdout
    assert saved(path)["answers"] == {
        "system_type": "traditional_district",
        "schools": 180,
        "autonomy_history": "unsure",
    }


def test_bytes_that_are_not_text_in_a_pipe(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    env = {**os.environ, **FIXED_ENV}
    result = subprocess.run(
        [HOLDTIGHT, "new", str(path)], input=b"Ac\xffme\nJo\n1\n", capture_output=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert saved(path)["meta"]["organization"] == "Ac\ufffdme"


def test_plain_mode_never_imports_textual(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    code = (
        "import sys; from holdtight.cli import main; "
        f"rc = main(['new', {str(path)!r}, '--plain']); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print('LOADED', bad, file=sys.stderr); sys.exit(3 if bad or rc else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input="Acme\nJo\n1\nr\n", capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert saved(path)["answers"] == {"system_type": "traditional_district"}


def test_deciding_on_plain_mode_loads_no_report_module() -> None:
    """The TUI's start asks `plain_needed`; the report modules plain mode uses for its
    results are loaded only when asked for (they cost the TUI's start about 7 ms)."""
    import subprocess

    code = (
        "import sys, holdtight.commands.interactive as i; i.use_plain(False); "
        "print([m for m in sys.modules if m.startswith(('holdtight.reports.documents', "
        "'holdtight.reports.outline', 'holdtight.reports.html_doc', "
        "'holdtight.commands.plain.', 'holdtight.commands.plain_text')) "
        "or m == 'holdtight.commands.plain'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_results_asked_for_the_organization_then_asks_for_it_again(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("new", str(tmp_path / "s.toml"), stdin="r\nAcme\n")
    again = after(result.stdout, "That was the summary.").split("\n", 1)[1]
    assert again.startswith("\nOrganization: the school system these answers are for.\n")


def test_plain_mode_at_a_terminal_offers_the_unfinished_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebook: Rulebook
) -> None:
    """`holdtight` with TERM=dumb (a screen reader's terminal) in a folder with an
    unfinished session started a second blank one without a word, as the TUI once did."""
    _refuse_tui(monkeypatch)
    path = answers_file(rulebook, tmp_path / "riverside.toml", {"system_type": "cmo"})
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdin", FakeTerminal("1\n42\nq\n"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.chdir(tmp_path)
    assert main(["new"]) == 0
    shown = out.getvalue()
    no_escape_codes(shown)
    assert "Unfinished sessions in this folder:\n  1. riverside.toml" in shown
    assert "Question 2 of 35, Context: How many schools" in shown
    assert saved(path)["answers"]["schools"] == 42
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riverside.toml"]


def test_a_pipe_is_not_offered_the_unfinished_sessions(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """Its lines are answers: the first is the organization, not a choice of session."""
    answers_file(rulebook, tmp_path / "riverside.toml", {"system_type": "cmo"})
    result = cli("new", cwd=tmp_path, stdin="1\n")
    assert "Unfinished sessions" not in result.stdout
    assert len(list(tmp_path.glob("*.toml"))) == 2


def test_help_also_says_the_commands(cli: Cli, tmp_path: Path, rulebook: Rulebook) -> None:
    """`?` read the question's help only: the commands were said once, at the start."""
    path = answers_file(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    result = cli("open", str(path), stdin="?\n")
    helped = after(result.stdout, "Your answer: ?\n")
    assert helped.startswith(rulebook.questions["schools"].help[:40])
    assert "u not sure, b back, n note, ? help, r results, q save and quit" in helped


def test_plain_results_in_a_pipe_keep_every_line_whole(cli: Cli, tmp_path: Path) -> None:
    out = cli("new", str(tmp_path / "s.toml"), stdin="r\n").stdout
    assert any(len(line) > 100 for line in out.splitlines())  # not wrapped for a pipe


def test_plain_results_say_words_where_reports_draw_signs(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """A screen reader reads ⚑ as "black flag" and → as "rightwards arrow": plain mode's
    results say "check" and "then" instead (the Markdown report keeps its signs)."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    out = cli("open", str(path), stdin="r\nr all\n").stdout
    results = out.split("Your answer: r\n", 1)[1]
    assert "⚑" not in results  # (a rulebook's own text may hold an arrow: it is kept)
    roads = [line for line in results.splitlines() if line.startswith("Road ahead.")]
    assert roads and not any("→" in line for line in roads)
    assert "— check, low confidence" in results and ", then " in results
    assert " Answering " in results
    report = cli("report", str(path)).stdout
    assert "⚑" in report and "→" in report


def test_results_at_a_terminal_break_between_words_to_its_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebook: Rulebook
) -> None:
    """At a terminal a long line broke inside a word at the edge ("pla / ce")."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdin", FakeTerminal("r\nq\n"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["open", str(path)]) == 0
    results = out.getvalue().split("Executive summary", 1)[1].split("Your answer:", 1)[0]
    lines = results.splitlines()
    assert all(len(line) <= 59 for line in lines), [line for line in lines if len(line) > 59]
    assert any(line.startswith("  ") and line.strip() for line in lines)  # hanging items


def test_reopening_and_leaving_without_a_change_leaves_the_file_as_it_was(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """Quitting re-saved the file, so its "updated" date, and a report's date, moved
    though no answer had changed."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    text = path.read_text(encoding="utf-8")
    assert "\nupdated = " in text  # saved a while ago: a save now would show
    path.write_text(re.sub(r"\nupdated = .*", "\nupdated = 2020-01-02T03:04:05Z", text))
    before = path.read_bytes()
    for typed in ("", "r\nq\n"):
        result = cli("open", str(path), stdin=typed)
        assert result.returncode == 0 and "Saved 3 of" in result.stdout
        assert path.read_bytes() == before


def test_plain_readiness_bars_head_each_bar_above_its_criteria(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """Read aloud, a nested list sounds flat: each bar is a line of its own, its criteria
    the list under it."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]), organization="O")
    out = cli("open", str(path), stdin="r all\n").stdout
    bars = out.split("Appendix B: the readiness bars\n", 1)[1].split("End of the results.")[0]
    titles = [line for line in bars.splitlines() if line and not line.startswith("- ")]
    assert titles and not any(line.startswith(" ") for line in bars.splitlines())
    assert all(f"\n{title}\n\n- " in bars for title in titles)


def test_zero_among_options_skipping_and_the_bars_are_said_in_plain_words(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """'0 1' was refused as "'0' is not an option number from 1 to 5 (or 0 for none)";
    an empty line on an unanswered question moved on in silence; `r` pointed to an
    Appendix B that plain mode never reads out."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS))
    out = cli("open", str(path), stdin="0 1\n\n\nr\n").stdout
    question = after(out, "Question 15 of 34, Vision: What is the work mainly for?")
    assert "0 means none of these: type it alone, or only option numbers. Try again." in question
    assert "Your answer: \nSkipped, not answered.\n" in question
    assert "Appendix" not in after(out, "Your answer: r")
    # An empty line on an answered question keeps it, as the commands line says.
    kept = cli("open", str(path), stdin="b\n\n").stdout
    assert "Skipped" not in kept


def test_a_note_beside_an_answer_and_commands_in_either_case(
    cli: Cli, tmp_path: Path, rulebook: Rulebook
) -> None:
    """Plain mode had no way to write the note the TUI keeps beside an answer; and with
    caps lock on, "Q" was taken for an answer."""
    path = answers_file(rulebook, tmp_path / "s.toml", dict(ORDER_TO_AIMS[:3]))
    note = "Three schools share one campus."
    out = cli("open", str(path), stdin=f"n\n{note}\n2\nB\nn\n-\nQ\n").stdout
    assert f"Note (an empty line keeps it, a dash alone removes it): {note}\nNote saved." in out
    asked = out.split("Note saved. Now the answer.", 1)[1]
    assert asked.startswith("\nYour answer: ")  # then the answer, to the same question
    assert f"Current note: {note}" in out  # read back when the question comes again
    assert "Note removed." in out
    kept = saved(path)
    assert "need_diversity" in kept["answers"] and "notes" not in kept  # removed again
    assert cli("open", str(path), stdin="R\n").stdout.count("That was the summary.") == 1
