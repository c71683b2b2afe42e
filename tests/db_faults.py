"""Database failures injected for tests: a full disk, a read-only file, a lock held elsewhere.

Tests run as root in CI, where file permissions do not stop anything; SQLite's own limits stand
in for them: `max_page_count` for a full disk, `query_only` for a read-only file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from annotator.store import database

# The database cannot grow past the pages it has: every write that needs a new page fails
# with SQLITE_FULL ("database or disk is full"), as on a full disk.
DISK_FULL = "PRAGMA max_page_count = 1"
# Every write fails with SQLITE_READONLY, as on a file the user may not write.
READ_ONLY = "PRAGMA query_only = ON"


@contextmanager
def on_every_connection(sql: str) -> Iterator[None]:
    """Run `sql` on every SQLite connection this process opens while the block runs."""

    def run(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.execute(sql)

    event.listen(Engine, "connect", run)
    try:
        yield
    finally:
        event.remove(Engine, "connect", run)


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another program holds the file's write lock while the block runs."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.close()


def short_busy_timeout(monkeypatch: pytest.MonkeyPatch, ms: int = 300) -> None:
    """Wait `ms` instead of seconds for a lock, so a test of a lock held too long is quick."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", ms)
    monkeypatch.setitem(database.SQLITE_PRAGMAS, "busy_timeout", ms)
