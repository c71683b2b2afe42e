"""What the registry says each format writes is what its writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import claim_doc

from annotator.formats.registry import FORMATS, FormatInfo, Output


@pytest.mark.parametrize("info", [f for f in FORMATS if f.can_write], ids=lambda f: f.name)
def test_a_format_writes_what_the_registry_says(info: FormatInfo, tmp_path: Path) -> None:
    out = tmp_path / "export"  # no suffix: the format decides what is written, not the name
    report = info.write([claim_doc()], out)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert sorted(Path(f).relative_to(tmp_path) for f in report.files) == written
    if info.output is Output.FOLDER:
        assert out.is_dir() and info.beside
        assert {p.suffix for p in out.iterdir()} >= {info.extensions[0]}
    elif info.beside:
        assert len(written) == 2 and Path("export") in written  # the file and one beside it
    else:
        assert written == [Path("export")], "one file, as the dialog says"
