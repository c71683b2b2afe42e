"""PostgreSQL as a team's shared store: commits are announced to listeners, and search runs on
the server's own full-text index."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from annotator.domain.library import parse_search_query
from annotator.domain.model import DocumentMeta
from annotator.services.database import seed_new_database
from annotator.services.documents import add_document, list_documents
from annotator.services.search import search_documents
from annotator.store import Database
from annotator.store.changes import ChangeWatch
from annotator.store.schema_extras import PG_SEARCH_INDEX
from annotator.store.search import matching_ids


def _heard(watch: ChangeWatch, within: float = 1.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if watch.changed():
            return True
        time.sleep(0.02)
    return False


def test_a_commit_elsewhere_is_heard_and_a_read_or_a_rollback_is_not(pg_database_url: str):
    mine, theirs = Database(pg_database_url), Database(pg_database_url)
    watch = ChangeWatch(mine)
    try:
        assert watch.active and not watch.lost
        assert watch.interval_ms <= 500
        seed_new_database(theirs)
        assert _heard(watch)
        assert not watch.changed()  # once only

        list_documents(theirs)
        assert not _heard(watch, 0.3)

        with pytest.raises(RuntimeError), theirs.transaction() as repo:
            repo.add_document(DocumentMeta("never"), "kept back")
            raise RuntimeError("rolled back")
        assert not _heard(watch, 0.3)

        add_document(theirs, text="A ministry spoke.", meta=DocumentMeta("One"))
        assert _heard(watch)
    finally:
        watch.close()
        mine.dispose()
        theirs.dispose()


def test_a_poll_does_not_wait_for_the_server(pg_database_url: str):
    db = Database(pg_database_url)
    watch = ChangeWatch(db)
    try:
        started = time.perf_counter()
        for _ in range(100):
            watch.changed()
        assert (time.perf_counter() - started) / 100 < 0.005
    finally:
        watch.close()
        db.dispose()


def test_search_uses_the_servers_full_text_index(pg_database_url: str):
    db = Database(pg_database_url)
    try:
        seed_new_database(db)
        for n in range(20):
            add_document(
                db, text=f"Report {n} on harvests and weather.", meta=DocumentMeta(f"Day {n}")
            )
        add_document(db, text="The ministry of orchards spoke.", meta=DocumentMeta("Apples"))
        hits = search_documents(db, query="orchards", limit=10, offset=0)
        assert [h.title for h in hits] == ["Apples"]

        with db.reading() as repo:
            session = repo._session
            statement = matching_ids(session, parse_search_query("orchards"))
            compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            # A table this small is read whole when allowed; the question is whether the
            # index can answer the query at all.
            session.execute(text("SET LOCAL enable_seqscan = off"))
            rows = session.connection().exec_driver_sql(f"EXPLAIN {compiled}").all()
            plan = "\n".join(row[0] for row in rows)
        assert PG_SEARCH_INDEX in plan, plan
    finally:
        db.dispose()
