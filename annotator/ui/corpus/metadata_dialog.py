"""Edit a document's title, outlet, URL, author, publication date, language and tags."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from annotator.domain.model import DocumentMeta

_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ].*)?)?)?")


def _valid_published(text: str) -> bool:
    """Empty, or an ISO 8601 year, year-month or date (a date-time counts by its date)."""
    if not text:
        return True
    m = _PUBLISHED.fullmatch(text)
    if m is None:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


class MetadataDialog(QDialog):
    def __init__(
        self, meta: DocumentMeta, tags: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document details")
        self.resize(560, 0)
        self.title = QLineEdit(meta.title)
        self.source = QLineEdit(meta.source or "")
        self.url = QLineEdit(meta.url or "")
        self.author = QLineEdit(meta.author or "")
        self.published = QLineEdit(meta.published or "")
        self.published.setPlaceholderText(f"YYYY-MM-DD, e.g. {date.today().isoformat()}")
        self.language = QLineEdit(meta.language or "")
        self.language.setPlaceholderText("e.g. en, fr, zh")
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setPlaceholderText("comma-separated")
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #D55E00")
        form = QFormLayout(self)
        for name, widget in (
            ("Title", self.title),
            ("Outlet", self.source),
            ("URL", self.url),
            ("Author", self.author),
            ("Published", self.published),
            ("Language", self.language),
            ("Tags", self.tags),
        ):
            form.addRow(name, widget)
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def meta(self) -> DocumentMeta:
        def value(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return DocumentMeta(
            title=self.title.text().strip(),
            source=value(self.source),
            url=value(self.url),
            author=value(self.author),
            published=value(self.published),
            language=value(self.language),
        )

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.text().split(",") if t.strip()]

    def _on_buttons_accepted(self) -> None:
        if not self.title.text().strip():
            self.problem.setText("A document needs a title.")
            return
        if not _valid_published(self.published.text().strip()):
            self.problem.setText("Published must be a date like 2025-11-19 (or 2025-11, or 2025).")
            return
        self.accept()
