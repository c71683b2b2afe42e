"""JSON and JSON Lines: one document per record, bad lines reported by number, peers' files read."""

from __future__ import annotations

import json
import time

import pytest
from source_helpers import documents, only_document, only_refusal, refusals

from annotator.formats.sources import SourceOptions, read_source

DOCCANO = "doccano"
LABEL_STUDIO = "label-studio/label-studio-frontend/examples"


def read(name, data, **options):
    return list(read_source(name, data, options=SourceOptions(**options)))


def read_file(path, **options):
    return read(path.name, path.read_bytes(), **options)


# The edge corpus -----------------------------------------------------------------------------


def test_formula_cells_are_imported_as_text_unchanged(edge):
    raw = (edge / "formula.jsonl").read_bytes()
    items = read_file(edge / "formula.jsonl")
    expected = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert [(d.text, d.meta.title) for d in documents(items)] == [
        (record["text"], record["title"]) for record in expected
    ]
    assert [d.origin for d in items] == ["formula.jsonl:1", "formula.jsonl:2"]


def test_malformed_lines_are_refused_by_number_and_the_valid_line_imports(edge):
    items = read_file(edge / "malformed.jsonl")
    [document] = documents(items)
    assert document.origin == "malformed.jsonl:1"
    assert document.text == "Fine line about Boris Johnson on 5 July 2019."
    assert document.meta.title == "ok"
    reasons = {refusal.origin: refusal.reason for refusal in refusals(items)}
    assert list(reasons) == ["malformed.jsonl:2", "malformed.jsonl:3", "malformed.jsonl:4"]
    assert "not valid JSON" in reasons["malformed.jsonl:2"]  # truncated
    assert '"text" field is a number' in reasons["malformed.jsonl:3"]
    assert "not a JSON object" in reasons["malformed.jsonl:4"]  # [1,2,3]
    assert all("\n" not in reason for reason in reasons.values())


# Peer files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "found", "refused"),
    [
        ("data_export/pipeline/examples/sequence_labeling/example.jsonl", 3, 0),
        ("data_export/pipeline/examples/text_classification/example.jsonl", 3, 0),
        # Pretty-printed JSON although named .jsonl
        ("data_export/pipeline/examples/relation_extraction/example.jsonl", 1, 0),
        ("data_import/tests/data/relation_extraction/example.jsonl", 1, 0),
        ("data_import/tests/data/sequence_labeling/example_overlapping.jsonl", 1, 0),
        # A record missing "text" (line 3)
        ("data_import/tests/data/sequence_labeling/example.jsonl", 2, 1),
        # Custom column names: nothing without the text_column option (see below)
        ("data_import/pipeline/examples/sequence_labeling/example.jsonl", 0, 3),
    ],
)
def test_doccano_files(peers, path, found, refused):
    items = read_file(peers / DOCCANO / path)
    assert (len(documents(items)), len(refusals(items))) == (found, refused)


def test_doccano_pretty_printed_jsonl_reads_as_one_record(peers):
    path = peers / DOCCANO / "data_export/pipeline/examples/relation_extraction/example.jsonl"
    assert path.read_text(encoding="utf-8").startswith("{\n")
    document = only_document(read_file(path))
    assert document.text == (
        "Google was founded on September 4, 1998, by Larry Page and Sergey Brin."
    )


def test_doccano_missing_text_is_reported_with_its_line_and_fields(peers):
    items = read_file(peers / DOCCANO / "data_import/tests/data/sequence_labeling/example.jsonl")
    [refusal] = refusals(items)
    assert refusal.origin == "example.jsonl:3"
    assert "label" in refusal.reason
    assert "meta" in refusal.reason
    assert [d.text for d in documents(items)] == ["exampleA", "exampleB"]


def test_the_text_column_option_names_another_key(peers):
    path = peers / DOCCANO / "data_import/pipeline/examples/sequence_labeling/example.jsonl"
    refusal = refusals(read_file(path))[0]
    assert "column_data" in refusal.reason  # the user is shown what to choose
    items = read_file(path, text_column="column_data")
    assert [d.text for d in documents(items)] == [
        "EU rejects German call to boycott British lamb.",
        "Peter Blackburn",
        "President Obama",
    ]


@pytest.mark.parametrize(
    ("path", "found", "refused", "start"),
    [
        ("named_entity/tasks.json", 1, 0, "Showers continued"),
        ("named_entity/annotations/1.json", 1, 0, "Showers continued"),
        ("rich_text_plain/tasks.json", 0, 1, None),  # its text is data.ner
        ("phrases/tasks.json", 0, 1, None),  # a dialogue, no text
    ],
)
def test_label_studio_files(peers, path, found, refused, start):
    items = read_file(peers / LABEL_STUDIO / path)
    assert (len(documents(items)), len(refusals(items))) == (found, refused)
    if start:
        assert documents(items)[0].text.startswith(start)


def test_label_studio_task_text_under_another_key(peers):
    path = peers / LABEL_STUDIO / "rich_text_plain/tasks.json"
    assert "data.ner" in refusals(read_file(path))[0].reason
    document = only_document(read_file(path, text_column="data.ner"))
    assert document.text.startswith("Donald Trump just couldn t wish all Americans")
    assert document.origin == "tasks.json:2"  # the line where the task starts


def test_label_studio_completions_export(peers):
    path = peers / "label-studio/label-studio-converter/test/fixtures/completions/348.json"
    document = only_document(read_file(path))
    assert document.text.startswith(" -Antioxidant Vitamins")  # leading space kept
    assert document.meta.title.startswith("-Antioxidant Vitamins")


# Shapes, line numbers, metadata --------------------------------------------------------------


def test_records_in_an_array_are_numbered_by_the_line_they_start_on():
    data = b'[\n  {"text": "one"},\n\n  {\n    "text": "two"\n  },\n  {"text": "three"}\n]\n'
    assert [item.origin for item in read("a.json", data)] == ["a.json:2", "a.json:4", "a.json:7"]


def test_pretty_printed_records_one_after_another():
    data = b'{\n  "text": "one"\n}\n{\n  "text": "two"\n}\n'
    items = read("a.jsonl", data)
    assert [(d.origin, d.text) for d in documents(items)] == [
        ("a.jsonl:1", "one"),
        ("a.jsonl:4", "two"),
    ]


def test_metadata_from_the_record_its_meta_and_its_data():
    record = {
        "text": "Body of the article.",
        "title": "  A  headline ",
        "outlet": "The Daily Planet",
        "meta": {"url": "https://example.org/a", "author": ["Ana Souza", "Jo Kim"]},
        "data": {"date": "Wed, 16 Jun 2021 10:00:00 +0200", "lang": "en", "tags": "summit, us"},
    }
    document = only_document(read("a.jsonl", json.dumps(record).encode()))
    assert document.meta.title == "A headline"
    assert document.meta.source == "The Daily Planet"
    assert document.meta.url == "https://example.org/a"
    assert document.meta.author == "Ana Souza, Jo Kim"
    assert document.meta.published == "2021-06-16T10:00:00+02:00"
    assert document.meta.language == "en"
    assert document.tags == ("summit", "us")


def test_a_json_string_may_contain_a_raw_line_separator():
    line = json.dumps({"text": "before\u2028after\u2029end"}, ensure_ascii=False)
    document = only_document(read("a.jsonl", (line + "\n").encode()))
    assert document.text == "before\u2028after\u2029end"


def test_crlf_line_ends_and_blank_lines_are_fine():
    data = b'{"text": "one"}\r\n\r\n{"text": "two"}\r\n'
    assert [item.origin for item in read("a.jsonl", data)] == ["a.jsonl:1", "a.jsonl:3"]


def test_text_is_kept_exactly():
    text = "  Zoe\u0308 said:\r\n\u00a0«\u202foui\u202f»  "
    document = only_document(read("a.json", json.dumps({"text": text}).encode()))
    assert document.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n ", "no JSON"),
        (b'{"text": "unterminated', "not valid JSON"),
        (b'"just a string"', "not a JSON object but a string"),
        (b'{"text": "   "}', "empty"),
        (b'{"text": null}', "null"),
    ],
)
def test_whole_file_problems_are_one_refusal(data, reason):
    refusal = only_refusal(read("a.json", data))
    assert refusal.origin == "a.json"
    assert reason in refusal.reason


def test_ten_thousand_lines_of_five_kilobytes_parse_in_well_under_a_second():
    record = {"title": "T", "text": "word " * 1000, "meta": {"source": "X", "date": "2020-01-02"}}
    data = "\n".join(json.dumps({**record, "title": f"T{i}"}) for i in range(10_000)).encode()
    assert len(data) > 50_000_000
    started = time.perf_counter()
    count = sum(1 for _ in read_source("big.jsonl", data))
    elapsed = time.perf_counter() - started
    assert count == 10_000
    assert elapsed < 1.0, f"{elapsed:.2f} s"
