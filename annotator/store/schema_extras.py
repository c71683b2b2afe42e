"""Database objects outside the models: full-text search, made per dialect by the migrations.

SQLite: the FTS5 table `documents_fts` (with its shadow tables `documents_fts_data`, `_idx`,
`_docsize`, `_config`) and the triggers that keep it in step with `documents`; since migration
0007 also `documents_fts_pending` (documents stored by an import and not indexed yet) and
`documents_fts_defer` (the flag an import sets, within its transaction, to leave its documents
pending).
PostgreSQL: the stored generated column `documents.search_vector` and its GIN index
`ix_documents_search`. The column is not mapped either, so the ORM never reads it.

A later SQLite batch migration that rebuilds `documents` drops the three `documents_fts_*`
triggers with the old table and must create them again (their SQL is in migration 0007).
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "documents_fts"
FTS_PENDING = f"{FTS_TABLE}_pending"
FTS_DEFER = f"{FTS_TABLE}_defer"
PG_SEARCH_INDEX = "ix_documents_search"
PG_SEARCH_COLUMN = "search_vector"


def is_search_object(name: str | None) -> bool:
    return name is not None and (
        name in (FTS_TABLE, PG_SEARCH_INDEX) or name.startswith(f"{FTS_TABLE}_")
    )


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name` hook: leave the search objects out of model comparisons."""
    if type_ in ("table", "index"):
        return not is_search_object(name)
    if type_ == "column":
        return not (name == PG_SEARCH_COLUMN and parent_names.get("table_name") == "documents")
    return True


def include_object_for(dialect: str) -> Any:
    """Alembic `include_object` hook for one dialect: leave out the models' indexes meant only
    for the other one (`info["dialect"]`, see the sort indexes in models.py)."""

    def include_object(
        obj: Any, _name: str | None, type_: str, reflected: bool, _compare_to: Any
    ) -> bool:
        if type_ == "index" and not reflected:
            only = obj.info.get("dialect")
            return only is None or only == dialect
        return True

    return include_object
