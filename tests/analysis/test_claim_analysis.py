"""Claims as rows, timeline points and network edges, without a database or Qt."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.analysis.claims import (
    EVENTS,
    OTHERS,
    UNATTRIBUTED,
    Edge,
    Granularity,
    Interval,
    PointKind,
    claim_rows,
    claims_about_edges,
    date_interval,
    layout,
    mentioned_with_edges,
    strongest,
    timeline,
)
from annotator.domain.claims import (
    ActorRef,
    ClaimCorpus,
    ClaimLink,
    ClaimRow,
    ClaimSpan,
    DatedSpan,
    DocumentRef,
)
from annotator.domain.model import Actor


@pytest.mark.parametrize(
    ("value", "start", "end", "granularity"),
    [
        ("2024-02-18", date(2024, 2, 18), date(2024, 2, 19), Granularity.DAY),
        ("2024-02-18T14:00", date(2024, 2, 18), date(2024, 2, 19), Granularity.DAY),
        ("2024-02-19T08:00:00+00:00", date(2024, 2, 19), date(2024, 2, 20), Granularity.DAY),
        ("2023-09", date(2023, 9, 1), date(2023, 10, 1), Granularity.MONTH),
        ("2023-12", date(2023, 12, 1), date(2024, 1, 1), Granularity.MONTH),
        ("2023", date(2023, 1, 1), date(2024, 1, 1), Granularity.YEAR),
        ("2024-XX-03", date(2024, 1, 1), date(2025, 1, 1), Granularity.YEAR),
        ("2024-W07", date(2024, 2, 12), date(2024, 2, 19), Granularity.WEEK),
        ("199", date(1990, 1, 1), date(2000, 1, 1), Granularity.DECADE),
        ("20", date(2000, 1, 1), date(2100, 1, 1), Granularity.CENTURY),
    ],
)
def test_a_date_value_is_the_period_it_covers(value, start, end, granularity):
    assert date_interval(value) == Interval(start, end, granularity)


@pytest.mark.parametrize("value", ["XXXX-02-18", "XXXX", "", "yesterday", "2023-13", "2023-02-30"])
def test_a_value_without_a_known_year_or_not_a_date_cannot_be_placed(value):
    assert date_interval(value) is None


def row(span_id: int, *, sources=(), dates=(), published="", stance="", targets=()) -> ClaimRow:
    return ClaimRow(
        span_id=span_id,
        document_id=1,
        document_title="Doc",
        outlet="",
        published=published,
        text=f"claim {span_id}",
        start=span_id * 10,
        end=span_id * 10 + 5,
        sources=tuple(sources),
        dates=tuple(dates),
        stance=stance,
        targets=tuple(targets),
    )


PUTIN = ActorRef("Vladimir Putin", 1, "putin")
KIM = ActorRef("Kim Jong-un", 2, "kim-jong-un")
KCNA = ActorRef("KCNA", 3, "kcna")


def test_timeline_places_claims_per_actor_and_counts_what_cannot_be_placed():
    rows = [
        row(1, sources=[PUTIN], dates=["2023-09"], stance="positive"),
        row(2, sources=[PUTIN, KIM], dates=["2024-02-18"]),
        row(3, dates=["XXXX-02-18"]),  # unknown year, no publication date: not placed
        row(4, published="2024-02-19"),  # no date of its own: at its publication date
        row(5, sources=[ActorRef("observers")], dates=["2023"]),
        # Its own date has no year: not placed, not moved to the publication date either.
        row(6, sources=[PUTIN], dates=["XXXX-02-18"], published="2024-02-19"),
    ]
    events = [
        DatedSpan(9, 1, "Doc", 0, "last spring", "2023"),
        DatedSpan(10, 1, "Doc", 5, "February 18", "XXXX-02-18"),
    ]
    line = timeline(rows, events)
    assert [(lane.key, lane.count, lane.linked) for lane in line.lanes] == [
        ("actor:1", 2, True),
        ("actor:2", 1, True),
        ("name:observers", 1, False),
        (UNATTRIBUTED, 1, True),
        (EVENTS, 1, True),
    ]
    assert line.unplaceable == 3
    by_span = {(p.span_id, p.lane): p for p in line.points}
    assert by_span[1, "actor:1"].interval.granularity is Granularity.MONTH
    assert by_span[1, "actor:1"].stance == "positive"
    assert by_span[2, "actor:2"].interval.start == date(2024, 2, 18)
    assert by_span[4, UNATTRIBUTED].kind is PointKind.PUBLISHED
    assert by_span[9, EVENTS].kind is PointKind.EVENT
    assert len(line.points) == 6


def test_timeline_keeps_the_top_actors_and_gathers_the_rest():
    rows = [row(i, sources=[ActorRef(f"a{i % 5}", i % 5, "")], dates=["2020"]) for i in range(20)]
    rows += [row(100, sources=[ActorRef("a0", 0, "")], dates=["2021"])]
    line = timeline(rows, top=2)
    assert [lane.key for lane in line.lanes] == ["actor:0", "actor:1", OTHERS]
    assert line.lanes[2].count == 12 and line.lanes[2].title == "3 other actors"
    assert sum(p.lane == OTHERS for p in line.points) == 12


def test_claims_about_edges_go_from_source_to_target_weighted_by_claims():
    rows = [
        row(1, sources=[PUTIN], targets=[KIM]),
        row(2, sources=[PUTIN], targets=[KIM, ActorRef("unlinked")]),
        row(3, sources=[KCNA, PUTIN], targets=[KIM, PUTIN]),
        row(4, sources=[KIM], targets=[PUTIN]),
    ]
    assert claims_about_edges(rows) == [Edge(1, 2, 3), Edge(2, 1, 1), Edge(3, 1, 1), Edge(3, 2, 1)]


def test_mentioned_with_edges_count_documents_not_mentions():
    pairs = [(1, 10), (1, 11), (1, 12), (2, 10), (2, 11), (3, 12)]
    assert mentioned_with_edges(pairs) == [Edge(10, 11, 2), Edge(10, 12, 1), Edge(11, 12, 1)]
    nodes, edges = strongest(mentioned_with_edges(pairs), limit=2)
    assert nodes == [10, 11] and edges == [Edge(10, 11, 2)]


def test_layout_is_deterministic_and_separates_nodes():
    edges = [Edge(1, 2, 3), Edge(2, 3, 1), Edge(3, 4, 1), Edge(5, 1, 2)]
    nodes = [1, 2, 3, 4, 5]
    first = layout(nodes, edges)
    assert first == layout(nodes, edges)
    assert set(first) == set(nodes)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in first.values())
    points = list(first.values())
    gaps = [
        abs(a[0] - b[0]) + abs(a[1] - b[1]) for i, a in enumerate(points) for b in points[i + 1 :]
    ]
    assert min(gaps) > 0.1


def test_claim_rows_join_links_and_attributes():
    corpus = ClaimCorpus(
        claims=[
            ClaimSpan(1, 7, 0, 10, "reported x", {"stance": "negative", "hedged": True}),
            ClaimSpan(2, 7, 20, 25, "x", {"hedged": "yes", "quote_type": 3}),
        ],
        links=[
            ClaimLink(2, "REPORTED_IN", 1, "CLAIM", "reported x", 0),
            ClaimLink(1, "SOURCE", 50, "ACTOR", "the agency", 30, 4),
            ClaimLink(1, "SOURCE", 51, "ACTOR", "its reporter", 40),
            ClaimLink(2, "TIME", 52, "DATE", "today", 26, None, ""),
            ClaimLink(2, "TARGET", 53, "ACTOR", "Seoul", 27, 5),
        ],
        documents={7: DocumentRef(7, "T", "Outlet", None)},
        actors={4: Actor(4, "kcna", "KCNA"), 5: Actor(5, "seoul", "South Korea")},
    )
    first, second = claim_rows(corpus)
    assert first.actor == "KCNA; its reporter" and first.actor_key == "kcna"
    assert (first.stance, first.hedged, first.outlet, first.published) == (
        "negative",
        True,
        "Outlet",
        "",
    )
    assert second.according_to == first.sources
    assert second.date == "" and second.date_quote == "today"  # a DATE without a value
    assert (second.hedged, second.quote_type) == (None, "")  # wrong types are left unset
    assert second.targets == (ActorRef("South Korea", 5, "seoul"),)


def test_the_timeline_places_every_value_the_date_engine_proposes() -> None:
    from datetime import date

    from annotator.analysis.claims import date_interval

    cases = {
        "2025-SU": (date(2025, 6, 1), date(2025, 9, 1)),
        "2024-WI": (date(2024, 12, 1), date(2025, 3, 1)),
        "2025-Q1": (date(2025, 1, 1), date(2025, 4, 1)),
        "2026-H1": (date(2026, 1, 1), date(2026, 7, 1)),
        "2025-03-04TEV": (date(2025, 3, 4), date(2025, 3, 5)),
        "2025-04-11/2025-04-20": (date(2025, 4, 11), date(2025, 4, 21)),
        "2019/2021": (date(2019, 1, 1), date(2022, 1, 1)),
    }
    for value, (start, end) in cases.items():
        interval = date_interval(value)
        assert interval is not None, value
        assert (interval.start, interval.end) == (start, end), value
    assert date_interval("2025-04-20/2025-04-11") is None  # ends before it starts
    assert date_interval("XXXX-SU") is None
