"""SQLite settings that durability and integrity depend on, and what a transaction means."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.domain.model import HighlightStyle
from annotator.domain.schema import LabelSpec
from annotator.store import Database

WANTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 15_000}


def _pragmas(cursor) -> dict[str, object]:
    values = {}
    for name in WANTED:
        cursor.execute(f"PRAGMA {name}")
        values[name] = cursor.fetchone()[0]
    return values


def _label_names(path: Path) -> list[str]:
    """What another program (a plain sqlite3 connection, outside the app) sees as committed."""
    plain = sqlite3.connect(path)
    try:
        return [row[0] for row in plain.execute("SELECT name FROM labels ORDER BY id")]
    finally:
        plain.close()


SPEC = LabelSpec("PLACE", "#009E73", None, HighlightStyle.BACKGROUND, "A place.")


class UserActionError(Exception):
    pass


@pytest.fixture
def db(db_path: Path):
    database = Database(db_path)
    yield database
    database.dispose()


def test_pooled_connection_has_durable_settings(db: Database):
    # The first pooled connection is the one the migrations ran on, which turned foreign keys
    # off for the duration: it must come back with them on.
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        assert _pragmas(cursor) == WANTED
        cursor.close()
    finally:
        raw.close()


def test_every_new_connection_gets_the_settings(db: Database):
    first = db.engine.raw_connection()
    second = db.engine.raw_connection()  # checked out together: a different connection
    try:
        assert first.driver_connection is not second.driver_connection
        for conn in (first, second):
            cursor = conn.cursor()
            assert _pragmas(cursor) == WANTED
            cursor.close()
    finally:
        first.close()
        second.close()


def test_settings_survive_reopening_the_file(db_path: Path):
    Database(db_path).dispose()
    again = Database(db_path)
    try:
        with again.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            assert _pragmas(raw.cursor()) == WANTED
    finally:
        again.dispose()


def test_database_file_is_in_wal_mode_for_other_programs(db: Database, db_path: Path):
    plain = sqlite3.connect(db_path)
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()


def test_transaction_commits_when_the_block_ends(db: Database, db_path: Path):
    with db.transaction() as repo:
        repo.add_label(SPEC, position=0)
        # Flushed but not committed: another connection must not see it yet. If pysqlite ran
        # in autocommit (no BEGIN), the row would already be visible here.
        assert _label_names(db_path) == []
    assert _label_names(db_path) == ["PLACE"]


def test_transaction_rolls_back_when_the_block_raises(db: Database, db_path: Path):
    with pytest.raises(UserActionError), db.transaction() as repo:
        repo.add_label(SPEC, position=0)
        assert [label.name for label in repo.labels()] == ["PLACE"]  # written in the block
        raise UserActionError
    assert _label_names(db_path) == []
    with db.transaction() as repo:
        assert repo.labels() == []


def test_foreign_keys_are_enforced_through_the_app(db: Database):
    # The pragma reading 1 is not the same as the database refusing an orphan.
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            raw.execute(
                'INSERT INTO spans (document_id, start, "end", label_id, quote, annotator_id,'
                " created, updated, attributes) VALUES (999, 0, 1, 999, 'x', 999, "
                "'2024-01-01', '2024-01-01', '{}')"
            )


def test_a_new_connection_does_not_break_a_transaction_that_read_and_then_writes(db: Database):
    """A background thread opening its first connection while the window is between reading
    and writing: the window's write must still go through (setting a pragma to the value it
    already has used to rewrite the file's header, and SQLite refused the write)."""
    import threading

    def read_elsewhere() -> None:
        db.engine.pool.dispose()  # the thread must open a connection of its own
        with db.reading() as repo:
            repo.labels()

    with db.transaction() as repo:
        repo.labels()
        reader = threading.Thread(target=read_elsewhere)
        reader.start()
        reader.join()
        repo.add_label(SPEC, position=9)
    with db.transaction() as repo:
        assert "PLACE" in [label.name for label in repo.labels()]
