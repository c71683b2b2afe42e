"""Suggestion work off the GUI thread: engine runs over one document or the corpus, and the
actor model's training, each one at a time, cancelled and waited for when the window closes.

The engines run in a background thread and only read (`propose_suggestions`); what they propose
is stored afterwards in one short transaction that takes the write lock at its start (SQLite's
BEGIN IMMEDIATE), so it waits for another writer instead of failing, and an edit of the window
made meanwhile waits for it. A document run stores in the background too, and hands the window
the document's suggestions as stored, so the window does not read them back; the corpus run
stores on the GUI thread, in slices of a few documents between the window's own events. While
an import writes, proposals wait (`Hold`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.assist.base import ENGINES
from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions import StoredModel, Suggestion
from annotator.services import Database
from annotator.services.documents import list_documents
from annotator.services.suggestions import (
    Proposed,
    SuggestReport,
    found_nothing_before,
    propose_suggestions,
    store_and_list,
    store_proposed,
    train_actor_model,
)
from annotator.ui.common.tasks import BackgroundTask, RepeatingTask

_SLICE_MS = 40
"""How long one slice of storing the corpus run's proposals may keep the GUI thread."""
_HOLD_MS = 200
"""How often held proposals try again to be stored while another writer works."""

Hold = Callable[[], bool]
"""Says when another writer works in the background (an import): proposals wait, because a
transaction of that writer which has read fails if this one commits before it writes."""


def _never() -> bool:
    return False


_Found = tuple[int, tuple[str, ...], bool, list[Proposed] | None]
"""What a run over one document found: (document id, engines, quiet, proposals); None for
proposals when the run was skipped (the same engines found nothing in the same text)."""


@dataclass(frozen=True)
class RunDone:
    """A finished run over one document: what was stored."""

    document_id: int
    engines: tuple[str, ...]
    report: SuggestReport
    quiet: bool
    suggestions: list[Suggestion] | None = None
    """The document's suggestions as stored, for the annotator `Listing` named (None when
    not made): what reading them back would give, as of `basis`."""
    basis: object = None


Listing = Callable[[], tuple[int, object]]
"""Whom a run's stored suggestions are listed for (an annotator id), and a token of what the
window shows when storing starts (`RunDone.basis`): the window compares it when the run is
done to know whether the list still follows on from what it shows."""


class DocumentRuns(QObject):
    """Engine runs over single documents, one at a time; asking again for a document already
    waiting adds its engines to that request."""

    sig_done = Signal(object)
    """A RunDone, after its proposals were stored."""

    sig_failed = Signal(str)

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        hold: Hold = _never,
        listing: Listing | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._hold = hold
        self._listing = listing
        self._waiting: dict[int, tuple[set[str], bool, bool]] = {}
        self._task: BackgroundTask | None = None
        self._running: int | None = None
        self._held: _Found | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(_HOLD_MS)
        self._retry.timeout.connect(self._store_held)

    def request(
        self,
        document_id: int,
        engines: Sequence[str],
        *,
        quiet: bool,
        unless_found_nothing: bool = False,
    ) -> None:
        """Run these engines over the document; with `unless_found_nothing`, not when the same
        engines found nothing in the same text before (a document opened again)."""
        wanted, was_quiet, skip = self._waiting.get(document_id, (set(), True, True))
        self._waiting[document_id] = (
            wanted | set(engines),
            was_quiet and quiet,
            skip and unless_found_nothing,
        )
        self._next()

    def drop_quiet(self, *, keep: int | None) -> list[int]:
        """Forget the quiet requests still waiting for documents other than `keep` (the reader
        has moved on to another document); the ids of those forgotten."""
        dropped = [d for d, (_, quiet, _) in self._waiting.items() if quiet and d != keep]
        for document_id in dropped:
            del self._waiting[document_id]
        return dropped

    def pending(self, document_id: int) -> bool:
        held = self._held is not None and self._held[0] == document_id
        return document_id == self._running or document_id in self._waiting or held

    def busy(self) -> bool:
        return self._task is not None or bool(self._waiting) or self._held is not None

    def stop(self) -> None:
        """Cancel what waits and what runs, and wait for it (the window is closing)."""
        self._waiting.clear()
        self._retry.stop()
        self._held = None
        task, self._task, self._running = self._task, None, None
        if task is not None:
            task.cancel()
            task.wait()
            task.deleteLater()

    def _next(self) -> None:
        if self._task is not None or self._held is not None or not self._waiting:
            return
        document_id = next(iter(self._waiting))
        wanted, quiet, skip = self._waiting.pop(document_id)
        engines = tuple(e for e in ENGINES if e in wanted)
        db = self._db

        def work(_progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
            if skip and found_nothing_before(db, document_id=document_id, engines=engines):
                return (document_id, engines, quiet, None)
            found = list(
                propose_suggestions(
                    db, document_ids=[document_id], engines=engines, cancelled=cancelled
                )
            )
            return (document_id, engines, quiet, found)

        task = BackgroundTask(work, self)
        task.sig_finished.connect(self._on_finished)
        task.sig_failed.connect(self._on_failed)
        self._task, self._running = task, document_id
        task.start()

    def _done(self) -> bool:
        task, self._task, self._running = self._task, None, None
        if task is None:
            return False
        task.wait()
        task.deleteLater()
        return not task.cancelled

    def _on_finished(self, result: _Found) -> None:
        if not self._done():
            return
        if result[3] is None:
            self._next()
            return
        self._held = result
        self._store_held()

    def _store_held(self) -> None:
        if self._held is None:
            return
        if self._hold():
            self._retry.start()
            return
        (document_id, engines, quiet, found), self._held = self._held, None
        assert found is not None
        db = self._db
        annotator_id, basis = self._listing() if self._listing is not None else (None, None)

        def work(_progress: Callable[[Any], None], _cancelled: Callable[[], bool]) -> Any:
            # Not cancelled halfway: a transaction this short is stored whole or not at all.
            if annotator_id is None or len(found) != 1:
                stored, listed = store_proposed(db, found), None
            else:
                stored, listed = store_and_list(db, found[0], annotator_id=annotator_id)
            report = SuggestReport(documents=len(found), by_engine=stored)
            return RunDone(document_id, engines, report, quiet, listed, basis)

        task = BackgroundTask(work, self)
        task.sig_finished.connect(self._on_stored)
        task.sig_failed.connect(self._on_failed)
        self._task, self._running = task, document_id
        task.start()

    def _on_stored(self, done: RunDone) -> None:
        if self._task is None:  # stopped (the window closes): stored, nobody to tell
            return
        self._done()
        self.sig_done.emit(done)
        self._next()

    def _on_failed(self, message: str) -> None:
        self._done()
        self.sig_failed.emit(message)
        self._next()


class CorpusRun(QObject):
    """One run over every document: proposed in the background, stored in short slices on
    the GUI thread as the documents come, with progress and cancel; what finished is kept."""

    sig_progress = Signal(int, int)
    """(documents stored, documents in all)."""

    sig_stored = Signal(list)
    """The ids of documents whose suggestions were just replaced."""

    sig_finished = Signal(object)
    """The SuggestReport (`cancelled` when it was)."""

    sig_failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *, hold: Hold = _never) -> None:
        super().__init__(parent)
        self._db = db
        self._hold = hold
        self._task: BackgroundTask | None = None
        self._queue: deque[Proposed] = deque()
        self._report = SuggestReport()
        self._total = 0
        self._slice = 4
        self._failure: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._store_slice)

    def running(self) -> bool:
        return self._task is not None or bool(self._queue)

    def start(self, engines: Sequence[str]) -> None:
        if self.running():
            return
        db = self._db
        chosen = tuple(engines)

        def work(progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> int:
            ids = [d.id for d in list_documents(db)]
            progress(len(ids))
            for found in propose_suggestions(
                db, document_ids=ids, engines=chosen, cancelled=cancelled
            ):
                progress(found)
            return len(ids)

        self._report = SuggestReport()
        self._total = 0
        self._failure = None
        task = BackgroundTask(work, self)
        task.sig_progress.connect(self._on_progress)
        task.sig_finished.connect(self._on_task_finished)
        task.sig_failed.connect(self._on_task_failed)
        self._task = task
        task.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def stop(self) -> None:
        """Cancel, wait, and store what was proposed already (the window is closing)."""
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
        self._timer.stop()
        while self._queue:
            self._store(len(self._queue))

    def _on_progress(self, value: object) -> None:
        if isinstance(value, int):
            self._total = value
            self.sig_progress.emit(0, value)
            return
        if isinstance(value, Proposed):
            self._queue.append(value)
            if not self._timer.isActive():
                self._timer.start(0)

    def _store(self, n: int) -> None:
        batch = [self._queue.popleft() for _ in range(min(n, len(self._queue)))]
        try:
            self._report.by_engine.update(store_proposed(self._db, batch))
        except AnnotatorError as exc:
            self._failure = str(exc)
            self._queue.clear()
            self.cancel()
            return
        self._report.documents += len(batch)
        self.sig_stored.emit([p.document_id for p in batch])
        self.sig_progress.emit(self._report.documents, self._total)

    def _store_slice(self) -> None:
        if self._queue and self._hold():
            self._timer.start(_HOLD_MS)
            return
        began = time.monotonic()
        while self._queue and (time.monotonic() - began) * 1000 < _SLICE_MS:
            started = time.monotonic()
            self._store(self._slice)
            took = (time.monotonic() - started) * 1000
            # Several documents per transaction save a commit each; a slow one gets fewer.
            if took < _SLICE_MS / 4:
                self._slice = min(64, self._slice * 2)
            elif took > _SLICE_MS:
                self._slice = max(1, self._slice // 2)
        if self._queue:
            self._timer.start(0)
        else:
            self._finish_if_done()

    def _on_task_finished(self, _total: int) -> None:
        self._end_task()

    def _on_task_failed(self, message: str) -> None:
        self._failure = message
        self._end_task()

    def _end_task(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.wait()
            task.deleteLater()
            self._report.cancelled = task.cancelled
        if not self._timer.isActive():
            self._store_slice()

    def _finish_if_done(self) -> None:
        if self._task is not None or self._queue:
            return
        if self._failure is not None:
            self.sig_failed.emit(self._failure)
        else:
            self.sig_finished.emit(self._report)


class ActorTrainer(RepeatingTask):
    """Trains the actor model in the background, never two at once: a request while one
    trains trains again afterwards (on what was finished meanwhile)."""

    sig_done = Signal(object)
    """The stored model (a StoredModel), or None when no finished document has an ACTOR."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        def work(_progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
            return train_actor_model(db, cancelled=cancelled)

        super().__init__(work, parent)
        self.sig_finished.connect(self.sig_done)


def model_description(model: StoredModel | None) -> str:
    """The actor model in one plain sentence, for the settings and the status bar."""
    if model is None:
        return (
            "No actor model yet: it learns from the documents you mark done (Ctrl+D) that have "
            "ACTOR annotations."
        )
    docs = f"{model.documents} finished document{'s' if model.documents != 1 else ''}"
    spans = f"{model.spans} ACTOR span{'s' if model.spans != 1 else ''}"
    return f"Actor model {model.version}, learned from {docs} ({spans})."
