"""Claims across the corpus: the claims table, its exports, and what the corpus views read.

CSV files are written as the span tables are (`annotator.formats.tables`): UTF-8 with a
byte-order mark, CRLF between records, and a leading apostrophe on cells that a spreadsheet
would run as a formula. CSV written to a stream (the command line's standard output) is meant
for other programs: no byte-order mark and every value as stored. Yes/no attributes are
"yes"/"no" (empty when unset) in CSV and XLSX, true/false/null in JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from annotator.analysis import claims as analysis
from annotator.domain.claims import CLAIM_COLUMNS, ActorPage, ClaimRow, CorpusViews
from annotator.domain.collector import paused_collection
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.formats import _xlsx
from annotator.formats._xlsx import FORMULA_STARTS
from annotator.store import Database

_XLSX_WIDTHS = {
    "claim_id": 9,
    "document_id": 11,
    "document_title": 36,
    "outlet": 16,
    "published": 12,
    "actor": 24,
    "actor_key": 16,
    "claim": 60,
    "date": 12,
    "date_quote": 16,
    "according_to": 20,
    "targets": 20,
}


def claim_rows(
    db: Database, *, document_ids: Collection[int] | None = None, actor_id: int | None = None
) -> list[ClaimRow]:
    """Every claim (of some documents, or whose SOURCE is one registry actor), in document
    order, with who made it, when, and according to whom."""
    with paused_collection():  # see domain.collector
        with db.reading() as repo:
            corpus = repo.claim_corpus(document_ids=document_ids, actor_id=actor_id)
        return analysis.claim_rows(corpus)


def actor_id_for_key(db: Database, *, key: str) -> int:
    """The registry actor with this key; NotFoundError names the key otherwise."""
    with db.reading() as repo:
        actor = repo.actor_by_key(key.strip())
    if actor is None:
        raise NotFoundError(f"no actor has the key {key!r}")
    return actor.id


def corpus_views(db: Database, *, annotator_id: int | None = None) -> CorpusViews:
    """What the claims table, the timeline and the actor network show, in one transaction;
    with `annotator_id`, from that annotator's layer only."""
    with paused_collection():  # see domain.collector
        with db.reading() as repo:
            corpus = repo.claim_corpus(annotator_id=annotator_id)
            events = repo.dated_spans(annotator_id=annotator_id)
            counts = repo.actor_mention_counts(annotator_id=annotator_id)
            pairs = repo.actor_documents(annotator_id=annotator_id)
        return CorpusViews(analysis.claim_rows(corpus), events, corpus.actors, counts, pairs)


def actor_page(db: Database, *, actor_id: int) -> ActorPage:
    """One registry actor with every mention (and its context) and every claim it makes."""
    with db.reading() as repo:
        actor = repo.actor(actor_id)
        mentions = repo.mentions_in_context(actor_id)
        corpus = repo.claim_corpus(actor_id=actor_id)
    return ActorPage(actor, mentions, analysis.claim_rows(corpus))


# Exports -------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else value


def _table(rows: Iterable[ClaimRow]) -> Iterable[list[Any]]:
    for row in rows:
        record = row.record()
        yield [_cell(record[c]) for c in CLAIM_COLUMNS]


def write_claims_csv(rows: Iterable[ClaimRow], out: Path | TextIO) -> int:
    """Write the claims table as CSV to a file (for spreadsheets) or a stream (for programs);
    returns the number of rows. An unwritable file is an AnnotatorError."""
    if not isinstance(out, Path):
        writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(CLAIM_COLUMNS)
        n = 0
        for cells in _table(rows):
            writer.writerow(cells)
            n += 1
        return n
    try:
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            writer.writerow(CLAIM_COLUMNS)
            n = 0
            for cells in _table(rows):
                n += 1
                writer.writerow(
                    [
                        "'" + c if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c
                        for c in cells
                    ]
                )
            return n
    except OSError as exc:
        raise AnnotatorError(f"cannot write {out}: {exc.strerror or exc}") from exc


def write_claims_xlsx(rows: Iterable[ClaimRow], out: Path) -> int:
    """Write the claims table as an Excel workbook; returns the number of rows.

    Text cells are stored as strings, never formulas; characters Excel cannot hold become
    U+FFFD and cells are cut at Excel's 32,767 characters.
    """
    with _xlsx.Workbook(out) as book:
        sheet = book.sheet(
            "claims", CLAIM_COLUMNS, [_XLSX_WIDTHS.get(c, 12) for c in CLAIM_COLUMNS]
        )
        n = 0
        for values in _table(rows):
            sheet.append(values)
            n += 1
    return n


def claims_json(rows: Sequence[ClaimRow]) -> str:
    """The claims table as a JSON array of objects keyed by the column names."""
    return json.dumps([row.record() for row in rows], ensure_ascii=False, indent=2)
