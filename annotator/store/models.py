"""SQLAlchemy models. ORM objects never leave `annotator.store`; callers get domain dataclasses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on SQLite (which stores none) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
created_at = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, nullable=False)]
short_text = Annotated[str, mapped_column(String(500))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[intpk]
    title: Mapped[short_text]
    source: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(35))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[created_at]
    # Spans of all annotators, kept by the repository wherever spans are added, deleted or
    # restored, so that the library can sort and show counts without reading the spans table.
    span_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Last (migration 0002 moves it there on SQLite): columns after a long text are slow to read.
    text: Mapped[str] = mapped_column(Text)

    spans: Mapped[list[SpanRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        # One index per sort column of the library, ending in id (the tie-break), so that a page
        # is read from the index alone: rows hold the text and are several pages each.
        # (published and source: below, one index per dialect.)
        Index("ix_documents_title", "title", "id"),
        Index("ix_documents_created", "created", "id"),
        Index("ix_documents_span_count", "span_count", "id"),
        # A new version of a stored article is found by its URL. PostgreSQL's btree refuses
        # entries over about 2.7 kB, and a URL may be longer: there, migration 0005 makes this a
        # hash index, which has no such limit and serves equality, the only lookup there is.
        # The model leaves `postgresql_using` out: naming a PostgreSQL option loads SQLAlchemy's
        # PostgreSQL dialect in every program, on SQLite too (a tenth of a command's start-up);
        # the migration comparison does not look at the index method.
        Index("ix_documents_url", "url"),
        # Ids are never reused on SQLite either, so that an undone deletion gets its ids back
        # even after newer documents were added.
        {"sqlite_autoincrement": True},
    )


# The library sorts a missing date or source before the others, as SQLite orders NULL. A
# PostgreSQL index puts NULL last, and PostgreSQL sorts all rows rather than use an index in
# the other order, so there the two indexes are NULLS FIRST. SQLite has no NULLS FIRST in
# CREATE INDEX. Each index exists on its own dialect only (`info["dialect"]`, read by the
# migration comparison hook in schema_extras.py).
_documents = DocumentRow.__table__.c
for _column in (_documents.published, _documents.source):
    Index(
        f"ix_documents_{_column.name}", _column, _documents.id, info={"dialect": "sqlite"}
    ).ddl_if(dialect="sqlite")
    Index(
        f"ix_documents_{_column.name}_nulls_first",
        _column.asc().nulls_first(),
        _documents.id,
        info={"dialect": "postgresql"},
    ).ddl_if(dialect="postgresql")


class AnnotatorRow(Base):
    __tablename__ = "annotators"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[created_at]
    # "annotator" for a person's layer, "gold" for the curated layer (migration 0005).
    role: Mapped[str] = mapped_column(String(20), default="annotator", server_default="annotator")

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("role IN ('annotator', 'gold')", name="role_known"),
    )


class DocumentAssignmentRow(Base):
    """A document given to an annotator to annotate (migration 0005)."""

    __tablename__ = "document_assignments"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True
    )
    created: Mapped[created_at]

    __table_args__ = (Index("ix_document_assignments_annotator", "annotator_id", "document_id"),)


class DocumentRevisionRow(Base):
    """An earlier text of a document, kept when a new version of the article was imported
    (migration 0005). `number` counts from 1, the first text; the document's own text is the
    version after the highest number."""

    __tablename__ = "document_revisions"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[created_at]  # when this text was stored (the document's created, for 1)
    replaced: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_revisions_number"),
        CheckConstraint("number >= 1", name="number_positive"),
        {"sqlite_autoincrement": True},
    )


class SpanReviewRow(Base):
    """A span a new version of its article moved in a way a person must check (migration
    0005): `changed` spans were placed but their quote differs; `unplaced` spans could not be
    placed with confidence and are kept here whole (`record`: label, annotator, attributes,
    note, actor, origin and links as they were), out of the spans table, whose rows must match
    the current text. `resolution` is empty until a person settles the entry."""

    __tablename__ = "span_reviews"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("document_revisions.id", ondelete="CASCADE")
    )
    span_id: Mapped[int | None] = mapped_column(ForeignKey("spans.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    old_start: Mapped[int] = mapped_column(Integer)
    old_end: Mapped[int] = mapped_column(Integer)
    old_quote: Mapped[str] = mapped_column(Text)
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[created_at]
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("reason IN ('unplaced', 'changed')", name="reason_known"),
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('kept', 'placed', 'discarded')",
            name="resolution_known",
        ),
        Index("ix_span_reviews_document", "document_id", "resolution"),
        {"sqlite_autoincrement": True},
    )


class LabelRow(Base):
    __tablename__ = "labels"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(100), unique=True)
    colour: Mapped[str] = mapped_column(String(9))
    hotkey: Mapped[str | None] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    style: Mapped[str] = mapped_column(String(20), default="background")
    description: Mapped[str] = mapped_column(Text, default="")
    # The attribute definitions (AttributeDef.to_dict), in order: few, read with the label.
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("style IN ('background', 'underline')", name="style_known"),
    )


class ActorRow(Base):
    """A canonical actor of the registry."""

    __tablename__ = "actors"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(50))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    external_id: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[created_at]

    __table_args__ = (
        CheckConstraint("length(key) > 0", name="key_not_empty"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        Index("ix_actors_name", "name"),
    )


class RelationTypeRow(Base):
    __tablename__ = "relation_types"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Which labels it links; NULL allows any. A label in use here cannot be deleted.
    source_label_id: Mapped[int | None] = mapped_column(
        ForeignKey("labels.id", ondelete="RESTRICT")
    )
    target_label_id: Mapped[int | None] = mapped_column(
        ForeignKey("labels.id", ondelete="RESTRICT")
    )
    colour: Mapped[str] = mapped_column(String(9))
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class SpanRow(Base):
    __tablename__ = "spans"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"))
    quote: Mapped[str] = mapped_column(Text)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"))
    created: Mapped[created_at]
    updated: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    # The registry entry an ACTOR mention refers to; deleting the actor unlinks its mentions.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    # Provenance of a span accepted from a suggestion: the engine and its model version (NULL
    # for spans made by hand or imported without one).
    origin: Mapped[str | None] = mapped_column(String(40))
    origin_version: Mapped[str | None] = mapped_column(String(64))

    document: Mapped[DocumentRow] = relationship(back_populates="spans")

    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="range"),
        # The quote must be the text slice; the repository compares the characters, the database
        # at least refuses a quote of the wrong length.
        CheckConstraint('length(quote) = "end" - start', name="quote_length"),
        UniqueConstraint(
            "document_id", "annotator_id", "label_id", "start", "end", name="uq_spans_exact"
        ),
        Index("ix_spans_document_start", "document_id", "start"),
        Index("ix_spans_label_id", "label_id", "document_id"),
        Index("ix_spans_actor_id", "actor_id"),
    )


class RelationRow(Base):
    """A typed link from one span to another of the same document; goes with either span."""

    __tablename__ = "relations"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id", ondelete="RESTRICT"))
    source_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="RESTRICT"))
    created: Mapped[created_at]

    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_to_itself"),
        UniqueConstraint("type_id", "source_id", "target_id", name="uq_relations_exact"),
        Index("ix_relations_document_id", "document_id"),
        Index("ix_relations_source_id", "source_id"),
        Index("ix_relations_target_id", "target_id"),
    )


class DocumentTagRow(Base):
    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)

    __table_args__ = (
        CheckConstraint("length(tag) > 0", name="tag_not_empty"),
        Index("ix_document_tags_tag", "tag", "document_id"),
    )


class DocumentStatusRow(Base):
    """One annotator's progress on one document; no row means 'new'."""

    __tablename__ = "document_status"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20))
    updated: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status_known"),
        Index("ix_document_status_annotator_id", "annotator_id", "status", "document_id"),
    )


class SuggestionRow(Base):
    """A span an engine proposes; apart from the annotations until the annotator accepts it.

    One suggestion per document, label and offsets: a new run replaces its engine's earlier ones.
    """

    __tablename__ = "suggestions"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    quote: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    engine: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    rule: Mapped[str] = mapped_column(String(100), default="", server_default="")
    score: Mapped[float] = mapped_column(Float)
    created: Mapped[created_at]

    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="range"),
        CheckConstraint('length(quote) = "end" - start', name="quote_length"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        UniqueConstraint("document_id", "label_id", "start", "end", name="uq_suggestions_exact"),
        Index("ix_suggestions_document_start", "document_id", "start"),
        Index("ix_suggestions_engine", "engine", "label_id"),
        # Ids are never reused, so that undoing a decision can put a suggestion back under its
        # id after later runs.
        {"sqlite_autoincrement": True},
    )


class SuggestionLinkRow(Base):
    """A proposed relation from a suggestion to an annotation or to another suggestion."""

    __tablename__ = "suggestion_links"

    id: Mapped[intpk]
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id", ondelete="CASCADE"))
    target_span_id: Mapped[int | None] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    target_suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestions.id", ondelete="CASCADE")
    )

    __table_args__ = (
        CheckConstraint(
            "(target_span_id IS NULL) <> (target_suggestion_id IS NULL)", name="one_target"
        ),
        Index("ix_suggestion_links_suggestion_id", "suggestion_id"),
        Index("ix_suggestion_links_target_span_id", "target_span_id"),
        Index("ix_suggestion_links_target_suggestion_id", "target_suggestion_id"),
        {"sqlite_autoincrement": True},
    )


class RejectionRow(Base):
    """A suggestion one annotator turned down: left out of their list, and no longer proposed
    at these offsets once every annotator of the document has turned it down (then its text
    also counts against the name it carries). One per place and annotator (migration 0006)."""

    __tablename__ = "rejections"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    quote: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(40))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    created: Mapped[created_at]

    __table_args__ = (
        UniqueConstraint(
            "document_id", "label_id", "start", "end", "annotator_id", name="uq_rejections_exact"
        ),
        Index("ix_rejections_engine", "engine", "label_id"),
    )


class SettingRow(Base):
    """A database-wide setting by name (which suggestion engines run, the spaCy pipeline...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class GazetteerRow(Base):
    """A name the user imported for the actor engine, with its kind."""

    __tablename__ = "gazetteer"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(50))

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        UniqueConstraint("name", name="uq_gazetteer_name"),
    )


class ActorModelRow(Base):
    """The actor model trained on the annotators' finished documents (the newest is used)."""

    __tablename__ = "actor_models"

    id: Mapped[intpk]
    version: Mapped[str] = mapped_column(String(64))
    documents: Mapped[int] = mapped_column(Integer)
    spans: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[created_at]
