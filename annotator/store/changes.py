"""Seeing what other programs wrote: two windows on one database, or the command line
importing while a window is open.

SQLite: `PRAGMA data_version` changes on a connection whenever another connection committed
since the last time it was asked, and costs a few microseconds: the window asks every second or
two and reads the open document again only then. It must be asked on one connection kept open
for the purpose (the pool's connections come and go).

PostgreSQL: every writing transaction sends a NOTIFY on `CHANGES_CHANNEL`, delivered at its
commit (`Database.transaction`). The watch keeps its own connection LISTENing and looks for
arrived notifications without waiting (a non-blocking read of the socket), so it can be asked
several times a second. When the server cannot be reached (restarted, network gone) the watch
says so (`lost`) and tries again every few seconds; once back it reports a change, since
notifications sent meanwhile are gone.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import TYPE_CHECKING

from annotator.store.database import CHANGES_CHANNEL, Database

if TYPE_CHECKING:  # imported where a PostgreSQL watch starts: it costs start-up 0.3 s
    import psycopg

SQLITE_POLL_MS = 1500
POSTGRESQL_POLL_MS = 250
"""How often the window asks. A PostgreSQL poll reads only what already arrived on the socket
(no round trip), so four times a second costs nothing and shows others' edits within 1 s."""
RECONNECT_S = 2.0
"""How long a lost PostgreSQL watch waits between attempts to connect again."""
_CONNECT_TIMEOUT_S = 2
# Find a silently dead network within seconds rather than the kernel's two hours.
_KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 6000,
}


class ChangeWatch:
    def __init__(self, db: Database) -> None:
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._listen: psycopg.Connection[tuple[object, ...]] | None = None
        self._conninfo: str | None = None
        self._retry_at = 0.0
        self.lost = False
        """True while the PostgreSQL server cannot be reached (the watch keeps trying)."""
        path = db.url.database if db.url.get_backend_name() == "sqlite" else None
        if path and path != ":memory:":
            # Read-write but never written through: a read-only connection to a WAL file fails
            # when its -shm file is missing.
            self._conn = sqlite3.connect(path, check_same_thread=False)
            self._version = self._read()
        elif db.postgresql:
            self._conninfo = db.url.set(drivername="postgresql").render_as_string(
                hide_password=False
            )
            self._connect()

    @property
    def active(self) -> bool:
        return self._conn is not None or self._conninfo is not None

    @property
    def interval_ms(self) -> int:
        """How often `changed` should be asked."""
        return POSTGRESQL_POLL_MS if self._conninfo is not None else SQLITE_POLL_MS

    def _read(self) -> int | None:
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row else None

    def _connect(self) -> bool:
        """Open the LISTENing connection; False (and `lost`) when the server cannot be reached."""
        assert self._conninfo is not None
        import psycopg
        from psycopg.conninfo import make_conninfo

        try:
            conninfo = make_conninfo(
                self._conninfo, connect_timeout=_CONNECT_TIMEOUT_S, **_KEEPALIVE
            )
            conn = psycopg.connect(conninfo, autocommit=True)
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        except psycopg.Error:
            self.lost = True
            self._retry_at = time.monotonic() + RECONNECT_S
            return False
        self._listen = conn
        self.lost = False
        return True

    def _drop(self) -> None:
        import psycopg

        if self._listen is not None:
            with contextlib.suppress(psycopg.Error):
                self._listen.close()
            self._listen = None
        self.lost = True
        self._retry_at = time.monotonic() + RECONNECT_S

    def _notified(self) -> bool:
        if self._listen is None:
            if time.monotonic() < self._retry_at:
                return False
            # Back after a loss: what others wrote meanwhile was not notified here.
            return self._connect()
        import psycopg

        try:
            arrived = list(self._listen.notifies(timeout=0))
        except psycopg.Error:
            self._drop()
            return False
        if self._listen.closed or self._listen.broken:
            self._drop()
            return False
        return bool(arrived)

    def changed(self) -> bool:
        """Whether anyone committed since the last call (this program's other connections
        count too: the caller compares what it shows with what is stored)."""
        if self._conninfo is not None:
            return self._notified()
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._listen is not None:
            self._listen.close()
            self._listen = None
        self._conninfo = None
