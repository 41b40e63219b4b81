"""The Python API gives what `holdtight score --format json` gives, record for record."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from holdtight.api import Engine
from tests.helpers import Cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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


def test_dask_bag_recipe(engine: Engine) -> None:
    """The README's Dask recipe, as written there (skipped without dask)."""
    db = pytest.importorskip("dask.bag")
    paths = list(engine.files(EXAMPLES))
    results = db.from_sequence(paths, npartitions=2).map(engine.score_file)
    postures = results.filter(lambda r: r["ok"]).pluck("posture").pluck("label").frequencies()
    counted = dict(postures.compute(scheduler="processes", num_workers=2))
    assert sum(counted.values()) == len(paths)
    expected: dict[str, int] = {}
    for path in paths:
        label = engine.score_file(path)["posture"]["label"]
        expected[label] = expected.get(label, 0) + 1
    assert counted == expected
