"""Building Python syntax trees: the small pieces that compiling one condition
(`holdtight.expressions`) and compiling a whole rulebook (`holdtight.codegen`) share."""

from __future__ import annotations

import ast
from typing import TypeVar

ANSWERS = "a"
"""The name of the answers mapping in every generated function."""


def constant(value: object) -> ast.expr:
    """A constant node for a frozenset or tuple (compile() accepts them; typeshed does not)."""
    return ast.Constant(value=value)  # type: ignore[arg-type]


_LOCATION = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 0}


_Node = TypeVar("_Node", bound=ast.AST)


def locate(tree: _Node) -> _Node:
    """Give generated nodes a location, like ast.fix_missing_locations, but without
    descending into subtrees that are located already (the condition trees)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if "lineno" in node._attributes:
            if hasattr(node, "lineno"):
                if node is not tree:
                    continue
            else:
                node.__dict__.update(_LOCATION)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    return tree


def answers_argument() -> ast.arguments:
    """The one parameter of every generated function: the answers mapping."""
    return ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg=ANSWERS)],
        vararg=None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[],
    )
