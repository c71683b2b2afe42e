"""Plain text: the shared edge files decode exactly or are refused with a clear reason."""

from __future__ import annotations

import re

import pytest
from source_helpers import only_document, only_refusal

from annotator.domain.errors import AnnotatorError
from annotator.formats.sources import ImportRefusedError, decode_text, read_source
from annotator.formats.sources.plain import guess_legacy_encoding

UTF8_EDGE_FILES = [
    "emoji.txt",
    "cjk.txt",
    "arabic-rtl.txt",
    "combining.txt",
    "nbsp-u2028.txt",
    "crlf.txt",
    "long-paragraph.txt",
]


def read(name, data):
    return list(read_source(name, data))


@pytest.mark.parametrize("name", UTF8_EDGE_FILES)
def test_utf8_edge_files_are_read_exactly_as_written(edge, name):
    raw = (edge / name).read_bytes()
    document = only_document(read(name, raw))
    # No NFC, no NBSP or U+2028 rewriting, no line-end change (the service does CRLF -> LF).
    assert document.text == raw.decode("utf-8")
    assert document.origin == name


def test_crlf_is_left_for_the_service_to_normalise(edge):
    document = only_document(read("crlf.txt", (edge / "crlf.txt").read_bytes()))
    assert "\r\n" in document.text
    assert document.meta.title == "Line one mentions Angela Merkel."


def test_the_title_is_the_first_non_empty_line():
    data = b"\n  \n  Summit in Geneva  \r\nBody text.\n"
    assert only_document(read("a.txt", data)).meta.title == "Summit in Geneva"


def test_a_long_first_word_is_clipped_without_splitting_an_emoji():
    family = "👩\u200d👩\u200d👧\u200d👦"  # 7 code points, one grapheme cluster
    line = "x" * 76 + family + " and more words"
    title = only_document(read("a.txt", line.encode())).meta.title
    assert len(title) <= 80
    assert title == "x" * 76 + "…"  # the cluster would cross the limit, so it is left out whole


def test_the_title_of_a_one_paragraph_article_is_its_first_sentence():
    data = (
        b"Leaders of the U.S. and Valmora met Dr. Aaltonen in Geneva on Tuesday. Talks on "
        b"trade went on late into the night, officials said, and will resume on Friday.\n"
        b"Second paragraph.\n"
    )
    title = only_document(read("a.txt", data)).meta.title
    assert title == "Leaders of the U.S. and Valmora met Dr. Aaltonen in Geneva on Tuesday."


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis():
    words = "the minister said that talks with officials in Geneva would go on " * 3
    title = only_document(read("a.txt", words.encode())).meta.title
    assert len(title) <= 80 and title.endswith("…")
    assert words.startswith(title.removesuffix("…"))
    assert words[len(title) - 1] == " "  # cut between words, not inside one


def test_latin1_file_decodes_every_accented_letter(edge):
    data = (edge / "latin1.txt").read_bytes()
    document = only_document(read("latin1.txt", data))
    assert "président François" in document.text
    assert document.text == data.decode("latin-1")


def test_utf16_with_bom_decodes_without_the_mark(edge):
    document = only_document(read("utf16-bom.txt", (edge / "utf16-bom.txt").read_bytes()))
    assert document.text.startswith("Olaf Scholz said")
    assert "\ufeff" not in document.text
    assert "\x00" not in document.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("binary.bin", "not a text file"),
    ],
)
def test_unusable_edge_files_are_refused_naming_the_reason(edge, name, reason):
    refusal = only_refusal(read(name, (edge / name).read_bytes()))
    assert refusal.origin == name
    assert reason in refusal.reason


def test_invalid_utf8_is_refused_with_the_byte_position(edge):
    data = (edge / "invalid-utf8.txt").read_bytes()
    first_bad = next(i for i, byte in enumerate(data) if byte >= 0x80)
    refusal = only_refusal(read("invalid-utf8.txt", data))
    assert re.search(rf"\b{first_bad}\b", refusal.reason), refusal.reason
    assert "UTF-8" in refusal.reason


def test_whitespace_only_is_refused():
    refusal = only_refusal(read("blank.txt", b" \r\n\t\n"))
    assert "no text" in refusal.reason


def test_nul_bytes_are_refused_as_not_text():
    refusal = only_refusal(read("notes.txt", b"Looks like text\x00\x00 but is not"))
    assert "not a text file" in refusal.reason


def test_decode_text_raises_a_one_line_error_naming_the_file():
    with pytest.raises(ImportRefusedError) as info:
        decode_text(b"", name="gone.txt")
    assert isinstance(info.value, AnnotatorError)  # the CLI and UI show it without a traceback
    assert str(info.value) == "gone.txt: the file is empty"
    assert info.value.as_refusal().origin == "gone.txt"


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_honoured(bom_encoding):
    text = "Ana Souza said on 3 March 2025 “it will not change” 🇧🇷"
    data = text.encode(bom_encoding)
    if bom_encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_text(data, name="x.txt") == text


# Legacy 8-bit encodings -----------------------------------------------------------------------
# Short texts are where charset-normalizer alone goes wrong (the first one comes back as cp1257,
# "lą ą"; the Russian one as Shift_JIS). Each must come back exactly.

LEGACY_SAMPLES = [
    ("Il est là à Paris « oui »", "cp1252"),
    ("Le garçon a déclaré vendredi que François était là-bas.", "cp1252"),
    ("L’été dernier, le ministre a dit « c’est fini » — 5 €", "cp1252"),
    ("Straße über Köln, sagte Müller am Montag.", "latin-1"),
    ("Größe", "cp1252"),
    ("El niño comió piñas en España, ¿verdad? ¡Sí!", "cp1252"),
    ("Não há ação sem coração — disse João.", "cp1252"),
    ("Zażółć gęślą jaźń, powiedział minister Kowalski w Warszawie.", "cp1250"),
    ("Łódź i Kraków są ważne.", "cp1250"),
    ("Wałęsa powiedział, że", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
    ("Путин сказал", "cp1251"),
    ("Президент России заявил в понедельник, что переговоры продолжатся.", "koi8-r"),
    ("Ο πρωθυπουργός δήλωσε την Τρίτη ότι", "cp1253"),
    ("Cumhurbaşkanı Erdoğan çarşamba günü açıkladı.", "cp1254"),
    ("习近平在北京会见了俄罗斯总统", "gb18030"),
]


@pytest.mark.parametrize(("text", "encoding"), LEGACY_SAMPLES)
def test_legacy_text_decodes_exactly(text, encoding):
    assert decode_text(text.encode(encoding), name="article.txt") == text


def test_a_tie_between_latin_code_pages_goes_to_windows_1252():
    # "là" is "lŕ" in cp1250 and "lą" in cp1257: every Latin code page reads these bytes as
    # letters, so nothing in the text decides, and the most common encoding wins.
    assert guess_legacy_encoding("Il est là".encode("cp1252")) == "cp1252"
    # Windows-1252 quotes (0x93, 0x94) are not Latin-1: the file is cp1252, not ISO-8859-1.
    text = "Er sagte „Nein“ und ging."
    assert decode_text(text.encode("cp1252"), name="a.txt") == text


def test_polish_in_cp1250_is_not_taken_for_windows_1252():
    data = "Wałęsa powiedział, że".encode("cp1250")
    assert data.decode("cp1252") == "Wa³êsa powiedzia³, ¿e"  # what the prior alone would give
    assert guess_legacy_encoding(data) == "cp1250"
