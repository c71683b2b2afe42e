"""Readers that turn one file's bytes into documents for the importer.

`read_source(name, data)` guesses the kind of file from its name's extension, else from its
content, and yields a `SourceDocument` for each article found and a `Refusal` for each file,
line or row that could not become one. Bad input never raises: a whole-file problem is one
Refusal naming the file. Nothing is fetched from the network, and nothing a file refers to
(images, frames, external entities) is ever read.

Archives and folders are walked by the import service, which calls `read_source` per member.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import PurePosixPath

from annotator.domain.model import META_FIELDS
from annotator.domain.sources import Refusal
from annotator.formats.sources._common import Item, SourceKind, SourceOptions
from annotator.formats.sources.plain import (
    ImportRefusedError,
    decode_text,
    guess_legacy_encoding,
    read_plain,
)

__all__ = [
    "META_FIELDS",
    "SOURCE_KINDS",
    "ImportRefusedError",
    "Item",
    "SourceKind",
    "SourceOptions",
    "decode_text",
    "guess_kind",
    "guess_legacy_encoding",
    "read_source",
    "table_columns",
]

SOURCE_KINDS: tuple[SourceKind, ...] = (
    SourceKind("text", (".txt", ".text", ".md"), "Plain text"),
    SourceKind("html", (".html", ".htm", ".xhtml"), "Web page (HTML)"),
    SourceKind("docx", (".docx",), "Word document"),
    SourceKind("pdf", (".pdf",), "PDF document"),
    SourceKind("json", (".json", ".jsonl", ".ndjson"), "JSON or JSON Lines records"),
    SourceKind("csv", (".csv", ".tsv"), "CSV or TSV table"),
)

_BY_EXTENSION = {ext: kind.name for kind in SOURCE_KINDS for ext in kind.extensions}

_Reader = Callable[[str, bytes, SourceOptions], Iterator[Item]]


def _read_html(name: str, data: bytes, _options: SourceOptions) -> Iterator[Item]:
    # The HTML, PDF, Word and CSV readers pull in large libraries (trafilatura and lxml take
    # a third of a second to import); they load on first use, not when the app starts.
    from annotator.formats.sources.html_page import read_html

    return read_html(name, data)


def _read_docx(name: str, data: bytes, _options: SourceOptions) -> Iterator[Item]:
    from annotator.formats.sources.word import read_docx

    return read_docx(name, data)


def _read_pdf(name: str, data: bytes, _options: SourceOptions) -> Iterator[Item]:
    from annotator.formats.sources.pdf import read_pdf

    return read_pdf(name, data)


def _read_json(name: str, data: bytes, options: SourceOptions) -> Iterator[Item]:
    from annotator.formats.sources.json_records import read_json

    return read_json(name, data, options)


def _read_delimited(name: str, data: bytes, options: SourceOptions) -> Iterator[Item]:
    from annotator.formats.sources.delimited import read_delimited

    return read_delimited(name, data, options)


def table_columns(name: str, data: bytes) -> list[str]:
    """The header row of a CSV/TSV file (for choosing the text column), or []."""
    from annotator.formats.sources.delimited import table_columns as columns

    return columns(name, data)


_READERS: dict[str, _Reader] = {
    "text": lambda name, data, _options: read_plain(name, data),
    "html": _read_html,
    "docx": _read_docx,
    "pdf": _read_pdf,
    "json": _read_json,
    "csv": _read_delimited,
}

_DEFAULT_OPTIONS = SourceOptions()
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls, .ppt


def read_source(
    name: str, data: bytes, *, options: SourceOptions = _DEFAULT_OPTIONS
) -> Iterator[Item]:
    """Yield the documents in one file, and a Refusal for each part that cannot become one.

    `name` is the file's name (or archive member path), used in messages and origins and to
    guess the kind by extension; `data` is the file's bytes.
    """
    kind = guess_kind(name, data)
    if kind is None:
        yield _refuse_unknown(name, data)
        return
    yield from _READERS[kind](name, data, options)


def guess_kind(name: str, data: bytes) -> str | None:
    """The name of the SOURCE_KINDS entry that reads this file, or None for none.

    The extension decides when it is a known one; otherwise the content is sniffed: PDF and
    Word signatures, an HTML document start, a JSON object or array, else plain text (which
    still refuses binary data when decoding).
    """
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if extension in _BY_EXTENSION:
        return _BY_EXTENSION[extension]
    if extension in _ANNOTATION_FILES or _is_xml(data):
        return None  # refused with the reason by _refuse_unknown
    return sniff_kind(data)


# Annotation interchange files hold annotations, not articles: the interchange importer reads them.
_ANNOTATION_FILES = frozenset({".xmi", ".xml", ".ann", ".conll", ".spacy"})


def _is_xml(data: bytes) -> bool:
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<?xml", b"<!doctype", b"<!entity")) and b"<html" not in start


def sniff_kind(data: bytes) -> str | None:
    """Guess the kind from the first bytes of the content."""
    head = data[:4096]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else None
    if head.startswith((_OLE2, b"{\\rtf")):
        return None  # refused with advice by _refuse_unknown
    text = _probe_text(head)
    if text is None:
        return "text"  # the plain-text reader refuses it with the reason
    start = text.lstrip()[:512].lower()
    if start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<?xml") and "<html" in start
    ):
        return "html"
    if start.startswith(("{", "[")) and _starts_with_json(text):
        return "json"
    return "text"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _probe_text(head: bytes) -> str | None:
    try:
        return decode_text(head, name="probe")
    except ImportRefusedError:
        return None


def _starts_with_json(text: str) -> bool:
    stripped = text.lstrip()
    try:
        json.JSONDecoder().raw_decode(stripped)
    except (RecursionError, ValueError) as exc:
        if not isinstance(exc, json.JSONDecodeError):
            return True  # deep nesting or a huge number: JSON, which its reader refuses
        # The probe is only the file's start: a value cut off at its end is still JSON.
        return exc.pos >= len(stripped) - 1 or "Unterminated" in exc.msg
    return True


def _refuse_unknown(name: str, data: bytes) -> Refusal:
    if data.startswith(b"PK\x03\x04"):
        reason = "a ZIP archive that is not a Word document (archives are opened by the importer)"
    elif data.startswith(_OLE2):
        reason = "an old-style Office file (.doc, .xls, .ppt): save it as .docx or PDF first"
    elif data.startswith(b"{\\rtf"):
        reason = "a Rich Text (RTF) file: save it as .docx, PDF or plain text first"
    elif b"<!ENTITY" in data[:65536].upper():
        # Never parsed: entity declarations are how XML bombs ("billion laughs") explode.
        reason = "XML with entity declarations, refused unread (a possible entity-expansion bomb)"
    elif _is_xml(data) or PurePosixPath(name).suffix.lower() in _ANNOTATION_FILES:
        reason = "an XML or annotation file, not an article text"
    else:
        reason = "not a kind of file the importer reads"
    return Refusal(origin=name, reason=reason)
