"""Guessing the kind of a file: by extension, else by content; and no input makes a reader crash."""

from __future__ import annotations

import zipfile
from io import BytesIO

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from source_helpers import only_document, only_refusal

from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources import SOURCE_KINDS, guess_kind, read_source


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.TEXT", "text"),
        ("notes.md", "text"),
        ("page.html", "html"),
        ("page.HTM", "html"),
        ("page.xhtml", "html"),
        ("letter.docx", "docx"),
        ("paper.pdf", "pdf"),
        ("tasks.json", "json"),
        ("tasks.jsonl", "json"),
        ("tasks.ndjson", "json"),
        ("sheet.csv", "csv"),
        ("sheet.tsv", "csv"),
        ("news.zip!folder/a.TXT", "text"),
        ("C:\\Users\\ana\\page.html", "html"),
    ],
)
def test_the_extension_decides(name, kind):
    # Content that looks like another kind does not override a known extension.
    assert guess_kind(name, b"%PDF-1.7 {}") == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"\xef\xbb\xbf  <html lang=en><p>x</p></html>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>', "html"),
        (b'{"text": "a"}\n{"text": "b"}\n', "json"),
        (b'[{"text": "a"}', "json"),  # a large array, cut at the end of the probe
        (b"Just an article.\nWith two lines.", "text"),
        (b"{not json at all} said the minister", "text"),
        (b"<b>bold</b> claims in plain text", "text"),
    ],
)
def test_unknown_extensions_are_sniffed(data, kind):
    assert guess_kind("download", data) == kind
    assert guess_kind("article.bak", data) == kind


def test_a_word_document_without_extension_is_recognised():
    data = docx_bytes("Leaders met in Geneva.")
    assert guess_kind("attachment", data) == "docx"
    assert only_document(list(read_source("attachment", data))).text == "Leaders met in Geneva."


def test_another_zip_is_refused_and_left_to_the_archive_walker():
    refusal = only_refusal(list(read_source("attachment", zip_bytes())))
    assert "ZIP archive" in refusal.reason


@pytest.mark.parametrize(
    ("data", "advice"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "save it as .docx or PDF"),
        (b"{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0 Hello}", "Rich Text"),
    ],
    ids=["word-97", "rtf"],
)
def test_formats_not_read_are_refused_with_advice(data, advice):
    for name in ("letter.doc", "letter"):
        assert advice in only_refusal(list(read_source(name, data))).reason


def test_binary_data_is_refused_as_not_text(edge):
    refusal = only_refusal(list(read_source("binary.bin", (edge / "binary.bin").read_bytes())))
    assert refusal.origin == "binary.bin"
    assert "not a text file" in refusal.reason


def test_hostile_html_is_read_as_a_page(edge):
    data = (edge / "hostile.html").read_bytes()
    document = only_document(list(read_source("hostile.html", data)))
    assert "<script>" not in document.text
    assert "alert" not in document.text


def test_source_kinds_describe_every_extension_once():
    extensions = [ext for kind in SOURCE_KINDS for ext in kind.extensions]
    assert len(extensions) == len(set(extensions))
    assert all(ext.startswith(".") and ext == ext.lower() for ext in extensions)
    for kind in SOURCE_KINDS:
        assert guess_kind(f"x{kind.extensions[0]}", b"") == kind.name
    text = next(kind for kind in SOURCE_KINDS if kind.name == "text")
    assert text.dialog_filter == "Plain text (*.txt *.text *.md)"


@pytest.mark.parametrize("extension", [ext for kind in SOURCE_KINDS for ext in kind.extensions])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            [
                b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\n%%EOF",
                b"PK\x03\x04\x14\x00\x00\x00",
                b'{"text": ',
                b"<html><body><p>",
                b'"a","b\n',
                b"\xff\xfe\x00",
            ]
        ),
    )
)
def test_no_input_makes_a_reader_raise(extension, data):
    items = list(read_source(f"input{extension}", data))
    assert items
    for item in items:
        assert isinstance(item, SourceDocument | Refusal)
        if isinstance(item, Refusal):
            assert item.origin.startswith(f"input{extension}")
            assert item.reason and "\n" not in item.reason
        else:
            assert item.text.strip()
            assert item.meta.title
