"""The default annotation schema created on first start: labels, their attributes, relations."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.attributes import AttributeDef, AttributeKind
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
