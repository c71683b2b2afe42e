"""Engine set-up: SQLite by default, PostgreSQL by URL; migrations to head on open."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from annotator.domain.errors import DatabaseError, NewerSchemaError
from annotator.store.failures import SQLITE_READONLY, database_failure, sqlite_code
from annotator.store.overview import Overview

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

    from annotator.store.repository import Repository

BUSY_TIMEOUT_MS = 15_000
"""How long a write waits for another program's. SQLite's busy handler polls, up to every
100 ms, so a writer beside a program that commits in a tight loop (two windows labelling
fast) can wait several seconds for a gap; 5 s was seen to run out there."""

CHANGES_CHANNEL = "annotator_changes"
"""The PostgreSQL channel every writing transaction notifies at its commit."""

# Execution option that makes an SQLite transaction take the write lock at its BEGIN.
_BEGIN = "annotator_begin"
_IMMEDIATE = {_BEGIN: "IMMEDIATE"}

# What every SQLite connection must read back after start-up (see `_check_sqlite_pragmas`).
SQLITE_PRAGMAS: dict[str, int | str] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def to_url(target: str | Path) -> URL:
    """A database URL from a URL string or a path to an SQLite file."""
    text = str(target)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise DatabaseError(f"not a database URL: {text!r}") from exc
        if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser()))


def _install_sqlite_hooks(engine: Engine) -> None:
    # pysqlite opens transactions on its own, before PRAGMAs can run, and ignores BEGIN we do
    # not emit; SQLAlchemy's documented recipe: take over transaction control completely.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Only takes effect in a database without tables (a new one); `Database.upgrade`
        # converts older files once. Deleting documents then gives their pages back to the file
        # (`Repository.reclaim_free_pages`) instead of leaving it at its largest size forever.
        # Set only when it differs: setting it writes the file's header even when nothing
        # changes, and a transaction of another connection that has read and then writes
        # fails at once ("database is locked") when a thread opens a new connection meanwhile.
        if cur.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            cur.execute("PRAGMA auto_vacuum = INCREMENTAL")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()
        _check_sqlite_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        raw = conn.connection.driver_connection
        assert raw is not None  # a live connection always has its driver connection
        if conn.get_execution_options().get(_BEGIN) == "IMMEDIATE":
            # A transaction that will write takes the lock now, waiting up to the busy
            # timeout for another writer. A deferred one that reads first and then writes
            # fails at once when another connection wrote meanwhile: SQLite cannot wait
            # there without risking a deadlock, so the timeout never applies.
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if sqlite_code(exc) != SQLITE_READONLY:
                    raise
                # A read-only file or connection: reading still works, and the first write
                # fails with the reason.
        raw.execute("BEGIN")


def read_sqlite_pragmas(dbapi_conn: sqlite3.Connection) -> dict[str, int | str]:
    """The pragmas that matter for durability and integrity, as the connection reports them."""
    values: dict[str, int | str] = {}
    for name in SQLITE_PRAGMAS:
        row = dbapi_conn.execute(f"PRAGMA {name}").fetchone()
        values[name] = row[0] if row else ""
    return values


def _check_sqlite_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    values = read_sqlite_pragmas(dbapi_conn)
    wanted = dict(SQLITE_PRAGMAS)
    # An in-memory database cannot use WAL; everything else must hold there too.
    if values["journal_mode"] == "memory":
        wanted["journal_mode"] = "memory"
    if values != wanted:
        raise DatabaseError(f"SQLite did not accept the required settings: {values} != {wanted}")


def _enable_incremental_vacuum(raw: Any) -> None:
    """Switch a database made before auto_vacuum was set to incremental: a one-time VACUUM
    (outside any transaction), which rewrites the file."""
    mode = raw.execute("PRAGMA auto_vacuum").fetchone()
    if mode is not None and mode[0] != 2:
        try:
            raw.execute("PRAGMA auto_vacuum = INCREMENTAL")
            raw.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # busy (another program has it open): the file only stays larger; next time


# The newest migration. Opening a database already there skips Alembic, whose script loading
# costs a third of a second at every start; tests/store/test_store_migrations.py keeps this
# equal to the head of annotator/store/migrations/versions.
HEAD_REVISION = "0007"


def _alembic_config(url: URL) -> Config:
    # Alembic loads on first use: a database already at head never needs it (HEAD_REVISION).
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("annotator.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.render_as_string(hide_password=False))
    return cfg


def _json_loads(value: str) -> Any:
    """JSON columns as Python values; the empty object most spans store costs no parsing
    (reading a document of 10,000 spans spent half its time decoding "{}")."""
    return {} if value == "{}" else json.loads(value)


class Database:
    """One database: an engine, its sessions, and its schema kept at the migrations' head."""

    def __init__(self, target: str | Path, *, upgrade: bool = True) -> None:
        self.url = to_url(target)
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (
            None,
            "",
            ":memory:",
        ):
            folder = Path(self.url.database or "").parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create the folder {folder}: {exc.strerror}") from exc
        self.engine = create_engine(
            self.url,
            pool_pre_ping=self.url.get_backend_name() != "sqlite",
            json_deserializer=_json_loads,
        )
        if self.url.get_backend_name() == "sqlite":
            _install_sqlite_hooks(self.engine)
        # Made on first use: the ORM (sessions, models, repository) is a good part of a
        # command's start-up, and `overview` reads without it.
        self._session_makers: dict[bool, sessionmaker[Session]] = {}
        if upgrade:
            self.upgrade()

    @property
    def postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def display_name(self) -> str:
        """The URL without its password, for titles and messages."""
        return self.url.render_as_string(hide_password=True)

    @property
    def described(self) -> str:
        """How messages name this database: its file for SQLite, its URL otherwise."""
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (
            None,
            "",
            ":memory:",
        ):
            return f"the database file {self.url.database}"
        return f"the database {self.display_name}"

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """Turn failures the user can act on (busy, full, read-only, damaged) into errors
        that name the database; anything else is a bug and keeps its exception."""
        try:
            yield
        except (DBAPIError, sqlite3.Error) as exc:
            failure = database_failure(exc, self.described)
            if failure is None:
                raise
            raise failure from exc

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to the newest migration; a new database gets the whole schema.

        `revision` stops at an older migration (tests of the migrations themselves).
        """
        sqlite = self.url.get_backend_name() == "sqlite"
        try:
            with self._failures(), self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None  # a live connection always has its driver connection
                stored = self._stored_revision(conn)
                if revision == "head" and stored == HEAD_REVISION:
                    if sqlite:
                        _enable_incremental_vacuum(raw)
                    return
                if stored is not None:
                    self._refuse_unknown_revision(stored)
                # Two programs opening a new file at once: the second waits for the first's
                # migrations, then finds nothing left to do.
                conn.execution_options(**_IMMEDIATE)
                if sqlite:
                    # SQLite batch migrations rebuild tables; with foreign keys on, dropping the
                    # old table would cascade-delete children. The pragma only works outside a
                    # transaction, so set it on the driver connection before Alembic begins.
                    raw.execute("PRAGMA foreign_keys = OFF")
                try:
                    with conn.begin():
                        cfg = _alembic_config(self.url)
                        cfg.attributes["connection"] = conn
                        from alembic import command

                        command.upgrade(cfg, revision)
                        if sqlite:
                            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                            if broken:
                                raise DatabaseError(
                                    f"migration left rows with broken references: {broken[:5]}"
                                )
                finally:
                    if sqlite:
                        raw.execute("PRAGMA foreign_keys = ON")
                if sqlite:
                    _enable_incremental_vacuum(raw)
        except (OperationalError, SADatabaseError) as exc:
            raise DatabaseError(f"cannot open {self.described}: {exc.orig or exc}") from exc

    def _stored_revision(self, conn: Connection) -> str | None:
        """The revision the database says it is at, or None (new, or not ours)."""
        try:
            with conn.begin():
                rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except (OperationalError, SADatabaseError) as exc:
            if database_failure(exc, self.described) is not None:
                raise  # busy, damaged...: not a new database
            return None
        return rows[0][0] if len(rows) == 1 else None

    def _refuse_unknown_revision(self, stored: str) -> None:
        """A revision none of our migrations has: a newer program made this database, and
        migrating from what we know would damage it."""
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config(self.url))
        if stored not in {rev.revision for rev in script.walk_revisions()}:
            raise NewerSchemaError(
                f"{self.described} was made by a newer version of annotator (schema "
                f"revision {stored!r}, this version knows up to {HEAD_REVISION!r}); "
                "update annotator to open it"
            )

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(_alembic_config(self.url)).get_current_head()

    def _session(self, *, writing: bool) -> Session:
        """A new session; one that will write takes the write lock at its BEGIN on SQLite."""
        maker = self._session_makers.get(writing)
        if maker is None:
            from sqlalchemy.orm import sessionmaker

            engine = self.engine.execution_options(**_IMMEDIATE) if writing else self.engine
            maker = self._session_makers[writing] = sessionmaker(engine, expire_on_commit=False)
        return maker()

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        On SQLite it takes the write lock at its start (BEGIN IMMEDIATE) and waits up to the
        busy timeout while another program writes. A failure the user can act on (busy, disk
        full, read-only, damaged) raises a `DatabaseError` subclass naming the database.
        """
        from annotator.store.repository import Repository

        with self._failures():
            session = self._session(writing=True)
            try:
                with session.begin():
                    yield Repository(session)
                    if self.postgresql:
                        # Delivered at commit to every window LISTENing (see changes.py);
                        # nothing is sent when the transaction rolls back.
                        session.execute(
                            text("SELECT pg_notify(:channel, '')"), {"channel": CHANGES_CHANNEL}
                        )
            finally:
                session.close()

    @contextmanager
    def reading(self) -> Iterator[Repository]:
        """A unit of work that only reads: it never waits for or blocks a writer.

        A write in it may fail at once as busy when another program writes; use
        `transaction` for anything that writes.
        """
        from annotator.store.repository import Repository

        with self._failures():
            session = self._session(writing=False)
            try:
                with session.begin():
                    yield Repository(session)
            finally:
                session.close()

    @contextmanager
    def overview(self) -> Iterator[Overview]:
        """Reads the corpus at a glance (labels, documents with span counts) in one read-only
        unit of work, with Core statements only: a command that prints it and exits loads
        neither the ORM nor the models."""
        with self._failures(), self.engine.connect() as conn, conn.begin():
            yield Overview(conn)

    def dispose(self) -> None:
        self.engine.dispose()
