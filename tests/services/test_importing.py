"""Plain-text import on the shared edge-case corpus: right text, exact offsets, clear refusals."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.errors import DuplicateDocumentError
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import list_documents, list_labels, open_document
from annotator.services.importing import ImportRefusedError, decode_text, import_text_file
from annotator.services.spans import add_span
from annotator.store import Database


@pytest.fixture
def edge(shared: Path) -> Path:
    return shared / "corpus" / "edge"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


def stored_text(db: Database, document_id: int) -> str:
    """The text as read back from the database, not as returned by the import call."""
    document, _ = open_document(db, document_id=document_id)
    return document.text


def snapshot(db: Database) -> list[tuple[int, str, int, dict[str, int]]]:
    return [(d.id, d.title, d.length, d.span_counts) for d in list_documents(db)]


# decode_text ---------------------------------------------------------------------------------


def test_utf16_with_bom_decodes(edge):
    data = (edge / "utf16-bom.txt").read_bytes()
    assert data[:2] == b"\xff\xfe"
    text = decode_text(data, name="utf16-bom.txt")
    assert text.startswith("Olaf Scholz said")
    assert "\ufeff" not in text  # the byte-order mark is not part of the text
    assert "\x00" not in text
    assert "Zeitenwende" in text


def test_latin1_decodes_every_accented_letter(edge):
    data = (edge / "latin1.txt").read_bytes()
    text = decode_text(data, name="latin1.txt")
    assert "président François" in text
    # The whole file, not only its first accents: Latin-1 is what the file is written in.
    assert text == data.decode("latin-1")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le garçon a déclaré vendredi que François était là-bas.", "cp1252"),
        ("Straße über Köln, sagte Müller am Montag.", "latin-1"),
        ("Zażółć gęślą jaźń, powiedział minister Kowalski w Warszawie.", "cp1250"),
    ],
)
def test_legacy_8bit_text_decodes(text, encoding):
    assert decode_text(text.encode(encoding), name="article.txt") == text


@pytest.mark.parametrize(
    "text", ["plain ASCII", "Zoe\u0308 and Jos\u00e9", "👩🏽\u200d⚖️ 🇧🇷", "习近平", "a\r\nb"]
)
def test_utf8_decodes_unchanged(text):
    assert decode_text(text.encode("utf-8"), name="x.txt") == text


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_honoured(bom_encoding):
    text = "Ana Souza said on 3 March 2025 “it will not change” 🇧🇷"
    data = text.encode(bom_encoding)
    if bom_encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_text(data, name="x.txt") == text


# import_text_file: stored exactly ------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["combining.txt", "nbsp-u2028.txt", "emoji.txt", "arabic-rtl.txt", "cjk.txt"]
)
def test_utf8_files_are_stored_exactly_as_decoded(db, edge, name):
    raw = (edge / name).read_bytes()
    assert b"\r" not in raw  # so that line-end normalisation has nothing to do here
    document = import_text_file(db, path=edge / name)
    expected = raw.decode("utf-8")
    assert stored_text(db, document.id) == expected  # no NFC, no NBSP or U+2028 rewriting
    assert document.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("combining.txt", "Jose\u0301 Martí"),
        ("nbsp-u2028.txt", "Rishi Sunak"),  # after NBSP, U+2028 and U+2029
        ("emoji.txt", "Ana Souza"),  # after a ZWJ sequence with a skin tone
        ("emoji.txt", "budget"),  # after a flag
        ("arabic-rtl.txt", "NATO"),
        ("cjk.txt", "莫斯科"),
    ],
)
def test_a_span_after_awkward_characters_is_exact(db, edge, name, phrase):
    document = import_text_file(db, path=edge / name)
    text = stored_text(db, document.id)
    start = text.index(phrase)
    label = list_labels(db)[0]
    annotator = ensure_annotator(db, name="tester")
    span = add_span(
        db,
        document_id=document.id,
        start=start,
        end=start + len(phrase),
        label_id=label.id,
        annotator_id=annotator.id,
        quote=phrase,
    )
    assert span.quote == phrase
    assert (span.start, span.end) == (start, start + len(phrase))


def test_crlf_file_is_stored_with_lf_and_one_char_per_line_break(db, edge):
    raw = (edge / "crlf.txt").read_bytes()
    assert raw.count(b"\r\n") >= 2
    document = import_text_file(db, path=edge / "crlf.txt")
    text = stored_text(db, document.id)
    assert "\r" not in text
    assert len(text) == len(raw.decode("utf-8")) - raw.count(b"\r\n")
    lines = raw.decode("utf-8").split("\r\n")
    assert text.split("\n") == lines
    # The second line starts right after the first line and one line break.
    assert text.index("On 12 May 2021") == len(lines[0]) + 1
    assert text.index("A third line") == len(lines[0]) + 1 + len(lines[1]) + 1


def test_import_titles_the_document_after_its_first_line(db, edge):
    document = import_text_file(db, path=edge / "crlf.txt")
    assert document.title == "Line one mentions Angela Merkel."


@pytest.mark.parametrize(
    ("name", "expected"), [("utf16-bom.txt", "Olaf Scholz"), ("latin1.txt", "président François")]
)
def test_legacy_and_bom_files_import_as_text(db, edge, name, expected):
    document = import_text_file(db, path=edge / name)
    assert expected in stored_text(db, document.id)


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "binary.bin", "invalid-utf8.txt"])
def test_unusable_files_are_refused_naming_the_file(db, edge, name):
    before = snapshot(db)
    with pytest.raises(ImportRefusedError) as info:
        import_text_file(db, path=edge / name)
    message = str(info.value)
    assert name in message
    assert "\n" not in message
    assert snapshot(db) == before


def test_invalid_utf8_is_refused_with_the_byte_position(edge):
    data = (edge / "invalid-utf8.txt").read_bytes()
    first_bad = next(i for i, byte in enumerate(data) if byte >= 0x80)
    with pytest.raises(ImportRefusedError) as info:
        decode_text(data, name="invalid-utf8.txt")
    assert re.search(rf"\b{first_bad}\b", str(info.value)), str(info.value)
    assert "UTF-8" in str(info.value)


def test_a_missing_file_is_refused_naming_it(db, tmp_path):
    missing = tmp_path / "gone.txt"
    with pytest.raises(ImportRefusedError, match=r"gone\.txt"):
        import_text_file(db, path=missing)


def test_a_file_of_only_whitespace_is_refused(db, tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \r\n\t\n")
    before = snapshot(db)
    with pytest.raises(ImportRefusedError, match=r"blank\.txt"):
        import_text_file(db, path=blank)
    assert snapshot(db) == before


def test_importing_the_same_file_twice_keeps_one_document(db, edge):
    first = import_text_file(db, path=edge / "emoji.txt")
    before = snapshot(db)
    with pytest.raises(DuplicateDocumentError) as info:
        import_text_file(db, path=edge / "emoji.txt")
    assert info.value.existing_id == first.id
    assert snapshot(db) == before
    assert sum(1 for d in list_documents(db) if d.title == first.title) == 1


def test_the_same_text_with_other_line_ends_is_a_duplicate(db, edge, tmp_path):
    """CRLF and LF copies of an article are the same text once stored."""
    first = import_text_file(db, path=edge / "crlf.txt")
    lf_copy = tmp_path / "lf.txt"
    lf_copy.write_bytes((edge / "crlf.txt").read_bytes().replace(b"\r\n", b"\n"))
    with pytest.raises(DuplicateDocumentError) as info:
        import_text_file(db, path=lf_copy)
    assert info.value.existing_id == first.id


def test_a_refused_file_leaves_existing_documents_and_spans_alone(db, edge):
    document = import_text_file(db, path=edge / "combining.txt")
    text = stored_text(db, document.id)
    start = text.index("Zoe\u0308")
    add_span(
        db,
        document_id=document.id,
        start=start,
        end=start + 4,
        label_id=list_labels(db)[0].id,
        annotator_id=ensure_annotator(db, name="tester").id,
    )
    before = snapshot(db)
    for name in ("empty.txt", "binary.bin", "invalid-utf8.txt"):
        with pytest.raises(ImportRefusedError):
            import_text_file(db, path=edge / name)
    assert snapshot(db) == before
    assert stored_text(db, document.id) == text
