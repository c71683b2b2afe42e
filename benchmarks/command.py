"""The `annotator` command as a user runs it: start-up, and importing a small corpus.

    python benchmarks/command.py [--articles 2000] [--runs 5]

Each run is a fresh process on a database already at the current schema (the user's own):
- `annotator list` on an empty database, against bare Python starting (`python -c pass`).
  Target: 0.35 s.
- `annotator import` of corpus A (articles of ~5 kB) as Label Studio tasks and as doccano
  JSONL into an empty database, start-up included, against a fresh Python process doing the
  same job with raw sqlite3 (benchmarks/import_floor.py: the same file parsed with `json`,
  the same rows and indexes, the same batches, the documents listed for the FTS5 index pass
  as the import lists them: `annotator search` or the window indexes them later, and
  benchmarks/import_corpus_a.py times that pass). Target: 1 s.
Times are the best of `--runs` (wall clock: the machine's load only ever adds to it); the CPU
time (user + system) of `annotator list` is given too, as it depends less on that load.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size, user_env
from corpus import make_articles
from import_floor import prepare

FLOOR = Path(__file__).resolve().parent / "import_floor.py"


def timed(args: list[str], env: dict[str, str]) -> float:
    return timed_cpu(args, env)[0]


def timed_cpu(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{args[1:4]}: {done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def annotator(*args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", *args]


def write_corpus(folder: Path, n: int) -> dict[str, Path]:
    """Corpus A as Label Studio tasks and doccano JSONL."""
    items = make_articles(n, size=5000, seed=3)
    tasks = [{"data": {"text": text, "title": meta.title}} for meta, text, _ in items]
    paths = {
        "label-studio": folder / "corpus-a.json",
        "doccano": folder / "corpus-a.jsonl",
    }
    paths["label-studio"].write_text(json.dumps(tasks, ensure_ascii=False), "utf-8")
    with paths["doccano"].open("w", encoding="utf-8") as out:
        for meta, text, _ in items:
            out.write(json.dumps({"text": text, "title": meta.title, "label": []}) + "\n")
    return paths


def measure(articles: int, runs: int) -> dict[str, float]:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = user_env(root / "home")
        empty = root / "empty.sqlite3"
        timed(annotator("list", "--db", str(empty)), env)  # created and at head
        if runs > 1:
            timed(annotator("import", "--help"), env)  # and every module compiled once
        bare = [timed_cpu([sys.executable, "-c", "pass"], env) for _ in range(runs)]
        listed = [timed_cpu(annotator("list", "--db", str(empty)), env) for _ in range(runs)]
        results["bare_python_s"] = min(wall for wall, _ in bare)
        results["bare_python_cpu_s"] = min(cpu for _, cpu in bare)
        results["list_s"] = min(wall for wall, _ in listed)
        results["list_cpu_s"] = min(cpu for _, cpu in listed)
        paths = write_corpus(root, articles)
        floor_command = [sys.executable, str(FLOOR), "--deferred"]
        for name in ("label-studio", "doccano"):
            floors = []
            for i in range(runs):
                floor_db = root / f"floor-{name}-{i}.sqlite3"
                prepare(floor_db)
                floors.append(timed([*floor_command, name, str(paths[name]), str(floor_db)], env))
            results[f"import_floor_{name}_s"] = min(floors)
            times = []
            for i in range(runs):
                db = root / f"{name}-{i}.sqlite3"
                shutil.copy(empty, db)
                times.append(
                    timed(annotator("import", "--db", str(db), "--quiet", str(paths[name])), env)
                )
            results[f"import_{name}_s"] = min(times)
    return results


def figures(size: Size) -> list[Figure]:
    articles, runs = (2000, 5) if size == "full" else (50, 1)
    got = measure(articles, runs)
    floor_name = "python + raw sqlite3, same job (FTS5 index pass left for later)"
    return [
        Figure(
            "start-up: annotator list (s)",
            got["list_s"],
            "s",
            got["bare_python_s"],
            "python -c pass",
            max_value=0.35,
        ),
        Figure(
            "start-up: annotator list, CPU time (s)",
            got["list_cpu_s"],
            "s",
            got["bare_python_cpu_s"],
            "python -c pass",
        ),
        *(
            Figure(
                f"annotator import, corpus A ({articles:,} articles), {name} (s)",
                got[f"import_{name}_s"],
                "s",
                got[f"import_floor_{name}_s"],
                floor_name,
                max_value=1.0,
            )
            for name in ("label-studio", "doccano")
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    got = measure(args.articles, args.runs)
    print(f"best of {args.runs} runs, seconds, start-up included")
    for key, seconds in got.items():
        print(f"{key:<24}{seconds:8.3f}")


if __name__ == "__main__":
    main()
