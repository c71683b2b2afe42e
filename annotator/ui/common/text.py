"""Untrusted text in widgets that guess between plain and rich text."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally.

    Tool tips render rich text when Qt guesses markup, and an escaped string without markup is
    shown with its entities. Escaping and wrapping in <qt> makes the result always rich and always
    literal.
    """
    return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>"


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    parent: QWidget | None = None,
) -> QMessageBox:
    """The one way the app makes a message box: its text is always shown as plain text.

    A message often quotes a title, a file name or an error about one; QMessageBox guesses rich
    text by default, and `<img src="/dev/zero">` in a title made Qt read /dev/zero until the app
    aborted. tests/ui/test_plain_text.py holds every message box of annotator/ui to this helper.
    """
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
