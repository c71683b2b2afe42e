"""Errors the user can act on. The CLI prints them without a traceback; the UI shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.domain.model import Span


class AnnotatorError(Exception):
    """A problem with the user's input or environment, with a message meant for them."""


class InvalidSpanError(AnnotatorError):
    """A span that breaks the offsets contract (range outside the text, empty, wrong quote)."""


class DuplicateSpanError(AnnotatorError):
    """The same annotator already has a span with this label at exactly these offsets."""


class NotFoundError(AnnotatorError):
    """A document, span or label that does not exist (any more)."""


class DatabaseError(AnnotatorError):
    """The database cannot be opened, read or written; the message names it."""


class DatabaseBusyError(DatabaseError):
    """Another program held the database's write lock for longer than the wait allows."""


class DatabaseFullError(DatabaseError):
    """The disk (or the database's size limit) is full: nothing more can be written."""


class DatabaseReadOnlyError(DatabaseError):
    """The database file, its folder or the connection does not allow writing."""


class DatabaseCorruptError(DatabaseError):
    """The file is damaged or is not a database at all."""


class NewerSchemaError(DatabaseError):
    """The database was made by a newer version of the program, with a schema this one lacks."""


class DuplicateDocumentError(AnnotatorError):
    """A document with exactly the same text (same SHA-256) is already stored."""

    def __init__(self, message: str, *, existing_id: int) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class InvalidAttributeError(AnnotatorError):
    """An attribute value that its definition does not allow (not one of the choices...)."""


class InvalidRelationError(AnnotatorError):
    """A link the schema does not allow, or between spans of different documents."""


class SchemaError(AnnotatorError):
    """A schema change that would break stored data, or a schema file that cannot be read."""


class DatabaseConnectionError(DatabaseError):
    """The database server cannot be reached (restarted, network gone): nothing was saved."""


class SpanChangedError(AnnotatorError):
    """Someone else changed (or deleted) the span since this program read it: the edit was
    refused rather than overwrite theirs. `current` is the span as stored now (None: deleted)."""

    def __init__(self, message: str, *, span_id: int, current: Span | None) -> None:
        super().__init__(message)
        self.span_id = span_id
        self.current = current


class ReviewError(AnnotatorError):
    """A review decision that does not fit the entry (already settled, or the wrong kind)."""
