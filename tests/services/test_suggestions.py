"""Suggestions as the CLI and the window use them: stored apart, accepted or rejected in one
transaction each, undone exactly, taught by the annotations, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.assist.base import DocumentContext, Proposal
from annotator.domain.errors import AnnotatorError
from annotator.domain.library import DocumentStatus
from annotator.domain.model import DocumentMeta
from annotator.services import Database
from annotator.services.actors import create_actor
from annotator.services.assignments import assign_documents
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.decisions import (
    accept_label,
    accept_suggestions,
    redo_accept,
    reject_suggestion,
    undo_accept,
    undo_reject,
)
from annotator.services.documents import add_document, list_documents, list_labels
from annotator.services.interchange import export_corpus
from annotator.services.library import set_status
from annotator.services.relations import list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, list_spans
from annotator.services.suggestions import (
    SuggestionSettings,
    actor_model_info,
    import_gazetteer,
    list_suggestions,
    proposals_to_store,
    run_suggestions,
    save_suggestion_settings,
    suggestion_records,
    suggestion_settings,
    train_actor_model,
    write_suggestions_jsonl,
)

FIRST = (
    "Kestria and Valmora signed a water treaty on Tuesday.\n\n"
    "Foreign Minister Jana Novak of Kestria said on 3 March 2025 that the deal would last "
    "until 2040. Valmora’s negotiators were pleased."
)
SECOND = (
    "Kestria reopened the border crossing last week.\n\n"
    "Officials in Kestria said the crossing would stay open through the summer."
)


@pytest.fixture
def db(any_db: Database) -> Database:
    seed_new_database(any_db)
    return any_db


@pytest.fixture
def me(db: Database) -> int:
    return ensure_annotator(db, name="tester").id


def labels(db: Database) -> dict[str, int]:
    return {label.name: label.id for label in list_labels(db)}


def article(db: Database, text: str, title: str, published: str = "2025-03-05") -> int:
    return add_document(db, text=text, meta=DocumentMeta(title, published=published)).id


def named(
    db: Database, document_id: int, quote: str, label: str | None = None, who: int | None = None
):
    """The suggestion of this quote (and label), as annotator `who` sees it (default: all)."""
    ids = labels(db)
    found = [
        s
        for s in list_suggestions(db, document_id=document_id, annotator_id=who)
        if s.quote == quote and (label is None or s.label_id == ids[label])
    ]
    assert found, (quote, [s.quote for s in list_suggestions(db, document_id=document_id)])
    return found[0]


def test_suggestions_are_stored_apart_from_annotations(db: Database, me: int, tmp_path: Path):
    doc = article(db, FIRST, "Treaty")
    report = run_suggestions(db, engines=["actors", "dates"])
    assert report.documents == 1 and report.by_engine["actors"] and report.by_engine["dates"]
    assert list_spans(db, document_id=doc) == []
    assert list_documents(db)[0].span_total == 0
    export = export_corpus(db, format_name="native", out=tmp_path / "out.jsonl")
    assert export.spans == 0
    tuesday = named(db, doc, "Tuesday", "DATE")
    assert tuesday.attributes == {"value": "2025-03-04"} and tuesday.engine == "dates"
    novak = named(db, doc, "Jana Novak", "ACTOR")
    assert novak.attributes.get("kind") == "person"


def test_each_suggestion_keeps_only_the_values_its_label_allows_however_often_they_repeat(
    db: Database,
):
    def proposal(start: int, label: str, **attributes: object) -> Proposal:
        return Proposal(start, start + 4, label, "dates", 0.9, attributes=attributes)

    proposals = [
        proposal(0, "DATE", value="2025-02-30"),  # no such day
        proposal(10, "DATE", value="2025-02-28"),
        proposal(20, "DATE", value="2025-02-30"),
        proposal(30, "DATE", value="2025-02-28"),
        proposal(40, "CLAIM", hedged=True, quote_type="direct"),
        proposal(50, "CLAIM", hedged=1, quote_type="sarcastic"),  # yes or no; not an option
        proposal(60, "CLAIM", hedged=True, quote_type="direct"),
    ]
    items = proposals_to_store(proposals, DocumentContext("x" * 80), get_schema(db), {}, {}, {})
    assert [item.attributes for item in items] == [
        {},
        {"value": "2025-02-28"},
        {},
        {"value": "2025-02-28"},
        {"hedged": True, "quote_type": "direct"},
        {},
        {"hedged": True, "quote_type": "direct"},
    ]


def test_a_new_run_replaces_the_engines_earlier_suggestions(db: Database, me: int):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    first = {(s.start, s.end) for s in list_suggestions(db, document_id=doc)}
    run_suggestions(db, engines=["dates"])
    assert {(s.start, s.end) for s in list_suggestions(db, document_id=doc)} == first
    run_suggestions(db, engines=["actors"])
    engines = {s.engine for s in list_suggestions(db, document_id=doc)}
    assert engines == {"dates", "actors"}


def test_accepting_makes_a_span_with_provenance_and_undo_takes_it_back(db: Database, me: int):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    date = named(db, doc, "3 March 2025")
    accepted = accept_suggestions(db, suggestion_ids=[date.id], annotator_id=me)
    (span,) = list_spans(db, document_id=doc)
    assert (span.start, span.end, span.quote) == (date.start, date.end, "3 March 2025")
    assert span.attributes == {"value": "2025-03-03"}
    assert span.origin == "dates" and span.origin_version
    assert span.annotator_id == me
    assert all(s.id != date.id for s in list_suggestions(db, document_id=doc, annotator_id=me))

    undo_accept(db, accepted=accepted)
    assert list_spans(db, document_id=doc) == []
    again = named(db, doc, "3 March 2025")
    assert (again.id, again.attributes) == (date.id, date.attributes)


def test_accepting_under_another_label_keeps_only_what_that_label_defines(db: Database, me: int):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    date = named(db, doc, "Tuesday")
    accept_suggestions(db, suggestion_ids=[date.id], annotator_id=me, label_id=labels(db)["CLAIM"])
    (span,) = list_spans(db, document_id=doc)
    assert span.label_id == labels(db)["CLAIM"] and span.attributes == {}


def test_rejected_suggestions_are_not_proposed_again_and_undo_brings_them_back(
    db: Database, me: int
):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["actors", "dates"])
    tuesday = named(db, doc, "Tuesday")
    rejected = reject_suggestion(db, suggestion_id=tuesday.id, annotator_id=me)
    run_suggestions(db, engines=["actors", "dates"])
    assert "Tuesday" not in {s.quote for s in list_suggestions(db, document_id=doc)}
    undo_reject(db, rejected=rejected)
    assert named(db, doc, "Tuesday").id == tuesday.id
    with pytest.raises(AnnotatorError, match="gone"):
        reject_suggestion(db, suggestion_id=10**6, annotator_id=me)


def test_a_text_rejected_as_actor_is_not_proposed_elsewhere(db: Database, me: int):
    first = article(db, FIRST, "Treaty")
    second = article(db, SECOND, "Border")
    run_suggestions(db, engines=["actors"])
    for doc in (first, second):
        assert "Kestria" in {s.quote for s in list_suggestions(db, document_id=doc)}
    for suggestion in list_suggestions(db, document_id=first):
        if suggestion.quote == "Kestria":
            reject_suggestion(db, suggestion_id=suggestion.id, annotator_id=me)
    run_suggestions(db, engines=["actors"])
    assert "Kestria" not in {s.quote for s in list_suggestions(db, document_id=second)}


def test_what_the_annotator_marked_is_proposed_in_other_documents_with_its_identity(
    db: Database, me: int
):
    first = article(db, "The Nordvik Syndicate bought the mill.", "Mill")
    second = article(
        db, "Shares fell after nordvik syndicate news. The Nordvik Syndicate lost.", "Fall"
    )
    actor = create_actor(db, name="Nordvik Syndicate", key="nordvik", kind="organization")
    start = "The Nordvik Syndicate".index("Nordvik")
    span = add_span(
        db,
        document_id=first,
        start=start,
        end=start + len("Nordvik Syndicate"),
        label_id=labels(db)["ACTOR"],
        annotator_id=me,
        attributes={"kind": "organization"},
    )
    assert span.id
    run_suggestions(db, engines=["actors"])
    proposed = [s for s in list_suggestions(db, document_id=second) if "ordvik" in s.quote]
    # Case and word boundaries respected: the lower-case one is not the name.
    assert [(s.quote, s.actor_id) for s in proposed] == [("Nordvik Syndicate", actor.id)]


def test_accept_every_suggestion_of_a_label_at_once(db: Database, me: int):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["actors", "dates"])
    dates = [s for s in list_suggestions(db, document_id=doc) if s.engine == "dates"]
    accepted = accept_label(db, document_id=doc, label_id=labels(db)["DATE"], annotator_id=me)
    assert len(accepted.new_span_ids) == len(dates) >= 3
    assert {s.engine for s in list_suggestions(db, document_id=doc, annotator_id=me)} == {"actors"}
    undo_accept(db, accepted=accepted)
    assert list_spans(db, document_id=doc) == []
    assert len([s for s in list_suggestions(db, document_id=doc) if s.engine == "dates"]) == len(
        dates
    )


def test_accepting_sets_a_new_document_in_progress(db: Database, me: int):
    from annotator.services.library import document_status

    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    accepted = accept_suggestions(
        db, suggestion_ids=[named(db, doc, "Tuesday").id], annotator_id=me
    )
    assert document_status(db, document_id=doc, annotator_id=me) is DocumentStatus.IN_PROGRESS
    # Undo takes the start back with the span; redo starts the document again.
    undo_accept(db, accepted=accepted)
    assert document_status(db, document_id=doc, annotator_id=me) is DocumentStatus.NEW
    redo_accept(db, accepted=accepted)
    assert document_status(db, document_id=doc, annotator_id=me) is DocumentStatus.IN_PROGRESS


def test_engines_are_switched_per_database(db: Database, me: int):
    assert suggestion_settings(db).engines == ("actors", "dates", "claims")
    save_suggestion_settings(db, SuggestionSettings(engines=("dates",)))
    doc = article(db, FIRST, "Treaty")
    report = run_suggestions(db)
    assert set(report.by_engine) == {"dates"}
    assert {s.engine for s in list_suggestions(db, document_id=doc)} == {"dates"}
    with pytest.raises(AnnotatorError, match="unknown engine 'people'"):
        save_suggestion_settings(db, SuggestionSettings(engines=("people",)))


def test_a_gazetteer_names_actors_and_a_bad_line_is_named(db: Database, tmp_path: Path):
    doc = article(db, "The committee heard from quietwater holdings and from Aurelio.", "Hearing")
    good = tmp_path / "names.tsv"
    good.write_text("# names\nAurelio\tperson\nquietwater holdings\torganization\n", "utf-8")
    assert import_gazetteer(db, path=good) == 2
    run_suggestions(db, engines=["actors"])
    assert named(db, doc, "Aurelio").attributes.get("kind") == "person"
    bad = tmp_path / "bad.tsv"
    bad.write_text("Aurelio\tperson\nSomeone\tplanet\n", "utf-8")
    with pytest.raises(AnnotatorError, match=r"bad\.tsv.*2"):
        import_gazetteer(db, path=bad)


def test_a_model_learns_from_finished_documents_and_its_version_goes_on_accepted_spans(
    db: Database, me: int
):
    doc = article(db, FIRST, "Treaty")
    assert train_actor_model(db) is None  # nothing finished yet
    for quote in ("Kestria", "Valmora", "Jana Novak"):
        start = FIRST.index(quote)
        add_span(
            db,
            document_id=doc,
            start=start,
            end=start + len(quote),
            label_id=labels(db)["ACTOR"],
            annotator_id=me,
            attributes={"kind": "person" if " " in quote else "state"},
        )
    set_status(db, document_id=doc, annotator_id=me, status=DocumentStatus.DONE)
    stored = train_actor_model(db)
    assert stored is not None and stored.documents == 1 and stored.spans == 3
    assert actor_model_info(db) is not None and actor_model_info(db).version == stored.version
    other = article(db, SECOND, "Border")
    run_suggestions(db, document_ids=[other], engines=["actors"])
    kestria = named(db, other, "Kestria")
    assert kestria.model_version.endswith(stored.version)
    accept_suggestions(db, suggestion_ids=[kestria.id], annotator_id=me)
    (span,) = [s for s in list_spans(db, document_id=other)]
    assert span.origin == "actors" and span.origin_version == kestria.model_version


def test_json_lines_carry_what_the_issue_names(db: Database, me: int, tmp_path: Path):
    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["actors", "dates"])
    out = tmp_path / "suggestions.jsonl"
    count = write_suggestions_jsonl(db, path=out)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert count == len(lines) == len(list_suggestions(db, document_id=doc))
    first = lines[0]
    assert set(first) == {
        "document", "start", "end", "label", "quote", "attributes", "relations", "engine", "score"
    }  # fmt: skip
    assert set(first["document"]) == {"id", "sha256", "title"}
    for line in lines:
        assert FIRST[line["start"] : line["end"]] == line["quote"]
    assert list(suggestion_records(db, document_ids=[doc], engines=["claims"])) == []


def test_unknown_documents_and_engines_are_refused(db: Database):
    with pytest.raises(AnnotatorError, match="document 999 does not exist"):
        run_suggestions(db, document_ids=[999], engines=["dates"])
    with pytest.raises(AnnotatorError, match="unknown engine"):
        run_suggestions(db, engines=["nonsense"])


def test_a_cancelled_run_keeps_the_batches_that_finished(db: Database, monkeypatch):
    import annotator.services.suggestions as service

    monkeypatch.setattr(service, "BATCH", 1)
    for n in range(3):
        article(db, f"Meeting number {n} was held on Monday.", f"M{n}")
    seen: list[int] = []
    report = run_suggestions(
        db,
        engines=["dates"],
        progress=lambda done, total: seen.append(done),
        cancelled=lambda: bool(seen),
    )
    assert report.cancelled and report.documents == seen[-1] == 1
    stored = [list_suggestions(db, document_id=d.id) for d in list_documents(db)]
    assert [bool(s) for s in sorted(stored, key=len, reverse=True)] == [True, False, False]


def test_a_cancel_waits_for_the_document_being_read_not_for_its_batch(db: Database):
    for n in range(3):
        article(db, f"Meeting number {n} was held on Monday.", f"M{n}")
    asked: list[int] = []
    seen: list[tuple[int, int]] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # the Cancel button is pressed while the first document is read

    report = run_suggestions(
        db, engines=["dates"], progress=lambda *done: seen.append(done), cancelled=cancelled
    )
    assert report.cancelled and report.documents == 1 and seen == [(1, 3)]
    stored = [list_suggestions(db, document_id=d.id) for d in list_documents(db)]
    assert sorted(bool(s) for s in stored) == [False, False, True]


def test_accepting_a_claim_takes_its_suggested_source_and_time_along(db: Database, me: int):
    text = (
        "Water treaty signed\n\nForeign Minister Jana Novak said the treaty would take effect "
        "in January 2026."
    )
    doc = article(db, text, "Treaty")
    run_suggestions(db, engines=["actors", "dates", "claims"])
    claim = named(db, doc, "the treaty would take effect in January 2026", "CLAIM")
    assert claim.attributes["quote_type"] == "indirect"
    assert claim.attributes["reporting_verb"] == "said"
    assert len(claim.links) == 2 and all(link.target_suggestion_id for link in claim.links)

    accepted = accept_suggestions(db, suggestion_ids=[claim.id], annotator_id=me)
    spans = {s.quote: s for s in list_spans(db, document_id=doc)}
    assert set(spans) == {claim.quote, "Jana Novak", "January 2026"}
    relations = list_relations(db, document_id=doc)
    kinds = {t.id: t.name for t in get_schema(db).relation_types}
    assert sorted((kinds[r.type_id], r.target_id) for r in relations) == sorted(
        [("SOURCE", spans["Jana Novak"].id), ("TIME", spans["January 2026"].id)]
    )
    assert all(r.source_id == spans[claim.quote].id for r in relations)
    assert list_suggestions(db, document_id=doc, annotator_id=me) == []

    undo_accept(db, accepted=accepted)
    assert list_spans(db, document_id=doc) == [] and list_relations(db, document_id=doc) == []
    back = named(db, doc, claim.quote, "CLAIM")
    assert back.links == claim.links

    # Redo gives the very same spans and relations back, ids included.
    redo_accept(db, accepted=accepted)
    assert {s.id for s in list_spans(db, document_id=doc)} == {s.id for s in accepted.spans}
    assert {r.id for r in list_relations(db, document_id=doc)} == {r.id for r in accepted.relations}
    assert list_suggestions(db, document_id=doc, annotator_id=me) == []


def test_an_accepted_actor_keeps_the_claims_suggested_links_to_it(db: Database, me: int):
    text = "Ana Souza said the budget is safe. Souza added that taxes would not rise."
    doc = article(db, text, "Budget")
    run_suggestions(db, engines=["actors", "claims"])
    souza = named(db, doc, "Ana Souza", "ACTOR")
    accepted = accept_suggestions(db, suggestion_ids=[souza.id], annotator_id=me)
    (span,) = list_spans(db, document_id=doc)
    claim = named(db, doc, "the budget is safe", "CLAIM", who=me)
    assert [link.target_span_id for link in claim.links] == [span.id]
    undo_accept(db, accepted=accepted)
    claim = named(db, doc, "the budget is safe", "CLAIM")
    assert [link.target_suggestion_id for link in claim.links] == [souza.id]


def test_rejecting_an_actor_and_undoing_it_restores_the_claims_link(db: Database, me: int):
    text = "Ana Souza said the budget is safe."
    doc = article(db, text, "Budget")
    run_suggestions(db, engines=["actors", "claims"])
    souza = named(db, doc, "Ana Souza", "ACTOR")
    rejected = reject_suggestion(db, suggestion_id=souza.id, annotator_id=me)
    assert named(db, doc, "the budget is safe", "CLAIM", who=me).links == ()
    undo_reject(db, rejected=rejected)
    links = named(db, doc, "the budget is safe", "CLAIM", who=me).links
    assert [link.target_suggestion_id for link in links] == [souza.id]


def test_provenance_is_exported_filtered_and_imported_back(db: Database, me: int, tmp_path: Path):
    from annotator.services.database import open_database
    from annotator.services.interchange import MANUAL, ExportSelection, import_annotations

    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    tuesday = named(db, doc, "Tuesday")
    accept_suggestions(db, suggestion_ids=[tuesday.id], annotator_id=me)
    start = FIRST.index("Jana Novak")
    add_span(
        db,
        document_id=doc,
        start=start,
        end=start + 10,
        label_id=labels(db)["ACTOR"],
        annotator_id=me,
    )
    out = tmp_path / "all.jsonl"
    export_corpus(db, format_name="native", out=out)
    spans = json.loads(out.read_text("utf-8").splitlines()[-1])["spans"]
    by_quote = {s["quote"]: s for s in spans}
    assert by_quote["Tuesday"]["engine"] == "dates" and by_quote["Tuesday"]["engine_version"]
    assert "engine" not in by_quote["Jana Novak"]

    manual = export_corpus(
        db,
        format_name="native",
        out=tmp_path / "m.jsonl",
        selection=ExportSelection(origins=(MANUAL,)),
    )
    accepted = export_corpus(
        db,
        format_name="native",
        out=tmp_path / "d.jsonl",
        selection=ExportSelection(origins=("dates",)),
    )
    assert (manual.spans, accepted.spans) == (1, 1)

    other = open_database(tmp_path / "other.sqlite3")
    try:
        import_annotations(other, paths=[out], format_name="native", annotator_name="tester")
        (document,) = list_documents(other)
        back = {s.quote: s for s in list_spans(other, document_id=document.id)}
        assert back["Tuesday"].origin == "dates"
        assert back["Tuesday"].origin_version == by_quote["Tuesday"]["engine_version"]
        assert back["Jana Novak"].origin is None
    finally:
        other.dispose()


def test_undoing_the_deletion_of_an_accepted_span_keeps_its_provenance(db: Database, me: int):
    from annotator.services.spans import delete_spans, restore_spans

    doc = article(db, FIRST, "Treaty")
    run_suggestions(db, engines=["dates"])
    accept_suggestions(db, suggestion_ids=[named(db, doc, "Tuesday").id], annotator_id=me)
    (span,) = list_spans(db, document_id=doc)
    restore_spans(db, deleted=delete_spans(db, span_ids=[span.id]))
    (back,) = list_spans(db, document_id=doc)
    assert (back.id, back.origin, back.origin_version) == (span.id, "dates", span.origin_version)


def test_one_annotator_accepting_leaves_the_suggestion_to_the_others(db: Database, me: int):
    text = "Ana Souza said the budget is safe. Souza added that taxes would not rise."
    doc = article(db, text, "Budget")
    run_suggestions(db, engines=["actors", "claims"])
    bob = ensure_annotator(db, name="bob").id
    souza = named(db, doc, "Ana Souza", "ACTOR")
    accept_suggestions(db, suggestion_ids=[souza.id], annotator_id=me)
    (mine,) = list_spans(db, document_id=doc)

    # Bob still has the actor to decide, and the claim still proposes it as its source.
    assert named(db, doc, "Ana Souza", "ACTOR", who=bob).id == souza.id
    theirs = named(db, doc, "the budget is safe", "CLAIM", who=bob)
    assert [link.target_suggestion_id for link in theirs.links] == [souza.id]
    assert "Ana Souza" not in {
        s.quote for s in list_suggestions(db, document_id=doc, annotator_id=me)
    }
    # A new run does not take it from him either, once the document is his too.
    assign_documents(db, annotator="bob", document_ids=[doc])
    run_suggestions(db, engines=["actors", "claims"])
    assert named(db, doc, "Ana Souza", "ACTOR", who=bob)

    # Bob accepts the claim: its source comes along into bob's layer, not linked to mine.
    claim = named(db, doc, "the budget is safe", "CLAIM", who=bob)
    accepted = accept_suggestions(db, suggestion_ids=[claim.id], annotator_id=bob)
    bobs = {s.quote: s for s in list_spans(db, document_id=doc, annotator_ids=[bob])}
    assert set(bobs) == {"Ana Souza", "the budget is safe"}
    assert bobs["Ana Souza"].id != mine.id
    (link,) = accepted.relations
    assert (link.source_id, link.target_id) == (bobs["the budget is safe"].id, bobs["Ana Souza"].id)
    # The claim is still there for me, pointing at my own span.
    claim_for_me = named(db, doc, "the budget is safe", "CLAIM", who=me)
    assert [link.target_span_id for link in claim_for_me.links] == [mine.id]


def test_one_annotator_rejecting_leaves_the_suggestion_to_the_others(db: Database, me: int):
    text = "Ana Souza said the budget is safe. Souza added that taxes would not rise."
    doc = article(db, text, "Budget")
    bob = ensure_annotator(db, name="bob").id
    assign_documents(db, annotator="bob", document_ids=[doc])
    run_suggestions(db, engines=["actors", "claims"])
    souza = named(db, doc, "Ana Souza", "ACTOR")
    rejected = reject_suggestion(db, suggestion_id=souza.id, annotator_id=me)

    def quotes(who: int) -> set[str]:
        return {s.quote for s in list_suggestions(db, document_id=doc, annotator_id=who)}

    # Gone from my list, and my claim no longer proposes it as its source; bob's list is as it was.
    assert "Ana Souza" not in quotes(me)
    claim_for_me = named(db, doc, "the budget is safe", "CLAIM", who=me)
    assert souza.id not in {link.target_suggestion_id for link in claim_for_me.links}
    assert named(db, doc, "Ana Souza", "ACTOR", who=bob).id == souza.id
    claim_for_bob = named(db, doc, "the budget is safe", "CLAIM", who=bob)
    assert souza.id in {link.target_suggestion_id for link in claim_for_bob.links}

    # A new run still proposes it (bob has not decided), and my list still leaves it out.
    run_suggestions(db, engines=["actors", "claims"])
    assert "Ana Souza" in quotes(bob)
    assert "Ana Souza" not in quotes(me)

    # Undo brings it back to me only when I take my own rejection back.
    undo_reject(db, rejected=rejected)
    assert "Ana Souza" in quotes(me)
    again = reject_suggestion(db, suggestion_id=named(db, doc, "Ana Souza").id, annotator_id=me)

    # Once bob rejects it too, the engines stop proposing it to anyone.
    reject_suggestion(db, suggestion_id=named(db, doc, "Ana Souza").id, annotator_id=bob)
    run_suggestions(db, engines=["actors", "claims"])
    assert "Ana Souza" not in {s.quote for s in list_suggestions(db, document_id=doc)}
    # Taking my rejection back after that run puts it back in my list alone.
    undo_reject(db, rejected=again)
    assert "Ana Souza" in quotes(me)
    assert "Ana Souza" not in quotes(bob)


def test_a_name_counts_as_rejected_elsewhere_only_when_the_whole_team_rejected_it(
    db: Database, me: int
):
    first = article(db, FIRST, "Treaty")
    second = article(db, SECOND, "Border")
    bob = ensure_annotator(db, name="bob").id
    assign_documents(db, annotator="bob", document_ids=[first])
    run_suggestions(db, engines=["actors"])

    def reject_kestria(who: int) -> None:
        for suggestion in list_suggestions(db, document_id=first, annotator_id=who):
            if suggestion.quote == "Kestria":
                reject_suggestion(db, suggestion_id=suggestion.id, annotator_id=who)

    reject_kestria(me)
    run_suggestions(db, engines=["actors"])
    assert "Kestria" in {s.quote for s in list_suggestions(db, document_id=second)}
    reject_kestria(bob)
    run_suggestions(db, engines=["actors"])
    assert "Kestria" not in {s.quote for s in list_suggestions(db, document_id=second)}


def test_the_corpus_marks_counted_in_the_database_are_those_of_each_span(
    db: Database, me: int, monkeypatch
):
    from collections import Counter

    from annotator.services import suggestions as service

    actor = labels(db)["ACTOR"]
    marks = [
        ("Kestria", {"kind": "state"}),
        ("Jana Novak", {"kind": "person"}),
        ("Kestria", {}),
        ("Valmora", {"kind": "state"}),
        ("Jana Novak", {"kind": "person"}),
        ("Valmora", {"kind": "organization"}),
    ]
    documents = []
    for n in range(4):
        text = "Kestria, Valmora and Jana Novak met. " * 2 + f"Day {n}."
        document_id = article(db, text, f"Meeting {n}")
        documents.append(document_id)
        for i, (quote, attributes) in enumerate(marks[n : n + 3]):
            start = text.index(quote, 0 if i < 2 else 37)
            add_span(
                db,
                document_id=document_id,
                start=start,
                end=start + len(quote),
                label_id=actor,
                annotator_id=me,
                attributes=attributes,
            )
    with db.reading() as repo:
        one_by_one = service.as_marked_names(
            sum(service.marks_by_document(repo, actor, {}).values(), Counter())
        )
        # The same names, kinds and counts in the same order: the engine breaks ties by it.
        assert service.marked_names(repo, actor, {}) == one_by_one
        monkeypatch.setattr(service, "MARKS_READ", 3)
        newest = service.as_marked_names(
            service.marks_by_document(repo, actor, {}, include={documents[-1]})[documents[-1]]
        )
        assert service.marked_names(repo, actor, {}) == newest


def test_storing_one_documents_proposals_hands_back_what_reading_them_would(db: Database, me: int):
    from annotator.services.suggestions import propose_suggestions, store_and_list

    document_id = article(db, FIRST, "Treaty")
    start = FIRST.index("Jana Novak")
    add_span(
        db,
        document_id=document_id,
        start=start,
        end=start + len("Jana Novak"),
        label_id=labels(db)["ACTOR"],
        annotator_id=me,
        attributes={"kind": "person"},
    )
    run_suggestions(db, document_ids=[document_id])
    rejected = next(s for s in list_suggestions(db, document_id=document_id) if s.engine == "dates")
    reject_suggestion(db, suggestion_id=rejected.id, annotator_id=me)
    # Every engine, then one engine beside the others' stored suggestions.
    for engines in (None, ["claims"]):
        (proposed,) = propose_suggestions(db, document_ids=[document_id], engines=engines)
        stored, listed = store_and_list(db, proposed, annotator_id=me)
        assert listed == list_suggestions(db, document_id=document_id, annotator_id=me)
        assert listed and sum(stored.values()) > 0
        assert any(s.links for s in listed) and any(s.attributes for s in listed)
        assert rejected.start not in {s.start for s in listed if s.engine == "dates"}
