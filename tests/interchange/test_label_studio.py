"""Label Studio tasks JSON: UTF-16 offsets, every peer sample, predictions, stale offsets."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import cast

import pytest
from helpers import (
    CLAIM_LABELS,
    INNER_CLAIM,
    OUTER_CLAIM,
    RELATION_TYPES,
    actor_keys,
    claim_doc,
    from_imported,
    make_doc,
    relations_of,
    text_with_spans,
)
from hypothesis import HealthCheck, given, settings

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import Annotator, DocumentMeta, Relation
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
    attributes = {"k": 1, "note": "x", "odd": {"a": 1}}
    base = make_doc("Ana met Bo.", [(0, 3, "ACTOR", attributes, "note"), (8, 10, "ACTOR")])
    zoe = Annotator(2, "zoe")
    second = base.spans[1]
    spans = (base.spans[0], dataclasses.replace(second, annotator_id=2))
    across = Relation(1, 1, 1, base.spans[0].id, second.id, 1, base.spans[0].created)
    doc = AnnotatedDocument(
        base.document,
        spans,
        base.labels,
        {1: base.annotators[1], 2: zoe},
        relations=(across,),
        relation_types=RELATION_TYPES,
    )
    out = tmp_path / "ls.json"
    report = label_studio.write([doc], out)
    messages = [p.message for p in report.problems]
    assert [m.split(" ")[0] for m in messages] == ["1", "1", "1"]
    assert "named label, note or actor" in messages[0]
    assert "lists of text" in messages[1] and "two annotators" in messages[2]
    assert report.relations == 0
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert [a["annotator"] for a in task["annotations"]] == ["tester", "zoe"]
    (read,), problems = read_all(out)
    assert problems == []
    assert [(s.quote, s.annotator) for s in read.spans] == [("Ana", "tester"), ("Bo", "zoe")]
    # A number travels as text; the note as the note.
    assert (read.spans[0].attributes, read.spans[0].note) == ({"k": "1"}, "note")


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
    (f"{FRONTEND}/html_document/annotations/1.json", 1, 3, 0),  # HTML: XPath regions
    (f"{FRONTEND}/html_document/tasks.json", 1, 0, 0),
    (f"{FRONTEND}/rich_text_html/annotations/1.json", 1, 3, 1),  # one region's end is stale
    (f"{FRONTEND}/rich_text_html/tasks.json", 1, 3, 1),
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


def test_paragraph_regions_and_text_regions_on_html_are_reported(
    shared: Path, tmp_path: Path
) -> None:
    path = tmp_path / "html.json"
    region = {"start": 0, "end": 3, "text": "Ana", "labels": ["ACTOR"]}
    task = {
        "data": {"text": "<p>Ana met Bo.</p>"},
        "annotations": [{"result": [{"type": "labels", "value": region}]}],
    }
    path.write_text(json.dumps([task, {"data": {"text": "<p> </p>"}}]), encoding="utf-8")
    (doc,), problems = read_all(path)
    assert doc.text == "Ana met Bo.\n" and doc.spans == ()
    assert [p.message for p in problems] == [
        "a plain-text region on a task whose text is HTML; it is not imported",
        "data.text is HTML with no text in it; it is not imported",
    ]
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


# --- the claim model: relations, per-region attributes, note, actor keys ----------------------


def test_claim_model_results(tmp_path: Path) -> None:
    doc = claim_doc()
    out = tmp_path / "ls.json"
    report = label_studio.write([doc], out)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    (annotation,) = task["annotations"]
    results = annotation["result"]
    regions = {r["value"]["text"]: r["id"] for r in results if r["type"] == "labels"}
    inner, outer, kcna = regions[INNER_CLAIM], regions[OUTER_CLAIM], regions["KCNA"]
    assert {
        "from_id": inner,
        "to_id": outer,
        "type": "relation",
        "direction": "right",
        "labels": ["REPORTED_IN"],
    } in results
    assert {
        (r["from_id"], r["to_id"], r["labels"][0]) for r in results if r["type"] == "relation"
    } == {
        (outer, kcna, "SOURCE"),
        (outer, regions["20 February 2024"], "TIME"),
        (inner, regions["Kim Yo Jong"], "SOURCE"),
        (inner, outer, "REPORTED_IN"),
        (inner, regions["20 February 2024"], "TIME"),
    }
    per_region = {
        (r["id"], r["from_name"]): r for r in results if r["type"] != "labels" and "id" in r
    }
    quote_type = per_region[(inner, "quote_type")]
    assert quote_type["type"] == "choices" and quote_type["value"]["choices"] == ["paraphrase"]
    assert quote_type["to_name"] == "text"
    region = next(r for r in results if r["id"] == inner and r["type"] == "labels")
    # Per-region results carry the region's UTF-16 position (the 👍 counts two units).
    assert quote_type["value"]["start"] == region["value"]["start"]
    assert quote_type["value"]["end"] == region["value"]["end"]
    assert per_region[(inner, "hedged")]["value"]["choices"] == ["yes"]
    verb = per_region[(inner, "reporting_verb")]
    assert verb["type"] == "textarea" and verb["value"]["text"] == ["went on to say"]
    assert per_region[(inner, "note")]["value"]["text"] == [
        "Needs a second source: the 👍 is KCNA's."
    ]
    assert per_region[(kcna, "actor")]["value"]["text"] == ["kcna"]
    assert (regions["Observers"], "actor") not in per_region


def test_claim_model_reads_back(tmp_path: Path) -> None:
    doc = claim_doc()
    out = tmp_path / "ls.json"
    label_studio.write([doc], out)
    (back,), problems = read_all(out)
    assert problems == []
    assert relations_of(back) == relations_of(doc)
    assert actor_keys(back) == actor_keys(doc)
    inner = next(s for s in back.spans if s.quote == INNER_CLAIM)
    # Yes/no comes back as Label Studio wrote it; the importer types it by the schema.
    assert dict(inner.attributes) == {
        "quote_type": "paraphrase",
        "reporting_verb": "went on to say",
        "hedged": "yes",
        "check_worthy": "yes",
    }
    assert inner.note == "Needs a second source: the 👍 is KCNA's."
    again = tmp_path / "again.json"
    label_studio.write([from_imported(back, doc_id=3, labels=CLAIM_LABELS)], again)

    def results(path: Path) -> list[dict[str, object]]:
        (task,) = json.loads(path.read_text(encoding="utf-8"))
        found = task["annotations"][0]["result"]
        for r in found:
            for key in ("id", "from_id", "to_id"):
                r.pop(key, None)
        return found  # type: ignore[no-any-return]

    assert results(again) == results(out)


def test_relations_and_per_region_results_written_by_label_studio(tmp_path: Path) -> None:
    """Results as Label Studio writes them: random ids, left-pointing and unlabelled relations,
    several choices, a relation to a region that was refused."""
    text = "Ana said Bo left. 😀 Cy"
    cy = len("Ana said Bo left. 😀 ".encode("utf-16-le")) // 2
    result = [
        {"id": "aB3", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 3, "text": "Ana", "labels": ["PER"]}},
        {"id": "xY9", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 9, "end": 16, "text": "Bo left", "labels": ["CLAIM"]}},
        {"id": "st4", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 9, "end": 11, "text": "Bx", "labels": ["PER"]}},
        {"id": "cy1", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": cy, "end": cy + 2, "text": "Cy", "labels": ["PER"]}},
        {"id": "xY9", "type": "choices", "from_name": "tags", "to_name": "text",
         "value": {"start": 9, "end": 16, "choices": ["a", "b"]}},
        {"id": "xY9", "type": "textarea", "from_name": "note", "to_name": "text",
         "value": {"start": 9, "end": 16, "text": ["first", "second"]}},
        {"from_id": "aB3", "to_id": "xY9", "type": "relation", "direction": "left",
         "labels": ["SAID"]},
        {"from_id": "xY9", "to_id": "cy1", "type": "relation", "direction": "right",
         "labels": []},
        {"from_id": "xY9", "to_id": "st4", "type": "relation", "direction": "right",
         "labels": ["ABOUT"]},
        {"id": "st4", "type": "choices", "from_name": "tags", "to_name": "text",
         "value": {"start": 9, "end": 11, "choices": ["c"]}},
    ]  # fmt: skip
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]))
    (doc,), problems = read_all(path)
    assert {(r.type, r.source, r.target) for r in doc.relations} == {
        ("SAID", "annotations[0]/xY9", "annotations[0]/aB3"),
        ("RELATED", "annotations[0]/xY9", "annotations[0]/cy1"),
    }
    claim = next(s for s in doc.spans if s.label == "CLAIM")
    assert claim.attributes == {"tags": ["a", "b"]} and claim.note == "first\nsecond"
    assert len(problems) == 3  # the stale region, the relation to it, its choices
    assert "stale offsets" in problems[0].message
    assert "st4 is not a text region" in problems[1].message
    assert "not an imported text region" in problems[2].message


def test_labeling_config_has_relations_and_per_region_controls() -> None:
    config = label_studio.labeling_config(
        ["ACTOR", "CLAIM"],
        choices={"quote_type": ["direct", "indirect"], "hedged": ["yes", "no"]},
        texts=["reporting_verb", "note", "actor"],
        relations=["SOURCE", "TIME"],
    )
    import xml.etree.ElementTree as ET

    root = ET.fromstring(config)
    assert [r.get("value") for r in root.iter("Relation")] == ["SOURCE", "TIME"]
    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert choices["quote_type"].get("perRegion") == "true"
    assert [c.get("value") for c in choices["hedged"]] == ["yes", "no"]
    assert [t.get("name") for t in root.iter("TextArea")] == ["reporting_verb", "note", "actor"]


def test_the_labeling_config_beside_the_tasks_has_a_control_for_every_result(
    tmp_path: Path,
) -> None:
    """Label Studio refuses results whose control or choice its project config lacks: every
    result written must name a control of the config written beside it, with that choice."""
    import xml.etree.ElementTree as ET

    out = tmp_path / "corpus.json"
    doc = claim_doc()
    unknown = dataclasses.replace(  # attributes the schema does not define travel too
        doc.spans[6], attributes={"kind": "group", "seen_in": ["print", "tv"], "score": 3}
    )
    doc = dataclasses.replace(doc, spans=(*doc.spans[:6], unknown))
    report = label_studio.write([doc], out)
    config_file = tmp_path / "corpus.label-config.xml"
    assert label_studio.config_path(out) == config_file
    assert report.files == [str(out), str(config_file)]
    root = ET.fromstring(config_file.read_text(encoding="utf-8"))
    assert [x.get("value") for x in root.iter("Label")] == ["ACTOR", "DATE", "CLAIM"]
    assert [x.get("value") for x in root.iter("Relation")] == ["SOURCE", "TIME", "REPORTED_IN"]
    choices = {c.get("name"): [o.get("value") for o in c] for c in root.iter("Choices")}
    textareas = {t.get("name") for t in root.iter("TextArea")}
    controls = {c.get("name"): c for c in [*root.iter("Choices"), *root.iter("TextArea")]}
    # An attribute only one label has shows only for regions of that label.
    assert controls["quote_type"].get("whenLabelValue") == "CLAIM"
    assert controls["kind"].get("whenLabelValue") == "ACTOR"
    assert controls["seen_in"].get("choice") == "multiple"
    assert choices["hedged"] == ["yes", "no"]
    assert {"note", "actor", "reporting_verb", "score"} <= textareas

    (task,) = json.loads(out.read_text(encoding="utf-8"))
    checked = 0
    for annotation in task["annotations"]:
        for result in annotation["result"]:
            if result["type"] == "labels":
                assert result["from_name"] == root.find("Labels").get("name")
            elif result["type"] == "choices":
                assert set(result["value"]["choices"]) <= set(choices[result["from_name"]])
            elif result["type"] == "textarea":
                assert result["from_name"] in textareas
            else:
                assert result["type"] == "relation"
                assert set(result["labels"]) <= {x.get("value") for x in root.iter("Relation")}
            checked += 1
    assert checked == 7 + 5 + 17  # regions, relations, per-region results


def test_html_regions_land_on_the_words_they_name(shared: Path) -> None:
    """HyperText regions (XPath + offset at each end) are placed on the page's readable text."""
    (doc,), problems = read_all(shared / FRONTEND / "rich_text_html/annotations/1.json")
    assert doc.text.startswith("Jules: No no, Mr. Wolfe, it's not like that.")
    assert "<" not in doc.text and "style=" not in doc.text
    assert doc.text.splitlines()[1].startswith("Vincent: Look, Mr. Wolfe, I respect you.")
    assert sorted((doc.text[s.start : s.end], s.label) for s in doc.spans) == [
        ("Jules", "Person"),
        ("The Wolf", "Person"),
        ("Vincent: Look, Mr. Wolfe", "Date"),  # starts at an element (div[2], offset 0)
    ]
    # The fourth region's end offset stops at "Wolf", where its text goes on: reported.
    (stale,) = problems
    assert "'appreciated." in stale.message and "Mr. Wolf'" in stale.message

    (invoice,), problems = read_all(shared / FRONTEND / "html_document/annotations/1.json")
    assert problems == []
    found = sorted((invoice.text[s.start : s.end], s.label) for s in invoice.spans)
    assert found == [("Company Name", "Organization"), ("Michael", "Person"), ("Michael", "Person")]
    assert "hello@heartex.net" in invoice.text.splitlines()


def test_html_text_maps_utf16_offsets_inside_collapsed_white_space() -> None:
    from annotator.formats._html_text import html_text

    page = html_text(
        "<div><p>  Ana\n   met   😀 <b>Bo</b>\tin  <i>Z\u00fcrich</i></p><p>Next</p></div>"
    )
    assert page.text == "Ana met 😀 Bo in Zürich\nNext\n"
    # "met" in the raw node "  Ana\n   met   😀 " starts at unit 9; the emoji takes two units.
    start = page.locate("/div[1]/p[1]/text()[1]", 9)
    end = page.locate("/div[1]/p[1]/text()[1]", 12)
    assert (start, end) == (4, 7) and page.text[start:end] == "met"
    emoji = page.locate("/div[1]/p[1]/text()[1]", 15)
    assert page.text[emoji] == "😀"
    assert page.locate("/div[1]/p[1]/text()[1]", 17) == emoji + 1  # past the surrogate pair
    assert page.text[page.locate("/div[1]/p[1]/b[1]/text()[1]", 0) :].startswith("Bo in")
    assert page.locate("/div[1]/p[2]", 0) == page.text.index("Next")
    assert page.locate("/div[1]/p[9]/text()[1]", 0) is None
    assert page.locate("/div[1]/p[1]/text()[1]", 99) is None
    assert page.locate("not a path", 0) is None
    assert page.locate("/div[[", 0) is None
    assert page.locate("//*//*//*", 0) is None  # only plain child steps are evaluated
    assert page.locate("/div[1]/p[count(//*)]", 0) is None
