"""New versions of a stored article: where its spans and links would go.

This computes the placement report only; it stores nothing. Storing a revision needs a place
for the new text beside the old one (a revision table keyed by document, with its text, SHA-256
and import time) and, per span, the accepted placement or the review entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.model import Relation
from annotator.domain.reanchor import Anchor, Placement, Reanchored, reanchor
from annotator.domain.text import normalise_newlines
from annotator.services.documents import open_document
from annotator.services.relations import list_relations
from annotator.store import Database


@dataclass(frozen=True, slots=True)
class SpanPlacement:
    span_id: int
    result: Reanchored


@dataclass(frozen=True, slots=True)
class RevisionReport:
    """Where each span of a document goes in a new text, and what needs review."""

    document_id: int
    unchanged: bool  # the new text is the stored one: nothing to do
    spans: tuple[SpanPlacement, ...]
    # Links with an end that cannot be placed: they would have nothing to point at.
    links_to_review: tuple[Relation, ...]

    def count(self, placement: Placement) -> int:
        return sum(1 for s in self.spans if s.result.placement is placement)

    @property
    def to_review(self) -> tuple[SpanPlacement, ...]:
        """Spans a person must look at: unplaced, or placed with a changed quote."""
        return tuple(s for s in self.spans if s.result.placement is not Placement.PLACED)


def preview_revision(db: Database, *, document_id: int, text: str) -> RevisionReport:
    """Place the spans of document `document_id` in `text`, a new version of its article.

    The text is taken as an import would store it (line ends turned into LF).
    """
    document, spans = open_document(db, document_id=document_id)
    new = normalise_newlines(text)
    results = reanchor(
        document.text, new, [Anchor(span.start, span.end, span.quote) for span in spans]
    )
    placed = tuple(
        SpanPlacement(span.id, result) for span, result in zip(spans, results, strict=True)
    )
    lost = {p.span_id for p in placed if p.result.placement is Placement.UNPLACED}
    links = tuple(
        relation
        for relation in list_relations(db, document_id=document_id)
        if relation.source_id in lost or relation.target_id in lost
    )
    return RevisionReport(document_id, new == document.text, placed, links)
