"""File > Export: choose a format (and see what it carries and loses), what to export, where."""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import pairwise
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

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import WriteReport
from annotator.domain.library import DocumentStatus
from annotator.domain.model import Annotator, Label
from annotator.formats.registry import FORMATS, FormatInfo, Output
from annotator.services import Database
from annotator.services.interchange import (
    ExportSelection,
    check_export_target,
    export_corpus,
)
from annotator.ui.common.tasks import BackgroundTask
from annotator.ui.common.text import message_box

_WARNING = "color: #D55E00"
_KNOWN_SUFFIXES = frozenset(e for f in FORMATS for e in f.extensions)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def fit_path(text: str, info: FormatInfo) -> str:
    """The path as typed, fitted to a newly chosen format: a format's suffix swapped for this
    one's (none for a folder), a folder given a file name inside it; nothing else changes."""
    typed = text.strip()
    if not typed:
        return text
    is_folder = typed.endswith(("/", os.sep)) or Path(typed).expanduser().is_dir()
    if is_folder:
        if info.output is Output.FOLDER:
            return typed
        return typed.rstrip("/" + os.sep) + os.sep + "export" + info.extensions[0]
    suffix = Path(typed).suffix
    if suffix.lower() in info.extensions:
        return typed
    stem = typed[: -len(suffix)] if suffix.lower() in _KNOWN_SUFFIXES else typed
    return stem if info.output is Output.FOLDER else stem + info.extensions[0]


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
        self.writes = _plain("")
        self.loses = _plain("")
        self.error = _plain("")
        self.error.setObjectName("exportError")
        self.error.setStyleSheet(f"{_WARNING}; font-weight: bold")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

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
        form.addRow("Writes", self.writes)
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
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        # Tab follows the form from top to bottom (widgets made without a parent would
        # otherwise come last, after the buttons).
        chain: list[QWidget] = [
            self.format,
            self.scope_all,
            self.scope_selected,
            self.scope_open,
            self.tag,
            self.status,
            *self.label_boxes.values(),
            self.annotator,
            self.path,
            browse,
            *self.buttons.buttons(),
        ]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

        self.format.currentIndexChanged.connect(self._on_format_changed)
        browse.clicked.connect(self._on_browse_clicked)
        self.path.textChanged.connect(self._update_ok)
        self.path.textEdited.connect(lambda _text: self.show_error(None))
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

    def accept(self) -> None:
        """Export: close only if the export can start; else say why here, keeping the choices."""
        try:
            check_export_target(self.info().name, self.target())
        except AnnotatorError as exc:
            self.show_error(str(exc))
            self.path.setFocus()
            return
        self.show_error(None)
        super().accept()

    def show_error(self, message: str | None) -> None:
        text = message[:1].upper() + message[1:] if message else ""
        self.error.setText(text if not text or text.endswith((".", "?", "!")) else text + ".")
        self.error.setVisible(bool(message))
        if message:
            self._fit_height()

    def _on_format_changed(self) -> None:
        info = self.info()
        self.carries.setText(info.carries())
        self.writes.setText(info.writes())
        self.loses.setText(info.loses)
        self.loses.setStyleSheet("" if info.lossless else _WARNING)
        current = self.path.text()
        fitted = fit_path(current, info)
        if fitted != current:
            self.path.setText(fitted)
        self.show_error(None)
        self._fit_height()
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
            start = self.path.text().strip() or f"export{info.extensions[0]}"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to", start, f"{info.title} ({pattern})"
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
            box = message_box(
                QMessageBox.Icon.Information,
                "Export finished",
                f"Wrote {_count(report.documents, 'document')}, {_count(report.spans, 'span')} "
                f"and {_count(report.relations, 'relation')} to {report.destination(out)}."
                + (lost if report.problems else ""),
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            box.open()

        def failed(message: str) -> None:
            progress.close()
            self.last_error = message
            box = message_box(
                QMessageBox.Icon.Warning,
                "Export",
                message,
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            box.open()

        task.sig_finished.connect(finished)
        task.sig_failed.connect(failed)
        task.start()
