"""`fast_init` changes how a frozen dataclass's instances are made, nothing about them."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from annotator.domain.fast_init import fast_init
from annotator.domain.interchange import ImportedSpan
from annotator.domain.model import NewSpan


@dataclass(frozen=True, slots=True)
class Plain:
    start: int
    label: str = "ACTOR"
    attributes: dict[str, Any] = field(default_factory=dict)


@fast_init
@dataclass(frozen=True, slots=True)
class Fast:
    start: int
    label: str = "ACTOR"
    attributes: dict[str, Any] = field(default_factory=dict)


def test_the_same_arguments_make_the_same_instances() -> None:
    assert str(inspect.signature(Fast)) == str(inspect.signature(Plain))
    for args, kwargs in [((3,), {}), ((3, "DATE"), {}), ((), {"start": 3, "attributes": {"a": 1}})]:
        fast, plain = Fast(*args, **kwargs), Plain(*args, **kwargs)
        assert dataclasses.astuple(fast) == dataclasses.astuple(plain)
        assert repr(fast).removeprefix("Fast") == repr(plain).removeprefix("Plain")
    with pytest.raises(TypeError):
        Fast()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast(1, "DATE", {}, 4)  # type: ignore[call-arg]


def test_instances_stay_frozen_and_each_gets_its_own_default() -> None:
    one, two = Fast(1), Fast(1)
    assert one == two
    assert one.attributes is not two.attributes
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.start = 2  # type: ignore[misc]
    assert dataclasses.replace(one, label="DATE") == Fast(1, "DATE")
    assert pickle.loads(pickle.dumps(one)) == one


def test_only_frozen_dataclasses_with_slots_are_taken() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        start: int

    with pytest.raises(TypeError):
        fast_init(NoSlots)


@pytest.mark.parametrize("cls", [ImportedSpan, NewSpan])
def test_the_span_types_keep_their_dataclass_signature(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    assert list(inspect.signature(cls).parameters) == names
