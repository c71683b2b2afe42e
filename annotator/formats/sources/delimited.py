"""CSV and TSV tables: one document per row.

The first row is the header. The text column is the user's `text_column`, else the first column
named "text", "body", "content" or "article" (case-insensitive); without one the file is refused
with the columns it has, so the user can pick. Metadata columns are the user's
`metadata_columns`, else columns named like the fields (title, source or outlet, url, author,
date or published, language, tags).

The file is decoded like plain text (byte-order mark, UTF-8, legacy encodings; Excel's UTF-16
exports included). The delimiter is the user's, else a tab for `.tsv`, else the one of
`,` `\\t` `;` `|` that splits the header into the most columns. Quoted cells may hold line
breaks and any amount of text.

A row's origin is `name:row N` with N counted as a spreadsheet counts (the header is row 1), so
the user finds it in the program the file came from. A row whose text cell is empty, or that has
more non-empty cells than the header has columns (a delimiter inside an unquoted text, which
would otherwise cut the text short), is a Refusal; a row with no content at all is skipped.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping

from annotator.domain.model import META_FIELDS, DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources._common import (
    META_KEYS,
    TEXT_KEYS,
    Item,
    SourceOptions,
    clean_title,
    clean_value,
    first_line_title,
    iso_date,
    shorten,
    split_tags,
)
from annotator.formats.sources.plain import ImportRefusedError, decode_text

_DELIMITERS = (",", "\t", ";", "|")
_SNIFF_CHARS = 65536
_COLUMNS_SHOWN = 12
# Cells can hold a whole article: lift the csv module's 128 KiB default cell limit.
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def read_delimited(name: str, data: bytes, options: SourceOptions) -> Iterator[Item]:
    """The documents in a CSV or TSV file; see the module documentation."""
    try:
        text = decode_text(data, name=name)
    except ImportRefusedError as exc:
        yield exc.as_refusal()
        return
    if not text.strip():
        yield Refusal(origin=name, reason="the file holds no text (only white space)")
        return
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    delimiter = options.csv_delimiter or (
        "\t" if name.lower().endswith(".tsv") else guess_delimiter(text)
    )
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(rows)]
    except csv.Error as exc:
        yield Refusal(origin=name, reason=f"not a readable table ({exc})")
        return
    columns = _Columns.choose(header, options)
    if isinstance(columns, str):
        yield Refusal(origin=name, reason=columns)
        return
    number = 1
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Refusal(
                origin=f"{name}:row {number}",
                reason=f"not a readable table row ({exc}); the rest of the file from here "
                "cannot be read",
            )
            return
        yield from _row_item(f"{name}:row {number}", row, columns)


class _Columns:
    """Which cell holds the text and which hold metadata fields."""

    def __init__(self, header: list[str], text: int, meta: Mapping[str, int]) -> None:
        self.header = header
        self.text = text
        self.meta = meta

    @classmethod
    def choose(cls, header: list[str], options: SourceOptions) -> _Columns | str:
        """The columns, or the reason (naming the columns found) why there is no text column."""
        found = _column_list(header)
        text = _find_column(header, (options.text_column,) if options.text_column else TEXT_KEYS)
        if text is None:
            wanted = f'"{options.text_column}"' if options.text_column else "text"
            return (
                f"no {wanted} column (columns found: {found}); choose the column that holds "
                "the article text"
            )
        meta: dict[str, int] = {}
        if options.metadata_columns is not None:
            for column, field in options.metadata_columns.items():
                index = _find_column(header, (column,))
                if index is None:
                    return f'no column "{column}" for the {field} (columns found: {found})'
                meta[field] = index
        else:
            for field in META_FIELDS:
                index = _find_column(header, META_KEYS[field])
                if index is not None and index != text:
                    meta[field] = index
        return cls(header, text, meta)


def _row_item(origin: str, row: list[str], columns: _Columns) -> Iterator[Item]:
    if not any(cell.strip() for cell in row):
        return  # an empty line or a row of empty cells: nothing to import, nothing to report
    if columns.text >= len(row):
        yield Refusal(
            origin=origin,
            reason=f"the row has {len(row)} cells and no text cell (the text is in column "
            f"{columns.text + 1}, {shorten(columns.header[columns.text])!r})",
        )
        return
    extra = row[len(columns.header) :]
    if any(cell.strip() for cell in extra):
        # Cells past the header's columns: most often a delimiter inside an unquoted text.
        # Reading on would cut the text at that delimiter without a word.
        yield Refusal(
            origin=origin,
            reason=f"the row has {len(row)} cells but the header has {len(columns.header)} "
            "(is a delimiter inside an unquoted cell?)",
        )
        return
    text = row[columns.text]
    if not text.strip():
        yield Refusal(
            origin=origin,
            reason=f"the text cell (column {shorten(columns.header[columns.text])!r}) is empty",
        )
        return

    def cell(field: str) -> str | None:
        index = columns.meta.get(field)
        return row[index] if index is not None and index < len(row) else None

    meta = DocumentMeta(
        title=clean_title(cell("title")) or first_line_title(text),
        source=clean_value(cell("source")),
        url=clean_value(cell("url")),
        author=clean_value(cell("author")),
        published=iso_date(cell("published")),
        language=clean_value(cell("language")),
    )
    yield SourceDocument(text=text, meta=meta, origin=origin, tags=split_tags(cell("tags") or ""))


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns (comma on a tie)."""
    sample = text[:_SNIFF_CHARS]
    best, best_count = ",", 1
    for delimiter in _DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(header) > best_count:
            best, best_count = delimiter, len(header)
    return best


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [column.casefold() for column in header]
    for wanted in names:
        if wanted in header:
            return header.index(wanted)
        if wanted.casefold() in lowered:
            return lowered.index(wanted.casefold())
    return None


def _column_list(header: list[str]) -> str:
    shown = [repr(shorten(column)) for column in header[:_COLUMNS_SHOWN]]
    if len(header) > _COLUMNS_SHOWN:
        shown.append(f"and {len(header) - _COLUMNS_SHOWN} more")
    return ", ".join(shown) or "none"


def table_columns(name: str, data: bytes) -> list[str]:
    """The header of a CSV or TSV file, for letting the user choose the text column.

    Reads only the start of `data`; returns [] when it is no readable table.
    """
    head = data[:65536]
    try:
        text = decode_text(head, name=name)
    except ImportRefusedError:
        return []
    delimiter = "\t" if name.lower().endswith(".tsv") else guess_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []
    return [cell.strip() for cell in header]
