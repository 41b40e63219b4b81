"""`holdtight import`: a survey tool's CSV export (one row per respondent, question text
as headers) turned into answer files or JSON Lines, through a TOML map."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from holdtight import strictjson
from holdtight.errors import EXIT_INPUT, EXIT_OK, InputError, UsageError, did_you_mean, one_line
from holdtight.fileio import atomic_write
from holdtight.limits import MAX_FILE_BYTES
from holdtight.model import Question, Rulebook
from holdtight.sessionfile import (
    check_answer,
    dumps_session,
    new_session,
    read_bytes,
)
from holdtight.terminal_text import for_terminal

MAX_CSV_BYTES = 256 * 1024 * 1024
META_KEYS = ("source", "organization", "respondent")
UNSURE_LABELS = ("Not sure", "Unsure", "Don't know")


@dataclass(frozen=True)
class QuestionMap:
    column: str
    labels: dict[str, Any]
    separator: str = ";"


@dataclass
class SurveyMap:
    meta: dict[str, str] = field(default_factory=dict)
    questions: dict[str, QuestionMap] = field(default_factory=dict)


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def map_template(rulebook: Rulebook) -> str:
    """A starter map: column headers are the question prompts; labels are option labels."""
    lines = [
        f"# Survey map for rulebook '{rulebook.id}' {rulebook.version}.",
        "# Set each 'column' to the header your survey tool exports for that question, and the",
        "# labels to the answer texts respondents saw. Delete questions you did not ask.",
        "",
        "[columns]",
        '# source = "Response ID"      # names each answer file',
        '# organization = "School"',
        '# respondent = "Role"',
        "",
    ]
    for q in rulebook.questions.values():
        lines.append(f"[questions.{q.id}]")
        lines.append(f"column = {_toml_str(q.prompt)}")
        if q.kind == "multi":
            lines.append('separator = ";"')
        if q.kind in ("single", "multi"):
            lines.append(f"[questions.{q.id}.labels]")
            for option in q.options:
                lines.append(f"{_toml_str(option.label)} = {_toml_str(option.id)}")
            if q.kind == "single":
                lines.append(f'{_toml_str(UNSURE_LABELS[0])} = "unsure"')
        elif q.kind == "scale" and q.labels:
            lines.append(f"[questions.{q.id}.labels]")
            for value, label in q.labels.items():
                lines.append(f"{_toml_str(label)} = {value}")
        lines.append("")
    return "\n".join(lines)


def load_map(path: Path, rulebook: Rulebook) -> SurveyMap:
    source = str(path)
    raw = read_bytes(path)
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(error), source=source) from None
    for key in document:
        if key not in ("columns", "questions"):
            raise InputError(f"unknown table '{one_line(key, 40)}'", source=source)
    survey = SurveyMap()
    columns = document.get("columns", {})
    if not isinstance(columns, dict):
        raise InputError("columns: must be a table", source=source)
    for key, value in columns.items():
        if key not in META_KEYS:
            raise InputError(
                f"columns.{one_line(key, 40)}: unknown key{did_you_mean(key, META_KEYS)}",
                source=source,
            )
        if not isinstance(value, str):
            raise InputError(f"columns.{key}: must be a column header (text)", source=source)
        survey.meta[key] = value
    questions = document.get("questions", {})
    if not isinstance(questions, dict):
        raise InputError("questions: must be a table", source=source)
    for qid, entry in questions.items():
        if qid not in rulebook.questions:
            raise InputError(
                f"questions.{one_line(qid, 40)}: unknown question{did_you_mean(qid, rulebook.questions)}",
                source=source,
            )
        if not isinstance(entry, dict) or not isinstance(entry.get("column"), str):
            raise InputError(f'questions.{qid}: needs column = "header"', source=source)
        unknown = set(entry) - {"column", "labels", "separator"}
        if unknown:
            raise InputError(f"questions.{qid}: unknown key '{sorted(unknown)[0]}'", source=source)
        labels = entry.get("labels", {})
        if not isinstance(labels, dict):
            raise InputError(f"questions.{qid}.labels: must be a table", source=source)
        separator = entry.get("separator", ";")
        if not isinstance(separator, str) or not separator:
            raise InputError(f"questions.{qid}.separator: must be text", source=source)
        survey.questions[qid] = QuestionMap(entry["column"], dict(labels), separator)
    if not survey.questions:
        raise InputError("maps no questions", source=source)
    return survey


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _convert(question: Question, mapping: QuestionMap, cell: str) -> Any:
    """A cell to an answer value, through the labels; never guessed. ValueError if unmapped."""
    labels = {_normal(k): v for k, v in mapping.labels.items()}
    for label in UNSURE_LABELS:
        labels.setdefault(_normal(label), "unsure")

    def one(text: str) -> Any:
        key = _normal(text)
        if key in labels:
            return labels[key]
        if question.kind in ("single", "multi") and text.strip() in question.option_ids:
            return text.strip()
        if question.kind in ("scale", "number"):
            try:
                number = float(text.strip())
            except ValueError:
                pass
            else:
                return int(number) if number.is_integer() else number
        raise ValueError(f"label '{one_line(text, 60)}' is not mapped for question '{question.id}'")

    if question.kind == "multi":
        return [one(part) for part in cell.split(mapping.separator) if part.strip()]
    if question.kind == "text":
        return cell
    return one(cell)


def _safe_name(text: str, fallback: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:80]
    return name or fallback


def convert_rows(
    rulebook: Rulebook, survey: SurveyMap, text: str, source: str
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(records, errors, notices). A record is {"source", "answers", "meta"}."""
    reader = csv.DictReader(io.StringIO(text))
    headers = reader.fieldnames or []
    if not headers:
        raise InputError("no header row", source=source)
    notices = []
    wanted = {m.column for m in survey.questions.values()} | set(survey.meta.values())
    for header in headers:
        if header not in wanted:
            notices.append(f"{source}: column '{one_line(header, 80)}' is not mapped; ignored")
    for qid, mapping in survey.questions.items():
        if mapping.column not in headers:
            hint = did_you_mean(mapping.column, headers)
            raise InputError(
                f"question '{qid}': no column '{one_line(mapping.column, 80)}'{hint}", source=source
            )
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        meta = {key: (row.get(column) or "").strip() for key, column in survey.meta.items()}
        name = _safe_name(meta.pop("source", ""), f"row-{number}")
        while name in seen:
            name = f"{name}-{number}"
        seen.add(name)
        answers: dict[str, Any] = {}
        try:
            for qid, mapping in survey.questions.items():
                cell = row.get(mapping.column)
                if cell is None or not cell.strip():
                    continue
                question = rulebook.questions[qid]
                try:
                    answers[qid] = check_answer(question, _convert(question, mapping, cell))
                except ValueError as error:
                    raise InputError(
                        f"row {number}, column '{one_line(mapping.column, 60)}': {error}",
                        source=source,
                    ) from None
        except InputError as error:
            errors.append(str(error))
            continue
        records.append(
            {"source": name, "answers": answers, "meta": {k: v for k, v in meta.items() if v}}
        )
    return records, errors, notices


def run_import(
    rulebook: Rulebook,
    *,
    csv_path: str | None = None,
    map_path: str | None = None,
    template: bool = False,
    output: str | None = None,
    fmt: str = "toml",
) -> int:
    """Write a starter map (`template`), or convert `csv_path` through `map_path` into
    answer files in the folder `output` (or JSON Lines on standard output, `fmt="jsonl"`)."""
    if template:
        text = map_template(rulebook)
        if output:
            atomic_write(Path(output), text.encode("utf-8"))
            print(f"wrote {for_terminal(output)}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    if not csv_path or not map_path:
        raise UsageError("import needs RESPONSES.csv and --map MAP.toml (or --template)")
    survey = load_map(Path(map_path), rulebook)
    path = Path(csv_path)
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError("no such file", source=str(path)) from None
    if size > MAX_CSV_BYTES:
        raise InputError(f"file is too large ({size:,} bytes)", source=str(path))
    raw = path.read_bytes() if size > MAX_FILE_BYTES else read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 (byte {error.start}); export the CSV as UTF-8", source=str(path)
        ) from None
    records, errors, notices = convert_rows(rulebook, survey, text, str(path))
    for line in notices:
        print(f"holdtight: {for_terminal(line)}", file=sys.stderr)
    if fmt == "jsonl" and not output:
        for record in records:
            sys.stdout.write(strictjson.dumps(record) + "\n")
    else:
        if not output:
            raise UsageError(
                "import writes answer files into a folder: give -o DIR (or --format jsonl)"
            )
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            session = new_session(rulebook, record["meta"])
            session.answers.update(record["answers"])
            target = folder / f"{record['source']}.toml"
            atomic_write(target, dumps_session(session, rulebook).encode("utf-8"))
        print(f"wrote {len(records)} answer file(s) to {for_terminal(folder)}", file=sys.stderr)
    for line in errors:
        print(f"holdtight: {for_terminal(line)}", file=sys.stderr)
    return EXIT_INPUT if errors else EXIT_OK
