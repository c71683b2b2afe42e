"""benchmarks/run still runs every benchmark, and a command's start-up loads only what it uses.

The tiny run measures what the full one does on small data (about 20 s on an idle 2-core
machine), so a renamed function or a changed result breaks this test, not the next person who
measures. Its figures say nothing about speed: only that each was measured. The peer benchmark
is run without Label Studio (its start alone takes minutes): it must then be skipped, saying
why, and the run still succeed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "TMPDIR": str(tmp_path),
    }


def test_the_benchmark_command_measures_every_figure_and_writes_its_page(tmp_path: Path) -> None:
    page, figures = tmp_path / "performance.md", tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run"),
            "--size",
            "tiny",
            "--doc",
            str(page),
            "--json",
            str(figures),
        ],
        cwd=tmp_path,
        env={**_env(tmp_path), "ANNOTATOR_LABEL_STUDIO": str(tmp_path / "no-label-studio")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "failed" not in done.stdout
    got = {f["name"]: f for f in json.loads(figures.read_text("utf-8"))}

    def one(prefix: str) -> dict[str, object]:
        (name,) = [name for name in got if name.startswith(prefix)]
        return got[name]

    # The Speed issue's figures, each with its floor from the same run and its target.
    for prefix, target in [
        ("start-up: annotator list (s)", "<= 0.35 s"),
        ("annotator import, corpus A (50 articles), doccano", "<= 1 s"),
        ("annotator import, corpus A (50 articles), label-studio", "<= 1 s"),
        ("import 100 articles, one JSONL file", "-"),
        ("import and index 100 articles, one JSONL file", "<= 1.5x"),
        (
            "import, then indexed for search, corpus A (50 articles, 10 spans each), doccano",
            "<= 1.5x",
        ),
        ("import alone, corpus A (50 articles, 10 spans each), doccano", "-"),
        ("import alone, corpus A (50 articles, 10 spans each), label-studio", "-"),
        ("import 2,000 spans, native", "<= 3x"),
        ("export 2,000 spans from SQLite, native", "<= 2x"),
        ("export 2,000 spans from SQLite, xlsx", "<= 4x"),
        ("article B (0.05 MB, 500 spans), widget alone", "<= 100 ms, <= 3x"),
        ("window: open article B", "<= 150 ms"),
        ("window: add one span by hotkey in B, median", "<= 16 ms"),
        ("window: scroll B page by page, slowest PageDown frame", "<= 16 ms"),
        ("start on 300 documents, 3,000 spans until the list shows", "<= 1.5 s"),
        ("start on 300 documents, 3,000 spans: peak RSS", "<= 300 MB"),
    ]:
        figure = one(prefix)
        assert figure["target"] == target, figure
        assert isinstance(figure["value"], float) and figure["value"] > 0, figure
        assert isinstance(figure["floor"], float) and figure["floor"] > 0, figure
        assert figure["passed"] in ((None,) if target == "-" else (True, False)), figure
    for prefix in (
        "search 300 documents",
        "claims table",
        "suggest: propose on one 0.05 MB article (s)",
        "add_documents",
    ):
        assert one(prefix)["value"] > 0  # type: ignore[operator]
    assert len([name for name in got if name.startswith("export")]) == 10
    no_peer = f"peer skipped: no Label Studio at {tmp_path / 'no-label-studio'}"
    assert no_peer in done.stdout
    assert not [name for name in got if name.startswith("peer")]

    text = page.read_text("utf-8")
    assert "| figure | value | floor (same run) | ratio | target | result |" in text
    assert "window: open article B" in text and "SQLite:" in text and "Qt:" in text
    assert "Not measured" not in text


def test_a_full_run_measures_each_benchmark_in_a_process_of_its_own(tmp_path: Path) -> None:
    """Outside the tiny run each benchmark runs in a child process that hands back its
    figures whole (targets included), so the table and the page do not depend on the mode."""
    out = tmp_path / "child.json"
    done = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "run"), "--child", "agreement"),
            *("--size", "tiny", "--corpus-folder", str(tmp_path), "--json", str(out)),
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (figure,) = json.loads(out.read_text("utf-8"))
    assert figure["name"].startswith("agreement:")
    assert figure["value"] > 0 and figure["floor"] > 0
    assert figure["max_value"] == 2  # the target travels with the figure


def test_listing_a_database_at_the_current_schema_loads_no_module_it_does_not_use(
    tmp_path: Path,
) -> None:
    db = tmp_path / "at-head.sqlite3"
    env = _env(tmp_path)
    command = [sys.executable, "-X", "importtime", "-m", "annotator", "list", "--db", str(db)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr[-2000:]
    assert db.exists()  # created, at the current schema

    again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 document(s)" in again.stdout
    loaded = {line.rsplit("|", 1)[1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert "sqlalchemy.engine" in loaded  # what `list` does need
    for unused in ("alembic", "PySide6", "spacy", "regex", "charset_normalizer"):
        assert unused not in loaded, unused
    # Its two queries are Core statements: neither the ORM nor the models (a third of the
    # start-up), nor the import, export and revision machinery of other commands.
    for unused in (
        "sqlalchemy.orm",
        "sqlalchemy.ext",
        "annotator.store.models",
        "annotator.store.repository",
        "annotator.formats.sources",
        "annotator.formats.registry",
        "annotator.services.interchange",
        "annotator.services.revisions",
        "annotator.domain.library",
    ):
        assert not [name for name in loaded if name.startswith(unused)], unused
    assert not [name for name in loaded if name.startswith("annotator.ui")]
    # An SQLite database needs no PostgreSQL dialect (a tenth of the start-up).
    assert not [name for name in loaded if name.startswith("sqlalchemy.dialects.postgresql")]
    # The engines' names for the command line, not the engines.
    assert not [name for name in loaded if name.startswith("annotator.assist")]


def test_importing_an_annotation_file_loads_no_revision_or_suggestion_machinery(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.sqlite3"
    path = tmp_path / "one.jsonl"
    path.write_text('{"text": "Ana met Bo.", "label": [[0, 3, "ACTOR"]]}\n', "utf-8")
    env = _env(tmp_path)
    command = [sys.executable, "-X", "importtime", "-m", "annotator", "--db", str(db)]
    command += ["import", "--quiet", "--format", "doccano", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 documents added" in done.stdout and "1 spans added" in done.stdout
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "annotator.store.repository" in loaded  # what an import does need
    # Re-anchoring is loaded when a text is revised; claims and suggestions not at all.
    for unused in (
        "annotator.services.revisions",
        "annotator.domain.reanchor",
        "annotator.domain.claims",
        "annotator.domain.suggestions",
        "annotator.store.suggestions",
        "annotator.store.claims",
        "lxml",
        "numpy",
    ):
        assert unused not in loaded, unused
