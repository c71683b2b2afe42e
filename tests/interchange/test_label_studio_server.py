"""Our Label Studio export handed to Label Studio itself, and what it exports read back.

A real Label Studio server (its own environment in `.venv-label-studio`, installed by
scripts/test; it pins a Django stack of its own) is started on a free port of 127.0.0.1 with
a throwaway data folder. A project is created from the labeling config our writer puts beside
the tasks: Label Studio checks a config's tags and that every control names the text it
labels, and refuses one that fails. The tasks go into that project with their annotations,
and what Label Studio then exports must read back as what we wrote: spans in UTF-16 offsets,
attributes, notes, actor keys and relations. (Label Studio does not check imported results
against the config; tests/interchange/test_label_studio.py holds every result written to a
control of the config written beside it.)
"""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import early_setups
import pytest
from helpers import PIECES, actor_keys, claim_doc, make_doc, relations_of

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.formats import label_studio

# How to start Label Studio is known in one place (benchmarks/label_studio_server.py), which
# the peer benchmark uses too; the server starts in the background when the run's tests are
# known (tests/early_setups.py), and these tests run late, so they seldom wait for it.
server_module = early_setups.label_studio_server

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    try:
        with early_setups.running_label_studio(request.config) as running:
            yield running
    except server_module.LabelStudioError as error:
        pytest.fail(f"these tests need a running Label Studio: {error}")


def _through_label_studio(server: Any, docs: list[AnnotatedDocument], tmp_path: Path) -> Path:
    """Write `docs` with our writer, import them into a new project made from our config,
    and save what Label Studio exports."""
    out = tmp_path / "tasks.json"
    report = label_studio.write(docs, out)
    assert report.problems == []
    config = label_studio.config_path(out).read_text(encoding="utf-8")
    broken = config.replace('toName="text"', 'toName="txt"', 1)
    with pytest.raises(urllib.error.HTTPError) as refused:  # the config is really checked
        server.call(
            "POST", "/api/projects", {"title": "broken", "label_config": broken}, timeout=60
        )
    assert refused.value.code == 400
    project = server.call("POST", "/api/projects", {"title": "check", "label_config": config})
    tasks = json.loads(out.read_text(encoding="utf-8"))
    imported = server.call("POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == len(docs)
    assert imported["annotation_count"] == sum(1 for d in docs if d.spans)
    exported = server.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    back = tmp_path / "from-label-studio.json"
    back.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    return back


def _read(path: Path) -> list[ImportedDocument]:
    items = list(label_studio.read(path))
    assert [i for i in items if isinstance(i, FormatProblem)] == []
    return [i for i in items if isinstance(i, ImportedDocument)]


def test_label_studio_takes_the_claim_model_and_gives_it_back(server: Any, tmp_path: Path):
    original = claim_doc()
    (back,) = _read(_through_label_studio(server, [original], tmp_path))
    assert back.text == original.document.text
    assert relations_of(back) == relations_of(original)
    assert actor_keys(back) == actor_keys(original)
    yes_no = {True: "yes", False: "no"}  # Label Studio has no booleans; the importer maps back
    assert sorted((s.start, s.end, s.label, s.attributes, s.note) for s in back.spans) == sorted(
        (
            s.start,
            s.end,
            original.label_name(s),
            {k: yes_no.get(v, v) if isinstance(v, bool) else v for k, v in s.attributes.items()},
            s.note,
        )
        for s in original.spans
    )


def test_utf16_offsets_survive_label_studio(server: Any, tmp_path: Path):
    text = "".join(PIECES) + " Ana Souza 👩‍👩‍👧 met 🇺🇳 staff in Zu\u0308rich."
    quotes = ["Ana Souza", "👩‍👩‍👧 met 🇺🇳", "Zu\u0308rich"]
    spans = [(text.index(q), text.index(q) + len(q), "ACTOR") for q in quotes]
    original = make_doc(text, spans)
    (back,) = _read(_through_label_studio(server, [original], tmp_path))
    assert [(s.start, s.end, back.text[s.start : s.end]) for s in back.spans] == [
        (s.start, s.end, s.quote) for s in original.spans
    ]
