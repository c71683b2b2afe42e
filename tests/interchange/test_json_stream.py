"""Label Studio and W3C files are read one task or collection at a time, and a broken file is
refused whole, with the line where it breaks."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_doc

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.formats import label_studio, w3c

READERS: dict[str, Any] = {"label-studio": label_studio, "w3c": w3c}


def _docs(count: int) -> Iterator[AnnotatedDocument]:
    for n in range(1, count + 1):
        text = f"Article {n}. " + "Ana Souza said the talks went well. " * 40
        yield make_doc(text, [(12 + 36 * k, 21 + 36 * k, "ACTOR") for k in range(40)], doc_id=n)


def _peak(read: Callable[[Path], Iterator[object]], path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        docs = sum(isinstance(item, ImportedDocument) for item in read(path))
        return docs, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", READERS)
def test_reading_holds_one_document_at_a_time(tmp_path: Path, name: str) -> None:
    module = READERS[name]
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    module.write(_docs(5), small)
    module.write(_docs(400), large)
    assert large.stat().st_size > 40 * small.stat().st_size
    docs_small, peak_small = _peak(module.read, small)
    docs_large, peak_large = _peak(module.read, large)
    assert (docs_small, docs_large) == (5, 400)
    # json.loads would hold the whole file as Python objects: many times its size.
    assert peak_large < 3 * peak_small
    assert peak_large < large.stat().st_size


@pytest.mark.parametrize("name", READERS)
def test_a_broken_file_is_refused_whole_with_its_line(tmp_path: Path, name: str) -> None:
    module = READERS[name]
    path = tmp_path / "broken.json"
    module.write(_docs(3), path)
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw[: int(len(raw) * 0.8)], encoding="utf-8")  # cut off: two whole docs
    items = list(module.read(path))
    assert not [i for i in items if isinstance(i, ImportedDocument)]
    (problem,) = items
    assert isinstance(problem, FormatProblem)
    assert problem.origin.startswith(f"{path}:") and "not JSON" in problem.message


@pytest.mark.parametrize("name", READERS)
def test_byte_order_mark_and_empty_files(tmp_path: Path, name: str) -> None:
    module = READERS[name]
    path = tmp_path / "bom.json"
    module.write(_docs(2), path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert sum(isinstance(i, ImportedDocument) for i in module.read(path)) == 2
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    (problem,) = list(module.read(empty))
    assert isinstance(problem, FormatProblem) and "empty" in problem.message
