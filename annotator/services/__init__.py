"""Use cases shared by the CLI and the UI. Each takes the database and returns domain objects."""

from annotator.store import Database

__all__ = ["Database"]
