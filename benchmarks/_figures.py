"""What every benchmark hands `benchmarks/run`: figures, each with the floor measured in the
same run, and the target from the Speed issue.

A target is a ratio to the floor (`max_ratio`), an absolute ceiling (`max_value`), or both;
a figure with neither is reported for information. Sizes: "tiny" is a smoke run (seconds,
for the test suite: its pass/miss says nothing), "full" is what the targets are about.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Size = Literal["tiny", "full"]
SIZES: tuple[Size, ...] = ("tiny", "full")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str  # "s", "ms" or "MB"; the floor is in the same unit
    floor: float | None = None
    floor_name: str = ""
    max_ratio: float | None = None
    max_value: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def target(self) -> str:
        parts = []
        if self.max_value is not None:
            parts.append(f"<= {self.max_value:g} {self.unit}")
        if self.max_ratio is not None:
            parts.append(f"<= {self.max_ratio:g}x")
        return ", ".join(parts) or "-"

    @property
    def passed(self) -> bool | None:
        if self.max_value is None and self.max_ratio is None:
            return None
        ok = True
        if self.max_value is not None:
            ok = ok and self.value <= self.max_value
        if self.max_ratio is not None:
            ratio = self.ratio
            ok = ok and ratio is not None and ratio <= self.max_ratio
        return ok

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "floor": self.floor,
            "floor_name": self.floor_name,
            "ratio": self.ratio,
            "target": self.target,
            "passed": self.passed,
        }


def user_env(home: Path) -> dict[str, str]:
    """The environment of a user with no settings (a `home` of their own), on this checkout,
    with compiled bytecode as an installed app has: PYTHONDONTWRITEBYTECODE would make every
    start compile every module again (twice the start-up), so it is dropped and the bytecode
    kept under `home` rather than beside the sources. The first start fills it: warm up."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONPYCACHEPREFIX": str(home / "pycache"),
        "ANNOTATOR_NAME": "bench",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# The tiny run executes the child scripts in this process: a fresh interpreter's imports would
# cost more than the work itself, and the smoke test must stay short. Their memory figures are
# then this process's.
IN_PROCESS = False


def child(script: str, *args: str) -> dict[str, float]:
    """Run `script` (Python source that prints one JSON object last) in a fresh process."""
    if IN_PROCESS:
        argv, sys.argv = sys.argv, ["-c", *args]
        out_buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(out_buffer):
                exec(compile(script, "<child>", "exec"), {"__name__": "__main__"})
        finally:
            sys.argv = argv
        lines = out_buffer.getvalue().strip().splitlines()
        return json.loads(lines[-1]) if lines else {}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{args[:2]}: {done.stderr[-2000:]}")
    out = done.stdout.strip()
    return json.loads(out.splitlines()[-1]) if out else {}
