"""A small corpus three annotators worked on, for the agreement tests: alice and bob annotate
the shared article (a claim each, with its source and time), carol only opened it; alice alone
annotated a second article, and bob read a third and found nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.domain.model import DocumentMeta
from annotator.services.actors import create_actor
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.library import set_status
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema
from annotator.services.spans import add_span

TEXT = "Kim Yo Jong said on Monday that the car was the best gift. Observers doubted it."
OTHER = "Putin praised Kim Jong-un in 2023."


@dataclass
class Built:
    path: Path | str
    shared: int
    alice_only: int
    read_by_bob: int


def build(path: Path | str) -> Built:
    """The corpus in a new database: an SQLite file, or a PostgreSQL database by URL."""
    db = open_database(path)
    try:
        schema = get_schema(db)
        label = {lb.name: lb.id for lb in schema.labels}
        types = {t.name: t.id for t in schema.relation_types}
        people = {n: ensure_annotator(db, name=n).id for n in ("alice", "bob", "carol")}
        shared = add_document(db, text=TEXT, meta=DocumentMeta("Gift")).id
        alice_only = add_document(db, text=OTHER, meta=DocumentMeta("Summit")).id
        read_by_bob = add_document(db, text=OTHER + " Again.", meta=DocumentMeta("Again")).id

        def span(who: str, doc: int, text: str, quote: str, name: str, **attributes: object):
            start = text.index(quote)
            return add_span(
                db,
                document_id=doc,
                start=start,
                end=start + len(quote),
                label_id=label[name],
                annotator_id=people[who],
                attributes=dict(attributes),
            ).id

        kims = []
        for who, claim_quote, date_value, quote_type in (
            ("alice", "the car was the best gift", "2024-03-04", "indirect"),
            ("bob", "that the car was the best gift", "2024-03-04", "direct"),
        ):
            kim = span(who, shared, TEXT, "Kim Yo Jong", "ACTOR")
            kims.append(kim)
            monday = span(who, shared, TEXT, "Monday", "DATE", value=date_value)
            claim = span(who, shared, TEXT, claim_quote, "CLAIM", quote_type=quote_type)
            for kind, target in (("SOURCE", kim), ("TIME", monday)):
                add_relation(
                    db,
                    type_id=types[kind],
                    source_id=claim,
                    target_id=target,
                    annotator_id=people[who],
                )
        span("alice", shared, TEXT, "Observers", "ACTOR")
        create_actor(db, name="Kim Yo Jong", key="kim-yo-jong", link_spans=kims)
        span("alice", alice_only, OTHER, "Putin", "ACTOR")
        span("alice", read_by_bob, OTHER, "Putin", "ACTOR")
        # Bob read this one and found nothing: his empty layer still counts.
        set_status(db, document_id=read_by_bob, annotator_id=people["bob"], status="done")
        # Carol only opened the shared document.
        set_status(db, document_id=shared, annotator_id=people["carol"], status="in_progress")
    finally:
        db.dispose()
    return Built(path, shared, alice_only, read_by_bob)
