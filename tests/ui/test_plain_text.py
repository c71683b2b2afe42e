"""Untrusted text is never rendered as rich text: every message box goes through the one helper
that forces plain text, and no label of the window or its dialogs renders a hostile title,
tag or path as markup."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget

import annotator.ui
from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document
from annotator.ui.common.help import ShortcutsDialog, about_box
from annotator.ui.common.settings import AppSettings
from annotator.ui.common.settings_dialog import SettingsDialog
from annotator.ui.corpus.actor_registry import open_actor_registry
from annotator.ui.corpus.export_dialog import ExportDialog
from annotator.ui.corpus.metadata_dialog import MetadataDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.schema.schema_editor import open_schema_editor

HOSTILE = 'A title <img src="file:///dev/zero"><b>bold</b>'
RICH_STATICS = {"warning", "information", "critical", "question", "about"}


def test_message_boxes_are_made_only_by_the_plain_text_helper() -> None:
    root = Path(annotator.ui.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            made = isinstance(func, ast.Name) and func.id == "QMessageBox"
            static = (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "QMessageBox"
                and func.attr in RICH_STATICS
            )
            helper = path.relative_to(root).as_posix() == "common/text.py"
            if static or (made and not helper):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def rich_labels(widget: QWidget) -> list[str]:
    """Labels Qt would render as rich text: not plain, and holding what looks like markup. With
    the hostile title, tag and path everywhere, any label that shows them and is not plain
    text is caught; constant captions ("Theme:") pass."""
    return [
        f"{type(label.parent()).__name__}: {label.text()[:40]!r}"
        for label in widget.findChildren(QLabel)
        if label.textFormat() != Qt.TextFormat.PlainText
        and (label.textFormat() == Qt.TextFormat.RichText or GuiQt.mightBeRichText(label.text()))
    ]


def test_every_label_of_the_window_and_its_dialogs_is_plain_text(qtbot, window: MainWindow):
    doc = add_document(window.db, text="Text of the article.", meta=DocumentMeta(HOSTILE))
    window.library.reload()
    window.open_document(doc.id)
    window.article.select_range(0, 4)
    qtbot.keyClick(window.article, Qt.Key.Key_1)  # Details shows a span
    dialogs: list[QWidget] = [
        SettingsDialog(AppSettings(), window),
        ExportDialog(
            window.editor.labels, [], selected_ids=[doc.id], open_id=doc.id, parent=window
        ),
        MetadataDialog(doc.meta, [HOSTILE], window),
        open_schema_editor(window),
        open_actor_registry(window),
        ShortcutsDialog(window),
        about_box(window, HOSTILE, HOSTILE),
    ]
    window.warn(HOSTILE)
    window.actions_by_key["view_agreement"].trigger()  # built when first opened, as a child
    for dialog in dialogs:
        dialog.show()
    QApplication.processEvents()
    assert rich_labels(window) == []
    for dialog in dialogs:
        assert rich_labels(dialog) == [], type(dialog).__name__
        if isinstance(dialog, QMessageBox):
            assert dialog.textFormat() == Qt.TextFormat.PlainText
    # The hostile title is shown as the characters it is.
    assert window.notice.text() == HOSTILE
    assert any(label.text() == HOSTILE for label in window.findChildren(QLabel))
    for dialog in dialogs:
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()
