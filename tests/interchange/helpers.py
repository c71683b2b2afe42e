"""Builders for interchange test data: documents with spans, without a database.

Read-only for the other interchange tests; keep it small and stable.

    doc = make_doc("Ana met Bo.", spans=[(0, 3, "ACTOR"), (8, 10, "ACTOR")])
    doc = make_doc(text, spans=[(0, 3, "CLAIM", {"certainty": "high"}, "a note")], doc_id=7)

A span tuple is (start, end, label) with optional attributes dict and note; offsets are code
points, the quote is taken from the text. Labels are the defaults (ACTOR, DATE, CLAIM, ids 1..3),
the annotator is "tester" (id 1).

`claim_doc()` is a small article with everything the claim model holds: ACTOR/DATE/CLAIM spans
with the default attributes (choice, text with spaces, yes/no, a date value), a note, actor
links to registry entries (one with a Wikidata QID) and SOURCE, TIME and REPORTED_IN relations
(nested attribution). `relations_of(doc)` and `actor_keys(doc)` describe a document by quotes,
so that a written document and one read back compare without ids.

`from_imported(item)` turns what a reader yielded back into an `AnnotatedDocument` (labels,
annotators, relation types and actors matched by name or key), for export -> import -> export
round trips. `text_with_spans()` is
a hypothesis strategy: LF-only text full of offset traps (emoji, ZWJ sequences, flags,
combining marks, U+2028) and up to six (start, end, label) spans on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from annotator.domain.interchange import AnnotatedDocument, ImportedDocument, ImportedSpan
from annotator.domain.model import (
    Actor,
    Annotator,
    Document,
    DocumentMeta,
    HighlightStyle,
    Label,
    Relation,
    RelationType,
    Span,
)
from annotator.domain.schema import DEFAULT_LABELS

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

LABELS: Mapping[int, Label] = {
    1: Label(1, "ACTOR", "#56B4E9", "a", 0),
    2: Label(2, "DATE", "#E69F00", "d", 1),
    3: Label(3, "CLAIM", "#CC79A7", "c", 2, HighlightStyle.UNDERLINE),
}
LABEL_IDS: Mapping[str, int] = {label.name: label.id for label in LABELS.values()}
TESTER = Annotator(1, "tester")
ANNOTATORS: Mapping[int, Annotator] = {1: TESTER}

SpanSpec = (
    tuple[int, int, str]
    | tuple[int, int, str, Mapping[str, Any]]
    | tuple[int, int, str, Mapping[str, Any], str | None]
)


def make_doc(
    text: str,
    spans: Sequence[SpanSpec] = (),
    *,
    doc_id: int = 1,
    title: str = "Test article",
    meta: DocumentMeta | None = None,
    tags: Sequence[str] = (),
    first_span_id: int = 1,
) -> AnnotatedDocument:
    """A stored document with these spans, the default labels and the annotator "tester"."""
    document = Document(
        id=doc_id,
        meta=meta if meta is not None else DocumentMeta(title=title),
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        created=WHEN,
    )
    built = []
    for n, spec in enumerate(spans):
        start, end, label = spec[0], spec[1], spec[2]
        extra: tuple[Any, ...] = tuple(spec[3:])
        attributes: dict[str, Any] = dict(extra[0]) if extra else {}
        note: str | None = extra[1] if len(extra) > 1 else None
        built.append(
            Span(
                id=first_span_id + n,
                document_id=doc_id,
                start=start,
                end=end,
                label_id=LABEL_IDS[label],
                quote=text[start:end],
                annotator_id=TESTER.id,
                created=WHEN,
                updated=WHEN,
                attributes=attributes,
                note=note,
            )
        )
    return AnnotatedDocument(document, tuple(built), LABELS, ANNOTATORS, tuple(tags))


def from_imported(
    item: ImportedDocument,
    *,
    doc_id: int = 1,
    labels: Mapping[int, Label] = LABELS,
    annotators: Mapping[int, Annotator] = ANNOTATORS,
    relation_types: Mapping[int, RelationType] | None = None,
    actors: Mapping[int, Actor] | None = None,
) -> AnnotatedDocument:
    """A stored document made from what a reader yielded, as an importer would store it.

    Labels and annotators are matched by name; unknown names get new ids (colour #999999).
    Spans without an annotator are "tester"'s. Text and offsets are taken as read. Relations
    are linked through the spans' refs; relation types are matched by name (unknown: any label
    to any label) and actors by key (unknown: from the document's registry entries, else named
    after the key).
    """
    by_label = {label.name: label for label in labels.values()}
    by_annotator = {a.name: a for a in annotators.values()}
    all_labels = dict(labels)
    all_annotators = dict(annotators)
    all_types = dict(RELATION_TYPES if relation_types is None else relation_types)
    by_type = {t.name: t for t in all_types.values()}
    all_actors = dict(actors or {})
    by_key = {a.key: a for a in all_actors.values()}
    registry = {a.key: a for a in item.actors}

    def annotator_of(name: str | None) -> Annotator:
        name = name or TESTER.name
        annotator = by_annotator.get(name)
        if annotator is None:
            annotator = Annotator(max(all_annotators, default=0) + 1, name)
            all_annotators[annotator.id] = by_annotator[name] = annotator
        return annotator

    def actor_of(s: ImportedSpan) -> int | None:
        if not s.actor:
            return None
        actor = by_key.get(s.actor)
        if actor is None:
            entry = registry.get(s.actor)
            actor = Actor(
                max(all_actors, default=0) + 1,
                s.actor,
                entry.name if entry else s.actor,
                entry.kind if entry else None,
                entry.aliases if entry else (),
                entry.description if entry else "",
                entry.external_id if entry else None,
            )
            all_actors[actor.id] = by_key[s.actor] = actor
        return actor.id

    built = []
    refs: dict[str, int] = {}
    for n, s in enumerate(item.spans, start=1):
        label = by_label.get(s.label)
        if label is None:
            label = Label(max(all_labels, default=0) + 1, s.label, "#999999", None, len(all_labels))
            all_labels[label.id] = by_label[s.label] = label
        built.append(
            Span(
                id=n,
                document_id=doc_id,
                start=s.start,
                end=s.end,
                label_id=label.id,
                quote=item.text[s.start : s.end],
                annotator_id=annotator_of(s.annotator).id,
                created=WHEN,
                updated=WHEN,
                attributes=dict(s.attributes),
                note=s.note,
                actor_id=actor_of(s),
            )
        )
        if s.ref is not None:
            refs.setdefault(s.ref, n)
    relations = []
    for n, r in enumerate(item.relations, start=1):
        relation_type = by_type.get(r.type)
        if relation_type is None:
            relation_type = RelationType(
                max(all_types, default=0) + 1, r.type, None, None, "#777777", len(all_types)
            )
            all_types[relation_type.id] = by_type[r.type] = relation_type
        relations.append(
            Relation(
                n,
                doc_id,
                relation_type.id,
                refs[r.source],
                refs[r.target],
                annotator_of(r.annotator).id,
                WHEN,
            )
        )
    document = Document(
        id=doc_id,
        meta=item.meta,
        text=item.text,
        sha256=hashlib.sha256(item.text.encode("utf-8")).hexdigest(),
        created=WHEN,
    )
    return AnnotatedDocument(
        document,
        tuple(built),
        all_labels,
        all_annotators,
        item.tags,
        tuple(relations),
        all_types,
        {i: a for i, a in all_actors.items() if any(s.actor_id == i for s in built)},
    )


# The claim model: labels with the default attributes, relation types, registry actors. -------

CLAIM_LABELS: Mapping[int, Label] = {
    i: Label(i, spec.name, spec.colour, spec.hotkey, i - 1, spec.style, spec.description,
             spec.attributes)
    for i, spec in enumerate(DEFAULT_LABELS, start=1)
}  # fmt: skip
RELATION_TYPES: Mapping[int, RelationType] = {
    1: RelationType(1, "SOURCE", 3, 1, "#0072B2", 0, "The actor who makes the claim."),
    2: RelationType(2, "TIME", 3, 2, "#D55E00", 1, "The date the claim refers to."),
    3: RelationType(3, "REPORTED_IN", 3, 3, "#009E73", 2, "The claim that reports this one."),
}
ACTORS: Mapping[int, Actor] = {
    5: Actor(5, "kcna", "Korean Central News Agency", "media", ("KCNA",),
             "North Korea's state news agency", "Q1130405"),
    6: Actor(6, "kim-yo-jong", "Kim Yo Jong", "person", ("Kim Yo-jong",), "", None),
    7: Actor(7, "putin", "Vladimir Putin", "person", (), "President of Russia", "Q7747"),
}  # fmt: skip

CLAIM_TEXT = (
    "KCNA reported on 20 February 2024 that Kim Yo Jong said the car was a 👍 gift from "
    "Vladimir Putin.\nObservers called it “symbolic”."
)
INNER_CLAIM = "the car was a 👍 gift from Vladimir Putin"
OUTER_CLAIM = "Kim Yo Jong said " + INNER_CLAIM


def claim_doc(*, doc_id: int = 3) -> AnnotatedDocument:
    """The claim-model sample: 7 spans, 5 relations, 3 linked registry actors."""
    text = CLAIM_TEXT
    at = text.index

    def span(n: int, quote: str, label: int, attributes: dict[str, Any], **extra: Any) -> Span:
        start = at(quote)
        return Span(n, doc_id, start, start + len(quote), label, quote, TESTER.id, WHEN, WHEN,
                    attributes, **extra)  # fmt: skip

    spans = (
        span(11, "KCNA", 1, {"kind": "media"}, actor_id=5),
        span(12, "20 February 2024", 2, {"value": "2024-02-20"}),
        span(13, OUTER_CLAIM, 3, {"quote_type": "indirect", "reporting_verb": "reported"}),
        span(14, "Kim Yo Jong", 1, {"kind": "person"}, actor_id=6),
        span(15, INNER_CLAIM, 3,
             {"quote_type": "paraphrase", "reporting_verb": "went on to say", "hedged": True,
              "check_worthy": True},
             note="Needs a second source: the 👍 is KCNA's."),
        span(16, "Vladimir Putin", 1, {"kind": "person"}, actor_id=7),
        span(17, "Observers", 1, {"kind": "group"}),
    )  # fmt: skip
    relations = (
        Relation(21, doc_id, 1, 13, 11, TESTER.id, WHEN),  # outer claim SOURCE KCNA
        Relation(22, doc_id, 2, 13, 12, TESTER.id, WHEN),  # outer claim TIME the date
        Relation(23, doc_id, 1, 15, 14, TESTER.id, WHEN),  # inner claim SOURCE Kim Yo Jong
        Relation(24, doc_id, 3, 15, 13, TESTER.id, WHEN),  # inner REPORTED_IN outer
        Relation(25, doc_id, 2, 15, 12, TESTER.id, WHEN),  # inner claim TIME the date
    )
    document = Document(
        id=doc_id,
        meta=DocumentMeta(
            title="Putin's car for Kim",
            source="Example Wire",
            url="https://example.org/kcna-car",
            author="A. Reporter",
            published="2024-02-20",
            language="en",
        ),
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        created=WHEN,
    )
    return AnnotatedDocument(
        document, spans, CLAIM_LABELS, ANNOTATORS, ("claims",), relations, RELATION_TYPES,
        {i: a for i, a in ACTORS.items() if i in (5, 6, 7)},
    )  # fmt: skip


def relations_of(doc: AnnotatedDocument | ImportedDocument) -> set[tuple[str, str, str]]:
    """(type, source quote, target quote) for every relation: comparable without ids."""
    if isinstance(doc, AnnotatedDocument):
        spans = {s.id: s.quote for s in doc.spans}
        return {
            (doc.relation_type_name(r), spans[r.source_id], spans[r.target_id])
            for r in doc.relations
        }
    refs = {s.ref: doc.text[s.start : s.end] for s in doc.spans if s.ref is not None}
    return {(r.type, refs[r.source], refs[r.target]) for r in doc.relations}


def actor_keys(doc: AnnotatedDocument | ImportedDocument) -> set[tuple[str, str]]:
    """(quote, actor key) for every span linked to an actor."""
    if isinstance(doc, AnnotatedDocument):
        return {(s.quote, doc.actors[s.actor_id].key) for s in doc.spans if s.actor_id}
    return {(doc.text[s.start : s.end], s.actor) for s in doc.spans if s.actor}


# Pieces that stress offsets: astral characters, ZWJ sequences, flags, combining marks,
# variation selectors, separators Qt rewrites, CJK, and line breaks.
PIECES = [
    "a",
    "Bo",
    " ",
    "é",
    "e\u0301",
    "👍🏽",
    "👩‍👩‍👧",
    "🇺🇳",
    "❤️",
    "中文",
    "\u2028",
    "\u00a0",
    "\n",
    "\t",
    '"',
    "\\",
]


@st.composite
def text_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """Text made of PIECES and spans on it: any code-point range, overlaps allowed."""
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30)))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        spans.append((start, end, draw(st.sampled_from(["ACTOR", "DATE", "CLAIM"]))))
    return text, spans
