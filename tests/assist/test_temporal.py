"""The DATE engine (annotator.assist.temporal.find_dates), checked against the guideline.

Most sentences are read as published on 2025-03-05, the Wednesday of ISO week 2025-W10 that
the guideline's value table uses; the weekdays and weeks below were checked with Python's
datetime (see test_calendar_facts). Each row gives the spans a user should be offered, with
their values, as (quote, value); value None means the span is proposed without a value.
"""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scaling import assert_linear

from annotator.assist.base import DATES, DocumentContext, Mention
from annotator.assist.dates import parse_date_value
from annotator.assist.temporal import find_dates

WEDNESDAY = "2025-03-05"

# (sentence, expected [(quote, value)]), published on WEDNESDAY.
GUIDELINE_TABLE = [
    # Full dates in their spellings.
    ("The report was published on 18 February 2025.", [("18 February 2025", "2025-02-18")]),
    ("It was first reported on Feb. 18, 2025, by KCNA.", [("Feb. 18, 2025", "2025-02-18")]),
    ("The letter is dated 18/02/2025.", [("18/02/2025", "2025-02-18")]),
    ("The gift was received on February 18.", [("February 18", "2025-02-18")]),
    ("Putin showcased the car in September 2023.", [("September 2023", "2023-09")]),
    ("The law was passed in 2023.", [("2023", "2023")]),
    # Weekdays, bare and with last / next.
    ("The minister resigned on Tuesday.", [("Tuesday", "2025-03-04")]),
    ("Talks collapsed last Tuesday.", [("last Tuesday", "2025-03-04")]),
    ("The envoys meet again next Tuesday.", [("next Tuesday", "2025-03-11")]),
    ("The leaders will meet on Friday.", [("Friday", "2025-03-07")]),
    # Deictic days, offsets, weeks, months, years.
    ("Floods hit the town yesterday.", [("yesterday", "2025-03-04")]),
    ("The court sits today.", [("today", "2025-03-05")]),
    ("The results come out tomorrow.", [("tomorrow", "2025-03-06")]),
    ("The attack happened three days ago.", [("three days ago", "2025-03-02")]),
    ("The mine flooded three weeks ago.", [("three weeks ago", "2025-W07")]),
    ("The bridge closed two years ago.", [("two years ago", "2023")]),
    ("Prices rose last week.", [("last week", "2025-W09")]),
    ("The talks resume next week.", [("next week", "2025-W11")]),
    ("Parliament sits this week.", [("this week", "2025-W10")]),
    ("Sales fell last month.", [("last month", "2025-02")]),
    ("Elections are due next year.", [("next year", "2026")]),
    ("Growth slowed this year.", [("this year", "2025")]),
    # Seasons, quarters, halves.
    ("The plant opens in the spring of 2027.", [("the spring of 2027", "2027-SP")]),
    ("Work on the dam will finish in summer.", [("summer", "2025-SU")]),
    ("The dam burst last autumn.", [("last autumn", "2024-FA")]),
    ("Snow fell heavily in winter 2024.", [("winter 2024", "2024-WI")]),
    ("Profit rose in the first quarter.", [("the first quarter", "2025-Q1")]),
    ("Sales fell in Q3 2024.", [("Q3 2024", "2024-Q3")]),
    ("Production starts in the first half of 2026.", [("the first half of 2026", "2026-H1")]),
    ("The firm expects a recovery in H2.", [("H2", "2025-H2")]),
    # Parts of the day.
    ("The minister spoke this morning.", [("this morning", "2025-03-05TMO")]),
    ("Protesters gathered on Tuesday evening.", [("Tuesday evening", "2025-03-04TEV")]),
    ("Shelling continued last night.", [("last night", "2025-03-04TNI")]),
    ("The vote took place on Monday afternoon.", [("Monday afternoon", "2025-03-03TAF")]),
    # Clock times.
    ("The blast happened at 3 p.m.", [("3 p.m.", "2025-03-05T15:00")]),
    ("The session opened at 14:30 on Monday.", [("14:30 on Monday", "2025-03-03T14:30")]),
    ("Polls close at noon.", [("noon", "2025-03-05T12:00")]),
    # Decades and centuries.
    ("The mine opened in the 1970s.", [("the 1970s", "197")]),
    ("The band was a hit in the '90s.", [("the '90s", "199")]),
    ("The law dates from the 19th century.", [("the 19th century", "18")]),
    # "early", "mid", "late" and "the end of" as ranges.
    ("Snow fell in early February.", [("early February", "2025-02-01/2025-02-10")]),
    ("The bill is due by mid-April.", [("mid-April", "2025-04-11/2025-04-20")]),
    ("The plant closes in late June.", [("late June", "2025-06-21/2025-06-30")]),
    ("Repairs will last until the end of June.", [("the end of June", "2025-06-21/2025-06-30")]),
    ("Talks began in early 2025.", [("early 2025", "2025-01/2025-04")]),
    ("The line reopens in mid-2025.", [("mid-2025", "2025-05/2025-08")]),
    ("The mayor steps down in late 2025.", [("late 2025", "2025-09/2025-12")]),
    (
        "The plan will be ready by the end of the year.",
        [("the end of the year", "2025-09/2025-12")],
    ),
    # Compact ranges.
    ("The fair was held on 18–20 February.", [("18–20 February", "2025-02-18/2025-02-20")]),
    ("Output grew between 2019 and 2021.", [("2019 and 2021", "2019/2021")]),
    ("In 2024-25 the deficit widened.", [("2024-25", "2024/2025")]),
    # Boundaries: prepositions out, determiners and modifiers in; one expression, one span.
    ("Homes were rebuilt since the storms of March 2024.", [("March 2024", "2024-03")]),
    ("Voters went to the polls on Tuesday, 4 March.", [("Tuesday, 4 March", "2025-03-04")]),
    (
        "The strike hit ports on Monday and Tuesday.",
        [("Monday", "2025-03-03"), ("Tuesday", "2025-03-04")],
    ),
    (
        "The conference was held on 18 and 19 February.",
        [("18", "2025-02-18"), ("19 February", "2025-02-19")],
    ),
]

# Anaphora: read against the nearest earlier date of the text, not publication.
ANAPHORA = [
    (
        "On Thursday, 27 February, the council met. Two days earlier, the mayor had resigned.",
        [("Thursday, 27 February", "2025-02-27"), ("Two days earlier", "2025-02-25")],
    ),
    (
        "The mine opened in 2023. That year, output doubled.",
        [("2023", "2023"), ("That year", "2023")],
    ),
    (
        "Unrest grew in the 1970s, and that decade changed the town.",
        [("the 1970s", "197"), ("that decade", "197")],
    ),
    (
        "The strike began on 3 March 2024. The following week, talks resumed.",
        [("3 March 2024", "2024-03-03"), ("The following week", "2024-W10")],
    ),
    (
        "The law passed on 12 May 2022. The same day, the minister resigned.",
        [("12 May 2022", "2022-05-12"), ("The same day", "2022-05-12")],
    ),
    (
        "The storm hit on 2 January 2024. The next day, the river burst its banks.",
        [("2 January 2024", "2024-01-02"), ("The next day", "2024-01-03")],
    ),
    (
        "Rebels took the town in June 2019. A year later, they lost it.",
        [("June 2019", "2019-06"), ("A year later", "2020")],
    ),
    # No earlier date: proposed, but without a value.
    ("Three years later, the factory closed.", [("Three years later", None)]),
]

# A bare weekday, month or day without its year looks forward in a clause about the future.
TENSE = [
    (
        "The council said on Monday it will vote on Friday.",
        [("Monday", "2025-03-03"), ("Friday", "2025-03-07")],
    ),
    ("The leaders will meet on Monday.", [("Monday", "2025-03-10")]),
    ("The leaders met on Monday.", [("Monday", "2025-03-03")]),
    ("The vote is due to take place on Thursday.", [("Thursday", "2025-03-06")]),
    ("The ministers plan to meet in June.", [("June", "2025-06")]),
    ("The ministers met in June.", [("June", "2024-06")]),
    ("The election will be held on 20 August.", [("20 August", "2025-08-20")]),
    ("The election was held on 20 August.", [("20 August", "2024-08-20")]),
    ("The strike is scheduled for next month.", [("next month", "2025-04")]),
    ("The judge adjourned the case until 10 April.", [("10 April", "2025-04-10")]),
    ("The vote, first set for 20 February, was delayed.", [("20 February", "2025-02-20")]),
]

# Not dates: durations, frequencies, ages, vague words, names, counts, modal "may".
NEGATIVES = [
    "He worked there for two years.",
    "The market opens every week and closes each month.",
    "The 64-year-old mayor said she was tired.",
    "Prices have risen recently and are high now.",
    "He has lived there for years, in the past and currently.",
    "The September 11 attacks changed the world.",
    "The plan, called Vision 2030, was unveiled.",
    "Theresa May met the king.",
    "Police said 2000 people marched.",
    "The deal may collapse.",
    "The rent is $1,500 a month.",
    "Hydrogen (H2) is a clean fuel.",
    "He scored in the second half of the match.",
    "Over the past decade, prices doubled.",
    "The score was 3:1 after ninety minutes.",
    "The winter storm hit the coast.",
    "He scored twice in the second quarter of the game.",
    "The Arab Spring toppled rulers.",
    "The Sunday Times printed the letter.",
    "The fall of the city shocked the region.",
]


def _found(text: str, published: str | None = WEDNESDAY, **context) -> list[tuple]:
    proposals = find_dates(DocumentContext(text, published=published, **context))
    return [(text[p.start : p.end], p.attributes.get("value")) for p in proposals]


@pytest.mark.parametrize(("sentence", "expected"), GUIDELINE_TABLE + ANAPHORA + TENSE)
def test_sentences(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_not_dates(sentence):
    assert _found(sentence) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # No publication date: what the text gives is kept, unknown years are XXXX.
        ("The gift was received on February 18.", None, [("February 18", "XXXX-02-18")]),
        ("Putin showcased the car in September 2023.", None, [("September 2023", "2023-09")]),
        ("Floods hit the town yesterday.", None, [("yesterday", None)]),
        ("The minister resigned on Tuesday.", None, [("Tuesday", None)]),
        # A year: what every day of it agrees on.
        ("Sales fell last year.", "2025", [("last year", "2024")]),
        ("Floods hit the town yesterday.", "2025", [("yesterday", None)]),
        ("The gift was received on February 18.", "2025", [("February 18", "XXXX-02-18")]),
        # A month.
        ("Sales fell last month.", "2025-03", [("last month", "2025-02")]),
        ("Floods hit the town yesterday.", "2025-03", [("yesterday", None)]),
        ("The gift was received on February 18.", "2025-03", [("February 18", "2025-02-18")]),
        # A date-time: its own day, and hours back from its time.
        (
            "The minister spoke this morning.",
            "2025-03-05T10:30:00+01:00",
            [("this morning", "2025-03-05TMO")],
        ),
        (
            "The blast came two hours ago.",
            "2025-03-05T10:30:00",
            [("two hours ago", "2025-03-05T08:30")],
        ),
        ("The blast came two hours ago.", WEDNESDAY, [("two hours ago", None)]),
    ],
)
def test_publication_precision(text, published, expected):
    assert _found(text, published) == expected


def test_the_kcna_article_matches_its_gold_dates(shared):
    text = (shared / "corpus" / "kcna-car-gift.txt").read_text(encoding="utf-8")
    gold = json.loads((shared / "corpus" / "kcna-car-gift.gold.json").read_text(encoding="utf-8"))
    expected = [
        (span["start"], span["end"], span["attrs"]["value"])
        for span in gold["spans"]
        if span["label"] == "DATE"
    ]
    proposals = find_dates(DocumentContext(text, published=gold.get("published")))
    assert [(p.start, p.end, p.attributes.get("value")) for p in proposals] == expected


def test_offsets_are_code_points_after_emoji():
    text = (
        "Minister 👩🏽‍⚖️ Ana Souza said on 3 March 2025 that the 🇧🇷 budget “will not change”.\n"
        "The ministry 🏛️ confirmed it on Tuesday."
    )
    proposals = find_dates(DocumentContext(text, published=WEDNESDAY))
    assert [(p.start, p.end) for p in proposals] == [
        (text.index("3 March 2025"), text.index("3 March 2025") + len("3 March 2025")),
        (text.index("Tuesday"), text.index("Tuesday") + len("Tuesday")),
    ]
    assert [p.attributes["value"] for p in proposals] == ["2025-03-03", "2025-03-04"]


def test_proposals_follow_the_engine_contract():
    text = " ".join(sentence for sentence, _ in GUIDELINE_TABLE + ANAPHORA + TENSE)
    proposals = find_dates(DocumentContext(text, published=WEDNESDAY))
    assert proposals
    for proposal in proposals:
        assert proposal.label == "DATE"
        assert proposal.engine == DATES
        assert 0.0 <= proposal.score <= 1.0
        assert proposal.rule
        value = proposal.attributes.get("value")
        if value is not None:
            assert parse_date_value(value).value == value  # canonical, as a user would type it
    assert [p.start for p in proposals] == sorted(p.start for p in proposals)


def test_annotated_and_rejected_spans_are_skipped():
    text = "The council met on Monday and again on Friday, and will meet next week."
    monday = (text.index("Monday"), text.index("Monday") + 6)
    friday = (text.index("Friday"), text.index("Friday") + 6)
    context = DocumentContext(
        text,
        published=WEDNESDAY,
        annotations=(Mention(monday[0], monday[1] + 4, "DATE"),),  # overlaps "Monday"
        rejected=frozenset({(*friday, "DATE")}),
    )
    assert [text[p.start : p.end] for p in find_dates(context)] == ["next week"]


def test_anaphora_read_against_an_annotated_date():
    text = "The council met that day. Two days earlier, the mayor had resigned."
    annotation = Mention(16, 24, "DATE", {"value": "2025-02-27"})  # "that day", typed by a user
    context = DocumentContext(text, published=WEDNESDAY, annotations=(annotation,))
    assert [(text[p.start : p.end], p.attributes.get("value")) for p in find_dates(context)] == [
        ("Two days earlier", "2025-02-25")
    ]


def test_us_english_reads_numeric_dates_month_first():
    text = "The letter is dated 03/02/2025."
    assert _found(text) == [("03/02/2025", "2025-02-03")]
    assert _found(text, language="en-US") == [("03/02/2025", "2025-03-02")]


def test_calendar_facts():
    """The weekdays and weeks that the tables rely on."""
    assert date(2025, 3, 5).strftime("%A") == "Wednesday"
    assert date(2025, 3, 5).isocalendar()[:2] == (2025, 10)
    assert date(2025, 2, 12).isocalendar()[:2] == (2025, 7)  # three weeks before
    assert date(2025, 3, 4).strftime("%A") == "Tuesday"
    assert date(2025, 3, 7).strftime("%A") == "Friday"
    assert date(2025, 3, 10).strftime("%A") == "Monday"
    assert date(2025, 2, 27).strftime("%A") == "Thursday"
    assert date(2024, 3, 3).isocalendar()[:2] == (2024, 9)


def test_reading_grows_with_the_text_not_faster():
    """Speed itself is measured by benchmarks/suggest.py; here, twice the text must cost about
    twice the time (best of three each), and a megabyte gives every date it holds."""
    paragraph = " ".join(sentence for sentence, _ in GUIDELINE_TABLE + TENSE) + "\n"
    assert_linear(
        lambda text: find_dates(DocumentContext(text, published=WEDNESDAY)), paragraph * 20
    )
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    assert len(find_dates(DocumentContext(text, published=WEDNESDAY))) > 10_000


_WORDS = [
    "on", "in", "the", "Tuesday", "March", "May", "3", "18", "2024", "1990s", "'90s", "last",
    "next", "week", "year", "ago", "two", "days", "earlier", "later", "that", "early", "mid-",
    "late", "spring", "Q3", "H2", "first", "half", "quarter", "of", "3 p.m.", "14:30", "noon",
    "morning", "night", "yesterday", "between", "and", "to", "–", "-", "/", ",", ".", "will",
    "said", "👩🏽‍⚖️", "🇧🇷", "é", "\n", "  ", "century", "19th", "end", "Christmas", "Feb.",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=40),
    published=st.sampled_from([None, "2025", "2025-03", WEDNESDAY, "2025-03-05T10:30:00"]),
)
def test_proposals_are_well_formed_for_any_text(words, published):
    text = " ".join(words)
    proposals = find_dates(DocumentContext(text, published=published))
    previous_end = 0
    for proposal in proposals:
        assert 0 <= proposal.start < proposal.end <= len(text)
        quote = text[proposal.start : proposal.end]
        assert quote == quote.strip()  # no spaces around a span
        assert proposal.start >= previous_end  # two DATE spans never overlap
        previous_end = proposal.end
        value = proposal.attributes.get("value")
        if value is not None:
            assert parse_date_value(value).value == value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 90), st.integers(1, 12)), max_size=12))
def test_dates_inside_a_date_annotation_are_left_out_whatever_the_annotations_overlap(
    annotated: list[tuple[int, int]],
) -> None:
    """A time expression overlapping any DATE annotation is not proposed; one touching an
    annotation's edge is (annotations may nest and overlap one another)."""
    text = " ".join(["on 3 March 2024"] * 6)
    ranges = [(s, s + n) for s, n in annotated]
    context = DocumentContext(text, annotations=[Mention(s, e, "DATE") for s, e in ranges])
    kept = {(p.start, p.end) for p in find_dates(context)}
    plain = {(p.start, p.end) for p in find_dates(DocumentContext(text))}
    assert plain  # six dates to leave out or keep
    for s, e in plain:
        overlapping = any(m.start < e and s < m.end for m in context.annotations)
        assert ((s, e) in kept) is not overlapping
