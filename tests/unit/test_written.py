"""The rulebook's written classes keep what `dataclass(frozen=True)` gives, though their
equality, hash and repr are written once (`holdtight.written._Record`) for start-up."""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdtight import written
from holdtight.written import Option, Posture, ScaleSetting


@dataclasses.dataclass(frozen=True)
class _Twin:  # what dataclass itself writes, for Option's fields
    id: str
    label: str
    help: str = ""


WORDS = st.sampled_from(["", "a", "b", "'", "é"])


@given(WORDS, WORDS, WORDS, WORDS, WORDS, WORDS)
def test_equality_hash_and_repr_are_dataclasses(
    a: str, b: str, c: str, x: str, y: str, z: str
) -> None:
    ours, theirs = Option(a, b, c), Option(x, y, z)
    twin, twin2 = _Twin(a, b, c), _Twin(x, y, z)
    assert (ours == theirs) == (twin == twin2)
    assert (ours != theirs) == (twin != twin2)
    assert hash(ours) == hash(twin) and hash(theirs) == hash(twin2)
    assert repr(ours) == repr(twin).replace("_Twin(", "Option(")
    assert ours != twin and twin != ours  # another class is never equal


def test_frozen_with_defaults_and_fields() -> None:
    setting = ScaleSetting(id="tight", label="Hold tight")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setting.label = "x"  # type: ignore[misc]
    assert Posture().labels == {} and Posture().labels is not Posture().labels
    assert [f.name for f in dataclasses.fields(ScaleSetting)] == ["id", "label", "description"]
    assert dataclasses.replace(setting, label="x") == ScaleSetting("tight", "x")
    assert repr(Posture()) == "Posture(band=0.2, labels={}, survey=None)"


def test_every_written_class_is_a_frozen_dataclass() -> None:
    classes: list[Any] = [
        value
        for value in vars(written).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    ]
    assert len(classes) == 16
    for cls in classes:
        assert cls.__dataclass_params__.frozen
        assert issubclass(cls, written._Record)


def _written_classes() -> list[type[Any]]:
    return [
        value
        for value in vars(written).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    ]


@pytest.mark.parametrize("cls", _written_classes(), ids=lambda cls: cls.__name__)
def test_rebuild_plan_read_from_annotation_strings_is_get_type_hints_plan(cls: type[Any]) -> None:
    # The cache rebuilds each class by a plan read from its fields' annotation strings
    # (no typing.get_type_hints at start-up): it must be the plan the hints give.
    from holdtight import validation

    assert validation._plan(cls) == validation._hinted_plan(cls)


def test_annotation_strings_it_does_not_know_fall_back_to_get_type_hints() -> None:
    from holdtight import validation

    names = vars(written)
    assert validation._resolve("list[Option]", names) == list[Option]
    assert validation._resolve("dict[str, dict[str, float]]", names) == dict[str, dict[str, float]]
    assert validation._resolve("Posture | None", names) == Posture | None
    assert validation._resolve("tuple[str, ...]", names) == tuple[str, ...]
    for unknown in ("Optional[Option]", "written.Option", "NoSuchName", "STRICT | None"):
        assert validation._resolve(unknown, names) is validation._UNKNOWN

    @dataclasses.dataclass
    class Odd:
        a: Optional[Option]  # noqa: UP045 - a shape only get_type_hints reads
        b: float = 0.0

    assert validation._plan(Odd) == (("a", ("optional", Option)), ("b", ("float", None)))


def _twin_of(cls: type[Any]) -> type[Any]:
    """The class as `dataclasses.dataclass(frozen=True, eq=False, repr=False)` itself
    makes it from the same annotations and defaults."""
    namespace: dict[str, Any] = {
        "__annotations__": dict(cls.__annotations__),
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
    }
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
        elif f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
    if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
        namespace["__doc__"] = cls.__doc__
    made = type(cls.__name__, (), namespace)
    return dataclasses.dataclass(frozen=True, eq=False, repr=False)(made)


@pytest.mark.parametrize("cls", _written_classes(), ids=lambda cls: cls.__name__)
def test_methods_written_at_once_are_what_dataclass_writes(cls: type[Any]) -> None:
    _check_like_dataclass(cls)


def _check_like_dataclass(cls: type[Any]) -> None:
    import inspect

    twin = _twin_of(cls)
    assert cls.__doc__ == twin.__doc__
    assert str(inspect.signature(cls)) == str(inspect.signature(twin))
    assert repr(cls.__dataclass_params__) == repr(twin.__dataclass_params__)
    assert cls.__match_args__ == twin.__match_args__
    for method in ("__init__", "__setattr__", "__delattr__"):
        ours, theirs = getattr(cls, method), getattr(twin, method)
        assert ours.__qualname__ == theirs.__qualname__
        assert ours.__annotations__ == theirs.__annotations__
        assert ours.__defaults__ == theirs.__defaults__
        assert ours.__code__.co_varnames == theirs.__code__.co_varnames
    assert [(f.name, f.type, f.default) for f in dataclasses.fields(cls)] == [
        (f.name, f.type, f.default) for f in dataclasses.fields(twin)
    ]
    required = {
        f.name: "x"
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    ours, theirs = cls(**required), twin(**required)
    assert vars(ours) == vars(theirs)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'id'"):
        ours.id = "y"
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field"):
        delattr(ours, next(iter(vars(ours))))
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'other'"):
        ours.other = 1
    if any(f.default_factory is not dataclasses.MISSING for f in dataclasses.fields(cls)):
        again = cls(**required)
        assert all(
            getattr(again, f.name) is not getattr(ours, f.name)
            for f in dataclasses.fields(cls)
            if f.default_factory is not dataclasses.MISSING
        )


def test_the_compiled_methods_module_is_up_to_date() -> None:
    # holdtight/_written_methods.py holds the methods' code compiled with the package;
    # after a change to a written class, run `python -m holdtight.written`.
    from pathlib import Path

    from holdtight import _written_methods

    assert Path(_written_methods.__file__).read_text() == written.methods_module()
    assert written._LAYOUT == _written_methods.LAYOUT


def test_classes_the_module_does_not_know_have_their_methods_compiled_at_import() -> None:
    @written.dataclass
    class Other(written._Record):
        id: str
        names: list[str] = written.field(default_factory=list)
        weight: float = 1.0

    @written.dataclass
    class Empty(written._Record):
        pass

    layout = written._layout()
    assert layout == (
        (
            "test_classes_the_module_does_not_know_have_their_methods_compiled_at_import.<locals>.Other",
            (("id", ""), ("names", "factory"), ("weight", "default")),
        ),
        (
            "test_classes_the_module_does_not_know_have_their_methods_compiled_at_import.<locals>.Empty",
            (),
        ),
    )
    written._write_methods(layout)
    assert not written._PENDING
    _check_like_dataclass(Other)
    assert (
        Other("a") == Other("a", [], 1.0)
        and repr(Empty())
        == "test_classes_the_module_does_not_know_have_their_methods_compiled_at_import.<locals>.Empty()"
    )
