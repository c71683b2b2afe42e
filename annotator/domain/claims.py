"""Claims across the corpus: who claimed what, when, according to whom.

The store reads what the views need with a few set-based queries and hands it over as the
plain records below (`ClaimCorpus`); `annotator.analysis.claims` turns them into `ClaimRow`s,
one per CLAIM span, which the claims table, the exports and the command line all show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.domain.model import Actor

# The columns of the claims table in CSV, XLSX and JSON, in order.
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "document_id",
    "document_title",
    "outlet",
    "published",
    "actor",
    "actor_key",
    "claim",
    "start",
    "end",
    "date",
    "date_quote",
    "quote_type",
    "stance",
    "reporting_verb",
    "hedged",
    "check_worthy",
    "according_to",
    "targets",
)

JOIN = "; "  # between several actors or dates in one cell


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as a claim names it: a registry actor, or an unlinked mention by its text."""

    name: str  # the registry name, or the mention's quote when it is not linked
    actor_id: int | None = None
    key: str = ""  # the registry key; empty when unlinked


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One CLAIM span with who made it, when, and according to whom."""

    span_id: int
    document_id: int
    document_title: str
    outlet: str  # the document's source; "" when unknown
    published: str  # the document's publication date as stored; "" when unknown
    text: str  # the claim's quote
    start: int
    end: int
    sources: tuple[ActorRef, ...] = ()  # SOURCE: who makes the claim
    dates: tuple[str, ...] = ()  # TIME: the date values it refers to ("" for a DATE without one)
    date_quotes: tuple[str, ...] = ()  # TIME: the DATE spans' text
    quote_type: str = ""
    stance: str = ""
    reporting_verb: str = ""
    hedged: bool | None = None
    check_worthy: bool | None = None
    reported_in: tuple[int, ...] = ()  # REPORTED_IN: the claims that report this one
    according_to: tuple[ActorRef, ...] = ()  # the SOURCE actors of those claims
    targets: tuple[ActorRef, ...] = ()  # actors linked by other relation types (TARGET...)

    @property
    def actor(self) -> str:
        """Who makes the claim: names joined with "; ", or "" when nobody is linked."""
        return JOIN.join(ref.name for ref in self.sources)

    @property
    def actor_key(self) -> str:
        return JOIN.join(ref.key for ref in self.sources if ref.key)

    @property
    def actor_ids(self) -> tuple[int, ...]:
        return tuple(ref.actor_id for ref in self.sources if ref.actor_id is not None)

    @property
    def date(self) -> str:
        return JOIN.join(v for v in self.dates if v)

    @property
    def date_quote(self) -> str:
        return JOIN.join(self.date_quotes)

    def record(self) -> dict[str, Any]:
        """The row under `CLAIM_COLUMNS`, with JSON types (numbers, yes/no as booleans)."""
        return {
            "claim_id": self.span_id,
            "document_id": self.document_id,
            "document_title": self.document_title,
            "outlet": self.outlet,
            "published": self.published,
            "actor": self.actor,
            "actor_key": self.actor_key,
            "claim": self.text,
            "start": self.start,
            "end": self.end,
            "date": self.date,
            "date_quote": self.date_quote,
            "quote_type": self.quote_type,
            "stance": self.stance,
            "reporting_verb": self.reporting_verb,
            "hedged": self.hedged,
            "check_worthy": self.check_worthy,
            "according_to": JOIN.join(ref.name for ref in self.according_to),
            "targets": JOIN.join(ref.name for ref in self.targets),
        }


# What the store reads ----------------------------------------------------------------------


# The store reads these by the hundred thousand: named tuples, which are cheaper to make than
# frozen dataclasses.


class ClaimSpan(NamedTuple):
    span_id: int
    document_id: int
    start: int
    end: int
    quote: str
    attributes: dict[str, Any]


class ClaimLink(NamedTuple):
    """A relation from a claim to another span, with what the views need of that span."""

    claim_id: int
    type_name: str
    target_id: int
    target_label: str
    target_quote: str
    target_start: int
    target_actor_id: int | None = None
    target_value: str = ""  # a DATE span's value attribute


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    title: str
    source: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimCorpus:
    """The claims of (part of) the corpus and what they link to, as the store read them.

    `links` also holds the SOURCE links of claims outside `claims` that report one of them
    (REPORTED_IN), so that "according to whom" can be told.
    """

    claims: list[ClaimSpan]
    links: list[ClaimLink]
    documents: dict[int, DocumentRef]
    actors: dict[int, Actor]


@dataclass(frozen=True, slots=True)
class DatedSpan:
    """A DATE span with a value that no claim links to by TIME: a dated event on its own."""

    span_id: int
    document_id: int
    document_title: str
    start: int
    quote: str
    value: str


@dataclass(frozen=True, slots=True)
class MentionInContext:
    """An ACTOR mention with the text around it, for the actor page."""

    span_id: int
    document_id: int
    document_title: str
    start: int
    end: int
    quote: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class CorpusViews:
    """What the claims table, the timeline and the actor network show, read together."""

    rows: list[ClaimRow]
    events: list[DatedSpan]
    actors: dict[int, Actor]
    mention_counts: dict[int, int]  # registry actor id -> linked mentions
    actor_documents: list[tuple[int, int]]  # distinct (document id, actor id) of mentions


@dataclass(frozen=True, slots=True)
class ActorPage:
    """One registry actor: every mention and every claim it makes, across documents."""

    actor: Actor
    mentions: list[MentionInContext] = field(default_factory=list)
    claims: list[ClaimRow] = field(default_factory=list)
