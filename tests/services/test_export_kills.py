"""Kill real export processes at random moments over an earlier export: the path must hold the
earlier export or the new one, whole, after every kill, and the next export must leave nothing
beside it."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.domain.model import DocumentMeta
from annotator.services.atomic import recover
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_labels
from annotator.services.interchange import export_corpus
from annotator.services.spans import add_span

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="forks and SIGKILLs")

REPO = Path(__file__).resolve().parents[2]

# Forks one export per line read, so that a kill costs no interpreter start. Prints the child's
# id, then "done" once the child has ended (finished or killed).
SERVER = """
import os, sys
from pathlib import Path
from annotator.formats.registry import get_format
from annotator.services.database import open_database
from annotator.services.interchange import export_corpus

db_path, format_name, out = sys.argv[1:]
get_format(format_name).load()
# One export first, so that the children forked start with everything imported.
warm_db = open_database(db_path, seed=False)
export_corpus(warm_db, format_name=format_name, out=Path(out).parent.parent / "warm-up")
warm_db.dispose()
for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        db = open_database(db_path, seed=False)
        export_corpus(db, format_name=format_name, out=Path(out))
        db.dispose()
        os._exit(0)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("done", flush=True)
"""


def make_corpus(path: Path, documents: int, tag: str) -> Path:
    db = open_database(path)
    try:
        me = ensure_annotator(db, name="tester")
        actor = next(label.id for label in list_labels(db) if label.name == "ACTOR")
        for i in range(documents):
            text = f"{tag} report {i}: Ana Souza met Kim Jong-un in Pyongyang on Tuesday."
            doc = add_document(db, text=text, meta=DocumentMeta(f"{tag} {i}", source="Wire"))
            start = text.index("Ana Souza")
            add_span(
                db,
                document_id=doc.id,
                start=start,
                end=start + 9,
                label_id=actor,
                annotator_id=me.id,
            )
    finally:
        db.dispose()
    return path


def snapshot(folder: Path) -> dict[str, bytes] | None:
    if not folder.is_dir():
        return None
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def export(db_path: Path, format_name: str, out: Path) -> None:
    db = open_database(db_path, seed=False)
    try:
        export_corpus(db, format_name=format_name, out=out)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small corpus for the earlier export and a larger one for the export killed."""
    folder = tmp_path_factory.mktemp("corpora")
    return make_corpus(folder / "old.sqlite3", 3, "Old"), make_corpus(
        folder / "new.sqlite3", 60, "New"
    )


@pytest.mark.parametrize(("format_name", "trials"), [("brat", 30), ("xmi", 10)])
def test_killed_folder_exports_leave_the_old_or_the_new_export_whole(
    tmp_path: Path, corpora: tuple[Path, Path], format_name: str, trials: int
) -> None:
    old_db, new_db = corpora
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / "export"
    export(new_db, format_name, tmp_path / "reference")
    new = snapshot(tmp_path / "reference")
    export(old_db, format_name, out)
    old = snapshot(out)
    assert new and old and new != old

    env = os.environ | {"PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(new_db), format_name, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert server.stdin and server.stdout
    rng = random.Random(f"{format_name}-13")
    try:

        def run(kill_after: float | None) -> float:
            """One export in a fresh process, killed after `kill_after` seconds (if it still
            runs); how long it ran."""
            assert server.stdin and server.stdout
            server.stdin.write("go\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            started = time.monotonic()
            if kill_after is not None:
                time.sleep(kill_after)
                with contextlib.suppress(ProcessLookupError):  # it finished first
                    os.kill(pid, signal.SIGKILL)
            assert server.stdout.readline().strip() == "done"
            return time.monotonic() - started

        duration = min(run(None) for _ in range(2))  # how long an export takes, unkilled
        assert snapshot(out) == new
        export(old_db, format_name, out)

        for trial in range(trials):
            # Half the kills anywhere, half near the end where the folders swap.
            if trial % 2:
                delay = rng.uniform(0, duration)
            else:
                delay = rng.uniform(0.8 * duration, 1.1 * duration)
            run(delay)
            found = snapshot(out)
            if found is None:
                # Killed between the folder's two renames: no folder at the path, the old
                # one whole beside it, which the next export puts back first.
                assert recover(out), f"trial {trial}: no export at the path and none kept aside"
                found = snapshot(out)
                assert found == old, f"trial {trial}: what was kept aside is not the old export"
            assert found in (old, new), f"trial {trial}: a broken export at the path"
            # The next export cleans up after the killed one; it writes the old corpus, so the
            # next kill is again over an earlier, different export.
            export(old_db, format_name, out)
            assert snapshot(out) == old
            assert [p.name for p in out_dir.iterdir()] == ["export"], f"trial {trial}"
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def test_a_killed_cli_export_is_cleaned_up_by_the_next(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    """`annotator export` itself, killed while it writes: the earlier folder stays whole and
    the next export leaves nothing beside the path."""
    db_path = corpora[1]
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / "export"
    export(db_path, "brat", out)
    before = snapshot(out)
    (out / "marker.txt").write_text("the earlier export", encoding="utf-8")
    earlier = snapshot(out)
    command = [sys.executable, "-m", "annotator", "--db", str(db_path), "export"]
    command += ["--format", "brat", "--out", str(out)]
    env = os.environ | {"PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr
    process.stderr.read(1)  # it has started writing: the progress line
    process.kill()
    process.wait()
    assert snapshot(out) in (earlier, before)
    export(db_path, "brat", out)
    assert snapshot(out) == before
    assert [p.name for p in out_dir.iterdir()] == ["export"]
