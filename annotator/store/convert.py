"""ORM rows to domain dataclasses: nothing else leaves annotator.store."""

from __future__ import annotations

from annotator.domain.model import Document, DocumentMeta, HighlightStyle, Label, Span
from annotator.store.models import DocumentRow, LabelRow, SpanRow


def to_label(row: LabelRow) -> Label:
    return Label(
        id=row.id,
        name=row.name,
        colour=row.colour,
        hotkey=row.hotkey,
        position=row.position,
        style=HighlightStyle(row.style),
        description=row.description,
    )


def to_document(row: DocumentRow) -> Document:
    meta = DocumentMeta(
        title=row.title,
        source=row.source,
        url=row.url,
        author=row.author,
        published=row.published,
        language=row.language,
    )
    return Document(id=row.id, meta=meta, text=row.text, sha256=row.sha256, created=row.created)


def to_span(row: SpanRow) -> Span:
    return Span(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        label_id=row.label_id,
        quote=row.quote,
        annotator_id=row.annotator_id,
        created=row.created,
        updated=row.updated,
        attributes=dict(row.attributes or {}),
        note=row.note,
    )
