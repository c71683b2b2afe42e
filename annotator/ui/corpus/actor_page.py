"""The actor page: one registry actor, every mention of it and every claim it makes.

Choose the actor in the combo box (type to complete, any part of the name or key), or open
the page from the actor network or the claims table. Double click (or Enter) on a mention or
a claim opens it in its article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.claims import ActorPage, ClaimRow, MentionInContext
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Actor
from annotator.services import Database
from annotator.services.claims import actor_page
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole


def _flat(text: str) -> str:
    """One line: runs of white space (line breaks too) become one space; the ends stay."""
    return re.sub(r"\s+", " ", text)


class MentionModel(RowsModel[MentionInContext]):
    HEADERS = ("Document", "Mention", "In context")

    def set_mentions(self, mentions: Iterable[MentionInContext]) -> None:
        self._set_rows(list(mentions))

    def mention_at(self, row: int) -> MentionInContext:
        return self._rows[row]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        mention = self._row(index)
        if mention is None:
            return None
        context = f"…{_flat(mention.before)}⟦{_flat(mention.quote)}⟧{_flat(mention.after)}…"
        if role == _DISPLAY:
            return (_flat(mention.document_title), _flat(mention.quote), context)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{mention.document_title}\n\n{context}")
        return None


class ActorClaimModel(RowsModel[ClaimRow]):
    HEADERS = ("Document", "Claim", "Date", "Stance", "According to")

    def set_claims(self, rows: Iterable[ClaimRow]) -> None:
        self._set_rows(list(rows))

    def claim_at(self, row: int) -> ClaimRow:
        return self._rows[row]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        row = self._row(index)
        if row is None:
            return None
        if role == _DISPLAY:
            cells = (
                _flat(row.document_title),
                _flat(row.text),
                row.date,
                row.stance,
                _flat(row.record()["according_to"]),
            )
            return cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return plain_tooltip(row.text)
        return None


def _table(parent: QWidget, name: str) -> QTableView:
    view = setup_row_table(QTableView(parent))
    view.setObjectName(name)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    return view


def describe(actor: Actor) -> str:
    """The registry entry as plain text lines."""
    lines = [actor.name]
    facts = [f"key {actor.key}"]
    if actor.kind:
        facts.insert(0, actor.kind)
    if actor.external_id:
        facts.append(f"external id {actor.external_id}")
    lines.append(" · ".join(facts))
    if actor.aliases:
        lines.append("Also: " + ", ".join(actor.aliases))
    if actor.description:
        lines.append("")
        lines.append(actor.description)
    return "\n".join(lines)


class ActorPagePanel(QWidget):
    """Choose an actor; see its registry entry, its mentions and its claims."""

    sig_open = Signal(int, int, int)
    """Go to a span: (document id, span id, start offset)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.page: ActorPage | None = None
        self._shown = False
        self._stale = False

        self.chooser = QComboBox(self)
        self.chooser.setObjectName("actorChooser")
        self.chooser.setEditable(True)
        self.chooser.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.chooser.setPlaceholderText("Choose an actor…")
        line = self.chooser.lineEdit()
        if line is not None:
            line.setPlaceholderText("Choose an actor…")
        completer = QCompleter(self.chooser.model(), self.chooser)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.chooser.setCompleter(completer)
        self.details = QLabel(self)
        self.details.setObjectName("actorDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mentions = MentionModel()
        self.claims = ActorClaimModel()
        self.mentions_view = _table(self, "actorMentions")
        self.mentions_view.setModel(self.mentions)
        self.claims_view = _table(self, "actorClaims")
        self.claims_view.setModel(self.claims)
        for view, widths in (
            (self.mentions_view, (200, 140)),
            (self.claims_view, (200, 360, 90, 70)),
        ):
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width)
            view.horizontalHeader().setStretchLastSection(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.mentions_view, "Mentions")
        self.tabs.addTab(self.claims_view, "Claims")

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.chooser)
        side_layout.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(side)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.reload)
        self.chooser.activated.connect(self._on_chosen)
        self.mentions_view.activated.connect(self._on_mention)
        self.claims_view.activated.connect(self._on_claim)
        self._show_page(None)

    # Choosing ----------------------------------------------------------------------------------
    def set_actors(self, actors: Iterable[Actor]) -> None:
        """Fill the chooser; the chosen actor stays chosen (and its page is read again)."""
        current = self.actor_id()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for actor in sorted(actors, key=lambda a: (a.name.casefold(), a.id)):
            self.chooser.addItem(actor.name, actor.id)
            self.chooser.setItemData(
                self.chooser.count() - 1,
                plain_tooltip(f"{actor.name} ({actor.key})"),
                Qt.ItemDataRole.ToolTipRole,
            )
        at = self.chooser.findData(current) if current is not None else -1
        self.chooser.setCurrentIndex(at)
        self.chooser.blockSignals(False)
        if current is not None and at < 0:
            self._show_page(None)  # deleted or merged away
        elif current is not None:
            self.mark_stale()

    def actor_id(self) -> int | None:
        return self.page.actor.id if self.page is not None else None

    def show_actor(self, actor_id: int) -> None:
        at = self.chooser.findData(actor_id)
        if at >= 0:
            self.chooser.setCurrentIndex(at)
        self._load(actor_id)

    def _on_chosen(self, index: int) -> None:
        actor_id = self.chooser.itemData(index)
        if isinstance(actor_id, int):
            self._load(actor_id)

    # Loading -----------------------------------------------------------------------------------
    def set_shown(self, shown: bool) -> None:
        self._shown = shown
        if shown and self._stale:
            self.reload()

    def mark_stale(self) -> None:
        if self.page is None:
            return
        self._stale = True
        if self._shown:
            self._timer.start()

    def reload(self) -> None:
        if self.page is not None:
            self._load(self.page.actor.id)

    def _load(self, actor_id: int) -> None:
        self._timer.stop()
        try:
            page = actor_page(self._db, actor_id=actor_id)
        except AnnotatorError as exc:
            self._show_page(None)
            self.details.setText(str(exc))
            return
        self._stale = False
        self._show_page(page)

    def _show_page(self, page: ActorPage | None) -> None:
        self.page = page
        if page is None:
            self.details.setText("Choose an actor of the registry to see its mentions and claims.")
            self.mentions.set_mentions([])
            self.claims.set_claims([])
        else:
            documents = len({m.document_id for m in page.mentions})
            summary = (
                f"{len(page.mentions)} mention(s) in {documents} document(s), "
                f"{len(page.claims)} claim(s) as SOURCE"
            )
            self.details.setText(f"{describe(page.actor)}\n\n{summary}")
            self.mentions.set_mentions(page.mentions)
            self.claims.set_claims(page.claims)
        self.tabs.setTabText(0, f"Mentions ({self.mentions.rowCount()})")
        self.tabs.setTabText(1, f"Claims ({self.claims.rowCount()})")

    # Going to a span ---------------------------------------------------------------------------
    def _on_mention(self, index: QModelIndex) -> None:
        mention = self.mentions.mention_at(index.row())
        self.sig_open.emit(mention.document_id, mention.span_id, mention.start)

    def _on_claim(self, index: QModelIndex) -> None:
        row = self.claims.claim_at(index.row())
        self.sig_open.emit(row.document_id, row.span_id, row.start)
