"""Make an upgrade fixture: a database written by an earlier version of the app.

Run it with that version's code first on the path, from a checkout of the commit where the
revision was the newest one (see README.md in this folder):

    git worktree add /tmp/old <commit>
    PYTHONPATH=/tmp/old python tests/data/upgrades/make.py tests/data/upgrades/0002.sqlite3

It uses whatever that version's services offer (spans always; links, actors, statuses, tags,
suggestions, assignments, a gold layer and revisions when they exist), so the fixture holds
what a user of that version could have stored.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

TEXT = (
    "Minister 👩🏽‍⚖️ Ana Souza said on 3 March 2025 that the budget is safe.\r\n"
    "The council, quoting “its own figures”, said 1,200 homes flooded in 2024.\n"
    "习近平于2023年3月20日抵达莫斯科。\u2028A no-break\u00a0space stays."
)
SPANS = [
    ("ACTOR", "Ana Souza"),
    ("DATE", "3 March 2025"),
    ("CLAIM", "the budget is safe"),
    ("ACTOR", "The council"),
    ("DATE", "2024"),
    ("CLAIM", "1,200 homes flooded in 2024"),
    ("ACTOR", "习近平"),
    ("DATE", "2023年3月20日"),
]


def optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def main(out: Path) -> None:
    from annotator.domain.model import DocumentMeta
    from annotator.services.database import ensure_annotator, open_database
    from annotator.services.documents import add_document, list_labels
    from annotator.services.spans import add_span

    out.unlink(missing_ok=True)
    db = open_database(out)
    me = ensure_annotator(db, name="upgrade fixture").id
    other = ensure_annotator(db, name="second annotator").id
    labels = {label.name: label.id for label in list_labels(db)}
    meta = DocumentMeta(
        "Budget <b>safe</b>, says minister",
        source="Wire",
        url="https://example.org/budget",
        author="A. Reporter",
        published="2025-03-04",
        language="en",
    )
    doc = add_document(db, text=TEXT, meta=meta)
    second = add_document(db, text="A second article, left alone.", meta=DocumentMeta("Second"))
    stored = doc.text
    ids: dict[str, int] = {}
    for label, quote in SPANS:
        start = stored.index(quote)
        span = add_span(
            db,
            document_id=doc.id,
            start=start,
            end=start + len(quote),
            label_id=labels[label],
            annotator_id=me,
        )
        ids[quote] = span.id

    add_relation = optional("annotator.services.relations", "add_relation")
    get_schema = optional("annotator.services.schema", "get_schema")
    if add_relation is not None and get_schema is not None:
        types = {t.name: t.id for t in get_schema(db).relation_types}
        for kind, source, target in (
            ("SOURCE", "the budget is safe", "Ana Souza"),
            ("TIME", "the budget is safe", "3 March 2025"),
            ("SOURCE", "1,200 homes flooded in 2024", "The council"),
        ):
            add_relation(
                db,
                type_id=types[kind],
                source_id=ids[source],
                target_id=ids[target],
                annotator_id=me,
            )
    create_actor = optional("annotator.services.actors", "create_actor")
    if create_actor is not None:
        create_actor(
            db, name="Ana Souza", key="ana-souza", kind="person", link_spans=[ids["Ana Souza"]]
        )
    set_status = optional("annotator.services.library", "set_status")
    if set_status is not None:
        set_status(db, document_id=doc.id, annotator_id=me, status="done")
        set_status(db, document_id=second.id, annotator_id=other, status="in_progress")
    update_meta = optional("annotator.services.library", "update_document_meta")
    if update_meta is not None:
        update_meta(db, document_id=doc.id, meta=meta, tags=["budget", "ministers"])
    run_suggestions = optional("annotator.services.suggestions", "run_suggestions")
    list_suggestions = optional("annotator.services.suggestions", "list_suggestions")
    reject = optional("annotator.services.decisions", "reject_suggestion")
    if run_suggestions is not None and list_suggestions is not None and reject is not None:
        fresh = add_document(
            db,
            text="Mayor Jan Novak said on 12 May 2026 that taxes would rise in 2027.",
            meta=DocumentMeta("Taxes to rise"),
        )
        run_suggestions(db, document_ids=[fresh.id], engines=["dates", "actors", "claims"])
        proposed = list_suggestions(db, document_id=fresh.id)
        if proposed:
            reject(db, suggestion_id=proposed[-1].id, annotator_id=me)
    assign = optional("annotator.services.assignments", "assign_documents")
    if assign is not None:
        assign(db, annotator="second annotator", document_ids=[doc.id, second.id])
    merge_agreed = optional("annotator.services.curation", "merge_agreed")
    if merge_agreed is not None:
        # The second annotator agrees on two spans; merging them makes a gold layer.
        for quote in ("Ana Souza", "3 March 2025"):
            start = stored.index(quote)
            add_span(
                db,
                document_id=doc.id,
                start=start,
                end=start + len(quote),
                label_id=labels[dict((q, lab) for lab, q in SPANS)[quote]],
                annotator_id=other,
            )
        merge_agreed(db, document_id=doc.id)
    store_revision = optional("annotator.services.revisions", "store_revision")
    if store_revision is not None:
        # A new version of an article: one span moves, one changes its quote (to review).
        first = "The mayor promised a new bridge by 2027. Critics doubt it."
        revised = add_document(
            db,
            text=first,
            meta=DocumentMeta("Bridge promised", url="https://example.org/bridge"),
        )
        for label, quote in (("ACTOR", "The mayor"), ("DATE", "2027"), ("ACTOR", "Critics")):
            start = first.index(quote)
            add_span(
                db,
                document_id=revised.id,
                start=start,
                end=start + len(quote),
                label_id=labels[label],
                annotator_id=other,
            )
        store_revision(
            db,
            document_id=revised.id,
            text="Updated: the mayor promised a new bridge by 2028. Critics doubt it.",
        )
    db.dispose()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
