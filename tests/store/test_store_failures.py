"""Failures of the database the user can act on: each raises a named error naming the file."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from db_faults import (
    DISK_FULL,
    READ_ONLY,
    on_every_connection,
    short_busy_timeout,
    write_lock_held,
)

from annotator.domain.errors import (
    DatabaseBusyError,
    DatabaseCorruptError,
    DatabaseFullError,
    DatabaseReadOnlyError,
    NewerSchemaError,
)
from annotator.domain.model import DocumentMeta
from annotator.store import Database

BIG = "An article long enough to need new pages. " * 50_000  # about 2 MB


def _titles(db: Database) -> list[str]:
    with db.transaction() as repo:
        return [d.title for d in repo.document_summaries()]


@pytest.fixture
def made(tmp_path: Path) -> Path:
    path = tmp_path / "made.sqlite3"
    db = Database(path)
    with db.transaction() as repo:
        repo.add_document(DocumentMeta(title="Kept"), "Already stored before anything failed.")
    db.dispose()
    return path


def test_a_writer_waits_for_a_lock_released_within_the_timeout(made: Path):
    db = Database(made)
    try:
        other = sqlite3.connect(made, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        releaser = threading.Timer(0.5, other.rollback)
        releaser.start()
        started = time.monotonic()
        with db.transaction() as repo:
            repo.add_document(DocumentMeta(title="After the wait"), "Written once it was free.")
        assert time.monotonic() - started >= 0.4  # it waited instead of failing at once
        releaser.join()
        other.close()
        assert _titles(db) == ["Kept", "After the wait"]
    finally:
        db.dispose()


def test_a_lock_held_past_the_timeout_is_a_busy_error_naming_the_file(
    made: Path, monkeypatch: pytest.MonkeyPatch
):
    short_busy_timeout(monkeypatch)
    db = Database(made)
    try:
        with (
            write_lock_held(made),
            pytest.raises(DatabaseBusyError) as caught,
            db.transaction() as repo,
        ):
            repo.add_document(DocumentMeta(title="Blocked"), "Never written.")
        assert str(made) in str(caught.value)
        assert "another program is writing" in str(caught.value)
        # Reading does not wait for the writer.
        with write_lock_held(made), db.reading() as repo:
            assert [d.title for d in repo.document_summaries()] == ["Kept"]
    finally:
        db.dispose()


def test_a_full_disk_refuses_writes_by_name_and_still_reads(made: Path):
    with on_every_connection(DISK_FULL):
        db = Database(made)
        try:
            with (
                pytest.raises(DatabaseFullError, match="disk is full") as caught,
                db.transaction() as repo,
            ):
                repo.add_document(DocumentMeta(title="Too big"), BIG)
            assert str(made) in str(caught.value)
            assert _titles(db) == ["Kept"]
        finally:
            db.dispose()


def test_a_read_only_file_refuses_writes_by_name_and_still_reads(made: Path):
    with on_every_connection(READ_ONLY):
        db = Database(made)
        try:
            assert _titles(db) == ["Kept"]
            with (
                pytest.raises(DatabaseReadOnlyError, match="read-only") as caught,
                db.transaction() as repo,
            ):
                repo.add_document(DocumentMeta(title="Refused"), "Not saved.")
            assert str(made) in str(caught.value)
        finally:
            db.dispose()


def test_garbage_at_the_path_is_a_damaged_file_error(tmp_path: Path):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"\x13not a database at all\x00" * 500)
    with pytest.raises(DatabaseCorruptError, match="damaged or is not a database") as caught:
        Database(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == b"\x13not a database at all\x00" * 500  # left as it was


def test_a_database_from_a_newer_version_is_refused_and_left_alone(made: Path):
    plain = sqlite3.connect(made)
    plain.execute("UPDATE alembic_version SET version_num = 'f00dcafe1234'")
    plain.commit()
    plain.close()
    with pytest.raises(NewerSchemaError, match="newer version of annotator") as caught:
        Database(made)
    assert str(made) in str(caught.value)
    assert "f00dcafe1234" in str(caught.value)
    plain = sqlite3.connect(made)
    try:
        assert plain.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("f00dcafe1234",)
        ]
        assert plain.execute("SELECT title FROM documents").fetchall() == [("Kept",)]
    finally:
        plain.close()


def test_a_transaction_that_reads_then_writes_is_not_refused_when_another_wrote_meanwhile(
    made: Path,
):
    """The window reads (is this span already there?) then writes; another program writing in
    between used to make SQLite refuse the write at once, whatever the busy timeout."""
    mine, theirs = Database(made), Database(made)
    theirs_done = threading.Event()

    def write_elsewhere() -> None:
        with theirs.transaction() as repo:
            repo.add_document(DocumentMeta(title="Theirs"), "Written by another program.")
        theirs_done.set()

    try:
        with mine.transaction() as repo:
            repo.document_summaries()
            other = threading.Thread(target=write_elsewhere)
            other.start()
            # Without the lock taken at BEGIN, the other program writes and commits here.
            theirs_done.wait(1.0)
            repo.add_document(DocumentMeta(title="Mine"), "Written after reading.")
        other.join()
        assert theirs_done.is_set()
        assert _titles(mine) == ["Kept", "Mine", "Theirs"]
    finally:
        mine.dispose()
        theirs.dispose()
