"""The curation view: the open document's disagreements between annotators, decided into gold.

A dock with the disagreements in reading order and, for the current one, each annotator's
version numbered 1, 2, ... Keys in the list: Up/Down go to the previous/next disagreement, 1-9
take that annotator's version into gold, R rejects all of them (nothing goes to gold), Enter
shows the place in the article. "Merge agreed" copies what all annotators agree on into gold.
Each decision is one step on the window's undo stack (Ctrl+Z takes it back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.curation import Disagreement, Side
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Schema
from annotator.services import curation as curation_service
from annotator.services.curation import CurationState, CurationStep
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.keys import opens_on_enter
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe_side(side: Side, schema: Schema) -> str:
    """An annotator's version in one line: 'ACTOR “Kim Yo Jong”', 'SOURCE → “KCNA”'."""
    parts = []
    for span in side.spans:
        text = f"{schema.label(span.label_id).name} “{_one_line(span.quote, 40)}”"
        extra = [f"{k}={v}" for k, v in sorted(span.attributes.items()) if v not in (None, "")]
        if span.actor_id is not None:
            extra.append(f"actor #{span.actor_id}")
        parts.append(text + (f" ({', '.join(extra)})" if extra else ""))
    for relation, _, target in side.links:
        name = schema.relation_type(relation.type_id).name
        parts.append(f"{name} → “{_one_line(target.quote, 40)}”")
    return "; ".join(parts) or "(nothing)"


def _f1(value: float | int | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class _Table(RowsModel[tuple[str, ...]]):
    """Rows of plain strings under the headers given."""

    def __init__(self, headers: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = headers

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self._set_rows(rows)

    @property
    def rows(self) -> list[tuple[str, ...]]:
        return self._rows

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        row = self._row(index)
        if row is None:
            return None
        if role == _DISPLAY:
            return row[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row[index.column()])
        return None


class DisagreementList(QTableView):
    """The list of disagreements; its keys decide the current one (see the module's text)."""

    sig_accept = Signal(int)
    """Take the version numbered n (1 for the first annotator)."""
    sig_reject = Signal()
    sig_show = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.sig_accept.emit(key - Qt.Key.Key_0)
        elif plain and key == Qt.Key.Key_R:
            self.sig_reject.emit()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_show.emit()
        else:
            super().keyPressEvent(event)


class CurationPanel(QWidget):
    """The dock's contents; `refresh()` compares the layers of the open document again."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.setObjectName("curation")
        self._window = window
        self.state: CurationState | None = None
        self.shown = False
        self._stale = True

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.against_gold = QLabel()
        self.against_gold.setObjectName("curationAgainstGold")
        self.against_gold.setTextFormat(Qt.TextFormat.PlainText)
        self.against_gold.setWordWrap(True)
        self.merge = QPushButton("&Merge agreed")
        self.merge.setToolTip("Copy every span and link all annotators agree on into gold")
        self.merge.clicked.connect(self.merge_agreed)
        self.model = _Table(("Where", "Question"), self)
        self.view = DisagreementList()
        setup_row_table(self.view)
        self.view.setObjectName("disagreements")
        self.view.setModel(self.model)
        opens_on_enter(self.view)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.sides_model = _Table(("Key", "Annotator", "Version"), self)
        self.sides = setup_row_table(QTableView())
        self.sides.setObjectName("curationSides")
        self.sides.setModel(self.sides_model)
        sides_header = self.sides.horizontalHeader()
        for column in (0, 1):
            sides_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        sides_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sides.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        hint = QLabel("Keys: ↑/↓ go, 1–9 take a version, R reject, Enter show in the article")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.header, 1)
        top.addWidget(self.merge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.against_gold)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.sides, 2)
        layout.addWidget(hint)

        self.view.sig_accept.connect(self.accept_side)
        self.view.sig_reject.connect(self.reject_current)
        self.view.sig_show.connect(self.show_current)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_sides())
        editor = window.editor
        editor.sig_document_opened.connect(self.schedule)
        editor.sig_spans_changed.connect(lambda *_: self.schedule())
        editor.sig_relations_changed.connect(self.schedule)

    # Reading ----------------------------------------------------------------------------------
    def schedule(self) -> None:
        self._stale = True
        if self.shown:
            self.refresh()

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if shown and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        document = self._window.editor.document
        if document is None:
            self.state = None
            self.model.set_rows([])
            self.sides_model.set_rows([])
            self.header.setText("No document is open.")
            self.against_gold.setText("")
            return
        row = max(self.view.currentIndex().row(), 0)
        try:
            self.state = curation_service.curation_state(self._window.db, document_id=document.id)
        except AnnotatorError as exc:
            self.state = None
            self.model.set_rows([])
            self.header.setText(f"Cannot compare the layers: {exc}")
            self.against_gold.setText("")
            return
        state = self.state
        # The view shows every compared annotator's layer, read-only, over the curator's own.
        editor = self._window.editor
        compared = [a for a in state.annotators if a.id != editor.annotator.id]
        if {a.id for a in compared} - {a.id for a in editor.layers}:
            editor.show_layers([*editor.layers, *compared])
        schema = editor.schema
        self.model.set_rows(
            [
                (_one_line(state.text[d.start : d.end]), self._question(d, schema))
                for d in state.open
            ]
        )
        names = ", ".join(a.name for a in state.annotators) or "no annotator"
        agreed = len(state.comparison.agreed_spans)
        self.header.setText(
            f"{len(state.open)} to decide · {names} · {agreed} spans agreed · "
            f"gold: {len(state.gold_spans)} spans"
        )
        self.against_gold.setText(self._against_gold(state))
        if state.open:
            self.view.selectRow(min(row, len(state.open) - 1))
        self._show_sides()

    def _against_gold(self, state: CurationState) -> str:
        """Each annotator's span F1 against gold in this document, in one line."""
        gold = state.gold.name
        if not state.annotators:
            return ""
        if not state.gold_spans:
            return f"Span F1 against {gold}: {gold} holds nothing in this document yet."
        # The agreement figures (and their tokenizer) load when gold is first compared with,
        # not at every start of the window.
        from annotator.services.agreement import compute_against

        try:
            report = compute_against(
                self._window.db,
                against=gold,
                annotators=[a.name for a in state.annotators],
                document_ids=[state.document_id],
            )
        except AnnotatorError as exc:
            return f"Span F1 against {gold}: {exc}"
        parts = []
        for each in report.reports:
            figures = each.pairs[0].figures
            exact, overlap = (figures.get(k) for k in ("span_f1_exact", "span_f1_overlap"))
            parts.append(f"{each.annotators[0]} {_f1(exact)} / {_f1(overlap)}")
        return f"Span F1 against {gold} (exact / overlap): " + " · ".join(parts)

    @staticmethod
    def _question(d: Disagreement, schema: Schema) -> str:
        if d.kind == "link":
            type_id = d.link_type
            return f"{schema.relation_type(type_id).name} of" if type_id is not None else "link"
        return "/".join(sorted(schema.label(i).name for i in d.label_ids))

    def current(self) -> Disagreement | None:
        row = self.view.currentIndex().row()
        if self.state is None or not 0 <= row < len(self.state.open):
            return None
        return self.state.open[row]

    def _show_sides(self) -> None:
        d = self.current()
        if d is None or self.state is None:
            self.sides_model.set_rows([])
            return
        schema = self._window.editor.schema
        self.sides_model.set_rows(
            [
                (str(n), self.state.name_of(side.annotator_id), describe_side(side, schema))
                for n, side in enumerate(d.sides, start=1)
            ]
        )

    # Deciding ---------------------------------------------------------------------------------
    def accept_side(self, number: int) -> None:
        d, state = self.current(), self.state
        if d is None or state is None or not 1 <= number <= len(d.sides):
            return
        side = d.sides[number - 1]
        self._decide(
            lambda: curation_service.accept(
                self._window.db,
                document_id=state.document_id,
                disagreement_id=d.id,
                annotator_id=side.annotator_id,
            )
        )

    def reject_current(self) -> None:
        d, state = self.current(), self.state
        if d is None or state is None:
            return
        self._decide(
            lambda: curation_service.reject(
                self._window.db, document_id=state.document_id, disagreement_id=d.id
            )
        )

    def merge_agreed(self) -> None:
        document = self._window.editor.document
        if document is None:
            return
        step = self._decide(
            lambda: curation_service.merge_agreed(self._window.db, document_id=document.id)
        )
        if step is not None and step.empty:
            self._window.tell("Gold already holds everything the annotators agree on.")

    def _decide(self, call: Any) -> CurationStep | None:
        try:
            step: CurationStep = call()
        except AnnotatorError as exc:
            self._window.warn(str(exc))
            self.refresh()
            return None
        if not step.empty:
            self._window.editor.undo_stack.push(_CurationCommand(self._window, self, step))
        self.after_change()
        return step

    def after_change(self) -> None:
        """Show what gold holds now: the article's spans, this list."""
        editor = self._window.editor
        editor.refresh_from_store()
        editor.sig_corpus_changed.emit()
        self.refresh()

    def show_current(self) -> None:
        """Scroll the article to the current disagreement and select one version's span."""
        d = self.current()
        if d is None:
            return
        window = self._window
        window.article.reveal(d.start, d.end)
        for side in d.sides:
            spans = list(side.spans) or [source for _, source, _ in side.links]
            for span in spans:
                if window.editor.span(span.id) is not None:
                    window.select_span(span.id)
                    return
        # No version is in the curator's own layer: select the place itself.
        window.select_span(None)
        window.article.select_range(d.start, d.end)


class _CurationCommand(QUndoCommand):
    """A curation step already made; undo and redo call the curation services."""

    def __init__(self, window: Window, panel: CurationPanel, step: CurationStep) -> None:
        super().__init__(f"Curation: {step.text}")
        self._window, self._panel, self._step = window, panel, step
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(lambda: curation_service.redo_step(self._window.db, step=self._step))

    def undo(self) -> None:
        self._run(lambda: curation_service.undo_step(self._window.db, step=self._step))

    def _run(self, call: Any) -> None:
        editor = self._window.editor
        try:
            call()
        except AnnotatorError as exc:
            editor.sig_error.emit(f"{self.text()}: {exc}")
            self.setObsolete(True)
        editor.ensure_open(self._step.document_id)
        self._panel.after_change()


def install(window: Window) -> None:
    """The Curation dock (right, tabbed with the span list, hidden until asked for) and its
    actions in the Document menu."""
    panel = CurationPanel(window)
    dock = window.add_dock(
        "curation",
        "Curation",
        panel,
        Qt.DockWidgetArea.RightDockWidgetArea,
        tab_with="annotations",
    )
    dock.setFeatures(dock.features() | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    dock.hide()
    dock.visibilityChanged.connect(panel.set_shown)

    def show() -> None:
        dock.show()
        dock.raise_()
        panel.set_shown(True)
        panel.refresh()
        panel.view.setFocus()

    menu = window.menu("&Document")
    for key, text, tip, slot in (
        ("view_curation", "&Curation…", "Decide where the annotators disagree, into gold", show),
        (
            "curate_merge",
            "&Merge agreed into gold",
            "Copy what all annotators agree on in this document into the gold layer",
            panel.merge_agreed,
        ),
    ):
        action = QAction(text, window.widget())
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        window.actions_by_key[key] = action


__all__ = ["CurationPanel", "describe_side", "install"]
