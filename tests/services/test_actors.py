"""The actor registry: keys, linking mentions across the corpus, merge, split, delete and undo."""

from __future__ import annotations

import pytest

from annotator.domain.errors import NotFoundError, SchemaError
from annotator.domain.model import Actor, DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM
from annotator.services.actors import (
    actor_mentions,
    create_actor,
    delete_actor,
    delete_actors,
    get_actor,
    link_all_mentions,
    link_mentions,
    list_actors,
    merge_actors,
    restore_actor,
    restore_actors,
    slug,
    split_actor,
    unmerge_actors,
    update_actor,
)
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document, list_documents
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, list_spans
from annotator.store import Database

FIRST = "Kim Yo Jong met KCNA staff. Later KIM YO JONG said the gift was fine, KCNA reported."
SECOND = "kim yo jong spoke to the Korean Central News Agency about Kim Yo Jong's trip."


@pytest.fixture
def corpus(any_db: Database):
    """Two articles with ACTOR mentions (and one CLAIM that quotes a name), nothing linked."""
    seed_new_database(any_db)
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")
    first = add_document(any_db, text=FIRST, meta=DocumentMeta("First"))
    second = add_document(any_db, text=SECOND, meta=DocumentMeta("Second"))
    spans: dict[tuple[int, str, int], int] = {}

    def mark(doc, quote: str, nth: int = 0, label: str = ACTOR) -> int:
        at = -1
        for _ in range(nth + 1):
            at = doc.text.index(quote, at + 1)
        span = add_span(
            any_db,
            document_id=doc.id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
        )
        spans[(doc.id, quote if label == ACTOR else f"{label}:{quote}", nth)] = span.id
        return span.id

    mark(first, "Kim Yo Jong")
    mark(first, "KCNA")
    mark(first, "KIM YO JONG")
    mark(first, "KCNA", 1)
    mark(second, "kim yo jong")
    mark(second, "Korean Central News Agency")
    mark(second, "Kim Yo Jong")  # inside "Kim Yo Jong's"
    mark(first, "Kim Yo Jong", label=CLAIM)  # not an actor mention: never linked
    return any_db, first, second, spans


def actor_of(db: Database) -> dict[int, int | None]:
    """span id -> actor id, over the whole corpus."""
    out: dict[int, int | None] = {}
    for doc_id in _doc_ids(db):
        out.update({s.id: s.actor_id for s in list_spans(db, document_id=doc_id)})
    return out


def _doc_ids(db: Database) -> list[int]:
    return [d.id for d in list_documents(db)]


def test_slugs_keep_letters_of_any_script():
    assert slug("Kim Yo Jong") == "kim-yo-jong"
    assert slug("  Workers’ Party of Korea ") == "workers-party-of-korea"
    assert slug("김여정") == "김여정"
    assert slug("!!!") == "actor"


def test_a_new_actor_gets_a_free_key_from_its_name(corpus):
    db, *_ = corpus
    first = create_actor(db, name="Kim Yo Jong", kind="person", aliases=[" KYJ ", "Kim Yo Jong"])
    second = create_actor(db, name="Kim  Yo-Jong")
    third = create_actor(db, name="kim yo jong")
    assert (first.key, second.key, third.key) == ("kim-yo-jong", "kim-yo-jong-2", "kim-yo-jong-3")
    assert first.aliases == ("KYJ",)  # trimmed, and the name itself is not an alias
    with pytest.raises(SchemaError, match="key 'kim-yo-jong' already exists"):
        create_actor(db, name="Someone", key="kim-yo-jong")
    with pytest.raises(SchemaError, match="needs a name"):
        create_actor(db, name="  ")
    assert sorted(a.key for a in list_actors(db)) == [
        "kim-yo-jong",
        "kim-yo-jong-2",
        "kim-yo-jong-3",
    ]


def test_an_actor_is_edited_in_place(corpus):
    db, *_ = corpus
    actor = create_actor(db, name="KCNA")
    edited = update_actor(
        db,
        actor=Actor(
            actor.id, "kcna", "Korean Central News Agency", "media", ("KCNA",), "State news", "Q"
        ),
    )
    assert get_actor(db, actor_id=actor.id) == edited
    assert edited.aliases == ("KCNA",) and edited.external_id == "Q"


def test_link_all_mentions_links_unlinked_actor_mentions_across_documents(corpus):
    db, first, second, spans = corpus
    other = create_actor(db, name="Somebody else")
    already = spans[(second.id, "Kim Yo Jong", 0)]
    link_mentions(db, span_ids=[already], actor_id=other.id)
    kyj = create_actor(db, name="Kim Yo Jong", aliases=["KYJ"])

    linked = link_all_mentions(db, actor_id=kyj.id)

    expected = {
        spans[(first.id, "Kim Yo Jong", 0)],
        spans[(first.id, "KIM YO JONG", 0)],
        spans[(second.id, "kim yo jong", 0)],
    }
    assert set(linked.span_ids) == expected
    links = actor_of(db)
    assert {span for span, actor in links.items() if actor == kyj.id} == expected
    assert links[already] == other.id  # linked mentions stay with their actor
    # Running it again finds nothing new.
    assert link_all_mentions(db, actor_id=kyj.id).span_ids == ()


def test_merge_keeps_every_mention_adds_aliases_and_unmerge_restores(corpus):
    db, first, second, spans = corpus
    kcna = create_actor(db, name="KCNA", kind="media")
    agency = create_actor(db, name="Korean Central News Agency", external_id="Q13413")
    link_all_mentions(db, actor_id=kcna.id)
    link_all_mentions(db, actor_id=agency.id)
    before = actor_of(db)

    merged = merge_actors(db, keep_id=agency.id, absorb_ids=[kcna.id])

    kept = get_actor(db, actor_id=agency.id)
    assert kept.aliases == ("KCNA",)
    assert (kept.kind, kept.external_id) == ("media", "Q13413")
    assert [a.id for a in list_actors(db)] == [agency.id]
    assert {s.id for s in actor_mentions(db, actor_id=agency.id)} == {
        spans[(first.id, "KCNA", 0)],
        spans[(first.id, "KCNA", 1)],
        spans[(second.id, "Korean Central News Agency", 0)],
    }

    unmerge_actors(db, merged=merged)

    assert actor_of(db) == before
    assert get_actor(db, actor_id=kcna.id) == kcna
    assert get_actor(db, actor_id=agency.id) == agency


def test_split_moves_only_the_chosen_mentions_to_a_new_actor(corpus):
    db, first, second, spans = corpus
    kyj = create_actor(db, name="Kim Yo Jong", kind="person")
    link_all_mentions(db, actor_id=kyj.id)
    moved = spans[(second.id, "kim yo jong", 0)]

    namesake = split_actor(db, actor_id=kyj.id, span_ids=[moved], name="Kim Yo Jong")

    assert namesake.key == "kim-yo-jong-2" and namesake.kind == "person"
    assert [s.id for s in actor_mentions(db, actor_id=namesake.id)] == [moved]
    assert {s.id for s in actor_mentions(db, actor_id=kyj.id)} == {
        spans[(first.id, "Kim Yo Jong", 0)],
        spans[(first.id, "KIM YO JONG", 0)],
        spans[(second.id, "Kim Yo Jong", 0)],
    }
    with pytest.raises(SchemaError, match="not Kim Yo Jong"):
        split_actor(db, actor_id=kyj.id, span_ids=[spans[(first.id, "KCNA", 0)]], name="X")


def test_several_actors_go_in_one_transaction_and_come_back_in_one(corpus):
    db, *_ = corpus
    kyj = create_actor(db, name="Kim Yo Jong")
    kcna = create_actor(db, name="KCNA", aliases=["Korean Central News Agency"])
    kept = create_actor(db, name="Kept")
    linked = {a.id: set(link_all_mentions(db, actor_id=a.id).span_ids) for a in (kyj, kcna)}

    # One id that is gone refuses the whole call: nothing is deleted.
    with pytest.raises(NotFoundError):
        delete_actors(db, actor_ids=[kyj.id, 9999])
    assert list_actors(db) == [kcna, kept, kyj]

    deleted = delete_actors(db, actor_ids=[kyj.id, kcna.id])
    assert {d.actor for d in deleted} == {kyj, kcna}
    assert {d.actor.id: set(d.span_ids) for d in deleted} == linked
    assert list_actors(db) == [kept]
    assert all(actor_of(db)[s] is None for spans in linked.values() for s in spans)

    restore_actors(db, deleted=deleted)
    assert list_actors(db) == [kcna, kept, kyj]
    for actor_id, spans in linked.items():
        assert {s.id for s in actor_mentions(db, actor_id=actor_id)} == spans


def test_delete_unlinks_the_mentions_and_restore_links_them_again(corpus):
    db, *_ = corpus
    kyj = create_actor(db, name="Kim Yo Jong", aliases=["KYJ"], external_id="Q7338")
    linked = link_all_mentions(db, actor_id=kyj.id).span_ids

    unlinked = delete_actor(db, actor_id=kyj.id)

    assert sorted(unlinked) == sorted(linked)
    assert list_actors(db) == []
    links = actor_of(db)
    assert all(links[s] is None for s in linked)

    restore_actor(db, actor=kyj, span_ids=unlinked)

    assert get_actor(db, actor_id=kyj.id) == kyj
    assert {s.id for s in actor_mentions(db, actor_id=kyj.id)} == set(linked)
    # The restored id does not block new actors (PostgreSQL sequences included).
    assert create_actor(db, name="Another").id != kyj.id
