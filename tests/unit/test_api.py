"""The Python API gives what `holdtight score --format json` gives, record for record."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from holdtight.api import Engine
from tests.helpers import Cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_score_many_matches_the_command_line(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    shutil.copytree(EXAMPLES, folder)
    (folder / "broken.toml").write_text("answers = = 1\n")
    result = cli("score", str(folder), "--format", "json")
    expected = json.loads(result.stdout)
    got = list(engine.score_many(engine.files(folder)))
    assert got == expected
    assert [r["ok"] for r in got].count(False) == 1


def test_score_a_document_and_answers(engine: Engine) -> None:
    path = EXAMPLES / "pine-valley-rural.toml"
    from holdtight.sessionfile import parse_document

    document = parse_document(path.read_bytes(), str(path))
    from_file = engine.score_file(path)
    from_dict = engine.score({**document, "source": str(path)})
    assert from_dict == from_file
    answers_only = engine.score_answers(document["answers"], document.get("meta"))
    assert answers_only["domains"] == from_file["domains"]
    assert answers_only["source"] == "<dict>"


def test_bad_input_is_a_record_not_an_exception(engine: Engine) -> None:
    record = engine.score_answers({"schools": "many"})
    assert record["ok"] is False
    assert "schools" in record["error"]
    records = list(engine.score_many([{"answers": {}}, {"nope": 1}]))
    assert [r["source"] for r in records] == ["<dict>:1", "<dict>:2"]
    assert records[1]["ok"] is False


def test_records_are_json_as_they_stand(engine: Engine) -> None:
    record = engine.score_file(EXAMPLES / "st-brendan-network.json")
    assert json.loads(json.dumps(record)) == record


def test_an_engine_pickles_as_its_rulebook(engine: Engine) -> None:
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.rulebook.sha256 == engine.rulebook.sha256
    path = EXAMPLES / "summit-prep-scaling.toml"
    assert copy.score_file(path) == engine.score_file(path)


def _readme_dask_recipe() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    return next(block for block in blocks if "import dask.bag" in block)


def test_dask_recipe_runs_as_a_script(tmp_path: Path, engine: Engine) -> None:
    """The README's Dask recipe, copied verbatim into a script and run as one: a bag
    computes in spawned processes that import the script again, so work at module level
    (outside `if __name__ == "__main__":`) breaks the pool (skipped without dask)."""
    pytest.importorskip("dask.bag")
    shutil.copytree(EXAMPLES, tmp_path / "answers")
    (tmp_path / "answers" / "broken.toml").write_text("answers = = 1\n")
    script = tmp_path / "recipe.py"
    script.write_text(_readme_dask_recipe(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout.splitlines()
    expected: dict[str, int] = {}
    for path in engine.files(EXAMPLES):  # the bag's counts are the engine's, file by file
        label = engine.score_file(path)["posture"]["label"]
        expected[label] = expected.get(label, 0) + 1
    assert eval_counts(printed[0]) == expected
    assert sum(expected.values()) == len(list(EXAMPLES.iterdir()))
    assert "broken.toml" in printed[1]


def eval_counts(line: str) -> dict[str, int]:
    """The recipe's printed dict of posture counts ({'midway': 2, ...})."""
    return {key: int(value) for key, value in re.findall(r"'(\w+)': (\d+)", line)}


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (None, "not null"),
        ("answers.toml", "not text"),
        (5, "not a number"),
        ({"answers": {1: 2}}, "keys must be strings"),
        ({"answers": {"schools": 5}, "meta": {3: "x"}}, "in meta"),
    ],
)
def test_what_is_no_answer_set_is_a_record_not_an_exception(
    engine: Engine, document: Any, problem: str
) -> None:
    record = engine.score(document)
    assert record["ok"] is False
    assert problem in record["error"]
    assert [r["ok"] for r in engine.score_many([document, {"answers": {}}])] == [False, True]


@pytest.mark.parametrize("path", [None, 5, 1.5, ["a.toml"]])
def test_a_file_that_is_no_path_is_a_record_not_an_exception(engine: Engine, path: Any) -> None:
    """score_file(None) raised TypeError: the README promises a record for bad input."""
    record = engine.score_file(path)
    assert record == {
        "source": "<not a path>",
        "ok": False,
        "error": f"<not a path>: expected a path to an answer file, not {path!r}",
    }
    assert engine.score_file(b"/no/such.toml")["error"] == "/no/such.toml: no such file"


def test_answers_with_keys_that_are_not_strings_are_a_record(engine: Engine) -> None:
    answers: Any = {7: "x"}
    record = engine.score_answers(answers)
    assert record == {"source": "<dict>", "ok": False, "error": record["error"]}
    assert "keys must be strings" in record["error"]


def test_any_mapping_scores_as_a_dict_would(engine: Engine) -> None:
    from types import MappingProxyType

    answers = {"schools": 14, "stage": "piloting"}
    frozen = MappingProxyType({"answers": MappingProxyType(answers)})
    assert engine.score(frozen) == engine.score({"answers": answers})


def test_an_engine_on_a_relative_rulebook_unpickles_in_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's current folder is not the driver's: the copy loads the same folder."""
    from holdtight.rulebook import bundled_rules_dir

    shutil.copytree(bundled_rules_dir(), tmp_path / "my-rules")
    monkeypatch.chdir(tmp_path)
    engine = Engine("my-rules")
    shipped = pickle.dumps(engine)
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    copy = pickle.loads(shipped)
    assert Path(copy.rulebook.path).resolve() == (tmp_path / "my-rules").resolve()


def test_the_bundled_rulebook_pickles_as_the_bundled_one(engine: Engine) -> None:
    """A worker loads its own install's bundled rulebook, wherever that is installed."""
    assert engine.__reduce__()[1][0] is None
