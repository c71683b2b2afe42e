"""Persistence: the only package that imports SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.store.repository import Repository

__all__ = ["Database", "Repository"]


def __getattr__(name: str) -> object:
    # The repository loads its queries and the ORM models with it: a command that only reads
    # the overview (`annotator list`) never needs them, so they load on first use.
    if name == "Repository":
        from annotator.store.repository import Repository

        return Repository
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
