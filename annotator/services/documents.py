"""Documents: list, open, add."""

from __future__ import annotations

from collections.abc import Iterator

from annotator.domain.model import (
    Annotator,
    Document,
    DocumentFingerprint,
    DocumentMeta,
    DocumentSummary,
    Label,
    Span,
)
from annotator.store import Database


def list_documents(db: Database) -> list[DocumentSummary]:
    """Every document, without text, with its span counts per label."""
    with db.overview() as overview:
        return overview.document_summaries()


def list_labels(db: Database) -> list[Label]:
    with db.reading() as repo:
        return repo.labels()


def list_label_names(db: Database) -> list[str]:
    """The labels' names in the schema's order (without loading the ORM, see `list_documents`)."""
    with db.overview() as overview:
        return overview.label_names()


def open_document(
    db: Database, *, document_id: int, annotator_id: int | None = None
) -> tuple[Document, list[Span]]:
    """A document with its spans ordered by start, read in one transaction; with
    `annotator_id`, only that annotator's spans (their layer)."""
    layer = None if annotator_id is None else (annotator_id,)
    with db.reading() as repo:
        return repo.document(document_id), repo.spans(document_id, annotator_ids=layer)


def add_document(db: Database, *, text: str, meta: DocumentMeta) -> Document:
    """Store a document; its text is kept as given except for line ends (CRLF/CR -> LF)."""
    from annotator.domain.text import normalise_newlines

    with db.transaction() as repo:
        return repo.add_document(meta, normalise_newlines(text))


def list_annotators(db: Database) -> list[Annotator]:
    with db.reading() as repo:
        return repo.annotators()


def iter_document_ids(db: Database, *, page: int = 500) -> Iterator[int]:
    """Every document id in id order, read a page per transaction (for work over the corpus)."""
    after = 0
    while True:
        with db.reading() as repo:
            ids = repo.document_ids(after=after, limit=page)
        if not ids:
            return
        yield from ids
        after = ids[-1]


def document_fingerprint(
    db: Database, *, document_id: int, annotator_id: int | None = None
) -> DocumentFingerprint:
    """Whether a document's spans and links (of one annotator's layer, with `annotator_id`)
    changed, in brief (see DocumentFingerprint)."""
    with db.reading() as repo:
        return repo.document_fingerprint(document_id, annotator_id=annotator_id)
