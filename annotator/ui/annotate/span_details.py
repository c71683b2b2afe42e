"""The Details dock: the selected span's attributes, note, actor identity and date value.

Every change goes through the DocumentEditor (one undo step each); the panel re-reads the span
from the editor whenever spans change, so undo and redo show at once. Values the schema does not
allow are shown with the reason and not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.assist.dates import parse_date_value
from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Actor, Label, Span
from annotator.domain.schema import ACTOR, ACTOR_KIND
from annotator.services import actors as actor_service
from annotator.services import spans as span_service
from annotator.ui.annotate.editing import DocumentEditor
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

UNSET = "—"
SHORTCUT = "F2"
_ERROR_STYLE = "color: #B00020;"
_QUOTE_MAX = 400


def _plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def actor_display(actor: Actor) -> str:
    """How an actor is shown in the actor box: name, then key and kind."""
    extra = ", ".join(p for p in (actor.key, actor.kind) if p)
    return f"{actor.name} ({extra})"


class _FocusOut(QObject):
    """Calls back when the watched widget loses the keyboard focus (commits a note)."""

    def __init__(self, parent: QObject, callback: Callable[[], None]) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._callback()
        return False


class _Shown:
    """The span a form's editors act on. A form is reused for the next span of the same label
    (building one is most of what selecting a span costs): its cell then names that span.
    Callbacks of a form already replaced hold their own cell and are dropped."""

    __slots__ = ("id",)

    def __init__(self, span_id: int) -> None:
        self.id = span_id


class SpanDetailsPanel(QWidget):
    """Edits one span at a time: `show_span(id)` picks it, None clears the panel."""

    sig_status = Signal(str)
    """A message for the status bar (what was done, or a hint)."""
    sig_error = Signal(str)
    """A value the user typed was refused (shown as a notice)."""

    def __init__(self, editor: DocumentEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanDetails")
        self.editor = editor
        self._span_id: int | None = None
        self._built_for: Label | None = None
        self._cell: _Shown | None = None
        self._loading = False
        self._actors_seen: dict[int, Actor] | None = None
        self._completions: dict[str, int] = {}

        self.editors: dict[str, QWidget] = {}
        """The editor of each attribute of the shown span's label, by attribute name."""
        self.date_info: dict[str, QLabel] = {}
        """Under each date value: its granularity, or why it cannot be stored."""
        self.propose_buttons: dict[str, QPushButton] = {}
        self.note: QPlainTextEdit | None = None
        self.actor_box: QComboBox | None = None
        self.actor_info: QLabel | None = None
        self.new_actor_button: QPushButton | None = None
        self.unlink_button: QPushButton | None = None
        self.link_all_button: QPushButton | None = None
        self.label_name = _plain_label(wrap=False)
        self.quote = _plain_label()

        self.empty = _plain_label("Select a span in the article (click it, or N / P) to edit it.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(8, 8, 8, 8)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.form_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # Public ------------------------------------------------------------------------------
    @property
    def span_id(self) -> int | None:
        return self._span_id

    def show_span(self, span_id: int | None) -> None:
        """Show a span of the open document (re-read from the editor), or nothing."""
        span = self.editor.span(span_id) if span_id else None
        if span is None:
            self._span_id, self._built_for, self._cell = None, None, None
            self.stack.setCurrentWidget(self.empty)
            old = self.form_area.takeWidget()
            if old is not None:
                self._forget_widgets()
                old.hide()
                old.deleteLater()
            return
        label = self._label_of(span)
        cell = self._cell
        if cell is None or self._built_for != label or (cell.id != span.id and self._editing()):
            # A new form; also for another span while one of the form's editors has the
            # focus (its edit in progress belongs to the span it was started on).
            self._build(span, label)
        elif cell.id != span.id:
            cell.id = span.id
            if self.note is not None:
                self.note.document().clearUndoRedoStacks()
        self._span_id = span.id
        self._load(span, label)
        self.stack.setCurrentWidget(self.form_area)

    def refresh(self) -> None:
        self.show_span(self._span_id)

    def focus_first_editor(self) -> bool:
        """Put the keyboard focus on the first editor; False when no span is shown."""
        if self._span_id is None:
            return False
        first = next(iter(self.editors.values()), None) or self.actor_box or self.note
        if first is None:
            return False
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # Building --------------------------------------------------------------------------------
    def _label_of(self, span: Span) -> Label:
        try:
            return self.editor.schema.label(span.label_id)
        except KeyError:
            return self.editor.label(span.label_id)

    def _editing(self) -> bool:
        """Whether the keyboard focus is in one of the form's editors."""
        form = self.form_area.widget()
        focus = QApplication.focusWidget()
        return form is not None and focus is not None and form.isAncestorOf(focus)

    def _forget_widgets(self) -> None:
        self.editors, self.date_info, self.propose_buttons = {}, {}, {}
        self.note = self.actor_box = self.actor_info = None
        self.new_actor_button = self.unlink_button = self.link_all_button = None
        self._actors_seen = None

    def _build(self, span: Span, label: Label) -> None:
        self._span_id = None  # edits still arriving from the old editors are dropped
        old = self.form_area.takeWidget()
        if old is not None:
            # Deleted later: a focus-out of one of its editors may still be on its way.
            old.hide()
            old.deleteLater()
        self._forget_widgets()
        self._built_for = label
        cell = self._cell = _Shown(span.id)

        form_widget = QWidget()
        outer = QVBoxLayout(form_widget)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # spare height goes below the fields, not between them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        swatch = QFrame()
        swatch.setFixedSize(12, 12)
        colour = QColor(label.colour)
        swatch.setStyleSheet(
            f"background: {colour.name() if colour.isValid() else '#888888'}; border-radius: 2px;"
        )
        self.label_name = _plain_label(label.name, wrap=False)
        font = self.label_name.font()
        font.setBold(True)
        self.label_name.setFont(font)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(swatch)
        head.addWidget(self.label_name)
        head.addStretch(1)
        form.addRow(head)
        self.quote = _plain_label()
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.quote)

        for definition in label.attributes:
            field = self._attribute_editor(cell, definition)
            caption = _plain_label(definition.name.replace("_", " ").capitalize() + ":", wrap=False)
            if definition.description:
                caption.setToolTip(plain_tooltip(definition.description))
            form.addRow(caption, field)

        if label.name == ACTOR:
            form.addRow(_plain_label("Actor:", wrap=False), self._actor_editor(cell))

        self.note = QPlainTextEdit()
        self.note.setObjectName("spanNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("A note on this span")
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 12)
        self.note.installEventFilter(_FocusOut(self.note, lambda: self._commit_note(cell.id)))
        form.addRow(_plain_label("Note:", wrap=False), self.note)
        self.form_area.setWidget(form_widget)

    def _attribute_editor(self, cell: _Shown, definition: AttributeDef) -> QWidget:
        name = definition.name
        editor: QWidget
        if definition.kind is AttributeKind.CHOICE:
            combo = QComboBox()
            combo.addItem(UNSET, None)
            for option in definition.options:
                combo.addItem(option, option)
            combo.activated.connect(
                lambda _i, c=combo: self._commit(cell.id, definition, c.currentData())
            )
            editor = combo
        elif definition.kind is AttributeKind.BOOLEAN:
            box = QCheckBox("yes")
            box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            box.clicked.connect(
                lambda checked: self._commit(cell.id, definition, True if checked else None)
            )
            editor = box
        else:
            line = QLineEdit()
            line.editingFinished.connect(
                lambda edit=line: self._commit(cell.id, definition, edit.text())
            )
            editor = line
        editor.setObjectName(f"attribute:{name}")
        if definition.description:
            editor.setToolTip(plain_tooltip(definition.description))
        self.editors[name] = editor
        if definition.kind is not AttributeKind.DATE:
            return editor

        assert isinstance(editor, QLineEdit)
        editor.setPlaceholderText("e.g. 2024-02-18, 2023-09, 2023, XXXX-02-18")
        propose = QPushButton("Propose")
        propose.setToolTip("Read the value from the text and the publication date")
        propose.clicked.connect(lambda: self._propose(cell.id, definition))
        self.propose_buttons[name] = propose
        info = _plain_label()
        self.date_info[name] = info
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(editor, 1)
        row.addWidget(propose)
        column.addLayout(row)
        column.addWidget(info)
        return holder

    def _actor_editor(self, cell: _Shown) -> QWidget:
        box = QComboBox()
        box.setObjectName("actorBox")
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.setMinimumContentsLength(12)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        line = box.lineEdit()
        assert line is not None
        line.setPlaceholderText("Type a name, alias or key (a new name adds an actor)…")
        completer = QCompleter(QStringListModel(box), box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        box.setCompleter(completer)
        completer.activated.connect(lambda text: self._link_typed(cell.id, text))
        box.activated.connect(lambda _i: self._link_chosen(cell.id, box.currentData()))
        line.returnPressed.connect(lambda: self._link_typed(cell.id, line.text()))
        self.actor_box = box

        self.actor_info = _plain_label()
        self.new_actor_button = QPushButton("New actor from this mention")
        self.new_actor_button.setToolTip("Add the mention's text to the actor registry and link it")
        self.new_actor_button.clicked.connect(lambda: self._new_actor(cell.id))
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.clicked.connect(lambda: self._unlink(cell.id))
        self.link_all_button = QPushButton("Link all mentions of this name")
        self.link_all_button.setToolTip(
            "Link every unlinked ACTOR mention in all documents whose text is this mention's "
            "text or one of the actor's names"
        )
        self.link_all_button.clicked.connect(lambda: self._link_all(cell.id))

        widget = QWidget()
        column = QVBoxLayout(widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(box)
        column.addWidget(self.actor_info)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_actor_button, 1)
        row.addWidget(self.unlink_button)
        column.addLayout(row)
        column.addWidget(self.link_all_button)
        return widget

    # Loading values --------------------------------------------------------------------------
    def _load(self, span: Span, label: Label) -> None:
        self._loading = True
        try:
            self.label_name.setText(label.name)
            self.quote.setText(f"“{_one_line(span.quote, _QUOTE_MAX)}”")
            self.quote.setToolTip(plain_tooltip(span.quote) if len(span.quote) > 80 else "")
            for definition in label.attributes:
                self._load_attribute(definition, span.attributes.get(definition.name))
            if self.actor_box is not None:
                self._load_actor(span)
            if self.note is not None and self.note.toPlainText() != (span.note or ""):
                self.note.setPlainText(span.note or "")
        finally:
            self._loading = False

    def _load_attribute(self, definition: AttributeDef, value: Any) -> None:
        editor = self.editors.get(definition.name)
        if isinstance(editor, QComboBox):
            # A form reused for the next span: what was typed into this drop-down for the last
            # span (within the keyboard's search interval) must not prefix what is typed now.
            editor.view().keyboardSearch("")
            while editor.count() > len(definition.options) + 1:  # one shown for another span
                editor.removeItem(editor.count() - 1)
            index = editor.findData(value) if value is not None else 0
            if index < 0:  # a value the definition no longer offers (imported, renamed)
                editor.addItem(f"{value} (not an option)", value)
                index = editor.count() - 1
            editor.setCurrentIndex(index)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(value is True)
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
            editor.setCursorPosition(0)
        if definition.kind is AttributeKind.DATE:
            self._show_date_info(definition.name, None if value is None else str(value))

    def _show_date_info(self, name: str, value: str | None, error: str | None = None) -> None:
        info = self.date_info.get(name)
        if info is None:
            return
        if error is not None:
            info.setStyleSheet(_ERROR_STYLE)
            info.setText(error)
            return
        info.setStyleSheet("")
        if not value:
            info.setText("No value yet: type one, or Propose.")
            return
        try:
            parsed = parse_date_value(value)
        except ValueError as exc:  # stored before the grammar was stricter
            info.setStyleSheet(_ERROR_STYLE)
            info.setText(str(exc))
            return
        info.setText(f"Granularity: {parsed.granularity.value}")

    def _load_actor(self, span: Span) -> None:
        box = self.actor_box
        assert box is not None
        actors = self.editor.actors
        if self._actors_seen is not actors:
            self._actors_seen = actors
            self._fill_actors(box, actors)
        actor = actors.get(span.actor_id) if span.actor_id is not None else None
        if actor is None:
            box.setCurrentIndex(-1)
            box.setEditText("")
        else:
            box.setCurrentIndex(box.findData(actor.id))
        if self.actor_info is not None:
            self.actor_info.setText(self._describe(actor) if actor else "Not linked to an actor.")
        for button in (self.unlink_button, self.link_all_button):
            if button is not None:
                button.setEnabled(actor is not None)

    def _fill_actors(self, box: QComboBox, actors: dict[int, Actor]) -> None:
        ordered = sorted(actors.values(), key=lambda a: (a.name.casefold(), a.id))
        box.clear()
        self._completions = {}
        for actor in ordered:
            box.addItem(actor_display(actor), actor.id)
            self._completions[actor_display(actor)] = actor.id
            for alias in actor.aliases:
                self._completions[f"{alias} → {actor.name} ({actor.key})"] = actor.id
        completer = box.completer()
        model = completer.model() if completer is not None else None
        if isinstance(model, QStringListModel):
            model.setStringList(list(self._completions))

    @staticmethod
    def _describe(actor: Actor) -> str:
        parts = [f"key {actor.key}"]
        if actor.kind:
            parts.append(actor.kind)
        if actor.aliases:
            parts.append("also " + ", ".join(actor.aliases))
        if actor.external_id:
            parts.append(actor.external_id)
        return "Linked: " + " · ".join(parts)

    # Edits -----------------------------------------------------------------------------------
    def _current(self, span_id: int) -> Span | None:
        """The span an editor belongs to, if it is still the one shown."""
        if self._loading or span_id != self._span_id:
            return None
        return self.editor.span(span_id)

    def _commit(self, span_id: int, definition: AttributeDef, value: Any) -> None:
        span = self._current(span_id)
        if span is None:
            return
        try:
            value = definition.check(value)
            if value is not None and definition.kind is AttributeKind.DATE:
                value = parse_date_value(str(value)).value
        except (AnnotatorError, ValueError) as exc:
            if definition.kind is AttributeKind.DATE:
                self._show_date_info(definition.name, None, error=str(exc))
            self.sig_error.emit(f"{definition.name}: {exc}")
            return
        if span.attributes.get(definition.name) == value:
            if definition.kind is AttributeKind.DATE:
                self._show_date_info(definition.name, value)
                line = self.editors.get(definition.name)
                if isinstance(line, QLineEdit) and value is not None and line.text() != value:
                    line.setText(str(value))  # shown as stored: "2023-9" is "2023-09"
            return
        attributes = dict(span.attributes)
        if value is None:
            attributes.pop(definition.name, None)
        else:
            attributes[definition.name] = value
        self.editor.set_span_details(span_id, attributes, span.note)

    def _commit_note(self, span_id: int) -> None:
        span = self._current(span_id)
        if span is None or self.note is None:
            return
        note = self.note.toPlainText().strip() or None
        if note != span.note:
            self.editor.set_span_details(span_id, dict(span.attributes), note)

    def _propose(self, span_id: int, definition: AttributeDef) -> None:
        span = self._current(span_id)
        if span is None:
            return
        try:
            value = span_service.propose_value(self.editor.db, span_id=span_id)
        except AnnotatorError as exc:
            self.sig_error.emit(str(exc))
            return
        if value is None:
            self._show_date_info(
                definition.name,
                None,
                error=f"No date can be read from “{_one_line(span.quote, 60)}”; type the value.",
            )
            return
        line = self.editors.get(definition.name)
        if isinstance(line, QLineEdit):
            line.setText(value)
        self._commit(span_id, definition, value)

    # Actors ----------------------------------------------------------------------------------
    def _link_typed(self, span_id: int, text: str) -> None:
        text = text.strip()
        if not text or self._current(span_id) is None:
            return
        actor_id = self._completions.get(text)
        if actor_id is None:
            folded = text.casefold()
            matches = {
                a.id
                for a in self.editor.actors.values()
                if folded == a.key.casefold() or folded in (n.casefold() for n in a.names())
            }
            actor_id = matches.pop() if len(matches) == 1 else None
        if actor_id is None:
            self._create_named(span_id, " ".join(text.split()))
            return
        self._link_chosen(span_id, actor_id)

    def _create_named(self, span_id: int, name: str) -> None:
        """A name no actor has: add it to the registry, linked to this mention (undoable).

        The mention's own text becomes an alias when it differs ("Korean Central News Agency"
        for KCNA), so that "Link all mentions" finds the other mentions written that way.
        """
        span = self._current(span_id)
        if span is None:
            return
        quote = " ".join(span.quote.split())
        kind = span.attributes.get(ACTOR_KIND) or None
        fields: dict[str, object] = {"name": name, "kind": kind}
        if quote.casefold() != name.casefold():
            fields["aliases"] = (quote,)
        key = actor_service.slug(name)
        if all(a.key != key for a in self.editor.actors.values()):
            fields["key"] = key
        actor = self.editor.create_actor([span_id], **fields)
        if actor is not None:
            self.sig_status.emit(f"New actor {actor.name} ({actor.key}), linked to this mention.")

    def _link_chosen(self, span_id: int, actor_id: Any) -> None:
        span = self._current(span_id)
        if span is None or not isinstance(actor_id, int) or span.actor_id == actor_id:
            return
        actor = self.editor.actors.get(actor_id)
        if actor is None:
            return
        label = self._label_of(span)
        kind_def = label.attribute(ACTOR_KIND)
        span_kind = span.attributes.get(ACTOR_KIND)
        give_span_kind = False
        if kind_def is not None and not span_kind and actor.kind:
            try:
                give_span_kind = kind_def.check(actor.kind) is not None
            except AnnotatorError:
                give_span_kind = False
        give_actor_kind = bool(span_kind) and not actor.kind
        stack = self.editor.undo_stack
        macro = give_span_kind or give_actor_kind
        if macro:
            stack.beginMacro(f"Link to {actor.name}")
        try:
            self.editor.link_actor([span_id], actor_id)
            linked = self.editor.span(span_id)
            if linked is None or linked.actor_id != actor_id:
                return
            if give_span_kind:
                attributes = {**linked.attributes, ACTOR_KIND: actor.kind}
                self.editor.set_span_details(span_id, attributes, linked.note)
            if give_actor_kind:
                self.editor.update_actor(actor, replace(actor, kind=str(span_kind)))
        finally:
            if macro:
                stack.endMacro()
        self.sig_status.emit(f"Linked to {actor.name}.")

    def _unlink(self, span_id: int) -> None:
        span = self._current(span_id)
        if span is not None and span.actor_id is not None:
            self.editor.link_actor([span_id], None)

    def _new_actor(self, span_id: int) -> None:
        span = self._current(span_id)
        if span is None:
            return
        # A key taken already: the service picks a free one from the name ("kcna-2").
        self._create_named(span_id, " ".join(span.quote.split()))

    def _link_all(self, span_id: int) -> None:
        span = self._current(span_id)
        if span is None or span.actor_id is None:
            return
        actor = self.editor.actors.get(span.actor_id)
        if actor is None:
            return
        names = tuple(dict.fromkeys((*actor.names(), " ".join(span.quote.split()))))
        n = self.editor.link_all_mentions(actor, names)
        if n is None:
            return
        if n:
            s = "s" if n != 1 else ""
            self.sig_status.emit(f"Linked {n} more mention{s} of {actor.name} across the corpus.")
        else:
            self.sig_status.emit(f"No unlinked mention of {actor.name} is left in the corpus.")


def install(window: Window) -> None:
    """The Details dock on the right, F2 to edit the selected span (Esc goes back to the article,
    as from every dock: common.keys.EscapeHome)."""
    panel = SpanDetailsPanel(window.editor, window.widget())
    dock = window.add_dock("details", "Details", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    # Below the span list, with room for a claim's five attributes and the note.
    window.widget().resizeDocks([dock], [420], Qt.Orientation.Vertical)
    panel.sig_status.connect(lambda message: window.tell(message, 8000))
    panel.sig_error.connect(window.warn)

    def sync(*_args: object) -> None:
        panel.show_span(window.article.selected_span_id)

    # Every way of selecting (click, span list, N/P, a new span, undo) ends in select_span.
    window.article.sig_span_selected.connect(sync)
    editor = window.editor
    for signal in (
        editor.sig_spans_changed,
        editor.sig_document_opened,
        editor.sig_schema_changed,
        editor.sig_actors_changed,
    ):
        signal.connect(sync)

    def edit() -> None:
        sync()
        dock.show()
        dock.raise_()
        if not panel.focus_first_editor():
            window.tell(
                "Select a span first (click it, or N / P), then F2 edits its details.", 5000
            )

    action = QAction("Edit span &details", window.widget())
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setStatusTip("Edit the selected span's attributes, actor and note (Esc goes back)")
    action.triggered.connect(edit)
    window.menu("&Edit").addAction(action)
    window.actions_by_key["span_details"] = action
    sync()


__all__ = ["SpanDetailsPanel", "actor_display", "install"]
