"""Suggestions in two steps, for the window: propose off its GUI thread, store on it.

`run_suggestions` reads a document, runs the engines and writes in one transaction. A window
that writes at the same time (the annotator accepting a suggestion) meets SQLite's rule for WAL
databases: a transaction that read before another connection committed cannot write after it,
and fails at once instead of waiting. So the window splits the work: `propose_suggestions`
only reads (and runs the engines), which never contends with a write; `store_proposed` writes
on the thread that makes every other edit, in one short transaction that writes first.

What the annotator did between the two steps wins: a proposal the annotator has since accepted
(an annotation now has its offsets and label) or rejected is left out, a link to it points at
the annotation instead, and links to spans or actors deleted meanwhile are dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from annotator import __version__
from annotator.assist.base import ACTORS, CLAIMS, DATES, ENGINES
from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions import NewLink, NewSuggestion
from annotator.services.suggestions import (
    _all_document_ids,
    _context,
    _no_knowledge,
    _teaching,
    proposals_to_store,
    suggestion_settings,
)
from annotator.store import Database


@dataclass(frozen=True)
class Proposed:
    """What the engines propose for one document, ready to store."""

    document_id: int
    engines: tuple[str, ...]
    items: tuple[NewSuggestion, ...]


def propose_suggestions(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    engines: Sequence[str] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Proposed]:
    """Run the engines over documents (all when None), reading only; one `Proposed` per
    document, as each is done. A document deleted meanwhile is skipped. `engines` defaults to
    those switched on for the database."""
    from annotator.assist.pipeline import propose

    if engines:
        unknown = sorted(set(engines) - set(ENGINES))
        if unknown:
            raise AnnotatorError(
                f"unknown engine {unknown[0]!r}; the engines are {', '.join(ENGINES)}"
            )
        chosen = tuple(e for e in ENGINES if e in set(engines))
    else:
        chosen = suggestion_settings(db).engines
    with db.transaction() as repo:
        schema = repo.schema()
        actors = repo.actors()
        ids = list(document_ids) if document_ids is not None else list(_all_document_ids(repo))
        teaching = _teaching(repo, schema) if ACTORS in chosen or CLAIMS in chosen else None
    actor_keys = {a.id: a.key for a in actors}
    actor_ids = {a.key: a.id for a in actors}
    model = teaching.model_version if teaching else ""
    versions = {
        ACTORS: f"{__version__}+{model}" if model else __version__,
        DATES: __version__,
        CLAIMS: __version__,
    }
    names = {label.id: label.name for label in schema.labels}
    for document_id in ids:
        if cancelled is not None and cancelled():
            return
        with db.transaction() as repo:
            if not repo.existing_document_ids([document_id]):
                continue
            spans = repo.spans(document_id)
            context = _context(repo, document_id, schema, actor_keys, spans)
            span_ids = {(s.start, s.end, names.get(s.label_id, "")): s.id for s in spans}
        proposals = propose(
            context,
            engines=chosen,
            knowledge=teaching.knowledge if teaching else _no_knowledge(),
            cues=teaching.cues if teaching else frozenset(),
        )
        items = proposals_to_store(proposals, context, schema, span_ids, actor_ids, versions)
        yield Proposed(document_id, chosen, tuple(items))


def store_proposed(db: Database, proposed: Sequence[Proposed]) -> Counter[str]:
    """Store proposals in one transaction, each document's replacing the earlier suggestions
    of its engines there; what was decided since they were made wins (see above). How many
    were stored, per engine."""
    stored: Counter[str] = Counter()
    if not proposed:
        return stored
    with db.transaction() as repo:
        # The first statement writes (it clears what is replaced below anyway): SQLite then
        # takes the write lock before anything is read, waiting for another writer instead of
        # failing when that writer commits after this transaction has read.
        repo.replace_suggestions(proposed[0].document_id, proposed[0].engines, [])
        schema = repo.schema()
        label_ids = {label.id for label in schema.labels}
        type_ids = {t.id for t in schema.relation_types}
        actor_ids = {a.id for a in repo.actors()}
        present = repo.existing_document_ids([p.document_id for p in proposed])
        for p in proposed:
            if p.document_id not in present:
                continue
            spans = repo.spans(p.document_id)
            annotated = {(s.label_id, s.start, s.end): s.id for s in spans}
            items = fresh_items(
                p.items,
                annotated=annotated,
                span_ids={s.id for s in spans},
                rejected=repo.rejected_keys(p.document_id),
                label_ids=label_ids,
                type_ids=type_ids,
                actor_ids=actor_ids,
            )
            repo.replace_suggestions(p.document_id, p.engines, items)
            stored.update(item.engine for item in items)
    return stored


def fresh_items(
    items: Sequence[NewSuggestion],
    *,
    annotated: dict[tuple[int, int, int], int],
    span_ids: set[int],
    rejected: set[tuple[int, int, int]],
    label_ids: set[int],
    type_ids: set[int],
    actor_ids: set[int],
) -> list[NewSuggestion]:
    """The items still worth proposing, keyed (label id, start, end): not annotated, not
    rejected, of a label and with links of types that still exist; links to an item now
    annotated point at the annotation, links to vanished spans go."""

    def key(item: NewSuggestion) -> tuple[int, int, int]:
        return (item.label_id, item.start, item.end)

    kept: list[NewSuggestion] = []
    moved: dict[int, int] = {}
    for index, item in enumerate(items):
        if key(item) in annotated or key(item) in rejected or item.label_id not in label_ids:
            continue
        moved[index] = len(kept)
        kept.append(item)
    out = []
    for item in kept:
        links = []
        for link in item.links:
            if link.type_id not in type_ids:
                continue
            if link.target_span_id is not None:
                if link.target_span_id in span_ids:
                    links.append(link)
            elif link.target_index is not None and 0 <= link.target_index < len(items):
                target = key(items[link.target_index])
                if target in annotated:
                    links.append(NewLink(link.type_id, target_span_id=annotated[target]))
                elif link.target_index in moved:
                    links.append(NewLink(link.type_id, target_index=moved[link.target_index]))
        actor_id = item.actor_id if item.actor_id in actor_ids else None
        out.append(replace(item, links=tuple(links), actor_id=actor_id))
    return out
