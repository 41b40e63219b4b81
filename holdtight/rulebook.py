"""Load a rulebook folder: read its TOML, validate every table, compile the conditions,
build the engine's indexes, and lint it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from holdtight import __version__
from holdtight.codegen import QuestionSpec, compile_kernel
from holdtight.errors import RulebookError, did_you_mean, one_line, toml_error
from holdtight.expressions import Condition, ExpressionError, NameInfo, compile_condition
from holdtight.fileio import atomic_write
from holdtight.model import (
    ID_PATTERN,
    SETTINGS,
    AnswerValue,
    Domain,
    DomainDef,
    Example,
    ExampleDef,
    GuardRail,
    GuardRailDef,
    Question,
    QuestionDef,
    Rule,
    Rulebook,
    RulebookMeta,
    RuleDef,
    Section,
    tightness,
)
from holdtight.validation import first_error, is_validation_error, rebuild, to_builtin, validate

MAX_RULEBOOK_FILE_BYTES = 4 * 1024 * 1024
META_FILE = "rulebook.toml"
TABLES: dict[str, type[Any]] = {
    "section": Section,
    "question": QuestionDef,
    "domain": DomainDef,
    "rule": RuleDef,
    "guard_rail": GuardRailDef,
    "example": ExampleDef,
}
LABELS = {"guard_rail": "guard rail"}


def bundled_rules_dir() -> Path:
    """The default rulebook: packaged into the wheel, or the repository's `rules/`."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


class Finding(NamedTuple):
    """One problem in a rulebook: an error stops it loading; a warning is a lint."""

    file: str
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.message}"


class _Entry(NamedTuple):
    """One table read from a file, before validation."""

    kind: str
    file: str
    position: int
    data: Any

    @property
    def label(self) -> str:
        ident = self.data.get("id") if isinstance(self.data, dict) else None
        name = LABELS.get(self.kind, self.kind)
        if isinstance(ident, str) and ident:
            return f"{name} '{one_line(ident, 60)}'"
        return f"{name} #{self.position + 1}"


@dataclass
class _Reader:
    root: Path
    findings: list[Finding] = field(default_factory=list)

    def error(self, file: str, where: str, message: str) -> None:
        self.findings.append(Finding(file, where, message))

    def warn(self, file: str, where: str, message: str) -> None:
        self.findings.append(Finding(file, where, message, "warning"))

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def files(self) -> list[Path]:
        found = sorted(self.root.glob("*.toml")) + sorted(self.root.glob("rules/*.toml"))
        return [path for path in found if path.is_file()]

    def read_all(self) -> tuple[dict[Path, bytes], str]:
        """Every file's bytes, and the sha256 of them all (names included)."""
        contents: dict[Path, bytes] = {}
        digest = hashlib.sha256()
        for path in self.files():
            rel = self.rel(path)
            try:
                size = path.stat().st_size
                if size > MAX_RULEBOOK_FILE_BYTES:
                    self.error(rel, "", f"file is too large ({size} bytes)")
                    continue
                raw = path.read_bytes()
            except OSError as error:
                self.error(rel, "", f"cannot read: {error.strerror or error}")
                continue
            # Hash names relative to the rulebook folder itself, so that the same rulebook
            # has the same hash wherever it is installed.
            name = path.relative_to(self.root).as_posix()
            digest.update(name.encode() + b"\0" + raw + b"\0")
            contents[path] = raw
        return contents, digest.hexdigest()

    def parse(self, path: Path, raw: bytes) -> dict[str, Any] | None:
        rel = self.rel(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self.error(rel, "", f"not UTF-8 text (byte {error.start})")
            return None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.error(rel, "", toml_error(error, text))
            return None
        except RecursionError:
            self.error(rel, "", "nested too deeply")
            return None

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent)) if path != self.root else path.name
        except ValueError:
            return str(path)


def validation_message(error: Exception) -> tuple[str, str]:
    """(field path, message) for the first problem pydantic found."""
    kind, loc, message = first_error(error)
    if kind == "extra_forbidden":
        return "", f"unknown key '{loc}'"
    if kind == "missing":
        return "", f"missing required field '{loc}'"
    return (f"field '{loc}'" if loc else ""), message


D = TypeVar("D")


def _validate(reader: _Reader, entry: _Entry, kind: type[D]) -> D | None:
    if not isinstance(entry.data, dict):
        reader.error(entry.file, entry.label, f"must be a table, not {type(entry.data).__name__}")
        return None
    try:
        return validate(kind, entry.data)
    except Exception as error:
        if not is_validation_error(error):
            raise
        where, message = validation_message(error)
        reader.error(entry.file, ", ".join(p for p in (entry.label, where) if p), message)
        return None


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """Load and compile a rulebook, raising RulebookError with its first error."""
    rulebook, findings = check_rulebook(path)
    errors = [item for item in findings if item.severity == "error"]
    if errors or rulebook is None:
        first = errors[0] if errors else Finding(str(path), "", "cannot be loaded")
        more = (
            f" (and {len(errors) - 1} more: run 'holdtight rules check')" if len(errors) > 1 else ""
        )
        raise RulebookError(f"{first}{more}")
    return rulebook


Definitions = dict[str, list[tuple["_Entry", Any]]]


def check_rulebook(path: str | Path | None = None) -> tuple[Rulebook | None, list[Finding]]:
    """Load a rulebook and lint it; return it (when it has no errors) and all findings."""
    root = Path(path) if path is not None else bundled_rules_dir()
    reader = _Reader(root)
    if not root.is_dir():
        what = "not a folder" if root.exists() else "no such folder"
        reader.error(str(root), "", f"{what}: a rulebook is a folder with {META_FILE}")
        return None, reader.findings
    if not (root / META_FILE).is_file():
        reader.error(str(root), "", f"no {META_FILE} in this folder")
        return None, reader.findings
    contents, sha256 = reader.read_all()
    cached = cache_load(sha256)
    if cached is not None:
        meta, definitions = cached
    else:
        parsed = _parse_and_validate(reader, root, contents)
        if parsed is None:
            return None, reader.findings
        meta, definitions = parsed
    builder = _Builder(
        reader, meta, definitions["section"], definitions["question"], definitions["domain"]
    )
    rulebook = builder.build(
        definitions["rule"], definitions["guard_rail"], definitions["example"], sha256, root
    )
    if reader.failed:
        if cached is not None:
            # A damaged cache entry: ignore it and read the files themselves.
            return _check_uncached(root)
        return None, reader.findings
    if cached is None:
        cache_store(sha256, meta, definitions)
    return rulebook, reader.findings


def _check_uncached(root: Path) -> tuple[Rulebook | None, list[Finding]]:
    previous = os.environ.get("HOLDTIGHT_NO_CACHE")
    os.environ["HOLDTIGHT_NO_CACHE"] = "1"
    try:
        return check_rulebook(root)
    finally:
        if previous is None:
            del os.environ["HOLDTIGHT_NO_CACHE"]
        else:
            os.environ["HOLDTIGHT_NO_CACHE"] = previous


def _parse_and_validate(
    reader: _Reader, root: Path, contents: dict[Path, bytes]
) -> tuple[RulebookMeta, Definitions] | None:
    meta: RulebookMeta | None = None
    entries: dict[str, list[_Entry]] = {kind: [] for kind in TABLES}
    for file, raw in contents.items():
        document = reader.parse(file, raw)
        if document is None:
            continue
        rel = reader.rel(file)
        if file.name == META_FILE and file.parent == root:
            body = {key: value for key, value in document.items() if key not in TABLES}
            try:
                meta = validate(RulebookMeta, body)
            except Exception as error:
                if not is_validation_error(error):
                    raise
                where, message = validation_message(error)
                reader.error(rel, where, message)
            document = {key: value for key, value in document.items() if key in TABLES}
        for key, value in document.items():
            if key not in TABLES:
                hint = did_you_mean(key, [*TABLES, "rule"])
                reader.error(rel, "", f"unknown table '{one_line(key, 60)}'{hint}")
                continue
            if not isinstance(value, list):
                reader.error(rel, f"[{key}]", f"use [[{key}]]: a list of tables")
                continue
            for index, item in enumerate(value):
                entries[key].append(_Entry(key, rel, index, item))
    if meta is not None:
        _check_meta(reader, meta, reader.rel(root / META_FILE))
    definitions: Definitions = {
        kind: _unique(reader, entries[kind], model) for kind, model in TABLES.items()
    }
    for kind, table_file in (("question", "questions.toml"), ("domain", "domains.toml")):
        if not definitions[kind] and not reader.failed:
            reader.error(table_file, "", f"the rulebook has no [[{kind}]] tables")
    if meta is None or reader.failed:
        return None
    return meta, definitions


def _unique(reader: _Reader, entries: list[_Entry], kind: type[D]) -> list[tuple[_Entry, D]]:
    seen: dict[str, _Entry] = {}
    result: list[tuple[_Entry, D]] = []
    pattern = re.compile(ID_PATTERN)
    for entry in entries:
        item = _validate(reader, entry, kind)
        if item is None:
            continue
        ident = str(getattr(item, "id", ""))
        if entry.kind != "example" and not pattern.match(ident):
            reader.error(
                entry.file,
                f"{entry.label}, field 'id'",
                "ids are lower case letters, digits and _, starting with a letter",
            )
            continue
        if ident in seen:
            other = seen[ident]
            reader.error(
                entry.file, entry.label, f"duplicate id (first in {other.file}, {other.label})"
            )
            continue
        seen[ident] = entry
        result.append((entry, item))
    return result


# --- the cache of validated rulebooks -----------------------------------------------------


def cache_dir() -> Path | None:
    """Where validated rulebooks are kept (JSON, owner-only); None when disabled."""
    if os.environ.get("HOLDTIGHT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "holdtight"


def _cache_file(sha256: str) -> Path | None:
    folder = cache_dir()
    return folder / f"rulebook-{__version__}-{sha256}.json" if folder else None


def cache_load(sha256: str) -> tuple[RulebookMeta, Definitions] | None:
    """The validated definitions of a rulebook with this content hash, if cached.

    The cache is plain JSON written by `cache_store`; its conditions are compiled and
    checked like any others. Anything unexpected means a miss."""
    path = _cache_file(sha256)
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes())
        if data.get("sha256") != sha256:
            return None
        meta = rebuild(RulebookMeta, data["meta"])
        definitions: Definitions = {}
        for kind, model in TABLES.items():
            definitions[kind] = [
                (_Entry(kind, file, index, item), rebuild(model, item))
                for file, index, item in data["entries"][kind]
            ]
        return meta, definitions
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cache_store(sha256: str, meta: RulebookMeta, definitions: Definitions) -> None:
    path = _cache_file(sha256)
    if path is None:
        return
    data = {
        "sha256": sha256,
        "meta": to_builtin(meta),
        "entries": {
            kind: [[entry.file, entry.position, to_builtin(item)] for entry, item in items]
            for kind, items in definitions.items()
        },
    }
    with contextlib.suppress(OSError, TypeError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, json.dumps(data).encode("utf-8"))


def _check_meta(reader: _Reader, meta: RulebookMeta, file: str) -> None:
    if not re.match(r"^[a-z0-9][a-z0-9_.-]*$", meta.id):
        reader.error(file, "field 'id'", "use lower case letters, digits, '.', '_' and '-'")
    if not 0 < meta.posture.band < 1:
        reader.error(file, "field 'posture.band'", "must be between 0 and 1")
    ids = [item.id for item in meta.scale.settings]
    if sorted(ids) != sorted(SETTINGS) or len(ids) != len(SETTINGS):
        reader.error(file, "scale.settings", f"must list each of {', '.join(SETTINGS)} once")
    t = meta.scale.thresholds
    values = [t.lean_loose, t.balanced, t.lean_tight, t.tight]
    if not all(math.isfinite(v) for v in values) or values != sorted(set(values)):
        reader.error(
            file,
            "scale.thresholds",
            "must be finite and rise strictly: lean_loose < balanced < lean_tight < tight",
        )
    if not t.lean_loose < 0 < t.tight:
        reader.error(file, "scale.thresholds", "lean_loose must be below 0 and tight above 0")


class _Builder:
    def __init__(
        self,
        reader: _Reader,
        meta: RulebookMeta,
        sections: list[tuple[_Entry, Section]],
        questions: list[tuple[_Entry, QuestionDef]],
        domains: list[tuple[_Entry, DomainDef]],
    ) -> None:
        self.reader = reader
        self.meta = meta
        self.sections = sections
        self.question_defs = questions
        self.domain_defs = domains
        self.domain_ids = {item.id for _, item in domains}
        self.names = {item.id: _name_info(item) for _, item in questions}
        self.conditions: list[Condition] = []
        self.show_if_conditions: dict[str, Condition] = {}

    def condition(
        self, entry: _Entry, field_name: str, text: str, lazy: bool = False
    ) -> Condition | None:
        try:
            return compile_condition(text, self.names, lazy=lazy)
        except ExpressionError as error:
            self.reader.error(entry.file, f"{entry.label}, field '{field_name}'", str(error))
            return None

    def build(
        self,
        rule_defs: list[tuple[_Entry, RuleDef]],
        rail_defs: list[tuple[_Entry, GuardRailDef]],
        example_defs: list[tuple[_Entry, ExampleDef]],
        sha256: str,
        root: Path,
    ) -> Rulebook:
        questions = self.questions()
        rules = self.rules(rule_defs)
        rails = self.guard_rails(rail_defs)
        domains = tuple(
            Domain(
                d.id,
                d.title,
                d.description,
                d.tight_means,
                d.loose_means,
                d.bias,
                d.short or d.title.split(",")[0].split(" and ")[0][:14],
            )
            for _, d in self.domain_defs
        )
        examples = tuple(
            Example(
                e.id, e.description, dict(e.answers), dict(e.expect), e.expect_posture, entry.file
            )
            for entry, e in example_defs
        )
        for entry, example in example_defs:
            for domain_id in example.expect:
                if domain_id not in self.domain_ids:
                    hint = did_you_mean(domain_id, self.domain_ids)
                    self.reader.error(
                        entry.file, entry.label, f"expects unknown domain '{domain_id}'{hint}"
                    )
        self.lint(questions, rules, rails, domains)
        return _index(
            meta=self.meta,
            sha256=sha256,
            path=str(root),
            sections=tuple(s for _, s in self.sections),
            questions=questions,
            domains=domains,
            rules=rules,
            rails=rails,
            examples=examples,
            conditions=self.conditions,
            show_if_conditions=self.show_if_conditions,
        )

    def questions(self) -> dict[str, Question]:
        section_ids = {s.id for _, s in self.sections}
        result: dict[str, Question] = {}
        for index, (entry, q) in enumerate(self.question_defs):
            where = entry.label
            if q.section not in section_ids:
                hint = did_you_mean(q.section, section_ids)
                self.reader.error(
                    entry.file, f"{where}, field 'section'", f"unknown section '{q.section}'{hint}"
                )
            if q.kind in ("single", "multi"):
                if len(q.options) < 2:
                    self.reader.error(
                        entry.file,
                        f"{where}, field 'options'",
                        f"a {q.kind} question needs at least two options",
                    )
                option_ids = [o.id for o in q.options]
                if len(set(option_ids)) != len(option_ids):
                    self.reader.error(
                        entry.file, f"{where}, field 'options'", "duplicate option id"
                    )
                if "unsure" in option_ids:
                    self.reader.error(
                        entry.file,
                        f"{where}, field 'options'",
                        "'unsure' is built in; do not list it",
                    )
            elif q.options:
                self.reader.error(
                    entry.file, f"{where}, field 'options'", f"a {q.kind} question has no options"
                )
            if q.kind in ("scale", "number"):
                if q.min is None or q.max is None or not q.min < q.max:
                    self.reader.error(entry.file, where, f"a {q.kind} question needs min < max")
                elif q.kind == "scale" and (q.max - q.min > 20 or not float(q.min).is_integer()):
                    self.reader.error(entry.file, where, "a scale runs over at most 20 whole steps")
            show_if: Condition | None = None
            if q.show_if is not None:
                show_if = self.condition(entry, "show_if", q.show_if)
                if show_if is not None:
                    self.show_if_conditions[q.id] = show_if
                if show_if is not None and q.id in show_if.reads:
                    self.reader.error(
                        entry.file,
                        f"{where}, field 'show_if'",
                        "a question cannot depend on itself",
                    )
                if show_if is not None:
                    later = [name for name in show_if.reads if name not in result]
                    if later:
                        self.reader.error(
                            entry.file,
                            f"{where}, field 'show_if'",
                            f"reads '{later[0]}', which is not asked before this question",
                        )
            required = q.required if q.required is not None else q.kind != "text"
            result[q.id] = Question(
                id=q.id,
                section=q.section,
                kind=q.kind,
                prompt=q.prompt,
                help=q.help,
                options=tuple(q.options),
                option_ids=frozenset(o.id for o in q.options),
                min=q.min,
                max=q.max,
                integer=q.integer if q.kind == "number" else True,
                unit=q.unit,
                labels=dict(q.labels),
                required=required,
                show_if=show_if.function if show_if else None,
                show_if_text=q.show_if,
                show_if_reads=frozenset(show_if.reads) if show_if else frozenset(),
                order=index,
            )
        return result

    def setting_map(
        self, entry: _Entry, field_name: str, values: Mapping[str, str]
    ) -> tuple[tuple[str, int], ...]:
        pairs = []
        for domain_id, setting in values.items():
            if domain_id not in self.domain_ids:
                hint = did_you_mean(domain_id, self.domain_ids)
                self.reader.error(
                    entry.file,
                    f"{entry.label}, field '{field_name}'",
                    f"unknown domain '{domain_id}'{hint}",
                )
                continue
            pairs.append((domain_id, tightness(setting)))
        return tuple(pairs)

    def rules(self, defs: list[tuple[_Entry, RuleDef]]) -> tuple[Rule, ...]:
        rules = []
        for entry, r in defs:
            condition = self.condition(entry, "when", r.when, lazy=True)
            effects = []
            for domain_id, weight in r.effects.items():
                if domain_id not in self.domain_ids:
                    hint = did_you_mean(domain_id, self.domain_ids)
                    self.reader.error(
                        entry.file,
                        f"{entry.label}, field 'effects'",
                        f"unknown domain '{domain_id}'{hint}",
                    )
                elif not math.isfinite(weight) or abs(weight) > 1000:
                    self.reader.error(
                        entry.file,
                        f"{entry.label}, field 'effects.{domain_id}'",
                        "weight must be a finite number within ±1000",
                    )
                else:
                    effects.append((domain_id, float(weight)))
            at_least = self.setting_map(entry, "at_least", r.at_least)
            at_most = self.setting_map(entry, "at_most", r.at_most)
            if not (effects or at_least or at_most):
                self.reader.error(entry.file, entry.label, "has no effects and no bounds")
            if not r.because.strip():
                self.reader.error(entry.file, f"{entry.label}, field 'because'", "must say why")
            if condition is None:
                continue
            self.conditions.append(condition)
            rules.append(
                Rule(
                    r.id,
                    condition.function,
                    r.when,
                    condition.reads,
                    tuple(effects),
                    at_least,
                    at_most,
                    r.because,
                    entry.file,
                    condition.numeric_literals,
                )
            )
        return tuple(rules)

    def guard_rails(self, defs: list[tuple[_Entry, GuardRailDef]]) -> tuple[GuardRail, ...]:
        rails = []
        for entry, g in defs:
            if g.domain not in self.domain_ids:
                hint = did_you_mean(g.domain, self.domain_ids)
                self.reader.error(
                    entry.file,
                    f"{entry.label}, field 'domain'",
                    f"unknown domain '{g.domain}'{hint}",
                )
                continue
            condition = (
                self.condition(entry, "when", g.when, lazy=True) if g.when is not None else None
            )
            if g.when is not None and condition is None:
                continue
            rails.append(
                GuardRail(
                    g.id,
                    g.domain,
                    frozenset(g.settings),
                    condition.function if condition else None,
                    g.when,
                    condition.reads if condition else (),
                    g.text,
                )
            )
        return tuple(rails)

    def lint(
        self,
        questions: Mapping[str, Question],
        rules: Iterable[Rule],
        rails: Iterable[GuardRail],
        domains: Iterable[Domain],
    ) -> None:
        rails = list(rails)
        rules = list(rules)
        rails_file = "guard_rails.toml"
        for domain in domains:
            for setting in SETTINGS:
                if not any(
                    r.domain == domain.id and setting in r.settings and r.when is None
                    for r in rails
                ):
                    self.reader.error(
                        rails_file,
                        f"domain '{domain.id}'",
                        f"no unconditional guard rail for setting '{setting}'",
                    )
            if not any(domain.id in dict(r.effects) for r in rules) and domain.bias == 0:
                self.reader.warn(
                    "domains.toml", f"domain '{domain.id}'", "no rule moves this domain"
                )
        read = {name for rule in rules for name in rule.reads}
        read |= {name for q in questions.values() for name in q.show_if_reads}
        for q in questions.values():
            if q.id not in read and q.kind != "text":
                self.reader.warn(
                    "questions.toml", f"question '{q.id}'", "no rule reads this question"
                )


def _name_info(question: QuestionDef) -> NameInfo:
    return NameInfo(question.kind, frozenset(o.id for o in question.options))


def _lever_candidates(question: Question, numeric: set[float]) -> tuple[AnswerValue, ...]:
    if question.kind == "single":
        return tuple(o.id for o in question.options)
    if question.kind == "scale" and question.min is not None and question.max is not None:
        return tuple(range(int(question.min), int(question.max) + 1))
    if question.kind == "number":
        low = question.min if question.min is not None else -math.inf
        high = question.max if question.max is not None else math.inf
        values: set[float] = set()
        for literal in numeric:
            step = 1.0 if question.integer else 0.01
            values.update((literal - step, literal, literal + step))
        ordered = sorted(v for v in values if low <= v <= high)
        return tuple(int(v) if question.integer and float(v).is_integer() else v for v in ordered)
    return ()


def _index(
    *,
    meta: RulebookMeta,
    sha256: str,
    path: str,
    sections: tuple[Section, ...],
    questions: dict[str, Question],
    domains: tuple[Domain, ...],
    rules: tuple[Rule, ...],
    rails: tuple[GuardRail, ...],
    examples: tuple[Example, ...],
    conditions: list[Condition],
    show_if_conditions: dict[str, Condition],
) -> Rulebook:
    """Build the engine's indexes once: which rules read which question, how far one
    question can swing each domain, and the answers worth trying as levers."""
    by_question: dict[str, list[int]] = {q: [] for q in questions}
    by_domain: dict[str, list[int]] = {d.id: [] for d in domains}
    domain_reads: dict[str, set[str]] = {d.id: set() for d in domains}
    swing: dict[str, dict[str, float]] = {q: {} for q in questions}
    bounded_by: dict[str, set[str]] = {d.id: set() for d in domains}
    numeric: dict[str, set[float]] = {q: set() for q in questions}
    for i, rule in enumerate(rules):
        touched = (
            {d for d, _ in rule.effects}
            | {d for d, _ in rule.at_least}
            | {d for d, _ in rule.at_most}
        )
        for name in rule.reads:
            by_question[name].append(i)
            for domain_id, weight in rule.effects:
                swing[name][domain_id] = swing[name].get(domain_id, 0.0) + abs(weight)
            for domain_id, _ in (*rule.at_least, *rule.at_most):
                bounded_by[domain_id].add(name)
        for domain_id in touched:
            by_domain[domain_id].append(i)
            domain_reads[domain_id].update(rule.reads)
        for name, values in rule.numeric_literals.items():
            numeric[name].update(values)
    controllers = frozenset(name for q in questions.values() for name in q.show_if_reads)
    position = {d.id: i for i, d in enumerate(domains)}
    t = meta.scale.thresholds
    bound_rules: dict[int, tuple[tuple[int, int, int], ...]] = {}
    for d in domains:
        bounds = []
        for i, rule in enumerate(rules):
            lows = [b for domain_id, b in rule.at_least if domain_id == d.id]
            highs = [b for domain_id, b in rule.at_most if domain_id == d.id]
            if lows or highs:
                bounds.append((i, max(lows, default=0), min(highs, default=len(SETTINGS) - 1)))
        bound_rules[position[d.id]] = tuple(bounds)
    accepted_as_is = {q.id: _accepted_as_is(q) for q in questions.values()}
    specs = [
        QuestionSpec(q.id, q.kind, accepted_as_is[q.id], q.option_ids) for q in questions.values()
    ]
    kernel, fast_factory = compile_kernel(
        conditions,
        [[(position[d], w) for d, w in rule.effects] for rule in rules],
        [d.bias for d in domains],
        specs,
    )
    return Rulebook(
        meta=meta,
        sha256=sha256,
        path=path,
        sections=sections,
        questions=questions,
        domains=domains,
        rules=rules,
        guard_rails=rails,
        examples=examples,
        thresholds=(t.lean_loose, t.balanced, t.lean_tight, t.tight),
        rules_by_question={k: tuple(v) for k, v in by_question.items()},
        rules_by_domain={k: tuple(v) for k, v in by_domain.items()},
        domain_reads={k: frozenset(v) for k, v in domain_reads.items()},
        max_swing=swing,
        bounded_by={k: frozenset(v) for k, v in bounded_by.items()},
        visibility_controllers=controllers,
        lever_candidates={q.id: _lever_candidates(q, numeric[q.id]) for q in questions.values()},
        guard_rails_by_domain={d.id: tuple(r for r in rails if r.domain == d.id) for d in domains},
        kernel=kernel,
        fast_factory=fast_factory,
        conditional=tuple(q for q in questions.values() if q.show_if is not None),
        bound_rules={k: v for k, v in bound_rules.items() if v},
        accepted_as_is=accepted_as_is,
    )


def _accepted_as_is(question: Question) -> frozenset[str | int]:
    values: set[str | int] = {"unsure"} if question.kind != "text" else set()
    if question.kind == "single":
        values.update(question.option_ids)
    elif question.kind in ("scale", "number") and question.integer:
        low, high = question.min, question.max
        if low is not None and high is not None and high - low <= 10_000:
            values.update(range(math.ceil(low), math.floor(high) + 1))
    return frozenset(values)
