"""The timeline: claims and dated events per actor over time, drawn with QPainter.

One lane per actor (the most frequent ones, then "other actors", "unattributed" and dates
without a claim). A claim sits at the period of the date it refers to: a dot for a day, a bar
across a week, month, year or decade. A claim without a date of its own sits, hollow, at its
article's publication date. Values whose year is unknown cannot be placed; the bottom-right
corner counts them. The view opens on the range of the dates present, and follows new data
until the user zooms or pans. The wheel (or + and -) zooms keeping the date under the cursor
in place, dragging pans, 0 fits everything, and a click on a claim opens it in its article.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.analysis.claims import (
    EVENTS,
    OTHERS,
    UNATTRIBUTED,
    Granularity,
    PointKind,
    Timeline,
    TimelinePoint,
    timeline,
)
from annotator.domain.claims import ClaimRow, DatedSpan
from annotator.ui.common.text import plain_tooltip

STANCE_COLOURS = {
    "positive": QColor("#009E73"),
    "neutral": QColor("#0072B2"),
    "negative": QColor("#D55E00"),
    "": QColor("#7F7F7F"),
}
EVENT_COLOUR = QColor("#E69F00")
LABEL_WIDTH = 170
AXIS_HEIGHT = 26
FOOTER_HEIGHT = 22
LANE_MIN, LANE_MAX = 18, 28
MIN_DAYS = 4.0
FIT_DAYS = 30.0  # the least range a fit shows (one dated claim: about a month around it)
FIT_MARGIN = 0.04  # the share of the dates' range left free at each side by a fit
FIRST_DAY = float(date(1, 1, 1).toordinal())
LAST_DAY = float(date(9999, 12, 31).toordinal())
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value: date) -> float:
    return float(value.toordinal())


def _colour(point: TimelinePoint) -> QColor:
    if point.kind is PointKind.EVENT:
        return EVENT_COLOUR
    return STANCE_COLOURS.get(point.stance, STANCE_COLOURS[""])


@dataclass(frozen=True, slots=True)
class _Tick:
    day: float
    label: str
    major: bool


def _month_index(day: float) -> int:
    d = date.fromordinal(max(1, int(day)))
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> float:
    return _day(date(index // 12, index % 12 + 1, 1))


def ticks(first: float, last: float, width: float, *, spacing: float = 80.0) -> list[_Tick]:
    """Axis ticks for the days [first, last] over `width` pixels: years, months or days,
    whichever keeps labels about `spacing` pixels apart."""
    per_day = width / max(last - first, 1e-9)
    found: list[_Tick] = []
    if 365.25 * per_day < spacing * 1.5 or last - first > 366 * 4:
        # Years (or decades, centuries...): a step with at least `spacing` pixels.
        step = 1
        for candidate in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000):
            step = candidate
            if candidate * 365.25 * per_day >= spacing:
                break
        year = max(1, date.fromordinal(max(1, int(first))).year // step * step)
        while year <= 9999:
            day = _day(date(year, 1, 1))
            if day > last:
                break
            if day >= first:
                found.append(_Tick(day, str(year), True))
            year += step
        return found
    if 30.4 * per_day >= spacing * 0.9 or last - first > 120:
        step = next((m for m in (1, 2, 3, 6) if m * 30.4 * per_day >= spacing), 12)
        index = _month_index(first) // step * step
        while index // 12 <= 9999:
            day = _month_start(index)
            if day > last:
                break
            if day >= first:
                month, year = index % 12, index // 12
                label = f"{MONTHS[month]} {year}" if month == 0 or not found else MONTHS[month]
                found.append(_Tick(day, label, month == 0))
            index += step
        return found
    step = next((d for d in (1, 2, 7, 14) if d * per_day >= spacing * 0.7), 14)
    day = math.floor(first)
    if step >= 7:  # weeks start on Mondays
        day -= date.fromordinal(max(1, int(day))).weekday()
    while day <= last:
        if day >= first and day >= 1:
            d = date.fromordinal(int(day))
            label = f"{d.day} {MONTHS[d.month - 1]}"
            if not found or (d.month == 1 and d.day <= step):
                label += f" {d.year}"
            found.append(_Tick(float(day), label, d.day == 1))
        day += step
    return found


class TimelinePlot(QWidget):
    """The plot itself; `set_timeline` gives it lanes and points."""

    sig_open = Signal(int, int, int)
    """A claim or date was clicked: (document id, span id, start offset)."""

    sig_range_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePlot")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(120)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._timeline = Timeline([], [], 0)
        self._by_lane: dict[str, list[TimelinePoint]] = {}
        self._starts: dict[str, list[float]] = {}
        self._ends: dict[str, list[float]] = {}
        self._widest: dict[str, float] = {}
        self._first, self._last = _day(date(2000, 1, 1)), _day(date(2030, 1, 1))
        self._top = 0  # the first lane shown (vertical scrolling)
        self._press: QPointF | None = None
        self._press_range = (self._first, self._last)
        self._dragged = False
        self._fitted = True  # the range is fitted to the data (the user did not move it)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.hide()
        self.scrollbar.valueChanged.connect(self._on_scrolled)

    # Data and range --------------------------------------------------------------------------
    def set_timeline(self, data: Timeline, *, fit: bool | None = None) -> None:
        """Show a timeline; the visible range is fitted to it the first time, and again while
        the user has not zoomed or panned since the last fit (or as `fit` says)."""
        first_time = not self._timeline.points
        self._timeline = data
        by_lane: dict[str, list[TimelinePoint]] = defaultdict(list)
        for point in data.points:
            by_lane[point.lane].append(point)
        self._by_lane = {}
        self._starts = {}
        self._ends = {}
        self._widest = {}
        for lane, points in by_lane.items():
            # Wide periods first, so that days and months are drawn on top of years.
            points.sort(key=lambda p: _day(p.interval.start))
            self._by_lane[lane] = points
            self._starts[lane] = [_day(p.interval.start) for p in points]
            self._ends[lane] = [_day(p.interval.end) for p in points]
            self._widest[lane] = max(
                e - b for b, e in zip(self._starts[lane], self._ends[lane], strict=True)
            )
        self._update_scrollbar()
        if fit or (fit is None and (first_time or self._fitted)):
            self.fit()
        else:
            self.update()

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    def visible_range(self) -> tuple[float, float]:
        """The days (proleptic Gregorian ordinals) at the left and right edges of the plot."""
        return self._first, self._last

    def visible_dates(self) -> tuple[date, date]:
        first, last = self.visible_range()
        return date.fromordinal(max(1, int(first))), date.fromordinal(max(1, int(last)))

    def set_range(self, first: float, last: float) -> None:
        span = min(max(last - first, MIN_DAYS), LAST_DAY - FIRST_DAY)
        middle = (first + last) / 2
        first = min(max(middle - span / 2, FIRST_DAY), LAST_DAY - span)
        self._first, self._last = first, first + span
        self.sig_range_changed.emit()
        self.update()

    def is_fitted(self) -> bool:
        """Whether the range is fitted to the data: the user has not zoomed or panned since."""
        return self._fitted

    def fit(self) -> None:
        """Show the range of the dates present, with a small margin: at least `FIT_DAYS`
        around a single date, and the last year when there is no date."""
        points = self._timeline.points
        if points:
            first = min(_day(p.interval.start) for p in points)
            last = max(_day(p.interval.end) for p in points)
        else:
            last = _day(date.today()) + 1
            first = last - 366
        span = last - first
        margin = max(span * FIT_MARGIN, (FIT_DAYS - span) / 2, 1.0)
        self.set_range(first - margin, last + margin)
        self._fitted = True

    def zoom(self, factor: float, at_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out around a widget x coordinate (default: the middle)."""
        plot = self._plot_rect()
        x = plot.center().x() if at_x is None else min(max(at_x, plot.left()), plot.right())
        anchor = self._day_at(x)
        share = (x - plot.left()) / max(plot.width(), 1.0)
        span = min(max((self._last - self._first) / factor, MIN_DAYS), LAST_DAY - FIRST_DAY)
        self.set_range(anchor - share * span, anchor - share * span + span)
        self._fitted = False

    def pan(self, pixels: float) -> None:
        days = pixels * (self._last - self._first) / max(self._plot_rect().width(), 1.0)
        self.set_range(self._first - days, self._last - days)
        self._fitted = False

    # Geometry --------------------------------------------------------------------------------
    def _plot_rect(self) -> QRectF:
        right = self.width() - (self.scrollbar.width() if self.scrollbar.isVisible() else 0) - 8
        return QRectF(LABEL_WIDTH, AXIS_HEIGHT, max(right - LABEL_WIDTH, 10), self._lanes_height())

    def _lanes_height(self) -> float:
        return max(self.height() - AXIS_HEIGHT - FOOTER_HEIGHT, 10)

    def _lane_height(self) -> float:
        lanes = max(len(self._timeline.lanes), 1)
        return min(max(self._lanes_height() / lanes, LANE_MIN), LANE_MAX)

    def _lanes_shown(self) -> int:
        return max(1, int(self._lanes_height() // self._lane_height()))

    def _x(self, day: float) -> float:
        plot = self._plot_rect()
        return plot.left() + (day - self._first) / (self._last - self._first) * plot.width()

    def _day_at(self, x: float) -> float:
        plot = self._plot_rect()
        return self._first + (x - plot.left()) / max(plot.width(), 1.0) * (self._last - self._first)

    def day_at(self, x: float) -> float:
        """The day (a proleptic Gregorian ordinal, with its fraction) at a widget x coordinate."""
        return self._day_at(x)

    def x_of(self, day: float) -> float:
        """The widget x coordinate where a day (ordinal) is drawn."""
        return self._x(day)

    def _lane_top(self, row: int) -> float:
        return AXIS_HEIGHT + (row - self._top) * self._lane_height()

    def _update_scrollbar(self) -> None:
        lanes = len(self._timeline.lanes)
        shown = self._lanes_shown()
        if lanes > shown:
            self.scrollbar.setRange(0, lanes - shown)
            self.scrollbar.setPageStep(shown)
            self.scrollbar.show()
        else:
            self.scrollbar.setRange(0, 0)
            self.scrollbar.hide()
            self._top = 0
        self.scrollbar.setGeometry(
            self.width() - self.scrollbar.sizeHint().width(),
            AXIS_HEIGHT,
            self.scrollbar.sizeHint().width(),
            int(self._lanes_height()),
        )

    def _on_scrolled(self, value: int) -> None:
        self._top = value
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._update_scrollbar()
        super().resizeEvent(event)

    # Painting --------------------------------------------------------------------------------
    def _shape(self, point: TimelinePoint, lane_top: float) -> QRectF:
        """Where a point is drawn: a dot for short periods, a bar for long ones."""
        middle = lane_top + self._lane_height() / 2
        x0, x1 = self._x(_day(point.interval.start)), self._x(_day(point.interval.end))
        if x1 - x0 < 9 or point.interval.granularity is Granularity.DAY:
            centre = (x0 + x1) / 2
            return QRectF(centre - 4.5, middle - 4.5, 9, 9)
        return QRectF(x0, middle - 4, x1 - x0, 8)

    def _visible_range(self, lane: str) -> range:
        """The indexes of the lane's points that may overlap the visible days."""
        starts = self._starts.get(lane)
        if not starts:
            return range(0)
        low = bisect.bisect_left(starts, self._first - self._widest[lane])
        return range(low, bisect.bisect_right(starts, self._last))

    def _visible_points(self, lane: str) -> list[TimelinePoint]:
        points, ends = self._by_lane.get(lane, []), self._ends.get(lane, [])
        return [points[i] for i in self._visible_range(lane) if ends[i] >= self._first]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        plot = self._plot_rect()
        text_colour = pal.color(QPalette.ColorRole.Text)
        faint = QColor(text_colour)
        faint.setAlpha(40)
        fm = QFontMetrics(self.font())

        # Lanes: alternate shading, titles on the left.
        lane_height = self._lane_height()
        shown = self._timeline.lanes[self._top : self._top + self._lanes_shown() + 1]
        painter.save()
        painter.setClipRect(QRectF(0, plot.top(), plot.right(), plot.height()))
        for row, lane in enumerate(shown, start=self._top):
            top = self._lane_top(row)
            if top > plot.bottom():
                break
            if row % 2:
                painter.fillRect(
                    QRectF(0, top, plot.right(), lane_height),
                    pal.color(QPalette.ColorRole.AlternateBase),
                )
            font = QFont(self.font())
            font.setItalic(not lane.linked or lane.key in (OTHERS, UNATTRIBUTED, EVENTS))
            painter.setFont(font)
            painter.setPen(text_colour)
            title = QFontMetrics(font).elidedText(
                f"{lane.title} ({lane.count})", Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12
            )
            painter.drawText(
                QRectF(6, top, LABEL_WIDTH - 10, lane_height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                title,
            )
        painter.restore()
        painter.setFont(self.font())

        # Axis: ticks with labels at the top, grid lines across the lanes.
        painter.setPen(QPen(faint, 1))
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.right(), plot.top()))
        for tick in ticks(self._first, self._last, plot.width()):
            x = self._x(tick.day)
            grid = QColor(text_colour)
            grid.setAlpha(70 if tick.major else 35)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text_colour)
            painter.drawText(QPointF(x + 3, AXIS_HEIGHT - 8), tick.label)

        # Points, clipped to the plot.
        painter.save()
        painter.setClipRect(plot)
        left, first = plot.left(), self._first
        per_day = plot.width() / (self._last - self._first)
        for row, lane in enumerate(shown, start=self._top):
            top = self._lane_top(row)
            points = self._by_lane.get(lane.key, [])
            starts, ends = self._starts.get(lane.key, []), self._ends.get(lane.key, [])
            drawn: set[tuple[int, int, str, PointKind]] = set()
            for i in self._visible_range(lane.key):
                if ends[i] < first:
                    continue
                # Thousands of claims fall on the same pixels when zoomed out: draw each
                # look (place, width, stance, kind) once.
                point = points[i]
                x0 = round(left + (starts[i] - first) * per_day)
                look = (x0, round((ends[i] - starts[i]) * per_day), point.stance, point.kind)
                if look not in drawn:
                    drawn.add(look)
                    self._paint_point(painter, point, top)
        painter.restore()

        # Footer: legend on the left, what cannot be placed in the right corner.
        painter.setPen(text_colour)
        y = self.height() - FOOTER_HEIGHT / 2
        x = 8.0
        for name, colour in (
            ("positive", STANCE_COLOURS["positive"]),
            ("neutral", STANCE_COLOURS["neutral"]),
            ("negative", STANCE_COLOURS["negative"]),
            ("no stance", STANCE_COLOURS[""]),
        ):
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QPointF(x + 4, y), 4, 4)
            painter.setPen(text_colour)
            painter.drawText(QPointF(x + 12, y + fm.ascent() / 2 - 1), name)
            x += 12 + fm.horizontalAdvance(name) + 14
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(STANCE_COLOURS[""], 1.5))
        painter.drawEllipse(QPointF(x + 4, y), 3.5, 3.5)
        painter.setPen(text_colour)
        label = "dated by publication"
        painter.drawText(QPointF(x + 12, y + fm.ascent() / 2 - 1), label)
        x += 12 + fm.horizontalAdvance(label) + 14
        self._diamond(painter, QPointF(x + 4, y), 4.5, EVENT_COLOUR)
        painter.setPen(text_colour)
        painter.drawText(QPointF(x + 12, y + fm.ascent() / 2 - 1), "date without claim")
        if self._timeline.unplaceable:
            n = self._timeline.unplaceable
            note = f"{n} not placed (year unknown or no date)"
            painter.drawText(
                QRectF(0, self.height() - FOOTER_HEIGHT, plot.right(), FOOTER_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                note,
            )
        if not self._timeline.points:
            painter.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No dated claims yet: link claims to DATE spans with values (TIME), "
                "or give articles a publication date.",
            )
        painter.end()

    @staticmethod
    def _diamond(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
        painter.setBrush(colour)
        painter.setPen(QPen(colour.darker(130), 1))
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(centre.x(), centre.y() - radius),
                    QPointF(centre.x() + radius, centre.y()),
                    QPointF(centre.x(), centre.y() + radius),
                    QPointF(centre.x() - radius, centre.y()),
                ]
            )
        )

    def _paint_point(self, painter: QPainter, point: TimelinePoint, lane_top: float) -> None:
        shape = self._shape(point, lane_top)
        colour = _colour(point)
        if point.kind is PointKind.EVENT:
            self._diamond(painter, shape.center(), 5, colour)
            return
        fill = QColor(colour)
        fill.setAlpha(190)
        hollow = point.kind is PointKind.PUBLISHED
        painter.setPen(QPen(colour.darker(120), 1.5 if hollow else 1))
        painter.setBrush(Qt.BrushStyle.NoBrush if hollow else QBrush(fill))
        if shape.width() <= 9.5:
            painter.drawEllipse(shape.adjusted(1, 1, -1, -1) if hollow else shape)
        else:
            path = QPainterPath()
            path.addRoundedRect(shape, 3, 3)
            painter.drawPath(path)

    # Hit testing -----------------------------------------------------------------------------
    def point_at(self, pos: QPointF | QPoint) -> TimelinePoint | None:
        """The point drawn under a widget position (the shortest period when several are)."""
        where = QPointF(pos)
        if not self._plot_rect().contains(where):
            return None
        row = int((where.y() - AXIS_HEIGHT) // self._lane_height()) + self._top
        if not 0 <= row < len(self._timeline.lanes):
            return None
        top = self._lane_top(row)
        hits = [
            p
            for p in self._visible_points(self._timeline.lanes[row].key)
            if self._shape(p, top).adjusted(-2, -3, 2, 3).contains(where)
        ]
        if not hits:
            return None
        return min(
            hits,
            key=lambda p: (
                _day(p.interval.end) - _day(p.interval.start),
                abs(self._shape(p, top).center().x() - where.x()),
            ),
        )

    def point_position(self, point: TimelinePoint) -> QPointF | None:
        """Where a point is drawn (its centre), if its lane is shown."""
        row = next(
            (i for i, lane in enumerate(self._timeline.lanes) if lane.key == point.lane), None
        )
        if row is None or not self._top <= row < self._top + self._lanes_shown():
            return None
        return self._shape(point, self._lane_top(row)).center()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = self.point_at(event.pos())
            if point is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), plain_tooltip(self._describe(point)), self)
            return True
        return super().event(event)

    @staticmethod
    def _describe(point: TimelinePoint) -> str:
        when = f"{point.value} ({point.interval.granularity.value})"
        if point.kind is PointKind.EVENT:
            return f"{point.text}\n{when}\n{point.document_title}"
        who = point.actor or "no source"
        dated = "published " if point.kind is PointKind.PUBLISHED else ""
        stance = f" · {point.stance}" if point.stance else ""
        return f"{point.text}\n— {who}{stance}\n{dated}{when} · {point.document_title}"

    # Input -----------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.scrollbar.isVisible():
            self.scrollbar.setValue(self.scrollbar.value() - int(steps))
        elif steps:
            self.zoom(1.25**steps, event.position().x())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / 1.5)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit()
        elif key == Qt.Key.Key_Left:
            self.pan(self._plot_rect().width() / 5)
        elif key == Qt.Key.Key_Right:
            self.pan(-self._plot_rect().width() / 5)
        elif key == Qt.Key.Key_Up and self.scrollbar.isVisible():
            self.scrollbar.setValue(self.scrollbar.value() - 1)
        elif key == Qt.Key.Key_Down and self.scrollbar.isVisible():
            self.scrollbar.setValue(self.scrollbar.value() + 1)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_range = (self._first, self._last)
            self._dragged = False
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            dx = event.position().x() - self._press.x()
            if abs(dx) > 3:
                self._dragged = True
            if self._dragged:
                days = (
                    dx
                    * (self._press_range[1] - self._press_range[0])
                    / max(self._plot_rect().width(), 1.0)
                )
                self.set_range(self._press_range[0] - days, self._press_range[1] - days)
                self._fitted = False
        else:
            over = self.point_at(event.position())
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.OpenHandCursor
            )
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            clicked = not self._dragged
            self._press = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            if clicked:
                point = self.point_at(event.position())
                if point is not None:
                    self.sig_open.emit(point.document_id, point.span_id, point.start)
        super().mouseReleaseEvent(event)


class TimelinePanel(QWidget):
    """The plot with a one-line guide and a button that fits everything."""

    sig_open = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = TimelinePlot(self)
        self.range_label = QLabel(self)
        self.range_label.setTextFormat(Qt.TextFormat.PlainText)
        guide = QLabel("Wheel or +/−: zoom · drag: move · click: open the claim", self)
        guide.setTextFormat(Qt.TextFormat.PlainText)
        guide.setEnabled(False)
        fit = QPushButton("Show all", self)
        fit.setToolTip("Fit every placed claim in view (0)")
        fit.clicked.connect(self.plot.fit)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.range_label)
        bar.addStretch(1)
        bar.addWidget(guide)
        bar.addWidget(fit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        self.plot.sig_open.connect(self.sig_open)
        self.plot.sig_range_changed.connect(self._show_range)
        self._show_range()

    def set_data(self, rows: Sequence[ClaimRow], events: Sequence[DatedSpan]) -> None:
        self.plot.set_timeline(timeline(rows, events))

    def set_timeline(self, data: Timeline) -> None:
        """Show a timeline computed elsewhere (off the GUI thread)."""
        self.plot.set_timeline(data)

    def _show_range(self) -> None:
        first, last = self.plot.visible_dates()
        self.range_label.setText(f"{first.isoformat()} – {last.isoformat()}")
