"""The actor network: who makes claims about whom, and who is mentioned with whom.

Nodes are registry actors, sized by their linked mentions; edges are weighted (width) by the
number of claims ("claims about": SOURCE actor -> actor linked by TARGET or another type,
directed) or of documents ("mentioned with", undirected). The most connected actors are
shown, placed by a deterministic force layout. The wheel zooms; a double click on an actor
opens its page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from annotator.analysis.claims import (
    Edge,
    claims_about_edges,
    layout,
    mentioned_with_edges,
    strongest,
)
from annotator.domain.claims import ClaimRow
from annotator.domain.model import Actor
from annotator.ui.common.text import plain_tooltip

CLAIMS_ABOUT = "claims_about"
MENTIONED_WITH = "mentioned_with"
MAX_NODES = 60
KIND_COLOURS = {
    "person": "#56B4E9",
    "organization": "#009E73",
    "state": "#CC79A7",
    "media": "#E69F00",
    "group": "#F0E442",
}
OTHER_COLOUR = "#BBBBBB"


class _NodeLabel(QGraphicsSimpleTextItem):
    """An actor's name on a light ground, so that it stays readable over edges."""

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        ground = QColor(widget.palette().color(QPalette.ColorRole.Base) if widget else "white")
        ground.setAlpha(200)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ground)
        painter.drawRoundedRect(self.boundingRect().adjusted(-2, 0, 2, 0), 3, 3)
        super().paint(painter, option, widget)


class ActorNode(QGraphicsEllipseItem):
    def __init__(self, actor: Actor, mentions: int, radius: float) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.actor = actor
        self.radius = radius
        self.setBrush(QBrush(QColor(KIND_COLOURS.get(actor.kind or "", OTHER_COLOUR))))
        self.setPen(QPen(QColor("#333333"), 1))
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        kind = f" ({actor.kind})" if actor.kind else ""
        noun = "mention" if mentions == 1 else "mentions"
        self.setToolTip(
            plain_tooltip(f"{actor.name}{kind}\n{mentions} {noun}\nDouble click: actor page")
        )
        name = actor.name if len(actor.name) <= 28 else actor.name[:27] + "…"
        label = _NodeLabel(name, self)
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        label.setPos(radius * 0.75, radius * 0.75)
        self.label = label


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: Edge, path: QPainterPath, width: float, text: str) -> None:
        super().__init__(path)
        self.edge = edge
        colour = QColor("#555555")
        colour.setAlpha(150)
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        self.setZValue(1)
        self.setToolTip(plain_tooltip(text))


class NetworkView(QGraphicsView):
    """The graph; the wheel zooms around the cursor, dragging moves."""

    sig_node_activated = Signal(int)
    sig_resized = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("networkView")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sig_resized.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(1.2**steps)
        event.accept()

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11()
        factor = min(max(factor, 0.05 / scale), 8.0 / scale)
        self.scale(factor, factor)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node = self.node_at(event.position().toPoint())
        if node is not None:
            self.sig_node_activated.emit(node.actor.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def node_at(self, pos: object) -> ActorNode | None:
        for item in self.items(pos):  # type: ignore[call-overload]
            while item is not None and not isinstance(item, ActorNode):
                item = item.parentItem()
            if isinstance(item, ActorNode):
                return item
        return None


class NetworkPanel(QWidget):
    """A switch between the two networks, a line saying what is shown, and the graph."""

    sig_actor_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox(self)
        self.mode.setObjectName("networkMode")
        self.mode.addItem("Who makes claims about whom", CLAIMS_ABOUT)
        self.mode.addItem("Who is mentioned with whom", MENTIONED_WITH)
        self.info = QLabel(self)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.scene = QGraphicsScene(self)
        self.view = NetworkView(self.scene, self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.mode)
        bar.addWidget(self.info, 1)
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(4, 4, 4, 4)
        layout_.setSpacing(2)
        layout_.addLayout(bar)
        layout_.addWidget(self.view, 1)
        self._actors: dict[int, Actor] = {}
        self._mentions: dict[int, int] = {}
        self._claims_about: list[Edge] = []
        self._mentioned_with: list[Edge] = []
        self._nodes: dict[int, ActorNode] = {}
        self._edges: list[Edge] = []
        self._shown_key: tuple[object, ...] | None = None
        self._positions: dict[int, tuple[float, float]] = {}
        self._directed = True
        self.mode.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.view.sig_node_activated.connect(self.sig_actor_chosen)
        self.view.sig_resized.connect(self._on_view_resized)

    def set_data(
        self,
        rows: Sequence[ClaimRow],
        actors: Mapping[int, Actor],
        mention_counts: Mapping[int, int],
        actor_documents: Iterable[tuple[int, int]],
    ) -> None:
        """Show the networks of these claims and co-mentions."""
        self.set_graph(
            actors,
            mention_counts,
            claims_about_edges(rows),
            mentioned_with_edges(actor_documents),
        )

    def set_graph(
        self,
        actors: Mapping[int, Actor],
        mention_counts: Mapping[int, int],
        claims_about: Sequence[Edge],
        mentioned_with: Sequence[Edge],
    ) -> None:
        """Show networks whose edges were computed elsewhere (off the GUI thread)."""
        self._actors = dict(actors)
        self._mentions = dict(mention_counts)
        self._claims_about = list(claims_about)
        self._mentioned_with = list(mentioned_with)
        self.rebuild()

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(max(self.mode.findData(mode), 0))

    def nodes(self) -> dict[int, ActorNode]:
        return dict(self._nodes)

    def edges(self) -> list[Edge]:
        return list(self._edges)

    def rebuild(self) -> None:
        mode = self.mode.currentData()
        all_edges = self._claims_about if mode == CLAIMS_ABOUT else self._mentioned_with
        all_edges = [e for e in all_edges if e.source in self._actors and e.target in self._actors]
        nodes, edges = strongest(all_edges, limit=MAX_NODES)
        key: tuple[object, ...] = (
            mode,
            tuple(nodes),
            tuple(edges),
            tuple(self._mentions.get(n, 0) for n in nodes),
            tuple((self._actors[n].name, self._actors[n].kind) for n in nodes),
        )
        if key == self._shown_key:
            return  # nothing changed: keep the zoom and scroll position
        self._shown_key = key
        self.scene.clear()
        self._nodes, self._edges, self._positions = {}, edges, {}
        total = len({n for e in all_edges for n in (e.source, e.target)})
        if not nodes:
            self.info.setText("")
            empty = (
                "No claim is linked to an actor it is about yet: add a relation type such as "
                "TARGET (CLAIM → ACTOR) and link claims with it."
                if mode == CLAIMS_ABOUT
                else "No document mentions two actors of the registry yet."
            )
            text = self.scene.addSimpleText(empty)
            text.setBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
            self.view.resetTransform()
            self.view.setSceneRect(text.boundingRect().adjusted(-20, -20, 20, 20))
            return
        what = "claims" if mode == CLAIMS_ABOUT else "shared documents"
        shown = f"{len(nodes)} actors" if total == len(nodes) else f"{len(nodes)} of {total} actors"
        self.info.setText(
            f"{shown}, {len(edges)} links; line width: number of {what}; "
            "double click an actor for its page"
        )
        self._positions = layout(nodes, edges)
        self._directed = mode == CLAIMS_ABOUT
        self._draw()

    def _draw(self) -> None:
        """Place the nodes to fill the view at scale 1 (the wheel zooms from there)."""
        self.scene.clear()
        self._nodes = {}
        viewport = self.view.viewport().size()
        spread_x = max(viewport.width() / 2 - 110, 140.0)
        spread_y = max(viewport.height() / 2 - 36, 70.0)
        most = max((self._mentions.get(n, 0) for n in self._positions), default=1) or 1
        for actor_id, (x, y) in self._positions.items():
            mentions = self._mentions.get(actor_id, 0)
            radius = 6 + 14 * math.sqrt(mentions / most)
            node = ActorNode(self._actors[actor_id], mentions, radius)
            node.setPos(x * spread_x, y * spread_y)
            self.scene.addItem(node)
            self._nodes[actor_id] = node
        heaviest = max((e.weight for e in self._edges), default=1)
        for edge in self._edges:
            self.scene.addItem(self._edge_item(edge, heaviest, directed=self._directed))
        self.view.resetTransform()
        self.view.setSceneRect(self.scene.itemsBoundingRect().adjusted(-30, -20, 30, 20))
        self.view.centerOn(0, 0)

    def _on_view_resized(self) -> None:
        if self._nodes and self.view.transform().isIdentity():
            self._draw()

    def _edge_item(self, edge: Edge, heaviest: int, *, directed: bool) -> EdgeItem:
        a, b = self._nodes[edge.source], self._nodes[edge.target]
        start, end = a.pos(), b.pos()
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        width = 1.0 + 7.0 * math.sqrt(edge.weight / heaviest)
        path = QPainterPath()
        if directed:
            # Both directions may exist: bend each to its own side.
            nx, ny = -uy, ux
            p0 = QPointF(start.x() + ux * a.radius, start.y() + uy * a.radius)
            p1 = QPointF(end.x() - ux * (b.radius + 2), end.y() - uy * (b.radius + 2))
            control = QPointF(
                (p0.x() + p1.x()) / 2 + nx * length * 0.12,
                (p0.y() + p1.y()) / 2 + ny * length * 0.12,
            )
            path.moveTo(p0)
            path.quadTo(control, p1)
            # An arrowhead along the curve's last direction.
            tx, ty = p1.x() - control.x(), p1.y() - control.y()
            tl = math.hypot(tx, ty) or 1.0
            tx, ty = tx / tl, ty / tl
            size = 6 + width
            left = QPointF(
                p1.x() - tx * size - ty * size * 0.5, p1.y() - ty * size + tx * size * 0.5
            )
            right = QPointF(
                p1.x() - tx * size + ty * size * 0.5, p1.y() - ty * size - tx * size * 0.5
            )
            path.moveTo(left)
            path.lineTo(p1)
            path.lineTo(right)
            noun = "claim" if edge.weight == 1 else "claims"
            text = f"{a.actor.name} → {b.actor.name}: {edge.weight} {noun} about"
        else:
            path.moveTo(start)
            path.lineTo(end)
            noun = "document" if edge.weight == 1 else "documents"
            text = f"{a.actor.name} and {b.actor.name}: mentioned together in {edge.weight} {noun}"
        return EdgeItem(edge, path, width, text)

    def scene_rect(self) -> QRectF:
        return self.view.sceneRect()
