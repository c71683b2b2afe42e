"""The app's own JSON Lines format: everything the model holds, offsets in code points.

Layout (UTF-8, LF line ends, one JSON object per line, `ensure_ascii=False`):

    {"format": "annotator", "version": 1, "labels": [...], "annotators": [...]}   # line 1
    {"type": "document", "id": ..., "title": ..., "text": ..., "spans": [...]}    # one a document
    {"type": "label", "name": ..., "colour": ..., ...}                            # see below
    {"type": "annotator", "name": ...}

Streaming: the writer holds one document at a time, so it cannot know every label and annotator
before the first document line. The header is written when the first document arrives and lists
the labels and annotators of that document's `labels`/`annotators` mappings (the exporter hands
every document the whole label table, so normally that is all of them). A later document that
brings a label or annotator not yet written is preceded by a `{"type": "label", ...}` or
`{"type": "annotator", ...}` line, so every name is defined before the first span that uses it.
A file with no documents is just the header with empty lists.

A label is `{name, colour, hotkey, position, style, description}`; a span is `{id, start, end,
label, quote, annotator, created, updated, attributes, note}` with `label` and `annotator` by
name. Documents carry `id, title, source, url, author, published, language, tags, sha256,
created, text, spans`. Ids and timestamps are the exporting database's, for reference only.

Reading: `read(path)` yields the documents (spans with their annotator names, attributes and
notes; tags) and `FormatProblem`s for bad lines. Label definitions are not part of
`ImportedDocument`, so the importer gets them from `read_labels(path)` (dicts with the six label
keys, in file order, the first definition of a name wins) and the annotator names from
`read_annotators(path)`; both scan the file without parsing document lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import Annotator, DocumentMeta, Label
from annotator.formats._files import read_head

FORMAT = "annotator"
VERSION = 1
LABEL_KEYS = ("name", "colour", "hotkey", "position", "style", "description")
_META_KEYS = ("source", "url", "author", "published", "language")
_DOCUMENT_PREFIX = '{"type": "document"'
_SNIFF = re.compile(r'^\s*\{\s*"format"\s*:\s*"annotator"')


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def label_dict(label: Label) -> dict[str, Any]:
    return {
        "name": label.name,
        "colour": label.colour,
        "hotkey": label.hotkey,
        "position": label.position,
        "style": str(label.style),
        "description": label.description,
    }


def _sorted_labels(labels: Mapping[int, Label]) -> list[Label]:
    return sorted(labels.values(), key=lambda label: (label.position, label.name))


def _sorted_annotators(annotators: Mapping[int, Annotator]) -> list[str]:
    return sorted(a.name for a in annotators.values())


class _Writer:
    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.labels: set[str] = set()
        self.annotators: set[str] = set()
        self.started = False

    def header(self, doc: AnnotatedDocument | None) -> None:
        labels = _sorted_labels(doc.labels) if doc is not None else []
        annotators = _sorted_annotators(doc.annotators) if doc is not None else []
        self.labels.update(label.name for label in labels)
        self.annotators.update(annotators)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "labels": [label_dict(label) for label in labels],
            "annotators": annotators,
        }
        self.fh.write(_dumps(header) + "\n")
        self.started = True

    def definitions(self, doc: AnnotatedDocument) -> None:
        """Label and annotator lines for names this document brings that are not written yet."""
        if any(label.name not in self.labels for label in doc.labels.values()):
            for label in _sorted_labels(doc.labels):
                if label.name not in self.labels:
                    self.labels.add(label.name)
                    self.fh.write(_dumps({"type": "label", **label_dict(label)}) + "\n")
        for name in _sorted_annotators(doc.annotators):
            if name not in self.annotators:
                self.annotators.add(name)
                self.fh.write(_dumps({"type": "annotator", "name": name}) + "\n")

    def document(self, doc: AnnotatedDocument) -> int:
        if not self.started:
            self.header(doc)
        else:
            self.definitions(doc)
        d = doc.document
        meta = d.meta
        labels = {i: label.name for i, label in doc.labels.items()}
        annotators = {i: a.name for i, a in doc.annotators.items()}
        spans = [
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": labels[s.label_id],
                "quote": s.quote,
                "annotator": annotators[s.annotator_id],
                "created": s.created.isoformat(),
                "updated": s.updated.isoformat(),
                "attributes": s.attributes,
                "note": s.note,
            }
            for s in doc.spans
        ]
        line = {
            "type": "document",
            "id": d.id,
            "title": meta.title,
            "source": meta.source,
            "url": meta.url,
            "author": meta.author,
            "published": meta.published,
            "language": meta.language,
            "tags": list(doc.tags),
            "sha256": d.sha256,
            "created": d.created.isoformat(),
            "text": d.text,
            "spans": spans,
        }
        self.fh.write(_dumps(line) + "\n")
        return len(spans)


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write the documents as annotator JSON Lines; nothing is lost."""
    report = WriteReport(files=[str(out)])
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        writer = _Writer(fh)
        for doc in documents:
            report.spans += writer.document(doc)
            report.documents += 1
            if progress is not None:
                progress(report.documents)
        if not writer.started:
            writer.header(None)
    return report


# Reading ---------------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """True if the file starts with the annotator header."""
    head = read_head(path, 4096)
    return head is not None and _SNIFF.match(head) is not None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open("r", encoding="utf-8-sig", newline="\n") as fh:
        yield from enumerate(fh, start=1)


def _header(path: Path, line: str) -> dict[str, Any] | FormatProblem:
    origin = f"{path}:1"
    try:
        header = json.loads(line)
    except json.JSONDecodeError as exc:
        return FormatProblem(origin, f"the header is not JSON ({exc.msg})")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return FormatProblem(origin, 'not an annotator file: line 1 lacks "format": "annotator"')
    version = header.get("version")
    if version != VERSION:
        return FormatProblem(
            origin, f"version {version!r} is not one this app reads (it reads {VERSION})"
        )
    return header


def _definitions(path: Path) -> Iterator[tuple[str, Any]]:
    """("label", dict) and ("annotator", name) pairs, in file order, skipping document lines."""
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        return
    header = _header(path, first[1])
    if isinstance(header, FormatProblem):
        return
    for label in header.get("labels") or []:
        if isinstance(label, dict):
            yield "label", label
    for name in header.get("annotators") or []:
        yield "annotator", name
    for _number, line in lines:
        if line.startswith(_DOCUMENT_PREFIX) or not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and obj.get("type") == "label":
            yield "label", obj
        elif isinstance(obj, dict) and obj.get("type") == "annotator":
            yield "annotator", obj.get("name")


def read_labels(path: Path) -> list[dict[str, Any]]:
    """The label definitions in the file: {name, colour, hotkey, position, style, description}."""
    seen: dict[str, dict[str, Any]] = {}
    for kind, value in _definitions(path):
        if kind != "label":
            continue
        name = value.get("name")
        if isinstance(name, str) and name and name not in seen:
            seen[name] = {key: value.get(key) for key in LABEL_KEYS}
    return list(seen.values())


def read_annotators(path: Path) -> list[str]:
    """The annotator names the file defines, in file order."""
    names: dict[str, None] = {}
    for kind, value in _definitions(path):
        if kind == "annotator" and isinstance(value, str) and value:
            names.setdefault(value)
    return list(names)


def _optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f'"{key}" must be a string or null, not {type(value).__name__}')
    return value


def _span(obj: Any, origin: str) -> ImportedSpan:
    if not isinstance(obj, dict):
        raise ValueError("a span is not an object")
    start, end, label = obj.get("start"), obj.get("end"), obj.get("label")
    if type(start) is not int or type(end) is not int:
        raise ValueError('a span needs integer "start" and "end"')
    if not isinstance(label, str) or not label:
        raise ValueError('a span needs a "label" name')
    attributes = obj.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ValueError('"attributes" must be an object')
    return ImportedSpan(
        start=start,
        end=end,
        label=label,
        quote=_optional_str(obj, "quote"),
        annotator=_optional_str(obj, "annotator"),
        attributes=attributes,
        note=_optional_str(obj, "note"),
        origin=origin,
    )


def _document(obj: dict[str, Any], origin: str) -> tuple[ImportedDocument, list[FormatProblem]]:
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError('the document has no "text" string')
    title = obj.get("title")
    if not isinstance(title, str):
        raise ValueError('the document has no "title" string')
    meta = DocumentMeta(title, **{key: _optional_str(obj, key) for key in _META_KEYS})
    tags = obj.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError('"tags" must be a list of strings')
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise ValueError('"spans" must be a list')
    spans: list[ImportedSpan] = []
    problems: list[FormatProblem] = []
    for n, raw in enumerate(raw_spans, start=1):
        span_origin = f"{origin} span {n}"
        try:
            spans.append(_span(raw, span_origin))
        except ValueError as exc:
            problems.append(FormatProblem(span_origin, f"{exc}; the span is not imported"))
    return ImportedDocument(text, meta, tuple(spans), origin, tuple(tags)), problems


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The documents in an annotator file, with a problem for each line that cannot be read."""
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        yield FormatProblem(str(path), "the file is empty: no annotator header")
        return
    header = _header(path, first[1])
    if isinstance(header, FormatProblem):
        yield header
        return
    for number, line in lines:
        if not line.strip():
            continue
        origin = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FormatProblem(origin, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield FormatProblem(origin, "the line is not a JSON object")
            continue
        kind = obj.get("type")
        if kind in ("label", "annotator"):
            continue
        if kind != "document":
            yield FormatProblem(origin, f"unknown line type {kind!r}; the line is skipped")
            continue
        try:
            document, problems = _document(obj, origin)
        except ValueError as exc:
            yield FormatProblem(origin, f"{exc}; the document is not imported")
            continue
        yield from problems
        yield document
