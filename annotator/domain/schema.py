"""The default annotation schema created on first start."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.model import HighlightStyle


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A label before it has a database identity."""

    name: str
    colour: str
    hotkey: str | None
    style: HighlightStyle
    description: str


# Colours from the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
# Actors and dates are drawn as backgrounds, claims as underlines, so a claim that contains an
# actor and a date shows all three at once.
DEFAULT_LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        "ACTOR",
        "#56B4E9",
        "1",
        HighlightStyle.BACKGROUND,
        "A person, organisation, state, outlet or unnamed group.",
    ),
    LabelSpec(
        "DATE",
        "#E69F00",
        "2",
        HighlightStyle.BACKGROUND,
        "A time expression.",
    ),
    LabelSpec(
        "CLAIM",
        "#CC79A7",
        "3",
        HighlightStyle.UNDERLINE,
        "A statement, to be linked to who made it and when.",
    ),
)
