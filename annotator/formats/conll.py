"""CoNLL-2003 style BIO (IOB2): one token per line, `token<TAB>tag`.

Layout written (UTF-8, LF):

    -DOCSTART- -X- O O          <- before every document, as in the CoNLL-2003 files
                                <- blank line
    Kim<TAB>B-ACTOR
    Jong-un<TAB>I-ACTOR
    left<TAB>O
    .<TAB>O
                                <- blank line after every sentence

Tokens and sentences come from `annotator.domain.tokens`, so no token holds whitespace. Tags
are IOB2 (every span starts with `B-`). Only ACTOR and DATE spans become tags. The writer reports,
never silently drops:
- every other label once per export, with its count ("not carried"), and likewise the
  relations and actor links, which BIO cannot hold (attributes and notes are not reported:
  the registry entry says BIO loses them);
- each ACTOR/DATE span that does not start and end on token edges;
- each ACTOR/DATE span that nests in or overlaps another one already tagged (the outermost,
  earliest span wins).
A sentence break that would fall inside a tagged span is not written, so spans stay whole.
The `-DOCSTART-` line is the convention readers of CoNLL-2003 data (seqeval users, spaCy's
`conll_ner` converter, Flair) know to skip; its tag column is `O`, so a naive reader that takes
the last column sees an outside token.

Reading is tolerant: tab- or space-separated columns with the token first and the tag last
(CoNLL-2003's four columns, doccano's `token  tag`), spaCy's sentence-per-line `tok|POS|tag`
form, `#` comment lines (CoNLL-U, bconv), IOB2, IOB1 (an `I-` after `O` or after another type
starts a span) and BIOES/BILOU.
Documents are split at `-DOCSTART-` lines; each becomes a document whose text is its tokens
joined by single spaces, sentences joined by newlines, with spans on those offsets. Lines that
cannot be read are reported with file:line and skipped, and so is a line longer than MAX_LINE
bytes (it is never held whole). A file that is not UTF-8 is refused whole, naming the byte
offset and line of the first byte that is not.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Span
from annotator.domain.tokens import sentences, tokenize
from annotator.formats._files import utf8_error

CARRIED = ("ACTOR", "DATE")
DOCSTART = "-DOCSTART- -X- O O"
_TAG = re.compile(r"^(?:O|[BIESLU]-\S+)$")
MAX_LINE = 1 << 20
"""The longest line read, in bytes: a token line (or spaCy's sentence per line) is far shorter,
and a line is held whole while it is read."""
SNIFF_LINE = 1 << 16
MAX_COLUMNS = 100  # CoNLL-U has 10, CoNLL-2012 about 15


# --- writing ------------------------------------------------------------------------------


def _describe(doc: AnnotatedDocument, span: Span) -> str:
    quote = span.quote if len(span.quote) <= 40 else span.quote[:37] + "..."
    return (
        f"document {doc.document.id} ({doc.document.title!r}), span {span.id} "
        f"({doc.label_name(span)} {span.start}-{span.end} {quote!r})"
    )


def _index(edges: list[int], offset: int) -> int | None:
    """Where `offset` is in the sorted `edges`, or None."""
    i = bisect_left(edges, offset)
    return i if i < len(edges) and edges[i] == offset else None


def _document_lines(
    doc: AnnotatedDocument, report: WriteReport, not_carried: Counter[str]
) -> list[str]:
    """The document's lines (without line ends): its tokens with their tags."""
    text = doc.document.text
    tokens = tokenize(text)
    # Tokens are in order and do not overlap: their starts and ends are sorted lists to search
    # (a document has far fewer spans than tokens).
    starts, ends = list(map(itemgetter(0), tokens)), list(map(itemgetter(1), tokens))
    candidates: list[tuple[int, int, Span]] = []  # (first token, last token, span)
    for span in doc.spans:
        label = doc.label_name(span)
        if label not in CARRIED:
            not_carried[label] += 1
            continue
        first, last = _index(starts, span.start), _index(ends, span.end)
        if first is None or last is None:
            report.problems.append(
                FormatProblem(
                    _describe(doc, span),
                    "does not start and end on token edges; left out of the CoNLL file",
                )
            )
            continue
        candidates.append((first, last, span))
    candidates.sort(key=lambda c: (c[0], -c[1], c[2].id))
    tags = ["O"] * len(tokens)
    inside = [False] * len(tokens)  # token continues a tagged span from the token before
    kept_end = -1
    kept: Span | None = None
    for first, last, span in candidates:
        if first <= kept_end and kept is not None:
            how = "nests in" if last <= kept_end else "overlaps"
            report.problems.append(
                FormatProblem(
                    _describe(doc, span),
                    f"{how} span {kept.id} ({doc.label_name(kept)} {kept.start}-{kept.end}); "
                    "BIO cannot hold both, left out",
                )
            )
            continue
        label = doc.label_name(span)
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
            inside[i] = True
        kept_end, kept = last, span
        report.spans += 1
    lines = [DOCSTART, ""]
    index = 0
    for sentence in sentences(text, tokens):
        # A blank line before each sentence but the first, unless a span goes on across it.
        if index and not inside[index]:
            lines.append("")
        for start, end in sentence:
            lines.append(f"{text[start:end]}\t{tags[index]}")
            index += 1
    if index:
        lines.append("")
    return lines


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write the documents to one CoNLL file `out`, ACTOR and DATE spans as IOB2 tags."""
    report = WriteReport()
    not_carried: Counter[str] = Counter()
    relations = 0
    linked = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for doc in documents:
            handle.write("\n".join(_document_lines(doc, report, not_carried)) + "\n")
            relations += len(doc.relations)
            linked += sum(1 for s in doc.spans if s.actor_id is not None)
            report.documents += 1
            if progress is not None:
                progress(report.documents)
    for label, count in sorted(not_carried.items()):
        report.problems.append(
            FormatProblem(
                str(out),
                f"{count} {label} span{'s' if count != 1 else ''} not carried: CoNLL BIO holds "
                f"only {' and '.join(CARRIED)}",
            )
        )
    if relations:
        report.problems.append(
            FormatProblem(str(out), f"{relations} relations not carried: CoNLL BIO has no links")
        )
    if linked:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{linked} actor links not carried: CoNLL BIO has no place for identities",
            )
        )
    report.files.append(str(out))
    return report


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Builder:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])

    def add(self, token: str, tag: str, line: int) -> None:
        self.sentences[-1].append((token, tag, line))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def empty(self) -> bool:
        return not any(self.sentences)


def _parse(line: str) -> list[tuple[str, str]] | None:
    """The (token, tag) pairs of one line, or None if it is not a token line."""
    fields = [f for f in line.split("\t") if f.strip()] if "\t" in line else line.split()
    fields = [f.strip() for f in fields]
    if 2 <= len(fields) <= MAX_COLUMNS and _TAG.match(fields[-1]) and "|" not in fields[-1]:
        return [(fields[0], fields[-1])]
    if fields and all("|" in f for f in fields):  # spaCy's sentence per line: tok|POS|tag
        pairs = []
        for item in fields:
            parts = item.split("|")
            if not _TAG.match(parts[-1]) or not parts[0]:
                return None
            pairs.append((parts[0], parts[-1]))
        return pairs
    return None


def _build(builder: _Builder, path: Path, number: int) -> ImportedDocument:
    pieces: list[str] = []
    spans: list[ImportedSpan] = []
    offset = 0
    current: tuple[str, int, int, int] | None = None  # label, start, end, line

    def close() -> None:
        nonlocal current
        if current is not None:
            label, start, end, line = current
            spans.append(
                ImportedSpan(
                    start=start,
                    end=end,
                    label=label,
                    quote=None,
                    origin=f"{path}:{line}",
                )
            )
            current = None

    sentences_ = [s for s in builder.sentences if s]
    for s_index, sentence in enumerate(sentences_):
        close()
        if s_index:
            pieces.append("\n")
            offset += 1
        for t_index, (token, tag, line) in enumerate(sentence):
            if t_index:
                pieces.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            pieces.append(token)
            offset = end
            prefix, _, label = tag.partition("-")
            if prefix == "O":
                close()
            elif prefix in ("B", "S", "U") or current is None or current[0] != label:
                close()
                current = (label, start, end, line)
            else:  # I, E, L continuing a span of the same label
                current = (label, current[1], end, current[3])
            if prefix in ("S", "U", "E", "L"):
                close()
    close()
    text = "".join(pieces)
    spans = [
        ImportedSpan(s.start, s.end, s.label, text[s.start : s.end], origin=s.origin) for s in spans
    ]
    return ImportedDocument(
        text=text,
        meta=DocumentMeta(title=f"{path.stem} {number}"),
        spans=tuple(spans),
        origin=f"{path}:{builder.line}",
    )


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The documents of a CoNLL/BIO file, and problems for lines that could not be read."""
    # Two passes, so that memory stays flat on a large file and a file that is not UTF-8 is
    # refused whole, as before any document of it is yielded.
    try:
        error = utf8_error(path)
        if error is not None:
            yield FormatProblem(str(path), f"{error}; the file is not imported")
            return
        handle = path.open("rb")
    except OSError as exc:
        yield FormatProblem(str(path), f"cannot read the file: {exc.strerror or exc}")
        return
    with handle:
        yield from _documents(path, _lines(handle))


def _lines(handle: BinaryIO) -> Iterator[str | None]:
    """The file's lines (checked UTF-8, BOM dropped); None for a line longer than MAX_LINE
    bytes, which is skipped without ever being held whole."""
    first = True
    while raw := handle.readline(MAX_LINE + 1):
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while (rest := handle.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw[3:].decode() if first and raw.startswith(codecs.BOM_UTF8) else raw.decode()
        first = False


def _documents(
    path: Path, lines: Iterable[str | None]
) -> Iterator[ImportedDocument | FormatProblem]:
    number = 0
    builder = _Builder(1)
    for line_no, line in enumerate(lines, start=1):
        if line is None:
            yield FormatProblem(
                f"{path}:{line_no}",
                f"a line longer than {MAX_LINE:,} bytes, not a token and its tag; skipped",
            )
            continue
        line = line.rstrip("\n").rstrip("\r")
        if line.startswith("-DOCSTART-"):
            if not builder.empty():
                number += 1
                yield _build(builder, path, number)
            builder = _Builder(line_no)
            continue
        if not line.strip():
            builder.end_sentence()
            continue
        pairs = _parse(line)
        if pairs is None and line.startswith("#"):
            continue  # a comment, as in CoNLL-U and bconv's `# doc_id = ...`
        if pairs is None and (columns := line.count("\t") + 1) > MAX_COLUMNS:
            yield FormatProblem(
                f"{path}:{line_no}",
                f"{columns:,} tab-separated columns, more than any CoNLL layout has; skipped",
            )
            continue
        if pairs is None:
            yield FormatProblem(
                f"{path}:{line_no}",
                f"expected a token and a BIO tag, read {_shown(line)}; skipped",
            )
            continue
        for token, tag in pairs:
            builder.add(token, tag, line_no)
        if len(pairs) > 1:
            builder.end_sentence()
    if not builder.empty():
        number += 1
        yield _build(builder, path, number)


def _shown(line: str) -> str:
    """A line as a problem quotes it: at most 80 characters of it, and how long it is."""
    return repr(line) if len(line) <= 80 else f"{line[:77]!r}... ({len(line):,} characters)"


def sniff(path: Path) -> bool:
    """True if the first token lines of the file read as token + BIO tag."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            seen = 0
            for _ in range(50):
                raw = handle.readline(SNIFF_LINE)
                if not raw:
                    break
                if len(raw) == SNIFF_LINE and not raw.endswith(b"\n"):
                    return False  # no token line is this long
                line = raw.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
                if not line.strip() or line.startswith(("-DOCSTART-", "#")):
                    continue
                if _parse(line) is None:
                    return False
                seen += 1
                if seen >= 3:
                    break
            return seen > 0
    except (OSError, UnicodeDecodeError):
        return False
