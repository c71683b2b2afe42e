"""Word documents: paragraphs and tables in order, core properties, and damaged files refused."""

from __future__ import annotations

import time
import zipfile
from datetime import datetime
from io import BytesIO

import docx
import pytest
from docx.oxml import parse_xml
from source_helpers import only_document, only_refusal

from annotator.formats.sources import read_source


def build(fill, **properties) -> bytes:
    document = docx.Document()
    for key, value in properties.items():
        setattr(document.core_properties, key, value)
    fill(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def article(document) -> None:
    document.add_heading("Leaders meet in Geneva", level=1)
    document.add_paragraph("On 16 June 2021 Joe Biden met Vladimir Putin in Geneva.")
    document.add_paragraph("")  # spacing paragraphs are not text
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Leader", "Country", "Minutes"], ["Biden", "USA", "93"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Total\nboth"
    table.cell(2, 2).text = "186"
    paragraph = document.add_paragraph("The talks were ")
    paragraph.add_run("constructive").bold = True
    paragraph.add_run(", officials said.")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def tracked_changes_and_controls(document) -> None:
    paragraph = document.add_paragraph("The minister said ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {W} w:id="1" w:author="Ed" w:date="2021-06-16T00:00:00Z">'
            "<w:r><w:t>on Monday</w:t></w:r></w:ins>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="Ed" w:date="2021-06-16T00:00:00Z">'
            "<w:r><w:delText>on Sunday</w:delText></w:r></w:del>"
        )
    )
    paragraph.add_run(" that talks would go on.")
    document.element.body.insert(
        len(document.element.body) - 1,  # before the section properties
        parse_xml(
            f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>Text in a content control.</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )


def read(data: bytes, name: str = "article.docx"):
    return list(read_source(name, data))


def test_paragraphs_and_tables_come_in_document_order():
    document = only_document(read(build(article)))
    assert document.text == (
        "Leaders meet in Geneva"
        "\n\nOn 16 June 2021 Joe Biden met Vladimir Putin in Geneva."
        "\n\nLeader\tCountry\tMinutes\nBiden\tUSA\t93\nTotal both\t186"
        "\n\nThe talks were constructive, officials said."
    )
    assert document.origin == "article.docx"


def test_core_properties_give_title_author_and_date():
    created = datetime(2021, 6, 16, 9, 30)
    meta = only_document(
        read(build(article, title="Geneva summit", author="Jane Reporter", created=created))
    ).meta
    assert meta.title == "Geneva summit"
    assert meta.author == "Jane Reporter"
    assert meta.published is not None
    assert meta.published.startswith("2021-06-16T09:30")


def test_without_a_title_property_the_first_paragraph_is_the_title():
    meta = only_document(read(build(article, title=""))).meta
    assert meta.title == "Leaders meet in Geneva"


def test_tracked_insertions_and_content_controls_are_text_deletions_are_not():
    document = only_document(read(build(tracked_changes_and_controls)))
    assert document.text == (
        "The minister said on Monday that talks would go on.\n\nText in a content control."
    )


def test_generator_placeholders_are_not_author_or_date():
    # python-docx's template says author "python-docx", created 2013-12-23; Word without a
    # configured user name writes "Windows User".
    assert only_document(read(build(article))).meta.author is None
    assert only_document(read(build(article))).meta.published is None
    assert only_document(read(build(article, author="Windows User"))).meta.author is None


def test_a_document_without_text_is_refused():
    refusal = only_refusal(read(build(lambda d: d.add_paragraph("   "))))
    assert refusal.origin == "article.docx"
    assert "no text" in refusal.reason


def test_a_file_that_is_not_a_zip_is_refused():
    refusal = only_refusal(read(b"This is plain text with a .docx name"))
    assert "not a Word document" in refusal.reason


def test_a_truncated_docx_is_refused():
    data = build(article)
    refusal = only_refusal(read(data[: len(data) // 2]))
    assert "Word document" in refusal.reason


def test_a_zip_without_word_content_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "hello")
    refusal = only_refusal(read(buffer.getvalue()))
    assert "not a Word document" in refusal.reason


def test_a_docx_with_broken_xml_is_refused():
    source = zipfile.ZipFile(BytesIO(build(article)))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                content = content[: len(content) // 2]  # cut in the middle of an element
            package.writestr(member, content)
    refusal = only_refusal(read(buffer.getvalue()))
    assert "not a readable Word document" in refusal.reason


def test_a_zip_bomb_is_refused_without_unpacking_it():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b" " * 50_000_000)
    data = buffer.getvalue()
    assert len(data) < 200_000
    started = time.perf_counter()
    refusal = only_refusal(read(data))
    assert time.perf_counter() - started < 1.0
    assert "compression bomb" in refusal.reason


@pytest.mark.parametrize("name", ["Article.DOCX", "folder/article.docx"])
def test_the_extension_is_recognised_in_any_case_and_path(name):
    assert only_document(read(build(article), name)).origin == name
