"""Persistence: the only package that imports SQLAlchemy."""

from annotator.store.database import Database
from annotator.store.repository import Repository

__all__ = ["Database", "Repository"]
