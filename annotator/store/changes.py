"""Seeing what other programs wrote: two windows on one SQLite file, or the command line
importing while a window is open.

SQLite's `PRAGMA data_version` changes on a connection whenever another connection committed
since the last time it was asked, and costs a few microseconds: the window asks every second or
two and reads the open document again only then. It must be asked on one connection kept open
for the purpose (the pool's connections come and go). PostgreSQL has no such counter; there the
watch reports nothing and each window sees the others' changes when it opens a document.
"""

from __future__ import annotations

import sqlite3

from annotator.store.database import Database


class ChangeWatch:
    def __init__(self, db: Database) -> None:
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        path = db.url.database if db.url.get_backend_name() == "sqlite" else None
        if path and path != ":memory:":
            # Read-write but never written through: a read-only connection to a WAL file fails
            # when its -shm file is missing.
            self._conn = sqlite3.connect(path, check_same_thread=False)
            self._version = self._read()

    @property
    def active(self) -> bool:
        return self._conn is not None

    def _read(self) -> int | None:
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row else None

    def changed(self) -> bool:
        """Whether anyone committed since the last call (this program's other connections
        count too: the caller compares what it shows with what is stored)."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
