"""Carrying one annotator's layer between databases (offline teams).

`export_bundle` writes an annotator's spans, links and statuses on all or chosen documents, with
the documents' texts and the registry actors the spans name. `import_bundle` reads one into
another database in one transaction: documents are matched by their text's SHA-256 (missing
ones are added with their text), the layer goes under the same annotator name (or `as_name`).
A document where that annotator already has a different layer is a conflict: it is reported and
left as it is. Importing the same bundle again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.library import DocumentStatus, DuplicateOf
from annotator.domain.model import Actor, NewSpan, Schema, Span
from annotator.formats.layer_bundle import (
    Bundle,
    BundleDocument,
    BundleRelation,
    BundleSpan,
    read_bundle,
    write_bundle,
)
from annotator.store import Database, Repository


@dataclass(frozen=True, slots=True)
class BundleExport:
    annotator: str
    documents: int
    spans: int
    relations: int


@dataclass(frozen=True, slots=True)
class Conflict:
    document_id: int
    title: str
    stored: int  # spans the annotator has there now
    bundled: int  # spans the bundle has

    def describe(self, annotator: str) -> str:
        return (
            f"document {self.document_id} ({self.title!r}): {annotator!r} already has a "
            f"different layer here ({self.stored} spans; the bundle has {self.bundled}); left "
            "as it was. To take the bundle's, delete that layer on the document and import "
            "again, or import it under another name (--as NAME)"
        )


@dataclass(slots=True)
class BundleImport:
    annotator: str
    documents_added: list[int] = field(default_factory=list)
    documents_matched: list[int] = field(default_factory=list)
    layers_added: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    spans: int = 0
    relations: int = 0
    actors_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"layer {self.annotator!r}: {len(self.layers_added)} document(s) annotated "
            f"({self.spans} spans, {self.relations} links), {len(self.unchanged)} already "
            f"there, {len(self.conflicts)} conflict(s); {len(self.documents_added)} "
            f"document(s) added, {len(self.documents_matched)} matched by SHA-256"
        )


def export_bundle(
    db: Database, *, annotator: str, out: Path, document_ids: Sequence[int] = ()
) -> BundleExport:
    """Write `annotator`'s layer: the chosen documents, or every document where it has spans
    or a status."""
    with db.reading() as repo:
        found = next((a for a in repo.annotators() if a.name == annotator), None)
        if found is None:
            raise NotFoundError(f"no annotator named {annotator!r} in this database")
        role = repo.annotator_roles().get(found.id, "annotator")
        schema = repo.schema()
        ids = list(dict.fromkeys(document_ids)) or _documents_of(repo, found.id)
        contents = repo.document_contents(sorted(ids))
        if len(contents) != len(ids):
            missing = set(ids) - {c.document.id for c in contents}
            raise NotFoundError(f"document {min(missing)} does not exist")
        actor_ids = {
            s.actor_id
            for c in contents
            for s in c.spans
            if s.annotator_id == found.id and s.actor_id is not None
        }
        actors = repo.actors_by_ids(actor_ids) if actor_ids else []
    keys = {a.id: a.key for a in actors}
    documents = []
    spans = relations = 0
    for c in contents:
        mine = [s for s in c.spans if s.annotator_id == found.id]
        ours = {s.id for s in mine}
        links = [r for r in c.relations if r.source_id in ours and r.target_id in ours]
        spans += len(mine)
        relations += len(links)
        status = c.statuses.get(found.id, DocumentStatus.NEW)
        documents.append(
            BundleDocument(
                c.document.sha256,
                c.document.text,
                c.document.meta,
                DocumentStatus(status).value,
                tuple(_bundle_span(s, schema, keys) for s in mine),
                tuple(
                    BundleRelation(schema.relation_type(r.type_id).name, r.source_id, r.target_id)
                    for r in links
                ),
            )
        )
    write_bundle(Bundle(found.name, role, tuple(actors), tuple(documents)), out)
    return BundleExport(found.name, len(documents), spans, relations)


def _documents_of(repo: Repository, annotator_id: int) -> list[int]:
    ids: list[int] = []
    after = 0
    while page := repo.document_ids(after=after):
        for c in repo.document_contents(page):
            if annotator_id in c.statuses or any(s.annotator_id == annotator_id for s in c.spans):
                ids.append(c.document.id)
        after = page[-1]
    return ids


def _bundle_span(span: Span, schema: Schema, keys: dict[int, str]) -> BundleSpan:
    return BundleSpan(
        span.id,
        span.start,
        span.end,
        schema.label(span.label_id).name,
        span.quote,
        dict(span.attributes),
        span.note,
        keys.get(span.actor_id) if span.actor_id is not None else None,
    )


def import_bundle(db: Database, *, path: Path, as_name: str | None = None) -> BundleImport:
    """Read a bundle into the database, all in one transaction (see the module's text).

    BundleError (nothing written) for a file that is not a bundle, or that names a label or
    link type this database's schema lacks."""
    bundle = read_bundle(path)
    name = (as_name or bundle.annotator).strip()
    if not name:
        raise AnnotatorError("the annotator name to import under is empty")
    with db.transaction() as repo:
        schema = repo.schema()
        _check_schema(path, bundle, schema)
        report = BundleImport(name)
        annotator = _annotator(repo, name, bundle.role)
        actor_ids = _actors(repo, bundle.actors, report)
        for d in bundle.documents:
            _import_document(repo, d, annotator, schema, actor_ids, report)
        return report


def _check_schema(path: Path, bundle: Bundle, schema: Schema) -> None:
    from annotator.formats.layer_bundle import BundleError

    labels = {s.label for d in bundle.documents for s in d.spans}
    types = {r.type for d in bundle.documents for r in d.relations}
    missing = sorted(x for x in labels if schema.label_named(x) is None)
    if missing:
        raise BundleError(
            f"{path.name}: labels this database's schema lacks: {', '.join(missing)} (import "
            "the schema of the bundle's database first: annotator schema export/import)"
        )
    missing = sorted(x for x in types if schema.relation_type_named(x) is None)
    if missing:
        raise BundleError(
            f"{path.name}: link types this database's schema lacks: {', '.join(missing)}"
        )


def _annotator(repo: Repository, name: str, role: str) -> int:
    known = {a.name: a.id for a in repo.annotators()}
    if name in known:
        have = repo.annotator_roles().get(known[name], "annotator")
        if have != role:
            raise AnnotatorError(
                f"{name!r} is a {have} layer in this database and the bundle's is a {role} "
                "layer: import it under another name (--as NAME)"
            )
        return known[name]
    annotator_id = repo.annotator_named(name).id
    if role != "annotator":
        repo.set_annotator_role(annotator_id, role)
    return annotator_id


def _actors(repo: Repository, actors: Sequence[Actor], report: BundleImport) -> dict[str, int]:
    """Registry ids by key: the bundle's actors matched by key, added when missing."""
    ids = {}
    for actor in actors:
        stored = repo.actor_by_key(actor.key)
        if stored is None:
            stored = repo.save_actor(actor, new=True)
            report.actors_added.append(actor.key)
        ids[actor.key] = stored.id
    return ids


def _import_document(
    repo: Repository,
    d: BundleDocument,
    annotator_id: int,
    schema: Schema,
    actor_ids: dict[str, int],
    report: BundleImport,
) -> None:
    (added,) = repo.add_documents([(d.meta, d.text, ())])
    if isinstance(added, DuplicateOf):
        document_id = added.existing_id
        report.documents_matched.append(document_id)
    else:
        document_id = added.id
        report.documents_added.append(document_id)
    label = {s.id: schema.label_named(s.label) for s in d.spans}
    new_spans = [
        (
            label[s.id].id,  # type: ignore[union-attr]  # checked by _check_schema
            s.start,
            s.end,
            json.dumps(s.attributes, sort_keys=True, default=str),
            actor_ids.get(s.actor) if s.actor else None,
        )
        for s in d.spans
    ]
    key_of = {s.id: (label[s.id].id, s.start, s.end) for s in d.spans}  # type: ignore[union-attr]
    new_links = [
        (schema.relation_type_named(r.type).id, key_of[r.source], key_of[r.target])  # type: ignore[union-attr]
        for r in d.relations
    ]
    stored = [s for s in repo.spans(document_id) if s.annotator_id == annotator_id]
    stored_ids = {s.id: (s.label_id, s.start, s.end) for s in stored}
    old_links = [
        (r.type_id, stored_ids[r.source_id], stored_ids[r.target_id])
        for r in repo.relations(document_id)
        if r.source_id in stored_ids and r.target_id in stored_ids
    ]
    old_spans = [
        (
            s.label_id,
            s.start,
            s.end,
            json.dumps(s.attributes, sort_keys=True, default=str),
            s.actor_id,
        )
        for s in stored
    ]
    if stored:
        if (sorted(old_spans), sorted(old_links)) == (sorted(new_spans), sorted(new_links)):
            report.unchanged.append(document_id)
        else:
            report.conflicts.append(Conflict(document_id, d.meta.title, len(stored), len(d.spans)))
        return
    if not d.spans:
        if d.status != "new":
            repo.set_status(document_id=document_id, annotator_id=annotator_id, status=d.status)
        report.unchanged.append(document_id)
        return
    ids = repo.add_spans(
        document_id,
        [
            NewSpan(
                start=s.start,
                end=s.end,
                label_id=key_of[s.id][0],
                annotator_id=annotator_id,
                quote=s.quote,
                attributes=dict(s.attributes),
                note=s.note,
                actor_id=actor_ids.get(s.actor) if s.actor else None,
            )
            for s in d.spans
        ],
    )
    local = {s.id: new for s, new in zip(d.spans, ids, strict=True)}
    for r in d.relations:
        repo.add_relation(
            type_id=schema.relation_type_named(r.type).id,  # type: ignore[union-attr]
            source_id=local[r.source],
            target_id=local[r.target],
            annotator_id=annotator_id,
        )
    if d.status != "new":
        repo.set_status(document_id=document_id, annotator_id=annotator_id, status=d.status)
    report.layers_added.append(document_id)
    report.spans += len(d.spans)
    report.relations += len(d.relations)
