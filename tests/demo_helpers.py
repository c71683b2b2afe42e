"""The demo article as a test fixture: its text to annotate from scratch."""

from __future__ import annotations

from pathlib import Path


def add_plain_demo(target: str | Path) -> int:
    """Seed a database with the default schema and the demo article's text and metadata,
    without its annotations: an article for a test to annotate from scratch. Its id."""
    import json

    from annotator import resources
    from annotator.domain.model import DocumentMeta
    from annotator.services.database import open_database
    from annotator.services.documents import add_document

    demo = json.loads(resources.read_text("demo-article.json"))
    fields = ("title", "source", "url", "author", "published", "language")
    db = open_database(target)
    try:
        return add_document(
            db, text=demo["text"], meta=DocumentMeta(**{f: demo[f] for f in fields})
        ).id
    finally:
        db.dispose()
