"""Word documents (.docx): the body's paragraphs and tables in order, with core properties.

Each non-empty paragraph is one paragraph of the text; paragraphs are separated by a blank line.
A table is one block: a line per row, cells separated by tabs (a merged cell once; line breaks
inside a cell become spaces, so that a row stays one line). Text in content controls and in
tracked insertions is included, tracked deletions are not. Headers, footers, comments and
footnotes are left out: they are page furniture, not the article.

Title: the core properties' title, else the first paragraph. Author and publication date: the
core properties' author and created timestamp, unless they are a generator's placeholders
("Windows User", python-docx's template date).

The package is checked before python-docx opens it: a file that is not a ZIP, lacks
`word/document.xml`, or would inflate past a limit (a "zip bomb") is refused without being
unpacked. python-docx parses XML without resolving entities, so entity expansion cannot blow up.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn

from annotator.domain.model import DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources._common import (
    Item,
    clean_title,
    clean_value,
    collapse_spaces,
    describe_error,
    first_line_title,
    iso_datetime,
)

# A real article's .docx inflates to a few MB (images included); Word's own limit on a part is
# far above what an article needs. A package inflating past this, or at a ratio no XML or image
# reaches, is refused unread.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
_MAX_MEMBERS = 10_000

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN, _SOFT_HYPHEN = qn("w:noBreakHyphen"), qn("w:softHyphen")
_SPECIAL_RUN_CONTENT = {
    _TAB: "\t",
    _BR: "\n",
    _CR: "\n",
    _NO_BREAK_HYPHEN: "\u2011",
    _SOFT_HYPHEN: "\u00ad",
}
# Text inside these is not shown as the document's text: tracked deletions and moves away,
# field instructions, tab stop definitions (w:tabs holds w:tab elements that are no tabs).
_HIDDEN = frozenset(qn(tag) for tag in ("w:del", "w:moveFrom", "w:instrText", "w:tabs", "w:pPr"))

# Values that generators write when nobody set them: no author and no date of the article.
_PLACEHOLDER_AUTHORS = frozenset(
    {"python-docx", "author", "unknown", "anonymous", "microsoft office user", "windows user"}
)
# The creation time inside python-docx's default template.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def read_docx(name: str, data: bytes) -> Iterator[Item]:
    """One document: the body's paragraphs and tables; see the module documentation."""
    problem = _package_problem(data)
    if problem is not None:
        yield Refusal(origin=name, reason=problem)
        return
    try:
        document = docx.Document(BytesIO(data))
        blocks = list(_blocks(document.element.body))
        properties = document.core_properties
        title = clean_title(properties.title)
        author = clean_value(properties.author)
        if author is not None and author.casefold() in _PLACEHOLDER_AUTHORS:
            author = None
        created = properties.created
        published = None if created in (None, _TEMPLATE_CREATED) else iso_datetime(created)
    except Exception as exc:  # a damaged package can fail anywhere inside python-docx or lxml
        yield Refusal(
            origin=name,
            reason=f"not a readable Word document ({describe_error(exc)})",
        )
        return
    text = "\n\n".join(blocks)
    if not text.strip():
        yield Refusal(origin=name, reason="the Word document holds no text")
        return
    meta = DocumentMeta(title=title or first_line_title(text), author=author, published=published)
    yield SourceDocument(text=text, meta=meta, origin=name)


def _package_problem(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "not a Word document (a .docx is a ZIP package, and this file is not one)"
    if len(members) > _MAX_MEMBERS:
        return f"not a readable Word document (it has {len(members)} parts)"
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        return "not a Word document (the ZIP package has no [Content_Types].xml)"
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * packed + 1024 * 1024:
        return (
            f"the package would unpack to {unpacked:,} bytes from {packed:,} "
            "(a compression bomb, or far larger than an article)"
        )
    return None


def _blocks(container: Any) -> Iterator[str]:
    """Paragraph and table texts in body order, looking inside content controls."""
    for child in container.iterchildren():
        if child.tag == _P:
            text = _paragraph_text(child).strip()
            if text:
                yield text
        elif child.tag == _TBL:
            rows = [_row_text(row) for row in child.iterchildren(_TR)]
            table = "\n".join(row for row in rows if row)
            if table:
                yield table
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text as Word shows it: tracked insertions in, deletions and field codes out.

    (python-docx's `Paragraph.text` leaves out runs inside tracked insertions and content
    controls, which would silently drop words from an article with unaccepted changes.)
    """
    parts: list[str] = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN, _SOFT_HYPHEN):
        if any(ancestor.tag in _HIDDEN for ancestor in element.iterancestors()):
            continue
        if element.tag == _T:
            parts.append(element.text or "")
        else:
            parts.append(_SPECIAL_RUN_CONTENT[element.tag])
    return "".join(parts)


def _row_text(row: Any) -> str:
    cells = []
    for cell in row.iterchildren(_TC):  # a horizontally merged cell is one element
        texts = (_paragraph_text(p) for p in cell.iter(_P))
        cells.append(collapse_spaces(" ".join(texts)))
    return "\t".join(cells) if any(cells) else ""
