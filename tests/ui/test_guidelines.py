"""Help > Annotation guidelines: the database's guidelines, shown as text and never fetched."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QDockWidget

from annotator.services.guidelines import default_guidelines, guidelines_text, save_guidelines
from annotator.ui.common.markdown_view import MarkdownView
from annotator.ui.main_window import MainWindow


def view_of(window: MainWindow) -> MarkdownView:
    view = window.findChild(MarkdownView, "guidelinesView")
    assert isinstance(view, MarkdownView)
    return view


def test_the_shipped_guidelines_show_in_a_dock(qtbot, window: MainWindow) -> None:
    dock = window.findChild(QDockWidget, "guidelinesDock")
    assert isinstance(dock, QDockWidget) and not dock.isVisible()
    window.actions_by_key["guidelines"].trigger()
    assert dock.isVisible()
    text = view_of(window).toPlainText()
    assert "who said what, when" in text
    assert "SOURCE" in text and "2027-SP" in default_guidelines()
    assert "**" not in text  # rendered, not shown as Markdown source


def test_guidelines_of_a_database_load_nothing_from_outside(tmp_path) -> None:
    """Rendered in a process of its own with 2 GB of address space: if the view read
    file:///dev/zero, the process would die instead of the test suite."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from annotator.ui.app import application\n"
        "from annotator.ui.common.markdown_view import MarkdownView\n"
        "app = application()\n"
        "view = MarkdownView()\n"
        "view.show_markdown(sys.stdin.read())\n"
        "view.resize(500, 400); view.show(); app.processEvents()\n"
        "print(view.resources_asked, view.toPlainText().replace(chr(0xFFFC), '[]'))\n"
    )
    hostile = (
        "# Our rules\n\n![x](file:///dev/zero) <img src='file:///dev/zero'> "
        "[a link](file:///etc/passwd)\n\nMark **every** minister."
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=hostile,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    asked, _, text = done.stdout.partition(" ")
    assert int(asked) >= 1  # the image was asked for, and given nothing
    assert "Our rules" in text and "every minister" in text
    assert "<img src='file:///dev/zero'>" in text  # raw HTML stays text


def test_each_database_keeps_its_own_guidelines(qtbot, window: MainWindow) -> None:
    save_guidelines(window.db, text="# House rules\n\nMark every minister.")
    window.actions_by_key["guidelines"].trigger()
    assert "House rules" in view_of(window).toPlainText()
    save_guidelines(window.db, text="  ")
    assert guidelines_text(window.db) == default_guidelines()
