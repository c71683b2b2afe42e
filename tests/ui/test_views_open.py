"""How the corpus views open and zoom, and what the label palette says on hover, in the real
window: the network opens on who said what with the default schema, the timeline on the dates
present, the wheel zooms keeping the date under the cursor, palette tooltips give definitions.

The KCNA article is stored with its hand annotation (../shared/corpus/kcna-car-gift.*) through
the services before the window opens, as tests/ui/test_corpus_views.py stores its corpus.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextDocument, QWheelEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import find, select_utf16

from annotator.domain.model import DocumentMeta
from annotator.domain.schema import DEFAULT_LABELS
from annotator.services.actors import create_actor
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema, save_label, save_relation_type
from annotator.services.spans import add_span
from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow
from annotator.ui.views.claims_view import CorpusViewDocks, corpus_views_of
from annotator.ui.views.network import CLAIMS_ABOUT, MENTIONED_WITH, SAID, NetworkPanel
from annotator.ui.views.timeline import TimelinePanel, TimelinePlot


@dataclass
class Gold:
    document: int
    spans: dict[str, int]  # gold span id -> stored span id
    actors: dict[str, int]  # gold actor key -> registry id
    sources: dict[str, str]  # gold claim id -> the actor key its SOURCE names


def add_kcna_gold(db_path: Path, shared: Path) -> Gold:
    """Store the KCNA article with every span, actor identity and relation of its gold file."""
    corpus = shared / "corpus"
    text = (corpus / "kcna-car-gift.txt").read_text(encoding="utf-8")
    gold = json.loads((corpus / "kcna-car-gift.gold.json").read_text(encoding="utf-8"))
    db = open_database(db_path)
    try:
        me = ensure_annotator(db, name="tester").id
        schema = get_schema(db)
        labels = {label.name: label.id for label in schema.labels}
        types = {t.name: t.id for t in schema.relation_types}
        document = add_document(db, text=text, meta=DocumentMeta("KCNA: a car for Kim Jong-un"))
        spans: dict[str, int] = {}
        mentions: dict[str, list[int]] = defaultdict(list)
        names: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for item in gold["spans"]:
            attrs = {k: v for k, v in item.get("attrs", {}).items() if k != "actor"}
            spans[item["id"]] = add_span(
                db,
                document_id=document.id,
                start=item["start"],
                end=item["end"],
                label_id=labels[item["label"]],
                annotator_id=me,
                attributes=attrs,
            ).id
            key = item.get("attrs", {}).get("actor")
            if key:
                mentions[key].append(spans[item["id"]])
                names.setdefault(key, item["quote"])
                kinds[key] = item["attrs"]["kind"]
        actors = {
            key: create_actor(db, name=names[key], key=key, kind=kinds[key], link_spans=ids).id
            for key, ids in mentions.items()
        }
        actor_of = {
            item["id"]: item["attrs"]["actor"]
            for item in gold["spans"]
            if "actor" in item.get("attrs", {})
        }
        sources: dict[str, str] = {}
        for relation in gold["relations"]:
            add_relation(
                db,
                type_id=types[relation["type"]],
                source_id=spans[relation["from"]],
                target_id=spans[relation["to"]],
                annotator_id=me,
            )
            if relation["type"] == "SOURCE":
                sources[relation["from"]] = actor_of[relation["to"]]
        return Gold(document.id, spans, actors, sources)
    finally:
        db.dispose()


@pytest.fixture
def kcna(qtbot, db_path: Path, shared: Path) -> Iterator[tuple[MainWindow, CorpusViewDocks, Gold]]:
    gold = add_kcna_gold(db_path, shared)
    application()
    win = create_main_window(str(db_path), "tester")
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    views = corpus_views_of(win)
    assert views is not None
    yield win, views, gold
    views.controller.loader.wait()
    win.db.dispose()


def open_view(win: MainWindow, key: str) -> None:
    """Choose a view in the Views menu."""
    win.actions_by_key[key].trigger()
    QApplication.processEvents()


def network_of(views: CorpusViewDocks) -> NetworkPanel:
    panel = views.docks["network"].widget()
    assert isinstance(panel, NetworkPanel)
    return panel


def plot_of(views: CorpusViewDocks) -> TimelinePlot:
    panel = views.docks["timeline"].widget()
    assert isinstance(panel, TimelinePanel)
    return panel.plot


def wheel(plot: TimelinePlot, x: float, notches: int) -> None:
    """Turn the mouse wheel over the plot at x (positive notches: away from the user)."""
    at = QPointF(x, plot.height() / 2)
    event = QWheelEvent(
        at,
        plot.mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(plot, event)


def shown_text(tooltip: str) -> str:
    """A tooltip as the user reads it (tooltips may be rich text)."""
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


# The network ------------------------------------------------------------------------------------


def test_the_network_opens_on_who_said_what_with_the_default_schema(qtbot, kcna):
    win, views, gold = kcna
    open_view(win, "view_network")
    panel = network_of(views)
    # The default schema has no TARGET: "claims about whom" would always be empty.
    assert panel.modes() == [SAID, MENTIONED_WITH]
    assert panel.mode.currentData() == SAID
    qtbot.waitUntil(lambda: bool(panel.claim_nodes()), timeout=5000)

    # Every claim with a SOURCE, and an arrow from that source's actor to it.
    claims = {gold.spans[claim]: key for claim, key in gold.sources.items()}
    assert set(panel.claim_nodes()) == set(claims)
    assert set(panel.nodes()) == {gold.actors[key] for key in set(claims.values())}
    assert sorted((e.source, e.target) for e in panel.edges()) == sorted(
        (gold.actors[key], claim) for claim, key in claims.items()
    )
    assert "4 actors, 8 claims" in panel.info.text()

    # A double click on a claim opens it in its article.
    claim = gold.spans["T35"]  # "Russian President Vladimir Putin presented ...", by KCNA
    node = panel.claim_nodes()[claim]
    panel.view.ensureVisible(node)
    where = panel.view.mapFromScene(node.scenePos())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert win.editor.document is not None and win.editor.document.id == gold.document
    assert win.article.selected_span_id == claim


def test_a_mode_is_offered_once_the_schema_has_its_relation_type(qtbot, kcna, db_path):
    win, views, _gold = kcna
    open_view(win, "view_network")
    panel = network_of(views)
    assert CLAIMS_ABOUT not in panel.modes()
    labels = {label.name: label.id for label in win.editor.labels}
    save_relation_type(
        win.db,
        name="TARGET",
        source_label_id=labels["CLAIM"],
        target_label_id=labels["ACTOR"],
        colour="#123456",
    )
    win.editor.reload_schema()  # as the schema editor does after saving
    assert panel.modes() == [SAID, CLAIMS_ABOUT, MENTIONED_WITH]
    assert panel.mode.currentData() == SAID  # the mode shown stays
    panel.mode.setCurrentIndex(panel.mode.findData(CLAIMS_ABOUT))
    # Offered, but no claim is linked with it yet: the view says so in words.
    qtbot.waitUntil(lambda: views.controller.snapshot is not None, timeout=5000)
    texts = [item.text() for item in panel.scene.items() if hasattr(item, "text")]
    assert any("TARGET" in text for text in texts) and not panel.nodes()


# The timeline -----------------------------------------------------------------------------------


def test_the_timeline_opens_on_the_dates_present(qtbot, kcna):
    win, views, _gold = kcna
    open_view(win, "view_timeline")
    plot = plot_of(views)
    qtbot.waitUntil(lambda: bool(plot.timeline.points), timeout=5000)
    # The gold dates: "September 2023" (TIME of a claim) and "February 18" (year unknown).
    starts = [p.interval.start.toordinal() for p in plot.timeline.points]
    ends = [p.interval.end.toordinal() for p in plot.timeline.points]
    first, last = plot.visible_range()
    assert first <= min(starts) and last >= max(ends)
    data = max(ends) - min(starts)
    assert last - first <= max(data * 1.2, 31)  # a small margin, not decades
    assert plot.visible_dates()[0] >= date(2023, 8, 1)
    assert plot.visible_dates()[1] <= date(2023, 11, 1)
    assert len(plot.timeline.points) == 1  # the one date with a year

    # Zoomed by the user, then closed and opened again: fitted again.
    wheel(plot, plot.width() / 2, 2)
    assert not plot.is_fitted()
    views.docks["timeline"].close()
    open_view(win, "view_timeline")
    assert plot.is_fitted() and plot.visible_range() == pytest.approx((first, last))


def test_the_wheel_keeps_the_date_under_the_cursor(qtbot, kcna):
    win, views, _gold = kcna
    open_view(win, "view_timeline")
    plot = plot_of(views)
    qtbot.waitUntil(lambda: bool(plot.timeline.points), timeout=5000)
    plot_left = plot.x_of(plot.visible_range()[0])
    plot_right = plot.x_of(plot.visible_range()[1])
    for share, notches in ((0.2, 1), (0.5, 3), (0.9, 2), (0.3, -2), (0.75, -1)):
        x = plot_left + share * (plot_right - plot_left)
        before_range = plot.visible_range()
        before = plot.day_at(x)
        wheel(plot, x, notches)
        after_range = plot.visible_range()
        assert plot.day_at(x) == pytest.approx(before, abs=1e-6)
        narrower = after_range[1] - after_range[0] < before_range[1] - before_range[0]
        assert narrower == (notches > 0)


def test_the_timeline_follows_new_dates_until_the_user_moves_it(qtbot, window: MainWindow):
    views = corpus_views_of(window)
    assert views is not None
    open_view(window, "view_timeline")
    plot = plot_of(views)
    qtbot.waitUntil(lambda: views.controller.snapshot is not None, timeout=5000)
    # No date at all: the last year, ending today.
    assert not plot.timeline.points
    first, last = plot.visible_dates()
    assert first < date.today() < last and 330 < (last - first).days < 420

    # One claim, dated by its article's publication (2025-11-19): about a month around it.
    start, end = find(window, "the barrier would")
    select_utf16(window, start, end)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: bool(plot.timeline.points), timeout=5000)
    qtbot.waitUntil(lambda: plot.visible_dates()[1] < date(2026, 1, 1), timeout=5000)
    first, last = plot.visible_dates()
    assert first < date(2025, 11, 19) < last and 20 <= (last - first).days <= 40

    # A second date, the range untouched: fitted again to both.
    start, end = find(window, "March 2024")
    select_utf16(window, start, end)
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # a DATE, its value proposed: 2024-03
    qtbot.waitUntil(lambda: len(plot.timeline.points) == 2, timeout=5000)
    first, last = plot.visible_dates()
    assert date(2024, 1, 1) < first < date(2024, 3, 1) and date(2025, 11, 19) < last
    assert last < date(2026, 3, 1)

    # Moved by the user: a new date no longer changes the range.
    wheel(plot, plot.width() / 2, -1)
    moved = plot.visible_range()
    start, end = find(window, "2030")
    select_utf16(window, start, end)
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: len(plot.timeline.points) == 3, timeout=5000)
    assert plot.visible_range() == moved
    qtbot.keyClick(plot, Qt.Key.Key_0)  # fit: every date again
    assert plot.visible_dates()[1] > date(2030, 12, 31)


# The palette ------------------------------------------------------------------------------------


def test_palette_tooltips_give_each_labels_definition_and_key(qtbot, window: MainWindow):
    buttons = window.label_palette.buttons
    for label in window.editor.labels:
        spec = next(s for s in DEFAULT_LABELS if s.name == label.name)
        text = shown_text(buttons[label.id].toolTip())
        assert text.splitlines()[0] == label.name
        assert spec.description in text
        assert f"Key: {spec.hotkey}" in text

    # A definition is shown as written, never as markup.
    actor = next(label for label in window.editor.labels if label.name == "ACTOR")
    spec = next(s for s in DEFAULT_LABELS if s.name == "ACTOR")
    definition = "A <b>person</b> & co.\nNot <i>places</i>."
    save_label(
        window.db,
        spec=type(spec)(
            spec.name, spec.colour, spec.hotkey, spec.style, definition, spec.attributes
        ),
        label_id=actor.id,
    )
    window.editor.reload_schema()  # as the schema editor does after saving
    text = shown_text(window.label_palette.buttons[actor.id].toolTip())
    assert text == f"ACTOR\n{definition}\nKey: 1 (Alt+1: exact characters)"
