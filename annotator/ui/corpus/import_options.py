"""Before importing: for a table, which column holds the text and which hold metadata; when a
stored article has a URL, whether a new text at its URL revises it or is kept as a new
document (the command line's `--as-new`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.sources import META_FIELDS, SourceOptions, table_columns
from annotator.services import Database
from annotator.services.revisions import can_revise

TABLE_SUFFIXES = (".csv", ".tsv")
_GUESS = "(guess from the column names)"
_NONE = "(none)"


def first_table(paths: Sequence[Path]) -> Path | None:
    return next((p for p in paths if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES), None)


class ImportOptionsDialog(QDialog):
    """Choices for an import: the columns of CSV/TSV files, read from the header of the first
    table among the files (`table`), and what a new version of a stored article becomes
    (`versions`). At least one of the two is asked."""

    def __init__(
        self, table: Path | None, parent: QWidget | None = None, *, versions: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a table" if table is not None else "Import")
        self.columns: list[str] = []
        form = QFormLayout(self)
        self.fields: dict[str, QComboBox] = {}
        self.text_column = QComboBox(self)
        self.text_column.addItem(_GUESS, None)
        if table is not None:
            with table.open("rb") as fh:
                self.columns = table_columns(table.name, fh.read(65536))
            intro = QLabel(f"Columns of {table.name} (used for every table in this import):")
            intro.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(intro)
            for column in self.columns:
                self.text_column.addItem(column, column)  # combo items are plain text
            form.addRow("Article text", self.text_column)
            for field in META_FIELDS:
                combo = QComboBox(self)
                combo.addItem(_GUESS, None)
                combo.addItem(_NONE, "")
                for column in self.columns:
                    combo.addItem(column, column)
                form.addRow(field.capitalize(), combo)
                self.fields[field] = combo
        else:
            self.text_column.hide()
        # A stored article's URL with another text: a new version of it (its spans follow the
        # new text, what cannot follow is listed for review), or another document.
        self.versions = QGroupBox("An article at the URL of a stored one, with another text", self)
        self.revise = QRadioButton("&Revise the stored document (its spans follow the new text)")
        self.keep_new = QRadioButton("Keep it as a &new document (the stored one stays as it is)")
        self.revise.setChecked(True)
        box = QVBoxLayout(self.versions)
        box.addWidget(self.revise)
        box.addWidget(self.keep_new)
        form.addRow(self.versions)
        self.versions.setVisible(versions)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def as_new(self) -> bool:
        """Keep new versions of stored articles as new documents."""
        return self.keep_new.isChecked()

    def options(self) -> SourceOptions | None:
        """The table's columns; None when no table is imported."""
        if not self.columns:
            return None
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


def ask_import_options(
    db: Database, paths: Sequence[Path], parent: QWidget
) -> tuple[SourceOptions | None, bool] | None:
    """Ask what the import needs to know, if anything: (the table's columns, keep new
    versions as new documents); None when the user cancelled."""
    table = first_table(paths)
    versions = can_revise(db)
    if table is None and not versions:
        return None, False
    dialog = ImportOptionsDialog(table, parent, versions=versions)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.options(), dialog.as_new
