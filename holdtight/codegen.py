"""Code generation for a whole rulebook: every rule compiled into one kernel function,
per scenario the test of the rules it may flip, and the batch fast path's check that
raw answers are valid as they stand.

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
from holdtight.model import SCORE_UNITS, UNSURE, AnswerCheck, Predicate, Scenario, units
from holdtight.pyast import ANSWERS, answers_argument, constant, locate

Kernel = Callable[[Mapping[str, Any]], tuple[list[bool], list[float]]]
ScenarioCheck = Callable[[Mapping[str, Any], list[bool]], int]
"""`check(effective_answers, fired)`: which of a scenario's rules it flips (see
`ScenarioSpec`)."""

# FunctionDef grew `type_params` in Python 3.12; older versions reject nothing extra.
_TYPE_PARAMS: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}


class QuestionSpec(NamedTuple):
    """What the batch fast path needs to know to accept an answer as it stands."""

    id: str
    kind: str
    accepted_as_is: frozenset[str | int]
    """For single, scale and number questions: the str/int answers valid as they stand."""
    options: frozenset[str]


class ScenarioSpec(NamedTuple):
    """A scenario as the kernel's code tests it: the answers it sets, its step (question,
    (answer, next answer) pairs) and the rules that read any of its questions."""

    answers: tuple[tuple[str, Any], ...]
    step: tuple[str, tuple[tuple[str, str], ...]] | None
    rules: tuple[int, ...]


def scenario_spec(
    scenario: Scenario, rules_by_question: Mapping[str, tuple[int, ...]]
) -> ScenarioSpec | None:
    """The scenario's spec, or None when its code would not be plain: an answer that is
    a list or "not sure", a step to or from "not sure", or a stepped question it also
    sets (those are scored by the engine's general path)."""
    answers = tuple(scenario.answers.items())
    if any(value.__class__ is list or value == UNSURE for _, value in answers):
        return None
    step = None
    if scenario.step is not None:
        question, steps = scenario.step
        pairs = tuple((old, new) for old, new in steps.items() if old != new)
        if question in scenario.answers or any(UNSURE in pair for pair in pairs):
            return None
        step = (question, pairs)
    keys = [*scenario.answers, *([scenario.step[0]] if scenario.step else [])]
    rules = tuple(sorted({i for key in keys for i in rules_by_question.get(key, ())}))
    return ScenarioSpec(answers, step, rules)


def scenario_check(kernel: Kernel, index: int) -> ScenarioCheck | None:
    """The generated check of the rulebook's scenario `index` (its position), if its
    kernel's code has one (see `compile_kernel`)."""
    namespace: dict[str, Any] = getattr(kernel, "__globals__", {})
    check: ScenarioCheck | None = namespace.get(f"_x{index}")
    return check


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


def _or(*values: ast.expr) -> ast.expr:
    return ast.BoolOp(op=ast.Or(), values=list(values))


def _invalid_test(spec: QuestionSpec, value: ast.expr) -> ast.expr:
    """An expression true when the answer `value` (never None) is not valid as it stands.
    "unsure" is valid for every kind; what it means is the engine's business."""
    cls = ast.Attribute(value=value, attr="__class__", ctx=ast.Load())
    not_str = _compare(cls, ast.IsNot(), _name("_str"))
    if spec.kind == "multi":
        ok = ast.Call(func=_name("_multi_ok"), args=[value, constant(spec.options)], keywords=[])
        unsure = _compare(value, ast.NotEq(), ast.Constant(value=UNSURE))
        return ast.BoolOp(op=ast.And(), values=[unsure, ast.UnaryOp(op=ast.Not(), operand=ok)])
    if spec.kind == "text":
        length = ast.Call(func=_name("_len"), args=[value], keywords=[])
        return _or(not_str, _compare(length, ast.Gt(), ast.Constant(value=MAX_TEXT)))
    accepted = spec.accepted_as_is | {UNSURE}
    outside = _compare(value, ast.NotIn(), constant(accepted))
    if all(item.__class__ is str for item in accepted):
        # single: exactly a str (a subclass, a list or a dict is refused before hashing).
        return _or(not_str, outside)
    # scale, number: exactly a str or an int (bool is neither), in the set.
    not_int = _compare(cls, ast.IsNot(), _name("_int"))
    return _or(ast.BoolOp(op=ast.And(), values=[not_str, not_int]), outside)


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
    scenarios: list[ScenarioSpec | None] | None = None,
) -> Compiled:
    """Compile every rule into one function, so scoring costs one call, not one per rule.

    `kernel(effective_answers)` returns (fired per rule, score per domain). The same
    code holds one function per condition, `conditions` then `others` (the guard rails'),
    compiled from the same trees, so each rule and rail is one definition. With
    `questions`, the second item builds (on first use: only batch scoring needs it)
    `accepts_as_is(raw_answers)`: true when every answer in an answer file's raw table
    is valid as it stands, so the engine may score the table without the full check.
    With `scenarios`, the code also holds, per scenario with a spec, `_x{k}(effective,
    fired)` (`scenario_check`): the scenario's rules tested, from the same trees, on the
    effective answers as the scenario has them (what it sets; its step taken from the
    answer given), as a number with bit 2i+1 set when rule i fires under the scenario
    and did not, bit 2i when it did and no longer fires; 0 when none flips. (Whether a
    scenario may be scored from these flips is the engine's decision.)
    The kernel is built from the checked, translated trees (consumed here), unless
    `code` is given: the module code an earlier call made for the same rulebook."""
    count = len(conditions) + len(others or ())
    wanted = [f"_c{i}" for i in range(count)]
    namespace = _namespace()
    if code is not None:
        exec(code, namespace)
    if code is None or any(name not in namespace for name in wanted):
        code = _kernel_code(conditions, effects, biases, questions, others, scenarios)
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
    scenarios: list[ScenarioSpec | None] | None = None,
) -> CodeType:
    names: dict[str, str] = {}
    for spec in questions or ():  # questionnaire order first: answers are read in order
        names[spec.id] = f"_q{len(names)}"
    for condition in conditions:
        for question in condition.reads:
            names.setdefault(question, f"_q{len(names)}")
    transformer = _UseLocals(names)
    rules: list[ast.stmt] = [
        *(_assign(f"_s{i}", ast.Constant(value=units(b))) for i, b in enumerate(biases)),
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
                    value=ast.Constant(value=units(weight)),
                )
            )
        rules.append(ast.If(test=tests[index], body=then, orelse=[]))
    # Each total as `model.settle` has it: the kernel adds whole millionths (`units`),
    # exactly, and divides once, which is what settle's round(total * SCORE_UNITS) /
    # SCORE_UNITS gives for the same weights (a test holds the two equal).
    scores = ast.List(
        elts=[
            ast.BinOp(left=_name(f"_s{i}"), op=ast.Div(), right=ast.Constant(value=SCORE_UNITS))
            for i in range(len(biases))
        ],
        ctx=ast.Load(),
    )
    getter = ast.Attribute(value=_name(ANSWERS), attr="get", ctx=ast.Load())
    body: list[ast.stmt] = [
        _assign(names[q], ast.Call(func=getter, args=[ast.Constant(value=q)], keywords=[]))
        for q in names
        if q in transformer.used
    ]
    body += rules
    body.append(ast.Return(value=ast.Tuple(elts=[_name("f"), scores], ctx=ast.Load())))
    for k, scenario in enumerate(scenarios or ()):
        direct = _Reads({ANSWERS})  # a test still reading the mapping: no scenario code
        for i in scenario.rules if scenario is not None else ():
            direct.visit(tests[i])
        if scenario is not None and not direct.found:
            functions.append(_scenario_function(f"_x{k}", scenario, tests, names, transformer.used))
    module = locate(
        ast.Module(body=[_function("kernel", ANSWERS, body), *functions], type_ignores=[])
    )
    return compile(module, "<rulebook>", "exec")


def _scenario_function(
    name: str, spec: ScenarioSpec, tests: list[ast.expr], names: dict[str, str], used: set[str]
) -> ast.FunctionDef:
    """`def name(a, f)`: the rules of `spec` tested on the answers `a` with the scenario's
    answers and step in place, as bits of the rules that flip from `f` (see
    `compile_kernel`)."""
    wanted = _Reads(set(names.values()))
    for i in spec.rules:
        wanted.visit(tests[i])
    fixed = dict(spec.answers)
    getter = ast.Attribute(value=_name(ANSWERS), attr="get", ctx=ast.Load())
    body: list[ast.stmt] = []
    for question in names:
        local = names[question]
        if question not in used or local not in wanted.found:
            continue
        if question in fixed:
            body.append(_assign(local, ast.Constant(value=fixed[question])))
            continue
        read = ast.Call(func=getter, args=[ast.Constant(value=question)], keywords=[])
        body.append(_assign(local, read))
        if spec.step is not None and spec.step[0] == question:
            stepped: ast.expr = _name(local)
            for old, new in reversed(spec.step[1]):
                stepped = ast.IfExp(
                    test=_compare(_name(local), ast.Eq(), ast.Constant(value=old)),
                    body=ast.Constant(value=new),
                    orelse=stepped,
                )
            body.append(_assign(local, stepped))
    body.append(_assign("m", ast.Constant(value=0)))
    for i in spec.rules:
        was = ast.Subscript(value=_name("f"), slice=ast.Constant(value=i), ctx=ast.Load())
        up = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=was), body=[_flip(2 * i + 1)], orelse=[])
        down = ast.If(test=was, body=[_flip(2 * i)], orelse=[])
        body.append(ast.If(test=tests[i], body=[up], orelse=[down]))
    body.append(ast.Return(value=_name("m")))
    function = _function(name, ANSWERS, body)
    function.args.args.append(ast.arg(arg="f"))
    return function


def _flip(bit: int) -> ast.stmt:
    """`m |= 1 << bit`."""
    return ast.AugAssign(
        target=_name("m", store=True), op=ast.BitOr(), value=ast.Constant(1 << bit)
    )


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
