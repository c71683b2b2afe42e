"""File > Import: pick files or a folder, import off the GUI thread, show what happened."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.sources import SourceOptions
from annotator.services import Database
from annotator.services.importing import (
    ImportProgress,
    ImportReport,
    ImportResult,
    Outcome,
    import_files,
)
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.tasks import BackgroundTask

_OUTCOME_COLOURS = {
    Outcome.IMPORTED: "#009E73",
    Outcome.DUPLICATE: "#E69F00",
    Outcome.REVISED: "#0072B2",
    Outcome.REFUSED: "#D55E00",
}


class ImportResultModel(RowsModel[ImportResult]):
    HEADERS = ("Result", "File", "Detail")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        result = self._row(index)
        if result is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (result.outcome.value, result.origin, result.detail)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(_OUTCOME_COLOURS[result.outcome])
        return None


class ImportSummaryDialog(QDialog):
    """Imported, revised, duplicate and refused, per file, line or row."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not report.cancelled else "Import cancelled")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        self.headline = QLabel(report.summary())
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.headline)
        self.model = ImportResultModel()
        self.model._set_rows(report.results)
        table = QTableView(self)
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().resizeSection(1, 420)
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ImportFlow(QObject):
    """One import at a time: progress dialog with cancel, then the summary."""

    sig_finished = Signal(object)
    """The ImportReport, after the summary was shown."""

    progress_delay_ms = 300
    """Imports quicker than this never show the progress dialog."""

    def __init__(self, db: Database, annotator_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._db = db
        self.annotator_name = annotator_name
        self._parent = parent
        self.task: BackgroundTask | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.summary_dialog: ImportSummaryDialog | None = None

    def start(
        self, paths: Sequence[Path], options: SourceOptions | None = None, *, as_new: bool = False
    ) -> None:
        """Import in the background; with `as_new`, an article at a stored document's URL with
        another text is a new document, not a revision of that one."""
        if self.task is not None and self.task.is_running():
            return
        db = self._db
        chosen = list(paths)

        annotator = self.annotator_name

        def work(report: Any, cancelled: Any) -> ImportReport:
            # Routed as `annotator import` routes them: annotation files bring their spans.
            return import_files(
                db,
                paths=chosen,
                annotator_name=annotator,
                options=options,
                progress=report,
                cancelled=cancelled,
                as_new=as_new,
            )

        self.progress_dialog = QProgressDialog("Reading files…", "Cancel", 0, 1000, self._parent)
        self.progress_dialog.setWindowTitle("Import")
        label = QLabel(self.progress_dialog)
        label.setTextFormat(Qt.TextFormat.PlainText)  # file names are untrusted
        self.progress_dialog.setLabel(label)
        self.progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress_dialog.setMinimumDuration(self.progress_delay_ms)
        self.progress_dialog.setAutoClose(False)
        self.progress_dialog.setAutoReset(False)
        self.task = BackgroundTask(work, self)
        self.progress_dialog.canceled.connect(self.task.cancel)
        self.task.sig_progress.connect(self._on_task_progress)
        self.task.sig_finished.connect(self._on_task_finished)
        self.task.sig_failed.connect(self._on_task_failed)
        self.task.start()

    def _on_task_progress(self, progress: ImportProgress) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        name = Path(progress.current).name
        dialog.setLabelText(
            f"File {progress.done_files + 1} of {progress.total_files}: {name}"
            if progress.current
            else "Finishing…"
        )
        # A window-modal progress dialog runs the event loop inside setValue, so the import
        # may finish (and this dialog close) during the call: it comes last.
        share = progress.done_bytes / progress.total_bytes if progress.total_bytes else 1.0
        dialog.setValue(int(share * 1000))

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_task_finished(self, report: ImportReport) -> None:
        self._close_progress()
        self.summary_dialog = ImportSummaryDialog(report, self._parent)
        self.summary_dialog.open()
        self.sig_finished.emit(report)

    def _on_task_failed(self, message: str) -> None:
        self._close_progress()
        self.sig_finished.emit(ImportReport(results=[ImportResult("", Outcome.REFUSED, message)]))
