"""Export speed and memory per format: a million spans, against json.dumps of the same rows.

    python benchmarks/export.py [--spans 1000000] [--per-doc 100] [--formats native,csv,...]

Each format runs in a fresh process that generates the documents on the fly (one in memory at a
time) and hands them to the format's writer; the table shows seconds and peak RSS. The floor
writes the same span rows with one json.dumps per row. Target: native within 2x of the floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import Annotator, Document, DocumentMeta, HighlightStyle, Label, Span
from annotator.domain.text import sha256_of

name, out, n_spans, per_doc = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
labels = {1: Label(1, "ACTOR", "#56B4E9", "1", 0), 2: Label(2, "DATE", "#E69F00", "2", 1),
          3: Label(3, "CLAIM", "#CC79A7", "3", 2, HighlightStyle.UNDERLINE)}
annotators = {1: Annotator(1, "bench")}
now = datetime.now(UTC)
WORD = "Minister Ana Souza said on Tuesday that talks in Geneva went well. "

def documents():
    for d in range(n_spans // per_doc):
        text = f"Article {d}. " + WORD * per_doc
        base = len(f"Article {d}. ")
        doc = Document(d + 1, DocumentMeta(f"Article {d}", source="Wire"), text,
                       sha256_of(text), now)
        spans = []
        for k in range(per_doc):
            start = base + k * len(WORD) + 9  # "Ana Souza"
            spans.append(Span(d * per_doc + k + 1, d + 1, start, start + 9, 1 + k % 2,
                              text[start:start + 9], 1, now, now))
        yield AnnotatedDocument(doc, tuple(spans), labels, annotators)

t0 = time.perf_counter()
if name == "floor":
    with out.open("w", encoding="utf-8") as fh:
        for ad in documents():
            for s in ad.spans:
                fh.write(json.dumps({"document": ad.document.id, "start": s.start, "end": s.end,
                                     "label": labels[s.label_id].name, "quote": s.quote}) + "\n")
else:
    from annotator.formats.registry import get_format
    get_format(name).load().write(documents(), out)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(name: str, out: Path, spans: int, per_doc: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(out), str(spans), str(per_doc)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=100)
    parser.add_argument(
        "--formats",
        default="native,doccano,label-studio,brat,conll,w3c,csv,xlsx,spacy,xmi",
    )
    args = parser.parse_args()
    suffix = {
        "brat": "",
        "xmi": "",
        "csv": ".csv",
        "xlsx": ".xlsx",
        "spacy": ".spacy",
        "conll": ".conll",
        "w3c": ".jsonld",
        "label-studio": ".json",
    }
    with tempfile.TemporaryDirectory() as tmp:
        floor = run("floor", Path(tmp) / "floor.jsonl", args.spans, args.per_doc)
        print(f"{args.spans} spans in {args.spans // args.per_doc} documents")
        print(f"{'format':<14}{'seconds':>9}{'x floor':>9}{'peak RSS MB':>13}")
        print(f"{'json.dumps':<14}{floor['seconds']:>9.1f}{1:>9.1f}{floor['rss_mb']:>13.0f}")
        for name in args.formats.split(","):
            out = Path(tmp) / f"{name}{suffix.get(name, '.jsonl')}"
            got = run(name, out, args.spans, args.per_doc)
            ratio = got["seconds"] / floor["seconds"]
            note = (
                ("  target <2x: " + ("ok" if ratio < 2 else "MISSED")) if name == "native" else ""
            )
            print(f"{name:<14}{got['seconds']:>9.1f}{ratio:>9.1f}{got['rss_mb']:>13.0f}{note}")


if __name__ == "__main__":
    main()
