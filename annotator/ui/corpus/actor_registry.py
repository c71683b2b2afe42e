"""The actor registry: edit, merge, split, link all mentions, delete; with undo.

Every change calls `services.actors` (one transaction), pushes a command on the editor's undo
stack, and calls `editor.reload_actors()` so that the open document shows the links as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Actor
from annotator.domain.schema import ACTOR_KINDS
from annotator.services import actors as actor_service
from annotator.ui.schema.schema_editor import MENU_TITLE, ask_yes_no, plain_label

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

_QID = re.compile(r"^Q[1-9][0-9]*$")
_WIKIDATA_URL = re.compile(r"^https?://(www\.)?wikidata\.org/(wiki|entity)/(Q[1-9][0-9]*)$")
_Index = QModelIndex | QPersistentModelIndex


def parse_aliases(text: str) -> tuple[str, ...]:
    """Aliases typed one per line or separated by commas."""
    parts = (p.strip() for line in text.splitlines() for p in line.split(","))
    return tuple(dict.fromkeys(p for p in parts if p))


def external_id_remark(value: str) -> str:
    """A word about an identifier that does not look like a Wikidata QID ("" when it does)."""
    value = value.strip()
    if not value or _QID.match(value):
        return ""
    url = _WIKIDATA_URL.match(value)
    if url:
        return f"A Wikidata address: the QID is {url.group(3)}; you may type just that."
    if re.match(r"^q[1-9][0-9]*$", value):
        return f"Wikidata QIDs start with a capital Q: {value.upper()}."
    inside = re.search(r"\bQ[1-9][0-9]*\b", value)
    if inside:
        return (
            f"The QID seems to be {inside.group(0)}; other tools expect just that. "
            "It is kept as typed."
        )
    return (
        "This does not look like a Wikidata QID (Q followed by digits, such as Q7338). "
        "It is kept as typed."
    )


# The table -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorRow:
    actor: Actor
    mentions: int


class ActorTableModel(QAbstractTableModel):
    """Registry actors with their mention counts: plain data, no database calls."""

    HEADERS = ("Name", "Key", "Kind", "Aliases", "External id", "Mentions")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActorRow] = []

    def set_rows(self, rows: Sequence[ActorRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_data(self, row: int) -> ActorRow:
        return self._rows[row]

    def row_of(self, actor_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.actor.id == actor_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        actor, column = row.actor, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                actor.name,
                actor.key,
                actor.kind or "",
                "; ".join(actor.aliases),
                actor.external_id or "",
                row.mentions,
            )[column]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (
                actor.name.casefold(),
                actor.key,
                actor.kind or "",
                "; ".join(actor.aliases).casefold(),
                actor.external_id or "",
                row.mentions,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# The dialog ----------------------------------------------------------------------------------


class ActorRegistry(QDialog):
    """A filterable table of registry actors, a form for the current one, and the actions."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.setObjectName("actorRegistry")
        self.setWindowTitle("Actors")
        self.resize(1180, 580)
        self._window = window
        self._editor = window.editor
        self._db = window.db
        self._current: Actor | None = None

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by name, key, kind, alias or external id…")
        self.filter.setClearButtonEnabled(True)
        self.model = ActorTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setObjectName("actorTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 180)
        for column in (1, 2, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())

        self.name_edit = QLineEdit(self)
        self.key_edit = QLineEdit(self)
        self.key_edit.setToolTip("A short stable identifier used in exports, e.g. kim-yo-jong")
        self.kind_combo = QComboBox(self)
        self.aliases_edit = QPlainTextEdit(self)
        self.aliases_edit.setPlaceholderText("One per line, or separated by commas")
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setFixedHeight(80)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(70)
        self.external_edit = QLineEdit(self)
        self.external_edit.setPlaceholderText("Wikidata QID, e.g. Q7338 (nothing is fetched)")
        self.external_remark = plain_label("", self)
        self.external_remark.setObjectName("externalIdRemark")
        self.external_edit.textChanged.connect(
            lambda text: self.external_remark.setText(external_id_remark(text))
        )
        self.apply_button = QPushButton("Save changes", self)
        self.revert_button = QPushButton("Revert", self)
        self.apply_button.clicked.connect(self.save_current)
        self.revert_button.clicked.connect(lambda: self._show_actor(self._current))
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Key", self.key_edit)
        form.addRow("Kind", self.kind_combo)
        form.addRow("Aliases", self.aliases_edit)
        form.addRow("Description", self.description_edit)
        form.addRow("External id", self.external_edit)
        form.addRow("", self.external_remark)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.revert_button)
        form_buttons.addWidget(self.apply_button)
        self.form = QWidget(self)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(form)
        form_layout.addLayout(form_buttons)
        form_layout.addStretch(1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.view, 1)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 400])

        self.new_button = QPushButton("New…", self)
        self.delete_button = QPushButton("Delete…", self)
        self.merge_button = QPushButton("Merge…", self)
        self.split_button = QPushButton("Split…", self)
        self.link_button = QPushButton("Link all mentions", self)
        self.link_button.setToolTip(
            "Link every unlinked ACTOR mention in the corpus whose text is this actor's name "
            "or one of its aliases (ignoring case)"
        )
        self.merge_button.setToolTip("Merge the selected actors into one of them")
        self.split_button.setToolTip("Move some mentions of this actor to a new actor")
        self.new_button.clicked.connect(self._on_new)
        self.delete_button.clicked.connect(self._on_delete)
        self.merge_button.clicked.connect(self._on_merge)
        self.split_button.clicked.connect(self._on_split)
        self.link_button.clicked.connect(self.link_all)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.delete_button,
            self.merge_button,
            self.split_button,
            self.link_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        actions.addWidget(close)

        self.message = plain_label("", self)
        self.message.setObjectName("actorMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)

        # Mention counts change with links made in the article: re-read them, coalesced.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self.reload)
        self._editor.sig_actors_changed.connect(self._on_actors_changed)
        self._editor.sig_corpus_changed.connect(self._on_corpus_changed)
        self.reload()

    # Reading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the registry and its mention counts, keeping the selection."""
        self._refresh_timer.stop()
        selected = self.selected_ids()
        try:
            counts = actor_service.mention_counts(self._db)
            actors = actor_service.list_actors(self._db)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return
        self.model.set_rows([ActorRow(a, counts.get(a.id, 0)) for a in actors])
        self.select_ids(selected)
        if not selected:
            self._show_actor(None)

    def _on_actors_changed(self) -> None:
        if self.isVisible():  # opening the dialog reads the registry anyway
            self.reload()

    def _on_corpus_changed(self) -> None:
        if self.isVisible():
            self._refresh_timer.start()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [
            self.model.row_data(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).actor.id
            for r in rows
        ]

    def select_ids(self, actor_ids: Sequence[int]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        first = True
        for actor_id in actor_ids:
            row = self.model.row_of(actor_id)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not index.isValid():
                continue
            flags = (
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )
            if first:
                selection.setCurrentIndex(index, flags)
                self.view.scrollTo(index)
                first = False
            else:
                selection.select(index, flags)
        self._on_selection()

    def actor(self, actor_id: int) -> Actor | None:
        row = self.model.row_of(actor_id)
        return None if row is None else self.model.row_data(row).actor

    def mention_count(self, actor_id: int) -> int:
        row = self.model.row_of(actor_id)
        return 0 if row is None else self.model.row_data(row).mentions

    def _on_selection(self) -> None:
        ids = self.selected_ids()
        current = self.actor(ids[0]) if ids else None
        if current != self._current or current is None:
            self._show_actor(current)
        self.delete_button.setEnabled(bool(ids))
        self.merge_button.setEnabled(len(ids) >= 2)
        self.split_button.setEnabled(len(ids) == 1)
        self.link_button.setEnabled(len(ids) == 1)

    def _show_actor(self, actor: Actor | None) -> None:
        self._current = actor
        self.form.setEnabled(actor is not None)
        self.name_edit.setText(actor.name if actor else "")
        self.key_edit.setText(actor.key if actor else "")
        self.kind_combo.clear()
        self.kind_combo.addItem("", None)
        for kind in ACTOR_KINDS:
            self.kind_combo.addItem(kind, kind)
        if actor is not None and actor.kind and actor.kind not in ACTOR_KINDS:
            self.kind_combo.addItem(actor.kind, actor.kind)  # from an import: keep it
        self.kind_combo.setCurrentIndex(
            max(0, self.kind_combo.findData(actor.kind if actor else None))
        )
        self.aliases_edit.setPlainText("\n".join(actor.aliases) if actor else "")
        self.description_edit.setPlainText(actor.description if actor else "")
        self.external_edit.setText(actor.external_id or "" if actor else "")

    # Changes ---------------------------------------------------------------------------------
    def _push(self, text: str, undo: Callable[[], object], redo: Callable[[], object]) -> None:
        self._editor.registry_changed(text, undo=undo, redo=redo)

    def form_actor(self) -> Actor | None:
        """The current actor as the form shows it (not saved yet)."""
        if self._current is None:
            return None
        kind = self.kind_combo.currentData()
        return replace(
            self._current,
            name=self.name_edit.text(),
            key=self.key_edit.text().strip(),
            kind=kind or None,
            aliases=parse_aliases(self.aliases_edit.toPlainText()),
            description=self.description_edit.toPlainText(),
            external_id=self.external_edit.text().strip() or None,
        )

    def save_current(self) -> Actor | None:
        before, edited = self._current, self.form_actor()
        if before is None or edited is None:
            return None
        try:
            after = actor_service.update_actor(self._db, actor=edited)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return None
        if after != before:
            db = self._db
            self._push(
                f"Edit actor {after.name}",
                lambda: actor_service.update_actor(db, actor=before),
                lambda: actor_service.update_actor(db, actor=after),
            )
        remark = external_id_remark(after.external_id or "")
        self._say(f"Saved {after.name}." + (f" {remark}" if remark else ""))
        return after

    def new_actor(self, name: str) -> Actor | None:
        try:
            actor = actor_service.create_actor(self._db, name=name)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return None
        db = self._db
        self._push(
            f"New actor {actor.name}",
            lambda: actor_service.delete_actor(db, actor_id=actor.id),
            lambda: actor_service.restore_actor(db, actor=actor, span_ids=()),
        )
        self.filter.clear()
        self.select_ids([actor.id])
        self.name_edit.setFocus()
        self._say(f"Added {actor.name} ({actor.key}).")
        return actor

    def delete(self, actor_ids: Sequence[int]) -> int:
        """Delete actors (their mentions stay, unlinked); one undo step brings all back."""
        try:
            deleted = actor_service.delete_actors(self._db, actor_ids=actor_ids)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return 0
        if not deleted:
            return 0
        db = self._db
        unlinked = sum(len(entry.span_ids) for entry in deleted)
        ids = [entry.actor.id for entry in deleted]

        def undo() -> None:
            actor_service.restore_actors(db, deleted=deleted)

        def redo() -> None:
            actor_service.delete_actors(db, actor_ids=ids)

        what = deleted[0].actor.name if len(deleted) == 1 else f"{len(deleted)} actors"
        self._push(f"Delete {what}", undo, redo)
        self._say(f"Deleted {what}; {_mentions(unlinked)} unlinked. Undo brings it back.")
        return unlinked

    def merge(self, keep_id: int, actor_ids: Sequence[int]) -> Actor | None:
        """Merge actors into `keep_id`: mentions follow, the others' names become aliases."""
        absorb = [i for i in actor_ids if i != keep_id]
        if not absorb:
            return None
        try:
            merged = actor_service.merge_actors(self._db, keep_id=keep_id, absorb_ids=absorb)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return None
        db = self._db
        state = {"merged": merged}

        def undo() -> None:
            actor_service.unmerge_actors(db, merged=state["merged"])

        def redo() -> None:
            state["merged"] = actor_service.merge_actors(db, keep_id=keep_id, absorb_ids=absorb)

        kept = merged.kept_after
        moved = sum(len(v) for v in merged.moved.values())
        self._push(f"Merge into {kept.name}", undo, redo)
        self.select_ids([kept.id])
        self._say(
            f"Merged {len(absorb) + 1} actors into {kept.name}; {_mentions(moved)} moved to it."
        )
        return kept

    def split(self, actor_id: int, span_ids: Sequence[int], name: str) -> Actor | None:
        """Move the chosen mentions of an actor to a new actor named `name`."""
        if not span_ids:
            self._say("Choose the mentions that belong to the new actor.", error=True)
            return None
        try:
            new = actor_service.split_actor(
                self._db, actor_id=actor_id, span_ids=span_ids, name=name
            )
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return None
        db, ids = self._db, list(span_ids)

        def undo() -> None:
            actor_service.link_mentions(db, span_ids=ids, actor_id=actor_id)
            actor_service.delete_actor(db, actor_id=new.id)

        def redo() -> None:
            actor_service.restore_actor(db, actor=new, span_ids=ids)

        self._push(f"Split {new.name}", undo, redo)
        self.select_ids([new.id])
        self._say(f"Moved {_mentions(len(ids))} to the new actor {new.name} ({new.key}).")
        return new

    def link_all(self) -> int:
        """Link every unlinked ACTOR mention whose text is one of the actor's names."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return 0
        actor_id = ids[0]
        try:
            linked = actor_service.link_all_mentions(self._db, actor_id=actor_id)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return 0
        actor = self.actor(actor_id)
        name = actor.name if actor else "the actor"
        if not linked.span_ids:
            self._say(f"No unlinked mention of {name} found.")
            return 0
        db, spans = self._db, list(linked.span_ids)
        self._push(
            f"Link all mentions of {name}",
            lambda: actor_service.link_mentions(db, span_ids=spans, actor_id=None),
            lambda: actor_service.link_mentions(db, span_ids=spans, actor_id=actor_id),
        )
        self._say(f"Linked {_mentions(len(spans))} to {name}.")
        return len(spans)

    # Buttons: ask, then change ---------------------------------------------------------------
    def _on_new(self) -> None:
        name, ok = QInputDialog.getText(self, "New actor", "Name of the new actor:")
        if ok and name.strip():
            self.new_actor(name.strip())

    def _on_delete(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        mentions = sum(self.mention_count(i) for i in ids)
        first = self.actor(ids[0])
        what = first.name if len(ids) == 1 and first else f"{len(ids)} actors"
        question = (
            f"Delete {what} from the registry? {_mentions(mentions).capitalize()} will be "
            "unlinked (the spans stay). Undo (Ctrl+Z) brings it back."
        )
        if ask_yes_no(self, "Delete actor", question):
            self.delete(ids)

    def _on_merge(self) -> None:
        ids = self.selected_ids()
        actors = [a for a in (self.actor(i) for i in ids) if a is not None]
        if len(actors) < 2:
            return
        choices = [f"{a.name} ({a.key}, {_mentions(self.mention_count(a.id))})" for a in actors]
        chosen, ok = QInputDialog.getItem(
            self,
            "Merge actors",
            "Keep which actor? The others' mentions link to it and their names become aliases.",
            choices,
            0,
            False,
        )
        if ok and chosen in choices:
            self.merge(actors[choices.index(chosen)].id, [a.id for a in actors])

    def _on_split(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        actor = self.actor(ids[0])
        if actor is None:
            return
        try:
            mentions = actor_service.mentions_in_context(self._db, actor_id=actor.id)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return
        if len(mentions) < 1:
            self._say(f"{actor.name} has no mentions to split off.", error=True)
            return
        dialog = SplitDialog(actor, mentions, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.split(actor.id, dialog.chosen_ids(), dialog.name_edit.text())

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #B00020;" if error else "")
        if not error:
            self._window.tell(text, 8000)


class SplitDialog(QDialog):
    """Tick the mentions that belong to a new actor, and name it."""

    def __init__(
        self,
        actor: Actor,
        mentions: Sequence[actor_service.MentionInContext],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split {actor.name}")
        self.resize(720, 420)
        self.list = QListWidget(self)
        for mention in mentions:
            before = " ".join(mention.before.split())
            after = " ".join(mention.after.split())
            text = f"{mention.document_title}:  …{before} [{mention.span.quote}] {after}…"
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, mention.span.id)
            self.list.addItem(item)
        self.name_edit = QLineEdit(actor.name, self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Split")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = ok
        self.list.itemChanged.connect(lambda _: self._update())
        self.name_edit.textChanged.connect(lambda _: self._update())
        form = QFormLayout()
        form.addRow("Name of the new actor", self.name_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"Tick the mentions of {actor.name} that are someone else:"))
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update()

    def chosen_ids(self) -> list[int]:
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.list.item(i) for i in range(self.list.count()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        self._ok.setEnabled(bool(self.chosen_ids()) and bool(self.name_edit.text().strip()))


def _mentions(n: int) -> str:
    return f"{n} mention{'s' if n != 1 else ''}"


def open_actor_registry(window: Window) -> ActorRegistry:
    """Show the window's registry dialog (one per window, modeless) and return it."""
    existing = window.widget().findChild(ActorRegistry, "actorRegistry")
    if isinstance(existing, ActorRegistry) and existing.isVisible():
        existing.reload()
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = existing if isinstance(existing, ActorRegistry) else ActorRegistry(window)
    dialog.reload()
    dialog.show()
    return dialog


def install(window: Window) -> None:
    action = QAction("&Actors…", window.widget())
    action.setStatusTip("The actor registry: edit, merge, split, link all mentions")
    action.triggered.connect(lambda: open_actor_registry(window))
    window.menu(MENU_TITLE).addAction(action)
    window.actions_by_key["actor_registry"] = action
