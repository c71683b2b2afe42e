"""benchmarks/team_load.py on the test server: four processes annotating the same documents
at once lose nothing they were told was saved and double nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_four_annotators_at_once_lose_and_double_nothing(
    tmp_path: Path, pg_database_url: str
) -> None:
    figures = tmp_path / "figures.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "team_load.py"),
            *("--db", pg_database_url, "--workers", "4", "--documents", "10"),
            *("--seconds", "4", "--json", str(figures)),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    result = json.loads(figures.read_text())
    assert (result["lost"], result["duplicated"]) == (0, 0)
    operations = result["operations"]
    # Each kind of write happened, so the checks had something to check.
    for kind in ("add", "relabel", "contend", "link"):
        assert operations.get(kind, 0) > 0, operations
    assert not [k for k in operations if k.startswith("failed")], operations
    assert "lost (acknowledged, not stored)" in done.stdout
