"""spaCy's DocBin layout, written and read one Doc at a time.

`spacy.tokens.DocBin` holds every Doc of a file in memory, writing and reading: about 8 GB for a
million spans written, 4 GB read. `Writer` and `read_docs` produce and consume the same bytes
(`DocBin.to_bytes()`: a zlib stream of one msgpack map) with flat memory, spooling the parts of
the map to compressed temporary files until their lengths are known (writing) or until the
other parts of the same Doc have been read (reading). Writing packs each Doc's parts as
`DocBin.add` would, from spaCy's own token table (`Doc.to_array`) but without its per-token and
per-span Python objects (see `Writer`); reading turns the parts back into a Doc through a
one-Doc `DocBin`. The tests compare files and Docs with spaCy's own `DocBin` field by field.

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

import shutil
import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from annotator.domain.errors import AnnotatorError

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

_BINARY = ("tokens", "spaces")
_LISTS = ("cats", "flags", "span_groups", "user_data")
_CHUNK = 1 << 20
# zlib level 3 rather than spaCy's 6: on the token table (most of a file) it took 0.22 s where
# 6 took 0.60 s, for a file 16 % larger (100,000 spans: 3.7 MB against 3.2 MB).
_LEVEL = 3

MAX_INFLATED = 4 << 30
"""The most msgpack bytes a .spacy file may inflate to (the writer's limit per part)."""
BOMB_FLOOR = 64 << 20
BOMB_RATIO = 600
_MAX_VALUE = 256 << 20  # bytes one msgpack value other than tokens and spaces may take
_MAX_ITEMS = 16_000_000  # items of one msgpack array or map (16 million strings, say)


class DocBinError(AnnotatorError):
    """A .spacy file that is not a DocBin this app can read; the message says why."""


class SpanEntry(NamedTuple):
    """One span of a Doc's span group: its tokens (`end` exclusive), its characters, its strings."""

    start: int
    end: int
    start_char: int
    end_char: int
    label: str
    kb_id: str
    span_id: str


class Spans(NamedTuple):
    """The spans of a Doc's span group as columns, one item per span: token indices (`end`
    exclusive) and character offsets as numpy int64 arrays, the strings as lists."""

    start: Any
    end: Any
    start_char: Any
    end_char: Any
    label: list[str]
    kb_id: list[str]
    span_id: list[str]

    def entries(self) -> list[SpanEntry]:
        """The spans one by one (for reading and checking; the writer takes the columns)."""
        columns = zip(
            self.start.tolist(),
            self.end.tolist(),
            self.start_char.tolist(),
            self.end_char.tolist(),
            self.label,
            self.kb_id,
            self.span_id,
            strict=True,
        )
        return [SpanEntry._make(row) for row in columns]

    def entry(self, i: int) -> SpanEntry:
        """The span at index `i`."""
        return SpanEntry(
            int(self.start[i]),
            int(self.end[i]),
            int(self.start_char[i]),
            int(self.end_char[i]),
            self.label[i],
            self.kb_id[i],
            self.span_id[i],
        )


class TokenTable(NamedTuple):
    """A Doc's tokens as `DocBin.add` packs them, and where each starts and ends in its text."""

    tokens: Any  # uint64, one row per token, one column per DocBin attribute (`doc_attrs()`)
    spaces: Any  # bool, one per token
    starts: Any  # int64 character offsets; `ends` exclusive, trailing whitespace not included
    ends: Any
    orths: list[int]  # the distinct ORTH hashes of the tokens, and their strings
    orth_strings: list[str]


# The token attributes whose values are string hashes: DocBin keeps their strings (token.text,
# tag_, lemma_, norm_, str(morph), dep_, ent_type_, ent_kb_id_, ent_id_).
_STRING_ATTRS = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
# A msgpack bin 8 header of 40 bytes, then what `SpanGroup.to_bytes` packs for each span with
# struct format ">QQQllll": the hashes of its id, kb_id and label, its tokens and characters.
_SPAN_ROW = [
    ("bin", ">u2"),
    ("span_id", ">u8"),
    ("kb_id", ">u8"),
    ("label", ">u8"),
    ("start", ">i4"),
    ("end", ">i4"),
    ("start_char", ">i4"),
    ("end_char", ">i4"),
]
_BIN40 = 0xC428


@cache
def doc_attrs() -> tuple[Any, ...]:
    """The token attributes DocBin stores (spaCy attribute ids, ORTH first)."""
    from spacy.tokens import DocBin

    return tuple(DocBin(store_user_data=True).attrs)


def token_table(doc: Doc, text: str) -> TokenTable | None:
    """`doc`'s token table, or None if its tokens do not spell `text` exactly.

    The check is `doc.text == text` without `doc.text`, which makes a `Token` object for every
    token (a third of an export's time): the text is put together from the distinct token
    strings, each followed by a space where the token has one, as `Doc.text` does.
    """
    import numpy
    from spacy.attrs import IDX, LENGTH, SPACY  # type: ignore[import-not-found]  # no stub

    attrs = doc_attrs()
    width = len(attrs)
    full = doc.to_array([*attrs, SPACY, IDX, LENGTH]).reshape((-1, width + 3))
    tokens = numpy.ascontiguousarray(full[:, :width])
    spaces = full[:, width].astype(bool)
    starts = full[:, width + 1].astype(numpy.int64)
    ends = starts + full[:, width + 2].astype(numpy.int64)
    orths, inverse = numpy.unique(tokens[:, 0], return_inverse=True)
    strings = doc.vocab.strings
    orth_list = orths.tolist()
    orth_strings = [strings[h] for h in orth_list]
    pieces = numpy.array([*orth_strings, *(s + " " for s in orth_strings)], dtype=object)
    if "".join(pieces[inverse.reshape(-1) + len(orth_list) * spaces].tolist()) != text:
        return None
    return TokenTable(tokens, spaces, starts, ends, orth_list, orth_strings)


class Writer:
    """Writes what `DocBin.to_bytes()` writes, without holding every document in memory.

    spaCy's `DocBin` keeps each added Doc's token array, spans and user data in lists and packs
    them into one msgpack map at the end (about 8 GB for a million spans). Its layout is a zlib
    stream of one map: `version`, `attrs`, `strings` (sorted), the concatenated `tokens` and
    `spaces` arrays and `lengths` (int32 per Doc) as binary values, and the per-Doc lists
    `cats`, `flags`, `span_groups` and `user_data`. Each Doc's parts are appended to compressed
    spool files in a temporary folder beside the output; `finish` writes the map, copying each
    spool's compressed bytes into place once its length is known. Only the set of strings
    (the vocabulary) stays in memory. `spacy.tokens.DocBin().from_bytes` reads the result: the
    tests load every file written this way with it, and compare it field by field with what
    spaCy's own `DocBin` writes for the same Docs.

    `add` takes the parts as `DocBin.add` takes them, but not through spaCy's Python objects:
    the token table is `Doc.to_array` of the DocBin attributes (`token_table`), as there; the
    strings come from the distinct hashes in that table rather than from nine properties of
    every `Token` object; the span group is packed from columns (`Spans`) with numpy rather
    than from `Span` objects, and the entity columns are set in the table as `Doc.set_ents`
    sets them. Those objects, and one msgpack `Packer` per value packed (srsly builds one for
    each call, and each looks up the installed packages' encoders), were more than half of an
    export's time.
    """

    _BINARY = _BINARY
    _LISTS = _LISTS
    _BIN_LIMIT = 2**32 - 1  # msgpack's largest binary value

    def __init__(self, folder: Path) -> None:
        import srsly
        from spacy.attrs import IDS
        from spacy.tokens import DocBin

        self._dir = tempfile.TemporaryDirectory(prefix=".spacy-", dir=folder)
        root = Path(self._dir.name)
        self._spools = {name: _Spool(root / name, False, _LEVEL) for name in self._BINARY}
        self._spools.update((name, _Spool(root / name, True, _LEVEL)) for name in self._LISTS)
        self._lengths: list[int] = []
        self._strings: set[str] = set()
        self._seen: set[int] = set()  # string hashes whose strings are in self._strings
        self._hashes: dict[str, int] = {}  # span strings and their hashes
        self._attrs: list[Any] = list(doc_attrs())
        self._version: str = DocBin().version
        # The string columns other than ORTH, whose strings `token_table` has already.
        self._string_columns = [self._attrs.index(IDS[name]) for name in _STRING_ATTRS[1:]]
        self._ent_columns = [
            self._attrs.index(IDS[name]) for name in ("ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
        ]
        packer = srsly.msgpack.Packer(use_bin_type=True)
        self._pack = packer.pack
        self._array_header = packer.pack_array_header

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        for spool in self._spools.values():
            spool.close()
        self._dir.cleanup()

    def _hashed(self, values: list[str], strings: Any) -> Any:
        """The string hashes of `values` as a uint64 array; each new string is added to
        `strings` (the Doc's vocabulary) and to the file's strings."""
        import numpy

        known = self._hashes
        for value in set(values) - known.keys():
            known[value] = number = strings.add(value)
            self._strings.add(value)
            self._seen.add(number)
        return numpy.array([known[v] for v in values], dtype=numpy.uint64)

    def add(self, doc: Doc, table: TokenTable, group: str, spans: Spans, ents: Any) -> None:
        """Add `doc` with its token table, `spans` as its only span group, named `group`, and
        the spans at the indices `ents` (in token order, none overlapping) as its entities, as
        `doc.spans[group] = ...` and `doc.ents = ...` would set them (`doc.spans` and
        `doc.ents` themselves are not read); its user data and categories are taken from
        `doc`."""
        import numpy

        pack = self._pack
        strings = doc.vocab.strings
        tokens = table.tokens
        span_ids = self._hashed(spans.span_id, strings)
        kb_ids = self._hashed(spans.kb_id, strings)
        labels = self._hashed(spans.label, strings)
        self._set_ents(tokens, spans, ents, (labels, kb_ids, span_ids))
        seen = self._seen
        new = set(table.orths) - seen
        if new:
            self._strings.update(table.orth_strings)
            seen |= new
        others = tokens[:, self._string_columns]
        values = others[others != 0]
        new = set(numpy.unique(values).tolist()) - seen
        if values.size < others.size:  # the empty string, as DocBin.add has it
            new.add(0)
        new -= seen
        self._strings.update(strings[h] for h in new)
        seen |= new
        rows = numpy.empty(len(spans.label), dtype=_SPAN_ROW)
        rows["bin"] = _BIN40
        rows["span_id"], rows["kb_id"], rows["label"] = span_ids, kb_ids, labels
        for name in ("start", "end", "start_char", "end_char"):
            rows[name] = getattr(spans, name)
        # As SpanGroups.to_bytes packs one group, {packed group: [its key]}, the group being
        # {"name": group, "attrs": {}, "spans": [one bin value per span]}.
        packed_group = (
            b"\x83"
            + pack("name")
            + pack(group)
            + pack("attrs")
            + pack({})
            + pack("spans")
            + self._array_header(len(rows))
            + rows.tobytes()
        )
        spools = self._spools
        spools["tokens"].write(tokens.tobytes("C"))
        spools["spaces"].write(table.spaces.tobytes("C"))
        spools["cats"].item(pack(doc.cats))
        spools["flags"].item(pack({"has_unknown_spaces": doc.has_unknown_spaces}))
        spools["span_groups"].item(pack(pack({packed_group: [group]})))
        spools["user_data"].item(pack(pack(doc.user_data)))
        self._lengths.append(len(tokens))

    def _set_ents(self, tokens: Any, spans: Spans, ents: Any, hashes: tuple[Any, ...]) -> None:
        """The entity columns of `tokens` as `Doc.set_ents` leaves them: B (3) on the first
        token of an entity and I (1) on the others, with its label, knowledge-base id and span
        id; every other token O (2) with no entity type."""
        import numpy

        iob, kind, kb_id, ent_id = self._ent_columns
        tokens[:, iob] = 2
        tokens[:, kind] = 0
        if not len(ents):
            return
        starts = spans.start[ents]
        lengths = spans.end[ents] - starts
        # The token indices of all entities, and the entity each belongs to.
        owner = numpy.repeat(numpy.asarray(ents), lengths)
        inside = numpy.arange(int(lengths.sum())) - numpy.repeat(
            lengths.cumsum() - lengths, lengths
        )
        at = spans.start[owner] + inside
        labels, kb_ids, span_ids = hashes
        tokens[at, iob] = 1
        tokens[starts, iob] = 3
        tokens[at, kind] = labels[owner]
        tokens[at, kb_id] = kb_ids[owner]
        ids = span_ids[owner]
        # Doc.set_ents keeps a token's ent_id where the span has no id.
        tokens[at, ent_id] = numpy.where(ids != 0, ids, tokens[at, ent_id])

    def finish(self, out: Path) -> None:
        import srsly

        for name in self._BINARY:
            if self._spools[name].size > self._BIN_LIMIT:
                raise AnnotatorError(
                    f"{out.name}: the {name} of these documents take more than 4 GiB, more than "
                    "one .spacy file can hold; export fewer documents per file"
                )
        # One zlib stream, as zlib.compress gives it, put together from pieces of raw deflate:
        # the small parts and headers compressed here, each spool's blocks copied as they are
        # (a spool ends on a byte boundary, with no final block, and refers back only within
        # itself), so nothing is compressed twice: that took a quarter of an export's time.
        # The checksum of the whole follows from the checksums of the pieces.
        packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        checksum = 1  # Adler-32 of no bytes
        with out.open("wb") as fh:
            fh.write(b"\x78\x5e")  # zlib header: deflate, 32 KiB window, a fast level

            def put(data: bytes) -> None:
                nonlocal checksum
                checksum = zlib.adler32(data, checksum)
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
                # A full flush: what this compressor writes next must not refer back to its
                # earlier input, which the spool's bytes now stand between.
                fh.write(packer.flush(zlib.Z_FULL_FLUSH))
                spool.copy_deflate(fh)
                checksum = _adler32_concat(checksum, spool.checksum, spool.size)
            fh.write(packer.flush(zlib.Z_FINISH))
            fh.write(struct.pack(">I", checksum))


def _adler32_concat(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from the checksum of each.

    Adler-32 is (B << 16) | A modulo 65521, where A is 1 plus the sum of the bytes and B the sum
    of A after each byte. Behind `first` (A1, B1), the second string's A sums start A1 - 1
    higher, for each of its `second_length` bytes: A = A1 + A2 - 1, B = B1 + B2 +
    second_length * (A1 - 1).
    """
    base = 65521
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % base
    b = (b1 + b2 + second_length * (a1 - 1)) % base
    return (b << 16) | a


class _Spool:
    """Bytes appended to a temporary file as raw deflate, read back in chunks, or copied as
    they are into another deflate stream (`copy_deflate`)."""

    def __init__(self, path: Path, is_list: bool, level: int = 1) -> None:
        self._path = path
        self._fh: BinaryIO | None = path.open("wb")
        self._packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.size = 0
        self.checksum = 1  # Adler-32 of the bytes written
        self.items: int | None = 0 if is_list else None  # None: one binary value

    def write(self, data: bytes) -> None:
        assert self._fh is not None
        self._fh.write(self._packer.compress(data))
        self.size += len(data)
        self.checksum = zlib.adler32(data, self.checksum)

    def item(self, encoded: bytes) -> None:
        assert self.items is not None
        self.write(encoded)
        self.items += 1

    def close(self) -> None:
        if self._fh is not None:
            # A sync flush, not a final block: the blocks can be followed by others.
            self._fh.write(self._packer.flush(zlib.Z_SYNC_FLUSH))
            self._fh.close()
            self._fh = None

    def copy_deflate(self, out: BinaryIO) -> None:
        self.close()
        with self._path.open("rb") as fh:
            shutil.copyfileobj(fh, out, _CHUNK)

    def reader(self) -> _Inflate:
        """The spooled bytes as a file-like object (reading starts from the beginning)."""
        self.close()
        return _Inflate(self._path.open("rb"), wbits=-15)

    def read(self, chunk: int = 1 << 20) -> Iterator[bytes]:
        self.close()
        unpacker = zlib.decompressobj(-15)
        with self._path.open("rb") as fh:
            while block := fh.read(chunk):
                while block:  # at most `chunk` bytes out at a time: these compress 50 to 1
                    yield unpacker.decompress(block, chunk)
                    block = unpacker.unconsumed_tail
        yield unpacker.flush()


class _Inflate:
    """The inflated bytes of a zlib stream in a file, as a file-like object for reading."""

    def __init__(
        self, raw: BinaryIO, *, bounded: bool = False, wbits: int = zlib.MAX_WBITS
    ) -> None:
        self._raw = raw
        self._unpacker = zlib.decompressobj(wbits)
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
