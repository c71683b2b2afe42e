"""The document library: bulk adding, lazy pages, filters, statuses, tags, delete and undo.

Each call is one transaction. A page of the library is meant to be asked for as the list
scrolls: `count_documents` once per filter change, then `page_documents` per visible page.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    StatusChange,
)
from annotator.domain.model import Document, DocumentMeta
from annotator.store import Database, Repository

__all__ = [
    "add_documents",
    "count_documents",
    "delete_documents",
    "document_status",
    "document_tags",
    "list_sources",
    "list_tags",
    "page_documents",
    "progress",
    "restore_documents",
    "set_status",
    "update_document_meta",
]


def add_documents(
    db: Database, *, items: Sequence[tuple[DocumentMeta, str, tuple[str, ...]]]
) -> list[AddedDocument | DuplicateOf]:
    """Store many documents at once: (metadata, text with LF line ends, tags) per item.

    Returns, per item and in order, the new document's id or the id of the stored document
    with the same text (also when that is an earlier item of the same call). New documents are
    searchable when this returns.
    """
    with db.transaction() as repo:
        return repo.add_documents(items)


def page_documents(
    db: Database,
    *,
    annotator_id: int,
    sort: LibrarySort | str = LibrarySort.TITLE,
    descending: bool = False,
    filters: LibraryFilter = LibraryFilter(),  # noqa: B008 - frozen, never mutated
    offset: int = 0,
    limit: int = 100,
) -> list[LibraryRow]:
    """One page of the library as `annotator_id` sees it (their status per document).

    The order is total (ties broken by id), so pages never overlap or skip documents while
    nothing changes. Documents without a date or source sort before the others.

    A read: it neither waits for nor blocks a writer, so the list scrolls while a background
    task (suggestions run on the open document at start) holds the write lock.
    """
    with db.reading() as repo:
        return repo.page_documents(
            annotator_id=annotator_id,
            sort=LibrarySort(sort),
            descending=descending,
            filters=filters,
            offset=offset,
            limit=limit,
        )


def count_documents(
    db: Database,
    *,
    annotator_id: int,
    filters: LibraryFilter = LibraryFilter(),  # noqa: B008 - frozen, never mutated
) -> int:
    with db.reading() as repo:
        return repo.count_documents(annotator_id=annotator_id, filters=filters)


def progress(db: Database, *, annotator_id: int) -> Progress:
    """(done, total): how many of all documents this annotator has marked done."""
    with db.reading() as repo:
        return repo.progress(annotator_id=annotator_id)


def list_sources(db: Database) -> list[FacetCount]:
    """Every source (outlet) with its number of documents, alphabetically."""
    with db.reading() as repo:
        return repo.list_sources()


def list_tags(db: Database) -> list[FacetCount]:
    """Every tag with its number of documents, alphabetically."""
    with db.reading() as repo:
        return repo.list_tags()


def document_tags(db: Database, *, document_id: int) -> tuple[str, ...]:
    with db.reading() as repo:
        repo.document(document_id)  # NotFoundError for a document that is gone
        return repo.document_tags(document_id)


def update_document_meta(
    db: Database, *, document_id: int, meta: DocumentMeta, tags: Sequence[str]
) -> Document:
    """Replace a document's title, source, url, author, published date, language and tags.

    The text is never changed here (annotated text is immutable).
    """
    with db.transaction() as repo:
        return repo.update_document_meta(document_id=document_id, meta=meta, tags=tags)


def document_status(db: Database, *, document_id: int, annotator_id: int) -> DocumentStatus:
    with db.reading() as repo:
        return repo.document_status(document_id=document_id, annotator_id=annotator_id)


def set_status(
    db: Database, *, document_id: int, annotator_id: int, status: DocumentStatus | str
) -> None:
    """Mark where `annotator_id` stands with a document: new, in_progress or done."""
    with db.transaction() as repo:
        repo.set_status(document_id=document_id, annotator_id=annotator_id, status=status)


def start_in(repo: Repository, *, document_id: int, annotator_id: int) -> StatusChange | None:
    """Inside an edit's transaction: a new document becomes "in progress" with its first span
    (saying it is done stays the user's call). Returns the change, for the edit's undo."""
    before = repo.document_status(document_id=document_id, annotator_id=annotator_id)
    if before is not DocumentStatus.NEW:
        return None
    change = StatusChange(document_id, annotator_id, before, DocumentStatus.IN_PROGRESS)
    repo.set_status(document_id=document_id, annotator_id=annotator_id, status=change.after)
    return change


def undo_status_in(repo: Repository, change: StatusChange | None) -> None:
    """Inside an undo's transaction: put the status back, unless the user set another since."""
    _move(repo, change, back=True)


def redo_status_in(repo: Repository, change: StatusChange | None) -> None:
    """Inside a redo's transaction: make the change again, unless the user set another since."""
    _move(repo, change, back=False)


def _move(repo: Repository, change: StatusChange | None, *, back: bool) -> None:
    if change is None:
        return
    now, to = (change.after, change.before) if back else (change.before, change.after)
    current = repo.document_status(document_id=change.document_id, annotator_id=change.annotator_id)
    if current is now:
        repo.set_status(document_id=change.document_id, annotator_id=change.annotator_id, status=to)


def delete_documents(db: Database, *, document_ids: Sequence[int]) -> DeletedDocuments:
    """Delete documents with their spans, tags and statuses.

    Returns everything that was deleted, for `restore_documents` (undo).
    """
    with db.transaction() as repo:
        return repo.delete_documents(document_ids)


def restore_documents(db: Database, *, deleted: DeletedDocuments) -> list[int]:
    """Undo `delete_documents`: the same ids, texts, metadata, tags, statuses and spans."""
    with db.transaction() as repo:
        return repo.restore_documents(deleted)
