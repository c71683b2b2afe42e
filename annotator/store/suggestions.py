"""Suggestions, their links, rejections, settings, the gazetteer and stored actor models.

Suggestions live in their own tables: nothing here touches `spans` or `relations` except
accepting (in the repository), so exports, counts and agreement never see a suggestion.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    type_coerce,
    union,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from annotator.domain.suggestions import (
    NewSuggestion,
    StoredModel,
    Suggestion,
    SuggestionLink,
)
from annotator.domain.text import check_span
from annotator.store.batches import chunks
from annotator.store.models import (
    ActorModelRow,
    DocumentRow,
    GazetteerRow,
    RejectionRow,
    SettingRow,
    SpanRow,
    SuggestionLinkRow,
    SuggestionRow,
    utcnow,
)

_SUGGESTIONS = cast(Table, SuggestionRow.__table__)
_LINKS = cast(Table, SuggestionLinkRow.__table__)


def _to_suggestion(row: Any, links: Sequence[SuggestionLink]) -> Suggestion:
    return Suggestion(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        label_id=row.label_id,
        quote=row.quote,
        engine=row.engine,
        score=row.score,
        attributes=dict(row.attributes or {}),
        actor_id=row.actor_id,
        model_version=row.model_version,
        rule=row.rule,
        links=tuple(links),
    )


def replace_suggestions(
    session: Session,
    document_id: int,
    engines: Collection[str],
    items: Sequence[NewSuggestion],
    listed: list[Suggestion] | None = None,
) -> int:
    """Drop the document's suggestions of these engines and store `items` instead; how many
    were stored. An item whose offsets and label another engine already proposes here is left
    out (the earlier one stands), as is a second item with the same key.

    With `listed`, the document's suggestions as they now are go into it, in text order, as
    `document_suggestions` would read them: those stored here are made from what was written
    (the other engines' are read), which spares reading back thousands of rows."""
    session.execute(
        delete(SuggestionRow).where(
            SuggestionRow.document_id == document_id, SuggestionRow.engine.in_(list(engines))
        )
    )
    if not items:
        if listed is not None:
            listed.extend(document_suggestions(session, document_id))
        return 0
    text = session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
    assert text is not None, document_id
    taken: set[tuple[int, int, int]] = {
        (label_id, start, end)
        for label_id, start, end in session.execute(
            select(SuggestionRow.label_id, SuggestionRow.start, SuggestionRow.end).where(
                SuggestionRow.document_id == document_id
            )
        )
    }
    length = len(text)
    rows: list[tuple[Any, ...]] = []
    kept: list[int] = []
    for index, item in enumerate(items):
        start, end, label_id = item.start, item.end, item.label_id
        key = (label_id, start, end)
        if key in taken:
            continue
        taken.add(key)
        kept.append(index)
        if not 0 <= start < end <= length:
            check_span(text, start, end)  # raises, saying why
        rows.append(
            (
                *(start, end, label_id, text[start:end], item.engine),
                min(1.0, max(0.0, float(item.score))),
                *(dict(item.attributes), item.actor_id, item.model_version, item.rule[:100]),
            )
        )
    if not rows:
        if listed is not None:
            listed.extend(document_suggestions(session, document_id))
        return 0
    ids = _insert_rows(session, document_id, rows)
    if ids is None:
        # Read the new ids back by the unique key: RETURNING in row order costs one statement
        # per row on SQLite (as in Repository.add_spans).
        by_key = {
            (label_id, start, end): suggestion_id
            for label_id, start, end, suggestion_id in session.execute(
                select(
                    SuggestionRow.label_id, SuggestionRow.start, SuggestionRow.end, SuggestionRow.id
                ).where(SuggestionRow.document_id == document_id)
            )
        }
        ids = [by_key[(row[2], row[0], row[1])] for row in rows]
    new_id = dict(zip(kept, ids, strict=True))
    links = [
        (
            new_id[index],
            link.type_id,
            link.target_span_id,
            None if link.target_index is None else new_id.get(link.target_index),
        )
        for index in kept
        for link in items[index].links
        if link.target_span_id is not None or link.target_index in new_id
    ]
    link_ids = _insert_links(session, links) if links else []
    if listed is not None:
        made: dict[int, list[SuggestionLink]] | None = None
        if link_ids is not None:
            made = {}
            for link_id, (suggestion_id, type_id, span_id, target_id) in zip(
                link_ids, links, strict=True
            ):
                made.setdefault(suggestion_id, []).append(
                    SuggestionLink(link_id, type_id, span_id, target_id)
                )
        listed.extend(_listed(session, document_id, engines, rows, ids, made))
    return len(rows)


_STORED = (
    *("start", "end", "label_id", "quote", "engine", "score"),
    *("attributes", "actor_id", "model_version", "rule"),
)
"""The columns of the rows `replace_suggestions` makes, in `Suggestion`'s field order from
`start` to `rule`; `document_id` and `created` are the same for all of them."""
assert [f.name for f in fields(Suggestion)[2:-1]] == list(_STORED)
_INSERTED = ("document_id", *_STORED, "created")
_LINK_COLUMNS = ("suggestion_id", "type_id", "target_span_id", "target_suggestion_id")


def _listed(
    session: Session,
    document_id: int,
    engines: Collection[str],
    rows: Sequence[Sequence[Any]],
    ids: Sequence[int],
    made: Mapping[int, Sequence[SuggestionLink]] | None,
) -> list[Suggestion]:
    """The document's suggestions after `replace_suggestions` stored `rows` (with these ids
    and, when known, these links by suggestion id) for these engines: theirs made from the
    rows, the other engines' read."""
    connection = session.connection()
    others = connection.execute(
        select(*_COLUMNS).where(
            SuggestionRow.document_id == document_id, SuggestionRow.engine.not_in(list(engines))
        )
    ).all()
    links: Mapping[int, Sequence[SuggestionLink]] = (
        _document_links(connection, document_id) if made is None or others else made
    )
    if made is None:
        made = links
    found = _read_suggestions(others, links)
    (s_id, s_document, s_start, s_end, s_label, s_quote, s_engine, s_score) = _SETTERS[:8]
    (s_attributes, s_actor, s_version, s_rule, s_links) = _SETTERS[8:]
    new, empty = _new, ()
    for suggestion_id, row in zip(ids, rows, strict=True):
        # Field by field through the slots, unrolled: twenty thousand of them for a long
        # article, where a loop over the setters cost twice as much.
        suggestion = new(Suggestion)
        s_id(suggestion, suggestion_id)
        s_document(suggestion, document_id)
        s_start(suggestion, row[0])
        s_end(suggestion, row[1])
        s_label(suggestion, row[2])
        s_quote(suggestion, row[3])
        s_engine(suggestion, row[4])
        s_score(suggestion, row[5])
        s_attributes(suggestion, row[6])
        s_actor(suggestion, row[7])
        s_version(suggestion, row[8])
        s_rule(suggestion, row[9])
        mine = made.get(suggestion_id)
        s_links(suggestion, tuple(mine) if mine else empty)
        found.append(suggestion)
    found.sort(key=_text_order)
    return found


def _text_order(s: Suggestion) -> tuple[int, int, int]:
    return (s.start, -s.end, s.id)


def _insert_rows(
    session: Session, document_id: int, rows: Sequence[Sequence[Any]]
) -> list[int] | None:
    """Insert suggestion rows (`_STORED` values) of a document with one executemany; their
    ids in order on SQLite, None elsewhere (read them back). On SQLite the values go to the
    driver as SQLAlchemy would send them, made by the columns' own bind processors, but the
    document and the timestamp (the same for every row) once and the rest without
    SQLAlchemy's per-row parameter building: for the 20,000 suggestions of a long article that
    building cost about as much as SQLite's own inserting."""
    connection = session.connection()
    dialect = connection.dialect
    now = utcnow()
    if dialect.name != "sqlite":
        session.execute(
            insert(_SUGGESTIONS),
            [
                {"document_id": document_id, **dict(zip(_STORED, row, strict=True)), "created": now}
                for row in rows
            ],
        )
        return None
    columns = [_SUGGESTIONS.c[name] for name in _INSERTED]
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    first, last = processors[0], processors[-1]
    document = first(document_id) if first else document_id
    stamp = last(now) if last else now
    attributes = _STORED.index("attributes")
    convert = [
        (index, _repeated(processor) if index == attributes else processor)
        for index, processor in enumerate(processors[1:-1])
        if processor is not None
    ]
    if convert:
        values = []
        for row in rows:
            value = list(row)
            for index, processor in convert:
                value[index] = processor(value[index])
            values.append((document, *value, stamp))
    else:
        values = [(document, *row, stamp) for row in rows]
    return _executemany(connection, "suggestions", _INSERTED, values)


def _insert_links(session: Session, links: Sequence[tuple[Any, ...]]) -> list[int] | None:
    """Insert suggestion links (`_LINK_COLUMNS` values) with one executemany; their ids in
    order on SQLite, None elsewhere."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(
            insert(_LINKS), [dict(zip(_LINK_COLUMNS, link, strict=True)) for link in links]
        )
        return None
    return _executemany(connection, "suggestion_links", _LINK_COLUMNS, links)


def _executemany(
    connection: Connection, table: str, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert the rows with one executemany on SQLite; their ids, in order. The table is an
    AUTOINCREMENT one (ids never reused) and this transaction holds the write lock, so each
    row's id is one more than the last: the last id is the connection's last_insert_rowid()."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    marks = ", ".join("?" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    return list(range(last - len(values) + 1, last + 1))


def _repeated(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The JSON column's bind processor, run once per distinct value: a long article's
    suggestions repeat a few thousand attribute objects ({"kind": "person"}, a date's value)
    among twenty thousand. Values are told apart by type too (True is 1 to a dict key)."""
    memo: dict[tuple[tuple[tuple[str, Any], ...], tuple[type, ...]], Any] = {}

    def process(value: Any) -> Any:
        if not isinstance(value, dict):
            return processor(value)
        # The items and their types, each made by one call (a generator per row was a tenth
        # of storing a long article's suggestions).
        key = (tuple(value.items()), tuple(map(type, value.values())))
        try:
            return memo[key]
        except KeyError:
            memo[key] = found = processor(value)
            return found
        except TypeError:  # a value that cannot be a key (a list): not kept
            return processor(value)

    return process


def _links_of(session: Session, suggestion_ids: Collection[int]) -> dict[int, list[SuggestionLink]]:
    found: dict[int, list[SuggestionLink]] = {}
    for chunk in chunks(list(suggestion_ids), 500):
        for row in session.execute(
            select(SuggestionLinkRow)
            .where(SuggestionLinkRow.suggestion_id.in_(chunk))
            .order_by(SuggestionLinkRow.id)
        ).scalars():
            found.setdefault(row.suggestion_id, []).append(
                SuggestionLink(row.id, row.type_id, row.target_span_id, row.target_suggestion_id)
            )
    return found


_COLUMNS = (
    SuggestionRow.id,
    SuggestionRow.document_id,
    SuggestionRow.start,
    SuggestionRow.end,
    SuggestionRow.label_id,
    SuggestionRow.quote,
    SuggestionRow.engine,
    SuggestionRow.score,
    type_coerce(SuggestionRow.attributes, String).label("attributes"),
    SuggestionRow.actor_id,
    SuggestionRow.model_version,
    SuggestionRow.rule,
)
"""The suggestions table's columns in `Suggestion`'s field order (links aside), the attributes
as stored: `_read_suggestions` decodes each distinct text once."""

# A Suggestion filled in through its slots, as annotator/store/convert.py does for spans: a
# frozen dataclass's __init__ sets each field through object.__setattr__.
_new = object.__new__
_SETTERS = tuple(cast(Any, Suggestion).__dict__[f.name].__set__ for f in fields(Suggestion))
assert [f.name for f in fields(Suggestion)] == [
    *("id", "document_id", "start", "end", "label_id", "quote", "engine", "score"),
    *("attributes", "actor_id", "model_version", "rule", "links"),
]


def _read_suggestions(
    rows: Iterable[Sequence[Any]], links: Mapping[int, Sequence[SuggestionLink]]
) -> list[Suggestion]:
    """Suggestions from `_COLUMNS` rows. Their attributes repeat ({"kind": "person"}, a date's
    value): each distinct stored text is parsed once, and each suggestion gets its own copy.
    PostgreSQL's driver hands JSON over decoded."""
    parsed: dict[str, dict[str, Any]] = {}
    out = []
    set_links = _SETTERS[-1]
    for row in rows:
        suggestion = _new(Suggestion)
        for setter, value in zip(_SETTERS, row, strict=False):
            setter(suggestion, value)
        raw = row[8]
        if isinstance(raw, str):
            found = parsed.get(raw)
            if found is None:
                found = parsed[raw] = _json_object(raw)
            attributes = dict(found)
        else:
            attributes = dict(raw or {})
        _SETTERS[8](suggestion, attributes)
        set_links(suggestion, tuple(links.get(row[0], ())))
        out.append(suggestion)
    return out


def _json_object(raw: str) -> dict[str, Any]:
    if raw == "{}":
        return {}
    value = json.loads(raw)
    return value if isinstance(value, dict) else {}


def document_suggestions(session: Session, document_id: int) -> list[Suggestion]:
    """A document's suggestions in text order, read as plain rows: the window reads them
    again after every decision, and building ORM objects for the thousands of a long article
    took seconds (a third of that this way), links in one query instead of one per 500."""
    connection = session.connection()  # Core rows: the ORM's loading is most of the cost
    links = _document_links(connection, document_id)
    rows = connection.execute(
        select(*_COLUMNS)
        .where(SuggestionRow.document_id == document_id)
        .order_by(SuggestionRow.start, SuggestionRow.end.desc(), SuggestionRow.id)
    )
    return _read_suggestions(rows, links)


def _document_links(connection: Connection, document_id: int) -> dict[int, list[SuggestionLink]]:
    """The links of a document's suggestions, by suggestion id, in the order they were made."""
    links: dict[int, list[SuggestionLink]] = {}
    for link_id, suggestion_id, type_id, span_id, target_id in connection.execute(
        select(
            SuggestionLinkRow.id,
            SuggestionLinkRow.suggestion_id,
            SuggestionLinkRow.type_id,
            SuggestionLinkRow.target_span_id,
            SuggestionLinkRow.target_suggestion_id,
        )
        .join(SuggestionRow, SuggestionRow.id == SuggestionLinkRow.suggestion_id)
        .where(SuggestionRow.document_id == document_id)
        .order_by(SuggestionLinkRow.id)
    ):
        links.setdefault(suggestion_id, []).append(
            SuggestionLink(link_id, type_id, span_id, target_id)
        )
    return links


def suggestions_by_ids(session: Session, suggestion_ids: Collection[int]) -> list[Suggestion]:
    rows = (
        session.execute(select(SuggestionRow).where(SuggestionRow.id.in_(list(suggestion_ids))))
        .scalars()
        .all()
    )
    links = _links_of(session, [r.id for r in rows])
    return [_to_suggestion(r, links.get(r.id, ())) for r in rows]


def links_to(session: Session, suggestion_ids: Collection[int]) -> list[tuple[int, int, int, int]]:
    """Links of other suggestions that point at these: (link id, from suggestion, to, type)."""
    return [
        (row.id, row.suggestion_id, cast(int, row.target_suggestion_id), row.type_id)
        for row in session.execute(
            select(SuggestionLinkRow).where(
                SuggestionLinkRow.target_suggestion_id.in_(list(suggestion_ids))
            )
        ).scalars()
    ]


def repoint_links(session: Session, changes: Sequence[tuple[int, int | None, int | None]]) -> None:
    """Point links (id, span id, suggestion id) at a span or back at a suggestion."""
    for link_id, span_id, suggestion_id in changes:
        row = session.get(SuggestionLinkRow, link_id)
        if row is not None:
            row.target_span_id, row.target_suggestion_id = span_id, suggestion_id
    session.flush()


def restore_links(
    session: Session, target_suggestion_id: int, links: Sequence[tuple[int, int, int]]
) -> None:
    """Put back links (link id, from suggestion id, type id) to a restored suggestion."""
    for link_id, from_id, type_id in links:
        session.add(
            SuggestionLinkRow(
                id=link_id,
                suggestion_id=from_id,
                type_id=type_id,
                target_span_id=None,
                target_suggestion_id=target_suggestion_id,
            )
        )
    session.flush()


def delete_suggestions(session: Session, suggestion_ids: Collection[int]) -> None:
    for chunk in chunks(list(suggestion_ids), 500):
        session.execute(delete(SuggestionRow).where(SuggestionRow.id.in_(chunk)))


def restore_suggestions(session: Session, suggestions: Sequence[Suggestion]) -> None:
    """Put suggestions back under their ids, with their links (undo of accept or reject); one
    a later run made at the same offsets gives way."""
    for s in suggestions:
        session.execute(
            delete(SuggestionRow).where(
                SuggestionRow.document_id == s.document_id,
                SuggestionRow.label_id == s.label_id,
                SuggestionRow.start == s.start,
                SuggestionRow.end == s.end,
            )
        )
    for s in suggestions:
        session.add(
            SuggestionRow(
                id=s.id,
                document_id=s.document_id,
                start=s.start,
                end=s.end,
                label_id=s.label_id,
                quote=s.quote,
                attributes=dict(s.attributes),
                actor_id=s.actor_id,
                engine=s.engine,
                model_version=s.model_version,
                rule=s.rule,
                score=s.score,
                created=utcnow(),
            )
        )
    session.flush()
    for s in suggestions:
        for link in s.links:
            session.add(
                SuggestionLinkRow(
                    id=link.id,
                    suggestion_id=s.id,
                    type_id=link.type_id,
                    target_span_id=link.target_span_id,
                    target_suggestion_id=link.target_suggestion_id,
                )
            )
    session.flush()


# Rejections --------------------------------------------------------------------------------


def add_rejection(session: Session, suggestion: Suggestion, annotator_id: int) -> int:
    existing = session.scalar(
        select(RejectionRow.id).where(
            RejectionRow.document_id == suggestion.document_id,
            RejectionRow.label_id == suggestion.label_id,
            RejectionRow.start == suggestion.start,
            RejectionRow.end == suggestion.end,
            RejectionRow.annotator_id == annotator_id,
        )
    )
    if existing is not None:
        return existing
    row = RejectionRow(
        document_id=suggestion.document_id,
        start=suggestion.start,
        end=suggestion.end,
        label_id=suggestion.label_id,
        quote=suggestion.quote,
        engine=suggestion.engine,
        annotator_id=annotator_id,
        created=utcnow(),
    )
    session.add(row)
    session.flush()
    return row.id


def delete_rejection(session: Session, rejection_id: int) -> None:
    session.execute(delete(RejectionRow).where(RejectionRow.id == rejection_id))


def rejected_keys(session: Session, document_id: int) -> set[tuple[int, int, int]]:
    """(label id, start, end) of what was rejected in this document."""
    return set(
        session.execute(
            select(RejectionRow.label_id, RejectionRow.start, RejectionRow.end).where(
                RejectionRow.document_id == document_id
            )
        )
    )


def rejecters(session: Session, document_id: int) -> dict[tuple[int, int, int], frozenset[int]]:
    """(label id, start, end) of what was rejected in this document -> who rejected it."""
    out: dict[tuple[int, int, int], set[int]] = {}
    for label_id, start, end, annotator_id in session.execute(
        select(
            RejectionRow.label_id, RejectionRow.start, RejectionRow.end, RejectionRow.annotator_id
        ).where(RejectionRow.document_id == document_id)
    ):
        out.setdefault((label_id, start, end), set()).add(annotator_id)
    return {key: frozenset(who) for key, who in out.items()}


def rejected_places(
    session: Session, label_id: int
) -> dict[tuple[int, int, int], tuple[str, frozenset[int]]]:
    """Every rejection of this label in the corpus, by place (document id, start, end): its
    text and who rejected it there."""
    out: dict[tuple[int, int, int], tuple[str, set[int]]] = {}
    for document_id, start, end, quote, annotator_id in session.execute(
        select(
            RejectionRow.document_id,
            RejectionRow.start,
            RejectionRow.end,
            RejectionRow.quote,
            RejectionRow.annotator_id,
        ).where(RejectionRow.label_id == label_id)
    ):
        out.setdefault((document_id, start, end), (quote, set()))[1].add(annotator_id)
    return {key: (quote, frozenset(who)) for key, (quote, who) in out.items()}


def span_annotators(session: Session, document_ids: Collection[int]) -> dict[int, set[int]]:
    """Document id -> the annotators with spans on it, for these documents."""
    out: dict[int, set[int]] = {}
    for chunk in chunks(sorted(set(document_ids))):
        for document_id, annotator_id in session.execute(
            select(SpanRow.document_id, SpanRow.annotator_id)
            .where(SpanRow.document_id.in_(chunk))
            .distinct()
        ):
            out.setdefault(document_id, set()).add(annotator_id)
    return out


def decision_counts(session: Session) -> dict[tuple[str, int], dict[str, int]]:
    """Per (engine, label id): spans accepted from it and suggestions rejected."""
    out: dict[tuple[str, int], dict[str, int]] = {}
    for engine, label_id, n in session.execute(
        select(SpanRow.origin, SpanRow.label_id, func.count(SpanRow.id))
        .where(SpanRow.origin.is_not(None))
        .group_by(SpanRow.origin, SpanRow.label_id)
    ):
        out.setdefault((str(engine), label_id), {})["accepted"] = n
    for engine, label_id, n in session.execute(
        select(RejectionRow.engine, RejectionRow.label_id, func.count(RejectionRow.id)).group_by(
            RejectionRow.engine, RejectionRow.label_id
        )
    ):
        out.setdefault((engine, label_id), {})["rejected"] = n
    return out


def hand_made_spans_where(session: Session, *, engine: str, label_id: int) -> int:
    """Spans of this label made by hand (no origin) in documents the engine made suggestions
    for (stored, accepted or rejected): what it missed there."""
    documents = union(
        select(SuggestionRow.document_id).where(SuggestionRow.engine == engine),
        select(SpanRow.document_id).where(SpanRow.origin == engine),
        select(RejectionRow.document_id).where(RejectionRow.engine == engine),
    )
    return (
        session.scalar(
            select(func.count(SpanRow.id)).where(
                SpanRow.label_id == label_id,
                SpanRow.origin.is_(None),
                SpanRow.document_id.in_(documents),
            )
        )
        or 0
    )


# Settings, gazetteer, models ----------------------------------------------------------------


def get_setting(session: Session, key: str) -> Any:
    row = session.get(SettingRow, key)
    return None if row is None else row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value
    session.flush()


def delete_setting(session: Session, key: str) -> None:
    session.execute(delete(SettingRow).where(SettingRow.key == key))


def gazetteer(session: Session) -> list[tuple[str, str | None]]:
    return list(
        session.execute(
            select(GazetteerRow.name, GazetteerRow.kind).order_by(GazetteerRow.name)
        ).all()
    )


def add_gazetteer(session: Session, entries: Sequence[tuple[str, str | None]]) -> int:
    """Add names (a later entry for a name already there replaces its kind); how many new."""
    known = {
        name: row_id for row_id, name in session.execute(select(GazetteerRow.id, GazetteerRow.name))
    }
    added = 0
    for name, kind in dict(entries).items():
        if name in known:
            row = session.get(GazetteerRow, known[name])
            assert row is not None
            row.kind = kind
        else:
            session.add(GazetteerRow(name=name, kind=kind))
            added += 1
    session.flush()
    return added


def save_actor_model(session: Session, model: StoredModel) -> None:
    session.add(
        ActorModelRow(
            version=model.version,
            documents=model.documents,
            spans=model.spans,
            data=model.data,
            created=utcnow(),
        )
    )
    # Only the newest is ever used; older ones would only fill the file.
    session.flush()
    newest = session.scalar(select(func.max(ActorModelRow.id)))
    session.execute(delete(ActorModelRow).where(ActorModelRow.id != newest))


def latest_actor_model(session: Session) -> StoredModel | None:
    row = session.execute(
        select(ActorModelRow).order_by(ActorModelRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    return StoredModel(row.version, row.documents, row.spans, bytes(row.data))


def iter_label_spans(
    session: Session, label_id: int
) -> Iterator[tuple[int, str, int | None, dict[str, Any]]]:
    """(document id, quote, actor id, attributes) of every span with this label, streamed."""
    result = session.execute(
        select(SpanRow.document_id, SpanRow.quote, SpanRow.actor_id, SpanRow.attributes)
        .where(SpanRow.label_id == label_id)
        .execution_options(yield_per=2000)
    )
    for document_id, quote, actor_id, attributes in result:
        yield document_id, quote, actor_id, dict(attributes or {})


_PLACE = 2**40


def _recent_spans(label_id: int, limit: int) -> Any:
    """The `limit` spans with this label in the newest documents: they come first in the
    label's index, so reading them costs what `limit` says whatever the corpus holds."""
    return (
        select(
            SpanRow.quote.label("quote"),
            SpanRow.actor_id.label("actor_id"),
            sql_cast(SpanRow.attributes, Text).label("attributes"),
            # Where a span comes in the label's index, document by document (ids below 2**40).
            (sql_cast(SpanRow.document_id, BigInteger) * _PLACE + SpanRow.id).label("place"),
        )
        .where(SpanRow.label_id == label_id)
        .order_by(SpanRow.document_id.desc(), SpanRow.id.desc())
        .limit(limit)
        .subquery()
    )


def _parsed(raw: str | None, memo: dict[str, dict[str, Any]]) -> dict[str, Any]:
    text = raw or "{}"
    if text not in memo:
        memo[text] = _json_object(text)
    return dict(memo[text])


def recent_label_marks(
    session: Session, label_id: int, limit: int
) -> Iterator[tuple[str, int | None, dict[str, Any], int]]:
    """(quote, actor id, attributes, how many) over the `limit` spans with this label in the
    newest documents, counted in the database: a corpus of millions of spans hands over a few
    distinct rows, not every span. In the order each first appears document by document, as
    reading the spans one by one met them."""
    recent = _recent_spans(label_id, limit)
    result = session.execute(
        select(recent.c.quote, recent.c.actor_id, recent.c.attributes, func.count())
        .group_by(recent.c.quote, recent.c.actor_id, recent.c.attributes)
        .order_by(func.min(recent.c.place))
    )
    memo: dict[str, dict[str, Any]] = {}
    for quote, actor_id, raw, count in result:
        yield quote, actor_id, _parsed(raw, memo), count


def recent_label_attributes(
    session: Session, label_id: int, limit: int
) -> Iterator[dict[str, Any]]:
    """The distinct attributes of the `limit` spans with this label in the newest documents."""
    recent = _recent_spans(label_id, limit)
    memo: dict[str, dict[str, Any]] = {}
    for (raw,) in session.execute(select(recent.c.attributes).distinct()):
        yield _parsed(raw, memo)
