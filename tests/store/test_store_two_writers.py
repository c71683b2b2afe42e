"""Two programs writing to one SQLite file at once: both finish, nothing is lost.

Each writer is a real process. They start together (they wait for a file to appear), so their
transactions overlap; a writer that found the file busy used to fail at once with "database is
locked" instead of waiting its turn.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from demo_helpers import add_plain_demo

from annotator.services.database import open_database
from annotator.services.documents import list_documents, open_document

# Waits for the start signal, then runs the command line with the given arguments.
IMPORT = """
import sys, time
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
from annotator.cli import main
sys.exit(main(sys.argv[2:]))
"""

# Waits for the start signal, then adds spans one at a time through the services, as the
# window does, and prints how many it added.
ADD_SPANS = """
import sys, time
from pathlib import Path
go, db_file, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import list_documents, list_labels, open_document
from annotator.services.spans import add_span
db = open_database(db_file)
summary = min(list_documents(db), key=lambda s: s.id)
document, _ = open_document(db, document_id=summary.id)
label = next(label for label in list_labels(db) if label.name == "ACTOR")
who = ensure_annotator(db, name="looper").id
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    add_span(db, document_id=document.id, start=i, end=i + 5, label_id=label.id,
             annotator_id=who)
print(count)
"""


def _articles(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        body = " ".join(f"{prefix} word {i} {j}." for j in range(300))
        (folder / f"{prefix}-{i:04}.txt").write_text(body, encoding="utf-8")
    return folder


def _start(script: str, *args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=cwd,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_together(processes: list[subprocess.Popen[str]], go: Path) -> list[tuple[int, str, str]]:
    time.sleep(1.5)  # let both import the app and open the database
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        results.append((process.returncode, out, err))
    return results


def test_two_imports_at_once_both_store_everything(tmp_path: Path):
    db_file = tmp_path / "shared.sqlite3"
    open_database(db_file).dispose()
    go = tmp_path / "go"
    folders = [_articles(tmp_path / name, name, 300) for name in ("left", "right")]
    results = _run_together(
        [
            _start(IMPORT, str(go), "--db", str(db_file), "import", str(folder), cwd=tmp_path)
            for folder in folders
        ],
        go,
    )
    for status, out, err in results:
        assert status == 0, err
        assert "Traceback" not in err
        assert "300 imported" in out, out
    db = open_database(db_file)
    try:
        assert len(list_documents(db)) == 600
    finally:
        db.dispose()


def test_an_import_beside_a_loop_adding_spans_both_finish(tmp_path: Path):
    db_file = tmp_path / "shared.sqlite3"
    document_id = add_plain_demo(db_file)
    go = tmp_path / "go"
    folder = _articles(tmp_path / "articles", "article", 300)
    spans, importer = _run_together(
        [
            _start(ADD_SPANS, str(go), str(db_file), "300", cwd=tmp_path),
            _start(IMPORT, str(go), "--db", str(db_file), "import", str(folder), cwd=tmp_path),
        ],
        go,
    )
    assert spans[0] == 0, spans[2]
    assert importer[0] == 0, importer[2]
    assert "300 imported" in importer[1], importer[1]
    db = open_database(db_file)
    try:
        assert len(list_documents(db)) == 301
        _, stored = open_document(db, document_id=document_id)
        assert len(stored) == 300
    finally:
        db.dispose()
