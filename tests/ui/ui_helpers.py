"""Helpers for GUI tests: read the database file directly, select like a user."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QTextCursor

from annotator.ui.main_window import MainWindow


@dataclass(frozen=True)
class Row:
    id: int
    start: int
    end: int
    label: str
    quote: str


def stored_spans(path: Path) -> list[Row]:
    """The spans as the database file holds them, read with plain sqlite3 (not the app)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            'SELECT s.id, s.start, s."end", l.name, s.quote FROM spans s '
            "JOIN labels l ON l.id = s.label_id ORDER BY s.start, s.id"
        ).fetchall()
    return [Row(*r) for r in rows]


def select_utf16(win: MainWindow, start: int, end: int) -> None:
    """Select Qt positions as a user's drag would, without going through the app's helpers."""
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    win.article.setTextCursor(cursor)


def find(win: MainWindow, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point range of the nth occurrence of needle in the open document."""
    text = win.article.text
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return at, at + len(needle)
