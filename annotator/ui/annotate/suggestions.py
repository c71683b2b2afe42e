"""Suggestions in the window: drawn in the article, listed in a dock, decided by the annotator.

Suggestions are proposals, stored apart from annotations: they are drawn as dashed outlines,
listed in the Suggestions dock with their engine and score, and become annotations only when the
annotator accepts them. Enter accepts the current suggestion, a label's hotkey accepts it as
that label, Backspace rejects it, J and K step through them and Shift+Enter accepts all of the
current one's label; each decision is one undo step on the editor's stack, and the next
suggestion becomes current, so a document can be reviewed with Enter and Backspace alone.

The engines run off the GUI thread: on a document opened for the first time, after an ACTOR is
accepted (its other mentions are proposed at once), and on request for the document or the
whole corpus. Marking a document done retrains the actor model in the background.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QEnterEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.assist.base import ACTORS, CLAIMS, ENGINES
from annotator.domain import collector
from annotator.domain.model import Actor, Label, RelationType, Span
from annotator.domain.schema import ACTOR
from annotator.domain.suggestions import StoredModel, Suggestion
from annotator.services.suggestions import (
    SuggestionSettings,
    SuggestReport,
    suggestion_settings,
)
from annotator.ui.annotate.editing import Decision, DocumentEditor
from annotator.ui.annotate.suggestion_runs import (
    ActorTrainer,
    CorpusRun,
    DocumentRuns,
    RunDone,
    model_description,
)
from annotator.ui.common.item_models import RowsModel, _Index
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.annotate.suggestion_quality import SuggestionQualityWindow
    from annotator.ui.annotate.suggestion_settings import SuggestionSettingsDialog
    from annotator.ui.common.window import Window

_STATUS_MS = 6000
AUTO_SUGGEST_MS = 600
"""How long a document never suggested for stays open before the engines run on it."""
KEYS_HINT = (
    "J / K: next / previous suggestion\nEnter: accept · 1, 2, 3: accept as that label\n"
    "Backspace: reject · Shift+Enter: accept all of its label · Ctrl+Z: undo"
)
_QUOTE_CHARS = 100
_LINK_QUOTE_CHARS = 24
_CARD_HIDE_MS = 350

Key = tuple[int, int, int]
"""A suggestion by what it proposes: (start, end, label id). Ids change when a run replaces a
document's suggestions; what they propose does not."""


def key_of(suggestion: Suggestion) -> Key:
    return (suggestion.start, suggestion.end, suggestion.label_id)


def _text_order(start: int, end: int) -> tuple[int, int]:
    return (start, -end)


def _row_order(suggestion: Suggestion) -> tuple[int, int, int]:
    """The order of a document's suggestions as read (`list_suggestions`): text order."""
    return (suggestion.start, -suggestion.end, suggestion.id)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- Plain rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuggestionRow:
    """A suggestion as the panel and the card show it: plain text, read once per change."""

    id: int
    start: int
    end: int
    label_id: int
    label: str
    colour: str
    quote: str
    engine: str
    score: float
    rule: str
    links: str
    """Its proposed links, short: "SOURCE Ines Okafor · TIME 2030"."""
    details: tuple[str, ...]
    """Lines for the card and the tool tip: values, links in full, model version."""


@dataclass(frozen=True)
class RowContext:
    """What turns suggestions into rows: names and colours, and what links point at."""

    labels: dict[int, Label]
    relation_types: dict[int, RelationType]
    spans: dict[int, Span]
    suggestions: dict[int, Suggestion]
    actors: dict[int, Actor]


def suggestion_rows(suggestions: Sequence[Suggestion], context: RowContext) -> list[SuggestionRow]:
    """Rows for suggestions, in the order given."""
    rows = []
    for s in suggestions:
        label = context.labels.get(s.label_id)
        short_links = []
        details = []
        for name, value in s.attributes.items():
            if value is None:
                continue
            shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            details.append(f"{name.replace('_', ' ')}: {shown}")
        if s.actor_id is not None and s.actor_id in context.actors:
            details.append(f"actor: {context.actors[s.actor_id].name}")
        for link in s.links:
            relation_type = context.relation_types.get(link.type_id)
            type_name = relation_type.name if relation_type else "?"
            target: Span | Suggestion | None = (
                context.spans.get(link.target_span_id)
                if link.target_span_id is not None
                else context.suggestions.get(link.target_suggestion_id or 0)
            )
            if target is None:
                continue
            target_label = context.labels.get(target.label_id)
            kind = "annotation" if isinstance(target, Span) else "suggestion"
            short_links.append(f"{type_name} {_one_line(target.quote, _LINK_QUOTE_CHARS)}")
            details.append(
                f"{type_name} → {target_label.name if target_label else '?'} "
                f"“{_one_line(target.quote, 60)}” ({kind})"
            )
        if s.model_version:
            details.append(f"model version {s.model_version}")
        rows.append(
            SuggestionRow(
                id=s.id,
                start=s.start,
                end=s.end,
                label_id=s.label_id,
                label=label.name if label else "?",
                colour=label.colour if label else "#888888",
                quote=s.quote,
                engine=s.engine,
                score=s.score,
                rule=s.rule,
                links=" · ".join(short_links),
                details=tuple(details),
            )
        )
    return rows


class SuggestionListModel(RowsModel[Suggestion]):
    """The open document's suggestions that pass the panel's filters, in text order. It holds
    the suggestions and what names them (plain snapshots) and makes a row's texts when Qt
    first asks for them: a long article has thousands, and only a screenful is ever shown."""

    HEADERS = ("Label", "Quote", "Engine", "Score", "Rule", "Links")

    def __init__(self) -> None:
        super().__init__()
        self._by_id: dict[int, Suggestion] = {}
        self._context = RowContext({}, {}, {}, {}, {})
        self._made: dict[int, SuggestionRow] = {}

    def set_suggestions(self, suggestions: Sequence[Suggestion], context: RowContext) -> None:
        """The rows, in text order (as `list_suggestions` reads them)."""
        self._context = context
        self._made = {}
        self._set_rows(suggestions)
        self._by_id = {s.id: s for s in self._rows}

    def update_rows(
        self, removed: Collection[int], added: Sequence[Suggestion], relinked: Collection[int]
    ) -> None:
        """Take rows out by suggestion id, put others in at their place in text order and make
        the texts of `relinked` again (what their links point at changed): row by row, so
        the view keeps its scroll position and selection and the thousands of other rows
        are left alone."""
        rows = self._rows
        for suggestion_id in removed:
            at = self.row_of(suggestion_id)
            if at is None:
                continue
            self.beginRemoveRows(QModelIndex(), at, at)
            self._made.pop(suggestion_id, None)
            del self._by_id[suggestion_id]
            del rows[at]
            self.endRemoveRows()
        for suggestion in added:
            if suggestion.id in self._by_id:
                continue
            at = bisect_left(rows, _row_order(suggestion), key=_row_order)
            self.beginInsertRows(QModelIndex(), at, at)
            rows.insert(at, suggestion)
            self._by_id[suggestion.id] = suggestion
            self.endInsertRows()
        last = len(self.HEADERS) - 1
        for suggestion_id in relinked:
            row = self.row_of(suggestion_id)
            if row is None:
                continue
            self._made.pop(suggestion_id, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def suggestions(self) -> list[Suggestion]:
        return list(self._rows)

    def row_at(self, row: int) -> SuggestionRow:
        suggestion = self._rows[row]
        made = self._made.get(suggestion.id)
        if made is None:
            (made,) = suggestion_rows([suggestion], self._context)
            self._made[suggestion.id] = made
        return made

    def row_of(self, suggestion_id: int) -> int | None:
        """The row of a suggestion: found by bisection, the rows being in text order."""
        suggestion = self._by_id.get(suggestion_id)
        if suggestion is None:
            return None
        at = bisect_left(self._rows, _row_order(suggestion), key=_row_order)
        if at < len(self._rows) and self._rows[at].id == suggestion_id:
            return at
        return self._rows.index(suggestion)

    def suggestion_at(self, row: int) -> Suggestion:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._row(index) is None:
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.label
            if column == 1:
                return _one_line(row.quote, _QUOTE_CHARS)
            if column == 2:
                return row.engine
            if column == 3:
                return f"{row.score:.2f}"
            if column == 4:
                return row.rule
            return row.links
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(row.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip("\n".join([f"{row.label} “{row.quote}”", *row.details]))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


# --- The dock --------------------------------------------------------------------------------


class SuggestionsPanel(QWidget):
    """Filters, a count line, the table and the buttons; it holds rows, never reads the
    database."""

    sig_chosen = Signal(int)
    """The user picked a row (click or arrow keys): that suggestion's id."""

    sig_filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self._all: list[Suggestion] = []
        self._counts: Counter[int] = Counter()  # of `_all`, by label id
        self._context = RowContext({}, {}, {}, {}, {})
        self._filter: tuple[int | None, str | None] = (None, None)
        self._label_order: list[str] = []
        self._selecting = False
        self._open = False

        self.label_filter = QComboBox(self)
        self.label_filter.setObjectName("suggestionLabelFilter")
        self.label_filter.setToolTip("Show the suggestions of one label (J and K follow it)")
        self.engine_filter = QComboBox(self)
        self.engine_filter.setObjectName("suggestionEngineFilter")
        self.engine_filter.setToolTip("Show the suggestions of one engine (J and K follow it)")
        self.engine_filter.addItem("All engines", None)
        for engine in ENGINES:
            self.engine_filter.addItem(engine, engine)
        self.summary = QLabel(self)
        self.summary.setObjectName("suggestionSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setToolTip(KEYS_HINT)
        self.model = SuggestionListModel()
        self.view = setup_row_table(QTableView(self))
        self.view.setObjectName("suggestionTable")
        self.view.setModel(self.model)
        self.view.setToolTip(KEYS_HINT)
        header = self.view.horizontalHeader()
        # Fixed starting widths: sizing columns to their contents reads every row, and a long
        # article has thousands.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((78, 190, 58, 46, 90)):
            header.resizeSection(column, width)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        def button(text: str, name: str) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            # Clicking leaves the keyboard where it was (the article), so Enter goes on working.
            made.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            return made

        self.accept_button = button("Accept", "acceptSuggestion")
        self.reject_button = button("Reject", "rejectSuggestion")
        self.accept_all_button = button("Accept all", "acceptAllSuggestions")
        self.suggest_document_button = button("Suggest in this document", "suggestDocument")
        self.suggest_all_button = button("Suggest in all documents", "suggestAll")

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.label_filter, 1)
        filters.addWidget(self.engine_filter, 1)
        decide = QHBoxLayout()
        decide.setContentsMargins(0, 0, 0, 0)
        decide.addWidget(self.accept_button)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.accept_all_button)
        decide.addStretch(1)
        run = QHBoxLayout()
        run.setContentsMargins(0, 0, 0, 0)
        run.addWidget(self.suggest_document_button)
        run.addWidget(self.suggest_all_button)
        run.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(decide)
        layout.addLayout(run)

        self.label_filter.currentIndexChanged.connect(self._on_filter)
        self.engine_filter.currentIndexChanged.connect(self._on_filter)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.view.clicked.connect(self._on_clicked)
        self.set_labels([])

    def set_labels(self, labels: Sequence[Label]) -> None:
        chosen = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", None)
        for label in labels:
            self.label_filter.addItem(label.name, label.id)
        self._label_order = [label.name for label in labels]
        at = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(at, 0))
        self.label_filter.blockSignals(False)
        self._filter = (self.chosen_label(), self.chosen_engine())

    def set_suggestions(
        self, suggestions: Sequence[Suggestion], context: RowContext, *, document_open: bool
    ) -> None:
        """All the open document's suggestions; the filters choose which the table shows."""
        self._all = list(suggestions)
        self._counts = Counter(s.label_id for s in self._all)
        self._context = context
        self._open = document_open
        self._refill()

    def update_suggestions(
        self,
        removed: Sequence[Suggestion],
        added: Sequence[Suggestion],
        relinked: Collection[int],
    ) -> None:
        """Some suggestions leave, others come back, and the rows of `relinked` say
        their links again; the rest stays as `set_suggestions` left it (its context too,
        which the caller keeps up to date)."""
        for suggestion in removed:
            at = bisect_left(self._all, _row_order(suggestion), key=_row_order)
            if at < len(self._all) and self._all[at].id == suggestion.id:
                del self._all[at]
                self._counts[suggestion.label_id] -= 1
        self._counts.update(s.label_id for s in added)
        for suggestion in added:
            self._all.insert(
                bisect_left(self._all, _row_order(suggestion), key=_row_order), suggestion
            )
        self.model.update_rows(
            [s.id for s in removed], [s for s in added if self.passes(s)], relinked
        )
        self._update_summary()

    def chosen_label(self) -> int | None:
        value = self.label_filter.currentData()
        return value if isinstance(value, int) else None

    def chosen_engine(self) -> str | None:
        value = self.engine_filter.currentData()
        return value if isinstance(value, str) else None

    def passes(self, suggestion: Suggestion | SuggestionRow) -> bool:
        label, engine = self._filter
        return (label is None or suggestion.label_id == label) and (
            engine is None or suggestion.engine == engine
        )

    def shown(self) -> list[Suggestion]:
        return self.model.suggestions()

    def select(self, suggestion_id: int | None) -> None:
        """Select the row of a suggestion (or none) without saying so: the article told us."""
        row = self.model.row_of(suggestion_id) if suggestion_id else None
        self._selecting = True
        try:
            selection = self.view.selectionModel()
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)
        finally:
            self._selecting = False

    def _refill(self) -> None:
        current = self.view.currentIndex()
        current_id = self.model.suggestion_at(current.row()).id if current.isValid() else None
        self.model.set_suggestions([s for s in self._all if self.passes(s)], self._context)
        self.select(current_id)
        self._update_summary()

    def _update_summary(self) -> None:
        if not self._open:
            self.summary.setText("No document is open.")
            return
        total = len(self._all)
        if not total:
            self.summary.setText("No suggestions in this document yet.")
            return
        names = self._context.labels
        counts: Counter[str] = Counter()
        for label_id, n in self._counts.items():
            counts[names[label_id].name if label_id in names else "?"] += n
        counts = +counts
        order = {name: i for i, name in enumerate(self._label_order)}
        parts = ", ".join(
            f"{counts[name]} {name}" for name in sorted(counts, key=lambda n: order.get(n, 99))
        )
        text = f"{total} suggestion{'s' if total != 1 else ''}: {parts}"
        if self.model.rowCount() != total:
            text += f"; {self.model.rowCount()} shown"
        self.summary.setText(text + ".")

    def _on_filter(self) -> None:
        self._filter = (self.chosen_label(), self.chosen_engine())
        self._refill()
        self.sig_filters_changed.emit()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._selecting and current.isValid():
            self.sig_chosen.emit(self.model.suggestion_at(current.row()).id)

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_chosen.emit(self.model.suggestion_at(index.row()).id)


# --- The hover card --------------------------------------------------------------------------


class SuggestionCard(QFrame):
    """A small card over the article for the suggestion the mouse rests on: what it proposes,
    in plain text, with Accept and Reject. It never takes the keyboard focus."""

    sig_accept = Signal(int)
    sig_reject = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._area = parent
        self.setObjectName("suggestionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#suggestionCard { background: #FFFFF4; border: 1px solid #8A8A80; "
            "border-radius: 4px; }"
        )
        self.suggestion_id: int | None = None
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: bold;")
        self.quote = QLabel(self)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setStyleSheet("color: #444444;")
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setObjectName("cardAccept")
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.setObjectName("cardReject")
        for made in (self.accept_button, self.reject_button):
            made.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            made.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.quote)
        layout.addWidget(self.body)
        layout.addLayout(buttons)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(_CARD_HIDE_MS)
        self._hide_timer.timeout.connect(self.dismiss)
        self.accept_button.clicked.connect(self._on_accept)
        self.reject_button.clicked.connect(self._on_reject)
        self.hide()

    def show_row(self, row: SuggestionRow, line: QRect) -> None:
        """Show the card for a row, below the line `line` (viewport coordinates) or above it
        when there is no room below."""
        self._hide_timer.stop()
        self.suggestion_id = row.id
        self.title.setText(f"{row.label} suggestion · {row.engine} · score {row.score:.2f}")
        self.quote.setText(f"“{_one_line(row.quote, 300)}”")
        lines = ([f"rule: {row.rule}"] if row.rule else []) + list(row.details)
        self.body.setText("\n".join(lines))
        self.body.setVisible(bool(lines))
        self.setMaximumWidth(min(460, max(200, self._area.width() - 8)))
        self.adjustSize()
        area = self._area.rect()
        x = min(max(2, line.left()), max(2, area.right() - self.width() - 2))
        y = line.bottom() + 4
        if y + self.height() > area.bottom() and line.top() - self.height() - 4 >= 0:
            y = line.top() - self.height() - 4
        self.move(x, y)
        self.show()
        self.raise_()

    def schedule_hide(self) -> None:
        if self.isVisible():
            self._hide_timer.start()

    def dismiss(self) -> None:
        self._hide_timer.stop()
        self.suggestion_id = None
        self.hide()

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hide_timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.schedule_hide()
        super().leaveEvent(event)

    def _on_accept(self) -> None:
        if self.suggestion_id is not None:
            chosen = self.suggestion_id
            self.dismiss()
            self.sig_accept.emit(chosen)

    def _on_reject(self) -> None:
        if self.suggestion_id is not None:
            chosen = self.suggestion_id
            self.dismiss()
            self.sig_reject.emit(chosen)


# --- The controller --------------------------------------------------------------------------


class SuggestionController(QObject):
    """Keeps the article, the dock and the card in step with the open document's suggestions,
    and turns the keys and buttons into decisions on the editor."""

    sig_engines_chosen = Signal(object)
    """The user switched engines on or off (a tuple of engine names): their own choice, which
    the window keeps in their settings file."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.setObjectName("suggestionController")
        self.window = window
        self.editor: DocumentEditor = window.editor
        self.article = window.article
        self.db = window.db
        self.settings: SuggestionSettings = suggestion_settings(self.db)
        self.panel = SuggestionsPanel(window.widget())
        self.panel.set_labels(self.editor.labels)
        self.dock = window.add_dock(
            "suggestions",
            "Suggestions",
            self.panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tab_with="annotations",
        )
        self.card = SuggestionCard(self.article.viewport())
        importing = window.import_flow

        def hold() -> bool:
            return importing.task is not None and importing.task.is_running()

        def listing() -> tuple[int, object]:
            return self.editor.annotator.id, self.editor.suggestions

        self.runs = DocumentRuns(self.db, self, hold=hold, listing=listing)
        self.corpus = CorpusRun(self.db, self, hold=hold)
        self.trainer = ActorTrainer(self.db, self)
        self.settings_dialog: SuggestionSettingsDialog | None = None
        self.quality_window: SuggestionQualityWindow | None = None
        self._shown: list[Suggestion] = []
        self._by_key: dict[Key, Suggestion] = {}  # all of the document's, shown or not
        self._shown_ids: set[int] = set()
        self._sync_pending = False
        self._targets: dict[int, set[int]] = {}  # span id -> shown suggestions linking to it
        self._changed: list[tuple[list[Span], list[Span]]] = []  # since the last sync
        self._context = RowContext({}, {}, {}, {}, {})  # what the panel's rows were made from
        self._anchor: tuple[int, int] | None = None
        self._focus: Key | None = None
        self._current_key: Key | None = None
        self._auto_run: set[int] = set()

        bar = window.widget().statusBar()
        self.progress = QProgressBar(window.widget())
        self.progress.setObjectName("suggestProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("Suggesting: %v of %m documents")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", window.widget())
        self.cancel_button.setObjectName("suggestCancel")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        editor = self.editor
        editor.sig_document_opened.connect(self._on_document_opened)
        editor.sig_suggestions_changed.connect(self.sync)
        editor.sig_suggestions_decided.connect(self._on_decided)
        editor.sig_spans_changed.connect(self._on_spans_changed)
        editor.sig_schema_changed.connect(self._on_schema_changed)
        editor.sig_actors_changed.connect(self.sync)
        self.article.sig_suggestion_selected.connect(self._on_suggestion_selected)
        self.article.sig_suggestion_clicked.connect(self._on_suggestion_clicked)
        self.article.sig_span_selected.connect(self._on_span_selected)
        self.article.sig_suggestion_rested.connect(self._on_rested)
        self.article.sig_suggestion_left.connect(self.card.schedule_hide)
        self.article.verticalScrollBar().valueChanged.connect(self.card.dismiss)
        self.panel.sig_chosen.connect(self._on_row_chosen)
        self.panel.sig_filters_changed.connect(self._update_buttons)
        self.card.sig_accept.connect(lambda i: self._accept(i, None))
        self.card.sig_reject.connect(self._reject)
        self.runs.sig_done.connect(self._on_run_done)
        self.runs.sig_failed.connect(self._status)
        self.trainer.sig_done.connect(self._on_trained)
        self.trainer.sig_failed.connect(self._status)
        self.cancel_button.clicked.connect(self.cancel_corpus_run)
        self.corpus.sig_progress.connect(self._on_corpus_progress)
        self.corpus.sig_stored.connect(self._on_corpus_stored)
        self.corpus.sig_finished.connect(self._on_corpus_finished)
        self.corpus.sig_failed.connect(self._on_corpus_failed)
        self._auto_timer = QTimer(self)
        self._auto_timer.setSingleShot(True)
        self._auto_timer.setInterval(AUTO_SUGGEST_MS)
        self._auto_timer.timeout.connect(self._auto_suggest)
        window.widget().installEventFilter(self)

    # State -------------------------------------------------------------------------------------
    @property
    def current(self) -> Suggestion | None:
        return self.article.current_suggestion

    def shown(self) -> list[Suggestion]:
        """The open document's suggestions as drawn (those an annotation duplicates left out)."""
        return list(self._shown)

    def navigable(self) -> list[Suggestion]:
        """Those the panel's filters let through: what J, K and "next" go through."""
        return [s for s in self._shown if self.panel.passes(s)]

    def use_engines(self, engines: tuple[str, ...]) -> None:
        """Run these engines in this window (the user's choice from their settings file)."""
        self.settings = replace(self.settings, engines=tuple(e for e in ENGINES if e in engines))

    def busy(self) -> bool:
        """Whether engines or training run or are about to (tests wait for this)."""
        return (
            self._auto_timer.isActive()
            or self.runs.busy()
            or self.trainer.busy()
            or self.corpus.running()
        )

    def _status(self, message: str) -> None:
        self.window.tell(message, _STATUS_MS)

    def _row_context(self) -> RowContext:
        labels = {label.id: label for label in self.editor.schema.labels}
        labels.update({label.id: label for label in self.editor.labels})
        return RowContext(
            labels=labels,
            relation_types={t.id: t for t in self.editor.schema.relation_types},
            spans={s.id: s for s in self.editor.spans},
            suggestions={s.id: s for s in self.editor.suggestions},
            actors=self.editor.actors,
        )

    # Showing -----------------------------------------------------------------------------------
    def sync(self) -> None:
        """Show the editor's suggestions: article, dock, title; keep or choose the current.

        A long article's 100,000 suggestions make as many keys, rows and marks here: the cycle
        collector waits until they are made (it walked them again and again, half of a
        third of a second on B), then they are left out of its later walks."""
        with collector.paused_collection():
            self._sync()
            # Set aside before collection resumes: the first allocation after would walk them.
            collector.keep()

    def _sync(self) -> None:
        self._sync_pending = False
        self._changed = []
        editor = self.editor
        # Without suggestions (most documents), a long document's spans are not gone through.
        taken = (
            {(s.start, s.end, s.label_id) for s in editor.spans} if editor.suggestions else set()
        )
        self._by_key = {key_of(s): s for s in editor.suggestions}
        self._shown = [s for s in editor.suggestions if key_of(s) not in taken]
        self._shown_ids = {s.id for s in self._shown}
        self._targets = {}
        for s in self._shown:
            self._link_targets(s)
        by_key = {key_of(s): s for s in self._shown}
        previous, previous_key = self.current, self._current_key
        self.article.set_suggestions(self._shown)
        self._context = self._row_context()
        self.panel.set_suggestions(
            self._shown, self._context, document_open=editor.document is not None
        )
        self._show_count()
        if self.card.isVisible() and self.card.suggestion_id not in self._shown_ids:
            self.card.dismiss()
        wanted: Suggestion | None = None
        if self._focus is not None and self._focus in by_key:
            wanted = by_key[self._focus]
        elif self.current is not None:
            wanted = self.current
        elif previous is not None and previous_key is not None and previous_key in by_key:
            # A run replaced the suggestions (new ids): the same proposal stays current.
            wanted = by_key[previous_key]
        elif self._anchor is not None:
            wanted = self._next_after(self._anchor)
            document = editor.document
            if wanted is None and document is not None and self.runs.pending(document.id):
                # The live run may propose what comes next: keep the place until it is done.
                self.panel.select(None)
                self._update_buttons()
                return
            navigable = self.navigable()
            if wanted is None and navigable:
                wanted = navigable[0]
        self._focus = self._anchor = None
        if wanted is not None and (self.current is None or self.current.id != wanted.id):
            self._make_current(wanted, reveal=True)
        else:
            self.panel.select(self.current.id if self.current else None)
        self._update_buttons()

    def _link_targets(self, suggestion: Suggestion) -> None:
        for link in suggestion.links:
            if link.target_span_id is not None:
                self._targets.setdefault(link.target_span_id, set()).add(suggestion.id)

    def _show_count(self) -> None:
        n = len(self._shown)
        self.dock.setWindowTitle(f"Suggestions ({n})" if n else "Suggestions")

    def _next_after(self, anchor: tuple[int, int]) -> Suggestion | None:
        return next(
            (s for s in self.navigable() if _text_order(s.start, s.end) > anchor),
            None,
        )

    def _make_current(self, suggestion: Suggestion | None, *, reveal: bool) -> None:
        self._anchor = self._focus = None
        if suggestion is None:
            self.article.select_suggestion(None)
            return
        if self.article.selected_span_id is not None:
            self.window.select_span(None)
        self.article.select_suggestion(suggestion)
        if reveal:
            self.article.reveal(suggestion.start, suggestion.end)

    def _update_buttons(self) -> None:
        current = self.current
        has = current is not None
        self.panel.accept_button.setEnabled(has)
        self.panel.reject_button.setEnabled(has)
        label_id = current.label_id if current else self.panel.chosen_label()
        names = {label.id: label.name for label in self.editor.labels}
        if label_id is not None and label_id in names:
            self.panel.accept_all_button.setText(f"Accept all {names[label_id]}")
            self.panel.accept_all_button.setEnabled(
                any(s.label_id == label_id for s in self._shown)
            )
        else:
            self.panel.accept_all_button.setText("Accept all")
            self.panel.accept_all_button.setEnabled(False)
        document = self.editor.document is not None
        self.panel.suggest_document_button.setEnabled(document)
        self.window.actions_by_key["suggest_document"].setEnabled(document)

    # Keys and buttons ----------------------------------------------------------------------------
    def step(self, step: int) -> None:
        """J / K: the next or previous suggestion (those the panel's filters show)."""
        items = self.navigable()
        if not items:
            self._status(
                "No suggestions in this document (Annotate > Suggest in this document)."
                if not self._shown
                else "No suggestions pass the Suggestions panel's filters."
            )
            return
        current = self.current
        if current is not None and any(s.id == current.id for s in items):
            at = next(i for i, s in enumerate(items) if s.id == current.id)
            chosen = items[(at + step) % len(items)]
        else:
            # From where the reader is: the selected span, or the top of the view.
            span = self.article.selected_span
            here = span.start if span is not None else self.article.visible_range()[0]
            after = [s for s in items if s.start >= here]
            if step > 0:
                chosen = after[0] if after else items[0]
            else:
                before = [s for s in items if s.start < here]
                chosen = before[-1] if before else items[-1]
        self.card.dismiss()
        self._make_current(chosen, reveal=True)

    def accept_current(self, label_id: int | None = None) -> None:
        """Enter (or a label's hotkey): accept the current suggestion (as that label)."""
        current = self.current
        if current is None:
            self._status("No suggestion is current: J / K step through them, or click one.")
            return
        self._accept(current.id, label_id)

    def reject_current(self) -> None:
        current = self.current
        if current is None:
            self._status("No suggestion is current: J / K step through them, or click one.")
            return
        self._reject(current.id)

    def accept_all(self, label_id: int | None = None) -> None:
        """Accept every suggestion of a label in the document: the given one, the current
        suggestion's, or the one the panel's label filter shows."""
        current = self.current
        if label_id is None:
            label_id = current.label_id if current else self.panel.chosen_label()
        if label_id is None:
            self._status("Make a suggestion current first (J), or choose a label in the panel.")
            return
        self.card.dismiss()
        accepted = self.editor.accept_label(label_id)
        name = self.editor.label(label_id).name
        if accepted is None:
            self._status(f"No {name} suggestions to accept in this document.")
            return
        n = sum(1 for s in accepted.suggestions if s.label_id == label_id)
        self._status(f"Accepted {n} {name} suggestion{'s' if n != 1 else ''} (Ctrl+Z undoes it).")

    def _accept(self, suggestion_id: int, label_id: int | None) -> None:
        suggestion = self.editor.suggestion(suggestion_id)
        if suggestion is None:
            return
        if label_id == suggestion.label_id:
            label_id = None
        self.card.dismiss()
        accepted = self.editor.accept_suggestions([suggestion_id], label_id=label_id)
        if accepted is not None:
            name = self.editor.label(label_id or suggestion.label_id).name
            extra = len(accepted.relations)
            links = f" with {extra} link{'s' if extra != 1 else ''}" if extra else ""
            self._status(
                f"Accepted {name} “{_one_line(suggestion.quote, 40)}”{links} (Ctrl+Z undoes it)."
                + self._left()
            )

    def _reject(self, suggestion_id: int) -> None:
        suggestion = self.editor.suggestion(suggestion_id)
        if suggestion is None:
            return
        self.card.dismiss()
        if self.editor.reject_suggestion(suggestion_id) is not None:
            self._status(
                f"Rejected “{_one_line(suggestion.quote, 40)}”: no longer shown to you here "
                "(Ctrl+Z undoes it)." + self._left()
            )

    def _left(self) -> str:
        document = self.editor.document
        if self.current is not None or (document is not None and self.runs.pending(document.id)):
            return ""
        return " No suggestions left in this document." if not self._shown else ""

    # Runs ----------------------------------------------------------------------------------------
    def suggest_document(self) -> None:
        document = self.editor.document
        if document is None:
            return
        if not self.settings.engines:
            self._status("Every engine is switched off (Annotate > Suggestion settings…).")
            return
        self.dock.show()
        self.dock.raise_()
        self.runs.request(document.id, self.settings.engines, quiet=False)
        self._status("Suggesting in this document…")

    def suggest_all(self) -> None:
        """Run the engines over the corpus in the background, with progress and Cancel."""
        if self.corpus.running():
            self._status("Suggestions are being made in all documents already.")
            return
        engines = self.settings.engines
        if not engines:
            self._status("Every engine is switched off (Annotate > Suggestion settings…).")
            return
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.window.actions_by_key["suggest_all"].setEnabled(False)
        self.panel.suggest_all_button.setEnabled(False)
        self.corpus.start(engines)
        self._status("Suggesting in all documents, in the background…")

    def cancel_corpus_run(self) -> None:
        if self.corpus.running():
            self.corpus.cancel()
            self.cancel_button.setEnabled(False)
            self._status("Cancelling: what was proposed already is kept…")

    def _on_corpus_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_corpus_stored(self, document_ids: list[int]) -> None:
        document = self.editor.document
        if document is not None and document.id in document_ids:
            self.editor.reload_suggestions()

    def _end_corpus_run(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.window.actions_by_key["suggest_all"].setEnabled(True)
        self.panel.suggest_all_button.setEnabled(True)

    def _on_corpus_finished(self, report: SuggestReport) -> None:
        self._end_corpus_run()
        self.window.tell(f"Suggested: {report.summary()}.", 15000)

    def _on_corpus_failed(self, message: str) -> None:
        self._end_corpus_run()
        self.window.warn(f"Suggesting stopped: {message}")

    def _on_run_done(self, done: RunDone) -> None:
        document = self.editor.document
        if document is None or document.id != done.document_id:
            return
        if done.suggestions is not None and done.basis is self.editor.suggestions:
            # Nothing read them meanwhile (a decision, another layer): the stored list follows
            # on from what is shown, and reading it back is spared.
            self.editor.show_suggestions(done.suggestions)
        else:
            self.editor.reload_suggestions()
        if not done.quiet:
            self._status(f"Suggested in this document: {done.report.summary()}.")

    def _live_engines(self) -> tuple[str, ...]:
        """Engines to run after an ACTOR changed: the actor engine, and when claims are on the
        engines whose proposals their links point at (a run replaces an engine's suggestions,
        and a claim's link to a replaced one would go with it)."""
        on = self.settings.engines
        if ACTORS not in on:
            return ()
        return on if CLAIMS in on else (ACTORS,)

    # Training ----------------------------------------------------------------------------------
    def retrain(self) -> None:
        self.trainer.request()

    def _on_trained(self, model: StoredModel | None) -> None:
        if model is not None:
            self._status(model_description(model))

    # Handlers ----------------------------------------------------------------------------------
    def _on_document_opened(self) -> None:
        self._anchor = self._focus = self._current_key = None
        self.card.dismiss()
        self.sync()
        document = self.editor.document
        for dropped in self.runs.drop_quiet(keep=document.id if document else None):
            self._auto_run.discard(dropped)  # not proposed after all: next time it is
        # A document kept open for a moment, not each one passed on the way through the list.
        self._auto_timer.start()

    def _auto_suggest(self) -> None:
        document = self.editor.document
        if (
            document is not None
            and document.id not in self._auto_run
            and self.settings.engines
            and not self.editor.suggestions
            and not any(s.origin for s in self.editor.spans)
        ):
            # Never suggested for (nothing proposed, nothing accepted): propose now, so a new
            # user sees suggestions without asking.
            self._auto_run.add(document.id)
            self.runs.request(
                document.id, self.settings.engines, quiet=True, unless_found_nothing=True
            )

    def _on_decided(self, decision: Decision) -> None:
        chosen = sorted(decision.suggestions, key=lambda s: _text_order(s.start, s.end))
        if not chosen:
            return
        first = chosen[0]
        if decision.undone:
            self._focus, self._anchor = key_of(first), None
        else:
            self._anchor, self._focus = _text_order(first.start, first.end), None
        accepted = decision.accepted
        names = {label.id: label.name for label in self.editor.schema.labels}
        if accepted is not None and any(names.get(s.label_id) == ACTOR for s in accepted.spans):
            engines = self._live_engines()
            if engines:
                self.runs.request(first.document_id, engines, quiet=True)

    def _on_spans_changed(self, gone: list[Span], present: list[Span]) -> None:
        # An annotation where a suggestion lies hides it (and shows it again when it goes); a
        # changed link target changes what the panel says of the links. After the event loop:
        # a decision reads the suggestions again at once, and that shows all of it.
        if any(
            (s.start, s.end, s.label_id) in self._by_key or s.id in self._targets
            for s in [*gone, *present]
        ):
            self._changed.append((list(gone), list(present)))
            if not self._sync_pending:
                self._sync_pending = True
                QTimer.singleShot(0, self, self._sync_if_pending)

    def _sync_if_pending(self) -> None:
        if self._sync_pending:
            changed, self._changed = self._changed, []
            self._sync_pending = False
            self._follow_spans(changed)

    def _follow_spans(self, changed: Sequence[tuple[list[Span], list[Span]]]) -> None:
        """Show what some span changes did to the suggestions, touching only theirs: those at
        the changed spans' places are hidden or shown again, and the rows linking to the
        changed spans say their links again. A hand-made annotation over one of 20,000
        suggestions took a full `sync` (every suggestion and span gone through, the article
        indexed and the panel's table reset) on the GUI thread; this costs what it changes.
        Where the current suggestion goes, or a decision waits to choose the next, `sync`
        decides as before."""
        if self._focus is not None or self._anchor is not None:
            self.sync()
            return
        keys = {
            (s.start, s.end, s.label_id) for gone, present in changed for s in [*gone, *present]
        }
        taken = self._taken(keys)
        hide = [
            found
            for key in keys
            if key in taken and (found := self._by_key.get(key)) and found.id in self._shown_ids
        ]
        show = sorted(
            (
                found
                for key in keys
                if key not in taken
                and (found := self._by_key.get(key))
                and found.id not in self._shown_ids
            ),
            key=_row_order,
        )
        current = self.current
        if current is not None and any(s.id == current.id for s in hide):
            self.sync()
            return
        # The rows' link texts read the spans as they are now.
        spans = self._context.spans
        changed_ids = set()
        for gone, present in changed:
            for span in gone:
                spans.pop(span.id, None)
                changed_ids.add(span.id)
            for span in present:
                spans[span.id] = span
                changed_ids.add(span.id)
        for suggestion in hide:
            at = bisect_left(self._shown, _row_order(suggestion), key=_row_order)
            if at < len(self._shown) and self._shown[at].id == suggestion.id:
                del self._shown[at]
            else:
                self._shown.remove(suggestion)
            self._shown_ids.discard(suggestion.id)
        for suggestion in show:
            self._shown.insert(
                bisect_left(self._shown, _row_order(suggestion), key=_row_order), suggestion
            )
            self._shown_ids.add(suggestion.id)
            self._link_targets(suggestion)
        # A hidden suggestion's entries stay: its row is gone, and nothing else reads them.
        relinked = {
            suggestion_id
            for span_id in changed_ids
            for suggestion_id in self._targets.get(span_id, ())
            if suggestion_id in self._shown_ids
        }
        if hide or show:
            self.article.update_suggestions([s.id for s in hide], show)
        self.panel.update_suggestions(hide, show, relinked)
        self._show_count()
        if self.card.isVisible() and self.card.suggestion_id not in self._shown_ids:
            self.card.dismiss()
        self.panel.select(current.id if current else None)
        self._update_buttons()

    def _taken(self, keys: Collection[Key]) -> set[Key]:
        """Which of these places (start, end, label id) one of the editor's spans has: found
        by bisection in its spans, which are in text order (start, longer first, id)."""
        spans = self.editor.spans
        found = set()
        for key in keys:
            start, end, label_id = key
            at = bisect_left(spans, (start, -end), key=lambda s: (s.start, -s.end))
            while at < len(spans) and spans[at].start == start and spans[at].end == end:
                if spans[at].label_id == label_id:
                    found.add(key)
                    break
                at += 1
        return found

    def _on_schema_changed(self) -> None:
        self.panel.set_labels(self.editor.labels)
        self.sync()

    def _on_suggestion_selected(self, suggestion_id: int) -> None:
        current = self.current
        self._current_key = key_of(current) if current is not None else None
        self.panel.select(suggestion_id or None)
        self._update_buttons()

    def _on_suggestion_clicked(self, suggestion_id: int) -> None:
        suggestion = next((s for s in self._shown if s.id == suggestion_id), None)
        self._make_current(suggestion, reveal=False)

    def _on_span_selected(self, span_id: int) -> None:
        if span_id:
            # The reader went elsewhere: "next" no longer follows the last decision.
            self._anchor = self._focus = None

    def _on_row_chosen(self, suggestion_id: int) -> None:
        suggestion = next((s for s in self._shown if s.id == suggestion_id), None)
        if suggestion is not None and (self.current is None or self.current.id != suggestion_id):
            self._make_current(suggestion, reveal=True)

    def _on_rested(self, suggestion_id: int, point: QPoint) -> None:
        suggestion = next((s for s in self._shown if s.id == suggestion_id), None)
        if suggestion is None:
            return
        rects = self.article.range_rects(suggestion.start, suggestion.end)
        line = next((r for r in rects if r.top() <= point.y() <= r.bottom()), None)
        if line is None:
            line = rects[-1] if rects else None
        if line is None:
            return
        (row,) = suggestion_rows([suggestion], self._row_context())
        self.card.show_row(row, QRect(point.x() - 24, int(line.top()), 1, int(line.height())))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window.widget() and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def stop(self) -> None:
        """Cancel the background work and wait for it: it must not outlive the window."""
        self._auto_timer.stop()
        self.runs.stop()
        self.trainer.stop()
        if self.quality_window is not None:
            self.quality_window.stop()
        self.corpus.stop()


def install(window: Window) -> SuggestionController:
    """The Suggestions dock (tabbed with Annotations), the drawing and the card, the keys and
    the Annotate menu's suggestion entries."""
    controller = SuggestionController(window)
    window.suggestions = controller
    a = window.actions_by_key
    a["next_suggestion"].triggered.connect(lambda: controller.step(1))
    a["previous_suggestion"].triggered.connect(lambda: controller.step(-1))
    a["accept_suggestion"].triggered.connect(lambda: controller.accept_current())
    a["accept_all_of_label"].triggered.connect(lambda: controller.accept_all())
    a["suggest_document"].triggered.connect(controller.suggest_document)
    a["suggest_all"].triggered.connect(controller.suggest_all)
    a["suggestion_settings"].triggered.connect(lambda: open_settings(controller))
    a["status_done"].triggered.connect(controller.retrain)

    panel = controller.panel
    panel.accept_button.clicked.connect(a["accept_suggestion"].trigger)
    panel.reject_button.clicked.connect(controller.reject_current)
    panel.accept_all_button.clicked.connect(a["accept_all_of_label"].trigger)
    panel.suggest_document_button.clicked.connect(a["suggest_document"].trigger)
    panel.suggest_all_button.clicked.connect(a["suggest_all"].trigger)

    # The suggestion entries go last in the Annotate menu, after linking and the registry.
    menu = window.menu("&Annotate")
    keys = (
        "accept_suggestion",
        "reject_suggestion",
        "accept_all_of_label",
        "suggest_document",
        "suggest_all",
        "suggestion_settings",
    )
    for key in keys:
        menu.removeAction(a[key])
    menu.addSeparator()
    for key in keys[:3]:
        menu.addAction(a[key])
    accept_of = menu.addMenu("Accept all suggestions &of")
    for label in window.editor.labels:
        action = QAction(label.name, window.widget())
        action.setStatusTip(f"Accept every {label.name} suggestion in this document")
        action.triggered.connect(lambda _=False, lid=label.id: controller.accept_all(lid))
        accept_of.addAction(action)
        a[f"accept_all:{label.name}"] = action
    menu.addSeparator()
    for key in keys[3:]:
        menu.addAction(a[key])

    quality = QAction("Suggestion &quality", window.widget())
    quality.setStatusTip(
        "Precision, recall and F1 of the engines against your decisions and your finished "
        "documents, and how the actor engine learns"
    )
    quality.triggered.connect(lambda: open_quality(controller))
    views = window.menu("&Views")
    views.addSeparator()
    views.addAction(quality)
    a["view_suggestion_quality"] = quality
    controller.sync()
    return controller


def open_quality(controller: SuggestionController) -> None:
    """Views > Suggestion quality: the window, measuring again in the background."""
    from annotator.ui.annotate.suggestion_quality import SuggestionQualityWindow

    window = controller.quality_window
    if window is None:
        window = SuggestionQualityWindow(controller.db, controller.window.widget())
        controller.quality_window = window
    if window.isVisible():
        window.raise_()  # behind the main window: bring it forward
    else:
        window.show()
    window.activateWindow()
    window.refresh()


def open_settings(controller: SuggestionController) -> None:
    """Annotate > Suggestion settings…: engines, pipeline, gazetteer, the actor model."""
    from annotator.ui.annotate.suggestion_settings import SuggestionSettingsDialog

    dialog = SuggestionSettingsDialog(
        controller.db,
        controller.trainer,
        controller.window.widget(),
        user_engines=controller.settings.engines,
    )
    controller.settings_dialog = dialog

    def saved() -> None:
        controller.settings = suggestion_settings(controller.db)
        controller.sig_engines_chosen.emit(controller.settings.engines)
        engines = ", ".join(controller.settings.engines) or "none"
        controller._status(f"Suggestion settings saved: engines {engines}.")

    dialog.accepted.connect(saved)
    dialog.open()


__all__ = [
    "SuggestionCard",
    "SuggestionController",
    "SuggestionListModel",
    "SuggestionRow",
    "SuggestionsPanel",
    "install",
    "key_of",
    "suggestion_rows",
]
