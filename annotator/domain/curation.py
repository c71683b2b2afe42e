"""Curation of several annotators' layers of one document into a gold layer: pure logic.

A span is known across layers by its key (label, start, end) and compared by its value
(attributes and registry actor; the note is commentary and does not count). A link is known by
its type and the keys of its two ends.

- Agreed: every chosen annotator has the same key with the same value (a span), or the same
  link between spans of the same keys (a link). Agreed items go to gold on their own.
- A disagreement: the other spans, grouped: spans of the same label that overlap, and spans at
  the same offsets whatever their label, are one disagreement; each annotator's spans in it are
  that annotator's side (empty when the annotator marked nothing there). Links that are not
  agreed are grouped by type and source: "who is the SOURCE of this claim" is one question.
- Resolved: gold holds a decision for it (a span of the disagreement's labels overlapping it,
  or a link of its type from its source), or the curator rejected it (its id is recorded).
  A disagreement whose content changes (an annotator adds a span to it) gets a new id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.model import Relation, Span

SpanKey = tuple[int, int, int]
"""(label id, start, end)."""

LinkKey = tuple[int, SpanKey, SpanKey]
"""(relation type id, source span key, target span key)."""


def span_key(span: Span) -> SpanKey:
    return (span.label_id, span.start, span.end)


def span_value(span: Span) -> tuple[str, int | None]:
    """What must be equal, besides the key, for two annotators to agree on a span."""
    return (json.dumps(span.attributes, sort_keys=True, default=str), span.actor_id)


@dataclass(frozen=True, slots=True)
class Layer:
    """One annotator's spans and links on the document."""

    annotator_id: int
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]

    def link_keys(self) -> dict[LinkKey, Relation]:
        by_id = {s.id: s for s in self.spans}
        found: dict[LinkKey, Relation] = {}
        for r in self.relations:
            source, target = by_id.get(r.source_id), by_id.get(r.target_id)
            if source is not None and target is not None:
                found[(r.type_id, span_key(source), span_key(target))] = r
        return found


@dataclass(frozen=True, slots=True)
class Side:
    """One annotator's version of a disagreement: their spans (or links) in it, maybe none."""

    annotator_id: int
    spans: tuple[Span, ...] = ()
    links: tuple[tuple[Relation, Span, Span], ...] = ()  # link, its source and target span

    @property
    def empty(self) -> bool:
        return not self.spans and not self.links


@dataclass(frozen=True, slots=True)
class Disagreement:
    id: str
    kind: str  # "span" or "link"
    start: int  # where in the text: the spans' extent, or the link source's
    end: int
    sides: tuple[Side, ...]

    def side(self, annotator_id: int) -> Side:
        for side in self.sides:
            if side.annotator_id == annotator_id:
                return side
        raise KeyError(annotator_id)

    @property
    def label_ids(self) -> frozenset[int]:
        return frozenset(s.label_id for side in self.sides for s in side.spans)

    @property
    def link_type(self) -> int | None:
        for side in self.sides:
            for relation, _, _ in side.links:
                return relation.type_id
        return None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Agreed items (each annotator's copy listed; the first chosen annotator's is the one to
    copy) and all disagreements, resolved or not, in reading order."""

    agreed_spans: dict[SpanKey, Span]
    agreed_links: dict[LinkKey, Relation]
    disagreements: tuple[Disagreement, ...]


def compare(layers: Sequence[Layer]) -> Comparison:
    """Match the layers' spans and links (see the module's description)."""
    if not layers:
        return Comparison({}, {}, ())
    per_layer = [{span_key(s): s for s in layer.spans} for layer in layers]
    agreed: dict[SpanKey, Span] = {}
    for key, span in per_layer[0].items():
        value = span_value(span)
        if all(key in other and span_value(other[key]) == value for other in per_layer[1:]):
            agreed[key] = span
    links = [layer.link_keys() for layer in layers]
    agreed_links = {
        key: relation
        for key, relation in links[0].items()
        if all(key in other for other in links[1:])
    }
    disagreements = [
        *_span_disagreements(layers, agreed),
        *_link_disagreements(layers, links, agreed_links),
    ]
    disagreements.sort(key=lambda d: (d.start, -d.end, d.kind != "span", d.id))
    return Comparison(agreed, agreed_links, tuple(disagreements))


def _span_disagreements(
    layers: Sequence[Layer], agreed: Mapping[SpanKey, Span]
) -> list[Disagreement]:
    loose = [
        (layer.annotator_id, s)
        for layer in layers
        for s in layer.spans
        if span_key(s) not in agreed
    ]
    parent = list(range(len(loose)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Sorted by start, a span can only overlap those that start before it ends.
    order = sorted(range(len(loose)), key=lambda i: (loose[i][1].start, loose[i][1].end))
    for n, i in enumerate(order):
        a = loose[i][1]
        for j in order[n + 1 :]:
            b = loose[j][1]
            if b.start >= a.end:
                break
            same_place = (a.start, a.end) == (b.start, b.end)
            if same_place or a.label_id == b.label_id:
                parent[find(j)] = find(i)
    groups: dict[int, list[tuple[int, Span]]] = {}
    for i, item in enumerate(loose):
        groups.setdefault(find(i), []).append(item)
    found = []
    for members in groups.values():
        spans = [s for _, s in members]
        keys = sorted({span_key(s) for s in spans})
        sides = tuple(
            Side(
                layer.annotator_id,
                tuple(
                    sorted(
                        (s for a, s in members if a == layer.annotator_id),
                        key=lambda s: (s.start, -s.end, s.label_id),
                    )
                ),
            )
            for layer in layers
        )
        values = "|".join(
            f"{a}:{span_key(s)}:{span_value(s)}"
            for a, s in sorted(members, key=lambda m: (m[0], span_key(m[1])))
        )
        found.append(
            Disagreement(
                id=f"span:{keys}:{_digest(values)}",
                kind="span",
                start=min(s.start for s in spans),
                end=max(s.end for s in spans),
                sides=sides,
            )
        )
    return found


def _link_disagreements(
    layers: Sequence[Layer],
    links: Sequence[Mapping[LinkKey, Relation]],
    agreed: Mapping[LinkKey, Relation],
) -> list[Disagreement]:
    groups: dict[tuple[int, SpanKey], dict[int, list[tuple[Relation, Span, Span]]]] = {}
    for layer, keyed in zip(layers, links, strict=True):
        by_id = {s.id: s for s in layer.spans}
        for key, relation in keyed.items():
            if key in agreed:
                continue
            entry = (relation, by_id[relation.source_id], by_id[relation.target_id])
            groups.setdefault((key[0], key[1]), {}).setdefault(layer.annotator_id, []).append(entry)
    found = []
    for (type_id, source), by_annotator in groups.items():
        sides = tuple(
            Side(
                layer.annotator_id,
                links=tuple(
                    sorted(by_annotator.get(layer.annotator_id, []), key=lambda e: span_key(e[2]))
                ),
            )
            for layer in layers
        )
        targets = "|".join(
            f"{a}:{span_key(e[2])}" for a in sorted(by_annotator) for e in by_annotator[a]
        )
        found.append(
            Disagreement(
                id=f"link:{type_id}:{source}:{_digest(targets)}",
                kind="link",
                start=source[1],
                end=source[2],
                sides=sides,
            )
        )
    return found


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def resolved(
    disagreement: Disagreement,
    gold: Layer,
    agreed: Iterable[SpanKey],
    rejected: Iterable[str],
) -> bool:
    """Whether the curator decided this disagreement: gold holds a decision for it, or it
    was rejected. Gold's copies of agreed spans do not count as decisions."""
    if disagreement.id in set(rejected):
        return True
    skip = set(agreed)
    if disagreement.kind == "span":
        spans = [s for side in disagreement.sides for s in side.spans]
        for g in gold.spans:
            if span_key(g) in skip:
                continue
            for s in spans:
                if (g.start, g.end) == (s.start, s.end) or (
                    g.label_id == s.label_id and g.start < s.end and s.start < g.end
                ):
                    return True
        return False
    type_id = disagreement.link_type
    source = next(span_key(src) for side in disagreement.sides for _, src, _ in side.links)
    return any(key[0] == type_id and key[1] == source for key in gold.link_keys())


def open_disagreements(
    comparison: Comparison, gold: Layer, rejected: Iterable[str]
) -> list[Disagreement]:
    """The disagreements still to decide, in reading order."""
    rejected = set(rejected)
    return [
        d
        for d in comparison.disagreements
        if not resolved(d, gold, comparison.agreed_spans, rejected)
    ]
