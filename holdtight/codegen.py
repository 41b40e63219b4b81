"""Code generation for a whole rulebook: every rule compiled into one kernel function,
and the batch fast path's check that raw answers are valid as they stand.

Nothing here decides anything about scoring: the kernel tests the rules and adds up
the weights; settings, bounds, posture, confidence and the handling of "not sure",
unanswered and hidden questions are the engine's (`holdtight.engine`). The generated
code is built from the checked, translated condition trees and our own nodes; no text
is ever evaluated, and it runs without builtins.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any, NamedTuple

from holdtight.expressions import Condition
from holdtight.limits import MAX_LIST, MAX_TEXT
from holdtight.model import UNSURE, AnswerCheck, Predicate
from holdtight.pyast import ANSWERS, answers_argument, constant, locate

Kernel = Callable[[Mapping[str, Any]], tuple[list[bool], list[float]]]

# FunctionDef grew `type_params` in Python 3.12; older versions reject nothing extra.
_TYPE_PARAMS: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}


class QuestionSpec(NamedTuple):
    """What the batch fast path needs to know to accept an answer as it stands."""

    id: str
    kind: str
    accepted_as_is: frozenset[str | int]
    """For single, scale and number questions: the str/int answers valid as they stand."""
    options: frozenset[str]


class _UseLocals(ast.NodeTransformer):
    """Rewrite a translated condition to read answers from local variables, one per
    question, instead of looking them up in the answers mapping on every test:
    `a.get('q')` → `_qN`, `a.get('q', d)` → `(_qN if _qN is not None else d)`,
    `'q' in a` (answered) → `_qN is not None`."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.used: set[str] = set()

    def local(self, question: str) -> ast.Name:
        name = self.names[question]
        self.used.add(question)
        return ast.Name(id=name, ctx=ast.Load())

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and isinstance(func.value, ast.Name)
            and func.value.id == ANSWERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            question = node.args[0].value
            if len(node.args) == 1:
                return ast.copy_location(self.local(question), node)
            replacement = ast.IfExp(
                test=ast.Compare(
                    left=self.local(question),
                    ops=[ast.IsNot()],
                    comparators=[ast.Constant(value=None)],
                ),
                body=self.local(question),
                orelse=node.args[1],
            )
            return locate(ast.copy_location(replacement, node))
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], ast.In)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and isinstance(node.comparators[0], ast.Name)
            and node.comparators[0].id == ANSWERS
        ):
            return ast.Compare(
                left=self.local(node.left.value),
                ops=[ast.IsNot()],
                comparators=[ast.Constant(value=None)],
            )
        return node


def multi_accepted_as_is(value: object, options: frozenset[str]) -> bool:
    """A multiple-choice answer valid as it stands: a short list of distinct options."""
    if value.__class__ is not list:
        return False
    items: list[Any] = value
    if len(items) > MAX_LIST:
        return False
    for item in items:
        if item.__class__ is not str or item not in options:
            return False
    return len(set(items)) == len(items)


def _name(identifier: str, store: bool = False) -> ast.Name:
    return ast.Name(id=identifier, ctx=ast.Store() if store else ast.Load())


def _assign(target: str, value: ast.expr) -> ast.stmt:
    return ast.Assign(targets=[_name(target, store=True)], value=value)


def _function(name: str, argument: str, body: list[ast.stmt]) -> ast.FunctionDef:
    arguments = answers_argument()
    arguments.args = [ast.arg(arg=argument)]
    return ast.FunctionDef(
        name=name, args=arguments, body=body, decorator_list=[], returns=None, **_TYPE_PARAMS
    )


def _compare(left: ast.expr, op: ast.cmpop, right: ast.expr) -> ast.expr:
    return ast.Compare(left=left, ops=[op], comparators=[right])


def _invalid_test(spec: QuestionSpec, value: ast.expr) -> ast.expr:
    """An expression true when the answer `value` (never None) is not valid as it stands.
    "unsure" is valid for every kind; what it means is the engine's business."""
    cls = ast.Attribute(value=value, attr="__class__", ctx=ast.Load())
    if spec.kind == "multi":
        return ast.BoolOp(
            op=ast.And(),
            values=[
                _compare(value, ast.NotEq(), ast.Constant(value=UNSURE)),
                ast.UnaryOp(
                    op=ast.Not(),
                    operand=ast.Call(
                        func=_name("_multi_ok"),
                        args=[value, constant(spec.options)],
                        keywords=[],
                    ),
                ),
            ],
        )
    if spec.kind == "text":
        length = ast.Call(func=_name("_len"), args=[value], keywords=[])
        return ast.BoolOp(
            op=ast.Or(),
            values=[
                _compare(cls, ast.IsNot(), _name("_str")),
                _compare(length, ast.Gt(), ast.Constant(value=MAX_TEXT)),
            ],
        )
    accepted = spec.accepted_as_is | {UNSURE}
    if all(item.__class__ is str for item in accepted):
        # single: exactly a str (a subclass, a list or a dict is refused before hashing).
        return ast.BoolOp(
            op=ast.Or(),
            values=[
                _compare(cls, ast.IsNot(), _name("_str")),
                _compare(value, ast.NotIn(), constant(accepted)),
            ],
        )
    # scale, number: exactly a str or an int (bool is neither), in the set.
    return ast.BoolOp(
        op=ast.Or(),
        values=[
            ast.BoolOp(
                op=ast.And(),
                values=[
                    _compare(cls, ast.IsNot(), _name("_str")),
                    _compare(cls, ast.IsNot(), _name("_int")),
                ],
            ),
            _compare(value, ast.NotIn(), constant(accepted)),
        ],
    )


def _namespace() -> dict[str, Any]:
    return {
        "__builtins__": {},
        "_frozenset": frozenset,
        "_multi_ok": multi_accepted_as_is,
        "_str": str,
        "_int": int,
        "_len": len,
    }


class Compiled(NamedTuple):
    kernel: Kernel
    predicates: list[Predicate]
    """One per condition: `conditions`, then `others`."""
    fast_factory: Callable[[], AnswerCheck | None]
    code: CodeType
    """The module code all of them come from (what the rulebook cache keeps)."""


def compile_kernel(
    conditions: list[Condition],
    effects: list[list[tuple[int, float]]],
    biases: list[float],
    questions: list[QuestionSpec] | None = None,
    others: list[Condition] | None = None,
    code: CodeType | None = None,
) -> Compiled:
    """Compile every rule into one function, so scoring costs one call, not one per rule.

    `kernel(effective_answers)` returns (fired per rule, score per domain). The same
    code holds one function per condition, `conditions` then `others` (the guard rails'),
    compiled from the same trees, so each rule and rail is one definition. With
    `questions`, the second item builds (on first use: only batch scoring needs it)
    `accepts_as_is(raw_answers)`: true when every answer in an answer file's raw table
    is valid as it stands, so the engine may score the table without the full check.
    The kernel is built from the checked, translated trees (consumed here), unless
    `code` is given: the module code an earlier call made for the same rulebook."""
    count = len(conditions) + len(others or ())
    namespace = _namespace()
    if code is not None:
        exec(code, namespace)
    if code is None or any(f"_c{i}" not in namespace for i in range(count)):
        code = _kernel_code(conditions, effects, biases, questions, others)
        namespace = _namespace()
        exec(code, namespace)
    kernel: Kernel = namespace["kernel"]
    predicates: list[Predicate] = [namespace[f"_c{i}"] for i in range(count)]
    if not questions:
        return Compiled(kernel, predicates, lambda: None, code)
    specs = list(questions)
    return Compiled(kernel, predicates, lambda: compile_answer_check(specs), code)


def _kernel_code(
    conditions: list[Condition],
    effects: list[list[tuple[int, float]]],
    biases: list[float],
    questions: list[QuestionSpec] | None,
    others: list[Condition] | None,
) -> CodeType:
    names: dict[str, str] = {}
    for spec in questions or ():  # questionnaire order first: answers are read in order
        names[spec.id] = f"_q{len(names)}"
    for condition in conditions:
        for question in condition.reads:
            names.setdefault(question, f"_q{len(names)}")
    transformer = _UseLocals(names)
    rules: list[ast.stmt] = [
        *(_assign(f"_s{i}", ast.Constant(value=b)) for i, b in enumerate(biases)),
        _assign(
            "f",
            ast.BinOp(
                left=ast.List(elts=[ast.Constant(value=False)], ctx=ast.Load()),
                op=ast.Mult(),
                right=ast.Constant(value=len(conditions)),
            ),
        ),
    ]
    tests: list[ast.expr] = []
    for condition in [*conditions, *(others or ())]:
        if condition.tree is None:
            raise ValueError("condition has no tree")
        tests.append(transformer.visit(condition.tree))
    functions = [
        _condition_function(f"_c{index}", test, names, transformer.used)
        for index, test in enumerate(tests)
    ]
    for index, weights in enumerate(effects):
        then: list[ast.stmt] = [
            ast.Assign(
                targets=[
                    ast.Subscript(
                        value=_name("f"), slice=ast.Constant(value=index), ctx=ast.Store()
                    )
                ],
                value=ast.Constant(value=True),
            )
        ]
        for domain_index, weight in weights:
            then.append(
                ast.AugAssign(
                    target=_name(f"_s{domain_index}", store=True),
                    op=ast.Add(),
                    value=ast.Constant(value=weight),
                )
            )
        rules.append(ast.If(test=tests[index], body=then, orelse=[]))
    scores = ast.List(elts=[_name(f"_s{i}") for i in range(len(biases))], ctx=ast.Load())
    getter = ast.Attribute(value=_name(ANSWERS), attr="get", ctx=ast.Load())
    body: list[ast.stmt] = [
        _assign(names[q], ast.Call(func=getter, args=[ast.Constant(value=q)], keywords=[]))
        for q in names
        if q in transformer.used
    ]
    body += rules
    body.append(ast.Return(value=ast.Tuple(elts=[_name("f"), scores], ctx=ast.Load())))
    module = locate(
        ast.Module(body=[_function("kernel", ANSWERS, body), *functions], type_ignores=[])
    )
    return compile(module, "<rulebook>", "exec")


def _condition_function(
    name: str, test: ast.expr, names: dict[str, str], used: set[str]
) -> ast.FunctionDef:
    """`def name(a)`: the condition `test` (written over the answers' local variables)
    on the answers `a`."""
    wanted = _Reads(set(names.values()))
    wanted.visit(test)
    getter = ast.Attribute(value=_name(ANSWERS), attr="get", ctx=ast.Load())
    body: list[ast.stmt] = [
        _assign(names[q], ast.Call(func=getter, args=[ast.Constant(value=q)], keywords=[]))
        for q in names
        if q in used and names[q] in wanted.found
    ]
    body.append(ast.Return(value=test))
    return _function(name, ANSWERS, body)


class _Reads(ast.NodeVisitor):
    """The answers' local variables an expression reads."""

    def __init__(self, locals_: set[str]) -> None:
        self.locals = locals_
        self.found: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.locals:
            self.found.add(node.id)


def compile_answer_check(specs: list[QuestionSpec]) -> AnswerCheck:
    """`accepts_as_is(raw)`: every key is a question of `specs` and every answer is valid
    as it stands (plain values only). False sends the file down the full path, which
    checks it and reports what is wrong."""
    get = ast.Attribute(value=_name("r"), attr="get", ctx=ast.Load())
    reject = ast.Return(value=ast.Constant(value=False))
    body: list[ast.stmt] = [_assign("n", ast.Constant(value=0))]
    for spec in specs:
        value = _name("v")
        body.append(
            _assign("v", ast.Call(func=get, args=[ast.Constant(value=spec.id)], keywords=[]))
        )
        present: list[ast.stmt] = [
            ast.If(test=_invalid_test(spec, value), body=[reject], orelse=[]),
            ast.AugAssign(target=_name("n", store=True), op=ast.Add(), value=ast.Constant(1)),
        ]
        body.append(
            ast.If(
                test=_compare(value, ast.IsNot(), ast.Constant(value=None)),
                body=present,
                orelse=[],
            )
        )
    # Any other key (an unknown question, a null) is for the full path to report.
    length = ast.Call(func=_name("_len"), args=[_name("r")], keywords=[])
    body.append(ast.Return(value=_compare(_name("n"), ast.Eq(), length)))
    namespace = _namespace()
    module = locate(ast.Module(body=[_function("accepts_as_is", "r", body)], type_ignores=[]))
    exec(compile(module, "<rulebook answer check>", "exec"), namespace)
    check: AnswerCheck = namespace["accepts_as_is"]
    return check
