"""Deeply nested answer files, JSON and TOML: one error per file, naming it, in any
thread (Python's smallest stack is 32 KiB), never a crash and never the end of a batch.

A new-user trial crashed the process with 300 nested JSON objects scored through the API
in a 32 KiB thread (json's C scanner and orjson recurse on the C stack), and 1,000 nested
arrays raised a RecursionError out of the API and ended `score DIR` after its header."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdtight import strictjson
from holdtight.api import Engine
from holdtight.reading import NESTED_TOO_DEEPLY
from holdtight.strictjson import MAX_DEPTH, MAX_NATIVE_BRACKETS, depth_place, too_deep


def _nested(depth: int, kind: str) -> str:
    if kind == "array":
        return '{"answers": {"x": ' + "[" * depth + "1" + "]" * depth + "}}"
    return '{"answers": {"x": ' + '{"b": ' * depth + "1" + "}" * depth + "}}"


def _in_thread(stack_kb: int, work: Any) -> list[Any]:
    results: list[Any] = []
    before = threading.stack_size(stack_kb * 1024)
    try:
        thread = threading.Thread(target=lambda: results.append(work()))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(before)
    return results


@pytest.mark.parametrize("stack_kb", [32, 64])
def test_deep_json_is_one_error_in_a_small_thread(tmp_path: Path, stack_kb: int) -> None:
    engine = Engine()
    paths = []
    for depth in (MAX_DEPTH - 2, 40, 300, 700, 1000, 1022, 5000):
        for kind in ("array", "object"):
            path = tmp_path / f"{kind}{depth}.json"
            path.write_text(_nested(depth, kind))
            paths.append((depth, path))

    def score_all() -> list[dict[str, Any]]:
        return [engine.score_file(path) for _, path in paths]

    (records,) = _in_thread(stack_kb, score_all)  # the process alive to get here
    for (depth, path), record in zip(paths, records, strict=True):
        assert not record["ok"]
        if depth + 2 > MAX_DEPTH:  # the file and [answers] are two levels
            found = depth_place(path.read_text())
            assert found is not None
            line, column = found
            assert record["error"] == f"{path}: line {line}, column {column}: {NESTED_TOO_DEEPLY}"
        else:
            assert "unknown question" in record["error"]


def test_the_depth_limit_is_exact() -> None:
    def nested(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth - 1):
            value = [value]
        return [value] if depth else value

    assert not too_deep(nested(MAX_DEPTH)) and too_deep(nested(MAX_DEPTH + 1))
    assert not too_deep({"a": {"b": [1, [2]]}}, 4) and too_deep({"a": {"b": [1, [2]]}}, 3)
    assert not too_deep("[[[[", 0) and not too_deep(7, 0)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(), inner)),
    max_leaves=20,
)


@given(json_values, st.sampled_from(["", ",", "]", "}", '"a":1', ' "', "NaN", "[1,]"]))
def test_the_python_scanner_reads_as_the_c_scanner(value: Any, tail: str) -> None:
    # Texts with many brackets are read by json's Python scanner (no C recursion):
    # the same values, and the same refusals with the same places.
    text = json.dumps([value, [[[]] for _ in range(MAX_NATIVE_BRACKETS)]]) + tail

    def read(scanner: str) -> Any:
        try:
            if scanner == "python":
                return strictjson.loads(text)
            return json.loads(
                text,
                object_pairs_hook=strictjson._pairs,
                parse_constant=strictjson._constant,
            )
        except json.JSONDecodeError as error:
            return ("refused", error.msg, error.pos)
        except ValueError as error:
            return ("refused", str(error))

    assert text.count("[") > MAX_NATIVE_BRACKETS
    ours, c_scanner = read("python"), read("c")
    assert json.dumps(ours, sort_keys=True) == json.dumps(c_scanner, sort_keys=True)
