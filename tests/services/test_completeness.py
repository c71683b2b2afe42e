"""The to-do list: claims without SOURCE, dates without value, actors without identity."""

from __future__ import annotations

import pytest

from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM, DATE, SOURCE, TIME
from annotator.services.actors import create_actor
from annotator.services.completeness import MissingKind, count_missing, list_missing
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, set_span_details

TEXT = (
    "KCNA reported that Kim Yo Jong received the gift on February 18. "
    "Observers said the gift broke sanctions, some time ago."
)
OTHER = "Kim Yo Jong spoke in September 2023."


@pytest.fixture
def corpus(any_db):
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("KCNA gift", published="2024-02-20"))
    other = add_document(any_db, text=OTHER, meta=DocumentMeta("Other article"))
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

    def link(name, claim, target):
        add_relation(
            any_db,
            type_id=schema.relation_type_named(name).id,
            source_id=claim.id,
            target_id=target.id,
            annotator_id=me.id,
        )

    return any_db, doc, other, span, link


def rows(db, **kwargs):
    return [(m.kind, m.quote) for m in list_missing(db, **kwargs)]


def test_claims_without_source_are_listed_and_those_with_one_are_not(corpus):
    db, doc, _, span, link = corpus
    kcna = span(doc, "KCNA", ACTOR)
    create_actor(db, name="KCNA", link_spans=[kcna.id])
    sourced = span(doc, "Kim Yo Jong received the gift on February 18", CLAIM)
    unsourced = span(doc, "the gift broke sanctions", CLAIM)
    date = span(doc, "February 18", DATE, propose=True)
    link(SOURCE, sourced, kcna)
    # A TIME link is not a SOURCE: the second claim is still missing its source.
    link(TIME, unsourced, date)

    missing = list_missing(db, document_id=doc.id)
    assert [(m.kind, m.span_id) for m in missing] == [(MissingKind.NO_SOURCE, unsourced.id)]
    (row,) = missing
    assert (row.document_id, row.document_title, row.label, row.quote, row.start) == (
        doc.id,
        "KCNA gift",
        CLAIM,
        "the gift broke sanctions",
        TEXT.index("the gift broke sanctions"),
    )
    assert row.problem == "claim without SOURCE"


def test_dates_without_value_are_listed_until_they_get_one(corpus):
    db, doc, _, span, _ = corpus
    span(doc, "February 18", DATE, propose=True)  # 2024-02-18 from the publication date
    vague = span(doc, "some time ago", DATE, propose=True)  # nothing to read
    assert rows(db, document_id=doc.id) == [(MissingKind.NO_VALUE, "some time ago")]

    set_span_details(db, span_id=vague.id, attributes={"value": "2024"}, note=None)
    assert rows(db, document_id=doc.id) == []


def test_actor_mentions_without_identity_are_listed(corpus):
    db, doc, _, span, _ = corpus
    known = span(doc, "Kim Yo Jong", ACTOR)
    span(doc, "Observers", ACTOR)
    create_actor(db, name="Kim Yo Jong", link_spans=[known.id])
    assert rows(db, document_id=doc.id) == [(MissingKind.NO_ACTOR, "Observers")]


def test_document_scope_and_whole_corpus_in_document_then_text_order(corpus):
    db, doc, other, span, _ = corpus
    span(other, "September 2023", DATE)  # no proposal asked for: no value
    span(other, "Kim Yo Jong", ACTOR)
    span(doc, "the gift broke sanctions", CLAIM)
    span(doc, "Kim Yo Jong", ACTOR)

    assert rows(db, document_id=other.id) == [
        (MissingKind.NO_ACTOR, "Kim Yo Jong"),
        (MissingKind.NO_VALUE, "September 2023"),
    ]
    everything = list_missing(db)
    assert [(m.document_title, m.quote) for m in everything] == [
        ("KCNA gift", "Kim Yo Jong"),
        ("KCNA gift", "the gift broke sanctions"),
        ("Other article", "Kim Yo Jong"),
        ("Other article", "September 2023"),
    ]
    assert [m.quote for m in list_missing(db, limit=2)] == [
        "Kim Yo Jong",
        "the gift broke sanctions",
    ]
    assert count_missing(db) == {
        MissingKind.NO_SOURCE: 1,
        MissingKind.NO_VALUE: 1,
        MissingKind.NO_ACTOR: 2,
    }
    assert count_missing(db, document_id=doc.id) == {
        MissingKind.NO_SOURCE: 1,
        MissingKind.NO_VALUE: 0,
        MissingKind.NO_ACTOR: 1,
    }
