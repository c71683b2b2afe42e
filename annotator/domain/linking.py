"""Which spans a selected span can be linked to, nearest first (pure; no storage)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.domain.model import Relation, RelationType, Schema, Span


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """`span` can be linked from (outgoing) or to (not outgoing) the selected span by `type`."""

    span: Span
    type: RelationType
    outgoing: bool
    distance: int  # characters between the two spans; 0 when they overlap
    linked: bool  # this very link exists already


def distance(a: Span, b: Span) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def link_candidates(
    schema: Schema,
    selected: Span,
    spans: Iterable[Span],
    relations: Iterable[Relation] = (),
    *,
    limit: int | None = None,
) -> list[LinkCandidate]:
    """Spans of the document that some relation type can link with `selected`.

    Links from the selected span come first for each span (a claim's SOURCE before an actor's
    reverse link); candidates are ordered by distance, then position. Existing links are
    listed too, marked `linked`, so that choosing one again can unlink it.
    """
    existing = {(r.type_id, r.source_id, r.target_id) for r in relations}
    found: list[LinkCandidate] = []
    for span in spans:
        if span.id == selected.id:
            continue
        gap = distance(selected, span)
        for relation_type in schema.relation_types_between(selected.label_id, span.label_id):
            key = (relation_type.id, selected.id, span.id)
            found.append(LinkCandidate(span, relation_type, True, gap, key in existing))
        for relation_type in schema.relation_types_between(span.label_id, selected.label_id):
            if relation_type.source_label_id == relation_type.target_label_id:
                continue  # same-label types (claim in claim) are offered outgoing only
            key = (relation_type.id, span.id, selected.id)
            found.append(LinkCandidate(span, relation_type, False, gap, key in existing))
    found.sort(key=lambda c: (c.distance, not c.outgoing, c.span.start, c.type.position))
    return found if limit is None else found[:limit]
