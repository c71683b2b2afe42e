"""The app's own JSON Lines format: everything the model holds, offsets in code points.

Layout (UTF-8, LF line ends, one JSON object per line, `ensure_ascii=False`), version 2:

    {"format": "annotator", "version": 2, "labels": [...], "relation_types": [...],
     "annotators": [...], "actors": [...]}                                         # line 1
    {"type": "document", "id": ..., "title": ..., "text": ..., "spans": [...],
     "relations": [...]}                                                           # a document
    {"type": "label", ...} {"type": "relation_type", ...} {"type": "annotator", "name": ...}
    {"type": "actor", ...}                                                         # see below

Streaming: the writer holds one document at a time, so it cannot know every definition before
the first document line. The header is written when the first document arrives and lists the
labels, relation types and annotators of that document's mappings (the exporter hands every
document the whole tables, so normally that is all of them) and the registry actors its spans
link to. A later document that brings a label, relation type, annotator or actor not yet written
is preceded by a `{"type": "label" | "relation_type" | "annotator" | "actor", ...}` line, so every
name and key is defined before the first span or relation that uses it. A file with no documents
is just the header with empty lists.

- a label is `{name, colour, hotkey, position, style, description, attributes}`, `attributes`
  being the label's attribute definitions (`AttributeDef.to_dict()`);
- a relation type is `{name, from, to, colour, description}`, `from`/`to` label names or null
  (any label);
- an actor (registry entry) is `{key, name, kind, aliases, description, external_id}`;
- a span is `{id, start, end, label, quote, annotator, created, updated, attributes, note,
  actor}` with `label` and `annotator` by name and `actor` the registry key (or null);
- a relation is `{id, type, from, to, annotator, created}`, `type` by name, `from`/`to` the ids
  of spans of the same document line.

Documents carry `id, title, source, url, author, published, language, tags, statuses, sha256,
created, text, spans, relations`; `statuses` maps annotator names to their workflow status of
the document ("in_progress" or "done"; an annotator not named is at "new").

Ids belong to the file, not to a database: documents are numbered 1, 2, ... in file order, and
the spans and relations of each document 1, 2, ... in the order written (a relation's `from` and
`to` name span ids of its own document line). Database ids would make two exports of the same
annotations differ wherever one database has gaps (deleted spans, documents) and the other has
none; the document's `sha256` is what identifies it across databases. Everything else is
imported as written, timestamps included: a document's `created` (when it was added to the
library), a span's `created` and `updated`, a relation's `created`. So export, import into an
empty database and export again gives the same file, byte for byte.

Reading (versions 1 and 2; version 1 has no relations, actors or attribute definitions):
`read(path)` yields the documents (spans with their annotator names, attributes, notes, actor
keys and `ref` = the span id; relations; the registry entries of the actors the document's spans
use; tags) and `FormatProblem`s for bad lines. Label definitions are not part of
`ImportedDocument`, so the importer gets them from `read_labels(path)` (dicts with the label keys
above, in file order, the first definition of a name wins), the relation types from
`read_relation_types(path)` and the annotator names from `read_annotators(path)`; these scan the
file without parsing document lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedActor,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.library import DocumentStatus
from annotator.domain.model import Actor, Annotator, DocumentMeta, Label
from annotator.formats import _json_safe
from annotator.formats._files import read_head
from annotator.formats._links import (
    actor_dict,
    imported_actor,
    relation_type_dict,
    sorted_relation_types,
)
from annotator.formats._stamps import IsoTimes

FORMAT = "annotator"
VERSION = 2
READS = (1, 2)
LABEL_KEYS = ("name", "colour", "hotkey", "position", "style", "description", "attributes")
RELATION_TYPE_KEYS = ("name", "from", "to", "colour", "description")
_META_KEYS = ("source", "url", "author", "published", "language")
_DOCUMENT_PREFIX = '{"type": "document"'
_SNIFF = re.compile(r'^\s*\{\s*"format"\s*:\s*"annotator"')
_DEFINITIONS = ("label", "relation_type", "annotator", "actor")


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
        "attributes": [a.to_dict() for a in label.attributes],
    }


def _sorted_labels(labels: Mapping[int, Label]) -> list[Label]:
    return sorted(labels.values(), key=lambda label: (label.position, label.name))


def _sorted_annotators(annotators: Mapping[int, Annotator]) -> list[str]:
    return sorted(a.name for a in annotators.values())


def _used_actors(doc: AnnotatedDocument) -> list[Actor]:
    """The registry entries the document's spans link to, in key order."""
    used = {s.actor_id for s in doc.spans if s.actor_id is not None}
    return sorted((doc.actors[i] for i in used if i in doc.actors), key=lambda a: a.key)


class _Writer:
    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.labels: set[str] = set()
        self.relation_types: set[str] = set()
        self.annotators: set[str] = set()
        self.actors: set[str] = set()
        self.started = False
        self.documents = 0

    def header(self, doc: AnnotatedDocument | None) -> None:
        labels = _sorted_labels(doc.labels) if doc is not None else []
        types = sorted_relation_types(doc.relation_types) if doc is not None else []
        annotators = _sorted_annotators(doc.annotators) if doc is not None else []
        actors = _used_actors(doc) if doc is not None else []
        self.labels.update(label.name for label in labels)
        self.relation_types.update(t.name for t in types)
        self.annotators.update(annotators)
        self.actors.update(a.key for a in actors)
        label_table = doc.labels if doc is not None else {}
        header = {
            "format": FORMAT,
            "version": VERSION,
            "labels": [label_dict(label) for label in labels],
            "relation_types": [relation_type_dict(t, label_table) for t in types],
            "annotators": annotators,
            "actors": [actor_dict(a) for a in actors],
        }
        self.fh.write(_dumps(header) + "\n")
        self.started = True

    def definitions(self, doc: AnnotatedDocument) -> None:
        """Definition lines for what this document brings that is not written yet."""
        if any(label.name not in self.labels for label in doc.labels.values()):
            for label in _sorted_labels(doc.labels):
                if label.name not in self.labels:
                    self.labels.add(label.name)
                    self.fh.write(_dumps({"type": "label", **label_dict(label)}) + "\n")
        if any(t.name not in self.relation_types for t in doc.relation_types.values()):
            for t in sorted_relation_types(doc.relation_types):
                if t.name not in self.relation_types:
                    self.relation_types.add(t.name)
                    line = {"type": "relation_type", **relation_type_dict(t, doc.labels)}
                    self.fh.write(_dumps(line) + "\n")
        for name in _sorted_annotators(doc.annotators):
            if name not in self.annotators:
                self.annotators.add(name)
                self.fh.write(_dumps({"type": "annotator", "name": name}) + "\n")
        if doc.actors:
            for actor in _used_actors(doc):
                if actor.key not in self.actors:
                    self.actors.add(actor.key)
                    self.fh.write(_dumps({"type": "actor", **actor_dict(actor)}) + "\n")

    def document(self, doc: AnnotatedDocument) -> tuple[int, int]:
        if not self.started:
            self.header(doc)
        else:
            self.definitions(doc)
        d = doc.document
        meta = d.meta
        labels = {i: label.name for i, label in doc.labels.items()}
        annotators = {i: a.name for i, a in doc.annotators.items()}
        actors = {i: a.key for i, a in doc.actors.items()}
        self.documents += 1
        local = {s.id: n for n, s in enumerate(doc.spans, start=1)}
        iso = IsoTimes()
        spans = []
        for s in doc.spans:
            span = {
                "id": local[s.id],
                "start": s.start,
                "end": s.end,
                "label": labels[s.label_id],
                "quote": s.quote,
                "annotator": annotators[s.annotator_id],
                "created": iso[s.created],
                "updated": iso[s.updated],
                "attributes": s.attributes,
                "note": s.note,
                "actor": None if s.actor_id is None else actors.get(s.actor_id),
            }
            # Provenance only where there is some, so files of hand-made work are as before.
            if s.origin:
                span["engine"] = s.origin
                span["engine_version"] = s.origin_version
            spans.append(span)
        relations = []
        if doc.relations:
            types = {i: t.name for i, t in doc.relation_types.items()}
            relations = [
                {
                    "id": n,
                    "type": types[r.type_id],
                    "from": local[r.source_id],
                    "to": local[r.target_id],
                    "annotator": annotators[r.annotator_id],
                    "created": iso[r.created],
                }
                for n, r in enumerate(doc.relations, start=1)
            ]
        line = {
            "type": "document",
            "id": self.documents,
            "title": meta.title,
            "source": meta.source,
            "url": meta.url,
            "author": meta.author,
            "published": meta.published,
            "language": meta.language,
            "tags": list(doc.tags),
            "statuses": dict(sorted((annotators[i], st) for i, st in doc.statuses.items())),
            "sha256": d.sha256,
            "created": d.created.isoformat(),
            "text": d.text,
            "spans": spans,
            "relations": relations,
        }
        self.fh.write(_dumps(line) + "\n")
        return len(spans), len(relations)


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
            spans, relations = writer.document(doc)
            report.spans += spans
            report.relations += relations
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


def _lines(path: Path) -> Iterator[tuple[int, str | _json_safe.UnsafeJSONError]]:
    return _json_safe.lines(path)


def _header(path: Path, line: str | _json_safe.UnsafeJSONError) -> dict[str, Any] | FormatProblem:
    origin = f"{path}:1"
    try:
        if isinstance(line, _json_safe.UnsafeJSONError):
            raise line
        header = _json_safe.loads(line)
    except json.JSONDecodeError as exc:
        return FormatProblem(origin, f"the header is not JSON ({exc.msg})")
    except _json_safe.UnsafeJSONError as exc:
        return FormatProblem(origin, f"the header is refused: {exc.message}")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return FormatProblem(origin, 'not an annotator file: line 1 lacks "format": "annotator"')
    version = header.get("version")
    if version not in READS:
        readable = " and ".join(str(v) for v in READS)
        return FormatProblem(
            origin, f"version {version!r} is not one this app reads (it reads {readable})"
        )
    return header


_HEADER_LISTS = (
    ("labels", "label"),
    ("relation_types", "relation_type"),
    ("annotators", "annotator"),
    ("actors", "actor"),
)


def _definitions(path: Path) -> Iterator[tuple[str, Any]]:
    """(kind, value) pairs for definitions in file order, skipping document lines.

    Kinds are "label", "relation_type", "actor" (value: the object) and "annotator" (the name).
    """
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        return
    header = _header(path, first[1])
    if isinstance(header, FormatProblem):
        return
    for key, kind in _HEADER_LISTS:
        for value in header.get(key) or []:
            yield kind, value
    for _number, line in lines:
        if isinstance(line, Exception) or line.startswith(_DOCUMENT_PREFIX) or not line.strip():
            continue
        try:
            obj = _json_safe.loads(line)
        except (json.JSONDecodeError, _json_safe.UnsafeJSONError):
            continue
        if isinstance(obj, dict) and obj.get("type") in _DEFINITIONS:
            kind = obj["type"]
            yield kind, (obj.get("name") if kind == "annotator" else obj)


def read_labels(path: Path) -> list[dict[str, Any]]:
    """The label definitions in the file: dicts with LABEL_KEYS (`attributes` a list of
    `AttributeDef.to_dict()` dicts, empty in version 1 files)."""
    seen: dict[str, dict[str, Any]] = {}
    for kind, value in _definitions(path):
        if kind != "label" or not isinstance(value, dict):
            continue
        name = value.get("name")
        if isinstance(name, str) and name and name not in seen:
            definition = {key: value.get(key) for key in LABEL_KEYS}
            if not isinstance(definition["attributes"], list):
                definition["attributes"] = []
            seen[name] = definition
    return list(seen.values())


def read_relation_types(path: Path) -> list[dict[str, Any]]:
    """The relation types in the file: {name, from, to, colour, description}, in file order."""
    seen: dict[str, dict[str, Any]] = {}
    for kind, value in _definitions(path):
        if kind != "relation_type" or not isinstance(value, dict):
            continue
        name = value.get("name")
        if isinstance(name, str) and name and name not in seen:
            seen[name] = {key: value.get(key) for key in RELATION_TYPE_KEYS}
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


def _ref(value: Any) -> str | None:
    """A span id as a reference string; ids are integers in our files, strings are accepted."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return str(value)


def _time(obj: Mapping[str, Any], key: str, origin: str, problems: list[FormatProblem]) -> Any:
    """`obj[key]` as an aware datetime (naive means UTC); None, with a problem, if unreadable."""
    value = obj.get(key)
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        problems.append(
            FormatProblem(
                origin, f'"{key}" is not an ISO 8601 time ({value!r}); the import time is used'
            )
        )
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _span(obj: Any, origin: str, problems: list[FormatProblem]) -> ImportedSpan:
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
        actor=_optional_str(obj, "actor") or None,
        ref=_ref(obj.get("id")),
        created=_time(obj, "created", origin, problems),
        updated=_time(obj, "updated", origin, problems),
        engine=_optional_str(obj, "engine") or None,
        engine_version=_optional_str(obj, "engine_version") or None,
    )


def _relation(obj: Any, origin: str, problems: list[FormatProblem]) -> ImportedRelation:
    if not isinstance(obj, dict):
        raise ValueError("a relation is not an object")
    kind, source, target = obj.get("type"), _ref(obj.get("from")), _ref(obj.get("to"))
    if not isinstance(kind, str) or not kind:
        raise ValueError('a relation needs a "type" name')
    if source is None or target is None:
        raise ValueError('a relation needs the span ids "from" and "to"')
    annotator = _optional_str(obj, "annotator")
    created = _time(obj, "created", origin, problems)
    return ImportedRelation(kind, source, target, origin, annotator, created)


def _document(
    obj: dict[str, Any], origin: str, registry: Mapping[str, ImportedActor]
) -> tuple[ImportedDocument, list[FormatProblem]]:
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
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        raise ValueError('"relations" must be a list')
    problems: list[FormatProblem] = []
    statuses = _statuses(obj.get("statuses"), origin, problems)
    created = _time(obj, "created", origin, problems)
    spans: list[ImportedSpan] = []
    for n, raw in enumerate(raw_spans, start=1):
        span_origin = f"{origin} span {n}"
        try:
            spans.append(_span(raw, span_origin, problems))
        except ValueError as exc:
            problems.append(FormatProblem(span_origin, f"{exc}; the span is not imported"))
    relations: list[ImportedRelation] = []
    for n, raw in enumerate(raw_relations, start=1):
        relation_origin = f"{origin} relation {n}"
        try:
            relations.append(_relation(raw, relation_origin, problems))
        except ValueError as exc:
            problems.append(FormatProblem(relation_origin, f"{exc}; the relation is not imported"))
    keys = dict.fromkeys(s.actor for s in spans if s.actor)
    actors = tuple(registry[key] for key in keys if key in registry)
    document = ImportedDocument(
        text, meta, tuple(spans), origin, tuple(tags), tuple(relations), actors, statuses, created
    )
    return document, problems


def _statuses(value: Any, origin: str, problems: list[FormatProblem]) -> dict[str, str]:
    """The `statuses` object, without the entries that are not a name and a known status."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(FormatProblem(origin, '"statuses" is not an object; no status imported'))
        return {}
    known = {status.value for status in DocumentStatus}
    statuses = {}
    for name, status in value.items():
        if isinstance(status, str) and status in known and name.strip():
            statuses[name] = status
        else:
            problems.append(
                FormatProblem(
                    origin,
                    f"status {status!r} of {name!r} is not one of {', '.join(sorted(known))}; "
                    "not imported",
                )
            )
    return statuses


def _add_actor(registry: dict[str, ImportedActor], value: Any, origin: str) -> FormatProblem | None:
    try:
        actor = imported_actor(value)
    except ValueError as exc:
        return FormatProblem(origin, f"{exc}; the actor is not imported")
    registry.setdefault(actor.key, actor)
    return None


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
    registry: dict[str, ImportedActor] = {}
    raw_actors = header.get("actors") or []
    for n, value in enumerate(raw_actors if isinstance(raw_actors, list) else [], start=1):
        problem = _add_actor(registry, value, f"{path}:1 actor {n}")
        if problem is not None:
            yield problem
    for item in _json_safe.records(path, lines):
        if isinstance(item, FormatProblem):
            yield item
            continue
        origin, _line, obj = item
        if not isinstance(obj, dict):
            yield FormatProblem(origin, "the line is not a JSON object")
            continue
        kind = obj.get("type")
        if kind == "actor":
            problem = _add_actor(registry, obj, origin)
            if problem is not None:
                yield problem
            continue
        if kind in _DEFINITIONS:
            continue
        if kind != "document":
            yield FormatProblem(origin, f"unknown line type {kind!r}; the line is skipped")
            continue
        try:
            document, problems = _document(obj, origin, registry)
        except ValueError as exc:
            yield FormatProblem(origin, f"{exc}; the document is not imported")
            continue
        yield from problems
        yield document
