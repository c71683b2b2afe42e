"""`annotator suggest`, run for real: engines over the corpus, JSON Lines out, Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from annotator.domain.model import DocumentMeta
from annotator.services.database import open_database
from annotator.services.documents import add_document

TEXT = (
    "Harbour plan approved\n\n"
    "Mayor Ines Okafor said on Tuesday that the barrier would be finished by 2030.\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_suggest_stores_suggestions_and_writes_json_lines(tmp_path: Path) -> None:
    db_file = tmp_path / "s.sqlite3"
    db = open_database(db_file)
    doc = add_document(db, text=TEXT, meta=DocumentMeta("Harbour", published="2025-11-19")).id
    db.dispose()
    out = tmp_path / "suggestions.jsonl"
    done = run("--db", str(db_file), "suggest", "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("4 suggestions in 1 document (")
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    quotes = {(r["label"], r["quote"]): r for r in records}
    assert set(quotes) == {
        ("ACTOR", "Ines Okafor"),
        ("DATE", "Tuesday"),
        ("DATE", "2030"),
        ("CLAIM", "the barrier would be finished by 2030"),
    }
    claim = quotes[("CLAIM", "the barrier would be finished by 2030")]
    assert claim["document"]["id"] == doc and len(claim["document"]["sha256"]) == 64
    assert claim["engine"] == "claims" and 0 < claim["score"] <= 1
    assert claim["attributes"] == {
        "quote_type": "indirect",
        "reporting_verb": "said",
        "hedged": False,
    }
    assert sorted((r["type"], r["target"]["quote"]) for r in claim["relations"]) == [
        ("SOURCE", "Ines Okafor"),
        ("TIME", "2030"),
    ]
    assert quotes[("DATE", "Tuesday")]["attributes"] == {"value": "2025-11-18"}
    for record in records:
        assert TEXT[record["start"] : record["end"]] == record["quote"]

    only = run(
        "--db", str(db_file), "suggest", "--engine", "dates", "--document", str(doc),
        "--output", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert only.returncode == 0, only.stderr
    assert {json.loads(line)["engine"] for line in out.read_text("utf-8").splitlines()} == {"dates"}


def test_suggest_refuses_an_unknown_document_in_one_line(tmp_path: Path) -> None:
    done = run("--db", str(tmp_path / "s.sqlite3"), "suggest", "--document", "7", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "annotator: error: document 7 does not exist"


def test_ctrl_c_cancels_a_long_run_and_keeps_what_finished(tmp_path: Path) -> None:
    db_file = tmp_path / "many.sqlite3"
    db = open_database(db_file)
    from annotator.services.library import add_documents

    add_documents(
        db,
        items=[(DocumentMeta(f"Story {n}"), f"Story {n}\n\n" + TEXT * 40, ()) for n in range(600)],
    )
    db.dispose()
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db_file), "suggest"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    # Wait until the first batch is stored, then interrupt as Ctrl+C does.
    import sqlite3
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db_file, timeout=1) as conn:
                n = conn.execute("SELECT count(DISTINCT document_id) FROM suggestions").fetchone()[
                    0
                ]
        except sqlite3.OperationalError:
            continue
        if n:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "cancelled, what finished is kept" in out
    with sqlite3.connect(db_file) as conn:
        kept = conn.execute("SELECT count(DISTINCT document_id) FROM suggestions").fetchone()[0]
    assert 0 < kept < 600
    assert "Traceback" not in err
