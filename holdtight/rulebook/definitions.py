"""A rulebook's tables as definitions: validated by pydantic into the model's *Def
classes (`read_definitions`, which the cache may stand in for), then checked on every
load: the header's values, id spelling and uniqueness, the tables a rulebook must have
(`check_definitions`). Every problem is one line naming its file and place."""

# No `from __future__ import annotations` here: with it, typing.NamedTuple compiles
# every field's annotation string at import, which costs start-up time.

import math
import re
from typing import Any, NamedTuple, TypeVar

from holdtight.errors import did_you_mean, one_line
from holdtight.model import (
    ID_PATTERN,
    SETTINGS,
    DomainDef,
    ExampleDef,
    GuardRailDef,
    QuestionDef,
    RulebookMeta,
    RuleDef,
    ScenarioDef,
    Section,
    settle,
)
from holdtight.rulebook.files import META_FILE, Findings, RulebookFiles
from holdtight.validation import as_written, first_error, is_validation_error, validate

TABLES: dict[str, type[Any]] = {
    "section": Section,
    "question": QuestionDef,
    "domain": DomainDef,
    "rule": RuleDef,
    "guard_rail": GuardRailDef,
    "example": ExampleDef,
    "scenario": ScenarioDef,
}
LABELS = {"guard_rail": "guard rail"}
REQUIRED = (("question", "questions.toml"), ("domain", "domains.toml"))

D = TypeVar("D")


class Entry(NamedTuple):
    """One table as read from a file: `source` is the file's name inside the rulebook,
    `file` its name in messages, `data` the table as written."""

    kind: str
    source: str
    file: str
    position: int
    data: Any

    @property
    def label(self) -> str:
        ident = self.data.get("id") if isinstance(self.data, dict) else None
        name = LABELS.get(self.kind, self.kind)
        if isinstance(ident, str) and ident:
            return f"{name} '{one_line(ident, 60)}'"
        return f"{name} #{self.position + 1}"


class Definitions(NamedTuple):
    """The validated header (None when it failed) and tables; field names are TABLES'."""

    meta: RulebookMeta | None
    section: list[tuple[Entry, Section]]
    question: list[tuple[Entry, QuestionDef]]
    domain: list[tuple[Entry, DomainDef]]
    rule: list[tuple[Entry, RuleDef]]
    guard_rail: list[tuple[Entry, GuardRailDef]]
    example: list[tuple[Entry, ExampleDef]]
    scenario: list[tuple[Entry, ScenarioDef]]

    def tables(self) -> dict[str, list[tuple[Entry, Any]]]:
        return {kind: getattr(self, kind) for kind in TABLES}


def validation_message(error: Exception) -> tuple[str, str]:
    """(field path, message) for the first problem pydantic found."""
    kind, loc, message = first_error(error)
    if kind == "extra_forbidden":
        return "", f"unknown key '{loc}'"
    if kind == "missing":
        return "", f"missing required field '{loc}'"
    return (f"field '{loc}'" if loc else ""), message


def read_definitions(
    findings: Findings, files: RulebookFiles, contents: dict[str, bytes]
) -> Definitions:
    """Parse every file and validate every table. A function of the files' names and
    bytes alone: the part of a load that the cache may keep."""
    meta: RulebookMeta | None = None
    entries: dict[str, list[Entry]] = {kind: [] for kind in TABLES}
    for name, raw in contents.items():
        document = files.parse(name, raw)
        if document is None:
            continue
        file = files.display(name)
        if name == META_FILE:
            body = {key: value for key, value in document.items() if key not in TABLES}
            try:
                meta = _checked(RulebookMeta, body)
            except _Unwritten as problem:
                findings.error(file, *problem.args)
            except Exception as error:
                if not is_validation_error(error):
                    raise
                where, message = validation_message(error)
                findings.error(file, where, message)
            document = {key: value for key, value in document.items() if key in TABLES}
        for key, value in document.items():
            if key not in TABLES:
                hint = did_you_mean(key, [*TABLES, "rule"])
                findings.error(file, "", f"unknown table '{one_line(key, 60)}'{hint}")
                continue
            if not isinstance(value, list):
                findings.error(file, f"[{key}]", f"use [[{key}]]: a list of tables")
                continue
            for index, item in enumerate(value):
                entries[key].append(Entry(key, name, file, index, item))
    tables = {
        kind: [
            (entry, item)
            for entry in entries[kind]
            if (item := _validate(findings, entry, model)) is not None
        ]
        for kind, model in TABLES.items()
    }
    return Definitions(meta, **tables)


def _validate(findings: Findings, entry: Entry, kind: type[D]) -> D | None:
    if not isinstance(entry.data, dict):
        findings.error(entry.file, entry.label, f"must be a table, not {type(entry.data).__name__}")
        return None
    try:
        return _checked(kind, entry.data)
    except _Unwritten as problem:
        where, message = problem.args
        findings.error(entry.file, f"{entry.label}, {where}", message)
        return None
    except Exception as error:
        if not is_validation_error(error):
            raise
        where, message = validation_message(error)
        findings.error(entry.file, ", ".join(p for p in (entry.label, where) if p), message)
        return None


class _Unwritten(ValueError):
    """(place, message): a value written as another type than its field's."""


def _checked(kind: type[D], data: Any) -> D:
    """`validate`, after `as_written`: types as written, not as pydantic can read them."""
    found = as_written(kind, data)
    if found is not None:
        raise _Unwritten(f"field '{found[0]}'", found[1])
    return validate(kind, data)


def check_definitions(findings: Findings, definitions: Definitions, meta_file: str) -> Definitions:
    """The checks on definitions that run on every load, cached or not: the header's
    values, then ids (spelling, uniqueness) and the tables every rulebook needs. Returns
    the definitions without the tables whose id was wrong or taken."""
    if definitions.meta is not None:
        check_meta(findings, definitions.meta, meta_file)
    tables = {kind: _unique(findings, items) for kind, items in definitions.tables().items()}
    for kind, table_file in REQUIRED:
        if not tables[kind] and not findings.failed:
            findings.error(table_file, "", f"the rulebook has no [[{kind}]] tables")
    return Definitions(definitions.meta, **tables)


def _unique(findings: Findings, items: list[tuple[Entry, D]]) -> list[tuple[Entry, D]]:
    seen: dict[str, Entry] = {}
    result: list[tuple[Entry, D]] = []
    pattern = re.compile(ID_PATTERN)
    for entry, item in items:
        ident = str(getattr(item, "id", ""))
        if entry.kind != "example" and not pattern.match(ident):
            findings.error(
                entry.file,
                f"{entry.label}, field 'id'",
                "ids are lower case letters, digits and _, starting with a letter",
            )
            continue
        if ident in seen:
            other = seen[ident]
            findings.error(
                entry.file, entry.label, f"duplicate id (first in {other.file}, {other.label})"
            )
            continue
        seen[ident] = entry
        result.append((entry, item))
    return result


def check_meta(findings: Findings, meta: RulebookMeta, file: str) -> None:
    """The header's values: id spelling, posture band, the five settings, thresholds."""
    if not re.match(r"^[a-z0-9][a-z0-9_.-]*$", meta.id):
        findings.error(file, "field 'id'", "use lower case letters, digits, '.', '_' and '-'")
    if not (math.isfinite(meta.scale.borderline) and meta.scale.borderline >= 0):
        findings.error(file, "field 'scale.borderline'", "must be a number at or above 0")
    if not 0 < meta.posture.band < 1:
        findings.error(file, "field 'posture.band'", "must be between 0 and 1")
    ids = [item.id for item in meta.scale.settings]
    if sorted(ids) != sorted(SETTINGS) or len(ids) != len(SETTINGS):
        findings.error(file, "scale.settings", f"must list each of {', '.join(SETTINGS)} once")
    t = meta.scale.thresholds
    # As scoring holds them: to six decimals (`model.settle`).
    values = [settle(v) for v in (t.lean_loose, t.balanced, t.lean_tight, t.tight)]
    if not all(math.isfinite(v) for v in values) or values != sorted(set(values)):
        findings.error(
            file,
            "scale.thresholds",
            "must be finite and rise strictly (to six decimals): "
            "lean_loose < balanced < lean_tight < tight",
        )
    if not t.lean_loose < 0 < t.tight:
        findings.error(file, "scale.thresholds", "lean_loose must be below 0 and tight above 0")
