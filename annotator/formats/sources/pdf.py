"""PDF documents: the text layer as paragraphs, without page furniture.

pypdf gives the text of each page in content order, line by line, with each line's position.
From that:

1. Page furniture goes: a line at the top or bottom edge of a page (the two highest and two
   lowest lines) is removed when the same line, digits aside, sits at an edge of at least half
   the pages (running heads, "Page 3 of 10", dated footers), and so is a bare page number as
   the highest or lowest line ("7", "- 7 -", "Page 7", "7/12") of any page.
2. Lines become paragraphs. A new paragraph starts after a vertical gap clearly larger than the
   page's usual line spacing, at a line indented more than the lines around it, after a short
   line that ends a sentence, and across a page break when the last line ended a sentence.
3. Inside a paragraph, lines are joined with a space, except at a hyphen that ends a line
   before a lower-case letter: "inter-" + "national" is one word again, while a compound that
   the document also writes with its hyphen elsewhere keeps it ("well-" + "known" where
   "well-known" occurs). A hyphen inside a line is never touched ("Kim Jong-un"). A soft hyphen
   at a line end is dropped.
4. Typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) become their letters.

Paragraphs are separated by a blank line. Title, author and creation date come from the PDF's
document information when they are meaningful (not "untitled", "anonymous", or a file name),
else the title is the first line. A PDF with an owner password only (printing or copying
restricted) is read as every viewer reads it; one that needs a password to open is refused.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from annotator.domain.model import DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources._common import (
    Item,
    clean_title,
    clean_value,
    describe_error,
    first_line_title,
    iso_datetime,
)

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",  # long s + t
    "\ufb06": "st",
}
_LIGATURE_TABLE = str.maketrans(LIGATURES)

_EDGE_LINES = 2
_PAGE_NUMBER = re.compile(
    r"[\W_]*(?:(?:page|p\.|seite|página|pagina|страница|стр\.)\s*)?\d{1,4}"
    r"(?:\s*(?:of|/|von|de|di|из|sur)\s*\d{1,4})?[\W_]*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?:;…。！？][\"'”’»)\]]*$")
_HYPHENS = ("-", "\u2010")
_COMPOUND = re.compile(r"\w+[-\u2010]\w+")
_FILE_NAME = re.compile(r".*\.(docx?|pdf|indd|qxd|odt|rtf|txt|tex|dvi|ps)$", re.IGNORECASE)
_PLACEHOLDERS = frozenset({"untitled", "anonymous", "unknown", "unspecified", "none", "title"})


# pypdf logs every oddity of a damaged file; the importer reports the outcome in its own words.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


@dataclass(slots=True)
class _Line:
    text: str
    x: float
    y: float
    size: float
    page: int


def read_pdf(name: str, data: bytes) -> Iterator[Item]:
    """One document: the PDF's text as paragraphs; see the module documentation."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            yield Refusal(origin=name, reason="the PDF is password-protected")
            return
        pages = [_page_lines(page, number) for number, page in enumerate(reader.pages, 1)]
        info = _document_info(reader)
    except Exception as exc:  # damaged files fail anywhere inside pypdf
        reason = _failure_reason(exc)
        yield Refusal(origin=name, reason=reason)
        return
    if not pages:
        yield Refusal(origin=name, reason="the PDF has no pages")
        return
    lines = [line for page in remove_page_furniture(pages) for line in page]
    compounds = known_compounds(line.text for line in lines)
    text = "\n\n".join(
        join_lines([line.text for line in paragraph], compounds) for paragraph in _paragraphs(lines)
    )
    text = replace_ligatures(text)
    if not text.strip():
        yield Refusal(
            origin=name,
            reason="the PDF has no text layer (a scanned image? run text recognition first)",
        )
        return
    title, author, created = info
    meta = DocumentMeta(title=title or first_line_title(text), author=author, published=created)
    yield SourceDocument(text=text, meta=meta, origin=name)


def replace_ligatures(text: str) -> str:
    """Typographic ligature characters replaced by the letters they join."""
    return text.translate(_LIGATURE_TABLE)


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, DependencyError):
        return f"the PDF is encrypted in a way this installation cannot decrypt ({exc})"
    if isinstance(exc, FileNotDecryptedError):
        return "the PDF is password-protected"
    if isinstance(exc, _PageError):
        return f"page {exc.page} of the PDF cannot be read ({describe_error(exc.cause)})"
    return f"not a readable PDF ({describe_error(exc)})"


class _PageError(Exception):
    def __init__(self, page: int, cause: Exception) -> None:
        super().__init__(f"page {page}: {cause}")
        self.page = page
        self.cause = cause


def _page_lines(page: Any, number: int) -> list[_Line]:
    """The page's lines in content order, each with the position of its first text."""
    lines: list[_Line] = []
    current: list[str] = []
    where: list[float] = []

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            x, y, size = where if where else (0.0, 0.0, 0.0)
            lines.append(_Line(_SPACES.sub(" ", text), x, y, size, number))
        current.clear()
        where.clear()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index > 0:
                flush()
            if piece.strip() and not where:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
                where.extend((x, y, abs(size) * (scale or 1.0)))
            current.append(piece)

    try:
        page.extract_text(visitor_text=visit)
    except Exception as exc:  # a damaged content stream fails anywhere inside pypdf
        raise _PageError(number, exc) from exc
    flush()
    return lines


def remove_page_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without running heads, running feet and page numbers (see the module docs)."""
    edges = [_edge_indexes(page) for page in pages]
    counts: Counter[str] = Counter()
    for page, indexes in zip(pages, edges, strict=True):
        counts.update({_signature(page[i].text) for i in indexes})
    needed = max(2, math.ceil(len(pages) / 2))
    repeated = {signature for signature, count in counts.items() if count >= needed}
    cleaned: list[list[_Line]] = []
    for page, indexes in zip(pages, edges, strict=True):
        drop = {i for i in indexes if _signature(page[i].text) in repeated}
        drop |= {i for i in _outermost(page) if _PAGE_NUMBER.fullmatch(page[i].text)}
        cleaned.append([line for i, line in enumerate(page) if i not in drop])
    return cleaned


def _edge_indexes(page: list[_Line]) -> set[int]:
    by_height = sorted(range(len(page)), key=lambda i: page[i].y)
    return set(by_height[:_EDGE_LINES]) | set(by_height[-_EDGE_LINES:])


def _outermost(page: list[_Line]) -> set[int]:
    """The highest and the lowest line: where a page number sits."""
    if not page:
        return set()
    by_height = sorted(range(len(page)), key=lambda i: page[i].y)
    return {by_height[0], by_height[-1]}


def _signature(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub(" ", text).strip().casefold())


def _paragraphs(lines: list[_Line]) -> Iterator[list[_Line]]:
    if not lines:
        return
    spacing = _usual_spacing(lines)
    full_width = _full_line_length(lines)
    paragraph = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if _starts_paragraph(previous, line, spacing, full_width):
            yield paragraph
            paragraph = []
        paragraph.append(line)
    yield paragraph


def _usual_spacing(lines: list[_Line]) -> float | None:
    """The document's usual distance from one line to the next (the median of all gaps)."""
    gaps = [
        previous.y - line.y
        for previous, line in itertools.pairwise(lines)
        if line.page == previous.page and previous.y - line.y > 0
    ]
    return statistics.median(gaps) if gaps else None


def _full_line_length(lines: list[_Line]) -> float:
    """The length of a full line of body text: the 90th percentile of line lengths."""
    lengths = sorted(len(line.text) for line in lines)
    return float(lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))])


def _starts_paragraph(previous: _Line, line: _Line, usual: float | None, full: float) -> bool:
    ends_sentence = bool(_SENTENCE_END.search(previous.text))
    short = len(previous.text) < 0.7 * full
    if line.page != previous.page:
        return ends_sentence
    gap = previous.y - line.y
    if usual is not None and usual * 1.4 < gap < usual * 10:
        return True
    size = max(line.size, previous.size, 1.0)
    if gap > 0 and line.x - previous.x > size and abs(gap - (usual or gap)) < size:
        return True  # a first-line indent
    return ends_sentence and short


def join_lines(texts: list[str], compounds: set[str] | None = None) -> str:
    """One paragraph's lines as one line: hyphenation repaired, otherwise joined by spaces.

    `compounds`: hyphenated words the document writes inside lines (see `known_compounds`);
    a line-end hyphen that would make one of them keeps its hyphen.
    """
    if compounds is None:
        compounds = known_compounds(texts)
    joined = ""
    for text in texts:
        text = text.strip()
        if not joined:
            joined = text
        elif joined.endswith("\u00ad"):
            joined = joined[:-1] + text
        elif joined.endswith(_HYPHENS) and len(joined) > 1 and joined[-2].isalnum() and text:
            if (
                joined[-2].isalpha()
                and text[0].islower()
                and not _is_known_compound(joined, text, compounds)
            ):
                joined = joined[:-1] + text
            else:
                joined += text
        else:
            joined = f"{joined} {text}"
    return joined


def known_compounds(texts: Iterable[str]) -> set[str]:
    """Hyphenated words written inside a line ("well-known", "Jong-un"), case-folded."""
    return {match.group().casefold() for text in texts for match in _COMPOUND.finditer(text)}


def _is_known_compound(before: str, after: str, compounds: set[str]) -> bool:
    head = re.search(r"\w+$", before[:-1])
    tail = re.match(r"\w+", after)
    if head is None or tail is None:
        return False
    return f"{head.group()}-{tail.group()}".casefold() in compounds


def _document_info(reader: PdfReader) -> tuple[str | None, str | None, str | None]:
    info = reader.metadata
    if info is None:
        return None, None, None
    title = _meaningful(info.title)
    if title is not None:
        title = clean_title(replace_ligatures(title.removeprefix("Microsoft Word - ")))
    author = _meaningful(info.author)
    try:
        created = iso_datetime(info.creation_date)
    except (ValueError, TypeError):
        created = None
    return title, clean_value(author), created


def _meaningful(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = value.strip()
    if not cleaned or cleaned.casefold() in _PLACEHOLDERS or _FILE_NAME.fullmatch(cleaned):
        return None
    return cleaned
