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


def utf8_error(path: Path, *, chunk: int = 1 << 20) -> str | None:
    """Why the file is not UTF-8, naming the first bad byte, its byte offset and its line; None
    if it is. Reads `chunk` bytes at a time: memory stays flat on a file of any size."""
    offset = 0  # the byte offset of `data[0]` in the file
    line = 1
    carry = b""  # the start of a character cut by the chunk's end
    with path.open("rb") as fh:
        while True:
            block = fh.read(chunk)
            data = carry + block
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if block and exc.reason == "unexpected end of data":
                    carry = data[exc.start :]  # complete it with the next chunk
                    line += data.count(b"\n", 0, exc.start)
                    offset += exc.start
                    continue
                line += data.count(b"\n", 0, exc.start)
                return (
                    f"not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset "
                    f"{offset + exc.start}, line {line})"
                )
            if not block:
                return None
            line += data.count(b"\n")
            offset += len(data)
            carry = b""
