"""`annotator import --annotator NAME FILE` puts what every annotation format brings into NAME's
layer, even when the file names another annotator; without --annotator the file's names stay."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import claim_doc

from annotator.cli import main
from annotator.formats.registry import FORMATS, FormatInfo
from annotator.store import Database

READABLE = [f for f in FORMATS if f.can_read]


def _layers(path: Path) -> tuple[set[str], set[str], set[str]]:
    """The names of the annotators owning spans, relations and statuses."""
    db = Database(path)
    try:
        with db.reading() as repo:
            names = {a.id: a.name for a in repo.annotators()}
            (document_id,) = repo.document_ids()
            spans = repo.spans(document_id)
            relations = repo.relations(document_id)
            statuses = repo.document_statuses(document_id)
    finally:
        db.dispose()
    assert spans
    return (
        {names[s.annotator_id] for s in spans},
        {names[r.annotator_id] for r in relations},
        {names[i] for i in statuses},
    )


def _export(info: FormatInfo, tmp_path: Path) -> Path:
    # The file names its annotator ("tester") and that annotator's status, where it can.
    doc = dataclasses.replace(claim_doc(), statuses={1: "done"})
    out = tmp_path / f"export{info.extensions[0]}"
    info.write([doc], out)
    return out


@pytest.mark.parametrize("info", READABLE, ids=lambda f: f.name)
def test_import_with_annotator_puts_everything_into_that_layer(info: FormatInfo, tmp_path: Path):
    out = _export(info, tmp_path)
    db_file = tmp_path / "into.sqlite3"
    status = main(
        ["--db", str(db_file), "import", "--annotator", "carol", "--format", info.name, str(out)]
    )
    assert status == 0
    spans, relations, statuses = _layers(db_file)
    assert spans == {"carol"}
    assert relations <= {"carol"}
    if info.relations:
        assert relations == {"carol"}
    assert statuses <= {"carol"}


@pytest.mark.parametrize(
    "info", [f for f in READABLE if f.name in ("native", "xmi", "w3c")], ids=lambda f: f.name
)
def test_import_without_annotator_keeps_the_names_the_file_gives(
    info: FormatInfo, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("ANNOTATOR_NAME", "someone-else")
    out = _export(info, tmp_path)
    db_file = tmp_path / "into.sqlite3"
    assert main(["--db", str(db_file), "import", "--format", info.name, str(out)]) == 0
    spans, _, _ = _layers(db_file)
    assert spans == {"tester"}
