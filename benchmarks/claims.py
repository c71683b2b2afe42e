"""The claims table on a large corpus, against a bare sqlite3 SELECT of the same rows.

    python benchmarks/claims.py [--claims 100000] [--per-doc 10] [--runs 3]

Builds a temporary SQLite database with Core bulk inserts: documents of `--per-doc` claims,
each claim with an actor mention (SOURCE; nine in ten linked to one of 500 registry actors),
a DATE span with a value (TIME), one claim in ten REPORTED_IN the document's first claim and
one in twenty about another actor (TARGET). Then prints the median seconds of `claim_rows`,
of `corpus_views` (what the three corpus views read) and of one actor's `claim_rows`,
against the floor: the claims joined with their links and targets in one SELECT, fetched
with plain sqlite3 (no JSON decoding, no objects).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from annotator.domain.text import sha256_of
from annotator.services.claims import claim_rows, corpus_views
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.schema import get_schema, save_relation_type
from annotator.store import Database
from annotator.store.models import ActorRow, DocumentRow, RelationRow, SpanRow

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size

ACTORS = 500
STANCES = ("positive", "neutral", "negative", None)


def build(db: Database, claims: int, per_doc: int) -> None:
    seed_new_database(db)
    me = ensure_annotator(db, name="bench").id
    labels = {lb.name: lb.id for lb in get_schema(db).labels}
    save_relation_type(
        db,
        name="TARGET",
        source_label_id=labels["CLAIM"],
        target_label_id=labels["ACTOR"],
        colour="#999933",
    )
    types = {t.name: t.id for t in get_schema(db).relation_types}
    rng = random.Random(5)
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.execute(
            insert(ActorRow.__table__),
            [
                {
                    "id": i,
                    "key": f"actor-{i}",
                    "name": f"Actor {i}",
                    "kind": "person",
                    "aliases": [],
                    "description": "",
                    "created": now,
                }
                for i in range(1, ACTORS + 1)
            ],
        )
    n_docs = (claims + per_doc - 1) // per_doc
    first_doc, span_id, relation_id = 1000, 1000, 1000
    for batch in range(0, n_docs, 2000):
        docs, spans, relations = [], [], []
        for d in range(batch, min(batch + 2000, n_docs)):
            doc_id = first_doc + d
            parts, offset = [], 0
            first_claim = None
            for k in range(min(per_doc, claims - d * per_doc)):
                actor_name = f"Speaker {rng.randint(1, ACTORS)}"
                day = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                said = f"the plan number {d}-{k} would work"
                sentence = f"{actor_name} said on {day} that {said}. "
                actor_at = offset
                date_at = offset + len(actor_name) + len(" said on ")
                claim_at = date_at + len(day) + len(" that ")
                parts.append(sentence)
                offset += len(sentence)
                mention, date_span, claim = span_id, span_id + 1, span_id + 2
                span_id += 3
                linked = rng.randint(1, ACTORS) if rng.random() < 0.9 else None
                spans += [
                    {
                        "id": mention,
                        "document_id": doc_id,
                        "start": actor_at,
                        "end": actor_at + len(actor_name),
                        "label_id": labels["ACTOR"],
                        "quote": actor_name,
                        "annotator_id": me,
                        "created": now,
                        "updated": now,
                        "attributes": {},
                        "actor_id": linked,
                    },
                    {
                        "id": date_span,
                        "document_id": doc_id,
                        "start": date_at,
                        "end": date_at + len(day),
                        "label_id": labels["DATE"],
                        "quote": day,
                        "annotator_id": me,
                        "created": now,
                        "updated": now,
                        "attributes": {"value": day},
                        "actor_id": None,
                    },
                    {
                        "id": claim,
                        "document_id": doc_id,
                        "start": claim_at,
                        "end": claim_at + len(said),
                        "label_id": labels["CLAIM"],
                        "quote": said,
                        "annotator_id": me,
                        "created": now,
                        "updated": now,
                        "attributes": {
                            "stance": rng.choice(STANCES),
                            "hedged": rng.random() < 0.2,
                            "quote_type": "indirect",
                            "reporting_verb": "said",
                        },
                        "actor_id": None,
                    },
                ]
                for type_name, target in (("SOURCE", mention), ("TIME", date_span)):
                    relations.append((types[type_name], claim, target, doc_id))
                if first_claim is None:
                    first_claim = claim
                elif rng.random() < 0.1:
                    relations.append((types["REPORTED_IN"], claim, first_claim, doc_id))
                if k and rng.random() < 0.05:
                    relations.append((types["TARGET"], claim, mention - 3, doc_id))
            text = "".join(parts)
            docs.append(
                {
                    "id": doc_id,
                    "title": f"Article {d}",
                    "source": rng.choice(["AP", "AFP", None]),
                    "published": f"2024-{rng.randint(1, 12):02d}-01",
                    "text": text,
                    "sha256": sha256_of(text),
                    "created": now,
                    "span_count": 3 * per_doc,
                }
            )
        rows = []
        for type_id, source, target, doc_id in relations:
            rows.append(
                {
                    "id": relation_id,
                    "document_id": doc_id,
                    "type_id": type_id,
                    "source_id": source,
                    "target_id": target,
                    "annotator_id": me,
                    "created": now,
                }
            )
            relation_id += 1
        with db.engine.begin() as conn:
            conn.execute(insert(DocumentRow.__table__), docs)
            conn.execute(insert(SpanRow.__table__), spans)
            conn.execute(insert(RelationRow.__table__), rows)


FLOOR = """
SELECT c.id, c.document_id, d.title, d.source, d.published, c.quote, c.start, c."end",
       c.attributes, r.type_id, t.quote, t.actor_id, t.attributes
FROM spans c
JOIN documents d ON d.id = c.document_id
LEFT JOIN relations r ON r.source_id = c.id
LEFT JOIN spans t ON t.id = r.target_id
WHERE c.label_id = (SELECT id FROM labels WHERE name = 'CLAIM')
"""


def median_s(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def figures(size: Size) -> list[Figure]:
    claims, runs = (100_000, 3) if size == "full" else (500, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.sqlite3"
        db = Database(path)
        try:
            build(db, claims, 10)

            def floor() -> int:
                with sqlite3.connect(path) as conn:
                    return len(conn.execute(FLOOR).fetchall())

            floor_s, _ = median_s(floor, runs)
            ours_s, rows = median_s(lambda: claim_rows(db), runs)
            assert len(rows) == claims, len(rows)
            views_s, _ = median_s(lambda: corpus_views(db), runs)
        finally:
            db.dispose()
    name = "sqlite3 SELECT of the joined rows"
    return [
        Figure(f"claims table, {claims:,} claims: claim_rows (s)", ours_s, "s", floor_s, name),
        Figure(f"claims views, {claims:,} claims: corpus_views (s)", views_s, "s", floor_s, name),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--per-doc", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.sqlite3"
        db = Database(path)
        t0 = time.perf_counter()
        build(db, args.claims, args.per_doc)
        print(f"built {args.claims} claims in {time.perf_counter() - t0:.1f} s ({path})")

        def floor() -> int:
            with sqlite3.connect(path) as conn:
                return len(conn.execute(FLOOR).fetchall())

        results = []
        seconds, n = median_s(floor, args.runs)
        results.append(("floor: sqlite3 SELECT of the joined rows", seconds, n))
        seconds, rows = median_s(lambda: claim_rows(db), args.runs)
        results.append(("claim_rows", seconds, len(rows)))
        assert len(rows) == args.claims, len(rows)
        seconds, views = median_s(lambda: corpus_views(db), args.runs)
        results.append(("corpus_views (table + timeline + network)", seconds, len(views.rows)))
        seconds, one = median_s(lambda: claim_rows(db, actor_id=7), args.runs)
        results.append(("claim_rows of one actor", seconds, len(one)))
        width = max(len(r[0]) for r in results)
        print(f"{'':<{width}}  {'seconds':>8}  {'rows':>8}  {'x floor':>8}")
        for name, seconds, count in results:
            print(f"{name:<{width}}  {seconds:8.2f}  {count:8d}  {seconds / results[0][1]:8.1f}")
        db.dispose()


if __name__ == "__main__":
    main()
