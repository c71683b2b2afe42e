"""The period a TIMEX3-style date value covers, as calendar days.

Pure and shared: the date engine (annotator/assist) checks ranges with it and the timeline
(annotator/analysis) places seasons, quarters, halves, parts of day and ranges with it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 14: next February
_BOUNDED = re.compile(
    r"(?P<year>\d{4})(?:-(?:W(?P<week>\d{2})(?P<weekend>-WE)?|(?P<period>SP|SU|FA|WI|Q[1-4]|H[12])"
    r"|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?(?:T.*)?"
)


def value_bounds(value: str) -> tuple[date, date] | None:
    """The first and last day a canonical value covers, or None when it has unknown parts or is
    not a calendar value (decades and centuries are bounded too; a range "a/b" runs from the
    first day of a to the last of b)."""
    if "/" in value:
        first_part, _, last_part = value.partition("/")
        opening, closing = value_bounds(first_part), value_bounds(last_part)
        if opening is None or closing is None or closing[1] < opening[0]:
            return None
        return opening[0], closing[1]
    if len(value) in (2, 3) and value.isdigit():
        first = int(value) * (100 if len(value) == 2 else 10)
        span = 100 if len(value) == 2 else 10
        if first + span - 1 < 1 or first + span - 1 > 9999:
            return None
        return date(max(first, 1), 1, 1), date(first + span - 1, 12, 31)
    match = _BOUNDED.fullmatch(value)
    if match is None:
        return None
    year = int(match["year"])
    if year == 0:
        return None
    try:
        if match["week"]:
            monday = date.fromisocalendar(year, int(match["week"]), 1)
            if match["weekend"]:
                return monday + timedelta(days=5), monday + timedelta(days=6)
            return monday, monday + timedelta(days=6)
        if period := match["period"]:
            if period[0] == "Q":
                first_month, last_month = 3 * int(period[1]) - 2, 3 * int(period[1])
            elif period[0] == "H":
                first_month, last_month = 6 * int(period[1]) - 5, 6 * int(period[1])
            else:
                first_month, last_month = _SEASON_MONTHS[period]
            last_year = year + (last_month - 1) // 12
            last_month = (last_month - 1) % 12 + 1
            last_day = calendar.monthrange(last_year, last_month)[1]
            return date(year, first_month, 1), date(last_year, last_month, last_day)
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return day, day
        if match["month"]:
            month = int(match["month"])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
