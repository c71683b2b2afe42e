"""Rolling backups of an SQLite database, made with SQLite's online backup API.

Backups live beside the database file, in `<file>.backups/`, one file a backup, named by the UTC
time it was made (`20261207T112512.123456Z.sqlite3`). A new backup is written only when the
database changed since the last one, then the folder is thinned (`backups_to_keep`): the newest
few, then one an hour for a day, one a day for a week, one a week for about two months.

PostgreSQL databases are not backed up here: their server has its own tools (pg_dump).
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.domain.errors import AnnotatorError, DatabaseError
from annotator.store import Database

BUSY_TIMEOUT_S = 5.0
STEP_PAGES = 1024
"""Pages copied a step (4 MB at the default page size): a cancel waits at most one step."""
KEEP_NEWEST = 5
HOURLY_FOR = timedelta(days=1)
DAILY_FOR = timedelta(days=7)
WEEKLY_FOR = timedelta(weeks=9)

_NAME = re.compile(r"^(\d{8}T\d{6})\.(\d{6})Z\.sqlite3$")
_FINGERPRINT = ".last-backup.json"


@dataclass(frozen=True)
class Backup:
    when: datetime  # UTC
    path: Path
    size: int


class BackupError(AnnotatorError):
    """A backup that cannot be made, found or restored."""


def sqlite_file(target: str | Path | Database) -> Path | None:
    """The SQLite file of a database or a `--db` value; None for a server (PostgreSQL) or an
    in-memory database."""
    if isinstance(target, Database):
        if target.url.get_backend_name() != "sqlite":
            return None
        name = target.url.database or ""
    else:
        name = str(target)
        if "://" in name:
            if not name.startswith("sqlite"):
                return None
            name = name.partition(":///")[2]
    if name in ("", ":memory:"):
        return None
    return Path(name).expanduser()


def backup_folder(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".backups")


def list_backups(db_file: Path) -> list[Backup]:
    """The backups of this database file, oldest first."""
    folder = backup_folder(db_file)
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        when = _time_of(path.name)
        if when is not None:
            try:
                size = path.stat().st_size
            except OSError:
                continue
            found.append(Backup(when, path, size))
    return sorted(found, key=lambda b: b.when)


def _time_of(name: str) -> datetime | None:
    match = _NAME.match(name)
    if match is None:
        return None
    stamp = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return stamp.replace(microsecond=int(match[2]))


def _name_of(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ") + ".sqlite3"


def backups_to_keep(
    times: Iterable[datetime], now: datetime, *, newest: int = KEEP_NEWEST
) -> set[datetime]:
    """Which backup times to keep: the `newest` few, then the newest of each hour for a day, of
    each day for a week and of each week for about two months; older ones go."""
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[:newest])
    seen: set[tuple[str, object]] = set()
    for when in ordered:
        age = now - when
        buckets: list[tuple[str, object]] = []
        if age <= HOURLY_FOR:
            buckets.append(("hour", when.replace(minute=0, second=0, microsecond=0)))
        if age <= DAILY_FOR:
            buckets.append(("day", when.date()))
        if age <= WEEKLY_FOR:
            buckets.append(("week", when.isocalendar()[:2]))
        for bucket in buckets:
            if bucket not in seen:  # newest first: the first one met is the bucket's newest
                seen.add(bucket)
                keep.add(when)
    return keep


def thin_backups(db_file: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups `backups_to_keep` lets go; the deleted paths."""
    backups = list_backups(db_file)
    keep = backups_to_keep([b.when for b in backups], now or datetime.now(UTC))
    gone: list[Path] = []
    for backup in backups:
        if backup.when not in keep:
            backup.path.unlink(missing_ok=True)
            gone.append(backup.path)
    return gone


def _fingerprint(db_file: Path) -> list[int]:
    """Sizes and modification times of the file and its write-ahead log: a commit changes them.

    An empty log counts as no log: SQLite makes a new empty one each time a program opens the
    database and removes it at the last close, so its times say nothing about the content."""
    values: list[int] = []
    for path in (db_file, db_file.with_name(db_file.name + "-wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            values += [-1, -1]
            continue
        values += [stat.st_size, stat.st_mtime_ns] if stat.st_size else [-1, -1]
    return values


def _unchanged(seen: list[int], recorded: list[int]) -> bool:
    """Whether the database holds what it held when `recorded` was taken.

    The same file and log; or the same file and no log any more: the log's frames were all in
    the file then (the backup checkpoints first, `_settle`), and a commit since would have
    reached the file when the last program closed it and removed the log."""
    return seen == recorded or (seen[:2] == recorded[:2] and seen[2:] == [-1, -1])


def _settle(db_file: Path) -> None:
    """Write the log's frames into the file (a passive checkpoint: it waits for no reader or
    writer and stops where one holds it back), so that the fingerprint taken next describes
    a file that holds everything: the checkpoint at the last close then has nothing to write,
    and the next start sees the file as it was backed up."""
    try:
        conn = _connect(db_file)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # busy or not a database: the copy says why, if it must be made


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    return conn


class BackupCancelledError(BackupError):
    """The backup was stopped before it finished (the window closed); nothing was kept."""


def _copy_database(source: Path, dest: Path, cancelled: Callable[[], bool] | None = None) -> None:
    """A consistent copy of a live database (its log included), through the backup API, written
    under a temporary name and moved into place.

    The copy goes `STEP_PAGES` pages at a time inside one read transaction of its own
    connection: in WAL mode that is one snapshot for the whole copy (a commit by the app between
    two steps neither waits for the copy nor makes it start again), and between steps
    `cancelled` can stop it."""
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)

    def step_done(_status: int, _remaining: int, _total: int) -> None:
        if cancelled is not None and cancelled():
            raise BackupCancelledError(f"the backup of {source} was cancelled")

    src = _connect(source)
    try:
        out = sqlite3.connect(partial)
        try:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchall()  # the snapshot starts
            src.backup(out, pages=STEP_PAGES, progress=step_done)
            src.execute("COMMIT")
            # A backup is one file: no log beside it, whatever mode the database uses.
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot back up {source}: {exc}") from exc
    except BackupCancelledError:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    partial.replace(dest)


def backup_now(
    db_file: Path,
    now: datetime | None = None,
    *,
    thin: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Backup:
    """Back the database file up now (even if nothing changed) and thin the folder."""
    folder = backup_folder(db_file)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {folder}: {exc.strerror}") from exc
    when = now or datetime.now(UTC)
    dest = folder / _name_of(when)
    try:
        _copy_database(db_file, dest, cancelled)
    except OSError as exc:
        raise BackupError(f"cannot write the backup {dest}: {exc.strerror}") from exc
    if thin:
        thin_backups(db_file, when)
    return Backup(when, dest, dest.stat().st_size)


def backup_if_changed(
    db: Database | Path,
    now: datetime | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Backup | None:
    """Back the database up when it changed since its newest backup; the new backup, or None
    (unchanged, or not an SQLite file). A BackupError says why it could not (a full disk, a
    read-only folder); BackupCancelledError that `cancelled` stopped it.

    Cheap when nothing happened: the file's and its log's sizes and times are compared with
    those seen at the last backup (`_unchanged`), so that starting on an unchanged database
    copies nothing, however big. When they differ (a commit, or only a checkpoint) a copy is
    made and kept only if it differs from the newest backup.
    """
    db_file = db if isinstance(db, Path) else sqlite_file(db)
    if db_file is None or not db_file.exists():
        return None
    try:
        return _backup_if_changed(db_file, now, cancelled)
    except OSError as exc:  # thinning, comparing, the marker: the same disk, the same causes
        raise BackupError(f"cannot back up {db_file}: {exc.strerror or exc}") from exc


def _backup_if_changed(
    db_file: Path, now: datetime | None, cancelled: Callable[[], bool] | None
) -> Backup | None:
    marker = backup_folder(db_file) / _FINGERPRINT
    backups = list_backups(db_file)
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    seen = _fingerprint(db_file)
    if (
        backups
        and isinstance(recorded, dict)
        and recorded.get("file") == backups[-1].path.name
        and isinstance(recorded.get("fingerprint"), list)
        and len(recorded["fingerprint"]) == len(seen)
        and _unchanged(seen, recorded["fingerprint"])
    ):
        return None
    _settle(db_file)
    seen = _fingerprint(db_file)
    made: Backup | None = backup_now(db_file, now, thin=False, cancelled=cancelled)
    if made is not None and backups and filecmp.cmp(made.path, backups[-1].path, shallow=False):
        made.path.unlink()  # the same content as the newest one: a checkpoint, not a change
        made = None
    if made is not None:
        thin_backups(db_file, made.when)
    newest = list_backups(db_file)[-1]
    marker.write_text(json.dumps({"file": newest.path.name, "fingerprint": seen}), "utf-8")
    return made


def find_backup(db_file: Path, when: str) -> Backup:
    """The backup a user named: a path, `latest`, or a time as `backup list` prints it (any
    leading part: `2026-12-07 11:25` when only one backup starts so)."""
    backups = list_backups(db_file)
    if Path(when).is_file():
        path = Path(when)
        return Backup(_time_of(path.name) or datetime.now(UTC), path, path.stat().st_size)
    if not backups:
        raise BackupError(f"{db_file} has no backups (in {backup_folder(db_file)})")
    if when.strip().lower() in ("latest", "newest", "last"):
        return backups[-1]
    digits = re.sub(r"\D", "", when)
    matches = [b for b in backups if digits and re.sub(r"\D", "", b.path.name).startswith(digits)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise BackupError(f"no backup of {db_file} at {when!r}; see `annotator backup list`")
    raise BackupError(
        f"{len(matches)} backups of {db_file} match {when!r}; give more of the time "
        "(see `annotator backup list`)"
    )


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be restored: {exc}") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"{path} cannot be restored: it is damaged ({result[0]})")


def _readable(db_file: Path) -> bool:
    try:
        check_backup(db_file)
    except BackupError:
        return False
    return True


def restore_backup(db_file: Path, backup: Path, now: datetime | None = None) -> Backup | None:
    """Put a backup's content in the database file; the backup made of what it replaced (None
    when there was no file).

    The current file is first kept as a backup, so that a restore can be undone. A sound
    database is overwritten through the backup API, which takes its write lock (waiting for a
    writer that holds it) and leaves other connections consistent; a damaged or foreign file is
    moved aside into the backups as it is.
    """
    check_backup(backup)
    when = now or datetime.now(UTC)
    kept: Backup | None = None
    if db_file.exists() and _readable(db_file):
        kept = backup_now(db_file, when)
        try:
            src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            dest = _connect(db_file)
            try:
                src.backup(dest)
            finally:
                src.close()
                dest.close()
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore into {db_file}: {exc}") from exc
        return kept
    if db_file.exists():
        folder = backup_folder(db_file)
        folder.mkdir(exist_ok=True)
        aside = folder / _name_of(when)
        shutil.move(db_file, aside)
        kept = Backup(when, aside, aside.stat().st_size)
    for suffix in ("-wal", "-shm", "-journal"):
        db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
    try:
        _copy_database(backup, db_file)
    except OSError as exc:
        raise BackupError(f"cannot restore into {db_file}: {exc.strerror}") from exc
    return kept


def unreadable_message(db_file: Path, reason: str) -> str:
    """What to say when the file at the database path is damaged or not a database: its
    backups and how to restore one."""
    backups = list_backups(db_file)
    said = f"{db_file} is damaged or not an annotator database ({reason})"
    if not backups:
        return f"{said}; it has no backups in {backup_folder(db_file)}"
    newest = backups[-1]
    return (
        f"{said}; the newest backup is from {newest.when:%Y-%m-%d %H:%M:%S} UTC "
        f"({newest.path}): restore it with `annotator backup restore latest --db {db_file}`, "
        "or choose another with `annotator backup list`"
    )


def _foreign_tables(db_file: Path) -> list[str]:
    """The tables of an SQLite database made by another program (none of ours, no migration
    record): opening it would add our tables to someone else's file."""
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []  # unreadable: opening it says why
    names = sorted(str(row[0]) for row in rows)
    return [] if not names or "alembic_version" in names else names


def open_checked(target: str | Path) -> Database:
    """A Database, or a DatabaseError that offers the backups when the file is unreadable or
    another program's database."""
    db_file = sqlite_file(target)
    if db_file is not None and db_file.is_file() and (tables := _foreign_tables(db_file)):
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise DatabaseError(
            unreadable_message(db_file, f"an SQLite database of another program: {shown}")
        )
    try:
        return Database(target)
    except DatabaseError as exc:
        if db_file is None or not db_file.exists() or _readable(db_file):
            raise
        reason = str(exc).rpartition(": ")[2].strip()
        raise DatabaseError(unreadable_message(db_file, reason)) from exc
