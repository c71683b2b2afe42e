"""Which database to open, and what a new database starts with."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from annotator.services.backups import open_checked
from annotator.store import Database

if TYPE_CHECKING:
    from annotator.domain.model import Annotator
    from annotator.store.changes import ChangeWatch

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


def open_database(
    target: str | Path, *, seed: bool = True, demo: bool = False, demo_if_new: bool = False
) -> Database:
    """Open (creating and upgrading as needed) a database.

    A database without labels is new: with `seed` it gets the default schema, and with
    `demo_if_new` the annotated demo article too. With `demo` any database gets the demo
    article, unless it is already stored.
    """
    db = open_checked(target)
    new = seed_new_database(db) if seed else False
    if demo or (new and demo_if_new):
        add_demo_article(db)
    return db


def seed_new_database(db: Database) -> bool:
    """Give a new database the default labels and relation types; False if it had labels."""
    with db.overview() as overview:
        if overview.label_names():
            return False  # the common case, told without loading the ORM
    from annotator.domain.schema import DEFAULT_LABELS, DEFAULT_RELATION_TYPES

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
    return True


DEMO_ANNOTATOR = "demo"


def add_demo_article(db: Database) -> int | None:
    """Store the demo article with its annotations (actors with identities, dates with values,
    claims with SOURCE and TIME), in one transaction; its id, or None when it is already there.

    The annotations are the demo annotator's, so that they show what the app is for without
    passing for the user's own work. Labels or relation types the schema no longer has are
    left out.
    """
    from annotator import resources
    from annotator.domain.library import DuplicateOf
    from annotator.domain.model import Actor, DocumentMeta
    from annotator.domain.text import normalise_newlines

    demo = json.loads(resources.read_text("demo-article.json"))
    text = normalise_newlines(demo["text"])
    meta = DocumentMeta(
        title=demo["title"],
        source=demo["source"],
        url=demo["url"],
        author=demo["author"],
        published=demo["published"],
        language=demo["language"],
    )
    with db.transaction() as repo:
        (added,) = repo.add_documents([(meta, text, ())])
        if isinstance(added, DuplicateOf):
            return None
        document = repo.document(added.id)
        annotator = repo.annotator_named(DEMO_ANNOTATOR)
        labels = {label.name: label for label in repo.labels()}
        actors: dict[str, int] = {}
        for item in demo.get("actors", []):
            existing = repo.actor_by_key(item["key"])
            actor = existing or repo.save_actor(
                Actor(
                    0, item["key"], item["name"], item.get("kind"), tuple(item.get("aliases", ()))
                ),
                new=True,
            )
            actors[item["key"]] = actor.id
        spans: dict[str, int] = {}
        for item in demo.get("spans", []):
            label = labels.get(item["label"])
            if label is None:
                continue
            start = -1
            for _ in range(item.get("occurrence", 1)):
                start = text.index(item["quote"], start + 1)
            spans[item["id"]] = repo.add_span(
                document_id=document.id,
                start=start,
                end=start + len(item["quote"]),
                label_id=label.id,
                annotator_id=annotator.id,
                quote=item["quote"],
                attributes=dict(item.get("attributes", {})),
                actor_id=actors.get(item.get("actor", "")),
            ).id
        types = {t.name: t for t in repo.relation_types()}
        for type_name, source, target in demo.get("relations", []):
            relation_type = types.get(type_name)
            if relation_type is None or source not in spans or target not in spans:
                continue
            repo.add_relation(
                type_id=relation_type.id,
                source_id=spans[source],
                target_id=spans[target],
                annotator_id=annotator.id,
            )
        return document.id


def ensure_annotator(db: Database, *, name: str) -> Annotator:
    """The annotator with this name, created on first use."""
    with db.transaction() as repo:
        return repo.annotator_named(name.strip() or "annotator")


def watch_changes(db: Database) -> ChangeWatch:
    """A cheap check for what other programs committed to the database (SQLite only)."""
    from annotator.store.changes import ChangeWatch

    return ChangeWatch(db)
