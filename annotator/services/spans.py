"""Span edits. Each call is one user action and one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.domain.errors import InvalidSpanError
from annotator.domain.model import Span
from annotator.domain.text import snap_to_words
from annotator.store import Database


def add_span(
    db: Database,
    *,
    document_id: int,
    start: int,
    end: int,
    label_id: int,
    annotator_id: int,
    snap: bool = False,
    quote: str | None = None,
) -> Span:
    """Store a span; with `snap`, first widen it to whole words and trim spaces and punctuation.

    The stored quote is always the document's text at the final offsets; a given `quote` must
    equal it.
    """
    with db.transaction() as repo:
        if snap:
            text = repo.document(document_id).text
            start, end = snap_to_words(text, start, end)
            if start == end:
                raise InvalidSpanError("the selection holds only spaces or punctuation")
        return repo.add_span(
            document_id=document_id,
            start=start,
            end=end,
            label_id=label_id,
            annotator_id=annotator_id,
            quote=quote,
        )


def delete_spans(db: Database, *, span_ids: Iterable[int]) -> list[Span]:
    """Delete spans; returns them as they were so that `restore_spans` can undo the deletion."""
    with db.transaction() as repo:
        return repo.delete_spans(span_ids)


def restore_spans(db: Database, *, spans: Sequence[Span]) -> list[Span]:
    """Put deleted spans back under their old ids, with their attributes and notes."""
    with db.transaction() as repo:
        return [
            repo.add_span(
                document_id=s.document_id,
                start=s.start,
                end=s.end,
                label_id=s.label_id,
                annotator_id=s.annotator_id,
                quote=s.quote,
                attributes=s.attributes,
                note=s.note,
                span_id=s.id,
                created=s.created,
            )
            for s in spans
        ]


def relabel_span(db: Database, *, span_id: int, label_id: int) -> Span:
    with db.transaction() as repo:
        return repo.relabel_span(span_id, label_id)


def list_spans(db: Database, *, document_id: int) -> list[Span]:
    with db.transaction() as repo:
        return repo.spans(document_id)
