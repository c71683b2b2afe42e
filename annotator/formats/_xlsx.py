"""Excel workbooks written row by row, for the span table (`tables.py`) and the claims table.

An .xlsx file is a zip of a few XML parts. This module writes them itself: each sheet's rows go
to a temporary file as XML, one string per row, and `close()` puts the parts into the zip. It
replaced XlsxWriter (in constant-memory mode), whose per-cell API took four fifths of an export's
time: a hundred thousand span rows took 7.9 s of CPU with it and 1.8 s here, against 0.8 s to
read and json.dumps the same rows (`benchmarks/export_database.py`). Memory stays flat however
many rows there are. The tests read every workbook back with openpyxl, a different library.

The parts are the ones a spreadsheet needs and no more: the content types, the package and
workbook relations, the workbook, a style sheet with three cell formats (plain, bold for the
header, quote prefix) and the sheets, each with its header row frozen and fixed column widths.
Text is stored as inline strings (`t="inlineStr"`), so there is no shared-strings table to hold
in memory.

What Excel cannot hold is made safe here, and counted so that the caller can report it:

- text is always written as a string cell, never as a formula; text that a spreadsheet would
  take for a formula when edited (`FORMULA_STARTS`) also gets Excel's "quote prefix" style, so it
  stays text; the value itself is unchanged;
- control characters Excel does not store (all below U+0020 but TAB, LF and CR) become U+FFFD;
- cells are cut at Excel's 32,767 characters (counted as Excel does, in UTF-16 units, so a
  character above U+FFFF counts twice and is never split).

Excel's own escapes are written as Excel writes them: CR as `_x000D_` (an XML reader would turn
a bare CR into LF), U+FFFE and U+FFFF as `_xFFFE_` and `_xFFFF_` (XML cannot hold them), and
text that looks like such an escape (`_x0041_`) gets its underscore escaped (`_x005F_x0041_`),
so that Excel shows it as written.

Sheets hold at most `MAX_ROWS` rows, header included; callers start another sheet.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from annotator.domain.errors import AnnotatorError

MAX_ROWS = 1_048_576
MAX_CHARS = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""The OWASP CSV-injection list, plus the full-width forms spreadsheets also accept."""

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Anything in a text cell that needs more than being copied between the tags: the characters
# above, the XML specials, CR and the non-characters, and text that looks like an Excel escape.
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
_ROWS_PER_WRITE = 512  # rows joined into one write to the sheet's file

# Cell formats, by their index in the style sheet's cellXfs.
_PLAIN, _BOLD, _QUOTED = "", ' s="1"', ' s="2"'

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_name(index: int) -> str:
    """A, B, ... Z, AA, ... for the 0-based column `index`."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _width(characters: float) -> float:
    """A column width as Excel stores it: `characters` digits of 7 pixels plus 5 pixels of
    padding, in 1/256 of a digit."""
    pixels = int(characters * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


def _attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _utf16_cut(value: str, limit: int) -> str:
    """`value` cut to at most `limit` UTF-16 units, never inside a character above U+FFFF."""
    units = 0
    for i, char in enumerate(value):
        units += 2 if char > "\uffff" else 1
        if units > limit:
            return value[:i]
    return value


class Workbook:
    """An .xlsx file being written; `close()` finishes it (a context manager does too)."""

    def __init__(self, out: Path) -> None:
        self._out = out
        try:  # fail now, before any rows are made, if the file cannot be written
            out.open("wb").close()
        except OSError as exc:
            raise AnnotatorError(f"cannot write {out}: {exc.strerror or exc}") from exc
        self._sheets: list[Sheet] = []
        self._closed = False
        self.cleaned = 0  # cells whose control characters became U+FFFD
        self.cut = 0  # cells cut at MAX_CHARS

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sheet(self, name: str, columns: Sequence[str], widths: Sequence[int]) -> Sheet:
        """A new sheet with a frozen header row of these columns, at these widths."""
        try:  # beside the output, as large as the sheet: the same disk the user chose
            file = tempfile.TemporaryFile(dir=self._out.parent)  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise AnnotatorError(f"cannot write {self._out}: {exc.strerror or exc}") from exc
        sheet = Sheet(self, name, widths, file, first=not self._sheets)
        self._sheets.append(sheet)
        sheet.append(columns, header=True)
        return sheet

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._write_zip()
        except OSError as exc:
            raise AnnotatorError(f"cannot write {self._out}: {exc.strerror or exc}") from exc
        finally:
            for sheet in self._sheets:
                sheet._file.close()

    def _write_zip(self) -> None:
        sheets = self._sheets
        numbers = range(1, len(sheets) + 1)
        types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for n in numbers
        )
        entries = "".join(
            f'<sheet name="{_attribute(s.name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, s in zip(numbers, sheets, strict=True)
        )
        links = "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in numbers
        )
        styles_id = len(sheets) + 1
        parts = {
            "[Content_Types].xml": (
                f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
                f"{types}</Types>"
            ),
            "_rels/.rels": (
                f'{_XML}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{entries}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{_XML}<Relationships xmlns="{_PACKAGE_REL}">{links}<Relationship '
                f'Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": _STYLES,
        }
        # Level 1: the sheets are long runs of the same tags, which the fastest level already
        # packs to a twelfth; level 6 (zlib's default) took three times as long for a file a
        # quarter smaller (77 MB of sheet XML: 0.19 s to 6.2 MB against 0.57 s to 4.8 MB).
        with zipfile.ZipFile(self._out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, text in parts.items():
                zf.writestr(name, text)
            for n, sheet in zip(numbers, sheets, strict=True):
                sheet._finish()
                size = sheet._file.tell()
                sheet._file.seek(0)
                # The size is known, so ZIP64 (which not every reader takes) only where needed.
                big = size * 1.05 > zipfile.ZIP64_LIMIT
                with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=big) as part:
                    shutil.copyfileobj(sheet._file, part, 1 << 20)

    def _text(self, value: str) -> str:
        """`value` as the content of an inline string: made safe for Excel, then for XML."""
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
            self.cleaned += 1
        if len(value) > MAX_CHARS // 2:
            cut = _utf16_cut(value, MAX_CHARS)
            if len(cut) < len(value):
                value = cut
                self.cut += 1
        if "_x" in value:
            value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)
        if "\r" in value:
            value = value.replace("\r", "_x000D_")
        if "\ufffe" in value or "\uffff" in value:
            value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Sheet:
    """Rows appended in order; `rows` counts them, header included."""

    def __init__(
        self, book: Workbook, name: str, widths: Sequence[int], file: IO[bytes], *, first: bool
    ) -> None:
        self._book = book
        self.name = name
        self._file = file
        self._columns: list[str] = []
        self._pending: list[str] = []
        self.rows = 0
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{_width(w)}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        selected = ' tabSelected="1"' if first else ""
        self._pending.append(
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
            f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
            f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        )

    def append(self, values: Sequence[Any], *, header: bool = False) -> None:
        if self.rows >= MAX_ROWS:
            raise ValueError("the sheet is full: start another one")
        self.rows += 1
        row = str(self.rows)
        columns = self._columns
        while len(columns) < len(values):
            columns.append(_column_name(len(columns)))
        cells = [f'<row r="{row}">']
        add = cells.append
        special, book = _SPECIAL.search, self._book
        plain = _BOLD if header else _PLAIN
        for column, value in zip(columns, values, strict=False):
            kind = type(value)
            if kind is str:
                if not value:
                    continue  # an empty cell costs nothing
                text = value
                if special(text) is not None or len(text) > MAX_CHARS // 2:
                    text = book._text(text)
                style = _QUOTED if value.startswith(FORMULA_STARTS) else plain
                add(
                    f'<c r="{column}{row}"{style} t="inlineStr">'
                    f'<is><t xml:space="preserve">{text}</t></is></c>'
                )
            elif kind is int:
                add(f'<c r="{column}{row}"><v>{value}</v></c>')
            elif value is None:
                continue
            elif kind is bool:
                add(f'<c r="{column}{row}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                number = float(value)
                if math.isnan(number) or math.isinf(number):
                    raise ValueError(f"Excel cannot store the number {number}")
                add(f'<c r="{column}{row}"><v>{number:.16G}</v></c>')
            else:
                self._other(column + row, str(value), plain, add)
        add("</row>")
        pending = self._pending
        pending.append("".join(cells))
        if len(pending) >= _ROWS_PER_WRITE:
            self._flush()

    def _other(self, ref: str, text: str, plain: str, add: Any) -> None:
        if text:
            style = _QUOTED if text.startswith(FORMULA_STARTS) else plain
            text = self._book._text(text)
            add(
                f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )

    def _flush(self) -> None:
        self._file.write("".join(self._pending).encode())
        self._pending.clear()

    def _finish(self) -> None:
        self._pending.append(
            '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>'
        )
        self._flush()
