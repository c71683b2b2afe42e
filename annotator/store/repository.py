"""Queries and writes inside one unit of work, returning domain dataclasses."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from annotator.domain.errors import (
    DuplicateDocumentError,
    DuplicateSpanError,
    InvalidRelationError,
    NotFoundError,
    SchemaError,
    SpanChangedError,
)
from annotator.domain.library import (
    AddedDocument,
    Assignment,
    DeletedDocuments,
    DocumentContents,
    DocumentStatus,
    DuplicateOf,
    FacetCount,
    LibraryFilter,
    LibraryRow,
    LibrarySort,
    Progress,
    SearchHit,
    SearchQuery,
    SpanHit,
)
from annotator.domain.model import (
    Actor,
    Annotator,
    Document,
    DocumentFingerprint,
    DocumentMeta,
    DocumentSummary,
    Label,
    NewRelation,
    NewSpan,
    Relation,
    RelationType,
    Schema,
    Span,
)
from annotator.domain.revisions import Resolution, RevisionPlan, SpanReview, StoredRevision
from annotator.domain.schema import LabelSpec
from annotator.domain.text import check_quote, check_range, check_span
from annotator.store import library, search
from annotator.store import revisions as revised
from annotator.store.batches import chunks
from annotator.store.bulk import insert_rows
from annotator.store.convert import (
    SPAN_COLUMNS,
    RawDecoder,
    to_actor,
    to_document,
    to_label,
    to_meta,
    to_relation,
    to_relation_type,
    to_span,
)
from annotator.store.models import (
    ActorRow,
    AnnotatorRow,
    DocumentRow,
    DocumentStatusRow,
    LabelRow,
    RelationRow,
    RelationTypeRow,
    SpanRow,
    utcnow,
)
from annotator.store.overview import Overview


def _label_conflict(name: str, hotkey: str | None) -> str:
    if hotkey:
        return f"another label is already named {name!r} or uses the hotkey {hotkey!r}"
    return f"another label is already named {name!r}"


if TYPE_CHECKING:  # numpy comes with it: loaded when agreement is measured, not at start-up
    from annotator.domain.agreement import AgreementLink, AgreementSpan

    # Loaded by the methods that use them: an import or a listing needs neither.
    from annotator.domain.claims import ClaimCorpus, DatedSpan, MentionInContext
    from annotator.domain.suggestions import NewSuggestion, SpanPlace, StoredModel, Suggestion

_SPANS = cast(Table, SpanRow.__table__)
# The columns of a bulk insert of spans (`add_spans_of`), in the order of its rows' values.
_SPAN_INSERT = (
    "document_id",
    "start",
    "end",
    "label_id",
    "quote",
    "annotator_id",
    "attributes",
    "note",
    "actor_id",
    "created",
    "updated",
    "origin",
    "origin_version",
)
_RELATIONS = cast(Table, RelationRow.__table__)


class Repository:
    """Typed access to the tables within one session. Refuses spans that break the contract."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Labels -------------------------------------------------------------------------------
    def labels(self) -> list[Label]:
        rows = self._session.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
        return [to_label(r) for r in rows]

    def label(self, label_id: int) -> Label | None:
        row = self._session.get(LabelRow, label_id)
        return to_label(row) if row is not None else None

    def add_label(self, spec: LabelSpec, *, position: int) -> Label:
        row = LabelRow(
            name=spec.name,
            colour=spec.colour,
            hotkey=spec.hotkey,
            position=position,
            style=spec.style.value,
            description=spec.description,
            attributes=[a.to_dict() for a in spec.attributes],
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
        except IntegrityError as exc:
            raise SchemaError(_label_conflict(spec.name, spec.hotkey)) from exc
        return to_label(row)

    def update_label(self, label_id: int, spec: LabelSpec) -> Label:
        """Change a label in place (name, colour, hotkey, style, description, attributes).

        Its spans keep pointing at it, so renaming a label keeps every span.
        """
        row = self._session.get(LabelRow, label_id)
        if row is None:
            raise NotFoundError(f"label {label_id} does not exist")
        try:
            with self._session.begin_nested():
                row.name = spec.name
                row.colour = spec.colour
                row.hotkey = spec.hotkey
                row.style = spec.style.value
                row.description = spec.description
                row.attributes = [a.to_dict() for a in spec.attributes]
                self._session.flush()
        except IntegrityError as exc:
            raise SchemaError(_label_conflict(spec.name, spec.hotkey)) from exc
        return to_label(row)

    def delete_label(self, label_id: int) -> None:
        """Delete a label that no span, no open review entry and no relation type uses."""
        row = self._session.get(LabelRow, label_id)
        if row is None:
            raise NotFoundError(f"label {label_id} does not exist")
        used = self._session.scalar(
            select(func.count(SpanRow.id)).where(SpanRow.label_id == label_id)
        )
        if used:
            raise SchemaError(f"{row.name} is used by {used} span(s); relabel or delete them first")
        # Spans a new version of their article left unplaced are kept in review entries, which
        # would go with the label: they are spans too, waiting for a place.
        waiting = revised.open_reviews_with_label(self._session, label_id)
        if waiting:
            raise SchemaError(
                f"{row.name} is used by {waiting} span(s) waiting for review after a new version "
                "of their article; place or discard them first (Document > Review changed "
                "article)"
            )
        types = self._session.scalars(
            select(RelationTypeRow.name).where(
                (RelationTypeRow.source_label_id == label_id)
                | (RelationTypeRow.target_label_id == label_id)
            )
        ).all()
        if types:
            raise SchemaError(f"{row.name} is used by relation type(s) {', '.join(types)}")
        self._session.delete(row)
        self._session.flush()

    def schema(self) -> Schema:
        return Schema(tuple(self.labels()), tuple(self.relation_types()))

    # Relation types -----------------------------------------------------------------------
    def relation_types(self) -> list[RelationType]:
        rows = self._session.scalars(
            select(RelationTypeRow).order_by(RelationTypeRow.position, RelationTypeRow.id)
        )
        return [to_relation_type(r) for r in rows]

    def save_relation_type(
        self,
        *,
        name: str,
        source_label_id: int | None,
        target_label_id: int | None,
        colour: str,
        description: str = "",
        position: int | None = None,
        type_id: int | None = None,
    ) -> RelationType:
        """Add a relation type, or change the one with `type_id` (its relations stay)."""
        if type_id is None:
            row = RelationTypeRow()
            if position is None:
                last = self._session.scalar(select(func.max(RelationTypeRow.position)))
                position = (last or 0) + 1
        else:
            found = self._session.get(RelationTypeRow, type_id)
            if found is None:
                raise NotFoundError(f"relation type {type_id} does not exist")
            row = found
        if type_id is not None and (source_label_id, target_label_id) != (
            row.source_label_id,
            row.target_label_id,
        ):
            self._check_relations_fit(type_id, source_label_id, target_label_id)
        try:
            with self._session.begin_nested():
                row.name = name
                row.source_label_id = source_label_id
                row.target_label_id = target_label_id
                row.colour = colour
                row.description = description
                if position is not None:
                    row.position = position
                self._session.add(row)
                self._session.flush()
        except IntegrityError as exc:
            raise SchemaError(f"a relation type named {name!r} already exists") from exc
        return to_relation_type(row)

    def _check_relations_fit(
        self, type_id: int, source_label_id: int | None, target_label_id: int | None
    ) -> None:
        source = aliased(SpanRow)
        target = aliased(SpanRow)
        query = (
            select(func.count(RelationRow.id))
            .join(source, source.id == RelationRow.source_id)
            .join(target, target.id == RelationRow.target_id)
            .where(RelationRow.type_id == type_id)
        )
        misfits = 0
        if source_label_id is not None:
            misfits += self._session.scalar(query.where(source.label_id != source_label_id)) or 0
        if target_label_id is not None:
            misfits += self._session.scalar(query.where(target.label_id != target_label_id)) or 0
        if misfits:
            raise SchemaError(
                f"{misfits} stored relation(s) of this type link other labels; "
                "delete them before narrowing the type"
            )

    def delete_relation_type(self, type_id: int) -> None:
        row = self._session.get(RelationTypeRow, type_id)
        if row is None:
            raise NotFoundError(f"relation type {type_id} does not exist")
        used = self._session.scalar(
            select(func.count(RelationRow.id)).where(RelationRow.type_id == type_id)
        )
        if used:
            raise SchemaError(f"{row.name} is used by {used} relation(s); delete them first")
        self._session.delete(row)
        self._session.flush()

    # Relations ----------------------------------------------------------------------------
    def document_fingerprint(
        self, document_id: int, *, annotator_id: int | None = None
    ) -> DocumentFingerprint:
        """What changes when a new version of the document's text is stored, or anyone (or,
        with `annotator_id`, that annotator) adds, edits or deletes a span or link of it: two
        aggregate queries on indexed columns, instead of reading them all."""
        span_where = [SpanRow.document_id == document_id]
        link_where = [RelationRow.document_id == document_id]
        if annotator_id is not None:
            span_where.append(SpanRow.annotator_id == annotator_id)
            link_where.append(RelationRow.annotator_id == annotator_id)
        sha256 = select(DocumentRow.sha256).where(DocumentRow.id == document_id).scalar_subquery()
        spans = self._session.execute(
            select(sha256, func.count(), func.max(SpanRow.id), func.max(SpanRow.updated)).where(
                *span_where
            )
        ).one()
        links = self._session.execute(
            select(func.count(), func.max(RelationRow.id)).where(*link_where)
        ).one()
        return DocumentFingerprint(spans[0], spans[1], spans[2], spans[3], links[0], links[1])

    def relations(
        self, document_id: int, *, annotator_ids: Collection[int] | None = None
    ) -> list[Relation]:
        """The document's links; with `annotator_ids`, only the links those annotators made
        (their layers)."""
        query = select(RelationRow).where(RelationRow.document_id == document_id)
        if annotator_ids is not None:
            query = query.where(RelationRow.annotator_id.in_(list(annotator_ids)))
        rows = self._session.scalars(query.order_by(RelationRow.id))
        return [to_relation(r) for r in rows]

    def relations_of_spans(self, span_ids: Collection[int]) -> list[Relation]:
        """Every relation from or to one of these spans."""
        found: dict[int, Relation] = {}
        for chunk in chunks(list(span_ids)):
            rows = self._session.scalars(
                select(RelationRow).where(
                    RelationRow.source_id.in_(chunk) | RelationRow.target_id.in_(chunk)
                )
            )
            for row in rows:
                found[row.id] = to_relation(row)
        return sorted(found.values(), key=lambda r: r.id)

    def add_relation(
        self,
        *,
        type_id: int,
        source_id: int,
        target_id: int,
        annotator_id: int,
        relation_id: int | None = None,
        created: datetime | None = None,
    ) -> Relation:
        """Link two spans of one document, if the type allows their labels."""
        relation_type = self._session.get(RelationTypeRow, type_id)
        if relation_type is None:
            raise NotFoundError(f"relation type {type_id} does not exist")
        source, target = self._span_row(source_id), self._span_row(target_id)
        if source_id == target_id:
            raise InvalidRelationError("a span cannot be linked to itself")
        if source.document_id != target.document_id:
            raise InvalidRelationError("only spans of the same document can be linked")
        if not to_relation_type(relation_type).allows(source.label_id, target.label_id):
            names = dict(self._session.execute(select(LabelRow.id, LabelRow.name)).all())
            wanted_from = names.get(relation_type.source_label_id or -1, "any label")
            wanted_to = names.get(relation_type.target_label_id or -1, "any label")
            raise InvalidRelationError(
                f"{relation_type.name} links {wanted_from} to {wanted_to}, not "
                f"{names[source.label_id]} to {names[target.label_id]}"
            )
        row = RelationRow(
            document_id=source.document_id,
            type_id=type_id,
            source_id=source_id,
            target_id=target_id,
            annotator_id=annotator_id,
            created=created or utcnow(),
        )
        if relation_id is not None:
            row.id = relation_id
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
        except IntegrityError as exc:
            raise InvalidRelationError(
                f"{relation_type.name} already links {source.quote!r} to {target.quote!r}"
            ) from exc
        return to_relation(row)

    def restore_relations(self, relations: Iterable[Relation]) -> list[Relation]:
        """Put deleted relations back under their old ids and times (undo, redo)."""
        return [
            self.add_relation(
                type_id=r.type_id,
                source_id=r.source_id,
                target_id=r.target_id,
                annotator_id=r.annotator_id,
                relation_id=r.id,
                created=r.created,
            )
            for r in relations
        ]

    def add_relations(self, items: Sequence[NewRelation]) -> list[str | None]:
        """Link many pairs of spans with one executemany; per item, in order, None when it is
        stored or why it is not (as `add_relation` would raise it: an end missing, a span
        linked to itself or to another document, labels the type does not allow). A link
        already stored (or twice in `items`) raises InvalidRelationError and nothing of the
        call stays: callers leave out the links they know."""
        if not items:
            return []
        types = {
            row.id: to_relation_type(row)
            for row in self._session.scalars(
                select(RelationTypeRow).where(
                    RelationTypeRow.id.in_({item.type_id for item in items})
                )
            )
        }
        ends: dict[int, tuple[int, int]] = {}  # span id -> (document id, label id)
        for chunk in chunks(list({i for item in items for i in (item.source_id, item.target_id)})):
            for span_id, doc_id, label_id in self._session.execute(
                select(SpanRow.id, SpanRow.document_id, SpanRow.label_id).where(
                    SpanRow.id.in_(chunk)
                )
            ):
                ends[span_id] = (doc_id, label_id)
        names: dict[int, str] = {}
        now = utcnow()
        rows: list[dict[str, Any]] = []
        reasons: list[str | None] = []
        for item in items:
            relation_type = types.get(item.type_id)
            source, target = ends.get(item.source_id), ends.get(item.target_id)
            reason = None
            if relation_type is None:
                reason = f"relation type {item.type_id} does not exist"
            elif source is None or target is None:
                missing = item.source_id if source is None else item.target_id
                reason = f"span {missing} does not exist"
            elif item.source_id == item.target_id:
                reason = "a span cannot be linked to itself"
            elif source[0] != target[0]:
                reason = "only spans of the same document can be linked"
            elif not relation_type.allows(source[1], target[1]):
                names = names or dict(
                    self._session.execute(select(LabelRow.id, LabelRow.name)).all()
                )
                wanted_from = names.get(relation_type.source_label_id or -1, "any label")
                wanted_to = names.get(relation_type.target_label_id or -1, "any label")
                reason = (
                    f"{relation_type.name} links {wanted_from} to {wanted_to}, not "
                    f"{names[source[1]]} to {names[target[1]]}"
                )
            reasons.append(reason)
            if reason is None and source is not None:
                rows.append(
                    {
                        "document_id": source[0],
                        "type_id": item.type_id,
                        "source_id": item.source_id,
                        "target_id": item.target_id,
                        "annotator_id": item.annotator_id,
                        "created": item.created or now,
                    }
                )
        if rows:
            try:
                with self._session.begin_nested():
                    self._session.execute(insert(_RELATIONS), rows)
            except IntegrityError as exc:
                raise InvalidRelationError(
                    f"some of these {len(rows)} relations are already stored"
                ) from exc
        return reasons

    def delete_relations(self, relation_ids: Iterable[int]) -> list[Relation]:
        """Delete relations and return them as they were, for undo."""
        deleted = []
        for relation_id in relation_ids:
            row = self._session.get(RelationRow, relation_id)
            if row is None:
                raise NotFoundError(f"relation {relation_id} does not exist")
            deleted.append(to_relation(row))
            self._session.delete(row)
        self._session.flush()
        return deleted

    # Actors -------------------------------------------------------------------------------
    def actors(self) -> list[Actor]:
        rows = self._session.scalars(select(ActorRow).order_by(ActorRow.name, ActorRow.id))
        return [to_actor(r) for r in rows]

    def actor(self, actor_id: int) -> Actor:
        return to_actor(self._actor_row(actor_id))

    def _actor_row(self, actor_id: int) -> ActorRow:
        row = self._session.get(ActorRow, actor_id)
        if row is None:
            raise NotFoundError(f"actor {actor_id} does not exist")
        return row

    def actor_by_key(self, key: str) -> Actor | None:
        row = self._session.scalar(select(ActorRow).where(ActorRow.key == key))
        return None if row is None else to_actor(row)

    def save_actor(self, actor: Actor, *, new: bool) -> Actor:
        """Insert `actor` (with `new`; its id is ignored unless positive, for undo) or update it."""
        if new:
            row = ActorRow()
            if actor.id > 0:
                row.id = actor.id
        else:
            row = self._actor_row(actor.id)
        try:
            with self._session.begin_nested():
                row.key = actor.key
                row.name = actor.name
                row.kind = actor.kind
                row.aliases = list(actor.aliases)
                row.description = actor.description
                row.external_id = actor.external_id
                self._session.add(row)
                self._session.flush()
        except IntegrityError as exc:
            raise SchemaError(f"an actor with the key {actor.key!r} already exists") from exc
        return to_actor(row)

    def delete_actor(self, actor_id: int) -> None:
        """Delete a registry entry; its mentions stay, unlinked."""
        self._session.delete(self._actor_row(actor_id))
        self._session.flush()

    def link_spans_to_actor(
        self,
        span_ids: Collection[int],
        actor_id: int | None,
        *,
        versions: dict[int, datetime] | None = None,
    ) -> None:
        """Link spans to an actor (None unlinks). With `versions` (span id -> the `updated`
        the caller read), a span changed since raises SpanChangedError and nothing changes."""
        if actor_id is not None:
            self._actor_row(actor_id)
        checked = versions or {}
        for span_id, version in checked.items():
            self._span_row(span_id, version=version).actor_id = actor_id
        self._session.flush()
        for chunk in chunks([i for i in span_ids if i not in checked]):
            self._session.execute(
                update(SpanRow)
                .where(SpanRow.id.in_(chunk))
                .values(actor_id=actor_id, updated=utcnow())
            )
        self._session.expire_all()

    def actor_mentions(self, actor_id: int) -> list[Span]:
        rows = self._session.scalars(
            select(SpanRow)
            .where(SpanRow.actor_id == actor_id)
            .order_by(SpanRow.document_id, SpanRow.start, SpanRow.id)
        )
        return [to_span(r) for r in rows]

    def spans_quoting(
        self, label_id: int, quotes: Collection[str], *, unlinked_only: bool
    ) -> list[Span]:
        """Spans of a label, across the corpus, whose quote is one of `quotes` (case-folded)."""
        wanted = {q.casefold() for q in quotes if q}
        query = select(SpanRow).where(SpanRow.label_id == label_id)
        if all(len(q.casefold()) == len(q) for q in quotes):
            # Narrow by length in SQL, unless case-folding changes a name's length ("Straße").
            query = query.where(func.length(SpanRow.quote).in_({len(q) for q in quotes}))
        if unlinked_only:
            query = query.where(SpanRow.actor_id.is_(None))
        rows = self._session.scalars(query.order_by(SpanRow.document_id, SpanRow.start))
        return [to_span(r) for r in rows if r.quote.casefold() in wanted]

    def set_span_details(
        self, span_id: int, *, attributes: dict[str, Any], note: str | None
    ) -> Span:
        """Replace a span's attribute values and note (already checked by the caller)."""
        row = self._span_row(span_id)
        row.attributes = dict(attributes)
        row.note = note or None
        self._session.flush()
        return to_span(row)

    # Annotators ---------------------------------------------------------------------------
    def annotator_named(self, name: str) -> Annotator:
        """The annotator with this name, created if new."""
        row = self._session.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        if row is None:
            row = AnnotatorRow(name=name)
            self._session.add(row)
            self._session.flush()
        return Annotator(id=row.id, name=row.name)

    def annotators(self) -> list[Annotator]:
        rows = self._session.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))
        return [Annotator(id=r.id, name=r.name) for r in rows]

    def annotator_roles(self) -> dict[int, str]:
        """Annotator id -> role ('annotator', or 'gold' for a curated layer)."""
        return dict(self._session.execute(select(AnnotatorRow.id, AnnotatorRow.role)).all())

    def set_annotator_role(self, annotator_id: int, role: str) -> None:
        row = self._session.get(AnnotatorRow, annotator_id)
        if row is None:
            raise NotFoundError(f"annotator {annotator_id} does not exist")
        row.role = role
        self._session.flush()

    def annotator_by_name(self, name: str) -> Annotator | None:
        """The annotator with this name, or None (nothing is created)."""
        row = self._session.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        return Annotator(id=row.id, name=row.name) if row is not None else None

    # Assignments ---------------------------------------------------------------------------
    def assign(self, *, document_ids: Sequence[int], annotator_id: int) -> list[int]:
        """Assign documents to an annotator; the ids newly assigned."""
        return library.assign(self._session, document_ids=document_ids, annotator_id=annotator_id)

    def unassigned_ids(self, *, limit: int) -> list[int]:
        return library.unassigned_ids(self._session, limit=limit)

    def assignments(self) -> list[Assignment]:
        return library.list_assignments(self._session)

    def assigned_count(self, annotator_id: int) -> int:
        return library.assigned_count(self._session, annotator_id)

    def document_ids(self, *, after: int = 0, limit: int = 500) -> list[int]:
        """Document ids in id order, a page at a time (for streaming exports)."""
        return list(
            self._session.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.id > after)
                .order_by(DocumentRow.id)
                .limit(limit)
            )
        )

    # Documents ----------------------------------------------------------------------------
    def add_document(self, meta: DocumentMeta, text: str) -> Document:
        """Insert a document; refuses one whose text is already stored (same SHA-256)."""
        (added,) = self.add_documents([(meta, text, ())])
        if isinstance(added, DuplicateOf):
            raise DuplicateDocumentError(
                f"the same text is already stored as document {added.existing_id} "
                f"({added.existing_title!r})",
                existing_id=added.existing_id,
            )
        return self.document(added.id)

    def document(self, document_id: int) -> Document:
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return to_document(row)

    def text_slice(self, document_id: int, start: int, end: int) -> str:
        """`text[start:end]` of a document, in code points, cut to the text (shorter at its
        end); cut by the database, which sends only the piece."""
        start, end = max(0, start), max(0, start, end)
        row = self._session.execute(
            select(func.substr(DocumentRow.text, start + 1, end - start)).where(
                DocumentRow.id == document_id
            )
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"document {document_id} does not exist")
        piece = cast(str, row[0] or "")
        if len(piece) < end - start:
            # The text's end, or a NUL character before or in the piece (SQLite's text
            # functions stop at one): cut here from the whole text.
            piece = self._text(document_id)[start:end]
        return piece

    def text_length(self, document_id: int) -> int:
        """The length of a document's text in code points (it reads the whole text)."""
        return len(self._text(document_id))

    def _text(self, document_id: int) -> str:
        text = self._session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
        if text is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return text

    def document_meta(self, document_id: int) -> DocumentMeta:
        """A document's title, source, date and language, without its text."""
        row = self._session.execute(
            select(
                DocumentRow.title,
                DocumentRow.source,
                DocumentRow.url,
                DocumentRow.author,
                DocumentRow.published,
                DocumentRow.language,
            ).where(DocumentRow.id == document_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return to_meta(row)

    def document_count(self) -> int:
        return self._session.scalar(select(func.count(DocumentRow.id))) or 0

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document without its text, with span counts per label, in id order."""
        return Overview(self._session.connection()).document_summaries()

    # Spans --------------------------------------------------------------------------------
    def spans(
        self, document_id: int, *, annotator_ids: Collection[int] | None = None
    ) -> list[Span]:
        """The document's spans by start; with `annotator_ids`, only those annotators' layers."""
        # Plain rows, not ORM objects: a document of 10,000 spans is opened in a fraction of
        # the time, and nothing here is changed through the session.
        query = select(*SPAN_COLUMNS).where(_SPANS.c.document_id == document_id)
        if annotator_ids is not None:
            query = query.where(_SPANS.c.annotator_id.in_(list(annotator_ids)))
        order = (_SPANS.c.start, _SPANS.c.end.desc(), _SPANS.c.id)
        decode = RawDecoder()
        return [decode.span(r) for r in self._session.execute(query.order_by(*order))]

    def span_places(self, document_id: int) -> list[SpanPlace]:
        """The document's spans in the order of `spans`, as places (id, label, offsets,
        annotator): a tenth of reading them whole, for storing suggestions, which reads no
        more of them."""
        from annotator.domain.suggestions import SpanPlace

        c = _SPANS.c
        query = (
            select(c.id, c.label_id, c.start, c.end, c.annotator_id)
            .where(c.document_id == document_id)
            .order_by(c.start, c.end.desc(), c.id)
        )
        return [SpanPlace._make(r) for r in self._session.execute(query)]

    def span(self, span_id: int, *, version: datetime | None = None) -> Span:
        """The span; with `version`, checked and locked as `_span_row` says."""
        return to_span(self._span_row(span_id, version=version))

    def _span_row(self, span_id: int, *, version: datetime | None = None) -> SpanRow:
        """The span's row. With `version` (the `updated` the caller read) the row is locked
        for the rest of the transaction (on PostgreSQL; SQLite's writer already holds the
        whole file) and must still be at that version: otherwise someone else changed or
        deleted it meanwhile, and SpanChangedError says how it is now."""
        if version is None:
            row = self._session.get(SpanRow, span_id)
        else:
            row = self._session.get(SpanRow, span_id, with_for_update=True, populate_existing=True)
        if row is None:
            if version is not None:
                raise SpanChangedError(
                    "Someone else deleted this span meanwhile; nothing was changed.",
                    span_id=span_id,
                    current=None,
                )
            raise NotFoundError(f"span {span_id} does not exist")
        if version is not None and row.updated != version:
            raise SpanChangedError(
                "Someone else changed this span meanwhile; your change was not saved. "
                f"It is now: {self._describe(row)}",
                span_id=span_id,
                current=to_span(row),
            )
        if version is not None:
            # The edit that follows makes a new version; never the same one twice, even
            # within one clock tick.
            row.updated = max(utcnow(), version + timedelta(microseconds=1))
        return row

    def _describe(self, row: SpanRow) -> str:
        """A span as one line of plain text, for messages."""
        label = self._session.get(LabelRow, row.label_id)
        parts = [f"{label.name if label else row.label_id} “{row.quote}” ({row.start}–{row.end})"]
        if row.attributes:
            parts.append(", ".join(f"{k}: {v}" for k, v in sorted(row.attributes.items())))
        if row.actor_id is not None:
            actor = self._session.get(ActorRow, row.actor_id)
            parts.append(f"actor: {actor.name if actor else row.actor_id}")
        if row.note:
            parts.append(f"note: {row.note}")
        return "; ".join(parts)

    def add_span(
        self,
        *,
        document_id: int,
        start: int,
        end: int,
        label_id: int,
        annotator_id: int,
        quote: str | None = None,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
        actor_id: int | None = None,
        span_id: int | None = None,
        created: datetime | None = None,
        updated: datetime | None = None,
        origin: str | None = None,
        origin_version: str | None = None,
        text: str | None = None,
    ) -> Span:
        """Insert a span after checking its range and quote against the stored text.

        `span_id` and `created` restore a span that was deleted (undo), under its old identity;
        `created` and `updated` also keep an imported span's times. `text`: the document's
        text from `start` to `end` as the caller read it in this transaction, not read again.
        """
        # Only the quote is read from the text, and its length: a long article's megabyte is
        # not loaded for each span added to it.
        piece = self.text_slice(document_id, start, end) if text is None else text
        if self._session.get(LabelRow, label_id) is None:
            raise NotFoundError(f"label {label_id} does not exist")
        if not 0 <= start < end or len(piece) != end - start:
            check_range(self.text_length(document_id), start, end)  # raises
        actual = check_quote(piece, start, end, quote)
        now = utcnow()
        row = SpanRow(
            document_id=document_id,
            start=start,
            end=end,
            label_id=label_id,
            quote=actual,
            annotator_id=annotator_id,
            attributes=dict(attributes or {}),
            note=note,
            actor_id=actor_id,
            created=created or now,
            updated=updated or now,
            origin=origin,
            origin_version=origin_version,
        )
        if span_id is not None:
            row.id = span_id
        # begin_nested() flushes pending changes before its SAVEPOINT: the row must be added
        # inside it, or a failing INSERT runs (and aborts) in the caller's transaction.
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
                self._count_spans({document_id: 1})
        except IntegrityError as exc:
            if self._duplicate_of(document_id, annotator_id, label_id, start, end) is not None:
                raise DuplicateSpanError(
                    f"this span already exists: {actual!r} at {start}-{end}"
                ) from exc
            raise
        return to_span(row)

    def add_spans(self, document_id: int, items: Sequence[NewSpan]) -> list[int]:
        """Insert many spans of one document; their ids, in order (see `add_spans_of`)."""
        if not items:
            return []
        self.add_spans_of({document_id: items})
        stored = self.span_keys([document_id]).get(document_id, {})
        return [stored[(i.start, i.end, i.label_id, i.annotator_id)] for i in items]

    def add_spans_of(
        self,
        items: Mapping[int, Sequence[NewSpan]],
        *,
        texts: Mapping[int, str] | None = None,
        checked: bool = False,
        counted: Collection[int] = (),
    ) -> int:
        """Insert the spans of many documents (document id -> its new spans); how many.

        Each is checked as `add_span` checks one, against the texts read once, and they go in
        with one executemany: an import of a million spans, one `add_span` each, spends most
        of its time in per-row ORM work. All or none: a span that is already stored (or twice
        in `items`) raises DuplicateSpanError and nothing of the call stays. `span_keys` reads
        their ids back.

        `texts` (document id -> its text as stored now, in this transaction) spares reading
        back the texts a caller has just stored, such as an import's; documents it lacks are
        read.

        `checked`: the caller has already checked every span against its document's text as
        stored in this transaction and gives its `quote` (the text at its offsets), and its
        labels are rows read in this transaction (an import checks each span as it reads it,
        to report the ones it refuses). Then neither is checked again and no text is read.

        `counted`: documents whose `span_count` already counts the spans given for them (new
        documents inserted with it: see `add_documents`).
        """
        wanted_docs = [doc_id for doc_id, spans in items.items() if spans]
        if not wanted_docs:
            return 0
        if checked:
            if any(item.quote is None for doc_id in wanted_docs for item in items[doc_id]):
                raise ValueError("checked spans must carry their quote")
            rows = self._span_rows(items, wanted_docs, None)
            return self._insert_spans(items, wanted_docs, rows, counted)
        known_texts: dict[int, str] = {}
        if texts is not None:
            known_texts = {doc_id: texts[doc_id] for doc_id in wanted_docs if doc_id in texts}
        unread = [doc_id for doc_id in wanted_docs if doc_id not in known_texts]
        for chunk in chunks(unread):
            for doc_id, text in self._session.execute(
                select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk))
            ):
                known_texts[doc_id] = text
        if missing_docs := set(wanted_docs) - known_texts.keys():
            raise NotFoundError(f"document {min(missing_docs)} does not exist")
        wanted = {item.label_id for spans in items.values() for item in spans}
        known = set(self._session.scalars(select(LabelRow.id).where(LabelRow.id.in_(wanted))))
        if missing := wanted - known:
            raise NotFoundError(f"label {min(missing)} does not exist")
        rows = self._span_rows(items, wanted_docs, known_texts)
        return self._insert_spans(items, wanted_docs, rows, counted)

    @staticmethod
    def _span_rows(
        items: Mapping[int, Sequence[NewSpan]],
        wanted_docs: Sequence[int],
        texts: Mapping[int, str] | None,
    ) -> list[tuple[Any, ...]]:
        """The spans' rows for `_insert_spans`. With `texts` (document id -> its text), each
        span is checked against its text and its quote is the text there; without, the caller
        checked them (see `add_spans_of`) and their quotes are taken as given."""
        now = utcnow()
        return [
            (
                document_id,
                item.start,
                item.end,
                item.label_id,
                item.quote
                if texts is None
                else check_span(texts[document_id], item.start, item.end, item.quote),
                item.annotator_id,
                item.attributes,
                item.note,
                item.actor_id,
                item.created or now,
                item.updated or now,
                item.origin,
                item.origin_version,
            )
            for document_id in wanted_docs
            for item in items[document_id]
        ]

    def _insert_spans(
        self,
        items: Mapping[int, Sequence[NewSpan]],
        wanted_docs: Sequence[int],
        rows: Sequence[tuple[Any, ...]],
        counted: Collection[int],
    ) -> int:
        try:
            with self._session.begin_nested():
                # executemany, without RETURNING: RETURNING in the order of the rows makes
                # SQLAlchemy send one statement per row on SQLite. `span_keys` reads the ids
                # back by the unique key (document, annotator, label, start, end) instead.
                insert_rows(self._session, _SPANS, _SPAN_INSERT, rows)
        except IntegrityError as exc:
            raise DuplicateSpanError(
                f"some of these {len(rows)} spans of {len(wanted_docs)} documents are already "
                "stored"
            ) from exc
        self._count_spans(
            {doc_id: len(items[doc_id]) for doc_id in wanted_docs if doc_id not in counted}
        )
        return len(rows)

    def span_keys(
        self, document_ids: Collection[int]
    ) -> dict[int, dict[tuple[int, int, int, int], int]]:
        """Per document, its spans' ids by (start, end, label id, annotator id)."""
        found: dict[int, dict[tuple[int, int, int, int], int]] = {}
        for chunk in chunks(list(document_ids)):
            for span_id, doc_id, start, end, label_id, annotator_id in self._session.execute(
                select(
                    SpanRow.id,
                    SpanRow.document_id,
                    SpanRow.start,
                    SpanRow.end,
                    SpanRow.label_id,
                    SpanRow.annotator_id,
                ).where(SpanRow.document_id.in_(chunk))
            ):
                found.setdefault(doc_id, {})[(start, end, label_id, annotator_id)] = span_id
        return found

    def _duplicate_of(
        self, document_id: int, annotator_id: int, label_id: int, start: int, end: int
    ) -> int | None:
        return self._session.scalar(
            select(SpanRow.id).where(
                SpanRow.document_id == document_id,
                SpanRow.annotator_id == annotator_id,
                SpanRow.label_id == label_id,
                SpanRow.start == start,
                SpanRow.end == end,
            )
        )

    def delete_spans(self, span_ids: Iterable[int]) -> list[Span]:
        """Delete spans and return them as they were, so that they can be restored."""
        deleted = []
        removed: dict[int, int] = {}
        for span_id in span_ids:
            row = self._span_row(span_id)
            deleted.append(to_span(row))
            removed[row.document_id] = removed.get(row.document_id, 0) - 1
            self._session.delete(row)
        self._session.flush()
        self._count_spans(removed)
        return deleted

    def _count_spans(self, changes: dict[int, int]) -> None:
        """Keep `documents.span_count` in step: every insert and delete of spans comes here.

        An increment in SQL, not a read-modify-write, so concurrent writers on PostgreSQL do
        not lose counts (the UPDATE waits for the other transaction's row lock).
        """
        rows = [{"doc": doc_id, "delta": delta} for doc_id, delta in changes.items() if delta]
        if rows:  # executemany: one statement for a whole import batch
            self._session.execute(
                update(library.documents)
                .where(library.documents.c.id == bindparam("doc"))
                .values(span_count=library.documents.c.span_count + bindparam("delta")),
                rows,
            )

    def move_span(
        self, span_id: int, start: int, end: int, *, version: datetime | None = None
    ) -> Span:
        """Give a span new offsets; its quote becomes the text there, checked like `add_span`.
        The span keeps its id, label, attributes and links. See `_span_row` for `version`."""
        row = self._span_row(span_id, version=version)
        text = self._session.scalar(
            select(DocumentRow.text).where(DocumentRow.id == row.document_id)
        )
        assert text is not None  # the foreign key keeps the document
        quote = check_span(text, start, end)
        try:
            # Inside a SAVEPOINT (see add_span), so a refusal undoes only this change.
            with self._session.begin_nested():
                row.start, row.end, row.quote = start, end, quote
                self._session.flush()
        except IntegrityError as exc:
            raise DuplicateSpanError(
                f"a span with that label already exists at {start}-{end}: {quote!r}"
            ) from exc
        return to_span(row)

    def relabel_span(self, span_id: int, label_id: int, *, version: datetime | None = None) -> Span:
        row = self._span_row(span_id, version=version)
        if self._session.get(LabelRow, label_id) is None:
            raise NotFoundError(f"label {label_id} does not exist")
        try:
            # The change goes inside the SAVEPOINT (see add_span), so a refusal undoes only it.
            with self._session.begin_nested():
                row.label_id = label_id
                self._session.flush()
        except IntegrityError as exc:
            raise DuplicateSpanError(
                f"a span with that label already exists at {row.start}-{row.end}"
            ) from exc
        return to_span(row)

    def add_documents(
        self,
        items: Sequence[tuple[DocumentMeta, str, tuple[str, ...]]],
        created: Sequence[datetime | None] = (),
        *,
        digests: Sequence[str] = (),
        span_counts: Sequence[int] = (),
        defer_search: bool = False,
    ) -> list[AddedDocument | DuplicateOf]:
        """Insert many documents (meta, text with LF line ends, tags) with bulk statements.

        Per item, in order: the new id, or the id of the document with the same text (SHA-256),
        whether stored before or added earlier in this same call. `created[i]`, when given and
        not None, is item i's time of addition (an import keeping the exporting library's).
        `digests[i]`, when given, is item i's `sha256_of` its text, which the caller has
        already computed. `span_counts[i]`, when given, is the number of spans item i will
        have if it becomes a new document: the caller then adds them with `add_spans_of`,
        naming the document in `counted`, and its count is right without an UPDATE.

        With `defer_search` (imports) the new documents are not indexed for full-text search
        as they are stored but listed as pending (SQLite; PostgreSQL indexes them as it
        writes them): `index_pending_search` indexes them later.
        """
        return library.add_documents(
            self._session,
            items,
            created,
            digests=digests,
            span_counts=span_counts,
            defer_search=defer_search,
        )

    def page_documents(
        self,
        *,
        annotator_id: int,
        sort: LibrarySort,
        descending: bool,
        filters: LibraryFilter,
        offset: int,
        limit: int,
    ) -> list[LibraryRow]:
        return library.page_documents(
            self._session,
            annotator_id=annotator_id,
            sort=sort,
            descending=descending,
            filters=filters,
            offset=offset,
            limit=limit,
        )

    def count_documents(self, *, annotator_id: int, filters: LibraryFilter) -> int:
        return library.count_documents(self._session, annotator_id=annotator_id, filters=filters)

    def progress(self, *, annotator_id: int) -> Progress:
        return library.progress(self._session, annotator_id=annotator_id)

    def list_sources(self) -> list[FacetCount]:
        return library.list_sources(self._session)

    def list_tags(self) -> list[FacetCount]:
        return library.list_tags(self._session)

    def document_contents(self, document_ids: Sequence[int]) -> list[DocumentContents]:
        """These documents with spans, relations, tags and statuses (bulk reads: export)."""
        return library.document_contents(self._session, document_ids)

    def document_tags(self, document_id: int) -> tuple[str, ...]:
        return library.document_tags(self._session, document_id)

    def update_document_meta(
        self, *, document_id: int, meta: DocumentMeta, tags: Sequence[str]
    ) -> Document:
        row = library.update_document_meta(
            self._session, document_id=document_id, meta=meta, tags=tags
        )
        return to_document(row)

    def document_status(self, *, document_id: int, annotator_id: int) -> DocumentStatus:
        return library.document_status(
            self._session, document_id=document_id, annotator_id=annotator_id
        )

    def document_statuses(self, document_id: int) -> dict[int, DocumentStatus]:
        """Annotator id -> stored status of the document; an annotator not listed is NEW."""
        return library.document_statuses(self._session, document_id)

    def set_status(
        self, *, document_id: int, annotator_id: int, status: DocumentStatus | str
    ) -> None:
        """Where an annotator stands with a document; 'new' removes the stored status."""
        library.set_status(
            self._session, document_id=document_id, annotator_id=annotator_id, status=status
        )

    def delete_documents(self, document_ids: Sequence[int]) -> DeletedDocuments:
        """Delete documents with their spans, tags and statuses; returns all of it for
        `restore_documents`. On SQLite the freed pages go back to the file system."""
        return library.delete_documents(self._session, document_ids)

    def restore_documents(self, deleted: DeletedDocuments) -> list[int]:
        """Put deleted documents back under their old ids, with spans, tags and statuses."""
        return library.restore_documents(self._session, deleted)

    # Search -------------------------------------------------------------------------------
    def search_documents(self, query: SearchQuery, *, limit: int, offset: int) -> list[SearchHit]:
        return search.search_documents(self._session, query, limit=limit, offset=offset)

    def count_search_matches(self, query: SearchQuery) -> int:
        return search.count_matches(self._session, query)

    def pending_search_count(self) -> int:
        """Documents an import stored that the full-text index does not hold yet."""
        return search.pending_count(self._session)

    def index_pending_search(self, limit: int | None = None) -> int:
        """Index a batch of pending documents (`limit` or search.INDEX_BATCH) for full-text
        search; how many."""
        return search.index_pending(self._session, limit)

    def search_spans(
        self, *, label_id: int | None, quote_contains: str | None, limit: int
    ) -> list[SpanHit]:
        return library.search_spans(
            self._session, label_id=label_id, quote_contains=quote_contains, limit=limit
        )

    # Completeness -------------------------------------------------------------------------
    def incomplete_spans(
        self, *, document_id: int | None, limit: int, annotator_id: int | None = None
    ) -> list[tuple[str, Span, str]]:
        """(kind, span, document title) of spans that lack something: claims without SOURCE,
        dates without value, actor mentions without identity (kinds: annotator.store.
        completeness); in document and text order."""
        from annotator.store import completeness

        return completeness.list_missing(
            self._session, document_id=document_id, limit=limit, annotator_id=annotator_id
        )

    def incomplete_counts(
        self, *, document_id: int | None, annotator_id: int | None = None
    ) -> dict[str, int]:
        """How many spans lack something, per kind (every kind a key)."""
        from annotator.store import completeness

        return completeness.count_missing(
            self._session, document_id=document_id, annotator_id=annotator_id
        )

    # Claims and corpus views -----
    def claim_corpus(
        self,
        *,
        document_ids: Collection[int] | None = None,
        actor_id: int | None = None,
        annotator_id: int | None = None,
    ) -> ClaimCorpus:
        """The CLAIM spans (of some documents, or made by one registry actor; of one
        annotator's layer with `annotator_id`) and their links."""
        from annotator.store import claims

        return claims.claim_corpus(
            self._session, document_ids=document_ids, actor_id=actor_id, annotator_id=annotator_id
        )

    def dated_spans(self, *, annotator_id: int | None = None) -> list[DatedSpan]:
        """DATE spans with a value that no claim links to by TIME."""
        from annotator.store import claims

        return claims.dated_spans(self._session, annotator_id=annotator_id)

    def actor_mention_counts(self, *, annotator_id: int | None = None) -> dict[int, int]:
        """Linked mentions per registry actor."""
        from annotator.store import claims

        return claims.mention_counts(self._session, annotator_id=annotator_id)

    def actor_documents(self, *, annotator_id: int | None = None) -> list[tuple[int, int]]:
        """Distinct (document id, actor id) of linked mentions."""
        from annotator.store import claims

        return claims.actor_documents(self._session, annotator_id=annotator_id)

    def mentions_in_context(self, actor_id: int, *, width: int = 60) -> list[MentionInContext]:
        """An actor's mentions with up to `width` characters of text either side."""
        from annotator.store import claims

        return claims.mentions_in_context(self._session, actor_id, width=width)

    # Agreement -----
    def worked_documents(
        self, annotator_ids: Collection[int], document_ids: Sequence[int] | None = None
    ) -> dict[int, set[int]]:
        """Per annotator, the documents with a span of theirs or a status other than new."""
        from annotator.store import agreement

        return agreement.worked_documents(self._session, annotator_ids, document_ids)

    def agreement_layers(
        self, annotator_ids: Collection[int], document_ids: Sequence[int]
    ) -> tuple[dict[int, list[AgreementSpan]], dict[int, list[AgreementLink]]]:
        """Per annotator, their spans in these documents and their claims' SOURCE/TIME links."""
        from annotator.store import agreement

        return agreement.layers(self._session, annotator_ids, document_ids)

    def document_texts(self, document_ids: Sequence[int]) -> dict[int, str]:
        """The texts of these documents by id."""
        from annotator.store import agreement

        return agreement.texts(self._session, document_ids)

    # Interchange -------------------------------------------------------------------------
    def actors_by_ids(self, actor_ids: Collection[int]) -> list[Actor]:
        """The registry entries with these ids (those that exist), in id order."""
        found: list[Actor] = []
        for chunk in chunks(sorted(actor_ids)):
            rows = self._session.scalars(
                select(ActorRow).where(ActorRow.id.in_(chunk)).order_by(ActorRow.id)
            )
            found.extend(to_actor(r) for r in rows)
        return found

    # Suggestions (annotator/store/suggestions.py) -----------------------------------------
    def replace_suggestions(
        self,
        document_id: int,
        engines: Collection[str],
        items: Sequence[NewSuggestion],
        listed: list[Suggestion] | None = None,
    ) -> int:
        from annotator.store import suggestions as suggested

        return suggested.replace_suggestions(self._session, document_id, engines, items, listed)

    def suggestions(self, document_id: int) -> list[Suggestion]:
        from annotator.store import suggestions as suggested

        return suggested.document_suggestions(self._session, document_id)

    def suggestions_by_ids(self, suggestion_ids: Collection[int]) -> list[Suggestion]:
        from annotator.store import suggestions as suggested

        return suggested.suggestions_by_ids(self._session, suggestion_ids)

    def links_to_suggestions(
        self, suggestion_ids: Collection[int]
    ) -> list[tuple[int, int, int, int]]:
        from annotator.store import suggestions as suggested

        return suggested.links_to(self._session, suggestion_ids)

    def repoint_suggestion_links(
        self, changes: Sequence[tuple[int, int | None, int | None]]
    ) -> None:
        from annotator.store import suggestions as suggested

        suggested.repoint_links(self._session, changes)

    def restore_links(
        self, target_suggestion_id: int, links: Sequence[tuple[int, int, int]]
    ) -> None:
        from annotator.store import suggestions as suggested

        suggested.restore_links(self._session, target_suggestion_id, links)

    def existing_document_ids(self, document_ids: Collection[int]) -> set[int]:
        found: set[int] = set()
        for chunk in chunks(list(document_ids), 500):
            found.update(
                self._session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(chunk)))
            )
        return found

    def done_documents(self) -> list[int]:
        """Documents some annotator marked done, the first finished first."""
        rows = self._session.execute(
            select(DocumentStatusRow.document_id, func.min(DocumentStatusRow.updated))
            .where(DocumentStatusRow.status == DocumentStatus.DONE.value)
            .group_by(DocumentStatusRow.document_id)
            .order_by(func.min(DocumentStatusRow.updated), DocumentStatusRow.document_id)
        )
        return [document_id for document_id, _ in rows]

    def delete_suggestions(self, suggestion_ids: Collection[int]) -> None:
        from annotator.store import suggestions as suggested

        suggested.delete_suggestions(self._session, suggestion_ids)

    def restore_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        from annotator.store import suggestions as suggested

        suggested.restore_suggestions(self._session, suggestions)

    def add_rejection(self, suggestion: Suggestion, annotator_id: int) -> int:
        from annotator.store import suggestions as suggested

        return suggested.add_rejection(self._session, suggestion, annotator_id)

    def delete_rejection(self, rejection_id: int) -> None:
        from annotator.store import suggestions as suggested

        suggested.delete_rejection(self._session, rejection_id)

    def rejected_keys(self, document_id: int) -> set[tuple[int, int, int]]:
        from annotator.store import suggestions as suggested

        return suggested.rejected_keys(self._session, document_id)

    def rejecters(self, document_id: int) -> dict[tuple[int, int, int], frozenset[int]]:
        from annotator.store import suggestions as suggested

        return suggested.rejecters(self._session, document_id)

    def rejected_places(
        self, label_id: int
    ) -> dict[tuple[int, int, int], tuple[str, frozenset[int]]]:
        from annotator.store import suggestions as suggested

        return suggested.rejected_places(self._session, label_id)

    def span_annotators(self, document_ids: Collection[int]) -> dict[int, set[int]]:
        from annotator.store import suggestions as suggested

        return suggested.span_annotators(self._session, document_ids)

    def decision_counts(self) -> dict[tuple[str, int], dict[str, int]]:
        from annotator.store import suggestions as suggested

        return suggested.decision_counts(self._session)

    def hand_made_spans_where(self, *, engine: str, label_id: int) -> int:
        from annotator.store import suggestions as suggested

        return suggested.hand_made_spans_where(self._session, engine=engine, label_id=label_id)

    def setting(self, key: str) -> Any:
        from annotator.store import suggestions as suggested

        return suggested.get_setting(self._session, key)

    def set_setting(self, key: str, value: Any) -> None:
        from annotator.store import suggestions as suggested

        suggested.set_setting(self._session, key, value)

    def gazetteer(self) -> list[tuple[str, str | None]]:
        from annotator.store import suggestions as suggested

        return suggested.gazetteer(self._session)

    def add_gazetteer(self, entries: Sequence[tuple[str, str | None]]) -> int:
        from annotator.store import suggestions as suggested

        return suggested.add_gazetteer(self._session, entries)

    def save_actor_model(self, model: StoredModel) -> None:
        from annotator.store import suggestions as suggested

        suggested.save_actor_model(self._session, model)

    def latest_actor_model(self) -> StoredModel | None:
        from annotator.store import suggestions as suggested

        return suggested.latest_actor_model(self._session)

    def document_digest(self, document_id: int) -> str | None:
        """The SHA-256 of the document's text (None when there is no such document)."""
        return self._session.scalar(select(DocumentRow.sha256).where(DocumentRow.id == document_id))

    def delete_setting(self, key: str) -> None:
        from annotator.store import suggestions as suggested

        suggested.delete_setting(self._session, key)

    def recent_label_marks(
        self, label_id: int, limit: int
    ) -> Iterator[tuple[str, int | None, dict[str, Any], int]]:
        from annotator.store import suggestions as suggested

        return suggested.recent_label_marks(self._session, label_id, limit)

    def recent_label_attributes(self, label_id: int, limit: int) -> Iterator[dict[str, Any]]:
        from annotator.store import suggestions as suggested

        return suggested.recent_label_attributes(self._session, label_id, limit)

    def label_spans(self, label_id: int) -> Iterator[tuple[int, str, int | None, dict[str, Any]]]:
        from annotator.store import suggestions as suggested

        return suggested.iter_label_spans(self._session, label_id)

    def span_with(
        self,
        document_id: int,
        label_id: int,
        start: int,
        end: int,
        *,
        annotator_id: int | None = None,
    ) -> Span | None:
        """A span with this label at exactly these offsets, if one exists: of any annotator,
        or with `annotator_id` of that annotator's layer."""
        found = select(SpanRow).where(
            SpanRow.document_id == document_id,
            SpanRow.label_id == label_id,
            SpanRow.start == start,
            SpanRow.end == end,
        )
        if annotator_id is not None:
            found = found.where(SpanRow.annotator_id == annotator_id)
        row = self._session.scalars(found.order_by(SpanRow.id).limit(1)).first()
        return None if row is None else to_span(row)

    # Revisions and review entries (annotator.store.revisions) ---------------------------------
    def documents_at_url(self, url: str) -> list[tuple[int, str]]:
        return revised.documents_at_url(self._session, url)

    def documents_at_urls(self, urls: Collection[str]) -> dict[str, list[tuple[int, str]]]:
        return revised.documents_at_urls(self._session, urls)

    def document_with_text(self, text: str) -> int | None:
        return revised.document_with_text(self._session, text)

    def any_url(self) -> bool:
        return revised.any_url(self._session)

    def documents_with_digests(self, digests: Collection[str]) -> dict[str, int]:
        return revised.documents_with_digests(self._session, digests)

    def rejections_of(self, document_id: int) -> list[tuple[int, int, int, str]]:
        return revised.rejections_of(self._session, document_id)

    def store_revision(self, plan: RevisionPlan) -> StoredRevision:
        return revised.store_revision(self._session, plan)

    def revision_count(self, document_id: int) -> int:
        return revised.revision_count(self._session, document_id)

    def open_reviews(
        self, document_id: int | None = None, annotator_id: int | None = None
    ) -> list[SpanReview]:
        return revised.open_reviews(self._session, document_id, annotator_id)

    def review(self, review_id: int) -> SpanReview:
        return revised.review(self._session, review_id)

    def open_review_counts(self, document_ids: Collection[int]) -> dict[int, int]:
        return revised.open_review_counts(self._session, document_ids)

    def settle_review(
        self,
        review_id: int,
        resolution: Resolution,
        *,
        start: int | None = None,
        end: int | None = None,
    ) -> SpanReview:
        return revised.settle_review(self._session, review_id, resolution, start=start, end=end)

    def reopen_review(self, review_id: int) -> SpanReview:
        return revised.reopen_review(self._session, review_id)
