"""The overview `annotator list` prints is read without the ORM, and says what the store holds."""

from __future__ import annotations

from annotator.domain.model import DocumentMeta, DocumentSummary
from annotator.domain.schema import HighlightStyle, LabelSpec
from annotator.store import Database
from annotator.store import overview as overview_tables
from annotator.store.models import Base


def test_the_overview_names_only_columns_the_models_have():
    for read in (overview_tables.DOCUMENTS, overview_tables.SPANS, overview_tables.LABELS):
        model = Base.metadata.tables[read.name]
        assert {c.name for c in read.columns} <= {c.name for c in model.columns}, read.name


def test_the_overview_counts_every_annotators_spans_per_label(any_db: Database, world):
    actor, date = world.labels["ACTOR"], world.labels["DATE"]
    article, text = world.document.text, "Nothing annotated here."
    with any_db.transaction() as repo:
        empty = repo.add_document(DocumentMeta(title="Empty", source="KCNA"), text)
        for quote, label, who in [
            ("Kim Jong Un", actor, world.alice),
            ("Kim Jong Un", actor, world.bob),
            ("the ministry", actor, world.bob),
            ("3 May 2024", date, world.alice),
        ]:
            start = article.index(quote)
            repo.add_span(
                document_id=world.document.id,
                start=start,
                end=start + len(quote),
                label_id=label.id,
                annotator_id=who.id,
            )
        # Labels come in the schema's order, not by name or id.
        spec = LabelSpec("ZZZ", "#000000", None, HighlightStyle.BACKGROUND, "")
        repo.add_label(spec, position=-1)

    with any_db.overview() as overview:
        names = overview.label_names()
        summaries = overview.document_summaries()
    with any_db.reading() as repo:
        assert names == [label.name for label in repo.labels()]
        assert summaries == repo.document_summaries()
    assert names[0] == "ZZZ"
    assert summaries == [
        DocumentSummary(
            id=world.document.id,
            title="Car gift",
            source=None,
            published=None,
            length=len(world.document.text),
            span_counts={"ACTOR": 3, "DATE": 1},
        ),
        DocumentSummary(
            id=empty.id, title="Empty", source="KCNA", published=None, length=len(text)
        ),
    ]
