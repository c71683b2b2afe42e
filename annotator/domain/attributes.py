"""Attributes that the schema defines per label, and the checks of their values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from annotator.domain.errors import InvalidAttributeError


class AttributeKind(StrEnum):
    CHOICE = "choice"  # one of `options`
    TEXT = "text"  # free text on one line
    BOOLEAN = "boolean"  # yes/no
    DATE = "date"  # a TIMEX3-style ISO 8601 value, checked by annotator.assist.dates


@dataclass(frozen=True, slots=True)
class AttributeDef:
    name: str
    kind: AttributeKind
    options: tuple[str, ...] = ()
    description: str = ""

    def check(self, value: Any) -> Any:
        """The value to store, or InvalidAttributeError saying why it cannot be stored.

        None (and an empty text) means "not set". DATE values are only checked to be text
        here; their syntax is checked by the service that knows the date grammar.
        """
        if value is None or value == "":
            return None
        if self.kind is AttributeKind.BOOLEAN:
            if not isinstance(value, bool):
                raise InvalidAttributeError(f"{self.name} is yes or no, not {value!r}")
            return value
        if not isinstance(value, str):
            raise InvalidAttributeError(f"{self.name} is text, not {value!r}")
        value = value.strip()
        if "\n" in value:
            raise InvalidAttributeError(f"{self.name} is one line of text")
        if self.kind is AttributeKind.CHOICE and value not in self.options:
            choices = ", ".join(self.options)
            raise InvalidAttributeError(f"{self.name} is one of {choices}, not {value!r}")
        return value

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind.value}
        if self.options:
            data["options"] = list(self.options)
        if self.description:
            data["description"] = self.description
        return data

    @classmethod
    def from_dict(cls, data: Any) -> AttributeDef:
        """Read a definition written by `to_dict` (from the database or a schema file)."""
        if not isinstance(data, dict):
            raise InvalidAttributeError("an attribute definition must be an object")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidAttributeError("an attribute definition needs a name")
        try:
            kind = AttributeKind(str(data.get("kind")))
        except ValueError:
            known = ", ".join(k.value for k in AttributeKind)
            raise InvalidAttributeError(
                f"attribute {name!r}: kind must be one of {known}, not {data.get('kind')!r}"
            ) from None
        options = data.get("options") or []
        if not isinstance(options, list) or not all(isinstance(o, str) and o for o in options):
            raise InvalidAttributeError(f"attribute {name!r}: options must be a list of names")
        if kind is AttributeKind.CHOICE and not options:
            raise InvalidAttributeError(f"attribute {name!r}: a choice needs options")
        description = data.get("description") or ""
        if not isinstance(description, str):
            raise InvalidAttributeError(f"attribute {name!r}: description must be text")
        return cls(name.strip(), kind, tuple(options), description)


def check_attributes(defs: tuple[AttributeDef, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The values to store for a span whose label defines `defs`; unset values are dropped.

    Values of attributes the label does not define are kept as they are: imported files and
    renamed definitions must not lose data.
    """
    by_name = {d.name: d for d in defs}
    checked: dict[str, Any] = {}
    for name, value in values.items():
        definition = by_name.get(name)
        kept = definition.check(value) if definition is not None else value
        if kept is not None:
            checked[name] = kept
    return checked
