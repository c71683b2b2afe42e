"""Which spans a selected span can be linked to, most likely first (pure; no storage).

The order is what `L` offers, and Enter takes the first row the user has not linked yet, so it
ranks by what an annotator most likely wants next:

1. Kinds of link the selected span does not have yet come before kinds it has (a claim with its
   SOURCE offers its TIME first).
2. Within those, plausible spans before unlikely ones. A claim's SOURCE is an actor outside the
   claim: one next to a reporting verb in the same sentence ("Aaltonen said his government
   would ...") first, then others in that sentence, then actors in other sentences, and an actor
   inside the claim ("his *government* would") last. REPORTED_IN goes from a claim to a claim
   that contains it; a claim that does not contain it is never a likely choice.
3. Then nearest first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import IntEnum

from annotator.domain.model import Relation, RelationType, Schema, Span
from annotator.domain.schema import REPORTED_IN, SOURCE

# Words that attribute a statement to whoever stands next to them, besides reporting verbs.
_ATTRIBUTING = frozenset({"according"})
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_SENTENCE_BREAK = re.compile(r"[.!?…][”\"’»)\]]*\s|\n")
# How many words on the far side of an actor may hold its reporting verb ("…,” Aaltonen said).
_FAR_WORDS = 3
_FAR_CHARS = 40


class Fit(IntEnum):
    """How likely a candidate is the span the user wants for its link type (lower: likelier)."""

    CUED = 0  # a SOURCE next to a reporting verb in the claim's sentence
    LIKELY = 1  # another SOURCE in that sentence; a claim containing this one (REPORTED_IN); any
    # candidate of a type with no rule of its own (TIME, types the user added)
    FAR = 2  # a SOURCE in another sentence
    INSIDE = 3  # a SOURCE inside the claim it would be the source of
    WRONG = 4  # REPORTED_IN to a claim that does not contain this one


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """`span` can be linked from (outgoing) or to (not outgoing) the selected span by `type`."""

    span: Span
    type: RelationType
    outgoing: bool
    distance: int  # characters between the two spans; 0 when they overlap
    linked: bool  # this very link exists already
    fit: Fit = Fit.LIKELY
    filled: bool = False  # the link's source span has a link of this type already

    @property
    def likely(self) -> bool:
        """A row Enter may link by default.

        Not linked yet, and either of a kind of link the span lacks and not wrong, or, when it
        has that kind already, a second one in the same sentence ("Aaltonen and Lindqvist said").
        """
        if self.linked:
            return False
        return self.fit <= Fit.LIKELY if self.filled else self.fit < Fit.WRONG


def distance(a: Span, b: Span) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def contains(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and len(outer) > len(inner)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def source_fit(
    claim: Span, actor: Span, text: str | None, reporting_words: Collection[str] = ()
) -> Fit:
    """How likely `actor` is the SOURCE of `claim`, from where it stands (see the module)."""
    if claim.start <= actor.start and actor.end <= claim.end:
        return Fit.INSIDE
    if actor.start < claim.end and claim.start < actor.end:
        return Fit.INSIDE  # straddles the claim's edge: part of what is said
    if text is None:
        return Fit.LIKELY
    if actor.end <= claim.start:
        gap = text[actor.end : claim.start]
        far = " ".join(text[max(0, actor.start - _FAR_CHARS) : actor.start].split()[-_FAR_WORDS:])
    else:
        gap = text[claim.end : actor.start]
        far = " ".join(text[actor.end : actor.end + _FAR_CHARS].split()[:_FAR_WORDS])
    if _SENTENCE_BREAK.search(gap):
        return Fit.FAR
    cues = set(reporting_words) | _ATTRIBUTING
    verb = claim.attributes.get("reporting_verb")
    if isinstance(verb, str):
        cues.update(_words(verb))
    if cues.intersection(_words(gap)):
        return Fit.CUED  # "Aaltonen said his government …", "…, said Aaltonen"
    if actor.start >= claim.end:
        # After the claim the verb may follow the actor ("…,” Aaltonen said), up to a full stop.
        after = _words(_SENTENCE_BREAK.split(far)[0])
        return Fit.CUED if cues.intersection(after) else Fit.LIKELY
    # Before the claim only "according to" may stand on the far side: in "Lindqvist told
    # reporters that …" the verb before "reporters" makes them the addressee, not the source.
    before = _words(_SENTENCE_BREAK.split(far)[-1])[-2:]
    return Fit.CUED if _ATTRIBUTING.intersection(before) else Fit.LIKELY


def _fit(
    relation_type: RelationType,
    source: Span,
    target: Span,
    text: str | None,
    reporting_words: Collection[str],
) -> Fit:
    if relation_type.name == SOURCE:
        return source_fit(source, target, text, reporting_words)
    if relation_type.name == REPORTED_IN:
        return Fit.LIKELY if contains(target, source) else Fit.WRONG
    return Fit.LIKELY


def rank(candidates: Iterable[LinkCandidate]) -> list[LinkCandidate]:
    """Most likely first: unfilled kinds of link, then by fit, then nearest (see the module)."""
    return sorted(
        candidates,
        key=lambda c: (
            c.fit == Fit.WRONG,
            c.filled,
            c.fit,
            c.distance,
            not c.outgoing,
            c.span.start,
            c.type.position,
        ),
    )


def link_candidates(
    schema: Schema,
    selected: Span,
    spans: Iterable[Span],
    relations: Iterable[Relation] = (),
    *,
    text: str | None = None,
    reporting_words: Collection[str] = (),
    limit: int | None = None,
) -> list[LinkCandidate]:
    """Spans of the document that some relation type can link with `selected`, likeliest first.

    `text` is the document's text: with it a SOURCE next to a reporting verb (one of
    `reporting_words`, lower case, or the claim's `reporting_verb`) in the claim's sentence ranks
    first. Existing links are listed too, marked `linked`, so that choosing one again can unlink
    it.
    """
    relations = list(relations)
    existing = {(r.type_id, r.source_id, r.target_id) for r in relations}
    # A kind of link is filled when the span it would start from has one already: a claim with
    # a SOURCE, seen from the claim or from another actor.
    filled = {(r.type_id, r.source_id) for r in relations}
    found: list[LinkCandidate] = []
    for span in spans:
        if span.id == selected.id:
            continue
        gap = distance(selected, span)
        for relation_type in schema.relation_types_between(selected.label_id, span.label_id):
            key = (relation_type.id, selected.id, span.id)
            fit = _fit(relation_type, selected, span, text, reporting_words)
            is_filled = (relation_type.id, selected.id) in filled
            found.append(
                LinkCandidate(span, relation_type, True, gap, key in existing, fit, is_filled)
            )
        for relation_type in schema.relation_types_between(span.label_id, selected.label_id):
            if relation_type.source_label_id == relation_type.target_label_id:
                continue  # same-label types (claim in claim) are offered outgoing only
            key = (relation_type.id, span.id, selected.id)
            fit = _fit(relation_type, span, selected, text, reporting_words)
            is_filled = (relation_type.id, span.id) in filled
            found.append(
                LinkCandidate(span, relation_type, False, gap, key in existing, fit, is_filled)
            )
    ranked = rank(found)
    return ranked if limit is None else ranked[:limit]
