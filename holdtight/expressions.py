"""The condition language: parse with `ast`, check against an allow-list and the
questionnaire, compile once into a function of the answers.

A condition reads answers by question id. The engine passes only *effective* answers:
unanswered, "not sure" and hidden questions are absent, so a comparison that reads one is
false, and `answered(q)` is `q in answers`. The generated function is built from our own
AST nodes after every node of the source was checked; no source text is ever evaluated,
and the function runs without builtins.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from holdtight.errors import did_you_mean
from holdtight.limits import MAX_NUMBER
from holdtight.pyast import ANSWERS, answers_argument, constant, locate

MAX_LENGTH = 2000
MAX_DEPTH = 40

NUMERIC_KINDS = frozenset({"number", "scale"})


class NameInfo(NamedTuple):
    """What the checker needs to know about a question."""

    kind: str
    options: frozenset[str] = frozenset()


class ExpressionError(Exception):
    """A condition that does not parse or does not check; `column` is 1-based."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}" if self.column else self.message


class Condition(NamedTuple):
    text: str
    function: Callable[[Mapping[str, Any]], bool]
    reads: tuple[str, ...]
    numeric_literals: Mapping[str, frozenset[float]] = MappingProxyType({})
    tree: ast.expr | None = None

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return self.function(answers)


_COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_ORDER = frozenset({"<", "<=", ">", ">="})
_BOOL_NAMES = {"true": True, "false": False, "True": True, "False": False}


def _col(node: ast.AST) -> int:
    return int(getattr(node, "col_offset", 0)) + 1


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripts",
        ast.Call: "function calls",
        ast.Lambda: "lambdas",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.JoinedStr: "f-strings",
        ast.NamedExpr: "assignment (:=)",
        ast.BinOp: "arithmetic",
        ast.IfExp: "if-expressions",
        ast.Dict: "dictionaries",
        ast.Set: "sets",
        ast.Starred: "unpacking",
        ast.Await: "await",
        ast.Yield: "yield",
    }
    return names.get(type(node), type(node).__name__)


# An operand after checking: a question, a literal scalar, or a literal list.
class _Question(NamedTuple):
    id: str
    info: NameInfo
    node: ast.AST


class _Scalar(NamedTuple):
    value: str | int | float
    node: ast.AST


class _List(NamedTuple):
    items: tuple[str | int | float, ...]
    node: ast.AST


_Operand = _Question | _Scalar | _List


class _Compiler:
    def __init__(self, names: Mapping[str, NameInfo]) -> None:
        self.names = names
        self.reads: list[str] = []
        self.numeric: dict[str, set[float]] = {}
        self.temp = 0

    # -- entry -----------------------------------------------------------------------
    def boolean(self, node: ast.AST, depth: int = 0) -> ast.expr:
        if depth > MAX_DEPTH:
            raise ExpressionError("condition is nested too deeply", _col(node))
        if isinstance(node, ast.BoolOp):
            values = [self.boolean(value, depth + 1) for value in node.values]
            return ast.BoolOp(op=node.op, values=values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ast.UnaryOp(op=ast.Not(), operand=self.boolean(node.operand, depth + 1))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.answered(node)
        if isinstance(node, ast.Name) and node.id in _BOOL_NAMES and node.id not in self.names:
            return ast.Constant(value=_BOOL_NAMES[node.id])
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return ast.Constant(value=node.value)
        if isinstance(node, ast.Name):
            self.question(node)  # unknown names are reported first
            raise ExpressionError(
                f"'{node.id}' alone is not a condition: compare it (e.g. {node.id} == ...) "
                f"or test answered({node.id})",
                _col(node),
            )
        raise ExpressionError(f"not allowed in a condition: {_describe(node)}", _col(node))

    # -- pieces ----------------------------------------------------------------------
    def question(self, node: ast.Name) -> _Question:
        info = self.names.get(node.id)
        if info is None:
            hint = did_you_mean(node.id, self.names)
            raise ExpressionError(f"unknown question '{node.id}'{hint}", _col(node))
        if node.id not in self.reads:
            self.reads.append(node.id)
        return _Question(node.id, info, node)

    def answered(self, node: ast.Call) -> ast.expr:
        func = node.func
        if not (isinstance(func, ast.Name) and func.id == "answered"):
            raise ExpressionError("the only function is answered(question)", _col(node))
        if node.keywords or len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
            raise ExpressionError("answered() takes one question id", _col(node))
        question = self.question(node.args[0])
        return ast.Compare(
            left=ast.Constant(value=question.id),
            ops=[ast.In()],
            comparators=[ast.Name(id=ANSWERS, ctx=ast.Load())],
        )

    def operand(self, node: ast.AST) -> _Operand:
        if isinstance(node, ast.Name):
            if node.id in _BOOL_NAMES and node.id not in self.names:
                raise ExpressionError("booleans cannot be compared", _col(node))
            return self.question(node)
        if isinstance(node, ast.Constant):
            return _Scalar(self.literal(node), node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = self.literal(node.operand)
            if isinstance(value, str):
                raise ExpressionError("a sign before a string", _col(node))
            return _Scalar(-value if isinstance(node.op, ast.USub) else value, node)
        if isinstance(node, ast.List | ast.Tuple):
            if len(node.elts) > 200:
                raise ExpressionError("list is too long", _col(node))
            return _List(tuple(self.literal(item) for item in node.elts), node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "answered"
        ):
            raise ExpressionError("answered() is a condition; it cannot be compared", _col(node))
        raise ExpressionError(f"not allowed in a condition: {_describe(node)}", _col(node))

    def literal(self, node: ast.AST) -> str | int | float:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or value is None:
                raise ExpressionError(f"{value!r} cannot be compared", _col(node))
            if isinstance(value, int | float) and not abs(value) <= MAX_NUMBER:
                raise ExpressionError("number is too large (or not finite)", _col(node))
            if isinstance(value, str | int | float):
                return value
            raise ExpressionError(f"literal {type(value).__name__} is not allowed", _col(node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.literal(node.operand)
            if isinstance(inner, str):
                raise ExpressionError("a sign before a string", _col(node))
            return -inner
        raise ExpressionError(f"lists may hold only literals, not {_describe(node)}", _col(node))

    def compare(self, node: ast.Compare) -> ast.expr:
        left = self.operand(node.left)
        parts: list[ast.expr] = []
        for op_node, right_node in zip(node.ops, node.comparators, strict=True):
            op = _COMPARE_OPS.get(type(op_node))
            if op is None:
                raise ExpressionError(
                    f"operator {type(op_node).__name__} is not allowed", _col(right_node)
                )
            right = self.operand(right_node)
            parts.append(self.pair(left, op, right, node))
            left = right
        return parts[0] if len(parts) == 1 else ast.BoolOp(op=ast.And(), values=parts)

    # -- one comparison, checked and translated ------------------------------------------
    def pair(self, left: _Operand, op: str, right: _Operand, node: ast.AST) -> ast.expr:
        if isinstance(left, _Question) and isinstance(right, _Question):
            return self.question_pair(left, op, right)
        if not isinstance(left, _Question) and not isinstance(right, _Question):
            raise ExpressionError("this comparison reads no answer", _col(node))
        if op in ("in", "not in"):
            return self.membership(left, op, right)
        # Put the question on the left, flipping order operators.
        if isinstance(right, _Question):
            flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
            left, right, op = right, left, flip.get(op, op)
        assert isinstance(left, _Question)
        kind = left.info.kind
        if op in _ORDER:
            if kind not in NUMERIC_KINDS:
                raise ExpressionError(
                    f"'{op}' needs a number or scale question; '{left.id}' is {kind}",
                    _col(left.node),
                )
            if not isinstance(right, _Scalar) or isinstance(right.value, str):
                raise ExpressionError(f"'{left.id}' {op} needs a number", _col(right.node))
            self.numeric.setdefault(left.id, set()).add(float(right.value))
            return self.guarded(left.id, op, ast.Constant(value=right.value))
        # == and !=
        if kind == "multi":
            if not isinstance(right, _List):
                raise ExpressionError(
                    f"'{left.id}' is a multiple choice: compare it with a list, "
                    f"or test 'option' in {left.id}",
                    _col(right.node),
                )
            for item in right.items:
                self.check_option(left, item, right.node)
            value = constant(frozenset(right.items))
            return self.guarded(left.id, op, value, wrap_frozenset=True)
        if not isinstance(right, _Scalar):
            raise ExpressionError(f"'{left.id}' {op} needs a single value", _col(right.node))
        self.check_scalar(left, right.value, right.node)
        if op == "==":
            return self.lookup_compare(left.id, ast.Eq(), ast.Constant(value=right.value))
        return self.guarded(left.id, op, ast.Constant(value=right.value))

    def membership(self, left: _Operand, op: str, right: _Operand) -> ast.expr:
        if isinstance(right, _Question):
            if right.info.kind != "multi":
                raise ExpressionError(
                    f"'in {right.id}' needs a multiple-choice question; it is {right.info.kind}",
                    _col(right.node),
                )
            if not isinstance(left, _Scalar) or not isinstance(left.value, str):
                raise ExpressionError("test one option id: 'option' in question", _col(left.node))
            self.check_option(right, left.value, left.node)
            if op == "in":
                # 'x' in a.get(q, ())
                return ast.Compare(
                    left=ast.Constant(value=left.value),
                    ops=[ast.In()],
                    comparators=[self.get(right.id, default=constant(()))],
                )
            return self.guarded(right.id, "has not", ast.Constant(value=left.value))
        assert isinstance(left, _Question)
        if not isinstance(right, _List):
            raise ExpressionError(f"'{left.id} {op}' needs a list", _col(right.node))
        if left.info.kind == "multi":
            raise ExpressionError(
                f"'{left.id}' is a multiple choice: test 'option' in {left.id}", _col(left.node)
            )
        for item in right.items:
            self.check_scalar(left, item, right.node)
        if left.info.kind in NUMERIC_KINDS:
            for item in right.items:
                self.numeric.setdefault(left.id, set()).add(float(item))
        values = constant(frozenset(right.items))
        if op == "in":
            return self.lookup_compare(left.id, ast.In(), values)
        return self.guarded(left.id, "not in", values)

    def question_pair(self, left: _Question, op: str, right: _Question) -> ast.expr:
        if op in ("in", "not in"):
            raise ExpressionError("'in' between two questions is not supported", _col(left.node))
        numeric = left.info.kind in NUMERIC_KINDS and right.info.kind in NUMERIC_KINDS
        same_choice = left.info.kind == right.info.kind == "single"
        if not numeric and not (same_choice and op in ("==", "!=")):
            raise ExpressionError(
                f"cannot compare '{left.id}' ({left.info.kind}) with "
                f"'{right.id}' ({right.info.kind}) using '{op}'",
                _col(left.node),
            )
        a_name, b_name = self.fresh(), self.fresh()
        return ast.BoolOp(
            op=ast.And(),
            values=[
                self.bind(a_name, left.id),
                self.bind(b_name, right.id),
                ast.Compare(
                    left=ast.Name(id=a_name, ctx=ast.Load()),
                    ops=[self.op_node(op)],
                    comparators=[ast.Name(id=b_name, ctx=ast.Load())],
                ),
            ],
        )

    def check_option(self, question: _Question, value: object, node: ast.AST) -> None:
        if not isinstance(value, str):
            raise ExpressionError(f"'{question.id}' options are strings", _col(node))
        if value not in question.info.options:
            hint = did_you_mean(value, question.info.options)
            raise ExpressionError(
                f"'{value}' is not an option of '{question.id}'{hint}", _col(node)
            )

    def check_scalar(self, question: _Question, value: object, node: ast.AST) -> None:
        kind = question.info.kind
        if kind == "single":
            self.check_option(question, value, node)
        elif kind in NUMERIC_KINDS:
            if isinstance(value, str):
                raise ExpressionError(
                    f"'{question.id}' is a {kind} question: compare it with a number", _col(node)
                )
        elif kind == "text" and not isinstance(value, str):
            raise ExpressionError(f"'{question.id}' is text: compare it with a string", _col(node))

    # -- code generation ---------------------------------------------------------------
    def fresh(self) -> str:
        self.temp += 1
        return f"_v{self.temp}"

    def get(self, question_id: str, default: ast.expr | None = None) -> ast.expr:
        args: list[ast.expr] = [ast.Constant(value=question_id)]
        if default is not None:
            args.append(default)
        return ast.Call(
            func=ast.Attribute(
                value=ast.Name(id=ANSWERS, ctx=ast.Load()), attr="get", ctx=ast.Load()
            ),
            args=args,
            keywords=[],
        )

    def bind(self, name: str, question_id: str) -> ast.expr:
        walrus = ast.NamedExpr(
            target=ast.Name(id=name, ctx=ast.Store()), value=self.get(question_id)
        )
        return ast.Compare(left=walrus, ops=[ast.IsNot()], comparators=[ast.Constant(value=None)])

    def lookup_compare(self, question_id: str, op: ast.cmpop, value: ast.expr) -> ast.expr:
        # Absent answers are None, which never equals nor belongs to a literal.
        return ast.Compare(left=self.get(question_id), ops=[op], comparators=[value])

    @staticmethod
    def op_node(op: str) -> ast.cmpop:
        nodes: dict[str, ast.cmpop] = {
            "==": ast.Eq(),
            "!=": ast.NotEq(),
            "<": ast.Lt(),
            "<=": ast.LtE(),
            ">": ast.Gt(),
            ">=": ast.GtE(),
            "in": ast.In(),
            "not in": ast.NotIn(),
        }
        return nodes[op]

    def guarded(
        self, question_id: str, op: str, value: ast.expr, wrap_frozenset: bool = False
    ) -> ast.expr:
        """`(v := a.get(q)) is not None and v OP value`: false when unanswered."""
        name = self.fresh()
        bound: ast.expr = ast.Name(id=name, ctx=ast.Load())
        if wrap_frozenset:
            bound = ast.Call(
                func=ast.Name(id="_frozenset", ctx=ast.Load()), args=[bound], keywords=[]
            )
        if op == "has not":
            test: ast.expr = ast.Compare(left=value, ops=[ast.NotIn()], comparators=[bound])
        else:
            test = ast.Compare(left=bound, ops=[self.op_node(op)], comparators=[value])
        return ast.BoolOp(op=ast.And(), values=[self.bind(name, question_id), test])


def parse(text: str) -> ast.expr:
    if not isinstance(text, str):
        raise ExpressionError("a condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"condition is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError("condition is empty")
    if "\n" in text or "\r" in text:
        raise ExpressionError("a condition is one line")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        message = (error.msg or "invalid syntax").split("\n")[0]
        raise ExpressionError(f"syntax error: {message}", error.offset or len(text)) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ExpressionError(f"cannot parse: {type(error).__name__}") from None
    return tree.body


def compile_condition(text: str, names: Mapping[str, NameInfo], *, lazy: bool = False) -> Condition:
    """Check `text` against `names` (question id → kind and options) and compile it.

    With `lazy`, the check happens now and the compiling on first use: a batch run that
    scores through the rulebook's kernel never needs the single condition."""
    body = parse(text)
    compiler = _Compiler(names)
    try:
        translated = compiler.boolean(body)
    except RecursionError:
        raise ExpressionError("condition is nested too deeply") from None
    numeric = {key: frozenset(values) for key, values in compiler.numeric.items()}
    function = _lazy_function(text, names) if lazy else _function_of(translated)
    return Condition(text, function, tuple(compiler.reads), numeric, translated)


def _function_of(translated: ast.expr) -> Callable[[Mapping[str, Any]], bool]:
    tree = locate(ast.Expression(body=ast.Lambda(args=answers_argument(), body=translated)))
    code = compile(tree, "<condition>", "eval")
    # Globals hold no builtins: the generated code calls only a.get and frozenset.
    function: Callable[[Mapping[str, Any]], bool] = eval(
        code, {"__builtins__": {}, "_frozenset": frozenset}
    )
    return function


def _lazy_function(text: str, names: Mapping[str, NameInfo]) -> Callable[[Mapping[str, Any]], bool]:
    compiled: list[Callable[[Mapping[str, Any]], bool]] = []

    def condition(answers: Mapping[str, Any]) -> bool:
        if not compiled:
            # Checked when loaded; translated again here because the kernel consumed
            # the first translation.
            compiled.append(_function_of(_Compiler(names).boolean(parse(text))))
        return compiled[0](answers)

    return condition
