"""The Links dock: lists the open document's links, jumps to them, Delete removes one (undoable)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document, list_documents
from annotator.services.relations import list_relations
from annotator.services.spans import add_span
from annotator.ui.annotate.relations_panel import RelationsPanel
from annotator.ui.main_window import MainWindow

TEXT = (
    "Officials in Pyongyang said on Monday that the talks had failed. "
    "The ministry denied it on Tuesday. "
    + "Filler sentence to push the second claim far down the article. " * 40
    + "A spokesman later insisted that the gift was welcome."
)


def setup(window: MainWindow) -> tuple[int, dict[str, int]]:
    doc = add_document(window.db, text=TEXT, meta=DocumentMeta("Talks"))
    labels = {label.name: label.id for label in window.editor.labels}
    ids = {}
    for key, label, needle in (
        ("officials", "ACTOR", "Officials in Pyongyang"),
        ("monday", "DATE", "Monday"),
        ("claim", "CLAIM", "the talks had failed"),
        ("ministry", "ACTOR", "The ministry"),
        ("spokesman", "ACTOR", "A spokesman"),
        ("late_claim", "CLAIM", "the gift was welcome"),
    ):
        at = TEXT.index(needle)
        ids[key] = add_span(
            window.db,
            document_id=doc.id,
            start=at,
            end=at + len(needle),
            label_id=labels[label],
            annotator_id=window.editor.annotator.id,
        ).id
    window.reload_documents()
    window.open_document(doc.id)
    schema = window.editor.schema
    source = schema.relation_type_named("SOURCE")
    time = schema.relation_type_named("TIME")
    assert source is not None and time is not None
    window.editor.add_relation(source.id, ids["claim"], ids["officials"])
    window.editor.add_relation(time.id, ids["claim"], ids["monday"])
    window.editor.add_relation(source.id, ids["late_claim"], ids["spokesman"])
    return doc.id, ids


def panel_of(qtbot, window: MainWindow) -> RelationsPanel:
    panel = window.findChild(RelationsPanel)
    assert isinstance(panel, RelationsPanel)
    links = window.findChild(QDockWidget, "linksDock")
    annotations = window.findChild(QDockWidget, "annotationsDock")
    assert isinstance(links, QDockWidget) and isinstance(annotations, QDockWidget)
    # Tabbed with the Annotations dock, which stays in front until the user picks Links.
    qtbot.waitUntil(lambda: links in window.tabifiedDockWidgets(annotations))
    links.raise_()
    qtbot.waitUntil(panel.view.isVisible)
    return panel


def rows(panel: RelationsPanel) -> list[tuple[str, str, str]]:
    model = panel.model
    return [
        tuple(model.index(r, c).data() for c in range(3))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


def click_row(qtbot, panel: RelationsPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, 1))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_panel_lists_links_and_a_click_selects_and_scrolls_to_the_source(qtbot, window: MainWindow):
    _doc, ids = setup(window)
    panel = panel_of(qtbot, window)
    assert rows(panel) == [
        ("SOURCE", "CLAIM “the talks had failed”", "ACTOR “Officials in Pyongyang”"),
        ("TIME", "CLAIM “the talks had failed”", "DATE “Monday”"),
        ("SOURCE", "CLAIM “the gift was welcome”", "ACTOR “A spokesman”"),
    ]
    assert panel.count.text() == "3 links"

    window.article.scroll_to(0)
    click_row(qtbot, panel, 2)
    assert window.article.selected_span_id == ids["late_claim"]
    low, high = window.article.visible_range()
    assert low <= TEXT.index("the gift was welcome") < high

    # Rows of the selected span are emphasised; with the box ticked they are the only ones.
    bold = panel.model.index(2, 0).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()
    assert panel.model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    panel.only_selected.setChecked(True)
    assert [r[2] for r in rows(panel)] == ["ACTOR “A spokesman”"]
    assert panel.count.text() == "1 of 3 links"
    window.select_span(ids["monday"])
    assert rows(panel) == [("TIME", "CLAIM “the talks had failed”", "DATE “Monday”")]
    panel.only_selected.setChecked(False)
    assert len(rows(panel)) == 3


def test_delete_key_removes_the_selected_link_and_undo_restores_it(qtbot, window: MainWindow):
    doc_id, ids = setup(window)
    panel = panel_of(qtbot, window)
    spans_before = len(window.editor.spans)
    click_row(qtbot, panel, 1)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)

    stored = {(r.source_id, r.target_id) for r in list_relations(window.db, document_id=doc_id)}
    assert stored == {(ids["claim"], ids["officials"]), (ids["late_claim"], ids["spokesman"])}
    assert [r[0] for r in rows(panel)] == ["SOURCE", "SOURCE"]
    assert len(window.editor.spans) == spans_before  # Delete here removes a link, not a span

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(list_relations(window.db, document_id=doc_id)) == 3
    assert [r[0] for r in rows(panel)] == ["SOURCE", "TIME", "SOURCE"]


def test_panel_follows_links_made_elsewhere_and_other_documents(qtbot, window: MainWindow):
    doc_id, ids = setup(window)
    panel = panel_of(qtbot, window)
    window.editor.delete_spans([ids["officials"]])  # its link goes with it
    assert [r[0] for r in rows(panel)] == ["TIME", "SOURCE"]
    demo = next(d.id for d in list_documents(window.db) if d.id != doc_id)
    window.open_document(demo)  # the demo article has no links
    assert rows(panel) == []
    assert not panel.remove.isEnabled()
    window.open_document(doc_id)
    assert [r[0] for r in rows(panel)] == ["TIME", "SOURCE"]
