"""The label palette: one button per label, showing its hotkey and colour; its tooltip gives
the label's definition from the schema."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QToolButton, QWidget

from annotator.domain.model import HighlightStyle, Label
from annotator.ui.common.text import plain_tooltip


def swatch(label: Label, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    if label.style is HighlightStyle.UNDERLINE:
        pixmap.fill(Qt.GlobalColor.transparent)  # the page colour in light and dark themes
        painter = QPainter(pixmap)
        painter.fillRect(0, size - 4, size, 4, QColor(label.colour))
        painter.end()
    else:
        pixmap.fill(QColor(label.colour))
    return QIcon(pixmap)


def label_tooltip(label: Label) -> str:
    """What a label's button says on hover, as plain text: its name, its definition (the
    schema's description) and how to apply it from the keyboard."""
    lines = [label.name]
    if label.description.strip():
        lines.append(label.description.strip())
    if label.hotkey:
        lines.append(f"Key: {label.hotkey} (Alt+{label.hotkey}: exact characters)")
    else:
        lines.append("No key: click to apply")
    return "\n".join(lines)


class LabelPalette(QWidget):
    """Click a label to apply it; hold Alt while clicking for exact characters (no snapping)."""

    sig_label_chosen = Signal(int, bool)
    """A label was chosen: (label id, exact characters)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self.buttons: dict[int, QToolButton] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        title = QLabel("Labels:")
        title.setTextFormat(Qt.TextFormat.PlainText)
        self._layout.addWidget(title)
        for label in labels:
            button = QToolButton(self)
            button.setProperty("labelButton", True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIcon(swatch(label))
            # Button text is plain: QToolButton never interprets markup.
            button.setText(f"{label.hotkey}  {label.name}" if label.hotkey else label.name)
            button.setToolTip(plain_tooltip(label_tooltip(label)))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, lid=label.id: self._on_button_clicked(lid))
            self._layout.addWidget(button)
            self.buttons[label.id] = button
        self._layout.addStretch(1)

    def _on_button_clicked(self, label_id: int) -> None:
        exact = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier)
        self.sig_label_chosen.emit(label_id, exact)
