"""Hostile files through every importer: refused with the file, the line and a reason.

Never a traceback, a crash or a lone surrogate on its way to the database; and a format guess
never drops the annotations a file carries. `fuzz_importers.py` is the fuzzer the last test runs
in a child process with a memory and a time limit.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_doc

from annotator.domain.interchange import FormatProblem, ImportedDocument
from annotator.domain.sources import Refusal
from annotator.formats import doccano, label_studio, native, w3c
from annotator.formats.sources import read_source
from annotator.services.importing import Outcome, import_files
from annotator.store import Database

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

Reader = Callable[[Path], Iterator[ImportedDocument | FormatProblem]]
READERS: dict[str, tuple[Any, str]] = {
    "native": (native, "a.jsonl"),
    "doccano": (doccano, "a.doccano.jsonl"),
    "label-studio": (label_studio, "a.json"),
    "w3c": (w3c, "a.jsonld"),
}

# (case, how to spoil a written file, words the reason must contain)
HOSTILE: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("invalid UTF-8", lambda b: b.replace(b"Seoul", b"Se\xffoul"), "byte offset"),
    (
        "deep nesting",
        lambda b: b.replace(b"[", b"[" * 500, 1).replace(b"]", b"]" * 500, 1),
        "nested deeper",
    ),
    ("too many digits", lambda b: b.replace(b": 8", b": 8" + b"1" * 5000, 1), "digits"),
    (
        "integer out of range",
        lambda b: b.replace(b": 8", b": 18446744073709551616", 1),
        "out of range",
    ),
    ("lone surrogate", lambda b: b.replace(b"Seoul", b"Se\\ud800oul"), "lone surrogate"),
]


def _written(reader: str, folder: Path) -> Path:
    module, name = READERS[reader]
    path = folder / name
    module.write(
        [make_doc("Ana met Bo in Seoul.", spans=[(0, 3, "ACTOR"), (8, 10, "ACTOR")])], path
    )
    return path


def _spoil(path: Path, spoil: Callable[[bytes], bytes]) -> None:
    original = path.read_bytes()
    if b": 8" not in original:  # the offset 8 written with or without a space
        original = original.replace(b":8", b": 8")
    spoiled = spoil(original)
    assert spoiled != original
    path.write_bytes(spoiled)


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(("case", "spoil", "reason"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_each_importer_refuses_hostile_json_with_the_file_and_the_reason(
    tmp_path: Path, reader: str, case: str, spoil: Callable[[bytes], bytes], reason: str
) -> None:
    path = _written(reader, tmp_path)
    _spoil(path, spoil)
    items = list(READERS[reader][0].read(path))
    problems = [i for i in items if isinstance(i, FormatProblem)]
    documents = [i for i in items if isinstance(i, ImportedDocument)]
    assert documents == []  # the one document is spoiled: it does not come in
    assert any(reason in p.message for p in problems), problems
    assert all(p.origin.startswith(str(path)) for p in problems)


def test_line_readers_name_the_line_and_the_byte_offset(tmp_path: Path) -> None:
    path = _written("doccano", tmp_path)
    good = path.read_bytes()
    path.write_bytes(good + good.replace(b"Seoul", b"Se\xffoul"))
    items = list(doccano.read(path))
    [problem] = [i for i in items if isinstance(i, FormatProblem)]
    assert problem.origin == f"{path}:2"
    offset = len(good) + good.index(b"Seoul") + 2
    assert f"byte offset {offset}" in problem.message
    assert len([i for i in items if isinstance(i, ImportedDocument)]) == 1


def test_an_escaped_emoji_pair_is_not_a_lone_surrogate(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    record = {"text": "Hi 😀 Bo", "label": [[5, 7, "ACTOR"]]}
    path.write_text(json.dumps(record, ensure_ascii=True) + "\n", encoding="utf-8")
    assert "\\ud83d\\ude00" in path.read_text(encoding="utf-8")
    [document] = list(doccano.read(path))
    assert isinstance(document, ImportedDocument)
    assert document.text == "Hi 😀 Bo"


def test_a_label_studio_result_whose_type_is_a_list_is_reported(tmp_path: Path) -> None:
    path = _written("label-studio", tmp_path)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][0]["type"] = ["labels"]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    items = list(label_studio.read(path))
    assert any('"type" is list' in i.message for i in items if isinstance(i, FormatProblem))
    [document] = [i for i in items if isinstance(i, ImportedDocument)]
    assert len(document.spans) == 1  # the other span still comes in


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'[{"text": "A b c.", "n": ' + b"9" * 5000 + b"}]", "digits"),
        (b'[{"text": "A b c.", "n": 99999999999999999999999}]', "out of range"),
        (b'[{"text": "A \\ud800 c."}]', "lone surrogate"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    ],
    ids=["digits", "range", "surrogate", "depth"],
)
def test_the_article_json_reader_refuses_hostile_json(content: bytes, reason: str) -> None:
    items = list(read_source("a.json", content))
    assert [type(i) for i in items] == [Refusal]
    assert reason in items[0].reason
    assert items[0].origin.startswith("a.json")


def test_a_lone_surrogate_never_reaches_the_database(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "Bad \\ud800 text", "label": [[0, 3, "ACTOR"]]}\n'
        '{"text": "Good text", "label": [[0, 4, "ACTOR"]]}\n',
        encoding="utf-8",
    )
    db = Database(tmp_path / "db.sqlite3")
    try:
        report = import_files(db, paths=[path], annotator_name="me")
        with db.transaction() as repo:
            assert repo.document_count() == 1
    finally:
        db.dispose()
    assert report.annotation_report is not None
    [problem] = report.annotation_report.problems
    assert problem.origin == f"{path}:1" and "lone surrogate" in problem.message


def _big_doccano(path: Path) -> None:
    """One doccano record of about 1 MB with 10,000 labels, after its text as doccano has it."""
    rng = random.Random(13)
    words = ["Pyongyang", "said", "the", "minister", "on", "Monday", "that", "KCNA", "report"]
    parts: list[str] = []
    labels: list[list[object]] = []
    at = 0
    while at < 1_000_000:
        word = rng.choice(words)
        if len(labels) < 10_000 and len(parts) % 10 == 3:
            labels.append([at, at + len(word), "ACTOR" if word[0].isupper() else "DATE"])
        parts.append(word)
        at += len(word) + 1
    record = {"text": " ".join(parts), "label": labels}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert len(labels) == 10_000 and path.stat().st_size > 1_000_000


def test_a_large_first_record_keeps_all_its_labels_without_format(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    _big_doccano(path)
    db = Database(tmp_path / "db.sqlite3")
    try:
        report = import_files(db, paths=[path], annotator_name="me")
        with db.transaction() as repo:
            [document_id] = repo.document_ids()
            spans = repo.spans(document_id)
    finally:
        db.dispose()
    assert report.annotation_report is not None
    assert report.annotation_report.problems == []
    assert len(spans) == 10_000


def test_a_file_whose_annotations_no_format_claims_is_refused_not_stripped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the bound the guess reads, the file is not taken for doccano: it must not be
    # stored as a bare article either.
    monkeypatch.setattr(doccano, "SNIFF_LINE_BYTES", 65536)
    path = tmp_path / "big.jsonl"
    _big_doccano(path)
    db = Database(tmp_path / "db.sqlite3")
    try:
        report = import_files(db, paths=[path], annotator_name="me")
        with db.transaction() as repo:
            assert repo.document_count() == 0
    finally:
        db.dispose()
    [result] = report.results
    assert result.outcome is Outcome.REFUSED
    assert '"label"' in result.detail and "--format doccano" in result.detail


def test_an_article_json_without_annotations_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text(
        json.dumps([{"title": "T", "text": "Some text here.", "annotations": []}]),
        encoding="utf-8",
    )
    db = Database(tmp_path / "db.sqlite3")
    try:
        report = import_files(db, paths=[path], annotator_name="me")
    finally:
        db.dispose()
    assert report.count(Outcome.IMPORTED) == 1


def _limits() -> None:  # pragma: no cover - runs in the child
    memory = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def test_fuzzed_files_through_every_importer_give_only_named_errors(tmp_path: Path) -> None:
    """1,170 mutated files (130 per importer): documents, problems or AnnotatorErrors only."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(HERE / "fuzz_importers.py"), str(tmp_path), "20261207", "130", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        preexec_fn=_limits,
        check=False,
    )
    # A crash (segfault, memory limit) ends the child with a signal: a negative return code.
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "1170 files read, 0 failures" in done.stdout
