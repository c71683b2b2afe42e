"""Deciding on suggestions: accept, reject, and take either back.

Accepting is one transaction that makes the suggestion's span in the annotator's layer (with
the engine and model version as provenance) and the relations its links propose, taking the
suggested targets of those links along. It is one annotator's decision: the suggestion stays
stored for the others, and each annotator's list leaves out what their own layer already has
(`suggestions.list_suggestions`). Rejecting is one annotator's decision too: the suggestion
stays stored, their list leaves it out, and the engines stop proposing the place once every
annotator of the document has rejected it (`suggestions._Audience`). Each returns what undo
and redo need, and undo and redo put back exactly what was there, ids included.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain.errors import AnnotatorError, InvalidRelationError
from annotator.domain.model import DeletedSpans, Relation, Span
from annotator.domain.schema import ACTOR
from annotator.domain.suggestions import Accepted, Rejected
from annotator.services.library import redo_status_in, start_in, undo_status_in
from annotator.services.spans import restore_in
from annotator.services.suggestions import checked_attributes, rejected_by, visible_to
from annotator.store import Database, Repository


def accept_suggestions(
    db: Database,
    *,
    suggestion_ids: Sequence[int],
    annotator_id: int,
    label_id: int | None = None,
) -> Accepted:
    """Accept suggestions in one transaction: each becomes a span (or joins an identical span
    already there), with the relations its links propose; a link's suggested target is
    accepted with it. Links of other suggestions to the accepted ones now point at the spans.
    `label_id` accepts a single suggestion under another label (its attributes that the other
    label does not define are left out)."""
    if label_id is not None and len(suggestion_ids) != 1:
        raise AnnotatorError("a label can be chosen when accepting one suggestion only")
    with db.transaction() as repo:
        return _accept(repo, list(suggestion_ids), annotator_id, label_id)


def accept_label(db: Database, *, document_id: int, label_id: int, annotator_id: int) -> Accepted:
    """Accept every suggestion of one label in a document, in one transaction."""
    with db.transaction() as repo:
        shown = visible_to(
            repo.suggestions(document_id),
            repo.spans(document_id),
            annotator_id,
            rejected_by(repo, document_id, annotator_id),
        )
        ids = [s.id for s in shown if s.label_id == label_id]
        return _accept(repo, ids, annotator_id, None)


def _accept(
    repo: Repository, suggestion_ids: list[int], annotator_id: int, label_id: int | None
) -> Accepted:
    wanted = repo.suggestions_by_ids(suggestion_ids)
    if len(wanted) != len(set(suggestion_ids)):
        raise AnnotatorError("that suggestion is gone (accepted, rejected or run again)")
    by_id = {s.id: s for s in wanted}
    # The suggested targets of their links come along, as they were before anything changed.
    targets = {
        link.target_suggestion_id
        for s in wanted
        for link in s.links
        if link.target_suggestion_id is not None and link.target_suggestion_id not in by_id
    }
    by_id.update({s.id: s for s in repo.suggestions_by_ids(targets)})
    originals = dict(by_id)
    schema = repo.schema()
    made: dict[int, Span] = {}
    new_ids: list[int] = []
    for suggestion in by_id.values():
        label = schema.label(
            label_id
            if label_id is not None and suggestion.id in suggestion_ids
            else suggestion.label_id
        )
        attributes = (
            dict(suggestion.attributes)
            if label.id == suggestion.label_id
            else checked_attributes(label, dict(suggestion.attributes))
        )
        existing = repo.span_with(
            suggestion.document_id,
            label.id,
            suggestion.start,
            suggestion.end,
            annotator_id=annotator_id,
        )
        if existing is not None:
            made[suggestion.id] = existing
            continue
        span = repo.add_span(
            document_id=suggestion.document_id,
            start=suggestion.start,
            end=suggestion.end,
            label_id=label.id,
            annotator_id=annotator_id,
            quote=suggestion.quote,
            attributes=attributes,
            actor_id=suggestion.actor_id if label.name == ACTOR else None,
            origin=suggestion.engine,
            origin_version=suggestion.model_version or None,
        )
        made[suggestion.id] = span
        new_ids.append(span.id)

    def own_span(span_id: int) -> int | None:
        """The annotator's span at the place of this span (itself, when it is theirs)."""
        target = repo.span(span_id)
        if target.annotator_id == annotator_id:
            return target.id
        mine = repo.span_with(
            target.document_id, target.label_id, target.start, target.end, annotator_id=annotator_id
        )
        return None if mine is None else mine.id

    relations: list[Relation] = []
    for suggestion in by_id.values():
        source = made[suggestion.id]
        for link in suggestion.links:
            if link.target_span_id is not None:
                mine = own_span(link.target_span_id)
                if mine is None:
                    continue  # another layer's span, and theirs has none there: no link
                target_id = mine
            elif link.target_suggestion_id in made:
                target_id = made[link.target_suggestion_id].id
            else:
                continue
            try:
                relations.append(
                    repo.add_relation(
                        type_id=link.type_id,
                        source_id=source.id,
                        target_id=target_id,
                        annotator_id=annotator_id,
                    )
                )
            except InvalidRelationError:
                continue  # already linked, or a label changed on accepting: nothing to add
    started = (
        start_in(repo, document_id=document_id, annotator_id=annotator_id)
        for document_id in sorted({s.document_id for s in by_id.values()})
    )
    return Accepted(
        spans=tuple(made[suggestion_id] for suggestion_id in originals),
        relations=tuple(relations),
        suggestions=tuple(originals.values()),
        new_span_ids=tuple(new_ids),
        started=tuple(change for change in started if change is not None),
    )


def undo_accept(db: Database, *, accepted: Accepted) -> None:
    """Take back what accepting made (the status of a document it started included): the
    suggestions, which stayed stored, show again."""
    with db.transaction() as repo:
        for change in accepted.started:
            undo_status_in(repo, change)
        repo.delete_relations([r.id for r in accepted.relations])
        repo.delete_spans(list(accepted.new_span_ids))


def redo_accept(db: Database, *, accepted: Accepted) -> None:
    """Accept again after `undo_accept`, exactly: the same span and relation ids, so that later
    edits to them (redone after this) find them."""
    new = set(accepted.new_span_ids)
    with db.transaction() as repo:
        for change in accepted.started:
            redo_status_in(repo, change)
        restore_in(
            repo,
            DeletedSpans(
                tuple(span for span in accepted.spans if span.id in new), accepted.relations
            ),
        )


def reject_suggestion(db: Database, *, suggestion_id: int, annotator_id: int) -> Rejected:
    """Turn a suggestion down for this annotator: it leaves their list and stays in the
    others'; the engines stop proposing it once everyone on the document has rejected it."""
    with db.transaction() as repo:
        found = repo.suggestions_by_ids([suggestion_id])
        if not found:
            raise AnnotatorError("that suggestion is gone (accepted, rejected or run again)")
        suggestion = found[0]
        # Kept for undo, should a new run of the engines drop the suggestion meanwhile.
        incoming = tuple(
            (link_id, from_id, type_id)
            for link_id, from_id, _, type_id in repo.links_to_suggestions([suggestion_id])
        )
        rejection = repo.add_rejection(suggestion, annotator_id)
        return Rejected(suggestion, rejection, incoming)


def undo_reject(db: Database, *, rejected: Rejected) -> None:
    """Take a rejection back: the suggestion shows again in that annotator's list. Should it
    be gone from the store (a new run dropped it once everyone had rejected it), it is put
    back unless the engines have proposed that place again since."""
    with db.transaction() as repo:
        repo.delete_rejection(rejected.rejection_id)
        suggestion = rejected.suggestion
        if repo.suggestions_by_ids([suggestion.id]):
            return
        place = (suggestion.label_id, suggestion.start, suggestion.end)
        if any(
            (s.label_id, s.start, s.end) == place for s in repo.suggestions(suggestion.document_id)
        ):
            return
        repo.restore_suggestions([suggestion])
        sources = {s.id for s in repo.suggestions_by_ids([f for _, f, _ in rejected.incoming])}
        repo.restore_links(suggestion.id, [i for i in rejected.incoming if i[1] in sources])
