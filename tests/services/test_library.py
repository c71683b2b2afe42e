"""The document library through the services, on SQLite and PostgreSQL: bulk adding with
duplicates, filters, paging in every sort order, statuses, metadata edits, delete and undo."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from annotator.domain.errors import AnnotatorError, DuplicateDocumentError, NotFoundError
from annotator.domain.library import (
    AddedDocument,
    DocumentStatus,
    DuplicateOf,
    FacetCount,
    LibraryFilter,
    LibraryRow,
    LibrarySort,
    Progress,
)
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import DEFAULT_LABELS
from annotator.services import library
from annotator.services.documents import open_document
from annotator.services.search import search_documents
from annotator.services.spans import add_span, add_span_reported, delete_spans, restore_spans
from annotator.store import Database


@pytest.fixture
def db(any_db: Database) -> Database:
    """Every test here runs on SQLite and on PostgreSQL (any_db in tests/conftest.py)."""
    return any_db


@dataclass(frozen=True)
class Setup:
    alice: int
    bob: int
    labels: dict[str, int]


@pytest.fixture
def setup(db: Database) -> Setup:
    with db.transaction() as repo:
        labels = {s.name: repo.add_label(s, position=i).id for i, s in enumerate(DEFAULT_LABELS)}
        alice = repo.annotator_named("alice").id
        bob = repo.annotator_named("bob").id
    return Setup(alice=alice, bob=bob, labels=labels)


def item(title: str, text: str, *tags: str, source: str | None = None, published=None):
    return (DocumentMeta(title=title, source=source, published=published), text, tags)


def ids_of(results) -> list[int]:
    assert all(isinstance(r, AddedDocument) for r in results), results
    return [r.id for r in results]


# Bulk adding ----------------------------------------------------------------------------------


def test_bulk_add_reports_new_ids_and_duplicates_in_the_batch_and_in_the_database(db, setup):
    (first,) = library.add_documents(db, items=[item("Stored before", "alpha text")])
    assert isinstance(first, AddedDocument)

    results = library.add_documents(
        db,
        items=[
            item("New one", "beta text", "politics"),
            item("Copy of stored", "alpha text"),
            item("Another new", "gamma text"),
            item("Copy within batch", "beta text", "other"),
        ],
    )
    new, old_copy, other, batch_copy = results
    assert isinstance(new, AddedDocument) and isinstance(other, AddedDocument)
    assert len({first.id, new.id, other.id}) == 3
    assert old_copy == DuplicateOf(existing_id=first.id, existing_title="Stored before")
    assert batch_copy == DuplicateOf(existing_id=new.id, existing_title="New one", in_batch=True)
    # Only the first copy was stored, with its own tags; the duplicate's tags were not added.
    assert library.count_documents(db, annotator_id=setup.alice) == 3
    assert library.document_tags(db, document_id=new.id) == ("politics",)
    doc, _spans = open_document(db, document_id=new.id)
    assert (doc.title, doc.text) == ("New one", "beta text")


def test_bulk_added_documents_are_searchable_at_once(db, setup):
    ids = ids_of(
        library.add_documents(
            db, items=[item(f"Report {i}", f"word{i} shared harbour text") for i in range(30)]
        )
    )
    hits = search_documents(db, query="harbour", limit=100)
    assert sorted(h.document_id for h in hits) == sorted(ids)
    assert [h.document_id for h in search_documents(db, query="word17")] == [ids[17]]


def test_bulk_add_keeps_text_exactly_and_refuses_unnormalised_line_ends(db, setup):
    text = "Line one\nLine «two» 👩\u200d⚖️ café\u00a0end"
    (added,) = ids_of(library.add_documents(db, items=[item("Exact", text)]))
    assert open_document(db, document_id=added)[0].text == text
    with pytest.raises(ValueError, match="line ends"):
        library.add_documents(db, items=[item("CRLF", "a\r\nb")])


def test_bulk_add_refuses_metadata_that_does_not_fit_and_stores_nothing(db, setup):
    with pytest.raises(AnnotatorError, match="item 2"):
        library.add_documents(db, items=[item("Fine", "one text"), item("x" * 501, "another text")])
    assert library.count_documents(db, annotator_id=setup.alice) == 0


def test_tags_are_normalised_and_listed_with_counts(db, setup):
    library.add_documents(
        db,
        items=[
            item("A", "text a", " Politics ", "economy", "Politics", "", "  "),
            item("B", "text b", "economy", "big   story"),
            item("C", "text c", source="KCNA"),
            item("D", "text d", source="Reuters"),
            item("E", "text e", source="KCNA"),
        ],
    )
    assert library.list_tags(db) == [
        FacetCount("big story", 1),
        FacetCount("economy", 2),
        FacetCount("Politics", 1),
    ]
    assert library.list_sources(db) == [FacetCount("KCNA", 2), FacetCount("Reuters", 1)]


# Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def corpus(db, setup) -> dict[str, int]:
    """Six documents with sources, tags, statuses and spans; returns their ids by title."""
    ids = ids_of(
        library.add_documents(
            db,
            items=[
                item("Alpha", "Kim met the minister.", "politics", source="KCNA"),
                item("Bravo", "Moon visited the harbour.", "economy", source="Reuters"),
                item("Charlie", "The minister spoke of Kim.", "politics", "economy", source="KCNA"),
                item("Delta", "Nothing of note.", source="AP"),
                item("Echo", "Kim again, and the harbour.", "sport"),
                item("Foxtrot", "A minister resigned.", "politics", source="Reuters"),
            ],
        )
    )
    by_title = dict(
        zip(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"], ids, strict=True)
    )
    library.set_status(db, document_id=by_title["Alpha"], annotator_id=setup.alice, status="done")
    library.set_status(
        db, document_id=by_title["Charlie"], annotator_id=setup.alice, status="in_progress"
    )
    library.set_status(db, document_id=by_title["Echo"], annotator_id=setup.alice, status="done")
    library.set_status(db, document_id=by_title["Delta"], annotator_id=setup.bob, status="done")
    add_span(
        db,
        document_id=by_title["Bravo"],
        start=0,
        end=4,
        label_id=setup.labels["ACTOR"],
        annotator_id=setup.bob,
    )
    add_span(
        db,
        document_id=by_title["Echo"],
        start=0,
        end=3,
        label_id=setup.labels["ACTOR"],
        annotator_id=setup.alice,
    )
    add_span(
        db,
        document_id=by_title["Echo"],
        start=0,
        end=9,
        label_id=setup.labels["CLAIM"],
        annotator_id=setup.alice,
    )
    return by_title


def titles(db, setup, **kwargs) -> list[str]:
    rows = library.page_documents(db, annotator_id=setup.alice, limit=100, **kwargs)
    return [r.title for r in rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (LibraryFilter(), ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]),
        (LibraryFilter(status=DocumentStatus.DONE), ["Alpha", "Echo"]),
        (LibraryFilter(status=DocumentStatus.IN_PROGRESS), ["Charlie"]),
        # Bob's "done" on Delta does not make it done for Alice.
        (LibraryFilter(status=DocumentStatus.NEW), ["Bravo", "Delta", "Foxtrot"]),
        (LibraryFilter(source="KCNA"), ["Alpha", "Charlie"]),
        (LibraryFilter(tag="politics"), ["Alpha", "Charlie", "Foxtrot"]),
        (LibraryFilter(tag="nonexistent"), []),
        (LibraryFilter(label_id=-1), []),
        (LibraryFilter(text="minister"), ["Alpha", "Charlie", "Foxtrot"]),
        (LibraryFilter(text="kim harbour"), ["Echo"]),
        (LibraryFilter(text="   "), ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]),
        (LibraryFilter(tag="politics", status=DocumentStatus.NEW), ["Foxtrot"]),
        (LibraryFilter(tag="economy", source="Reuters", text="harbour"), ["Bravo"]),
        (LibraryFilter(status=DocumentStatus.DONE, text="minister"), ["Alpha"]),
    ],
)
def test_filters_select_documents_and_counts_agree(db, setup, corpus, filters, expected):
    assert titles(db, setup, filters=filters) == expected
    assert library.count_documents(db, annotator_id=setup.alice, filters=filters) == len(expected)


def test_label_filter_finds_documents_with_a_span_of_that_label_by_anyone(db, setup, corpus):
    actor = LibraryFilter(label_id=setup.labels["ACTOR"])
    claim = LibraryFilter(label_id=setup.labels["CLAIM"])
    assert titles(db, setup, filters=actor) == ["Bravo", "Echo"]
    assert library.count_documents(db, annotator_id=setup.alice, filters=actor) == 2
    assert titles(db, setup, filters=claim) == ["Echo"]


def test_rows_carry_status_for_the_asking_annotator_span_counts_and_tags(db, setup, corpus):
    rows = {r.title: r for r in library.page_documents(db, annotator_id=setup.alice, limit=10)}
    assert rows["Alpha"].status is DocumentStatus.DONE
    assert rows["Delta"].status is DocumentStatus.NEW
    assert rows["Echo"].span_count == 2
    assert rows["Bravo"].span_count == 1
    assert rows["Charlie"].tags == ("economy", "politics")
    assert rows["Alpha"].source == "KCNA"
    bobs = {r.title: r for r in library.page_documents(db, annotator_id=setup.bob, limit=10)}
    assert bobs["Delta"].status is DocumentStatus.DONE
    assert bobs["Alpha"].status is DocumentStatus.NEW


def test_a_bad_text_filter_is_an_annotator_error(db, setup, corpus):
    with pytest.raises(AnnotatorError, match="quote"):
        library.page_documents(
            db, annotator_id=setup.alice, filters=LibraryFilter(text='"unclosed')
        )


# Sorting and paging -----------------------------------------------------------------------------

STATUS_CYCLE = [DocumentStatus.NEW, DocumentStatus.DONE, DocumentStatus.IN_PROGRESS]


@pytest.fixture
def shuffled(db, setup) -> list[LibraryRow]:
    """45 documents with repeated titles, sources and dates (ties), missing values, statuses
    and span counts; returns every row as the service reports it."""
    rng = random.Random(5)
    items = []
    for i in range(45):
        items.append(
            item(
                f"Title {rng.randint(0, 9)}",
                f"Distinct text number {i}, padded with words.",
                source=rng.choice(["AP", "KCNA", "Reuters", None]),
                published=rng.choice([None, "2024-01-02", "2023-05-06", "2024-11-30"]),
            )
        )
    ids = ids_of(library.add_documents(db, items=items))
    for n, doc_id in enumerate(ids):
        status = STATUS_CYCLE[rng.randint(0, 2)]
        library.set_status(db, document_id=doc_id, annotator_id=setup.alice, status=status)
        for k in range(n % 4):
            add_span(
                db,
                document_id=doc_id,
                start=k,
                end=k + 3,
                label_id=setup.labels["ACTOR"],
                annotator_id=setup.alice,
            )
    rows = library.page_documents(db, annotator_id=setup.alice, sort="created", limit=1000)
    assert len(rows) == 45
    return rows


def _key(row: LibraryRow, sort: LibrarySort):
    # The documented order: missing values first, ties by id, status in workflow order then
    # by title.
    if sort is LibrarySort.STATUS:
        return (row.status.rank, row.title, row.id)
    value = {
        LibrarySort.TITLE: row.title,
        LibrarySort.PUBLISHED: row.published,
        LibrarySort.SOURCE: row.source,
        LibrarySort.SPANS: row.span_count,
        LibrarySort.CREATED: row.created,
    }[sort]
    return (value is not None, value if value is not None else 0, row.id)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(LibrarySort))
def test_pages_in_every_sort_order_tile_the_list_exactly(db, setup, shuffled, sort, descending):
    expected = [r.id for r in sorted(shuffled, key=lambda r: _key(r, sort), reverse=descending)]
    pages = []
    for offset in range(0, 50, 7):  # pages of 7 cross every group boundary somewhere
        page = library.page_documents(
            db,
            annotator_id=setup.alice,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=7,
        )
        pages += [r.id for r in page]
    assert pages == expected
    again = library.page_documents(
        db, annotator_id=setup.alice, sort=sort, descending=descending, limit=100
    )
    assert [r.id for r in again] == expected


@pytest.mark.parametrize("sort", [LibrarySort.STATUS, LibrarySort.TITLE, LibrarySort.SPANS])
def test_sorted_pages_respect_filters(db, setup, shuffled, sort):
    kcna = [r for r in shuffled if r.source == "KCNA"]
    expected = [r.id for r in sorted(kcna, key=lambda r: _key(r, sort))]
    filters = LibraryFilter(source="KCNA")
    pages = []
    for offset in range(0, len(kcna), 4):
        pages += [
            r.id
            for r in library.page_documents(
                db, annotator_id=setup.alice, sort=sort, filters=filters, offset=offset, limit=4
            )
        ]
    assert pages == expected


def test_a_page_past_the_end_is_empty(db, setup, corpus):
    assert library.page_documents(db, annotator_id=setup.alice, offset=6, limit=10) == []
    for sort in LibrarySort:
        assert library.page_documents(db, annotator_id=setup.alice, sort=sort, offset=50) == []


def test_span_count_sort_follows_added_deleted_and_restored_spans(db, setup, corpus):
    def by_spans() -> list[str]:
        rows = library.page_documents(
            db, annotator_id=setup.alice, sort="spans", descending=True, limit=3
        )
        return [f"{r.title}:{r.span_count}" for r in rows]

    assert by_spans() == ["Echo:2", "Bravo:1", "Foxtrot:0"]
    for end in (5, 6, 7):
        add_span(
            db,
            document_id=corpus["Delta"],
            start=0,
            end=end,
            label_id=setup.labels["DATE"],
            annotator_id=setup.bob,
        )
    assert by_spans() == ["Delta:3", "Echo:2", "Bravo:1"]
    spans = open_document(db, document_id=corpus["Delta"])[1]
    deleted = delete_spans(db, span_ids=[s.id for s in spans[:2]])
    assert by_spans() == ["Echo:2", "Delta:1", "Bravo:1"]
    restore_spans(db, deleted=deleted)
    assert by_spans() == ["Delta:3", "Echo:2", "Bravo:1"]


# Statuses and progress ------------------------------------------------------------------------


def test_progress_counts_done_documents_of_one_annotator(db, setup, corpus):
    assert library.progress(db, annotator_id=setup.alice) == Progress(done=2, total=6)
    assert library.progress(db, annotator_id=setup.bob) == (1, 6)
    library.set_status(db, document_id=corpus["Charlie"], annotator_id=setup.alice, status="done")
    library.set_status(db, document_id=corpus["Alpha"], annotator_id=setup.alice, status="new")
    assert library.progress(db, annotator_id=setup.alice) == (2, 6)
    assert (
        library.document_status(db, document_id=corpus["Alpha"], annotator_id=setup.alice)
        is DocumentStatus.NEW
    )
    library.add_documents(db, items=[item("Golf", "one more text")])
    assert library.progress(db, annotator_id=setup.alice) == (2, 7)


def test_set_status_refuses_unknown_statuses_and_missing_documents(db, setup, corpus):
    with pytest.raises(AnnotatorError, match="unknown status 'finished'"):
        library.set_status(
            db, document_id=corpus["Alpha"], annotator_id=setup.alice, status="finished"
        )
    with pytest.raises(NotFoundError):
        library.set_status(db, document_id=9999, annotator_id=setup.alice, status="done")
    with pytest.raises(NotFoundError):
        library.set_status(db, document_id=corpus["Alpha"], annotator_id=9999, status="done")
    assert (
        library.document_status(db, document_id=corpus["Alpha"], annotator_id=setup.alice)
        is DocumentStatus.DONE
    )


# Metadata -------------------------------------------------------------------------------------


def test_update_metadata_replaces_fields_and_tags_and_search_follows_the_title(db, setup, corpus):
    doc_id = corpus["Delta"]
    meta = DocumentMeta(
        title="Sanctions renewed",
        source="Yonhap",
        url="https://example.org/a",
        author="J. Doe",
        published="2024-03-01",
        language="en",
    )
    updated = library.update_document_meta(
        db, document_id=doc_id, meta=meta, tags=["sanctions", " sanctions", "korea"]
    )
    assert updated.meta == meta
    assert updated.text == "Nothing of note."
    assert open_document(db, document_id=doc_id)[0].meta == meta
    assert library.document_tags(db, document_id=doc_id) == ("korea", "sanctions")
    assert [h.document_id for h in search_documents(db, query="sanctions")] == [doc_id]
    assert search_documents(db, query="Delta") == []
    assert titles(db, setup, filters=LibraryFilter(source="Yonhap")) == ["Sanctions renewed"]

    library.update_document_meta(db, document_id=doc_id, meta=meta, tags=[])
    assert library.document_tags(db, document_id=doc_id) == ()
    with pytest.raises(AnnotatorError, match="title"):
        library.update_document_meta(db, document_id=doc_id, meta=DocumentMeta(title="  "), tags=[])
    with pytest.raises(NotFoundError):
        library.update_document_meta(db, document_id=9999, meta=meta, tags=[])


# Delete and undo ------------------------------------------------------------------------------


def test_delete_and_restore_round_trip_keeps_ids_spans_tags_statuses_and_search(db, setup, corpus):
    echo, alpha = corpus["Echo"], corpus["Alpha"]
    before_rows = library.page_documents(db, annotator_id=setup.alice, limit=100)
    before_spans = open_document(db, document_id=echo)[1]
    assert len(before_spans) == 2

    deleted = library.delete_documents(db, document_ids=[echo, alpha])
    assert deleted.ids == (echo, alpha)
    assert titles(db, setup) == ["Bravo", "Charlie", "Delta", "Foxtrot"]
    assert search_documents(db, query="kim") == [
        h for h in search_documents(db, query="kim") if h.document_id not in (echo, alpha)
    ]
    assert {h.document_id for h in search_documents(db, query="kim")} == {corpus["Charlie"]}
    assert library.progress(db, annotator_id=setup.alice) == (0, 4)
    with pytest.raises(NotFoundError):
        open_document(db, document_id=echo)

    restored = library.restore_documents(db, deleted=deleted)
    assert restored == [echo, alpha]
    assert library.page_documents(db, annotator_id=setup.alice, limit=100) == before_rows
    assert open_document(db, document_id=echo)[1] == before_spans
    assert {h.document_id for h in search_documents(db, query="kim")} == {
        alpha,
        corpus["Charlie"],
        echo,
    }
    assert library.progress(db, annotator_id=setup.alice) == (2, 6)
    # The restored spans are ordinary spans again: deleting one updates the count.
    delete_spans(db, span_ids=[before_spans[0].id])
    assert open_document(db, document_id=echo)[1] == before_spans[1:]


def test_delete_of_a_missing_document_deletes_nothing(db, setup, corpus):
    with pytest.raises(NotFoundError):
        library.delete_documents(db, document_ids=[corpus["Alpha"], 9999])
    assert library.count_documents(db, annotator_id=setup.alice) == 6


def test_restore_refuses_when_the_same_text_was_added_again(db, setup, corpus):
    deleted = library.delete_documents(db, document_ids=[corpus["Delta"]])
    (again,) = ids_of(library.add_documents(db, items=[item("Delta again", "Nothing of note.")]))
    with pytest.raises(DuplicateDocumentError) as info:
        library.restore_documents(db, deleted=deleted)
    assert info.value.existing_id == again
    assert library.count_documents(db, annotator_id=setup.alice) == 6


def test_a_new_document_never_takes_the_id_of_a_deleted_one(db, setup, corpus):
    newest = max(corpus.values())
    deleted = library.delete_documents(db, document_ids=[newest])
    (new_id,) = ids_of(library.add_documents(db, items=[item("Golf", "brand new text")]))
    assert new_id > newest
    assert library.restore_documents(db, deleted=deleted) == [newest]


def test_the_first_span_starts_a_document_and_its_undo_makes_it_new_again(db, setup):
    [doc] = ids_of(library.add_documents(db, items=[item("Alpha", "Ines Okafor spoke.")]))
    added = add_span_reported(
        db,
        document_id=doc,
        start=0,
        end=11,
        label_id=setup.labels["ACTOR"],
        annotator_id=setup.alice,
    )
    assert added.started is not None
    status = library.document_status
    assert status(db, document_id=doc, annotator_id=setup.alice) is DocumentStatus.IN_PROGRESS
    assert status(db, document_id=doc, annotator_id=setup.bob) is DocumentStatus.NEW
    second = add_span_reported(
        db,
        document_id=doc,
        start=12,
        end=17,
        label_id=setup.labels["CLAIM"],
        annotator_id=setup.alice,
    )
    assert second.started is None  # only the first span starts it

    deleted = delete_spans(db, span_ids=[added.span.id], undo_status=added.started)
    assert status(db, document_id=doc, annotator_id=setup.alice) is DocumentStatus.NEW
    restore_spans(db, deleted=deleted, redo_status=added.started)
    assert status(db, document_id=doc, annotator_id=setup.alice) is DocumentStatus.IN_PROGRESS

    # A status the user chose since is theirs: undoing the span leaves "done" alone.
    library.set_status(db, document_id=doc, annotator_id=setup.alice, status=DocumentStatus.DONE)
    delete_spans(db, span_ids=[added.span.id], undo_status=added.started)
    assert status(db, document_id=doc, annotator_id=setup.alice) is DocumentStatus.DONE
