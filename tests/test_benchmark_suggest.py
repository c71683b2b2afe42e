"""benchmarks/suggest.py still runs: the suggestion figures in the README come from it.

At its smallest size (`--quick`) it measures everything the full run does, so a renamed
function or a changed result type breaks this test rather than the next person who measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_suggestion_benchmark_runs_and_ends_with_its_summary(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "suggest.py"),
            "--quick",
            "--json",
            str(figures),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for section in ("Quality: dev", "Quality: held-out", "Actor learning curve", "Speed"):
        assert f"== {section}" in out, section
    summary = out.split("== Summary ==", 1)[1].splitlines()
    assert summary[1].split() == ["figure", "measured", "target", "result"]
    recorded = json.loads(figures.read_text("utf-8"))
    rows = [line for line in summary[2:] if line.rstrip().endswith(("pass", "MISS"))]
    assert len(rows) == len(recorded["summary"]) >= 20
    for row, figure in zip(rows, recorded["summary"], strict=True):
        assert row.startswith(figure["figure"])
        assert row.rstrip().endswith("pass" if figure["passed"] else "MISS")
    assert {"dev", "heldout", "all"} <= recorded["quality"].keys()
    assert set(recorded["learning_curve"]["all"]) == {"0", "1", "2", "4"}
    stored = recorded["speed"]["stored"]
    assert stored["cancelled"] and stored["cancel_documents"] < stored["articles"]
