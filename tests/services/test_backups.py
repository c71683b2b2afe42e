"""Rolling backups: made when the database changed, thinned by age, restored with the replaced
file kept, and offered when the file at the database path cannot be read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import annotator.services.backups as backups_module
from annotator.domain.errors import DatabaseError
from annotator.domain.model import DocumentMeta
from annotator.services.backups import (
    BackupError,
    backup_folder,
    backup_if_changed,
    backups_to_keep,
    find_backup,
    list_backups,
    restore_backup,
)
from annotator.services.database import open_database
from annotator.services.documents import add_document, list_documents
from annotator.services.library import delete_documents

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _add(db_path: Path, title: str) -> None:
    db = open_database(db_path)
    try:
        add_document(db, text=f"The text of {title}.", meta=DocumentMeta(title=title))
    finally:
        db.dispose()


def _titles(db_path: Path) -> list[str]:
    db = open_database(db_path)
    try:
        return sorted(d.title for d in list_documents(db))
    finally:
        db.dispose()


def test_thinning_keeps_the_newest_then_hourly_daily_and_weekly() -> None:
    # Every ten minutes for the last three hours, hourly for three days, daily for 90 days.
    times = [NOW - timedelta(minutes=10 * i) for i in range(18)]
    times += [NOW - timedelta(hours=h, minutes=30) for h in range(3, 72)]
    times += [NOW - timedelta(days=d, hours=1) for d in range(3, 90)]
    keep = backups_to_keep(times, NOW, newest=5)
    ordered = sorted(times, reverse=True)
    assert set(ordered[:5]) <= keep  # the newest few, whatever their hour
    # The last three hours: the newest five, then the newest of each hour.
    recent = sorted((t for t in keep if NOW - t < timedelta(hours=3)), reverse=True)
    assert [f"{t:%H:%M}" for t in recent] == ["12:00", "11:50", "11:40", "11:30", "11:20",
                                              "10:50", "09:50"]  # fmt: skip
    # Then one an hour for the rest of the day: 23:30 back to 12:30 of the day before.
    day = [t for t in keep if timedelta(hours=3) <= NOW - t <= timedelta(days=1)]
    assert sorted(NOW - t for t in day) == [timedelta(hours=h, minutes=30) for h in range(3, 24)]
    week = [t for t in keep if timedelta(days=1) < NOW - t <= timedelta(days=7)]
    assert len({t.date() for t in week}) == len(week)  # at most one a day
    assert {t.date() for t in week} == {(NOW - timedelta(days=d)).date() for d in range(2, 7)}
    older = [t for t in keep if timedelta(days=7) < NOW - t]
    assert len({t.isocalendar()[:2] for t in older}) == len(older)  # at most one a week
    assert min(older) >= NOW - timedelta(weeks=9)  # none older than about two months
    assert len(older) >= 7


def test_thinning_keeps_the_newest_few_however_old() -> None:
    times = [NOW - timedelta(days=200 + d) for d in range(8)]
    assert backups_to_keep(times, NOW, newest=3) == set(sorted(times)[-3:])


def test_backup_on_open_and_only_after_a_change(db_path: Path) -> None:
    _add(db_path, "First")
    db = open_database(db_path)
    try:
        first = backup_if_changed(db)
        assert first is not None and first.path.parent == backup_folder(db_path)
        assert backup_if_changed(db) is None  # nothing changed
        add_document(db, text="A second text.", meta=DocumentMeta(title="Second"))
        second = backup_if_changed(db)
        assert second is not None
    finally:
        db.dispose()
    # Closing wrote the log into the file: the same content, so no new backup.
    assert backup_if_changed(db_path) is None
    assert [b.path for b in list_backups(db_path)] == [first.path, second.path]


def test_opening_an_unchanged_database_again_copies_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of a big database takes seconds and reads the whole file: a start on a database
    that did not change since its last backup (whose program wrote and closed, and which a
    new program then opens) must not make one."""
    _add(db_path, "First")
    db = open_database(db_path)
    try:
        assert backup_if_changed(db) is not None
        add_document(db, text="A second text.", meta=DocumentMeta(title="Second"))
        assert backup_if_changed(db) is not None  # what the window does every few minutes
    finally:
        db.dispose()  # the last close writes the log into the file and removes it

    copies: list[Path] = []
    real_copy = backups_module._copy_database

    def counted(source: Path, dest: Path, cancelled: object = None) -> None:
        copies.append(dest)
        real_copy(source, dest, None)

    monkeypatch.setattr(backups_module, "_copy_database", counted)
    for _ in range(2):  # a start, and the one after it
        db = open_database(db_path)
        try:
            assert _titles(db_path) == ["First", "Second"]
            assert backup_if_changed(db) is None
        finally:
            db.dispose()
    assert copies == []
    # A change is still seen, after a close as while open.
    _add(db_path, "Third")
    assert backup_if_changed(db_path) is not None
    assert len(copies) == 1


def test_restore_brings_the_rows_back_and_keeps_the_replaced_file(db_path: Path) -> None:
    _add(db_path, "Kept")
    made = backup_if_changed(db_path)
    assert made is not None
    db = open_database(db_path)
    try:
        delete_documents(db, document_ids=[d.id for d in list_documents(db)])
        add_document(db, text="Written after the backup.", meta=DocumentMeta(title="Later"))
        # Restored under an open database: its connections see the restored rows.
        kept = restore_backup(db_path, made.path)
        assert sorted(d.title for d in list_documents(db)) == ["Kept"]
    finally:
        db.dispose()
    assert kept is not None and kept in list_backups(db_path)
    assert _titles(db_path) == ["Kept"]
    restore_backup(db_path, kept.path)  # the restore undone
    assert _titles(db_path) == ["Later"]


def test_restore_replaces_a_damaged_file_and_keeps_it_aside(db_path: Path) -> None:
    _add(db_path, "Kept")
    made = backup_if_changed(db_path)
    assert made is not None
    db_path.write_bytes(b"not a database at all" * 100)
    kept = restore_backup(db_path, find_backup(db_path, "latest").path)
    assert _titles(db_path) == ["Kept"]
    assert kept is not None and kept.path.read_bytes().startswith(b"not a database")


def test_a_damaged_backup_is_refused_before_anything_changes(db_path: Path) -> None:
    _add(db_path, "Kept")
    broken = db_path.with_name("broken.sqlite3")
    broken.write_bytes(b"garbage" * 1000)
    with pytest.raises(BackupError, match=r"broken\.sqlite3 cannot be restored"):
        restore_backup(db_path, broken)
    assert _titles(db_path) == ["Kept"]
    assert list_backups(db_path) == []


def test_a_damaged_file_at_the_path_names_its_newest_backup(db_path: Path) -> None:
    _add(db_path, "Kept")
    made = backup_if_changed(db_path)
    assert made is not None
    db_path.write_bytes(b"\x00garbage" * 2000)
    with pytest.raises(DatabaseError) as caught:
        open_database(db_path)
    message = str(caught.value)
    assert f"{db_path} is damaged or not an annotator database" in message
    assert str(made.path) in message
    assert "annotator backup restore latest" in message and "\n" not in message


def test_a_backup_is_found_by_the_time_list_prints(db_path: Path) -> None:
    _add(db_path, "One")
    early = backup_if_changed(db_path, NOW - timedelta(hours=2))
    _add(db_path, "Two")
    late = backup_if_changed(db_path, NOW)
    assert early is not None and late is not None
    assert find_backup(db_path, "2026-12-07 10:00").path == early.path
    assert find_backup(db_path, "latest").path == late.path
    assert find_backup(db_path, str(early.path)).path == early.path
    with pytest.raises(BackupError, match="2 backups"):
        find_backup(db_path, "2026-12-07")
    with pytest.raises(BackupError, match="no backup"):
        find_backup(db_path, "2025")


def test_another_programs_database_is_refused_untouched(db_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="another program: moz_places"):
        open_database(db_path)
    assert db_path.read_bytes() == before
