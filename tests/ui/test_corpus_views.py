"""The views across the corpus in the real window: claims table, timeline, network, actor page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from annotator.analysis.claims import Edge
from annotator.domain.model import DocumentMeta
from annotator.services.actors import create_actor
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema, save_relation_type
from annotator.services.spans import add_span
from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow
from annotator.ui.views.claims_view import CorpusViewDocks, corpus_views_of

TEXT_A = (
    "KCNA reported on 18 February 2024 that Kim Yo Jong called the car the best gift. "
    "Observers said ties improved in September 2023."
)
TEXT_B = "Putin praised Kim Jong-un in 2023. Kim Jong-un thanked Putin."


@dataclass
class Ids:
    doc_a: int
    doc_b: int
    spans: dict[str, int]
    actors: dict[str, int]


def build(db_path: Path) -> Ids:
    db = open_database(db_path)
    try:
        me = ensure_annotator(db, name="tester").id
        label = {lb.name: lb.id for lb in get_schema(db).labels}
        save_relation_type(
            db,
            name="TARGET",
            source_label_id=label["CLAIM"],
            target_label_id=label["ACTOR"],
            colour="#123456",
        )
        types = {t.name: t.id for t in get_schema(db).relation_types}
        a = add_document(
            db,
            text=TEXT_A,
            meta=DocumentMeta("Car gift", source="KCNA Watch", published="2024-02-19"),
        )
        b = add_document(db, text=TEXT_B, meta=DocumentMeta("Summit", source="Wire"))
        spans: dict[str, int] = {}

        def span(doc: int, text: str, quote: str, name: str, nth: int = 0, **attrs: object) -> int:
            start = -1
            for _ in range(nth + 1):
                start = text.index(quote, start + 1)
            key = quote if not nth else f"{quote}#{nth}"
            spans[key] = add_span(
                db,
                document_id=doc,
                start=start,
                end=start + len(quote),
                label_id=label[name],
                annotator_id=me,
                attributes=dict(attrs),
            ).id
            return spans[key]

        def link(kind: str, source: int, target: int) -> None:
            add_relation(
                db, type_id=types[kind], source_id=source, target_id=target, annotator_id=me
            )

        kcna = span(a.id, TEXT_A, "KCNA", "ACTOR")
        feb = span(a.id, TEXT_A, "18 February 2024", "DATE", value="2024-02-18")
        kim = span(a.id, TEXT_A, "Kim Yo Jong", "ACTOR")
        observers = span(a.id, TEXT_A, "Observers", "ACTOR")
        sep = span(a.id, TEXT_A, "September 2023", "DATE", value="2023-09")
        report = span(
            a.id, TEXT_A, "KCNA reported on 18 February 2024 that Kim Yo Jong called", "CLAIM"
        )
        gift = span(a.id, TEXT_A, "the car the best gift", "CLAIM", stance="positive")
        ties = span(a.id, TEXT_A, "ties improved in September 2023", "CLAIM", stance="neutral")
        putin = span(b.id, TEXT_B, "Putin", "ACTOR")
        kju = span(b.id, TEXT_B, "Kim Jong-un", "ACTOR")
        kju2 = span(b.id, TEXT_B, "Kim Jong-un", "ACTOR", nth=1)
        putin2 = span(b.id, TEXT_B, "Putin", "ACTOR", nth=1)
        year = span(b.id, TEXT_B, "2023", "DATE", value="2023")
        praise = span(b.id, TEXT_B, "Putin praised Kim Jong-un in 2023", "CLAIM", stance="positive")
        thanks = span(b.id, TEXT_B, "Kim Jong-un thanked Putin", "CLAIM", stance="positive")
        actors = {
            key: create_actor(db, name=name, key=key, kind=kind, link_spans=linked).id
            for key, name, kind, linked in (
                ("kcna", "Korean Central News Agency", "media", [kcna]),
                ("kim-yo-jong", "Kim Yo Jong", "person", [kim]),
                ("putin", "Vladimir Putin", "person", [putin, putin2]),
                ("kim-jong-un", "Kim Jong-un", "person", [kju, kju2]),
            )
        }
        link("SOURCE", report, kcna)
        link("TIME", report, feb)
        link("SOURCE", gift, kim)
        link("REPORTED_IN", gift, report)
        link("SOURCE", ties, observers)
        link("TIME", ties, sep)
        link("SOURCE", praise, putin)
        link("TIME", praise, year)
        link("TARGET", praise, kju)
        link("SOURCE", thanks, kju2)
        link("TARGET", thanks, putin2)
        return Ids(a.id, b.id, spans, actors)
    finally:
        db.dispose()


@pytest.fixture
def setup(qtbot, db_path: Path) -> Iterator[tuple[MainWindow, CorpusViewDocks, Ids]]:
    ids = build(db_path)
    application()
    win = create_main_window(str(db_path), "tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    views = corpus_views_of(win)
    assert views is not None
    yield win, views, ids
    views.controller.loader.wait()
    win.db.dispose()


def open_view(qtbot, win: MainWindow, key: str) -> None:
    win.actions_by_key[key].trigger()
    QApplication.processEvents()


def wait_loaded(qtbot, views: CorpusViewDocks) -> None:
    qtbot.waitUntil(
        lambda: views.controller.snapshot is not None and not views.controller.loader.busy()
    )
    qtbot.waitUntil(lambda: not views.controller._stale, timeout=3000)


def test_the_claims_table_lists_filters_and_jumps_to_claims(qtbot, setup):
    win, views, ids = setup
    assert not views.docks["claims"].isVisible()
    open_view(qtbot, win, "view_claims")
    assert views.docks["claims"].isVisible()
    panel = views.claims
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    texts = [r.text for r in panel.visible_rows()]
    assert "the car the best gift" in texts and "Kim Jong-un thanked Putin" in texts
    gift = next(r for r in panel.visible_rows() if r.text == "the car the best gift")
    assert (
        gift.actor == "Kim Yo Jong"
        and gift.record()["according_to"] == "Korean Central News Agency"
    )

    panel.filter.setText("korean central")  # matches the actor and the according-to columns
    panel._apply_filters()
    assert sorted(r.span_id for r in panel.visible_rows()) == sorted(
        [
            ids.spans["KCNA reported on 18 February 2024 that Kim Yo Jong called"],
            ids.spans["the car the best gift"],
        ]
    )
    assert panel.count.text() == "2 of 5 claims"
    panel.filter.clear()
    panel.outlet_filter.setCurrentIndex(panel.outlet_filter.findData("Wire"))
    assert {r.document_id for r in panel.visible_rows()} == {ids.doc_b}
    panel.actor_filter.setCurrentIndex(panel.actor_filter.findData("Vladimir Putin"))
    assert [r.text for r in panel.visible_rows()] == ["Putin praised Kim Jong-un in 2023"]
    panel.outlet_filter.setCurrentIndex(0)
    panel.actor_filter.setCurrentIndex(0)
    assert len(panel.visible_rows()) == 5

    # Sorting by the claim column keeps every row and orders them.
    panel.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    shown = [r.text for r in panel.visible_rows()]
    assert shown == sorted(shown, key=str.casefold) and len(shown) == 5

    # Double click opens the claim's document and selects the claim.
    target = ids.spans["ties improved in September 2023"]
    assert panel.select_claim(target)
    index = panel.view.currentIndex()
    rect = panel.view.visualRect(index)
    # (Item views take a double click only on the item pressed before, as a real one is.)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.editor.document is not None and win.editor.document.id == ids.doc_a
    assert win.article.selected_span_id == target


def test_the_table_follows_annotation_changes(qtbot, setup):
    win, views, ids = setup
    open_view(qtbot, win, "view_claims")
    panel = views.claims
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    win.open_document(ids.doc_b)
    label = {lb.name: lb.id for lb in win.editor.labels}
    source = next(t.id for t in win.editor.schema.relation_types if t.name == "SOURCE")
    start = TEXT_B.index("Putin.")
    claim = win.editor.add_span(
        TEXT_B.index("thanked Putin"), start + len("Putin"), label["CLAIM"], snap=False
    )
    assert claim is not None
    assert win.editor.add_relation(source, claim.id, ids.spans["Putin#1"]) is not None
    qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=5000)
    qtbot.waitUntil(
        lambda: any(
            r.span_id == claim.id and r.actor == "Vladimir Putin" for r in panel.visible_rows()
        ),
        timeout=5000,
    )
    # Undo removes it again.
    win.editor.undo_stack.undo()
    win.editor.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5, timeout=5000)


def test_a_hidden_view_does_not_read_until_shown(qtbot, setup):
    win, views, ids = setup
    open_view(qtbot, win, "view_claims")
    wait_loaded(qtbot, views)
    views.docks["claims"].hide()
    before = views.controller.snapshot
    win.open_document(ids.doc_a)
    label = {lb.name: lb.id for lb in win.editor.labels}
    assert win.editor.add_span(0, 4, label["CLAIM"], snap=False) is not None
    qtbot.wait(500)
    assert views.controller.snapshot is before  # nothing read while hidden
    open_view(qtbot, win, "view_claims")
    qtbot.waitUntil(lambda: views.claims.model.rowCount() == 6, timeout=5000)
    wait_loaded(qtbot, views)

    # Behind another tab counts as hidden too.
    open_view(qtbot, win, "view_actor")
    assert views.docks["claims"] in win.tabifiedDockWidgets(views.docks["actor"])
    before = views.controller.snapshot
    assert win.editor.add_span(5, 13, label["CLAIM"], snap=False) is not None
    qtbot.wait(500)
    assert views.controller.snapshot is before
    open_view(qtbot, win, "view_claims")
    qtbot.waitUntil(lambda: views.claims.model.rowCount() == 7, timeout=5000)


def test_the_timeline_paints_zooms_and_opens_claims(qtbot, setup):
    win, views, ids = setup
    open_view(qtbot, win, "view_timeline")
    panel = views.docks["timeline"].widget()
    plot = panel.plot
    qtbot.waitUntil(lambda: len(plot.timeline.points) > 0)
    lanes = [lane.title for lane in plot.timeline.lanes]
    assert "Vladimir Putin" in lanes and "Observers" in lanes
    plot.resize(900, 260)
    image = QImage(plot.size(), QImage.Format.Format_ARGB32)
    plot.render(image)  # paints without raising
    first, last = plot.visible_range()
    assert date.fromordinal(int(first)) < date(2023, 1, 1) and date.fromordinal(int(last)) > date(
        2024, 2, 18
    )

    # The wheel zooms in around the cursor: a narrower range that still holds that date.
    centre = QPointF(plot._x(float(date(2023, 9, 15).toordinal())), 100)
    event = QWheelEvent(
        centre,
        plot.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(plot, event)
    zoomed = plot.visible_range()
    assert zoomed[1] - zoomed[0] < (last - first) * 0.7
    assert zoomed[0] < date(2023, 9, 15).toordinal() < zoomed[1]
    qtbot.keyClick(plot, Qt.Key.Key_Minus)
    assert plot.visible_range()[1] - plot.visible_range()[0] > zoomed[1] - zoomed[0]
    qtbot.keyClick(plot, Qt.Key.Key_0)
    assert plot.visible_range() == pytest.approx((first, last))
    plot.render(image)

    # A click on Putin's 2023 claim opens it.
    point = next(p for p in plot.timeline.points if p.text == "Putin praised Kim Jong-un in 2023")
    where = plot.point_position(point)
    assert where is not None
    assert plot.point_at(where) == point
    qtbot.mouseClick(plot, Qt.MouseButton.LeftButton, pos=where.toPoint())
    assert win.editor.document is not None and win.editor.document.id == ids.doc_b
    assert win.article.selected_span_id == point.span_id


def test_the_network_shows_who_claims_about_whom_and_who_is_mentioned_with_whom(qtbot, setup):
    win, views, ids = setup
    open_view(qtbot, win, "view_network")
    panel = views.docks["network"].widget()
    qtbot.waitUntil(lambda: bool(panel.nodes()))
    # It opens on who said what; the schema has TARGET, so "claims about whom" is offered.
    assert panel.mode.currentData() == "said"
    panel.mode.setCurrentIndex(panel.mode.findData("claims_about"))
    putin, kju = ids.actors["putin"], ids.actors["kim-jong-un"]
    assert set(panel.nodes()) == {putin, kju}
    assert sorted(panel.edges(), key=lambda e: e.source) == sorted(
        [Edge(putin, kju, 1), Edge(kju, putin, 1)], key=lambda e: e.source
    )
    panel.set_mode("mentioned_with")
    kcna, kyj = ids.actors["kcna"], ids.actors["kim-yo-jong"]
    assert set(panel.nodes()) == {putin, kju, kcna, kyj}
    assert sorted(panel.edges(), key=lambda e: (e.source, e.target)) == sorted(
        [Edge(min(putin, kju), max(putin, kju), 1), Edge(min(kcna, kyj), max(kcna, kyj), 1)],
        key=lambda e: (e.source, e.target),
    )
    # Nodes are sized by mentions: Putin (2) is drawn larger than KCNA (1).
    assert panel.nodes()[putin].radius > panel.nodes()[kcna].radius
    # A double click on a node opens its actor page.
    node = panel.nodes()[putin]
    pos = panel.view.mapFromScene(node.scenePos())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert views.docks["actor"].isVisible()
    assert views.actor_page.actor_id() == putin


def test_the_actor_page_lists_mentions_and_claims_and_jumps(qtbot, setup):
    win, views, ids = setup
    open_view(qtbot, win, "view_actor")
    page = views.actor_page
    chooser = page.chooser
    chooser.setCurrentIndex(chooser.findData(ids.actors["kim-jong-un"]))
    chooser.activated.emit(chooser.currentIndex())
    assert page.actor_id() == ids.actors["kim-jong-un"]
    assert "Kim Jong-un" in page.details.text() and "person" in page.details.text()
    assert page.mentions.rowCount() == 2
    assert [page.claims.claim_at(i).text for i in range(page.claims.rowCount())] == [
        "Kim Jong-un thanked Putin"
    ]
    assert page.tabs.tabText(0) == "Mentions (2)"
    index = page.claims.index(0, 1)
    page.tabs.setCurrentIndex(1)
    page.claims_view.activated.emit(index)
    assert win.editor.document is not None and win.editor.document.id == ids.doc_b
    assert win.article.selected_span_id == page.claims.claim_at(0).span_id


def test_export_writes_the_rows_shown_and_reports_errors(qtbot, setup, tmp_path, monkeypatch):
    import csv

    from PySide6.QtWidgets import QFileDialog, QMessageBox

    win, views, _ids = setup
    open_view(qtbot, win, "view_claims")
    panel = views.claims
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    panel.outlet_filter.setCurrentIndex(panel.outlet_filter.findData("Wire"))
    target = tmp_path / "wire"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)")
    )
    panel.export_button.click()
    with (tmp_path / "wire.csv").open(encoding="utf-8-sig", newline="") as fh:
        claims = [row["claim"] for row in csv.DictReader(fh)]
    assert sorted(claims) == ["Kim Jong-un thanked Putin", "Putin praised Kim Jong-un in 2023"]
    assert "Wrote 2 claims" in win.statusBar().currentMessage()

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    missing = tmp_path / "no" / "such" / "claims.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    panel.export_button.click()
    assert len(shown) == 1 and "cannot write" in shown[0]
