"""Result → plain data: the JSON shape of the spec, CSV rows, and safe display text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, get_args

from holdtight.model import (
    SETTINGS,
    AnswerValue,
    DomainResult,
    FiredRule,
    Lever,
    PostureLabel,
    Result,
    Rulebook,
    Scenario,
    ScenarioSetting,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def result_dict(
    result: Result,
    *,
    source: str | None = None,
    meta: Mapping[str, Any] | None = None,
    levers: bool = True,
) -> dict[str, Any]:
    """The scored result as the spec's JSON object."""
    out = result_opening(
        source,
        meta,
        result.rulebook_id,
        result.rulebook_version,
        result.posture_label,
        result.posture_index,
        result.answered,
        result.shown,
    )
    out["domains"] = [domain_item(d, levers) for d in result.domains]
    out["scenarios"] = [scenario_item(x) for x in result.scenarios]
    if result.warnings:
        out["warnings"] = list(result.warnings)
    return out


def result_opening(
    source: str | None,
    meta: Mapping[str, Any] | None,
    rulebook_id: str,
    rulebook_version: str,
    posture_label: str,
    posture_index: float,
    answered: int,
    shown: int,
) -> dict[str, Any]:
    """The record's keys before its domains (`result_dict`)."""
    out: dict[str, Any] = {}
    if source is not None:
        out["source"] = source
    out["ok"] = True
    meta = meta or {}
    if "organization" in meta:
        out["organization"] = meta["organization"]
    if meta:
        out["meta"] = dict(meta)
    out["rulebook"] = {"id": rulebook_id, "version": rulebook_version}
    out["posture"] = {"label": posture_label, "index": posture_index}
    out["answered"] = answered
    out["shown"] = shown
    return out


def domain_item(d: DomainResult, levers: bool = True) -> dict[str, Any]:
    """A domain's object in the record (`result_dict`)."""
    item = domain_opening(d.id, d.title, d.setting, d.score, d.confidence, d.margin, d.borderline)
    item["scenarios"] = [scenario_setting_item(x) for x in d.scenarios]
    item["guard_rails"] = [rail.text for rail in d.guard_rails]
    item["because"] = [fired_item(f) for f in d.because]
    if levers:
        item["levers"] = [lever_item(lever) for lever in d.levers]
    if d.bound_note:
        item["note"] = d.bound_note
    return item


def domain_opening(
    domain_id: str,
    title: str,
    setting: str,
    score: float,
    confidence: str,
    margin: float,
    borderline: bool,
) -> dict[str, Any]:
    """A domain's keys before its lists (`domain_item`)."""
    return {
        "id": domain_id,
        "title": title,
        "setting": setting,
        "score": score,
        "confidence": confidence,
        "margin": margin,
        "borderline": borderline,
    }


def scenario_setting_item(x: ScenarioSetting) -> dict[str, Any]:
    """A domain's setting and score under one scenario."""
    return {"id": x.id, "title": x.title, "setting": x.setting, "score": x.score}


def fired_item(f: FiredRule) -> dict[str, Any]:
    """A rule that fired, with the answers it read, as a domain's `because` lists it."""
    item = {"rule": f.rule, "weight": f.weight, "text": f.text, "answers": dict(f.reads)}
    if f.bound:
        item["bound"] = f.bound
    return item


def lever_item(lever: Lever) -> dict[str, Any]:
    return {"question": lever.question, "answer": lever.answer, "setting": lever.setting}


def scenario_item(x: Scenario) -> dict[str, Any]:
    """A scenario of the rulebook, as the record describes it."""
    return {
        "id": x.id,
        "title": x.title,
        "description": x.description,
        "criteria": list(x.criteria),
    }


def error_dict(source: str, message: str) -> dict[str, Any]:
    return {"source": source, "ok": False, "error": message}


def scenario_columns(rulebook: Rulebook) -> list[tuple[str, int, int]]:
    """The CSV's scenario columns: (name, scenario position, domain position), scenario by
    scenario, each in domain order, named `domain@scenario`. Header and rows both read
    this, so they cannot disagree."""
    return [
        (f"{domain.id}@{scenario.id}", s, d)
        for s, scenario in enumerate(rulebook.scenarios)
        for d, domain in enumerate(rulebook.domains)
    ]


def csv_header(rulebook: Rulebook) -> list[str]:
    return [
        "source",
        "ok",
        "organization",
        "posture",
        "posture_index",
        *(d.id for d in rulebook.domains),
        *(name for name, _, _ in scenario_columns(rulebook)),
        "warnings",
        "error",
    ]


def csv_row(
    source: str,
    settings: Sequence[str],
    posture_label: str,
    posture_index: float,
    warnings: Sequence[str],
    meta: Mapping[str, Any] | None = None,
    scenarios: Sequence[Sequence[str]] = (),
) -> list[str]:
    """One result's row; `scenarios` holds per scenario its settings in domain order."""
    organization = str((meta or {}).get("organization", ""))
    return [
        source,
        "true",
        organization,
        posture_label,
        f"{posture_index:.4f}",
        *settings,
        # Scenario by scenario, each in domain order: the order of `scenario_columns`.
        *chain.from_iterable(scenarios),
        " | ".join(warnings),
        "",
    ]


_CSV_SPECIAL = re.compile(r'[",\r\n]')
# Every character str.splitlines (and so Spark's and other line readers) breaks a line
# at: inside a cell, each becomes a space, so that one row stays one line.
_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CSV_QUOTE_OR_NEWLINE = re.compile(f'["{_BREAKS}]')
_ANY_BREAK = re.compile(f"[{_BREAKS}]")
_CSV_FORMULA = re.compile(r"(?:^|,)[=+\-@\t\r]")
_LINE_BREAK = re.compile(f"\r\n|[{_BREAKS}]")
_CSV_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GUARDED = frozenset(("=", "+", "-", "@", "\t", "\r"))
_CSV_CAREFUL = re.compile(f'[",{_BREAKS}]')


def csv_cell(value: str) -> str:
    """One CSV field: RFC 4180 quoting, and OWASP's CSV-injection guard. A cell that a
    spreadsheet would run as a formula (it begins with = + - @, tab or carriage return)
    gets a leading single quote and is quoted; plain numbers such as -1.5 stay numbers.
    A line break inside a cell becomes a space (any `str.splitlines` breaks at: U+2028
    too): every row is one line, so line-oriented tools (Spark's RDD.pipe, `wc -l`,
    `split`) pair rows with inputs."""
    if value[:1] not in _GUARDED and not _CSV_CAREFUL.search(value):
        return value  # (the common cell, in one search)
    if _ANY_BREAK.search(value):
        guard = value[:1] in ("\r", "\n")
        value = _LINE_BREAK.sub(" ", value)
        if guard:  # a cell that began with a line break is neutralized as before
            return "\"'" + value.replace('"', '""') + '"'
    if value[:1] in _GUARDED and not _CSV_NUMBER.fullmatch(value):
        return "\"'" + value.replace('"', '""') + '"'
    if _CSV_SPECIAL.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(row: list[str]) -> str:
    """One CSV line, every cell through `csv_cell`, without the csv module's per-row
    setup cost (the common row needs no quoting and is joined as it is)."""
    line = ",".join(row)
    if (
        line.count(",") == len(row) - 1
        and not _CSV_QUOTE_OR_NEWLINE.search(line)
        and not _CSV_FORMULA.search(line)
    ):
        return line
    return ",".join(map(csv_cell, row))


_POSTURES = get_args(PostureLabel)


class CsvRows:
    """`csv_line(csv_row(...))`, faster: the cells from a fixed vocabulary (setting ids,
    posture labels, "true", "") are put through `csv_cell` once, here, and those it
    leaves as they are need no check again; only the free text (source, organization,
    warnings) and the number go through `csv_cell` on each row. Warnings repeat from row
    to row, so their cells are remembered (a bounded memo). A row with any other value
    takes the general path."""

    def __init__(self) -> None:
        fixed = (*SETTINGS, *_POSTURES, "true", "")
        self.safe = frozenset(value for value in fixed if csv_cell(value) == value)
        self._cells: dict[str, str] = {}
        self._indexes: dict[float, str] = {}

    def _cell(self, value: str) -> str:
        cell = self._cells.get(value)
        if cell is None:
            if len(self._cells) >= 4096:
                self._cells.clear()
            cell = self._cells[value] = csv_cell(value)
        return cell

    def line(
        self,
        source: str,
        settings: Sequence[str],
        posture_label: str,
        posture_index: float,
        warnings: Sequence[str],
        meta: Mapping[str, Any] | None = None,
        scenarios: Sequence[Sequence[str]] = (),
    ) -> str:
        """The line of `csv_row` with the same arguments, as `csv_line` writes it."""
        fixed = (*settings, *chain.from_iterable(scenarios))
        safe = self.safe
        if posture_label not in safe or not safe.issuperset(fixed):
            row = csv_row(source, settings, posture_label, posture_index, warnings, meta, scenarios)
            return csv_line(row)
        cells = ",".join(fixed) if fixed else None  # "" is one empty cell; None is none
        return self.joined_line(source, cells, posture_label, posture_index, warnings, meta)

    def joined_line(
        self,
        source: str,
        cells: str | None,
        posture_label: str,
        posture_index: float,
        warnings: Sequence[str],
        meta: Mapping[str, Any] | None = None,
    ) -> str:
        """`line` given its settings' cells already joined (settings, then scenarios),
        each one of the fixed vocabulary that `csv_cell` leaves as it is (`safe`); None
        when there are none."""
        return self.joined_lines(
            [source], [cells], [posture_label], [posture_index], [self.warnings_cell(warnings)],
            [meta],
        )[0]  # fmt: skip

    def warnings_cell(self, warnings: Sequence[str]) -> str:
        """The cell of a row's warnings (`joined_lines`)."""
        return self._cell(" | ".join(warnings)) if warnings else ""

    def joined_lines(
        self,
        sources: Sequence[str],
        cells: Sequence[str | None],
        posture_labels: Sequence[str],
        posture_indexes: Sequence[float],
        warnings: Sequence[str],
        metas: Sequence[Mapping[str, Any] | None],
    ) -> list[str]:
        """`joined_line` of many rows at once, each given its warnings' cell
        (`warnings_cell`): the batch's rows of a chunk."""
        heads = self._heads(sources, posture_labels, posture_indexes, metas)
        # None: no settings' cells at all ("" is one empty cell).
        return [
            f"{head},{joined},{warned}," if joined is not None else f"{head},{warned},"
            for head, joined, warned in zip(heads, cells, warnings, strict=True)
        ]

    def joined_text(
        self,
        sources: Sequence[str],
        runs: NDArray[np.object_],
        posture_labels: Sequence[str],
        posture_indexes: Sequence[float],
        warnings: Sequence[str],
        metas: Sequence[Mapping[str, Any] | None],
    ) -> str:
        """The lines of `joined_lines`, joined by line breaks, given each row's cells of
        settings as runs of them (`ColumnScorer.settings_runs`: a row each, at least one
        run): the cells are put in place by NumPy and joined once, not a join a row."""
        import numpy as np  # (loaded: `runs` is an array)

        count, per_row = runs.shape
        assert per_row > 0
        heads = self._heads(sources, posture_labels, posture_indexes, metas)
        # One join with commas: a row's last cell and the next row's first are one item,
        # a line break between them.
        cells = np.empty((count, per_row + 1), dtype=object)
        cells[:, 0] = [heads[0], *map("{},\n{}".format, warnings, heads[1:])]
        cells[:, 1:] = runs
        return f"{','.join(cells.ravel().tolist())},{warnings[-1]},"

    def _heads(
        self,
        sources: Sequence[str],
        posture_labels: Sequence[str],
        posture_indexes: Sequence[float],
        metas: Sequence[Mapping[str, Any] | None],
    ) -> list[str]:
        """Each row's cells before its settings (source, ok, organization, posture)."""
        indexes = self._indexes
        heads = []
        organizations = [str(meta.get("organization", "")) if meta else "" for meta in metas]
        # Sources and organizations are mostly plain cells (`csv_cell` leaves them as
        # they are): where all are, found by one search of them all.
        cells = [*sources, *organizations]
        plain = not _CSV_CAREFUL.search("\x00".join(cells)) and _GUARDED.isdisjoint(
            [cell[:1] for cell in cells]
        )
        if not plain:
            sources = list(map(csv_cell, sources))
            organizations = list(map(csv_cell, organizations))
        for source, label, posture_index, organization in zip(
            sources, posture_labels, posture_indexes, organizations, strict=True
        ):
            # Four decimals in [-1, 1]: at most 20,001 cells, remembered (but 0.0 and
            # -0.0, equal keys, are written "0.0000" and "-0.0000").
            index = indexes.get(posture_index) if posture_index else None
            if index is None:
                index = csv_cell(f"{posture_index:.4f}")
                if posture_index and len(indexes) < 1 << 15:
                    indexes[posture_index] = index
            heads.append(f"{source},true,{organization},{label},{index}")
        return heads


def scenario_settings(result: Result) -> tuple[tuple[str, ...], ...]:
    """Per scenario of a result, its settings in domain order (as `csv_row` takes them)."""
    return tuple(
        tuple(d.scenarios[s].setting for d in result.domains) for s in range(len(result.scenarios))
    )


def csv_error_row(rulebook: Rulebook, source: str, error: str) -> list[str]:
    blank = len(rulebook.domains) + len(scenario_columns(rulebook))
    return [source, "false", "", "", "", *("" for _ in range(blank)), "", error]


def answer_text(rulebook: Rulebook, question_id: str, value: AnswerValue | None) -> str:
    """An answer as a person reads it: option labels, not ids."""
    if value is None:
        return "not answered"
    if value == "unsure":
        return "not sure"
    question = rulebook.questions.get(question_id)
    if question is None:
        return str(value)
    if isinstance(value, list):
        # Semicolons between the options: their labels may hold commas ("Targeted,
        # data-driven instruction").
        return "; ".join(question.option_label(item) for item in value) or "none of these"
    if question.kind == "single":
        return question.option_label(str(value))
    if question.kind == "scale":
        label = question.labels.get(str(value))
        return f"{value} ({label})" if label else str(value)
    if question.kind == "number" and question.unit:
        return f"{value} {question.unit}"
    return str(value)
