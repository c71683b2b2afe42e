"""Which database to open, and what a new database starts with."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from annotator import resources
from annotator.domain.model import Annotator, DocumentMeta
from annotator.domain.schema import DEFAULT_LABELS, DEFAULT_RELATION_TYPES
from annotator.domain.text import normalise_newlines
from annotator.store import Database

APP_NAME = "annotator"
DB_ENV = "ANNOTATOR_DB"
ANNOTATOR_ENV = "ANNOTATOR_NAME"


def default_database_path() -> Path:
    """The embedded SQLite file in the user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "annotator.sqlite3"


def resolve_database(db: str | None, environ: Mapping[str, str] | None = None) -> str:
    """`--db` wins, then `ANNOTATOR_DB`, then the default file."""
    env = os.environ if environ is None else environ
    if db:
        return db
    if env.get(DB_ENV):
        return env[DB_ENV]
    return str(default_database_path())


def default_annotator_name(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    if env.get(ANNOTATOR_ENV):
        return env[ANNOTATOR_ENV]
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):  # no user name in a container without a passwd entry
        return "annotator"


def open_database(target: str | Path, *, seed: bool = True) -> Database:
    """Open (creating and upgrading as needed) a database.

    A database without labels is new: with `seed` it gets the default schema and the demo
    article, in one transaction.
    """
    db = Database(target)
    if seed:
        seed_new_database(db)
    return db


def seed_new_database(db: Database) -> bool:
    """Give a new database the default labels and the demo article; False if it had labels."""
    with db.transaction() as repo:
        if repo.labels():
            return False
        labels = {
            spec.name: repo.add_label(spec, position=position).id
            for position, spec in enumerate(DEFAULT_LABELS)
        }
        for position, relation_type in enumerate(DEFAULT_RELATION_TYPES):
            repo.save_relation_type(
                name=relation_type.name,
                source_label_id=labels.get(relation_type.source_label or ""),
                target_label_id=labels.get(relation_type.target_label or ""),
                colour=relation_type.colour,
                description=relation_type.description,
                position=position,
            )
        demo = json.loads(resources.read_text("demo-article.json"))
        meta = DocumentMeta(
            title=demo["title"],
            source=demo["source"],
            url=demo["url"],
            author=demo["author"],
            published=demo["published"],
            language=demo["language"],
        )
        repo.add_document(meta, normalise_newlines(demo["text"]))
    return True


def ensure_annotator(db: Database, *, name: str) -> Annotator:
    """The annotator with this name, created on first use."""
    with db.transaction() as repo:
        return repo.annotator_named(name.strip() or "annotator")
