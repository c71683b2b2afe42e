"""Excel workbooks written row by row, for the span table (`tables.py`) and the claims table.

XlsxWriter in constant-memory mode streams each sheet's rows to a temporary file, so memory
stays flat however many rows there are, and it writes twice as fast as openpyxl's write-only
workbook, which this module replaced (a million span rows: 48 s against 86 s, memory flat; see
`benchmarks/export.py`). The tests read every workbook back with openpyxl, a different library.

What Excel cannot hold is made safe here, and counted so that the caller can report it:

- text is always written as a string cell, never as a formula; text that a spreadsheet would
  take for a formula when edited (`FORMULA_STARTS`) also gets Excel's "quote prefix" style, so it
  stays text; the value itself is unchanged;
- control characters Excel does not store (all below U+0020 but TAB, LF and CR) become U+FFFD;
- cells are cut at Excel's 32,767 characters.

Sheets hold at most `MAX_ROWS` rows, header included; callers start another sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError

MAX_ROWS = 1_048_576
MAX_CHARS = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""The OWASP CSV-injection list, plus the full-width forms spreadsheets also accept."""

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Workbook:
    """An .xlsx file being written; `close()` finishes it (a context manager does too)."""

    def __init__(self, out: Path) -> None:
        import xlsxwriter

        self._out = out
        try:  # fail now, before any rows are made, if the file cannot be written
            out.open("wb").close()
        except OSError as exc:
            raise AnnotatorError(f"cannot write {out}: {exc.strerror or exc}") from exc
        self._book = xlsxwriter.Workbook(
            str(out), {"constant_memory": True, "tmpdir": str(out.parent)}
        )
        self._quoted = self._book.add_format({"quote_prefix": True})
        self._bold = self._book.add_format({"bold": True})
        self.cleaned = 0  # cells whose control characters became U+FFFD
        self.cut = 0  # cells cut at MAX_CHARS

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sheet(self, name: str, columns: Sequence[str], widths: Sequence[int]) -> Sheet:
        """A new sheet with a frozen header row of these columns, at these widths."""
        ws = self._book.add_worksheet(name)
        ws.freeze_panes(1, 0)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        sheet = Sheet(self, ws)
        sheet.append(columns, header=True)
        return sheet

    def close(self) -> None:
        from xlsxwriter.exceptions import FileCreateError

        try:
            self._book.close()
        except (FileCreateError, OSError) as exc:
            cause = exc.__cause__ or exc.__context__ or exc
            reason = cause.strerror if isinstance(cause, OSError) else None
            raise AnnotatorError(f"cannot write {self._out}: {reason or cause}") from exc

    def _text(self, value: str) -> str:
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
            self.cleaned += 1
        if len(value) > MAX_CHARS:
            value = value[:MAX_CHARS]
            self.cut += 1
        return value


class Sheet:
    """Rows appended in order; `rows` counts them, header included."""

    def __init__(self, book: Workbook, ws: Any) -> None:
        self._book = book
        self._ws = ws
        self.rows = 0

    def append(self, values: Sequence[Any], *, header: bool = False) -> None:
        if self.rows >= MAX_ROWS:
            raise ValueError("the sheet is full: start another one")
        ws, row = self._ws, self.rows
        for col, value in enumerate(values):
            if value is None or value == "":
                continue  # an empty cell costs nothing
            if isinstance(value, bool):
                ws.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                ws.write_number(row, col, value)
            else:
                text = self._book._text(str(value))
                style = self._book._bold if header else None
                if text.startswith(FORMULA_STARTS):
                    style = self._book._quoted
                ws.write_string(row, col, text, style)
        self.rows += 1
