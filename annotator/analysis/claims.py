"""Claims across the corpus as rows, timeline points and network edges. Pure functions.

- `claim_rows` joins what the store read (`ClaimCorpus`) into one `ClaimRow` per claim.
- `date_interval` reads a TIMEX3-style value as the period it covers, [start, end).
- `timeline` places claims (at the date they refer to; a claim without one at its document's
  publication date) and dated events on lanes, one per actor.
- `claims_about_edges`, `mentioned_with_edges` and `layout` make the actor network.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from annotator.domain.claims import ActorRef, ClaimCorpus, ClaimLink, ClaimRow, DatedSpan
from annotator.domain.date_values import value_bounds
from annotator.domain.model import Actor
from annotator.domain.schema import ACTOR, CLAIM, DATE, REPORTED_IN, SOURCE, TIME

# Rows ----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _ref(link: ClaimLink, actors: dict[int, Actor]) -> ActorRef:
    actor = actors.get(link.target_actor_id) if link.target_actor_id is not None else None
    if actor is None:
        return ActorRef(link.target_quote)
    return ActorRef(actor.name, actor.id, actor.key)


def _unique(refs: list[ActorRef]) -> tuple[ActorRef, ...]:
    return tuple(dict.fromkeys(refs)) if len(refs) > 1 else tuple(refs)


def claim_rows(corpus: ClaimCorpus) -> list[ClaimRow]:
    """One row per claim, in document order: SOURCE actors, TIME dates, attributes, the
    SOURCE actors of the claims it is REPORTED_IN, and actors linked by any other type."""
    by_claim: dict[int, list[ClaimLink]] = defaultdict(list)
    for link in sorted(corpus.links, key=lambda k: (k.target_start, k.target_id)):
        by_claim[link.claim_id].append(link)
    actors = corpus.actors
    sources: dict[int, tuple[ActorRef, ...]] = {}
    for claim_id, links in by_claim.items():
        found = [_ref(k, actors) for k in links if k.type_name == SOURCE]
        if found:
            sources[claim_id] = _unique(found)
    rows = []
    no_links: list[ClaimLink] = []
    for claim in corpus.claims:
        dates: list[str] = []
        date_quotes: list[str] = []
        reported_in: list[int] = []
        targets: list[ActorRef] = []
        for k in by_claim.get(claim.span_id, no_links):
            kind = k.type_name
            if kind == SOURCE:
                continue
            if kind == TIME:
                if k.target_label == DATE:
                    dates.append(k.target_value)
                    date_quotes.append(k.target_quote)
            elif kind == REPORTED_IN:
                if k.target_label == CLAIM:
                    reported_in.append(k.target_id)
            elif k.target_label == ACTOR or k.target_actor_id is not None:
                targets.append(_ref(k, actors))
        according_to: tuple[ActorRef, ...] = ()
        if reported_in:
            according_to = _unique([r for i in reported_in for r in sources.get(i, ())])
        doc = corpus.documents.get(claim.document_id)
        attrs = claim.attributes if isinstance(claim.attributes, dict) else {}
        rows.append(
            ClaimRow(
                span_id=claim.span_id,
                document_id=claim.document_id,
                document_title=doc.title if doc else "",
                outlet=(doc.source or "") if doc else "",
                published=(doc.published or "") if doc else "",
                text=claim.quote,
                start=claim.start,
                end=claim.end,
                sources=sources.get(claim.span_id, ()),
                dates=tuple(dates),
                date_quotes=tuple(date_quotes),
                quote_type=_text(attrs.get("quote_type")),
                stance=_text(attrs.get("stance")),
                reporting_verb=_text(attrs.get("reporting_verb")),
                hedged=_flag(attrs.get("hedged")),
                check_worthy=_flag(attrs.get("check_worthy")),
                reported_in=tuple(reported_in),
                according_to=according_to,
                targets=_unique(targets),
            )
        )
    return rows


# Dates ---------------------------------------------------------------------------------------


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


@dataclass(frozen=True, slots=True)
class Interval:
    """The period a date value covers: from `start` to `end`, end exclusive."""

    start: date
    end: date
    granularity: Granularity


_CALENDAR = re.compile(r"(\d{4}|XXXX)(?:-(\d{1,2}|XX)(?:-(\d{1,2}|XX))?)?(?:[T ].*)?")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")
_DECADE = re.compile(r"(\d{3})X?")
_CENTURY = re.compile(r"(\d{2})(?:XX)?")
_PERIOD = re.compile(r"-(?:SP|SU|FA|WI|Q[1-4]|H[12])$|T(?:MO|AF|EV|NI)$|-W\d{2}-WE$")


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def date_interval(value: str) -> Interval | None:
    """The period of a TIMEX3-style value, or None when it cannot be placed in time.

    "2024-02-18" (also with a time of day, or a publication date-time) is that day; "2023-09"
    is September; "2023" the year; "2024-W07" the ISO week; "199" the 1990s; "20" 2000-2099;
    seasons, quarters, halves, parts of day and ranges ("2025-SU", "2025-Q1",
    "2025-04-11/2025-04-20") cover their days.
    A value whose year is unknown ("XXXX-02-18") cannot be placed; one whose month is unknown
    ("2024-XX-03") is placed as its year.
    """
    text = value.strip().upper()
    if "/" in text or _PERIOD.search(text):
        # Ranges, seasons, quarters, halves and parts of day: the days they cover.
        bounds = value_bounds(text)
        if bounds is None:
            return None
        start, last = bounds
        days = (last - start).days + 1
        granularity = Granularity.DAY if days == 1 else Granularity.MONTH
        if days > 31:
            granularity = Granularity.YEAR
        return Interval(start, last + timedelta(days=1), granularity)
    try:
        if match := _WEEK.fullmatch(text):
            start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Interval(start, start + timedelta(days=7), Granularity.WEEK)
        if match := _DECADE.fullmatch(text):
            first = int(match[1]) * 10
            if first == 0:
                return None
            return Interval(date(first, 1, 1), date(first + 10, 1, 1), Granularity.DECADE)
        if match := _CENTURY.fullmatch(text):
            first = max(1, int(match[1]) * 100)
            return Interval(date(first, 1, 1), date(first + 100, 1, 1), Granularity.CENTURY)
        match = _CALENDAR.fullmatch(text)
        if match is None or match[1] == "XXXX":
            return None
        year = int(match[1])
        month = None if match[2] in (None, "XX") else int(match[2])
        day = None if match[3] in (None, "XX") or month is None else int(match[3])
        if month is None:
            return Interval(date(year, 1, 1), date(year + 1, 1, 1), Granularity.YEAR)
        if day is None:
            start = date(year, month, 1)
            return Interval(start, _next_month(start), Granularity.MONTH)
        start = date(year, month, day)
        return Interval(start, start + timedelta(days=1), Granularity.DAY)
    except (ValueError, OverflowError):  # month 13, 30 February, year 0 or past 9999
        return None


# Timeline ------------------------------------------------------------------------------------

UNATTRIBUTED = "unattributed"
OTHERS = "others"
EVENTS = "events"


class PointKind(StrEnum):
    CLAIM = "claim"  # dated by a TIME link
    PUBLISHED = "published"  # a claim without a date of its own, at its document's date
    EVENT = "event"  # a DATE span that no claim links to


@dataclass(frozen=True, slots=True)
class Lane:
    key: str  # "actor:<id>", "name:<text>" for an unlinked mention, or one of the constants
    title: str
    count: int
    linked: bool = True  # False for an actor known only by an unlinked mention


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    lane: str
    interval: Interval
    kind: PointKind
    text: str  # the claim or the date's text
    value: str  # the date value it was placed by
    actor: str
    stance: str
    document_id: int
    document_title: str
    span_id: int
    start: int  # the span's offset in its document


@dataclass(frozen=True, slots=True)
class Timeline:
    lanes: list[Lane]
    points: list[TimelinePoint]
    unplaceable: int  # claims and events whose date cannot be placed (unknown year, none)


def _lane_key(ref: ActorRef) -> str:
    return f"actor:{ref.actor_id}" if ref.actor_id is not None else f"name:{ref.name.casefold()}"


def timeline(
    rows: Sequence[ClaimRow], events: Sequence[DatedSpan] = (), *, top: int = 12
) -> Timeline:
    """Lanes for the `top` actors with most placed claims, then "other actors",
    "unattributed" (claims without SOURCE) and "dated events"; a claim with several
    sources appears on each source's lane."""
    placed: list[TimelinePoint] = []
    titles: dict[str, tuple[str, bool]] = {}
    unplaceable = 0
    for row in rows:
        intervals = [(v, date_interval(v)) for v in row.dates if v]
        kind = PointKind.CLAIM
        if not intervals and row.published:
            # No date of its own: the claim was made by the time its article appeared.
            intervals = [(row.published, date_interval(row.published))]
            kind = PointKind.PUBLISHED
        found = [(v, i) for v, i in intervals if i is not None]
        if not found:
            unplaceable += 1
            continue
        refs: Sequence[ActorRef | None] = row.sources or (None,)
        for ref in refs:
            if ref is None:
                lane = UNATTRIBUTED
            else:
                lane = _lane_key(ref)
                titles.setdefault(lane, (ref.name, ref.actor_id is not None))
            for value, interval in found:
                placed.append(
                    TimelinePoint(
                        lane,
                        interval,
                        kind,
                        row.text,
                        value,
                        row.actor,
                        row.stance,
                        row.document_id,
                        row.document_title,
                        row.span_id,
                        row.start,
                    )
                )
    for event in events:
        period = date_interval(event.value)
        if period is None:
            unplaceable += 1
            continue
        placed.append(
            TimelinePoint(
                EVENTS,
                period,
                PointKind.EVENT,
                event.quote,
                event.value,
                "",
                "",
                event.document_id,
                event.document_title,
                event.span_id,
                event.start,
            )
        )

    claims_per_lane = Counter(p.lane for p in placed)
    actor_lanes = sorted(
        (k for k in claims_per_lane if k not in (UNATTRIBUTED, EVENTS)),
        key=lambda k: (-claims_per_lane[k], titles[k][0].casefold(), k),
    )
    shown = set(actor_lanes[:top])
    lanes = [Lane(k, titles[k][0], claims_per_lane[k], titles[k][1]) for k in actor_lanes[:top]]
    points = [
        p if p.lane in shown or p.lane in (UNATTRIBUTED, EVENTS) else _moved(p) for p in placed
    ]
    rest = sum(claims_per_lane[k] for k in actor_lanes[top:])
    if rest:
        lanes.append(Lane(OTHERS, f"{len(actor_lanes) - top} other actors", rest))
    if claims_per_lane[UNATTRIBUTED]:
        lanes.append(Lane(UNATTRIBUTED, "unattributed", claims_per_lane[UNATTRIBUTED]))
    if claims_per_lane[EVENTS]:
        lanes.append(Lane(EVENTS, "dates without claim", claims_per_lane[EVENTS]))
    return Timeline(lanes, points, unplaceable)


def _moved(point: TimelinePoint) -> TimelinePoint:
    return TimelinePoint(
        OTHERS,
        point.interval,
        point.kind,
        point.text,
        point.value,
        point.actor,
        point.stance,
        point.document_id,
        point.document_title,
        point.span_id,
        point.start,
    )


# Network -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    source: int  # actor ids; for undirected edges source < target
    target: int
    weight: int


def claims_about_edges(rows: Iterable[ClaimRow]) -> list[Edge]:
    """Directed: SOURCE actor -> actor the claim is about (TARGET and other types), weighted
    by the number of claims. Registry actors only; a claim about its own source adds nothing."""
    counts: Counter[tuple[int, int]] = Counter()
    for row in rows:
        targets = {ref.actor_id for ref in row.targets if ref.actor_id is not None}
        for source in set(row.actor_ids):
            for target in targets - {source}:
                counts[source, target] += 1
    return _edges(counts)


def mentioned_with_edges(actor_documents: Iterable[tuple[int, int]]) -> list[Edge]:
    """Undirected: two registry actors mentioned in the same document, weighted by the number
    of documents. `actor_documents` holds (document id, actor id) pairs."""
    per_document: dict[int, set[int]] = defaultdict(set)
    for document_id, actor_id in actor_documents:
        per_document[document_id].add(actor_id)
    counts: Counter[tuple[int, int]] = Counter()
    for actors in per_document.values():
        ordered = sorted(actors)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                counts[a, b] += 1
    return _edges(counts)


def _edges(counts: Counter[tuple[int, int]]) -> list[Edge]:
    return [Edge(s, t, n) for (s, t), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def strongest(edges: Sequence[Edge], *, limit: int) -> tuple[list[int], list[Edge]]:
    """The `limit` actors with the largest total edge weight, and the edges between them."""
    total: Counter[int] = Counter()
    for edge in edges:
        total[edge.source] += edge.weight
        total[edge.target] += edge.weight
    nodes = [n for n, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
    keep = set(nodes)
    return nodes, [e for e in edges if e.source in keep and e.target in keep]


def layout(
    nodes: Sequence[int], edges: Sequence[Edge], *, iterations: int = 60, seed: int = 7
) -> dict[int, tuple[float, float]]:
    """Positions in [-1, 1]² from a few rounds of a force layout (Fruchterman-Reingold)
    started on a circle; the same input always gives the same picture."""
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    rng = random.Random(seed)
    pos = {
        node: [
            math.cos(2 * math.pi * i / n) + rng.uniform(-0.05, 0.05),
            math.sin(2 * math.pi * i / n) + rng.uniform(-0.05, 0.05),
        ]
        for i, node in enumerate(nodes)
    }
    k = 2.0 / math.sqrt(n)  # the ideal distance in a 2 x 2 square
    heaviest = max((e.weight for e in edges), default=1)
    temperature = 0.2
    for _ in range(iterations):
        shift = {node: [0.0, 0.0] for node in nodes}
        for i, a in enumerate(nodes):
            pa = pos[a]
            for b in nodes[i + 1 :]:
                pb = pos[b]
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                dist = max(math.hypot(dx, dy), 1e-3)
                push = k * k / dist
                shift[a][0] += dx / dist * push
                shift[a][1] += dy / dist * push
                shift[b][0] -= dx / dist * push
                shift[b][1] -= dy / dist * push
        for edge in edges:
            if edge.source not in pos or edge.target not in pos:
                continue
            pa, pb = pos[edge.source], pos[edge.target]
            dx, dy = pa[0] - pb[0], pa[1] - pb[1]
            dist = max(math.hypot(dx, dy), 1e-3)
            pull = dist * dist / k * (0.5 + 0.5 * edge.weight / heaviest)
            for node, sign in ((edge.source, -1), (edge.target, 1)):
                shift[node][0] += sign * dx / dist * pull
                shift[node][1] += sign * dy / dist * pull
        for node in nodes:
            sx, sy = shift[node]
            length = math.hypot(sx, sy)
            if length > 0:
                step = min(length, temperature)
                pos[node][0] += sx / length * step
                pos[node][1] += sy / length * step
        temperature *= 0.95
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {node: ((p[0] - cx) / scale, (p[1] - cy) / scale) for node, p in pos.items()}
