"""doccano JSONL: both span forms, the peers' quirks, losses reported, offsets in code points."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from helpers import claim_doc, from_imported, make_doc, relations_of, text_with_spans
from hypothesis import HealthCheck, given, settings

from annotator.domain.interchange import FormatProblem, ImportedDocument
from annotator.domain.model import DocumentMeta
from annotator.domain.text import normalise_newlines_mapping
from annotator.formats import doccano
from annotator.formats.registry import get_format

PEERS = "peers/doccano"
TEXT = "Ana 👩‍👩‍👧 met 🇺🇳 staff on 1 May.\nShe said e\u0301 ❤️."


def read_all(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in doccano.read(path):
        if isinstance(item, FormatProblem):
            problems.append(item)
        else:
            docs.append(item)
    return docs, problems


def spans_of(doc: ImportedDocument) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in doc.spans]


def test_registry_points_here() -> None:
    assert cast(object, get_format("doccano").load()) is doccano


def test_writes_the_entities_form(tmp_path: Path) -> None:
    doc = make_doc(TEXT, [(0, 3, "ACTOR"), (4, 9, "ACTOR"), (14, 16, "ACTOR")], doc_id=5)
    out = tmp_path / "d.jsonl"
    seen: list[int] = []
    report = doccano.write([doc], out, progress=seen.append)
    assert (report.documents, report.spans, seen) == (1, 3, [1])
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record == {
        "id": 5,
        "text": TEXT,
        "title": "Test article",
        "entities": [
            {"id": 1, "start_offset": 0, "end_offset": 3, "label": "ACTOR"},
            {"id": 2, "start_offset": 4, "end_offset": 9, "label": "ACTOR"},  # code points
            {"id": 3, "start_offset": 14, "end_offset": 16, "label": "ACTOR"},
        ],
        "relations": [],
    }
    assert TEXT[4:9] == "👩‍👩‍👧" and TEXT[14:16] == "🇺🇳"
    assert doccano.sniff(out)


def test_losses_are_reported_once(tmp_path: Path) -> None:
    meta = DocumentMeta(title="T", source="The Daily")
    docs = [
        make_doc("Ana met Bo.", [(0, 3, "ACTOR", {"k": 1}, "n"), (8, 10, "ACTOR")], meta=meta),
        make_doc("Cy met Di.", [(0, 2, "ACTOR", {"k": 2})], doc_id=2, tags=("x",)),
    ]
    report = doccano.write(docs, tmp_path / "d.jsonl")
    messages = [p.message for p in report.problems]
    assert len(messages) == 5
    assert messages[0].startswith("2 spans have attributes")
    assert messages[1].startswith("1 spans have notes")
    assert "3 spans were written without" in messages[2]
    assert messages[3].startswith("1 documents have tags")
    assert messages[4].startswith("1 documents have metadata")
    claims = doccano.write([claim_doc()], tmp_path / "c.jsonl")
    assert any(p.message.startswith("3 spans link to a registry actor") for p in claims.problems)


def test_round_trip_is_identical_except_ids(tmp_path: Path) -> None:
    docs = [
        make_doc(TEXT, [(0, 3, "ACTOR"), (0, 3, "CLAIM"), (4, 9, "ACTOR"), (25, 30, "DATE")]),
        make_doc("No spans here.", doc_id=2, title="Second"),
    ]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    doccano.write(docs, first)
    read, problems = read_all(first)
    assert problems == []
    assert [d.meta.title for d in read] == ["Test article", "Second"]
    doccano.write([from_imported(d, doc_id=n + 50) for n, d in enumerate(read)], second)

    def strip(path: Path) -> list[dict[str, object]]:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for r in records:
            del r["id"]
            for e in r["entities"]:
                del e["id"]
        return records

    assert strip(first) == strip(second)


def test_label_triples_and_meta(shared: Path) -> None:
    path = shared / PEERS / "data_import/tests/data/sequence_labeling/example.jsonl"
    assert doccano.sniff(path)
    docs, problems = read_all(path)
    assert [d.text for d in docs] == ["exampleA", "exampleB"]
    assert spans_of(docs[0]) == [(0, 1, "LOC")] and docs[1].spans == ()
    (missing,) = problems
    assert missing.origin == f"{path}:3" and '"text"' in missing.message


def test_export_sample_label_form(shared: Path) -> None:
    path = shared / PEERS / "data_export/pipeline/examples/sequence_labeling/example.jsonl"
    docs, problems = read_all(path)
    assert problems == []
    assert [spans_of(d) for d in docs] == [
        [(0, 2, "ORG"), (11, 17, "MISC")],
        [(0, 15, "PERSON")],
        [(10, 15, "PERSON")],
    ]
    assert docs[0].text[11:17] == "German"


@pytest.mark.parametrize(
    "relative",
    [
        "data_export/pipeline/examples/relation_extraction/example.jsonl",  # pretty-printed
        "data_import/pipeline/examples/relation_extraction/example.jsonl",  # no final newline
        "data_import/tests/data/relation_extraction/example.jsonl",
    ],
)
def test_entities_form_and_relations(shared: Path, relative: str) -> None:
    path = shared / PEERS / relative
    assert doccano.sniff(path)
    (doc,), problems = read_all(path)
    assert problems == []
    assert spans_of(doc) == [
        (0, 6, "ORG"),
        (22, 39, "DATE"),
        (44, 54, "PERSON"),
        (59, 70, "PERSON"),
    ]
    assert [doc.text[s.start : s.end] for s in doc.spans] == [
        "Google",
        "September 4, 1998",
        "Larry Page",
        "Sergey Brin",
    ]
    quotes = {s.ref: doc.text[s.start : s.end] for s in doc.spans}
    assert [(r.type, quotes[r.source], quotes[r.target]) for r in doc.relations] == [
        ("foundedAt", "Google", "September 4, 1998"),
        ("foundedBy", "Google", "Larry Page"),
        ("foundedBy", "Google", "Sergey Brin"),
    ]


def test_duplicate_spans_are_kept_once(shared: Path) -> None:
    path = shared / PEERS / "data_import/tests/data/sequence_labeling/example_overlapping.jsonl"
    (doc,), (problem,) = read_all(path)
    assert spans_of(doc) == [(0, 1, "LOC")]
    assert problem.origin == f"{path}:1" and "kept once" in problem.message


def test_placeholder_columns_and_classification(shared: Path) -> None:
    placeholders = shared / PEERS / "data_import/pipeline/examples/sequence_labeling/example.jsonl"
    docs, problems = read_all(placeholders)
    assert docs == [] and len(problems) == 3
    assert "column_data" in problems[0].message
    classes = shared / PEERS / "data_export/pipeline/examples/text_classification/example.jsonl"
    docs, problems = read_all(classes)
    assert [d.spans for d in docs] == [(), (), ()]
    assert ["text classification" in p.message for p in problems] == [True] * 3


def test_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"text": "Ana", "label": [[0, 3, "ACTOR"]]',  # truncated: first line
                '{"text": "Bo", "label": [[0, "2", "ACTOR"], [0, 2]]}',
                "[1, 2]",
                '{"text": "Cy", "meta": {"title": "Meta title", "url": "https://x"}, '
                '"tags": ["a"], "entities": [{"start_offset": 0, "end_offset": 2, "label": "A"}]}',
            ]
        ),
        encoding="utf-8",
    )
    docs, problems = read_all(path)
    assert [d.text for d in docs] == ["Bo", "Cy"]
    assert docs[1].meta.title == "Meta title" and docs[1].meta.url == "https://x"
    assert docs[1].tags == ("a",)
    assert [p.origin for p in problems] == [f"{path}:{n}" for n in (1, 2, 2, 3)]


def test_sniff_refuses_others(tmp_path: Path, shared: Path) -> None:
    from annotator.formats import native

    ours = tmp_path / "n.jsonl"
    native.write([make_doc("Ana.", [(0, 3, "ACTOR")])], ours)
    assert not doccano.sniff(ours)
    assert not doccano.sniff(shared / "corpus/edge/formula.jsonl")
    assert not doccano.sniff(shared / PEERS / "label_types/tests/data/valid_labels.json")


def test_crlf_text_maps_onto_lf(tmp_path: Path) -> None:
    text = "Ana 👍\r\nmet Bo\r\non 1 May."
    start = text.index("Bo")
    path = tmp_path / "crlf.jsonl"
    record = {"text": text, "label": [[start, start + 2, "ACTOR"], [0, 10, "CLAIM"]]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,), _ = read_all(path)
    lf, mapping = normalise_newlines_mapping(doc.text)
    quotes = [lf[mapping[s.start] : mapping[s.end]] for s in doc.spans]
    assert quotes == ["Bo", "Ana 👍\nmet"]


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
    doccano.write([doc], out)
    (read,), problems = read_all(out)
    assert read.text == text
    unique = list(dict.fromkeys((s.start, s.end, doc.label_name(s)) for s in doc.spans))
    assert spans_of(read) == unique
    assert len(problems) == (1 if len(unique) < len(doc.spans) else 0)


# --- relations ----------------------------------------------------------------------------------


def test_claim_model_relations(tmp_path: Path) -> None:
    doc = claim_doc()
    out = tmp_path / "d.jsonl"
    report = doccano.write([doc], out)
    assert (report.spans, report.relations) == (7, 5)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["relations"][3] == {"id": 24, "from_id": 15, "to_id": 13, "type": "REPORTED_IN"}
    entities = {e["id"]: e for e in record["entities"]}
    for relation in record["relations"]:
        assert relation["from_id"] in entities and relation["to_id"] in entities
    (back,), problems = read_all(out)
    assert problems == []
    assert relations_of(back) == relations_of(doc)


def test_bad_relations_are_reported(tmp_path: Path) -> None:
    record = {
        "text": "Ana met Bo.",
        "entities": [
            {"id": 7, "start_offset": 0, "end_offset": 3, "label": "PER"},
            {"id": 8, "start_offset": 8, "end_offset": 10, "label": "PER"},
            {"id": 9, "start_offset": 8, "end_offset": 10, "label": "PER"},  # a repeat of 8
        ],
        "relations": [
            {"from_id": 7, "to_id": 9, "type": "met"},
            {"from_id": 7, "to_id": 99, "type": "met"},
            {"from_id": 7, "type": "met"},
        ],
    }
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,), problems = read_all(path)
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("met", "7", "8")]
    assert [p.origin for p in problems] == [
        f"{path}:1",
        f"{path}:1 relation 2",
        f"{path}:1 relation 3",
    ]
    assert "no imported entity with the id 99" in problems[1].message
