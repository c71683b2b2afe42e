"""Try to lose data: kill the app while it annotates, imports and exports, and put two writers
on one SQLite file. Prints what it did and what was lost; every loss column must be 0.

    python benchmarks/trust.py                 # 200 kills per kind (a few minutes)
    python benchmarks/trust.py --kills 10      # a smoke run (tests/test_trust_harness.py)

Kinds:
- spans: a process adds spans through the services and prints each one the service returned
  (acknowledged); it is killed at a random moment. Every acknowledged span must be stored, and
  the file must pass `PRAGMA integrity_check`.
- import: a process imports a folder of articles; killed, no document may be partial (its text
  must match its stored SHA-256) and the file must pass the integrity check.
- export: a process exports brat (a folder) over an earlier export; killed, the folder at the
  path must be a complete export (the same files as a finished one), and after one more export
  no temporary folder may be left beside it.
- writers: two processes add spans to one file at once; no call may fail.

SIGKILL gives no process a chance to clean up: what survives is what was on disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXT = " ".join(f"Word{n} said on Monday that item {n} is fine." for n in range(400))

CHILD = r"""
import sys, time
from pathlib import Path
from annotator.services.database import ensure_annotator, open_database
mode, db_path = sys.argv[1], sys.argv[2]
db = open_database(db_path)
print("READY", flush=True)
if mode in ("spans", "writer"):
    from annotator.services.documents import list_documents, list_labels
    from annotator.services.spans import add_span
    me = ensure_annotator(db, name=f"harness {sys.argv[3]}").id
    doc = list_documents(db)[0].id
    label = list_labels(db)[0].id
    failures = 0
    for n in range(int(sys.argv[4]) if len(sys.argv) > 4 else 10**9):
        start = (n * 7 + int(sys.argv[3]) * 3) % 2000
        try:
            span = add_span(db, document_id=doc, start=start, end=start + 4, label_id=label,
                            annotator_id=me)
        except Exception as exc:  # counted: a writer beside another must not fail
            failures += 1
            print(f"FAIL {type(exc).__name__}: {exc}", flush=True)
            continue
        print(f"ACK {span.id} {span.start} {span.end}", flush=True)
    print(f"DONE {failures}", flush=True)
elif mode == "import":
    from annotator.services.importing import import_files
    import_files(db, paths=[Path(sys.argv[3])], annotator_name="harness")
    print("DONE", flush=True)
elif mode == "export":
    from annotator.services.interchange import export_corpus
    export_corpus(db, format_name="brat", out=Path(sys.argv[3]))
    print("DONE", flush=True)
db.dispose()
"""


@dataclass
class Tally:
    kind: str
    runs: int = 0
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    integrity_failures: int = 0
    corrupted: int = 0
    leftovers: int = 0
    failed_calls: int = 0
    notes: list[str] = field(default_factory=list)


def child(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def integrity(db_path: Path) -> bool:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def prepare(db_path: Path, documents: int = 1) -> None:
    sys.path.insert(0, str(REPO))
    from annotator.domain.model import DocumentMeta
    from annotator.services.database import open_database
    from annotator.services.documents import add_document

    db = open_database(db_path)
    for n in range(documents):
        add_document(db, text=f"{n}. {TEXT}", meta=DocumentMeta(f"Harness article {n}"))
    db.dispose()


def work_time(*args: str) -> float:
    """How long the child's work takes after READY when nobody kills it."""
    process = child(*args)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY"):
            break
    started = time.perf_counter()
    process.communicate()
    return time.perf_counter() - started


def kill_after(process: subprocess.Popen[str], low: float, high: float, lines: list[str]) -> bool:
    """SIGKILL at a random moment once the child has started its work (it prints READY);
    False when it had finished before. What it printed goes to `lines`."""
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if line.startswith("READY"):
            break
    time.sleep(random.uniform(low, high))
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
    out, _ = process.communicate()
    lines.extend(out.splitlines())
    return killed


def run_spans(work: Path, kills: int) -> Tally:
    tally = Tally("spans")
    db_path = work / "spans.sqlite3"
    prepare(db_path)
    acknowledged: set[int] = set()
    for run in range(kills):
        process = child("spans", str(db_path), str(run))
        tally.runs += 1
        lines: list[str] = []
        tally.kills += kill_after(process, 0.05, 0.6, lines)
        for line in lines:
            if line.startswith("ACK "):
                acknowledged.add(int(line.split()[1]))
        if not integrity(db_path):
            tally.integrity_failures += 1
    with sqlite3.connect(db_path) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM spans")}
    tally.acknowledged = len(acknowledged)
    tally.lost = len(acknowledged - stored)
    return tally


def run_import(work: Path, kills: int) -> Tally:
    tally = Tally("import")
    folder = work / "articles"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n:03d}.txt").write_text(
            f"Article {n}. " + TEXT[: 2000 + n * 37], encoding="utf-8"
        )
    scratch = work / "import-timing.sqlite3"
    prepare(scratch)
    took = work_time("import", str(scratch), str(folder))
    for run in range(kills):
        db_path = work / f"import-{run}.sqlite3"
        prepare(db_path)
        process = child("import", str(db_path), str(folder))
        tally.runs += 1
        tally.kills += kill_after(process, 0.0, 0.9 * took, [])
        if not integrity(db_path):
            tally.integrity_failures += 1
        with sqlite3.connect(db_path) as conn:
            for text, digest in conn.execute("SELECT text, sha256 FROM documents"):
                if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
                    tally.corrupted += 1
        db_path.unlink()
        for extra in work.glob(f"import-{run}.sqlite3-*"):
            extra.unlink()
    return tally


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file()
    )


def run_export(work: Path, kills: int) -> Tally:
    tally = Tally("export")
    db_path = work / "export.sqlite3"
    prepare(db_path, documents=150)  # long enough to be killed in the middle
    out = work / "out" / "brat"
    out.parent.mkdir()
    first = child("export", str(db_path), str(out))
    first.communicate()
    reference = listing(out)
    if not reference:
        tally.notes.append("the first export wrote nothing")
        return tally
    took = work_time("export", str(db_path), str(out))
    for _ in range(kills):
        process = child("export", str(db_path), str(out))
        tally.runs += 1
        tally.kills += kill_after(process, 0.0, 0.9 * took, [])
        if not out.is_dir() or listing(out) != reference:
            tally.corrupted += 1
    finish = child("export", str(db_path), str(out))
    finish.communicate()
    if listing(out) != reference:
        tally.corrupted += 1
    tally.leftovers = len([p for p in out.parent.iterdir() if p != out])
    return tally


def run_writers(work: Path, calls: int) -> Tally:
    tally = Tally("writers")
    db_path = work / "writers.sqlite3"
    prepare(db_path)
    processes = [child("writer", str(db_path), str(n), str(calls)) for n in (1, 2)]
    acknowledged: set[int] = set()
    for process in processes:
        out, err = process.communicate()
        tally.runs += 1
        if process.returncode != 0:  # died outside the loop (opening the file, say)
            tally.failed_calls += 1
            tally.notes.append(err.strip().splitlines()[-1][:160] if err.strip() else "died")
        for line in out.splitlines():
            if line.startswith("ACK "):
                acknowledged.add(int(line.split()[1]))
            elif line.startswith("FAIL"):
                tally.failed_calls += 1
                if len(tally.notes) < 3:
                    tally.notes.append(line[:160])
    with sqlite3.connect(db_path) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM spans")}
    tally.acknowledged = len(acknowledged)
    tally.lost = len(acknowledged - stored)
    if not integrity(db_path):
        tally.integrity_failures += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200, help="kills per kind (default 200)")
    parser.add_argument("--calls", type=int, default=400, help="calls per writer (default 400)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("spans", "import", "export", "writers"))
    args = parser.parse_args(argv)
    random.seed(args.seed)
    tallies: list[Tally] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind, run in (
            ("spans", lambda: run_spans(work, args.kills)),
            ("import", lambda: run_import(work, args.kills)),
            ("export", lambda: run_export(work, args.kills)),
            ("writers", lambda: run_writers(work, args.calls)),
        ):
            if args.only in (None, kind):
                started = time.perf_counter()
                tallies.append(run())
                tallies[-1].notes.append(f"{time.perf_counter() - started:.0f} s")
    header = (
        "kind",
        "runs",
        "kills",
        "acked",
        "lost",
        "integrity",
        "corrupted",
        "leftovers",
        "failed",
    )
    print(" ".join(f"{h:>9}" for h in header))
    bad = 0
    for t in tallies:
        losses = (t.lost, t.integrity_failures, t.corrupted, t.leftovers, t.failed_calls)
        bad += sum(losses)
        values = (t.kind, t.runs, t.kills, t.acknowledged, *losses)
        print(" ".join(f"{v:>9}" for v in values) + "   " + "; ".join(t.notes))
    print("nothing lost" if bad == 0 else f"LOST OR DAMAGED: {bad}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
