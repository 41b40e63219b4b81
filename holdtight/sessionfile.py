"""Session and answer files: read (TOML or JSON), check against a rulebook, write
atomically. One format serves as a saved session and as a batch answer file."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from holdtight.answercheck import check_answer as check_answer
from holdtight.answercheck import type_name
from holdtight.engine import shown_questions
from holdtight.errors import InputError, did_you_mean, one_line, toml_error
from holdtight.fileio import atomic_write
from holdtight.limits import MAX_FILE_BYTES, MAX_META_KEYS, MAX_TEXT
from holdtight.model import (
    SESSION_FORMAT,
    AnswerValue,
    MetaValue,
    Rulebook,
    Session,
    SessionHeader,
)
from holdtight.parsing import loads_json, loads_toml
from holdtight.validation import first_error, is_validation_error, validate

TOP_LEVEL = ("holdtight", "meta", "answers", "notes")
_TOP_LEVEL_SET = frozenset(TOP_LEVEL)
Unknown = Literal["error", "keep"]


def _fail(source: str, place: str, message: str) -> InputError:
    return InputError(f"{place}: {message}" if place else message, source=source)


# --- reading --------------------------------------------------------------------------


def read_bytes(path: str | Path, source: str | None = None) -> bytes:
    """Read a file, refusing folders, huge files and unreadable ones in one line."""
    name = source or str(path)
    try:
        # A bare file descriptor: no buffered file object to build for each small file.
        fd = os.open(path, os.O_RDONLY)
        try:
            status = os.fstat(fd)
            if stat.S_ISDIR(status.st_mode):
                raise IsADirectoryError(path)
            size = status.st_size
            if size > MAX_FILE_BYTES:
                raise _fail(
                    name, "", f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
                )
            # Read what fstat promised (plus one byte to notice growth): a larger read
            # size would allocate a large buffer for every small file.
            want = size + 1
            data = os.read(fd, want)
            while len(data) < want:
                more = os.read(fd, want - len(data))
                if not more:
                    break
                data += more
            return data
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise _fail(name, "", "no such file") from None
    except PermissionError:
        raise _fail(name, "", "permission denied") from None
    except IsADirectoryError:
        raise _fail(name, "", "is a folder, not a file") from None
    except OSError as error:
        raise _fail(name, "", f"cannot read: {error.strerror or error}") from None


def parse_document(raw: bytes, source: str, fmt: str | None = None) -> dict[str, Any]:
    """Bytes to a document (a dict). `fmt` is 'toml' or 'json'; by default from the name."""
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(source, "", f"file is too large (the limit is {MAX_FILE_BYTES:,} bytes)")
    if not raw or (len(raw) < 1024 and raw.isspace()):
        raise _fail(source, "", "file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(source, "", "file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        raise _fail(source, "", "binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _fail(source, f"line {line}", f"invalid UTF-8 (byte {error.start})") from None
    text = text.removeprefix("\ufeff")
    if fmt is None:
        fmt = "json" if source.lower().endswith(".json") else "toml"
    if fmt == "json":
        try:
            document = loads_json(text)
        except json.JSONDecodeError as error:
            raise _fail(source, f"line {error.lineno}, column {error.colno}", error.msg) from None
        except ValueError as error:
            raise _fail(source, "", str(error)) from None
        except RecursionError:
            raise _fail(source, "", "nested too deeply") from None
    else:
        try:
            document = loads_toml(text)
        except tomllib.TOMLDecodeError as error:
            raise _fail(source, "", toml_error(error, text)) from None
        except RecursionError:
            raise _fail(source, "", "nested too deeply") from None
    if not isinstance(document, dict):
        raise _fail(source, "", f"the top level must be a table, not {type_name(document)}")
    return document


def _locate(text: str | None, table: str, key: str) -> str:
    """'line N' where `key` is set in `[table]`, found by a scan (only on error paths)."""
    if not text:
        return ""
    current = ""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*[=:]')
    json_like = text.lstrip().startswith("{")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not json_like and stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[] ")
            continue
        if (json_like or current == table) and pattern.match(line):
            return f"line {number}"
    return ""


# --- checking answers -------------------------------------------------------------------


def check_answers(
    rulebook: Rulebook,
    raw: Mapping[str, Any],
    source: str,
    *,
    unknown: Unknown = "error",
    text: str | None = None,
    lenient: bool = False,
) -> tuple[dict[str, AnswerValue], dict[str, Any], list[str]]:
    """(answers by question, kept answers, warnings). Raises InputError.

    `unknown="keep"` keeps answers to questions the rulebook does not have; `lenient`
    (answers given under another rulebook) also keeps answers that are no longer valid,
    such as an option the new rulebook dropped. Kept answers are not scored."""
    questions = rulebook.questions
    answers: dict[str, AnswerValue] = {}
    kept: dict[str, Any] = {}
    warnings: list[str] = []
    as_is = rulebook.accepted_as_is
    for key, value in raw.items():
        # Fast path: a str or int answer that is valid as it stands (bool is excluded,
        # being neither class exactly).
        allowed = as_is.get(key)
        if (
            allowed is not None
            and (value.__class__ is str or value.__class__ is int)
            and value in allowed
        ):
            answers[key] = value
            continue
        question = questions.get(key)
        if question is None:
            if unknown == "keep":
                kept[key] = value
                warnings.append(
                    f"answer to unknown question '{one_line(key, 60)}' kept, not scored"
                )
                continue
            place = _locate(text, "answers", key)
            hint = did_you_mean(key, questions)
            raise _fail(
                source, _join(place, f"answers.{one_line(key, 60)}"), f"unknown question{hint}"
            )
        try:
            answers[key] = check_answer(question, value)
        except ValueError as error:
            if lenient:
                kept[key] = value
                warnings.append(
                    f"answer to '{key}' is not valid under this rulebook ({error}); kept, not scored"
                )
                continue
            place = _locate(text, "answers", key)
            raise _fail(source, _join(place, f"answers.{key}"), str(error)) from None
    return answers, kept, warnings


def _join(*parts: str) -> str:
    return ": ".join(part for part in parts if part)


def _meta(raw: object, source: str) -> dict[str, MetaValue]:
    if not isinstance(raw, dict):
        raise _fail(source, "meta", f"must be a table, not {type_name(raw)}")
    if len(raw) > MAX_META_KEYS:
        raise _fail(source, "meta", "too many keys")
    meta: dict[str, MetaValue] = {}
    for key, value in raw.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail(source, f"meta.{one_line(key, 40)}", "expected a finite number")
        if not isinstance(value, str | int | float | bool):
            raise _fail(
                source,
                f"meta.{one_line(key, 40)}",
                f"expected text or a number, not {type_name(value)}",
            )
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise _fail(source, f"meta.{one_line(key, 40)}", "text is too long")
        meta[key] = value
    return meta


def _notes(raw: object, source: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _fail(source, "notes", f"must be a table, not {type_name(raw)}")
    for key, value in raw.items():
        if not isinstance(value, str):
            raise _fail(
                source, f"notes.{one_line(key, 40)}", f"expected text, not {type_name(value)}"
            )
        if len(value) > MAX_TEXT:
            raise _fail(source, f"notes.{one_line(key, 40)}", "text is too long")
    return dict(raw)


_HEADER_TEXT = ("rulebook", "rulebook_version", "rulebook_sha256")


def _header(raw: object, source: str) -> SessionHeader:
    if not isinstance(raw, dict):
        raise _fail(source, "holdtight", f"must be a table, not {type_name(raw)}")
    if _header_accepted_as_is(raw):
        return SessionHeader(**raw)
    try:
        header = validate(SessionHeader, raw)
    except Exception as error:
        if not is_validation_error(error):
            raise
        kind, loc, message = first_error(error)
        if kind == "extra_forbidden":
            raise _fail(source, "holdtight", f"unknown key '{one_line(loc, 40)}'") from None
        raise _fail(source, f"holdtight.{loc}", message) from None
    if header.format > SESSION_FORMAT:
        raise _fail(
            source, "holdtight.format", f"format {header.format} is newer than this holdtight reads"
        )
    return header


def _header_accepted_as_is(raw: dict[str, Any]) -> bool:
    """True for a header that is already valid as TOML gives it (the batch fast path)."""
    for key, value in raw.items():
        if key in _HEADER_TEXT:
            if value.__class__ is not str:
                return False
        elif key == "format":
            if value.__class__ is not int or not 0 < value <= SESSION_FORMAT:
                return False
        elif key in ("created", "updated"):
            if value.__class__ is not datetime or value.tzinfo is None:
                return False
        else:
            return False
    return True


def written_under_other_rulebook(header: SessionHeader, rulebook: Rulebook) -> bool:
    """True when the file says it was answered under another version or hash."""
    return bool(
        (header.rulebook_version and header.rulebook_version != rulebook.version)
        or (header.rulebook_sha256 and header.rulebook_sha256 != rulebook.sha256)
    )


def session_from_document(
    document: Mapping[str, Any],
    rulebook: Rulebook,
    source: str,
    *,
    unknown: Unknown = "error",
    text: str | None = None,
) -> Session:
    """Check a parsed file against the rulebook."""
    for key in document:
        if key not in _TOP_LEVEL_SET:
            hint = did_you_mean(key, TOP_LEVEL)
            raise _fail(source, "", f"unknown table '{one_line(key, 40)}'{hint}")
    if "answers" not in document:
        raise _fail(source, "", "no [answers] table")
    raw_answers = document["answers"]
    if not isinstance(raw_answers, dict):
        raise _fail(source, "answers", f"must be a table, not {type_name(raw_answers)}")
    header = _header(document["holdtight"], source) if "holdtight" in document else SessionHeader()
    warnings: list[str] = []
    if header.rulebook and header.rulebook != rulebook.id:
        warnings.append(
            f"answers were given under rulebook '{header.rulebook}', scored with '{rulebook.id}'"
        )
    other = written_under_other_rulebook(header, rulebook)
    if other:
        if header.rulebook_version and header.rulebook_version != rulebook.version:
            warnings.append(
                f"answers were given under rulebook version {header.rulebook_version}; "
                f"scored with {rulebook.version}"
            )
        else:
            warnings.append(
                "the rulebook has changed since these answers were given (hash differs)"
            )
        unknown = "keep"
    answers, kept, answer_warnings = check_answers(
        rulebook, raw_answers, source, unknown=unknown, text=text, lenient=other
    )
    warnings.extend(answer_warnings)
    if other:
        shown = shown_questions(rulebook, answers)
        missing = [
            rulebook.questions[q]
            for q in shown
            if rulebook.questions[q].required and q not in answers
        ]
        if missing:
            warnings.append(
                f"{len(missing)} question(s) not answered under this rulebook, some perhaps new: "
                + "; ".join(one_line(q.prompt, 50) for q in missing[:5])
                + (" …" if len(missing) > 5 else "")
            )
    meta = _meta(document.get("meta", {}), source)
    notes = _notes(document.get("notes", {}), source)
    return Session(header, meta, answers, notes, kept, warnings)


def raw_answers_document(
    document: Mapping[str, Any], rulebook: Rulebook, source: str
) -> tuple[Mapping[str, Any], dict[str, MetaValue]] | None:
    """(raw answers, meta) of a document whose frame needs no report: known tables, a
    header valid as it stands naming this rulebook (or none), valid meta and notes. The
    answers are not checked here (see `engine.score_raw_answers`). None sends it down
    the full path."""
    for key in document:
        if key not in _TOP_LEVEL_SET:
            return None
    raw_answers = document.get("answers")
    if raw_answers.__class__ is not dict:
        return None
    header = document.get("holdtight")
    if header is not None:
        if header.__class__ is not dict or not _header_accepted_as_is(header):
            return None
        if (
            header.get("rulebook", rulebook.id) != rulebook.id
            or header.get("rulebook_version", rulebook.version) != rulebook.version
            or header.get("rulebook_sha256", rulebook.sha256) != rulebook.sha256
        ):
            return None
    try:
        meta = _meta(document.get("meta", {}), source)
        _notes(document.get("notes", {}), source)
    except InputError:
        return None
    return raw_answers, meta


def load_session(path: str | Path, rulebook: Rulebook, *, unknown: Unknown = "error") -> Session:
    path = Path(path)
    raw = read_bytes(path)
    document = parse_document(raw, str(path))
    return session_from_document(
        document, rulebook, str(path), unknown=unknown, text=raw.decode("utf-8", "replace")
    )


# --- writing ----------------------------------------------------------------------------


def new_session(rulebook: Rulebook, meta: Mapping[str, MetaValue] | None = None) -> Session:
    now = datetime.now(UTC).replace(microsecond=0)
    header = SessionHeader(
        format=SESSION_FORMAT,
        rulebook=rulebook.id,
        rulebook_version=rulebook.version,
        rulebook_sha256=rulebook.sha256,
        created=now,
        updated=now,
    )
    return Session(header, dict(meta or {}), {}, {})


def session_document(session: Session, rulebook: Rulebook | None = None) -> dict[str, Any]:
    """The file's content: answers in question order, then kept unknown answers."""
    header = session.header.as_table()
    answers: dict[str, Any] = {}
    order = list(rulebook.questions) if rulebook else []
    for qid in order:
        if qid in session.answers:
            answers[qid] = session.answers[qid]
    for qid, value in session.answers.items():
        answers.setdefault(qid, value)
    for qid, value in session.unknown.items():
        answers.setdefault(qid, value)
    document: dict[str, Any] = {"holdtight": header}
    if session.meta:
        document["meta"] = dict(session.meta)
    document["answers"] = answers
    notes = {k: v for k, v in session.notes.items() if v}
    if notes:
        document["notes"] = notes
    return document


def dumps_session(session: Session, rulebook: Rulebook | None = None, fmt: str = "toml") -> str:
    document = session_document(session, rulebook)
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    import tomli_w

    return tomli_w.dumps(document)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(type(value).__name__)


def save_session(path: str | Path, session: Session, rulebook: Rulebook | None = None) -> None:
    """Stamp `updated` and write the session atomically.

    The header names the rulebook the answers were given under. While the session still
    keeps answers an earlier rulebook accepted and this one does not, the header keeps
    naming that earlier rulebook, so that those answers stay readable (and reported)."""
    now = datetime.now(UTC).replace(microsecond=0)
    session.header = replace(session.header, updated=now, created=session.header.created or now)
    older = session.unknown and (session.header.rulebook_version or session.header.rulebook_sha256)
    if rulebook is not None and not older:
        session.header = replace(
            session.header,
            rulebook=rulebook.id,
            rulebook_version=rulebook.version,
            rulebook_sha256=rulebook.sha256,
        )
    fmt = "json" if str(path).lower().endswith(".json") else "toml"
    atomic_write(Path(path), dumps_session(session, rulebook, fmt).encode("utf-8"))


def clean_stale_temp_files(path: str | Path) -> list[Path]:
    """Remove temp files a crashed save left beside `path`; return what was removed."""
    path = Path(path)
    removed = []
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


def fresh_session_path(folder: Path) -> Path:
    """A new file name that clobbers nothing: holdtight-YYYY-MM-DD[-N].toml."""
    stem = f"holdtight-{datetime.now().date().isoformat()}"
    candidate = folder / f"{stem}.toml"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}.toml"
        n += 1
    return candidate
