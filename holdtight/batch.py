"""Stream many answer files through the engine, in order, in one process or several."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from holdtight.engine import score
from holdtight.errors import HoldtightError, InputError, one_line
from holdtight.model import SETTINGS, Rulebook
from holdtight.reports.data import csv_row, error_dict, result_dict
from holdtight.sessionfile import parse_document, read_bytes, session_from_document

MAX_STDIN_LINE = 1024 * 1024
FORMATS = ("table", "csv", "json", "jsonl")


@dataclass(frozen=True, slots=True)
class Item:
    """One input: a path to read, or a document that came on stdin."""

    source: str
    path: str | None = None
    document: dict[str, Any] | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    """What a worker sends back: the formatted output and what the summary counts."""

    source: str
    ok: bool
    text: str
    settings: tuple[str, ...] = ()
    confidences: tuple[str, ...] = ()
    posture: str = ""
    error: str = ""
    warnings: int = 0


def find_inputs(paths: Iterable[str], stdin: TextIO | None = None) -> Iterator[Item]:
    """Files as given, folders searched (sorted) for *.toml and *.json, '-' for stdin."""
    for given in paths:
        if given == "-":
            yield from read_stdin(stdin or sys.stdin)
            continue
        path = Path(given)
        if path.is_dir() and not path.name.endswith((".toml", ".json")):
            found = sorted(
                p
                for pattern in ("*.toml", "*.json")
                for p in path.rglob(pattern)
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for item in found:
                yield Item(str(item), path=str(item))
        else:
            yield Item(given, path=given)


def read_stdin(stream: TextIO) -> Iterator[Item]:
    """JSON Lines: {"source": …, "answers": {…}, "meta": {…}} per line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        fallback = f"<stdin>:{number}"
        if len(line) > MAX_STDIN_LINE:
            yield Item(fallback, error=f"{fallback}: line is too long")
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
        except (ValueError, RecursionError) as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            yield Item(fallback, error=f"{fallback}: invalid JSON: {one_line(message, 100)}")
            continue
        if not isinstance(record, dict):
            yield Item(fallback, error=f"{fallback}: each line must be a JSON object")
            continue
        source = record.pop("source", fallback)
        source = source if isinstance(source, str) and source else fallback
        yield Item(source, document=record)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


class Scorer:
    """Scores items into formatted text; one per process, the rulebook compiled once."""

    def __init__(self, rulebook: Rulebook, fmt: str) -> None:
        self.rulebook = rulebook
        self.fmt = fmt
        self.levers = fmt in ("json", "jsonl", "table")

    def __call__(self, item: Item) -> Scored:
        rulebook = self.rulebook
        try:
            if item.error is not None:
                raise InputError(item.error)
            text = None
            if item.document is not None:
                document = item.document
            else:
                assert item.path is not None
                raw = read_bytes(Path(item.path), item.source)
                document = parse_document(raw, item.source)
            try:
                session = session_from_document(document, rulebook, item.source)
            except InputError:
                if item.path is None:
                    raise
                # Second pass only on failure: find the line of the bad answer.
                text = raw.decode("utf-8", "replace")
                session = session_from_document(document, rulebook, item.source, text=text)
            result = score(rulebook, session.answers, levers=self.levers)
        except HoldtightError as error:
            message = str(error)
            return Scored(item.source, False, self.error_text(item.source, message), error=message)
        if session.warnings:
            result = replace(result, warnings=(*session.warnings, *result.warnings))
        return Scored(
            item.source,
            True,
            self.result_text(item.source, result, session.meta),
            tuple(d.setting for d in result.domains),
            tuple(d.confidence for d in result.domains),
            result.posture_label,
            warnings=len(result.warnings),
        )

    def result_text(self, source: str, result: Any, meta: dict[str, Any]) -> str:
        if self.fmt in ("json", "jsonl"):
            data = result_dict(result, source=source, meta=meta, levers=self.levers)
            return json.dumps(data, ensure_ascii=False)
        if self.fmt == "csv":
            return _csv_line(csv_row(self.rulebook, source, result, meta))
        from holdtight.reports.terminal import result_table_text

        return result_table_text(self.rulebook, source, result, meta)

    def error_text(self, source: str, message: str) -> str:
        if self.fmt in ("json", "jsonl"):
            return json.dumps(error_dict(source, message), ensure_ascii=False)
        if self.fmt == "csv":
            return _csv_line(csv_row(self.rulebook, source, None, error=message))
        return ""

    def batch(self, items: list[Item]) -> list[Scored]:
        return [self(item) for item in items]


def _csv_line(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row)
    return buffer.getvalue()


# --- parallel --------------------------------------------------------------------------

_worker: Scorer | None = None


def _init_worker(rules_path: str, fmt: str) -> None:
    global _worker
    from holdtight.rulebook import load_rulebook

    _worker = Scorer(load_rulebook(rules_path), fmt)


def _work(items: list[Item]) -> list[Scored]:
    assert _worker is not None
    return _worker.batch(items)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_stream(
    rulebook: Rulebook, items: Iterable[Item], fmt: str, jobs: int = 1
) -> Iterator[Scored]:
    """Scored items in input order. With jobs > 1 a process pool works ahead a bounded
    number of chunks, so memory stays flat however many inputs there are."""
    if jobs <= 1:
        scorer = Scorer(rulebook, fmt)
        for item in items:
            yield scorer(item)
        return
    import multiprocessing
    from collections import deque

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    window = jobs * 4
    with context.Pool(jobs, initializer=_init_worker, initargs=(rulebook.path, fmt)) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(items, 64):
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def resolve_jobs(value: str) -> int:
    if value == "auto":
        return max(
            1,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1),
        )
    jobs = int(value)
    if jobs < 1:
        raise ValueError
    return jobs


# --- summary ---------------------------------------------------------------------------


@dataclass
class Summary:
    rulebook: Rulebook
    total: int = 0
    scored: int = 0
    settings: dict[str, Counter[str]] = field(default_factory=dict)
    confidence: dict[str, Counter[str]] = field(default_factory=dict)
    posture: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warned: int = 0

    def add(self, scored: Scored) -> None:
        self.total += 1
        if not scored.ok:
            self.failed.append((scored.source, scored.error))
            return
        self.scored += 1
        self.posture[scored.posture] += 1
        if scored.warnings:
            self.warned += 1
        for domain, setting, confidence in zip(
            self.rulebook.domains, scored.settings, scored.confidences, strict=True
        ):
            self.settings.setdefault(domain.id, Counter())[setting] += 1
            self.confidence.setdefault(domain.id, Counter())[confidence] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.total,
            "scored": self.scored,
            "failed": [{"source": s, "error": e} for s, e in self.failed],
            "with_warnings": self.warned,
            "posture": {
                label: self.posture.get(label, 0)
                for label in ("more_centralized", "midway", "more_decentralized")
            },
            "domains": [
                {
                    "id": d.id,
                    "title": d.title,
                    "settings": {
                        s: self.settings.get(d.id, Counter()).get(s, 0) for s in reversed(SETTINGS)
                    },
                    "confidence": {
                        c: self.confidence.get(d.id, Counter()).get(c, 0)
                        for c in ("high", "medium", "low")
                    },
                }
                for d in self.rulebook.domains
            ],
        }
