"""The composition root: builds the application and its main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__, resources
from annotator.domain.errors import AnnotatorError
from annotator.services.database import default_annotator_name, ensure_annotator, open_database
from annotator.services.documents import list_labels
from annotator.ui.main_window import MainWindow


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, created on first use."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("annotator")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(resources.read_text("style.qss"))
    return app


def create_main_window(db_target: str, annotator_name: str | None = None) -> MainWindow:
    """Open the database (upgrading and seeding it as needed) and build the window on it."""
    db = open_database(db_target)
    annotator = ensure_annotator(db, name=annotator_name or default_annotator_name())
    return MainWindow(db, annotator, list_labels(db))


def run_gui(*, db_target: str, annotator_name: str | None = None, exec_: bool = True) -> int:
    """Show the window and run the event loop; errors the user can act on go to a dialog."""
    app = application()
    try:
        window = create_main_window(db_target, annotator_name)
    except AnnotatorError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, "annotator", str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)
        if exec_:
            box.exec()
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    window.show()
    if not exec_:
        return 0
    try:
        return app.exec()
    finally:
        window.db.dispose()
