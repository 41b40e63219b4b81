"""Session and answer files: read (TOML or JSON), check against a rulebook, write
atomically. One format serves as a saved session and as a batch answer file."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from holdtight import strictjson
from holdtight.answercheck import check_answer as check_answer
from holdtight.answercheck import type_name
from holdtight.engine import shown_questions
from holdtight.errors import InputError, did_you_mean, one_line
from holdtight.limits import MAX_META_KEYS, MAX_NUMBER, MAX_TEXT
from holdtight.model import (
    SESSION_FORMAT,
    AnswerValue,
    MetaValue,
    Rulebook,
    Session,
    SessionHeader,
)
from holdtight.reading import fail as _fail
from holdtight.reading import locate as _locate
from holdtight.reading import locate_table, parse_document, read_bytes
from holdtight.validation import first_error, is_validation_error, validate

__all__ = ["parse_document", "read_bytes"]  # re-exported: callers read files through here

TOP_LEVEL = ("holdtight", "meta", "answers", "notes")
_TOP_LEVEL_SET = frozenset(TOP_LEVEL)
Unknown = Literal["error", "keep"]


# --- reading (bytes and documents: holdtight.reading) -----------------------------------


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


def _meta(raw: object, source: str, text: str | None = None) -> dict[str, MetaValue]:
    if not isinstance(raw, dict):
        where = _join(locate_table(text, "meta"), "meta")
        raise _fail(source, where, f"must be a table, not {type_name(raw)}")
    if len(raw) > MAX_META_KEYS:
        raise _fail(source, _join(locate_table(text, "meta"), "meta"), "too many keys")
    meta: dict[str, MetaValue] = {}
    for key, value in raw.items():
        problem = (
            "expected a finite number"
            if isinstance(value, float) and not math.isfinite(value)
            else "number is too large"
            if isinstance(value, int | float) and abs(value) > MAX_NUMBER
            else f"expected text or a number, not {type_name(value)}"
            if not isinstance(value, str | int | float | bool)
            else "text is too long"
            if isinstance(value, str) and len(value) > MAX_TEXT
            else None
        )
        if problem is not None:
            where = _join(_locate(text, "meta", key), f"meta.{one_line(key, 40)}")
            raise _fail(source, where, problem)
        meta[key] = value
    return meta


def _notes(raw: object, source: str, text: str | None = None) -> dict[str, str]:
    if not isinstance(raw, dict):
        where = _join(locate_table(text, "notes"), "notes")
        raise _fail(source, where, f"must be a table, not {type_name(raw)}")
    for key, value in raw.items():
        problem = (
            f"expected text, not {type_name(value)}"
            if not isinstance(value, str)
            else "text is too long"
            if len(value) > MAX_TEXT
            else None
        )
        if problem is not None:
            where = _join(_locate(text, "notes", key), f"notes.{one_line(key, 40)}")
            raise _fail(source, where, problem)
    return dict(raw)


_HEADER_TEXT = ("rulebook", "rulebook_version", "rulebook_sha256")


# What each header key holds, in words (pydantic's own wording is for programmers).
_WHEN = "a date and time with its offset, such as 2026-11-26 08:30:00+00:00"
_HEADER_EXPECTED = {
    "format": "a whole number",
    **dict.fromkeys(_HEADER_TEXT, "text"),
    "created": _WHEN,
    "updated": _WHEN,
}


def _header(raw: object, source: str, text: str | None = None) -> SessionHeader:
    if not isinstance(raw, dict):
        where = _join(locate_table(text, "holdtight"), "holdtight")
        raise _fail(source, where, f"must be a table, not {type_name(raw)}")
    if _header_accepted_as_is(raw):
        return SessionHeader(**raw)
    try:
        header = validate(SessionHeader, raw)
    except Exception as error:
        if not is_validation_error(error):
            raise
        kind, loc, message = first_error(error)
        place = _locate(text, "holdtight", loc)
        if kind == "extra_forbidden":
            where = _join(place, "holdtight")
            raise _fail(source, where, f"unknown key '{one_line(loc, 40)}'") from None
        expected = _HEADER_EXPECTED.get(loc)
        if expected is not None and loc in raw:
            message = f"expected {expected}, not {type_name(raw[loc])}"
        raise _fail(source, _join(place, f"holdtight.{loc}"), message) from None
    if header.format > SESSION_FORMAT:
        where = _join(_locate(text, "holdtight", "format"), "holdtight.format")
        raise _fail(source, where, f"format {header.format} is newer than this holdtight reads")
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
            where = locate_table(text, key)
            raise _fail(source, where, f"unknown table '{one_line(key, 40)}'{hint}")
    if "answers" not in document:
        raise _fail(source, "", "no [answers] table")
    raw_answers = document["answers"]
    if not isinstance(raw_answers, dict):
        where = _join(locate_table(text, "answers"), "answers")
        raise _fail(source, where, f"must be a table, not {type_name(raw_answers)}")
    header = (
        _header(document["holdtight"], source, text) if "holdtight" in document else SessionHeader()
    )
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
    meta = _meta(document.get("meta", {}), source, text)
    notes = _notes(document.get("notes", {}), source, text)
    warnings += misplaced_warnings(rulebook, meta, notes, kept)
    return Session(header, meta, answers, notes, kept, warnings)


def misplaced_warnings(
    rulebook: Rulebook,
    meta: Mapping[str, Any],
    notes: Mapping[str, Any],
    kept: Mapping[str, Any] | None = None,
) -> list[str]:
    """What a person put in the wrong place, which would otherwise pass without a word:
    an answer under [meta] (not counted), a note for a question the rulebook does not
    have (a typo: the note would be lost from every report)."""
    questions = rulebook.questions
    found = [
        f"meta.{one_line(key, 40)}: '{one_line(key, 40)}' is a question, and its answer "
        "counts only under [answers]"
        for key in meta
        if key in questions
    ]
    for key in notes:
        if key not in questions and (kept is None or key not in kept):
            hint = did_you_mean(key, list(questions))
            found.append(f"notes.{one_line(key, 40)}: no such question{hint}; the note is kept")
    return found


def raw_answers_document(
    document: Mapping[str, Any], rulebook: Rulebook, source: str
) -> tuple[Mapping[str, Any], dict[str, MetaValue]] | None:
    """(raw answers, meta) of a document whose frame needs no report: known tables, a
    header valid as it stands naming this rulebook (or none), valid meta and notes. The
    answers are not checked here (see `engine.score_raw_answers`). None sends it down
    the full path."""
    if not _TOP_LEVEL_SET.issuperset(document):
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
        notes = _notes(document.get("notes", {}), source)
    except InputError:
        return None
    questions = rulebook.questions.keys()
    if not (questions.isdisjoint(meta) and questions >= notes.keys()):
        return None  # misplaced (`misplaced_warnings`): the full path says so
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
        return strictjson.dumps(document, indent=2, default=_json_default) + "\n"
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
    from holdtight.fileio import atomic_write  # with tempfile: not at start-up

    atomic_write(Path(path), dumps_session(session, rulebook, fmt).encode("utf-8"))


def clean_stale_temp_files(path: str | Path) -> list[Path]:
    """Remove temp files a crashed save left beside `path`; return what was removed."""
    from holdtight.fileio import clean_stale_temps

    return clean_stale_temps(Path(path))


def fresh_session_path(folder: Path) -> Path:
    """A new file name that clobbers nothing: holdtight-YYYY-MM-DD[-N].toml."""
    stem = f"holdtight-{datetime.now().date().isoformat()}"
    candidate = folder / f"{stem}.toml"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}.toml"
        n += 1
    return candidate
