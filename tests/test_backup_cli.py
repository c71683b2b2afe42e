"""`annotator backup list|restore`, and the one line a damaged database file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.domain.model import DocumentMeta
from annotator.services.backups import backup_if_changed, list_backups
from annotator.services.database import open_database
from annotator.services.documents import add_document


def _add(db_path: Path, title: str) -> None:
    db = open_database(db_path)
    try:
        add_document(db, text=f"The text of {title}.", meta=DocumentMeta(title=title))
    finally:
        db.dispose()


def test_list_and_restore(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(db_path, "Before")
    first = backup_if_changed(db_path)
    assert first is not None
    _add(db_path, "After")
    assert main(["backup", "list", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"{first.when:%Y-%m-%d %H:%M:%S} UTC" in out and str(first.path) in out
    assert f"1 backup of {db_path}" in out

    assert main(["backup", "restore", f"{first.when:%Y-%m-%d %H:%M:%S}", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"restored {db_path} from {first.path}" in out
    assert main(["list", "--db", str(db_path)]) == 0
    listed = capsys.readouterr().out
    assert "Before" in listed and "After" not in listed
    # The replaced file is a backup now: restoring it undoes the restore.
    kept = list_backups(db_path)[-1]
    assert f"kept as the backup {kept.path}" in out
    assert main(["backup", "restore", str(kept.path), "--db", str(db_path)]) == 0
    assert main(["list", "--db", str(db_path)]) == 0
    assert "After" in capsys.readouterr().out


def test_restore_of_an_unknown_time_says_so(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(db_path, "Before")
    backup_if_changed(db_path)
    assert main(["backup", "restore", "1999-01-01", "--db", str(db_path)]) == 2
    assert "no backup of" in capsys.readouterr().err


def test_postgresql_is_not_backed_up_by_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "list", "--db", "postgresql://someone@server/corpus"]) == 0
    assert "pg_dump" in capsys.readouterr().out


def test_a_damaged_file_gets_one_line_that_offers_the_backups(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(db_path, "Before")
    backup_if_changed(db_path)
    db_path.write_bytes(b"\x13\x37 not SQLite" * 500)
    assert main(["list", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(db_path) in err and "annotator backup list" in err
    assert main(["backup", "restore", "latest", "--db", str(db_path)]) == 0
    assert main(["list", "--db", str(db_path)]) == 0
    assert "Before" in capsys.readouterr().out
