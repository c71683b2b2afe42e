"""Previewing a new version of a stored article: each stored span's new place, and the spans
and links that need review. Nothing is stored."""

from __future__ import annotations

from annotator.domain.model import DocumentMeta
from annotator.domain.reanchor import Placement
from annotator.domain.schema import ACTOR, CLAIM, SOURCE
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document, open_document
from annotator.services.relations import add_relation
from annotator.services.revisions import preview_revision
from annotator.services.schema import get_schema
from annotator.services.spans import add_span

TEXT = (
    "Officials in Port Aldren said the pact was signed in Valmora on Monday.\n"
    "Observers in Kestrel doubted it.\n"
)


def test_a_new_version_places_spans_and_lists_what_needs_review(any_db) -> None:
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("Pact"))
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")

    def span(quote: str, label: str) -> int:
        at = TEXT.index(quote)
        return add_span(
            any_db,
            document_id=doc.id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
        ).id

    officials = span("Officials in Port Aldren", ACTOR)
    claim = span("the pact was signed in Valmora", CLAIM)
    observers = span("Observers in Kestrel", ACTOR)
    link = add_relation(
        any_db,
        type_id=schema.relation_type_named(SOURCE).id,
        source_id=claim,
        target_id=officials,
        annotator_id=me.id,
    )
    # A paragraph inserted at the top, a typo fixed in the claim, the second sentence gone
    # and the claim's source rewritten.
    new = (
        "Update: talks resumed.\r\nA spokesman said the pact was signed in Valmorra on Monday.\r\n"
    )

    report = preview_revision(any_db, document_id=doc.id, text=new)

    by_id = {p.span_id: p.result for p in report.spans}
    stored = new.replace("\r\n", "\n")
    assert by_id[claim].placement is Placement.CHANGED
    assert by_id[claim].quote == "the pact was signed in Valmorra"
    assert by_id[claim].start == stored.index("the pact")
    assert by_id[officials].placement is Placement.UNPLACED
    assert by_id[observers].placement is Placement.UNPLACED
    assert (report.count(Placement.PLACED), report.count(Placement.UNPLACED)) == (0, 2)
    assert {p.span_id for p in report.to_review} == {officials, claim, observers}
    assert [r.id for r in report.links_to_review] == [link.id]
    assert not report.unchanged
    # Nothing was stored: the document and its spans are as they were.
    document, spans = open_document(any_db, document_id=doc.id)
    assert document.text == TEXT
    assert sorted(s.quote for s in spans) == sorted(
        ["Officials in Port Aldren", "the pact was signed in Valmora", "Observers in Kestrel"]
    )


def test_the_same_text_is_reported_unchanged_with_every_span_in_place(any_db) -> None:
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("Pact"))
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")
    at = TEXT.index("Kestrel")
    add_span(
        any_db,
        document_id=doc.id,
        start=at,
        end=at + len("Kestrel"),
        label_id=schema.label_named(ACTOR).id,
        annotator_id=me.id,
    )

    report = preview_revision(any_db, document_id=doc.id, text=TEXT.replace("\n", "\r\n"))

    assert report.unchanged
    assert [(p.result.placement, p.result.start) for p in report.spans] == [(Placement.PLACED, at)]
    assert report.to_review == () and report.links_to_review == ()
