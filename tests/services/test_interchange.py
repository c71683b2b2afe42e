"""Export and import through the services: every format, streaming, checks, round trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo

from annotator.domain.interchange import ImportedDocument, ImportedSpan
from annotator.domain.model import DocumentMeta
from annotator.formats.registry import FORMATS, Output
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_documents, list_labels, open_document
from annotator.services.interchange import (
    ExportCancelledError,
    ExportSelection,
    count_export_documents,
    export_corpus,
    import_annotations,
)
from annotator.services.spans import add_span
from annotator.store import Database

TEXTS = [
    "Minister 👩🏽\u200d⚖️ Ana Souza said on 3 March 2025 that the 🇧🇷 budget is safe.",
    "Zoe\u0308 Kravitz and Jose\u0301 Marti\u0301 met on 1 June 2022 in Paris.",
    "Kim Jong-un met Vladimir Putin in Vladivostok on Tuesday, KCNA reported.",
]
SPANS = [
    [("Ana Souza", "ACTOR"), ("3 March 2025", "DATE")],
    [("Zoe\u0308 Kravitz", "ACTOR"), ("1 June 2022", "DATE"), ("Paris", "ACTOR")],
    [("Kim Jong-un", "ACTOR"), ("Vladimir Putin", "ACTOR"), ("Tuesday", "DATE"), ("KCNA", "ACTOR")],
]


@pytest.fixture
def corpus(tmp_path: Path) -> Database:
    db = open_database(tmp_path / "source.sqlite3", seed=False)
    with db.transaction() as repo:
        from annotator.domain.schema import DEFAULT_LABELS

        for position, spec in enumerate(DEFAULT_LABELS):
            repo.add_label(spec, position=position)
    me = ensure_annotator(db, name="tester")
    labels = {label.name: label.id for label in list_labels(db)}
    for i, (text, spans) in enumerate(zip(TEXTS, SPANS, strict=True)):
        doc = add_document(db, text=text, meta=DocumentMeta(f"Article {i}", source="Wire"))
        for quote, label in spans:
            start = text.index(quote)
            add_span(
                db,
                document_id=doc.id,
                start=start,
                end=start + len(quote),
                label_id=labels[label],
                annotator_id=me.id,
            )
    yield db
    db.dispose()


def stored(db: Database) -> set[tuple[str, int, int, str, str]]:
    """(text start, start, end, label, quote) for every span: comparable across databases."""
    labels = {label.id: label.name for label in list_labels(db)}
    found = set()
    with db.transaction() as repo:
        ids = repo.document_ids()
    for doc_id in ids:
        doc, spans = open_document(db, document_id=doc_id)
        for s in spans:
            found.add((doc.text[:20], s.start, s.end, labels[s.label_id], s.quote))
    return found


def stored_relations(db: Database) -> set[tuple[str, str, str, str]]:
    """(text start, type, source quote, target quote) for every relation."""
    from annotator.services.relations import list_relations
    from annotator.services.schema import get_schema

    schema = get_schema(db)
    found = set()
    with db.transaction() as repo:
        ids = repo.document_ids()
    for doc_id in ids:
        doc, spans = open_document(db, document_id=doc_id)
        quotes = {s.id: s.quote for s in spans}
        for r in list_relations(db, document_id=doc_id):
            name = schema.relation_type(r.type_id).name
            found.add((doc.text[:20], name, quotes[r.source_id], quotes[r.target_id]))
    return found


def out_path(tmp_path: Path, name: str) -> Path:
    info = next(f for f in FORMATS if f.name == name)
    return tmp_path / ("export" if info.output is Output.FOLDER else f"export{info.extensions[0]}")


@pytest.mark.parametrize(
    "name", [f.name for f in FORMATS if f.can_write and f.name != "claimreview"]
)
def test_every_format_writes_the_corpus_and_reports_counts(corpus, tmp_path, name):
    # claimreview writes claims only, and this corpus has none: see the claims tests below.
    out = out_path(tmp_path, name)
    seen: list[int] = []
    report = export_corpus(corpus, format_name=name, out=out, progress=seen.append)
    assert out.exists()
    assert report.documents == len(TEXTS)
    assert seen and seen[-1] == len(TEXTS)
    total = sum(len(s) for s in SPANS)
    assert 0 < report.spans <= total
    if report.spans < total:
        assert report.problems  # what a format leaves out is reported, never silent


@pytest.mark.parametrize("name", [f.name for f in FORMATS if f.can_write and f.can_read])
def test_round_trip_through_each_readable_format_keeps_offsets(corpus, tmp_path, name):
    out = out_path(tmp_path, name)
    export_corpus(corpus, format_name=name, out=out)
    target = open_database(tmp_path / "target.sqlite3", seed=False)
    try:
        report = import_annotations(target, paths=[out], format_name=name, annotator_name="me")
        assert not [p for p in report.problems if "does not match" in p.message]
        if name == "conll":
            # BIO re-tokenises the text: compare quotes and labels only.
            assert {(q, lab) for *_, lab, q in stored(target)} == {
                (q, lab) for spans in SPANS for q, lab in spans
            }
        else:
            assert stored(target) == stored(corpus)
            assert report.documents_added == len(TEXTS)
    finally:
        target.dispose()


def test_import_twice_adds_nothing_the_second_time(corpus, tmp_path):
    out = tmp_path / "all.jsonl"
    export_corpus(corpus, format_name="native", out=out)
    again = import_annotations(corpus, paths=[out], format_name="native", annotator_name="me")
    assert again.documents_added == 0 and again.documents_matched == len(TEXTS)
    assert again.spans_added == 0 and again.spans_already_there == sum(len(s) for s in SPANS)


def test_selection_exports_only_chosen_documents_and_labels(corpus, tmp_path):
    out = tmp_path / "dates.jsonl"
    report = export_corpus(
        corpus,
        format_name="native",
        out=out,
        selection=ExportSelection(document_ids=(1, 2), label_names=("DATE",)),
    )
    assert report.documents == 2 and report.spans == 2


def test_cancelled_export_leaves_no_file_and_keeps_an_old_one(corpus, tmp_path):
    out = tmp_path / "keep.jsonl"
    out.write_text("earlier export\n", encoding="utf-8")
    with pytest.raises(ExportCancelledError):
        export_corpus(corpus, format_name="native", out=out, cancelled=lambda: True)
    assert out.read_text(encoding="utf-8") == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []


def test_bad_targets_are_clear_errors(corpus, tmp_path):
    from annotator.domain.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="no format named"):
        export_corpus(corpus, format_name="nope", out=tmp_path / "x")
    with pytest.raises(AnnotatorError, match="does not exist"):
        export_corpus(corpus, format_name="native", out=tmp_path / "missing" / "x.jsonl")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(AnnotatorError, match="writes a folder"):
        export_corpus(corpus, format_name="brat", out=tmp_path / "afile")


def test_import_checks_quotes_maps_crlf_and_adds_unknown_labels(tmp_path, monkeypatch):
    from annotator.formats import registry

    text = "Line one.\r\nAngela Merkel spoke\r\non Monday."
    merkel = text.index("Angela Merkel")
    monday = text.index("Monday")
    doc = ImportedDocument(
        text=text,
        meta=DocumentMeta("crlf"),
        origin="f.x",
        spans=(
            ImportedSpan(merkel, merkel + 13, "PERSON", quote="Angela Merkel", origin="f.x:1"),
            ImportedSpan(monday, monday + 6, "DATE", quote="Monday", origin="f.x:2"),
            ImportedSpan(0, 4, "DATE", quote="Nope", origin="f.x:3"),
        ),
    )

    class Fake:
        @staticmethod
        def read(path):
            yield doc

    info = registry.get_format("native")
    monkeypatch.setattr(type(info), "load", lambda self: Fake())
    db = open_database(tmp_path / "t.sqlite3")
    try:
        report = import_annotations(db, paths=[tmp_path], format_name="native", annotator_name="me")
        assert report.spans_added == 2 and report.labels_added == ["PERSON"]
        assert [p.origin for p in report.problems] == ["f.x:3"]
        got = {(s[3], s[4]) for s in stored(db)}
        assert got == {("PERSON", "Angela Merkel"), ("DATE", "Monday")}
    finally:
        db.dispose()


def test_native_import_brings_label_definitions(corpus, tmp_path):
    from annotator.domain.model import HighlightStyle
    from annotator.domain.schema import LabelSpec

    with corpus.transaction() as repo:
        topic = repo.add_label(
            LabelSpec("TOPIC", "#0072B2", "7", HighlightStyle.UNDERLINE, "what it is about"),
            position=3,
        )
    me = ensure_annotator(corpus, name="tester")
    add_span(corpus, document_id=1, start=0, end=8, label_id=topic.id, annotator_id=me.id)
    out = tmp_path / "with-topic.jsonl"
    export_corpus(corpus, format_name="native", out=out)
    target = open_database(tmp_path / "fresh.sqlite3")
    try:
        report = import_annotations(target, paths=[out], annotator_name="me")
        assert "TOPIC" in report.labels_added
        (label,) = [lab for lab in list_labels(target) if lab.name == "TOPIC"]
        assert (label.colour, label.hotkey, label.style) == (
            "#0072B2",
            "7",
            HighlightStyle.UNDERLINE,
        )
    finally:
        target.dispose()


def test_guessing_takes_single_annotation_files_never_folders(corpus, tmp_path, shared):
    from annotator.formats.registry import guess_format

    native = tmp_path / "x.jsonl"
    export_corpus(corpus, format_name="native", out=native)
    assert guess_format(native).name == "native"
    ann = next((shared / "peers" / "brat").rglob("*.ann"))
    assert guess_format(ann).name == "brat"
    # A folder of articles with a stray annotation file in it stays a folder of articles.
    assert guess_format(shared / "corpus" / "edge") is None
    article_jsonl = tmp_path / "articles.jsonl"
    article_jsonl.write_text('{"text": "Plain article, no spans."}\n', encoding="utf-8")
    assert guess_format(article_jsonl) is None


def test_export_filters_by_tag_and_status(corpus, tmp_path):
    from annotator.domain.library import DocumentStatus
    from annotator.services.library import set_status, update_document_meta

    doc, _ = open_document(corpus, document_id=2)
    update_document_meta(corpus, document_id=2, meta=doc.meta, tags=["culture"])
    me = ensure_annotator(corpus, name="tester")
    set_status(corpus, document_id=3, annotator_id=me.id, status=DocumentStatus.DONE)
    # The tester's spans started every document; one is said to be new again.
    set_status(corpus, document_id=1, annotator_id=me.id, status=DocumentStatus.NEW)
    tagged = export_corpus(
        corpus,
        format_name="native",
        out=tmp_path / "t.jsonl",
        selection=ExportSelection(tag="culture"),
    )
    assert tagged.documents == 1 and tagged.spans == len(SPANS[1])
    done = export_corpus(
        corpus,
        format_name="native",
        out=tmp_path / "d.jsonl",
        selection=ExportSelection(status=DocumentStatus.DONE, status_of="tester"),
    )
    assert done.documents == 1 and done.spans == len(SPANS[2])
    new = export_corpus(
        corpus,
        format_name="native",
        out=tmp_path / "n.jsonl",
        selection=ExportSelection(status=DocumentStatus.NEW, status_of="tester"),
    )
    assert new.documents == 1
    started = export_corpus(
        corpus,
        format_name="native",
        out=tmp_path / "s.jsonl",
        selection=ExportSelection(status=DocumentStatus.IN_PROGRESS, status_of="tester"),
    )
    assert started.documents == 1


def test_the_progress_total_is_what_the_export_writes(corpus, tmp_path):
    from annotator.domain.library import DocumentStatus
    from annotator.services.library import set_status, update_document_meta

    doc, _ = open_document(corpus, document_id=2)
    update_document_meta(corpus, document_id=2, meta=doc.meta, tags=["culture"])
    me = ensure_annotator(corpus, name="tester")
    set_status(corpus, document_id=3, annotator_id=me.id, status=DocumentStatus.DONE)
    for selection in [
        ExportSelection(),
        ExportSelection(document_ids=(3, 1, 3)),
        ExportSelection(tag="culture"),
        ExportSelection(tag="none such"),
        ExportSelection(status=DocumentStatus.DONE, status_of="tester"),
        ExportSelection(status=DocumentStatus.NEW, status_of="tester", label_names=("DATE",)),
    ]:
        out = tmp_path / "out.jsonl"
        written = export_corpus(corpus, format_name="native", out=out, selection=selection)
        assert count_export_documents(corpus, selection) == written.documents, selection


@pytest.mark.parametrize("name", ["brat", "doccano", "label-studio", "xmi"])
def test_peer_files_go_in_and_out_again_with_their_spans(tmp_path, shared, name):
    """A peer tool's file imported, exported in the same format and imported again: same spans."""
    folders = {
        "brat": "peers/brat",
        "doccano": "peers/doccano",
        "label-studio": "peers/label-studio",
        "xmi": "peers/dkpro-cassis",
    }
    from annotator.formats.registry import get_format

    info = get_format(name)
    first = open_database(tmp_path / "first.sqlite3", seed=False)
    second = open_database(tmp_path / "second.sqlite3", seed=False)
    try:
        peers = [
            p
            for p in (shared / folders[name]).rglob("*")
            if p.is_file() and p.suffix in info.extensions and info.load().sniff(p)
        ]
        assert peers, f"no {name} peer files found"
        report = import_annotations(first, paths=peers, format_name=name, annotator_name="peer")
        assert report.spans_added > 0
        out = tmp_path / ("out" if info.output is Output.FOLDER else f"out{info.extensions[0]}")
        export_corpus(first, format_name=name, out=out)
        import_annotations(second, paths=[out], format_name=name, annotator_name="peer")
        assert stored(second) == stored(first)
        assert stored_relations(second) == stored_relations(first)
        if name in ("brat", "doccano"):  # their peer files have relations
            assert stored_relations(first)
    finally:
        first.dispose()
        second.dispose()


# The claim model: relations, attributes, notes, actor links ---------------------------------

CLAIM_TEXT = (
    "KCNA reported on 20 February 2024 that Kim Yo Jong said the car was a 👍 gift from "
    "Vladimir Putin.\nObservers called it “symbolic”."
)
INNER = "the car was a 👍 gift from Vladimir Putin"
OUTER = "Kim Yo Jong said " + INNER
NOTE = "Needs a second source: the 👍 is KCNA's."


@pytest.fixture
def claims(tmp_path: Path) -> Database:
    """A seeded database (default schema, the demo article's text) with one fully annotated
    claim article."""
    from annotator.services.actors import create_actor
    from annotator.services.relations import add_relation
    from annotator.services.schema import get_schema
    from annotator.services.spans import set_span_details

    add_plain_demo(tmp_path / "claims.sqlite3")
    db = open_database(tmp_path / "claims.sqlite3")
    me = ensure_annotator(db, name="tester")
    schema = get_schema(db)
    label = {lab.name: lab.id for lab in schema.labels}
    kind = {t.name: t.id for t in schema.relation_types}
    meta = DocumentMeta(
        "Putin's car for Kim",
        source="Example Wire",
        url="https://example.org/kcna-car",
        published="2024-02-20",
        language="en",
    )
    doc = add_document(db, text=CLAIM_TEXT, meta=meta)

    def span(quote: str, name: str, attributes: dict[str, object]) -> int:
        start = CLAIM_TEXT.index(quote)
        return add_span(
            db,
            document_id=doc.id,
            start=start,
            end=start + len(quote),
            label_id=label[name],
            annotator_id=me.id,
            attributes=attributes,
        ).id

    kcna = span("KCNA", "ACTOR", {"kind": "media"})
    date = span("20 February 2024", "DATE", {"value": "2024-02-20"})
    outer = span(OUTER, "CLAIM", {"quote_type": "indirect", "reporting_verb": "reported"})
    kim = span("Kim Yo Jong", "ACTOR", {"kind": "person"})
    inner_values = {
        "quote_type": "paraphrase",
        "reporting_verb": "went on to say",
        "hedged": True,
        "check_worthy": True,
    }
    inner = span(INNER, "CLAIM", inner_values)
    set_span_details(db, span_id=inner, attributes=inner_values, note=NOTE)
    putin = span("Vladimir Putin", "ACTOR", {"kind": "person"})
    span("Observers", "ACTOR", {"kind": "group"})
    create_actor(
        db,
        name="Korean Central News Agency",
        key="kcna",
        kind="media",
        aliases=["KCNA"],
        description="North Korea's state news agency",
        external_id="Q1130405",
        link_spans=[kcna],
    )
    create_actor(db, name="Kim Yo Jong", kind="person", link_spans=[kim])
    create_actor(db, name="Vladimir Putin", key="putin", external_id="Q7747", link_spans=[putin])
    for name, source, target in [
        ("SOURCE", outer, kcna),
        ("TIME", outer, date),
        ("SOURCE", inner, kim),
        ("REPORTED_IN", inner, outer),
        ("TIME", inner, date),
    ]:
        add_relation(db, type_id=kind[name], source_id=source, target_id=target, annotator_id=me.id)
    from annotator.services.library import set_status

    reviewer = ensure_annotator(db, name="reviewer")
    set_status(db, document_id=doc.id, annotator_id=me.id, status="done")
    set_status(db, document_id=doc.id, annotator_id=reviewer.id, status="in_progress")
    yield db
    db.dispose()


def claim_article(db: Database) -> tuple[dict[str, object], ...]:
    """The claim article as (label, quote, attributes, note, actor key) rows, the relations as
    (type, source quote, target quote), and the actors linked: comparable across databases."""
    from annotator.services.actors import list_actors
    from annotator.services.relations import list_relations
    from annotator.services.schema import get_schema

    schema = get_schema(db)
    with db.transaction() as repo:
        (doc_id,) = [i for i in repo.document_ids() if repo.document(i).text == CLAIM_TEXT]
    _, spans = open_document(db, document_id=doc_id)
    actors = {a.id: a for a in list_actors(db)}
    by_id = {s.id: s for s in spans}
    rows = {
        (schema.label(s.label_id).name, s.quote): {
            "attributes": s.attributes,
            "note": s.note,
            "actor": actors[s.actor_id].key if s.actor_id else None,
        }
        for s in spans
    }
    links = {
        (schema.relation_type(r.type_id).name, by_id[r.source_id].quote, by_id[r.target_id].quote)
        for r in list_relations(db, document_id=doc_id)
    }
    return rows, links, actors  # type: ignore[return-value]


def make_id_gaps(db: Database) -> None:
    """Delete the demo document, a span, and a relation made again, as in a database in use."""
    from annotator.services.library import delete_documents
    from annotator.services.relations import add_relation, delete_relations, list_relations
    from annotator.services.spans import delete_spans

    with db.transaction() as repo:
        ids = repo.document_ids()
        (doc_id,) = [i for i in ids if repo.document(i).text == CLAIM_TEXT]
    delete_documents(db, document_ids=[i for i in ids if i != doc_id])
    first = list_relations(db, document_id=doc_id)[0]
    delete_relations(db, relation_ids=[first.id])
    add_relation(
        db,
        type_id=first.type_id,
        source_id=first.source_id,
        target_id=first.target_id,
        annotator_id=first.annotator_id,
    )
    date = next(label.id for label in list_labels(db) if label.name == "DATE")
    me = ensure_annotator(db, name="tester")
    mistake = add_span(db, document_id=doc_id, start=0, end=4, label_id=date, annotator_id=me.id)
    delete_spans(db, span_ids=[mistake.id])


def test_native_round_trip_into_an_empty_database_is_identical(claims, tmp_path):
    from annotator.services.actors import list_actors
    from annotator.services.schema import get_schema

    make_id_gaps(claims)  # ids in the file must not depend on the database's ids
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    report = export_corpus(claims, format_name="native", out=first)
    assert (report.documents, report.spans, report.relations) == (1, 7, 5)
    empty = open_database(tmp_path / "empty.sqlite3", seed=False)
    try:
        imported = import_annotations(empty, paths=[first], annotator_name="me")
        assert imported.problems == []
        assert imported.labels_added == ["ACTOR", "DATE", "CLAIM"]
        assert imported.relation_types_added == ["SOURCE", "TIME", "REPORTED_IN"]
        assert sorted(imported.actors_added) == ["kcna", "kim-yo-jong", "putin"]
        assert (imported.spans_added, imported.relations_added) == (7, 5)
        # The schema is recreated: attribute definitions and relation types with their ends.
        assert get_schema(empty).labels[2].attributes == get_schema(claims).labels[2].attributes
        schema = get_schema(empty)
        source = schema.relation_type_named("SOURCE")
        assert source is not None
        ends = (source.source_label_id, source.target_label_id)
        assert [schema.label(i).name for i in ends if i is not None] == ["CLAIM", "ACTOR"]
        strip = [dataclasses.replace(a, id=0) for a in list_actors(empty)]
        assert strip == [dataclasses.replace(a, id=0) for a in list_actors(claims)]
        assert claim_article(empty)[:2] == claim_article(claims)[:2]
        export_corpus(empty, format_name="native", out=second)
    finally:
        empty.dispose()
    # Byte for byte: ids, times of documents, spans and relations, statuses and all.
    assert second.read_bytes() == first.read_bytes()
    assert '"statuses": {"reviewer": "in_progress", "tester": "done"}' in first.read_text()


def test_importing_the_same_file_again_adds_no_relations(claims, tmp_path):
    out = tmp_path / "claims.jsonl"
    export_corpus(claims, format_name="native", out=out)
    again = import_annotations(claims, paths=[out], annotator_name="tester")
    assert (again.spans_added, again.relations_added) == (0, 0)
    assert (again.spans_already_there, again.relations_already_there) == (7, 5)
    assert again.actors_added == [] and again.problems == []


def test_export_carries_the_relations_between_kept_spans_only(claims, tmp_path):
    import json

    out = tmp_path / "no-dates.jsonl"
    report = export_corpus(
        claims,
        format_name="native",
        out=out,
        selection=ExportSelection(label_names=("ACTOR", "CLAIM")),
    )
    assert (report.spans, report.relations) == (6, 3)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    article = lines[-1]
    assert {r["type"] for r in article["relations"]} == {"SOURCE", "REPORTED_IN"}
    # The demo article comes first and links no actor: the registry entries the claim article's
    # mentions link to are defined on their own lines just before it.
    assert lines[0]["actors"] == []
    actors = [line for line in lines if line.get("type") == "actor"]
    assert [a["key"] for a in actors] == ["kcna", "kim-yo-jong", "putin"]
    assert actors[0]["external_id"] == "Q1130405"


READABLE = [f for f in FORMATS if f.can_read and f.can_write]


@pytest.mark.parametrize("info", READABLE, ids=[f.name for f in READABLE])
def test_each_format_carries_what_its_registry_entry_says(claims, tmp_path, info):
    """Export the claim article, import it into a fresh database: relations, attributes, notes
    and actor links come back exactly where the registry says the format carries them."""
    out = out_path(tmp_path, info.name)
    export_corpus(claims, format_name=info.name, out=out)
    target = open_database(tmp_path / "target.sqlite3")
    try:
        report = import_annotations(
            target, paths=[out], format_name=info.name, annotator_name="tester"
        )
        assert not [p for p in report.problems if "does not match" in p.message]
        if info.name == "conll":  # re-tokenised text, ACTOR and DATE only: nothing more
            assert not info.relations and report.relations_added == 0
            return
        rows, links, _ = claim_article(claims)
        got_rows, got_links, _ = claim_article(target)
        assert set(got_rows) == set(rows)
        assert got_links == (links if info.relations else set())
        for key, row in rows.items():
            got = got_rows[key]
            assert got["attributes"] == (row["attributes"] if info.attributes else {}), key
            assert got["note"] == (row["note"] if info.notes else None), key
            assert got["actor"] == (row["actor"] if info.actors else None), key
    finally:
        target.dispose()


def test_claimreview_export_of_the_corpus(claims, tmp_path):
    import json

    out = tmp_path / "claims.jsonld"
    report = export_corpus(claims, format_name="claimreview", out=out)
    assert (report.documents, report.spans) == (2, 2)
    outer, inner = json.loads(out.read_text(encoding="utf-8"))
    assert outer["itemReviewed"]["author"]["name"] == "Korean Central News Agency"
    assert inner["itemReviewed"]["author"]["name"] == "Kim Yo Jong"
    assert inner["itemReviewed"]["datePublished"] == "2024-02-20"


def test_import_stores_relations_and_actors_and_reports_what_it_refuses(tmp_path, monkeypatch):
    from annotator.domain.interchange import ImportedActor, ImportedRelation
    from annotator.domain.model import Actor
    from annotator.formats import registry
    from annotator.services.actors import create_actor, list_actors
    from annotator.services.schema import get_schema

    text = "Ana said Bo left. Cy agreed."
    at = text.index

    def span(quote: str, label: str, ref: str, **extra: object) -> ImportedSpan:
        start = at(quote)
        return ImportedSpan(start, start + len(quote), label, quote=quote, ref=ref,
                            origin=f"f.x:{ref}", **extra)  # type: ignore[arg-type]  # fmt: skip

    doc = ImportedDocument(
        text=text,
        meta=DocumentMeta("links"),
        origin="f.x",
        spans=(
            span("Ana", "ACTOR", "a", actor="ana", attributes={"kind": "person"}),
            span("Bo left", "CLAIM", "c", attributes={"hedged": "no", "check_worthy": "Yes"}),
            span("Bo", "ACTOR", "b", actor="bo"),
            span("Cy", "ACTOR", "y", actor="cy"),
            ImportedSpan(0, 3, "ACTOR", quote="Nope", ref="bad", origin="f.x:bad"),
        ),
        relations=(
            ImportedRelation("SOURCE", "c", "a", "f.x:r1"),
            ImportedRelation("TARGET", "c", "b", "f.x:r2"),  # a type the schema lacks
            ImportedRelation("SOURCE", "c", "bad", "f.x:r3"),  # its span was refused
            ImportedRelation("SOURCE", "c", "zz", "f.x:r4"),  # no such span
            ImportedRelation("SOURCE", "a", "c", "f.x:r5"),  # ACTOR -> CLAIM: not allowed
        ),
        actors=(ImportedActor("bo", "Bo Berg", "person", ("B. Berg",), "a pundit", "Q42"),),
    )

    class Fake:
        @staticmethod
        def read(path):
            yield doc

    info = registry.get_format("native")
    monkeypatch.setattr(type(info), "load", lambda self: Fake())
    db = open_database(tmp_path / "t.sqlite3")
    try:
        create_actor(db, name="Cy Known", key="cy")
        report = import_annotations(db, paths=[tmp_path], format_name="native", annotator_name="me")
        assert (report.spans_added, report.relations_added) == (4, 2)
        assert report.relation_types_added == ["TARGET"]
        assert report.actors_added == ["ana", "bo"]
        problems = {p.origin: p.message for p in report.problems}
        assert set(problems) == {"f.x:bad", "f.x:r3", "f.x:r4", "f.x:r5"}
        assert "target span bad was refused" in problems["f.x:r3"]
        assert "target zz is not a span of this document" in problems["f.x:r4"]
        assert "SOURCE links CLAIM to ACTOR, not ACTOR to CLAIM" in problems["f.x:r5"]
        assert "relations added" in report.summary() and "TARGET" in report.summary()
        target = get_schema(db).relation_type_named("TARGET")
        assert target is not None
        assert (target.source_label_id, target.target_label_id, target.colour) == (
            None, None, "#777777"
        )  # fmt: skip
        actors = {a.key: dataclasses.replace(a, id=0) for a in list_actors(db)}
        assert actors["bo"] == Actor(0, "bo", "Bo Berg", "person", ("B. Berg",), "a pundit", "Q42")
        assert actors["ana"] == Actor(0, "ana", "Ana", "person")  # named after its mention
        assert actors["cy"].name == "Cy Known"  # matched by key, not changed
        (doc_id,) = [d.id for d in list_documents(db) if d.title == "links"]
        _, spans = open_document(db, document_id=doc_id)
        claim = next(s for s in spans if s.quote == "Bo left")
        assert claim.attributes == {"hedged": False, "check_worthy": True}  # yes/no by schema
    finally:
        db.dispose()


def test_native_import_adds_attribute_definitions_a_label_lacks(claims, tmp_path):
    from annotator.domain.attributes import AttributeDef, AttributeKind
    from annotator.domain.schema import LabelSpec
    from annotator.services.schema import get_schema, save_label

    claim = get_schema(claims).label_named("CLAIM")
    assert claim is not None
    extra = AttributeDef("verdict", AttributeKind.CHOICE, ("true", "false"), "the check")
    spec = LabelSpec(claim.name, claim.colour, claim.hotkey, claim.style, claim.description,
                     (*claim.attributes, extra))  # fmt: skip
    save_label(claims, spec=spec, label_id=claim.id)
    out = tmp_path / "claims.jsonl"
    export_corpus(claims, format_name="native", out=out)
    target = open_database(tmp_path / "seeded.sqlite3")  # has CLAIM, without "verdict"
    try:
        report = import_annotations(target, paths=[out], annotator_name="me")
        assert report.labels_added == [] and report.attributes_added == ["CLAIM.verdict"]
        assert "attributes added to labels: CLAIM.verdict" in report.summary()
        got = get_schema(target).label_named("CLAIM")
        assert got is not None and got.attribute("verdict") == extra
        assert got.attributes[:5] == claim.attributes  # the label's own stay as they were
    finally:
        target.dispose()


def test_import_sets_statuses_but_never_overwrites_one_recorded_here(claims, tmp_path):
    from annotator.services.library import set_status

    out = tmp_path / "claims.jsonl"
    export_corpus(claims, format_name="native", out=out)
    with claims.transaction() as repo:
        (doc_id,) = [i for i in repo.document_ids() if repo.document(i).text == CLAIM_TEXT]
        tester, reviewer = repo.annotator_named("tester"), repo.annotator_named("reviewer")
    set_status(claims, document_id=doc_id, annotator_id=tester.id, status="in_progress")
    set_status(claims, document_id=doc_id, annotator_id=reviewer.id, status="new")
    import_annotations(claims, paths=[out], annotator_name="me")
    with claims.transaction() as repo:
        names = {a.id: a.name for a in repo.annotators()}
        assert {names[i]: s.value for i, s in repo.document_statuses(doc_id).items()} == {
            "tester": "in_progress",  # recorded here: kept
            "reviewer": "in_progress",  # "new" here (nothing recorded): the file's status
        }


def test_label_studio_export_puts_its_labeling_config_beside_the_tasks(corpus, tmp_path):
    out = tmp_path / "tasks.json"
    config = tmp_path / "tasks.label-config.xml"
    config.write_text("an older config", encoding="utf-8")
    report = export_corpus(corpus, format_name="label-studio", out=out)
    assert report.files == [str(out), str(config)]
    assert config.read_text(encoding="utf-8").startswith("<View>")
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("source."))
    assert left == ["tasks.json", "tasks.label-config.xml"]  # no temporary folder left
    assert report.destination(out) == f"{out} and {config}"
