"""CRLF input, every readable format: what another tool wrote with Windows line ends imports
onto the app's LF text with each span on the same characters.

Other tools keep CR LF in the text they store (doccano, Label Studio and INCEpTION take a
pasted Windows file as it is) and count their offsets over it, each in its own unit. The files
here are written by our own writers from text that still has its CR LFs, which is what such a
tool would write; the import must store the text with LF only and move every span so that it
covers the same characters. Span ends never fall between the CR and LF of a pair (no tool
splits a line end), and spans do not start or end with a line break.
"""

from __future__ import annotations

import pytest
from helpers import PIECES, make_doc
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.domain.text import normalise_newlines
from annotator.formats.registry import FORMATS, Output
from annotator.services.database import open_database
from annotator.services.documents import list_labels, open_document
from annotator.services.interchange import import_annotations

CRLF_PIECES = [*PIECES, "\r\n", "\r\n", "\r\n\r\n", "\r"]

# BIO has no text of its own (tokens only); the table formats and ClaimReview are not read.
READABLE = [f for f in FORMATS if f.can_read and f.can_write and f.name != "conll"]


@st.composite
def crlf_text_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    pieces = draw(st.lists(st.sampled_from(CRLF_PIECES), min_size=1, max_size=25))
    if not any("\r" in p for p in pieces):
        pieces.append("\r\n")
    text = "".join(pieces)
    # Offsets at piece edges (a CR LF is one piece, so no end falls inside it) and inside
    # multi-character pieces other than line ends (a span may split a ZWJ sequence).
    edges = sorted(
        {0, len(text)}
        | {sum(len(p) for p in pieces[:i]) for i in range(len(pieces))}
        | {
            sum(len(p) for p in pieces[:i]) + k
            for i, p in enumerate(pieces)
            if "\r" not in p
            for k in range(1, len(p))
        }
    )
    # Spans start and end on something other than a line break (brat cannot hold one there,
    # and says so): the line ends to map are inside them and between them.
    starts = [e for e in edges[:-1] if text[e] not in "\r\n"]
    ends = [e for e in edges[1:] if text[e - 1] not in "\r\n"]
    assume(starts and ends and starts[0] < ends[-1])
    spans = []
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.sampled_from([s for s in starts if s < ends[-1]]))
        end = draw(st.sampled_from([e for e in ends if e > start]))
        spans.append((start, end, draw(st.sampled_from(["ACTOR", "DATE", "CLAIM"]))))
    return text, list(dict.fromkeys(spans))


@pytest.mark.parametrize("info", READABLE, ids=lambda f: f.name)
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=crlf_text_with_spans())
def test_crlf_file_imports_onto_lf_text(tmp_path_factory, info, case) -> None:
    raw, spans = case
    tmp = tmp_path_factory.mktemp(info.name)
    out = tmp / ("export" if info.output is Output.FOLDER else f"export{info.extensions[0]}")
    report = info.load().write([make_doc(raw, spans)], out)
    written = {s.id for s in make_doc(raw, spans).spans} - _left_out(report.problems)

    db = open_database(tmp / "t.sqlite3", seed=False)
    try:
        imported = import_annotations(db, paths=[out], format_name=info.name, annotator_name="me")
        assert [p for p in imported.problems if "does not match" in p.message] == []
        with db.transaction() as repo:
            (doc_id,) = repo.document_ids()
        doc, stored = open_document(db, document_id=doc_id)
        assert doc.text == normalise_newlines(raw)
        labels = {label.id: label.name for label in list_labels(db)}
        got = {(s.start, s.end, labels[s.label_id], s.quote) for s in stored}
        lf_offset = _lf_offsets(raw)
        expected = {
            (lf_offset[s], lf_offset[e], label, normalise_newlines(raw[s:e]))
            for n, (s, e, label) in enumerate(spans, start=1)
            if n in written
        }
        assert got == expected
        for s in stored:
            assert doc.text[s.start : s.end] == s.quote
    finally:
        db.dispose()


def _lf_offsets(raw: str) -> list[int]:
    """Where each offset of `raw` lands once CR LF and lone CR become LF."""
    mapping, position, i = [], 0, 0
    while i < len(raw):
        mapping.append(position)
        if raw[i] == "\r" and raw[i + 1 : i + 2] == "\n":
            mapping.append(position)  # never a span end (see the strategy)
            i += 1
        position += 1
        i += 1
    mapping.append(position)
    return mapping


def _left_out(problems) -> set[int]:
    """Span numbers (make_doc gives ids 1, 2, ...) a writer reported as not written."""
    left = set()
    for p in problems:
        if "left out" in p.message and ", span " in p.origin and "doc.ents" not in p.message:
            left.add(int(p.origin.split(", span ")[1].split()[0]))
    return left
