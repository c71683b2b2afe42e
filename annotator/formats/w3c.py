"""W3C Web Annotation Data Model, JSON-LD.

Layout written: one UTF-8 JSON file holding a JSON **array of AnnotationCollections, one per
document** (written one document at a time, so the writer streams). Each collection:

    {
      "@context": ["http://www.w3.org/ns/anno.jsonld", {"annotator": "urn:annotator:ns#"}],
      "id": "urn:annotator:collection:<sha256>", "type": "AnnotationCollection",
      "label": "<title>", "total": <n>,
      "annotator:document": {"id": <source>, "title": ..., "url": ..., "source": ...,
                             "author": ..., "published": ..., "language": ...,
                             "sha256": ..., "text": "<the whole text>"},
      "first": {"type": "AnnotationPage", "items": [<Annotation>, ...]}
    }

`annotator:document` is not part of the standard (W3C annotations point at a document, they do
not embed it); it is namespaced through the second `@context` entry, other consumers ignore it,
and it is what lets our own files round-trip.

Each span is one Annotation:
- `target.source`: the document's URL if it has one, else `urn:annotator:document:<sha256>`;
  `target.selector`: a `TextQuoteSelector` (`exact`, and `prefix`/`suffix` of up to 32 code
  points, shorter or empty at the text's edges) and a `TextPositionSelector` (`start`, `end` in
  code points, end exclusive).
- `body`: a `TextualBody` with purpose `tagging` and the label as its value, and for a note a
  `TextualBody` with purpose `commenting`.
- attributes: the namespaced key `annotator:attributes` on the annotation, a JSON object with
  the span's attributes as they are (a value JSON cannot hold is reported and left out).
- `creator`: `{"type": "Person", "name": <annotator>}`; `created`/`modified`: ISO 8601 (a time
  without a zone is taken as UTC).
- the registry actor a mention links to: its key in the namespaced `annotator:actor`, and when
  its external id is a Wikidata QID, a body `{"type": "SpecificResource", "purpose":
  "identifying", "source": "https://www.wikidata.org/wiki/Q..."}`. The collection lists the
  registry entries it uses in `annotator:actors` (key, name, kind, aliases, description,
  external_id).

Each relation is one more Annotation in the same page, after the spans, with `motivation`
`linking`: its `target` is the id (IRI) of the source span's annotation (the claim), its `body`
a `SpecificResource` whose `source` is the id of the target span's annotation (the actor who
makes the claim) with purpose `linking`, and a `TextualBody` with purpose `tagging` naming the
relation type. Span annotation ids are stable: `urn:uuid:` + a UUID5 of the text's SHA-256 and
the span id.

Reading accepts our array, one collection, an AnnotationPage, an array of annotations or one
annotation. The text comes from the collection's `annotator:document`; failing that, from a
sidecar `<file stem>.txt` next to the JSON (for files whose annotations all target one
document). Without either, the annotations are reported, not imported. Each annotation is
placed by its TextPositionSelector when the text there equals the quote; otherwise it is
re-anchored Hypothesis-style: `exact` with matching `prefix` and `suffix` first, then `exact`
alone, the occurrence nearest the old position winning. One it cannot place is reported.
Linking annotations become relations between the annotations they name; one that names an
annotation that is not an imported span of the same collection is reported.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedActor,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Relation, Span
from annotator.formats import _json_stream
from annotator.formats._links import actor_dict, imported_actor, wikidata_url

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "urn:annotator:ns#"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"annotator": NAMESPACE}]
CONTEXT_CHARS = 32
_DOC_KEY = "annotator:document"
_ATTR_KEY = "annotator:attributes"
_ACTOR_KEY = "annotator:actor"
_ACTORS_KEY = "annotator:actors"
DEFAULT_LINK = "linking"
_UUID_NS = uuid.UUID("6b1f8a52-3c4e-4f7a-9d0e-2a5c7b9e1f30")
_META_KEYS = ("url", "source", "author", "published", "language")


# --- writing ------------------------------------------------------------------------------


def source_of(doc: AnnotatedDocument) -> str:
    """The IRI annotations of this document point at."""
    url = doc.document.meta.url
    return url if url else f"urn:annotator:document:{doc.document.sha256}"


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


class _Times(dict[datetime, str]):
    """`times[t]` is `_iso(t)`, remembered: for one document's spans, which share a few."""

    def __missing__(self, key: datetime) -> str:
        value = self[key] = _iso(key)
        return value


def _describe(doc: AnnotatedDocument, span: Span) -> str:
    quote = span.quote if len(span.quote) <= 40 else span.quote[:37] + "..."
    return (
        f"document {doc.document.id} ({doc.document.title!r}), span {span.id} "
        f"({doc.label_name(span)} {span.start}-{span.end} {quote!r})"
    )


def annotation_id(doc: AnnotatedDocument, span_id: int) -> str:
    """The IRI of the annotation written for a span."""
    return f"urn:uuid:{_uuid5(f'{doc.document.sha256}/{span_id}')}"


def _uuid5(name: str) -> str:
    """`str(uuid.uuid5(_UUID_NS, name))` without the UUID object, whose constructor cost more
    than the rest of writing an annotation (RFC 4122: SHA-1, then version and variant bits)."""
    digest = bytearray(hashlib.sha1(_UUID_NS.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _annotation(
    doc: AnnotatedDocument, span: Span, source: str, report: WriteReport, iso: _Times
) -> dict[str, Any]:
    text = doc.document.text
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": doc.label_name(span)}
    ]
    if span.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": span.note})
    actor = doc.actor_of(span)
    if actor is not None:
        page = wikidata_url(actor.external_id)
        if page is not None:
            body.append({"type": "SpecificResource", "purpose": "identifying", "source": page})
    annotation: dict[str, Any] = {
        "id": annotation_id(doc, span.id),
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Person", "name": doc.annotator_name(span)},
        "created": iso[span.created],
        "modified": iso[span.updated],
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[span.start : span.end],
                    "prefix": text[max(0, span.start - CONTEXT_CHARS) : span.start],
                    "suffix": text[span.end : span.end + CONTEXT_CHARS],
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
    }
    attributes: dict[str, Any] = {}
    for name, value in span.attributes.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            report.problems.append(
                FormatProblem(
                    _describe(doc, span),
                    f"attribute {name!r} has a value JSON cannot hold "
                    f"({type(value).__name__}); left out",
                )
            )
            continue
        attributes[name] = value
    if attributes:
        annotation[_ATTR_KEY] = attributes
    if actor is not None:
        annotation[_ACTOR_KEY] = actor.key
    return annotation


def _link(doc: AnnotatedDocument, relation: Relation) -> dict[str, Any]:
    return {
        "id": f"urn:uuid:{_uuid5(f'{doc.document.sha256}/relation/{relation.id}')}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Person", "name": doc.annotators[relation.annotator_id].name},
        "created": _iso(relation.created),
        "body": [
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": annotation_id(doc, relation.target_id),
            },
            {
                "type": "TextualBody",
                "purpose": "tagging",
                "value": doc.relation_type_name(relation),
            },
        ],
        "target": annotation_id(doc, relation.source_id),
    }


def _collection(doc: AnnotatedDocument, report: WriteReport) -> dict[str, Any]:
    document = doc.document
    source = source_of(doc)
    meta = document.meta
    embedded: dict[str, Any] = {"id": source, "title": meta.title}
    for key in _META_KEYS:
        value = getattr(meta, key)
        if value is not None:
            embedded[key] = value
    embedded["sha256"] = document.sha256
    embedded["text"] = document.text
    iso = _Times()
    items = [
        _annotation(doc, span, source, report, iso)
        for span in sorted(doc.spans, key=lambda s: (s.start, s.end, s.id))
    ]
    span_ids = {s.id for s in doc.spans}
    links = [
        _link(doc, r) for r in doc.relations if r.source_id in span_ids and r.target_id in span_ids
    ]
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:annotator:collection:{document.sha256}:{document.id}",
        "type": "AnnotationCollection",
        "label": meta.title,
        "total": len(items) + len(links),
        _DOC_KEY: embedded,
    }
    linked = sorted({s.actor_id for s in doc.spans if s.actor_id is not None})
    if linked:
        collection[_ACTORS_KEY] = [actor_dict(doc.actors[i]) for i in linked if i in doc.actors]
    collection["first"] = {"type": "AnnotationPage", "items": items + links}
    report.spans += len(items)
    report.relations += len(links)
    return collection


def _dumps_collection(collection: dict[str, Any]) -> str:
    """The collection as JSON with one annotation a line.

    Readable without `indent`, which would switch `json` to its pure-Python encoder: five times
    slower here (a million annotations took 40 s).
    """
    head = json.dumps({k: v for k, v in collection.items() if k != "first"}, ensure_ascii=False)
    lines = ",\n  ".join(
        json.dumps(item, ensure_ascii=False) for item in collection["first"]["items"]
    )
    items = f"[\n  {lines}\n]" if lines else "[]"
    return f'{head[:-1]}, "first": {{"type": "AnnotationPage", "items": {items}}}}}'


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write a JSON array of AnnotationCollections, one per document, to the file `out`."""
    report = WriteReport()
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for doc in documents:
            collection = _collection(doc, report)
            handle.write("\n" if report.documents == 0 else ",\n")
            handle.write(_dumps_collection(collection))
            report.documents += 1
            if progress is not None:
                progress(report.documents)
        handle.write("\n]\n")
    report.files.append(str(out))
    return report


# --- reading ------------------------------------------------------------------------------


def anchor(
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> tuple[int, int] | None:
    """Where a quote is in `text`: at its position if the text there matches, else by quote.

    Re-anchoring tries `exact` with its `prefix` and `suffix` around it first, then `exact`
    alone; among several candidates the one nearest `start` wins. None if it is not there.
    """
    if (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and (text[start:end] == exact or not exact)
    ):
        return start, end
    if not exact:
        return None
    found = []
    index = text.find(exact)
    while index >= 0:
        found.append(index)
        index = text.find(exact, index + 1)
    if not found:
        return None

    def in_context(i: int) -> bool:
        j = i + len(exact)
        return text[max(0, i - len(prefix)) : i] == prefix and text[j : j + len(suffix)] == suffix

    hint = start if start is not None else 0
    for candidates in ([i for i in found if in_context(i)], found):
        if candidates:
            best = min(candidates, key=lambda i: (abs(i - hint), i))
            return best, best + len(exact)
    return None  # pragma: no cover - `found` is not empty


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _type_is(obj: Mapping[str, Any], name: str) -> bool:
    return name in _as_list(obj.get("type", obj.get("@type")))


def _annotations_of(collection: Mapping[str, Any]) -> list[Any]:
    items: list[Any] = []
    page: Any = collection.get("first")
    while isinstance(page, Mapping):
        items.extend(_as_list(page.get("items")))
        page = page.get("next")
    items.extend(_as_list(collection.get("items")))
    return items


def _groups(top: Iterable[Any]) -> Iterator[tuple[Mapping[str, Any] | None, list[Any]]]:
    """(collection or page, or None for loose annotations; annotations) for each group.

    `top` is the file's top-level items (the array's, or the one value), read one at a time:
    a collection is handed on as soon as it is read; loose annotations are gathered.
    """
    loose: list[Any] = []
    for item in top:
        if item is None:
            continue
        if not isinstance(item, Mapping):
            loose.append(item)
        elif _type_is(item, "AnnotationCollection") or _type_is(item, "AnnotationPage"):
            yield item, _annotations_of(item)
        else:
            loose.append(item)
    if loose:
        yield None, loose


def _selectors(target: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, Mapping):
            continue
        if _type_is(selector, "TextQuoteSelector") and not quote:
            quote = dict(selector)
        elif _type_is(selector, "TextPositionSelector") and not position:
            position = dict(selector)
    return quote, position


def _creator_name(creator: Any) -> str | None:
    for item in _as_list(creator):
        if isinstance(item, str):
            return item
        if isinstance(item, Mapping):
            for key in ("name", "nickname", "id"):
                if isinstance(item.get(key), str):
                    return str(item[key])
    return None


def _spans(
    annotation: Any, index: int, text: str, where: str
) -> Iterator[ImportedSpan | FormatProblem]:
    origin = f"{where} annotation {index + 1}"
    if not isinstance(annotation, Mapping):
        yield FormatProblem(origin, "not a JSON object; skipped")
        return
    if isinstance(annotation.get("id"), str):
        origin = f"{where} {annotation['id']}"
    labels: list[str] = []
    notes: list[str] = []
    bodies = _as_list(annotation.get("body"))
    if isinstance(annotation.get("bodyValue"), str):
        bodies.append({"type": "TextualBody", "value": annotation["bodyValue"]})
    for body in bodies:
        if isinstance(body, Mapping) and "identifying" in _as_list(body.get("purpose")):
            continue  # an actor's identity page; the key is in annotator:actor
        if not isinstance(body, Mapping) or not isinstance(body.get("value"), str):
            yield FormatProblem(origin, f"a body that is not a TextualBody ({body!r}); skipped")
            continue
        purposes = _as_list(body.get("purpose")) or _as_list(annotation.get("motivation"))
        if "tagging" in purposes or "classifying" in purposes:
            labels.append(body["value"])
        else:
            notes.append(body["value"])
    if not labels:
        yield FormatProblem(origin, "no tagging body names a label; not imported")
        return
    targets = [t for t in _as_list(annotation.get("target")) if isinstance(t, Mapping)]
    if not targets:
        yield FormatProblem(origin, "no target with selectors; not imported")
        return
    if len(targets) > 1:
        yield FormatProblem(
            origin, f"{len(targets)} targets; only the first is imported (one span each)"
        )
    quote_sel, position_sel = _selectors(targets[0])
    exact = quote_sel.get("exact")
    start, end = position_sel.get("start"), position_sel.get("end")
    has_position = isinstance(start, int) and isinstance(end, int)
    if not isinstance(exact, str):
        if not has_position:
            yield FormatProblem(origin, "neither a quote nor a position selector; not imported")
            return
        exact = ""
    place = anchor(
        text,
        exact,
        str(quote_sel.get("prefix") or ""),
        str(quote_sel.get("suffix") or ""),
        start if has_position else None,
        end if has_position else None,
    )
    if place is None:
        yield FormatProblem(
            origin,
            f"cannot place {exact!r} (position {start}-{end}) in the text; not imported",
        )
        return
    attributes = annotation.get(_ATTR_KEY)
    actor = annotation.get(_ACTOR_KEY)
    ref = annotation.get("id")
    for label in labels:
        yield ImportedSpan(
            start=place[0],
            end=place[1],
            label=label,
            quote=text[place[0] : place[1]],
            annotator=_creator_name(annotation.get("creator")),
            attributes=dict(attributes) if isinstance(attributes, Mapping) else {},
            note="\n".join(notes) if notes else None,
            origin=origin,
            actor=actor if isinstance(actor, str) and actor else None,
            ref=ref if isinstance(ref, str) else None,
        )


def _is_link(annotation: Any) -> bool:
    return isinstance(annotation, Mapping) and "linking" in _as_list(annotation.get("motivation"))


def _iri(value: Any) -> str | None:
    """The IRI a target or body names: a string, or an object's `source` or `id`."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for key in ("source", "id"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def _relation(
    annotation: Mapping[str, Any], index: int, where: str, refs: set[str]
) -> ImportedRelation | FormatProblem:
    """A linking annotation: target = the source span's annotation, a linked body = the other."""
    origin = f"{where} annotation {index + 1}"
    if isinstance(annotation.get("id"), str):
        origin = f"{where} {annotation['id']}"
    names: list[str] = []
    linked: list[str] = []
    for body in _as_list(annotation.get("body")):
        if isinstance(body, Mapping) and isinstance(body.get("value"), str):
            names.append(body["value"])
        elif (iri := _iri(body)) is not None:
            linked.append(iri)
    targets = [iri for t in _as_list(annotation.get("target")) if (iri := _iri(t)) is not None]
    if len(targets) == 2 and not linked:  # a link given as two targets, in order
        targets, linked = targets[:1], targets[1:]
    if len(targets) != 1 or len(linked) != 1:
        return FormatProblem(
            origin,
            "a linking annotation needs one target and one linked body (or two targets); "
            "not imported",
        )
    source, target = targets[0], linked[0]
    missing = [iri for iri in (source, target) if iri not in refs]
    if missing:
        return FormatProblem(
            origin,
            f"a link to {', '.join(missing)}, which is not an imported span annotation of this "
            "collection; not imported",
        )
    annotator = _creator_name(annotation.get("creator"))
    return ImportedRelation(names[0] if names else DEFAULT_LINK, source, target, origin, annotator)


def _actors(group: Mapping[str, Any] | None, where: str) -> Iterator[ImportedActor | FormatProblem]:
    raw = group.get(_ACTORS_KEY) if group is not None else None
    for n, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        try:
            yield imported_actor(item)
        except ValueError as exc:
            yield FormatProblem(f"{where} actor {n}", f"{exc}; not imported")


def _meta(embedded: Mapping[str, Any], fallback: str) -> DocumentMeta:
    def get(key: str) -> str | None:
        value = embedded.get(key)
        return value if isinstance(value, str) else None

    return DocumentMeta(
        title=get("title") or fallback,
        source=get("source"),
        url=get("url"),
        author=get("author"),
        published=get("published"),
        language=get("language"),
    )


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The documents of a W3C Web Annotation file whose texts it embeds or a sidecar gives."""
    top = _json_stream.items(path)  # one collection in memory at a time
    try:
        first = next(top, None)
    except OSError as error:
        yield FormatProblem(str(path), f"cannot read the file: {error}")
        return
    except _json_stream.JSONFileError as error:
        yield FormatProblem(error.where, error.message)
        return
    sidecar = path.with_suffix(".txt")
    for number, (group, items) in enumerate(_groups(itertools.chain([first], top)), start=1):
        where = f"{path} (collection {number})"
        found = group.get(_DOC_KEY) if group is not None else None
        embedded = found if isinstance(found, Mapping) else None
        if embedded is not None and isinstance(embedded.get("text"), str):
            text = embedded["text"]  # as the selectors count; the importer maps CR LF to LF
            meta = _meta(embedded, f"{path.stem} {number}")
        elif sidecar.is_file():
            with sidecar.open(encoding="utf-8-sig", newline="") as fh:  # keep CR LF: see above
                text = fh.read()
            meta = DocumentMeta(title=sidecar.stem)
        else:
            sources = sorted(
                {
                    str(t.get("source"))
                    for a in items
                    if isinstance(a, Mapping) and not _is_link(a)
                    for t in _as_list(a.get("target"))
                    if isinstance(t, Mapping)
                }
            )
            yield FormatProblem(
                where,
                f"{len(items)} annotations not imported: the file does not embed the text "
                f"of {', '.join(sources) or 'their document'} and there is no {sidecar.name} "
                "next to it",
            )
            continue
        spans: list[ImportedSpan] = []
        links: list[tuple[int, Mapping[str, Any]]] = []
        for index, annotation in enumerate(items):
            if _is_link(annotation):
                links.append((index, annotation))
                continue
            for item in _spans(annotation, index, text, where):
                if isinstance(item, FormatProblem):
                    yield item
                else:
                    spans.append(item)
        refs = {s.ref for s in spans if s.ref is not None}
        relations: list[ImportedRelation] = []
        for index, annotation in links:
            relation = _relation(annotation, index, where, refs)
            if isinstance(relation, FormatProblem):
                yield relation
            else:
                relations.append(relation)
        actors: list[ImportedActor] = []
        for actor in _actors(group, where):
            if isinstance(actor, FormatProblem):
                yield actor
            else:
                actors.append(actor)
        yield ImportedDocument(
            text=text,
            meta=meta,
            spans=tuple(spans),
            origin=where,
            relations=tuple(relations),
            actors=tuple(actors),
        )


def sniff(path: Path) -> bool:
    """True for a JSON file that mentions the Web Annotation context near its start."""
    if not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith(("{", "[")) and ANNO_CONTEXT in head
