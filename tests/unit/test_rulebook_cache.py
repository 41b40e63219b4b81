"""The rulebook cache: a hit gives what a miss gives (the same checks, the same findings);
a damaged, edited or foreign entry, or an unsafe folder, is never used."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from holdtight import codegen
from holdtight.engine import effective_answers, score
from holdtight.model import Rulebook
from holdtight.rulebook import cache, check_rulebook, load
from holdtight.rulebook.cache import cache_dir, cache_file, decode_entry, encode_entry
from holdtight.rulebook.files import Finding
from tests.helpers import MINI_RULEBOOK

Make = Callable[..., Path]

ANSWERS: list[dict[str, Any]] = [
    {},
    {"size": 60, "team": "big", "aims": ["a"], "mood": 5, "detail": "x"},
    {"size": 3, "team": "none", "aims": ["a", "b"], "mood": 1},
    {"size": "unsure", "team": "big", "detail": "y"},
]


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of each test's own (not yet created)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HOLDTIGHT_CACHE_DIR", str(folder))
    monkeypatch.delenv("HOLDTIGHT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders whose files were parsed and validated (a cache miss), load by load."""
    calls: list[Path] = []
    original = load.read_definitions

    def counting(findings: Any, files: Any, contents: Any) -> Any:
        calls.append(files.root)
        return original(findings, files, contents)

    monkeypatch.setattr(load, "read_definitions", counting)
    return calls


def entry_of(book_or_folder: Rulebook | Path) -> Path:
    if isinstance(book_or_folder, Path):
        book, _ = check_rulebook(book_or_folder)
        assert book is not None
        book_or_folder = book
    path = cache_file(book_or_folder.sha256)
    assert path is not None
    return path


def behaviour(book: Rulebook) -> list[Any]:
    """Everything about a rulebook that is data (its functions judged by what they do)."""
    return [
        book.sha256,
        book.meta,
        book.sections,
        [q._replace(show_if=None) for q in book.questions.values()],
        [r._replace(when=None) for r in book.rules],
        [g._replace(when=None) for g in book.guard_rails],
        book.domains,
        book.examples,
        book.thresholds,
        book.rules_by_question,
        book.rules_by_domain,
        book.domain_reads,
        book.max_swing,
        book.bounded_by,
        book.lever_candidates,
        book.bound_rules,
        book.accepted_as_is,
        [score(book, answers) for answers in ANSWERS],
    ]


def payload_of(path: Path, sha256: str) -> dict[str, Any]:
    payload = decode_entry(sha256, path.read_bytes())
    assert payload is not None
    data: dict[str, Any] = json.loads(payload)
    return data


def test_hit_and_miss_give_the_same_rulebook_and_findings(
    make_rulebook: Make, reads: list[Path], monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    extra = MINI_RULEBOOK["questions.toml"] + '\n[[question]]\nid = "unread"\nsection = "s"\n'
    extra += 'kind = "single"\nprompt = "?"\noptions = [{id = "p", label = "P"}, {id = "q", label = "Q"}]\n'
    folder = make_rulebook(**{"questions.toml": textwrap.dedent(extra)})
    monkeypatch.setenv("HOLDTIGHT_NO_CACHE", "1")
    uncached, uncached_findings = check_rulebook(folder)
    assert not own_cache.exists()
    monkeypatch.delenv("HOLDTIGHT_NO_CACHE")
    miss, miss_findings = check_rulebook(folder)
    hit, hit_findings = check_rulebook(folder)
    assert reads == [folder, folder]  # the third load was a hit
    assert uncached is not None and miss is not None and hit is not None
    assert hit_findings == miss_findings == uncached_findings
    assert any("no rule reads this question" in f.message for f in hit_findings)
    assert behaviour(hit) == behaviour(miss) == behaviour(uncached)


def test_the_cache_folder_and_entries_are_owner_only(make_rulebook: Make, own_cache: Path) -> None:
    path = entry_of(make_rulebook())
    assert path.parent == own_cache
    assert stat.S_IMODE(own_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


SEMANTIC_ERRORS = {
    "duplicate id": (
        "rules.toml",
        MINI_RULEBOOK["rules.toml"]
        + '\n[[rule]]\nid = "happy"\nwhen = "mood >= 2"\neffects = { d1 = 1.0 }\nbecause = "x"\n',
        "duplicate id",
    ),
    "id spelling": (
        "domains.toml",
        MINI_RULEBOOK["domains.toml"] + '\n[[domain]]\nid = "D3"\ntitle = "Three"\n',
        "ids are lower case",
    ),
    "thresholds": (
        "rulebook.toml",
        MINI_RULEBOOK["rulebook.toml"].replace("balanced = -1.0", "balanced = -5.0"),
        "must be finite and rise strictly",
    ),
    "unknown domain": (
        "rules.toml",
        MINI_RULEBOOK["rules.toml"].replace("effects = { d1 = 2.0 }", "effects = { d9 = 2.0 }"),
        "unknown domain 'd9'",
    ),
    "condition": (
        "rules.toml",
        MINI_RULEBOOK["rules.toml"].replace("size >= 50", "sise >= 50"),
        "unknown question 'sise'",
    ),
    "show_if order": (
        "questions.toml",
        MINI_RULEBOOK["questions.toml"].replace(
            'prompt = "How many?"', 'prompt = "How many?"\nshow_if = "mood > 2"'
        ),
        "not asked before",
    ),
    "missing guard rail": (
        "guard_rails.toml",
        MINI_RULEBOOK["guard_rails.toml"].replace('"tight", "lean_tight", ', "", 1),
        "no unconditional guard rail",
    ),
}


@pytest.mark.parametrize("name", sorted(SEMANTIC_ERRORS))
def test_a_rulebook_error_is_reported_on_a_cache_hit(
    make_rulebook: Make, reads: list[Path], name: str
) -> None:
    file, text, expected = SEMANTIC_ERRORS[name]
    folder = make_rulebook(**{file: text})
    miss, miss_findings = check_rulebook(folder)
    assert miss is None and any(expected in f.message for f in miss_findings), miss_findings
    assert len(list(folder.parent.glob("cache/rulebook-*.json"))) == 1
    hit, hit_findings = check_rulebook(folder)
    assert reads == [folder]  # the second load was a hit
    assert hit is None and hit_findings == miss_findings


def _poison(path: Path, sha256: str, change: Callable[[dict[str, Any]], None]) -> None:
    data = payload_of(path, sha256)
    change(data)
    path.write_bytes(encode_entry(sha256, json.dumps(data).encode()))


def _duplicate_rule(data: dict[str, Any]) -> None:
    data["tables"]["rule"].append(data["tables"]["rule"][0])


def _bad_thresholds(data: dict[str, Any]) -> None:
    data["meta"]["scale"]["thresholds"]["tight"] = -10.0


def _unknown_domain(data: dict[str, Any]) -> None:
    data["tables"]["rule"][0][2]["effects"] = {"nowhere": 1.0}


def _code_in_a_condition(data: dict[str, Any]) -> None:
    data["tables"]["rule"][0][2]["when"] = "__import__('os').system('false')"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_duplicate_rule, "duplicate id"),
        (_bad_thresholds, "must be finite and rise strictly"),
        (_unknown_domain, "unknown domain 'nowhere'"),
        (_code_in_a_condition, "rules.toml: rule 'big_system', field 'when'"),
    ],
)
def test_a_sound_entry_with_a_broken_rulebook_is_still_checked(
    make_rulebook: Make,
    reads: list[Path],
    change: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    folder = make_rulebook()
    path = entry_of(folder)
    sha256 = check_rulebook(folder)[0].sha256  # type: ignore[union-attr]
    _poison(path, sha256, change)
    book, findings = check_rulebook(folder)
    assert len(reads) == 1  # the poisoned entry was used...
    assert book is None  # ...and checked like the files themselves
    assert any(expected in str(f) for f in findings if f.severity == "error"), findings


def _reweigh(raw: bytes) -> bytes:
    return raw.replace(b'{"d1": 2.0}', b'{"d1": 9.0}', 1)


def _flip_a_bit(raw: bytes) -> bytes:
    at = raw.index(b"Big systems share.") + 4
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def _flip_header(raw: bytes) -> bytes:
    return bytes([raw[0] ^ 0x20]) + raw[1:]


def _truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _header_only(raw: bytes) -> bytes:
    return raw[: raw.index(b"\n") + 1]


def _wrong_digest(raw: bytes) -> bytes:
    head, _, payload = raw.partition(b"\n")
    header = json.loads(head)
    header["digest"] = "0" * 64
    return json.dumps(header).encode() + b"\n" + _reweigh(payload)


def _edited_with_digest_of_another_format(raw: bytes) -> bytes:
    head, _, payload = raw.partition(b"\n")
    sha256 = json.loads(head)["sha256"]
    return encode_entry(sha256, _reweigh(payload), fmt=cache.CACHE_FORMAT + 1)


def _edited_claiming_this_format(raw: bytes) -> bytes:
    head, _, payload = raw.partition(b"\n")
    header = json.loads(head)
    forged = json.loads(encode_entry(header["sha256"], _reweigh(payload), fmt=0).split(b"\n")[0])
    header["digest"] = forged["digest"]
    return json.dumps(header).encode() + b"\n" + _reweigh(payload)


def _not_json(raw: bytes) -> bytes:
    return b"{not json"


DAMAGE = [
    _reweigh,
    _flip_a_bit,
    _flip_header,
    _truncate,
    _header_only,
    _wrong_digest,
    _edited_with_digest_of_another_format,
    _edited_claiming_this_format,
    _not_json,
]


def _damage(path: Path, damage: Callable[[bytes], bytes]) -> bytes:
    """Write `damage` of a cache entry over it (owner-only, as the cache writes it);
    the good bytes it had."""
    good = path.read_bytes()
    path.write_bytes(damage(good))
    path.chmod(0o600)
    return good


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__.strip("_") for d in DAMAGE])
def test_a_damaged_entry_is_ignored_and_rebuilt(
    make_rulebook: Make, reads: list[Path], damage: Callable[[bytes], bytes]
) -> None:
    folder = make_rulebook()
    first, _ = check_rulebook(folder)
    assert first is not None
    path = entry_of(first)
    good = _damage(path, damage)
    again, findings = check_rulebook(folder)
    assert again is not None and findings == []
    assert len(reads) == 2  # a miss
    assert behaviour(again) == behaviour(first)
    assert dict(again.rules[0].effects) == {"d1": 2.0}
    assert again.rules[0].because == "Big systems share."
    assert path.read_bytes() == good  # rebuilt
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_entry_writable_by_others_is_ignored_and_rewritten_owner_only(
    make_rulebook: Make, reads: list[Path]
) -> None:
    folder = make_rulebook()
    path = entry_of(folder)
    path.chmod(0o666)
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_entry_that_is_a_symlink_is_ignored(
    make_rulebook: Make, reads: list[Path], tmp_path: Path
) -> None:
    folder = make_rulebook()
    path = entry_of(folder)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 2
    assert not path.is_symlink()


@pytest.mark.parametrize("mode", [0o720, 0o702, 0o777, 0o1777], ids=oct)
def test_a_folder_writable_by_others_is_not_used(
    make_rulebook: Make, reads: list[Path], own_cache: Path, mode: int
) -> None:
    folder = make_rulebook()
    path = entry_of(folder)
    good = path.read_bytes()
    own_cache.chmod(mode)
    path.unlink()
    assert check_rulebook(folder)[0] is not None
    assert not path.exists()  # nothing written there...
    path.write_bytes(good)
    path.chmod(0o600)
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 3  # ...and nothing read from it
    assert stat.S_IMODE(own_cache.stat().st_mode) == mode  # nor changed


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root"
)
def test_a_folder_owned_by_someone_else_is_not_used(
    make_rulebook: Make, reads: list[Path], own_cache: Path
) -> None:
    folder = make_rulebook()
    path = entry_of(folder)
    os.chown(own_cache, 65534, 65534)
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 2
    path.unlink()
    assert check_rulebook(folder)[0] is not None
    assert not path.exists()


def test_a_new_cache_format_misses(
    make_rulebook: Make, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_rulebook()
    old = entry_of(folder)
    with monkeypatch.context() as patch:
        patch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
        book, _ = check_rulebook(folder)
        assert book is not None and len(reads) == 2
        new = cache_file(book.sha256)
        assert new is not None and new != old and new.exists()
    old.write_bytes(new.read_bytes())  # an entry of the new format under the old name
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 3
    assert check_rulebook(folder)[0] is not None
    assert len(reads) == 3  # rebuilt in the old format


def test_no_cache_and_cache_dir_settings(
    make_rulebook: Make, reads: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = make_rulebook()
    monkeypatch.setenv("HOLDTIGHT_NO_CACHE", "1")
    assert cache_dir() is None
    check_rulebook(folder)
    check_rulebook(folder)
    assert len(reads) == 2 and not (tmp_path / "cache").exists()
    monkeypatch.delenv("HOLDTIGHT_NO_CACHE")
    monkeypatch.setenv("HOLDTIGHT_CACHE_DIR", str(tmp_path / "deep" / "er"))
    check_rulebook(folder)
    check_rulebook(folder)
    assert len(reads) == 3
    assert len(list((tmp_path / "deep" / "er").glob("rulebook-*.json"))) == 1
    monkeypatch.delenv("HOLDTIGHT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "holdtight"


def test_tests_never_use_the_users_cache(private_cache: Path) -> None:
    # (this module's own_cache moves the cache further, into each test's tmp_path)
    assert not private_cache.is_relative_to(Path.home() / ".cache")
    assert not Path(os.environ["XDG_CACHE_HOME"]).is_relative_to(Path.home() / ".cache")


def test_a_hit_names_the_files_of_the_folder_it_loads(tmp_path: Path, reads: list[Path]) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        for name, text in MINI_RULEBOOK.items():
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        with (folder / "rules.toml").open("a", encoding="utf-8") as handle:
            handle.write('[[rule]]\nid = "happy"\nwhen = "mood > 1"\neffects = { d1 = 1.0 }\n')
            handle.write('because = "x"\n')
    _, from_first = check_rulebook(first)
    _, from_second = check_rulebook(second)
    assert reads == [first]  # the same files: the second load was a hit
    assert from_second == [
        Finding(*(part.replace("first/", "second/") for part in f)) for f in from_first
    ]
    assert from_second and all("first/" not in str(f) for f in from_second)


def test_a_hit_does_not_import_pydantic(make_rulebook: Make) -> None:
    folder = make_rulebook()
    check_rulebook(folder)
    code = (
        "import sys; from holdtight.rulebook import load_rulebook; "
        f"load_rulebook({str(folder)!r}); print('pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"
    shutil.rmtree(os.environ["HOLDTIGHT_CACHE_DIR"])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "True"  # the check above can fail


# --- the compiled conditions -------------------------------------------------------------


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per time a rulebook's conditions were compiled (not taken from the cache)."""
    calls: list[int] = []
    original = codegen._kernel_code

    def counting(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(codegen, "_kernel_code", counting)
    return calls


def code_entry(own_cache: Path) -> Path:
    (path,) = own_cache.glob("rulebook-code-*")
    return path


def decisions(book: Rulebook) -> list[Any]:
    """What every compiled condition says on each of the answers."""
    found = []
    for answers in ANSWERS:
        effective = effective_answers(book, answers)
        found.append([rule.when(effective) for rule in book.rules])
        found.append([rail.when(effective) for rail in book.guard_rails if rail.when])
        found.append(book.kernel(effective))
    return found


def test_the_compiled_conditions_are_kept_and_used(
    make_rulebook: Make, compiles: list[int], own_cache: Path
) -> None:
    folder = make_rulebook()
    miss, _ = check_rulebook(folder)
    hit, _ = check_rulebook(folder)
    assert miss is not None and hit is not None
    assert len(compiles) == 1  # the second load ran the kept code
    assert stat.S_IMODE(code_entry(own_cache).stat().st_mode) == 0o600
    assert decisions(hit) == decisions(miss)
    assert behaviour(hit) == behaviour(miss)


def _payload_bit(raw: bytes) -> bytes:
    at = raw.index(b"\n") + len(raw) // 2
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def _other_generators(raw: bytes) -> bytes:
    head, _, payload = raw.partition(b"\n")
    sha256 = json.loads(head)["sha256"].split("-")[0]
    return encode_entry(f"{sha256}-{'0' * 64}", payload)  # sound, but for other generators


def _not_code(raw: bytes) -> bytes:
    head, _, _ = raw.partition(b"\n")
    return encode_entry(json.loads(head)["sha256"], marshal.dumps(["not", "code"]))


@pytest.mark.parametrize(
    "damage",
    [_payload_bit, _flip_header, _truncate, _header_only, _other_generators, _not_code, _not_json],
)
def test_a_damaged_or_foreign_code_entry_is_ignored_and_rebuilt(
    make_rulebook: Make, compiles: list[int], own_cache: Path, damage: Callable[[bytes], bytes]
) -> None:
    folder = make_rulebook()
    first, _ = check_rulebook(folder)
    assert first is not None
    path = code_entry(own_cache)
    good = _damage(path, damage)
    again, findings = check_rulebook(folder)
    assert again is not None and findings == []
    assert len(compiles) == 2  # a miss
    assert decisions(again) == decisions(first)
    assert path.read_bytes() != damage(good)  # rebuilt...
    check_rulebook(folder)
    assert len(compiles) == 2  # ...and used
