"""holdtight's Python API: score answers without the command line (notebooks, Dask,
Spark, services). Stable: names here change only with a major version.

    from holdtight.api import Engine

    engine = Engine()                      # the bundled rulebook; Engine("my-rules/")
    engine.score({"answers": {"schools": 14, …}, "meta": {"organization": "North"}})
    engine.score_file("answers/north.toml")
    for record in engine.score_many(["a.toml", "b.json", {"answers": {…}}]):
        ...

Every result is a plain dict of the same shape as one element of
`holdtight score --format json`: `{"source", "ok": True, "posture", "domains", …}` when
the answers score, `{"source", "ok": False, "error"}` when they do not (bad input is a
record, never an exception, so a batch goes on). A rulebook that cannot be loaded raises
`holdtight.errors.RulebookError` from the constructor.

An Engine pickles as its rulebook path and loads the rulebook again (from the
digest-verified cache) in the process that unpickles it, so it can be shipped to
Dask or Spark workers. Constructing one builds what scoring derives from the rulebook
(so the first call is as fast as the next), and the process's first Engine calls
`gc.freeze()`: what is alive then is left out of later garbage-collector scans.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from holdtight.batch import find_inputs
from holdtight.engine import prepare, score
from holdtight.errors import HoldtightError, InputError
from holdtight.model import Rulebook
from holdtight.reading import NESTED_TOO_DEEPLY, type_name
from holdtight.reports.data import error_dict, result_dict
from holdtight.sessionfile import parse_document, read_bytes, session_from_document

__all__ = ["Engine", "Record", "load_rulebook"]

Record = dict[str, Any]
"""One result: the JSON object `holdtight score --format json` writes for an input."""


def load_rulebook(path: str | os.PathLike[str] | None = None) -> Rulebook:
    """The compiled rulebook at `path` (a folder of TOML files), or the bundled one."""
    from holdtight.rulebook import load_rulebook as load

    return load(None if path is None else Path(path))


class Engine:
    """A loaded rulebook and the ways to score answers with it."""

    def __init__(
        self,
        rules: str | os.PathLike[str] | Rulebook | None = None,
        *,
        levers: bool = True,
    ) -> None:
        self.rulebook: Rulebook = rules if isinstance(rules, Rulebook) else load_rulebook(rules)
        self.levers = levers
        # What a copy loads where it is unpickled: the bundled rulebook as the bundled
        # one (the worker's own install), any other by its absolute path (a worker's
        # current folder is not the driver's).
        bundled = rules is None or (isinstance(rules, Rulebook) and _is_bundled(self.rulebook.path))
        self._origin = None if bundled else _absolute(self.rulebook.path or rules)
        prepare(self.rulebook)  # the first call then scores as fast as the next
        if not _FROZEN:
            # What is alive now (modules, the rulebook, its code and tables) stays: kept
            # out of the garbage collector's scans, as the `score` command and the TUI
            # do. Once per process: later engines' rulebooks stay collectable.
            _FROZEN.append(True)
            gc.freeze()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_engine, (self._origin, self.levers))

    def score(self, document: Mapping[str, Any], source: str = "<dict>") -> Record:
        """Score one parsed answer file: a mapping with an `answers` table and optional
        `meta`, `notes` and `holdtight` header tables (what the TOML or JSON file holds).
        A `source` key in the mapping names it, as on a JSON Lines input. Anything else
        (None, a string, keys that are not strings) is a record with the error."""
        try:
            document = _document(document)
        except _NotADocument as problem:
            return error_dict(source, f"{source}: {problem}")
        except RecursionError:
            return error_dict(source, f"{source}: nested too deeply")
        if "source" in document:
            named = document["source"]
            document = {key: value for key, value in document.items() if key != "source"}
            source = named if isinstance(named, str) and named else source
        return self._record(source, document=document)

    def score_answers(
        self,
        answers: Mapping[str, Any],
        meta: Mapping[str, Any] | None = None,
        source: str = "<dict>",
    ) -> Record:
        """Score answers given as {question id: answer}, with optional meta."""
        document: dict[str, Any] = {"answers": answers}
        if meta is not None:
            document["meta"] = meta
        return self.score(document, source)

    def score_file(self, path: str | os.PathLike[str]) -> Record:
        """Read and score one answer file (.toml, or .json by its name). Anything that is
        not a path (None, a number) is a record with the error, as bad input always is."""
        try:
            name = os.fspath(path)
        except TypeError:
            source = "<not a path>"
            return error_dict(
                source, f"{source}: expected a path to an answer file, not {path!r:.60}"
            )
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        return self._record(name, path=name)

    def score_many(
        self, inputs: Iterable[Mapping[str, Any] | str | os.PathLike[str]]
    ) -> Iterator[Record]:
        """One record per input, in order: mappings are scored as `score` does (named
        `<dict>:N` without a source), paths as `score_file` does."""
        for number, item in enumerate(inputs, start=1):
            if isinstance(item, (str, os.PathLike)):
                yield self.score_file(item)
            else:
                yield self.score(item, f"<dict>:{number}")

    def files(self, *paths: str | os.PathLike[str]) -> Iterator[str]:
        """The answer files the command line would score for these paths: files as given,
        folders searched in sorted order for *.toml and *.json."""
        for item in find_inputs(os.fspath(p) for p in paths if os.fspath(p) != "-"):
            yield item.source

    def _record(
        self, source: str, *, document: Mapping[str, Any] | None = None, path: str | None = None
    ) -> Record:
        rulebook = self.rulebook
        raw: bytes | None = None
        try:
            if document is None:
                raw = read_bytes(path or source, source)
                document = parse_document(raw, source)
            try:
                session = session_from_document(document, rulebook, source)
            except InputError:
                if raw is None:
                    raise
                text = raw.decode("utf-8", "replace")  # find the line of the bad answer
                session = session_from_document(document, rulebook, source, text=text)
            result = score(rulebook, session.answers, levers=self.levers)
        except HoldtightError as error:
            return error_dict(source, str(error))
        except RecursionError:  # one input's record, never the caller's whole run
            return error_dict(source, f"{source}: {NESTED_TOO_DEEPLY}")
        if session.warnings:
            result = result._replace(warnings=(*session.warnings, *result.warnings))
        return result_dict(result, source=source, meta=session.meta, levers=self.levers)


_FROZEN: list[bool] = []


class _NotADocument(ValueError):
    """Why a value cannot be a parsed answer file."""


def _document(value: object, place: str = "") -> dict[str, Any]:
    """`value` as a parsed answer file is: a dict with string keys, its tables dicts too
    (a Mapping of any kind is copied into one). _NotADocument says why it cannot be."""
    if not isinstance(value, Mapping):
        raise _NotADocument(f"an answer set is a mapping (a parsed file), not {type_name(value)}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            where = f" in {place}" if place else ""
            raise _NotADocument(f"keys must be strings, not {type_name(key)} ({key!r:.40}){where}")
        if isinstance(item, Mapping):
            item = _document(item, f"{place}.{key}" if place else key)
        elif isinstance(item, list) and any(isinstance(x, Mapping) for x in item):
            item = [_document(x, place or key) if isinstance(x, Mapping) else x for x in item]
        out[key] = item
    return out


def _is_bundled(path: str | None) -> bool:
    from holdtight.rulebook import bundled_rules_dir

    return bool(path) and Path(str(path)).resolve() == bundled_rules_dir().resolve()


def _absolute(path: object) -> str | None:
    return os.path.abspath(os.fspath(path)) if isinstance(path, (str, os.PathLike)) else None


def _engine(path: str | None, levers: bool) -> Engine:
    return Engine(path, levers=levers)
