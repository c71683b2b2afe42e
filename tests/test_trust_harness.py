"""A small run of benchmarks/trust.py: killed while annotating, importing and exporting, and two
writers on one file, the app loses nothing. The full run (200 kills a kind) is the harness's
own command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_a_smoke_run_of_the_trust_harness_loses_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "trust.py"), "--kills", "4", "--calls", "80"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "nothing lost" in result.stdout
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:-1]}
    assert set(lines) == {"spans", "import", "export", "writers"}
    assert int(lines["spans"][3]) > 0  # spans were acknowledged before the kills
    assert int(lines["writers"][3]) == 160  # both writers' calls all went through
