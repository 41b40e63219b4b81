"""`holdtight import`: a survey tool's CSV export (one row per respondent, question text
as headers) turned into answer files or JSON Lines, through a TOML map."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tomllib
from collections.abc import Iterator
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
from holdtight.terminal_text import for_terminal, json_for_terminal

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


MAX_CSV_FIELD = 131_072
"""Characters in one CSV field (the csv module's default limit, set explicitly)."""


def _rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, fields) per record; the header is row 1. A malformed file (an
    unbalanced quote, a field over the limit) is one InputError naming the row: the rows
    after it cannot be trusted, so none is guessed at."""
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = str(error)
            if "field larger than field limit" in message:
                message = f"a field is longer than {MAX_CSV_FIELD:,} characters"
            elif "unexpected end of data" in message or "EOF" in message:
                message = "a quoted field never closes (unbalanced quote)"
            raise InputError(
                f"row {number + 1} (line {reader.line_num}): malformed CSV: {message}; "
                "nothing was imported",
                source=source,
            ) from None
        number += 1
        yield number, fields


def _header(fields: list[str], survey: SurveyMap, source: str) -> tuple[dict[str, int], list[str]]:
    """Column index by header, and notices. A mapped column named twice is an error."""
    wanted = {m.column for m in survey.questions.values()} | set(survey.meta.values())
    index: dict[str, int] = {}
    notices = []
    for i, header in enumerate(fields):
        if header in index:
            if header in wanted:
                raise InputError(
                    f"row 1: columns {index[header] + 1} and {i + 1} are both named "
                    f"'{one_line(header, 80)}'; rename one",
                    source=source,
                )
            continue
        index[header] = i
        if header not in wanted:
            notices.append(f"{source}: column '{one_line(header, 80)}' is not mapped; ignored")
    for qid, mapping in survey.questions.items():
        if mapping.column not in index:
            hint = did_you_mean(mapping.column, list(index))
            raise InputError(
                f"question '{qid}': no column '{one_line(mapping.column, 80)}'{hint}", source=source
            )
    return index, notices


def convert_rows(
    rulebook: Rulebook, survey: SurveyMap, text: str, source: str
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(records, errors, notices). A record is {"source", "answers", "meta"}. Every data
    row gives a record or an error naming its row (and column): none is dropped."""
    rows = _rows(text, source)
    first = next(rows, None)
    if first is None or not any(field.strip() for field in first[1]):
        raise InputError("no header row", source=source)
    index, notices = _header(first[1], survey, source)
    width = len(first[1])
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, fields in rows:
        if not any(field.strip() for field in fields):
            continue  # a blank line is not a respondent
        if len(fields) != width:
            errors.append(
                f"{source}: row {number}: {len(fields)} fields, but the header has {width}; "
                "row not imported"
            )
            continue

        def cell(column: str, fields: list[str] = fields) -> str:
            return fields[index[column]] if column in index else ""

        meta = {key: cell(column).strip() for key, column in survey.meta.items()}
        name = _safe_name(meta.pop("source", ""), f"row-{number}")
        while name in seen:
            name = f"{name}-{number}"
        seen.add(name)
        answers: dict[str, Any] = {}
        try:
            for qid, mapping in survey.questions.items():
                value = cell(mapping.column)
                if not value.strip():
                    continue
                question = rulebook.questions[qid]
                try:
                    answers[qid] = check_answer(question, _convert(question, mapping, value))
                except ValueError as error:
                    raise InputError(
                        f"row {number}, column '{one_line(mapping.column, 60)}' "
                        f"(#{index[mapping.column] + 1}): {error}",
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
    output: str | None = None,
    fmt: str = "toml",
) -> int:
    """Convert `csv_path` through `map_path` into answer files in the folder `output`
    (or JSON Lines on standard output, `fmt="jsonl"`). An existing answer file is never
    replaced; the exit status is 0 only when every data row became an answer set."""
    if not csv_path or not map_path:
        raise UsageError("import needs RESPONSES.csv and --map MAP.toml (or --template)")
    if fmt != "jsonl" and not output:
        raise UsageError(
            "import writes answer files into a folder: give -o DIR (or --format jsonl)"
        )
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
    written = 0
    if fmt == "jsonl" and not output:
        for record in records:
            sys.stdout.write(json_for_terminal(strictjson.dumps(record)) + "\n")
            written += 1
    else:
        folder = Path(str(output))
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            session = new_session(rulebook, record["meta"])
            session.answers.update(record["answers"])
            target = folder / f"{record['source']}.toml"
            try:
                atomic_write(target, dumps_session(session, rulebook).encode("utf-8"), True)
            except FileExistsError:
                errors.append(f"{target}: already exists; not overwritten")
                continue
            written += 1
        print(f"wrote {written} answer file(s) to {for_terminal(folder)}", file=sys.stderr)
    for line in errors:
        print(f"holdtight: {for_terminal(line)}", file=sys.stderr)
    if errors:
        print(
            f"holdtight: {written} of {written + len(errors)} row(s) imported; "
            f"{len(errors)} not (see above)",
            file=sys.stderr,
        )
    return EXIT_INPUT if errors else EXIT_OK
