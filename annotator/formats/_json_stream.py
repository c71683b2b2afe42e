"""The items of a JSON file whose top level is an array, one at a time (ijson, C backend).

Label Studio exports and W3C annotation files are one JSON document, often an array of tasks or
collections: `json.loads` holds all of it, and the Python objects take about ten times the
file's size. `items(path)` parses the file twice with ijson, which keeps memory flat: first to
the end, so that a broken file is refused whole before any of it is imported (as `json.loads`
would), then item by item. A top level that is not an array is one item.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_BOM = b"\xef\xbb\xbf"


class JSONFileError(ValueError):
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
            fh.seek(start)
            first = next(ijson.parse(fh))
            fh.seek(start)
            for _ in ijson.parse(fh):  # the whole file, events only: nothing is kept
                pass
        except (ijson.JSONError, UnicodeDecodeError, StopIteration):
            _raise_precise(path)
            raise  # _raise_precise always raises; this is for the type checker
        fh.seek(start)
        if first[1] == "start_array":
            yield from ijson.items(fh, "item", use_float=True)
        else:
            yield from ijson.items(fh, "", use_float=True)


def _raise_precise(path: Path) -> None:
    """json's message for a file ijson refused (line and column), read whole: rare."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
        if not content.strip():
            raise JSONFileError(f"{path}:1", "the file is empty")
        json.loads(content)
    except UnicodeDecodeError as exc:
        raise JSONFileError(str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise JSONFileError(
            f"{path}:{exc.lineno}", f"not JSON ({exc.msg} at column {exc.colno})"
        ) from exc
    raise JSONFileError(str(path), "not JSON")
