"""Views across the corpus: the claims table, and `install`, which adds it, the timeline, the
actor network and the actor page as docks tabbed at the bottom of the window, with a Views menu.

The three corpus views share one snapshot, read with one service call and prepared (table
cells, timeline, network edges) in the background. Annotation changes mark it stale; it is
read again 300 ms after the last change, and only while one of the views is on screen (a view
shown later reads it then).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.analysis.claims import (
    Edge,
    Timeline,
    claims_about_edges,
    mentioned_with_edges,
    timeline,
)
from annotator.domain.claims import ClaimRow, CorpusViews
from annotator.domain.errors import AnnotatorError
from annotator.services import Database
from annotator.services.claims import corpus_views, write_claims_csv, write_claims_xlsx
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.tasks import RepeatingTask
from annotator.ui.common.text import message_box, plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window
    from annotator.ui.corpus.actor_page import ActorPagePanel

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
ALL_ACTORS = "All actors"
ALL_OUTLETS = "All outlets"
NO_ACTOR = "(no source)"
NO_OUTLET = "(no outlet)"
DEBOUNCE_MS = 300
_T = TypeVar("_T")


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _call(function: Callable[[_T], object], argument: _T) -> Callable[[], None]:
    """A slot without arguments (a `triggered(bool)` must not pass its flag on)."""

    def call() -> None:
        function(argument)

    return call


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@dataclass(frozen=True, slots=True)
class ClaimCells:
    """The table's text per claim, and what the filter line searches: plain data that a
    background thread can prepare."""

    cells: list[tuple[str, ...]]
    haystacks: list[str]


def claim_cells(rows: Sequence[ClaimRow]) -> ClaimCells:
    cells: list[tuple[str, ...]] = []
    for row in rows:
        according_to = "; ".join(ref.name for ref in row.according_to)
        targets = "; ".join(ref.name for ref in row.targets)
        cells.append(
            (
                _one_line(row.actor, 80),
                _one_line(row.text),
                row.date,
                _one_line(row.document_title, 80),
                row.outlet,
                row.published,
                row.quote_type,
                row.stance,
                row.reporting_verb,
                _one_line(according_to, 80),
                _one_line(targets, 80),
                _yes_no(row.hedged),
                _yes_no(row.check_worthy),
            )
        )
    return ClaimCells(cells, ["\n".join(c).casefold() for c in cells])


class ClaimTableModel(RowsModel[ClaimRow]):
    """One row per claim. The cells are computed once when the rows are set."""

    HEADERS = (
        "Actor",
        "Claim",
        "Date",
        "Document",
        "Outlet",
        "Published",
        "Quote type",
        "Stance",
        "Reporting verb",
        "According to",
        "About",
        "Hedged",
        "Check-worthy",
    )
    CLAIM_COLUMN = 1

    def __init__(self) -> None:
        super().__init__()
        self._cells: list[tuple[str, ...]] = []
        self._haystacks: list[str] = []

    def set_rows(self, rows: Sequence[ClaimRow], cells: ClaimCells | None = None) -> None:
        """Show these rows; `cells` (from `claim_cells`, made off the GUI thread) saves
        computing them here."""
        if cells is None or len(cells.cells) != len(rows):
            cells = claim_cells(rows)
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = list(cells.cells)
        self._haystacks = list(cells.haystacks)
        self.endResetModel()

    def rows(self) -> list[ClaimRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ClaimRow:
        return self._rows[row]

    def haystack(self, row: int) -> str:
        return self._haystacks[row]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self._rows[index.row()]
            if index.column() == self.CLAIM_COLUMN:
                return plain_tooltip(row.text)
            if index.column() == 3:
                return plain_tooltip(row.document_title)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on the prepared cells (fast for 100,000 rows), keeping persistent
        indexes (the selection) on their rows."""
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].span_id if i.isValid() else None for i in old]
        descending = order == Qt.SortOrder.DescendingOrder
        rows, cells = self._rows, self._cells
        # Empty cells last in either direction, then by text, then in document order.
        keys = [
            ((c[column] == "") != descending, c[column].casefold(), r.document_id, r.start)
            for r, c in zip(rows, cells, strict=True)
        ]
        ordered = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)
        self._rows = [rows[i] for i in ordered]
        self._cells = [cells[i] for i in ordered]
        self._haystacks = [self._haystacks[i] for i in ordered]
        where = {r.span_id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [
                self.index(where[i], o.column()) if i in where else QModelIndex()
                for i, o in zip(ids, old, strict=True)
            ],
        )
        self.layoutChanged.emit()


class ClaimFilterProxy(QSortFilterProxyModel):
    """Rows whose cells contain the filter text (any column), by an actor, from an outlet."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._actor: str | None = None
        self._outlet: str | None = None

    def set_filters(self, *, text: str, actor: str | None, outlet: str | None) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self._actor = actor
        self._outlet = outlet
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ClaimTableModel):
            return True
        if self._text and self._text not in model.haystack(source_row):
            return False
        row = model.row_at(source_row)
        if self._actor is not None:
            names = [ref.name for ref in row.sources]
            if self._actor == NO_ACTOR:
                if names:
                    return False
            elif self._actor not in names:
                return False
        return self._outlet is None or (row.outlet or NO_OUTLET) == self._outlet

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts itself; the proxy keeps its order.
        model = self.sourceModel()
        if isinstance(model, ClaimTableModel):
            model.sort(column, order)


class ClaimsPanel(QWidget):
    """The claims table with a filter line, actor and outlet filters, and an export button."""

    sig_open = Signal(int, int, int)
    """Go to a claim: (document id, span id, start offset)."""

    sig_actor = Signal(int)
    """Show the actor page of this registry actor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimTableModel()
        self.proxy = ClaimFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("claimsFilter")
        self.filter.setPlaceholderText("Filter claims (any column)…")
        self.filter.setClearButtonEnabled(True)
        self.actor_filter = QComboBox(self)
        self.actor_filter.setObjectName("claimsActorFilter")
        self.actor_filter.setToolTip("Only claims made by this actor")
        self.actor_filter.setMinimumContentsLength(16)
        self.actor_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.outlet_filter = QComboBox(self)
        self.outlet_filter.setObjectName("claimsOutletFilter")
        self.outlet_filter.setToolTip("Only claims in articles from this outlet")
        self.outlet_filter.setMinimumContentsLength(12)
        self.outlet_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setToolTip(
            "Write the claims shown (filtered, in this order) as CSV or XLSX"
        )

        self.view = QTableView(self)
        self.view.setObjectName("claimsTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((150, 380, 90, 180, 100, 90, 80, 70, 90, 120, 120, 60, 90)):
            self.view.setColumnWidth(column, width)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.actor_filter, 1)
        bar.addWidget(self.outlet_filter, 1)
        bar.addWidget(self.count)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self._apply_filters)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter.returnPressed.connect(self._apply_filters)
        self.actor_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.outlet_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.view.activated.connect(self._on_activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.export_button.clicked.connect(self.export)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._fill_combos([])
        self._update_count()

    # Data ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[ClaimRow], cells: ClaimCells | None = None) -> None:
        """Show these claims, keeping the filters and the selected claim where possible."""
        selected = self.selected_row()
        column = self.view.horizontalHeader().sortIndicatorSection()
        order = self.view.horizontalHeader().sortIndicatorOrder()
        self._fill_combos(rows)
        self.model.set_rows(rows, cells)
        if 0 <= column < len(ClaimTableModel.HEADERS):
            self.model.sort(column, order)
        self._apply_filters()
        if selected is not None:
            self.select_claim(selected.span_id)

    def _fill_combos(self, rows: Sequence[ClaimRow]) -> None:
        actors = sorted({ref.name for r in rows for ref in r.sources}, key=str.casefold)
        outlets = sorted({r.outlet for r in rows if r.outlet}, key=str.casefold)
        any_unattributed = any(not r.sources for r in rows)
        any_no_outlet = any(not r.outlet for r in rows)
        for combo, first, values, extra in (
            (self.actor_filter, ALL_ACTORS, actors, NO_ACTOR if any_unattributed else None),
            (self.outlet_filter, ALL_OUTLETS, outlets, NO_OUTLET if any_no_outlet else None),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value in values:
                combo.addItem(_one_line(value, 60), value)
            if extra is not None:
                combo.addItem(extra, extra)
            at = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_filters(
            text=self.filter.text(),
            actor=self.actor_filter.currentData(),
            outlet=self.outlet_filter.currentData(),
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "claim" if total == 1 else "claims"
        self.count.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")
        self.export_button.setEnabled(shown > 0)

    def visible_rows(self) -> list[ClaimRow]:
        """The claims shown, filtered and in the table's order."""
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
            for i in range(self.proxy.rowCount())
        ]

    def selected_row(self) -> ClaimRow | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select_claim(self, span_id: int) -> bool:
        for i in range(self.proxy.rowCount()):
            index = self.proxy.index(i, 0)
            if self.model.row_at(self.proxy.mapToSource(index).row()).span_id == span_id:
                self.view.selectRow(i)
                self.view.scrollTo(index)
                return True
        return False

    def show_actor(self, name: str) -> None:
        """Filter the table to the claims of an actor (by the name the table shows)."""
        at = self.actor_filter.findData(name)
        if at >= 0:
            self.actor_filter.setCurrentIndex(at)

    # Actions ---------------------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        self.sig_open.emit(row.document_id, row.span_id, row.start)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        menu = QMenu(self)
        menu.addAction("Go to the claim", lambda: self._on_activated(index))
        for ref in dict.fromkeys((*row.sources, *row.according_to, *row.targets)):
            if ref.actor_id is not None:
                page = menu.addAction(f"Actor page: {_one_line(ref.name, 40)}")
                page.triggered.connect(_call(self.sig_actor.emit, ref.actor_id))
        for ref in row.sources:
            only = menu.addAction(f"Only claims by {_one_line(ref.name, 40)}")
            only.triggered.connect(_call(self.show_actor, ref.name))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def export(self) -> None:
        rows = self.visible_rows()
        if not rows:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export claims",
            "claims.csv",
            "CSV (*.csv);;Excel workbook (*.xlsx)",
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".xlsx" if "xlsx" in chosen else ".csv")
        try:
            if target.suffix.lower() == ".xlsx":
                n = write_claims_xlsx(rows, target)
            else:
                n = write_claims_csv(rows, target)
        except AnnotatorError as exc:
            box = message_box(
                QMessageBox.Icon.Warning, "Cannot export the claims", str(exc), parent=self
            )
            box.exec()
            return
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Wrote {n} claims to {target}", 8000)


# Loading ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedViews:
    """What every corpus view shows, computed in the background from one read."""

    views: CorpusViews
    cells: ClaimCells
    timeline: Timeline
    claims_about: list[Edge]
    mentioned_with: list[Edge]


def prepare(db: Database, annotator_id: int | None = None) -> PreparedViews:
    """Read the corpus (one annotator's layer, with `annotator_id`) and compute the table
    cells, the timeline and both networks."""
    views = corpus_views(db, annotator_id=annotator_id)
    return PreparedViews(
        views,
        claim_cells(views.rows),
        timeline(views.rows, views.events),
        claims_about_edges(views.rows),
        mentioned_with_edges(views.actor_documents),
    )


class CorpusLoader(RepeatingTask):
    """Reads and prepares the corpus views in the background when asked, one read at a time;
    a request while a read runs starts another read after it."""

    sig_loaded = Signal(object)
    """A fresh PreparedViews."""

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        annotator_of: Callable[[], int | None] = lambda: None,
    ) -> None:
        # The annotator is read when a read starts: a frozen value, switched on the GUI thread.
        super().__init__(lambda _progress, _cancelled: prepare(db, annotator_of()), parent)
        self.sig_finished.connect(self.sig_loaded)


class CorpusViewsController(QObject):
    """Keeps the corpus views fed: stale after any change, read again only while shown."""

    def __init__(self, window: Window, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.loader = CorpusLoader(window.db, self, lambda: window.editor.annotator.id)
        self.snapshot: PreparedViews | None = None
        self._stale = True
        self._generation = 0
        self._loading_generation = -1
        self._consumers: list[tuple[QDockWidget, Callable[[PreparedViews], None]]] = []
        self._on_screen: dict[QDockWidget, bool] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._reload_if_shown)
        self.loader.sig_loaded.connect(self._on_loaded)
        self.loader.sig_failed.connect(window.warn)
        window.widget().installEventFilter(self)

    def add_consumer(self, dock: QDockWidget, show: Callable[[PreparedViews], None]) -> None:
        self._consumers.append((dock, show))
        self._on_screen[dock] = False
        dock.visibilityChanged.connect(lambda visible: self._on_visibility(dock, visible))

    def any_shown(self) -> bool:
        """Whether a view is on screen (a dock behind another tab is not: its
        `visibilityChanged(False)` says so, while `isVisible()` stays true)."""
        return any(
            dock.isVisible() and self._on_screen.get(dock, False) for dock, _ in self._consumers
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window.widget() and event.type() == QEvent.Type.Close:
            self._timer.stop()
            self.loader.wait()  # a read must not outlive the window and its database
        return False

    def mark_stale(self) -> None:
        self._stale = True
        self._generation += 1
        if self.any_shown():
            self._timer.start()

    def reload(self) -> None:
        """Read the corpus again now (when shown, or asked for by a test)."""
        self._timer.stop()
        self._loading_generation = self._generation
        self.loader.request()

    def _reload_if_shown(self) -> None:
        if self.any_shown():
            self.reload()

    def _on_visibility(self, dock: QDockWidget, visible: bool) -> None:
        self._on_screen[dock] = visible
        if visible and self._stale and not self._timer.isActive():
            if self.snapshot is None:
                self.reload()
            else:
                self._timer.start()

    def _on_loaded(self, prepared: PreparedViews) -> None:
        self.snapshot = prepared
        self._stale = self._loading_generation != self._generation
        for _dock, show in self._consumers:
            show(prepared)
        if self._stale:
            self._timer.start()


# Installing ------------------------------------------------------------------------------------


def jump_to_claim(window: Window, document_id: int, span_id: int, start: int) -> None:
    """Open the claim's document, scroll to it and select it."""
    window.open_document(document_id)
    document = window.editor.document
    if document is None or document.id != document_id:
        window.warn("That document cannot be opened any more.")
        return
    window.article.scroll_to(start)
    if window.editor.span(span_id) is None:
        window.select_span(None)
        window.tell("That span is gone; the views are being updated.", 5000)
        return
    window.select_span(span_id)


def _show(window: Window, docks: Sequence[QDockWidget], dock: QDockWidget, focus: QWidget) -> None:
    """Show a view: as a tab beside the corpus views already shown at the bottom, else on its
    own there, about two fifths of the window high."""
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    if not dock.isVisible():
        beside = [
            d
            for d in docks
            if d is not dock
            and d.isVisible()
            and not d.isFloating()
            and window.widget().dockWidgetArea(d) == bottom
        ]
        if beside and window.widget().dockWidgetArea(dock) == bottom and not dock.isFloating():
            window.widget().tabifyDockWidget(beside[0], dock)
        dock.show()
        if not beside:
            height = max(260, window.widget().height() * 2 // 5)
            window.widget().resizeDocks([dock], [height], Qt.Orientation.Vertical)
    dock.raise_()
    focus.setFocus()


class CorpusViewDocks(QObject):
    """What `install` added, for tests and for other modules (open the actor page...)."""

    def __init__(
        self,
        window: Window,
        controller: CorpusViewsController,
        claims: ClaimsPanel,
        actor_page: ActorPagePanel,
        docks: dict[str, QDockWidget],
    ) -> None:
        super().__init__(window.widget())
        self.setObjectName("corpusViews")
        self.window = window
        self.controller = controller
        self.claims = claims
        self.actor_page = actor_page
        self.docks = docks

    def open_actor(self, actor_id: int) -> None:
        self.actor_page.show_actor(actor_id)
        self.show("actor")

    def show(self, name: str) -> None:
        """Show one of the views ("claims", "timeline", "network", "actor") and focus it; the
        timeline opens fitted to the dates present."""
        if name == "timeline" and not self.docks[name].isVisible():
            from annotator.ui.views.timeline import TimelinePanel

            timeline = self.docks[name].widget()
            if isinstance(timeline, TimelinePanel):
                timeline.plot.fit()
        focus: dict[str, QWidget] = {
            "claims": self.claims.view,
            "timeline": self.docks["timeline"].widget(),
            "network": self.docks["network"].widget(),
            "actor": self.actor_page.chooser,
        }
        _show(self.window, list(self.docks.values()), self.docks[name], focus[name])


def install(window: Window) -> None:
    """Add the claims table, timeline, actor network and actor page as docks tabbed at the
    bottom (hidden until chosen in the Views menu), with the menu entries."""
    from annotator.ui.corpus.actor_page import ActorPagePanel
    from annotator.ui.views.network import NetworkPanel
    from annotator.ui.views.timeline import TimelinePanel

    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    controller = CorpusViewsController(window, window.widget())
    claims = ClaimsPanel(window.widget())
    timeline_panel = TimelinePanel(window.widget())
    network = NetworkPanel(window.widget())
    actor_page = ActorPagePanel(window.db, window.widget())
    docks = {
        "claims": window.add_dock("claims", "Claims", claims, bottom),
        "timeline": window.add_dock("timeline", "Timeline", timeline_panel, bottom),
        "network": window.add_dock("network", "Actor network", network, bottom),
        "actor": window.add_dock("actorPage", "Actor", actor_page, bottom),
    }
    for dock in docks.values():
        dock.setFeatures(dock.features() | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        dock.hide()
    views = CorpusViewDocks(window, controller, claims, actor_page, docks)

    controller.add_consumer(docks["claims"], lambda p: claims.set_rows(p.views.rows, p.cells))
    controller.add_consumer(docks["timeline"], lambda p: timeline_panel.set_timeline(p.timeline))
    controller.add_consumer(
        docks["network"],
        lambda p: network.set_graph(
            p.views.actors,
            p.views.mention_counts,
            p.claims_about,
            p.mentioned_with,
            claims=p.views.rows,
        ),
    )
    network.set_schema(window.editor.schema)
    window.editor.sig_schema_changed.connect(lambda: network.set_schema(window.editor.schema))
    window.editor.sig_corpus_changed.connect(controller.mark_stale)
    window.editor.sig_annotator_switched.connect(controller.mark_stale)
    window.editor.sig_corpus_changed.connect(actor_page.mark_stale)
    window.editor.sig_actors_changed.connect(
        lambda: actor_page.set_actors(window.editor.actors.values())
    )
    window.import_flow.sig_finished.connect(lambda _report: controller.mark_stale())
    actor_page.set_actors(window.editor.actors.values())
    docks["actor"].visibilityChanged.connect(actor_page.set_shown)

    def jump(document_id: int, span_id: int, start: int) -> None:
        jump_to_claim(window, document_id, span_id, start)

    claims.sig_open.connect(jump)
    timeline_panel.sig_open.connect(jump)
    network.sig_claim_chosen.connect(jump)
    actor_page.sig_open.connect(jump)
    network.sig_actor_chosen.connect(views.open_actor)
    claims.sig_actor.connect(views.open_actor)

    menu = window.menu("&Views")
    for key, text, name, tip in (
        ("view_claims", "&Claims table", "claims", "Every claim: who said what, when"),
        ("view_timeline", "&Timeline", "timeline", "Claims and dates per actor over time"),
        ("view_network", "Actor &network", "network", "Who said what, who with whom"),
        ("view_actor", "&Actor page", "actor", "One actor's mentions and claims"),
    ):
        action = QAction(text, window.widget())
        action.setStatusTip(tip)
        action.triggered.connect(_call(views.show, name))
        menu.addAction(action)
        window.actions_by_key[key] = action


def corpus_views_of(window: Window) -> CorpusViewDocks | None:
    """The corpus views installed in the window, if any."""
    found = window.widget().findChild(CorpusViewDocks, "corpusViews")
    return found if isinstance(found, CorpusViewDocks) else None
