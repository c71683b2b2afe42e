"""Builders for interchange test data: documents with spans, without a database.

Read-only for the other interchange tests; keep it small and stable.

    doc = make_doc("Ana met Bo.", spans=[(0, 3, "ACTOR"), (8, 10, "ACTOR")])
    doc = make_doc(text, spans=[(0, 3, "CLAIM", {"certainty": "high"}, "a note")], doc_id=7)

A span tuple is (start, end, label) with optional attributes dict and note; offsets are code
points, the quote is taken from the text. Labels are the defaults (ACTOR, DATE, CLAIM, ids 1..3),
the annotator is "tester" (id 1).

`from_imported(item)` turns what a reader yielded back into an `AnnotatedDocument` (labels and
annotators matched by name), for export -> import -> export round trips. `text_with_spans()` is
a hypothesis strategy: LF-only text full of offset traps (emoji, ZWJ sequences, flags,
combining marks, U+2028) and up to six (start, end, label) spans on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from annotator.domain.interchange import AnnotatedDocument, ImportedDocument
from annotator.domain.model import (
    Annotator,
    Document,
    DocumentMeta,
    HighlightStyle,
    Label,
    Span,
)

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
) -> AnnotatedDocument:
    """A stored document made from what a reader yielded, as an importer would store it.

    Labels and annotators are matched by name; unknown names get new ids (colour #999999).
    Spans without an annotator are "tester"'s. Text and offsets are taken as read.
    """
    by_label = {label.name: label for label in labels.values()}
    by_annotator = {a.name: a for a in annotators.values()}
    all_labels = dict(labels)
    all_annotators = dict(annotators)
    built = []
    for n, s in enumerate(item.spans, start=1):
        label = by_label.get(s.label)
        if label is None:
            label = Label(max(all_labels, default=0) + 1, s.label, "#999999", None, len(all_labels))
            all_labels[label.id] = by_label[s.label] = label
        name = s.annotator or TESTER.name
        annotator = by_annotator.get(name)
        if annotator is None:
            annotator = Annotator(max(all_annotators, default=0) + 1, name)
            all_annotators[annotator.id] = by_annotator[name] = annotator
        built.append(
            Span(
                id=n,
                document_id=doc_id,
                start=s.start,
                end=s.end,
                label_id=label.id,
                quote=item.text[s.start : s.end],
                annotator_id=annotator.id,
                created=WHEN,
                updated=WHEN,
                attributes=dict(s.attributes),
                note=s.note,
            )
        )
    document = Document(
        id=doc_id,
        meta=item.meta,
        text=item.text,
        sha256=hashlib.sha256(item.text.encode("utf-8")).hexdigest(),
        created=WHEN,
    )
    return AnnotatedDocument(document, tuple(built), all_labels, all_annotators, item.tags)


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
