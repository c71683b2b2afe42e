"""spaCy's DocBin layout, written and read one Doc at a time.

`spacy.tokens.DocBin` holds every Doc of a file in memory, writing and reading: about 8 GB for a
million spans written, 4 GB read. `Writer` and `read_docs` produce and consume the same bytes
(`DocBin.to_bytes()`: a zlib stream of one msgpack map) with flat memory, spooling the parts of
the map to compressed temporary files until their lengths are known (writing) or until the
other parts of the same Doc have been read (reading). spaCy still turns each Doc into its parts
and back (a one-Doc `DocBin`), so what goes into the file is spaCy's choice; the tests compare
files and Docs with spaCy's own `DocBin` field by field.

Reading takes files nobody vouches for. A zlib stream inflates up to about 1,000 times, so the
reader stops at MAX_INFLATED bytes of msgpack, and past BOMB_FLOOR bytes at BOMB_RATIO times the
bytes read so far: DocBin files this app and spaCy write inflate 100 to 300 times (a Doc that is
one token repeated, about 700 times, but in kilobytes); a bomb, 1,000 times all along, is
refused after a second rather than spooled for minutes. It gives msgpack explicit limits on what
one value may hold, and checks that the parts agree (one list item per Doc, as many token rows
as the Doc lengths add up to) before the first Doc is built. What is wrong is raised as
`DocBinError`.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from annotator.domain.errors import AnnotatorError

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

_BINARY = ("tokens", "spaces")
_LISTS = ("cats", "flags", "span_groups", "user_data")
_CHUNK = 1 << 20

MAX_INFLATED = 4 << 30
"""The most msgpack bytes a .spacy file may inflate to (the writer's limit per part)."""
BOMB_FLOOR = 64 << 20
BOMB_RATIO = 600
_MAX_VALUE = 256 << 20  # bytes one msgpack value other than tokens and spaces may take
_MAX_ITEMS = 16_000_000  # items of one msgpack array or map (16 million strings, say)


class DocBinError(AnnotatorError):
    """A .spacy file that is not a DocBin this app can read; the message says why."""


class Writer:
    """Writes what `DocBin.to_bytes()` writes, without holding every document in memory.

    spaCy's `DocBin` keeps each added Doc's token array, spans and user data in lists and packs
    them into one msgpack map at the end (about 8 GB for a million spans). Its layout is a zlib
    stream of one map: `version`, `attrs`, `strings` (sorted), the concatenated `tokens` and
    `spaces` arrays and `lengths` (int32 per Doc) as binary values, and the per-Doc lists
    `cats`, `flags`, `span_groups` and `user_data`. Each Doc is run through a one-Doc `DocBin`
    (so spaCy still decides what goes in), and its parts are appended to compressed spool files
    in a temporary folder beside the output; `finish` writes the map, copying each spool into
    place once its length is known. Only the set of strings (the vocabulary) stays in memory.
    `spacy.tokens.DocBin().from_bytes` reads the result: the tests load every file written
    this way with it.
    """

    _BINARY = _BINARY
    _LISTS = _LISTS
    _BIN_LIMIT = 2**32 - 1  # msgpack's largest binary value

    def __init__(self, folder: Path) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix=".spacy-", dir=folder)
        root = Path(self._dir.name)
        self._spools = {name: _Spool(root / name, is_list=False) for name in self._BINARY}
        self._spools.update((name, _Spool(root / name, is_list=True)) for name in self._LISTS)
        self._lengths: list[int] = []
        self._strings: set[str] = set()
        self._attrs: list[Any] = []  # spaCy attribute ids
        self._version = ""

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        for spool in self._spools.values():
            spool.close()
        self._dir.cleanup()

    def add(self, doc: Doc) -> None:
        import srsly
        from spacy.tokens import DocBin

        one = DocBin(store_user_data=True, docs=[doc])
        self._attrs, self._version = one.attrs, one.version
        tokens, spaces = one.tokens[0], one.spaces[0]
        spools = self._spools
        spools["tokens"].write(tokens.tobytes("C"))
        spools["spaces"].write(spaces.tobytes("C"))
        spools["cats"].item(srsly.msgpack_dumps(one.cats[0]))
        spools["flags"].item(srsly.msgpack_dumps(one.flags[0]))
        spools["span_groups"].item(srsly.msgpack_dumps(one.span_groups[0]))
        spools["user_data"].item(srsly.msgpack_dumps(one.user_data[0]))
        self._lengths.append(len(tokens))
        self._strings |= one.strings

    def finish(self, out: Path) -> None:
        import srsly

        if not self._attrs:  # no documents: the attributes of an empty DocBin
            from spacy.tokens import DocBin

            empty = DocBin(store_user_data=True)
            self._attrs, self._version = empty.attrs, empty.version
        for name in self._BINARY:
            if self._spools[name].size > self._BIN_LIMIT:
                raise AnnotatorError(
                    f"{out.name}: the {name} of these documents take more than 4 GiB, more than "
                    "one .spacy file can hold; export fewer documents per file"
                )
        packer = zlib.compressobj()
        with out.open("wb") as fh:

            def put(data: bytes) -> None:
                fh.write(packer.compress(data))

            small = {
                "version": self._version,
                "attrs": self._attrs,
                "lengths": array("i", self._lengths).tobytes(),
                "strings": sorted(self._strings),
            }
            put(bytes([0x80 | (len(small) + len(self._spools))]))  # fixmap header
            for key, value in small.items():
                put(srsly.msgpack_dumps(key) + srsly.msgpack_dumps(value))
            for name, spool in self._spools.items():
                put(srsly.msgpack_dumps(name))
                if spool.items is None:  # a binary value: bin 32
                    put(b"\xc6" + struct.pack(">I", spool.size))
                else:  # a list of values: array 32
                    put(b"\xdd" + struct.pack(">I", spool.items))
                for chunk in spool.read():
                    put(chunk)
            fh.write(packer.flush())


class _Spool:
    """Bytes appended to a zlib-compressed temporary file, read back in chunks."""

    def __init__(self, path: Path, is_list: bool) -> None:
        self._path = path
        self._fh: BinaryIO | None = path.open("wb")
        self._packer = zlib.compressobj(1)
        self.size = 0
        self.items: int | None = 0 if is_list else None  # None: one binary value

    def write(self, data: bytes) -> None:
        assert self._fh is not None
        self._fh.write(self._packer.compress(data))
        self.size += len(data)

    def item(self, encoded: bytes) -> None:
        assert self.items is not None
        self.write(encoded)
        self.items += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.write(self._packer.flush())
            self._fh.close()
            self._fh = None

    def reader(self) -> _Inflate:
        """The spooled bytes as a file-like object (reading starts from the beginning)."""
        self.close()
        return _Inflate(self._path.open("rb"))

    def read(self, chunk: int = 1 << 20) -> Iterator[bytes]:
        self.close()
        unpacker = zlib.decompressobj()
        with self._path.open("rb") as fh:
            while block := fh.read(chunk):
                while block:  # at most `chunk` bytes out at a time: these compress 50 to 1
                    yield unpacker.decompress(block, chunk)
                    block = unpacker.unconsumed_tail
        yield unpacker.flush()


class _Inflate:
    """The inflated bytes of a zlib stream in a file, as a file-like object for reading."""

    def __init__(self, raw: BinaryIO, *, bounded: bool = False) -> None:
        self._raw = raw
        self._unpacker = zlib.decompressobj()
        self._buffer = bytearray()
        self._eof = False
        self._bounded = bounded  # DocBinError past MAX_INFLATED or a bomb's ratio
        self._inflated = 0
        self._consumed = 0

    def _inflate(self, data: bytes, size: int) -> None:
        out = self._unpacker.decompress(data, size)
        self._consumed += len(data) - len(self._unpacker.unconsumed_tail)
        self._buffer += out
        self._inflated += len(out)
        if not self._bounded or self._inflated <= BOMB_FLOOR:
            return
        if self._inflated > MAX_INFLATED:
            raise DocBinError(
                f"the file inflates to more than {MAX_INFLATED:,} bytes, more than one .spacy "
                "file this app reads may hold; split it into smaller files"
            )
        if self._inflated > BOMB_RATIO * self._consumed:
            raise DocBinError(
                f"{self._consumed:,} bytes of the file inflate to {self._inflated:,}, more "
                f"than {BOMB_RATIO} times as many: a compression bomb, not a DocBin"
            )

    def read(self, n: int = -1) -> bytes:
        """At most `n` bytes (fewer only at the end); n < 0 is refused, it would read all."""
        if n < 0:
            raise ValueError("read() needs a size: the stream may be gigabytes")
        while len(self._buffer) < n and not self._eof:
            data = self._unpacker.unconsumed_tail or self._raw.read(_CHUNK)
            if not data:
                self._buffer += self._unpacker.flush()
                self._eof = True
                break
            self._inflate(data, max(n - len(self._buffer), _CHUNK))
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def exactly(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) != n:
            raise ValueError(f"the data ends {n - len(data)} bytes early")
        return data

    def close(self) -> None:
        self._raw.close()


def read_docs(path: Path, vocab: Vocab) -> Iterator[Doc]:
    """The Docs of a .spacy file, one at a time; DocBinError for a file that is not a DocBin.

    The whole file is read and its parts checked against each other before the first Doc
    comes (its parts are spooled), so a file whose layout is broken fails before anything of
    it is taken. spaCy's own errors while it builds a Doc (a string missing from the table, say)
    are raised as DocBinError naming the Doc, after the Docs before it.
    """
    import numpy
    from spacy.tokens import DocBin

    with tempfile.TemporaryDirectory(prefix=".spacy-read-") as tmp:
        try:
            small, spools = _spool_parts(path, Path(tmp))
        except (DocBinError, OSError):
            raise
        except Exception as exc:  # zlib's and msgpack's errors: the layout is broken
            raise DocBinError(f"not a readable spaCy DocBin file: {reason(exc)}") from None
        attrs, lengths = _checked(small, spools)
        for string in small["strings"]:
            vocab[string]  # as DocBin.get_docs does, once for the whole file
        readers = {key: spools[key].reader() for key in (*_BINARY, *_LISTS) if key in spools}
        tokens, spaces = readers["tokens"], readers["spaces"]
        parts = {key: _unpacker(readers[key]) for key in _LISTS if key in readers}
        defaults: dict[str, Any] = {"flags": {}, "span_groups": b"", "user_data": None}
        try:
            for n, length in enumerate(lengths, start=1):
                one = DocBin(store_user_data=True)
                one.attrs = attrs
                width = len(attrs)
                raw_tokens = tokens.exactly(length * width * 8)
                one.tokens = [numpy.frombuffer(raw_tokens, dtype="uint64").reshape(length, width)]
                one.spaces = [
                    numpy.frombuffer(spaces.exactly(length), dtype=bool).reshape(length, 1)
                ]
                try:
                    for key in _LISTS:
                        value = parts[key].unpack() if key in parts else defaults[key]
                        setattr(one, key, [value])
                    docs = list(one.get_docs(vocab))
                except Exception as exc:  # spaCy's and msgpack's errors alike: a broken Doc
                    raise DocBinError(
                        f"doc {n} is not readable ({reason(exc)}); it and the documents after it "
                        "are not imported"
                    ) from None
                yield from docs
        finally:
            for reader in readers.values():
                reader.close()


def reason(exc: BaseException) -> str:
    """An exception as a short reason: its type if the message says nothing, at most 300
    characters (a KeyError's message is only the key)."""
    text = str(exc) if not isinstance(exc, KeyError) else f"no {exc.args[0]!r}"
    text = text if text.strip() else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _unpacker(file_like: Any) -> Any:
    import srsly

    return srsly.msgpack.Unpacker(
        file_like=file_like,
        raw=False,
        max_buffer_size=_MAX_VALUE,
        max_str_len=_MAX_VALUE,
        max_bin_len=_MAX_VALUE,
        max_array_len=_MAX_ITEMS,
        max_map_len=_MAX_ITEMS,
        max_ext_len=1 << 20,
    )


def _spool_parts(path: Path, root: Path) -> tuple[dict[str, Any], dict[str, _Spool]]:
    """The small parts of the map, and the large ones spooled to compressed files in `root`."""
    import srsly

    small: dict[str, Any] = {}
    spools: dict[str, _Spool] = {}
    try:
        with path.open("rb") as raw:
            stream = _unpacker(_Inflate(raw, bounded=True))
            for _ in range(stream.read_map_header()):
                key = stream.unpack()
                if not isinstance(key, str) or key in small or key in spools:
                    raise ValueError(f"the map key {str(key)[:40]!r} is not a DocBin part")
                if key in _BINARY:
                    spool = spools[key] = _Spool(root / key, is_list=False)
                    rest = _bin_size(stream)
                    while rest:
                        block = stream.read_bytes(min(rest, _CHUNK))
                        if not block:
                            raise ValueError(f"the {key} end early")
                        spool.write(block)
                        rest -= len(block)
                elif key in _LISTS:
                    if "lengths" not in small:  # spaCy and this app write the lengths first
                        raise ValueError(f"the {key} come before the document lengths")
                    docs = len(small["lengths"]) // 4
                    count = stream.read_array_header()
                    if count != docs:
                        raise ValueError(f"{count} {key} for {docs} documents")
                    spool = spools[key] = _Spool(root / key, is_list=True)
                    for _ in range(count):
                        spool.item(srsly.msgpack_dumps(stream.unpack()))
                else:  # version, attrs, lengths, strings: small
                    small[key] = stream.unpack()
                    if key == "lengths" and not isinstance(small[key], bytes):
                        raise ValueError("the document lengths are not binary data")
    finally:
        for spool in spools.values():
            spool.close()
    for needed in ("attrs", "lengths", "strings", "cats", *_BINARY):
        if needed not in small and needed not in spools:
            raise ValueError(f"no {needed!r} in the file")
    return small, spools


def _checked(small: dict[str, Any], spools: dict[str, _Spool]) -> tuple[list[Any], list[int]]:
    """The attributes (spaCy attribute ids) and the Doc lengths, once the parts agree."""
    import numpy

    attrs, strings, raw = small["attrs"], small["strings"], small["lengths"]
    if not isinstance(attrs, list | tuple) or not attrs:
        raise DocBinError("not a readable spaCy DocBin file: no token attributes")
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in attrs):
        raise DocBinError("not a readable spaCy DocBin file: token attributes are not numbers")
    if not isinstance(strings, list | tuple) or not all(isinstance(s, str) for s in strings):
        raise DocBinError("not a readable spaCy DocBin file: the string table is not strings")
    if len(raw) % 4:
        raise DocBinError("not a readable spaCy DocBin file: the document lengths are cut")
    lengths = numpy.frombuffer(raw, dtype="int32").tolist()
    if any(length < 0 for length in lengths):
        raise DocBinError("not a readable spaCy DocBin file: a negative document length")
    count = sum(lengths)
    if spools["tokens"].size != count * len(attrs) * 8 or spools["spaces"].size != count:
        raise DocBinError(
            f"not a readable spaCy DocBin file: the documents have {count:,} tokens, the token "
            f"table holds {spools['tokens'].size:,} bytes and the spaces {spools['spaces'].size:,}"
        )
    return list(attrs), lengths


def _bin_size(stream: Any) -> int:
    """The length of the msgpack binary value that comes next in `stream` (its header read)."""
    kind = stream.read_bytes(1)
    sizes = {b"\xc4": 1, b"\xc5": 2, b"\xc6": 4}
    if kind not in sizes:
        raise ValueError(f"expected binary data, found the msgpack type byte {kind!r}")
    width = sizes[kind]
    return int.from_bytes(stream.read_bytes(width), "big")
