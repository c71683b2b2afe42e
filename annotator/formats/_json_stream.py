"""The items of a JSON file whose top level is an array, one at a time (ijson, C backend).

Label Studio exports and W3C annotation files are one JSON document, often an array of tasks or
collections: `json.loads` holds all of it, and the Python objects take about ten times the
file's size. `items(path)` parses the file twice with ijson, which keeps memory flat: first to
the end, so that a broken file is refused whole before any of it is imported (as `json.loads`
would), then item by item. A top level that is not an array is one item.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.formats import _json_safe

_BOM = b"\xef\xbb\xbf"
_EVENT = operator.itemgetter(0)


class JSONFileError(AnnotatorError, ValueError):
    """The file is not JSON; `where` is "path:line", `message` says what is wrong."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def items(path: Path) -> Iterator[Any]:
    """The top-level array's items (or the one top-level value); JSONFileError if not JSON."""
    import ijson

    with path.open("rb") as fh:
        start = len(_BOM) if fh.read(len(_BOM)) == _BOM else 0
        try:
            long_digits = _check_raw(fh, start, path)
            fh.seek(start)
            first = next(ijson.basic_parse(fh))
            fh.seek(start)
            events = ijson.basic_parse(fh, use_float=True)
            if long_digits:
                _check_events(events, path)
            else:
                _check_depth(events, path)
        except (ijson.JSONError, UnicodeDecodeError, StopIteration):
            _raise_precise(path)
            raise  # _raise_precise always raises; this is for the type checker
        fh.seek(start)
        if first[0] == "start_array":
            yield from ijson.items(fh, "item", use_float=True)
        else:
            yield from ijson.items(fh, "", use_float=True)


_CHUNK = 1 << 20


def _check_raw(fh: Any, start: int, path: Path) -> bool:
    """Digit runs and lone surrogate escapes, before ijson sees them (it crashes on the one and
    silently turns the other into "?"). Whether the file has a run of digits long enough to
    be an integer out of range (strings included). Works on the bytes: a chunk is decoded
    (one character a byte) only when it may hold a surrogate escape."""
    fh.seek(start)
    carry = b""
    lines_before = 0  # line breaks before `data`
    long_digits = False
    while True:
        chunk = fh.read(_CHUNK)
        data = carry + chunk
        keep = _json_safe.MAX_DIGITS
        try:
            long_digits = _json_safe.check_digit_runs(data) or long_digits
            if _json_safe.may_hold_surrogate(data):
                keep = max(_json_safe.check_raw(data.decode("latin-1"), final=not chunk), keep)
        except _json_safe.UnsafeJSONError as exc:
            line = lines_before + (exc.line_in(data.decode("latin-1")) or 1)
            raise JSONFileError(f"{path}:{line}", exc.message) from None
        if not chunk:
            return long_digits
        carry = data[-keep:]
        lines_before += data.count(b"\n", 0, len(data) - len(carry))


# How each parser event changes the nesting depth.
_DEPTH_CHANGE = {
    "start_array": 1,
    "start_map": 1,
    "end_array": -1,
    "end_map": -1,
    "map_key": 0,
    "string": 0,
    "number": 0,
    "boolean": 0,
    "null": 0,
}


def _check_depth(events: Any, path: Path) -> None:
    """Walk the whole file's events, nothing kept: depth only (a file without a digit run
    long enough has no integer out of range). The walk runs in C (map, accumulate, max):
    a Python loop over the events took longer than parsing the file."""
    deepest = max(
        itertools.accumulate(map(_DEPTH_CHANGE.__getitem__, map(_EVENT, events))), default=0
    )
    if deepest > _json_safe.MAX_DEPTH:
        raise JSONFileError(
            str(path), f"nested deeper than {_json_safe.MAX_DEPTH} arrays and objects"
        )


def _check_events(events: Any, path: Path) -> None:
    """Walk the whole file's events, nothing kept: depth and integer range."""
    depth = 0
    for event, value in events:
        if event in ("start_array", "start_map"):
            depth += 1
            if depth > _json_safe.MAX_DEPTH:
                raise JSONFileError(
                    str(path), f"nested deeper than {_json_safe.MAX_DEPTH} arrays and objects"
                )
        elif event in ("end_array", "end_map"):
            depth -= 1
        elif event == "number" and isinstance(value, int):
            try:
                _json_safe.check_int(value)
            except _json_safe.UnsafeJSONError as exc:
                raise JSONFileError(str(path), exc.message) from None


def _raise_precise(path: Path) -> None:
    """json's message for a file ijson refused (line and column), read whole: rare."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
        if not content.strip():
            raise JSONFileError(f"{path}:1", "the file is empty")
        _json_safe.loads(content)
    except _json_safe.UnsafeJSONError as exc:
        raise JSONFileError(str(path), exc.message) from None
    except UnicodeDecodeError as exc:
        raise JSONFileError(
            str(path), f"not UTF-8 ({exc.reason} at byte offset {exc.start})"
        ) from exc
    except json.JSONDecodeError as exc:
        raise JSONFileError(
            f"{path}:{exc.lineno}", f"not JSON ({exc.msg} at column {exc.colno})"
        ) from exc
    except JSONFileError:
        raise
    except (ValueError, RecursionError) as exc:
        raise JSONFileError(str(path), f"not JSON ({exc})") from exc
    raise JSONFileError(str(path), "not JSON")
