"""doccano JSONL for sequence labelling: one record a line, offsets in code points.

Writing uses doccano's relation-extraction export form, which also imports as sequence
labelling, one line per document:

    {"id": 7, "text": "...", "title": "...",
     "entities": [{"id": 12, "start_offset": 0, "end_offset": 3, "label": "ACTOR"}],
     "relations": []}

`id` is the exporting database's document id and the entity ids its span ids; `relations`
are `{"id", "from_id", "to_id", "type"}` with entity ids as ends and the relation type's name.
doccano keeps keys other than the text and labels as the example's metadata, which is how
`title` travels. Attributes, notes, actor links, annotator names, tags and metadata other than
the title cannot be written; the report says how many documents, spans and relations lost
each, once per export (not once per span).

Reading accepts what doccano writes and what people feed it:

- `"label": [[start, end, "LABEL"], ...]` (sequence-labelling export) or
  `"entities": [{"id", "start_offset", "end_offset", "label"}, ...]`;
- `meta` (an object) and top-level keys alike for the title and other metadata
  (`title`, `source`, `url`, `author`, `published`, `language`) and `tags`;
- a ".jsonl" that is really one pretty-printed JSON object, or a JSON array of records
  (read whole when the first line is not a complete JSON value);
- `"relations": [{"from_id", "to_id", "type"}, ...]` between entity ids (the `label` list form
  has no ids, so it has no relations);
- problems, each with file:line: a record without a `text` string, a line that is not JSON,
  a malformed span or relation, a relation naming an entity the record does not have,
  document-level (classification) labels, and spans given twice with the same offsets and
  label (kept once, reported; relations to the second copy go to the first).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta
from annotator.formats import _json_safe
from annotator.formats._files import read_head

_META_KEYS = ("source", "url", "author", "published", "language")
_SNIFF_TEXT = re.compile(r'"text"\s*:')
_SNIFF_SPANS = re.compile(r'"(label|labels|entities)"\s*:')
_SNIFF_NATIVE = re.compile(r'"format"\s*:\s*"annotator"')


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """One doccano record a line, entities form, relations empty."""
    report = WriteReport(files=[str(out)])
    lost: Counter[str] = Counter()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for doc in documents:
            d = doc.document
            labels = {i: label.name for i, label in doc.labels.items()}
            entities = []
            for s in doc.spans:
                entities.append(
                    {
                        "id": s.id,
                        "start_offset": s.start,
                        "end_offset": s.end,
                        "label": labels[s.label_id],
                    }
                )
                if s.attributes:
                    lost["attributes"] += 1
                if s.note:
                    lost["notes"] += 1
                if s.actor_id is not None:
                    lost["actors"] += 1
            relations = [
                {
                    "id": r.id,
                    "from_id": r.source_id,
                    "to_id": r.target_id,
                    "type": doc.relation_type_name(r),
                }
                for r in doc.relations
            ]
            record = {
                "id": d.id,
                "text": d.text,
                "title": d.meta.title,
                "entities": entities,
                "relations": relations,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if doc.spans:
                lost["annotators"] += len(doc.spans)
            if doc.tags:
                lost["tags"] += 1
            if any(getattr(d.meta, key) for key in _META_KEYS):
                lost["meta"] += 1
            report.documents += 1
            report.spans += len(entities)
            report.relations += len(relations)
            if progress is not None:
                progress(report.documents)
    messages = {
        "attributes": "{} spans have attributes, which doccano cannot carry; they were left out",
        "notes": "{} spans have notes, which doccano cannot carry; they were left out",
        "actors": "{} spans link to a registry actor, which doccano cannot carry; the links "
        "were left out",
        "annotators": "doccano records do not name annotators: {} spans were written without "
        "their annotator's name",
        "tags": "{} documents have tags, which were left out",
        "meta": "{} documents have metadata besides the title (outlet, URL, author, date, "
        "language), which was left out",
    }
    for key, template in messages.items():
        if lost[key]:
            report.problems.append(FormatProblem(str(out), template.format(lost[key])))
    return report


# Reading ---------------------------------------------------------------------------------------


# The first record is read whole for the guess, up to this many bytes: a 1 MB article with
# 10,000 labels has its labels after its text, far past any fixed head.
SNIFF_LINE_BYTES = 16 * 1024 * 1024


def sniff(path: Path) -> bool:
    """True for a JSON(L) file whose first record has a text and doccano spans."""
    head = read_head(path, 65536)
    if head is None:
        return False
    stripped = head.lstrip()
    if not stripped.startswith(("{", "[")) or _SNIFF_NATIVE.search(head[:4096]):
        return False
    first_line = _json_safe.first_line(path, SNIFF_LINE_BYTES) or ""
    try:
        record = _json_safe.loads(first_line)
    except (json.JSONDecodeError, _json_safe.UnsafeJSONError):
        # Pretty-printed, cut at the bound, or hostile: the keys near the start decide (a
        # hostile file is then refused with its reason by `read`).
        return bool(_SNIFF_TEXT.search(head) and _SNIFF_SPANS.search(head))
    if isinstance(record, list) and record:
        record = record[0]
    return isinstance(record, dict) and "text" in record and bool(_SPAN_KEYS & record.keys())


_SPAN_KEYS = {"label", "labels", "entities"}


def _first_line_is_json(path: Path) -> bool:
    for _number, line in _json_safe.lines(path):
        if isinstance(line, Exception):
            return True  # reported line by line
        if line.strip():
            try:
                _json_safe.loads(line)
            except json.JSONDecodeError:
                return False
            except _json_safe.UnsafeJSONError:
                return True
            return True
    return True


def _records(path: Path) -> Iterator[tuple[str, str, Any] | FormatProblem]:
    """(origin, where, record) per JSON line, or per record of a file that is one JSON value.

    A file whose first line is not JSON is tried as one JSON value (a pretty-printed object or
    an array); if that fails too, it is read line by line and each bad line is reported.
    """
    if not _first_line_is_json(path):
        try:
            value = _json_safe.loads(_json_safe.read_text(path))
        except json.JSONDecodeError:
            pass
        except _json_safe.UnsafeJSONError as exc:
            yield FormatProblem(str(path), f"{exc.message}; the file is not imported")
            return
        else:
            records = value if isinstance(value, list) else [value]
            for n, record in enumerate(records, start=1):
                where = f"record {n}" if isinstance(value, list) else "line 1"
                yield f"{path} {where}" if isinstance(value, list) else f"{path}:1", where, record
            return
    for item in _json_safe.records(path, _json_safe.lines(path)):
        if isinstance(item, FormatProblem):
            yield item
            continue
        origin, number, record = item
        yield origin, f"line {number}", record


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _meta(record: Mapping[str, Any], where: str, path: Path) -> tuple[DocumentMeta, list[str]]:
    meta = record.get("meta")
    sources: list[Mapping[str, Any]] = [meta] if isinstance(meta, dict) else []
    sources.append(record)

    def pick(key: str) -> Any:
        for source in sources:
            if key in source:
                return source[key]
        return None

    title = _string(pick("title")) or f"{path.name}, {where}"
    fields = {key: _string(pick(key)) for key in _META_KEYS}
    tags = pick("tags")
    tag_list = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    return DocumentMeta(title, **fields), tag_list


def _spans(
    record: Mapping[str, Any], origin: str
) -> tuple[list[ImportedSpan], list[ImportedRelation], list[FormatProblem]]:
    spans: list[ImportedSpan] = []
    problems: list[FormatProblem] = []
    categories: list[str] = []
    raw: list[tuple[Any, Any, Any, Any]] = []  # start, end, label, entity id
    for key in ("label", "labels"):
        items = record.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(FormatProblem(origin, f'"{key}" is not a list; it is not imported'))
            continue
        for item in items:
            if isinstance(item, str):
                categories.append(item)
            elif isinstance(item, list) and len(item) == 3:
                raw.append((item[0], item[1], item[2], None))
            else:
                problems.append(FormatProblem(origin, f"span {item!r} is not [start, end, label]"))
    entities = record.get("entities")
    if entities is not None:
        if not isinstance(entities, list):
            problems.append(FormatProblem(origin, '"entities" is not a list; it is not imported'))
            entities = []
        for item in entities:
            if not isinstance(item, dict):
                problems.append(FormatProblem(origin, f"entity {item!r} is not an object"))
                continue
            raw.append(
                (
                    item.get("start_offset"),
                    item.get("end_offset"),
                    item.get("label"),
                    item.get("id"),
                )
            )
    if categories:
        problems.append(
            FormatProblem(
                origin,
                f"document-level labels {categories} (text classification) are not imported; "
                "only spans are",
            )
        )
    first: dict[tuple[int, int, str], str | None] = {}
    aliases: dict[str, str] = {}  # the id of a repeated entity -> the id of the one kept
    duplicates = 0
    for start, end, label, entity_id in raw:
        if type(start) is not int or type(end) is not int or not isinstance(label, str):
            problems.append(
                FormatProblem(
                    origin, f"span {[start, end, label]!r} needs two integers and a label name"
                )
            )
            continue
        ref = None if entity_id is None or isinstance(entity_id, bool) else str(entity_id)
        ident = (start, end, label)
        if ident in first:
            duplicates += 1
            kept = first[ident]
            if ref is not None and kept is not None:
                aliases[ref] = kept
            continue
        first[ident] = ref
        spans.append(ImportedSpan(start, end, label, origin=origin, ref=ref))
    if duplicates:
        problems.append(
            FormatProblem(
                origin, f"{duplicates} spans repeat another span's offsets and label; kept once"
            )
        )
    relations, relation_problems = _relations(record, origin, {s.ref for s in spans}, aliases)
    return spans, relations, problems + relation_problems


def _relations(
    record: Mapping[str, Any], origin: str, refs: set[str | None], aliases: Mapping[str, str]
) -> tuple[list[ImportedRelation], list[FormatProblem]]:
    items = record.get("relations")
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [FormatProblem(origin, '"relations" is not a list; it is not imported')]
    relations: list[ImportedRelation] = []
    problems: list[FormatProblem] = []
    for n, item in enumerate(items, start=1):
        where = f"{origin} relation {n}"
        if not isinstance(item, dict):
            problems.append(FormatProblem(where, f"relation {item!r} is not an object"))
            continue
        kind = item.get("type")
        ends = [item.get("from_id"), item.get("to_id")]
        if (
            not isinstance(kind, str)
            or not kind
            or any(e is None or isinstance(e, bool) or not isinstance(e, int | str) for e in ends)
        ):
            problems.append(
                FormatProblem(where, f"relation {item!r} needs from_id, to_id and a type name")
            )
            continue
        source, target = (aliases.get(str(e), str(e)) for e in ends)
        missing = [e for e in (source, target) if e not in refs]
        if missing:
            problems.append(
                FormatProblem(
                    where,
                    f"{kind} relation {source} -> {target}: no imported entity with the id "
                    f"{', '.join(missing)}; the relation is not imported",
                )
            )
            continue
        relations.append(ImportedRelation(kind, source, target, where))
    return relations, problems


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The records of a doccano JSONL (or JSON) file as documents with spans."""
    for item in _records(path):
        if isinstance(item, FormatProblem):
            yield item
            continue
        origin, where, record = item
        if not isinstance(record, dict):
            yield FormatProblem(origin, "the record is not a JSON object; it is not imported")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            keys = ", ".join(sorted(record)) or "none"
            yield FormatProblem(
                origin, f'the record has no "text" string (its keys: {keys}); it is not imported'
            )
            continue
        meta, tags = _meta(record, where, path)
        spans, relations, problems = _spans(record, origin)
        yield from problems
        yield ImportedDocument(text, meta, tuple(spans), origin, tuple(tags), tuple(relations))
