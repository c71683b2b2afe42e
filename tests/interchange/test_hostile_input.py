"""Hostile files through every importer: refused with the file, the line and a reason.

Never a traceback, a crash or a lone surrogate on its way to the database; and a format guess
never drops the annotations a file carries. `fuzz_importers.py` is the fuzzer the last test runs
in a child process with a memory and a time limit.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_doc

from annotator.domain.interchange import FormatProblem, ImportedDocument
from annotator.domain.sources import Refusal
from annotator.formats import _docbin, conll, doccano, label_studio, native, spacy_docbin, w3c, xmi
from annotator.formats.sources import read_source
from annotator.services.importing import Outcome, import_files
from annotator.services.interchange import import_annotations
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
    (
        "lone surrogate after an escaped backslash",  # text "\\ud83d", then half a character
        lambda b: b.replace(b"Seoul", b"Se\\\\ud83d\\ude00oul"),
        "lone surrogate",
    ),
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


JSON_AND_ARTICLES = (
    "native,doccano,label-studio,w3c,brat,articles-text,articles-json,articles-csv,articles-html"
)
XMI_CONLL_DOCBIN = "xmi,xmi-typesystem,conll,spacy,spacy-msgpack"


def test_fuzzed_files_through_every_importer_give_only_named_errors(tmp_path: Path) -> None:
    """1,170 mutated files (130 per importer): documents, problems or AnnotatorErrors only."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    fuzz = [sys.executable, str(HERE / "fuzz_importers.py"), str(tmp_path)]
    done = subprocess.run(
        [*fuzz, "20261207", "130", "3", JSON_AND_ARTICLES],
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


# --- XMI, CoNLL and spaCy DocBin ---------------------------------------------------------------

SEOUL = make_doc("Ana met Bo in Seoul.", spans=[(0, 3, "ACTOR"), (8, 10, "ACTOR")])


def _split(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    items = list(registry_read(path))
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, FormatProblem)],
    )


def registry_read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    module = {".xmi": xmi, ".conll": conll, ".spacy": spacy_docbin}[path.suffix]
    yield from module.read(path)


def _xmi(folder: Path) -> Path:
    xmi.write([SEOUL], folder)
    [path] = sorted(folder.glob("*.xmi"))
    return path


def _after_declaration(data: bytes, insert: bytes) -> bytes:
    end = data.index(b"?>") + 2
    return data[:end] + insert + data[end:]


# A comment with "<a" in it before the DOCTYPE: the prolog check must not stop there.
LAUGHS = (
    b"<!-- <a -->"
    + b'<!DOCTYPE XMI [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
    + b"]>"
)


def test_xmi_billion_laughs_is_refused_unexpanded(tmp_path: Path) -> None:
    path = _xmi(tmp_path / "x")
    data = _after_declaration(path.read_bytes(), LAUGHS).replace(b"Seoul", b"&j;")
    path.write_bytes(data)
    documents, [problem] = _split(path)
    assert documents == []
    assert problem.origin == str(path) and "DOCTYPE" in problem.message


@pytest.mark.parametrize("hide", [b"", b"<!-- <a -->", b"<?x <a?>"], ids=["plain", "comment", "pi"])
def test_xmi_external_entity_never_reads_the_file_it_names(tmp_path: Path, hide: bytes) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = _xmi(tmp_path / "x")
    entity = b'<!DOCTYPE XMI [<!ENTITY e SYSTEM "%s">]>' % secret.as_uri().encode()
    path.write_bytes(_after_declaration(path.read_bytes(), hide + entity).replace(b"Seoul", b"&e;"))
    documents, [problem] = _split(path)
    assert documents == []
    assert "DOCTYPE" in problem.message and "TOPSECRET" not in problem.message


def test_xmi_type_system_with_a_doctype_is_refused_and_the_built_in_one_used(
    tmp_path: Path,
) -> None:
    path = _xmi(tmp_path / "x")
    ts = path.parent / xmi.TYPE_SYSTEM_FILE
    ts.write_bytes(_after_declaration(ts.read_bytes(), LAUGHS))
    [document], [problem] = _split(path)
    assert problem.origin == str(ts) and "DOCTYPE" in problem.message
    assert [s.quote for s in document.spans] == ["Ana", "Bo"]


def test_xmi_nested_deeper_than_libxml2_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.xmi"
    path.write_bytes(
        b'<?xml version="1.0"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI">'
        + b"<a>" * 100_000
        + b"</a>" * 100_000
        + b"</xmi:XMI>"
    )
    documents, [problem] = _split(path)
    assert documents == [] and problem.origin == str(path)
    assert "nested deeper" in problem.message


def test_xmi_invalid_utf8_is_named_by_its_byte_offset(tmp_path: Path) -> None:
    path = _xmi(tmp_path / "x")
    good = path.read_bytes()
    path.write_bytes(good.replace(b"Seoul", b"Se\xffoul"))
    documents, [problem] = _split(path)
    assert documents == []
    line = good[: good.index(b"Seoul")].count(b"\n") + 1
    assert f"byte offset {good.index(b'Seoul') + 2}, line {line}" in problem.message


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("begin", b"424242"), ("begin", b"9" * 40), ("end", b"-3"), ("end", b"18446744073709551616")],
)
def test_xmi_span_offsets_outside_the_text_are_reported_not_imported(
    tmp_path: Path, attribute: str, value: bytes
) -> None:
    path = _xmi(tmp_path / "x")
    good = path.read_bytes()
    old = b'begin="0"' if attribute == "begin" else b'end="3"'
    at = good.index(old, good.index(b"custom:ArticleSpan"))
    path.write_bytes(good[:at] + attribute.encode() + b'="' + value + b'"' + good[at + len(old) :])
    [document], [problem] = _split(path)
    assert [s.quote for s in document.spans] == ["Bo"]
    assert problem.origin.startswith(f"{path} xmi:id") and "outside the text" in problem.message


def test_xmi_reference_to_a_missing_feature_structure_is_named(tmp_path: Path) -> None:
    path = _xmi(tmp_path / "x")
    data = path.read_bytes()
    path.write_bytes(re.sub(rb'sofa="\d+"', b'sofa="99999"', data, count=1))
    documents, [problem] = _split(path)
    assert documents == []
    assert "xmi:id 99999, which is not in the file" in problem.message


def _conll(path: Path, body: bytes) -> Path:
    path.write_bytes(b"-DOCSTART- -X- O O\n\nAna\tB-ACTOR\nmet\tO\n\n" + body + b"Bo\tB-ACTOR\n")
    return path


def test_conll_invalid_utf8_refuses_the_file_naming_the_byte(tmp_path: Path) -> None:
    path = _conll(tmp_path / "a.conll", b"-DOCSTART- -X- O O\n\nSe\xffoul\tO\n")
    data = path.read_bytes()
    at, line = data.index(b"\xff"), data[: data.index(b"\xff")].count(b"\n") + 1
    documents, [problem] = _split(path)
    assert documents == []  # the first document comes before the bad byte: still refused
    assert problem.origin == str(path)
    assert f"byte 0xff at byte offset {at}, line {line}" in problem.message


def test_conll_line_of_many_megabytes_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = _conll(tmp_path / "a.conll", b"x" * (5 << 20) + b"\tO\n")
    [document], [problem] = _split(path)
    assert problem.origin == f"{path}:6" and "longer than 1,048,576 bytes" in problem.message
    assert document.text == "Ana met\nBo" and [s.quote for s in document.spans] == ["Ana", "Bo"]


def test_conll_absurd_column_count_is_skipped_and_the_line_not_quoted_whole(
    tmp_path: Path,
) -> None:
    path = _conll(tmp_path / "a.conll", b"x\t" * 200_000 + b"O\n" + b"y " * 300_000 + b"O\n")
    [document], problems = _split(path)
    assert [p.origin for p in problems] == [f"{path}:6", f"{path}:7"]
    assert "200,001 tab-separated columns" in problems[0].message
    assert "(600,001 characters)" in problems[1].message and len(problems[1].message) < 200
    assert document.text == "Ana met\nBo"


def _spacy(path: Path, docs: list[Any] | None = None) -> Path:
    spacy_docbin.write(docs or [SEOUL], path)
    return path


def _after(data: bytes, key: bytes, value: bytes) -> bytes:
    """`data` with the bytes after `key` overwritten by `value`."""
    at = data.index(key) + len(key)
    return data[:at] + value + data[at + len(value) :]


def _array32(data: bytes, key: bytes, count: int) -> bytes:
    """`data` with the (small) array after `key` claiming `count` items."""
    at = data.index(key) + len(key)
    assert 0x90 <= data[at] <= 0x9F  # a fixarray
    return data[:at] + b"\xdd" + count.to_bytes(4, "big") + data[at + 1 :]


def _repack(path: Path, edit: Callable[[bytes], bytes]) -> None:
    path.write_bytes(zlib.compress(edit(zlib.decompress(path.read_bytes()))))


def test_docbin_zlib_bomb_is_refused_after_a_bounded_inflation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 4 GiB of tokens in 4 MB; with the real floor (64 MiB) it is refused in about a second,
    # here at 8 MiB to keep the test short.
    monkeypatch.setattr(_docbin, "BOMB_FLOOR", 8 << 20)
    path = tmp_path / "bomb.spacy"
    packer = zlib.compressobj(9)
    parts = [packer.compress(b"\x81\xa6tokens\xc6\xff\xff\xff\xff")]
    zeros = bytes(1 << 20)
    parts += [packer.compress(zeros) for _ in range(32)]
    path.write_bytes(b"".join(parts) + packer.flush())
    assert path.stat().st_size < 40_000
    documents, [problem] = _split(path)
    assert documents == [] and problem.origin == str(path)
    assert "compression bomb" in problem.message


def test_docbin_past_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _spacy(tmp_path / "a.spacy", [SEOUL] * 50)
    monkeypatch.setattr(_docbin, "BOMB_FLOOR", 1000)
    monkeypatch.setattr(_docbin, "MAX_INFLATED", 2000)
    documents, [problem] = _split(path)
    assert documents == [] and "more than 2,000 bytes" in problem.message


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda b: _after(b, b"\xa4cats\xdd", b"\xff\xff\xff\xff"), "4294967295 cats for 1"),
        (lambda b: _array32(b, b"\xa7strings", 2**32 - 1), "exceeds"),
        (lambda b: b[: len(b) // 2], "not a readable spaCy DocBin file"),
        (lambda b: _after(b, b"\xa7lengths\xc4\x04", b"\xff\xff\xff\x7f"), "2,147,483,647 tokens"),
    ],
    ids=["array-bomb", "strings-bomb", "truncated", "lengths"],
)
def test_docbin_with_a_broken_msgpack_map_is_refused_whole(
    tmp_path: Path, edit: Callable[[bytes], bytes], reason: str
) -> None:
    path = _spacy(tmp_path / "a.spacy")
    before = path.read_bytes()
    _repack(path, edit)
    assert path.read_bytes() != before
    documents, [problem] = _split(path)
    assert documents == [] and problem.origin == str(path)
    assert reason in problem.message, problem.message


def test_truncated_docbin_file_is_refused(tmp_path: Path) -> None:
    path = _spacy(tmp_path / "a.spacy")
    path.write_bytes(path.read_bytes()[:-40])
    documents, [problem] = _split(path)
    assert documents == [] and "not a readable spaCy DocBin file" in problem.message


def test_docbin_whose_second_doc_spacy_cannot_build_keeps_the_first_whole(tmp_path: Path) -> None:
    other = make_doc("Kim saw Lee.", spans=[(0, 3, "ACTOR")])
    path = _spacy(tmp_path / "a.spacy", [SEOUL, other])
    # Lee's string is missing from the table: spaCy fails on the second Doc only.
    _repack(path, lambda b: b.replace(b"\xa3Lee", b"\xa3Lex"))
    [document], [problem] = _split(path)
    assert document.text == SEOUL.document.text
    assert "doc 2 is not readable" in problem.message and "not imported" in problem.message


@pytest.mark.parametrize("kind", ["xmi", "conll", "spacy"])
def test_a_refused_file_stores_nothing(tmp_path: Path, kind: str) -> None:
    if kind == "xmi":
        path = _xmi(tmp_path / "x")
        path.write_bytes(_after_declaration(path.read_bytes(), LAUGHS))
        fmt = "xmi"
    elif kind == "conll":
        path = _conll(tmp_path / "a.conll", b"\xff\n")
        fmt = "conll"
    else:
        path = _spacy(tmp_path / "a.spacy")
        _repack(path, lambda b: b[: len(b) // 2])
        fmt = "spacy"
    db = Database(tmp_path / "db.sqlite3")
    try:
        report = import_annotations(db, paths=[path], format_name=fmt, annotator_name="me")
        with db.transaction() as repo:
            assert repo.document_count() == 0
    finally:
        db.dispose()
    [problem] = report.problems
    assert problem.origin == str(path)


def test_fuzzed_xmi_conll_and_docbin_files_give_only_named_errors(tmp_path: Path) -> None:
    """400 mutated XMI documents and type systems, CoNLL files and DocBins (zlib and msgpack)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    fuzz = [sys.executable, str(HERE / "fuzz_importers.py"), str(tmp_path)]
    done = subprocess.run(
        [*fuzz, "20261208", "80", "3", XMI_CONLL_DOCBIN],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        preexec_fn=_limits,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "400 files read, 0 failures" in done.stdout
