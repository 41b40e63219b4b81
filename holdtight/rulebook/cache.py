"""The on-disk cache of validated definitions, so that loading a rulebook seen before
skips TOML parsing and pydantic (which a batch run then never imports).

What is kept is only the output of `read_definitions`, a function of the rulebook's file
names and bytes: every check after it runs on every load, hit or miss; and, in an entry
of its own, the code its conditions compile to (see `code_load`). An entry is found
by the cache format, the holdtight version and the rulebook's sha256, and is one line of
JSON header (`format`, `holdtight`, `sha256`, `digest`) then the JSON payload; `digest`
is the sha256 of those header values and the payload's bytes, verified on read. The
digest detects damage and edits, not an attacker: the cache folder must be the user's
own and not writable by anyone else, or it is not used at all. Anything unexpected is a
miss, and the entry is rebuilt (written atomically, 0600, in a 0700 folder).

`HOLDTIGHT_NO_CACHE` (any value) turns the cache off; `HOLDTIGHT_CACHE_DIR` puts it
somewhere other than `$XDG_CACHE_HOME/holdtight` (by default `~/.cache/holdtight`)."""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import stat
import sys
from collections.abc import Callable
from importlib._bootstrap_external import MAGIC_NUMBER  # importlib.util's, without loading it
from pathlib import Path
from types import CodeType
from typing import Any

from holdtight import __version__, codegen, expressions, pyast
from holdtight.fileio import AtomicFile
from holdtight.model import RulebookMeta
from holdtight.rulebook.definitions import TABLES, Definitions, Entry
from holdtight.rulebook.files import sha256 as new_digest
from holdtight.validation import rebuild, to_builtin

# Change when the payload's layout or the meaning of a *Def class changes: older entries
# then miss.
CACHE_FORMAT = 3
_MAX_ENTRY_BYTES = 64 * 1024 * 1024


def cache_dir() -> Path | None:
    """Where validated definitions are kept; None when the cache is off."""
    if os.environ.get("HOLDTIGHT_NO_CACHE"):
        return None
    explicit = os.environ.get("HOLDTIGHT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "holdtight"


def cache_file(sha256: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"rulebook-f{CACHE_FORMAT}-{__version__}-{sha256}.json"


def _trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    own = info.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return own and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def usable_folder(folder: Path) -> bool:
    """Whether a cache folder may be used: a folder of this user's, writable by no one
    else (it is not used, nor changed, otherwise)."""
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _trusted(info)


def _digest(fmt: int, version: str, sha256: str, payload: bytes) -> str:
    head = f"holdtight rulebook cache\n{fmt}\n{version}\n{sha256}\n".encode()
    return new_digest(head + payload).hexdigest()


def encode_entry(sha256: str, payload: bytes, fmt: int | None = None) -> bytes:
    """An entry's bytes: the header line, then the payload."""
    fmt = CACHE_FORMAT if fmt is None else fmt
    header = {
        "format": fmt,
        "holdtight": __version__,
        "sha256": sha256,
        "digest": _digest(fmt, __version__, sha256, payload),
    }
    return json.dumps(header).encode() + b"\n" + payload


def decode_entry(sha256: str, raw: bytes) -> bytes | None:
    """The payload of an entry for this rulebook, this format and this holdtight version
    whose digest matches; None for anything else."""
    head, newline, payload = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not newline or not isinstance(header, dict):
        return None
    expected = {"format": CACHE_FORMAT, "holdtight": __version__, "sha256": sha256}
    if any(header.get(key) != value for key, value in expected.items()):
        return None
    # An integrity check, not a secret: a plain comparison will do.
    if header.get("digest") != _digest(CACHE_FORMAT, __version__, sha256, payload):
        return None
    return payload


def _read(path: Path) -> bytes | None:
    """A regular file's bytes, if it is the user's own and writable by no one else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not (stat.S_ISREG(info.st_mode) and _trusted(info)):
            return None
        if info.st_size > _MAX_ENTRY_BYTES:
            return None
        return handle.read()


def cache_load(sha256: str, display: Callable[[str], str]) -> Definitions | None:
    """The validated definitions of the rulebook with this content hash, if a sound entry
    holds them; `display` names a rulebook file for messages."""
    path = cache_file(sha256)
    if path is None or not usable_folder(path.parent):
        return None
    try:
        raw = _read(path)
        payload = decode_entry(sha256, raw) if raw is not None else None
        if payload is None:
            return None
        data = json.loads(payload)
        meta = rebuild(RulebookMeta, data["meta"])
        tables: dict[str, list[tuple[Entry, Any]]] = {}
        for kind, model in TABLES.items():
            tables[kind] = [
                (Entry(kind, name, display(name), position, item), rebuild(model, item))
                for name, position, item in data["tables"][kind]
            ]
        return Definitions(meta, **tables)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cache_store(sha256: str, definitions: Definitions) -> None:
    """Keep validated definitions (whose every table validated) for the next load."""
    path = cache_file(sha256)
    if path is None or definitions.meta is None:
        return
    data = {
        "meta": to_builtin(definitions.meta),
        "tables": {
            kind: [[entry.source, entry.position, to_builtin(item)] for entry, item in items]
            for kind, items in definitions.tables().items()
        },
    }
    with contextlib.suppress(OSError, TypeError, ValueError):
        _write(path, encode_entry(sha256, json.dumps(data).encode("utf-8")))


def _write(path: Path, entry: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not usable_folder(path.parent):
        return
    target = AtomicFile(path)
    target.mode = 0o600  # whatever mode a damaged entry had
    try:
        target.write(entry)
    except BaseException:
        target.abort()
        raise
    target.close()


# --- the compiled conditions ---------------------------------------------------------
# The module code of a rulebook's kernel and conditions (`codegen.compile_kernel`), kept
# beside its definitions as a marshalled code object: an entry is found by the cache
# format, the holdtight version, the interpreter's bytecode tag and the rulebook's
# sha256, and holds in its digest the bytecode magic number and the sha256 of the code
# generators' own source, so no other interpreter's nor generator's code is ever run.


def _generators() -> str:
    if not _GENERATORS:
        digest = new_digest(MAGIC_NUMBER)
        for module in (codegen, expressions, pyast):
            try:
                digest.update(Path(module.__file__ or "").read_bytes())
            except OSError:
                digest.update(__version__.encode())  # no source: the version must do
        _GENERATORS.append(digest.hexdigest())
    return _GENERATORS[0]


_GENERATORS: list[str] = []


def _code_file(sha256: str) -> Path | None:
    folder = cache_dir()
    tag = sys.implementation.cache_tag
    if folder is None or not tag:
        return None
    # The generators' hash is in the name too: checkouts with different code generators
    # (development branches sharing one cache) keep their own entries.
    generators = _generators()[:16]
    return folder / f"rulebook-code-f{CACHE_FORMAT}-{__version__}-{tag}-{generators}-{sha256}.bin"


def code_load(sha256: str) -> CodeType | None:
    """The compiled conditions of the rulebook with this content hash, if a sound entry
    for this interpreter and these generators holds them."""
    path = _code_file(sha256)
    if path is None or not usable_folder(path.parent):
        return None
    raw = _read(path)
    payload = decode_entry(f"{sha256}-{_generators()}", raw) if raw is not None else None
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def code_store(sha256: str, code: CodeType) -> None:
    """Keep a rulebook's compiled conditions for the next load."""
    path = _code_file(sha256)
    if path is None:
        return
    with contextlib.suppress(OSError, TypeError, ValueError):
        _write(path, encode_entry(f"{sha256}-{_generators()}", marshal.dumps(code)))
