"""The open document's spans and the undoable edits on them.

Every edit calls a service (one transaction) first and changes what the screen shows only after
the service returned, so the database always equals the screen. Commands carry the document id:
undoing an edit made in another document opens that document first, so the user sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain.errors import AnnotatorError
from annotator.domain.library import DeletedDocuments
from annotator.domain.model import Annotator, Document, Label, Span
from annotator.services import Database
from annotator.services import spans as span_service
from annotator.services.documents import open_document
from annotator.services.library import delete_documents, restore_documents

_T = TypeVar("_T")


class DocumentEditor(QObject):
    """Holds the open document and its spans; the single writer of span state in the UI."""

    sig_document_opened = Signal()
    """Another document (or none) is now open."""

    sig_spans_changed = Signal(list, list)
    """Spans were added or removed: (spans now gone, spans now present), both lists of Span."""

    sig_error = Signal(str)
    """An edit failed for a reason the user can act on; the message says which."""

    sig_documents_changed = Signal(tuple, tuple)
    """Documents were deleted or restored: (removed ids, restored ids)."""

    def __init__(self, db: Database, annotator: Annotator, labels: Sequence[Label]) -> None:
        super().__init__()
        self.db = db
        self.annotator = annotator
        self.labels = list(labels)
        self.document: Document | None = None
        self.spans: list[Span] = []
        self.undo_stack = QUndoStack(self)

    def label(self, label_id: int) -> Label:
        return next(label for label in self.labels if label.id == label_id)

    def open(self, document_id: int | None) -> None:
        if document_id is None:
            self.document, self.spans = None, []
        else:
            self.document, self.spans = open_document(self.db, document_id=document_id)
        self.sig_document_opened.emit()

    def ensure_open(self, document_id: int) -> None:
        if self.document is None or self.document.id != document_id:
            self.open(document_id)

    def span(self, span_id: int) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)

    def _apply(self, document_id: int, gone: Sequence[Span], present: Sequence[Span]) -> None:
        if self.document is None or self.document.id != document_id:
            # The database changed under a document that is not open; opening it shows the
            # change and re-reads its spans.
            self.open(document_id)
        else:
            gone_ids = {s.id for s in gone}
            self.spans = sorted(
                [s for s in self.spans if s.id not in gone_ids] + list(present),
                key=lambda s: (s.start, -s.end, s.id),
            )
        self.sig_spans_changed.emit(list(gone), list(present))

    # User actions ----------------------------------------------------------------------------
    def add_span(self, start: int, end: int, label_id: int, *, snap: bool) -> Span | None:
        if self.document is None:
            return None
        doc_id = self.document.id
        span = self._attempt(
            lambda: span_service.add_span(
                self.db,
                document_id=doc_id,
                start=start,
                end=end,
                label_id=label_id,
                annotator_id=self.annotator.id,
                snap=snap,
            )
        )
        if span is not None:
            self.undo_stack.push(_AddSpans(self, [span], f"Add {self.label(label_id).name}"))
        return span

    def delete_spans(self, span_ids: Sequence[int]) -> list[Span]:
        gone = self._attempt(lambda: span_service.delete_spans(self.db, span_ids=span_ids))
        if gone:
            self.undo_stack.push(_DeleteSpans(self, gone))
        return gone or []

    def relabel_span(self, span_id: int, label_id: int) -> Span | None:
        before = self.span(span_id)
        if before is None or before.label_id == label_id:
            return None
        after = self._attempt(
            lambda: span_service.relabel_span(self.db, span_id=span_id, label_id=label_id)
        )
        if after is not None:
            self.undo_stack.push(_Relabel(self, before, after))
        return after

    def delete_documents(self, document_ids: Sequence[int]) -> None:
        deleted = self._attempt(lambda: delete_documents(self.db, document_ids=document_ids))
        if deleted is not None and deleted.documents:
            self.undo_stack.push(DeleteDocumentsCommand(self, deleted))

    def _documents_changed(
        self, *, removed: tuple[int, ...] = (), restored: tuple[int, ...] = ()
    ) -> None:
        if self.document is not None and self.document.id in removed:
            self.open(None)
        self.sig_documents_changed.emit(removed, restored)

    def _attempt(self, action: Callable[[], _T]) -> _T | None:
        try:
            return action()
        except AnnotatorError as exc:
            self.sig_error.emit(str(exc))
            return None


class _EditCommand(QUndoCommand):
    """First `redo()` is skipped: the edit was already made before the command was pushed."""

    def __init__(self, editor: DocumentEditor, text: str) -> None:
        super().__init__(text)
        self._editor = editor
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except AnnotatorError as exc:
            # Someone else changed the data (another window, another user on the server): show
            # the database as it is and say why the step did not happen.
            self._editor.sig_error.emit(f"{self.text()}: {exc}")
            if self._editor.document is not None:
                self._editor.open(self._editor.document.id)
            self.setObsolete(True)

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class _AddSpans(_EditCommand):
    def __init__(self, editor: DocumentEditor, spans: list[Span], text: str) -> None:
        super().__init__(editor, text)
        self._spans = spans
        editor._apply(spans[0].document_id, [], spans)

    def _undo(self) -> None:
        gone = span_service.delete_spans(self._editor.db, span_ids=[s.id for s in self._spans])
        self._editor._apply(self._spans[0].document_id, gone, [])

    def _redo(self) -> None:
        back = span_service.restore_spans(self._editor.db, spans=self._spans)
        self._editor._apply(self._spans[0].document_id, [], back)


class _DeleteSpans(_EditCommand):
    def __init__(self, editor: DocumentEditor, spans: list[Span]) -> None:
        super().__init__(editor, "Delete span" if len(spans) == 1 else f"Delete {len(spans)} spans")
        self._spans = spans
        editor._apply(spans[0].document_id, spans, [])

    def _undo(self) -> None:
        back = span_service.restore_spans(self._editor.db, spans=self._spans)
        self._editor._apply(self._spans[0].document_id, [], back)

    def _redo(self) -> None:
        gone = span_service.delete_spans(self._editor.db, span_ids=[s.id for s in self._spans])
        self._editor._apply(self._spans[0].document_id, gone, [])


class _Relabel(_EditCommand):
    def __init__(self, editor: DocumentEditor, before: Span, after: Span) -> None:
        super().__init__(editor, f"Relabel as {editor.label(after.label_id).name}")
        self._before, self._after = before, after
        editor._apply(before.document_id, [before], [after])

    def _undo(self) -> None:
        now = span_service.relabel_span(
            self._editor.db, span_id=self._before.id, label_id=self._before.label_id
        )
        self._editor._apply(now.document_id, [self._after], [now])

    def _redo(self) -> None:
        now = span_service.relabel_span(
            self._editor.db, span_id=self._after.id, label_id=self._after.label_id
        )
        self._editor._apply(now.document_id, [self._before], [now])


class DeleteDocumentsCommand(_EditCommand):
    """Deleting documents, undoable within the session: undo puts them back with their spans."""

    def __init__(self, editor: DocumentEditor, deleted: DeletedDocuments) -> None:
        n = len(deleted.documents)
        super().__init__(editor, "Delete document" if n == 1 else f"Delete {n} documents")
        self._deleted = deleted
        editor._documents_changed(removed=deleted.ids)

    def _undo(self) -> None:
        restore_documents(self._editor.db, deleted=self._deleted)
        self._editor._documents_changed(restored=self._deleted.ids)

    def _redo(self) -> None:
        delete_documents(self._editor.db, document_ids=self._deleted.ids)
        self._editor._documents_changed(removed=self._deleted.ids)
