"""The peer: the same imports and export in annotator and in a local Label Studio, same run.

    python benchmarks/peer_label_studio.py [--size tiny|full] [--runs N]

Data are those of our own benchmarks, from the same seeds: corpus A (2,000 articles of about
5 kB, as Label Studio tasks: benchmarks/command.py) and article B (1 MB with 10,000
ACTOR/DATE/CLAIM spans: benchmarks/article_view.py), B written by our Label Studio writer as
one task whose annotation holds every span. Both tools get the same two files:

- Label Studio (SQLite, a data folder of its own) is started once; its start is reported but
  timed apart (minutes on a loaded machine: a new database is migrated). Each run of A gets a
  new project made from the labeling config written beside B; the times are those of its API
  as a script calls it: importing A's tasks (POST .../import), then B into the same project,
  then exporting that project as JSON with every task (GET .../export).
- annotator running, as Label Studio's server is: one process started (untimed) with the
  modules of the window's Import and Export loaded, making the window's service calls
  (`import_files`, `export_corpus`) on request, into a new SQLite database per run of A;
- annotator's commands as a user types them, start-up included, into a new SQLite database
  in a temporary folder (created, untimed, by `annotator list`): `annotator import` of A, of B
  into the same database, then `annotator export --format label-studio`.

Each step runs in one tool right after the other (the same load on a busy machine); each time
is the best of the runs, except B's (imported once, into the last run's A). The exports must
hold the same tasks and spans. Beside the wall-clock times, the CPU times (the running app's
process; Label Studio's server process during the call) are given for information: on a
loaded machine they are the steadier comparison.

Each figure's floor is Label Studio's time in the same run, so its ratio is annotator / Label
Studio. The target is the Speed issue's "ahead of every peer", a ratio of at most 1, judged
like for like: the running app against the running server. The commands are shown beside,
without a target: each pays a process start (about 0.3 s) that a running server does not,
and the issue's own target for the command is absolute (benchmarks/command.py). Our own
absolute and floor targets stay in the other benchmarks and never depend on this one. Without
Label Studio (`.venv-label-studio` at the top of the checkout, made by scripts/test, or the
`label-studio` command named by $ANNOTATOR_LABEL_STUDIO) the benchmark gives no figures and
says so in one line. Opening B in Label Studio's browser interface is not measured (it needs
a browser).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size, user_env
from article_view import LABELS, make_spans, make_text
from command import annotator, timed, timed_cpu, write_corpus
from label_studio_server import LabelStudio, LabelStudioError, executable, sigterm_stops, version

from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import Annotator, Document, DocumentMeta
from annotator.domain.text import sha256_of
from annotator.formats import label_studio

SIZES = {"full": (2000, 1.0, 10_000, 3), "tiny": (50, 0.05, 500, 1)}  # A, B MB, B spans, runs
SLOW = 3600  # seconds one API call may take before it counts as hung


def write_b(folder: Path, mb: float, n_spans: int) -> Path:
    """Article B as one Label Studio task with every span (duplicates dropped, as the window
    benchmarks do), and the labeling config beside it."""
    text = make_text(mb)
    now = datetime.now(UTC)
    seen: set[tuple[int, int, int]] = set()
    spans = []
    for s in make_spans(text, n_spans):
        if (key := (s.start, s.end, s.label_id)) not in seen:
            seen.add(key)
            spans.append(s)
    doc = Document(1, DocumentMeta("B"), text, sha256_of(text), now)
    labels = {label.id: label for label in LABELS}
    path = folder / "article-b.json"
    label_studio.write(
        [AnnotatedDocument(doc, tuple(spans), labels, {1: Annotator(1, "bench")})], path
    )
    return path


def tasks_and_results(path: Path) -> tuple[int, int]:
    """Tasks in a Label Studio JSON file, and span results in their annotations."""
    tasks = json.loads(path.read_text("utf-8"))
    results = sum(
        1
        for task in tasks
        for annotation in task.get("annotations", ())
        for result in annotation["result"]
        if result.get("type") == "labels"
    )
    return len(tasks), results


Times = tuple[float, float]  # wall-clock and CPU seconds


class Ours:
    """annotator's commands, each a fresh process, on a new database per run of A; its CPU
    time is the process's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = user_env(folder / "home")
        self.empty = folder / "empty.sqlite3"
        timed(annotator("list", "--db", str(self.empty)), self.env)  # at the current schema
        timed(annotator("import", "--help"), self.env)  # and every module compiled once
        self.db = self.empty
        self.out = folder / "annotator-export.json"

    def import_a(self, path: Path, run: int) -> Times:
        self.db = self.folder / f"annotator-{run}.sqlite3"
        shutil.copy(self.empty, self.db)
        return self._import(path)

    def import_b(self, path: Path) -> Times:
        return self._import(path)

    def _import(self, path: Path) -> Times:
        return timed_cpu(annotator("import", "--db", str(self.db), "--quiet", str(path)), self.env)

    def export(self) -> Times:
        command = ("export", "--db", str(self.db), "--format", "label-studio", "--out")
        return timed_cpu(annotator(*command, str(self.out)), self.env)


# The app already running, as Label Studio's server is: one process, started (untimed) with the
# modules the window's Import and Export use loaded, that runs the same service calls as the
# window's File > Import (`import_files`, as annotator/ui/corpus/import_flow.py calls it) and
# Export (`export_corpus`) on request and answers with each call's wall-clock and CPU seconds.
RUNNING_APP = r"""
import sys, time
from pathlib import Path
from annotator.services.database import open_database
from annotator.services.importing import import_files
from annotator.services.interchange import export_corpus, ExportSelection
import annotator.formats.label_studio, ijson  # loaded, as in a window that has imported before
print("ready", flush=True)
for line in sys.stdin:
    step, db_path, path = line.rstrip("\n").split("\t")
    db = open_database(Path(db_path), seed=False)
    wall, cpu = time.perf_counter(), time.process_time()
    if step == "import":
        report = import_files(db, paths=[Path(path)], annotator_name="bench")
        failed = [r for r in report.results if r.outcome.name == "REFUSED"]
        assert not failed, failed[:3]
    else:
        export_corpus(db, format_name="label-studio", out=Path(path),
                      selection=ExportSelection())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    db.dispose()
    print(wall, cpu, flush=True)
"""


class OursRunning:
    """annotator already running (the window's service calls in one long-lived process), each
    run of A into a new database made as `Ours` makes it; its CPU time is the process's."""

    def __init__(self, folder: Path, empty: Path) -> None:
        self.folder = folder
        self.empty = empty
        self.db = empty
        self.out = folder / "annotator-running-export.json"
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUNNING_APP],
            env=user_env(folder / "home-running"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the running app did not start")

    def _call(self, step: str, path: Path) -> Times:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{step}\t{self.db}\t{path}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if len(answer) != 2:
            raise SystemExit(f"the running app failed at {step} {path}")
        return float(answer[0]), float(answer[1])

    def import_a(self, path: Path, run: int) -> Times:
        self.db = self.folder / f"annotator-running-{run}.sqlite3"
        shutil.copy(self.empty, self.db)
        return self._call("import", path)

    def import_b(self, path: Path) -> Times:
        return self._call("import", path)

    def export(self) -> Times:
        return self._call("export", self.out)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


class Peer:
    """Label Studio's API on a running server, a new project per run of A; its CPU time is
    the server process's during the call (the client's, reading the answer, is left out)."""

    def __init__(self, server: LabelStudio, config: str) -> None:
        self.server = server
        self.config = config
        self.project = 0
        self.out = server.folder / "label-studio-export.json"

    def _timed(self, method: str, path: str, body: bytes | None = None) -> tuple[Times, bytes]:
        cpu, t0 = self.server.cpu_seconds(), time.perf_counter()
        answer = self.server.fetch(path, SLOW, method=method, data=body)
        seconds = time.perf_counter() - t0
        return (seconds, self.server.cpu_seconds() - cpu), answer

    def _import(self, path: Path) -> tuple[Times, dict[str, int]]:
        # The file as it is, as `curl --data-binary @file` sends it.
        url = f"/api/projects/{self.project}/import"
        times, answer = self._timed("POST", url, path.read_bytes())
        return times, json.loads(answer)

    def import_a(self, path: Path, run: int) -> Times:
        body = {"title": f"A {run}", "label_config": self.config}
        self.project = self.server.call("POST", "/api/projects", body)["id"]
        return self._import(path)[0]

    def import_b(self, path: Path) -> Times:
        times, answer = self._import(path)
        if answer.get("annotation_count") != 1:
            raise LabelStudioError(f"Label Studio did not take B's annotation: {answer}")
        return times

    def export(self) -> Times:
        query = "exportType=JSON&download_all_tasks=true"  # without it: annotated tasks only
        times, body = self._timed("GET", f"/api/projects/{self.project}/export?{query}")
        self.out.write_bytes(body)
        return times


def measure(
    size: Size, runs: int | None = None
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(annotator's commands, annotator running, Label Studio): for each step its best
    wall-clock seconds ("import_a") and
    its best CPU seconds ("import_a_cpu") over the runs. Each step of one tool runs right
    after the same step of the other (the same load on a busy machine). Raises
    LabelStudioError when Label Studio fails."""
    articles, mb, n_spans, default_runs = SIZES[size]
    runs = runs or default_runs
    with tempfile.TemporaryDirectory(prefix="annotator-peer-") as tmp:
        folder = Path(tmp)
        a = write_corpus(folder, articles)["label-studio"]
        b = write_b(folder, mb, n_spans)
        with sigterm_stops(), LabelStudio(folder / "label-studio") as server:
            config = label_studio.config_path(b).read_text("utf-8")
            ours = Ours(folder)
            running = OursRunning(folder, ours.empty)
            sides: tuple[Ours | OursRunning | Peer, ...] = (ours, running, Peer(server, config))
            got: tuple[dict[str, float], ...] = tuple({} for _ in sides)

            def keep(results: dict[str, float], step: str, times: Times) -> None:
                for key, value in zip((step, f"{step}_cpu"), times, strict=True):
                    results[key] = min(results.get(key, math.inf), value)

            for run in range(runs):
                for side, results in zip(sides, got, strict=True):
                    keep(results, "import_a", side.import_a(a, run))
            for side, results in zip(sides, got, strict=True):
                keep(results, "import_b", side.import_b(b))  # once, into the last A
            for _ in range(runs):
                for side, results in zip(sides, got, strict=True):
                    keep(results, "export", side.export())
            running.close()
            got[2]["start"] = server.start_seconds
            exported = [tasks_and_results(side.out) for side in sides]
    if len(set(exported)) != 1:
        raise LabelStudioError(
            "the exports differ: annotator {}, running {}, Label Studio {}".format(*exported)
        )
    return got[0], got[1], got[2]


def figures(size: Size, runs: int | None = None) -> list[Figure]:
    command = executable()
    if not command.is_file():
        print(f"   peer skipped: no Label Studio at {command} (scripts/test installs it)")
        return []
    ours, running, peer = measure(size, runs)
    articles, mb, n_spans, _ = SIZES[size]
    floor_name = f"Label Studio {version(command) or '?'}, same run"
    what = {
        "import_a": f"peer: import corpus A ({articles:,} articles, Label Studio tasks)",
        "import_b": f"peer: import article B ({mb:g} MB, {n_spans:,} spans) into A",
        "export": "peer: export A + B as Label Studio JSON",
    }
    # Like for like, running app against running server, is what "ahead" is judged on; the
    # commands pay a process start (about 0.3 s) that a running server does not.
    got = [
        Figure(f"{name}, app running (s)", running[key], "s", peer[key], floor_name,
               max_ratio=1.0)
        for key, name in what.items()
    ]  # fmt: skip
    got += [
        Figure(f"{name}, the command, start-up included (s)", ours[key], "s", peer[key],
               floor_name)
        for key, name in what.items()
    ]  # fmt: skip
    if math.isfinite(peer["import_a_cpu"]):  # not where /proc does not tell
        got += [
            Figure(f"{name}, app running, CPU time (s)", running[f"{key}_cpu"], "s",
                   peer[f"{key}_cpu"], floor_name.replace(", same run", ", server process"))
            for key, name in what.items()
        ]  # fmt: skip
    start = f"peer: {floor_name.split(',')[0]} server start, untimed above (s)"
    return [*got, Figure(start, peer["start"], "s")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="full")
    parser.add_argument("--runs", type=int, help="runs of each figure, the best kept")
    args = parser.parse_args()
    try:
        got = figures(args.size, args.runs)
    except LabelStudioError as error:
        raise SystemExit(f"Label Studio: {error}") from None
    if not got:
        return
    width = max(len(f.name) for f in got) + 2
    print(f"{'figure':<{width}}{'annotator':>10}{'peer':>10}{'ratio':>8}")
    for f in got:
        if f.floor is None:
            print(f"{f.name:<{width}}{'':>10}{f.value:>10.2f}")
        else:
            print(f"{f.name:<{width}}{f.value:>10.2f}{f.floor:>10.2f}{f.ratio or 0:>7.2f}x")
    print(f"(seconds, best of the runs; peer: {got[0].floor_name})")


if __name__ == "__main__":
    main()
