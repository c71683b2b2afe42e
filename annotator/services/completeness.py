"""What is left to do: claims without SOURCE, dates without value, actors without identity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from annotator.domain.schema import ACTOR, CLAIM, DATE, SOURCE
from annotator.store import Database
from annotator.store import completeness as queries


class MissingKind(StrEnum):
    """What a span lacks. The values are the kinds the store's queries report."""

    NO_SOURCE = queries.NO_SOURCE
    NO_VALUE = queries.NO_VALUE
    NO_ACTOR = queries.NO_ACTOR

    @property
    def problem(self) -> str:
        return _PROBLEMS[self]

    @property
    def plural(self) -> str:
        """How a header counts them: "claims without SOURCE"."""
        return _PLURALS[self]


_PROBLEMS = {
    MissingKind.NO_SOURCE: f"{CLAIM.lower()} without {SOURCE}",
    MissingKind.NO_VALUE: f"{DATE.lower()} without value",
    MissingKind.NO_ACTOR: f"{ACTOR.lower()} without identity",
}
_PLURALS = {
    MissingKind.NO_SOURCE: f"{CLAIM.lower()}s without {SOURCE}",
    MissingKind.NO_VALUE: f"{DATE.lower()}s without value",
    MissingKind.NO_ACTOR: f"{ACTOR.lower()}s without identity",
}


@dataclass(frozen=True, slots=True)
class Missing:
    """One span that lacks something, with what is needed to show it and jump to it."""

    kind: MissingKind
    document_id: int
    document_title: str
    span_id: int
    label: str
    quote: str
    start: int

    @property
    def problem(self) -> str:
        """What is missing, for people: "claim without SOURCE"."""
        return self.kind.problem


def list_missing(
    db: Database,
    *,
    document_id: int | None = None,
    limit: int = 1000,
    annotator_id: int | None = None,
) -> list[Missing]:
    """Incomplete spans of one document, or of the whole corpus with None, in document and
    text order; at most `limit` (`count_missing` gives the totals). With `annotator_id`, of
    that annotator's layer only."""
    with db.reading() as repo:
        found = repo.incomplete_spans(
            document_id=document_id, limit=limit, annotator_id=annotator_id
        )
        labels = {label.id: label.name for label in repo.labels()}
    return [
        Missing(
            kind=MissingKind(kind),
            document_id=span.document_id,
            document_title=title,
            span_id=span.id,
            label=labels.get(span.label_id, "?"),
            quote=span.quote,
            start=span.start,
        )
        for kind, span, title in found
    ]


def count_missing(
    db: Database, *, document_id: int | None = None, annotator_id: int | None = None
) -> dict[MissingKind, int]:
    """How many spans lack something, per kind, for one document or the whole corpus (of one
    annotator's layer, with `annotator_id`)."""
    with db.reading() as repo:
        counts = repo.incomplete_counts(document_id=document_id, annotator_id=annotator_id)
    return {kind: counts.get(kind.value, 0) for kind in MissingKind}
