"""Synthetic news articles for the store benchmarks: deterministic, Zipf-like vocabulary."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from annotator.domain.library import DocumentStatus
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import DEFAULT_LABELS
from annotator.services.database import ensure_annotator
from annotator.services.documents import list_labels
from annotator.services.library import add_documents, count_documents
from annotator.store import Database

SOURCES = ["KCNA", "Reuters", "AP", "AFP", "Yonhap", "BBC", "Xinhua", "TASS", None]
TAGS = ["politics", "economy", "sanctions", "military", "diplomacy", "culture", "sport"]
COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "said",
    "on",
    "for",
    "with",
    "was",
    "as",
    "by",
    "at",
    "from",
    "his",
    "is",
    "it",
    "be",
    "has",
    "have",
    "were",
    "minister",
    "government",
    "talks",
    "officials",
    "week",
    "country",
    "leader",
    "state",
    "party",
    "people",
    "meeting",
]
NAMES = ["Kim", "Moon", "Yoon", "Putin", "Biden", "Xi", "Lavrov", "Pyongyang", "Seoul", "Zürich"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(size)}
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


def make_articles(
    n: int, *, size: int = 5000, seed: int = 7
) -> list[tuple[DocumentMeta, str, tuple[str, ...]]]:
    """`n` distinct articles of about `size` characters with metadata and tags."""
    vocab = vocabulary(30_000, random.Random(0))  # one vocabulary for every seed
    rng = random.Random(seed)
    # Zipf over the invented words, plus function words and names at news-like rates.
    words = COMMON + NAMES + vocab
    # Names from frequent (Kim, in most articles) to rare (Zürich, in a few hundred of 100,000).
    weights = [45 / len(COMMON)] * len(COMMON) + [0.25 / 2**k for k in range(len(NAMES))]
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    scale = (100 - sum(weights)) / sum(zipf)
    weights += [w * scale for w in zipf]
    cumulative = list(itertools.accumulate(weights))
    per_article = size * 3 // 20  # about 6.7 characters a word with its space
    items = []
    for i in range(n):
        chosen = rng.choices(words, cum_weights=cumulative, k=per_article)
        sentences = [
            " ".join(chosen[j : j + 16]).capitalize() + "." for j in range(0, per_article, 16)
        ]
        paragraphs = [" ".join(sentences[j : j + 5]) for j in range(0, len(sentences), 5)]
        text = f"Article {i}.\n" + "\n".join(paragraphs)
        meta = DocumentMeta(
            title=f"{rng.choice(NAMES)} {rng.choice(vocab[:2000])} {rng.choice(vocab)} ({i})",
            source=rng.choice(SOURCES),
            published=(
                f"20{rng.randint(10, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rng.random() < 0.9
                else None
            ),
            language="en",
        )
        tags = tuple(rng.sample(TAGS, rng.randint(0, 2)))
        items.append((meta, text, tags))
    return items


ANNOTATOR = "bench"


def open_library(target: str | Path, n: int, *, size: int = 5000, batch: int = 5000) -> Database:
    """A database with `n` articles, statuses for one annotator and some spans; reused when
    `target` already holds exactly that many documents."""
    db = Database(target)
    annotator = ensure_annotator(db, name=ANNOTATOR)
    have = count_documents(db, annotator_id=annotator.id)
    if have == n:
        return db
    if have:
        raise SystemExit(f"{target} holds {have} documents, not {n}: give another --db")
    print(f"building {n} documents in {target} ...", flush=True)
    rng = random.Random(11)
    for start in range(0, n, batch):
        items = make_articles(min(batch, n - start), size=size, seed=start)
        # The seed differs per batch, the article numbers must too: offset the "Article i".
        items = [
            (meta, f"Article {start + i}." + text.split(".", 1)[1], tags)
            for i, (meta, text, tags) in enumerate(items)
        ]
        add_documents(db, items=items)
    with db.transaction() as repo:
        if not repo.labels():
            for position, spec in enumerate(DEFAULT_LABELS):
                repo.add_label(spec, position=position)
    labels = list_labels(db)
    with db.transaction() as repo:
        for doc_id in range(1, n + 1):
            r = rng.random()
            if r < 0.2:
                repo.set_status(
                    document_id=doc_id, annotator_id=annotator.id, status=DocumentStatus.DONE
                )
            elif r < 0.3:
                repo.set_status(
                    document_id=doc_id,
                    annotator_id=annotator.id,
                    status=DocumentStatus.IN_PROGRESS,
                )
            if r < 0.05:
                for k in range(rng.randint(1, 8)):
                    repo.add_span(
                        document_id=doc_id,
                        start=k * 12,
                        end=k * 12 + 5,
                        label_id=labels[k % len(labels)].id,
                        annotator_id=annotator.id,
                    )
    return db
