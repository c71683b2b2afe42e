"""Opening a plain-text file as a document.

The full importer (HTML, PDF, DOCX, archives, batches) builds on `decode_text`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Document, DocumentMeta
from annotator.services.documents import add_document
from annotator.store import Database

MAX_TEXT_BYTES = 50 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


class ImportRefusedError(AnnotatorError):
    """A file that cannot become a document, with the reason."""


def decode_text(data: bytes, *, name: str) -> str:
    """Decode a text file's bytes, or refuse with a message naming the file and the problem.

    Order: byte-order mark; strict UTF-8; a legacy 8-bit encoding found by charset-normalizer,
    accepted only when every run of non-ASCII bytes sits inside a word (as accented letters do).
    A run of several such bytes touching no letter is damage in a UTF-8 file, and is refused with
    its byte position rather than decoded into plausible garbage.
    """
    if not data:
        raise ImportRefusedError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportRefusedError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} at byte {exc.start}"
                ) from exc
    if b"\x00" in data:
        raise ImportRefusedError(f"{name}: not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for run in _NON_ASCII_RUN.finditer(data):
        before = data[run.start() - 1 : run.start()]
        after = data[run.end() : run.end() + 1]
        # One byte on its own is a normal legacy character (French " à ", "« »", "€ 5");
        # several in a row touching no letter are damage in a UTF-8 file.
        if len(run.group()) > 1 and not (before.isalpha() or after.isalpha()):
            raise ImportRefusedError(
                f"{name}: not valid UTF-8 (bad bytes at byte {utf8_error.start}) and not "
                "a recognisable legacy encoding either"
            )
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ImportRefusedError(f"{name}: not a text file (no text encoding fits its bytes)")
    # A short text often fits several 8-bit code pages equally well, and charset-normalizer then
    # picks one by name (cp1250 reads Latin-1 "là" as "lŕ"). On a tie prefer Windows-1252, the
    # superset of Latin-1 that Western European text in a legacy encoding almost always is.
    for match in matches:
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos == best.chaos
            and match.coherence == best.coherence
        ):
            return str(match)
    return str(best)


def import_text_file(db: Database, *, path: Path) -> Document:
    """Read a plain-text file into a new document titled after its first line."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ImportRefusedError(
                f"{path}: {size} bytes is larger than the {MAX_TEXT_BYTES} limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefusedError(f"{path}: cannot read the file ({exc.strerror})") from exc
    text = decode_text(data, name=str(path))
    if not text.strip():
        raise ImportRefusedError(f"{path}: the file holds no text")
    first_line = text.strip().splitlines()[0].strip()
    title = first_line[:120] if first_line else path.stem
    return add_document(db, text=text, meta=DocumentMeta(title=title or path.name))
