"""The default annotation schema created on first start: labels, their attributes, relations."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.errors import AnnotatorError, SchemaError
from annotator.domain.model import HighlightStyle

ACTOR = "ACTOR"
DATE = "DATE"
CLAIM = "CLAIM"
SOURCE = "SOURCE"
TIME = "TIME"
REPORTED_IN = "REPORTED_IN"

# The attribute of DATE spans holding the normalised value, and of ACTOR spans holding the kind.
DATE_VALUE = "value"
ACTOR_KIND = "kind"

ACTOR_KINDS = ("person", "organization", "state", "media", "group")


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A label before it has a database identity."""

    name: str
    colour: str
    hotkey: str | None
    style: HighlightStyle
    description: str
    attributes: tuple[AttributeDef, ...] = ()


@dataclass(frozen=True, slots=True)
class RelationTypeSpec:
    """A relation type before it has a database identity; labels by name, None for any."""

    name: str
    source_label: str | None
    target_label: str | None
    colour: str
    description: str = ""


# Colours from the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
# Actors and dates are drawn as backgrounds, claims as underlines, so a claim that contains an
# actor and a date shows all three at once.
DEFAULT_LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        ACTOR,
        "#56B4E9",
        "1",
        HighlightStyle.BACKGROUND,
        "A person, organisation, state, outlet or unnamed group.",
        (
            AttributeDef(
                ACTOR_KIND, AttributeKind.CHOICE, ACTOR_KINDS, "What sort of actor this is."
            ),
        ),
    ),
    LabelSpec(
        DATE,
        "#E69F00",
        "2",
        HighlightStyle.BACKGROUND,
        "A time expression.",
        (
            AttributeDef(
                DATE_VALUE,
                AttributeKind.DATE,
                (),
                "ISO 8601 / TIMEX3 value: 2024-02-18, 2023-09, 2023, 2024-W07, 199 (the "
                "1990s), 2025-SU (summer), 2025-Q1, 2026-H1, 2025-03-04TEV (evening), "
                "2025-04-11/2025-04-20 (a range), XXXX-02-18 (year unknown).",
            ),
        ),
    ),
    LabelSpec(
        CLAIM,
        "#CC79A7",
        "3",
        HighlightStyle.UNDERLINE,
        "A statement, to be linked to who made it and when.",
        (
            AttributeDef(
                "quote_type",
                AttributeKind.CHOICE,
                ("direct", "indirect", "paraphrase", "unattributed"),
                "How the article renders the statement.",
            ),
            AttributeDef("reporting_verb", AttributeKind.TEXT, (), "said, claimed, denied..."),
            AttributeDef(
                "stance",
                AttributeKind.CHOICE,
                ("positive", "neutral", "negative"),
                "The source's stance towards what the claim is about.",
            ),
            AttributeDef("hedged", AttributeKind.BOOLEAN, (), "Qualified: may, reportedly..."),
            AttributeDef("check_worthy", AttributeKind.BOOLEAN, (), "Worth fact-checking."),
        ),
    ),
)

DEFAULT_RELATION_TYPES: tuple[RelationTypeSpec, ...] = (
    RelationTypeSpec(SOURCE, CLAIM, ACTOR, "#0072B2", "The actor who makes the claim."),
    RelationTypeSpec(TIME, CLAIM, DATE, "#D55E00", "The date the claim refers to."),
    RelationTypeSpec(
        REPORTED_IN,
        CLAIM,
        CLAIM,
        "#009E73",
        'The claim that reports this one: "KCNA reported that Kim Yo Jong said ..."',
    ),
)


# Checking a schema before it is stored -------------------------------------------------------

COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check_label(spec: LabelSpec) -> LabelSpec:
    """The label as the database will store it (name trimmed, colour in capitals), or
    SchemaError saying what is wrong with it, naming the label."""
    name = spec.name.strip()
    if not name:
        raise SchemaError("a label needs a name")
    if not COLOUR.match(spec.colour):
        raise SchemaError(f"{name}: colour must be #RRGGBB, not {spec.colour!r}")
    hotkey = (spec.hotkey or "").strip() or None
    if hotkey is not None and len(hotkey) != 1:
        raise SchemaError(f"{name}: a hotkey is one key, not {hotkey!r}")
    attributes = tuple(_check_attribute(name, a) for a in spec.attributes)
    names = [a.name for a in attributes]
    for seen, attribute in enumerate(names):
        if attribute in names[:seen]:
            raise SchemaError(f"{name}: two attributes have the same name, {attribute}")
    return LabelSpec(
        name, spec.colour.upper(), hotkey, spec.style, spec.description.strip(), attributes
    )


def _check_attribute(label: str, definition: AttributeDef) -> AttributeDef:
    """The definition as the database will read it back (a choice without options, or a
    nameless attribute, would make the label unreadable)."""
    name = definition.name.strip()
    if not name:
        raise SchemaError(f"{label}: an attribute needs a name")
    options = tuple(dict.fromkeys(o.strip() for o in definition.options if o.strip()))
    if definition.kind is AttributeKind.CHOICE and not options:
        raise SchemaError(f"{label}: the choice {name} needs options, separated by commas")
    cleaned = AttributeDef(name, definition.kind, options, definition.description.strip())
    try:
        return AttributeDef.from_dict(cleaned.to_dict())
    except AnnotatorError as exc:
        raise SchemaError(f"{label}: {exc}") from None


def relation_type_name(name: str) -> str:
    """Relation type names are stored in capitals, words joined by "_"."""
    return name.strip().upper().replace(" ", "_")


def check_relation_type(spec: RelationTypeSpec) -> RelationTypeSpec:
    name = relation_type_name(spec.name)
    if not name:
        raise SchemaError("a relation type needs a name")
    if not COLOUR.match(spec.colour):
        raise SchemaError(f"{name}: colour must be #RRGGBB, not {spec.colour!r}")
    return RelationTypeSpec(
        name, spec.source_label, spec.target_label, spec.colour.upper(), spec.description.strip()
    )


def check_schema(
    labels: Sequence[LabelSpec],
    relation_types: Sequence[RelationTypeSpec],
    *,
    reserved_keys: Mapping[str, str] | None = None,
) -> tuple[tuple[LabelSpec, ...], tuple[RelationTypeSpec, ...]]:
    """A whole edited schema as it will be stored, or SchemaError for its first mistake:
    a label or relation type that cannot be stored, two labels with one name or one hotkey
    (case does not count), a hotkey in `reserved_keys` (key -> what the key does already), two
    relation types with one name, or a relation type between labels not in `labels`."""
    reserved = {k.casefold(): v for k, v in (reserved_keys or {}).items()}
    checked = tuple(check_label(spec) for spec in labels)
    names: dict[str, str] = {}
    hotkeys: dict[str, str] = {}
    for label in checked:
        if label.name.casefold() in names:
            raise SchemaError(f"two labels are named {label.name}")
        names[label.name.casefold()] = label.name
        if label.hotkey is None:
            continue
        key = label.hotkey.casefold()
        if key in hotkeys:
            raise SchemaError(
                f"{hotkeys[key]} and {label.name} have the same hotkey {label.hotkey}"
            )
        if key in reserved:
            raise SchemaError(f"{label.name}: the key {label.hotkey} is taken by “{reserved[key]}”")
        hotkeys[key] = label.name
    types = tuple(check_relation_type(spec) for spec in relation_types)
    seen: set[str] = set()
    for relation in types:
        if relation.name in seen:
            raise SchemaError(f"two relation types are named {relation.name}")
        seen.add(relation.name)
        for end in (relation.source_label, relation.target_label):
            if end is not None and end not in names.values():
                raise SchemaError(f"relation type {relation.name}: no label {end}")
    return checked, types
