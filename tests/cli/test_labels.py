"""Labels, never ids, where a person reads: the `score` table and `--summary`, `rules
stats`, and messages that are not about a file's keys (issue 13, item 2). JSON keeps the
ids as keys and adds the labels beside them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from holdtight.model import SETTINGS, Rulebook
from holdtight.sessionfile import load_session
from tests.helpers import EXAMPLES, Cli

POSTURES = ("more_centralized", "midway", "more_decentralized")
# Ids that no label contains: the ones with an underscore, and the lower-case "midway" and
# "balanced" (the labels are "Midway" and "Balanced"). "tight" and "loose" are words of
# the labels "Hold tight" and "Leave loose", so they cannot be told apart from ids.
RAW_IDS = re.compile(
    r"\b(" + "|".join(i for i in (*SETTINGS, *POSTURES) if i not in ("tight", "loose")) + r")\b"
)


def raw_ids(text: str) -> list[str]:
    """Setting and posture ids in `text`."""
    return RAW_IDS.findall(text)


def test_score_table_shows_labels(cli: Cli, rulebook: Rulebook) -> None:
    result = cli("score", str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    assert raw_ids(result.stdout) == []
    labels = {rulebook.posture_text(p) for p in POSTURES}
    postures = re.findall(r"^Posture: (.+) \(index", result.stdout, re.M)
    assert postures and set(postures) <= labels
    assert "Hold tight" in result.stdout or "Leave loose" in result.stdout
    confidence = re.findall(r"│ (High|Medium|Low|high|medium|low) *│$", result.stdout, re.M)
    assert confidence and set(confidence) <= {"High", "Medium", "Low"}


def test_terminal_summary_names_each_domain_on_one_line_at_80_columns(
    cli: Cli, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("score", str(EXAMPLES), "--summary")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    names = [row.split("│")[1].strip() for row in rows]
    # Settings, then confidence: a table each.
    assert names == [d.short or d.title for d in rulebook.domains] * 2
    assert all(len(row) <= 80 for row in rows)


def test_terminal_summary_shows_every_count_whole(rulebook: Rulebook) -> None:
    """Confidence counts shared one cell of 8 columns, cut from a hundred inputs on
    ("129/27…"): each count has a column of its own now, whole at 80 columns."""
    from holdtight.batch import BatchSummary
    from holdtight.reports.terminal import render_text, summary_renderable

    summary = BatchSummary(rulebook).as_dict()
    for k, domain in enumerate(summary["domains"]):
        domain["settings"] = {s: 100_000 + k for s in domain["settings"]}
        domain["confidence"] = {"high": 123_456, "medium": 234_567, "low": 345_678 + k}
    text = render_text(summary_renderable(rulebook, summary), 80)
    assert "…" not in text
    for k in range(len(rulebook.domains)):
        assert re.search(rf"│ +123456 │ +234567 │ +{345_678 + k} │", text)
        assert text.count(str(100_000 + k)) == 5


def test_a_narrow_terminal_gets_the_summary_whole(
    cli: Cli, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below 80 columns the counts were cut ("120…" for 120,000): the tables are drawn
    whole, as wide as they must be (the terminal wraps them), never a count cut."""
    from holdtight.batch import BatchSummary

    summary = BatchSummary(rulebook).as_dict()
    for k, domain in enumerate(summary["domains"]):
        domain["settings"] = {s: 120_000 + k for s in domain["settings"]}
    monkeypatch.setattr(BatchSummary, "as_dict", lambda self: summary)
    monkeypatch.setenv("COLUMNS", "50")
    result = cli("score", str(EXAMPLES), "--summary")
    assert "…" not in result.stdout
    for k in range(len(rulebook.domains)):
        assert result.stdout.count(str(120_000 + k)) == 5


def test_a_failure_in_the_summary_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure's line (file, place, reason) is whole however narrow the output: it was
    broken at 80 columns with a real line break, in a pipe too."""
    folder = tmp_path / "a-folder-with-a-rather-long-name-for-its-answer-files"
    folder.mkdir()
    (folder / "north.json").write_text('{\n  "answers": {"stage": "piloting", "stage": "x"}}\n')
    monkeypatch.setenv("COLUMNS", "60")
    result = cli("score", str(folder), "--summary")
    said = f"failed: {folder / 'north.json'}: line 2, column 36: key 'stage' is given twice"
    assert len(said) > 100
    assert said in result.stdout.splitlines()


def test_terminal_summary_shows_labels(cli: Cli, rulebook: Rulebook) -> None:
    result = cli("score", str(EXAMPLES), "--summary")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())  # headings may wrap
    assert raw_ids(result.stdout) == []
    for setting in SETTINGS:
        for word in rulebook.setting_label(setting).split():
            assert word in out
    assert "Posture: More centralized" in out and "Midway" in out


def test_json_summary_keeps_ids_as_keys_and_adds_labels(cli: Cli, rulebook: Rulebook) -> None:
    result = cli("score", str(EXAMPLES), "--summary", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data["posture"]) == list(POSTURES)
    assert set(data["domains"][0]["settings"]) == set(SETTINGS)
    assert data["labels"]["settings"] == {s: rulebook.setting_label(s) for s in reversed(SETTINGS)}
    assert data["labels"]["posture"]["more_centralized"] == "More centralized"


def test_rules_stats_shows_labels_titles_and_reasons(cli: Cli, rulebook: Rulebook) -> None:
    result = cli("rules", "stats", "--samples", "60")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert raw_ids(out) == []
    for domain in rulebook.domains:
        assert domain.id not in out or domain.id in (domain.short or domain.title).lower()
        assert (domain.short or domain.title) in out
    for rule in rulebook.rules:
        assert not re.search(rf"\b{re.escape(rule.id)}\b", out), rule.id
    assert "principals_few" not in out and "Balanced" in out
    assert re.search(r"^Posture: More centralized \d+%, Midway \d+%", out, re.M)


def test_posture_text_falls_back_to_a_readable_label(rulebook: Rulebook) -> None:
    assert rulebook.posture_text("more_centralized") == "More centralized"
    assert rulebook.posture_text("some_new_label") == "Some new label"


def test_questions_not_answered_under_a_new_rulebook_named_by_prompt(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "old.toml"
    path.write_text(
        '[holdtight]\nrulebook_version = "0.9"\n[answers]\nsystem_type = "cmo"\n',
        encoding="utf-8",
    )
    session = load_session(path, rulebook)
    [warning] = [w for w in session.warnings if "not answered" in w]
    assert rulebook.questions["schools"].prompt[:40] in warning
    assert "schools," not in warning and "autonomy_history" not in warning
