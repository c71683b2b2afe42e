"""spaCy v3 DocBin: spaCy itself reads what we write; round trips; what cannot go is reported."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import spacy
from helpers import INNER_CLAIM, OUTER_CLAIM, actor_keys, claim_doc, make_doc, relations_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, DocBin, Span

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
)
from annotator.domain.model import Annotator, DocumentMeta
from annotator.formats import _docbin, spacy_docbin
from annotator.formats.registry import get_format

TEXT = (
    "Kim Jong-un met Moon Jae-in in Pyongyang on 18 September 2018 .\n"
    "Observers said the summit 🤝 was historic 🇰🇷 👩‍👩‍👧 ."
)


def _at(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def _read(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in spacy_docbin.read(path):
        (docs if isinstance(item, ImportedDocument) else problems).append(item)
    return docs, problems


def _sample() -> AnnotatedDocument:
    return make_doc(
        TEXT,
        [
            (*_at(TEXT, "Kim Jong-un"), "ACTOR", {"identity": "Q56226", "aliases": ["Kim"]}, "n"),
            (*_at(TEXT, "Moon Jae-in"), "ACTOR"),
            (*_at(TEXT, "18 September 2018"), "DATE", {"value": "2018-09-18"}),
            (*_at(TEXT, "September 2018"), "DATE"),  # nested in the DATE above
            (*_at(TEXT, "Observers said the summit 🤝 was historic"), "CLAIM", {}, "a claim"),
            (*_at(TEXT, "🇰🇷"), "ACTOR"),
            (*_at(TEXT, "👩‍👩‍👧"), "ACTOR"),
        ],
        meta=DocumentMeta(
            title="Summit",
            source="KCNA",
            url="https://example.org/a",
            author="A. Writer",
            published="2018-09-18",
            language="en",
        ),
        tags=("summit", "korea"),
        doc_id=42,
    )


def test_registry_entry_points_here() -> None:
    info = get_format("spacy")
    assert info.load() is spacy_docbin
    assert info.extensions == (".spacy",)


def test_spacy_itself_reads_spans_ents_and_user_data(tmp_path: Path) -> None:
    out = tmp_path / "corpus.spacy"
    report = spacy_docbin.write([_sample()], out)
    assert report.documents == 1
    assert report.spans == 7
    assert report.files == [str(out)]

    nlp = spacy.blank("en")
    (doc,) = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert doc.text == TEXT
    group = {(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans["annotator"]}
    assert (*_at(TEXT, "Kim Jong-un"), "ACTOR", "Kim Jong-un") in group
    assert (*_at(TEXT, "👩‍👩‍👧"), "ACTOR", "👩‍👩‍👧") in group
    assert len(group) == 7
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ents == [
        ("Kim Jong-un", "ACTOR"),
        ("Moon Jae-in", "ACTOR"),
        ("18 September 2018", "DATE"),
        ("🇰🇷", "ACTOR"),
        ("👩‍👩‍👧", "ACTOR"),
    ]
    record = doc.user_data["annotator"]
    assert record["document"]["title"] == "Summit"
    assert {s["label"] for s in record["spans"]} == {"ACTOR", "DATE", "CLAIM"}
    # The nested DATE is in the span group but not in the entities, and the report says so.
    (left_out,) = [p for p in report.problems if "not in doc.ents" in p.message]
    assert "September 2018" in left_out.message and "document 42" in left_out.origin


def test_round_trip_keeps_labels_offsets_quotes_attributes_notes(tmp_path: Path) -> None:
    original = _sample()
    out = tmp_path / "a.spacy"
    spacy_docbin.write([original], out)
    (doc,), problems = _read(out)
    assert problems == []
    assert doc.text == TEXT
    assert doc.meta == original.document.meta
    assert doc.tags == ("summit", "korea")
    got = sorted(
        (s.start, s.end, s.label, s.quote, s.annotator, dict(s.attributes), s.note)
        for s in doc.spans
    )
    want = sorted(
        (
            s.start,
            s.end,
            original.label_name(s),
            s.quote,
            "tester",
            s.attributes,
            s.note,
        )
        for s in original.spans
    )
    assert got == want


def test_an_article_over_a_million_characters_exports_and_reads_back(tmp_path: Path) -> None:
    # spaCy's own limit (max_length, 1,000,000 characters) made the export fail on a long text.
    text = "Minister Ana Souza said the budget is safe. " * 23_000
    assert len(text) > 1_000_000
    end = len(text) - len(" said the budget is safe. ")
    start = end - len("Ana Souza")
    out = tmp_path / "long.spacy"
    spacy_docbin.write([make_doc(text, [(start, end, "ACTOR")])], out)
    (doc,), problems = _read(out)
    assert problems == []
    assert doc.text == text
    assert [(s.start, s.end, s.quote) for s in doc.spans] == [(start, end, "Ana Souza")]


def test_two_annotators_on_the_same_span_both_come_back(tmp_path: Path) -> None:
    base = make_doc(TEXT, [(*_at(TEXT, "Kim Jong-un"), "ACTOR")])
    other = dataclasses.replace(base.spans[0], id=2, annotator_id=2)
    annotated = dataclasses.replace(
        base,
        spans=(*base.spans, other),
        annotators={**base.annotators, 2: Annotator(2, "second")},
    )
    out = tmp_path / "b.spacy"
    report = spacy_docbin.write([annotated], out)
    assert report.problems == [p for p in report.problems if "tokenizer" in p.message]
    (doc,), _ = _read(out)
    assert sorted(s.annotator or "" for s in doc.spans) == ["second", "tester"]


def test_span_off_token_edges_is_reported_and_left_out(tmp_path: Path) -> None:
    start, end = _at(TEXT, "Jong")  # spaCy splits "Jong-un" at the hyphen: a token
    partial = _at(TEXT, "yongyan")  # inside the token "Pyongyang"
    annotated = make_doc(
        TEXT,
        [(start, end, "ACTOR"), (*partial, "ACTOR"), (*_at(TEXT, "Pyongyang"), "ACTOR")],
        meta=DocumentMeta(title="Edges", language="en"),
        doc_id=9,
    )
    out = tmp_path / "c.spacy"
    report = spacy_docbin.write([annotated], out)
    assert report.spans == 2
    (problem,) = report.problems
    assert problem.origin.startswith("document 9 'Edges', span 2 ACTOR")
    assert "'yongyan'" in problem.message and "token edges" in problem.message
    assert "'Pyongyang'" in problem.message  # the nearest token span, as a hint
    (doc,), _ = _read(out)
    assert sorted(s.quote or "" for s in doc.spans) == ["Jong", "Pyongyang"]


def test_language_fallback_is_reported(tmp_path: Path) -> None:
    docs = [
        make_doc("Ein Satz .", [(0, 3, "ACTOR")], meta=DocumentMeta("de", language="de-AT")),
        make_doc("no language", [(0, 2, "ACTOR")], meta=DocumentMeta("none"), doc_id=2),
        make_doc(
            "Klingon text", [(0, 7, "ACTOR")], meta=DocumentMeta("k", language="tlh"), doc_id=3
        ),
    ]
    report = spacy_docbin.write(docs, tmp_path / "d.spacy")
    assert report.documents == 3 and report.spans == 3
    messages = {p.origin: p.message for p in report.problems}
    assert set(messages) == {"document 2 'none'", "document 3 'k'"}
    assert all("'xx'" in m for m in messages.values())


def test_streams_and_reports_progress(tmp_path: Path) -> None:
    seen: list[int] = []

    def documents():
        for n in range(1, 6):
            text = f"Doc {n} mentions Kim ."
            yield make_doc(text, [(*_at(text, "Kim"), "ACTOR")], doc_id=n)

    report = spacy_docbin.write(documents(), tmp_path / "e.spacy", progress=seen.append)
    assert seen == [1, 2, 3, 4, 5]
    docs, problems = _read(tmp_path / "e.spacy")
    assert [d.spans[0].quote for d in docs] == ["Kim"] * 5
    assert report.documents == 5 and report.spans == 5
    assert problems == []
    # No language in the metadata: one problem says which tokenizer the five documents got.
    (fallback,) = report.problems
    assert "'xx'" in fallback.message and "no language given" in fallback.message
    assert fallback.origin == "document 1 'Test article' and 4 more documents"


def test_reads_a_docbin_written_by_spacy_alone(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp("Apple hired Tim Cook in May .")
    doc.ents = [doc.char_span(0, 5, "ORG"), doc.char_span(12, 20, "PERSON")]
    doc.spans["sc"] = [doc.char_span(0, 5, "ORG"), doc.char_span(24, 27, "DATE")]
    doc.spans["ruler"] = [doc.char_span(24, 27, "DATE"), doc[2:4]]  # the last has no label
    doc_bin = DocBin(docs=[doc])
    path = tmp_path / "foreign.spacy"
    doc_bin.to_disk(path)
    assert spacy_docbin.sniff(path)

    (got,), problems = _read(path)
    assert got.meta.title == "foreign"
    assert sorted((s.start, s.end, s.label, s.quote) for s in got.spans) == [
        (0, 5, "ORG", "Apple"),
        (12, 20, "PERSON", "Tim Cook"),
        (24, 27, "DATE", "May"),
    ]
    (problem,) = problems
    assert "'Tim Cook' has no label" in problem.message and "ruler" in problem.origin


def test_unreadable_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.spacy"
    path.write_bytes(b"not a docbin at all")
    assert not spacy_docbin.sniff(path)
    docs, problems = _read(path)
    assert docs == []
    assert problems[0].origin == str(path)


def test_peer_spacy_files(shared: Path) -> None:
    """The spaCy peers are IOB, JSON and JSONL (another module's job); none is a DocBin."""
    peers = [p for p in (shared / "peers" / "spacy").rglob("*") if p.is_file()]
    assert peers
    for path in peers:
        if path.suffix == ".spacy":  # none today; read any that appear
            docs, problems = _read(path)
            assert docs and not problems
        else:
            assert not spacy_docbin.sniff(path), path


# --- property: offsets survive the round trip, or the span is reported --------------------------

WORDS = st.sampled_from(
    [
        "Kim",
        "Jong-un",
        "👩‍👩‍👧",  # ZWJ sequence
        "👍🏽",  # skin tone
        "🇰🇷",  # flag
        "🇺🇦🇫🇷",
        "e\u0301te\u0301",  # combining acute accents, not NFC
        "Ko\u0308ln",
        "日本語",
        "U.S.",
        "(Reuters)",
        "said:",
        "2018-09-18",
        "❤️",
        "a",
    ]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", " \n\n", "\t"])


@st.composite
def documents(draw: st.DrawFn) -> AnnotatedDocument:
    words = draw(st.lists(WORDS, min_size=1, max_size=12))
    text, edges = "", []
    for word in words:
        if text:
            text += draw(SEPARATORS)
        edges.append((len(text), len(text) + len(word)))
        text += word
    specs: list[tuple[int, int, str]] = []
    for _ in range(draw(st.integers(0, 6))):
        first = draw(st.integers(0, len(edges) - 1))
        last = draw(st.integers(first, min(len(edges) - 1, first + 3)))
        label = draw(st.sampled_from(["ACTOR", "DATE", "CLAIM"]))
        specs.append((edges[first][0], edges[last][1], label))
    for _ in range(draw(st.integers(0, 2))):  # anywhere: aligned by luck or reported
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        specs.append((start, end, "CLAIM"))
    return make_doc(text, specs)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(annotated=documents())
def test_offsets_survive_or_are_reported(tmp_path: Path, annotated: AnnotatedDocument) -> None:
    out = tmp_path / "p.spacy"
    report = spacy_docbin.write([annotated], out)
    (doc,), problems = _read(out)
    assert problems == []
    assert doc.text == annotated.document.text
    reported = {
        int(p.origin.split(", span ")[1].split()[0])
        for p in report.problems
        if "token edges" in p.message
    }
    expected = sorted(
        (s.start, s.end, annotated.label_name(s), s.quote)
        for s in annotated.spans
        if s.id not in reported
    )
    got = sorted((s.start, s.end, s.label, s.quote) for s in doc.spans)
    # Two identical specs collapse into one (same annotator, label and offsets).
    assert sorted(set(got)) == sorted(set(expected))
    assert report.spans == len(annotated.spans) - len(reported)
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.quote


# --- the claim model: relations, actors in user_data; kb_id -----------------------------------


def test_claim_model_as_spacy_sees_it(tmp_path: Path) -> None:
    out = tmp_path / "claims.spacy"
    report = spacy_docbin.write([claim_doc()], out)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(out).get_docs(nlp.vocab)
    group = {s.id_: s for s in doc.spans["annotator"]}
    record = doc.user_data["annotator"]
    links = {(r["type"], group[str(r["from"])].text, group[str(r["to"])].text)
             for r in record["relations"]}  # fmt: skip
    assert links == {
        ("SOURCE", OUTER_CLAIM, "KCNA"),
        ("TIME", OUTER_CLAIM, "20 February 2024"),
        ("SOURCE", INNER_CLAIM, "Kim Yo Jong"),
        ("REPORTED_IN", INNER_CLAIM, OUTER_CLAIM),
        ("TIME", INNER_CLAIM, "20 February 2024"),
    }
    # The entity linker's KB id is the registry's external id; the key is in user_data.
    assert {s.text: s.kb_id_ for s in doc.spans["annotator"] if s.kb_id_} == {
        "KCNA": "Q1130405",
        "Vladimir Putin": "Q7747",
    }
    assert {e.text: e.kb_id_ for e in doc.ents}["Vladimir Putin"] == "Q7747"
    spans = {s["id"]: s for s in record["spans"]}
    assert spans[15]["attributes"]["hedged"] is True and spans[11]["actor"] == "kcna"
    assert [a["key"] for a in record["actors"]] == ["kcna", "kim-yo-jong", "putin"]


def test_claim_model_reads_back(tmp_path: Path) -> None:
    original = claim_doc()
    out = tmp_path / "claims.spacy"
    spacy_docbin.write([original], out)
    (back,), problems = _read(out)
    assert problems == []
    assert relations_of(back) == relations_of(original)
    assert actor_keys(back) == actor_keys(original)
    assert {a.key: a.name for a in back.actors}["kcna"] == "Korean Central News Agency"
    by_quote = {s.quote: s for s in back.spans}
    assert by_quote["Observers"].attributes == {"kind": "group"}


def test_relation_to_a_misaligned_span_is_reported(tmp_path: Path) -> None:
    original = claim_doc()
    # "KCN" does not end on a token edge: it is left out, and the SOURCE relation to it too.
    spans = tuple(
        dataclasses.replace(s, end=s.end - 1, quote=s.quote[:-1]) if s.quote == "KCNA" else s
        for s in original.spans
    )
    report = spacy_docbin.write([dataclasses.replace(original, spans=spans)], tmp_path / "x.spacy")
    assert report.relations == 4
    assert any("SOURCE relation left out" in p.message for p in report.problems)


def _spacy_span(doc: Doc, entry: _docbin.SpanEntry) -> Span:
    span = doc.char_span(
        entry.start_char,
        entry.end_char,
        label=entry.label,
        kb_id=entry.kb_id,
        span_id=entry.span_id,
    )
    assert span is not None
    return span


def test_streamed_file_holds_what_spacys_own_docbin_holds(tmp_path: Path) -> None:
    # The writer packs the DocBin layout itself, one Doc at a time: a DocBin built by spaCy
    # from the same Docs must be field for field the same once both are loaded.
    docs = [
        dataclasses.replace(_sample(), document=dataclasses.replace(_sample().document, id=n))
        for n in range(1, 4)
    ] + [make_doc("Nothing marked here.", doc_id=4), claim_doc()]
    out = tmp_path / "many.spacy"
    report = spacy_docbin.write(docs, out)
    assert report.documents == 5
    ours = DocBin().from_disk(out)

    pipelines = spacy_docbin._Pipelines()
    theirs = DocBin(store_user_data=True)
    for annotated in docs:
        planned = spacy_docbin._to_doc(annotated, pipelines, spacy_docbin.WriteReport())
        assert planned is not None
        doc = planned.doc
        # The span group and the entities as spaCy's own objects: the writer packs them without.
        entries = planned.spans.entries()
        doc.spans["annotator"] = [_spacy_span(doc, e) for e in entries]
        doc.ents = [_spacy_span(doc, entries[i]) for i in planned.ents.tolist()]
        assert [(s.start, s.end) for s in doc.spans["annotator"]] == [
            (e.start, e.end) for e in entries
        ]
        theirs.add(doc)
    theirs = DocBin().from_bytes(theirs.to_bytes())
    assert ours.attrs == theirs.attrs and ours.strings == theirs.strings
    assert [t.tolist() for t in ours.tokens] == [t.tolist() for t in theirs.tokens]
    assert [s.tolist() for s in ours.spaces] == [s.tolist() for s in theirs.spaces]
    assert ours.span_groups == theirs.span_groups
    assert ours.user_data == theirs.user_data
    assert (ours.cats, ours.flags) == (theirs.cats, theirs.flags)
    got = [d.text for d in ours.get_docs(spacy.blank("en").vocab)]
    assert got == [d.document.text for d in docs]


def test_empty_export_is_a_docbin_with_no_docs(tmp_path: Path) -> None:
    out = tmp_path / "none.spacy"
    report = spacy_docbin.write([], out)
    assert report.documents == 0
    assert len(DocBin().from_disk(out)) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["none.spacy"]  # no spool left behind


def test_cancelled_export_leaves_no_part_file_and_no_spool(tmp_path: Path) -> None:
    out = tmp_path / "old.spacy"
    out.write_bytes(b"the previous export")

    class StopError(Exception):
        pass

    def cancel(done: int) -> None:
        if done == 2:
            raise StopError

    docs = [make_doc("Ana met Bo.", [(0, 3, "ACTOR")], doc_id=n) for n in range(1, 5)]
    try:
        spacy_docbin.write(docs, out, progress=cancel)
    except StopError:
        pass
    else:
        raise AssertionError("the export was not cancelled")
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.spacy"]


def test_span_refs_repeat_per_doc_so_the_string_table_stays_small(tmp_path: Path) -> None:
    docs = [
        make_doc("Ana met Bo.", [(0, 3, "ACTOR"), (8, 10, "ACTOR")], doc_id=n, first_span_id=n * 10)
        for n in range(1, 30)
    ]
    out = tmp_path / "refs.spacy"
    spacy_docbin.write(docs, out)
    loaded = DocBin().from_disk(out)
    assert {"1", "2"} <= loaded.strings
    assert not {str(n * 10) for n in range(2, 30)} & loaded.strings  # no database ids
    (doc, *_) = loaded.get_docs(spacy.blank("en").vocab)
    records = doc.user_data["annotator"]["spans"]
    assert [(r["ref"], r["id"]) for r in records] == [("1", 10), ("2", 11)]


def test_reads_files_that_used_database_ids_as_span_refs(tmp_path: Path) -> None:
    # Record version 2 (earlier releases) put the span's database id into span.id_.
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Ana said it rains.")
    doc.spans["annotator"] = [
        doc.char_span(0, 3, label="ACTOR", span_id="17"),
        doc.char_span(4, 17, label="CLAIM", span_id="18"),
    ]
    doc.user_data["annotator"] = {
        "version": 2,
        "spans": [
            {"id": 17, "annotator": "old", "attributes": {}, "note": "n17", "actor": None},
            {"id": 18, "annotator": "old", "attributes": {}, "note": None, "actor": None},
        ],
        "relations": [{"id": 1, "type": "SOURCE", "from": 18, "to": 17, "annotator": "old"}],
    }
    out = tmp_path / "v2.spacy"
    DocBin(store_user_data=True, docs=[doc]).to_disk(out)
    (read,), problems = _read(out)
    assert problems == []
    assert [(s.quote, s.annotator, s.note) for s in read.spans] == [
        ("Ana", "old", "n17"),
        ("said it rains", "old", None),
    ]
    assert relations_of(read) == {("SOURCE", "said it rains", "Ana")}


# --- reading one Doc at a time ------------------------------------------------------------------


def test_streamed_reading_gives_the_docs_spacy_gives(tmp_path: Path) -> None:
    from annotator.formats import _docbin

    nlp = spacy.blank("en")
    docs = []
    for n, text in enumerate(["Apple hired Tim Cook .", "", "Ana met Bo in 🇺🇳 today .", "x"]):
        doc = nlp(text)
        if len(doc) > 2:
            doc.ents = [doc.char_span(0, len(doc[0].text), label="ORG")]
            doc.spans["sc"] = [doc[1:3]]
        doc.cats = {"n": float(n)}
        doc.user_data["n"] = {"n": n, "list": [1, 2]}
        docs.append(doc)
    path = tmp_path / "spacy.spacy"
    DocBin(store_user_data=True, docs=docs).to_disk(path)

    def view(doc: Any) -> tuple[Any, ...]:
        return (
            doc.text,
            [t.whitespace_ for t in doc],
            [(e.start_char, e.end_char, e.label_) for e in doc.ents],
            {k: [(s.start_char, s.end_char) for s in g] for k, g in doc.spans.items()},
            doc.cats,
            dict(doc.user_data),
        )

    theirs = [view(d) for d in DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)]
    ours = [view(d) for d in _docbin.read_docs(path, spacy.blank("xx").vocab)]
    assert ours == theirs and len(ours) == 4


def test_reading_holds_one_doc_at_a_time(tmp_path: Path) -> None:
    import tracemalloc

    def many(count: int) -> Iterator[AnnotatedDocument]:
        for n in range(1, count + 1):
            text = f"Doc {n} . " + "Kim met Moon in Pyongyang . " * 40
            spans = [(*_at(text, "Kim", k), "ACTOR") for k in range(40)]
            yield make_doc(text, spans, doc_id=n)

    def peak(path: Path) -> tuple[int, int]:
        tracemalloc.start()
        try:
            found = sum(isinstance(item, ImportedDocument) for item in spacy_docbin.read(path))
            return found, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = tmp_path / "small.spacy", tmp_path / "large.spacy"
    spacy_docbin.write(many(5), small)
    spacy_docbin.write(many(100), large)
    (n_small, peak_small), (n_large, peak_large) = peak(small), peak(large)
    assert (n_small, n_large) == (5, 100)
    assert peak_large < 2 * peak_small  # spaCy's DocBin would hold all 100


def test_a_broken_file_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "cut.spacy"
    spacy_docbin.write([_sample(), claim_doc()], path)
    data = zlib.decompress(path.read_bytes())
    path.write_bytes(zlib.compress(data[: len(data) - 40]))  # the last Doc's user data cut off
    docs, problems = _read(path)
    assert docs == []
    (problem,) = problems
    assert problem.origin == str(path) and "not a readable spaCy DocBin file" in problem.message
