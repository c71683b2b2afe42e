"""The one place where code-point offsets and Qt's UTF-16 positions are converted.

Stored offsets count Unicode code points; QTextDocument positions count UTF-16 code units, so
every character above U+FFFF (most emoji, flags, some CJK) is two positions in Qt. QPlainTextEdit
keeps every other character at exactly one position, block separators included (measured:
U+2029 becomes a block break of width one, U+2028 and NUL stay single characters). Text is never
read back from a widget: `toPlainText()` rewrites U+2028 and no-break spaces.
"""

from __future__ import annotations

from bisect import bisect_left

import regex

_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")


class Utf16Index:
    """Converts offsets for one text in O(log n), after an O(n) scan for astral characters."""

    __slots__ = ("_astral", "_astral_u16", "length", "length_u16")

    def __init__(self, text: str) -> None:
        # An ASCII text (most news in English) has none, and says so without a scan.
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length_u16 = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """The Qt position of a code-point offset."""
        return offset + bisect_left(self._astral, offset)

    def to_code_point(self, position: int) -> int:
        """The code-point offset of a Qt position; inside a surrogate pair, the pair's start."""
        return position - bisect_left(self._astral_u16, position)

    def to_code_point_ceil(self, position: int) -> int:
        """Like `to_code_point`, but inside a surrogate pair, the offset after the pair."""
        offset = self.to_code_point(position)
        return offset + 1 if self.to_utf16(offset) < position else offset
