"""Store fixtures: every test that takes `any_db` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from annotator.domain.model import Annotator, Document, DocumentMeta, Label
from annotator.domain.schema import DEFAULT_LABELS
from annotator.store import Database


@pytest.fixture
def reopen() -> Iterator[Callable[..., Database]]:
    """Open a second, independent Database on the same storage; disposed after the test."""
    opened: list[Database] = []

    def _reopen(db: Database, *, upgrade: bool = True) -> Database:
        again = Database(db.url.render_as_string(hide_password=False), upgrade=upgrade)
        opened.append(again)
        return again

    yield _reopen
    for db in opened:
        db.dispose()


@dataclass(frozen=True)
class World:
    """A document, the default labels and two annotators, committed."""

    document: Document
    labels: dict[str, Label]
    alice: Annotator
    bob: Annotator


ARTICLE = "Kim Jong Un gave a car to the ministry on 3 May 2024, KCNA said."


def make_world(db: Database, text: str = ARTICLE) -> World:
    with db.transaction() as repo:
        labels = {
            spec.name: repo.add_label(spec, position=i) for i, spec in enumerate(DEFAULT_LABELS)
        }
        alice = repo.annotator_named("alice")
        bob = repo.annotator_named("bob")
        document = repo.add_document(DocumentMeta(title="Car gift"), text)
    return World(document=document, labels=labels, alice=alice, bob=bob)


@pytest.fixture
def world(any_db: Database) -> World:
    return make_world(any_db)
