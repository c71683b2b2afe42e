"""Who annotates: the first start's question, switching in the window, other annotators' layers
shown read-only, and assigning documents to annotators.

Each annotator has a layer of their own (spans, links, attributes, statuses); the window edits
the current annotator's layer only. Other layers are hidden by default, so that nobody is biased,
and come back only when asked for (View > Other annotators); one key hides them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Annotator
from annotator.services.assignments import assign_documents
from annotator.services.database import DEMO_ANNOTATOR, ensure_annotator
from annotator.services.documents import list_annotators
from annotator.ui.common.actions import ActionSpec
from annotator.ui.common.window import Window
from annotator.ui.corpus.library import LibraryPanel


class AnnotatorsHost(Window, Protocol):
    """What this feature uses of the window besides `Window`: the library and two status
    bar labels."""

    @property
    def library(self) -> LibraryPanel: ...

    @property
    def status_annotator(self) -> QLabel: ...

    @property
    def status_layers(self) -> QLabel: ...


class AnnotatorNameDialog(QDialog):
    """Asks for an annotator's name: typed, or one of those the database knows."""

    def __init__(
        self,
        title: str,
        question: str,
        name: str,
        known: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotatorNameDialog")
        self.setWindowTitle(title)
        text = QLabel(question, self)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        self.name = QComboBox(self)
        self.name.setObjectName("annotatorName")
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItems(list(known))
        self.name.setEditText(name)
        line = self.name.lineEdit()
        if line is not None:
            line.selectAll()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.editTextChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self._check()

    def chosen(self) -> str:
        return self.name.currentText().strip()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.chosen()))


def ask_first_annotator(default: str, known: Sequence[str]) -> str | None:
    """The first start's question: who annotates here (None when the user cancelled)."""
    dialog = AnnotatorNameDialog(
        "Who is annotating?",
        "Your name marks your annotations: each annotator has a layer of their own. "
        "It is remembered; File > Switch annotator changes it.",
        default,
        known,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen() or None


class LayersDialog(QDialog):
    """Which other annotators' layers to show beside one's own."""

    def __init__(
        self, others: Sequence[Annotator], shown: set[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("layersDialog")
        self.setWindowTitle("Other annotators")
        text = QLabel(
            "Show these annotators' spans under the text, read-only (a dotted line in the "
            "label's colour). Hidden again with View > Hide other annotators.",
            self,
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("layersList")
        for annotator in others:
            item = QListWidgetItem(annotator.name)
            item.setData(Qt.ItemDataRole.UserRole, annotator.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if annotator.id in shown else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen_ids(self) -> set[int]:
        found: set[int] = set()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return found


ACTIONS = (
    ActionSpec(
        "switch_annotator",
        "Switch &annotator…",
        "&File",
        (),
        "Annotate as someone else: their layer of spans, links and statuses",
    ),
    ActionSpec(
        "other_annotators",
        "&Other annotators…",
        "&Views",
        (),
        "Show other annotators' spans under the text, read-only",
    ),
    ActionSpec(
        "hide_other_annotators",
        "&Hide other annotators",
        "&Views",
        (),
        "Hide the other annotators' spans again, so that nothing biases you",
    ),
    ActionSpec(
        "assign_documents",
        "A&ssign to annotator…",
        "&Document",
        (),
        "Give the selected documents to an annotator to annotate",
    ),
)


class Annotators(QObject):
    """What `install` adds to the window; lives as long as the window (its child)."""

    def __init__(self, window: AnnotatorsHost) -> None:
        super().__init__(window.widget())
        self.window = window
        editor = window.editor
        for spec in ACTIONS:
            window.add_action(spec)
        keys = window.actions_by_key
        keys["switch_annotator"].triggered.connect(self.switch)
        keys["other_annotators"].triggered.connect(self.choose_layers)
        keys["hide_other_annotators"].triggered.connect(self.hide_layers)
        keys["assign_documents"].triggered.connect(self.assign)
        window.library.add_context_action(keys["assign_documents"])
        editor.sig_layers_changed.connect(self._show_layers)
        editor.sig_document_opened.connect(self._show_layers)
        editor.sig_annotator_switched.connect(self._on_switched)
        # The demo article's annotations are an example, not a colleague's work: shown
        # read-only from the start (nobody is biased by them), hidden by the same key.
        demo = [
            a
            for a in list_annotators(window.db)
            if a.name == DEMO_ANNOTATOR and a.id != editor.annotator.id
        ]
        if demo:
            editor.show_layers(demo)

    # Switching ----------------------------------------------------------------------------
    def switch(self) -> None:
        window = self.window
        me = window.editor.annotator
        known = [a.name for a in list_annotators(window.db)]
        dialog = AnnotatorNameDialog(
            "Switch annotator",
            f"Annotating as {me.name}. Annotate as:",
            me.name,
            known,
            window.widget(),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() == me.name:
            return
        self.switch_to(dialog.chosen())

    def switch_to(self, name: str) -> None:
        """Annotate as `name` (created if new): their layer replaces the current one."""
        try:
            annotator = ensure_annotator(self.window.db, name=name)
        except AnnotatorError as exc:
            self.window.warn(f"Cannot switch annotator: {exc}")
            return
        self.window.editor.switch_annotator(annotator)

    def _on_switched(self) -> None:
        window = self.window
        name = window.editor.annotator.name
        window.status_annotator.setText(f"Annotator: {name}")
        window.library.set_annotator(window.editor.annotator.id)
        window.tell(
            f"Now annotating as {name}: their spans and statuses are shown; "
            "the undo history was cleared.",
            10000,
        )

    # Other layers -------------------------------------------------------------------------
    def choose_layers(self) -> None:
        window = self.window
        me = window.editor.annotator
        others = [a for a in list_annotators(window.db) if a.id != me.id]
        if not others:
            window.tell("Nobody else has annotated in this database yet.", 6000)
            return
        dialog = LayersDialog(others, {a.id for a in window.editor.layers}, window.widget())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen_ids()
        window.editor.show_layers([a for a in others if a.id in chosen])

    def hide_layers(self) -> None:
        if self.window.editor.layers:
            self.window.editor.show_layers([])
            self.window.tell("Other annotators' spans are hidden.", 5000)

    def _show_layers(self) -> None:
        editor = self.window.editor
        names = {a.id: a.name for a in editor.layers}
        self.window.article.set_other_layers(editor.others, names, editor.other_relations)
        shown = ", ".join(a.name for a in editor.layers)
        self.window.status_layers.setText(f"Showing: {shown}" if shown else "")

    # Assignment ---------------------------------------------------------------------------
    def assign(self) -> None:
        window = self.window
        ids = window.library.selected_ids() or (
            [window.editor.document.id] if window.editor.document else []
        )
        if not ids:
            window.tell("Select the documents to assign in the list first.", 6000)
            return
        known = [a.name for a in list_annotators(window.db)]
        what = "this document" if len(ids) == 1 else f"these {len(ids)} documents"
        dialog = AnnotatorNameDialog(
            "Assign documents", f"Assign {what} to:", "", known, window.widget()
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = dialog.chosen()
        try:
            added = assign_documents(window.db, annotator=name, document_ids=ids)
        except AnnotatorError as exc:
            window.warn(f"Cannot assign: {exc}")
            return
        window.library.reload()
        n = len(added)
        window.tell(f"Assigned {n} document{'s' if n != 1 else ''} to {name}.", 8000)


def install(window: AnnotatorsHost) -> Annotators:
    return Annotators(window)
