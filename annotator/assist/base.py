"""What suggestion engines read and what they propose: plain data, no Qt, no database.

An engine reads one document (`DocumentContext`) and returns `Proposal`s. The engines run in
order (actors, dates, claims) and each later engine sees the earlier ones' proposals beside the
document's annotations, so a claim can name a proposed actor as its SOURCE. A relation points at
its target by `SpanKey` (start, end, label): the service resolves it to the annotation with those
offsets when there is one, else to the proposal.

Offsets are those of the stored text: code points, 0-based, end exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Engine names, as stored with each suggestion and on the spans accepted from them.
from annotator.domain.origins import ACTORS as ACTORS
from annotator.domain.origins import CLAIMS as CLAIMS
from annotator.domain.origins import DATES as DATES
from annotator.domain.origins import ENGINES as ENGINES

SpanKey = tuple[int, int, str]
"""A span by its offsets and label name: (start, end, label)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span already in the document (an annotation), or proposed by an earlier engine."""

    start: int
    end: int
    label: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    actor_key: str | None = None  # the registry actor an ACTOR span refers to, when known
    proposed: bool = False  # a proposal of an earlier engine, not an annotation

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class ProposedRelation:
    """A link from the proposal that carries it to the span at `target`."""

    type: str  # SOURCE, TIME, REPORTED_IN...
    target: SpanKey


@dataclass(frozen=True, slots=True)
class Proposal:
    """A span an engine proposes, with its attribute values and its links.

    `score` is the engine's confidence in 0..1; `rule` names what proposed it, for the panel and
    for the quality view ("propagation", "speaker", "said-that"...).
    """

    start: int
    end: int
    label: str
    engine: str
    score: float
    rule: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    actor_key: str | None = None
    relations: tuple[ProposedRelation, ...] = ()

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)

    def as_mention(self) -> Mention:
        return Mention(
            self.start, self.end, self.label, self.attributes, self.actor_key, proposed=True
        )


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """One document as the engines see it."""

    text: str
    published: str | None = None  # ISO 8601 date or date-time, as precise as known
    language: str | None = None
    title: str | None = None
    annotations: Sequence[Mention] = ()  # the spans already stored, any annotator
    rejected: frozenset[SpanKey] = frozenset()  # proposals the annotator turned down here

    def mentions(self, label: str) -> list[Mention]:
        return [m for m in self.annotations if m.label == label]
