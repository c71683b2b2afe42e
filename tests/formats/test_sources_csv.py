"""CSV and TSV: one document per row, encodings and delimiters as spreadsheets write them."""

from __future__ import annotations

import pytest
from source_helpers import documents, only_document, only_refusal, refusals

from annotator.formats.sources import SourceOptions, read_source


def read(name, data, **options):
    return list(read_source(name, data, options=SourceOptions(**options)))


def test_doccano_utf16_csv_with_bom_and_crlf(peers):
    path = peers / "doccano/data_import/tests/data/example.utf16.csv"
    data = path.read_bytes()
    assert data.startswith(b"\xff\xfe")
    assert b"\r\x00\n\x00" in data
    items = read(path.name, data)
    assert [(d.origin, d.text, d.meta.title) for d in documents(items)] == [
        ("example.utf16.csv:row 2", "AAA", "AAA"),
        ("example.utf16.csv:row 3", "BBB", "BBB"),
        ("example.utf16.csv:row 4", "CCC", "CCC"),
    ]
    assert not refusals(items)


LABEL_STUDIO_CSV = "label-studio/label-studio-sdk/tests/custom/converter/data/test_export_csv"


def test_a_tab_separated_csv_without_a_text_column_is_refused_naming_its_columns(peers):
    path = peers / LABEL_STUDIO_CSV / "csv_test2_result.csv"
    refusal = only_refusal(read(path.name, path.read_bytes()))
    assert refusal.origin == "csv_test2_result.csv"
    # The tab was found as the delimiter: the columns are listed one by one.
    assert "'_row_id', 'agreement', 'alternative_titles'" in refusal.reason
    assert "text" in refusal.reason


def test_the_text_column_option_picks_a_column(peers):
    path = peers / LABEL_STUDIO_CSV / "csv_test2_result.csv"
    document = only_document(
        read(path.name, path.read_bytes(), text_column="title", metadata_columns={"uri": "url"})
    )
    assert document.text == "TAN BAI"
    assert document.meta.url == "rawWork:spotify:publisher:WCPWW008648058000"
    assert document.origin == "csv_test2_result.csv:row 2"


def test_text_and_metadata_columns_are_guessed_by_name():
    data = (
        b"Headline,Body,Outlet,Date,Tags,Lang\n"
        b'Summit,"Biden met Putin.\nThey talked.",The Planet,2021-06-16,"summit; us",en\n'
    )
    document = only_document(read("news.csv", data))
    assert document.text == "Biden met Putin.\nThey talked."
    assert document.meta.title == "Summit"
    assert document.meta.source == "The Planet"
    assert document.meta.published == "2021-06-16"
    assert document.meta.language == "en"
    assert document.tags == ("summit", "us")


def test_explicit_metadata_columns_replace_the_guess():
    data = b"text,title,writer\nBody.,Guessed title,Ana Souza\n"
    document = only_document(read("a.csv", data, metadata_columns={"writer": "author"}))
    assert document.meta.author == "Ana Souza"
    assert document.meta.title == "Body."  # "title" was not mapped, so the first line is used


def test_a_mapped_column_that_is_missing_is_refused():
    refusal = only_refusal(read("a.csv", b"text\nBody.\n", metadata_columns={"Writer": "author"}))
    assert '"Writer"' in refusal.reason
    assert "'text'" in refusal.reason


def test_an_unknown_metadata_field_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown fields"):
        SourceOptions(metadata_columns={"writer": "byline"})


def test_a_semicolon_csv_in_windows_1252_from_excel():
    data = "Titre;Texte\nSommet;Le président a déclaré « oui ».\n".encode("cp1252")
    document = only_document(
        read("export.csv", data, text_column="Texte", metadata_columns={"Titre": "title"})
    )
    assert document.text == "Le président a déclaré « oui »."
    assert document.meta.title == "Sommet"


def test_tsv_is_split_on_tabs_even_when_cells_contain_commas():
    data = b"title\ttext\nA, B and C\tOne, two, three.\n"
    document = only_document(read("a.tsv", data))
    assert (document.meta.title, document.text) == ("A, B and C", "One, two, three.")


def test_empty_text_cells_are_refused_by_row_and_empty_rows_skipped():
    data = b"title,text\nA,First.\n\nB,\n,,\nC,Third.\nD\n"
    items = read("a.csv", data)
    assert [(d.origin, d.text) for d in documents(items)] == [
        ("a.csv:row 2", "First."),
        ("a.csv:row 6", "Third."),
    ]
    reasons = {r.origin: r.reason for r in refusals(items)}
    assert list(reasons) == ["a.csv:row 4", "a.csv:row 7"]
    assert "empty" in reasons["a.csv:row 4"]
    assert "no text cell" in reasons["a.csv:row 7"]


def test_a_row_with_more_cells_than_the_header_is_refused_not_cut_short():
    data = b'text\nBiden met Putin, officials said.\n"Quoted, so whole."\nTrailing empty,,\n'
    items = read("a.csv", data)
    # Empty cells past the header (a trailing delimiter) lose nothing and are accepted.
    assert [d.text for d in documents(items)] == ["Quoted, so whole.", "Trailing empty"]
    [refusal] = refusals(items)
    assert refusal.origin == "a.csv:row 2"
    assert "2 cells but the header has 1" in refusal.reason


def test_a_huge_cell_is_read_whole():
    body = "word " * 400_000  # 2 MB, far past the csv module's default 128 KiB field limit
    data = f'title,text\nBig,"{body}"\n'.encode()
    assert only_document(read("big.csv", data)).text == body


def test_text_is_kept_exactly():
    text = '  =SUM(1+1) said "Zoe\u0308"\u00a0\u2028 '
    data = ("text\n" + '"' + text.replace('"', '""') + '"\n').encode()
    assert only_document(read("a.csv", data)).text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \r\n", "no text"),
        (b"\x00\x01binary", "not a text file"),
        (b"title,summary\nA,B\n", "no text column"),
    ],
)
def test_whole_file_problems_are_one_refusal(data, reason):
    refusal = only_refusal(read("a.csv", data))
    assert refusal.origin == "a.csv"
    assert reason in refusal.reason


def test_a_missing_text_column_option_is_refused_naming_the_columns():
    refusal = only_refusal(read("a.csv", b"Headline,Story\nA,B\n", text_column="text"))
    assert "'Headline', 'Story'" in refusal.reason
