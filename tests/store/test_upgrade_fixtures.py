"""Databases written by earlier versions of the app upgrade to head with every row intact.

tests/data/upgrades/NNNN.sqlite3 was written by the app as it was when NNNN was its newest
schema revision (tests/data/upgrades/make.py, run with that version's code). On SQLite the
file itself is upgraded, the way a user's database is on the first start of a new version.
On PostgreSQL a database is built at that revision by the migrations, filled with the same
rows, then upgraded.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, text
from sqlalchemy.sql import sqltypes

from annotator.services.database import open_database
from annotator.services.documents import list_documents, open_document
from annotator.store import Database

FIXTURES = sorted((Path(__file__).parents[1] / "data" / "upgrades").glob("*.sqlite3"))
SKIP_TABLES = ("alembic_version", "sqlite_sequence")


def user_tables(conn: sqlite3.Connection) -> list[str]:
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return [n for n in names if n not in SKIP_TABLES and not n.startswith("documents_fts")]


def sqlite_rows(path: Path) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table, by primary key (all columns when a table has none)."""
    with sqlite3.connect(path) as conn:
        tables: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
        for table in user_tables(conn):
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [c[1] for c in info]
            key = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] or columns
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            tables[table] = {
                tuple(dict(zip(columns, r, strict=True))[k] for k in key): dict(
                    zip(columns, r, strict=True)
                )
                for r in rows
            }
    return tables


def test_there_is_a_fixture_for_every_earlier_revision() -> None:
    head = Database("sqlite://", upgrade=False).head_revision()
    assert head is not None
    earlier = [f"{n:04d}" for n in range(1, int(head))]
    assert [f.stem for f in FIXTURES] == earlier


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_sqlite_database_of_an_earlier_version_upgrades_with_every_row(
    fixture: Path, tmp_path: Path
) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    before = sqlite_rows(path)
    assert sum(len(rows) for rows in before.values()) >= 15

    db = open_database(path)  # what the app does on its first start after an update
    try:
        assert db.current_revision() == db.head_revision()
        summaries = list_documents(db)
        assert len(summaries) == len(before["documents"]) >= 2
        for summary in summaries:
            document, spans = open_document(db, document_id=summary.id)
            assert all(document.text[s.start : s.end] == s.quote for s in spans)
    finally:
        db.dispose()

    after = sqlite_rows(path)
    for table, rows in before.items():
        assert table in after, f"{table} is gone"
        for key, row in rows.items():
            assert key in after[table], f"{table} row {key} is gone"
            kept = after[table][key]
            for column, value in row.items():
                if column in kept:
                    assert kept[column] == value, (table, key, column)


def _copy_rows(fixture: Path, db: Database) -> dict[str, int]:
    """Fill a PostgreSQL database (at the fixture's revision) with the fixture's rows."""
    counts: dict[str, int] = {}
    metadata = MetaData()
    with sqlite3.connect(fixture) as source, db.engine.begin() as conn:
        tables = user_tables(source)
        # Parents before children, from the foreign keys of the schema at that revision.
        metadata.reflect(conn, only=sorted(tables))
        for table in metadata.sorted_tables:
            name = table.name
            cursor = source.execute(f'SELECT * FROM "{name}"')
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
            for row in rows:
                for column in table.columns:
                    value = row.get(column.name)
                    if isinstance(value, int) and column.type.python_type is bool:
                        row[column.name] = bool(value)
                    elif isinstance(value, str) and isinstance(column.type, sqltypes.JSON):
                        row[column.name] = json.loads(value)  # SQLite keeps JSON as text
            if rows:
                conn.execute(insert(table), rows)
            counts[name] = len(rows)
            if "id" in table.columns:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
    return counts


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_postgresql_database_at_an_earlier_revision_upgrades_with_every_row(
    fixture: Path, pg_database_url: str
) -> None:
    old = Database(pg_database_url, upgrade=False)
    try:
        old.upgrade(fixture.stem)
        counts = _copy_rows(fixture, old)
    finally:
        old.dispose()
    expected = sqlite_rows(fixture)

    db = open_database(pg_database_url)
    try:
        assert db.current_revision() == db.head_revision()
        with db.engine.connect() as conn:
            for table, n in counts.items():
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() >= n
            spans = conn.execute(text('SELECT id, start, "end", quote FROM spans')).all()
        stored = {row.id: (row.start, row.end, row.quote) for row in spans}
        assert stored == {
            key[0]: (row["start"], row["end"], row["quote"])
            for key, row in expected["spans"].items()
        }
        for summary in list_documents(db):
            document, doc_spans = open_document(db, document_id=summary.id)
            assert all(document.text[s.start : s.end] == s.quote for s in doc_spans)
    finally:
        db.dispose()
