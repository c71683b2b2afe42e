"""File > Export: choose a format (and see what it carries and loses), what to export, where."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.interchange import WriteReport
from annotator.domain.library import DocumentStatus
from annotator.domain.model import Annotator, Label
from annotator.formats.registry import FORMATS, FormatInfo, Output
from annotator.services import Database
from annotator.services.interchange import ExportSelection, export_corpus
from annotator.ui.common.tasks import BackgroundTask


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ExportDialog(QDialog):
    """Collects the choices; `selection()` and `target()` say what to export where."""

    def __init__(
        self,
        labels: Sequence[Label],
        annotators: Sequence[Annotator],
        *,
        selected_ids: Sequence[int],
        open_id: int | None,
        tags: Sequence[str] = (),
        me: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.resize(620, 0)
        self._selected_ids = tuple(selected_ids)
        self._open_id = open_id
        self.format = QComboBox(self)
        for info in FORMATS:
            if info.can_write:
                self.format.addItem(info.title, info.name)
        self.carries = _plain("")
        self.loses = _plain("")
        self.loses.setStyleSheet("color: #D55E00")

        self.scope_all = QRadioButton("All documents")
        self.scope_selected = QRadioButton(f"Documents selected in the list ({len(selected_ids)})")
        self.scope_open = QRadioButton("The open document")
        self.scope_selected.setEnabled(bool(selected_ids))
        self.scope_open.setEnabled(open_id is not None)
        self.scope_all.setChecked(True)
        scope = QButtonGroup(self)
        for button in (self.scope_all, self.scope_selected, self.scope_open):
            scope.addButton(button)

        self._me = me
        self.tag = QComboBox(self)
        self.tag.addItem("Any tag", None)
        for tag in tags:
            self.tag.addItem(tag, tag)
        self.status = QComboBox(self)
        self.status.addItem("Any status", None)
        if me:
            for status in DocumentStatus:
                self.status.addItem(f"{status.value.replace('_', ' ')} for {me}", status)
        self.label_boxes: dict[str, QCheckBox] = {}
        label_row = QHBoxLayout()
        for label in labels:
            box = QCheckBox(label.name)
            box.setChecked(True)
            self.label_boxes[label.name] = box
            label_row.addWidget(box)
        label_row.addStretch(1)
        self.annotator = QComboBox(self)
        self.annotator.addItem("Every annotator", None)
        for annotator in annotators:
            self.annotator.addItem(annotator.name, annotator.name)

        self.path = QLineEdit(self)
        browse = QPushButton("Choose…", self)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Carries", self.carries)
        form.addRow("Leaves out", self.loses)
        scope_box = QVBoxLayout()
        for button in (self.scope_all, self.scope_selected, self.scope_open):
            scope_box.addWidget(button)
        form.addRow("Documents", scope_box)
        filters_row = QHBoxLayout()
        filters_row.addWidget(self.tag)
        filters_row.addWidget(self.status)
        filters_row.addStretch(1)
        form.addRow("Only", filters_row)
        form.addRow("Labels", label_row)
        form.addRow("Annotator", self.annotator)
        form.addRow("Save to", path_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.format.currentIndexChanged.connect(self._on_format_changed)
        browse.clicked.connect(self._on_browse_clicked)
        self.path.textChanged.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._on_format_changed()

    def info(self) -> FormatInfo:
        return next(f for f in FORMATS if f.name == self.format.currentData())

    def selection(self) -> ExportSelection:
        if self.scope_selected.isChecked():
            ids = self._selected_ids
        elif self.scope_open.isChecked() and self._open_id is not None:
            ids = (self._open_id,)
        else:
            ids = ()
        labels = tuple(name for name, box in self.label_boxes.items() if box.isChecked())
        if len(labels) == len(self.label_boxes):
            labels = ()
        by = self.annotator.currentData()
        return ExportSelection(
            ids,
            labels,
            (by,) if by else (),
            tag=self.tag.currentData(),
            status=self.status.currentData(),
            status_of=self._me,
        )

    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def _on_format_changed(self) -> None:
        info = self.info()
        self.carries.setText(f"{info.carries()}; writes {info.output.value}")
        self.loses.setText(info.loses)
        self._fit_height()
        current = self.path.text().strip()
        if current and info.output is Output.FILE:
            self.path.setText(str(Path(current).with_suffix(info.extensions[0])))
        self._update_ok()

    def _fit_height(self) -> None:
        """Grow to show the whole of a longer "carries"/"leaves out" text (they wrap)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), 620)
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(width, needed)

    def _on_browse_clicked(self) -> None:
        info = self.info()
        if info.output is Output.FOLDER:
            chosen = QFileDialog.getExistingDirectory(self, "Export into a new or empty folder")
        else:
            pattern = " ".join(f"*{e}" for e in info.extensions)
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to", f"export{info.extensions[0]}", f"{info.title} ({pattern})"
            )
        if chosen:
            self.path.setText(chosen)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.path.text().strip()))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


class ExportFlow:
    """Runs an export off the GUI thread with a cancellable progress dialog."""

    def __init__(self, db: Database, parent: QWidget) -> None:
        self._db = db
        self._parent = parent
        self.task: BackgroundTask | None = None
        self.last_report: WriteReport | None = None
        self.last_error: str | None = None

    def start(self, format_name: str, out: Path, selection: ExportSelection, total: int) -> None:
        db = self._db

        def work(report: Any, cancelled: Any) -> WriteReport:
            return export_corpus(
                db,
                format_name=format_name,
                out=out,
                selection=selection,
                progress=report,
                cancelled=cancelled,
            )

        progress = QProgressDialog("Exporting…", "Cancel", 0, max(total, 1), self._parent)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.task = task = BackgroundTask(work, self._parent)
        progress.canceled.connect(task.cancel)
        task.sig_progress.connect(lambda n: progress.setValue(min(int(n), progress.maximum())))

        def finished(report: WriteReport) -> None:
            progress.close()
            self.last_report = report
            n = len(report.problems)
            lost = (
                f"\n\nNot carried ({n})" + (", the first five:" if n > 5 else ":") + "\n"
            ) + "\n".join(f"• {p.origin}: {p.message}" for p in report.problems[:5])
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Export finished",
                f"Wrote {_count(report.documents, 'document')}, {_count(report.spans, 'span')} "
                f"and {_count(report.relations, 'relation')} to {report.destination(out)}."
                + (lost if report.problems else ""),
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()

        def failed(message: str) -> None:
            progress.close()
            self.last_error = message
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Export",
                message,
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()

        task.sig_finished.connect(finished)
        task.sig_failed.connect(failed)
        task.start()
