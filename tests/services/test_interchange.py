"""Export and import through the services: every format, streaming, checks, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.interchange import ImportedDocument, ImportedSpan
from annotator.domain.model import DocumentMeta
from annotator.formats.registry import FORMATS, Output
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_labels, open_document
from annotator.services.interchange import (
    ExportCancelledError,
    ExportSelection,
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


def out_path(tmp_path: Path, name: str) -> Path:
    info = next(f for f in FORMATS if f.name == name)
    return tmp_path / ("export" if info.output is Output.FOLDER else f"export{info.extensions[0]}")


@pytest.mark.parametrize("name", [f.name for f in FORMATS if f.can_write])
def test_every_format_writes_the_corpus_and_reports_counts(corpus, tmp_path, name):
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
    assert new.documents == 2


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
    finally:
        first.dispose()
        second.dispose()
