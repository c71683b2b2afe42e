"""The library: bulk adding, paging, filtering, statuses, tags, deleting and restoring documents.

Pages are read in two steps: first the ids of the page from an index alone (every sort column
has an index ending in id; a `documents` row holds the whole text and spans several pages, so
reading rows to sort or skip them would cost a full table scan), then the rows of those ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from annotator.domain.errors import AnnotatorError, DuplicateDocumentError, NotFoundError
from annotator.domain.library import (
    AddedDocument,
    Assignment,
    DeletedDocument,
    DeletedDocuments,
    DocumentContents,
    DocumentStatus,
    DuplicateOf,
    FacetCount,
    LibraryFilter,
    LibraryRow,
    LibrarySort,
    Progress,
    SpanHit,
    StatusEntry,
    check_meta,
    check_new_documents,
    normalise_tags,
    parse_search_query,
)
from annotator.domain.model import Document, DocumentMeta, Relation, Span
from annotator.domain.text import sha256_of
from annotator.store.batches import chunks
from annotator.store.convert import RawDecoder, to_document, to_relation, to_span
from annotator.store.models import (
    ActorRow,
    AnnotatorRow,
    DocumentAssignmentRow,
    DocumentRow,
    DocumentStatusRow,
    DocumentTagRow,
    RelationRow,
    SpanRow,
    utcnow,
)
from annotator.store.search import matching_ids, set_deferred

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert

documents = cast(Table, DocumentRow.__table__)
tags_table = cast(Table, DocumentTagRow.__table__)
status_table = cast(Table, DocumentStatusRow.__table__)
spans_table = cast(Table, SpanRow.__table__)
assignments = cast(Table, DocumentAssignmentRow.__table__)
annotators_table = cast(Table, AnnotatorRow.__table__)
relations_table = cast(Table, RelationRow.__table__)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# Bulk adding ------------------------------------------------------------------------------------


def add_documents(
    session: Session,
    items: Sequence[tuple[DocumentMeta, str, tuple[str, ...]]],
    created: Sequence[datetime | None] = (),
    *,
    digests: Sequence[str] = (),
    span_counts: Sequence[int] = (),
    defer_search: bool = False,
) -> list[AddedDocument | DuplicateOf]:
    """Insert many documents with Core statements; see `Repository.add_documents`."""
    tags = check_new_documents(items)
    if not digests:
        digests = [sha256_of(text) for _, text, _ in items]

    stored: dict[str, tuple[int, str]] = {}
    unique = list(dict.fromkeys(digests))
    for chunk in chunks(unique):
        for sha, doc_id, title in session.execute(
            select(documents.c.sha256, documents.c.id, documents.c.title).where(
                documents.c.sha256.in_(chunk)
            )
        ):
            stored[sha] = (doc_id, title)

    first: dict[str, int] = {}  # digest -> index of its first item in this batch
    new_items: list[int] = []
    for i, sha in enumerate(digests):
        if sha not in stored and sha not in first:
            first[sha] = i
            new_items.append(i)

    now = utcnow()
    rows = [
        {
            "title": items[i][0].title,
            "source": items[i][0].source,
            "url": items[i][0].url,
            "author": items[i][0].author,
            "published": items[i][0].published,
            "language": items[i][0].language,
            "text": items[i][1],
            "sha256": digests[i],
            "created": (created[i] if i < len(created) else None) or now,
            "span_count": span_counts[i] if span_counts else 0,
        }
        for i in new_items
    ]
    new_ids: dict[int, int] = {}  # item index -> document id
    if rows:
        # Multi-row INSERT ... VALUES (...), (...) RETURNING, a page of rows per statement
        # ("insertmanyvalues"). Not one statement per row: on SQLite every statement that fires
        # the FTS5 trigger makes FTS5 flush its pending index as a new segment, and 10,000
        # one-row segments take longer to write and merge than indexing the text itself. The
        # rows come back in no set order; the digest (unique) says which item each id is.
        try:
            with session.begin_nested():
                # Set and reset inside the savepoint: if the INSERT fails, its rollback
                # resets the flag too, and the caller's transaction goes on indexing.
                if defer_search:
                    set_deferred(session, True)
                returned = session.execute(
                    insert(documents).returning(documents.c.sha256, documents.c.id), rows
                ).all()
                if defer_search:
                    set_deferred(session, False)
        except IntegrityError as exc:
            # Only possible when another session stored one of these texts since we looked.
            raise AnnotatorError(
                "another user stored some of these documents at the same moment; "
                "add them again to see which ones are duplicates"
            ) from exc
        id_of = {sha: doc_id for sha, doc_id in returned}
        new_ids = {i: id_of[digests[i]] for i in new_items}
        tag_rows = [{"document_id": new_ids[i], "tag": tag} for i in new_items for tag in tags[i]]
        if tag_rows:
            session.execute(insert(tags_table), tag_rows)

    results: list[AddedDocument | DuplicateOf] = []
    for i, sha in enumerate(digests):
        if sha in stored:
            doc_id, title = stored[sha]
            results.append(DuplicateOf(existing_id=doc_id, existing_title=title))
        elif first[sha] == i:
            results.append(AddedDocument(id=new_ids[i]))
        else:
            original = first[sha]
            results.append(
                DuplicateOf(
                    existing_id=new_ids[original],
                    existing_title=items[original][0].title,
                    in_batch=True,
                )
            )
    return results


# Filters and pages ------------------------------------------------------------------------------
#
# Every filter is a set of document ids read from a covering index (statuses, tags, span
# labels, sources, the full-text index). A page is then found in one of three ways:
#  - "probe": walk the sort column's index in order and test each id against the sets, until
#    the page is full. Cheap when the filters keep many documents (the usual case). Near the
#    top of the list each test is an index lookup (EXISTS); deeper down, where many ids are
#    tested, each set is read once into a temporary index first (IN).
#  - "drive": when one set is small (< DRIVE_BELOW ids), start from it, fetch those rows and
#    sort them. Cheap when the filters keep few documents, where probing would walk the
#    whole index.
# SQLite picks its plan from guesses, and it guesses "drive" even for a set of 20,000 ids
# (27 ms against 2.5 ms here on 100,000 documents), so on SQLite the ids that must not drive
# are written `id + 0`: the same value, but SQLite will not use an index for it.
# PostgreSQL plans from statistics and gets plain conditions.

DRIVE_BELOW = 2000
LOOKUP_UP_TO = 500  # offset + limit up to which probes are index lookups rather than IN


@dataclass(frozen=True)
class _IdSet:
    ids: Select[Any]  # SELECT document ids
    negated: bool = False  # documents NOT in `ids`
    # SELECT 1 for the document `id` if it is in the set, by an index lookup (correlated).
    lookup: Callable[[ColumnElement[int]], Select[Any]] | None = None


def _status_set(annotator_id: int, status: DocumentStatus) -> _IdSet:
    if status is DocumentStatus.NEW:
        # A stored 'new' counts as no row: both mean the annotator has not started.
        wanted = status_table.c.status != DocumentStatus.NEW.value
    else:
        wanted = status_table.c.status == status.value
    mine = status_table.c.annotator_id == annotator_id
    return _IdSet(
        select(status_table.c.document_id).where(mine, wanted),
        negated=status is DocumentStatus.NEW,
        lookup=lambda id_: select(literal(1)).where(
            status_table.c.document_id == id_, mine, wanted
        ),
    )


def _id_sets(session: Session, annotator_id: int, filters: LibraryFilter) -> list[_IdSet]:
    sets: list[_IdSet] = []
    if filters.status is not None:
        sets.append(_status_set(annotator_id, DocumentStatus(filters.status)))
    if filters.source is not None:
        by_source = aliased(DocumentRow)
        sets.append(_IdSet(select(by_source.id).where(by_source.source == filters.source)))
    if filters.tag is not None:
        tagged = tags_table.c.tag == filters.tag
        sets.append(
            _IdSet(
                select(tags_table.c.document_id).where(tagged),
                lookup=lambda id_: select(literal(1)).where(
                    tags_table.c.document_id == id_, tagged
                ),
            )
        )
    if filters.label_id is not None:
        labelled = spans_table.c.label_id == filters.label_id
        sets.append(
            _IdSet(
                select(spans_table.c.document_id).where(labelled).distinct(),
                lookup=lambda id_: select(literal(1)).where(
                    spans_table.c.document_id == id_, labelled
                ),
            )
        )
    if filters.assigned_to is not None:
        theirs = assignments.c.annotator_id == filters.assigned_to
        sets.append(
            _IdSet(
                select(assignments.c.document_id).where(theirs),
                lookup=lambda id_: select(literal(1)).where(
                    assignments.c.document_id == id_, theirs
                ),
            )
        )
    if filters.text is not None and filters.text.strip():
        query = parse_search_query(filters.text)
        if not query.is_empty:
            sets.append(_IdSet(matching_ids(session, query)))
    return sets


def _condition(session: Session, idset: _IdSet, *, drive: bool, reach: int) -> ColumnElement[bool]:
    sqlite = _dialect(session) == "sqlite"
    if sqlite and not drive and idset.lookup is not None and reach <= LOOKUP_UP_TO:
        found = idset.lookup(documents.c.id).exists()
        return ~found if idset.negated else found
    column: ColumnElement[int] = documents.c.id
    if sqlite and not drive:
        column = documents.c.id + 0
    return column.not_in(idset.ids) if idset.negated else column.in_(idset.ids)


def _at_least(session: Session, idset: _IdSet, bound: int) -> int:
    """|ids|, counted only up to `bound`: cheap however large the set."""
    bounded = idset.ids.limit(bound).subquery()
    return int(session.execute(select(func.count()).select_from(bounded)).scalar_one())


def _driver(session: Session, sets: list[_IdSet]) -> _IdSet | None:
    """The set to start from, if one is small enough that starting from it is cheaper."""
    if _dialect(session) != "sqlite":
        return None
    best: tuple[int, _IdSet] | None = None
    for idset in sets:
        if not idset.negated:
            size = _at_least(session, idset, DRIVE_BELOW)
            if size < DRIVE_BELOW and (best is None or size < best[0]):
                best = (size, idset)
    return best[1] if best else None


def _where(session: Session, sets: list[_IdSet], reach: int) -> list[ColumnElement[bool]]:
    driver = _driver(session, sets)
    return [_condition(session, s, drive=s is driver, reach=reach) for s in sets]


_SORT_COLUMNS = {
    LibrarySort.TITLE: documents.c.title,
    LibrarySort.PUBLISHED: documents.c.published,
    LibrarySort.SOURCE: documents.c.source,
    LibrarySort.SPANS: documents.c.span_count,
    LibrarySort.CREATED: documents.c.created,
}


def _order(session: Session, column: Any, descending: bool) -> list[Any]:
    """ORDER BY column, id in one direction; a missing value sorts as the smallest on both
    backends (SQLite's own rule; PostgreSQL is told so, for the columns that can be empty:
    it would not use an index for NULLS FIRST even on a NOT NULL column)."""
    nulls = _dialect(session) == "postgresql" and column.nullable
    if descending:
        key = column.desc()
        return [key.nulls_last() if nulls else key, documents.c.id.desc()]
    key = column.asc()
    return [key.nulls_first() if nulls else key, documents.c.id.asc()]


def _sorted_ids(
    session: Session,
    *,
    sets: list[_IdSet],
    column: Any,
    descending: bool,
    offset: int,
    limit: int,
) -> list[int]:
    query = (
        select(documents.c.id)
        .where(*_where(session, sets, offset + limit))
        .order_by(*_order(session, column, descending))
        .offset(offset)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def _count(session: Session, sets: list[_IdSet]) -> int:
    positive = [s for s in sets if not s.negated]
    if not positive:
        # Only "new" (or nothing): all documents minus those with a status.
        total = session.execute(select(func.count()).select_from(documents)).scalar_one()
        for idset in sets:
            total -= session.execute(
                select(func.count()).select_from(idset.ids.subquery())
            ).scalar_one()
        return int(total)
    # Count the ids of one set that are in (or not in) all the others, without reading
    # documents at all: start from the smallest set.
    start = min(positive, key=lambda s: _at_least(session, s, DRIVE_BELOW))
    ids = start.ids.subquery()
    conditions = []
    for idset in sets:
        if idset is not start:
            column = ids.c[0] if _dialect(session) != "sqlite" else ids.c[0] + 0
            conditions.append(column.not_in(idset.ids) if idset.negated else column.in_(idset.ids))
    query = select(func.count()).select_from(ids).where(*conditions)
    return int(session.execute(query).scalar_one())


def _page_ids(
    session: Session,
    *,
    annotator_id: int,
    sort: LibrarySort,
    descending: bool,
    filters: LibraryFilter,
    offset: int,
    limit: int,
) -> list[int]:
    sets = _id_sets(session, annotator_id, filters)
    if sort is not LibrarySort.STATUS:
        return _sorted_ids(
            session,
            sets=sets,
            column=_SORT_COLUMNS[sort],
            descending=descending,
            offset=offset,
            limit=limit,
        )
    # By status (workflow order, then title): the list is the 'new' group, then 'in progress',
    # then 'done' (reversed when descending). Count the groups, skip whole groups by the
    # offset, and read the page from the one or two groups it falls in.
    order = list(DocumentStatus)
    if filters.status is not None:
        order = [DocumentStatus(filters.status)]
    if descending:
        order.reverse()
    sizes: dict[DocumentStatus, int] = {
        status: _count(session, [*sets, _status_set(annotator_id, status)])
        for status in order
        if status is not DocumentStatus.NEW
    }
    if DocumentStatus.NEW in order:
        sizes[DocumentStatus.NEW] = _count(session, sets) - sum(sizes.values())
    ids: list[int] = []
    skip = offset
    for status in order:
        if skip >= sizes[status]:
            skip -= sizes[status]
            continue
        ids += _sorted_ids(
            session,
            sets=[*sets, _status_set(annotator_id, status)],
            column=documents.c.title,
            descending=descending,
            offset=skip,
            limit=limit - len(ids),
        )
        skip = 0
        if len(ids) >= limit:
            break
    return ids


def page_documents(
    session: Session,
    *,
    annotator_id: int,
    sort: LibrarySort,
    descending: bool,
    filters: LibraryFilter,
    offset: int,
    limit: int,
) -> list[LibraryRow]:
    if limit <= 0:
        return []
    ids = _page_ids(
        session,
        annotator_id=annotator_id,
        sort=LibrarySort(sort),
        descending=descending,
        filters=filters,
        offset=max(0, offset),
        limit=limit,
    )
    if not ids:
        return []
    rows = {
        r.id: r
        for r in session.execute(
            select(
                documents.c.id,
                documents.c.title,
                documents.c.source,
                documents.c.published,
                documents.c.language,
                documents.c.created,
                documents.c.span_count,
            ).where(documents.c.id.in_(ids))
        )
    }
    # Looked up by document (the primary key), not by annotator: on SQLite the index on
    # annotator would read every status of this annotator for 100 rows (`+ 0` again).
    annotator: ColumnElement[int] = status_table.c.annotator_id
    if _dialect(session) == "sqlite":
        annotator = annotator + 0
    statuses = {
        doc_id: status
        for doc_id, status in session.execute(
            select(status_table.c.document_id, status_table.c.status).where(
                status_table.c.document_id.in_(ids), annotator == annotator_id
            )
        )
    }
    tags = _tags_of(session, ids)
    assignees = assignees_of(session, ids)
    mine = _span_counts_of(session, ids, annotator_id)
    return [
        LibraryRow(
            id=i,
            title=rows[i].title,
            source=rows[i].source,
            published=rows[i].published,
            language=rows[i].language,
            created=rows[i].created,
            span_count=rows[i].span_count,
            status=DocumentStatus(statuses.get(i, DocumentStatus.NEW.value)),
            tags=tags.get(i, ()),
            assignees=assignees.get(i, ()),
            my_span_count=mine.get(i, 0),
        )
        for i in ids
    ]


def _span_counts_of(session: Session, ids: Sequence[int], annotator_id: int) -> dict[int, int]:
    """Document id -> the annotator's spans on it: one grouped query for the page."""
    return {
        doc_id: count
        for doc_id, count in session.execute(
            select(spans_table.c.document_id, func.count())
            .where(spans_table.c.document_id.in_(ids), spans_table.c.annotator_id == annotator_id)
            .group_by(spans_table.c.document_id)
        )
    }


# Assignments ------------------------------------------------------------------------------------


def assignees_of(session: Session, document_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Document id -> names of the annotators it is assigned to, by name."""
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(list(document_ids)):
        rows = session.execute(
            select(assignments.c.document_id, annotators_table.c.name)
            .join(annotators_table, annotators_table.c.id == assignments.c.annotator_id)
            .where(assignments.c.document_id.in_(chunk))
            .order_by(annotators_table.c.name)
        )
        for doc_id, name in rows:
            found[doc_id].append(name)
    return {doc_id: tuple(names) for doc_id, names in found.items()}


def assign(session: Session, *, document_ids: Sequence[int], annotator_id: int) -> list[int]:
    """Assign documents to an annotator; returns the ids newly assigned (others were already).
    A document id that does not exist is refused."""
    wanted = list(dict.fromkeys(document_ids))
    existing: set[int] = set()
    already: set[int] = set()
    for chunk in chunks(wanted):
        existing.update(session.scalars(select(documents.c.id).where(documents.c.id.in_(chunk))))
        already.update(
            session.scalars(
                select(assignments.c.document_id).where(
                    assignments.c.annotator_id == annotator_id,
                    assignments.c.document_id.in_(chunk),
                )
            )
        )
    missing = [i for i in wanted if i not in existing]
    if missing:
        raise NotFoundError(f"no document with id {', '.join(map(str, missing[:10]))}")
    new = [i for i in wanted if i not in already]
    if new:
        session.execute(
            insert(assignments),
            [{"document_id": i, "annotator_id": annotator_id} for i in new],
        )
    return new


def unassigned_ids(session: Session, *, limit: int) -> list[int]:
    """The first `limit` documents (in id order) assigned to nobody."""
    taken = select(assignments.c.document_id)
    return list(
        session.scalars(
            select(documents.c.id)
            .where(documents.c.id.not_in(taken))
            .order_by(documents.c.id)
            .limit(limit)
        )
    )


def list_assignments(session: Session) -> list[Assignment]:
    rows = session.execute(
        select(assignments.c.document_id, documents.c.title, annotators_table.c.name)
        .join(documents, documents.c.id == assignments.c.document_id)
        .join(annotators_table, annotators_table.c.id == assignments.c.annotator_id)
        .order_by(annotators_table.c.name, assignments.c.document_id)
    )
    return [Assignment(document_id=d, title=t, annotator=n) for d, t, n in rows]


def assigned_count(session: Session, annotator_id: int) -> int:
    query = select(func.count()).where(assignments.c.annotator_id == annotator_id)
    return int(session.execute(query).scalar_one())


def count_documents(session: Session, *, annotator_id: int, filters: LibraryFilter) -> int:
    return _count(session, _id_sets(session, annotator_id, filters))


def progress(session: Session, *, annotator_id: int) -> Progress:
    total = session.execute(select(func.count()).select_from(documents)).scalar_one()
    done = _count(session, [_status_set(annotator_id, DocumentStatus.DONE)])
    return Progress(done=done, total=int(total))


def _facets(rows: Iterable[tuple[str, int]]) -> list[FacetCount]:
    facets = [FacetCount(value=v, count=int(n)) for v, n in rows]
    return sorted(facets, key=lambda f: (f.value.casefold(), f.value))


def list_sources(session: Session) -> list[FacetCount]:
    rows = session.execute(
        select(documents.c.source, func.count())
        .where(documents.c.source.is_not(None))
        .group_by(documents.c.source)
    )
    return _facets((value, n) for value, n in rows)


def list_tags(session: Session) -> list[FacetCount]:
    rows = session.execute(select(tags_table.c.tag, func.count()).group_by(tags_table.c.tag))
    return _facets((value, n) for value, n in rows)


def _tags_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for doc_id, tag in session.execute(
            select(tags_table.c.document_id, tags_table.c.tag)
            .where(tags_table.c.document_id.in_(chunk))
            .order_by(tags_table.c.document_id, tags_table.c.tag)
        ):
            found[doc_id].append(tag)
    return {k: tuple(v) for k, v in found.items()}


def document_contents(session: Session, ids: Sequence[int]) -> list[DocumentContents]:
    """These documents with their spans, relations, tags and statuses, in the order of `ids`.

    The export's read path: Core selects, a handful per batch of documents rather than per
    document, and no ORM objects (loading spans through the ORM took three times as long).
    Timestamps and attributes come back as stored and are decoded by `RawDecoder`, and the
    rows are fetched all at once, not one by one.
    """
    ids = list(dict.fromkeys(ids))
    found: dict[int, Document] = {}
    spans: dict[int, list[Span]] = defaultdict(list)
    relations: dict[int, list[Relation]] = defaultdict(list)
    statuses: dict[int, dict[int, DocumentStatus]] = defaultdict(dict)
    decode = RawDecoder()
    s, r = spans_table.c, relations_table.c
    span_columns = (
        *(s.id, s.document_id, s.start, s.end, s.label_id, s.quote, s.annotator_id),
        *(type_coerce(s.created, String), type_coerce(s.updated, String)),
        *(type_coerce(s.attributes, String), s.note, s.actor_id, s.origin, s.origin_version),
    )
    relation_columns = (
        *(r.id, r.document_id, r.type_id, r.source_id, r.target_id, r.annotator_id),
        type_coerce(r.created, String),
    )
    for chunk in chunks(ids):
        for row in session.execute(select(documents).where(documents.c.id.in_(chunk))):
            found[row.id] = to_document(row)
        span = decode.span
        for row in session.execute(
            select(*span_columns)
            .where(s.document_id.in_(chunk))
            .order_by(s.document_id, s.start, s.end.desc(), s.id)
        ).all():
            spans[row[1]].append(span(row))
        for row in session.execute(
            select(*relation_columns).where(r.document_id.in_(chunk)).order_by(r.id)
        ).all():
            relations[row[1]].append(decode.relation(row))
        for doc_id, annotator_id, status in session.execute(
            select(
                status_table.c.document_id, status_table.c.annotator_id, status_table.c.status
            ).where(status_table.c.document_id.in_(chunk))
        ):
            statuses[doc_id][annotator_id] = DocumentStatus(status)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"document {missing[0]} does not exist")
    tags = _tags_of(session, ids)
    return [
        DocumentContents(
            document=found[i],
            spans=tuple(spans[i]),
            relations=tuple(relations[i]),
            tags=tags.get(i, ()),
            statuses=statuses[i],
        )
        for i in ids
    ]


def document_tags(session: Session, document_id: int) -> tuple[str, ...]:
    return _tags_of(session, [document_id]).get(document_id, ())


# Editing ----------------------------------------------------------------------------------------


def _replace_tags(session: Session, document_id: int, tags: Sequence[str]) -> None:
    session.execute(delete(tags_table).where(tags_table.c.document_id == document_id))
    rows = [{"document_id": document_id, "tag": t} for t in normalise_tags(list(tags))]
    if rows:
        session.execute(insert(tags_table), rows)


def update_document_meta(
    session: Session, *, document_id: int, meta: DocumentMeta, tags: Sequence[str]
) -> DocumentRow:
    check_meta(meta)
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(f"document {document_id} does not exist")
    row.title = meta.title
    row.source = meta.source
    row.url = meta.url
    row.author = meta.author
    row.published = meta.published
    row.language = meta.language
    session.flush()
    _replace_tags(session, document_id, tags)
    return row


def document_status(session: Session, *, document_id: int, annotator_id: int) -> DocumentStatus:
    value = session.execute(
        select(status_table.c.status).where(
            status_table.c.document_id == document_id,
            status_table.c.annotator_id == annotator_id,
        )
    ).scalar()
    return DocumentStatus(value or DocumentStatus.NEW.value)


def document_statuses(session: Session, document_id: int) -> dict[int, DocumentStatus]:
    """Annotator id -> stored status of one document (annotators without one are NEW)."""
    rows = session.execute(
        select(status_table.c.annotator_id, status_table.c.status).where(
            status_table.c.document_id == document_id
        )
    )
    return {annotator_id: DocumentStatus(status) for annotator_id, status in rows}


def set_status(
    session: Session, *, document_id: int, annotator_id: int, status: DocumentStatus | str
) -> None:
    try:
        status = DocumentStatus(status)
    except ValueError:
        known = ", ".join(s.value for s in DocumentStatus)
        raise AnnotatorError(f"unknown status {status!r} (known: {known})") from None
    if session.get(DocumentRow, document_id) is None:
        raise NotFoundError(f"document {document_id} does not exist")
    if session.get(AnnotatorRow, annotator_id) is None:
        raise NotFoundError(f"annotator {annotator_id} does not exist")
    where = (
        status_table.c.document_id == document_id,
        status_table.c.annotator_id == annotator_id,
    )
    if status is DocumentStatus.NEW:  # no row means new
        session.execute(delete(status_table).where(*where))
        return
    values = {
        "document_id": document_id,
        "annotator_id": annotator_id,
        "status": status.value,
        "updated": utcnow(),
    }
    statement: PgInsert | SqliteInsert
    if _dialect(session) == "postgresql":
        # Loaded here: SQLAlchemy's PostgreSQL dialect costs start-up on SQLite otherwise.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(status_table).values(values)
    else:
        statement = sqlite_insert(status_table).values(values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["document_id", "annotator_id"],
            set_={"status": statement.excluded.status, "updated": statement.excluded.updated},
        )
    )


# Deleting and restoring -------------------------------------------------------------------------


def delete_documents(session: Session, document_ids: Sequence[int]) -> DeletedDocuments:
    session.flush()
    ids = list(dict.fromkeys(document_ids))
    rows: dict[int, DocumentRow] = {}
    for chunk in chunks(ids):
        for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(chunk))):
            rows[row.id] = row
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFoundError(f"document {missing[0]} does not exist")
    tags = _tags_of(session, ids)
    assigned: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(ids):
        for doc_id, annotator_id in session.execute(
            select(assignments.c.document_id, assignments.c.annotator_id)
            .where(assignments.c.document_id.in_(chunk))
            .order_by(assignments.c.annotator_id)
        ):
            assigned[doc_id].append(annotator_id)
    statuses: dict[int, list[StatusEntry]] = defaultdict(list)
    spans: dict[int, list[Span]] = defaultdict(list)
    relations: dict[int, list[Relation]] = defaultdict(list)
    loaded: list[object] = list(rows.values())
    for chunk in chunks(ids):
        for status_row in session.scalars(
            select(DocumentStatusRow)
            .where(DocumentStatusRow.document_id.in_(chunk))
            .order_by(DocumentStatusRow.annotator_id)
        ):
            statuses[status_row.document_id].append(
                StatusEntry(
                    annotator_id=status_row.annotator_id,
                    status=DocumentStatus(status_row.status),
                    updated=status_row.updated,
                )
            )
        for span_row in session.scalars(
            select(SpanRow).where(SpanRow.document_id.in_(chunk)).order_by(SpanRow.id)
        ):
            spans[span_row.document_id].append(to_span(span_row))
            loaded.append(span_row)
        for relation_row in session.scalars(
            select(RelationRow).where(RelationRow.document_id.in_(chunk)).order_by(RelationRow.id)
        ):
            relations[relation_row.document_id].append(to_relation(relation_row))
            loaded.append(relation_row)
    deleted = DeletedDocuments(
        documents=tuple(
            DeletedDocument(
                document=to_document(rows[i]),
                tags=tags.get(i, ()),
                statuses=tuple(statuses[i]),
                spans=tuple(spans[i]),
                relations=tuple(relations[i]),
                assignees=tuple(assigned[i]),
            )
            for i in ids
        )
    )
    # Spans, tags and statuses go by ON DELETE CASCADE, the index entries by the FTS trigger;
    # the ORM must forget the rows it loaded, which no longer exist.
    for obj in loaded:
        session.expunge(obj)
    for chunk in chunks(ids):
        session.execute(delete(documents).where(documents.c.id.in_(chunk)))
    reclaim_free_pages(session)
    return deleted


def reclaim_free_pages(session: Session) -> int:
    """SQLite: give the pages freed in this transaction back to the file system (the database
    is in auto_vacuum=INCREMENTAL mode); returns how many. A no-op on PostgreSQL."""
    if _dialect(session) != "sqlite":
        return 0
    free = int(session.connection().exec_driver_sql("PRAGMA freelist_count").scalar() or 0)
    # Python's sqlite3 steps this pragma once per execute, and each step frees one page.
    for _ in range(free):
        session.connection().exec_driver_sql("PRAGMA incremental_vacuum")
    return free


def restore_documents(session: Session, deleted: DeletedDocuments) -> list[int]:
    ids = list(deleted.ids)
    taken = {
        i
        for chunk in chunks(ids)
        for i in session.execute(select(documents.c.id).where(documents.c.id.in_(chunk))).scalars()
    }
    if taken:
        raise AnnotatorError(f"document {min(taken)} cannot be restored: its id is in use again")
    digests = [d.document.sha256 for d in deleted.documents]
    for chunk in chunks(digests):
        clash = session.execute(
            select(documents.c.id, documents.c.title).where(documents.c.sha256.in_(chunk))
        ).first()
        if clash is not None:
            raise DuplicateDocumentError(
                f"a deleted document cannot be restored: its text is stored again as "
                f"document {clash.id} ({clash.title!r})",
                existing_id=clash.id,
            )
    doc_rows = []
    tag_rows = []
    status_rows = []
    span_rows = []
    relation_rows = []
    assignment_rows = []
    for item in deleted.documents:
        doc = item.document
        doc_rows.append(
            {
                "id": doc.id,
                "title": doc.meta.title,
                "source": doc.meta.source,
                "url": doc.meta.url,
                "author": doc.meta.author,
                "published": doc.meta.published,
                "language": doc.meta.language,
                "text": doc.text,
                "sha256": doc.sha256,
                "created": doc.created,
                "span_count": len(item.spans),
            }
        )
        tag_rows += [{"document_id": doc.id, "tag": t} for t in item.tags]
        assignment_rows += [{"document_id": doc.id, "annotator_id": a} for a in item.assignees]
        status_rows += [
            {
                "document_id": doc.id,
                "annotator_id": s.annotator_id,
                "status": s.status.value,
                "updated": s.updated,
            }
            for s in item.statuses
        ]
        span_rows += [
            {
                "id": s.id,
                "document_id": s.document_id,
                "start": s.start,
                "end": s.end,
                "label_id": s.label_id,
                "quote": s.quote,
                "annotator_id": s.annotator_id,
                "created": s.created,
                "updated": s.updated,
                "attributes": dict(s.attributes),
                "note": s.note,
                "actor_id": s.actor_id,
            }
            for s in item.spans
        ]
        relation_rows += [
            {
                "id": r.id,
                "document_id": r.document_id,
                "type_id": r.type_id,
                "source_id": r.source_id,
                "target_id": r.target_id,
                "annotator_id": r.annotator_id,
                "created": r.created,
            }
            for r in item.relations
        ]
    actors = {s.actor_id for item in deleted.documents for s in item.spans if s.actor_id}
    if actors:
        # An actor deleted from the registry since: its mentions come back unlinked.
        existing = set(session.scalars(select(ActorRow.id).where(ActorRow.id.in_(actors))))
        for row in span_rows:
            if row["actor_id"] not in existing:
                row["actor_id"] = None
    for table, table_rows in (
        (documents, doc_rows),
        (tags_table, tag_rows),
        (status_table, status_rows),
        (spans_table, span_rows),
        (relations_table, relation_rows),
        (assignments, assignment_rows),
    ):
        if table_rows:
            session.execute(insert(table), table_rows)
    return ids


# Span search ------------------------------------------------------------------------------------


def search_spans(
    session: Session, *, label_id: int | None, quote_contains: str | None, limit: int
) -> list[SpanHit]:
    if limit <= 0:
        return []
    query = select(
        SpanRow.id,
        SpanRow.document_id,
        DocumentRow.title,
        SpanRow.label_id,
        SpanRow.annotator_id,
        SpanRow.start,
        SpanRow.end,
        SpanRow.quote,
    ).join(DocumentRow, DocumentRow.id == SpanRow.document_id)
    if label_id is not None:
        query = query.where(SpanRow.label_id == label_id)
    if quote_contains:
        query = query.where(SpanRow.quote.icontains(quote_contains, autoescape=True))
    query = query.order_by(SpanRow.document_id, SpanRow.start, SpanRow.id).limit(limit)
    return [
        SpanHit(
            span_id=r[0],
            document_id=r[1],
            document_title=r[2],
            label_id=r[3],
            annotator_id=r[4],
            start=r[5],
            end=r[6],
            quote=r[7],
        )
        for r in session.execute(query)
    ]
