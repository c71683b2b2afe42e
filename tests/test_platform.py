"""Platform facts the app depends on: the PySide6 pin and the layer contracts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# PySide6 6.12.0 on CPython 3.11 aborts with `none_dealloc` after a few thousand calls of a method
# that returns None. The loop below is what crashed; the pin in pyproject.toml keeps it away.
_NONE_RETURNING_LOOP = textwrap.dedent(
    """
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QTextCursor, QTextDocument
    from PySide6.QtWidgets import QApplication, QPlainTextEdit
    app = QApplication([])
    obj = QObject()
    doc = QTextDocument("some text to move a cursor through")
    cursor = QTextCursor(doc)
    view = QPlainTextEdit()
    for i in range(50_000):
        obj.setObjectName("n")
        cursor.setPosition(i % 10)
        view.setReadOnly(True)
    print("finished", flush=True)
    """
)


def test_none_returning_calls_do_not_crash_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _NONE_RETURNING_LOOP],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "finished"


def test_installed_pyside_is_not_the_release_that_crashes_here() -> None:
    if sys.version_info < (3, 12):
        assert version("PySide6-Essentials") != "6.12.0"


def test_layer_contracts_hold() -> None:
    """import-linter: only ui/ imports PySide6, only store/ imports SQLAlchemy, arrows down."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "lint-imports"),
            "--config",
            str(REPO / "pyproject.toml"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "5 kept, 0 broken" in result.stdout
