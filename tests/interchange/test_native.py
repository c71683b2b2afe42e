"""The native JSON Lines format: lossless round trips, streaming header, bad lines reported."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from helpers import LABELS, from_imported, make_doc, text_with_spans
from hypothesis import HealthCheck, given, settings

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import Annotator, DocumentMeta, HighlightStyle, Label
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
        )
        for i, d in enumerate(native.read_labels(path), start=10)
    }
    annotators = {i: Annotator(i, name) for i, name in enumerate(native.read_annotators(path), 20)}
    docs, problems = read_all(path)
    assert problems == []
    return [
        from_imported(d, doc_id=100 + n, labels=labels, annotators=annotators)
        for n, d in enumerate(docs)
    ]


def without_ids(path: Path) -> list[dict[str, object]]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        for key in ("id", "created"):
            obj.pop(key, None)
        for span in obj.get("spans", []):
            for key in ("id", "created", "updated"):
                span.pop(key)
        lines.append(obj)
    return lines


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


def test_round_trip_is_identical_except_ids(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    report = native.write(iter(sample_docs()), first)
    assert (report.documents, report.spans, report.problems) == (2, 5, [])
    native.write(rebuilt(first), second)
    assert without_ids(first) == without_ids(second)
    # The whole line set, ids included, differs only where ids and timestamps are.
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
    assert header["format"] == "annotator" and header["version"] == 1
    assert [label["name"] for label in header["labels"]] == ["ACTOR", "DATE", "CLAIM"]
    assert header["labels"][2] == {
        "name": "CLAIM",
        "colour": "#CC79A7",
        "hotkey": "c",
        "position": 2,
        "style": "underline",
        "description": "",
    }
    assert header["annotators"] == ["tester"]
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
        "version": 1,
        "labels": [],
        "annotators": [],
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
    newer.write_text('{"format": "annotator", "version": 2}\n', encoding="utf-8")
    (problem,) = native.read(newer)
    assert isinstance(problem, FormatProblem) and "version 2" in problem.message
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
