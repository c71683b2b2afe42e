"""The offsets contract between Qt's UTF-16 widget and code-point storage, by property tests."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from ui_helpers import stored_spans

from annotator.domain.model import DocumentMeta
from annotator.domain.text import normalise_newlines
from annotator.services.documents import add_document
from annotator.ui.annotate.offsets import Utf16Index
from annotator.ui.main_window import MainWindow

PIECES = [
    "a",
    "Z",
    "é",
    " ",
    ".",
    ",",
    "\n",
    "\r\n",
    "\r",
    "\u00a0",
    "\u2028",
    "\u2029",
    "e\u0301",
    "n\u0303\u0323",  # combining marks
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "🇩🇪",
    "🏳️\u200d🌈",
    "❤️",  # ZWJ, skin tone, flags, VS16
    "中",
    "国",
    "。",
    "日本",
    "\U00020000",  # CJK incl. a supplementary-plane ideograph
    "ا",
    "ب",
    "ש",  # right-to-left letters
]
_SERIAL = itertools.count()
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[2 * start : 2 * end].decode("utf-16-le")


@given(texts, st.data())
def test_utf16_index_agrees_with_python_encoding(text: str, data: st.DataObject) -> None:
    index = Utf16Index(text)
    assert index.length_u16 == len(text.encode("utf-16-le")) // 2
    offset = data.draw(st.integers(0, len(text)))
    position = len(text[:offset].encode("utf-16-le")) // 2
    assert index.to_utf16(offset) == position
    assert index.to_code_point(position) == offset
    assert index.to_code_point_ceil(position) == offset
    if offset < len(text) and ord(text[offset]) > 0xFFFF:
        # Inside a surrogate pair: floor to the character, ceil past it.
        assert index.to_code_point(position + 1) == offset
        assert index.to_code_point_ceil(position + 1) == offset + 1


def _open(window: MainWindow, text: str) -> str:
    doc = add_document(window.db, text=text, meta=DocumentMeta("property"))
    window.reload_documents()
    window.open_document(doc.id)
    return doc.text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts, data=st.data())
def test_widget_selection_becomes_span_with_exactly_the_selected_characters(
    window: MainWindow, db_path: Path, text: str, data: st.DataObject
) -> None:
    if not normalise_newlines(text).strip("\n\u2029"):
        text += "x"
    # Unique text per example, so the duplicate-text rule never refuses it.
    stored = _open(window, f"{text} #{next(_SERIAL):08d}")
    assert stored == normalise_newlines(stored)
    view = window.article
    # Walk Qt's own cursor positions (grapheme boundaries) as a user's arrow keys would.
    cursor = QTextCursor(view.document())
    positions = [0]
    while cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
        positions.append(cursor.position())
    a, b = sorted(
        data.draw(st.lists(st.sampled_from(positions), min_size=2, max_size=2, unique=True))
    )
    selected = utf16_slice(stored, a, b)
    cursor.setPosition(a)
    cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)

    before = {r.id for r in stored_spans(db_path)}
    span = window.editor.add_span(*view.selected_range(), window.editor.labels[0].id, snap=False)
    if selected.strip() == "" and span is None:
        return
    assert span is not None
    new = [r for r in stored_spans(db_path) if r.id not in before]
    assert [r.quote for r in new] == [selected]
    assert stored[new[0].start : new[0].end] == selected

    # The stored span is drawn on exactly its characters: the union of formatted positions
    # over all blocks equals the span's UTF-16 range.
    covered: set[int] = set()
    block = view.document().firstBlock()
    while block.isValid():
        for fr in block.layout().formats():
            covered.update(
                range(block.position() + fr.start, block.position() + fr.start + fr.length)
            )
        block = block.next()
    index = view.text_index
    expected = set(range(index.to_utf16(new[0].start), index.to_utf16(new[0].end)))
    # Block separators (LF, U+2029) are not part of any block's layout.
    separators = {index.to_utf16(i) for i, ch in enumerate(stored) if ch in "\n\u2029"}
    assert covered == expected - separators
    window.editor.delete_spans([new[0].id])


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("emoji.txt", "👩🏽\u200d⚖️"),
        ("emoji.txt", "🇧🇷"),
        ("crlf.txt", "Angela Merkel"),
        ("cjk.txt", "普京"),
        ("arabic-rtl.txt", None),
        ("combining.txt", "Zoe\u0308"),
        ("nbsp-u2028.txt", None),
        ("latin1.txt", "François Hollande"),
        ("utf16-bom.txt", "Olaf Scholz"),
        ("long-paragraph.txt", None),
    ],
)
def test_edge_files_open_and_annotate_exactly(
    qtbot, window: MainWindow, db_path: Path, shared: Path, name: str, needle: str | None
) -> None:
    from annotator.services.importing import import_text_file

    doc = import_text_file(window.db, path=shared / "corpus" / "edge" / name)
    window.reload_documents()
    window.open_document(doc.id)
    text = window.article.text
    assert text == doc.text and "\r" not in text
    if needle is None:
        # The last word of the file: after every NBSP, U+2028, RTL run or megabyte before it.
        stripped = text.rstrip()
        start = max(stripped.rfind(" "), stripped.rfind("\u2028"), stripped.rfind("\u00a0")) + 1
        end = len(stripped)
        needle = text[start:end]
    else:
        start = text.index(needle)
        end = start + len(needle)
    window.article.select_range(start, end)
    cursor = window.article.textCursor()
    assert utf16_slice(text, cursor.selectionStart(), cursor.selectionEnd()) == needle
    span = window.editor.add_span(
        *window.article.selected_range(), window.editor.labels[0].id, snap=False
    )
    assert span is not None
    rows = [r for r in stored_spans(db_path)]
    assert [(r.start, r.end, r.quote) for r in rows] == [(start, end, needle)]


def test_right_to_left_text_is_laid_out_right_to_left(window: MainWindow, shared: Path) -> None:
    from PySide6.QtCore import Qt

    from annotator.services.importing import import_text_file

    doc = import_text_file(window.db, path=shared / "corpus" / "edge" / "arabic-rtl.txt")
    window.reload_documents()
    window.open_document(doc.id)
    block = window.article.document().firstBlock()
    assert block.textDirection() == Qt.LayoutDirection.RightToLeft
