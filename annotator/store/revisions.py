"""Revisions of a document's text and the review entries they make (see DocumentRevisionRow and
SpanReviewRow). Everything here runs inside the caller's transaction: one revision, one
transaction, so that a new text never stands with spans that do not match it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.domain.errors import DuplicateDocumentError, NotFoundError, ReviewError
from annotator.domain.revisions import (
    Resolution,
    ReviewReason,
    RevisionPlan,
    SpanReview,
    StoredRevision,
    normalise_url,
    url_key,
    url_variants,
)
from annotator.domain.text import check_span, sha256_of
from annotator.store.batches import chunks
from annotator.store.models import (
    DocumentRevisionRow,
    DocumentRow,
    LabelRow,
    RejectionRow,
    RelationRow,
    SpanReviewRow,
    SpanRow,
    SuggestionRow,
    utcnow,
)

_SPANS = cast(Table, SpanRow.__table__)
_DOCUMENTS = cast(Table, DocumentRow.__table__)
_REJECTIONS = cast(Table, RejectionRow.__table__)


# Up to this many URLs not found by their common spellings are searched one by one (a scan
# each, about 30 ms at 100,000 documents on SQLite); more in one pass over every URL (about
# 0.3 s there).
_SEARCHED_ONE_BY_ONE = 8


def documents_at_url(session: Session, url: str) -> list[tuple[int, str]]:
    """(id, sha256) of the documents whose URL is `url` as `normalise_url` compares them,
    oldest first."""
    return documents_at_urls(session, [url]).get(normalise_url(url), [])


def documents_at_urls(session: Session, urls: Collection[str]) -> dict[str, list[tuple[int, str]]]:
    """The documents at each URL, by normalised URL (those with none are left out): (id,
    sha256), oldest first.

    No column holds a normalised URL, so: first an indexed lookup of the common spellings
    (`url_variants`); the URLs it misses are then searched by the last segment of their
    path (`url_key`) and compared normalised.
    """
    wanted = {normalise_url(u) for u in urls if u.strip()}
    found: dict[str, dict[int, str]] = {}

    def take(rows: Any) -> None:
        for i, sha, stored in rows:
            key = normalise_url(stored) if stored else ""
            if key in wanted:
                found.setdefault(key, {})[i] = sha

    variants = sorted({v for u in wanted for v in url_variants(u)})
    for chunk in chunks(variants):
        take(
            session.execute(
                select(DocumentRow.id, DocumentRow.sha256, DocumentRow.url).where(
                    DocumentRow.url.in_(chunk)
                )
            )
        )
    missed = wanted - found.keys()
    keys = {url_key(u) for u in missed}
    if len(keys) <= _SEARCHED_ONE_BY_ONE:
        sqlite = session.get_bind().dialect.name == "sqlite"  # whose LIKE ignores ASCII case
        for key in keys:
            like = DocumentRow.url.contains if sqlite else DocumentRow.url.icontains
            take(
                session.execute(
                    select(DocumentRow.id, DocumentRow.sha256, DocumentRow.url).where(
                        like(key, autoescape=True)
                    )
                )
            )
    else:
        rows = session.execute(
            select(DocumentRow.id, DocumentRow.sha256, DocumentRow.url).where(
                DocumentRow.url.is_not(None)
            )
        )
        take(row for row in rows if row[2] and url_key(row[2]) in keys)
    return {key: sorted(documents.items()) for key, documents in found.items()}


def any_url(session: Session) -> bool:
    """Whether some stored document has a URL (so that an import can revise one)."""
    return (
        session.scalar(select(DocumentRow.id).where(DocumentRow.url.is_not(None)).limit(1))
        is not None
    )


def documents_with_digests(session: Session, digests: Collection[str]) -> dict[str, int]:
    """SHA-256 -> id of the stored documents with these texts' digests."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(digests))):
        for digest, doc_id in session.execute(
            select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
        ):
            found[digest] = doc_id
    return found


def document_with_text(session: Session, text: str) -> int | None:
    """The document whose text this is (by SHA-256), if one is stored."""
    return session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256_of(text)))


def revision_count(session: Session, document_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(DocumentRevisionRow.document_id == document_id))
        or 0
    )


def _span_record(row: SpanRow) -> dict[str, Any]:
    return {
        "span_id": row.id,
        "label_id": row.label_id,
        "annotator_id": row.annotator_id,
        "attributes": dict(row.attributes or {}),
        "note": row.note,
        "actor_id": row.actor_id,
        "origin": row.origin,
        "origin_version": row.origin_version,
        "created": row.created.isoformat(),
    }


def _links_record(session: Session, span_id: int) -> list[dict[str, Any]]:
    """The links of a span, each with its other end (id, label and quote), as JSON."""
    rows = session.scalars(
        select(RelationRow)
        .where((RelationRow.source_id == span_id) | (RelationRow.target_id == span_id))
        .order_by(RelationRow.id)
    )
    links = []
    for row in rows:
        outgoing = row.source_id == span_id
        other = session.get(SpanRow, row.target_id if outgoing else row.source_id)
        assert other is not None  # the foreign key keeps both ends
        links.append(
            {
                "relation_id": row.id,
                "type_id": row.type_id,
                "outgoing": outgoing,
                "other_id": other.id,
                "other_label_id": other.label_id,
                "other_quote": other.quote,
                "annotator_id": row.annotator_id,
                "created": row.created.isoformat(),
            }
        )
    return links


def store_revision(session: Session, plan: RevisionPlan) -> StoredRevision:
    """Keep the document's text as its latest revision and give it `plan.text`, with every
    span placed, changed (with a review entry) or moved whole into an unplaced review entry.

    Suggestions are dropped: an engine's proposals for the old text, which its next run
    makes again on the new text with what it knows then (re-anchoring them would keep
    proposals no engine made). Rejections follow their quote where it is placed unchanged
    (the annotator's "no" stays said); the others are dropped, so at worst an engine asks
    again about text that changed.
    """
    doc = session.get(DocumentRow, plan.document_id, with_for_update=True)
    if doc is None:
        raise NotFoundError(f"document {plan.document_id} does not exist")
    old_text = doc.text
    digest = sha256_of(plan.text)
    other = session.scalar(
        select(DocumentRow.id).where(DocumentRow.sha256 == digest, DocumentRow.id != doc.id)
    )
    if other is not None:
        raise DuplicateDocumentError(
            f"the new text is already stored as document {other}", existing_id=other
        )
    from annotator.domain.reanchor import context_of  # loaded when a text is revised

    now = utcnow()
    last = session.execute(
        select(DocumentRevisionRow.number, DocumentRevisionRow.replaced)
        .where(DocumentRevisionRow.document_id == doc.id)
        .order_by(DocumentRevisionRow.number.desc())
        .limit(1)
    ).first()
    number = 1 if last is None else last[0] + 1
    revision = DocumentRevisionRow(
        document_id=doc.id,
        number=number,
        sha256=doc.sha256,
        created=doc.created if last is None else last[1],
        replaced=now,
        text=old_text,
    )
    session.add(revision)
    session.flush()

    # Unplaced spans leave the spans table whole (with their links) for review entries.
    links_recorded = 0
    for span_id in plan.unplaced:
        row = session.get(SpanRow, span_id)
        assert row is not None and row.document_id == doc.id
        links = _links_record(session, span_id)
        links_recorded += len(links)
        prefix, suffix = context_of(old_text, row.start, row.end)
        hint = plan.hints.get(span_id)
        session.add(
            SpanReviewRow(
                document_id=doc.id,
                revision_id=revision.id,
                span_id=None,
                reason=ReviewReason.UNPLACED.value,
                label_id=row.label_id,
                annotator_id=row.annotator_id,
                old_start=row.start,
                old_end=row.end,
                old_quote=row.quote,
                record={
                    "span": _span_record(row),
                    "links": links,
                    "prefix": prefix,
                    "suffix": suffix,
                    "hint": list(hint) if hint else None,
                    "why": plan.reasons.get(span_id, ""),
                },
                created=now,
            )
        )
    for chunk in chunks(list(plan.unplaced)):
        session.execute(delete(RelationRow).where(RelationRow.source_id.in_(chunk)))
        session.execute(delete(RelationRow).where(RelationRow.target_id.in_(chunk)))
        session.execute(delete(_SPANS).where(_SPANS.c.id.in_(chunk)))

    # The new text; SQLite's FTS trigger and PostgreSQL's generated tsvector follow it.
    session.execute(
        update(_DOCUMENTS)
        .where(_DOCUMENTS.c.id == doc.id)
        .values(
            text=plan.text,
            sha256=digest,
            span_count=_DOCUMENTS.c.span_count - len(plan.unplaced),
        )
    )
    session.expire(doc)

    # Placed spans move in two steps, first all past both texts' ends, so that no span
    # meets another's old place on the way (spans are unique by place, label and annotator).
    moved = [p.span_id for p in plan.placed]
    away = len(old_text) + len(plan.text) + 1
    for chunk in chunks(moved):
        session.execute(
            update(_SPANS)
            .where(_SPANS.c.id.in_(chunk))
            .values(start=_SPANS.c.start + away, end=_SPANS.c.end + away)
        )
    changed = 0
    for placed in plan.placed:
        quote = check_span(plan.text, placed.start, placed.end, placed.quote)
        # Every placed span counts as updated: its row now refers to another text, and a
        # window that shows the document (here or in another program) sees by `updated` that
        # it must read the document again.
        session.execute(
            update(_SPANS)
            .where(_SPANS.c.id == placed.span_id)
            .values(start=placed.start, end=placed.end, quote=quote, updated=now)
        )
        if not placed.changed:
            continue
        changed += 1
        row = session.get(SpanRow, placed.span_id)
        assert row is not None
        prefix, suffix = context_of(old_text, placed.old_start, placed.old_end)
        session.add(
            SpanReviewRow(
                document_id=doc.id,
                revision_id=revision.id,
                span_id=placed.span_id,
                reason=ReviewReason.CHANGED.value,
                label_id=row.label_id,
                annotator_id=row.annotator_id,
                old_start=placed.old_start,
                old_end=placed.old_end,
                old_quote=old_text[placed.old_start : placed.old_end],
                record={"prefix": prefix, "suffix": suffix, "why": plan.reasons.get(row.id, "")},
                created=now,
            )
        )

    suggestions = (
        session.scalar(select(func.count()).where(SuggestionRow.document_id == doc.id)) or 0
    )
    session.execute(delete(SuggestionRow).where(SuggestionRow.document_id == doc.id))
    kept, dropped = _move_rejections(session, doc.id, plan.rejections)
    session.flush()
    return StoredRevision(
        document_id=doc.id,
        number=number,
        placed=len(plan.placed) - changed,
        changed=changed,
        unplaced=len(plan.unplaced),
        links_recorded=links_recorded,
        suggestions_dropped=suggestions,
        rejections_kept=kept,
        rejections_dropped=dropped,
    )


def _move_rejections(
    session: Session, document_id: int, places: dict[int, tuple[int, int]]
) -> tuple[int, int]:
    rows = (
        session.execute(select(_REJECTIONS).where(_REJECTIONS.c.document_id == document_id))
        .mappings()
        .all()
    )
    if not rows:
        return 0, 0
    session.execute(delete(_REJECTIONS).where(_REJECTIONS.c.document_id == document_id))
    keep: list[dict[str, Any]] = []
    seen: set[tuple[int, int, int, int]] = set()
    for row in rows:
        place = places.get(row["id"])
        if place is None or (row["label_id"], *place, row["annotator_id"]) in seen:
            continue
        seen.add((row["label_id"], *place, row["annotator_id"]))
        moved = dict(row)
        moved["start"], moved["end"] = place
        keep.append(moved)
    if keep:
        session.execute(insert(_REJECTIONS), keep)
    return len(keep), len(rows) - len(keep)


def rejections_of(session: Session, document_id: int) -> list[tuple[int, int, int, str]]:
    """(id, start, end, quote) of the document's rejections."""
    rows = session.execute(
        select(RejectionRow.id, RejectionRow.start, RejectionRow.end, RejectionRow.quote).where(
            RejectionRow.document_id == document_id
        )
    )
    return [(i, s, e, q) for i, s, e, q in rows]


# Review entries --------------------------------------------------------------------------------


def _to_review(row: SpanReviewRow, span: SpanRow | None) -> SpanReview:
    record = dict(row.record or {})
    start = end = None
    quote = None
    if span is not None:
        start, end, quote = span.start, span.end, span.quote
    elif row.reason == ReviewReason.UNPLACED.value and record.get("hint"):
        start, end = record["hint"]
    return SpanReview(
        id=row.id,
        document_id=row.document_id,
        reason=ReviewReason(row.reason),
        label_id=row.label_id,
        annotator_id=row.annotator_id,
        old_start=row.old_start,
        old_end=row.old_end,
        old_quote=row.old_quote,
        span_id=row.span_id,
        start=start,
        end=end,
        quote=quote,
        prefix=str(record.get("prefix", "")),
        suffix=str(record.get("suffix", "")),
        record=record,
        created=row.created,
        resolution=Resolution(row.resolution) if row.resolution else None,
    )


def _review(session: Session, row: SpanReviewRow) -> SpanReview:
    span = session.get(SpanRow, row.span_id) if row.span_id is not None else None
    return _to_review(row, span)


def open_reviews(
    session: Session, document_id: int | None = None, annotator_id: int | None = None
) -> list[SpanReview]:
    """The entries nobody settled yet, of one document or of all, of the spans of one
    annotator's layer or of all, in document and text order."""
    query = select(SpanReviewRow).where(SpanReviewRow.resolution.is_(None))
    if document_id is not None:
        query = query.where(SpanReviewRow.document_id == document_id)
    if annotator_id is not None:
        query = query.where(SpanReviewRow.annotator_id == annotator_id)
    rows = session.scalars(
        query.order_by(SpanReviewRow.document_id, SpanReviewRow.old_start, SpanReviewRow.id)
    )
    return [_review(session, row) for row in rows]


def open_reviews_with_label(session: Session, label_id: int) -> int:
    """How many open entries keep a span of this label."""
    return (
        session.scalar(
            select(func.count(SpanReviewRow.id)).where(
                SpanReviewRow.label_id == label_id, SpanReviewRow.resolution.is_(None)
            )
        )
        or 0
    )


def review(session: Session, review_id: int) -> SpanReview:
    row = session.get(SpanReviewRow, review_id)
    if row is None:
        raise NotFoundError(f"review entry {review_id} does not exist")
    return _review(session, row)


def open_review_counts(session: Session, document_ids: Collection[int]) -> dict[int, int]:
    """Open entries per document, for those that have any."""
    counts: dict[int, int] = {}
    for chunk in chunks(list(document_ids)):
        rows = session.execute(
            select(SpanReviewRow.document_id, func.count())
            .where(SpanReviewRow.document_id.in_(chunk), SpanReviewRow.resolution.is_(None))
            .group_by(SpanReviewRow.document_id)
        )
        counts.update({d: n for d, n in rows})
    return counts


def _count(session: Session, document_id: int, delta: int) -> None:
    session.execute(
        update(_DOCUMENTS)
        .where(_DOCUMENTS.c.id == document_id)
        .values(span_count=_DOCUMENTS.c.span_count + delta)
    )


def _insert_span(
    session: Session, document_id: int, record: dict[str, Any], start: int, end: int
) -> int:
    """Put a recorded span back at start:end (checked against the text); under its old id
    when that is free. Its id."""
    text = session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
    assert text is not None
    quote = check_span(text, start, end)
    if session.get(LabelRow, record["label_id"]) is None:
        raise ReviewError("its label was deleted since")
    clash = session.scalar(
        select(SpanRow.id).where(
            SpanRow.document_id == document_id,
            SpanRow.annotator_id == record["annotator_id"],
            SpanRow.label_id == record["label_id"],
            SpanRow.start == start,
            SpanRow.end == end,
        )
    )
    if clash is not None:
        raise ReviewError(f"a span with this label is already there: {quote!r}")
    now = utcnow()
    row = SpanRow(
        document_id=document_id,
        start=start,
        end=end,
        label_id=record["label_id"],
        quote=quote,
        annotator_id=record["annotator_id"],
        attributes=dict(record.get("attributes") or {}),
        note=record.get("note"),
        actor_id=record.get("actor_id"),
        origin=record.get("origin"),
        origin_version=record.get("origin_version"),
        created=now,
        updated=now,
    )
    old_id = record.get("span_id")
    if old_id is not None and session.get(SpanRow, old_id) is None:
        row.id = old_id
    session.add(row)
    session.flush()
    _count(session, document_id, 1)
    return row.id


def _current_id(session: Session, document_id: int, span_id: int, label_id: int) -> int | None:
    """Where the span once stored as `span_id` is now: itself, or the span an unplaced entry
    of it was placed as; None if it is gone."""
    row = session.get(SpanRow, span_id)
    if row is not None and row.document_id == document_id and row.label_id == label_id:
        return span_id
    for entry in session.scalars(
        select(SpanReviewRow).where(
            SpanReviewRow.document_id == document_id,
            SpanReviewRow.resolution == Resolution.PLACED.value,
        )
    ):
        record = entry.record or {}
        if (record.get("span") or {}).get("span_id") == span_id and record.get("placed_id"):
            placed = session.get(SpanRow, record["placed_id"])
            if placed is not None and placed.label_id == label_id:
                return placed.id
    return None


def _restore_links(
    session: Session, document_id: int, span_id: int, links: Sequence[dict[str, Any]]
) -> list[int]:
    """Link the span again to each recorded other end that still exists; the new link ids."""
    restored = []
    for link in links:
        other = _current_id(session, document_id, link["other_id"], link["other_label_id"])
        if other is None or other == span_id:
            continue
        source, target = (span_id, other) if link["outgoing"] else (other, span_id)
        exists = session.scalar(
            select(RelationRow.id).where(
                RelationRow.type_id == link["type_id"],
                RelationRow.source_id == source,
                RelationRow.target_id == target,
            )
        )
        if exists is not None:
            continue
        row = RelationRow(
            document_id=document_id,
            type_id=link["type_id"],
            source_id=source,
            target_id=target,
            annotator_id=link["annotator_id"],
            created=utcnow(),
        )
        if session.get(RelationRow, link["relation_id"]) is None:
            row.id = link["relation_id"]
        session.add(row)
        session.flush()
        restored.append(row.id)
    return restored


def _delete_span(session: Session, span_id: int) -> None:
    row = session.get(SpanRow, span_id)
    if row is None:
        return
    session.execute(
        delete(RelationRow).where(
            (RelationRow.source_id == span_id) | (RelationRow.target_id == span_id)
        )
    )
    session.execute(delete(_SPANS).where(_SPANS.c.id == span_id))
    _count(session, row.document_id, -1)
    session.expunge(row)


def settle_review(
    session: Session,
    review_id: int,
    resolution: Resolution,
    *,
    start: int | None = None,
    end: int | None = None,
) -> SpanReview:
    """Decide an open entry: keep a changed span, place an unplaced one at start:end (with its
    label, attributes, note, actor and the links whose other end still exists), or discard
    it (a changed span is deleted, kept in the entry for `reopen_review`)."""
    row = session.get(SpanReviewRow, review_id, with_for_update=True)
    if row is None:
        raise NotFoundError(f"review entry {review_id} does not exist")
    if row.resolution is not None:
        raise ReviewError(f"this entry was already settled ({row.resolution})")
    record = dict(row.record or {})
    changed = row.reason == ReviewReason.CHANGED.value
    if resolution is Resolution.KEPT:
        if not changed:
            raise ReviewError("an unplaced span has no place to keep: place it or discard it")
        if row.span_id is None:
            raise ReviewError("the span was deleted since: nothing to keep")
    elif resolution is Resolution.PLACED:
        if changed:
            raise ReviewError("this span is placed already: keep it or discard it")
        if start is None or end is None:
            raise ReviewError("select the text to place the span at")
        placed = _insert_span(session, row.document_id, record["span"], start, end)
        record["placed_id"] = placed
        record["restored_links"] = _restore_links(
            session, row.document_id, placed, record.get("links", [])
        )
    elif changed and row.span_id is not None:
        span = session.get(SpanRow, row.span_id)
        assert span is not None
        record["discarded"] = {
            "span": _span_record(span),
            "links": _links_record(session, span.id),
            "start": span.start,
            "end": span.end,
        }
        _delete_span(session, span.id)
    row.record = record
    row.resolution = resolution.value
    row.resolved = utcnow()
    session.flush()
    return _review(session, row)


def reopen_review(session: Session, review_id: int) -> SpanReview:
    """Undo `settle_review`: the entry is open again and the spans as they were before."""
    row = session.get(SpanReviewRow, review_id, with_for_update=True)
    if row is None:
        raise NotFoundError(f"review entry {review_id} does not exist")
    record = dict(row.record or {})
    if row.resolution == Resolution.PLACED.value:
        _delete_span(session, record.pop("placed_id"))
        record.pop("restored_links", None)
    elif row.resolution == Resolution.DISCARDED.value and "discarded" in record:
        gone = record.pop("discarded")
        span_id = _insert_span(session, row.document_id, gone["span"], gone["start"], gone["end"])
        _restore_links(session, row.document_id, span_id, gone["links"])
        row.span_id = span_id
    row.record = record
    row.resolution = None
    row.resolved = None
    session.flush()
    return _review(session, row)
