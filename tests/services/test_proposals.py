"""Suggestions proposed off the window's GUI thread and stored on it: the same suggestions as a
run, and what the annotator decided in between wins."""

from __future__ import annotations

import pytest

from annotator.domain.model import DocumentMeta
from annotator.services import Database
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.decisions import (
    reject_suggestion,
)
from annotator.services.documents import add_document, list_labels
from annotator.services.library import delete_documents
from annotator.services.spans import add_span, delete_spans
from annotator.services.suggestions import (
    list_suggestions,
    propose_suggestions,
    run_suggestions,
    store_proposed,
)

TEXT = (
    "Water treaty signed\n\nForeign Minister Jana Novak said on Tuesday that the treaty would "
    "take effect in January 2026."
)


@pytest.fixture
def db(any_db: Database) -> Database:
    seed_new_database(any_db)
    return any_db


def _doc(db: Database, text: str = TEXT) -> int:
    return add_document(db, text=text, meta=DocumentMeta("Treaty", published="2025-03-05")).id


def _proposed(db: Database, doc: int):
    return list(propose_suggestions(db, document_ids=[doc], engines=["actors", "dates", "claims"]))


def _shape(db: Database, doc: int) -> list[tuple]:
    """What is stored, without ids: offsets, label, engine, and links by target offsets."""
    suggestions = list_suggestions(db, document_id=doc)
    by_id = {s.id: s for s in suggestions}
    return sorted(
        (
            s.start,
            s.end,
            s.label_id,
            s.engine,
            tuple(
                sorted(
                    (
                        link.type_id,
                        link.target_span_id,
                        (by_id[link.target_suggestion_id].start,)
                        if link.target_suggestion_id
                        else None,
                    )
                    for link in s.links
                )
            ),
        )
        for s in suggestions
    )


def test_proposing_then_storing_gives_what_a_run_gives(db: Database):
    doc = _doc(db)
    run_suggestions(db, document_ids=[doc], engines=["actors", "dates", "claims"])
    by_run = _shape(db, doc)
    assert by_run and any(links for *_, links in by_run)
    found = _proposed(db, doc)
    assert [p.document_id for p in found] == [doc]
    stored = store_proposed(db, found)
    assert sum(stored.values()) == len(by_run)
    assert _shape(db, doc) == by_run


def test_what_was_accepted_or_rejected_meanwhile_is_not_stored_again(db: Database):
    me = ensure_annotator(db, name="tester").id
    labels = {label.name: label.id for label in list_labels(db)}
    doc = _doc(db)
    run_suggestions(db, document_ids=[doc], engines=["dates"])
    tuesday = next(s for s in list_suggestions(db, document_id=doc) if s.quote == "Tuesday")
    found = _proposed(db, doc)  # proposed before the decisions below
    reject_suggestion(db, suggestion_id=tuesday.id, annotator_id=me)
    start = TEXT.index("Jana Novak")
    novak = add_span(
        db,
        document_id=doc,
        start=start,
        end=start + len("Jana Novak"),
        label_id=labels["ACTOR"],
        annotator_id=me,
    )
    store_proposed(db, found)
    stored = list_suggestions(db, document_id=doc)
    quotes = {s.quote for s in stored}
    assert "Tuesday" not in quotes and "Jana Novak" not in quotes
    claim = next(s for s in stored if s.label_id == labels["CLAIM"])
    # The claim's SOURCE now points at the annotation made meanwhile.
    assert novak.id in {link.target_span_id for link in claim.links}


def test_links_to_spans_deleted_meanwhile_go_and_deleted_documents_are_skipped(db: Database):
    me = ensure_annotator(db, name="tester").id
    labels = {label.name: label.id for label in list_labels(db)}
    doc = _doc(db)
    start = TEXT.index("Jana Novak")
    novak = add_span(
        db,
        document_id=doc,
        start=start,
        end=start + len("Jana Novak"),
        label_id=labels["ACTOR"],
        annotator_id=me,
    )
    found = _proposed(db, doc)
    claim = next(i for i in found[0].items if i.label_id == labels["CLAIM"])
    assert novak.id in {link.target_span_id for link in claim.links}
    delete_spans(db, span_ids=[novak.id])
    store_proposed(db, found)
    for s in list_suggestions(db, document_id=doc):
        assert all(link.target_span_id != novak.id for link in s.links)

    other = _doc(db, "The council met on Monday.")
    later = _proposed(db, other)
    delete_documents(db, document_ids=[other])
    assert store_proposed(db, later) == {}


def test_proposing_stops_when_cancelled_and_refuses_unknown_engines(db: Database):
    docs = [_doc(db, f"Meeting {n} was held on Monday.") for n in range(3)]
    seen: list[int] = []

    def cancelled() -> bool:
        return len(seen) >= 1

    for proposed in propose_suggestions(
        db, document_ids=docs, engines=["dates"], cancelled=cancelled
    ):
        seen.append(proposed.document_id)
    assert seen == docs[:1]
    from annotator.domain.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="unknown engine 'people'"):
        list(propose_suggestions(db, document_ids=docs, engines=["people"]))
