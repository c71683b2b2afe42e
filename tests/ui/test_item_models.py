"""Item models obey Qt's model contract and show plain snapshot data."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from annotator.domain.model import DocumentSummary, HighlightStyle, Label, Span
from annotator.ui.item_models import DocumentListModel, SpanListModel

NOW = datetime.now(UTC)


def test_document_list_model_contract_and_counts(qtmodeltester) -> None:
    model = DocumentListModel()
    model.set_documents(
        [
            DocumentSummary(1, "One <b>title</b>", "Outlet", "2025-01-02", 10, {"ACTOR": 2}),
            DocumentSummary(2, "Two", None, None, 5, {}),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "One <b>title</b>"
    assert model.data(model.index(0, 3)) == 2
    model.adjust_count(2, "DATE", 1)
    assert model.data(model.index(1, 3)) == 1
    qtmodeltester.check(model)


def test_span_list_model_contract_and_one_line_quotes(qtmodeltester) -> None:
    labels = [
        Label(1, "ACTOR", "#56B4E9", "1", 0),
        Label(2, "CLAIM", "#CC79A7", "3", 1, HighlightStyle.UNDERLINE),
    ]
    model = SpanListModel()
    model.set_labels(labels)
    model.set_spans(
        [
            Span(1, 1, 0, 5, 1, "Putin", 1, NOW, NOW),
            Span(2, 1, 10, 200, 2, "a claim\nover two paragraphs " + "x" * 200, 1, NOW, NOW),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "ACTOR"
    assert model.data(model.index(0, 2)) == "0–5"
    quote = model.data(model.index(1, 1))
    assert "\n" not in quote and quote.endswith("…") and len(quote) == 120
    assert model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole).name() == "#cc79a7"
