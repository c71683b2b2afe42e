"""Which documents are given to which annotator to annotate."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain.errors import AnnotatorError
from annotator.domain.library import Assignment
from annotator.store import Database


def assign_documents(db: Database, *, annotator: str, document_ids: Sequence[int]) -> list[int]:
    """Assign documents to the annotator of this name (created if new), in one transaction;
    returns the ids newly assigned (those assigned to them already are left as they were)."""
    name = annotator.strip()
    if not name:
        raise AnnotatorError("an annotator's name cannot be empty")
    with db.transaction() as repo:
        who = repo.annotator_named(name)
        return repo.assign(document_ids=document_ids, annotator_id=who.id)


def assign_unassigned(db: Database, *, annotator: str, count: int) -> list[int]:
    """Assign up to `count` documents that nobody has yet (the oldest first)."""
    if count <= 0:
        raise AnnotatorError("the count of documents to assign must be at least 1")
    name = annotator.strip()
    if not name:
        raise AnnotatorError("an annotator's name cannot be empty")
    with db.transaction() as repo:
        who = repo.annotator_named(name)
        return repo.assign(document_ids=repo.unassigned_ids(limit=count), annotator_id=who.id)


def list_assignments(db: Database) -> list[Assignment]:
    """Every assignment, by annotator name and document id."""
    with db.reading() as repo:
        return repo.assignments()


def assigned_count(db: Database, *, annotator_id: int) -> int:
    """How many documents are assigned to this annotator."""
    with db.reading() as repo:
        return repo.assigned_count(annotator_id)
