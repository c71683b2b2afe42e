"""The screen the window benchmarks draw on.

Qt's offscreen platform has an 800 x 600 screen unless told otherwise, and a window asked to be
1366 x 768 is kept within it: the main window's docks then left the article 72 pixels wide, a
word a line, and a frame had a tenth of the text and suggestions a real screen shows. The
benchmarks give it a 1920 x 1080 screen, so that the window is the size they ask for.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

SCREEN = {"width": 1920, "height": 1080}


def use_offscreen_screen() -> None:
    """Draw offscreen on a full-HD screen, unless another platform (or offscreen with options
    of its own) was chosen. Call it before the QApplication is made."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = Path(tempfile.gettempdir()) / "annotator-bench-screen.json"
    screen = {"name": "bench", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [{**screen, **SCREEN}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
