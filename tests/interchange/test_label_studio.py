"""Label Studio tasks JSON: UTF-16 offsets, every peer sample, predictions, stale offsets."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import cast

import pytest
from helpers import from_imported, make_doc, text_with_spans
from hypothesis import HealthCheck, given, settings

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import Annotator, DocumentMeta
from annotator.domain.text import normalise_newlines_mapping
from annotator.formats import label_studio
from annotator.formats.label_studio import Utf16Offsets
from annotator.formats.registry import get_format

FRONTEND = "peers/label-studio/label-studio-frontend/examples"
TEXT = "Ana 👩‍👩‍👧 met 🇺🇳 staff on 1 May.\nShe said e\u0301 ❤️ 😀."


def read_all(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in label_studio.read(path):
        if isinstance(item, FormatProblem):
            problems.append(item)
        else:
            docs.append(item)
    return docs, problems


def test_registry_points_here() -> None:
    assert cast(object, get_format("label-studio").load()) is label_studio


def test_utf16_offsets() -> None:
    offsets = Utf16Offsets(TEXT)
    units = TEXT.encode("utf-16-le")
    for i in range(len(TEXT) + 1):
        u = offsets.to_utf16(i)
        assert units[: 2 * u].decode("utf-16-le") == TEXT[:i]
        assert offsets.to_code_points(u) == i
    family = TEXT.index("👩")
    assert offsets.to_code_points(offsets.to_utf16(family) + 1) is None  # inside a pair
    plain = Utf16Offsets("plain ascii")
    assert plain.to_utf16(5) == 5 and plain.to_code_points(5) == 5


def test_writes_utf16_offsets(tmp_path: Path) -> None:
    family = TEXT.index("👩")
    smile = TEXT.index("😀")
    doc = make_doc(
        TEXT,
        [(0, 3, "ACTOR"), (family, family + 5, "ACTOR"), (smile, smile + 1, "CLAIM")],
        meta=DocumentMeta(title="T", source="The Daily", language="en"),
        tags=("x",),
        doc_id=9,
    )
    out = tmp_path / "ls.json"
    seen: list[int] = []
    report = label_studio.write([doc], out, progress=seen.append)
    assert (report.documents, report.spans, report.problems, seen) == (1, 3, [], [1])
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["id"] == 9
    assert task["data"] == {
        "text": TEXT,
        "title": "T",
        "source": "The Daily",
        "language": "en",
        "tags": ["x"],
    }
    (annotation,) = task["annotations"]
    assert annotation["annotator"] == "tester"
    values = [r["value"] for r in annotation["result"]]
    js = TEXT.encode("utf-16-le")  # what JavaScript's String.slice would see

    def js_slice(start: int, end: int) -> str:
        return js[2 * start : 2 * end].decode("utf-16-le")

    assert [js_slice(v["start"], v["end"]) for v in values] == ["Ana", "👩‍👩‍👧", "😀"]
    assert values[1] == {"start": 4, "end": 12, "text": "👩‍👩‍👧", "labels": ["ACTOR"]}
    assert annotation["result"][0]["from_name"] == "label"
    assert annotation["result"][0]["to_name"] == "text"
    assert annotation["result"][0]["type"] == "labels"
    assert label_studio.sniff(out)


def test_empty_export_is_an_empty_array(tmp_path: Path) -> None:
    out = tmp_path / "ls.json"
    label_studio.write([], out)
    assert json.loads(out.read_text(encoding="utf-8")) == []
    assert read_all(out) == ([], [])


def test_one_annotation_per_annotator_and_losses(tmp_path: Path) -> None:
    base = make_doc("Ana met Bo.", [(0, 3, "ACTOR", {"k": 1}, "note"), (8, 10, "ACTOR")])
    zoe = Annotator(2, "zoe")
    second = base.spans[1]
    spans = (base.spans[0], dataclasses.replace(second, annotator_id=2))
    doc = AnnotatedDocument(base.document, spans, base.labels, {1: base.annotators[1], 2: zoe})
    out = tmp_path / "ls.json"
    report = label_studio.write([doc], out)
    assert [p.message.split(" ")[0] for p in report.problems] == ["1", "1"]
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert [a["annotator"] for a in task["annotations"]] == ["tester", "zoe"]
    (read,), problems = read_all(out)
    assert problems == []
    assert [(s.quote, s.annotator) for s in read.spans] == [("Ana", "tester"), ("Bo", "zoe")]


def test_round_trip_is_identical_except_ids(tmp_path: Path) -> None:
    family = TEXT.index("👩")
    docs = [
        make_doc(TEXT, [(family, family + 9, "ACTOR"), (0, 3, "CLAIM"), (0, 3, "ACTOR")]),
        make_doc("Plain.", doc_id=2, meta=DocumentMeta(title="P", url="https://x")),
    ]
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    label_studio.write(docs, first)
    read, problems = read_all(first)
    assert problems == []
    label_studio.write([from_imported(d, doc_id=40 + n) for n, d in enumerate(read)], second)

    def strip(path: Path) -> list[dict[str, object]]:
        tasks = json.loads(path.read_text(encoding="utf-8"))
        for t in tasks:
            del t["id"]
            for a in t["annotations"]:
                for r in a["result"]:
                    del r["id"]
        return tasks  # type: ignore[no-any-return]

    assert strip(first) == strip(second)


# (path under the frontend examples or a full peer path, documents, spans, problems)
PEER_CASES = [
    ("peers/label-studio/label-studio-converter/test/fixtures/completions/348.json", 1, 38, 0),
    (f"{FRONTEND}/named_entity/annotations/1.json", 1, 1, 0),
    (f"{FRONTEND}/named_entity/tasks.json", 1, 1, 0),  # a prediction
    (f"{FRONTEND}/rich_text_plain/annotations/1.json", 1, 0, 1),  # stale offsets
    (f"{FRONTEND}/rich_text_plain/tasks.json", 1, 0, 1),
    (f"{FRONTEND}/html_document/annotations/1.json", 0, 0, 4),  # HTML task + 3 regions
    (f"{FRONTEND}/html_document/tasks.json", 0, 0, 1),
    (f"{FRONTEND}/rich_text_html/annotations/1.json", 0, 0, 5),  # HTML task + 4 regions
    (f"{FRONTEND}/rich_text_html/tasks.json", 0, 0, 5),
    (f"{FRONTEND}/phrases/annotations/1.json", 0, 0, 2),  # no text + a paragraph region
    (f"{FRONTEND}/phrases/tasks.json", 0, 0, 1),
    (
        "peers/label-studio/label-studio-sdk/tests/custom/converter/data/test_export_csv/"
        "csv_test2.json",
        0,
        0,
        1,
    ),
]


@pytest.mark.parametrize(("relative", "n_docs", "n_spans", "n_problems"), PEER_CASES)
def test_every_peer_file(
    shared: Path, relative: str, n_docs: int, n_spans: int, n_problems: int
) -> None:
    path = shared / relative
    docs, problems = read_all(path)
    assert (len(docs), sum(len(d.spans) for d in docs), len(problems)) == (
        n_docs,
        n_spans,
        n_problems,
    ), problems
    for doc in docs:
        for span in doc.spans:
            assert span.quote == doc.text[span.start : span.end]
    for problem in problems:
        assert problem.origin.startswith(str(path))


def test_every_peer_json_is_covered(shared: Path) -> None:
    found = {str(p.relative_to(shared)) for p in (shared / "peers/label-studio").rglob("*.json")}
    assert found == {case[0] for case in PEER_CASES}


def test_completions_348(shared: Path) -> None:
    path = shared / "peers/label-studio/label-studio-converter/test/fixtures/completions/348.json"
    (doc,), _ = read_all(path)
    assert doc.text.startswith(" ")
    quotes = {s.quote for s in doc.spans}
    assert "Glycerin," in quotes and " Polyquaternium-7" in quotes
    assert {s.label for s in doc.spans} == {"INGREDIENT"}


def test_predictions_are_marked(shared: Path) -> None:
    (doc,), _ = read_all(shared / FRONTEND / "named_entity/tasks.json")
    (span,) = doc.spans
    assert (span.quote, span.label) == ("February 22", "Date")
    assert span.attributes == {"prediction": True, "model_version": "model 1"}
    assert span.annotator == "model 1"
    (annotated,), _ = read_all(shared / FRONTEND / "named_entity/annotations/1.json")
    assert annotated.spans[0].attributes == {} and annotated.spans[0].annotator is None


def test_stale_offsets_are_reported_not_imported(shared: Path) -> None:
    (doc,), (problem,) = read_all(shared / FRONTEND / "rich_text_plain/annotations/1.json")
    assert doc.spans == ()
    assert "February 22" in problem.message and "' supporters'" in problem.message
    assert "beFiQTT1cU" in problem.origin


def test_html_and_paragraph_regions_are_reported(shared: Path) -> None:
    _, problems = read_all(shared / FRONTEND / "rich_text_html/annotations/1.json")
    assert "HTML markup" in problems[0].message
    assert [p.message for p in problems[1:]] == ["HTML regions are not imported"] * 4
    _, problems = read_all(shared / FRONTEND / "phrases/annotations/1.json")
    assert "no text" in problems[0].message
    assert problems[1].message == "paragraph regions are not imported"


def test_completed_by_names(tmp_path: Path) -> None:
    tasks = [
        {
            "id": 1,
            "data": {"text": "Ana 😀 met Bo."},
            "annotations": [
                {
                    "completed_by": {"id": 3, "email": "ana@example.org"},
                    "result": [
                        {
                            "type": "labels",
                            "value": {"start": 0, "end": 3, "text": "Ana", "labels": ["A", "B"]},
                        }
                    ],
                },
                {
                    "completed_by": 7,
                    "result": [
                        {"type": "labels", "value": {"start": 11, "end": 13, "labels": ["A"]}},
                        {"type": "labels", "value": {"start": 5, "end": 6, "labels": ["A"]}},
                        {"type": "choices", "value": {"choices": ["x"]}},
                    ],
                },
            ],
        },
        "not a task",
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    docs, problems = read_all(path)
    (doc,) = docs
    assert [(s.start, s.end, s.label, s.annotator) for s in doc.spans] == [
        (0, 3, "A", "ana@example.org"),
        (0, 3, "B", "ana@example.org"),
        (10, 12, "A", "Label Studio user 7"),  # UTF-16 11-13: after one astral character
    ]
    assert len(problems) == 3  # the split surrogate pair, the choices, the non-object
    assert "surrogate pair" in problems[0].message
    assert "'choices' results" in problems[1].message


def test_not_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[{"data": {"text": "x"}', encoding="utf-8")
    assert [type(i) for i in label_studio.read(path)] == [FormatProblem]
    assert label_studio.sniff(path)
    assert not label_studio.sniff(tmp_path)


def test_crlf_text_maps_onto_lf(tmp_path: Path) -> None:
    text = "Ana 👍\r\nmet Bo\r\non 1 May."
    bo = len(text[: text.index("Bo")].encode("utf-16-le")) // 2
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "result": [
                    {"type": "labels", "value": {"start": bo, "end": bo + 2, "labels": ["A"]}},
                    {"type": "labels", "value": {"start": 0, "end": 11, "labels": ["C"]}},
                ]
            }
        ],
    }
    path = tmp_path / "crlf.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    (doc,), problems = read_all(path)
    assert problems == []
    lf, mapping = normalise_newlines_mapping(doc.text)
    assert [lf[mapping[s.start] : mapping[s.end]] for s in doc.spans] == ["Bo", "Ana 👍\nmet"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text_with_spans())
def test_property_offsets_survive(
    tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]
) -> None:
    text, spans = case
    out = tmp_path / "p.json"
    doc = make_doc(text, spans)
    label_studio.write([doc], out)
    (read,), problems = read_all(out)
    assert problems == [] and read.text == text
    assert [(s.start, s.end, s.label, s.quote) for s in read.spans] == [
        (s.start, s.end, doc.label_name(s), s.quote) for s in doc.spans
    ]
