"""The engines run together on one document: actors, then dates, then claims.

Each later engine sees the document's annotations and the earlier engines' proposals, so a
claim can take a proposed actor as its SOURCE and a proposed date as its TIME. Proposals that
overlap an annotation of their own label are dropped by the engines themselves.

The cyclic garbage collector is paused while the engines run (`domain.collector`). They
allocate tens of thousands of small objects (tokens, matches, candidates) that live until the
pass ends, and every few thousand of them the collector walks the whole heap, which in the app
holds Qt, SQLAlchemy and spaCy: measured, a quarter of the time on a 1 MB article. The engines
make no reference cycles (a pass leaves nothing for the collector to free), so reference
counting frees all of it.
"""

from __future__ import annotations

from collections.abc import Collection

from annotator.assist.actors import NO_KNOWLEDGE, ActorKnowledge, find_actors
from annotator.assist.base import ACTORS, CLAIMS, DATES, DocumentContext, Mention, Proposal
from annotator.assist.temporal import find_dates
from annotator.domain.collector import paused_collection


def propose(
    context: DocumentContext,
    *,
    engines: Collection[str],
    knowledge: ActorKnowledge = NO_KNOWLEDGE,
    cues: frozenset[str] = frozenset(),
) -> list[Proposal]:
    """Every proposal of the chosen engines for this document, in engine order."""
    with paused_collection():
        return _propose(context, engines, knowledge, cues)


def _propose(
    context: DocumentContext,
    engines: Collection[str],
    knowledge: ActorKnowledge,
    cues: frozenset[str],
) -> list[Proposal]:
    proposals: list[Proposal] = []
    if ACTORS in engines:
        proposals += find_actors(context, knowledge)
    if DATES in engines:
        proposals += find_dates(context)
    if CLAIMS in engines:
        from annotator.assist.claims import find_claims

        mentions: list[Mention] = [
            m for m in context.annotations if m.label in ("ACTOR", "DATE")
        ] + [p.as_mention() for p in proposals]
        proposals += find_claims(context, mentions, cues=cues)
    return proposals
