"""Load a rulebook folder: read its files, take the validated definitions from the cache
or validate them, then check, compile, lint and index, the same on every load."""

from __future__ import annotations

from pathlib import Path

from holdtight.errors import RulebookError
from holdtight.model import Rulebook
from holdtight.rulebook.build import assemble, compile_parts
from holdtight.rulebook.cache import cache_load, cache_store, code_load, code_store
from holdtight.rulebook.definitions import check_definitions, read_definitions
from holdtight.rulebook.files import META_FILE, Finding, Findings, RulebookFiles, bundled_rules_dir
from holdtight.rulebook.lint import lint


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


def check_rulebook(path: str | Path | None = None) -> tuple[Rulebook | None, list[Finding]]:
    """Load a rulebook and lint it; return it (when it has no errors) and all findings."""
    root = Path(path) if path is not None else bundled_rules_dir()
    findings = Findings()
    files = RulebookFiles(root, findings)
    if not files.check_folder():
        return None, findings.items
    contents, sha256 = files.read_all()
    # A file that could not be read is not in the hash: no cache then.
    cacheable = not findings.failed
    definitions = cache_load(sha256, files.display) if cacheable else None
    if definitions is None:
        before = len(findings.items)
        definitions = read_definitions(findings, files, contents)
        if cacheable and len(findings.items) == before:
            cache_store(sha256, definitions)
    # From here on, everything runs whether the definitions came from the cache or not.
    definitions = check_definitions(findings, definitions, files.display(META_FILE))
    meta = definitions.meta
    if meta is None or findings.failed:
        return None, findings.items
    parts = compile_parts(findings, definitions)
    lint(findings, parts.questions, parts.rules, parts.rails, parts.domains)
    if findings.failed:
        return None, findings.items
    code = code_load(sha256) if cacheable else None
    rulebook, built = assemble(meta, definitions, parts, sha256, root, code)
    if cacheable and code is None:
        code_store(sha256, built)
    return rulebook, findings.items
