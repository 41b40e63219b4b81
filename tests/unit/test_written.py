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
