"""Small file helpers shared by the format modules."""

from __future__ import annotations

from pathlib import Path


def read_head(path: Path, size: int) -> str | None:
    """The first `size` characters of a text file (BOM dropped), or None if it is no file."""
    if not path.is_file():
        return None
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            return fh.read(size)
    except OSError:
        return None
