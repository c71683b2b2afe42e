"""The article as a reading view: paragraph spacing, a readable column, the title as a heading,
font and zoom, and link marks that never cover the text nor move it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage

from annotator.domain.model import Document, DocumentMeta, Label
from annotator.domain.suggestions import Suggestion
from annotator.services.documents import add_document
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.linking import LinkController
from annotator.ui.annotate.reading import COLUMN_CHARACTERS
from annotator.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

PARAGRAPHS = [
    "Mayor Ines Okafor said the barrier would protect every home below the old bridge for the "
    "next fifty years, and that work could begin in the spring of 2027.",
    "The Fishermen's Cooperative of Port Aldren opposed the plan. Its chair, Tomas Reyes, "
    "claimed that the barrier would cut the catch in the estuary by a third.",
    "Opposition councillor Marta Lindqvist argued that the money would be better spent on "
    "moving the most exposed households.",
]
TEXT = "\n".join(PARAGRAPHS)  # one line break between paragraphs, as many plain files have


SUGGESTION_LABELS = [
    Label(1, "ACTOR", "#8dd3c7", "1", 0),
    Label(2, "DATE", "#fdb462", "2", 1),
    Label(3, "CLAIM", "#bebada", "3", 2),
]
SUGGESTED_TEXT = "\n".join(" ".join(f"word{p}x{w} Åland" for w in range(12)) for p in range(8))


def open_text(window: MainWindow, text: str = TEXT, title: str = "Flood barrier vote") -> None:
    doc = add_document(window.db, text=text, meta=DocumentMeta(title))
    window.reload_documents()
    window.open_document(doc.id)
    assert window.editor.document is not None and window.editor.document.id == doc.id


def line_breaks(view: ArticleView) -> list[tuple[int, int]]:
    """Where every laid-out line starts: (block number, position in the block)."""
    breaks = []
    block = view.document().firstBlock()
    while block.isValid():
        view.blockBoundingGeometry(block)  # lays the block out if it is not yet
        layout = block.layout()
        breaks += [
            (block.blockNumber(), layout.lineAt(i).textStart()) for i in range(layout.lineCount())
        ]
        block = block.next()
    return breaks


def point_at(view: ArticleView, offset: int) -> QPoint:
    """A viewport point inside the character at a code point."""
    left, right = view.offset_rect(offset), view.offset_rect(offset + 1)
    return QPoint((left.x() + right.x()) // 2, left.center().y())


def select_and_label(qtbot, view: ArticleView, needle: str, key: Qt.Key) -> int:
    start = view.text.index(needle)
    view.select_range(start, start + len(needle))
    qtbot.keyClick(view, key)
    return start


def test_paragraphs_have_space_between_them_and_the_text_is_untouched(qtbot, window: MainWindow):
    window.resize(1600, 1000)
    open_text(window)
    view = window.article
    first = view.document().firstBlock()
    second = first.next()
    line = first.layout().lineAt(0).height()
    bottom_of_first = (
        view.blockBoundingGeometry(first).top() + first.layout().boundingRect().height()
    )
    top_of_second = view.blockBoundingGeometry(second).top()
    assert top_of_second - bottom_of_first >= 0.4 * line  # a visible gap
    # The document holds exactly the text, one block per paragraph: offsets do not move.
    assert view.document().blockCount() == len(PARAGRAPHS)
    assert view.text == TEXT
    # A click in the second paragraph lands on the character under the mouse.
    at = TEXT.index("Reyes")
    assert view.offset_at(point_at(view, at)) == at
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, at + 1))
    assert view.selected_range() == (at, at + len("Reyes"))


def test_a_wide_window_reads_in_a_centred_column(qtbot, window: MainWindow):
    window.resize(1900, 1000)
    open_text(window, " ".join(PARAGRAPHS * 3))
    view = window.article
    qtbot.waitUntil(lambda: view.viewport().width() < view.width() - 100)
    lengths = [view.document().firstBlock().layout().lineAt(i).textLength() for i in range(3)]
    assert all(COLUMN_CHARACTERS - 20 <= n <= COLUMN_CHARACTERS + 15 for n in lengths), lengths
    # Centred: as much page left of the column as right of it (the scroll bar aside).
    left = view.viewport().geometry().left()
    right = view.width() - view.viewport().geometry().right()
    bar = view.verticalScrollBar().width() if view.verticalScrollBar().isVisible() else 0
    assert abs(left - (right - bar)) <= 4


def test_the_title_is_a_plain_text_heading_above_the_text(qtbot, window: MainWindow):
    window.resize(1600, 1000)
    open_text(window, title="<b>Flood</b> barrier & <i>vote</i>")
    heading = window.article.reading.heading
    assert heading.isVisible() and heading.textFormat() == Qt.TextFormat.PlainText
    assert heading.text() == "<b>Flood</b> barrier & <i>vote</i>"
    # Above the text, not in it: the text starts below the heading.
    viewport = window.article.viewport().geometry()
    assert heading.geometry().bottom() < viewport.top()
    assert window.article.text == TEXT

    long_title = "Port Aldren council approves the flood barrier " * 6
    open_text(window, TEXT + "\nA fourth paragraph.", title=long_title)
    assert heading.text().endswith("…") and len(heading.text()) < len(long_title)
    assert "flood barrier" in heading.toolTip()


def test_ctrl_plus_minus_and_zero_zoom_the_text(qtbot, window: MainWindow):
    open_text(window)
    view = window.article
    family, size = view.reading_font()
    assert view.font().pointSize() == size and view.zoom_steps == 0
    with qtbot.waitSignal(view.sig_reading_changed):
        qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSize() == size + 1 and view.zoom_steps == 1
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSize() == size + 2
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSize() == size - 1 and view.zoom_steps == -1
    with qtbot.waitSignal(view.sig_reading_changed):
        qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSize() == size and view.zoom_steps == 0
    assert view.reading_font() == (family, size)  # zoom never changes the chosen size
    # The heading grows with the text.
    assert view.reading.heading.font().pointSizeF() > view.font().pointSizeF()
    with qtbot.assertNotEmitted(view.sig_reading_changed):
        view.reset_zoom()  # nothing to reset


def test_the_reading_font_can_be_chosen_and_read_back(qtbot, window: MainWindow):
    view = window.article
    with qtbot.waitSignal(view.sig_reading_changed):
        view.set_reading_font("DejaVu Serif", 15)
    assert view.reading_font() == ("DejaVu Serif", 15)
    assert view.font().family() == "DejaVu Serif" and view.font().pointSize() == 15
    view.zoom(100)  # limits hold either way
    assert view.font().pointSize() == 48
    view.zoom(-100)
    assert view.font().pointSize() == 6
    view.reset_zoom()
    assert view.font().pointSize() == 15


def text_interiors(view: ArticleView) -> list[QRect]:
    """The inside of every laid-out line fragment in view, where the glyphs are."""
    rects = view.range_rects(0, len(view.text))
    return [r.toAlignedRect().adjusted(3, 3, -3, -3) for r in rects if r.width() > 6]


def changed_pixels(before: QImage, after: QImage, boxes: list[QRect], ratio: float) -> int:
    count = 0
    for box in boxes:
        for y in range(int(box.top() * ratio), int(box.bottom() * ratio) + 1):
            for x in range(int(box.left() * ratio), int(box.right() * ratio) + 1, 2):
                if before.pixel(x, y) != after.pixel(x, y):
                    count += 1
    return count


def test_linking_draws_marks_beside_the_text_and_never_moves_or_covers_it(
    qtbot, window: MainWindow
):
    window.resize(1600, 1000)
    open_text(window)
    view = window.article
    ines = select_and_label(qtbot, view, "Ines Okafor", Qt.Key.Key_1)
    tomas = select_and_label(qtbot, view, "Tomas Reyes", Qt.Key.Key_1)
    claim_text = "the barrier would cut the catch in the estuary by a third"
    claim = select_and_label(qtbot, view, claim_text, Qt.Key.Key_3)
    assert len(window.editor.spans) == 3
    view.clear_selection()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, claim + 5))
    assert view.selected_span is not None and view.selected_span.start == claim
    breaks, width = line_breaks(view), view.viewport().width()
    ratio = view.viewport().devicePixelRatioF()
    before = view.viewport().grab().toImage()

    qtbot.keyClick(view, Qt.Key.Key_L)
    link_controller = window.findChild(LinkController)
    assert link_controller is not None and link_controller.popup is not None
    qtbot.keyClick(link_controller.popup.filter_edit, Qt.Key.Key_Return)
    assert [(r.source_id, r.target_id) for r in window.editor.relations] == [
        (view.selected_span.id, next(s.id for s in window.editor.spans if s.start == tomas))
    ]
    assert view.selected_span is not None and view.selected_span.start == claim
    after = view.viewport().grab().toImage()

    # The link is drawn: something changed, in the gutter left of the text.
    gutter = QRect(0, 0, int(view.reading.gutter) - 1, view.viewport().height())
    assert changed_pixels(before, after, [gutter], ratio) > 10
    # ... and not a single pixel inside any line of text.
    assert changed_pixels(before, after, text_interiors(view), ratio) == 0
    # Lines keep their breaks and the column its width.
    assert line_breaks(view) == breaks and view.viewport().width() == width

    # With another span selected, the linked spans get a mark in the gutter, none in the text.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, ines + 2))
    assert view.selected_span is not None and view.selected_span.start == ines
    marked = view.viewport().grab().toImage()
    undo = window.actions_by_key["undo"]
    undo.trigger()
    assert window.editor.relations == []
    unmarked = view.viewport().grab().toImage()
    assert changed_pixels(unmarked, marked, [gutter], ratio) > 5
    assert changed_pixels(unmarked, marked, text_interiors(view), ratio) == 0


def test_a_view_being_torn_down_takes_its_last_events_quietly(qtbot):
    # Closing a window: the cycle collector may clear the reading layer's attributes while Qt,
    # which still has it as the view's event filter, delivers the view's last events.
    view = ArticleView()
    qtbot.addWidget(view)
    view.reading.__dict__.clear()
    font = view.font()
    font.setPointSizeF(font.pointSizeF() + 2)
    view.setFont(font)  # a FontChange through the filter: no error from the filter
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)


def suggestion_view(qtbot, suggestions: list[Suggestion]) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_labels(SUGGESTION_LABELS)
    document = Document(1, DocumentMeta("Outlines"), SUGGESTED_TEXT, "", datetime.now(UTC))
    view.show_document(document, [])
    view.set_suggestions(suggestions)
    view.resize(520, 360)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_suggestion_outlines_drawn_again_in_part_look_as_if_drawn_whole(qtbot):
    # After a suggestion goes (a span added where it lay) or another becomes current, only the
    # lines concerned are drawn again: the article must look exactly as one drawn from scratch.
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", SUGGESTED_TEXT)]
    suggestions = [
        Suggestion(i + 1, 1, start, end, SUGGESTION_LABELS[i % 3].id, "", "test", 0.5)
        for i, (start, end) in enumerate(words)
    ]
    # Nested ones too: two words together, around the single ones.
    suggestions += [
        Suggestion(1000 + i, 1, a[0], b[1], SUGGESTION_LABELS[(i + 1) % 3].id, "", "test", 0.5)
        for i, (a, b) in enumerate(zip(words[::2], words[1::2], strict=False))
    ]
    view = suggestion_view(qtbot, suggestions)
    first = view.viewport().grab().toImage()

    gone = {suggestions[5].id, suggestions[40].id, 1003}
    view.update_suggestions(sorted(gone), [])
    view.select_suggestion(suggestions[22])
    after = view.viewport().grab().toImage()
    kept = [s for s in suggestions if s.id not in gone]
    fresh = suggestion_view(qtbot, kept)
    fresh.select_suggestion(kept[21])
    assert kept[21] == suggestions[22]
    assert after != first
    assert after == fresh.viewport().grab().toImage()

    # And back: the first one again, none current.
    view.update_suggestions([], [s for s in suggestions if s.id in gone])
    view.select_suggestion(None)
    assert view.viewport().grab().toImage() == first
