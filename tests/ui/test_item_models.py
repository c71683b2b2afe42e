"""Item models obey Qt's model contract and show plain snapshot data."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from annotator.domain.model import HighlightStyle, Label, Span
from annotator.ui.common.item_models import SpanListModel

NOW = datetime.now(UTC)


def test_library_model_contract_paging_and_row_updates(qtmodeltester, window) -> None:
    from annotator.domain.library import DocumentStatus
    from annotator.domain.model import DocumentMeta
    from annotator.services.documents import add_document
    from annotator.ui.corpus import library

    for n in range(5):
        add_document(window.db, text=f"Article {n} <b>text</b>", meta=DocumentMeta(f"T{n} <b>"))
    model = window.documents
    original_page = library.PAGE
    library.PAGE = 2  # several pages out of six documents
    try:
        model.reload()
        assert model.rowCount() == 2 and model.total == 6 and model.canFetchMore()
        qtmodeltester.check(model)
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == 6
        qtmodeltester.check(model)
    finally:
        library.PAGE = original_page
    titles = [model.data(model.index(r, 0)) for r in range(6)]
    assert "T0 <b>" in titles  # shown as plain text, markup and all
    doc_id = model.document_id(0)
    model.update_row(doc_id, span_count=7, my_span_count=7, status=DocumentStatus.DONE)
    assert model.data(model.index(0, 4)) == 7 and model.data(model.index(0, 3)) == "done"
    model.update_row(doc_id, my_span_count=2)  # the others have five
    assert model.data(model.index(0, 4)) == "2 / 7"


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
