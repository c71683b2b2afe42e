"""GUI fixtures: the real main window on a fresh database file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo

from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db_path: Path) -> Iterator[MainWindow]:
    application()
    add_plain_demo(db_path)  # the demo article without its annotations, to annotate
    win = create_main_window(str(db_path), "tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.article.setFocus()
    yield win
    win.db.dispose()
