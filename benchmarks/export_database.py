"""Export from a stored database, per format, against plain sqlite3 + json.dumps of its spans.

    python benchmarks/export_database.py [--db PATH] [--spans 1000000] [--per-doc 100]
                                         [--formats native,csv,...] [--profile FORMAT]

The database is built once in PATH (the documents of `export.py`, imported from a native file)
and reused on later runs, so formats can be measured again after a change without rebuilding.
Each export runs `services.interchange.export_corpus` in a fresh process; the floor reads the
same rows in sqlite3 (documents with their text, spans with every column and their label and
annotator names) and writes one json.dumps per row. Targets: native, doccano, Label Studio, brat
and csv within 2x of the floor; the other formats within 4x. Wall-clock and CPU time are both
shown (CPU time moves less when other work shares the machine), and the earlier spans-only floor
(five span columns, no text) for comparison. After spacy, a second floor: spaCy's import and its
tokenizer alone over the same texts, work the format demands, and spacy against both floors.
With --profile, that one format runs under cProfile and the 25 costliest functions print.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export import (
    DATABASE_FLOOR,
    FROM_DATABASE,
    IMPORT,
    SPANS_ONLY_FLOOR,
    SUFFIX,
    _child,
    _remove,
    run,
)

FAST = ("native", "doccano", "label-studio", "brat", "csv")

PROFILE = r"""
import cProfile, pstats, sys
from pathlib import Path
from annotator.services.database import open_database
from annotator.services.interchange import export_corpus

name, db_path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
db = open_database(db_path, seed=False)
profile = cProfile.Profile()
profile.enable()
export_corpus(db, format_name=name, out=out)
profile.disable()
db.dispose()
pstats.Stats(profile).sort_stats("tottime").print_stats(25)
"""


TOKENIZER_FLOOR = r"""
import json, resource, sqlite3, sys, time
from pathlib import Path

db_path = Path(sys.argv[1])
conn = sqlite3.connect(db_path)
t0, cpu0 = time.perf_counter(), time.process_time()
import spacy

pipelines = {}
tokens = 0
for language, text in conn.execute("SELECT language, text FROM documents ORDER BY id"):
    code = (language or "xx").replace("_", "-").split("-")[0].lower()
    if code not in pipelines:
        try:
            pipelines[code] = spacy.blank(code)
        except Exception:
            pipelines[code] = pipelines.get("xx") or spacy.blank("xx")
        pipelines[code].max_length = 2**31 - 1
    tokens += len(pipelines[code].make_doc(text))
seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
print(json.dumps({"seconds": seconds, "cpu": cpu, "spans": tokens,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
"""What the spaCy format cannot do without: importing spaCy and running its tokenizer over every
text (read with sqlite3), with the blank pipeline of each document's language as the export
picks it. The spacy line is also shown against this plus the floor."""


def build(db: Path, spans: int, per_doc: int) -> None:
    native = db.with_suffix(".source.jsonl")
    run("native", native, spans, per_doc)
    _child(IMPORT, str(native), str(db))
    native.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "annotator-export-1m.sqlite3"
    )
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=100)
    parser.add_argument(
        "--formats",
        default="native,doccano,label-studio,brat,csv,conll,w3c,xlsx,spacy,xmi",
    )
    parser.add_argument("--profile", metavar="FORMAT")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.spans, args.per_doc)
    with tempfile.TemporaryDirectory() as tmp:
        if args.profile:
            out = Path(tmp) / f"profile{SUFFIX.get(args.profile, '.jsonl')}"
            done = subprocess.run(
                [sys.executable, "-c", PROFILE, args.profile, str(args.db), str(out)],
                capture_output=True,
                text=True,
                check=True,
            )
            print(done.stdout)
            return
        floor = _child(DATABASE_FLOOR, str(args.db), str(Path(tmp) / "floor.jsonl"))
        narrow = _child(SPANS_ONLY_FLOOR, str(args.db), str(Path(tmp) / "narrow.jsonl"))
        print(f"{floor['spans']:.0f} spans in {args.db}")
        print(
            f"{'format':<14}{'seconds':>9}{'x floor':>9}{'cpu s':>8}{'x floor':>9}"
            f"{'peak RSS MB':>13}{'target':>12}"
        )

        def line(name: str, got: dict[str, float], verdict: str = "") -> None:
            ratio, cpu_ratio = got["seconds"] / floor["seconds"], got["cpu"] / floor["cpu"]
            print(
                f"{name:<14}{got['seconds']:>9.2f}{ratio:>9.2f}{got['cpu']:>8.2f}"
                f"{cpu_ratio:>9.2f}{got['rss_mb']:>13.0f}{verdict:>12}",
                flush=True,
            )

        line("sqlite3+json", floor)
        line("spans only", narrow, "(earlier)")
        for name in args.formats.split(","):
            out = Path(tmp) / f"{name}{SUFFIX.get(name, '.jsonl')}"
            got = _child(FROM_DATABASE, name, str(args.db), str(out))
            ratio = got["seconds"] / floor["seconds"]
            limit = 2 if name in FAST else 4
            line(name, got, f"<={limit}x {'ok' if ratio <= limit else 'MISSED'}")
            _remove(out)
            if name == "spacy":
                tokenizer = _child(TOKENIZER_FLOOR, str(args.db))
                line("  tokenizer", tokenizer, "(spaCy)")
                print(
                    f"  spacy against floor + tokenizer: "
                    f"{got['seconds'] / (floor['seconds'] + tokenizer['seconds']):.2f}x wall, "
                    f"{got['cpu'] / (floor['cpu'] + tokenizer['cpu']):.2f}x cpu",
                    flush=True,
                )


if __name__ == "__main__":
    main()
