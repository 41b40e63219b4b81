"""A blank answer file for people, and a JSON Schema for tools."""

from __future__ import annotations

import json
from typing import Any

from holdtight.model import SESSION_FORMAT, Question, Rulebook

TEMPLATE_MARK = "# holdtight answer file for rulebook "
"""How a template begins: `template -o` replaces a file only if it is one (and blank)."""


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, width: int = 86) -> list[str]:
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    line = "#"
    for word in words:
        if len(line) + len(word) + 1 > width and line != "#":
            lines.append(line)
            line = "#"
        line += " " + word
    if line != "#":
        lines.append(line)
    return lines


def _example_value(question: Question) -> str:
    if question.kind == "single":
        return _toml_string(question.options[0].id)
    if question.kind == "multi":
        return "[" + ", ".join(_toml_string(o.id) for o in question.options[:2]) + "]"
    if question.kind in ("scale", "number"):
        low = question.min if question.min is not None else 0
        return str(int(low)) if float(low).is_integer() else str(low)
    return '""'


def _kind_line(question: Question) -> str:
    if question.kind == "single":
        return "one of: " + " | ".join(o.id for o in question.options) + " | unsure"
    if question.kind == "multi":
        return "a list of any of: " + ", ".join(o.id for o in question.options)
    if question.kind == "scale":
        labels = ", ".join(f"{k} = {v}" for k, v in question.labels.items())
        extra = f" ({labels})" if labels else ""
        return f"a whole number from {question.min:g} to {question.max:g}{extra}, or unsure"
    if question.kind == "number":
        whole = "a whole number" if question.integer else "a number"
        return f"{whole} from {question.min:g} to {question.max:g}, or unsure"
    return "text (optional)"


def answer_template(rulebook: Rulebook) -> str:
    lines = [
        f"{TEMPLATE_MARK}'{rulebook.id}' {rulebook.version}",
        "# Answer a question by removing the '# ' in front of its line and setting the value.",
        '# Any question may also be answered "unsure". Score it with: holdtight score FILE',
        "",
        "[holdtight]",
        f"format = {SESSION_FORMAT}",
        f"rulebook = {_toml_string(rulebook.id)}",
        f"rulebook_version = {_toml_string(rulebook.version)}",
        f"rulebook_sha256 = {_toml_string(rulebook.sha256)}",
        "",
        "[meta]",
        'organization = ""',
        'respondent = ""',
        "",
        "[answers]",
    ]
    for section in rulebook.sections:
        lines += ["", f"# ── {section.title} " + "─" * max(3, 70 - len(section.title))]
        for question in rulebook.questions.values():
            if question.section != section.id:
                continue
            lines.append("")
            lines += _comment(question.prompt)
            lines.append(f"#   {_kind_line(question)}")
            for option in question.options:
                lines.append(f"#     {option.id}: {option.label}")
            if question.show_if_text:
                lines.append(f"#   asked only if {question.show_if_text}")
            lines.append(f"# {question.id} = {_example_value(question)}")
    lines += ["", "[notes]", '# question_id = "a note for the report"', ""]
    return "\n".join(lines)


def _answer_schema(question: Question) -> dict[str, Any]:
    unsure = {"const": "unsure"}
    if question.kind == "single":
        return {
            "description": question.prompt,
            "enum": [*(o.id for o in question.options), "unsure"],
        }
    if question.kind == "multi":
        return {
            "description": question.prompt,
            "anyOf": [
                {
                    "type": "array",
                    "items": {"enum": [o.id for o in question.options]},
                    "uniqueItems": True,
                },
                unsure,
            ],
        }
    if question.kind in ("scale", "number"):
        number: dict[str, Any] = {
            "type": "integer" if question.kind == "scale" or question.integer else "number"
        }
        if question.min is not None:
            number["minimum"] = question.min
        if question.max is not None:
            number["maximum"] = question.max
        return {"description": question.prompt, "anyOf": [number, unsure]}
    return {"description": question.prompt, "type": "string", "maxLength": 10000}


def answer_schema(rulebook: Rulebook) -> dict[str, Any]:
    scalar = {"type": ["string", "number", "boolean"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"holdtight answer file ({rulebook.id} {rulebook.version})",
        "type": "object",
        "additionalProperties": False,
        "required": ["answers"],
        "properties": {
            "holdtight": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "format": {"type": "integer", "maximum": SESSION_FORMAT},
                    "rulebook": {"type": "string"},
                    "rulebook_version": {"type": "string"},
                    "rulebook_sha256": {"type": "string"},
                    "created": {"type": "string", "format": "date-time"},
                    "updated": {"type": "string", "format": "date-time"},
                },
            },
            "meta": {"type": "object", "additionalProperties": scalar},
            "answers": {
                "type": "object",
                "additionalProperties": False,
                "properties": {q.id: _answer_schema(q) for q in rulebook.questions.values()},
            },
            "notes": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }


def rulebook_schema() -> dict[str, Any]:
    """The JSON Schema of a rulebook file: the header's fields (in `rulebook.toml`) and
    every table a file may hold (`[[question]]`, `[[rule]]`, `[[scenario]]`, …)."""
    from holdtight.model import RulebookMeta
    from holdtight.rulebook.definitions import TABLES
    from holdtight.validation import json_schema

    defs: dict[str, Any] = {}
    header = json_schema(RulebookMeta)
    defs.update(header.pop("$defs", {}))
    properties: dict[str, Any] = dict(header.get("properties", {}))
    for kind, cls in TABLES.items():
        item = json_schema(cls)
        defs.update(item.pop("$defs", {}))
        defs[cls.__name__] = item
        properties[kind] = {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "holdtight rulebook file (rulebook.toml holds the header fields)",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }
