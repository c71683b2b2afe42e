"""JSON from files nobody vouches for: limits checked before a parser sees the text.

ijson's C backend crashes on a number of more than 4,300 digits and turns a lone surrogate
escape into "?"; `json.loads` raises ValueError on such numbers and RecursionError on deep
nesting, and hands back strings with lone surrogates that the database cannot store. Every
JSON reader of the format modules goes through here, so a hostile file is refused with a
reason (`UnsafeJSONError`, an AnnotatorError) instead of a traceback or a crash:

- a number of more than MAX_DIGITS digits (for ijson checked on the raw bytes, strings
  included: no text has a run that long, and the check must come before the parser);
- nesting deeper than MAX_DEPTH arrays and objects;
- integers outside the signed 64-bit range (offsets and ids are stored as such);
- a lone surrogate escape (`"\\ud800"`) - a pair (an escaped emoji) is fine;
- bytes that are not UTF-8, named by their byte offset (`decode`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import FormatProblem

MAX_DIGITS = 1000
MAX_DEPTH = 200
INT_LIMIT = 2**63

_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_DIGIT_RUN = b"0" * (MAX_DIGITS + 1)
_LONG_RUN = b"0" * 19  # 2^63 has 19 digits
_SURROGATE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")
# What every match of _SURROGATE contains. Searched first: a pattern that starts with a literal
# is found by a fast scan, where _SURROGATE tries its group at every character (15 times slower
# on a JSONL file of articles with accents escaped).
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_MAYBE_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_BOM = "\ufeff"


class UnsafeJSONError(AnnotatorError):
    """JSON this app refuses to parse; `message` says why (without the place)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position  # the character (or byte) where the problem is, if known

    def line_in(self, text: str) -> int | None:
        """The line of `text` at this error's position (1 for the first), if known."""
        return None if self.position is None else text.count("\n", 0, self.position) + 1


def check_digits(data: bytes) -> None:
    """Refuse a run of more than MAX_DIGITS digits (fast: no regular expression walks it)."""
    at = data.translate(_DIGITS_AS_ZERO).find(_DIGIT_RUN)
    if at != -1:
        raise UnsafeJSONError(f"a number of more than {MAX_DIGITS} digits", at)


def check_digit_runs(data: bytes) -> bool:
    """`check_digits` and `has_long_digits` at once (one pass to find the digits)."""
    zeros = data.translate(_DIGITS_AS_ZERO)
    at = zeros.find(_DIGIT_RUN)
    if at != -1:
        raise UnsafeJSONError(f"a number of more than {MAX_DIGITS} digits", at)
    return zeros.find(_LONG_RUN) != -1


def may_hold_surrogate(data: bytes) -> bool:
    """Whether raw JSON bytes may hold a lone surrogate escape (`check_raw` then says)."""
    return _MAYBE_SURROGATE_BYTES.search(data) is not None


def has_long_digits(data: bytes) -> bool:
    """Whether `data` has a run of digits long enough to be an integer out of range."""
    return data.translate(_DIGITS_AS_ZERO).find(_LONG_RUN) != -1


def check_raw(text: str, *, final: bool = True) -> int:
    """Refuse lone surrogate escapes in raw JSON text (a pair is one character: fine).

    Returns how many characters at the end could still be part of something the next chunk
    completes (0 when `final`); a caller that scans in chunks keeps that many for the next.
    """
    keep = 0 if final else 16
    if _MAYBE_SURROGATE.search(text) is None:
        return keep
    for match in _SURROGATE.finditer(text):
        if len(match.group(1)) % 2 == 0:
            continue  # an escaped backslash followed by "ud800": plain text
        code = int(match.group(2), 16)
        end = match.end()
        if not final and end + 6 > len(text):
            break  # its partner may be in the next chunk
        if code < 0xDC00:
            partner = text[end : end + 6]
            if len(partner) == 6 and partner[:2] in ("\\u", "\\U"):
                try:
                    if 0xDC00 <= int(partner[2:], 16) <= 0xDFFF:
                        continue
                except ValueError:
                    pass
        else:
            at = match.end() - 12  # where the escape of its first half would begin
            before = text[max(0, at) : at + 6]
            if len(before) == 6 and before[:2] in ("\\u", "\\U") and _escapes(text, at):
                try:
                    if 0xD800 <= int(before[2:], 16) <= 0xDBFF:
                        continue
                except ValueError:
                    pass
        raise UnsafeJSONError(
            f"a lone surrogate escape \\u{match.group(2)} "
            "(half of a character, which no text can hold)",
            match.start(),
        )
    return keep


def _escapes(text: str, at: int) -> bool:
    """Whether the backslash at `at` begins an escape: "\\\\ud83d" is a backslash and text."""
    run = 0
    while at - run >= 0 and text[at - run] == "\\":
        run += 1
    return run % 2 == 1


def check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub('""', text)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeJSONError(f"nested deeper than {MAX_DEPTH} arrays and objects")
        else:
            depth -= 1


def check_int(value: int) -> int:
    if not -INT_LIMIT <= value < INT_LIMIT:
        raise UnsafeJSONError(f"the integer {str(value)[:30]}... is out of range (above 2^63)")
    return value


def _parse_int(literal: str) -> int:
    if len(literal) > MAX_DIGITS:
        raise UnsafeJSONError(f"a number of more than {MAX_DIGITS} digits")
    return check_int(int(literal))


def _parse_constant(name: str) -> float:
    raise UnsafeJSONError(f"{name} is not a JSON number")


DECODER = json.JSONDecoder(parse_int=_parse_int, parse_constant=_parse_constant)
"""For `raw_decode`: integers checked, NaN and Infinity refused. Call `check_raw` and
`check_depth` on the text first."""
SHORT_INTEGERS = json.JSONDecoder(parse_constant=_parse_constant)
"""For text without a run of 19 digits (`has_long_digits`), where every integer is in range:
NaN and Infinity refused, integers read by json's own parser. Made once: `json.loads` with any
option makes a decoder per call (a JSON Lines file calls it per line)."""


def loads(text: str) -> Any:
    """`json.loads` with the limits above; json.JSONDecodeError for text that is not JSON."""
    check_raw(text)
    check_depth(text)
    # Without a run of 19 digits every integer is in range (below 10^18): json's own parser
    # then reads them, without a call back to Python for each.
    long_digits = has_long_digits(text.encode("utf-8", "surrogatepass"))
    if text.startswith(_BOM):  # as json.loads refuses it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        return (DECODER if long_digits else SHORT_INTEGERS).decode(text)
    except RecursionError:
        raise UnsafeJSONError(f"nested deeper than {MAX_DEPTH} arrays and objects") from None


def decode(data: bytes, *, offset: int = 0) -> str:
    """UTF-8 bytes as text; UnsafeJSONError naming the byte offset (plus `offset`) if not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeJSONError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {offset + exc.start})"
        ) from None


def read_text(path: Path) -> str:
    """A whole file as text, BOM dropped; UnsafeJSONError with the byte offset if not UTF-8."""
    text = decode(path.read_bytes())
    return text[1:] if text.startswith(_BOM) else text


def lines(path: Path) -> Iterator[tuple[int, str | UnsafeJSONError]]:
    """(line number, text) per line, BOM dropped; the error instead of the text for a line
    that is not UTF-8, so that a reader can report that line and go on."""
    offset = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            start = 3 if number == 1 and raw.startswith(b"\xef\xbb\xbf") else 0
            try:
                yield number, decode(raw[start:], offset=offset + start)
            except UnsafeJSONError as exc:
                yield number, exc
            offset += len(raw)


def records(
    path: Path, numbered: Iterator[tuple[int, str | UnsafeJSONError]]
) -> Iterator[tuple[str, int, Any] | FormatProblem]:
    """Each non-blank line of a JSON Lines file as (origin, line number, value); a line that is
    not JSON, or not safe JSON, as a problem naming it, and the file goes on."""
    for number, line in numbered:
        origin = f"{path}:{number}"
        if isinstance(line, UnsafeJSONError):
            yield FormatProblem(origin, f"{line.message}; the line is not imported")
            continue
        if not line or line.isspace():
            continue
        try:
            value = loads(line)
        except json.JSONDecodeError as exc:
            yield FormatProblem(origin, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        except UnsafeJSONError as exc:
            yield FormatProblem(origin, f"{exc.message}; the line is not imported")
            continue
        yield origin, number, value


def first_line(path: Path, limit: int) -> str | None:
    """The file's first non-blank line (at most `limit` bytes of it), or None if unreadable."""
    try:
        with path.open("rb") as fh:
            while True:
                raw = fh.readline(limit)
                if not raw:
                    return ""
                if raw.strip():
                    break
    except OSError:
        return None
    return raw.decode("utf-8-sig", errors="replace")
