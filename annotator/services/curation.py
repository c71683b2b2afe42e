"""Curating annotators' layers of a document into the gold layer.

Each call is one transaction. Agreed spans and links go to gold with `merge_agreed` (again and
again without duplicating anything); the curator decides each disagreement with `accept` (one
annotator's side, optionally changed: an edit) or `reject` (none goes to gold). Every call that
writes returns a `CurationStep`, which `undo_step` takes back and `redo_step` makes again.
Rejections are recorded per document in the database's settings, by disagreement id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.domain.curation import (
    Comparison,
    Disagreement,
    Layer,
    Side,
    SpanKey,
    compare,
    open_disagreements,
    span_key,
)
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.model import Annotator, DeletedSpans, Relation, Span
from annotator.services import gold_removals
from annotator.services.spans import restore_in
from annotator.store import Database, Repository

GOLD = "gold"
"""The default name of the gold layer's annotator."""

GOLD_ROLE = gold_removals.GOLD_ROLE


@dataclass(frozen=True, slots=True)
class SpanChange:
    """An edit: the accepted span as the curator wants it in gold (None keeps the side's)."""

    start: int | None = None
    end: int | None = None
    label_id: int | None = None
    attributes: dict[str, Any] | None = None
    actor_id: int | None = None


@dataclass(frozen=True, slots=True)
class CurationStep:
    """What one curation call wrote to gold: enough to undo and redo it."""

    document_id: int
    text: str
    added: DeletedSpans = field(default_factory=lambda: DeletedSpans(()))
    links_added: tuple[Relation, ...] = ()  # links between spans gold already had
    rejected: str | None = None

    @property
    def empty(self) -> bool:
        return not self.added.spans and not self.links_added and self.rejected is None


@dataclass(frozen=True, slots=True)
class CurationState:
    document_id: int
    text: str
    annotators: tuple[Annotator, ...]
    gold: Annotator
    comparison: Comparison
    open: tuple[Disagreement, ...]
    gold_spans: tuple[Span, ...]

    def name_of(self, annotator_id: int) -> str:
        return next((a.name for a in self.annotators if a.id == annotator_id), str(annotator_id))


def gold_layer(repo: Repository, name: str = GOLD) -> Annotator:
    """Inside a transaction: the gold annotator of this name, made if new; AnnotatorError if
    the name is an annotator's own layer."""
    existing = {a.name: a for a in repo.annotators()}
    if name in existing:
        annotator = existing[name]
        if repo.annotator_roles().get(annotator.id) != GOLD_ROLE:
            raise AnnotatorError(
                f"{name!r} is an annotator's layer, not a gold layer: choose another gold name"
            )
        return annotator
    annotator = repo.annotator_named(name)
    repo.set_annotator_role(annotator.id, GOLD_ROLE)
    return annotator


def _chosen(repo: Repository, document_id: int, names: Sequence[str] | None) -> list[Annotator]:
    roles = repo.annotator_roles()
    everyone = {a.name: a for a in repo.annotators()}
    if names:
        missing = [n for n in names if n not in everyone]
        if missing:
            raise NotFoundError(f"no annotator named {', '.join(map(repr, missing))}")
        chosen = [everyone[n] for n in dict.fromkeys(names)]
        gold = [a.name for a in chosen if roles.get(a.id) == GOLD_ROLE]
        if gold:
            raise AnnotatorError(f"{gold[0]!r} is a gold layer, not an annotator to curate")
        return chosen
    with_spans = {s.annotator_id for s in repo.spans(document_id)}
    return [a for a in everyone.values() if a.id in with_spans and roles.get(a.id) != GOLD_ROLE]


def _layer(spans: Sequence[Span], relations: Sequence[Relation], annotator_id: int) -> Layer:
    return Layer(
        annotator_id,
        tuple(s for s in spans if s.annotator_id == annotator_id),
        tuple(r for r in relations if r.annotator_id == annotator_id),
    )


def _rejected_key(document_id: int) -> str:
    return f"curation.rejected.{document_id}"


def _rejected(repo: Repository, document_id: int) -> list[str]:
    value = repo.setting(_rejected_key(document_id))
    return [str(v) for v in value] if isinstance(value, list) else []


def _state(
    repo: Repository, document_id: int, names: Sequence[str] | None, gold_name: str
) -> CurationState:
    document = repo.document(document_id)
    gold = gold_layer(repo, gold_name)
    chosen = _chosen(repo, document_id, names)
    spans, relations = repo.spans(document_id), repo.relations(document_id)
    layers = [_layer(spans, relations, a.id) for a in chosen]
    gold_layer_now = _layer(spans, relations, gold.id)
    comparison = compare(layers)
    still = open_disagreements(comparison, gold_layer_now, _rejected(repo, document_id))
    return CurationState(
        document_id,
        document.text,
        tuple(chosen),
        gold,
        comparison,
        tuple(still),
        gold_layer_now.spans,
    )


def curation_state(
    db: Database,
    *,
    document_id: int,
    annotators: Sequence[str] | None = None,
    gold: str = GOLD,
) -> CurationState:
    """The chosen annotators' layers compared (default: every annotator with spans on the
    document, gold layers aside), with the disagreements gold has not decided yet."""
    with db.transaction() as repo:  # the gold annotator may be made here
        return _state(repo, document_id, annotators, gold)


class _Gold:
    """Writes to gold inside one transaction, remembering what it added."""

    def __init__(self, repo: Repository, state: CurationState) -> None:
        self.repo = repo
        self.state = state
        spans = repo.spans(state.document_id)
        self.by_key: dict[SpanKey, Span] = {
            span_key(s): s for s in spans if s.annotator_id == state.gold.id
        }
        relations = repo.relations(state.document_id)
        gold = _layer(spans, relations, state.gold.id)
        self.links = set(gold.link_keys())
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.loose_links: list[Relation] = []

    def span(self, span: Span, change: SpanChange | None = None) -> Span:
        c = change or SpanChange()
        start = span.start if c.start is None else c.start
        end = span.end if c.end is None else c.end
        label_id = span.label_id if c.label_id is None else c.label_id
        key = (label_id, start, end)
        if key in self.by_key:
            return self.by_key[key]
        added = self.repo.add_span(
            document_id=span.document_id,
            start=start,
            end=end,
            label_id=label_id,
            annotator_id=self.state.gold.id,
            attributes=dict(span.attributes if c.attributes is None else c.attributes),
            note=span.note,
            actor_id=span.actor_id if c.actor_id is None else c.actor_id,
        )
        self.by_key[key] = added
        self.spans.append(added)
        return added

    def link(self, type_id: int, source: Span, target: Span) -> None:
        key = (type_id, span_key(source), span_key(target))
        if key in self.links:
            return
        relation = self.repo.add_relation(
            type_id=type_id,
            source_id=source.id,
            target_id=target.id,
            annotator_id=self.state.gold.id,
        )
        self.links.add(key)
        new = {s.id for s in self.spans}
        if source.id in new or target.id in new:
            self.relations.append(relation)
        else:
            self.loose_links.append(relation)

    def links_of(self, annotator_id: int, keys: set[SpanKey]) -> None:
        """The annotator's links touching spans of these keys whose other end gold has."""
        layer = _layer(
            self.repo.spans(self.state.document_id),
            self.repo.relations(self.state.document_id),
            annotator_id,
        )
        for type_id, source, target in layer.link_keys():
            if (
                (source in keys or target in keys)
                and source in self.by_key
                and target in self.by_key
            ):
                self.link(type_id, self.by_key[source], self.by_key[target])

    def step(self, text: str, rejected: str | None = None) -> CurationStep:
        return CurationStep(
            self.state.document_id,
            text,
            DeletedSpans(tuple(self.spans), tuple(self.relations)),
            tuple(self.loose_links),
            rejected,
        )


def merge_agreed(
    db: Database,
    *,
    document_id: int,
    annotators: Sequence[str] | None = None,
    gold: str = GOLD,
) -> CurationStep:
    """Copy every agreed span and link that gold lacks into gold; nothing twice.

    An agreed link goes once gold has both its ends (an end in disagreement waits for the
    curator's decision). What the curator deleted from gold stays out (`gold_removals`).
    Agreement needs two annotators or more: with fewer, nothing is agreed.
    """
    with db.transaction() as repo:
        state = _state(repo, document_id, annotators, gold)
        writer = _Gold(repo, state)
        if len(state.annotators) < 2:
            return writer.step("Merge agreed")
        gone = gold_removals.removed(repo, document_id)
        for key, span in state.comparison.agreed_spans.items():
            if key not in gone.spans:
                writer.span(span)
        for link in state.comparison.agreed_links:
            type_id, source, target = link
            if link in gone.links:
                continue
            if source in writer.by_key and target in writer.by_key:
                writer.link(type_id, writer.by_key[source], writer.by_key[target])
        return writer.step("Merge agreed")


def _find(state: CurationState, disagreement_id: str) -> Disagreement:
    for d in state.open:
        if d.id == disagreement_id:
            return d
    raise NotFoundError(
        "this disagreement is no longer open (decided, or a layer changed since): "
        "look at the list again"
    )


def accept(
    db: Database,
    *,
    document_id: int,
    disagreement_id: str,
    annotator_id: int,
    change: SpanChange | None = None,
    annotators: Sequence[str] | None = None,
    gold: str = GOLD,
) -> CurationStep:
    """Take one annotator's side of a disagreement into gold, with its links whose other end
    gold has (for a link, its ends come along). With `change` (an edit), the side's one span
    goes to gold changed. An empty side is a rejection."""
    with db.transaction() as repo:
        state = _state(repo, document_id, annotators, gold)
        found = _find(state, disagreement_id)
        side = found.side(annotator_id)
        name = state.name_of(annotator_id)
        if side.empty:
            return _reject_in(repo, state, found, f"Accept {name}: nothing")
        writer = _Gold(repo, state)
        if change is not None and len(side.spans) != 1:
            raise AnnotatorError("an edit changes one span: this side has more or none")
        for span in side.spans:
            writer.span(span, change)
        if side.links:
            _ends_decided(state, side)
        for relation, source, target in side.links:
            writer.link(relation.type_id, writer.span(source), writer.span(target))
        writer.links_of(annotator_id, {span_key(s) for s in writer.spans})
        verb = "Edit" if change is not None else "Accept"
        return writer.step(f"{verb} {name}")


def _ends_decided(state: CurationState, side: Side) -> None:
    """Refuse to take links whose end is a span still in disagreement: taking the link would
    decide that span by the way."""
    waiting = {
        span_key(s): s for d in state.open if d.kind == "span" for x in d.sides for s in x.spans
    }
    for _, source, target in side.links:
        for end in (source, target):
            if span_key(end) in waiting:
                raise AnnotatorError(
                    f"decide the span {end.quote!r} first: this link ends there, and which "
                    "version of it goes to gold is still open"
                )


def reject(
    db: Database,
    *,
    document_id: int,
    disagreement_id: str,
    annotators: Sequence[str] | None = None,
    gold: str = GOLD,
) -> CurationStep:
    """Decide that no side goes to gold (recorded, so it is no longer listed)."""
    with db.transaction() as repo:
        state = _state(repo, document_id, annotators, gold)
        return _reject_in(repo, state, _find(state, disagreement_id), "Reject")


def _reject_in(
    repo: Repository, state: CurationState, found: Disagreement, text: str
) -> CurationStep:
    _mark(repo, state.document_id, found.id, rejected=True)
    return CurationStep(state.document_id, text, rejected=found.id)


def _mark(repo: Repository, document_id: int, disagreement_id: str, *, rejected: bool) -> None:
    now = _rejected(repo, document_id)
    if rejected and disagreement_id not in now:
        now.append(disagreement_id)
    elif not rejected and disagreement_id in now:
        now.remove(disagreement_id)
    repo.set_setting(_rejected_key(document_id), now)


def undo_step(db: Database, *, step: CurationStep) -> None:
    """Take back what a curation call wrote to gold."""
    with db.transaction() as repo:
        if step.links_added:
            repo.delete_relations(r.id for r in step.links_added)
        if step.added.spans:
            repo.delete_spans(s.id for s in step.added.spans)  # their links go with them
        if step.rejected is not None:
            _mark(repo, step.document_id, step.rejected, rejected=False)


def redo_step(db: Database, *, step: CurationStep) -> None:
    """Write again what `undo_step` took back, under the same ids."""
    with db.transaction() as repo:
        restore_in(repo, step.added)
        repo.restore_relations(step.links_added)
        if step.rejected is not None:
            _mark(repo, step.document_id, step.rejected, rejected=True)
