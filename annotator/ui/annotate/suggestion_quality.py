"""Views > Suggestion quality: how good the engines are on this database.

Two blocks of precision, recall and F1 per engine and label (against the annotator's own
decisions, and against the finished documents suggested for again as if new), the date values
and SOURCEs found, and the actor engine's learning curve (F1 against how many finished
documents it learned from), drawn with QPainter. The figures come from `suggestion_quality`,
which runs the engines and trains models: it runs in the background, with progress and Cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.services import Database
from annotator.services.suggestion_quality import (
    CurvePoint,
    QualityReport,
    QualityRow,
    suggestion_quality,
)
from annotator.ui.common.item_models import RowsModel, _Index
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.tasks import BackgroundTask

DECISIONS = "decisions"
FINISHED = "finished documents"


def _percent(value: float, counted: int) -> str:
    return f"{value * 100:.0f}%" if counted else "–"


class QualityModel(RowsModel[QualityRow]):
    """One block of quality rows: per engine and label, the scores and the counts."""

    HEADERS = ("Engine", "Label", "Precision", "Recall", "F1", "Right", "Wrong", "Missed")

    def set_quality_rows(self, rows: Sequence[QualityRow]) -> None:
        self._set_rows(rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        if row is None:
            return None
        column = index.column()
        counts = row.counts
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.engine,
                row.label,
                _percent(counts.precision, row.tp + row.fp),
                _percent(counts.recall, row.tp + row.fn),
                _percent(counts.f1, row.tp + row.fp + row.fn),
                row.tp,
                row.fp,
                row.fn,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LearningCurve(QWidget):
    """The actor engine's F1 (of 0 to 100%) against the finished documents it learned from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learningCurve")
        self.points: list[CurvePoint] = []
        self.message = "The curve is drawn once documents are marked done."
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def set_points(self, points: Sequence[CurvePoint], message: str = "") -> None:
        self.points = list(points)
        self.message = message
        self.update()

    def plot_area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(48, 26, -24, -34)

    def point_at(self, point: CurvePoint) -> QPointF:
        """Where a point of the curve is drawn (widget coordinates)."""
        area = self.plot_area()
        most = max((p.documents for p in self.points), default=0) or 1
        x = area.left() + area.width() * point.documents / most
        y = area.bottom() - area.height() * point.counts.f1
        return QPointF(x, y)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        text = self.palette().color(self.foregroundRole())
        grid = QColor(text)
        grid.setAlpha(50)
        area = self.plot_area()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        for share in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = area.bottom() - area.height() * share
            painter.setPen(QPen(grid, 1.0))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - 8, area.left() - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{share * 100:.0f}%",
            )
        painter.setPen(QPen(text, 1.0))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.drawText(
            QRectF(area.left(), area.bottom() + 16, area.width(), 16),
            Qt.AlignmentFlag.AlignCenter,
            "finished documents learned from",
        )
        if not self.points:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.message)
            return
        line = QColor("#0072B2")
        path = QPainterPath()
        for i, point in enumerate(self.points):
            at = self.point_at(point)
            if i == 0:
                path.moveTo(at)
            else:
                path.lineTo(at)
        painter.setPen(QPen(line, 2.0))
        painter.drawPath(path)
        for point in self.points:
            at = self.point_at(point)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(line)
            painter.drawEllipse(at, 3.5, 3.5)
            painter.setPen(text)
            painter.drawText(
                QRectF(at.x() - 30, area.bottom() + 2, 60, 14),
                Qt.AlignmentFlag.AlignCenter,
                str(point.documents),
            )
            # Above the point, kept clear of the axis labels on the left.
            x = min(max(at.x(), area.left() + 28), area.right() - 20)
            painter.drawText(
                QRectF(x - 40, at.y() - 20, 80, 14),
                Qt.AlignmentFlag.AlignCenter,
                f"{point.counts.f1 * 100:.0f}%",
            )


def _table(model: QualityModel, parent: QWidget) -> QTableView:
    view = setup_row_table(QTableView(parent))
    view.setModel(model)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(64)
    header.setStretchLastSection(False)
    return view


def _fit_rows(view: QTableView, rows: int) -> None:
    """As tall as its rows (at least two), so the curve gets the room that is left."""
    row = view.verticalHeader().defaultSectionSize()
    frame = 2 * view.frameWidth() + view.horizontalHeader().sizeHint().height()
    view.setFixedHeight(frame + row * max(2, rows) + 2)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("font-weight: bold;")
    return label


def _plain(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class SuggestionQualityWindow(QWidget):
    """A window of its own; `refresh()` measures again in the background."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        measure: Callable[..., QualityReport] = suggestion_quality,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("suggestionQuality")
        self.setWindowTitle("Suggestion quality")
        self._db = db
        self._measure = measure
        self.task: BackgroundTask | None = None
        self.report: QualityReport | None = None

        self.state = _plain(self)
        self.state.setObjectName("qualityState")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.refresh_button = QPushButton("Measure again", self)
        self.cancel_button = QPushButton("Cancel", self)
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        top.addWidget(self.refresh_button)

        self.decisions = QualityModel()
        self.finished = QualityModel()
        self.decisions_view = _table(self.decisions, self)
        self.finished_view = _table(self.finished, self)
        self.extra = _plain(self)
        self.curve = LearningCurve(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            _heading(
                "Against your decisions: accepted are right, rejected wrong, and spans made by "
                "hand where the engine suggested were missed",
                self,
            )
        )
        layout.addWidget(self.decisions_view)
        layout.addWidget(
            _heading("Against finished documents, each suggested for again as if it were new", self)
        )
        layout.addWidget(self.finished_view)
        layout.addWidget(self.extra)
        layout.addWidget(_heading("The actor engine's learning curve (F1)", self))
        layout.addWidget(self.curve, 1)
        _fit_rows(self.decisions_view, 3)
        _fit_rows(self.finished_view, 3)
        self.resize(760, 720)
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self._idle()

    def busy(self) -> bool:
        return self.task is not None

    def refresh(self) -> None:
        if self.task is not None:
            return
        db, measure = self._db, self._measure

        def work(progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
            return measure(
                db, progress=lambda done, total: progress((done, total)), cancelled=cancelled
            )

        task = BackgroundTask(work, self)
        task.sig_progress.connect(self._on_progress)
        task.sig_finished.connect(self._on_finished)
        task.sig_failed.connect(self._on_failed)
        self.task = task
        self.state.setText(
            "Suggesting for every finished document again and training the actor model on "
            "a growing number of them…"
        )
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.refresh_button.setEnabled(False)
        task.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        """Cancel and wait (the window or the main window is closing)."""
        if self.task is not None:
            self.task.cancel()
            self.task.wait()

    def show_report(self, report: QualityReport) -> None:
        self.report = report
        self.decisions.set_quality_rows([r for r in report.rows if r.basis == DECISIONS])
        self.finished.set_quality_rows([r for r in report.rows if r.basis == FINISHED])
        _fit_rows(self.decisions_view, self.decisions.rowCount())
        _fit_rows(self.finished_view, self.finished.rowCount())
        tp, fp, fn = report.date_values
        extra = []
        if tp + fp + fn:
            found = 2 * tp / (2 * tp + fp + fn)
            extra.append(f"Date values right: F1 {found * 100:.0f}% ({tp} right, {fp} wrong).")
        right, claims = report.sources
        if claims:
            extra.append(
                f"SOURCE of the claims found: {right} of {claims} name the annotated actor "
                f"({right / claims * 100:.0f}%)."
            )
        self.extra.setText(" ".join(extra))
        self.extra.setVisible(bool(extra))
        if report.finished < 2:
            message = (
                "The curve needs two documents marked done (Ctrl+D) with ACTOR annotations: "
                "it learns from some and is scored on the others."
            )
        else:
            message = ""
        self.curve.set_points(report.curve, message)

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.refresh_button.setEnabled(True)

    def _on_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = value
            self.progress.setRange(0, max(1, int(total)))
            self.progress.setValue(int(done))

    def _end_task(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        self._idle()

    def _on_finished(self, report: QualityReport) -> None:
        self._end_task()
        self.show_report(report)
        n = report.finished
        done = f"{n} finished document{'s' if n != 1 else ''}"
        self.state.setText(
            f"Measured on your decisions and {done}"
            + (
                "; cancelled, so the finished documents and the curve are partial."
                if report.cancelled
                else "."
            )
        )

    def _on_failed(self, message: str) -> None:
        self._end_task()
        self.state.setText(f"Cannot measure: {message}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)


__all__ = ["LearningCurve", "QualityModel", "SuggestionQualityWindow"]
