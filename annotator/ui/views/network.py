"""The actor network: who said what, who makes claims about whom, who is mentioned with whom.

Three modes. "Who said what" (the default, which the default schema fills) links each registry
actor to the claims it makes (SOURCE), claims drawn as small squares. "Who makes claims about
whom" links a claim's SOURCE actor to the actors the claim is linked to by another relation type
(TARGET...), weighted (width) by the number of claims; it is offered only when the schema has
such a type. "Who is mentioned with whom" links actors mentioned in the same documents,
weighted by the number of documents. Actors are sized by their linked mentions; the most
connected are shown, placed by a deterministic force layout. The wheel zooms; a double click
opens an actor's page or a claim in its article.
"""

from __future__ import annotations

import math
from collections import defaultdict
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
    QGraphicsRectItem,
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
from annotator.domain.model import Actor, Schema
from annotator.domain.schema import ACTOR, CLAIM, REPORTED_IN, SOURCE, TIME
from annotator.ui.common.text import plain_tooltip

SAID = "said"
CLAIMS_ABOUT = "claims_about"
MENTIONED_WITH = "mentioned_with"
# Each mode: its key, its name in the switch, what it shows (the switch's tooltip).
MODES: tuple[tuple[str, str, str], ...] = (
    (SAID, "Who said what", "Each actor and the claims it makes (SOURCE links)."),
    (
        CLAIMS_ABOUT,
        "Who makes claims about whom",
        "A claim's SOURCE actor and the actors the claim is about (TARGET or another relation "
        "type from claims to actors), by number of claims.",
    ),
    (
        MENTIONED_WITH,
        "Who is mentioned with whom",
        "Actors mentioned in the same documents, by number of documents.",
    ),
)
CLAIM_COLOUR = "#CC79A7"
MAX_NODES = 60
KIND_COLOURS = {
    "person": "#56B4E9",
    "organization": "#009E73",
    "state": "#CC79A7",
    "media": "#E69F00",
    "group": "#F0E442",
}
OTHER_COLOUR = "#BBBBBB"


def offered_modes(schema: Schema | None) -> list[str]:
    """The modes a schema can fill, in the switch's order: "who said what" needs a SOURCE
    type, "claims about whom" another relation type from claims to actors (as TARGET);
    "mentioned with whom" needs none. Without a schema, every mode."""
    if schema is None:
        return [key for key, _name, _tip in MODES]
    claim, actor = schema.label_named(CLAIM), schema.label_named(ACTOR)
    said = claim is not None and actor is not None and schema.relation_type_named(SOURCE)
    about = (
        claim is not None
        and actor is not None
        and any(
            t.name not in (SOURCE, TIME, REPORTED_IN)
            and t.source_label_id in (None, claim.id)
            and t.target_label_id in (None, actor.id)
            for t in schema.relation_types
        )
    )
    wanted = {SAID: bool(said), CLAIMS_ABOUT: about, MENTIONED_WITH: True}
    return [key for key, _name, _tip in MODES if wanted[key]]


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        self.title = actor.name
        kind = f" ({actor.kind})" if actor.kind else ""
        noun = "mention" if mentions == 1 else "mentions"
        self.setToolTip(
            plain_tooltip(f"{actor.name}{kind}\n{mentions} {noun}\nDouble click: actor page")
        )
        label = _NodeLabel(_short(actor.name, 28), self)
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        label.setPos(radius * 0.75, radius * 0.75)
        self.label = label


class ClaimNode(QGraphicsRectItem):
    """A claim in "who said what": a small square with the start of its quote."""

    def __init__(self, row: ClaimRow, radius: float = 5.0) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.row = row
        self.radius = radius
        self.title = _short(row.text, 40)
        self.setBrush(QBrush(QColor(CLAIM_COLOUR)))
        self.setPen(QPen(QColor("#333333"), 1))
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        who = "; ".join(ref.name for ref in row.sources) or "no source"
        self.setToolTip(
            plain_tooltip(
                f"{_short(row.text, 300)}\n— {who}\n{row.document_title}\n"
                "Double click: open the claim"
            )
        )
        label = _NodeLabel(_short(row.text, 48), self)
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        label.setPos(radius, radius * 0.5)
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


_Node = ActorNode | ClaimNode


class NetworkView(QGraphicsView):
    """The graph; the wheel zooms around the cursor, dragging moves."""

    sig_node_activated = Signal(int)
    """An actor was double clicked: its registry id."""

    sig_claim_activated = Signal(object)
    """A claim was double clicked: its ClaimRow."""

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
        if isinstance(node, ActorNode):
            self.sig_node_activated.emit(node.actor.id)
            event.accept()
            return
        if isinstance(node, ClaimNode):
            self.sig_claim_activated.emit(node.row)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def node_at(self, pos: object) -> _Node | None:
        """The actor or claim drawn at a viewport position (or whose name is drawn there)."""
        for item in self.items(pos):  # type: ignore[call-overload]
            while item is not None and not isinstance(item, ActorNode | ClaimNode):
                item = item.parentItem()
            if isinstance(item, ActorNode | ClaimNode):
                return item
        return None


class NetworkPanel(QWidget):
    """A switch between the networks the schema can fill, a line saying what is shown, and
    the graph."""

    sig_actor_chosen = Signal(int)
    """Show this registry actor's page."""

    sig_claim_chosen = Signal(int, int, int)
    """Go to a claim: (document id, span id, start offset)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox(self)
        self.mode.setObjectName("networkMode")
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
        self._claims: list[ClaimRow] = []
        self._claims_about: list[Edge] = []
        self._mentioned_with: list[Edge] = []
        self._nodes: dict[int, ActorNode] = {}
        self._claim_nodes: dict[int, ClaimNode] = {}
        self._shown_claims: dict[int, ClaimRow] = {}
        # Graph keys: registry actor ids, and for claims ("who said what") minus their span id.
        self._edges: list[Edge] = []
        self._shown_key: tuple[object, ...] | None = None
        self._positions: dict[int, tuple[float, float]] = {}
        self._directed = True
        self._weighted = True
        self._fill_modes(offered_modes(None))
        self.mode.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.view.sig_node_activated.connect(self.sig_actor_chosen)
        self.view.sig_claim_activated.connect(self._on_claim_activated)
        self.view.sig_resized.connect(self._on_view_resized)

    def _fill_modes(self, keys: Sequence[str]) -> None:
        current = self.mode.currentData()
        self.mode.blockSignals(True)
        self.mode.clear()
        for key, name, tip in MODES:
            if key in keys:
                self.mode.addItem(name, key)
                self.mode.setItemData(
                    self.mode.count() - 1, plain_tooltip(tip), Qt.ItemDataRole.ToolTipRole
                )
        at = self.mode.findData(current) if current is not None else -1
        self.mode.setCurrentIndex(max(at, 0))
        self.mode.blockSignals(False)

    def set_schema(self, schema: Schema) -> None:
        """Offer only the modes this schema can fill (a mode whose relation type is missing
        would always be empty)."""
        before = self.mode.currentData()
        self._fill_modes(offered_modes(schema))
        if self.mode.currentData() != before:
            self.rebuild()

    def modes(self) -> list[str]:
        """The modes offered, in the switch's order."""
        return [self.mode.itemData(i) for i in range(self.mode.count())]

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
            claims=rows,
        )

    def set_graph(
        self,
        actors: Mapping[int, Actor],
        mention_counts: Mapping[int, int],
        claims_about: Sequence[Edge],
        mentioned_with: Sequence[Edge],
        *,
        claims: Sequence[ClaimRow] = (),
    ) -> None:
        """Show networks whose edges were computed elsewhere (off the GUI thread); `claims`
        are the rows "who said what" draws."""
        self._actors = dict(actors)
        self._mentions = dict(mention_counts)
        self._claims = list(claims)
        self._claims_about = list(claims_about)
        self._mentioned_with = list(mentioned_with)
        self.rebuild()

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(max(self.mode.findData(mode), 0))

    def nodes(self) -> dict[int, ActorNode]:
        """The actors drawn, by registry id."""
        return dict(self._nodes)

    def claim_nodes(self) -> dict[int, ClaimNode]:
        """The claims drawn ("who said what"), by span id."""
        return dict(self._claim_nodes)

    def edges(self) -> list[Edge]:
        """The links drawn, between registry ids; in "who said what", from an actor's id to a
        claim's span id."""
        return [Edge(e.source, abs(e.target), e.weight) for e in self._edges]

    def _said(self) -> tuple[list[int], list[Edge], int, dict[int, ClaimRow]]:
        """Who said what: the actors with the most claims, each with its claims, within the
        node limit; (graph keys, edges, number of actors with a claim, claims by span id)."""
        by_actor: dict[int, list[ClaimRow]] = defaultdict(list)
        for row in self._claims:
            for actor_id in dict.fromkeys(row.actor_ids):
                if actor_id in self._actors:
                    by_actor[actor_id].append(row)
        nodes: list[int] = []
        edges: list[Edge] = []
        claims: dict[int, ClaimRow] = {}
        for actor_id in sorted(by_actor, key=lambda a: (-len(by_actor[a]), a)):
            if len(nodes) >= MAX_NODES:
                break
            nodes.append(actor_id)
            for row in by_actor[actor_id]:
                if row.span_id not in claims:
                    if len(nodes) >= MAX_NODES:
                        break
                    claims[row.span_id] = row
                    nodes.append(-row.span_id)
                edges.append(Edge(actor_id, -row.span_id, 1))
        return nodes, edges, len(by_actor), claims

    def rebuild(self) -> None:
        mode = self.mode.currentData()
        claims: dict[int, ClaimRow] = {}
        if mode == SAID:
            nodes, edges, total, claims = self._said()
        else:
            all_edges = self._claims_about if mode == CLAIMS_ABOUT else self._mentioned_with
            all_edges = [
                e for e in all_edges if e.source in self._actors and e.target in self._actors
            ]
            nodes, edges = strongest(all_edges, limit=MAX_NODES)
            total = len({n for e in all_edges for n in (e.source, e.target)})
        actor_ids = [n for n in nodes if n > 0]
        key: tuple[object, ...] = (
            mode,
            tuple(nodes),
            tuple(edges),
            tuple(self._mentions.get(n, 0) for n in actor_ids),
            tuple((self._actors[n].name, self._actors[n].kind) for n in actor_ids),
            tuple((r.text, r.document_title) for r in claims.values()),
        )
        if key == self._shown_key:
            return  # nothing changed: keep the zoom and scroll position
        self._shown_key = key
        self.scene.clear()
        self._nodes, self._claim_nodes, self._edges, self._positions = {}, {}, edges, {}
        self._shown_claims = claims
        if not nodes:
            self.info.setText("")
            text = self.scene.addSimpleText(self._empty_text(mode))
            text.setBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
            self.view.resetTransform()
            self.view.setSceneRect(text.boundingRect().adjusted(-20, -20, 20, 20))
            return
        shown = len(actor_ids)
        actors = f"{shown} actors" if total == shown else f"{shown} of {total} actors"
        if mode == SAID:
            noun = "claim" if len(claims) == 1 else "claims"
            self.info.setText(
                f"{actors}, {len(claims)} {noun}; an arrow from each actor to the claims it "
                "makes; double click an actor for its page, a claim to open it"
            )
        else:
            what = "claims" if mode == CLAIMS_ABOUT else "shared documents"
            self.info.setText(
                f"{actors}, {len(edges)} links; line width: number of {what}; "
                "double click an actor for its page"
            )
        # "Who said what" keeps its nodes' order (each actor, then its claims) for its columns.
        self._positions = {n: (0.0, 0.0) for n in nodes} if mode == SAID else layout(nodes, edges)
        self._directed = mode != MENTIONED_WITH
        self._weighted = mode != SAID  # one claim, one arrow: all of one width
        self._draw()

    @staticmethod
    def _empty_text(mode: object) -> str:
        if mode == SAID:
            return (
                "No claim has a SOURCE linked to a registry actor yet: link claims to the "
                "actors who make them (SOURCE), and give those actors an identity."
            )
        if mode == CLAIMS_ABOUT:
            return (
                "No claim is linked to an actor it is about yet: link claims to actors with "
                "a relation type such as TARGET (CLAIM → ACTOR)."
            )
        return "No document mentions two actors of the registry yet."

    def _draw(self) -> None:
        """Place the nodes to fill the view at scale 1 (the wheel zooms from there)."""
        self.scene.clear()
        self._nodes, self._claim_nodes = {}, {}
        viewport = self.view.viewport().size()
        said = not self._weighted
        if said:
            places = self._said_places(viewport.width())
        else:
            spread_x = max(viewport.width() / 2 - 110, 140.0)
            spread_y = max(viewport.height() / 2 - 36, 70.0)
            places = {k: (x * spread_x, y * spread_y) for k, (x, y) in self._positions.items()}
        most = max((self._mentions.get(n, 0) for n in places if n > 0), default=1) or 1
        for key, (x, y) in places.items():
            node: _Node
            if key > 0:
                mentions = self._mentions.get(key, 0)
                share = math.sqrt(mentions / most)
                radius = 5 + 9 * share if said else 6 + 14 * share
                node = ActorNode(self._actors[key], mentions, radius)
                self._nodes[key] = node
            else:
                node = ClaimNode(self._shown_claims[-key])
                self._claim_nodes[-key] = node
            if said:
                # Actors' names to the left of the column of actors, claims' to the right of
                # the column of claims: the arrows between them cross no text.
                height = node.label.boundingRect().height()
                width = node.label.boundingRect().width()
                x_label = -width - node.radius - 4 if key > 0 else node.radius + 4
                node.label.setPos(x_label, -height / 2)
            node.setPos(x, y)
            self.scene.addItem(node)
        heaviest = max((e.weight for e in self._edges), default=1)
        for edge in self._edges:
            self.scene.addItem(self._edge_item(edge, heaviest, directed=self._directed))
        self.view.resetTransform()
        rect = self.scene.itemsBoundingRect().adjusted(-30, -20, 30, 20)
        self.view.setSceneRect(rect)
        if said:  # the top of the list
            self.view.centerOn(rect.center().x(), rect.top() + viewport.height() / 2)
        else:
            self.view.centerOn(0, 0)

    def _said_places(self, width: int) -> dict[int, tuple[float, float]]:
        """Who said what as two columns: each actor's claims one under another on the right,
        the actor on the left level with the middle of its claims."""
        row = max(self.fontMetrics().height() + 6, 22)
        x_claims = max(240.0, width * 0.3)
        places: dict[int, tuple[float, float]] = {}
        y = 0.0
        actor: int | None = None
        rows: list[float] = []

        def place_actor() -> float:
            if actor is None:
                return 0.0
            if rows:
                places[actor] = (0.0, sum(rows) / len(rows))
                return row / 2  # a gap between actors
            places[actor] = (0.0, y)  # its claims are drawn under another actor
            return float(row)

        for key in self._positions:
            if key > 0:
                y += place_actor()
                actor, rows = key, []
            else:
                places[key] = (x_claims, y)
                rows.append(y)
                y += row
        place_actor()
        return places

    def _item(self, key: int) -> _Node:
        return self._nodes[key] if key > 0 else self._claim_nodes[-key]

    def _on_view_resized(self) -> None:
        if (self._nodes or self._claim_nodes) and self.view.transform().isIdentity():
            self._draw()

    def _on_claim_activated(self, row: ClaimRow) -> None:
        self.sig_claim_chosen.emit(row.document_id, row.span_id, row.start)

    def _edge_item(self, edge: Edge, heaviest: int, *, directed: bool) -> EdgeItem:
        a, b = self._item(edge.source), self._item(edge.target)
        start, end = a.pos(), b.pos()
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        width = 1.0 + 7.0 * math.sqrt(edge.weight / heaviest) if self._weighted else 1.5
        path = QPainterPath()
        if directed:
            # Both directions may exist between actors: bend each to its own side.
            bend = 0.12 if self._weighted else 0.0
            nx, ny = -uy * bend, ux * bend
            p0 = QPointF(start.x() + ux * a.radius, start.y() + uy * a.radius)
            p1 = QPointF(end.x() - ux * (b.radius + 2), end.y() - uy * (b.radius + 2))
            control = QPointF(
                (p0.x() + p1.x()) / 2 + nx * length,
                (p0.y() + p1.y()) / 2 + ny * length,
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
            if isinstance(b, ClaimNode):
                text = f"{a.title} said: {b.title}"
            else:
                noun = "claim" if edge.weight == 1 else "claims"
                text = f"{a.title} → {b.title}: {edge.weight} {noun} about"
        else:
            path.moveTo(start)
            path.lineTo(end)
            noun = "document" if edge.weight == 1 else "documents"
            text = f"{a.title} and {b.title}: mentioned together in {edge.weight} {noun}"
        return EdgeItem(edge, path, width, text)

    def scene_rect(self) -> QRectF:
        return self.view.sceneRect()
