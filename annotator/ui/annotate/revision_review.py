"""The Review dock: spans a new version of the open article moved in a way a person must check.

A changed entry shows the old quote and the new one (the span is in place; Keep accepts it,
Discard deletes it). An unplaced entry shows the old quote in its old context; select where
it belongs in the article and Place at selection puts it back with its label, attributes,
note, actor and the links whose other end still exists; or Discard it. Enter goes to the span,
or to about where it was. Every decision is one step on the window's undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.revisions import Resolution, ReviewReason, SpanReview
from annotator.services import Database
from annotator.services.importing import ImportReport
from annotator.services.revisions import open_reviews, reopen_review, settle_review
from annotator.ui.annotate.editing import DocumentEditor
from annotator.ui.common.actions import ActionSpec
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.keys import opens_on_enter
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

_Index = QModelIndex | QPersistentModelIndex
_QUOTE_CHARS = 60
_CONTEXT_CHARS = 24


def _one_line(text: str, limit: int = _QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One entry as the table shows it: plain strings, computed once per refresh."""

    entry: SpanReview
    reason: str
    label: str
    was: str
    now: str
    tip: str


def _row(entry: SpanReview, label: str) -> ReviewRow:
    if entry.reason is ReviewReason.CHANGED:
        now = entry.quote if entry.quote is not None else "(the span was deleted since)"
        return ReviewRow(
            entry,
            "changed",
            label,
            _one_line(entry.old_quote),
            _one_line(now),
            f"Was: {entry.old_quote}\nNow: {now}",
        )
    before = _one_line(entry.prefix[-_CONTEXT_CHARS:], _CONTEXT_CHARS)
    after = _one_line(entry.suffix[:_CONTEXT_CHARS], _CONTEXT_CHARS)
    context = f"…{before} [{_one_line(entry.old_quote, 40)}] {after}…"
    links = len(entry.record.get("links", []))
    why = str(entry.record.get("why", ""))
    return ReviewRow(
        entry,
        "unplaced",
        label,
        _one_line(entry.old_quote),
        context,
        f"Was: …{entry.prefix}[{entry.old_quote}]{entry.suffix}…\n{why}\n"
        f"{links} link{'s' if links != 1 else ''} recorded",
    )


class ReviewModel(RowsModel[ReviewRow]):
    HEADERS = ("Reason", "Label", "Was", "Now / where it was")

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self._set_rows(rows)

    def item(self, row: int) -> ReviewRow:
        return self._rows[row]

    def row_of(self, review_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.entry.id == review_id), None)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.reason, row.label, row.was, row.now)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.tip)
        return None


class ReviewPanel(QWidget):
    """The open document's open entries, and the three decisions."""

    sig_go_to = Signal(object)
    """The user chose an entry (a SpanReview): show its span or where it was."""
    sig_decide = Signal(object, object)
    """(SpanReview, Resolution): the user decided an entry."""

    def __init__(self, db: Database, editor: DocumentEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self._db = db
        self._editor = editor
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.model = ReviewModel()
        self.view = setup_row_table(QTableView())
        self.view.setModel(self.model)
        self.view.setObjectName("reviewList")
        opens_on_enter(self.view)  # Enter goes to the entry, not to the window's shortcut
        header = self.view.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 140)
        header.setStretchLastSection(True)
        # The current entry in full: the old quote in its old context, and the new quote.
        self.detail = QLabel()
        self.detail.setObjectName("reviewDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.keep_button = QPushButton("Keep")
        self.keep_button.setToolTip("Accept the changed span where it was placed")
        self.place_button = QPushButton("Place at selection")
        self.place_button.setToolTip(
            "Put the unplaced span back at the text selected in the article"
        )
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Let the span go (undo brings it back)")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.keep_button, self.place_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

        self.view.activated.connect(self._on_activated)
        self.view.installEventFilter(self)
        self.keep_button.clicked.connect(lambda: self._decide(Resolution.KEPT))
        self.place_button.clicked.connect(lambda: self._decide(Resolution.PLACED))
        self.discard_button.clicked.connect(lambda: self._decide(Resolution.DISCARDED))
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        editor.sig_document_opened.connect(self.refresh)
        self._update_buttons()

    @property
    def current(self) -> SpanReview | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.item(index.row()).entry

    def refresh(self) -> None:
        """Read the open document's open entries again, keeping the current row if it stays."""
        document = self._editor.document
        current = self.current
        if document is None:
            self.model.set_rows([])
            self.header.setText("No document is open.")
            self._update_buttons()
            return
        try:
            everyone = open_reviews(self._db, document_id=document.id)
        except AnnotatorError as exc:
            self.header.setText(f"Cannot list the entries to review: {exc}")
            return
        # Like the article, the list shows the current annotator's layer only: the entries of
        # their spans, which a placed span goes back into.
        me = self._editor.annotator.id
        entries = [e for e in everyone if e.annotator_id == me]
        others = len(everyone) - len(entries)
        names = {label.id: label.name for label in self._editor.labels}
        self.model.set_rows([_row(e, names.get(e.label_id, "?")) for e in entries])
        if not entries:
            text = "Nothing to review in your layer of this document."
        else:
            changed = sum(1 for e in entries if e.reason is ReviewReason.CHANGED)
            text = (
                f"{len(entries)} to review after a new version of this article: "
                f"{changed} changed, {len(entries) - changed} unplaced. Enter shows one; "
                "select text in the article to place an unplaced span there."
            )
        if others:
            text += (
                f" {others} more {'belongs' if others == 1 else 'belong'} to other "
                "annotators' layers: they review them as themselves."
            )
        self.header.setText(text)
        row = self.model.row_of(current.id) if current is not None else None
        if row is None and entries:
            row = 0
        if row is not None:
            self.view.selectRow(min(row, self.model.rowCount() - 1))
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        entry = self.current
        index = self.view.currentIndex()
        self.detail.setText(
            self.model.item(index.row()).tip
            if entry is not None and index.row() < self.model.rowCount()
            else ""
        )
        changed = entry is not None and entry.reason is ReviewReason.CHANGED
        self.keep_button.setEnabled(changed)
        self.place_button.setEnabled(entry is not None and not changed)
        self.discard_button.setEnabled(entry is not None)

    def _decide(self, resolution: Resolution) -> None:
        entry = self.current
        if entry is not None:
            self.sig_decide.emit(entry, resolution)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_go_to.emit(self.model.item(index.row()).entry)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on a row goes to it (QTableView's `activated` is platform-dependent).
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self._on_activated(self.view.currentIndex())
                return True
        return super().eventFilter(watched, event)


class ReviewDecision(QUndoCommand):
    """One decision on one entry: `redo` settles it, `undo` opens it again (the service puts
    the spans and links back as they were)."""

    def __init__(
        self,
        window: Window,
        panel: ReviewPanel,
        entry: SpanReview,
        resolution: Resolution,
        place: tuple[int, int] | None,
    ) -> None:
        verb = {
            Resolution.KEPT: "Keep",
            Resolution.PLACED: "Place",
            Resolution.DISCARDED: "Discard",
        }
        super().__init__(f"{verb[resolution]} “{_one_line(entry.old_quote, 30)}”")
        self._window = window
        self._panel = panel
        self._entry = entry
        self._resolution = resolution
        self._place = place
        self.failed: str | None = None

    def redo(self) -> None:
        start, end = self._place if self._place else (None, None)
        self._run(
            lambda: settle_review(
                self._window.db,
                review_id=self._entry.id,
                resolution=self._resolution,
                start=start,
                end=end,
            )
        )

    def undo(self) -> None:
        self._run(lambda: reopen_review(self._window.db, review_id=self._entry.id))

    def _run(self, step: Any) -> None:
        try:
            settled = step()
        except AnnotatorError as exc:
            self.failed = str(exc)
            self.setObsolete(True)
            self._window.warn(f"{self.text()}: {exc}")
            return
        editor = self._window.editor
        if editor.document is None or editor.document.id != self._entry.document_id:
            self._window.open_document(self._entry.document_id)
        elif not editor.refresh_from_store():
            editor.sig_spans_changed.emit([], [])  # the library's count of entries follows
        self._panel.refresh()
        placed = settled.record.get("placed_id") if settled.resolution else None
        if isinstance(placed, int) and editor.span(placed) is not None:
            self._window.select_span(placed)


def go_to(window: Window, entry: SpanReview) -> None:
    """Show the entry's span, or select about where an unplaced span was."""
    editor = window.editor
    if editor.document is None or editor.document.id != entry.document_id:
        window.open_document(entry.document_id)
    span = editor.span(entry.span_id) if entry.span_id is not None else None
    if span is not None:
        window.article.scroll_to(span.start)
        window.select_span(span.id)
        window.article.setFocus()
        return
    if entry.start is None or entry.end is None:
        window.tell("Select where the span belongs, then Place at selection.", 8000)
        return
    window.select_span(None)
    window.article.select_range(entry.start, entry.end)  # empty: the cursor where it stood
    window.article.scroll_to(entry.start)
    window.article.setFocus()
    gone = entry.start == entry.end
    window.tell(
        ("Its text was deleted here" if gone else "About where it was")
        + ": select where the span belongs, then Place at selection (Ctrl+Alt+P).",
        8000,
    )


def decide(window: Window, panel: ReviewPanel, entry: SpanReview, resolution: Resolution) -> None:
    place = None
    if resolution is Resolution.PLACED:
        place = window.article.selected_range()
        if place is None:
            window.warn("Select the text in the article where the span belongs, then place it.")
            return
    command = ReviewDecision(window, panel, entry, resolution, place)
    command.redo()
    if command.failed is None:
        window.editor.undo_stack.push(_Done(command))


class _Done(QUndoCommand):
    """Pushes a decision already taken: the stack's first `redo` is skipped."""

    def __init__(self, command: ReviewDecision) -> None:
        super().__init__(command.text())
        self._command = command
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._command.redo()
        self.setObsolete(self._command.isObsolete())

    def undo(self) -> None:
        self._command.undo()
        self.setObsolete(self._command.isObsolete())


ACTIONS = (
    ActionSpec(
        "review_changes",
        "&Review changed article",
        "&Document",
        (),
        "The spans a new version of this article moved: check, place or discard them",
    ),
    ActionSpec(
        "review_keep", "Review: &keep changed span", "&Document", (), "Accept the changed span"
    ),
    ActionSpec(
        "review_place",
        "Review: &place at selection",
        "&Document",
        (),
        "Put the unplaced span back at the text selected in the article",
    ),
    ActionSpec("review_discard", "Review: &discard span", "&Document", (), "Let the span go"),
)


def install(window: Window) -> ReviewPanel:
    """The Review dock, tabbed with the document list, and its actions."""
    panel = ReviewPanel(window.db, window.editor, window.widget())
    dock = window.add_dock(
        "review", "Review", panel, Qt.DockWidgetArea.LeftDockWidgetArea, tab_with="documents"
    )
    panel.sig_go_to.connect(lambda entry: go_to(window, entry))
    panel.sig_decide.connect(lambda entry, resolution: decide(window, panel, entry, resolution))
    actions: dict[str, QAction] = {spec.key: window.add_action(spec) for spec in ACTIONS}

    def show() -> None:
        dock.show()
        dock.raise_()
        panel.refresh()
        panel.view.setFocus()

    def on_action(resolution: Resolution) -> None:
        entry = panel.current
        if entry is None:
            window.tell("Nothing to review here.", 5000)
            return
        decide(window, panel, entry, resolution)

    actions["review_changes"].triggered.connect(show)
    actions["review_keep"].triggered.connect(lambda: on_action(Resolution.KEPT))
    actions["review_place"].triggered.connect(lambda: on_action(Resolution.PLACED))
    actions["review_discard"].triggered.connect(lambda: on_action(Resolution.DISCARDED))

    def after_import(report: ImportReport) -> None:
        revised = {r.document_id for r in report.revised}
        if not revised:
            return
        # Steps on the undo stack hold offsets of the old texts: they cannot be taken back.
        window.editor.undo_stack.clear()
        document = window.editor.document
        if document is not None and document.id in revised:
            window.editor.open(document.id)  # the new text, and its spans where they went
        panel.refresh()
        if sum(r.to_review for r in report.revised):
            window.tell(
                f"Import: {report.revised_summary()}. Review lists them (Document menu).", 10000
            )

    window.import_flow.sig_finished.connect(after_import)
    panel.refresh()
    return panel


__all__ = ["ReviewDecision", "ReviewModel", "ReviewPanel", "go_to", "install"]
