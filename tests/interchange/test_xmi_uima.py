"""Our XMI as Apache UIMA's Java SDK reads it: the CAS implementation INCEpTION builds on.

dkpro-cassis (used by the writer) is a Python re-implementation; these tests hand the files to
the Java reference instead (`uima/XmiCheck.java`, run with Debian's `libuima-core-java` on a
JDK), strictly, against the `TypeSystem.xml` we write. Java counts UTF-16 code units, so every
quote Java cuts out of the sofa must be the quote we hold in code points.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import PIECES, claim_doc, make_doc, relations_of

from annotator.domain.interchange import AnnotatedDocument
from annotator.formats import xmi

JAR = Path("/usr/share/java/uimaj-core.jar")
CHECK = Path(__file__).parent / "uima" / "XmiCheck.java"
SPAN = "webanno.custom.ArticleSpan"
RELATION = "webanno.custom.ArticleRelation"


@pytest.fixture(scope="module")
def java() -> str:
    found = shutil.which("java")
    if found is None or not JAR.is_file():
        pytest.fail(
            "these tests need a JDK and Apache UIMA's Java SDK: apt-get install "
            "default-jdk-headless libuima-core-java (scripts/test installs them)"
        )
    return found


def uima_read(java: str, folder: Path) -> dict[str, list[dict[str, Any]]]:
    """File name -> [sofa record, annotation records...] as Java UIMA loaded them."""
    files = sorted(str(p) for p in folder.glob("*.xmi"))
    done = subprocess.run(
        [java, "-cp", str(JAR), str(CHECK), str(folder / "TypeSystem.xml"), *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, list[dict[str, Any]]] = {}
    current: list[dict[str, Any]] = []
    for line in done.stdout.splitlines():
        record = json.loads(line)
        if "file" in record:
            current = found.setdefault(Path(record["file"]).name, [record])
        else:
            current.append(record)
    return found


def _by_document(
    docs: list[AnnotatedDocument], seen: dict[str, list[dict[str, Any]]]
) -> list[tuple[AnnotatedDocument, str, list[dict[str, Any]]]]:
    by_id = {int(name.split("-", 1)[0]): records for name, records in seen.items()}
    assert sorted(by_id) == sorted(d.document.id for d in docs)
    return [(d, by_id[d.document.id][0]["sofa"], by_id[d.document.id][1:]) for d in docs]


def test_java_uima_reads_spans_features_and_relations(java: str, tmp_path: Path) -> None:
    original = claim_doc()
    assert xmi.write([original], tmp_path).spans == len(original.spans)
    ((_, sofa, records),) = _by_document([original], uima_read(java, tmp_path))
    assert sofa == original.document.text
    spans = [r for r in records if r["type"] == SPAN]
    expected = [
        (
            original.label_name(s),
            s.quote,
            s.note,
            dict(s.attributes),
            actor.key if (actor := original.actor_of(s)) is not None else None,
        )
        for s in original.spans
    ]
    got = [
        (
            r["features"]["label"],
            r["text"],
            r["features"]["note"],
            json.loads(r["features"]["attributes"] or "{}"),
            r["features"]["actor"],
        )
        for r in spans
    ]
    assert len(got) == len(original.spans)
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    assert {r["features"]["annotator"] for r in spans} == {"tester"}
    # Governor and Dependent are references Java resolves to the annotations themselves.
    text_at = {(r["begin"], r["end"]): r["text"] for r in spans}
    links = {
        (r["features"]["label"], text_at[tuple(r["features"]["Governor"])],
         text_at[tuple(r["features"]["Dependent"])])
        for r in records
        if r["type"] == RELATION
    }  # fmt: skip
    assert links == relations_of(original)
    meta = next(r for r in records if r["type"].endswith("DocumentMetaData"))
    assert meta["features"]["documentTitle"] == original.document.title


def test_java_cuts_our_quotes_out_of_text_full_of_offset_traps(java: str, tmp_path: Path) -> None:
    # Emoji, ZWJ sequences, flags, combining marks, CJK, U+2028, tabs, quotes and backslashes,
    # with spans on any code-point range, overlapping, splitting clusters: forty documents in
    # one run of the Java reader.
    rng = random.Random(20261125)
    docs = []
    for n in range(1, 41):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        spans = []
        for _ in range(rng.randint(1, 6)):
            start = rng.randrange(len(text))
            spans.append((start, rng.randint(start + 1, len(text)), rng.choice(["ACTOR", "CLAIM"])))
        docs.append(make_doc(text, list(dict.fromkeys(spans)), doc_id=n, title=f"Doc {n}"))
    report = xmi.write(docs, tmp_path)
    assert report.problems == [] and report.spans == sum(len(d.spans) for d in docs)
    for doc, sofa, records in _by_document(docs, uima_read(java, tmp_path)):
        assert sofa == doc.document.text
        got = sorted((r["features"]["label"], r["text"]) for r in records if r["type"] == SPAN)
        assert got == sorted((doc.label_name(s), s.quote) for s in doc.spans)
