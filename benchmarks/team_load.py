"""A team annotating on one server at once: nothing acknowledged is lost, nothing is doubled.

    python benchmarks/team_load.py --db postgresql+psycopg://user@host/db [--workers 4]
        [--documents 100] [--seconds 60] [--json FILE]

Puts `--documents` articles in the database (once; reused when it holds them), then starts
`--workers` processes, each its own annotator with its own connections, that annotate the same
articles for `--seconds`: add spans (ACTOR, DATE, CLAIM), change the label of their own
spans (with the version they hold, as the window does), relabel anyone's span (contended:
refusals as "changed meanwhile" are expected and counted), and link a CLAIM to an ACTOR
(SOURCE). Every write the service returned from counts as acknowledged. Then it checks:

- lost: every acknowledged span is stored at its offsets, with the label its process last
  acknowledged giving it (or another process's relabel acknowledged after), and every
  acknowledged link is stored;
- duplicated: a process's spans in the database are exactly the ones it acknowledged adding
  (a retried or doubled insert would leave one it never heard of), and no two are identical.

Prints a table of operations per second and the checks, and exits 1 if either is not 0.
Works on SQLite too (a file path), where all writers share one lock.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from annotator.domain.errors import (
    AnnotatorError,
    DuplicateSpanError,
    InvalidRelationError,
    SpanChangedError,
)
from annotator.domain.model import DocumentMeta
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_documents
from annotator.services.relations import add_relation, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, get_spans, list_spans, relabel_span

WORDS = [
    "Ana",
    "Bell",
    "met",
    "Carl",
    "Dunn",
    "in",
    "Port",
    "Aldren",
    "on",
    "Monday",
    "and",
    "said",
    "the",
    "harbour",
    "would",
    "open",
    "by",
    "March",
    "while",
    "the",
    "ministry",
    "of",
    "transport",
    "in",
    "Valmora",
    "denied",
    "it",
    "on",
    "3",
    "May",
    "2024",
]
LABELS = ("ACTOR", "DATE", "CLAIM")
TITLE = "Team load article"


@dataclass
class Outcome:
    """What one process was told: the writes acknowledged, and the refusals."""

    worker: int
    annotator_id: int
    spans: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> doc, start, end
    # id -> (version, label) of the last change acknowledged here
    labels: dict[int, tuple[datetime, int]] = field(default_factory=dict)
    relations: list[int] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def _article(n: int) -> str:
    rng = random.Random(n)
    sentences = [" ".join(rng.sample(WORDS, 12)) + "." for _ in range(20)]
    return f"Article {n}. " + " ".join(sentences)


def prepare(target: str, documents: int) -> list[int]:
    """The benchmark's articles, added if missing; their ids."""
    db = open_database(target)
    try:
        have = [d.id for d in list_documents(db) if d.title.startswith(TITLE)]
        for n in range(len(have), documents):
            have.append(add_document(db, text=_article(n), meta=DocumentMeta(f"{TITLE} {n}")).id)
        return have[:documents]
    finally:
        db.dispose()


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z0-9]+", text)]


def work(target: str, worker: int, doc_ids: list[int], seconds: float) -> Outcome:
    """One team member: annotate until the time is up, recording what was acknowledged."""
    db = open_database(target, seed=False)
    rng = random.Random(worker)
    try:
        me = ensure_annotator(db, name=f"load-{worker}")
        out = Outcome(worker, me.id)
        schema = get_schema(db)
        found = {name: schema.label_named(name) for name in LABELS}
        label = {name: lb.id for name, lb in found.items() if lb is not None}
        relation_type = schema.relation_type_named("SOURCE")
        if len(label) != len(LABELS) or relation_type is None:
            raise SystemExit("the database lacks the default labels and relation types")
        source = relation_type.id
        texts: dict[int, list[tuple[int, int]]] = {}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            doc = rng.choice(doc_ids)
            if doc not in texts:
                texts[doc] = _word_spans(_article(doc_ids.index(doc)))
            kind = rng.choices(("add", "relabel", "contend", "link"), (5, 2, 1, 2))[0]
            try:
                if kind == "add" or not out.spans:
                    first = rng.randrange(len(texts[doc]) - 2)
                    start, _ = texts[doc][first]
                    _, end = texts[doc][first + rng.randrange(2)]
                    name = rng.choice(LABELS)
                    span = add_span(
                        db,
                        document_id=doc,
                        start=start,
                        end=end,
                        label_id=label[name],
                        annotator_id=me.id,
                    )
                    out.spans[span.id] = (doc, start, end)
                    out.labels[span.id] = (span.updated, span.label_id)
                    out.counts["add"] += 1
                elif kind == "relabel":
                    span_id = rng.choice(list(out.spans))
                    (held,) = get_spans(db, span_ids=[span_id])
                    new = rng.choice([i for i in label.values() if i != held.label_id])
                    now = relabel_span(db, span_id=span_id, label_id=new, version=held.updated)
                    out.labels[span_id] = (now.updated, new)
                    out.counts["relabel"] += 1
                elif kind == "contend":
                    spans = list_spans(db, document_id=doc)
                    if spans:
                        held = rng.choice(spans)
                        new = rng.choice([i for i in label.values() if i != held.label_id])
                        time.sleep(0.002)  # the time a person takes: others may save meanwhile
                        now = relabel_span(db, span_id=held.id, label_id=new, version=held.updated)
                        out.counts["contend"] += 1
                        out.labels[held.id] = (now.updated, new)
                else:
                    doc = rng.choice([d for d, _, _ in out.spans.values()])  # one I annotated
                    mine = [s for s in list_spans(db, document_id=doc) if s.annotator_id == me.id]
                    claims = [s for s in mine if s.label_id == label["CLAIM"]]
                    actors = [s for s in mine if s.label_id == label["ACTOR"]]
                    if claims and actors:
                        relation = add_relation(
                            db,
                            type_id=source,
                            source_id=rng.choice(claims).id,
                            target_id=rng.choice(actors).id,
                            annotator_id=me.id,
                        )
                        out.relations.append(relation.id)
                        out.counts["link"] += 1
            except SpanChangedError:
                out.counts["refused as changed meanwhile"] += 1
            except DuplicateSpanError:
                out.counts["refused as duplicate"] += 1
            except InvalidRelationError:
                # Another process relabelled one end meanwhile: the link no longer fits.
                out.counts["refused as link no longer fitting"] += 1
            except AnnotatorError as exc:
                # Not acknowledged: the process was told, as the window tells its user.
                out.counts[f"failed: {type(exc).__name__}"] += 1
        return out
    finally:
        db.dispose()


def _work(args: tuple[str, int, list[int], float]) -> Outcome:
    return work(*args)


def check(target: str, outcomes: list[Outcome], doc_ids: list[int]) -> dict[str, int]:
    """Count what was acknowledged but is not stored (lost) and what is stored but was never
    acknowledged, or twice (duplicated)."""
    db = open_database(target, seed=False)
    try:
        stored = {s.id: s for doc in doc_ids for s in list_spans(db, document_id=doc)}
        links = {r.id for doc in doc_ids for r in list_relations(db, document_id=doc)}
    finally:
        db.dispose()
    # The label a span must have: the one of the newest version anyone was told was saved
    # (each change is made on the version before it, so versions only grow).
    last: dict[int, tuple[datetime, int]] = {}
    for out in outcomes:
        for span_id, (when, label_id) in out.labels.items():
            if span_id not in last or when > last[span_id][0]:
                last[span_id] = (when, label_id)
    lost = 0
    duplicated = 0
    for out in outcomes:
        for span_id, (doc, start, end) in out.spans.items():
            span = stored.get(span_id)
            if (
                span is None
                or (span.document_id, span.start, span.end) != (doc, start, end)
                or (span.updated, span.label_id) != last[span_id]
            ):
                lost += 1
        lost += sum(1 for r in out.relations if r not in links)
        theirs = [s for s in stored.values() if s.annotator_id == out.annotator_id]
        duplicated += sum(1 for s in theirs if s.id not in out.spans)
        keys = Counter((s.document_id, s.start, s.end, s.label_id) for s in theirs)
        duplicated += sum(n - 1 for n in keys.values() if n > 1)
    return {"lost": lost, "duplicated": duplicated}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database URL (or SQLite file)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    doc_ids = prepare(args.db, args.documents)
    started = time.monotonic()
    # Forked workers start at once (the parent holds no connection: `prepare` closed its own);
    # spawned ones import everything again first.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(args.workers) as pool:
        outcomes = pool.map(
            _work, [(args.db, k, doc_ids, args.seconds) for k in range(args.workers)]
        )
    elapsed = time.monotonic() - started
    totals: Counter[str] = Counter()
    for out in outcomes:
        totals.update(out.counts)
    result = check(args.db, outcomes, doc_ids)

    print(
        f"{args.workers} processes, {len(doc_ids)} documents, {args.seconds:g} s of work "
        f"({elapsed:.1f} s with start-up and checks)"
    )
    print(f"{'operation':<40} {'count':>8} {'per s':>8}")
    for name, count in sorted(totals.items()):
        print(f"{name:<40} {count:>8} {count / args.seconds:>8.1f}")
    print(f"{'lost (acknowledged, not stored)':<40} {result['lost']:>8}")
    print(f"{'duplicated (stored, not acknowledged)':<40} {result['duplicated']:>8}")
    if args.json:
        figures = {
            "workers": args.workers,
            "documents": len(doc_ids),
            "seconds": elapsed,
            "operations": dict(totals),
            **result,
            "outcomes": [asdict(o) | {"counts": dict(o.counts)} for o in outcomes],
        }
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    return 0 if result == {"lost": 0, "duplicated": 0} else 1


if __name__ == "__main__":
    sys.exit(main())
