"""Queries and writes inside one unit of work, returning domain dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.domain.errors import DuplicateDocumentError, DuplicateSpanError, NotFoundError
from annotator.domain.library import (
    AddedDocument,
    DeletedDocuments,
    DocumentStatus,
    DuplicateOf,
    FacetCount,
    LibraryFilter,
    LibraryRow,
    LibrarySort,
    Progress,
    SearchHit,
    SearchQuery,
    SpanHit,
)
from annotator.domain.model import (
    Annotator,
    Document,
    DocumentMeta,
    DocumentSummary,
    Label,
    Span,
)
from annotator.domain.schema import LabelSpec
from annotator.domain.text import check_span
from annotator.store import library, search
from annotator.store.convert import to_document, to_label, to_span
from annotator.store.models import AnnotatorRow, DocumentRow, LabelRow, SpanRow, utcnow


class Repository:
    """Typed access to the tables within one session. Refuses spans that break the contract."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Labels -------------------------------------------------------------------------------
    def labels(self) -> list[Label]:
        rows = self._session.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
        return [to_label(r) for r in rows]

    def add_label(self, spec: LabelSpec, *, position: int) -> Label:
        row = LabelRow(
            name=spec.name,
            colour=spec.colour,
            hotkey=spec.hotkey,
            position=position,
            style=spec.style.value,
            description=spec.description,
        )
        self._session.add(row)
        self._session.flush()
        return to_label(row)

    # Annotators ---------------------------------------------------------------------------
    def annotator_named(self, name: str) -> Annotator:
        """The annotator with this name, created if new."""
        row = self._session.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        if row is None:
            row = AnnotatorRow(name=name)
            self._session.add(row)
            self._session.flush()
        return Annotator(id=row.id, name=row.name)

    def annotators(self) -> list[Annotator]:
        rows = self._session.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))
        return [Annotator(id=r.id, name=r.name) for r in rows]

    def document_ids(self, *, after: int = 0, limit: int = 500) -> list[int]:
        """Document ids in id order, a page at a time (for streaming exports)."""
        return list(
            self._session.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.id > after)
                .order_by(DocumentRow.id)
                .limit(limit)
            )
        )

    # Documents ----------------------------------------------------------------------------
    def add_document(self, meta: DocumentMeta, text: str) -> Document:
        """Insert a document; refuses one whose text is already stored (same SHA-256)."""
        (added,) = self.add_documents([(meta, text, ())])
        if isinstance(added, DuplicateOf):
            raise DuplicateDocumentError(
                f"the same text is already stored as document {added.existing_id} "
                f"({added.existing_title!r})",
                existing_id=added.existing_id,
            )
        return self.document(added.id)

    def document(self, document_id: int) -> Document:
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return to_document(row)

    def document_count(self) -> int:
        return self._session.scalar(select(func.count(DocumentRow.id))) or 0

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document without its text, with span counts per label, in id order."""
        counts: dict[int, dict[str, int]] = {}
        per_label = (
            select(SpanRow.document_id, LabelRow.name, func.count(SpanRow.id))
            .join(LabelRow, LabelRow.id == SpanRow.label_id)
            .group_by(SpanRow.document_id, LabelRow.name)
        )
        for doc_id, label, n in self._session.execute(per_label):
            counts.setdefault(doc_id, {})[label] = n
        rows = self._session.execute(
            select(
                DocumentRow.id,
                DocumentRow.title,
                DocumentRow.source,
                DocumentRow.published,
                func.length(DocumentRow.text),
            ).order_by(DocumentRow.id)
        )
        return [
            DocumentSummary(
                id=i, title=t, source=s, published=p, length=n or 0, span_counts=counts.get(i, {})
            )
            for i, t, s, p, n in rows
        ]

    # Spans --------------------------------------------------------------------------------
    def spans(self, document_id: int) -> list[Span]:
        rows = self._session.scalars(
            select(SpanRow)
            .where(SpanRow.document_id == document_id)
            .order_by(SpanRow.start, SpanRow.end.desc(), SpanRow.id)
        )
        return [to_span(r) for r in rows]

    def span(self, span_id: int) -> Span:
        return to_span(self._span_row(span_id))

    def _span_row(self, span_id: int) -> SpanRow:
        row = self._session.get(SpanRow, span_id)
        if row is None:
            raise NotFoundError(f"span {span_id} does not exist")
        return row

    def add_span(
        self,
        *,
        document_id: int,
        start: int,
        end: int,
        label_id: int,
        annotator_id: int,
        quote: str | None = None,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
        span_id: int | None = None,
        created: datetime | None = None,
    ) -> Span:
        """Insert a span after checking its range and quote against the stored text.

        `span_id` and `created` restore a span that was deleted (undo), under its old identity.
        """
        text = self._session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
        if text is None:
            raise NotFoundError(f"document {document_id} does not exist")
        if self._session.get(LabelRow, label_id) is None:
            raise NotFoundError(f"label {label_id} does not exist")
        actual = check_span(text, start, end, quote)
        now = utcnow()
        row = SpanRow(
            document_id=document_id,
            start=start,
            end=end,
            label_id=label_id,
            quote=actual,
            annotator_id=annotator_id,
            attributes=dict(attributes or {}),
            note=note,
            created=created or now,
            updated=now,
        )
        if span_id is not None:
            row.id = span_id
        # begin_nested() flushes pending changes before its SAVEPOINT: the row must be added
        # inside it, or a failing INSERT runs (and aborts) in the caller's transaction.
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
                self._count_spans({document_id: 1})
        except IntegrityError as exc:
            if self._duplicate_of(document_id, annotator_id, label_id, start, end) is not None:
                raise DuplicateSpanError(
                    f"this span already exists: {actual!r} at {start}-{end}"
                ) from exc
            raise
        return to_span(row)

    def _duplicate_of(
        self, document_id: int, annotator_id: int, label_id: int, start: int, end: int
    ) -> int | None:
        return self._session.scalar(
            select(SpanRow.id).where(
                SpanRow.document_id == document_id,
                SpanRow.annotator_id == annotator_id,
                SpanRow.label_id == label_id,
                SpanRow.start == start,
                SpanRow.end == end,
            )
        )

    def delete_spans(self, span_ids: Iterable[int]) -> list[Span]:
        """Delete spans and return them as they were, so that they can be restored."""
        deleted = []
        removed: dict[int, int] = {}
        for span_id in span_ids:
            row = self._span_row(span_id)
            deleted.append(to_span(row))
            removed[row.document_id] = removed.get(row.document_id, 0) - 1
            self._session.delete(row)
        self._session.flush()
        self._count_spans(removed)
        return deleted

    def _count_spans(self, changes: dict[int, int]) -> None:
        """Keep `documents.span_count` in step: every insert and delete of spans comes here.

        An increment in SQL, not a read-modify-write, so concurrent writers on PostgreSQL do
        not lose counts (the UPDATE waits for the other transaction's row lock).
        """
        for document_id, delta in changes.items():
            if delta:
                self._session.execute(
                    update(library.documents)
                    .where(library.documents.c.id == document_id)
                    .values(span_count=library.documents.c.span_count + delta)
                )

    def relabel_span(self, span_id: int, label_id: int) -> Span:
        row = self._span_row(span_id)
        if self._session.get(LabelRow, label_id) is None:
            raise NotFoundError(f"label {label_id} does not exist")
        try:
            # The change goes inside the SAVEPOINT (see add_span), so a refusal undoes only it.
            with self._session.begin_nested():
                row.label_id = label_id
                self._session.flush()
        except IntegrityError as exc:
            raise DuplicateSpanError(
                f"a span with that label already exists at {row.start}-{row.end}"
            ) from exc
        return to_span(row)

    def add_documents(
        self, items: Sequence[tuple[DocumentMeta, str, tuple[str, ...]]]
    ) -> list[AddedDocument | DuplicateOf]:
        """Insert many documents (meta, text with LF line ends, tags) with bulk statements.

        Per item, in order: the new id, or the id of the document with the same text (SHA-256),
        whether stored before or added earlier in this same call.
        """
        return library.add_documents(self._session, items)

    def page_documents(
        self,
        *,
        annotator_id: int,
        sort: LibrarySort,
        descending: bool,
        filters: LibraryFilter,
        offset: int,
        limit: int,
    ) -> list[LibraryRow]:
        return library.page_documents(
            self._session,
            annotator_id=annotator_id,
            sort=sort,
            descending=descending,
            filters=filters,
            offset=offset,
            limit=limit,
        )

    def count_documents(self, *, annotator_id: int, filters: LibraryFilter) -> int:
        return library.count_documents(self._session, annotator_id=annotator_id, filters=filters)

    def progress(self, *, annotator_id: int) -> Progress:
        return library.progress(self._session, annotator_id=annotator_id)

    def list_sources(self) -> list[FacetCount]:
        return library.list_sources(self._session)

    def list_tags(self) -> list[FacetCount]:
        return library.list_tags(self._session)

    def document_tags(self, document_id: int) -> tuple[str, ...]:
        return library.document_tags(self._session, document_id)

    def update_document_meta(
        self, *, document_id: int, meta: DocumentMeta, tags: Sequence[str]
    ) -> Document:
        row = library.update_document_meta(
            self._session, document_id=document_id, meta=meta, tags=tags
        )
        return to_document(row)

    def document_status(self, *, document_id: int, annotator_id: int) -> DocumentStatus:
        return library.document_status(
            self._session, document_id=document_id, annotator_id=annotator_id
        )

    def set_status(
        self, *, document_id: int, annotator_id: int, status: DocumentStatus | str
    ) -> None:
        """Where an annotator stands with a document; 'new' removes the stored status."""
        library.set_status(
            self._session, document_id=document_id, annotator_id=annotator_id, status=status
        )

    def delete_documents(self, document_ids: Sequence[int]) -> DeletedDocuments:
        """Delete documents with their spans, tags and statuses; returns all of it for
        `restore_documents`. On SQLite the freed pages go back to the file system."""
        return library.delete_documents(self._session, document_ids)

    def restore_documents(self, deleted: DeletedDocuments) -> list[int]:
        """Put deleted documents back under their old ids, with spans, tags and statuses."""
        return library.restore_documents(self._session, deleted)

    # Search -------------------------------------------------------------------------------
    def search_documents(self, query: SearchQuery, *, limit: int, offset: int) -> list[SearchHit]:
        return search.search_documents(self._session, query, limit=limit, offset=offset)

    def count_search_matches(self, query: SearchQuery) -> int:
        return search.count_matches(self._session, query)

    def search_spans(
        self, *, label_id: int | None, quote_contains: str | None, limit: int
    ) -> list[SpanHit]:
        return library.search_spans(
            self._session, label_id=label_id, quote_contains=quote_contains, limit=limit
        )
