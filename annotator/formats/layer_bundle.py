"""Layer bundles: one annotator's layer of some documents, to carry to another database.

A bundle is one UTF-8 JSON object (see docs/teams.md):

    {"format": "annotator-layer-bundle", "version": 1,
     "annotator": {"name": "ann", "role": "annotator"},
     "actors": [{"key", "name", "kind", "aliases", "description", "external_id"}],
     "documents": [{"sha256", "text", "title", "source", "url", "author", "published",
                    "language", "status",
                    "spans": [{"id", "start", "end", "label", "quote", "attributes", "note",
                               "actor"}],
                    "relations": [{"type", "source", "target"}]}]}

Offsets are code points of `text`, end exclusive; a span's `id` is local to the bundle (links
name their ends by it) and `actor` is a registry key. Nothing in a bundle is trusted: `read_bundle`
checks every field and refuses the file with the problem and where it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Actor, DocumentMeta
from annotator.formats import _json_safe

FORMAT = "annotator-layer-bundle"
VERSION = 1
ROLES = ("annotator", "gold")
STATUSES = ("new", "in_progress", "done")
MAX_BYTES = 1 << 30


class BundleError(AnnotatorError):
    """A bundle file refused: the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class BundleSpan:
    id: int
    start: int
    end: int
    label: str
    quote: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    actor: str | None = None  # a registry key


@dataclass(frozen=True, slots=True)
class BundleRelation:
    type: str
    source: int  # BundleSpan ids
    target: int


@dataclass(frozen=True, slots=True)
class BundleDocument:
    sha256: str
    text: str
    meta: DocumentMeta
    status: str
    spans: tuple[BundleSpan, ...]
    relations: tuple[BundleRelation, ...]


@dataclass(frozen=True, slots=True)
class Bundle:
    annotator: str
    role: str
    actors: tuple[Actor, ...]
    documents: tuple[BundleDocument, ...]


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_bundle(bundle: Bundle, path: Path) -> None:
    """Write the bundle as JSON, to a temporary name first and then moved into place."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "annotator": {"name": bundle.annotator, "role": bundle.role},
        "actors": [
            {
                "key": a.key,
                "name": a.name,
                "kind": a.kind,
                "aliases": list(a.aliases),
                "description": a.description,
                "external_id": a.external_id,
            }
            for a in bundle.actors
        ],
        "documents": [
            {
                "sha256": d.sha256,
                "title": d.meta.title,
                "source": d.meta.source,
                "url": d.meta.url,
                "author": d.meta.author,
                "published": d.meta.published,
                "language": d.meta.language,
                "status": d.status,
                "text": d.text,
                "spans": [
                    {
                        "id": s.id,
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "quote": s.quote,
                        "attributes": s.attributes,
                        "note": s.note,
                        "actor": s.actor,
                    }
                    for s in d.spans
                ],
                "relations": [
                    {"type": r.type, "source": r.source, "target": r.target} for r in d.relations
                ],
            }
            for d in bundle.documents
        ],
    }
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> BundleError:
        return BundleError(
            f"{self.name}: {where}: {problem}" if where else f"{self.name}: {problem}"
        )

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "expected a list")
        return value

    def text(self, value: Any, where: str, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, "expected a string" + (" or null" if optional else ""))
        return value

    def number(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(where, "expected a whole number of 0 or more")
        return value


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle; BundleError naming the file and the problem if it is not one."""
    r = _Reader(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BundleError(f"{path.name}: cannot read it: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise r.fail("", f"{size} bytes: larger than a bundle can be ({MAX_BYTES})")
    try:
        data = _json_safe.loads(_json_safe.read_text(path))
    except _json_safe.UnsafeJSONError as exc:
        raise r.fail("", exc.message) from None
    except json.JSONDecodeError as exc:
        raise r.fail(f"line {exc.lineno}", f"not JSON ({exc.msg})") from None
    except OSError as exc:
        raise r.fail("", f"cannot read it: {exc.strerror or exc}") from None
    top = r.obj(data, "")
    if top.get("format") != FORMAT:
        raise r.fail("", f'not a layer bundle (no "format": "{FORMAT}")')
    if top.get("version") != VERSION:
        raise r.fail(
            "version", f"{top.get('version')!r} is not a version this program reads ({VERSION})"
        )
    who = r.obj(top.get("annotator"), "annotator")
    name = r.text(who.get("name"), "annotator.name").strip()
    if not name:
        raise r.fail("annotator.name", "empty")
    role = who.get("role", "annotator")
    if role not in ROLES:
        raise r.fail("annotator.role", f"{role!r} is not one of {', '.join(ROLES)}")
    actors = tuple(
        _actor(r, r.obj(a, f"actors[{i}]"), f"actors[{i}]")
        for i, a in enumerate(r.array(top.get("actors", []), "actors"))
    )
    keys = {a.key for a in actors}
    documents = tuple(
        _document(r, r.obj(d, f"documents[{i}]"), f"documents[{i}]", keys)
        for i, d in enumerate(r.array(top.get("documents"), "documents"))
    )
    return Bundle(name, role, actors, documents)


def _actor(r: _Reader, a: dict[str, Any], where: str) -> Actor:
    aliases = r.array(a.get("aliases", []), f"{where}.aliases")
    key = r.text(a.get("key"), f"{where}.key")
    if not key.strip():
        raise r.fail(f"{where}.key", "empty")
    return Actor(
        id=0,
        key=key,
        name=r.text(a.get("name"), f"{where}.name"),
        kind=r.text(a.get("kind"), f"{where}.kind", optional=True),
        aliases=tuple(r.text(x, f"{where}.aliases") for x in aliases),
        description=r.text(a.get("description") or "", f"{where}.description"),
        external_id=r.text(a.get("external_id"), f"{where}.external_id", optional=True),
    )


def _document(r: _Reader, d: dict[str, Any], where: str, actor_keys: set[str]) -> BundleDocument:
    text = r.text(d.get("text"), f"{where}.text")
    if "\r" in text:
        raise r.fail(f"{where}.text", "has CR line ends, which stored texts never have")
    sha = r.text(d.get("sha256"), f"{where}.sha256")
    if sha256_of(text) != sha:
        raise r.fail(f"{where}.sha256", "does not match the document's text")
    status = d.get("status") or "new"
    if status not in STATUSES:
        raise r.fail(f"{where}.status", f"{status!r} is not one of {', '.join(STATUSES)}")
    meta = DocumentMeta(
        title=r.text(d.get("title") or "", f"{where}.title"),
        **{
            key: r.text(d.get(key), f"{where}.{key}", optional=True)
            for key in ("source", "url", "author", "published", "language")
        },
    )
    spans = []
    for i, s in enumerate(r.array(d.get("spans", []), f"{where}.spans")):
        at = f"{where}.spans[{i}]"
        s = r.obj(s, at)
        start, end = r.number(s.get("start"), f"{at}.start"), r.number(s.get("end"), f"{at}.end")
        if not start < end <= len(text):
            raise r.fail(at, f"offsets {start}-{end} are not a span of the text ({len(text)})")
        quote = r.text(s.get("quote"), f"{at}.quote")
        if text[start:end] != quote:
            raise r.fail(f"{at}.quote", "is not the text at its offsets")
        actor = r.text(s.get("actor"), f"{at}.actor", optional=True)
        if actor is not None and actor not in actor_keys:
            raise r.fail(f"{at}.actor", f"{actor!r} is not among the bundle's actors")
        attributes = r.obj(s.get("attributes") or {}, f"{at}.attributes")
        spans.append(
            BundleSpan(
                id=r.number(s.get("id"), f"{at}.id"),
                start=start,
                end=end,
                label=r.text(s.get("label"), f"{at}.label"),
                quote=quote,
                attributes=attributes,
                note=r.text(s.get("note"), f"{at}.note", optional=True),
                actor=actor,
            )
        )
    ids = [s.id for s in spans]
    if len(set(ids)) != len(ids):
        raise r.fail(f"{where}.spans", "two spans have the same id")
    relations = []
    for i, x in enumerate(r.array(d.get("relations", []), f"{where}.relations")):
        at = f"{where}.relations[{i}]"
        x = r.obj(x, at)
        relation = BundleRelation(
            type=r.text(x.get("type"), f"{at}.type"),
            source=r.number(x.get("source"), f"{at}.source"),
            target=r.number(x.get("target"), f"{at}.target"),
        )
        if relation.source not in ids or relation.target not in ids:
            raise r.fail(at, "links a span id the document does not have")
        relations.append(relation)
    return BundleDocument(sha, text, meta, status, tuple(spans), tuple(relations))
