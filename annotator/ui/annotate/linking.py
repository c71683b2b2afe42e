"""Linking spans fast: `L` opens the nearby candidates of the selected span, Ctrl+drag links two.

The popup lists what the schema allows the selected span to be linked with (a claim: the actors
and dates around it), likeliest first (see `annotator.domain.linking`); each row's tool tip is its
link type's definition. Up/Down move, typing filters by quote, Enter links (or
unlinks a row marked ✓), Esc closes. The selected span stays selected, so L, Enter, L, Enter
gives a claim its SOURCE and then its TIME.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QHideEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.linking import LinkCandidate
from annotator.domain.model import Label, RelationType, Span
from annotator.services.relations import link_candidates
from annotator.ui.annotate.relations_panel import install_panel
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

_QUOTE_CHARS = 48
_STATUS_MS = 6000


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def candidate_text(candidate: LinkCandidate, label: Label | None) -> str:
    """The main text of a popup row, plain: 'SOURCE → ACTOR “KCNA”'."""
    arrow = "→" if candidate.outgoing else "←"
    name = label.name if label else "?"
    quote = _one_line(candidate.span.quote, _QUOTE_CHARS)
    return f"{candidate.type.name} {arrow} {name} “{quote}”"


def type_definition(relation_type: RelationType) -> str:
    """A row's tool tip text: the link type and its definition from the schema."""
    described = relation_type.description.strip()
    return f"{relation_type.name}: {described}" if described else relation_type.name


def candidate_distance(candidate: LinkCandidate) -> str:
    return "inside" if candidate.distance == 0 else f"{candidate.distance} ch"


def default_row(candidates: Sequence[LinkCandidate]) -> int:
    """The row Enter should link: the first likely one (`LinkCandidate.likely`), -1 for none.

    The candidates come likeliest first, so a claim with its SOURCE already linked offers its
    nearest date (TIME) first, and L, Enter twice gives it both. A wrong choice (REPORTED_IN to a
    claim that does not contain this one) is never the default: with nothing likely left, Enter
    does nothing until the user picks a row with the arrows.
    """
    return next((i for i, c in enumerate(candidates) if c.likely), -1)


def no_candidates_message(
    selected: Span, labels: dict[int, Label], types: Sequence[RelationType]
) -> str:
    """Why the popup has nothing to offer: 'No ACTOR or DATE near this CLAIM'."""
    own = labels.get(selected.label_id)
    own_name = own.name if own else "span"
    others: list[str] = []

    def add(label_id: int | None) -> None:
        label = labels.get(label_id) if label_id is not None else None
        name = label.name if label else "span"
        if name not in others:
            others.append(name)

    for t in types:
        if t.source_label_id in (None, selected.label_id):
            add(t.target_label_id)
        if (
            t.target_label_id in (None, selected.label_id)
            and t.source_label_id != t.target_label_id
        ):
            add(t.source_label_id)
    if not others:
        return f"No link type starts or ends at a {own_name} (the schema defines them)."
    listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} or {others[-1]}"
    return f"No {listed} near this {own_name}."


class LinkPopup(QFrame):
    """A small list at the selected span: the candidates, a filter line, keyboard-driven."""

    sig_chosen = Signal(int)
    """Enter or a click on a row: the index into `candidates`."""

    sig_current = Signal(int)
    """The row under the keyboard or mouse changed: its index into `candidates` (-1: none)."""

    sig_closed = Signal()

    def __init__(
        self,
        candidates: Sequence[LinkCandidate],
        labels: dict[int, Label],
        current: int,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("linkPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.candidates = list(candidates)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        self.title = QLabel(title or "Link to…")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: bold;")
        self.hint = QLabel(
            "↑↓ move · type to filter · Enter links, or unlinks a ✓ row · Esc closes"
        )
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setStyleSheet("font-size: 9pt;")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("linkFilter")
        self.filter_edit.setPlaceholderText("Type to filter by quote")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("linkCandidates")
        self.list.setColumnCount(3)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setMouseTracking(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for c in self.candidates:
            item = QTreeWidgetItem(
                ["✓" if c.linked else "", candidate_text(c, labels.get(c.span.label_id)), ""]
            )
            item.setText(2, candidate_distance(c))
            item.setIcon(1, _swatch(c.type.colour))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(2, grey)
            definition = type_definition(c.type)
            for column in range(3):
                item.setToolTip(column, plain_tooltip(definition))
            if c.linked:
                item.setToolTip(0, plain_tooltip(f"Linked already: Enter unlinks.\n{definition}"))
            self.list.addTopLevelItem(item)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        rows = min(max(len(self.candidates), 3), 10)
        row_height = max(self.list.sizeHintForRow(0), 18) if self.candidates else 18
        self.list.setMinimumHeight(rows * row_height + 6)
        self.resize(QSize(520, rows * row_height + 6 + 86))
        self.filter_edit.installEventFilter(self)
        self.filter_edit.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.sig_current.emit(self.row_of(item))
        )
        self.list.itemEntered.connect(lambda item, _column: self.list.setCurrentItem(item))
        self.list.itemClicked.connect(lambda item, _column: self.sig_chosen.emit(self.row_of(item)))
        if self.candidates:
            self.set_current_row(current)

    def row_of(self, item: QTreeWidgetItem | None) -> int:
        return -1 if item is None else self.list.indexOfTopLevelItem(item)

    def row_count(self) -> int:
        return self.list.topLevelItemCount()

    def row_item(self, row: int) -> QTreeWidgetItem:
        item = self.list.topLevelItem(row)
        assert item is not None, row
        return item

    def current_index(self) -> int:
        return self.row_of(self.list.currentItem())

    def set_current_row(self, row: int) -> None:
        if 0 <= row < self.row_count():
            item = self.row_item(row)
            self.list.setCurrentItem(item)
            self.list.scrollToItem(item)
        else:
            self.list.setCurrentIndex(QModelIndex())

    def visible_rows(self) -> list[int]:
        return [i for i in range(self.row_count()) if not self.row_item(i).isHidden()]

    def _filter(self, text: str) -> None:
        needle = " ".join(text.split()).casefold()
        for i, c in enumerate(self.candidates):
            hay = " ".join(c.span.quote.split()).casefold()
            self.row_item(i).setHidden(bool(needle) and needle not in hay)
        rows = self.visible_rows()
        if self.current_index() not in rows:
            self.set_current_row(rows[0] if rows else -1)

    def _step(self, step: int) -> None:
        rows = self.visible_rows()
        if not rows:
            return
        current = self.current_index()
        at = min(max(rows.index(current) + step, 0), len(rows) - 1) if current in rows else 0
        self.set_current_row(rows[at])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        page = max(1, self.list.height() // max(1, self.list.sizeHintForRow(0)) - 1)
        steps = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -page,
            Qt.Key.Key_PageDown: page,
        }
        if key in steps:
            self._step(steps[Qt.Key(key)])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            row = self.current_index()
            if row >= 0 and not self.row_item(row).isHidden():
                self.sig_chosen.emit(row)
            return True
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.sig_closed.emit()


class LinkController(QObject):
    """Wires the link popup, Ctrl+drag linking and the links shown in the article."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.setObjectName("linkController")
        self.window = window
        self.editor = window.editor
        self.article = window.article
        self.popup: LinkPopup | None = None
        self._popup_for: int | None = None
        self.action = QAction("&Link…", window.widget())
        self.action.setObjectName("linkAction")
        self.action.setShortcut(QKeySequence("L"))
        self.action.setStatusTip(
            "Link the selected span: a list of the spans nearby, likeliest first (Enter links, "
            "Enter on a ✓ row unlinks); Ctrl+drag from one span to another also links"
        )
        self.action.triggered.connect(self.open_popup)
        window.actions_by_key["link"] = self.action
        window.menu("&Annotate").addAction(self.action)
        self.article.sig_link_dragged.connect(self.link_by_drag)
        self.editor.sig_document_opened.connect(self.sync_article)
        self.editor.sig_relations_changed.connect(self.sync_article)
        self.editor.sig_schema_changed.connect(self.sync_article)
        self.sync_article()

    def _status(self, message: str) -> None:
        self.window.tell(message, _STATUS_MS)

    def _labels(self) -> dict[int, Label]:
        labels = {label.id: label for label in self.editor.schema.labels}
        labels.update({label.id: label for label in self.editor.labels})
        return labels

    def sync_article(self) -> None:
        """Give the article the open document's links (it paints them)."""
        self.article.set_relations(self.editor.relations, self.editor.schema.relation_types)

    # Keyboard ----------------------------------------------------------------------------------
    def candidates(self) -> list[LinkCandidate]:
        selected = self.editor.span(self.article.selected_span_id or 0)
        if selected is None:
            return []
        document = self.editor.document
        text = document.text if document is not None else ""
        return link_candidates(
            self.editor.schema, selected, self.editor.spans, self.editor.relations, text
        )

    def open_popup(self) -> None:
        """`L`: the candidates of the selected span at the span, or say why there are none."""
        selected = self.editor.span(self.article.selected_span_id or 0)
        if selected is None:
            self._status("Select a span first (click it, or N / P to step through spans).")
            return
        found = self.candidates()
        labels = self._labels()
        if not found:
            self._status(no_candidates_message(selected, labels, self.editor.schema.relation_types))
            return
        self.close_popup()
        own = labels.get(selected.label_id)
        title = f"Link {own.name if own else 'span'} “{_one_line(selected.quote, 50)}” to…"
        popup = LinkPopup(found, labels, default_row(found), title, self.window.widget())
        self.popup = popup
        self._popup_for = selected.id
        popup.sig_current.connect(self._preview)
        popup.sig_chosen.connect(self._choose)
        popup.sig_closed.connect(self._popup_closed)
        popup.move(self._popup_position(selected, popup.size()))
        popup.show()
        popup.filter_edit.setFocus()
        self._preview(popup.current_index())

    def close_popup(self) -> None:
        if self.popup is not None:
            self.popup.close()

    def _popup_position(self, span: Span, size: QSize) -> QPoint:
        view = self.article
        area = view.viewport().rect()
        anchor = view.span_anchor(span)
        end_rect = view.offset_rect(span.end)
        point = QPoint(int(anchor.x()) - 12, end_rect.bottom() + 4)
        if not area.contains(point):
            point = QPoint(
                min(max(point.x(), area.left()), area.right()),
                min(max(point.y(), area.top()), area.bottom()),
            )
        global_point = view.viewport().mapToGlobal(point)
        screen = view.screen().availableGeometry()
        box = QRect(global_point, size)
        if box.bottom() > screen.bottom():
            # No room below: open above the line instead.
            above = view.viewport().mapToGlobal(QPoint(point.x(), int(anchor.y()) - 4))
            box.moveBottom(above.y())
        if box.right() > screen.right():
            box.moveRight(screen.right())
        box.moveLeft(max(box.left(), screen.left()))
        box.moveTop(max(box.top(), screen.top()))
        return box.topLeft()

    def _preview(self, row: int) -> None:
        popup = self.popup
        if popup is None or not (0 <= row < len(popup.candidates)):
            self.article.set_preview_span(None)
            return
        candidate = popup.candidates[row]
        self.article.set_preview_span(candidate.span, outgoing=candidate.outgoing)

    def _popup_closed(self) -> None:
        self.popup = None
        self._popup_for = None
        self.article.set_preview_span(None)
        # Linked or not, the keyboard goes back to the article for the next key (N, L...).
        self.window.widget().activateWindow()
        self.article.setFocus(Qt.FocusReason.PopupFocusReason)

    def _choose(self, row: int) -> None:
        popup = self.popup
        selected_id = self._popup_for
        if popup is None or selected_id is None or not (0 <= row < len(popup.candidates)):
            return
        candidate = popup.candidates[row]
        popup.close()
        if candidate.outgoing:
            source_id, target_id = selected_id, candidate.span.id
        else:
            source_id, target_id = candidate.span.id, selected_id
        self._toggle(candidate.type, source_id, target_id)

    def _toggle(self, relation_type: RelationType, source_id: int, target_id: int) -> None:
        before = len(self.editor.relations)
        linked = self.editor.toggle_relation(relation_type.id, source_id, target_id)
        if len(self.editor.relations) == before:
            return  # refused; the editor said why
        self._status(
            self._describe("Linked" if linked else "Unlinked", relation_type, source_id, target_id)
        )

    def _describe(
        self, verb: str, relation_type: RelationType, source_id: int, target_id: int
    ) -> str:
        source = self.editor.span(source_id)
        target = self.editor.span(target_id)
        a = _one_line(source.quote, 40) if source else "?"
        b = _one_line(target.quote, 40) if target else "?"
        return f"{verb} {relation_type.name}: “{a}” → “{b}” (Ctrl+Z undoes it)."

    # Mouse ---------------------------------------------------------------------------------------
    def link_choices(self, a: Span, b: Span) -> list[tuple[RelationType, int, int]]:
        """Types linking `a` to `b`, or failing any `b` to `a`, as (type, source id, target id)."""
        schema = self.editor.schema
        forward = schema.relation_types_between(a.label_id, b.label_id)
        if forward:
            return [(t, a.id, b.id) for t in forward]
        return [(t, b.id, a.id) for t in schema.relation_types_between(b.label_id, a.label_id)]

    def choose_type(
        self, choices: Sequence[tuple[RelationType, int, int]], at: QPoint
    ) -> tuple[RelationType, int, int] | None:
        """Several types fit a drag: a small menu at the mouse says which."""
        menu = QMenu(self.window.widget())
        menu.setObjectName("linkTypeMenu")
        actions = []
        for relation_type, _source, _target in choices:
            actions.append(menu.addAction(_swatch(relation_type.colour), relation_type.name))
        chosen = menu.exec(at)
        return choices[actions.index(chosen)] if chosen in actions else None

    def link_by_drag(self, source_id: int, offset: int, at: QPoint) -> None:
        """Ctrl+drag ended over `offset`: link the start span with the span there."""
        start = self.editor.span(source_id)
        if start is None:
            return
        under = self.article.spans_at(offset) if offset >= 0 else []
        others = [s for s in under if s.id != source_id]
        if not others:
            if under:
                self.window.select_span(source_id)  # Ctrl+click: select, as a click does
            else:
                self._status("Drop on another span to link them.")
            return
        labels = self._labels()
        choices: list[tuple[RelationType, int, int]] = []
        for target in others:  # innermost first; the first span some type can link wins
            choices = self.link_choices(start, target)
            if choices:
                break
        if not choices:
            a = labels.get(start.label_id)
            b = labels.get(others[0].label_id)
            self._status(f"No link type between {a.name if a else '?'} and {b.name if b else '?'}.")
            return
        chosen = choices[0] if len(choices) == 1 else self.choose_type(choices, at)
        if chosen is None:
            return
        relation_type, source, target_id = chosen
        exists = any(
            (r.type_id, r.source_id, r.target_id) == (relation_type.id, source, target_id)
            for r in self.editor.relations
        )
        self.window.select_span(source_id)
        if exists:
            self._status(
                self._describe("Already linked", relation_type, source, target_id).replace(
                    " (Ctrl+Z undoes it).", " (L lists it to unlink)."
                )
            )
            return
        if self.editor.add_relation(relation_type.id, source, target_id) is not None:
            self._status(self._describe("Linked", relation_type, source, target_id))


def install(window: Window) -> None:
    """Add linking to the window: the Link… action (L), Ctrl+drag, and the Links dock."""
    LinkController(window)
    install_panel(window)
