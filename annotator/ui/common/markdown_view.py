"""Markdown shown safely: the guidelines, the user guide.

The text may come from anyone who edits a shared database or a schema file, so the view loads
nothing: no images, no style sheets, no links followed (a QTextBrowser would otherwise read
`<img src="file:///dev/zero">`, which crashed one here).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


class MarkdownView(QTextBrowser):
    """Markdown shown as text with headings and tables; nothing is fetched or followed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.resources_asked = 0

    def show_markdown(self, text: str) -> None:
        # GitHub's dialect (tables) without raw HTML: a tag is shown as the text it is.
        features = int(QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value) | int(
            QTextDocument.MarkdownFeature.MarkdownNoHTML.value
        )
        self.document().setMarkdown(text, QTextDocument.MarkdownFeature(features))
        self.moveCursor(QTextCursor.MoveOperation.Start)  # the top, once laid out

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        # A valid empty value for every resource: returning nothing would make QTextDocument
        # read the file itself (file:///dev/zero until memory runs out).
        self.resources_asked += 1
        if kind == QTextDocument.ResourceType.ImageResource.value:
            blank = QImage(1, 1, QImage.Format.Format_ARGB32)
            blank.fill(0)
            return blank
        return QByteArray()
