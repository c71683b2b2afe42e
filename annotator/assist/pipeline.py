"""The engines run together on one document: actors, then dates, then claims.

Each later engine sees the document's annotations and the earlier engines' proposals, so a
claim can take a proposed actor as its SOURCE and a proposed date as its TIME. Proposals that
overlap an annotation of their own label are dropped by the engines themselves.
"""

from __future__ import annotations

from collections.abc import Collection

from annotator.assist.actors import NO_KNOWLEDGE, ActorKnowledge, find_actors
from annotator.assist.base import ACTORS, CLAIMS, DATES, DocumentContext, Mention, Proposal
from annotator.assist.temporal import find_dates


def propose(
    context: DocumentContext,
    *,
    engines: Collection[str],
    knowledge: ActorKnowledge = NO_KNOWLEDGE,
    cues: frozenset[str] = frozenset(),
) -> list[Proposal]:
    """Every proposal of the chosen engines for this document, in engine order."""
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
