"""The schema editor: labels (name, colour, hotkey, style, attributes), relation types and the
annotation guidelines (Markdown).

Edits are drafts until Save: Save hands the whole draft to `services.schema.save_schema`, which
checks it and stores it in one transaction (nothing is half saved because of a typo), then the
window's schema is reloaded. Deleting a stored label or relation type happens at once, through the
service, which refuses while annotations use it. `install(window)` adds the menu entry and keeps
the window (palette, article, span list, "&Label" menu) in step with the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QIcon, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.errors import AnnotatorError, SchemaError
from annotator.domain.model import HighlightStyle, Label, RelationType, Schema
from annotator.domain.schema import LabelSpec, RelationTypeSpec, check_schema, relation_type_name
from annotator.services.guidelines import guidelines_text
from annotator.services.schema import (
    LabelEdit,
    RelationTypeEdit,
    SchemaEdit,
    SchemaImport,
    delete_label,
    delete_relation_type,
    export_schema,
    import_schema,
    save_schema,
)
from annotator.ui.annotate.palette import swatch
from annotator.ui.common.text import message_box, plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

MENU_TITLE = "&Annotate"
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_STYLES = ((HighlightStyle.BACKGROUND, "Background"), (HighlightStyle.UNDERLINE, "Underline"))


# Small helpers shared with the actor registry ------------------------------------------------


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A question whose text may hold user data (label names, actor names): plain text."""
    box = message_box(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def colour_icon(colour: str, size: int = 14) -> QIcon:
    return swatch(Label(0, "", colour, None, 0), size)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


# Drafts --------------------------------------------------------------------------------------


@dataclass
class AttributeDraft:
    name: str
    kind: AttributeKind
    options: str = ""  # comma-separated, as typed
    description: str = ""

    @classmethod
    def of(cls, definition: AttributeDef) -> AttributeDraft:
        return cls(
            definition.name,
            definition.kind,
            ", ".join(definition.options),
            definition.description,
        )

    def definition(self) -> AttributeDef:
        options = tuple(o.strip() for o in self.options.split(",") if o.strip())
        if self.kind is not AttributeKind.CHOICE:
            options = ()
        return AttributeDef(self.name.strip(), self.kind, options, self.description.strip())


@dataclass
class LabelDraft:
    key: int  # identity within the dialog (new labels have no database id yet)
    stored: Label | None
    name: str
    colour: str
    hotkey: str
    style: HighlightStyle
    description: str
    attributes: list[AttributeDraft] = field(default_factory=list)

    @classmethod
    def of(cls, key: int, label: Label) -> LabelDraft:
        return cls(
            key,
            label,
            label.name,
            label.colour,
            label.hotkey or "",
            label.style,
            label.description,
            [AttributeDraft.of(a) for a in label.attributes],
        )

    def spec(self) -> LabelSpec:
        return LabelSpec(
            self.name.strip(),
            self.colour.upper(),
            self.hotkey.strip() or None,
            self.style,
            self.description.strip(),
            tuple(a.definition() for a in self.attributes),
        )

    @property
    def changed(self) -> bool:
        if self.stored is None:
            return True
        s = self.stored
        return self.spec() != LabelSpec(
            s.name, s.colour.upper(), s.hotkey, s.style, s.description, s.attributes
        )

    def preview(self) -> Label:
        return Label(
            self.stored.id if self.stored else 0,
            self.name,
            self.colour,
            self.hotkey or None,
            0,
            self.style,
        )


@dataclass
class RelationDraft:
    key: int
    stored: RelationType | None
    name: str
    source: int | None  # a LabelDraft key, None = any label
    target: int | None
    colour: str
    description: str

    def changed(self, label_ids: dict[int, int | None]) -> bool:
        s = self.stored
        if s is None:
            return True
        return (
            self.name.strip().upper().replace(" ", "_"),
            None if self.source is None else label_ids.get(self.source),
            None if self.target is None else label_ids.get(self.target),
            self.colour.upper(),
            self.description.strip(),
        ) != (s.name, s.source_label_id, s.target_label_id, s.colour.upper(), s.description)


def reserved_keys(window: Window) -> dict[str, str]:
    """Single keys the window already uses for something other than a label -> what for."""
    label_actions = {
        id(action) for key, action in window.actions_by_key.items() if key.startswith("label:")
    }
    taken: dict[str, str] = {}
    for action in window.widget().findChildren(QAction):
        if id(action) in label_actions:
            continue
        for sequence in action.shortcuts():
            text = sequence.toString()
            if len(text) == 1:
                taken[text.casefold()] = action.text().replace("&", "")
    for shortcut in window.widget().findChildren(QShortcut):
        text = shortcut.key().toString()
        if len(text) == 1:
            taken[text.casefold()] = shortcut.whatsThis() or "another shortcut"
    return taken


# The dialog ----------------------------------------------------------------------------------


class SchemaEditor(QDialog):
    """Edit labels and relation types; Save applies the drafts through the services."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.setObjectName("schemaEditor")
        self.setWindowTitle("Schema")
        self.resize(940, 580)
        self._window = window
        self._db = window.db
        self._next_key = 1
        self.labels: list[LabelDraft] = []
        self.relation_types: list[RelationDraft] = []
        self._loading = False

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_labels_tab(), "Labels")
        self.tabs.addTab(self._build_relations_tab(), "Relation types")
        self.guidelines_edit = QPlainTextEdit(self)
        self.guidelines_edit.setObjectName("schemaGuidelines")
        self.guidelines_edit.setToolTip(
            "The annotation guidelines in Markdown: shown in Help > Annotation guidelines and "
            "exported with the schema. Empty brings the shipped guidelines back."
        )
        self._guidelines_loaded = ""
        self.tabs.addTab(self.guidelines_edit, "Guidelines")
        self.tabs.currentChanged.connect(lambda _: self._refresh_relation_combos())

        self.message = plain_label("", self)
        self.message.setObjectName("schemaMessage")
        self.export_button = QPushButton("Export…", self)
        self.import_button = QPushButton("Import…", self)
        self.export_button.setToolTip("Write the saved schema and guidelines to a JSON file")
        self.import_button.setToolTip(
            "Add or update labels and relation types (and replace the guidelines) from a file"
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self._on_export)
        self.import_button.clicked.connect(self._on_import)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.load()

    # Building --------------------------------------------------------------------------------
    def _build_labels_tab(self) -> QWidget:
        page = QWidget(self)
        self.label_list = QListWidget(page)
        self.label_list.setObjectName("schemaLabelList")
        self.label_list.currentRowChanged.connect(self._on_label_row_changed)
        self.add_label_button = QPushButton("Add label", page)
        self.delete_label_button = QPushButton("Delete label", page)
        self.add_label_button.clicked.connect(self.add_label)
        self.delete_label_button.clicked.connect(self.delete_current_label)
        left = QVBoxLayout()
        left.addWidget(self.label_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_label_button)
        row.addWidget(self.delete_label_button)
        left.addLayout(row)

        self.name_edit = QLineEdit(page)
        self.name_edit.setMaxLength(100)
        self.colour_button = QPushButton(page)
        self.colour_button.setToolTip("Choose the label's colour")
        self.hotkey_edit = QLineEdit(page)
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setMaximumWidth(48)
        self.hotkey_edit.setPlaceholderText("none")
        self.hotkey_edit.setToolTip(
            "One key: it labels the selection; with Alt, exactly the selected characters"
        )
        self.style_combo = QComboBox(page)
        for style, text in _STYLES:
            self.style_combo.addItem(text, style)
        self.description_edit = QLineEdit(page)
        self.name_edit.textEdited.connect(self._on_form_edited)
        self.hotkey_edit.textEdited.connect(self._on_form_edited)
        self.description_edit.textEdited.connect(self._on_form_edited)
        self.style_combo.currentIndexChanged.connect(lambda _: self._on_form_edited())
        self.colour_button.clicked.connect(self._on_colour_clicked)

        self.attribute_table = QTableWidget(0, 4, page)
        self.attribute_table.setObjectName("schemaAttributes")
        self.attribute_table.setHorizontalHeaderLabels(
            ["Attribute", "Kind", "Options (comma-separated)", "Description"]
        )
        self.attribute_table.verticalHeader().hide()
        self.attribute_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attribute_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.attribute_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 130)
        header.resizeSection(2, 220)
        self.attribute_table.itemChanged.connect(lambda _: self._on_attributes_edited())
        self.add_attribute_button = QPushButton("Add", page)
        self.remove_attribute_button = QPushButton("Remove", page)
        self.up_attribute_button = QPushButton("Move up", page)
        self.down_attribute_button = QPushButton("Move down", page)
        self.add_attribute_button.clicked.connect(self.add_attribute)
        self.remove_attribute_button.clicked.connect(self.remove_attribute)
        self.up_attribute_button.clicked.connect(lambda: self.move_attribute(-1))
        self.down_attribute_button.clicked.connect(lambda: self.move_attribute(1))

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_button)
        colour_row.addStretch(1)
        form.addRow("Colour", colour_row)
        form.addRow("Hotkey", self.hotkey_edit)
        form.addRow("Style", self.style_combo)
        form.addRow("Description", self.description_edit)
        attribute_buttons = QHBoxLayout()
        for button in (
            self.add_attribute_button,
            self.remove_attribute_button,
            self.up_attribute_button,
            self.down_attribute_button,
        ):
            attribute_buttons.addWidget(button)
        attribute_buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(plain_label("Attributes of this label", page))
        right.addWidget(self.attribute_table, 1)
        right.addLayout(attribute_buttons)
        self.label_form = QWidget(page)
        self.label_form.setLayout(right)

        layout = QHBoxLayout(page)
        layout.addLayout(left, 1)
        layout.addWidget(self.label_form, 3)
        return page

    def _build_relations_tab(self) -> QWidget:
        page = QWidget(self)
        self.relation_table = QTableWidget(0, 5, page)
        self.relation_table.setObjectName("schemaRelationTypes")
        self.relation_table.setHorizontalHeaderLabels(
            ["Name", "From label", "To label", "Colour", "Description"]
        )
        self.relation_table.verticalHeader().hide()
        self.relation_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.relation_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.relation_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 140)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.relation_table.itemChanged.connect(self._on_relation_item_changed)
        self.add_relation_button = QPushButton("Add relation type", page)
        self.delete_relation_button = QPushButton("Delete relation type", page)
        self.add_relation_button.clicked.connect(self.add_relation_type)
        self.delete_relation_button.clicked.connect(self.delete_current_relation_type)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_relation_button)
        buttons.addWidget(self.delete_relation_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(
            plain_label(
                "A relation links a span of the From label to a span of the To label "
                "(any: every label). Names are stored in capitals.",
                page,
            )
        )
        layout.addWidget(self.relation_table, 1)
        layout.addLayout(buttons)
        return page

    # Loading ---------------------------------------------------------------------------------
    def _key(self) -> int:
        self._next_key += 1
        return self._next_key

    def load(self) -> None:
        """Drafts from the window's current schema (discarding unsaved edits)."""
        schema = self._window.editor.schema
        self.labels = [LabelDraft.of(self._key(), label) for label in schema.labels]
        by_id = {d.stored.id: d.key for d in self.labels if d.stored is not None}
        self.relation_types = [
            RelationDraft(
                self._key(),
                t,
                t.name,
                None if t.source_label_id is None else by_id.get(t.source_label_id),
                None if t.target_label_id is None else by_id.get(t.target_label_id),
                t.colour,
                t.description,
            )
            for t in schema.relation_types
        ]
        self._guidelines_loaded = guidelines_text(self._db)
        self.guidelines_edit.setPlainText(self._guidelines_loaded)
        self._fill_label_list()
        self._fill_relation_table()
        if self.labels:
            self.label_list.setCurrentRow(0)
        self._show_label(self.current_label())

    def _fill_label_list(self, current: int | None = None) -> None:
        self.label_list.blockSignals(True)
        self.label_list.clear()
        for draft in self.labels:
            item = QListWidgetItem(self._label_icon(draft), self._label_text(draft))
            self.label_list.addItem(item)
        self.label_list.blockSignals(False)
        if current is not None and 0 <= current < len(self.labels):
            self.label_list.setCurrentRow(current)

    @staticmethod
    def _label_text(draft: LabelDraft) -> str:
        name = draft.name.strip() or "(no name)"
        return f"{name}   [{draft.hotkey}]" if draft.hotkey.strip() else name

    @staticmethod
    def _label_icon(draft: LabelDraft) -> QIcon:
        colour = draft.colour if _COLOUR.match(draft.colour) else "#999999"
        return swatch(Label(0, draft.name, colour, None, 0, draft.style), 16)

    def current_label(self) -> LabelDraft | None:
        row = self.label_list.currentRow()
        return self.labels[row] if 0 <= row < len(self.labels) else None

    def select_label(self, name: str) -> LabelDraft:
        """Make the label with this name current (for keyboard users and tests)."""
        row = next(i for i, d in enumerate(self.labels) if d.name == name)
        self.label_list.setCurrentRow(row)
        return self.labels[row]

    def _show_label(self, draft: LabelDraft | None) -> None:
        self._loading = True
        try:
            self.label_form.setEnabled(draft is not None)
            self.delete_label_button.setEnabled(draft is not None)
            self.name_edit.setText(draft.name if draft else "")
            self.hotkey_edit.setText(draft.hotkey if draft else "")
            self.description_edit.setText(draft.description if draft else "")
            style = draft.style if draft else HighlightStyle.BACKGROUND
            self.style_combo.setCurrentIndex(self.style_combo.findData(style))
            self._show_colour(draft.colour if draft else "#999999")
            self._fill_attribute_table(draft)
        finally:
            self._loading = False

    def _show_colour(self, colour: str) -> None:
        self.colour_button.setIcon(colour_icon(colour if _COLOUR.match(colour) else "#999999"))
        self.colour_button.setText(f"  {colour.upper()}")

    def _fill_attribute_table(self, draft: LabelDraft | None, select: int | None = None) -> None:
        table = self.attribute_table
        table.blockSignals(True)
        table.setRowCount(0)
        for row, attribute in enumerate(draft.attributes if draft else []):
            table.insertRow(row)
            table.setItem(row, 0, QTableWidgetItem(attribute.name))
            kind = QComboBox(table)
            for k in AttributeKind:
                kind.addItem(k.value, k)
            kind.setCurrentIndex(kind.findData(attribute.kind))
            kind.currentIndexChanged.connect(lambda _: self._on_attributes_edited())
            table.setCellWidget(row, 1, kind)
            options = QTableWidgetItem(attribute.options)
            if attribute.kind is not AttributeKind.CHOICE:
                options.setFlags(options.flags() & ~Qt.ItemFlag.ItemIsEditable)
                options.setToolTip("Only choices have options")
            table.setItem(row, 2, options)
            description = QTableWidgetItem(attribute.description)
            if attribute.options:
                options.setToolTip(plain_tooltip(attribute.options))
            if attribute.description:
                description.setToolTip(plain_tooltip(attribute.description))
            table.setItem(row, 3, description)
        table.blockSignals(False)
        if select is not None and 0 <= select < table.rowCount():
            table.selectRow(select)

    def _fill_relation_table(self) -> None:
        table = self.relation_table
        table.blockSignals(True)
        table.setRowCount(0)
        for row, draft in enumerate(self.relation_types):
            table.insertRow(row)
            table.setItem(row, 0, QTableWidgetItem(draft.name))
            for column in (1, 2):
                combo = QComboBox(table)
                combo.currentIndexChanged.connect(
                    lambda _, d=draft, c=combo, col=column: self._on_relation_end_chosen(d, c, col)
                )
                table.setCellWidget(row, column, combo)
            button = QPushButton(table)
            button.setFlat(True)
            button.clicked.connect(lambda _=False, d=draft: self._on_relation_colour_clicked(d))
            table.setCellWidget(row, 3, button)
            table.setItem(row, 4, QTableWidgetItem(draft.description))
        table.blockSignals(False)
        self._refresh_relation_combos()

    def _refresh_relation_combos(self) -> None:
        """Label names in the From/To choices follow the (possibly renamed) label drafts."""
        for row, draft in enumerate(self.relation_types):
            for column, chosen in ((1, draft.source), (2, draft.target)):
                combo = self.relation_table.cellWidget(row, column)
                if not isinstance(combo, QComboBox):
                    continue
                combo.blockSignals(True)
                combo.clear()
                combo.addItem("any", None)
                for label in self.labels:
                    combo.addItem(self._label_icon(label), label.name.strip() or "?", label.key)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
                combo.blockSignals(False)
            button = self.relation_table.cellWidget(row, 3)
            if isinstance(button, QPushButton):
                button.setIcon(colour_icon(draft.colour))
                button.setText(draft.colour.upper())

    # Editing labels --------------------------------------------------------------------------
    def _on_label_row_changed(self, row: int) -> None:
        self._show_label(self.current_label())

    def _on_form_edited(self) -> None:
        draft = self.current_label()
        if draft is None or self._loading:
            return
        draft.name = self.name_edit.text()
        draft.hotkey = self.hotkey_edit.text()
        draft.description = self.description_edit.text()
        draft.style = HighlightStyle(self.style_combo.currentData())
        self._update_list_item(draft)

    def _update_list_item(self, draft: LabelDraft) -> None:
        item = self.label_list.item(self.labels.index(draft))
        if item is not None:
            item.setText(self._label_text(draft))
            item.setIcon(self._label_icon(draft))

    def _on_colour_clicked(self) -> None:
        draft = self.current_label()
        if draft is None:
            return
        chosen = QColorDialog.getColor(QColor(draft.colour), self, f"Colour of {draft.name}")
        if chosen.isValid():
            self.set_colour(chosen.name())

    def set_colour(self, colour: str) -> None:
        """Give the current label this #RRGGBB colour (what the colour dialog does)."""
        draft = self.current_label()
        if draft is None:
            return
        draft.colour = colour.upper()
        self._show_colour(draft.colour)
        self._update_list_item(draft)

    def add_label(self) -> LabelDraft:
        taken = {d.name.strip() for d in self.labels}
        name, n = "NEW_LABEL", 1
        while name in taken:
            n += 1
            name = f"NEW_LABEL_{n}"
        draft = LabelDraft(self._key(), None, name, "#999999", "", HighlightStyle.BACKGROUND, "")
        self.labels.append(draft)
        self._fill_label_list(current=len(self.labels) - 1)
        self._refresh_relation_combos()
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        return draft

    def delete_current_label(self) -> None:
        draft = self.current_label()
        if draft is None:
            return
        # Stored relation types that use the label are the service's to refuse; drafts are ours.
        stored_id = draft.stored.id if draft.stored else None
        users = [
            t.name
            for t in self.relation_types
            if (
                t.source == draft.key
                and (t.stored is None or t.stored.source_label_id != stored_id)
            )
            or (
                t.target == draft.key
                and (t.stored is None or t.stored.target_label_id != stored_id)
            )
        ]
        if users:
            self._say(f"{draft.name} is used by relation type(s) {', '.join(users)}.", error=True)
            return
        if draft.stored is not None:
            stored = draft.stored
            if not ask_yes_no(self, "Delete label", f"Delete the label {stored.name}?"):
                return
            try:
                delete_label(self._db, label_id=stored.id)
            except AnnotatorError as exc:
                self._say(str(exc), error=True)
                return
            self._window.editor.reload_schema()
            self._say(f"Deleted the label {stored.name}.")
        row = self.labels.index(draft)
        del self.labels[row]
        self._fill_label_list(current=min(row, len(self.labels) - 1))
        self._show_label(self.current_label())
        self._refresh_relation_combos()

    # Editing attributes ----------------------------------------------------------------------
    def _on_attributes_edited(self) -> None:
        draft = self.current_label()
        if draft is None or self._loading:
            return
        table = self.attribute_table
        rows = []
        for row in range(table.rowCount()):
            kind = table.cellWidget(row, 1)
            rows.append(
                AttributeDraft(
                    _item_text(table, row, 0),
                    AttributeKind(kind.currentData())
                    if isinstance(kind, QComboBox)
                    else AttributeKind.TEXT,
                    _item_text(table, row, 2),
                    _item_text(table, row, 3),
                )
            )
        kinds_changed = [a.kind for a in rows] != [a.kind for a in draft.attributes]
        draft.attributes = rows
        if kinds_changed:
            # Options are editable for choices only.
            current = table.currentRow()
            QTimer.singleShot(0, lambda: self._refill_attributes(draft, current))

    def _refill_attributes(self, draft: LabelDraft, row: int) -> None:
        if self.current_label() is draft:
            self._fill_attribute_table(draft, row)

    def add_attribute(self) -> None:
        draft = self.current_label()
        if draft is None:
            return
        taken = {a.name for a in draft.attributes}
        name, n = "attribute", 1
        while name in taken:
            n += 1
            name = f"attribute_{n}"
        draft.attributes.append(AttributeDraft(name, AttributeKind.TEXT))
        self._fill_attribute_table(draft, len(draft.attributes) - 1)
        item = self.attribute_table.item(len(draft.attributes) - 1, 0)
        if item is not None:
            self.attribute_table.editItem(item)

    def remove_attribute(self) -> None:
        draft = self.current_label()
        row = self.attribute_table.currentRow()
        if draft is None or not 0 <= row < len(draft.attributes):
            return
        del draft.attributes[row]
        self._fill_attribute_table(draft, min(row, len(draft.attributes) - 1))

    def move_attribute(self, step: int) -> None:
        draft = self.current_label()
        row = self.attribute_table.currentRow()
        if draft is None or not 0 <= row < len(draft.attributes):
            return
        to = row + step
        if not 0 <= to < len(draft.attributes):
            return
        items = draft.attributes
        items[row], items[to] = items[to], items[row]
        self._fill_attribute_table(draft, to)

    # Editing relation types ------------------------------------------------------------------
    def _on_relation_item_changed(self, item: QTableWidgetItem) -> None:
        draft = self.relation_types[item.row()]
        if item.column() == 0:
            draft.name = item.text()
        elif item.column() == 4:
            draft.description = item.text()

    def _on_relation_end_chosen(self, draft: RelationDraft, combo: QComboBox, column: int) -> None:
        chosen = combo.currentData()
        if column == 1:
            draft.source = chosen
        else:
            draft.target = chosen

    def _on_relation_colour_clicked(self, draft: RelationDraft) -> None:
        chosen = QColorDialog.getColor(QColor(draft.colour), self, f"Colour of {draft.name}")
        if chosen.isValid():
            draft.colour = chosen.name().upper()
            self._refresh_relation_combos()

    def add_relation_type(self) -> RelationDraft:
        taken = {d.name.strip().upper() for d in self.relation_types}
        name, n = "NEW_RELATION", 1
        while name in taken:
            n += 1
            name = f"NEW_RELATION_{n}"
        draft = RelationDraft(self._key(), None, name, None, None, "#555555", "")
        self.relation_types.append(draft)
        self._fill_relation_table()
        row = len(self.relation_types) - 1
        self.relation_table.selectRow(row)
        item = self.relation_table.item(row, 0)
        if item is not None:
            self.relation_table.editItem(item)
        return draft

    def delete_current_relation_type(self) -> None:
        row = self.relation_table.currentRow()
        if not 0 <= row < len(self.relation_types):
            return
        draft = self.relation_types[row]
        if draft.stored is not None:
            stored = draft.stored
            question = f"Delete the relation type {stored.name}?"
            if not ask_yes_no(self, "Delete relation type", question):
                return
            try:
                delete_relation_type(self._db, type_id=stored.id)
            except AnnotatorError as exc:
                self._say(str(exc), error=True)
                return
            self._window.editor.reload_schema()
            self._say(f"Deleted the relation type {stored.name}.")
        del self.relation_types[row]
        self._fill_relation_table()

    # Saving ----------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        ids = self._label_ids()
        return (
            any(d.changed for d in self.labels)
            or any(t.changed(ids) for t in self.relation_types)
            or self._guidelines_changed
        )

    @property
    def _guidelines_changed(self) -> bool:
        return self.guidelines_edit.toPlainText() != self._guidelines_loaded

    def _label_ids(self) -> dict[int, int | None]:
        return {d.key: d.stored.id if d.stored else None for d in self.labels}

    def edit(self) -> SchemaEdit:
        """The drafts as one schema edit (relation types name their labels as drafted)."""
        names = {d.key: d.name.strip() for d in self.labels}

        def end(key: int | None) -> str | None:
            return None if key is None else names.get(key)

        return SchemaEdit(
            labels=tuple(
                LabelEdit(d.spec(), d.stored.id if d.stored else None) for d in self.labels
            ),
            relation_types=tuple(
                RelationTypeEdit(
                    RelationTypeSpec(t.name, end(t.source), end(t.target), t.colour, t.description),
                    t.stored.id if t.stored else None,
                )
                for t in self.relation_types
            ),
            guidelines=self.guidelines_edit.toPlainText() if self._guidelines_changed else None,
        )

    def problem(self) -> str | None:
        """What stops the drafts from being saved (the check `save_schema` makes)."""
        edit = self.edit()
        try:
            check_schema(
                [e.spec for e in edit.labels],
                [e.spec for e in edit.relation_types],
                reserved_keys=reserved_keys(self._window),
            )
        except SchemaError as exc:
            return _sentence(str(exc))
        return None

    def save(self) -> bool:
        """Save the whole draft in one transaction, then reload the window's schema."""
        if not self.dirty:
            self._say("Nothing to save.")
            return True
        try:
            schema = save_schema(
                self._db, edit=self.edit(), reserved_keys=reserved_keys(self._window)
            )
        except AnnotatorError as exc:
            self._say(_sentence(str(exc)), error=True)
            return False
        self._stored(schema)
        self._window.editor.reload_schema()
        self._after_save()
        self._say("Saved.")
        return True

    def _stored(self, schema: Schema) -> None:
        """Link the drafts to what was stored (new ids, names the service normalised)."""
        for draft in self.labels:
            draft.stored = schema.label_named(draft.name.strip()) or draft.stored
        for relation in self.relation_types:
            stored = schema.relation_type_named(relation_type_name(relation.name))
            if stored is not None:
                relation.stored, relation.name = stored, stored.name
        self._guidelines_loaded = guidelines_text(self._db)
        self.guidelines_edit.setPlainText(self._guidelines_loaded)

    def _after_save(self) -> None:
        """Show the drafts as stored (names the service normalised, new ids)."""
        for draft in self.labels:
            if draft.stored is not None:
                fresh = LabelDraft.of(draft.key, draft.stored)
                draft.name, draft.colour, draft.hotkey = fresh.name, fresh.colour, fresh.hotkey
                draft.description, draft.attributes = fresh.description, fresh.attributes
        row = self.label_list.currentRow()
        self._fill_label_list(current=row)
        self._show_label(self.current_label())
        self._fill_relation_table()

    # Files -----------------------------------------------------------------------------------
    def _on_export(self) -> None:
        if self.dirty:
            if not ask_yes_no(self, "Export schema", "Save your changes first and export?"):
                return
            if not self.save():
                return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export schema", "schema.json", "Schema files (*.json);;All files (*)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> bool:
        try:
            schema = export_schema(self._db, path=path)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return False
        self._say(
            f"Exported {len(schema.labels)} labels, {len(schema.relation_types)} "
            f"relation types and the guidelines to {path}."
        )
        return True

    def _on_import(self) -> None:
        if self.dirty and not ask_yes_no(
            self, "Import schema", "Importing discards your unsaved changes. Go on?"
        ):
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import schema", "", "Schema files (*.json);;All files (*)"
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> SchemaImport | None:
        try:
            result = import_schema(self._db, path=path)
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return None
        self._window.editor.reload_schema()
        self.load()
        self._say(import_summary(result))
        return result

    # Messages --------------------------------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #B00020;" if error else "")
        if not error:
            self._window.tell(text, 8000)

    def reject(self) -> None:
        if self.dirty and not ask_yes_no(self, "Schema", "Close without saving your changes?"):
            return
        super().reject()


def _sentence(text: str) -> str:
    """A service's message as the dialog shows it: a capital first, a full stop last."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _item_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def import_summary(result: SchemaImport) -> str:
    parts = []
    for what, names in (
        ("labels added", result.labels_added),
        ("labels updated", result.labels_changed),
        ("relation types added", result.relation_types_added),
        ("relation types updated", result.relation_types_changed),
    ):
        if names:
            parts.append(f"{what}: {', '.join(names)}")
    if result.guidelines:
        parts.append("guidelines replaced")
    return "Imported the schema; " + ("; ".join(parts) if parts else "it was empty") + "."


# The window ----------------------------------------------------------------------------------


def open_schema_editor(window: Window) -> SchemaEditor:
    """Open the schema editor (window-modal, without blocking) and return it."""
    dialog = SchemaEditor(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install(window: Window) -> None:
    action = QAction("&Schema…", window.widget())
    action.setStatusTip("Edit labels, colours, hotkeys, attributes and relation types")
    action.triggered.connect(lambda: open_schema_editor(window))
    window.menu(MENU_TITLE).addAction(action)
    window.actions_by_key["schema_editor"] = action
