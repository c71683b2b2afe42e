"""Offsets are code points on every backend, and text comes back exactly as stored."""

from __future__ import annotations

import hashlib

import pytest

from annotator.domain.model import DocumentMeta
from annotator.domain.text import sha256_of
from annotator.store import Database

FAMILY = "👩\u200d👩\u200d👧"  # ZWJ sequence: 5 code points, 8 UTF-16 units
FLAG = "🇩🇪"  # two regional indicators
CAFE = "Cafe\u0301"  # e + combining acute, NOT normalised to é
NBSP_PHRASE = "3\u00a0May"
CJK = "北京宣布"
TEXT = (
    f"Die Familie {FAMILY} kam aus {FLAG} ins {CAFE} am {NBSP_PHRASE}.\u2028"
    f"Zweite Zeile: {CJK}了。\n"
    "Ende\twith tab  and trailing space \n"
)
PIECES = [FAMILY, FLAG, CAFE, NBSP_PHRASE, CJK, "\u2028Zweite", "kam aus 🇩🇪 ins"]


def test_fixture_text_is_what_it_claims():
    assert len(FAMILY) == 5
    assert len(FLAG) == 2
    assert len(CAFE) == 5
    assert "é" not in TEXT  # no precomposed form sneaked in


def test_document_text_comes_back_byte_identical(any_db: Database):
    with any_db.transaction() as repo:
        stored = repo.add_document(DocumentMeta(title=f"Title {FAMILY} {CAFE}"), TEXT)
    assert stored.sha256 == sha256_of(TEXT) == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    with any_db.transaction() as repo:
        back = repo.document(stored.id)
        summary = repo.document_summaries()[0]
    assert back.text.encode("utf-8") == TEXT.encode("utf-8")
    assert sha256_of(back.text) == back.sha256 == stored.sha256
    assert back.title == f"Title {FAMILY} {CAFE}"
    assert summary.length == len(TEXT)  # the database counts code points too


@pytest.mark.parametrize("piece", PIECES, ids=lambda p: p.encode("unicode_escape").decode())
def test_span_offsets_are_code_points(any_db: Database, world, piece):
    with any_db.transaction() as repo:
        doc = repo.add_document(DocumentMeta(title="Unicode"), TEXT)
    start = TEXT.index(piece)
    end = start + len(piece)
    with any_db.transaction() as repo:
        added = repo.add_span(
            document_id=doc.id,
            start=start,
            end=end,
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
            quote=piece,
        )
    with any_db.transaction() as repo:
        (back,) = repo.spans(doc.id)
        text = repo.document(doc.id).text
    assert (back.id, back.start, back.end) == (added.id, start, end)
    assert back.quote == piece == text[back.start : back.end]
    assert back.quote.encode("utf-8") == piece.encode("utf-8")


def test_all_unicode_spans_together(any_db: Database, world):
    with any_db.transaction() as repo:
        doc = repo.add_document(DocumentMeta(title="Unicode"), TEXT)
        for piece in PIECES:
            start = TEXT.index(piece)
            repo.add_span(
                document_id=doc.id,
                start=start,
                end=start + len(piece),
                label_id=world.labels["CLAIM"].id,
                annotator_id=world.bob.id,
            )
    with any_db.transaction() as repo:
        spans = repo.spans(doc.id)
    assert sorted(s.quote for s in spans) == sorted(PIECES)
    for span in spans:
        assert span.quote == TEXT[span.start : span.end]
        assert len(span) == len(span.quote)


def test_a_span_that_splits_a_cluster_is_stored_as_given(any_db: Database, world):
    # The store works in code points and does not snap: half a flag is a valid range whose
    # quote is one regional indicator. (Snapping to clusters is the services' job.)
    with any_db.transaction() as repo:
        doc = repo.add_document(DocumentMeta(title="Unicode"), TEXT)
        start = TEXT.index(FLAG)
        repo.add_span(
            document_id=doc.id,
            start=start,
            end=start + 1,
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
            quote="🇩",
        )
    with any_db.transaction() as repo:
        (span,) = repo.spans(doc.id)
    assert span.quote == "🇩" == TEXT[span.start : span.end]
