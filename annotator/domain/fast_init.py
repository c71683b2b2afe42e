"""A faster `__init__` for the frozen dataclasses that an import makes once per span.

A frozen dataclass's generated `__init__` sets each field with `object.__setattr__` (the class's
own `__setattr__` refuses): about 0.2 us a field, 3 us for the 14 fields of an `ImportedSpan`,
and an import of 20,000 spans makes one of those and one `NewSpan` per span. `fast_init` gives a
frozen dataclass with slots an `__init__` that sets each slot through its descriptor, as
`object.__setattr__` does in the end, without looking it up by name each time. The signature,
defaults and default factories are the dataclass's own; the instances are the same (equal,
hashed, printed and replaced alike) and still frozen.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


class _Factory:
    """The default of an argument whose field has a default factory (shown as dataclasses
    show it)."""

    def __repr__(self) -> str:
        return "<factory>"


_NO_VALUE = _Factory()


def fast_init(cls: type[T]) -> type[T]:
    """Give `cls` (a frozen dataclass with slots, all fields set by `__init__`, no
    `__post_init__`) the faster `__init__`; returns `cls`."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__")
    namespace: dict[str, Any] = {"_NO_VALUE": _NO_VALUE}
    arguments = []
    lines = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = field.name
        if not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{name} is not an ordinary __init__ argument")
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        value = name
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = field.default
            arguments.append(f"{name}=_default_{name}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = field.default_factory
            arguments.append(f"{name}=_NO_VALUE")
            value = f"_factory_{name}() if {name} is _NO_VALUE else {name}"
        else:
            arguments.append(name)
        lines.append(f"    _set_{name}(self, {value})\n")
    source = f"def __init__(self, {', '.join(arguments)}):\n" + "".join(lines or ["    pass\n"])
    exec(source, namespace)  # the source is made of the dataclass's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
