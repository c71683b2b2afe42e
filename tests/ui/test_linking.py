"""Linking claims to actors and dates in the real window: L + Enter, Ctrl+drag, arcs, tool tips."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.domain.model import DocumentMeta, Span
from annotator.services.documents import add_document
from annotator.services.relations import list_relations
from annotator.services.schema import save_relation_type
from annotator.services.spans import add_span
from annotator.ui.annotate.linking import LinkController, LinkPopup
from annotator.ui.main_window import MainWindow

# The offscreen platform cannot raise the popup or grab the keyboard for it; it says so.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

# The first paragraph of the KCNA article is enough: a claim with its actor 11 characters before
# it, another actor 24 before, the date far back and the agency at the very start.
SPANS = {
    "kcna": ("ACTOR", "Korean Central News Agency"),
    "feb18": ("DATE", "February 18"),
    "wpk": ("ACTOR", "WPK Central Committee"),
    "kyj": ("ACTOR", "Kim Yo Jong", 1),
    "claim": (
        "CLAIM",
        "the gift as a tangible demonstration of the special friendly relations that exist "
        "between the leaders of the two countries",
    ),
}


@dataclass
class Article:
    document_id: int
    spans: dict[str, Span]


@pytest.fixture
def article(window: MainWindow, shared: Path) -> Article:
    text = (shared / "corpus" / "kcna-car-gift.txt").read_text(encoding="utf-8").split("\n")[0]
    doc = add_document(window.db, text=text, meta=DocumentMeta("KCNA car gift"))
    labels = {label.name: label.id for label in window.editor.labels}
    spans = {}
    for key, (label, needle, *nth) in SPANS.items():
        at = -1
        for _ in range((nth[0] if nth else 0) + 1):
            at = text.index(needle, at + 1)
        spans[key] = add_span(
            window.db,
            document_id=doc.id,
            start=at,
            end=at + len(needle),
            label_id=labels[label],
            annotator_id=window.editor.annotator.id,
        )
    window.reload_documents()
    window.open_document(doc.id)
    assert window.editor.document is not None and window.editor.document.id == doc.id
    return Article(doc.id, spans)


def stored(window: MainWindow, article: Article) -> set[tuple[str, int, int]]:
    """The links as the database holds them, read back through the services."""
    schema = window.editor.schema
    return {
        (schema.relation_type(r.type_id).name, r.source_id, r.target_id)
        for r in list_relations(window.db, document_id=article.document_id)
    }


def controller(window: MainWindow) -> LinkController:
    found = window.findChild(LinkController)
    assert isinstance(found, LinkController)
    return found


def open_popup(qtbot, window: MainWindow) -> LinkPopup:
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    popup = controller(window).popup
    assert popup is not None and popup.isVisible()
    return popup


def row_texts(popup: LinkPopup) -> list[str]:
    return [
        " ".join(popup.row_item(i).text(c) for c in range(3)).strip() for i in popup.visible_rows()
    ]


def point_in(window: MainWindow, span: Span, at: int = 2) -> QPoint:
    """A viewport point inside the character `at` characters into a span."""
    view = window.article
    left = view.offset_rect(span.start + at)
    right = view.offset_rect(span.start + at + 1)
    return QPoint((left.x() + right.x()) // 2, left.center().y())


def select(window: MainWindow, span: Span) -> None:
    window.select_span(span.id)
    assert window.article.selected_span_id == span.id


def test_l_lists_the_actor_at_the_reporting_verb_first_and_enter_links_undo_redo(
    qtbot, window: MainWindow, article: Article
):
    action = window.actions_by_key["link"]
    assert action.shortcut().toString() == "L" and "likeliest first" in action.statusTip()
    assert action.associatedObjects(), "the action is in a menu"
    claim, kyj = article.spans["claim"], article.spans["kyj"]
    select(window, claim)
    popup = open_popup(qtbot, window)
    texts = row_texts(popup)
    assert texts[0].startswith("SOURCE → ACTOR “Kim Yo Jong”")
    assert texts[0].endswith("11 ch")
    # The actor before "described" first; the date next; actors of earlier sentences last.
    assert [t.split("“")[1].split("”")[0] for t in texts] == [
        "Kim Yo Jong",
        "February 18",
        "WPK Central Committee",
        "Korean Central News Agency",
    ]
    assert popup.current_index() == 0
    # The candidate under the keyboard is shown in the article.
    assert window.article._preview is not None and window.article._preview.id == kyj.id

    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert controller(window).popup is None
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id)}
    assert window.article.selected_span_id == claim.id  # still selected: L again goes on
    assert window.article._preview is None
    assert "Linked SOURCE" in window.statusBar().currentMessage()

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, article) == set()
    assert window.editor.relations == []
    qtbot.keyClick(
        window.article,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id)}


def test_l_again_offers_the_date_then_enter_on_a_checked_row_unlinks(
    qtbot, window: MainWindow, article: Article
):
    claim, kyj, feb18 = (article.spans[k] for k in ("claim", "kyj", "feb18"))
    select(window, claim)
    qtbot.keyClick(open_popup(qtbot, window).filter_edit, Qt.Key.Key_Return)

    popup = open_popup(qtbot, window)
    # The claim has its SOURCE: its TIME comes first, and Enter links it.
    assert row_texts(popup)[0].startswith("TIME → DATE “February 18”")
    assert row_texts(popup)[1].startswith("✓ SOURCE → ACTOR “Kim Yo Jong”")
    assert popup.current_index() == 0
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id), ("TIME", claim.id, feb18.id)}

    popup = open_popup(qtbot, window)
    assert row_texts(popup)[0].startswith("✓ SOURCE → ACTOR “Kim Yo Jong”")
    # Nothing is missing and no other actor is in the claim's sentence: no row is current, so
    # Enter links nothing.
    assert popup.current_index() == -1
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert popup.isVisible()
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id), ("TIME", claim.id, feb18.id)}
    while popup.current_index() != 0:
        qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Up)
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, article) == {("TIME", claim.id, feb18.id)}
    assert "Unlinked SOURCE" in window.statusBar().currentMessage()


def test_typing_filters_by_quote_and_escape_closes_without_linking(
    qtbot, window: MainWindow, article: Article
):
    claim, wpk = article.spans["claim"], article.spans["wpk"]
    select(window, claim)
    popup = open_popup(qtbot, window)
    qtbot.keyClicks(popup.filter_edit, "central")
    assert [t.split("“")[1].split("”")[0] for t in row_texts(popup)] == [
        "WPK Central Committee",
        "Korean Central News Agency",
    ]
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Escape)
    assert controller(window).popup is None and stored(window, article) == set()

    popup = open_popup(qtbot, window)
    qtbot.keyClicks(popup.filter_edit, "wpk")
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, article) == {("SOURCE", claim.id, wpk.id)}


def test_l_without_selection_or_candidates_says_why(qtbot, window: MainWindow, article: Article):
    window.select_span(None)
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    assert controller(window).popup is None
    assert window.statusBar().currentMessage().startswith("Select a span first")

    window.editor.delete_spans([article.spans["claim"].id])
    select(window, article.spans["kyj"])
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    assert controller(window).popup is None
    assert window.statusBar().currentMessage() == "No CLAIM near this ACTOR."


def test_actor_selected_lists_claims_with_incoming_arrow(
    qtbot, window: MainWindow, article: Article
):
    claim, kyj = article.spans["claim"], article.spans["kyj"]
    select(window, kyj)
    popup = open_popup(qtbot, window)
    assert row_texts(popup)[0].startswith("SOURCE ← CLAIM “the gift as a tangible")
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id)}


def ctrl_drag(qtbot, window: MainWindow, start: QPoint, end: QPoint) -> None:
    viewport = window.article.viewport()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, ctrl, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(viewport, middle)
    assert window.article._drag_from is not None  # the line follows the mouse
    window.article.viewport().grab()  # paints the line without raising
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, ctrl, end)
    assert window.article._drag_from is None


def test_ctrl_drag_from_claim_to_actor_links_and_reverse_drag_too(
    qtbot, window: MainWindow, article: Article
):
    claim, kyj, wpk = (article.spans[k] for k in ("claim", "kyj", "wpk"))
    window.select_span(None)
    ctrl_drag(qtbot, window, point_in(window, claim, 5), point_in(window, kyj))
    assert stored(window, article) == {("SOURCE", claim.id, kyj.id)}
    assert window.article.selected_span_id == claim.id
    assert window.article.selected_range() is None  # no text selected by the drag

    # From the actor to the claim: SOURCE goes claim -> actor whatever way the mouse went.
    ctrl_drag(qtbot, window, point_in(window, wpk), point_in(window, claim, 30))
    assert stored(window, article) == {
        ("SOURCE", claim.id, kyj.id),
        ("SOURCE", claim.id, wpk.id),
    }

    # Two actors: no type links them; nothing stored, the status bar says why.
    ctrl_drag(qtbot, window, point_in(window, wpk), point_in(window, kyj))
    assert len(stored(window, article)) == 2
    assert window.statusBar().currentMessage() == "No link type between ACTOR and ACTOR."


def test_ctrl_drag_asks_which_type_when_several_fit(
    qtbot, window: MainWindow, article: Article, monkeypatch
):
    claim, kyj = article.spans["claim"], article.spans["kyj"]
    labels = {label.name: label.id for label in window.editor.labels}
    save_relation_type(
        window.db,
        name="TARGET",
        source_label_id=labels["CLAIM"],
        target_label_id=labels["ACTOR"],
        colour="#AA3377",
    )
    window.editor.reload_schema()
    offered: list[list[str]] = []

    def choose(choices, _at):
        offered.append([t.name for t, _s, _t in choices])
        return next(c for c in choices if c[0].name == "TARGET")

    monkeypatch.setattr(controller(window), "choose_type", choose)
    ctrl_drag(qtbot, window, point_in(window, kyj), point_in(window, claim, 5))
    assert offered == [["SOURCE", "TARGET"]]
    assert stored(window, article) == {("TARGET", claim.id, kyj.id)}


def test_plain_drag_still_selects_text(qtbot, window: MainWindow, article: Article):
    claim = article.spans["claim"]
    viewport = window.article.viewport()
    start, end = point_in(window, claim, 0), point_in(window, claim, 12)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    selected = window.article.selected_range()
    assert selected is not None and claim.start <= selected[0] < selected[1] <= claim.end
    assert selected[1] - selected[0] >= 10
    assert stored(window, article) == set()


def colour_pixels(image: QImage, colour: str, box: QRect, alpha: int = 215) -> int:
    """Pixels inside `box` close to `colour` drawn at `alpha` over a light background."""
    want = QColor(colour)
    a = alpha / 255
    target = [round(c * a + 255 * (1 - a)) for c in (want.red(), want.green(), want.blue())]
    count = 0
    box = box.intersected(image.rect())
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1):
            got = image.pixelColor(x, y)
            rgb = (got.red(), got.green(), got.blue())
            if all(abs(g - t) <= 40 for g, t in zip(rgb, target, strict=True)):
                count += 1
    return count


def test_links_are_painted_as_arcs_and_listed_in_the_tooltip(
    qtbot, window: MainWindow, article: Article
):
    claim, kyj, feb18 = (article.spans[k] for k in ("claim", "kyj", "feb18"))
    window.editor.add_relation(
        window.editor.schema.relation_type_named("SOURCE").id, claim.id, kyj.id
    )
    window.editor.add_relation(
        window.editor.schema.relation_type_named("TIME").id, claim.id, feb18.id
    )
    view = window.article

    def between(one: Span, two: Span) -> QRect:
        a, b = view.span_anchor(one), view.span_anchor(two)
        return QRect(
            QPoint(int(min(a.x(), b.x())) - 20, int(min(a.y(), b.y())) - 40),
            QPoint(int(max(a.x(), b.x())) + 20, int(max(a.y(), b.y())) + 30),
        )

    box = between(claim, kyj)
    source_colour = window.editor.schema.relation_type_named("SOURCE").colour

    window.select_span(None)
    plain = view.viewport().grab().toImage()
    select(window, claim)
    arcs = view.viewport().grab().toImage()
    assert colour_pixels(arcs, source_colour, box) > colour_pixels(plain, source_colour, box) + 20
    time_colour = window.editor.schema.relation_type_named("TIME").colour
    assert colour_pixels(arcs, time_colour, between(claim, feb18)) > 20

    tip = view.tooltip_at(point_in(window, kyj))
    assert "SOURCE ← CLAIM “the gift as a tangible" in tip
    tip = view.tooltip_at(point_in(window, claim, 5))
    assert "SOURCE → ACTOR “Kim Yo Jong”" in tip and "TIME → DATE “February 18”" in tip


AALTONEN = (
    "On Monday, Aaltonen said his government would raise the budget. "
    "Lindqvist told reporters that the plan would fail."
)


@pytest.fixture
def aaltonen(window: MainWindow) -> Article:
    """A claim with an actor inside it, its speaker before the verb, a later unrelated claim."""
    doc = add_document(window.db, text=AALTONEN, meta=DocumentMeta("Budget"))
    labels = {label.name: label.id for label in window.editor.labels}
    spans = {}
    for key, label, needle in (
        ("monday", "DATE", "Monday"),
        ("aaltonen", "ACTOR", "Aaltonen"),
        ("government", "ACTOR", "government"),
        ("claim", "CLAIM", "his government would raise the budget"),
        ("lindqvist", "ACTOR", "Lindqvist"),
        ("reporters", "ACTOR", "reporters"),
        ("other", "CLAIM", "the plan would fail"),
    ):
        at = AALTONEN.index(needle)
        spans[key] = add_span(
            window.db,
            document_id=doc.id,
            start=at,
            end=at + len(needle),
            label_id=labels[label],
            annotator_id=window.editor.annotator.id,
        )
    window.reload_documents()
    window.open_document(doc.id)
    return Article(doc.id, spans)


def test_l_enter_makes_the_speaker_the_source_not_the_actor_inside_the_claim(
    qtbot, window: MainWindow, aaltonen: Article
):
    claim, speaker, monday = (aaltonen.spans[k] for k in ("claim", "aaltonen", "monday"))
    select(window, claim)
    popup = open_popup(qtbot, window)
    texts = row_texts(popup)
    assert texts[0].startswith("SOURCE → ACTOR “Aaltonen”") and popup.current_index() == 0
    # "government" is nearer (inside the claim) but ranks below every actor outside it.
    assert texts.index(next(t for t in texts if "“government”" in t)) > texts.index(
        next(t for t in texts if "“Lindqvist”" in t)
    )
    assert texts[-1].startswith("REPORTED_IN → CLAIM “the plan would fail”")
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, aaltonen) == {("SOURCE", claim.id, speaker.id)}

    # It has its SOURCE: the cursor is on its TIME, not on the claim of the next sentence.
    popup = open_popup(qtbot, window)
    assert popup.current_index() == 0 and row_texts(popup)[0].startswith("TIME → DATE “Monday”")
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, aaltonen) == {
        ("SOURCE", claim.id, speaker.id),
        ("TIME", claim.id, monday.id),
    }

    # Complete: Enter links nothing, REPORTED_IN to the unrelated claim least of all.
    popup = open_popup(qtbot, window)
    assert popup.current_index() == -1
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Escape)
    assert len(stored(window, aaltonen)) == 2


def test_the_addressee_after_the_verb_ranks_below_the_speaker(
    qtbot, window: MainWindow, aaltonen: Article
):
    other, speaker = aaltonen.spans["other"], aaltonen.spans["lindqvist"]
    select(window, other)
    popup = open_popup(qtbot, window)
    # "reporters" stands nearer the claim, but "Lindqvist" has the reporting verb at its side.
    assert [t.split("“")[1].split("”")[0] for t in row_texts(popup)[:2]] == [
        "Lindqvist",
        "reporters",
    ]
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
    assert stored(window, aaltonen) == {("SOURCE", other.id, speaker.id)}


def test_each_row_shows_its_link_type_definition_on_hover(
    qtbot, window: MainWindow, aaltonen: Article
):
    labels = {label.name: label.id for label in window.editor.labels}
    save_relation_type(
        window.db,
        name="TARGET",
        source_label_id=labels["CLAIM"],
        target_label_id=labels["ACTOR"],
        colour="#AA3377",
        description="Whom the claim is about. <b>not bold</b> & <i>not italic</i>",
    )
    window.editor.reload_schema()
    select(window, aaltonen.spans["claim"])
    popup = open_popup(qtbot, window)
    source = window.editor.schema.relation_type_named("SOURCE")
    assert source.description
    tips: dict[str, str] = {}
    for row in popup.visible_rows():
        name = popup.candidates[row].type.name
        rect = popup.list.visualItemRect(popup.row_item(row))
        QToolTip.hideText()
        event = QHelpEvent(
            QEvent.Type.ToolTip, rect.center(), popup.list.viewport().mapToGlobal(rect.center())
        )
        QApplication.sendEvent(popup.list.viewport(), event)
        tips.setdefault(name, QToolTip.text())
    assert set(tips) == {"SOURCE", "TARGET", "TIME", "REPORTED_IN"}
    shown = {name: QTextDocumentFragment.fromHtml(tip).toPlainText() for name, tip in tips.items()}
    assert shown["SOURCE"] == f"SOURCE: {source.description}"
    # The definition is shown literally, markup and all.
    assert shown["TARGET"] == "TARGET: Whom the claim is about. <b>not bold</b> & <i>not italic</i>"
