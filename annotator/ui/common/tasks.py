"""Long work off the GUI thread, with progress and cancel.

The work function runs in a QThread and gets two callables: one to report progress (any value,
delivered to the GUI thread as `sig_progress`) and one that says whether the user cancelled. It
opens its own transactions through services and never touches widgets. Errors the user can act on
arrive as `sig_failed(message)`; anything else is a bug and is raised again on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from annotator.domain.errors import AnnotatorError

Work = Callable[[Callable[[Any], None], Callable[[], bool]], Any]


class _Thread(QThread):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


class BackgroundTask(QObject):
    """Runs `work` once in a thread of its own."""

    sig_progress = Signal(object)
    """Whatever the work reported, on the GUI thread."""

    sig_finished = Signal(object)
    """The work's result (also after a cancel: the work decides what it returns then)."""

    sig_failed = Signal(str)
    """The work stopped with an error the user can act on."""

    _sig_crashed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread = _Thread(self)
        self._sig_crashed.connect(self._on_self_crashed)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, msecs: int = -1) -> bool:
        return self._thread.wait(msecs) if msecs >= 0 else self._thread.wait()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def _run(self) -> None:
        try:
            result = self._work(self.sig_progress.emit, self._cancel.is_set)
        except AnnotatorError as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:  # a bug: hand it to the GUI thread, which raises it
            self._sig_crashed.emit(exc)
        else:
            self.sig_finished.emit(result)

    def _on_self_crashed(self, exc: BaseException) -> None:
        raise exc


class RepeatingTask(QObject):
    """Runs `work` in the background when asked, one run at a time: a request while a run is
    under way runs it once more afterwards (on what changed meanwhile), however many came."""

    sig_started = Signal()
    sig_finished = Signal(object)
    """The work's result."""
    sig_failed = Signal(str)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._task: BackgroundTask | None = None
        self._again = False

    def request(self) -> None:
        if self._task is not None:
            self._again = True
            return
        task = BackgroundTask(self._work, self)
        task.sig_finished.connect(self._on_task_finished)
        task.sig_failed.connect(self._on_task_failed)
        self._task = task
        task.start()
        self.sig_started.emit()

    def busy(self) -> bool:
        return self._task is not None

    def wait(self) -> None:
        """Block until the running work is over (before the window closes)."""
        if self._task is not None:
            self._task.wait()

    def stop(self) -> None:
        """Cancel the running work, drop a pending request and wait for the thread."""
        self._again = False
        if self._task is not None:
            self._task.cancel()
            self._task.wait()

    def _done(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        if self._again:
            self._again = False
            self.request()

    def _on_task_finished(self, result: object) -> None:
        self.sig_finished.emit(result)
        self._done()

    def _on_task_failed(self, message: str) -> None:
        self.sig_failed.emit(message)
        self._done()
