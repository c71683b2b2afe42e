"""The annotation guidelines of a database: its own text, else the ones the app ships
(annotator/resources/guidelines.md), which the suggestion engines follow too."""

from __future__ import annotations

from annotator import resources
from annotator.store import Database, Repository

GUIDELINES_SETTING = "guidelines"


def default_guidelines() -> str:
    return resources.read_text("guidelines.md")


def guidelines_text(db: Database) -> str:
    """The database's guidelines in Markdown."""
    with db.transaction() as repo:
        stored = repo.setting(GUIDELINES_SETTING)
    return stored if isinstance(stored, str) and stored.strip() else default_guidelines()


def save_guidelines(db: Database, *, text: str) -> None:
    """Replace the database's guidelines; an empty text brings the shipped ones back."""
    with db.transaction() as repo:
        store_guidelines_in(repo, text)


def store_guidelines_in(repo: Repository, text: str) -> None:
    """Inside a transaction (a schema save or import): replace the guidelines. An empty text,
    or the shipped one, stores nothing, so the shipped guidelines of later versions apply."""
    own = text.strip() and text.strip() != default_guidelines().strip()
    repo.set_setting(GUIDELINES_SETTING, text if own else None)
