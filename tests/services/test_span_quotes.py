"""Adding a span reads only the text around it from the database: what is stored, snapped and
refused is what the whole text gives, at the text's ends, far into a long text, and around
characters SQLite's text functions stop at (NUL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import InvalidSpanError
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, DATE
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, list_spans
from annotator.store import Database

FILLER = "Nothing happened in the capital that week. " * 2000  # 86,000 code points
TEXTS = {
    "long": FILLER + "Envoy Ri Son-gwon met 👩\u200d👩\u200d👧 on 3\u00a0May 2024. " + FILLER,
    "nul": "Envoy Ri\x00 Son-gwon met him on 3 May 2024.\x00 Then Kim Yo Jong spoke.",
    "end": "Short text about Kim Yo Jong",
}


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.dispose()


def _add(db: Database, text: str, quote: str, label: str, *, snap: bool, cut: int = 0):
    doc = add_document(db, text=text, meta=DocumentMeta("Test", published="2024-05-10"))
    me = ensure_annotator(db, name="tester")
    at = text.index(quote)
    return add_span(
        db,
        document_id=doc.id,
        start=at + cut,
        end=at + len(quote) - cut,
        label_id=get_schema(db).label_named(label).id,
        annotator_id=me.id,
        snap=snap,
        propose=True,
    )


@pytest.mark.parametrize(
    ("kind", "quote", "label", "cut"),
    [
        ("long", "Ri Son-gwon", ACTOR, 1),
        ("long", "👩\u200d👩\u200d👧", ACTOR, 1),
        ("long", "3\u00a0May 2024", DATE, 0),
        ("nul", "Son-gwon", ACTOR, 1),
        ("nul", "3 May 2024", DATE, 0),
        ("nul", "Kim Yo Jong", ACTOR, 1),
        ("end", "Kim Yo Jong", ACTOR, 1),
    ],
)
def test_a_snapped_span_is_the_whole_words_of_the_text(db, kind, quote, label, cut):
    text = TEXTS[kind]
    # The selection misses `cut` code points at each end; snapping gives the words back.
    span = _add(db, text, quote, label, snap=True, cut=cut)
    assert text[span.start : span.end] == span.quote == quote
    assert list_spans(db, document_id=span.document_id)[0].quote == quote
    if label == DATE:
        assert span.attributes == {"value": "2024-05-03"}


@pytest.mark.parametrize("kind", ["long", "nul", "end"])
def test_a_span_past_the_text_is_refused_with_its_length(db, kind):
    text = TEXTS[kind]
    doc = add_document(db, text=text, meta=DocumentMeta("Test"))
    me = ensure_annotator(db, name="tester")
    with pytest.raises(InvalidSpanError, match=f"length {len(text)}"):
        add_span(
            db,
            document_id=doc.id,
            start=len(text) - 2,
            end=len(text) + 1,
            label_id=get_schema(db).label_named(ACTOR).id,
            annotator_id=me.id,
        )
    with pytest.raises(InvalidSpanError, match="does not match"):
        add_span(
            db,
            document_id=doc.id,
            start=len(text) - 3,
            end=len(text),
            label_id=get_schema(db).label_named(ACTOR).id,
            annotator_id=me.id,
            quote="xyz",
        )
