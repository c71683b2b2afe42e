"""Moving a span's bounds: one transaction that changes start, end and quote together and keeps
the span's identity, label, attribute values, note, actor link and relations."""

from __future__ import annotations

import pytest

from annotator.domain.errors import DuplicateSpanError, InvalidSpanError
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM, SOURCE
from annotator.domain.text import Edge
from annotator.services.actors import create_actor
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document
from annotator.services.relations import add_relation, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import (
    add_span,
    drag_span_bound,
    get_spans,
    list_spans,
    set_span_bounds,
    step_span_bound,
)

TEXT = "Officials in Port Aldren said “the pact was signed in Valmora.” on Monday."


@pytest.fixture
def corpus(any_db):
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("Pact"))
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")

    def span(quote: str, label: str, **kwargs):
        at = TEXT.index(quote)
        return add_span(
            any_db,
            document_id=doc.id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
            **kwargs,
        )

    return any_db, doc, schema, me, span


def test_a_moved_bound_keeps_the_span_its_links_and_its_details(corpus):
    db, doc, schema, me, span = corpus
    actor = span("Port", ACTOR)
    claim = span("the pact was signed", CLAIM, attributes={"quote_type": "direct"})
    create_actor(db, name="Port Aldren officials", link_spans=[actor.id])
    link = add_relation(
        db,
        type_id=schema.relation_type_named(SOURCE).id,
        source_id=claim.id,
        target_id=actor.id,
        annotator_id=me.id,
    )

    grown = step_span_bound(db, span_id=actor.id, edge=Edge.END, forward=True, by_word=True)
    assert (grown.id, grown.quote) == (actor.id, "Port Aldren")
    assert grown.actor_id is not None

    step_span_bound(db, span_id=claim.id, edge=Edge.END, forward=True, by_word=True)
    claim2 = step_span_bound(db, span_id=claim.id, edge=Edge.END, forward=True, by_word=True)
    assert claim2.quote == "the pact was signed in Valmora"
    claim3 = step_span_bound(db, span_id=claim.id, edge=Edge.START, forward=False, by_word=False)
    assert claim3.quote == "“the pact was signed in Valmora"
    assert claim3.attributes["quote_type"] == "direct"

    stored = {s.id: s for s in list_spans(db, document_id=doc.id)}
    assert stored[claim.id].quote == TEXT[stored[claim.id].start : stored[claim.id].end]
    assert stored[actor.id].quote == "Port Aldren"
    assert [(r.id, r.source_id, r.target_id) for r in list_relations(db, document_id=doc.id)] == [
        (link.id, claim.id, actor.id)
    ]


def test_a_bound_that_cannot_move_changes_nothing_and_says_why(corpus):
    db, _, _, _, span = corpus
    one = span("Port", ACTOR)
    with pytest.raises(InvalidSpanError, match="empty"):
        step_span_bound(db, span_id=one.id, edge=Edge.END, forward=False, by_word=True)
    first = span("Officials", ACTOR)
    with pytest.raises(InvalidSpanError, match="start of the text"):
        step_span_bound(db, span_id=first.id, edge=Edge.START, forward=False, by_word=False)
    assert [s.quote for s in get_spans(db, span_ids=[one.id, first.id])] == ["Port", "Officials"]


def test_a_bound_moved_onto_an_equal_span_is_refused_whole(corpus):
    db, _, _, _, span = corpus
    span("Port Aldren", ACTOR)
    short = span("Port", ACTOR)
    with pytest.raises(DuplicateSpanError):
        step_span_bound(db, span_id=short.id, edge=Edge.END, forward=True, by_word=True)
    assert get_spans(db, span_ids=[short.id])[0].quote == "Port"


def test_a_dragged_bound_snaps_to_words_or_lands_exactly(corpus):
    db, _, _, _, span = corpus
    claim = span("the pact", CLAIM)
    to = TEXT.index("Valmora") + 3
    snapped = drag_span_bound(db, span_id=claim.id, edge=Edge.END, to=to, snap=True)
    # Snapped to the word, and the closing mark of the quotation the span does not open stays out.
    assert snapped.quote == "the pact was signed in Valmora"
    exact = drag_span_bound(db, span_id=claim.id, edge=Edge.START, to=to - 10, snap=False)
    assert exact.quote == TEXT[to - 10 : snapped.end]


def test_set_span_bounds_puts_exact_offsets_back(corpus):
    db, _, _, _, span = corpus
    actor = span("Port", ACTOR)
    step_span_bound(db, span_id=actor.id, edge=Edge.END, forward=True, by_word=True)
    back = set_span_bounds(db, span_id=actor.id, start=actor.start, end=actor.end)
    assert (back.start, back.end, back.quote) == (actor.start, actor.end, "Port")
