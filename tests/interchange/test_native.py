"""The native JSON Lines format: lossless round trips, streaming header, bad lines reported."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from helpers import (
    ACTORS,
    LABELS,
    RELATION_TYPES,
    actor_keys,
    claim_doc,
    from_imported,
    make_doc,
    relations_of,
    text_with_spans,
)
from hypothesis import HealthCheck, given, settings

from annotator.domain.attributes import AttributeDef
from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import Annotator, DocumentMeta, HighlightStyle, Label, RelationType
from annotator.formats import native
from annotator.formats.registry import get_format

EMOJI_TEXT = "Ana 👩‍👩‍👧 met 🇺🇳 officials in Zürich (Zu\u0308rich) on 1 May 2024.\nShe said 👍🏽."


def read_all(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in native.read(path):
        (docs if isinstance(item, ImportedDocument) else problems).append(item)  # type: ignore[arg-type]
    return docs, problems


def rebuilt(path: Path) -> list[AnnotatedDocument]:
    """What an importer would store from the file: labels from read_labels, new ids."""
    labels = {
        i: Label(
            i,
            d["name"],
            d["colour"],
            d["hotkey"],
            d["position"],
            HighlightStyle(d["style"]),
            d["description"],
            tuple(AttributeDef.from_dict(a) for a in d["attributes"]),
        )
        for i, d in enumerate(native.read_labels(path), start=10)
    }
    by_name = {label.name: label.id for label in labels.values()}
    types = {
        i: RelationType(
            i,
            d["name"],
            by_name.get(d["from"]),
            by_name.get(d["to"]),
            d["colour"],
            i,
            d["description"],
        )
        for i, d in enumerate(native.read_relation_types(path), start=30)
    }
    annotators = {i: Annotator(i, name) for i, name in enumerate(native.read_annotators(path), 20)}
    docs, problems = read_all(path)
    assert problems == []
    return [
        from_imported(d, doc_id=100 + n, labels=labels, annotators=annotators, relation_types=types)
        for n, d in enumerate(docs)
    ]


def sample_docs() -> list[AnnotatedDocument]:
    meta = DocumentMeta(
        title="Zürich talks 👍",
        source="The Daily",
        url="https://example.org/a",
        author="Jo Writer",
        published="2024-05-01",
        language="en",
    )
    return [
        make_doc(
            EMOJI_TEXT,
            spans=[
                (0, 3, "ACTOR"),
                (4, 13, "ACTOR", {"role": "family", "confidence": 0.5}, "ZWJ family"),
                (4, 13, "CLAIM"),  # same range, another label: overlaps are kept
                (14, 16, "ACTOR"),  # a flag: two regional indicators
                (50, 60, "DATE", {}, None),
            ],
            meta=meta,
            tags=("politics", "ümlaut"),
        ),
        make_doc("Second article, no spans.", doc_id=2, title="Empty"),
    ]


def test_registry_points_here() -> None:
    assert cast(object, get_format("native").load()) is native


def test_round_trip_is_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    report = native.write(iter(sample_docs()), first)
    assert (report.documents, report.spans, report.problems) == (2, 5, [])
    native.write(rebuilt(first), second)
    # Ids are the file's own (the rebuilt documents have other ids), so the bytes are equal.
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").count("\n") == 3


def test_offsets_and_fields_survive(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    native.write(sample_docs(), out)
    docs, problems = read_all(out)
    assert problems == []
    first = docs[0]
    assert first.text == EMOJI_TEXT
    assert first.meta.author == "Jo Writer" and first.tags == ("politics", "ümlaut")
    family = first.spans[1]
    assert (family.start, family.end, family.quote) == (4, 13, "👩‍👩‍👧 met")
    assert family.attributes == {"role": "family", "confidence": 0.5}
    assert family.note == "ZWJ family" and family.annotator == "tester"
    assert [s.quote for s in first.spans] == [EMOJI_TEXT[s.start : s.end] for s in first.spans]
    assert "\\u" not in out.read_text(encoding="utf-8")  # ensure_ascii=False


def test_header_lists_labels_and_annotators(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    native.write(sample_docs(), out)
    header = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert header["format"] == "annotator" and header["version"] == 2
    assert [label["name"] for label in header["labels"]] == ["ACTOR", "DATE", "CLAIM"]
    assert header["labels"][2] == {
        "name": "CLAIM",
        "colour": "#CC79A7",
        "hotkey": "c",
        "position": 2,
        "style": "underline",
        "description": "",
        "attributes": [],
    }
    assert header["annotators"] == ["tester"]
    assert header["relation_types"] == [] and header["actors"] == []
    assert [d["name"] for d in native.read_labels(out)] == ["ACTOR", "DATE", "CLAIM"]


def test_labels_first_seen_later_get_their_own_line(tmp_path: Path) -> None:
    first = make_doc("Ana spoke.", [(0, 3, "ACTOR")])
    quote_label = Label(4, "QUOTE", "#009E73", None, 3)
    later = make_doc("Bo said yes.", [(0, 2, "ACTOR")], doc_id=2)
    extra = AnnotatedDocument(
        later.document,
        later.spans,
        {**LABELS, 4: quote_label},
        {**later.annotators, 2: Annotator(2, "zoe")},
    )
    out = tmp_path / "a.jsonl"
    native.write([first, extra], out)
    kinds = [json.loads(line).get("type", "header") for line in out.open(encoding="utf-8")]
    assert kinds == ["header", "document", "label", "annotator", "document"]
    assert [d["name"] for d in native.read_labels(out)] == ["ACTOR", "DATE", "CLAIM", "QUOTE"]
    assert native.read_annotators(out) == ["tester", "zoe"]
    docs, problems = read_all(out)
    assert len(docs) == 2 and problems == []


def test_empty_export_is_a_header(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    report = native.write([], out)
    assert report.documents == 0 and report.files == [str(out)]
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "format": "annotator",
        "version": 2,
        "labels": [],
        "relation_types": [],
        "annotators": [],
        "actors": [],
    }
    assert read_all(out) == ([], [])
    assert native.sniff(out)


def test_progress_counts_documents(tmp_path: Path) -> None:
    seen: list[int] = []
    native.write(sample_docs(), tmp_path / "a.jsonl", progress=seen.append)
    assert seen == [1, 2]


def test_sniff(tmp_path: Path, shared: Path) -> None:
    out = tmp_path / "a.jsonl"
    native.write(sample_docs(), out)
    assert native.sniff(out)
    peer = shared / "peers/doccano/data_import/tests/data/sequence_labeling/example.jsonl"
    assert not native.sniff(peer)
    assert not native.sniff(shared / "corpus/edge/formula.jsonl")
    assert not native.sniff(tmp_path)


def test_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    native.write(sample_docs()[:1], out)
    good = out.read_text(encoding="utf-8")
    bad = [
        '{"type": "document", "title": "x"',  # truncated
        "[1, 2]",
        '{"type": "document", "title": "no text"}',
        '{"type": "widget"}',
        '{"type": "document", "title": "t", "text": "abc", "spans": [{"start": "0", "end": 1, '
        '"label": "ACTOR"}, {"start": 0, "end": 1, "label": "ACTOR"}]}',
    ]
    out.write_text(good + "\n".join(bad) + "\n", encoding="utf-8")
    docs, problems = read_all(out)
    assert len(docs) == 2
    assert len(docs[1].spans) == 1  # the good span of the last line
    assert [p.origin for p in problems] == [
        f"{out}:3",
        f"{out}:4",
        f"{out}:5",
        f"{out}:6",
        f"{out}:7 span 1",
    ]


def test_not_ours_or_newer_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "o.jsonl"
    other.write_text('{"text": "x", "label": []}\n', encoding="utf-8")
    assert [type(i) for i in native.read(other)] == [FormatProblem]
    newer = tmp_path / "n.jsonl"
    newer.write_text('{"format": "annotator", "version": 3}\n', encoding="utf-8")
    (problem,) = native.read(newer)
    assert isinstance(problem, FormatProblem) and "version 3" in problem.message
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    assert [type(i) for i in native.read(empty)] == [FormatProblem]


def _many(count: int, spans_each: int) -> Iterator[AnnotatedDocument]:
    text = "Ana 👍 met Bo. " * spans_each
    spans = [(i * 14, i * 14 + 3, "ACTOR") for i in range(spans_each)]
    template = make_doc(text, spans)
    for n in range(count):
        yield AnnotatedDocument(
            template.document, template.spans, template.labels, template.annotators
        )
        del n


def _peak(out: Path, count: int) -> int:
    tracemalloc.start()
    try:
        native.write(_many(count, 200), out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_streams(tmp_path: Path) -> None:
    small = _peak(tmp_path / "s.jsonl", 10)
    large = _peak(tmp_path / "l.jsonl", 400)
    assert large < small * 2 + 100_000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text_with_spans())
def test_property_offsets_survive(
    tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]
) -> None:
    text, spans = case
    out = tmp_path / "p.jsonl"
    doc = make_doc(text, spans)
    native.write([doc], out)
    (read,), problems = read_all(out)
    assert problems == [] and read.text == text
    assert [(s.start, s.end, s.label, s.quote) for s in read.spans] == [
        (s.start, s.end, doc.label_name(s), s.quote) for s in doc.spans
    ]


# --- the claim model: relations, attributes, actors ----------------------------------------


def test_claim_model_round_trip_is_identical_except_ids(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    report = native.write([claim_doc()], first)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    native.write(rebuilt(first), second)
    assert first.read_bytes() == second.read_bytes()


def test_relations_actors_and_schema_are_written(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    doc = claim_doc()
    native.write([doc], out)
    header, line = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert header["relation_types"] == [
        {"name": "SOURCE", "from": "CLAIM", "to": "ACTOR", "colour": "#0072B2",
         "description": "The actor who makes the claim."},
        {"name": "TIME", "from": "CLAIM", "to": "DATE", "colour": "#D55E00",
         "description": "The date the claim refers to."},
        {"name": "REPORTED_IN", "from": "CLAIM", "to": "CLAIM", "colour": "#009E73",
         "description": "The claim that reports this one."},
    ]  # fmt: skip
    claim = header["labels"][2]
    assert [a["name"] for a in claim["attributes"]] == [
        "quote_type", "reporting_verb", "stance", "hedged", "check_worthy"
    ]  # fmt: skip
    assert claim["attributes"][0] == {
        "name": "quote_type",
        "kind": "choice",
        "options": ["direct", "indirect", "paraphrase", "unattributed"],
        "description": "How the article renders the statement.",
    }
    assert header["actors"] == [
        {"key": "kcna", "name": "Korean Central News Agency", "kind": "media",
         "aliases": ["KCNA"], "description": "North Korea's state news agency",
         "external_id": "Q1130405"},
        {"key": "kim-yo-jong", "name": "Kim Yo Jong", "kind": "person",
         "aliases": ["Kim Yo-jong"], "description": "", "external_id": None},
        {"key": "putin", "name": "Vladimir Putin", "kind": "person", "aliases": [],
         "description": "President of Russia", "external_id": "Q7747"},
    ]  # fmt: skip
    # Ids are the file's own: the document's spans and relations count from 1.
    assert line["id"] == 1 and [s["id"] for s in line["spans"]] == [1, 2, 3, 4, 5, 6, 7]
    spans = {s["id"]: s for s in line["spans"]}
    assert spans[1]["actor"] == "kcna" and spans[7]["actor"] is None
    assert spans[5]["attributes"]["hedged"] is True
    assert spans[5]["note"] == "Needs a second source: the 👍 is KCNA's."
    assert line["relations"][3] == {
        "id": 4, "type": "REPORTED_IN", "from": 5, "to": 3, "annotator": "tester",
        "created": "2024-05-01T12:00:00+00:00",
    }  # fmt: skip
    assert [d["name"] for d in native.read_relation_types(out)] == ["SOURCE", "TIME", "REPORTED_IN"]


def test_read_back_gives_relations_actor_keys_and_registry(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    doc = claim_doc()
    native.write([doc], out)
    (back,), problems = read_all(out)
    assert problems == []
    assert relations_of(back) == relations_of(doc)
    assert actor_keys(back) == actor_keys(doc)
    assert {a.key: a for a in back.actors}["putin"].external_id == "Q7747"
    assert [a.key for a in back.actors] == ["kcna", "kim-yo-jong", "putin"]
    assert [s.ref for s in back.spans] == [str(n) for n in range(1, len(doc.spans) + 1)]


def test_actors_first_used_later_get_their_own_line(tmp_path: Path) -> None:
    doc = claim_doc()
    no_actors = make_doc("Ana spoke.", [(0, 3, "ACTOR")], doc_id=1)
    out = tmp_path / "a.jsonl"
    native.write([no_actors, doc], out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["actors"] == []
    kinds = [line.get("type", "header") for line in lines]
    # The labels have the same names (first definition wins): no label lines.
    assert kinds == ["header", "document", "relation_type", "relation_type", "relation_type",
                     "actor", "actor", "actor", "document"]  # fmt: skip
    docs, problems = read_all(out)
    assert problems == [] and [a.key for a in docs[1].actors] == ["kcna", "kim-yo-jong", "putin"]


def test_version_1_files_are_still_read(tmp_path: Path) -> None:
    out = tmp_path / "v1.jsonl"
    header = {"format": "annotator", "version": 1, "labels": [
        {"name": "ACTOR", "colour": "#56B4E9", "hotkey": "a", "position": 0,
         "style": "background", "description": ""}], "annotators": ["tester"]}  # fmt: skip
    span = {"id": 4, "start": 0, "end": 3, "label": "ACTOR", "quote": "Ana",
            "annotator": "tester", "attributes": {"x": 1}, "note": None}  # fmt: skip
    document = {"type": "document", "id": 1, "title": "Old", "text": "Ana spoke.", "spans": [span]}
    out.write_text(json.dumps(header) + "\n" + json.dumps(document) + "\n", encoding="utf-8")
    (doc,), problems = read_all(out)
    assert problems == [] and doc.relations == () and doc.spans[0].actor is None
    assert native.read_labels(out)[0]["attributes"] == []
    assert native.read_relation_types(out) == []


def test_bad_relations_and_actors_are_reported(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    native.write([claim_doc()], out)
    header, line = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    line["relations"][0] = {"type": "SOURCE", "from": 13}
    bad_actor = {"type": "actor", "name": "No key"}
    out.write_text(
        "\n".join(json.dumps(x) for x in (header, bad_actor, line)) + "\n", encoding="utf-8"
    )
    (doc,), problems = read_all(out)
    assert [p.origin for p in problems] == [f"{out}:2", f"{out}:3 relation 1"]
    assert len(doc.relations) == 4


def test_registry_entries_are_not_ours_to_invent() -> None:
    # The sample's registry is what the header must list: one entry per linked key.
    assert {a.key for a in ACTORS.values()} == {"kcna", "kim-yo-jong", "putin"}
    assert [t.name for t in RELATION_TYPES.values()] == ["SOURCE", "TIME", "REPORTED_IN"]


def test_times_and_statuses_are_read_and_bad_ones_reported(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    header = {"format": "annotator", "version": 2, "labels": [], "annotators": []}
    document = {
        "type": "document",
        "title": "T",
        "text": "Ana met Bo.",
        "created": "2024-01-02T03:04:05+00:00",
        "statuses": {"ana": "done", "bo": "finished", "cy": "in_progress"},
        "spans": [
            {"id": 1, "start": 0, "end": 3, "label": "ACTOR", "created": "2024-01-03T10:00:00",
             "updated": "2024-01-04T10:00:00+02:00"},
            {"id": 2, "start": 8, "end": 10, "label": "ACTOR", "created": "yesterday"},
        ],
        "relations": [{"type": "MET", "from": 1, "to": 2, "created": "2024-01-05T00:00:00Z"}],
    }  # fmt: skip
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(header) + "\n" + json.dumps(document) + "\n", encoding="utf-8")
    (doc,), problems = read_all(path)
    assert doc.created == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert doc.statuses == {"ana": "done", "cy": "in_progress"}
    first, second = doc.spans
    assert first.created == datetime(2024, 1, 3, 10, tzinfo=UTC)  # no zone given: UTC
    assert first.updated == datetime(2024, 1, 4, 8, tzinfo=UTC)
    assert second.created is None  # the import time will do; the span itself is kept
    assert doc.relations[0].created == datetime(2024, 1, 5, tzinfo=UTC)
    messages = sorted(p.message for p in problems)
    assert len(messages) == 2
    assert "'yesterday'" in messages[0] and "ISO 8601" in messages[0]
    assert "'finished'" in messages[1] and "'bo'" in messages[1]
    assert all(p.origin.startswith(f"{path}:2") for p in problems)
