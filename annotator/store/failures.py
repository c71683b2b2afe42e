"""Database failures the user can act on, turned into named errors that say which database.

SQLite reports them as `sqlite3.OperationalError` / `sqlite3.DatabaseError` with a result code
(SQLAlchemy wraps them; the driver's exception is its `orig`); PostgreSQL as an SQLSTATE. Anything
else (a constraint, a syntax error) is a bug and keeps its own exception.
"""

from __future__ import annotations

import sqlite3
import sys

from sqlalchemy.exc import DBAPIError

from annotator.domain.errors import (
    DatabaseBusyError,
    DatabaseConnectionError,
    DatabaseCorruptError,
    DatabaseError,
    DatabaseFullError,
    DatabaseReadOnlyError,
)

# SQLite's primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

# PostgreSQL's SQLSTATEs for the same situations.
PG_DISK_FULL = "53100"
PG_READ_ONLY_TRANSACTION = "25006"
PG_LOCK_NOT_AVAILABLE = "55P03"
# Connection exceptions (class 08), and the server shutting down or restarting under us.
PG_CONNECTION_CLASS = "08"
PG_SHUTDOWN = ("57P01", "57P02", "57P03")


def _connection_lost(exc: BaseException, state: str | None) -> bool:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if state is not None:
        return state.startswith(PG_CONNECTION_CLASS) or state in PG_SHUTDOWN
    # psycopg reports a refused or broken connection without an SQLSTATE. It is imported by
    # SQLAlchemy when a PostgreSQL URL is opened, never before (it costs every command's
    # start-up a quarter of a second): without it, no error is one of its errors.
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(orig, psycopg.OperationalError)


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind an exception, or None if it carries none."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(orig, sqlite3.Error):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _sqlstate(exc: BaseException) -> str | None:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def _detail(exc: BaseException) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def database_failure(exc: BaseException, what: str) -> DatabaseError | None:
    """The error to show for `exc`, or None when it is not a failure the user can act on.

    `what` names the database in the message ("the database file /home/me/annotations.db").
    """
    code = sqlite_code(exc)
    state = _sqlstate(exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or state == PG_LOCK_NOT_AVAILABLE:
        return DatabaseBusyError(
            f"{what} is busy: another program is writing to it; try again in a moment"
        )
    if code is None and _connection_lost(exc, state):
        return DatabaseConnectionError(
            f"{what} cannot be reached (the server restarted or the network is down): "
            f"nothing was saved; try again once it is back ({_detail(exc)})"
        )
    if code == SQLITE_FULL or state == PG_DISK_FULL:
        return DatabaseFullError(
            f"{what} cannot grow: the disk is full; nothing was saved. Free some space and "
            "try again"
        )
    if code in (SQLITE_READONLY, SQLITE_PERM) or state == PG_READ_ONLY_TRANSACTION:
        return DatabaseReadOnlyError(
            f"{what} is read-only: nothing can be saved to it. Check that you may write to "
            "the file and its folder"
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        # The driver's reason comes last, after ": ", where callers that offer backups find it.
        return DatabaseCorruptError(f"{what} is damaged or is not a database: {_detail(exc)}")
    if code == SQLITE_IOERR:
        return DatabaseError(
            f"{what} cannot be read or written: the disk reports an error ({_detail(exc)})"
        )
    if code == SQLITE_CANTOPEN:
        return DatabaseError(f"{what} cannot be opened ({_detail(exc)})")
    return None
