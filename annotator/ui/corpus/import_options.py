"""Before importing a table: which column holds the text, and which hold metadata."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from annotator.formats.sources import META_FIELDS, SourceOptions, table_columns

TABLE_SUFFIXES = (".csv", ".tsv")
_GUESS = "(guess from the column names)"
_NONE = "(none)"


def first_table(paths: Sequence[Path]) -> Path | None:
    return next((p for p in paths if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES), None)


class ImportOptionsDialog(QDialog):
    """Choices for CSV/TSV files, read from the header of the first table among the files."""

    def __init__(self, table: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a table")
        with table.open("rb") as fh:
            self.columns = table_columns(table.name, fh.read(65536))
        form = QFormLayout(self)
        intro = QLabel(f"Columns of {table.name} (used for every table in this import):")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(intro)
        self.text_column = QComboBox(self)
        self.text_column.addItem(_GUESS, None)
        for column in self.columns:
            self.text_column.addItem(column, column)  # combo items are plain text
        form.addRow("Article text", self.text_column)
        self.fields: dict[str, QComboBox] = {}
        for field in META_FIELDS:
            combo = QComboBox(self)
            combo.addItem(_GUESS, None)
            combo.addItem(_NONE, "")
            for column in self.columns:
                combo.addItem(column, column)
            form.addRow(field.capitalize(), combo)
            self.fields[field] = combo
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> SourceOptions:
        chosen = {field: combo.currentData() for field, combo in self.fields.items()}
        if all(value is None for value in chosen.values()):
            mapping = None  # let the reader match columns by name and synonyms
        else:
            # An explicit choice for some fields: the others left on "guess" take the column
            # of their own name, if there is one.
            by_name = {c.lower(): c for c in self.columns}
            for field, column in chosen.items():
                if column is None:
                    chosen[field] = by_name.get(field, "")
            mapping = {column: field for field, column in chosen.items() if column}
        return SourceOptions(text_column=self.text_column.currentData(), metadata_columns=mapping)
