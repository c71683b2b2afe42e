"""New versions of a stored article: where its spans and links would go.

`preview_revision` computes the placement report only and stores nothing; `store_revision`
stores it, in one transaction: the old text as the document's latest revision, the new text,
the spans at their new places, and a review entry for each span placed with a changed quote or
not placed at all (kept whole there, with its links). The review functions settle an entry or
open it again (the window's undo).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.model import Relation
from annotator.domain.reanchor import (
    Alignment,
    Anchor,
    Placement,
    Reanchored,
    reanchor,
    reanchor_one,
)
from annotator.domain.revisions import (
    PlacedSpan,
    Resolution,
    RevisionPlan,
    SpanReview,
    StoredRevision,
)
from annotator.domain.text import normalise_newlines
from annotator.services.documents import open_document
from annotator.services.relations import list_relations
from annotator.store import Database, Repository


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


def plan_revision(repo: Repository, document_id: int, text: str) -> RevisionPlan:
    """Where every span and rejection of the document goes in `text` (LF line ends)."""
    old = repo.document(document_id).text
    spans = repo.spans(document_id)
    alignment = Alignment(old, text)
    placed: list[PlacedSpan] = []
    unplaced: list[int] = []
    hints: dict[int, tuple[int, int]] = {}
    reasons: dict[int, str] = {}
    taken: set[tuple[int, int, int, int]] = set()
    for span in spans:
        result = reanchor_one(alignment, Anchor(span.start, span.end, span.quote))
        reasons[span.id] = result.reason
        key = (span.annotator_id, span.label_id, result.start or 0, result.end or 0)
        if result.placement is not Placement.UNPLACED and key in taken:
            # Two spans of one annotator and label landed on one place: the second is not
            # merged into the first but listed.
            reasons[span.id] = "another span with this label landed on the same place"
        elif result.placement is not Placement.UNPLACED:
            assert result.start is not None and result.end is not None and result.quote
            taken.add(key)
            placed.append(
                PlacedSpan(
                    span.id,
                    span.start,
                    span.end,
                    result.start,
                    result.end,
                    result.quote,
                    result.placement is Placement.CHANGED,
                )
            )
            continue
        unplaced.append(span.id)
        # Where it was: a range, or a point where its text was deleted.
        start, end = alignment.map_start(span.start), alignment.map_end(span.end)
        hints[span.id] = (start, max(start, end))
    rejections: dict[int, tuple[int, int]] = {}
    for rejection_id, start, end, quote in repo.rejections_of(document_id):
        if old[start:end] != quote or start >= end:
            continue
        result = reanchor_one(alignment, Anchor(start, end, quote))
        if result.placement is Placement.PLACED:
            assert result.start is not None and result.end is not None
            rejections[rejection_id] = (result.start, result.end)
    return RevisionPlan(
        document_id, text, tuple(placed), tuple(unplaced), hints, reasons, rejections
    )


def store_revision(db: Database, *, document_id: int, text: str) -> StoredRevision:
    """Make `text` the document's current text and keep the old one as a revision; spans
    follow by `plan_revision`, and what needs a person goes to review entries. One
    transaction: a failure leaves the document as it was. Raises DuplicateDocumentError when
    another document already has this text."""
    new = normalise_newlines(text)
    with db.transaction() as repo:
        return repo.store_revision(plan_revision(repo, document_id, new))


def can_revise(db: Database) -> bool:
    """Whether an import may make a revision: some stored document has a URL."""
    with db.reading() as repo:
        return repo.any_url()


def open_reviews(
    db: Database, *, document_id: int | None = None, annotator_id: int | None = None
) -> list[SpanReview]:
    """Open entries, of one document or all, of one annotator's spans or everyone's."""
    with db.reading() as repo:
        return repo.open_reviews(document_id, annotator_id)


def open_review_counts(db: Database, *, document_ids: list[int]) -> dict[int, int]:
    with db.reading() as repo:
        return repo.open_review_counts(document_ids)


def settle_review(
    db: Database,
    *,
    review_id: int,
    resolution: Resolution,
    start: int | None = None,
    end: int | None = None,
) -> SpanReview:
    """Keep, place (at start:end) or discard the span of a review entry; see `reopen_review`."""
    with db.transaction() as repo:
        return repo.settle_review(review_id, resolution, start=start, end=end)


def reopen_review(db: Database, *, review_id: int) -> SpanReview:
    """Undo a decision: the entry is open again and its span as it was before."""
    with db.transaction() as repo:
        return repo.reopen_review(review_id)
