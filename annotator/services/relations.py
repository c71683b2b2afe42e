"""Links between spans (SOURCE, TIME, user-defined types). Each call is one transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from annotator.domain.linking import LinkCandidate
from annotator.domain.linking import link_candidates as _rank_candidates
from annotator.domain.model import Relation, Schema, Span
from annotator.services import gold_removals
from annotator.store import Database


def add_relation(
    db: Database, *, type_id: int, source_id: int, target_id: int, annotator_id: int
) -> Relation:
    """Link two spans of one document; InvalidRelationError if the schema does not allow it."""
    with db.transaction() as repo:
        return repo.add_relation(
            type_id=type_id, source_id=source_id, target_id=target_id, annotator_id=annotator_id
        )


def delete_relations(db: Database, *, relation_ids: Iterable[int]) -> list[Relation]:
    with db.transaction() as repo:
        deleted = repo.delete_relations(relation_ids)
        gold_removals.note_links_removed(repo, deleted)
        return deleted


def restore_relations(db: Database, *, relations: Sequence[Relation]) -> list[Relation]:
    """Put deleted relations back under their old ids (undo)."""
    with db.transaction() as repo:
        back = repo.restore_relations(relations)
        gold_removals.note_restored(repo, (), back)
        return back


def list_relations(
    db: Database, *, document_id: int, annotator_ids: Collection[int] | None = None
) -> list[Relation]:
    """A document's links; with `annotator_ids`, only those annotators' layers."""
    with db.reading() as repo:
        return repo.relations(document_id, annotator_ids=annotator_ids)


def link_candidates(
    schema: Schema,
    selected: Span,
    spans: Iterable[Span],
    relations: Iterable[Relation],
    text: str,
) -> list[LinkCandidate]:
    """What `selected` can be linked with in its document, likeliest first.

    A claim's SOURCE next to one of the reporting verbs the claim finder knows ranks first (see
    `annotator.domain.linking`).
    """
    # Here: the claim finder's module is large, and most commands never rank links.
    from annotator.assist.claims import REPORTING_WORDS

    return _rank_candidates(
        schema, selected, spans, relations, text=text, reporting_words=REPORTING_WORDS
    )
