"""Two people changing one span: each edit names the version (`updated`) it was made on, and
one made on a version someone else has replaced is refused, with the span as it is now."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from annotator.domain.errors import SpanChangedError
from annotator.domain.model import DocumentMeta, Span
from annotator.domain.text import Edge
from annotator.services.actors import create_actor, link_mentions
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document
from annotator.services.schema import get_schema
from annotator.services.spans import (
    add_span,
    delete_spans,
    drag_span_bound,
    get_spans,
    relabel_span,
    set_span_bounds,
    set_span_details,
    step_span_bound,
)
from annotator.store import Database

TEXT = "Officials in Port Aldren said on Monday that the pact was signed."


@pytest.fixture
def span(any_db: Database) -> tuple[Database, Span]:
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("Pact"))
    at = TEXT.index("Port Aldren")
    made = add_span(
        any_db,
        document_id=doc.id,
        start=at,
        end=at + len("Port Aldren"),
        label_id=get_schema(any_db).label_named("ACTOR").id,
        annotator_id=ensure_annotator(any_db, name="ana").id,
    )
    return any_db, made


def _edits(db: Database) -> dict[str, Callable[[Span, Any], object]]:
    date = get_schema(db).label_named("DATE").id
    actor = create_actor(db, name="Port Aldren council").id
    return {
        "note": lambda s, v: set_span_details(
            db, span_id=s.id, attributes={}, note="mine", version=v
        ),
        "label": lambda s, v: relabel_span(db, span_id=s.id, label_id=date, version=v),
        "bounds": lambda s, v: set_span_bounds(
            db, span_id=s.id, start=s.start, end=s.end - 1, version=v
        ),
        "step": lambda s, v: step_span_bound(
            db, span_id=s.id, edge=Edge.END, forward=True, by_word=True, version=v
        ),
        "drag": lambda s, v: drag_span_bound(
            db, span_id=s.id, edge=Edge.START, to=s.start + 5, snap=False, version=v
        ),
        "actor": lambda s, v: link_mentions(
            db, span_ids=[s.id], actor_id=actor, versions={s.id: v}
        ),
    }


@pytest.mark.parametrize("edit", ["note", "label", "bounds", "step", "drag", "actor"])
def test_an_edit_on_a_replaced_version_is_refused_and_carries_the_other(
    span: tuple[Database, Span], edit: str
) -> None:
    db, mine = span
    theirs = set_span_details(
        db, span_id=mine.id, attributes={}, note="theirs", version=mine.updated
    )
    assert theirs.updated > mine.updated

    with pytest.raises(SpanChangedError) as refused:
        _edits(db)[edit](mine, mine.updated)

    assert refused.value.current == theirs
    assert "note: theirs" in str(refused.value)
    assert get_spans(db, span_ids=[mine.id]) == [theirs]  # nothing overwritten


@pytest.mark.parametrize("edit", ["note", "label", "bounds", "step", "drag", "actor"])
def test_an_edit_on_the_current_version_is_saved_and_makes_a_new_one(
    span: tuple[Database, Span], edit: str
) -> None:
    db, mine = span
    _edits(db)[edit](mine, mine.updated)
    (now,) = get_spans(db, span_ids=[mine.id])
    assert now.updated > mine.updated
    with pytest.raises(SpanChangedError):  # the old version is gone for good
        relabel_span(db, span_id=mine.id, label_id=mine.label_id, version=mine.updated)


def test_an_edit_of_a_span_deleted_meanwhile_is_refused(span: tuple[Database, Span]) -> None:
    db, mine = span
    delete_spans(db, span_ids=[mine.id])
    with pytest.raises(SpanChangedError, match="deleted") as refused:
        set_span_details(db, span_id=mine.id, attributes={}, note="late", version=mine.updated)
    assert refused.value.current is None


def test_of_two_saves_at_the_same_moment_exactly_one_wins(span: tuple[Database, Span]) -> None:
    db, mine = span
    outcomes: list[str] = []
    gate = threading.Barrier(2)

    def save(note: str) -> None:
        gate.wait()
        try:
            set_span_details(db, span_id=mine.id, attributes={}, note=note, version=mine.updated)
            outcomes.append("saved " + note)
        except SpanChangedError:
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "refused" and len(outcomes) == 2
    (now,) = get_spans(db, span_ids=[mine.id])
    assert f"saved {now.note}" in outcomes
