"""Suggestions as the services hand them out: stored proposals, apart from the annotations.

A suggestion is never an annotation: it is not exported, not counted, and it changes no span.
Accepting one makes a span (with the engine and model version as its provenance) and the
relations its links propose; rejecting one remembers it so that it is not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.domain.library import StatusChange
from annotator.domain.model import Relation, Span


class SpanPlace(NamedTuple):
    """Where a span is and in whose layer: all that storing suggestions reads of a document's
    spans (a `Span` has these fields too)."""

    id: int
    label_id: int
    start: int
    end: int
    annotator_id: int


@dataclass(frozen=True, slots=True)
class SuggestionLink:
    """A proposed relation from a suggestion to an annotation or to another suggestion."""

    id: int
    type_id: int
    target_span_id: int | None = None
    target_suggestion_id: int | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    document_id: int
    start: int
    end: int
    label_id: int
    quote: str
    engine: str
    score: float
    attributes: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    model_version: str = ""
    rule: str = ""
    links: tuple[SuggestionLink, ...] = ()

    def __len__(self) -> int:
        return self.end - self.start

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.end


@dataclass(frozen=True, slots=True)
class Accepted:
    """What accepting made, and what it took away: enough to undo and redo it.

    `spans[i]` is what `suggestions[i]` became (a new span, or one that was already there).
    `suggestions` are the accepted ones (the one chosen and the suggested targets of its
    links). They stay stored: accepting is one annotator's decision, and the others still see
    them; each annotator's list leaves out what their own layer already has.
    """

    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    suggestions: tuple[Suggestion, ...]
    new_span_ids: tuple[int, ...] = ()  # the spans made now (others existed already)
    started: tuple[StatusChange, ...] = ()  # documents that were new and now are in progress


@dataclass(frozen=True, slots=True)
class Rejected:
    """A rejection, with the links of other suggestions to the rejected one that went with it
    (link id, from suggestion id, relation type id): enough to undo it."""

    suggestion: Suggestion
    rejection_id: int
    incoming: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class NewLink:
    """A link of a suggestion about to be stored: to a span, or to another new suggestion of
    the same batch by its index there."""

    type_id: int
    target_span_id: int | None = None
    target_index: int | None = None


@dataclass(frozen=True, slots=True)
class NewSuggestion:
    start: int
    end: int
    label_id: int
    engine: str
    score: float
    attributes: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    model_version: str = ""
    rule: str = ""
    links: tuple[NewLink, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A trained actor model as stored: its version, what it learned from, and its bytes."""

    version: str
    documents: int
    spans: int
    data: bytes
