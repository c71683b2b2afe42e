"""Span tables for spreadsheets: CSV and Excel (XLSX), one row per span. Write only.

The registry's "csv" and "xlsx" entries both point here: `write` picks the format from the
suffix of `out` (`.xlsx` gives a workbook, anything else CSV). These formats cannot be read
back (the registry says `can_read=False`), so there is no `read`; `sniff` always says False.

Columns, in this order:

    document_id, document_title, outlet, published, label, quote, start, end,
    context_before, context_after, annotator, note, attributes

`start`/`end` are code-point offsets (end exclusive); the contexts are up to 60 code points
of text either side of the span. `attributes` is the span's attribute dict as one JSON object
(empty when there are none). One column per attribute key would need a first pass over all
spans before the header could be written; a single JSON column keeps the writer streaming.

Spreadsheet formulas: a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR (the OWASP
CSV-injection list, plus their full-width forms) would run as a formula when opened.

- CSV: such a cell gets a leading apostrophe (`'=SUM(1)`); the report counts the cells changed.
- XLSX: cells are typed as strings (inline strings, never formulas) and carry the
  `quotePrefix` style, so Excel shows them as text and keeps them text when edited; the
  value itself is unchanged.

CSV is UTF-8 with a byte-order mark (so Excel detects the encoding), `QUOTE_MINIMAL`, and
CRLF between records as RFC 4180 says; line breaks inside a quoted cell stay as in the text
(LF). XLSX is written with openpyxl's write-only workbook, which streams rows to disk; the
header row is frozen and the columns get fixed widths. An XLSX sheet holds at most 1,048,576
rows, so longer exports continue on further sheets ("spans 2", ...); Excel cells hold at most
32,767 characters and no control characters, so longer values are cut and control
characters become U+FFFD, each counted in the report.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, WriteReport

COLUMNS = (
    "document_id",
    "document_title",
    "outlet",
    "published",
    "label",
    "quote",
    "start",
    "end",
    "context_before",
    "context_after",
    "annotator",
    "note",
    "attributes",
)
CONTEXT = 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_WIDTHS = (12, 40, 20, 12, 12, 50, 8, 8, 40, 40, 14, 30, 30)
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CHARS = 32_767


def sniff(path: Path) -> bool:
    """Tables are never read back."""
    return False


def is_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def _rows(doc: AnnotatedDocument) -> Iterator[list[Any]]:
    d = doc.document
    text = d.text
    labels = {i: label.name for i, label in doc.labels.items()}
    annotators = {i: a.name for i, a in doc.annotators.items()}
    for s in doc.spans:
        yield [
            d.id,
            d.meta.title,
            d.meta.source or "",
            d.meta.published or "",
            labels[s.label_id],
            s.quote,
            s.start,
            s.end,
            text[max(0, s.start - CONTEXT) : s.start],
            text[s.end : s.end + CONTEXT],
            annotators[s.annotator_id],
            s.note or "",
            json.dumps(s.attributes, ensure_ascii=False, sort_keys=True) if s.attributes else "",
        ]


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """One row per span: XLSX if `out` ends in .xlsx, else CSV."""
    if out.suffix.lower() == ".xlsx":
        return _write_xlsx(documents, out, progress)
    return _write_csv(documents, out, progress)


def _write_csv(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    progress: Callable[[int], None] | None,
) -> WriteReport:
    report = WriteReport(files=[str(out)])
    neutralised = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for doc in documents:
            for row in _rows(doc):
                for i, value in enumerate(row):
                    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                        row[i] = "'" + value
                        neutralised += 1
                writer.writerow(row)
                report.spans += 1
            report.documents += 1
            if progress is not None:
                progress(report.documents)
    if neutralised:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{neutralised} cells began with a character that spreadsheets read as a "
                "formula (= + - @ TAB CR); they were written with a leading apostrophe",
            )
        )
    return report


def _write_xlsx(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    progress: Callable[[int], None] | None,
) -> WriteReport:
    # openpyxl has no type stubs (types-openpyxl is not a dependency).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    report = WriteReport(files=[str(out)])
    cleaned = 0
    cut = 0
    wb = Workbook(write_only=True)

    def new_sheet(number: int) -> Any:
        ws = wb.create_sheet("spans" if number == 1 else f"spans {number}")
        ws.freeze_panes = "A2"
        for i, width in enumerate(_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(list(COLUMNS))
        return ws

    sheets = 1
    ws = new_sheet(sheets)
    rows_in_sheet = 1
    for doc in documents:
        for row in _rows(doc):
            if rows_in_sheet >= XLSX_MAX_ROWS:
                sheets += 1
                ws = new_sheet(sheets)
                rows_in_sheet = 1
            cells: list[Any] = []
            for value in row:
                if not isinstance(value, str):
                    cells.append(value)
                    continue
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                    cleaned += 1
                if len(value) > XLSX_MAX_CHARS:
                    value = value[:XLSX_MAX_CHARS]
                    cut += 1
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # never a formula, whatever the first character
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                cells.append(cell)
            ws.append(cells)
            rows_in_sheet += 1
            report.spans += 1
        report.documents += 1
        if progress is not None:
            progress(report.documents)
    wb.save(out)
    if cleaned:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{cleaned} cells held control characters that Excel cannot store; "
                "each was written as U+FFFD",
            )
        )
    if cut:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{cut} cells were longer than Excel's {XLSX_MAX_CHARS} characters and were cut",
            )
        )
    if sheets > 1:
        report.problems.append(
            FormatProblem(
                str(out), f"more spans than one sheet holds: the rows continue on {sheets} sheets"
            )
        )
    return report
