"""Span edits. Each call is one user action and one transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.domain.attributes import AttributeKind, check_attributes
from annotator.domain.errors import InvalidAttributeError, InvalidSpanError
from annotator.domain.library import StatusChange
from annotator.domain.model import DeletedSpans, DocumentMeta, Label, Span
from annotator.domain.text import SNAP_REACH, Edge, drag_bound, move_bound, snap_to_words
from annotator.services import gold_removals
from annotator.services.library import redo_status_in, start_in, undo_status_in
from annotator.store import Database, Repository


@dataclass(frozen=True, slots=True)
class AddedSpan:
    """A span just stored, and the status change it made (a new document is now in progress
    for the annotator who added it), which undo takes back with the span."""

    span: Span
    started: StatusChange | None = None


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
    attributes: dict[str, Any] | None = None,
    propose: bool = False,
) -> Span:
    """Store a span; with `snap`, first widen it to whole words and trim spaces and punctuation.

    The stored quote is always the document's text at the final offsets; a given `quote` must
    equal it. With `propose`, date attributes the caller leaves unset get the value proposed
    from the quote and the document's publication date (the user can change it later). The
    first span of a document new to `annotator_id` makes it "in progress" for them, in the
    same transaction (`add_span_reported` says whether it did).
    """
    return add_span_reported(
        db,
        document_id=document_id,
        start=start,
        end=end,
        label_id=label_id,
        annotator_id=annotator_id,
        snap=snap,
        quote=quote,
        attributes=attributes,
        propose=propose,
    ).span


def add_span_reported(
    db: Database,
    *,
    document_id: int,
    start: int,
    end: int,
    label_id: int,
    annotator_id: int,
    snap: bool = False,
    quote: str | None = None,
    attributes: dict[str, Any] | None = None,
    propose: bool = False,
) -> AddedSpan:
    """What `add_span` does, in one transaction, with the status change it made."""
    with db.transaction() as repo:
        # Only the text around the selection is read (snapping never looks further): not the
        # whole of a long article for each span added to it.
        piece: str | None = None  # the text at start..end, once read
        if snap:
            lo = max(0, min(start, end) - SNAP_REACH)
            around = repo.text_slice(document_id, lo, max(start, end) + SNAP_REACH)
            start, end = snap_to_words(around, start - lo, end - lo)
            start, end = start + lo, end + lo
            if start == end:
                raise InvalidSpanError("the selection holds only spaces or punctuation")
            if lo <= start < end <= lo + len(around):
                piece = around[start - lo : end - lo]
        label = repo.label(label_id)
        values = dict(attributes or {})
        if label is not None:
            if propose and any(d.kind is AttributeKind.DATE for d in label.attributes):
                if piece is None:
                    piece = repo.text_slice(document_id, start, end)
                values = _proposed(label, repo.document_meta(document_id), piece, values)
            values = _checked(label, values)
        span = repo.add_span(
            document_id=document_id,
            start=start,
            end=end,
            label_id=label_id,
            annotator_id=annotator_id,
            quote=quote,
            attributes=values,
            text=piece,
        )
        started = start_in(repo, document_id=document_id, annotator_id=annotator_id)
        return AddedSpan(span, started)


def _proposed(
    label: Label, meta: DocumentMeta, quote: str, values: dict[str, Any]
) -> dict[str, Any]:
    from annotator.assist.dates import propose_date  # dateparser loads in about a second

    for definition in label.attributes:
        if definition.kind is AttributeKind.DATE and not values.get(definition.name):
            proposal = propose_date(quote, meta.published, language=meta.language)
            if proposal is not None:
                values[definition.name] = proposal.value
    return values


def _checked(label: Label, values: dict[str, Any]) -> dict[str, Any]:
    checked = check_attributes(label.attributes, values)
    for definition in label.attributes:
        value = checked.get(definition.name)
        if definition.kind is AttributeKind.DATE and value is not None:
            from annotator.assist.dates import parse_date_value

            try:
                checked[definition.name] = parse_date_value(value).value
            except ValueError as exc:
                raise InvalidAttributeError(f"{definition.name}: {exc}") from None
    return checked


def set_span_details(
    db: Database,
    *,
    span_id: int,
    attributes: dict[str, Any],
    note: str | None,
    version: datetime | None = None,
) -> Span:
    """Replace a span's attribute values and note, checked against its label's definitions.

    Returns the span as stored; raises InvalidAttributeError (nothing stored) for a value the
    definition does not allow, such as a date value that is not ISO 8601.

    `version`, in this and the other edits of one span: the span's `updated` as the caller
    read it. Someone else's change since then raises SpanChangedError, carrying the span as
    it is now, and nothing is stored: two people editing one span never overwrite each other
    silently.
    """
    with db.transaction() as repo:
        span = repo.span(span_id, version=version)
        label = next(lb for lb in repo.labels() if lb.id == span.label_id)
        return repo.set_span_details(
            span_id, attributes=_checked(label, attributes), note=(note or "").strip() or None
        )


def propose_value(db: Database, *, span_id: int) -> str | None:
    """The date value proposed for a span's quote in its document, or None."""
    from annotator.assist.dates import propose_date

    with db.reading() as repo:
        span = repo.span(span_id)
        document = repo.document(span.document_id)
    proposal = propose_date(span.quote, document.meta.published, language=document.meta.language)
    return None if proposal is None else proposal.value


def delete_spans(
    db: Database, *, span_ids: Iterable[int], undo_status: StatusChange | None = None
) -> DeletedSpans:
    """Delete spans and every relation from or to them; returns all of it for `restore_spans`.

    `undo_status`: the status change that adding them made, taken back in the same
    transaction (the undo of a document's first span makes it new again).
    """
    with db.transaction() as repo:
        undo_status_in(repo, undo_status)
        ids = list(span_ids)
        relations = repo.relations_of_spans(ids)
        spans = repo.delete_spans(ids)  # relations go by ON DELETE CASCADE
        gold_removals.note_spans_removed(repo, spans)
        return DeletedSpans(tuple(spans), tuple(relations))


def restore_spans(
    db: Database, *, deleted: DeletedSpans, redo_status: StatusChange | None = None
) -> list[Span]:
    """Put deleted spans back under their old ids, with attributes, notes, actor links and the
    relations that went with them; `redo_status` is made again in the same transaction."""
    with db.transaction() as repo:
        redo_status_in(repo, redo_status)
        return restore_in(repo, deleted)


def restore_in(repo: Repository, deleted: DeletedSpans) -> list[Span]:
    """Inside a transaction: what `restore_spans` does (also for services that undo)."""
    actors = {a.id for a in repo.actors()} if any(s.actor_id for s in deleted.spans) else set()
    back = [
        repo.add_span(
            document_id=s.document_id,
            start=s.start,
            end=s.end,
            label_id=s.label_id,
            annotator_id=s.annotator_id,
            quote=s.quote,
            attributes=s.attributes,
            note=s.note,
            actor_id=s.actor_id if s.actor_id in actors else None,
            span_id=s.id,
            created=s.created,
            origin=s.origin,
            origin_version=s.origin_version,
        )
        for s in deleted.spans
    ]
    repo.restore_relations(deleted.relations)
    gold_removals.note_restored(repo, back, deleted.relations)
    return back


def linked_to(db: Database, *, span_ids: Sequence[int]) -> int:
    """How many relations deleting these spans would remove."""
    with db.reading() as repo:
        return len(repo.relations_of_spans(span_ids))


def step_span_bound(
    db: Database,
    *,
    span_id: int,
    edge: Edge,
    forward: bool,
    by_word: bool,
    version: datetime | None = None,
) -> Span:
    """Move one bound of a span by a word or by a character (a grapheme cluster), in one
    transaction: start, end and quote change together; label, attributes and links stay.

    Raises InvalidSpanError (nothing changed) when the bound cannot move that way: the span
    would be empty, or the text ends there.
    """
    with db.transaction() as repo:
        span = repo.span(span_id, version=version)
        text = repo.document(span.document_id).text
        moved = move_bound(text, span.start, span.end, edge=edge, forward=forward, by_word=by_word)
        if moved is None:
            raise InvalidSpanError(_why_not(edge, forward, span.start, span.end, len(text)))
        return _noted(repo, span, repo.move_span(span_id, *moved))


def _why_not(edge: Edge, forward: bool, start: int, end: int, length: int) -> str:
    if edge is Edge.END and forward and end >= length:
        return "The span already ends at the end of the text."
    if edge is Edge.START and not forward and start <= 0:
        return "The span already starts at the start of the text."
    if (edge is Edge.END) != forward:
        return "The span cannot shrink further: it would be empty."
    return f"No word to take in: the span's {edge.value} cannot move further."


def drag_span_bound(
    db: Database,
    *,
    span_id: int,
    edge: Edge,
    to: int,
    snap: bool,
    version: datetime | None = None,
) -> Span:
    """Move one bound of a span to offset `to` (snapped to a word edge with `snap`; see
    `drag_bound`), in one transaction: start, end and quote together; label, attributes and
    links stay."""
    with db.transaction() as repo:
        span = repo.span(span_id, version=version)
        text = repo.document(span.document_id).text
        moved = drag_bound(text, span.start, span.end, edge=edge, to=to, snap=snap)
        return _noted(repo, span, repo.move_span(span_id, *moved))


def set_span_bounds(
    db: Database, *, span_id: int, start: int, end: int, version: datetime | None = None
) -> Span:
    """Give a span exactly these offsets (undo and redo of a bound's move), in one transaction."""
    with db.transaction() as repo:
        before = repo.span(span_id)
        return _noted(repo, before, repo.move_span(span_id, start, end, version=version))


def relabel_span(
    db: Database, *, span_id: int, label_id: int, version: datetime | None = None
) -> Span:
    with db.transaction() as repo:
        before = repo.span(span_id)
        return _noted(repo, before, repo.relabel_span(span_id, label_id, version=version))


def _noted(repo: Repository, before: Span, after: Span) -> Span:
    """A gold span moved or relabelled: its old place stays out of merges (gold_removals)."""
    gold_removals.note_changed(repo, before, after)
    return after


def get_spans(db: Database, *, span_ids: Sequence[int]) -> list[Span]:
    """These spans as stored now (NotFoundError if one is gone)."""
    with db.reading() as repo:
        return [repo.span(span_id) for span_id in span_ids]


def list_spans(
    db: Database, *, document_id: int, annotator_ids: Collection[int] | None = None
) -> list[Span]:
    """A document's spans by start; with `annotator_ids`, only those annotators' layers."""
    with db.reading() as repo:
        return repo.spans(document_id, annotator_ids=annotator_ids)
