"""Schema edits (labels, attributes, relation types) and schema files, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.errors import SchemaError
from annotator.domain.model import DocumentMeta, HighlightStyle, Label, Schema
from annotator.domain.schema import ACTOR, CLAIM, DATE, SOURCE, LabelSpec, RelationTypeSpec
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document
from annotator.services.guidelines import default_guidelines, guidelines_text
from annotator.services.relations import add_relation, delete_relations
from annotator.services.schema import (
    LabelEdit,
    RelationTypeEdit,
    SchemaEdit,
    delete_label,
    delete_relation_type,
    export_schema,
    get_schema,
    import_schema,
    save_label,
    save_relation_type,
    save_schema,
)
from annotator.services.spans import add_span, delete_spans, list_spans
from annotator.store import Database

TEXT = "KCNA reported that Kim Yo Jong received the gift on February 18, calling it the best gift."


def spec_of(label: Label, **changes: object) -> LabelSpec:
    spec = LabelSpec(
        label.name, label.colour, label.hotkey, label.style, label.description, label.attributes
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


@pytest.fixture
def corpus(any_db: Database):
    """The default schema, one article with two ACTORs, a DATE and a CLAIM sourced to KCNA."""
    seed_new_database(any_db)
    doc = add_document(any_db, text=TEXT, meta=DocumentMeta("KCNA", published="2024-02-20"))
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")

    def span(quote: str, label: str):
        at = TEXT.index(quote)
        return add_span(
            any_db,
            document_id=doc.id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
        )

    kcna = span("KCNA", ACTOR)
    span("Kim Yo Jong", ACTOR)
    span("February 18", DATE)
    claim = span("calling it the best gift", CLAIM)
    source = schema.relation_type_named(SOURCE)
    relation = add_relation(
        any_db, type_id=source.id, source_id=claim.id, target_id=kcna.id, annotator_id=me.id
    )
    return any_db, doc, schema, relation


def counts_by_label(db: Database, document_id: int) -> Counter[int]:
    return Counter(s.label_id for s in list_spans(db, document_id=document_id))


# Labels ------------------------------------------------------------------------------------


def test_renaming_a_label_keeps_its_spans(corpus):
    db, doc, schema, _ = corpus
    actor = schema.label_named(ACTOR)
    before = counts_by_label(db, doc.id)
    assert before[actor.id] == 2

    saved = save_label(db, spec=spec_of(actor, name="PERSON"), label_id=actor.id)

    assert saved.id == actor.id and saved.name == "PERSON"
    assert counts_by_label(db, doc.id) == before
    after = get_schema(db)
    assert after.label_named(ACTOR) is None
    assert after.label(actor.id).name == "PERSON"
    assert after.label(actor.id).attributes == actor.attributes
    # Relation types follow the label by id.
    assert after.relation_type_named(SOURCE).target_label_id == actor.id


def test_a_hotkey_another_label_uses_is_refused_whatever_its_case(corpus):
    db, _, schema, _ = corpus
    date = schema.label_named(DATE)
    with pytest.raises(SchemaError, match="1"):
        save_label(db, spec=spec_of(date, hotkey="1"), label_id=date.id)
    save_label(db, spec=spec_of(date, hotkey="q"), label_id=date.id)
    with pytest.raises(SchemaError, match="DATE"):
        save_label(
            db,
            spec=LabelSpec("TOPIC", "#123456", "Q", HighlightStyle.BACKGROUND, ""),
        )
    assert get_schema(db).label_named("TOPIC") is None
    assert get_schema(db).label(date.id).hotkey == "q"


LABEL_MISTAKES = [
    ({"name": "  "}, "needs a name"),
    ({"colour": "red"}, "colour"),
    ({"hotkey": "ab"}, "one key"),
    ({"attributes": (AttributeDef("kind", AttributeKind.CHOICE),)}, "needs options"),
    ({"attributes": (AttributeDef(" ", AttributeKind.TEXT),)}, "needs a name"),
    ({"attributes": (AttributeDef("a", AttributeKind.TEXT),) * 2}, "same name"),
]


def test_a_label_the_database_could_not_read_back_is_refused(corpus):
    db, _, schema, _ = corpus
    actor = schema.label_named(ACTOR)
    for changes, message in LABEL_MISTAKES:
        with pytest.raises(SchemaError, match=message):
            save_label(db, spec=spec_of(actor, **changes), label_id=actor.id)
        assert get_schema(db) == schema, changes


def test_attributes_are_saved_with_options_trimmed(corpus):
    db, _, schema, _ = corpus
    claim = schema.label_named(CLAIM)
    topic = AttributeDef("topic", AttributeKind.CHOICE, (" war ", "trade", "", "trade"))
    save_label(db, spec=spec_of(claim, attributes=(*claim.attributes, topic)), label_id=claim.id)
    stored = get_schema(db).label(claim.id).attribute("topic")
    assert stored == AttributeDef("topic", AttributeKind.CHOICE, ("war", "trade"))


def test_a_label_in_use_cannot_be_deleted_and_an_unused_one_can(corpus):
    db, doc, schema, _ = corpus
    with pytest.raises(SchemaError, match=r"DATE is used by 1 span"):
        delete_label(db, label_id=schema.label_named(DATE).id)
    date = schema.label_named(DATE)
    dates = [s.id for s in list_spans(db, document_id=doc.id) if s.label_id == date.id]
    delete_spans(db, span_ids=dates)
    # No spans any more, but TIME still links claims to dates.
    with pytest.raises(SchemaError, match="relation type"):
        delete_label(db, label_id=date.id)
    topic = save_label(db, spec=LabelSpec("TOPIC", "#123456", "t", HighlightStyle.UNDERLINE, ""))
    delete_label(db, label_id=topic.id)
    assert get_schema(db).label_named("TOPIC") is None
    assert get_schema(db).label_named(DATE) is not None


# Relation types ----------------------------------------------------------------------------


def test_relation_types_are_added_renamed_and_deleted_only_when_unused(corpus):
    db, _, schema, relation = corpus
    claim, actor = schema.label_named(CLAIM), schema.label_named(ACTOR)
    target = save_relation_type(
        db, name="target", source_label_id=claim.id, target_label_id=actor.id, colour="#aa0000"
    )
    assert (target.name, target.colour) == ("TARGET", "#AA0000")
    renamed = save_relation_type(
        db,
        name="about",
        source_label_id=claim.id,
        target_label_id=None,
        colour="#AA0000",
        type_id=target.id,
    )
    assert renamed.id == target.id and renamed.name == "ABOUT" and renamed.target_label_id is None
    with pytest.raises(SchemaError, match="already exists"):
        save_relation_type(
            db, name="SOURCE", source_label_id=None, target_label_id=None, colour="#000000"
        )
    delete_relation_type(db, type_id=target.id)
    assert get_schema(db).relation_type_named("ABOUT") is None

    source = schema.relation_type_named(SOURCE)
    with pytest.raises(SchemaError, match="used by 1 relation"):
        delete_relation_type(db, type_id=source.id)
    # Renaming a used type keeps its relations.
    save_relation_type(
        db,
        name="SAID_BY",
        source_label_id=claim.id,
        target_label_id=actor.id,
        colour=source.colour,
        type_id=source.id,
    )
    assert get_schema(db).relation_type(source.id).name == "SAID_BY"
    delete_relations(db, relation_ids=[relation.id])
    delete_relation_type(db, type_id=source.id)
    assert get_schema(db).relation_type_named("SAID_BY") is None


# Schema files ------------------------------------------------------------------------------


def test_an_exported_schema_imports_into_a_fresh_database_as_it_was(corpus, tmp_path):
    db, _, schema, _ = corpus
    claim = schema.label_named(CLAIM)
    topic = AttributeDef("topic", AttributeKind.TEXT, (), "What it is about.")
    save_label(
        db,
        spec=spec_of(claim, colour="#112233", attributes=(*claim.attributes, topic)),
        label_id=claim.id,
    )
    save_label(db, spec=LabelSpec("PLACE", "#00AA00", "4", HighlightStyle.UNDERLINE, "Where."))
    save_relation_type(
        db,
        name="TARGET",
        source_label_id=claim.id,
        target_label_id=None,
        colour="#445566",
        description="Who the claim is about.",
    )
    path = tmp_path / "schema.json"
    export_schema(db, path=path)

    fresh = Database(tmp_path / "fresh.sqlite3")
    try:
        result = import_schema(fresh, path=path)
        assert result.labels_added == (ACTOR, DATE, CLAIM, "PLACE")
        assert result.relation_types_added == ("SOURCE", "TIME", "REPORTED_IN", "TARGET")
        assert describe(get_schema(fresh)) == describe(get_schema(db))
        # Importing the same file again changes nothing but says what it updated.
        again = import_schema(fresh, path=path)
        assert again.labels_added == () and len(again.labels_changed) == 4
        assert describe(get_schema(fresh)) == describe(get_schema(db))
    finally:
        fresh.dispose()


def describe(schema: Schema) -> object:
    """The schema without database ids."""
    names = {label.id: label.name for label in schema.labels}
    return (
        [replace(label, id=0, position=0) for label in schema.labels],
        [
            (
                t.name,
                names.get(t.source_label_id or 0),
                names.get(t.target_label_id or 0),
                t.colour,
                t.description,
            )
            for t in schema.relation_types
        ],
    )


def test_import_updates_labels_by_name_and_lets_hotkeys_change_hands(corpus, tmp_path):
    db, doc, schema, _ = corpus
    path = tmp_path / "swap.json"
    data = json.loads(export_path(db, tmp_path).read_text(encoding="utf-8"))
    hotkeys = {"ACTOR": "2", "DATE": "1"}
    for label in data["labels"]:
        label["hotkey"] = hotkeys.get(label["name"], label["hotkey"])
    path.write_text(json.dumps(data), encoding="utf-8")
    before = counts_by_label(db, doc.id)

    result = import_schema(db, path=path)

    assert result.labels_added == ()
    after = get_schema(db)
    assert (after.label_named(ACTOR).hotkey, after.label_named(DATE).hotkey) == ("2", "1")
    assert after.label_named(ACTOR).id == schema.label_named(ACTOR).id
    assert counts_by_label(db, doc.id) == before


def export_path(db: Database, tmp_path: Path) -> Path:
    path = tmp_path / "exported.json"
    export_schema(db, path=path)
    return path


def _broken(tmp_path: Path, db: Database, case: str) -> Path:
    path = tmp_path / f"{case}.json"
    data = json.loads(export_path(db, tmp_path).read_text(encoding="utf-8"))
    # A new label first, so that a file that is refused late would already have written it.
    data["labels"].append({"name": "NEW", "colour": "#000000", "hotkey": "9"})
    if case == "not-json":
        path.write_text("labels: ACTOR, DATE\n", encoding="utf-8")
        return path
    if case == "wrong-format":
        data["format"] = "label-studio"
    elif case == "unknown-label":
        data["relation_types"].append({"name": "TARGET", "from": "CLAIM", "to": "PERSON"})
    elif case == "bad-colour":
        data["labels"][0]["colour"] = "blue"
    elif case == "bad-relation-colour":
        data["relation_types"][0]["colour"] = "#12"
    elif case == "hotkey-of-another-label":
        data["labels"] = [{"name": "NEW", "colour": "#000000", "hotkey": "1"}]
    elif case == "choice-without-options":
        data["labels"][2]["attributes"].append({"name": "x", "kind": "choice"})
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


BROKEN_FILES = [
    ("not-json", "not a JSON schema file"),
    ("wrong-format", "not an annotator schema"),
    ("unknown-label", "no label 'PERSON'"),
    ("bad-colour", "colour"),
    ("bad-relation-colour", "colour"),
    ("hotkey-of-another-label", "hotkey '1' is already ACTOR's"),
    ("choice-without-options", "needs options"),
]


def test_a_broken_schema_file_is_refused_naming_the_file_and_nothing_changes(corpus, tmp_path):
    db, _, _, _ = corpus
    before = get_schema(db)
    for case, message in BROKEN_FILES:
        path = _broken(tmp_path, db, case)
        with pytest.raises(SchemaError) as error:
            import_schema(db, path=path)
        assert str(error.value).startswith(f"{path}: "), case
        assert message in str(error.value), case
        assert get_schema(db) == before, case


# The whole schema in one call ------------------------------------------------------------------


def edit_of(schema: Schema, **guidelines: str) -> tuple[list[LabelEdit], list[RelationTypeEdit]]:
    names = {label.id: label.name for label in schema.labels}
    labels = [LabelEdit(spec_of(label), label.id) for label in schema.labels]
    types = [
        RelationTypeEdit(
            RelationTypeSpec(
                t.name,
                names.get(t.source_label_id or 0),
                names.get(t.target_label_id or 0),
                t.colour,
                t.description,
            ),
            t.id,
        )
        for t in schema.relation_types
    ]
    return labels, types


def test_a_schema_is_saved_whole_in_one_call_with_its_guidelines(corpus):
    db, _, schema, _ = corpus
    labels, types = edit_of(schema)
    actor, date = (schema.label_named(n) for n in (ACTOR, DATE))
    # Hotkeys change hands, ACTOR is renamed, a new label gets a relation type to it.
    labels = [
        LabelEdit(spec_of(actor, name="PERSON", hotkey="2"), actor.id),
        LabelEdit(spec_of(date, hotkey="1"), date.id),
        *labels[2:],
        LabelEdit(LabelSpec(" PLACE ", "#00aa00", "4", HighlightStyle.BACKGROUND, "")),
    ]
    # Relation types name the labels as edited.
    types = [
        replace(t, spec=replace(t.spec, target_label="PERSON"))
        if t.spec.target_label == ACTOR
        else t
        for t in types
    ]
    types.append(RelationTypeEdit(RelationTypeSpec("located in", "PERSON", "PLACE", "#123456")))
    saved = save_schema(
        db,
        edit=SchemaEdit(tuple(labels), tuple(types), guidelines="# Ours\n"),
        reserved_keys={"n": "Next span"},
    )

    assert saved == get_schema(db)
    assert (saved.label(actor.id).name, saved.label(actor.id).hotkey) == ("PERSON", "2")
    assert saved.label(date.id).hotkey == "1"
    place = saved.label_named("PLACE")
    assert place is not None and place.colour == "#00AA00"
    located = saved.relation_type_named("LOCATED_IN")
    assert located is not None
    assert (located.source_label_id, located.target_label_id) == (actor.id, place.id)
    assert saved.relation_type_named(SOURCE).target_label_id == actor.id
    assert guidelines_text(db) == "# Ours\n"


SCHEMA_MISTAKES = [
    (lambda ls: [*ls, replace(ls[0], label_id=None)], "two labels are named ACTOR"),
    (lambda ls: [replace(ls[0], spec=replace(ls[0].spec, hotkey="N")), *ls[1:]], "Next span"),
    (lambda ls: [replace(ls[0], spec=replace(ls[0].spec, hotkey="2")), *ls[1:]], "same hotkey"),
]


def test_a_schema_with_any_mistake_stores_nothing(corpus):
    db, _, schema, _ = corpus
    labels, types = edit_of(schema)
    renamed = [LabelEdit(spec_of(schema.labels[1], name="WHEN"), schema.labels[1].id)]
    for change, message in SCHEMA_MISTAKES:
        edit = SchemaEdit(tuple(change([labels[0], *renamed, *labels[2:]])), tuple(types), "# X")
        with pytest.raises(SchemaError, match=message):
            save_schema(db, edit=edit, reserved_keys={"n": "Next span"})
        assert get_schema(db) == schema
        assert guidelines_text(db) == default_guidelines()
    # A relation type to a label the edit does not have.
    wrong = RelationTypeEdit(RelationTypeSpec("ABOUT", CLAIM, "TOPIC", "#000000"))
    with pytest.raises(SchemaError, match="no label TOPIC"):
        save_schema(db, edit=SchemaEdit(tuple(labels), (*types, wrong)))
    assert get_schema(db) == schema
