"""Proposed values for DATE spans (annotator.assist.dates), checked against the calendar.

The publication date used most is 2024-02-15, a Thursday in ISO week 2024-W07; 2024 is a leap
year and 2025 is not. Weekdays and weeks below were checked with Python's datetime.
"""

import subprocess
import sys
from datetime import date, timedelta

import pytest

from annotator.assist.dates import DateValue, Granularity, parse_date_value, propose_date

THURSDAY = "2024-02-15"

# (expression, publication date, expected value or None)
CASES = [
    # A month and a year: the month, not a day of it.
    ("September 2023", None, "2023-09"),
    ("September 2023", THURSDAY, "2023-09"),
    ("in March 2023", THURSDAY, "2023-03"),
    ("Feb 2024", None, "2024-02"),
    # Day and month without a year: XXXX without a publication date, else the publication year
    # unless that is more than six months after publication.
    ("February 18", None, "XXXX-02-18"),
    ("February 18", "2024-03-01", "2024-02-18"),
    ("December 30", "2024-01-03", "2023-12-30"),  # 2024-12-30 would be 362 days later
    ("18th of February", "2024-03-01", "2024-02-18"),
    ("May 5", THURSDAY, "2024-05-05"),  # 80 days after publication
    ("Tuesday, February 13", THURSDAY, "2024-02-13"),
    ("September", None, "XXXX-09"),
    ("September", THURSDAY, "2023-09"),  # 2024-09-01 would be 199 days later
    ("February 18", "2024", "2024-02-18"),  # the same year whatever the day in 2024
    ("December 30", "2024", "XXXX-12-30"),  # 2023 if published 1 January, 2024 if 31 December
    ("Feb 29", "2024-03-01", "2024-02-29"),
    ("Feb 29", "2025-03-01", "XXXX-02-29"),  # 2025 is not a leap year
    # Relative expressions resolve from the publication date.
    ("last Tuesday", THURSDAY, "2024-02-13"),
    ("on Monday", THURSDAY, "2024-02-12"),
    ("Thursday", THURSDAY, "2024-02-15"),  # a bare weekday may be the publication day
    ("last Thursday", THURSDAY, "2024-02-08"),
    ("Sat", THURSDAY, "2024-02-10"),
    ("yesterday", THURSDAY, "2024-02-14"),
    ("yesterday", "2024-03-01", "2024-02-29"),
    ("yesterday", "2024-02-15T10:30:00+01:00", "2024-02-14"),
    ("today", THURSDAY, "2024-02-15"),
    ("tomorrow", THURSDAY, "2024-02-16"),
    ("two days ago", THURSDAY, "2024-02-13"),
    ("the day before yesterday", THURSDAY, "2024-02-13"),
    ("last year", THURSDAY, "2023"),
    ("this year", THURSDAY, "2024"),
    ("two years ago", THURSDAY, "2022"),
    ("last month", THURSDAY, "2024-01"),
    ("last month", "2024-01-10", "2023-12"),
    ("last week", THURSDAY, "2024-W06"),
    ("this week", THURSDAY, "2024-W07"),
    ("next week", THURSDAY, "2024-W08"),
    ("last week", "2024-01-03", "2023-W52"),
    # Parts of the day (the guideline's MO, AF, EV, NI).
    ("last night", THURSDAY, "2024-02-14TNI"),
    ("this morning", THURSDAY, "2024-02-15TMO"),
    ("Tuesday at 3 p.m.", THURSDAY, "2024-02-13T15:00"),
    ("3 hours ago", "2024-02-15T10:30:00", "2024-02-15T07:30"),
    ("3 hours ago", THURSDAY, None),  # needs the time of publication
    # A publication year or month resolves what every day of it agrees on.
    ("last year", "2024", "2023"),
    ("last month", "2024-02", "2024-01"),
    ("yesterday", "2024-02", None),
    ("on Monday", "2024", None),
    # Without a publication date, relative expressions cannot be resolved (never from today).
    ("yesterday", None, None),
    ("last Tuesday", None, None),
    ("two days ago", None, None),
    ("on Monday", None, None),
    ("next week", None, None),
    ("last year", None, None),
    ("last month", None, None),
    ("yesterday", "not a date", None),
    # Full dates in several spellings; the publication date does not change them.
    ("Feb. 18, 2024", None, "2024-02-18"),
    ("18 February 2024", None, "2024-02-18"),
    ("18 February 2024", "2023-01-01", "2024-02-18"),
    ("2024-02-18", None, "2024-02-18"),
    ("18/02/2024", None, "2024-02-18"),
    ("02/18/2024", None, "2024-02-18"),  # clearly month first
    ("03/02/2024", None, "2024-02-03"),  # ambiguous: day first
    ("18.02.2024", None, "2024-02-18"),
    ("18/02/24", None, "2024-02-18"),
    ("Tuesday, February 13, 2024", None, "2024-02-13"),
    ("on 1 March 2024", THURSDAY, "2024-03-01"),
    ("14:00 on 18 February 2024", None, "2024-02-18T14:00"),
    ("14:00 CET on 18 February 2024", None, "2024-02-18T14:00"),  # the time as written
    ("2024-02-18T14:00", None, "2024-02-18T14:00"),
    ("2024-W07", None, "2024-W07"),
    # Years, decades, centuries.
    ("2023", None, "2023"),
    ("in 2023", THURSDAY, "2023"),
    ("the 1990s", None, "199"),
    ("1990s", None, "199"),
    ("the early 1970s", None, "197"),
    ("the 2000s", None, "200"),
    ("the '90s", None, "199"),  # the latest 1990s, 2090s or... not after publication
    ("the '90s", THURSDAY, "199"),
    ("the '20s", THURSDAY, "202"),
    ("the 19th century", None, "18"),
    ("19th-century", None, "18"),
    ("the twenty-first century", None, "20"),
    # Parts of a year: seasons, quarters, halves, and "early", "mid", "late" as ranges.
    ("Q1 2024", None, "2024-Q1"),
    ("in the spring of 2023", None, "2023-SP"),
    ("mid-2023", None, "2023-05/2023-08"),
    ("early February 2024", None, "2024-02-01/2024-02-10"),
    # Not dates, or not one date.
    ("Kim Yo Jong", None, None),
    ("Kim Yo Jong", THURSDAY, None),
    ("the car", THURSDAY, None),
    ("", THURSDAY, None),
    ("   ", THURSDAY, None),
    ("may", THURSDAY, None),
    ("12", THURSDAY, None),
    ("the 12", THURSDAY, None),
    ("at 3", THURSDAY, None),
    ("a", THURSDAY, None),
    ("sat", THURSDAY, None),
    ("now", THURSDAY, None),
    ("3 p.m.", THURSDAY, "2024-02-15T15:00"),  # on the publication day
    ("3 p.m.", None, None),  # no day to put it on
    ("1995s", "2024-02-15T10:00", None),
    ("2024 week", THURSDAY, None),
    ("18-20 February 2024", None, "2024-02-18/2024-02-20"),
    ("February 18 and 19", None, None),
]

# (expression, publication date, language, expected value or None)
LANGUAGE_CASES = [
    ("18 février 2024", None, "fr", "2024-02-18"),
    ("septembre 2023", None, "fr", "2023-09"),
    ("le 13 février", THURSDAY, "fr", "2024-02-13"),
    ("le 13 février", None, "fr", "XXXX-02-13"),
    ("hier", THURSDAY, "fr", "2024-02-14"),
    ("mardi", THURSDAY, "fr", "2024-02-13"),
    ("il y a deux jours", THURSDAY, "fr", "2024-02-13"),
    ("la semaine dernière", THURSDAY, "fr", "2024-W06"),
    ("les années 1990", None, "fr", "199"),
    ("le XIXe siècle", None, "fr", "18"),
    ("hier", None, "fr", None),
    ("18. Februar 2024", None, "de", "2024-02-18"),
    ("18.02.2024", None, "de", "2024-02-18"),
    ("am 13. Februar", THURSDAY, "de", "2024-02-13"),
    ("am 18.02.", "2024-03-01", "de", "2024-02-18"),
    ("gestern", THURSDAY, "de", "2024-02-14"),
    ("am Dienstag", THURSDAY, "de", "2024-02-13"),
    ("vor zwei Tagen", THURSDAY, "de", "2024-02-13"),
    ("letztes Jahr", THURSDAY, "de", "2023"),
    ("die 1990er Jahre", None, "de", "199"),
    ("das 19. Jahrhundert", None, "de", "18"),
    ("18 February 2024", None, "fr", "2024-02-18"),  # English is tried after the language
    ("03/02/2024", None, "en-US", "2024-03-02"),
    ("18 février 2024", None, None, None),  # no language: English only
]


def _check(result: DateValue | None, expected: str | None) -> None:
    if expected is None:
        assert result is None
        return
    assert result is not None
    assert result.value == expected
    # Every proposal is a value a user could have typed, with the same granularity.
    assert parse_date_value(result.value) == result


@pytest.mark.parametrize(("expression", "published", "expected"), CASES)
def test_propose_date(expression, published, expected):
    _check(propose_date(expression, published), expected)


@pytest.mark.parametrize(("expression", "published", "language", "expected"), LANGUAGE_CASES)
def test_propose_date_in_other_languages(expression, published, language, expected):
    _check(propose_date(expression, published, language=language), expected)


@pytest.mark.parametrize(
    ("expression", "published", "granularity"),
    [
        ("September 2023", None, Granularity.MONTH),
        ("February 18", None, Granularity.DAY),
        ("last year", THURSDAY, Granularity.YEAR),
        ("next week", THURSDAY, Granularity.WEEK),
        ("the 1990s", None, Granularity.DECADE),
        ("the 19th century", None, Granularity.CENTURY),
        ("14:00 on 18 February 2024", None, Granularity.TIME),
    ],
)
def test_granularity(expression, published, granularity):
    result = propose_date(expression, published)
    assert result is not None
    assert result.granularity is granularity


def test_table_agrees_with_the_calendar():
    """The weekdays and weeks that the table relies on."""
    thursday = date.fromisoformat(THURSDAY)
    assert thursday.strftime("%A") == "Thursday"
    assert thursday.isocalendar()[:2] == (2024, 7)
    assert date(2024, 2, 13).strftime("%A") == "Tuesday"
    assert date(2024, 2, 12).strftime("%A") == "Monday"
    assert date(2024, 2, 10).strftime("%A") == "Saturday"
    assert date(2024, 3, 1) - timedelta(days=1) == date(2024, 2, 29)
    assert (date(2024, 1, 3) - timedelta(days=7)).isocalendar()[:2] == (2023, 52)
    assert date(2024, 9, 1) - thursday > timedelta(days=183)
    assert date(2024, 5, 5) - thursday < timedelta(days=183)


def test_importing_does_not_import_dateparser():
    code = "import sys, annotator.assist.dates; print('dateparser' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-02-18", DateValue("2024-02-18", Granularity.DAY)),
        ("2023-09", DateValue("2023-09", Granularity.MONTH)),
        ("2023", DateValue("2023", Granularity.YEAR)),
        ("202", DateValue("202", Granularity.DECADE)),
        ("197X", DateValue("197", Granularity.DECADE)),
        ("20", DateValue("20", Granularity.CENTURY)),
        ("19XX", DateValue("19", Granularity.CENTURY)),
        ("2024-W07", DateValue("2024-W07", Granularity.WEEK)),
        ("2020-W53", DateValue("2020-W53", Granularity.WEEK)),
        ("XXXX-02-18", DateValue("XXXX-02-18", Granularity.DAY)),
        ("XXXX-02-29", DateValue("XXXX-02-29", Granularity.DAY)),
        ("2024-XX-03", DateValue("2024-XX-03", Granularity.DAY)),
        ("2024-02-XX", DateValue("2024-02", Granularity.MONTH)),
        ("2024-02-29", DateValue("2024-02-29", Granularity.DAY)),
        ("2024-02-18T14:00", DateValue("2024-02-18T14:00", Granularity.TIME)),
        ("2024-02-18 14:00:30", DateValue("2024-02-18T14:00:30", Granularity.TIME)),
        (" xxxx-2-3 ", DateValue("XXXX-02-03", Granularity.DAY)),
        ("2024-w7", DateValue("2024-W07", Granularity.WEEK)),
        # Seasons, quarters, halves, parts of a day, weekends, midnight and ranges.
        ("2024-su", DateValue("2024-SU", Granularity.SEASON)),
        ("XXXX-WI", DateValue("XXXX-WI", Granularity.SEASON)),
        ("2024-q1", DateValue("2024-Q1", Granularity.QUARTER)),
        ("2026-H1", DateValue("2026-H1", Granularity.HALF)),
        ("2024-2-18tev", DateValue("2024-02-18TEV", Granularity.PART_OF_DAY)),
        ("2024-02-18 TNI", DateValue("2024-02-18TNI", Granularity.PART_OF_DAY)),
        ("XXXX-02-18TMO", DateValue("XXXX-02-18TMO", Granularity.PART_OF_DAY)),
        ("2024-W07-we", DateValue("2024-W07-WE", Granularity.WEEKEND)),
        ("2024-02-18T24:00", DateValue("2024-02-18T24:00", Granularity.TIME)),
        ("2024-02-1/2024-02-10", DateValue("2024-02-01/2024-02-10", Granularity.RANGE)),
        (" 2019 / 2021 ", DateValue("2019/2021", Granularity.RANGE)),
        ("2025-05/2025-08", DateValue("2025-05/2025-08", Granularity.RANGE)),
        ("XXXX-02-18/XXXX-02-20", DateValue("XXXX-02-18/XXXX-02-20", Granularity.RANGE)),
        ("2024-SU/2024-FA", DateValue("2024-SU/2024-FA", Granularity.RANGE)),
    ],
)
def test_parse_date_value_accepts(typed, expected):
    assert parse_date_value(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "empty"),
        ("2024-13", 'month 13 does not exist in "2024-13"'),
        ("2024-00", 'month 0 does not exist in "2024-00"'),
        ("2024-02-30", r'day 30 does not exist in February 2024 \("2024-02-30"\)'),
        ("2023-02-29", r'day 29 does not exist in February 2023 \("2023-02-29"\)'),
        ("XXXX-04-31", r'day 31 does not exist in April \("XXXX-04-31"\)'),
        ("XXXX-XX-32", 'day 32 does not exist in "XXXX-XX-32"'),
        ("2024-W53", r'week 53 does not exist in 2024 \("2024-W53"\)'),
        ("2024-W00", 'week 0 does not exist in "2024-W00"'),
        ("24-02-18", 'the year must have 4 digits, not "24"'),
        ("2024-1X", 'write an unknown month as XX, not "1X"'),
        ("1XXX", 'write an unknown year as XXXX, not "1XXX"'),
        ("XXXX", "gives no date"),
        ("XXXX-XX-XX", "gives no date"),
        ("2024-02-18T25:00", 'hour 25 does not exist in "2024-02-18T25:00"'),
        ("2024-02-18T14:60", 'minute 60 does not exist in "2024-02-18T14:60"'),
        ("2024-02-XXT14:00", "a time of day needs a known day"),
        ("February 18", '"February 18" is not a date value; write e.g. 2024-02-18'),
        ("0000", "year 0000 does not exist"),
        ("2024-Q5", "is not a date value"),
        ("2024-H3", "is not a date value"),
        ("2024-AU", "is not a date value"),
        ("2024-02TEV", "a part of the day needs a known day"),
        ("2024-02-30TEV", r'day 30 does not exist in February 2024 \("2024-02-30"\)'),
        ("2024-W54-WE", 'week 54 does not exist in "2024-W54-WE"'),
        ("2024-02-18T24:30", 'hour 24 does not exist in "2024-02-18T24:30"'),
        ("2024-02-10/2024-02-01", r"the range ends \(2024-02-01\) before it starts \(2024-02-10\)"),
        ("2021/2019", r"the range ends \(2019\) before it starts \(2021\)"),
        ("2024-02-10/", "a range needs a start and an end"),
        ("2019/2020/2021", 'a range has one "/"'),
        ("2024-13/2024-14", 'month 13 does not exist in "2024-13"'),
    ],
)
def test_parse_date_value_rejects(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_date_value(typed)
