"""Proposed normalised values for DATE spans, read relative to the publication date.

Values are TIMEX3 values (ISO 8601 with TimeML's extensions): "2024-02-18" (day), "2023-09"
(month), "2023" (year), "202" (decade: the 2020s), "20" (century: 2000-2099), "2024-W07" (ISO
week), "2024-W07-WE" (its weekend), "2024-02-18T14:00" (time of day), "2024-02-18TEV" (part of
a day: MO, AF, EV, NI), "2024-SU" (season: SP, SU, FA, WI), "2024-Q1" (quarter), "2024-H2"
(half), "2024-02-01/2024-02-10" (a range) and "XXXX-02-18" (a part that is not known written X).

`propose_date` reads an expression first as the DATE engine (annotator.assist.temporal) reads
it in a text, without its sentence; forms and languages that engine does not know go to
dateparser, as follows:

- A part the text does not give is never taken from today's date. Relative expressions
  ("yesterday", "last Tuesday", "next week", "last year") resolve from the publication date
  only; without one they give None.
- A day or month without a year ("February 18", "September") takes the publication year, or
  the year before when that would put it more than six months after publication (news reports
  the past); without a publication date the year is XXXX.
- A bare weekday ("Monday", "on Thursday", "mardi") is its latest occurrence on or before the
  publication day; "last", "this" and "next" keep their meaning ("last Thursday" on a Thursday
  is a week earlier).
- "next week", "last week", "two weeks ago" give ISO weeks ("2024-W08").
- A publication date without a time counts as the end of that day, so "3 p.m." and "this
  morning" fall on it. Offsets in hours or minutes ("3 hours ago") need a publication time.
- A publication date of only a year or a month resolves an expression only when every day of
  it gives the same value: "last year" with "2024" is "2023", "yesterday" is None.
- Numeric dates are read day first ("03/02/2024" is 3 February) unless that is impossible
  ("02/18/2024") or the language is "en-US".
- Decades ("the 1990s", "les années 1990", "die 1990er Jahre") and centuries ("the 19th
  century", "le XIXe siècle", "das 19. Jahrhundert") give "199" and "18"; "the '90s" takes
  the latest such decade not after publication (the 1990s without one).
- Seasons, quarters and halves ("the spring of 2023", "Q1 2024", "H2") give "2023-SP",
  "2024-Q1", "2024-H2", the publication year when the text gives none; parts of a day ("this
  morning", "Tuesday evening", "last night") "2024-02-15TMO"; "early", "mid" and "late" a
  range of days ("early February": "2024-02-01/2024-02-10") or of months ("mid-2023":
  "2023-05/2023-08"), as do compact ranges ("18-20 February 2024").
- A clock time on its own ("3 p.m.", "noon") is on the publication day; it needs one.
- Two dates that are not one range ("February 18 and 19") give None; so does "now".
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from annotator.domain.date_values import value_bounds


class Granularity(StrEnum):
    """How precise a date value is."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    WEEK = "week"
    WEEKEND = "weekend"  # Saturday and Sunday of an ISO week
    TIME = "time"  # a date and a time of day
    PART_OF_DAY = "part of day"  # morning, afternoon, evening or night of a day
    SEASON = "season"
    QUARTER = "quarter"
    HALF = "half"  # of a year
    RANGE = "range"  # from one value to another


@dataclass(frozen=True, slots=True)
class DateValue:
    """A TIMEX3 value and its granularity."""

    value: str
    granularity: Granularity


# --- Values typed by a user -----------------------------------------------------------------

_EXAMPLES = (
    "write e.g. 2024-02-18, 2024-02, 2024, 2024-W07, 2024-02-18T14:00, XXXX-02-18, "
    "202 (the 2020s) or 20 (2000-2099), 2024-SU (summer), 2024-Q1, 2024-H2, "
    "2024-02-18TEV (evening) or 2024-02-01/2024-02-10 (a range)"
)
# Seasons (spring, summer, fall, winter), quarters and halves of a year, as TimeML writes them.
_PERIOD_VALUE = re.compile(r"(\d{4}|XXXX)-(SP|SU|FA|WI|Q[1-4]|H[12])")
_PART_OF_DAY_VALUE = re.compile(r"(.+?)\s*T(MO|AF|EV|NI)")
_WEEKEND_VALUE = re.compile(r"(\d{4}|XXXX)-W(\d{1,2})-WE")
_CENTURY_VALUE = re.compile(r"(\d{2})(?:XX)?")
_DECADE_VALUE = re.compile(r"(\d{3})X?")
_WEEK_VALUE = re.compile(r"(\d{4}|XXXX)-W(\d{1,2})")
_DATE_VALUE = re.compile(r"([0-9X]+)(?:-([0-9X]+)(?:-([0-9X]+)(?:T([0-9:]+))?)?)?")
_TIME_VALUE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_MONTHS_EN = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_date_value(value: str) -> DateValue:
    """Check a TIMEX3 value typed by a user and return it in canonical form.

    Unknown components are written as Xs in full ("XXXX-02-18", "2024-XX-03"); trailing unknown
    components are dropped ("2024-02-XX" is "2024-02"), as is the X of "197X" and the XX of
    "19XX". Month and day may have one digit; they come back with two. Besides days, months,
    years, weeks, decades, centuries and times of day it takes seasons ("2024-SU"), quarters
    ("2024-Q1"), halves ("2024-H2"), parts of a day ("2024-02-18TEV"), weekends ("2024-W07-WE")
    and ranges "start/end" whose two ends are each such a value, the end not before the start.
    Raises ValueError saying what is wrong.
    """
    shown = value.strip()
    if not shown:
        raise ValueError(f"the date value is empty; {_EXAMPLES}")
    if "/" not in shown:
        return _single_value(shown)
    start_text, _, end_text = shown.partition("/")
    if "/" in end_text:
        raise ValueError(f'a range has one "/" between its start and its end, not "{shown}"')
    if not start_text.strip() or not end_text.strip():
        raise ValueError(f'a range needs a start and an end, e.g. 2024-02-01/2024-02-10: "{shown}"')
    start, end = _single_value(start_text.strip()), _single_value(end_text.strip())
    first, last = value_bounds(start.value), value_bounds(end.value)
    if first is not None and last is not None and last[1] < first[0]:
        raise ValueError(
            f'the range ends ({end.value}) before it starts ({start.value}): "{shown}"'
        )
    return DateValue(f"{start.value}/{end.value}", Granularity.RANGE)


def _single_value(shown: str) -> DateValue:
    """`parse_date_value` for a value that is not a range."""
    text = shown.upper()
    if match := _PERIOD_VALUE.fullmatch(text):
        kind = match[2]
        granularity = (
            Granularity.QUARTER
            if kind[0] == "Q"
            else Granularity.HALF
            if kind[0] == "H"
            else Granularity.SEASON
        )
        return DateValue(f"{match[1]}-{kind}", granularity)
    if match := _WEEKEND_VALUE.fullmatch(text):
        week = _week_value(shown, match[1], int(match[2]))
        return DateValue(f"{week.value}-WE", Granularity.WEEKEND)
    if match := _PART_OF_DAY_VALUE.fullmatch(text):
        known = _single_value(match[1])
        if known.granularity is not Granularity.DAY:
            raise ValueError(
                f'a part of the day needs a known day, e.g. 2024-02-18TEV, not "{shown}"'
            )
        return DateValue(f"{known.value}T{match[2]}", Granularity.PART_OF_DAY)
    text = re.sub(r"^(\S+)\s+(?=\d{1,2}:)", r"\1T", text)  # "2024-02-18 14:00"
    if match := _CENTURY_VALUE.fullmatch(text):
        return DateValue(match[1], Granularity.CENTURY)
    if match := _DECADE_VALUE.fullmatch(text):
        return DateValue(match[1], Granularity.DECADE)
    if match := _WEEK_VALUE.fullmatch(text):
        return _week_value(shown, match[1], int(match[2]))
    match = _DATE_VALUE.fullmatch(text)
    if match is None:
        raise ValueError(f'"{shown}" is not a date value; {_EXAMPLES}')
    year_text, month_text, day_text, time_text = match.groups()
    year = _component(year_text, 4, 4, "year", shown)
    month = _component(month_text, 1, 2, "month", shown)
    day = _component(day_text, 1, 2, "day", shown)
    if year == 0:
        raise ValueError(f'year 0000 does not exist in "{shown}"')
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f'month {month} does not exist in "{shown}"')
    if day is not None:
        _check_day(day, month, year, shown)
    clock = _check_time(time_text, shown) if time_text is not None else None
    if clock is not None and day is None:
        raise ValueError(f'a time of day needs a known day, e.g. 2024-02-18T14:00, not "{shown}"')

    # Drop trailing unknown components: "2024-02-XX" says no more than "2024-02".
    parts = [year_text, month_text, day_text]
    while clock is None and parts and (parts[-1] is None or set(parts[-1]) == {"X"}):
        parts.pop()
    if not parts or (len(parts) == 1 and year is None):
        raise ValueError(f'"{shown}" gives no date: at least one part must be known')
    canonical = "XXXX" if year is None else f"{year:04d}"
    if len(parts) >= 2:
        canonical += "-XX" if month is None else f"-{month:02d}"
    if len(parts) == 3:
        canonical += "-XX" if day is None else f"-{day:02d}"
    if clock is not None:
        return DateValue(f"{canonical}T{clock}", Granularity.TIME)
    granularity = (Granularity.YEAR, Granularity.MONTH, Granularity.DAY)[len(parts) - 1]
    return DateValue(canonical, granularity)


def _component(text: str | None, shortest: int, longest: int, name: str, whole: str) -> int | None:
    """The number of one component of a value, or None when it is unknown (Xs) or absent."""
    if text is None or (set(text) == {"X"} and len(text) == longest):
        return None
    if "X" in text:
        raise ValueError(f'write an unknown {name} as {"X" * longest}, not "{text}" (in "{whole}")')
    if not text.isdigit() or not shortest <= len(text) <= longest:
        digits = f"{longest} digits" if shortest == longest else f"{shortest} or {longest} digits"
        raise ValueError(f'the {name} must have {digits}, not "{text}" (in "{whole}")')
    return int(text)


def _check_day(day: int, month: int | None, year: int | None, whole: str) -> None:
    if month is None:
        last = 31
    elif year is None:
        last = calendar.monthrange(2000, month)[1]  # a leap year: XXXX-02-29 may exist
    else:
        last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return
    if month is None:
        raise ValueError(f'day {day} does not exist in "{whole}"')
    where = _MONTHS_EN[month] if year is None else f"{_MONTHS_EN[month]} {year}"
    raise ValueError(f'day {day} does not exist in {where} ("{whole}")')


def _check_time(text: str, whole: str) -> str:
    match = _TIME_VALUE.fullmatch(text)
    if match is None:
        raise ValueError(f'the time must be written HH:MM or HH:MM:SS, not "{text}" (in "{whole}")')
    hour, minute = int(match[1]), int(match[2])
    second = None if match[3] is None else int(match[3])
    if hour > 23 and not (hour == 24 and minute == 0 and not second):  # 24:00, midnight
        raise ValueError(f'hour {hour} does not exist in "{whole}"')
    if minute > 59:
        raise ValueError(f'minute {minute} does not exist in "{whole}"')
    if second is not None and second > 59:
        raise ValueError(f'second {second} does not exist in "{whole}"')
    return f"{hour:02d}:{minute:02d}" + ("" if second is None else f":{second:02d}")


def _week_value(whole: str, year_text: str, week: int) -> DateValue:
    if not 1 <= week <= 53:
        raise ValueError(f'week {week} does not exist in "{whole}"')
    if year_text != "XXXX":
        try:
            date.fromisocalendar(int(year_text), week, 1)
        except ValueError:
            raise ValueError(f'week {week} does not exist in {year_text} ("{whole}")') from None
    return DateValue(f"{year_text}-W{week:02d}", Granularity.WEEK)


# --- Expressions found in articles ----------------------------------------------------------

# dateparser fills in every part of a date that the text does not give from its relative base,
# which is today unless told otherwise: "September 2023" comes back as a day of September, and
# "February 18" or "Tuesday" as dates in this year. Its `period` says how precise the date is,
# but not which parts were filled in ("February 18" and "last Tuesday" both give "day"). So each
# expression is read twice, from two unrelated bases: what differs between the two readings
# came from the base, not from the text. Only then is the publication date used as the base.
_PROBES = (datetime(2001, 3, 7, 5, 17), datetime(2013, 10, 22, 19, 43))
_END_OF_DAY = time(23, 59, 59)
_HALF_YEAR = timedelta(days=183)

_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "current_period",
    "RETURN_TIME_AS_PERIOD": True,
    # The values are wall-clock times as written; time zones are removed from the text first.
    "TIMEZONE": "UTC",
    # No Unix timestamps: a span of digits is not a date.
    "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
}

_SPACES = re.compile(r"\s+")
_EDGES = "\"'“”‘’«»()[]{},;: "
_ISO_VALUE = re.compile(r"\d{4}-(?:W\d{2}|\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)?)")
# Ordinal words up to the last day of a month: "the twenty-first century", "the first quarter".
ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        (
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
            "twenty-first",
            "twenty-second",
            "twenty-third",
            "twenty-fourth",
            "twenty-fifth",
            "twenty-sixth",
            "twenty-seventh",
            "twenty-eighth",
            "twenty-ninth",
            "thirtieth",
            "thirty-first",
        ),
        start=1,
    )
}
_EN_PREFIX = r"(?:(?:in|during|since|by|until|before|after|of)\s+)?(?:the\s+)?"
_EN_PART = r"(?:(?:early|mid|late)[\s-]+)?"
_DECADES = (
    re.compile(rf"{_EN_PREFIX}{_EN_PART}(?P<decade>[1-9]\d{{2}})0[’']?s", re.IGNORECASE),
    re.compile(
        r"(?:(?:dans|durant|pendant|depuis)\s+)?(?:les\s+)?(?:(?:début|fin|milieu)\s+des\s+)?"
        r"années\s+(?P<decade>[1-9]\d{2})0",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:(?:in|seit)\s+)?(?:(?:den|die)\s+)?(?:(?:frühen|späten)\s+)?"
        r"(?P<decade>[1-9]\d{2})0er(?:[\s-]+jahren?)?",
        re.IGNORECASE,
    ),
)
_CENTURIES = (
    re.compile(
        rf"{_EN_PREFIX}{_EN_PART}(?:(?P<number>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>[a-z-]+))"
        r"[\s-]+century",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:(?:au|le|du|depuis\s+le)\s+)?(?:(?:début|fin|milieu)\s+du\s+)?"
        r"(?:(?P<number>\d{1,2})|(?P<roman>[IVXLC]+))(?:e|er|re|ème|eme)\s+siècle",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:(?:im|das|dem|des|seit\s+dem)\s+)?(?:(?:frühen|späten)\s+)?"
        r"(?P<number>\d{1,2})\.\s*jahrhunderts?",
        re.IGNORECASE,
    ),
)
_YEAR_PART = re.compile(
    rf"{_EN_PREFIX}(?:early|mid|late|spring|summer|autumn|fall|winter|"
    r"(?:first|second|third|fourth|last)\s+(?:half|quarter))(?:[\s-]+of)?[\s-]+(?P<year>\d{4})",
    re.IGNORECASE,
)
# German "am 18.02.": dateparser reads it as the time 18:02.
_DOTTED_DAY_MONTH = re.compile(r"(?:(?:am|vom|seit|le)\s+)?(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.")
# Ranges are not one date; dateparser keeps one end or reads "19" in "18 and 19" as 2019.
_RANGE = re.compile(
    r"\d\s*[-–—]\s*\d{1,2}\s+[^\W\d]"  # 18-20 February
    r"|\b\d{4}\s*[-–—]\s*\d{4}\b|\b\d{4}\s*[–—]\s*\d{2}\b"  # 2020-2024, 2023–24
    r"|\d\w*\.?\s+(?:and|to|or|until|till|through|thru|et|au|ou|und|bis|oder)\b"
    r"|\b(?:and|to|or|until|till|through|thru|between|et|au|ou|und|bis|oder|zwischen|entre)\s+\d",
    re.IGNORECASE,
)
# dateparser reads "1990s" (and "1995s") as so many seconds ago.
_NUMBER_WITH_S = re.compile(r"\d[’']?s\b", re.IGNORECASE)
_PREFIX = re.compile(
    r"(?:on|in|at|during|since|the|am|im|um|an|seit|den|dem|der|le|la|en|au|depuis|dès)"
    r"\s+",
    re.IGNORECASE,
)
_YEAR_LIKE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")
# English words that are month or weekday names only when capitalised.
_AMBIGUOUS_EN = re.compile(r"\b(?:may|march|mar|sun|sat|wed)\b")
_NAMES = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_WEEKDAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_MONTH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b"
)
# dateparser's English for relative dates: "1 day ago", "in 2 week", "0 year ago" (this year).
_RELATIVE = re.compile(
    r"\b(?P<count>\d+)\s+(?P<unit>year|month|week|fortnight|day|decade|century|hour|minute"
    r"|second)s?\b"
)
_WEEKDAY_MODIFIERS = re.compile(
    r"\b(?:last|next|this|ago|in|previous|coming|following|past)\b|\d+\s+(?:day|week)"
)


def propose_date(
    expression: str, published: str | None, *, language: str | None = None
) -> DateValue | None:
    """The value for a date expression as found in an article, or None when the text is not a
    date or cannot be resolved.

    `published` is the document's publication date (ISO 8601: "2024-02-15",
    "2024-02-15T10:30:00+01:00", "2024-02" or "2024"), or None; `language` an ISO 639-1 code
    such as "fr" (English when None; "en-US" reads numeric dates month first).
    """
    text = _SPACES.sub(" ", expression).strip(_EDGES)
    if not text:
        return None
    from annotator.assist.temporal import read_expression  # it imports this module

    read, value = read_expression(text, published, language=language)
    if read:
        return value
    publication = Publication.read(published)
    if special := _decade_or_century(text):
        return special
    if _ISO_VALUE.fullmatch(text):
        try:
            return parse_date_value(text)
        except ValueError:
            return None
    if _RANGE.search(text) or _NUMBER_WITH_S.search(text):
        return None
    if match := _DOTTED_DAY_MONTH.fullmatch(text):
        day, month = int(match["day"]), int(match["month"])
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
            return None
        return _without_year(Granularity.DAY, month, day, None, publication)
    languages, date_order = _languages(language)
    reading = _Reading.of(text, languages, date_order)
    stripped = text
    while reading is None and (prefix := _PREFIX.match(stripped)):
        stripped = stripped[prefix.end() :]
        reading = _Reading.of(stripped, languages, date_order)
    if reading is None:
        if match := _YEAR_PART.fullmatch(text):
            return DateValue(match["year"], Granularity.YEAR)
        return None
    return reading.resolve(publication)


def _decade_or_century(text: str) -> DateValue | None:
    for pattern in _DECADES:
        if match := pattern.fullmatch(text):
            return DateValue(match["decade"], Granularity.DECADE)
    for pattern in _CENTURIES:
        if match := pattern.fullmatch(text):
            groups = match.groupdict()
            if groups.get("number"):
                number = int(groups["number"])
            elif groups.get("roman"):
                number = _roman(groups["roman"].upper())
            else:
                number = ORDINAL_WORDS.get(groups["word"].lower(), 0)
            if 1 <= number <= 99:
                return DateValue(f"{number - 1:02d}", Granularity.CENTURY)
            return None
    return None


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for letter, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = values[letter]
        total += -value if following and values[following] > value else value
    return total


def _languages(language: str | None) -> tuple[tuple[str, ...], str]:
    """The dateparser languages to try, in order, and the order of numeric dates."""
    if not language:
        return ("en",), "DMY"
    code = language.strip().replace("_", "-")
    base, _, region = code.partition("-")
    order = "MDY" if base.lower() == "en" and region.upper() == "US" else "DMY"
    known = _known_languages()
    for candidate in (code, base.lower()):
        if candidate in known:
            return ((candidate,) if candidate == "en" else (candidate, "en")), order
    return ("en",), order


@functools.cache
def _known_languages() -> frozenset[str]:
    from dateparser.data.languages_info import (  # type: ignore[import-untyped]
        language_order,
    )

    return frozenset(language_order)


@functools.lru_cache(maxsize=256)
def _parser(languages: tuple[str, ...], date_order: str, base: datetime) -> Any:
    """A dateparser parser reading relative to `base` (dateparser takes the base as a setting)."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    settings = {**_SETTINGS, "RELATIVE_BASE": base, "DATE_ORDER": date_order}
    return DateDataParser(languages=list(languages), use_given_order=True, settings=settings)


def _parse(text: str, languages: tuple[str, ...], date_order: str, base: datetime) -> Any:
    """dateparser's DateData for `text`, or None."""
    from dateparser.timezone_parser import (  # type: ignore[import-untyped]
        pop_tz_offset_from_string,
    )

    without_zone, _ = pop_tz_offset_from_string(text)
    try:
        data = _parser(languages, date_order, base).get_date_data(without_zone.strip() or text)
    except (ValueError, OverflowError):  # e.g. "in 10000 years"
        return None
    if data.date_obj is None:
        return None
    data.date_obj = data.date_obj.replace(tzinfo=None)
    return data


def _translation(text: str, locale: str) -> str:
    """`text` in dateparser's English: "hier" is "1 day ago", "18 février" "18 february"."""
    from dateparser.conf import settings  # type: ignore[import-untyped]
    from dateparser.languages.loader import (  # type: ignore[import-untyped]
        default_loader,
    )

    translated: str = default_loader.get_locale(locale).translate(text, settings=settings)
    return translated.lower()


def _is_date_like(text: str, locale: str) -> bool:
    """Whether `text` has a month or weekday name, a year, a numeric date or a relative word.

    dateparser also reads "the 12" as December, "at 3" as March, "a" as the 1st and
    "2024 week" as 2024 weeks ago.
    """
    translated = _translation(text, locale)
    offsets = [(int(match["count"]), match["unit"]) for match in _RELATIVE.finditer(translated)]
    if any(count >= 1000 for count, _ in offsets):
        return False
    if _YEAR_LIKE.search(text) or _NUMERIC_DATE.search(text):
        return True
    # "now" is 0 seconds ago.
    if any(count > 0 or unit not in ("hour", "minute", "second") for count, unit in offsets):
        return True
    if locale.split("-")[0] == "en" and _AMBIGUOUS_EN.search(text):
        text = _AMBIGUOUS_EN.sub(" ", text)
        translated = _translation(text, locale) if text.strip() else ""
    return bool(_NAMES.search(translated))


def _format(moment: datetime, granularity: Granularity) -> str:
    if granularity is Granularity.YEAR:
        return f"{moment.year:04d}"
    if granularity is Granularity.MONTH:
        return f"{moment.year:04d}-{moment.month:02d}"
    if granularity is Granularity.WEEK:
        week = moment.isocalendar()
        return f"{week.year:04d}-W{week.week:02d}"
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    if granularity is Granularity.TIME:
        return f"{day}T{_clock(moment.time())}"
    return day


def _clock(moment: time) -> str:
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    return clock if moment.second == 0 else f"{clock}:{moment.second:02d}"


@dataclass(frozen=True, slots=True)
class Publication:
    """The days a document may have been published on, and its time when known."""

    first: date
    last: date
    moment: datetime | None

    @classmethod
    def read(cls, published: str | None) -> Publication | None:
        """None when there is no publication date or it is not ISO 8601."""
        text = (published or "").strip()
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return cls(date(year, 1, 1), date(year, 12, 31), None) if year else None
        if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(match[1]), int(match[2])
            if year == 0 or not 1 <= month <= 12:
                return None
            last = calendar.monthrange(year, month)[1]
            return cls(date(year, month, 1), date(year, month, last), None)
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return cls(day, day, None)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return None
        return cls(moment.date(), moment.date(), moment)

    @property
    def days(self) -> tuple[date, ...]:
        return (self.first,) if self.first == self.last else (self.first, self.last)

    def bases(self) -> list[datetime]:
        """The moments to resolve relative expressions from: the publication time, or the end
        of the first and of the last day it may have been."""
        if self.moment is not None:
            return [self.moment]
        return [datetime.combine(day, _END_OF_DAY) for day in sorted({self.first, self.last})]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What an expression gives, found by reading it from the two probe bases."""

    text: str
    languages: tuple[str, ...]
    date_order: str
    granularity: Granularity
    first: datetime  # as read from the first probe
    given: str  # "all", "no year" or "relative"
    clock: time | None  # a time of day that the text gives
    bare_weekday: bool

    @classmethod
    def of(cls, text: str, languages: tuple[str, ...], date_order: str) -> _Reading | None:
        readings = [_parse(text, languages, date_order, probe) for probe in _PROBES]
        first, second = readings
        if first is None or second is None:
            return None
        locale: str = first.locale or languages[0]
        if not _is_date_like(text, locale):
            return None
        one: datetime = first.date_obj
        two: datetime = second.date_obj
        clock = None
        granularity = {
            "day": Granularity.DAY,
            "part_of_day": Granularity.DAY,
            "week": Granularity.WEEK,
            "month": Granularity.MONTH,
            "quarter": Granularity.YEAR,
            "year": Granularity.YEAR,
        }.get(first.period, Granularity.DAY)
        if first.period == "time":
            if one.time() == two.time():
                granularity, clock = Granularity.TIME, one.time()
            else:  # an offset in hours, minutes or seconds
                granularity = Granularity.TIME
        if _format(one, granularity) == _format(two, granularity):
            given = "all"
        elif granularity in (Granularity.DAY, Granularity.MONTH, Granularity.TIME) and (
            _format(one, granularity)[4:] == _format(two, granularity)[4:]
        ):
            given = "no year"
        else:
            given = "relative"
        translated = _translation(text, locale)
        bare_weekday = bool(
            _WEEKDAY.search(translated)
            and not _MONTH.search(translated)
            and not _WEEKDAY_MODIFIERS.search(translated)
        )
        return cls(text, languages, date_order, granularity, one, given, clock, bare_weekday)

    def resolve(self, publication: Publication | None) -> DateValue | None:
        if self.given == "all":
            return DateValue(_format(self.first, self.granularity), self.granularity)
        if self.given == "no year":
            day = self.first.day if self.granularity is not Granularity.MONTH else None
            return _without_year(self.granularity, self.first.month, day, self.clock, publication)
        if publication is None:
            return None
        granularity = self.granularity
        if granularity is Granularity.TIME and self.clock is None and publication.moment is None:
            return None  # "3 hours ago" from an unknown time of day
        values: set[str] = set()
        for base in publication.bases():
            data = _parse(self.text, self.languages, self.date_order, base)
            if data is None:
                return None
            moment: datetime = data.date_obj
            if self.bare_weekday:
                published = base.date()
                back = (published.weekday() - moment.weekday()) % 7
                if published.toordinal() <= back:
                    return None
                moment = datetime.combine(published - timedelta(days=back), moment.time())
            if self.clock is not None:
                moment = datetime.combine(moment.date(), self.clock)
            values.add(_format(moment, granularity))
        if len(values) != 1:
            return None  # the publication date is not precise enough
        return DateValue(values.pop(), granularity)


def _without_year(
    granularity: Granularity,
    month: int,
    day: int | None,
    clock: time | None,
    publication: Publication | None,
) -> DateValue:
    """A date whose year the text does not give: the publication year, or the year before
    when that is more than six months after publication; XXXX when it cannot be told."""
    years: set[int | None] = set()
    for published in [] if publication is None else sorted({publication.first, publication.last}):
        year = published.year
        if _exists(year, month, day) and date(year, month, day or 1) - published > _HALF_YEAR:
            year -= 1
        years.add(year if year > 0 and _exists(year, month, day) else None)
    year_text = f"{years.pop():04d}" if len(years) == 1 and None not in years else "XXXX"
    value = f"{year_text}-{month:02d}"
    if day is not None:
        value += f"-{day:02d}"
    if clock is not None:
        return DateValue(f"{value}T{_clock(clock)}", Granularity.TIME)
    return DateValue(value, granularity)


def _exists(year: int, month: int, day: int | None) -> bool:
    return day is None or day <= calendar.monthrange(year, month)[1]
