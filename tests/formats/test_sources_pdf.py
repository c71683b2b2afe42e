"""PDF: paragraphs rebuilt from lines, page furniture removed, hyphens and ligatures repaired.

The PDFs are drawn here with reportlab, line by line, so that each test knows exactly where the
lines break. The font is Bitstream Vera (shipped inside reportlab), which has the ﬁ and ﬂ
ligature glyphs; the text layer then holds U+FB01 and U+FB02 as a typesetter's PDF does.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from source_helpers import only_document, only_refusal

from annotator.formats.sources import read_source
from annotator.formats.sources.pdf import join_lines, replace_ligatures

FONT = "Vera"
pdfmetrics.registerFont(TTFont(FONT, str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))

LINE = 14  # points between lines of a paragraph
GAP = 10  # extra points between paragraphs

# Pages of paragraphs of lines, as printed. The second paragraph runs over the page break.
ARTICLE = [
    [
        [
            "The summit in Geneva was described as inter-",
            "national news by observers, who said the \ufb01rst",
            "round of talks went well.",
        ],
        [
            "Kim Jong-un did not attend. The \ufb02oor was left to",
            "the well-known negotiators of both sides, who met",
            "for the whole morning and then, after a short",
        ],
    ],
    [
        ["lunch, for most of the afternoon."],
        ["Observers called it a well-", "known pattern of summit diplomacy."],
    ],
    [["The third page ends the article."]],
]

EXPECTED = (
    "The summit in Geneva was described as international news by observers, who said the "
    "first round of talks went well."
    "\n\nKim Jong-un did not attend. The floor was left to the well-known negotiators of both "
    "sides, who met for the whole morning and then, after a short lunch, for most of the "
    "afternoon."
    "\n\nObservers called it a well-known pattern of summit diplomacy."
    "\n\nThe third page ends the article."
)


def draw(pages, *, header=None, footer=None, indent_paragraphs=False, **info) -> bytes:
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for key, value in info.items():
        getattr(pdf, f"set{key.title()}")(value)
    width, height = A4
    for number, paragraphs in enumerate(pages, start=1):
        if header:
            pdf.setFont(FONT, 9)
            pdf.drawString(72, height - 40, header)
        y = height - 90
        pdf.setFont(FONT, 11)
        for paragraph in paragraphs:
            for index, line in enumerate(paragraph):
                x = 72 + (22 if indent_paragraphs and index == 0 else 0)
                pdf.drawString(x, y, line)
                y -= LINE
            if not indent_paragraphs:
                y -= GAP
        if footer:
            pdf.setFont(FONT, 9)
            pdf.drawCentredString(width / 2, 30, footer.format(n=number, total=len(pages)))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def read(data: bytes, name: str = "report.pdf"):
    return list(read_source(name, data))


@pytest.fixture(scope="module")
def article_pdf() -> bytes:
    return draw(
        ARTICLE,
        header="The Daily Planet \u2014 World news \u2014 16 June 2021",
        footer="Page {n} of {total}",
        title="Geneva summit",
        author="Jane Reporter",
    )


def test_the_text_layer_has_what_the_reader_must_repair(article_pdf):
    # Guard for the tests below: pypdf alone gives headers, page numbers, ligature characters
    # and hyphenated line ends.
    raw = "".join(page.extract_text() for page in PdfReader(BytesIO(article_pdf)).pages)
    assert "\ufb01rst" in raw
    assert "inter-\nnational" in raw
    assert "Page 2 of 3" in raw
    assert raw.count("The Daily Planet") == 3


def test_article_text_is_rebuilt_into_paragraphs(article_pdf):
    document = only_document(read(article_pdf))
    assert document.text == EXPECTED


def test_running_heads_and_page_numbers_are_removed(article_pdf):
    text = only_document(read(article_pdf)).text
    assert "Daily Planet" not in text
    assert "Page" not in text
    assert "after a short lunch" in text  # not "after a short Page 1 of 3 The Daily Planet lunch"


def test_ligatures_become_letters(article_pdf):
    text = only_document(read(article_pdf)).text
    assert "first round" in text
    assert "The floor" in text
    assert not any("\ufb00" <= ch <= "\ufb06" for ch in text)


def test_document_information_gives_title_and_author(article_pdf):
    meta = only_document(read(article_pdf)).meta
    assert meta.title == "Geneva summit"
    assert meta.author == "Jane Reporter"
    assert meta.published is not None
    assert meta.published[:4].isdigit()


def test_placeholder_information_is_ignored():
    # reportlab writes Author "anonymous"; Word exports write titles like "report.docx".
    data = draw([[["A single paragraph of text."]]], title="report.docx")
    meta = only_document(read(data)).meta
    assert meta.author is None
    assert meta.title == "A single paragraph of text."


def test_a_bare_page_number_is_removed_even_on_a_single_page():
    lines = ["Only one page here, and the last line", "of its only paragraph ends with", "2021"]
    data = draw([[lines]], footer="1")
    assert only_document(read(data)).text == (
        "Only one page here, and the last line of its only paragraph ends with 2021"
    )


def test_indented_first_lines_start_paragraphs():
    pages = [
        [
            ["First paragraph opens here and goes on to", "a second line that ends it."],
            ["Second paragraph has the same spacing but", "an indented first line."],
        ]
    ]
    text = only_document(read(draw(pages, indent_paragraphs=True))).text
    assert text.split("\n\n") == [
        "First paragraph opens here and goes on to a second line that ends it.",
        "Second paragraph has the same spacing but an indented first line.",
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["inter-", "national talks"], "international talks"),
        (["Kim Jong-", "un said"], "Kim Jongun said"),  # a split compound: no way to tell
        (["the well-known man; a well-", "known fact"], "the well-known man; a well-known fact"),
        (["anti-", "American protests"], "anti-American protests"),  # capital: a real hyphen
        (["the 1990-", "2000 period"], "the 1990-2000 period"),
        (["co\u00ad", "operation"], "cooperation"),  # a soft hyphen at the line end
        (["Kim Jong-un did not", "attend"], "Kim Jong-un did not attend"),
        (["a dash -", "then more"], "a dash - then more"),
    ],
)
def test_line_ends_are_joined(lines, expected):
    assert join_lines(lines) == expected


def test_every_ligature_is_replaced():
    assert replace_ligatures("\ufb00 \ufb01 \ufb02 \ufb03 \ufb04") == "ff fi fl ffi ffl"


def encrypted(data: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_password_protected_pdf_is_refused(article_pdf):
    refusal = only_refusal(read(encrypted(article_pdf, user_password="secret")))
    assert refusal.origin == "report.pdf"
    assert "password" in refusal.reason


def test_a_pdf_restricted_only_by_an_owner_password_is_read(article_pdf):
    assert only_document(read(encrypted(article_pdf, user_password=""))).text == EXPECTED


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n this is not a PDF at all",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        b"",
        bytes(range(256)) * 4,
    ],
    ids=["header-only", "dangling-references", "empty", "binary"],
)
def test_broken_pdfs_are_refused(data):
    refusal = only_refusal(read(data))
    assert refusal.origin == "report.pdf"


def test_a_truncated_pdf_is_refused(article_pdf):
    only_refusal(read(article_pdf[: len(article_pdf) // 3]))


def test_a_pdf_without_a_text_layer_is_refused():
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(100, 100, 200, 200, fill=1)  # a drawing, as a scan is an image: no text
    pdf.showPage()
    pdf.save()
    refusal = only_refusal(read(buffer.getvalue()))
    assert "no text layer" in refusal.reason
