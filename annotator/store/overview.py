"""The corpus at a glance (label names, documents with their span counts), read with Core
statements on one connection.

`annotator list` prints this and exits. Reading it through the ORM would load the ORM and the
models and configure every mapper first, for two queries: a good part of the command's start-up.
The tables are named here by the few columns read; tests/store/test_store_overview.py keeps
them equal to the models'.
"""

from __future__ import annotations

from sqlalchemy import Connection, column, func, select, table

from annotator.domain.model import DocumentSummary

DOCUMENTS = table(
    "documents",
    column("id"),
    column("title"),
    column("source"),
    column("published"),
    column("text"),
)
SPANS = table("spans", column("id"), column("document_id"), column("label_id"))
LABELS = table("labels", column("id"), column("name"), column("position"))


class Overview:
    """Reads inside one unit of work (see `Database.overview`)."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def label_names(self) -> list[str]:
        """The schema's label names, in the schema's order."""
        query = select(LABELS.c.name).order_by(LABELS.c.position, LABELS.c.id)
        return list(self._conn.scalars(query))

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document without its text, with span counts per label, in id order."""
        counts: dict[int, dict[str, int]] = {}
        per_label = (
            select(SPANS.c.document_id, LABELS.c.name, func.count(SPANS.c.id))
            .join(LABELS, LABELS.c.id == SPANS.c.label_id)
            .group_by(SPANS.c.document_id, LABELS.c.name)
        )
        for doc_id, label, n in self._conn.execute(per_label):
            counts.setdefault(doc_id, {})[label] = n
        rows = self._conn.execute(
            select(
                DOCUMENTS.c.id,
                DOCUMENTS.c.title,
                DOCUMENTS.c.source,
                DOCUMENTS.c.published,
                func.length(DOCUMENTS.c.text),
            ).order_by(DOCUMENTS.c.id)
        )
        return [
            DocumentSummary(
                id=i, title=t, source=s, published=p, length=n or 0, span_counts=counts.get(i, {})
            )
            for i, t, s, p, n in rows
        ]
