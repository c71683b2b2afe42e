"""The Agreement window: how far annotators agree, as a table and as heat maps.

The user picks two or more annotators (gold layers too), the documents (all they share, or
those selected in the document list) and the labels, and whether to compare the annotators
with each other or each against one layer (gold). The figures are computed in the background
(progress, Cancel; the window stays usable) by the agreement service, the same figures the
command line's `annotator agree` prints, and saved as the same CSV and JSON.

Shown: a table of every figure (the group and each pair, over all labels and per label), a
heat map of one figure (annotator by annotator, the number in each cell, a legend) and the
token confusion matrix of one pair. Every name is user input: shown as plain text only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.agreement import AgreementReport, PairAgreement
from annotator.services import Database
from annotator.services.agreement import (
    AgainstReport,
    AnnotatorChoice,
    agreement_annotators,
    compute_against,
    compute_agreement,
    report_csv,
    report_json,
)
from annotator.services.documents import list_labels
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.tasks import BackgroundTask

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_NAME = Qt.ItemDataRole.UserRole
ALL_LABELS = "all labels"

Report = AgreementReport | AgainstReport

FIGURES: tuple[tuple[str, str], ...] = (
    ("span_f1_exact", "F1 exact"),
    ("span_f1_overlap", "F1 overlap"),
    ("cohen_kappa", "Cohen κ"),
    ("fleiss_kappa", "Fleiss κ"),
    ("krippendorff_alpha", "Krippendorff α"),
    ("unitized_alpha", "unitized α"),
)
ATTRIBUTION: tuple[tuple[str, str], ...] = (
    ("source_agreement", "same SOURCE"),
    ("time_agreement", "same TIME"),
    ("quote_type_agreement", "same quote type"),
    ("actor_identity_agreement", "same actor"),
    ("date_value_agreement", "same date value"),
)
PAIR_FIGURES = tuple(f for f in FIGURES if f[0] != "fleiss_kappa") + ATTRIBUTION
"""What the heat map can show: the figures a pair has."""

# Viridis at five points: a scale read the same by colour-blind eyes and in grey.
_SCALE = ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37))


def format_figure(value: float | int | None) -> str:
    """A figure as the table shows it (as the command line prints it): 3 decimals, '-' for
    a figure that cannot be defined."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def scale_colour(share: float) -> QColor:
    """The colour of a value on the scale, 0 (and below) to 1."""
    x = min(max(share, 0.0), 1.0) * (len(_SCALE) - 1)
    i = min(int(x), len(_SCALE) - 2)
    t = x - i
    a, b = _SCALE[i], _SCALE[i + 1]
    return QColor(*(round(p + (q - p) * t) for p, q in zip(a, b, strict=True)))


def _ink(background: QColor) -> QColor:
    luminance = 0.2126 * background.redF() + 0.7152 * background.greenF()
    luminance += 0.0722 * background.blueF()
    return QColor(Qt.GlobalColor.black if luminance > 0.45 else Qt.GlobalColor.white)


def _pair_value(pair: PairAgreement, key: str, label: str | None) -> float | int | None:
    if label is None:
        return pair.figures.get(key)
    return pair.per_label.get(label, {}).get(key)


def _pairs(report: Report) -> list[PairAgreement]:
    if isinstance(report, AgainstReport):
        return [r.pairs[0] for r in report.reports]
    return list(report.pairs)


# Models ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureRow:
    scope: str
    label: str
    values: tuple[float | int | None, ...]


def figure_rows(report: Report) -> list[FigureRow]:
    """The table's rows: the group (unless against a reference) and each pair, over all
    labels and then per label; the values in the order of FIGURES then ATTRIBUTION."""
    rows: list[FigureRow] = []

    def add(scope: str, figures: dict[str, Any], per_label: dict[str, dict[str, Any]]) -> None:
        rows.append(
            FigureRow(
                scope,
                ALL_LABELS,
                tuple(figures.get(k) for k, _ in FIGURES)
                + tuple(figures.get(k) for k, _ in ATTRIBUTION),
            )
        )
        for label, values in per_label.items():
            rows.append(
                FigureRow(
                    scope,
                    label,
                    tuple(values.get(k) for k, _ in FIGURES) + (None,) * len(ATTRIBUTION),
                )
            )

    if isinstance(report, AgreementReport):
        add("+".join(report.annotators), report.group.figures, report.group.per_label)
    for pair in _pairs(report):
        add(" vs ".join(pair.annotators), pair.figures, pair.per_label)
    return rows


class FigureTable(RowsModel[FigureRow]):
    HEADERS = ("Annotators", "Label", *(t for _, t in FIGURES), *(t for _, t in ATTRIBUTION))

    def set_rows(self, rows: list[FigureRow]) -> None:
        self._set_rows(rows)

    @property
    def rows(self) -> list[FigureRow]:
        return self._rows

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        row = self._row(index)
        if row is None:
            return None
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return row.scope
            if column == 1:
                return row.label
            return format_figure(row.values[column - 2])
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HeatMapModel(QAbstractTableModel):
    """A matrix of values, each cell coloured by its value on the scale (`low` to `high`)
    with the value written in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row_names: list[str] = []
        self.column_names: list[str] = []
        self.values: list[list[float | int | None]] = []
        self.texts: list[list[str]] = []
        self.low = 0.0
        self.high = 1.0

    def set_matrix(
        self,
        rows: Sequence[str],
        columns: Sequence[str],
        values: Sequence[Sequence[float | int | None]],
        texts: Sequence[Sequence[str]],
        low: float = 0.0,
        high: float = 1.0,
    ) -> None:
        self.beginResetModel()
        self.row_names, self.column_names = list(rows), list(columns)
        self.values = [list(r) for r in values]
        self.texts = [list(r) for r in texts]
        self.low, self.high = low, high
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.row_names)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.column_names)

    def colour(self, row: int, column: int) -> QColor | None:
        value = self.values[row][column]
        if value is None:
            return None
        span = self.high - self.low
        return scale_colour((float(value) - self.low) / span if span else 1.0)

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == _DISPLAY:
            return self.texts[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        colour = self.colour(r, c)
        if role == Qt.ItemDataRole.BackgroundRole and colour is not None:
            return QBrush(colour)
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return QBrush(_ink(colour))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        names = self.column_names if orientation == Qt.Orientation.Horizontal else self.row_names
        return names[section] if 0 <= section < len(names) else None


class GradientBar(QWidget):
    """The legend's colour scale, low on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(160, 14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect())
        gradient = QLinearGradient(rect.topLeft(), rect.topRight())
        steps = 8
        for n in range(steps + 1):
            gradient.setColorAt(n / steps, scale_colour(n / steps))
        painter.fillRect(rect, gradient)
        painter.end()


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = _plain("")
        self.low = _plain("0")
        self.high = _plain("1")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.low)
        layout.addWidget(GradientBar(self), 1)
        layout.addWidget(self.high)

    def set_range(self, caption: str, low: str, high: str) -> None:
        self.caption.setText(caption)
        self.low.setText(low)
        self.high.setText(high)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _heat_table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(False)
    return view


# The window -------------------------------------------------------------------------------------


class AgreementWindow(QDialog):
    """Choices on the left, results on the right; `compute()` starts the work."""

    def __init__(
        self,
        db: Database,
        selected_ids: Callable[[], list[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementWindow")
        self.setWindowTitle("Agreement")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._db = db
        self._selected_ids = selected_ids
        self._selected: list[int] = []
        self.task: BackgroundTask | None = None
        self.report: Report | None = None
        self.last_error = ""

        # Choices.
        self.annotators = QListWidget()
        self.annotators.setObjectName("agreementAnnotators")
        annotators_caption = QLabel("&Annotators (two or more):")
        annotators_caption.setBuddy(self.annotators)
        self.all_documents = QRadioButton("All &documents they share")
        self.selected_documents = QRadioButton("&Selected in the document list")
        self.all_documents.setChecked(True)
        documents_group = QButtonGroup(self)
        documents_group.addButton(self.all_documents)
        documents_group.addButton(self.selected_documents)
        self.labels = QListWidget()
        self.labels.setObjectName("agreementLabels")
        labels_caption = QLabel("&Labels:")
        labels_caption.setBuddy(self.labels)
        self.each_other = QRadioButton("With &each other")
        self.against = QRadioButton("Each a&gainst:")
        self.each_other.setChecked(True)
        mode_group = QButtonGroup(self)
        mode_group.addButton(self.each_other)
        mode_group.addButton(self.against)
        self.reference = QComboBox()
        self.reference.setObjectName("agreementReference")
        self.reference.setEnabled(False)
        self.against.toggled.connect(self.reference.setEnabled)
        self.compute_button = QPushButton("&Compute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = _plain("")
        self.message.setWordWrap(True)
        self.message.setObjectName("agreementMessage")

        choices = QWidget()
        left = QVBoxLayout(choices)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(annotators_caption)
        left.addWidget(self.annotators, 2)
        documents_box = QGroupBox("Documents")
        documents_layout = QVBoxLayout(documents_box)
        documents_layout.addWidget(self.all_documents)
        documents_layout.addWidget(self.selected_documents)
        left.addWidget(documents_box)
        left.addWidget(labels_caption)
        left.addWidget(self.labels, 1)
        mode_box = QGroupBox("Compare")
        mode_layout = QGridLayout(mode_box)
        mode_layout.addWidget(self.each_other, 0, 0, 1, 2)
        mode_layout.addWidget(self.against, 1, 0)
        mode_layout.addWidget(self.reference, 1, 1)
        left.addWidget(mode_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.message)

        # Results.
        self.summary = _plain("Choose annotators and press Compute.")
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.table_model = FigureTable(self)
        self.table = setup_row_table(QTableView())
        self.table.setObjectName("agreementTable")
        self.table.setModel(self.table_model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.figure = QComboBox()
        self.figure.setObjectName("heatFigure")
        for key, title in PAIR_FIGURES:
            self.figure.addItem(title, key)
        figure_caption = QLabel("&Figure:")
        figure_caption.setBuddy(self.figure)
        self.heat_label = QComboBox()
        self.heat_label.setObjectName("heatLabel")
        heat_label_caption = QLabel("La&bel:")
        heat_label_caption.setBuddy(self.heat_label)
        self.heat_model = HeatMapModel(self)
        self.heat = _heat_table("agreementHeatMap")
        self.heat.setModel(self.heat_model)
        self.heat_legend = Legend()
        self.pair = QComboBox()
        self.pair.setObjectName("confusionPair")
        pair_caption = QLabel("Tokens of &pair:")
        pair_caption.setBuddy(self.pair)
        self.confusion_model = HeatMapModel(self)
        self.confusion = _heat_table("agreementConfusion")
        self.confusion.setModel(self.confusion_model)
        self.confusion_legend = Legend()
        for combo in (self.figure, self.heat_label):
            combo.currentIndexChanged.connect(self._show_heat_map)
        self.pair.currentIndexChanged.connect(self._show_confusion)

        heat_page = QWidget()
        heat_layout = QVBoxLayout(heat_page)
        pickers = QHBoxLayout()
        pickers.addWidget(figure_caption)
        pickers.addWidget(self.figure)
        pickers.addWidget(heat_label_caption)
        pickers.addWidget(self.heat_label)
        pickers.addStretch(1)
        heat_layout.addLayout(pickers)
        heat_layout.addWidget(self.heat, 1)
        heat_layout.addWidget(self.heat_legend)
        confusion_pickers = QHBoxLayout()
        confusion_pickers.addWidget(pair_caption)
        confusion_pickers.addWidget(self.pair)
        confusion_pickers.addStretch(1)
        heat_layout.addLayout(confusion_pickers)
        caption = _plain("Tokens by category: rows the first annotator's, columns the second's")
        heat_layout.addWidget(caption)
        heat_layout.addWidget(self.confusion, 1)
        heat_layout.addWidget(self.confusion_legend)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "&Table")
        self.tabs.addTab(heat_page, "&Heat map")
        self.save_csv = QPushButton("Save as CS&V…")
        self.save_json = QPushButton("Save as &JSON…")
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        for button in (self.save_csv, self.save_json):
            button.setEnabled(False)
            button.setAutoDefault(False)
        self.save_csv.clicked.connect(lambda: self.save("csv"))
        self.save_json.clicked.connect(lambda: self.save("json"))
        self.close_button.clicked.connect(self.reject)

        results = QWidget()
        right = QVBoxLayout(results)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.summary)
        right.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_csv)
        bottom.addWidget(self.save_json)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        right.addLayout(bottom)

        splitter = QSplitter()
        splitter.addWidget(choices)
        splitter.addWidget(results)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 740])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1100, 700)

        order: list[QWidget] = [
            self.annotators,
            self.all_documents,
            self.selected_documents,
            self.labels,
            self.each_other,
            self.against,
            self.reference,
            self.compute_button,
            self.cancel_button,
            self.tabs,
            self.table,
            self.figure,
            self.heat_label,
            self.heat,
            self.pair,
            self.confusion,
            self.save_csv,
            self.save_json,
            self.close_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # Choices ---------------------------------------------------------------------------------
    def load_choices(self) -> None:
        """Read the annotators and labels again (keeping what was ticked) and the documents
        selected in the list now."""
        ticked = set(self.chosen_annotators())
        first = self.annotators.count() == 0
        choices: list[AnnotatorChoice] = agreement_annotators(self._db)
        self.annotators.clear()
        for choice in choices:
            kind = "gold layer, " if choice.gold else ""
            item = QListWidgetItem(f"{choice.name} ({kind}{_count(choice.documents, 'document')})")
            item.setData(_NAME, choice.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            worked = not choice.gold and choice.documents > 0
            on = worked if first else choice.name in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.annotators.addItem(item)
        if self.annotators.count():
            self.annotators.setCurrentRow(0)
        reference = self.reference.currentData()
        self.reference.clear()
        for choice in sorted(choices, key=lambda c: not c.gold):
            shown = choice.name + (" (gold layer)" if choice.gold else "")
            self.reference.addItem(shown, choice.name)
        found = self.reference.findData(reference)
        self.reference.setCurrentIndex(max(found, 0))

        labels_ticked = set(self.chosen_labels())
        first_labels = self.labels.count() == 0
        self.labels.clear()
        for label in list_labels(self._db):
            item = QListWidgetItem(label.name)
            item.setData(_NAME, label.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = first_labels or label.name in labels_ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.labels.addItem(item)
        if self.labels.count():
            self.labels.setCurrentRow(0)

        self._selected = list(self._selected_ids())
        self.selected_documents.setText(f"&Selected in the document list ({len(self._selected)})")
        self.selected_documents.setEnabled(bool(self._selected))
        if not self._selected:
            self.all_documents.setChecked(True)

    @staticmethod
    def _ticked(view: QListWidget) -> list[str]:
        return [
            str(view.item(i).data(_NAME))
            for i in range(view.count())
            if view.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_annotators(self) -> list[str]:
        return self._ticked(self.annotators)

    def chosen_labels(self) -> list[str]:
        return self._ticked(self.labels)

    def chosen_documents(self) -> list[int]:
        return list(self._selected) if self.selected_documents.isChecked() else []

    # Computing -------------------------------------------------------------------------------
    def compute(self) -> None:
        if self.task is not None:
            return
        annotators = self.chosen_annotators()
        labels = self.chosen_labels()
        documents = self.chosen_documents()
        reference = str(self.reference.currentData() or "") if self.against.isChecked() else ""
        others = [a for a in annotators if a != reference]
        if not labels:
            self._fail("Tick one or more labels.")
            return
        if reference:
            if not others:
                self._fail(f"Tick one or more annotators to compare against {reference}.")
                return
        elif len(annotators) < 2:
            self._fail("Tick two or more annotators.")
            return
        db = self._db

        def work(report: Callable[[Any], None], cancelled: Callable[[], bool]) -> Report:
            def progress(done: int, total: int) -> None:
                report((done, total))

            if reference:
                return compute_against(
                    db,
                    against=reference,
                    annotators=others,
                    document_ids=documents,
                    labels=labels,
                    progress=progress,
                    cancelled=cancelled,
                )
            return compute_agreement(
                db,
                annotators=annotators,
                document_ids=documents,
                labels=labels,
                progress=progress,
                cancelled=cancelled,
            )

        self.message.setText("")
        self.last_error = ""
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.task = task = BackgroundTask(work, self)
        task.sig_progress.connect(self._on_progress)
        task.sig_finished.connect(self._on_finished)
        task.sig_failed.connect(self._on_failed)
        task.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.message.setText("Cancelling…")

    def busy(self) -> bool:
        return self.task is not None

    def _on_progress(self, value: object) -> None:
        done, total = value if isinstance(value, tuple) else (0, 0)
        self.progress.setRange(0, max(int(total), 1))
        self.progress.setValue(int(done))

    def _done(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        self.progress.setVisible(False)
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_failed(self, message: str) -> None:
        cancelled = self.task is not None and self.task.cancelled
        self._done()
        if cancelled:
            self.message.setText("Cancelled.")
        else:
            self._fail(message[:1].upper() + message[1:] + ".")

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.message.setText(message)

    def _on_finished(self, report: Report) -> None:
        self._done()
        self.show_report(report)

    # Showing -------------------------------------------------------------------------------
    def show_report(self, report: Report) -> None:
        self.report = report
        self.table_model.set_rows(figure_rows(report))
        if isinstance(report, AgainstReport):
            parts = [
                f"{r.annotators[0]}: {_count(r.documents, 'document')}" for r in report.reports
            ]
            skipped = [f"{n}: no document shared" for n in report.without_shared]
            self.summary.setText(f"Against {report.reference} — " + "; ".join(parts + skipped))
            labels: Sequence[str] = report.reports[0].labels if report.reports else ()
        else:
            self.summary.setText(
                f"{', '.join(report.annotators)}: {_count(report.documents, 'document')}, "
                f"{report.tokens:,} tokens, {report.characters:,} characters"
            )
            labels = report.labels
        chosen_label = self.heat_label.currentData()
        self.heat_label.blockSignals(True)
        self.heat_label.clear()
        self.heat_label.addItem("All labels", None)
        for label in labels:
            self.heat_label.addItem(label, label)
        self.heat_label.setCurrentIndex(max(self.heat_label.findData(chosen_label), 0))
        self.heat_label.blockSignals(False)
        self.pair.blockSignals(True)
        self.pair.clear()
        for pair in _pairs(report):
            self.pair.addItem(" vs ".join(pair.annotators))
        self.pair.blockSignals(False)
        self._show_heat_map()
        self._show_confusion()
        for button in (self.save_csv, self.save_json):
            button.setEnabled(True)

    def _show_heat_map(self) -> None:
        report = self.report
        if report is None:
            return
        key = str(self.figure.currentData())
        label = self.heat_label.currentData()
        title = self.figure.currentText()
        if isinstance(report, AgainstReport):
            rows = [r.annotators[0] for r in report.reports]
            columns = [report.reference]
            values: list[list[float | int | None]] = [
                [_pair_value(p, key, label)] for p in _pairs(report)
            ]
            texts = [[format_figure(v[0])] for v in values]
        else:
            rows = columns = list(report.annotators)
            index = {name: i for i, name in enumerate(rows)}
            values = [[None] * len(rows) for _ in rows]
            texts = [["—" if i == j else "-" for j in range(len(rows))] for i in range(len(rows))]
            for pair in report.pairs:
                i, j = (index[n] for n in pair.annotators)
                value = _pair_value(pair, key, label)
                values[i][j] = values[j][i] = value
                texts[i][j] = texts[j][i] = format_figure(value)
        self.heat_model.set_matrix(rows, columns, values, texts)
        self.heat_legend.set_range(f"{title}:", "0 or less", "1")

    def _show_confusion(self) -> None:
        report = self.report
        pairs = _pairs(report) if report is not None else []
        row = self.pair.currentIndex()
        if not 0 <= row < len(pairs):
            self.confusion_model.set_matrix([], [], [], [])
            return
        pair = pairs[row]
        matrix = pair.confusion
        first, second = pair.annotators
        highest = max((n for r in matrix.counts for n in r), default=0)
        self.confusion_model.set_matrix(
            [f"{first}: {c}" for c in matrix.categories],
            [f"{second}: {c}" for c in matrix.categories],
            matrix.counts,
            [[f"{n:,}" for n in r] for r in matrix.counts],
            0.0,
            float(highest),
        )
        self.confusion_legend.set_range("Tokens:", "0", f"{highest:,}")

    # Saving --------------------------------------------------------------------------------
    def save(self, kind: str) -> None:
        if self.report is None:
            return
        title = "Save agreement as CSV" if kind == "csv" else "Save agreement as JSON"
        pattern = "CSV (*.csv)" if kind == "csv" else "JSON (*.json)"
        path, _ = QFileDialog.getSaveFileName(self, title, f"agreement.{kind}", pattern)
        if path:
            self.save_to(Path(path), kind)

    def save_to(self, path: Path, kind: str) -> None:
        """Write the report as the command line's `--format csv|json` prints it."""
        if self.report is None:
            return
        text = report_csv(self.report) if kind == "csv" else report_json(self.report)
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                out.write(text)
        except OSError as exc:
            self._fail(f"Cannot write {path}: {exc.strerror or exc}")
            return
        self.message.setText(f"Saved {path.name}.")

    def reject(self) -> None:
        """Escape or Close: a computation under way is cancelled."""
        self.cancel()
        super().reject()


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def open_agreement(dialog: AgreementWindow) -> None:
    """Views > Agreement: the window, its choices read again."""
    dialog.load_choices()
    if dialog.isVisible():
        dialog.raise_()  # behind the main window: bring it forward
    else:
        dialog.show()
    dialog.activateWindow()
    dialog.annotators.setFocus()


__all__ = ["AgreementWindow", "format_figure", "open_agreement"]
