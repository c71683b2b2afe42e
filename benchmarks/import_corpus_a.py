"""`annotator import` of corpus A (2,000 articles of about 5 kB) as a Label Studio task file and
as a doccano JSONL file, timed as the whole command (start-up included) and as the import
alone, against raw sqlite3 doing the same job (the floor with search).

    python benchmarks/import_corpus_a.py [--n 2000] [--size 5000] [--spans 10] [--runs 3]

Each article carries `--spans` annotations (0 for bare tasks). Every run imports into a new
SQLite file with the app's settings (WAL, synchronous=FULL). The floor
(benchmarks/import_floor.py) parses the same file as its format demands (the Label Studio
array with `json.load`, doccano lines with `json.loads`), hashes every text, skips stored texts
by the unique index and inserts the documents and their spans into a database of the app's
schema (same indexes, constraints and FTS5 index), one transaction per 500 documents as the
import writes them; it leaves out the app's own bookkeeping (checks, names, span counts,
revisions, problems). Times are the best of `--runs`. Targets: the whole command under 1 s,
the import inside it within 1.5x the floor.

The import leaves its documents out of the full-text index (migration 0007: the window's
background indexer or the next search indexes them), so it is timed twice: alone, against the
floor doing the same (its documents listed as pending through the same flag and triggers), and
followed by the index pass (`index_for_search`), searchable at the end, against the floor that
indexes as it inserts. The issue's target ("the import itself within 1.5x the floor with
FTS") is judged on the second: the same job, searchable when done.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size
from corpus import make_articles
from import_floor import floor, prepare

from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import Annotator, Document, Label, Span
from annotator.domain.text import sha256_of
from annotator.formats.registry import get_format

ROOT = Path(__file__).resolve().parent.parent
TIMED = r"""
import sys, time
from pathlib import Path
from annotator.services.database import open_database
from annotator.services.interchange import import_annotations
from annotator.services.search import index_for_search
db = open_database(Path(sys.argv[2]), seed=False)
t0 = time.perf_counter()
report = import_annotations(db, paths=[Path(sys.argv[3])], format_name=sys.argv[1],
                            annotator_name="bench")
t1 = time.perf_counter()
index_for_search(db)
print(t1 - t0, time.perf_counter() - t0)
assert not report.problems, report.problems[:3]
"""


def documents(n: int, size: int, spans: int) -> list[AnnotatedDocument]:
    labels = {1: Label(1, "ACTOR", "#56B4E9", "1", 0), 2: Label(2, "DATE", "#E69F00", "2", 1)}
    annotators = {1: Annotator(1, "bench")}
    now = datetime.now(UTC)
    out = []
    for d, (meta, text, _tags) in enumerate(make_articles(n, size=size)):
        doc = Document(d + 1, meta, text, sha256_of(text), now)
        made = []
        step = max(1, (len(text) - 20) // max(spans, 1))
        for k in range(spans):
            start = 20 + k * step
            made.append(
                Span(d * spans + k + 1, d + 1, start, start + 5, 1 + k % 2,
                     text[start : start + 5], 1, now, now)
            )  # fmt: skip
        out.append(AnnotatedDocument(doc, tuple(made), labels, annotators))
    return out


def measure(
    folder: Path, n: int, size: int, spans: int, formats: list[str], runs: int
) -> dict[str, dict[str, float]]:
    """Per format: the floor's seconds, the import alone's and the whole command's."""
    docs = documents(n, size, spans)
    # Compiled bytecode, as an installed app has it: without it (PYTHONDONTWRITEBYTECODE)
    # every start compiles SQLAlchemy and the app again, seconds on a slow machine. The
    # first command (creating the database) writes it.
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    results: dict[str, dict[str, float]] = {}
    for name in formats:
        path = folder / f"corpus-a-{name}{'.json' if name == 'label-studio' else '.jsonl'}"
        get_format(name).load().write(iter(docs), path)
        got: dict[str, list[float]] = {
            "floor": [],
            "floor_deferred": [],
            "alone": [],
            "searchable": [],
            "command": [],
        }
        for run in range(runs):
            prepare(folder / f"floor-{name}-{run}.sqlite3")
            got["floor"].append(floor(name, path, folder / f"floor-{name}-{run}.sqlite3"))
            later = folder / f"floor-later-{name}-{run}.sqlite3"
            prepare(later)
            got["floor_deferred"].append(floor(name, path, later, deferred=True))
            db = folder / f"{name}-{run}.sqlite3"
            # Create the database first, so that the command's time is the import's.
            cmd = [sys.executable, "-m", "annotator", "--db", str(db), "list"]
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            t0 = time.perf_counter()
            cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", "--quiet",
                   "--format", name, str(path)]  # fmt: skip
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            got["command"].append(time.perf_counter() - t0)
            if done.returncode != 0:
                raise SystemExit(done.stdout[-1000:] + done.stderr[-2000:])
            db2 = folder / f"{name}-alone-{run}.sqlite3"
            timed = subprocess.run(
                [sys.executable, "-c", TIMED, name, str(db2), str(path)],
                env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            alone, searchable = timed.stdout.strip().splitlines()[-1].split()
            got["alone"].append(float(alone))
            got["searchable"].append(float(searchable))
        results[name] = {key: min(values) for key, values in got.items()}
    return results


def figures(size: Size) -> list[Figure]:
    n, runs = (2000, 3) if size == "full" else (50, 1)
    with tempfile.TemporaryDirectory() as tmp:
        got = measure(Path(tmp), n, 5000, 10, ["label-studio", "doccano"], runs)
    figures = []
    for name, result in got.items():
        what = f"corpus A ({n:,} articles, 10 spans each), {name}"
        figures += [
            Figure(
                f"import alone, {what} (s)",
                result["alone"],
                "s",
                result["floor_deferred"],
                "raw sqlite3, same job (FTS5 indexing left for later, as the import does)",
            ),
            Figure(
                f"import, then indexed for search, {what} (s)",
                result["searchable"],
                "s",
                result["floor"],
                "raw sqlite3 + FTS5, indexing as it inserts",
                max_ratio=1.5,
            ),
        ]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=10, help="annotations per article")
    parser.add_argument("--formats", default="label-studio,doccano")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        got = measure(Path(tmp), args.n, args.size, args.spans, args.formats.split(","), args.runs)
    print(f"corpus A: {args.n} articles of about {args.size} characters, {args.spans} spans each")
    print(f"{'run':<40}{'seconds':>9}{'x floor':>9}")
    for name, result in got.items():
        base = result["floor"]
        print(f"{f'raw sqlite3 + FTS5, {name} (floor)':<40}{base:>9.2f}{1:>9.1f}")
        print(f"{f'annotator import, {name} (command)':<40}{result['command']:>9.2f}"
              f"{result['command'] / base:>9.1f}")  # fmt: skip
        print(f"{'  the import alone':<40}{result['alone']:>9.2f}{result['alone'] / base:>9.1f}")
        print(f"{'  the import, then indexed':<40}{result['searchable']:>9.2f}"
              f"{result['searchable'] / base:>9.1f}")  # fmt: skip
        later = result["floor_deferred"]
        print(f"{f'raw sqlite3, indexing later, {name}':<40}{later:>9.2f}{later / base:>9.1f}")


if __name__ == "__main__":
    main()
