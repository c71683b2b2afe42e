"""Relations, attribute values and actor links: stored, checked, deleted and restored together."""

from __future__ import annotations

import pytest

from annotator.domain.errors import InvalidAttributeError, InvalidRelationError
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM, DATE, REPORTED_IN, SOURCE, TIME
from annotator.services.actors import create_actor
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document, open_document
from annotator.services.library import delete_documents, restore_documents
from annotator.services.relations import add_relation, delete_relations, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import (
    add_span,
    delete_spans,
    restore_spans,
    set_span_details,
)

TEXT = (
    "KCNA reported that Kim Yo Jong received the gift on February 18. "
    "She called it the best gift in September 2023."
)


@pytest.fixture
def corpus(any_db):
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("KCNA", published="2024-02-20"))
    other = add_document(any_db, text="Kim Yo Jong spoke.", meta=DocumentMeta("Other"))
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")

    def span(document, quote, label, **kwargs):
        at = document.text.index(quote)
        return add_span(
            any_db,
            document_id=document.id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
            **kwargs,
        )

    return any_db, doc, other, schema, me, span


def test_a_new_database_has_source_time_and_reported_in(corpus):
    _, _, _, schema, _, _ = corpus
    labels = {label.id: label.name for label in schema.labels}
    assert [
        (t.name, labels[t.source_label_id], labels[t.target_label_id])
        for t in schema.relation_types
    ] == [(SOURCE, CLAIM, ACTOR), (TIME, CLAIM, DATE), (REPORTED_IN, CLAIM, CLAIM)]
    assert [a.name for a in schema.label_named(CLAIM).attributes] == [
        "quote_type",
        "reporting_verb",
        "stance",
        "hedged",
        "check_worthy",
    ]


def test_links_follow_the_schema(corpus):
    db, doc, other, schema, me, span = corpus
    kcna = span(doc, "KCNA", ACTOR)
    claim = span(doc, "Kim Yo Jong received the gift on February 18", CLAIM)
    date = span(doc, "February 18", DATE)
    elsewhere = span(other, "Kim Yo Jong", ACTOR)
    source = schema.relation_type_named(SOURCE).id
    time = schema.relation_type_named(TIME).id

    def link(type_id, a, b):
        return add_relation(db, type_id=type_id, source_id=a.id, target_id=b.id, annotator_id=me.id)

    stored = link(source, claim, kcna)
    link(time, claim, date)
    with pytest.raises(InvalidRelationError, match="SOURCE links CLAIM to ACTOR, not ACTOR"):
        link(source, kcna, claim)
    with pytest.raises(InvalidRelationError, match="same document"):
        link(source, claim, elsewhere)
    with pytest.raises(InvalidRelationError, match="already links"):
        link(source, claim, kcna)
    with pytest.raises(InvalidRelationError, match="itself"):
        link(schema.relation_type_named(REPORTED_IN).id, claim, claim)
    assert [
        (r.type_id, r.source_id, r.target_id) for r in list_relations(db, document_id=doc.id)
    ] == [
        (source, claim.id, kcna.id),
        (time, claim.id, date.id),
    ]
    assert delete_relations(db, relation_ids=[stored.id])[0] == stored
    assert len(list_relations(db, document_id=doc.id)) == 1


def test_deleting_a_span_takes_its_links_and_restoring_brings_all_back(corpus):
    db, doc, _, schema, me, span = corpus
    kcna = span(doc, "KCNA", ACTOR)
    claim = span(doc, "Kim Yo Jong received the gift on February 18", CLAIM)
    date = span(doc, "February 18", DATE)
    actor = create_actor(db, name="Korean Central News Agency", kind="media", link_spans=[kcna.id])
    for name, target in ((SOURCE, kcna), (TIME, date)):
        add_relation(
            db,
            type_id=schema.relation_type_named(name).id,
            source_id=claim.id,
            target_id=target.id,
            annotator_id=me.id,
        )
    before = list_relations(db, document_id=doc.id)

    deleted = delete_spans(db, span_ids=[kcna.id])
    assert [r.target_id for r in deleted.relations] == [kcna.id]
    assert [r.target_id for r in list_relations(db, document_id=doc.id)] == [date.id]

    restored = restore_spans(db, deleted=deleted)
    assert restored[0].actor_id == actor.id
    assert list_relations(db, document_id=doc.id) == before


def test_deleted_documents_come_back_with_links_and_actor_links(corpus):
    db, doc, _, schema, me, span = corpus
    kcna = span(doc, "KCNA", ACTOR)
    claim = span(doc, "Kim Yo Jong received the gift on February 18", CLAIM)
    actor = create_actor(db, name="KCNA", link_spans=[kcna.id])
    add_relation(
        db,
        type_id=schema.relation_type_named(SOURCE).id,
        source_id=claim.id,
        target_id=kcna.id,
        annotator_id=me.id,
    )
    before = list_relations(db, document_id=doc.id)
    deleted = delete_documents(db, document_ids=[doc.id])
    restore_documents(db, deleted=deleted)
    assert list_relations(db, document_id=doc.id) == before
    _, spans = open_document(db, document_id=doc.id)
    assert {s.id: s.actor_id for s in spans}[kcna.id] == actor.id


def test_attribute_values_are_checked_against_the_label(corpus):
    db, doc, _, _, _, span = corpus
    claim = span(doc, "Kim Yo Jong received the gift on February 18", CLAIM)
    date = span(doc, "February 18", DATE)

    stored = set_span_details(
        db,
        span_id=claim.id,
        attributes={"quote_type": "indirect", "hedged": True, "reporting_verb": " reported "},
        note="  second-hand  ",
    )
    assert stored.attributes == {
        "quote_type": "indirect",
        "hedged": True,
        "reporting_verb": "reported",
    }
    assert stored.note == "second-hand"
    with pytest.raises(InvalidAttributeError, match="quote_type is one of direct"):
        set_span_details(db, span_id=claim.id, attributes={"quote_type": "rumour"}, note=None)
    with pytest.raises(InvalidAttributeError, match="hedged is yes or no"):
        set_span_details(db, span_id=claim.id, attributes={"hedged": "yes"}, note=None)
    with pytest.raises(InvalidAttributeError, match="value"):
        set_span_details(db, span_id=date.id, attributes={"value": "2024-13-01"}, note=None)
    assert set_span_details(
        db, span_id=date.id, attributes={"value": "XXXX-02-18"}, note=None
    ).attributes == {"value": "XXXX-02-18"}
    # Nothing refused was stored.
    _, spans = open_document(db, document_id=doc.id)
    assert {s.id: s.attributes for s in spans}[claim.id]["quote_type"] == "indirect"


def test_a_date_added_with_proposal_gets_its_value_from_the_publication_date(corpus):
    _, doc, _, _, _, span = corpus
    assert span(doc, "September 2023", DATE, propose=True).attributes == {"value": "2023-09"}
    assert span(doc, "February 18", DATE, propose=True).attributes == {"value": "2024-02-18"}
    assert span(doc, "Kim Yo Jong", ACTOR, propose=True).attributes == {}
