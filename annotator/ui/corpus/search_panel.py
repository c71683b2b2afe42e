"""Search across the corpus: documents by words (with snippets), annotations by label and quote."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.library import SearchHit, SpanHit
from annotator.domain.model import Label
from annotator.services import Database
from annotator.services.search import (
    count_search_matches,
    pending_search_count,
    search_documents,
    search_spans,
)
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.keys import opens_on_enter
from annotator.ui.common.labels import refresh_label_choices

HIT_BACKGROUND = QColor("#F0E442")
_Index = QModelIndex | QPersistentModelIndex
SnippetRole = Qt.ItemDataRole.UserRole + 1


class SearchResultModel(RowsModel[SearchHit | SpanHit]):
    HEADERS = ("Result",)

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[int, Label] = {}

    def set_results(self, rows: list[SearchHit] | list[SpanHit]) -> None:
        self._set_rows(rows)

    def hit(self, row: int) -> SearchHit | SpanHit:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self._row(index)
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(hit, SearchHit):
                return " ".join(hit.title.split())
            label = self.labels.get(hit.label_id)
            return f"{label.name if label else '?'} · {' '.join(hit.document_title.split())}"
        if role == SnippetRole:
            if isinstance(hit, SearchHit):
                return hit.snippet, hit.hits
            quote = " ".join(hit.quote.split())
            return quote, ((0, len(quote)),)
        return None


class SnippetDelegate(QStyledItemDelegate):
    """Two lines per result: the title, and the snippet with its hits on a yellow ground.

    The snippet is painted as plain text run by run, so markup in an article never renders.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        height = QFontMetrics(option.font).height()
        return QSize(200, height * 2 + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = (
            option.palette.highlightedText().color() if selected else option.palette.text().color()
        )
        metrics = QFontMetrics(option.font)
        rect = option.rect.adjusted(4, 3, -4, -3)
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(title_font).elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.setFont(option.font)
        snippet, hits = index.data(SnippetRole) or ("", ())
        snippet, hits = _lead_into_first_hit(
            snippet.replace("\n", " "), hits, metrics, rect.width() // 4
        )
        x, y = rect.left(), rect.top() + metrics.height() + 2
        edges = [0]
        for start, end in hits:
            edges += [start, end]
        edges.append(len(snippet))
        for i in range(len(edges) - 1):
            piece = snippet[edges[i] : edges[i + 1]]
            if not piece:
                continue
            width = metrics.horizontalAdvance(piece)
            if x + width > rect.right():
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, rect.right() - x)
                width = metrics.horizontalAdvance(piece)
            box = QRect(x, y, width, metrics.height())
            if i % 2 == 1:  # odd pieces are hits
                painter.fillRect(box, HIT_BACKGROUND)
                painter.setPen(QColor("black"))
            else:
                painter.setPen(text_colour)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, piece)
            x += width
            if x >= rect.right():
                break
        painter.restore()


def _lead_into_first_hit(
    snippet: str, hits: tuple[tuple[int, int], ...], metrics: QFontMetrics, room: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut the snippet's start so that at most `room` pixels of text come before the first hit."""
    if not hits:
        return snippet, hits
    first = hits[0][0]
    cut = 0
    while cut < first and metrics.horizontalAdvance("…" + snippet[cut:first]) > room:
        cut = snippet.find(" ", cut + 1, first)
        if cut < 0:
            cut = first
    if cut == 0:
        return snippet, hits
    shift = cut - 1  # one character for the ellipsis
    return "…" + snippet[cut:], tuple((a - shift, b - shift) for a, b in hits if a >= cut)


class SearchPanel(QWidget):
    """A query box, a mode (documents or annotations) and the results.

    Down in the query box goes to the results (to the first when none is current), Up on the
    first result back to the query; Enter on a result opens it.
    """

    sig_open = Signal(int, int, int)
    """Open a result: (document id, start, end); start = end = -1 for a whole document."""

    def __init__(self, db: Database, labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._unindexed = 0  # documents the last search left out (not yet indexed)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('Search all articles: words, "a phrase", OR, -word')
        self.query.setClearButtonEnabled(True)
        self.mode = QComboBox(self)
        self.mode.addItem("Documents", None)
        self.mode.addItem("Annotations, any label", 0)
        for label in labels:
            self.mode.addItem(f"Annotations: {label.name}", label.id)
        self.model = SearchResultModel()
        self.model.labels = {label.id: label for label in labels}
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(SnippetDelegate(self.results))
        self.results.setUniformItemSizes(True)
        opens_on_enter(self.results)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)  # a narrow dock: the note on unindexed documents wraps
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.query.returnPressed.connect(self.run)
        self.mode.currentIndexChanged.connect(self.run)
        self.results.activated.connect(self._on_results_activated)
        self.results.clicked.connect(self._on_results_activated)
        self.query.installEventFilter(self)
        self.results.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if watched is self.query and plain and event.key() == Qt.Key.Key_Down:
            self.focus_results()
            return True
        if (
            watched is self.results
            and plain
            and event.key() == Qt.Key.Key_Up
            and self.results.currentIndex().row() <= 0
        ):
            self.query.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """Put the focus on the results, the first made current when none is."""
        if not self.model.rowCount():
            return
        if not self.results.currentIndex().isValid():
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_labels(self, labels: list[Label]) -> None:
        """The schema changed: the mode list and the results name its labels."""
        refresh_label_choices(self.mode, labels, None, "Annotations: {}")
        self.model.labels = {label.id: label for label in labels}

    def run(self) -> None:
        text = self.query.text().strip()
        mode = self.mode.currentData()
        self._unindexed = 0
        try:
            if mode is None:
                # What an import just stored is indexed in the background (the window's
                # indexer): searched once indexed, never waited for here.
                hits: list[SearchHit] | list[SpanHit] = search_documents(
                    self._db, query=text, limit=200, index_first=False
                )
                total = count_search_matches(self._db, query=text, index_first=False) if text else 0
                self._unindexed = pending_search_count(self._db) if text else 0
                self.summary.setText(
                    f"{total} document{'s' if total != 1 else ''}"
                    + (f", first {len(hits)} shown" if total > len(hits) else "")
                    + (
                        f"; {self._unindexed:,} just imported not searched yet (being indexed)"
                        if self._unindexed
                        else ""
                    )
                    if text
                    else "Type words and press Enter."
                )
            else:
                hits = search_spans(
                    self._db, label_id=mode or None, quote_contains=text or None, limit=500
                )
                self.summary.setText(f"{len(hits)} annotation{'s' if len(hits) != 1 else ''}")
        except AnnotatorError as exc:
            self.model.set_results([])
            self.summary.setText(str(exc))
            return
        self.model.set_results(hits)

    def indexed(self) -> None:
        """The indexer indexed documents: a search that left some out runs again."""
        if self._unindexed and self.mode.currentData() is None:
            self.run()

    def _on_results_activated(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if isinstance(hit, SearchHit):
            self.sig_open.emit(hit.document_id, -1, -1)
        else:
            self.sig_open.emit(hit.document_id, hit.start, hit.end)
