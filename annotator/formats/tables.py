"""Span tables for spreadsheets: CSV and Excel (XLSX), one row per span. Write only.

The registry's "csv" and "xlsx" entries both point here: `write` picks the format from the
suffix of `out` (`.xlsx` gives a workbook, anything else CSV). These formats cannot be read
back (the registry says `can_read=False`), so there is no `read`; `sniff` always says False.

Columns, in this order:

    document_id, document_title, outlet, published, label, quote, start, end,
    context_before, context_after, annotator, note, attributes,
    span_id, actor, actor_name, links

`start`/`end` are code-point offsets (end exclusive); the contexts are up to 60 code points
of text either side of the span. `attributes` is the span's attribute dict as one JSON object
(empty when there are none). One column per attribute key would need a first pass over all
spans before the header could be written; a single JSON column keeps the writer streaming.
`span_id` is the exporting database's span id, `actor`/`actor_name` the key and name of the
registry actor a mention links to, and `links` the span's outgoing relations, `TYPE: quote
[#span_id]` joined by "; " (`SOURCE: KCNA [#11]; TIME: 20 February [#12]`).

The workbook also has a sheet "relations", one row per relation:

    document_id, relation, source_span_id, source_label, source_quote,
    target_span_id, target_label, target_quote, annotator

(a CSV export is one file, so there the `links` column is what carries the relations).

Spreadsheet formulas: a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR (the OWASP
CSV-injection list, plus their full-width forms) would run as a formula when opened.

- CSV: such a cell gets a leading apostrophe (`'=SUM(1)`); the report counts the cells changed.
- XLSX: cells are typed as strings (inline strings, never formulas) and carry the
  `quotePrefix` style, so Excel shows them as text and keeps them text when edited; the
  value itself is unchanged.

CSV is UTF-8 with a byte-order mark (so Excel detects the encoding), `QUOTE_MINIMAL`, and
CRLF between records as RFC 4180 says; line breaks inside a quoted cell stay as in the text
(LF). XLSX is written row by row by `_xlsx.Workbook` (our own streaming writer); the header row
is frozen and the columns get fixed widths. An XLSX sheet holds at most 1,048,576
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
from annotator.formats import _xlsx
from annotator.formats._xlsx import FORMULA_STARTS

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
    "span_id",
    "actor",
    "actor_name",
    "links",
)
RELATION_COLUMNS = (
    "document_id",
    "relation",
    "source_span_id",
    "source_label",
    "source_quote",
    "target_span_id",
    "target_label",
    "target_quote",
    "annotator",
)
CONTEXT = 60
# The columns of `_rows` that hold text (the others hold ids and offsets).
_TEXT_COLUMNS = tuple(
    i for i, c in enumerate(COLUMNS) if c not in ("document_id", "start", "end", "span_id")
)
_WIDTHS = (12, 40, 20, 12, 12, 50, 8, 8, 40, 40, 14, 30, 30, 10, 16, 24, 40)
_RELATION_WIDTHS = (12, 16, 12, 12, 50, 12, 12, 50, 14)
XLSX_MAX_ROWS = _xlsx.MAX_ROWS
XLSX_MAX_CHARS = _xlsx.MAX_CHARS


def sniff(path: Path) -> bool:
    """Tables are never read back."""
    return False


def is_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def _links(doc: AnnotatedDocument) -> dict[int, str]:
    """Per source span id, its outgoing relations as one cell."""
    quotes = {s.id: s.quote for s in doc.spans}
    cells: dict[int, list[str]] = {}
    for r in doc.relations:
        target = quotes.get(r.target_id)
        if r.source_id in quotes and target is not None:
            quote = target if len(target) <= 40 else target[:37] + "..."
            cells.setdefault(r.source_id, []).append(
                f"{doc.relation_type_name(r)}: {quote} [#{r.target_id}]"
            )
    return {span_id: "; ".join(parts) for span_id, parts in cells.items()}


def _relation_rows(doc: AnnotatedDocument) -> Iterator[list[Any]]:
    spans = {s.id: s for s in doc.spans}
    for r in doc.relations:
        source, target = spans.get(r.source_id), spans.get(r.target_id)
        if source is None or target is None:
            continue
        yield [
            doc.document.id,
            doc.relation_type_name(r),
            source.id,
            doc.label_name(source),
            source.quote,
            target.id,
            doc.label_name(target),
            target.quote,
            doc.annotators[r.annotator_id].name,
        ]


def _rows(doc: AnnotatedDocument) -> Iterator[list[Any]]:
    d = doc.document
    text = d.text
    labels = {i: label.name for i, label in doc.labels.items()}
    annotators = {i: a.name for i, a in doc.annotators.items()}
    actors = doc.actors
    links = _links(doc) if doc.relations else {}
    title, outlet, published = d.meta.title, d.meta.source or "", d.meta.published or ""
    for s in doc.spans:
        start, end = s.start, s.end
        actor = None if s.actor_id is None else actors.get(s.actor_id)
        yield [
            d.id,
            title,
            outlet,
            published,
            labels[s.label_id],
            s.quote,
            start,
            end,
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
            annotators[s.annotator_id],
            s.note or "",
            json.dumps(s.attributes, ensure_ascii=False, sort_keys=True) if s.attributes else "",
            s.id,
            actor.key if actor is not None else "",
            actor.name if actor is not None else "",
            links.get(s.id, "") if links else "",
        ]


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """One row per span: XLSX if `out` ends in .xlsx, else CSV (the registry names the writer of
    each format, so that its choice does not hang on the file name)."""
    if out.suffix.lower() == ".xlsx":
        return write_xlsx(documents, out, progress=progress)
    return write_csv(documents, out, progress=progress)


def write_csv(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """One row per span as CSV (UTF-8 with a byte order mark, for Excel)."""
    report = WriteReport(files=[str(out)])
    neutralised = 0
    # The byte order mark by hand: the "utf-8-sig" codec encodes each write in Python.
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        starts = FORMULA_STARTS
        for doc in documents:
            rows = list(_rows(doc))
            for row in rows:
                for i in _TEXT_COLUMNS:
                    value = row[i]
                    if value.startswith(starts):
                        row[i] = "'" + value
                        neutralised += 1
            writer.writerows(rows)
            report.spans += len(rows)
            report.relations += sum(1 for _ in _relation_rows(doc)) if doc.relations else 0
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


def write_xlsx(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """One row per span on a sheet, and the relations on a second sheet, as an Excel workbook."""
    report = WriteReport(files=[str(out)])
    with _xlsx.Workbook(out) as book:
        sheets = 1
        spans = book.sheet("spans", COLUMNS, _WIDTHS)
        links = book.sheet("relations", RELATION_COLUMNS, _RELATION_WIDTHS)
        for doc in documents:
            for row in _rows(doc):
                if spans.rows >= XLSX_MAX_ROWS:
                    sheets += 1
                    spans = book.sheet(f"spans {sheets}", COLUMNS, _WIDTHS)
                spans.append(row)
                report.spans += 1
            for row in _relation_rows(doc):
                if links.rows < XLSX_MAX_ROWS:
                    links.append(row)
                report.relations += 1
            report.documents += 1
            if progress is not None:
                progress(report.documents)
    cleaned, cut = book.cleaned, book.cut
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
    if report.relations >= XLSX_MAX_ROWS:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{report.relations - XLSX_MAX_ROWS + 1} relations did not fit on the relations "
                "sheet (the links column of each span still names them)",
            )
        )
    return report
