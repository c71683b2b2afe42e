"""Importing annotated files: seconds and peak memory per format, against a raw sqlite3 floor.

    python benchmarks/import_annotations.py [--spans 1000000] [--per-doc 100]
                                            [--formats native,doccano,brat]

Each format's file is written first (by the app's own writer, from generated documents), then
imported into a new SQLite database in a fresh process by `services.interchange.
import_annotations`: every quote checked against its text, documents deduplicated by SHA-256,
spans stored in bulk, one transaction per batch (at most 500 documents or 20,000 spans, so
that another program can write between them). The floor (benchmarks/import_floor.py) is raw
sqlite3 reading the native file with `json.loads` and storing the same documents and spans
into a database of the app's schema (same indexes and constraints; its documents listed for the
FTS5 index pass, as the import lists them), in batches of the same size, with the app's WAL
and synchronous=FULL settings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size, child
from import_floor import prepare

HERE = Path(__file__).resolve().parent

WRITE = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import Annotator, Document, DocumentMeta, Label, Span
from annotator.domain.text import sha256_of
from annotator.formats.registry import get_format

name, out, n_spans, per_doc = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
labels = {1: Label(1, "ACTOR", "#56B4E9", "1", 0), 2: Label(2, "DATE", "#E69F00", "2", 1)}
annotators = {1: Annotator(1, "bench")}
now = datetime.now(UTC)
WORD = "Minister Ana Souza said on Tuesday that talks in Geneva went well. "

def documents():
    for d in range(n_spans // per_doc):
        head = f"Article {d}. "
        text = head + WORD * per_doc
        doc = Document(d + 1, DocumentMeta(f"Article {d}"), text, sha256_of(text), now)
        spans = []
        for k in range(per_doc):
            start = len(head) + k * len(WORD) + 9  # "Ana Souza"
            spans.append(Span(d * per_doc + k + 1, d + 1, start, start + 9, 1 + k % 2,
                              text[start:start + 9], 1, now, now))
        yield AnnotatedDocument(doc, tuple(spans), labels, annotators)

get_format(name).load().write(documents(), out)
"""

IMPORT = r"""
import json, resource, sys, time
from pathlib import Path
from annotator.services.database import open_database
from annotator.services.interchange import import_annotations

name, path, db_path = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
db = open_database(db_path, seed=False)
t0 = time.perf_counter()
report = import_annotations(db, paths=[path], format_name=name, annotator_name="bench")
seconds = time.perf_counter() - t0
db.dispose()
assert not report.problems, report.problems[:3]
print(json.dumps({"seconds": seconds, "spans": report.spans_added,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FLOOR = r"""
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from import_floor import floor

seconds = floor("native", Path(sys.argv[1]), Path(sys.argv[2]), deferred=True)
print(json.dumps({"seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SUFFIX = {"brat": "", "xmi": "", "spacy": ".spacy", "w3c": ".jsonld", "label-studio": ".json"}


_run = child


def measure(
    spans: int, per_doc: int, formats: list[str]
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """The floor's figures and each format's, imported from a file of `spans` spans."""
    sizes = (str(spans), str(per_doc))
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        native = root / "native.jsonl"
        _run(WRITE, "native", str(native), *sizes)
        prepare(root / "floor.sqlite3")  # the app's schema, made before the timing
        floor = _run(FLOOR, str(native), str(root / "floor.sqlite3"), str(HERE))
        for name in formats:
            path = root / f"in-{name}{SUFFIX.get(name, '.jsonl')}"
            if name != "native":
                _run(WRITE, name, str(path), *sizes)
            else:
                path = native
            got = _run(IMPORT, name, str(path), str(root / f"{name}.sqlite3"))
            assert got["spans"] == spans, got
            results[name] = got
    return floor, results


def figures(size: Size) -> list[Figure]:
    spans = 1_000_000 if size == "full" else 2_000
    floor, results = measure(spans, 100, ["native", "doccano", "brat"])
    return [
        Figure(
            f"import {spans:,} spans, {name} (s)",
            got["seconds"],
            "s",
            floor["seconds"],
            "raw sqlite3, same job and batches (FTS5 indexing left for later, as ours)",
            max_ratio=3,
        )
        for name, got in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=100)
    parser.add_argument("--formats", default="native,doccano,brat")
    args = parser.parse_args()
    floor, results = measure(args.spans, args.per_doc, args.formats.split(","))
    print(f"{args.spans} spans in {args.spans // args.per_doc} documents, into SQLite")
    print(f"{'format':<14}{'seconds':>9}{'x floor':>9}{'peak RSS MB':>13}")
    print(f"{'raw sqlite3':<14}{floor['seconds']:>9.1f}{1:>9.1f}{floor['rss_mb']:>13.0f}")
    for name, got in results.items():
        ratio = got["seconds"] / floor["seconds"]
        print(f"{name:<14}{got['seconds']:>9.1f}{ratio:>9.1f}{got['rss_mb']:>13.0f}")


if __name__ == "__main__":
    main()
