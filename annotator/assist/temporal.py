"""The DATE engine: finds the time expressions of a text and gives each its TIMEX3 value.

The guideline (annotator/resources/guidelines.md, DATE) says what to mark and which value to
give; this module is written to it. English is covered thoroughly; the lexicon is kept in tables
so that other languages can be added beside it.

Why our own finder and not dateparser's `search_dates`: it is slow (a full parse for every
candidate it tries, seconds on a long article), and wrong on news: it reads "may" and "March"
as months and "a" or "the 12" as dates, takes durations ("for two years") for dates, drops
determiners and modifiers the guideline keeps ("last year", "early February"), has no seasons,
quarters, halves, parts of day, ranges or anaphora, and fills what the text does not say from
today's date. So candidates are found here by compiled regular expressions (one alternation,
one pass over the text) and the forms news uses are normalised here, by calendar arithmetic
against the publication date; dateparser stays behind `propose_date` for forms and languages
this module does not know.

How a candidate is read:

- Absolute dates keep what the text gives ("September 2023" is "2023-09").
- Deictic expressions ("yesterday", "last week", "three weeks ago", "this morning") are read
  against the publication date; without one they get no value. A publication date of only a
  year or a month gives a value only when every day of it gives the same one.
- A bare weekday, month or a day without its year is the latest one on or before publication,
  unless its clause is about the future ("will", "is due to", "plans to", "scheduled"...):
  then the next one after it. `Tense` says which; the clause is read by `_tense`.
- Anaphora ("two days earlier", "the following week", "that year", "the same day") are read
  against the nearest earlier date of the text precise enough for them (a proposal of this
  run or a DATE annotation with a value), not against publication.
- Ranges are "start/end": "early", "mid" and "late" split a month into days 1-10, 11-20 and
  21 to its end, and a year into January-April, May-August and September-December.
"""

from __future__ import annotations

import calendar
import functools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from itertools import accumulate
from typing import Any

from annotator.assist.base import DATES, DocumentContext, Proposal
from annotator.assist.dates import (
    ORDINAL_WORDS,
    DateValue,
    Granularity,
    Publication,
    parse_date_value,
)
from annotator.domain.date_values import value_bounds


def _wordset(words: str) -> frozenset[str]:
    """The words of a space-separated list (long word lists read better as text)."""
    return frozenset(words.split())


# --- Lexicon (English) -------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a couple of": 2,
}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 14: February
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
_HALF_ORDINALS = {"first": 1, "second": 2, "latter": 2}
# Names that contain a weekday or month but are not dates ("Black Friday" is; but it is a
# name of a day, not a day the guideline asks to mark by its calendar value).
_WEEKDAY_NAME_BEFORE = _wordset(
    "black good holy ash palm easter maundy bloody cyber super the-mail"
)
_WEEKDAY_NAME_AFTER = _wordset(
    "times telegraph mirror express herald post people mail observer sport star prayers "
    "prayer sermon"
)
_EVENT_NOUNS = _wordset(
    "attack attacks attackers bombing bombings revolution movement incident uprising "
    "massacre agreement accords accord declaration manifesto committee commission coup war"
)
# Words after a four-digit number that make it a count, not a year ("2000 people").
_COUNT_NOUNS = _wordset(
    "people persons troops soldiers residents homes houses jobs cases deaths votes members "
    "workers employees students children women men families refugees migrants tons tonnes "
    "km kilometres kilometers miles metres meters feet kg pounds dollars euros yuan rubles "
    "roubles won yen units cars vehicles flights times years months days hours minutes "
    "seconds percent per cent points calories signatures acres hectares barrels rounds "
    "shells missiles drones cattle sheep beds pages words copies"
)
# Words before a four-digit number that make it a quantity, a code or part of a name.
_COUNT_BEFORE = _wordset(
    "about around approximately nearly almost over under some roughly least than no no. "
    "number nos route flight room page pages article section paragraph model resolution "
    "code chapter item lot plot"
)
_PREPOSITIONS = _wordset(
    "in on at by since until till from to during before after of for between through "
    "throughout into within around about near than as like"
)
_DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "last", "next", "early", "late", "mid"]
)
_CURRENCY = frozenset("$€£¥₩₽")

# --- Expressions -------------------------------------------------------------------------------

_S = r"[^\S\n]+"  # spaces within a line: an expression does not run across a line break
_COMMA = r"[^\S\n]*,[^\S\n]*"
_SEP = rf"(?:{_COMMA}|{_S})"
_DASH = r"[^\S\n]*[-–—][^\S\n]*"


def _words(words: Iterable[str], capital: bool = True) -> str:
    """An alternation of words, each also with a capital first letter when `capital`."""
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        head, rest = word[0], re.escape(word[1:])
        first = f"[{head}{head.upper()}]" if capital and head.isalpha() else re.escape(head)
        alternatives.append(first + rest.replace(r"\ ", _S))
    return "(?:" + "|".join(alternatives) + ")"


_MONTH_FULL = "(?:" + "|".join(name.capitalize() for name in _MONTHS) + r")(?!\w)"
_MONTH_SHORT = (
    "(?:" + "|".join(sorted((a.capitalize() for a in _MONTH_ABBREVIATIONS), key=len, reverse=True))
) + r")(?:\.|(?!\w))"
_MONTH_ANY = f"(?:{_MONTH_FULL}|{_MONTH_SHORT})"


def _word_tree(words: Iterable[str], capital: bool = True) -> str:
    """The words of `_words` as a prefix tree: the same strings match, but `re` walks the
    tree instead of trying a hundred alternatives one by one at every word of the text. Only
    where any match will do (a lookahead): the tree does not keep `_words`' longest-first
    order."""
    root: dict[str, Any] = {}
    for word in words:
        heads = {word[0], word[0].upper()} if capital and word[0].isalpha() else {word[0]}
        for head in heads:
            node = root
            for char in head + word[1:]:
                node = node.setdefault(char, {})
            node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [
            (_S if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


_WEEKDAY = _words(_WEEKDAYS)
_SEASON = _words(_SEASONS)
_PART = _words(_PARTS_OF_DAY, capital=False)
_NUMBER = rf"(?:\d{{1,3}}|{_words(_NUMBER_WORDS)})"
_YEAR_DIGITS = r"(?:1[6-9]|20|21)\d\d(?![\d,]\d)"
_UNIT = r"(?:day|week|fortnight|month|year|decade|century|centurie|hour|minute)"


def _day(name: str) -> str:
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?!\d)(?:st|nd|rd|th)?"


def _month(name: str) -> str:
    return f"(?P<{name}>{_MONTH_ANY})"


def _year(name: str) -> str:
    return f"(?P<{name}>{_YEAR_DIGITS})"


_ZONE = (
    r"(?:GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|CT|MSK|JST|KST"
    r"|IST|AEST|AEDT|WIB|HKT|SGT|Z|local[^\S\n]+time|[A-Z][a-z]+[^\S\n]+time)"
)
_RELATIVE_YEAR = r"(?:the|this|last|next|that)\s+year"
_RELATIVE_MONTH = r"(?:the|this|last|next|that)\s+month"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: str
    score: float


# One alternation, tried in this order at each position: longer and more specific forms first.
_RULES = (
    _Rule(
        "iso",
        r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
        r"(?:(?:T|[^\S\n]+)(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?![\d-])",
        0.95,
    ),
    _Rule(
        "numeric",
        r"(?P<a>\d{1,2})(?P<s1>[./-])(?P<b>\d{1,2})(?P<s2>[./-])(?P<y>\d{4}|\d{2})(?![\d./-]?\d)",
        0.9,
    ),
    _Rule(
        "weekday-date",
        rf"(?P<wd>{_WEEKDAY}){_SEP}(?:(?:the{_S})?{_day('d')}(?:{_S}of)?{_S}{_month('m')}"
        rf"|{_month('m2')}{_S}{_day('d2')})(?:{_SEP}{_year('y')})?",
        0.95,
    ),
    _Rule(
        "day-range",
        rf"(?:{_day('d1')}(?:{_S}{_month('m1')})?(?:{_DASH}|{_S}to{_S}){_day('d2')}{_S}{_month('m2')}"
        rf"|{_month('m3')}{_S}{_day('d3')}(?:{_DASH}|{_S}to{_S})(?:{_month('m4')}{_S})?"
        rf"{_day('d4')})(?:{_SEP}{_year('y')})?",
        0.9,
    ),
    _Rule(
        "day-month-year",
        rf"(?:[Tt]he{_S})?{_day('d')}(?:{_S}of)?{_S}{_month('m')}{_SEP}{_year('y')}",
        0.95,
    ),
    _Rule("month-day-year", rf"{_month('m')}{_S}{_day('d')}{_SEP}{_year('y')}", 0.95),
    _Rule("month-year", rf"{_month('m')}(?:{_S}of)?{_SEP}{_year('y')}", 0.95),
    _Rule(
        "part-of-day",
        rf"(?:(?P<rel>{_words(('yesterday', 'today', 'tomorrow', 'this', 'last', 'early'))}"
        rf"|(?P<wd>{_WEEKDAY})){_S}(?P<part>{_PART})"
        rf"|[Tt]onight|[Oo]vernight(?={_S}(?:on{_S})?{_WEEKDAY})"
        rf"|[Tt]he{_S}(?P<part2>{_PART}){_S}of(?={_S}\S))",
        0.85,
    ),
    _Rule("day-month", rf"(?:[Tt]he{_S})?{_day('d')}(?:{_S}of)?{_S}{_month('m')}", 0.9),
    _Rule("month-day", rf"{_month('m')}{_S}{_day('d')}(?![^\S\n]*[:.,]?\d)", 0.9),
    _Rule(
        "clock",
        rf"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?[^\S\n]*(?P<ap>[ap])(?:\.m\.?|m\b)"
        rf"(?:{_S}{_ZONE})?"
        rf"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?:[^\S\n]*(?:hours|hrs|h)\b|{_S}{_ZONE})?"
        rf"|(?P<h3>[01]\d|2[0-3])(?P<mi3>[0-5]\d){_S}(?:hours|hrs|GMT|UTC)"
        rf"|(?P<named>[Nn]oon|[Mm]idday|[Mm]idnight))",
        0.85,
    ),
    _Rule(
        "deictic-day",
        rf"(?:[Tt]he{_S}day{_S}(?P<dir>before{_S}yesterday|after{_S}tomorrow)"
        r"|(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow))",
        0.9,
    ),
    _Rule(
        "relative",
        rf"(?:(?P<mod>[Ee]arly|[Mm]id|[Ll]ate|[Ee]arlier|[Ll]ater)(?:{_S}|-))?"
        rf"(?P<rel>[Tt]his{_S}past|[Tt]his{_S}coming|[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming)"
        rf"{_S}(?P<unit>week|weekend|month|year|quarter|decade|century"
        rf"|{_WEEKDAY}|{_MONTH_FULL}|{_SEASON})(?!-)",
        0.9,
    ),
    _Rule(
        "ago",
        rf"(?P<n>{_NUMBER})(?:{_S}|-)(?P<unit>{_UNIT})s?{_S}ago",
        0.9,
    ),
    _Rule(
        "offset",
        rf"(?P<n>{_NUMBER})(?:{_S}|-)(?P<unit>{_UNIT})s?{_S}"
        r"(?P<dir>earlier|later|before|after|previously|prior)",
        0.7,
    ),
    _Rule(
        "anaphor",
        rf"(?:[Tt]he{_S}(?P<rel>next|following|previous|preceding|prior|same)"
        rf"|[Tt]hat(?:{_S}same)?|(?P<side>[Ll]ater|[Ee]arlier){_S}that|[Nn]ext(?={_S}(?:day|morning)))"
        rf"{_S}(?P<unit>day|morning|afternoon|evening|night|week|weekend|month|year|decade"
        rf"|century|{_WEEKDAY}|{_SEASON})(?!-)"
        rf"|[Tt]he{_S}(?P<unit2>day|week|month|year){_S}(?P<dir>before|after)",
        0.7,
    ),
    _Rule(
        "season",
        rf"(?:[Tt]he{_S})?(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id)(?:{_S}|-))?(?P<season>{_SEASON})"
        rf"(?:(?:{_S}of)?{_S}{_year('y')}(?:[^\S\n]*[-–/](?:\d{{4}}|\d{{2}})(?!\d))?)?",
        0.85,
    ),
    _Rule(
        "quarter",
        rf"(?:[Tt]he{_S})?(?P<ord>{_words(_QUARTER_ORDINALS)})(?:{_S}|-)quarter"
        rf"(?:{_S}of{_S}(?:{_year('y')}|(?P<which>{_RELATIVE_YEAR})))?"
        rf"|Q(?P<q>[1-4])(?:{_S}{_year('y2')}|[^\S\n]*['’](?P<yy>\d\d))?"
        rf"|{_year('y3')}{_S}Q(?P<q3>[1-4])",
        0.85,
    ),
    _Rule(
        "half",
        rf"(?:[Tt]he{_S})?(?P<ord>{_words(_HALF_ORDINALS)})(?:{_S}|(?P<hyphen>-))half"
        rf"(?:{_S}of{_S}(?:{_year('y')}|(?P<which>{_RELATIVE_YEAR})))?"
        rf"|H(?P<h>[12])(?:{_S}{_year('y2')})?|{_year('y3')}{_S}H(?P<h3>[12])",
        0.85,
    ),
    _Rule(
        "part-of-period",
        rf"(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id)(?:{_S}|-)|(?:[Tt]he{_S})?"
        rf"(?P<edge>end|beginning|start|middle|close|turn){_S}of{_S})"
        rf"(?:{_month('m')}(?:{_SEP}{_year('y')})?|{_year('y2')}"
        rf"|(?P<which>{_RELATIVE_YEAR}|{_RELATIVE_MONTH}|(?:the|this|last|next){_S}week"
        rf"|(?:the|this){_S}decade|(?:the|this){_S}century))",
        0.85,
    ),
    _Rule(
        "decade",
        rf"(?:[Tt]he{_S})?(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:{_S}|-))?"
        rf"(?:(?P<dec>1[0-9]|20)(?P<d3>\d)0['’]?s|['’](?P<d2>\d)0s"
        rf"|(?<=[Tt]he )(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:{_S}|-))?(?P<word>{_words(_DECADE_WORDS)})"
        rf"|(?<=[Tt]he{_S[:-1]})(?P<word2>{_words(_DECADE_WORDS)}))",
        0.9,
    ),
    _Rule(
        "century",
        rf"(?:[Tt]he{_S})?(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:{_S}|-))?"
        rf"(?:(?P<num>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>{_words(ORDINAL_WORDS)}))"
        rf"(?:{_S}|-)century"
        rf"|(?:[Tt]he{_S})?(?P<rel>last|this|next|previous|current|past){_S}century",
        0.85,
    ),
    _Rule("weekend", rf"[Tt]he{_S}weekend", 0.75),
    _Rule(
        "year-range",
        rf"{_year('y1')}(?:{_DASH}|/)(?P<y2>{_YEAR_DIGITS}|\d\d(?![\d,]\d))",
        0.85,
    ),
    _Rule(
        "holiday",
        rf"(?P<name>Christmas(?:{_S}(?:Day|Eve))?|New{_S}Year['’]s{_S}(?:Day|Eve)"
        rf"|Boxing{_S}Day|Hallowe['’]?en|(?:St\.?{_S}|Saint{_S})?Valentine['’]s{_S}Day"
        rf"|Easter(?:{_S}(?:Sunday|Monday))?|Good{_S}Friday|Thanksgiving(?:{_S}Day)?"
        rf"|Bastille{_S}Day)(?:{_SEP}{_year('y')})?",
        0.8,
    ),
    _Rule(
        "day-list",
        rf"{_day('d')}(?=(?:{_COMMA}\d{{1,2}}(?:st|nd|rd|th)?)*(?:{_COMMA}|{_S})(?:and|or|&)"
        rf"{_S}\d{{1,2}}(?:st|nd|rd|th)?{_S}{_month('m')})",
        0.85,
    ),
    _Rule("weekday", rf"(?:(?:[Ee]arly|[Ll]ate){_S})?(?P<wd>{_WEEKDAY})", 0.85),
    _Rule("month", rf"(?P<m>{_MONTH_FULL})", 0.8),
    _Rule("year", _year("y"), 0.8),
)

_GROUP_NAME = re.compile(r"\(\?P<\w+>")
_LOOKBEHIND_THE = re.compile(r"\(\?<=\[Tt\]he[^)]*\)")
# Every word an expression can begin with, and for "the", "a" and "that" the words that can
# follow them. The alternation is tried only where these start (most words of a text are not
# such a start), which makes the pass over a text about three times as fast.
_FIRST_WORDS = list(
    _wordset(
        "christmas new boxing halloween hallowe'en hallowe’en st saint valentine's valentine’s "
        "easter good thanksgiving bastille this last next early earlier mid late later "
        "yesterday today tomorrow tonight overnight noon midday midnight past coming previous "
        "current end beginning start middle close turn"
    )
)
_AFTER_THE = list(
    _wordset(
        "day days year week month weekend morning afternoon evening night next following "
        "previous preceding prior same end beginning start middle close turn early mid late "
        "this last current past final latter"
    )
)
_UNITS = list(_wordset("day week fortnight month year decade century hour minute couple"))
_AFTER_THAT = list(
    _wordset("same day morning afternoon evening night week weekend month year decade")
)
_FIRST = (
    rf"(?:\d|['’]\d|[Tt]he{_S}['’]?\d|(?:Q[1-4]|H[12]|"
    + "|".join(
        (
            _MONTH_ANY,
            _word_tree(_WEEKDAYS),
            _word_tree(_SEASONS),
            _word_tree(_FIRST_WORDS + list(_NUMBER_WORDS)[2:] + list(ORDINAL_WORDS) + ["latter"]),
            rf"[Tt]he{_S}"
            + _word_tree(
                _AFTER_THE + list(_SEASONS) + list(ORDINAL_WORDS) + list(_DECADE_WORDS),
                capital=False,
            ),
            rf"[Aa]n?{_S}" + _word_tree(_UNITS, capital=False),
            rf"[Tt]hat{_S}" + _word_tree(_AFTER_THAT + list(_WEEKDAYS) + list(_SEASONS)),
        )
    )
    + r")(?!\w))"
)
_ALTERNATION = re.compile(
    r"(?<![\w'’])(?=[0-9'’A-Za-z])(?="
    + _FIRST
    + r")(?:"
    + "|".join(
        f"(?P<{rule.name.replace('-', '_')}>{_GROUP_NAME.sub('(?:', rule.pattern)})"
        for rule in _RULES
    )
    + r")(?!\w)"
)
_BY_GROUP = {rule.name.replace("-", "_"): rule for rule in _RULES}
_RULE_PATTERNS = {rule.name: re.compile(rule.pattern + r"(?!\w)") for rule in _RULES}


# --- Values ------------------------------------------------------------------------------------


class Tense(Enum):
    """What a clause says about time, for words that name no year or no week."""

    PAST = "past"  # the latest one on or before publication: the guideline's default
    FUTURE = "future"  # the next one after publication
    UNKNOWN = "unknown"  # no clause to read: the nearest one within six months either side
    # No cue in the clause: PAST, unless that is more than 300 days back and the next one is
    # less than 60 days ahead ("a strike on 26 November" in mid-November is this year's).
    NEUTRAL = "neutral"


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _iso_day(day: date) -> str:
    return day.isoformat()


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _valid_year(year: int) -> bool:
    return 1 <= year <= 9999


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a rule made of a candidate: its value (None when it cannot be given)."""

    value: str | None
    explicit_year: bool = False  # the text gives the year (a range may lend it to its start)


_NOT_A_DATE = None  # a handler's answer for a match that is not a time expression


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    rule: str
    score: float
    match: re.Match[str]
    reading: _Reading | None = None


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A date of the text, for anaphora: its value and the days it covers."""

    end: int
    value: str
    first: date
    last: date
    granularity: Granularity


@dataclass(slots=True)
class _Env:
    """What a handler may read besides its match: the text, publication and earlier dates."""

    text: str
    publication: Publication | None
    anchors: list[_Anchor] = field(default_factory=list)
    read_tense: bool = True  # False when reading one expression without its sentence
    month_first: bool = False  # numeric dates are read day first unless the language is en-US
    sentences: dict[tuple[int, int], _Sentence] = field(default_factory=dict)
    start: int = 0
    end: int = 0

    def tense(self, default: Tense = Tense.NEUTRAL) -> Tense:
        """The tense of the candidate's clause; `default` when no cue says; UNKNOWN when the
        expression is read without its sentence."""
        if not self.read_tense:
            return Tense.UNKNOWN
        return _tense(self.text, self.start, self.end, self.sentences) or default

    def on_publication(self, resolve: Callable[[date], str | None]) -> str | None:
        """The value `resolve` gives for the publication day; None when there is none, or when
        the days the publication may be on do not agree."""
        if self.publication is None:
            return None
        values = set()
        for day in self.publication.days:
            try:
                values.add(resolve(day))
            except (ValueError, OverflowError):
                return None
        return values.pop() if len(values) == 1 else None

    def anchor(self, precision: Granularity) -> _Anchor | None:
        """The nearest earlier date of the text that is at least as precise as `precision`."""
        wanted = _PRECISION[precision]
        for anchor in reversed(self.anchors):
            if anchor.end > self.start:
                continue
            if self.start - anchor.end > 3000:
                return None
            if _PRECISION.get(anchor.granularity, 0) >= wanted:
                return anchor
        return None


_PRECISION = {
    Granularity.CENTURY: 1,
    Granularity.DECADE: 2,
    Granularity.YEAR: 3,
    Granularity.HALF: 4,
    Granularity.SEASON: 4,
    Granularity.QUARTER: 4,
    Granularity.MONTH: 5,
    Granularity.WEEK: 6,
    Granularity.WEEKEND: 7,
    Granularity.DAY: 8,
    Granularity.PART_OF_DAY: 8,
    Granularity.TIME: 8,
}


def _lower(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").lower().strip()


_SPACES = re.compile(r"\s+")


def _month_number(word: str) -> int:
    key = word.lower().rstrip(".")
    return _MONTHS.get(key) or _MONTH_ABBREVIATIONS[key]


def _count(word: str) -> int | None:
    key = _lower(word)
    if key.isdigit():
        return int(key)
    return _NUMBER_WORDS.get(key)


def _day_value(year: int | None, month: int, day: int) -> str | None:
    """ "YYYY-MM-DD", or "XXXX-MM-DD" without a year; None when the day does not exist."""
    if year is None:
        return f"XXXX-{month:02d}-{day:02d}" if day <= _month_length(2000, month) else None
    if not _valid_year(year) or day > _month_length(year, month):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _choose_year(
    env: _Env, month: int, day: int | None, tense: Tense, *, strict: bool = False
) -> str | None:
    """The year of a month (and day) the text gives without one, as "YYYY"; None without a
    publication date or when its days disagree.

    PAST: the latest on or before publication; FUTURE: the next one after it (a month counts
    from publication's own month when `strict` is False); UNKNOWN: the publication year, or the
    year before when that would be more than six months after publication.
    """

    if tense is Tense.NEUTRAL or (tense is not Tense.UNKNOWN and day is not None):
        # A date without its year that would be nearly a year back is rarely meant: news
        # gives the year of such dates. "adjourned until 10 April" in March is this April.
        past = _year_by_tense(env, month, day, Tense.PAST)
        future = _year_by_tense(env, month, day, Tense.FUTURE, strict=True)
        if past is None or future is None or env.publication is None:
            return past
        published = env.publication.first
        back = published - date(int(past), month, day or _month_length(int(past), month))
        ahead = date(int(future), month, day or 1) - published
        if tense is Tense.FUTURE:  # "originally scheduled for Feb. 20" in March: last month
            return past if ahead > timedelta(days=300) and back < timedelta(days=60) else future
        if back > timedelta(days=300) and ahead < timedelta(days=60):
            return future
        return past
    return _year_by_tense(env, month, day, tense, strict=strict)


def _year_by_tense(
    env: _Env, month: int, day: int | None, tense: Tense, *, strict: bool = False
) -> str | None:
    """`_choose_year` without its second look at dates nearly a year back."""

    def resolve(published: date) -> str | None:
        year = published.year
        probe_day = day or 1
        if tense is Tense.UNKNOWN:
            if day is not None and not _exists(year, month, day):
                return None
            if date(year, month, min(probe_day, _month_length(year, month))) - published > (
                timedelta(days=183)
            ):
                year -= 1
        elif tense is Tense.PAST:
            if (month, probe_day if day else 1) > (published.month, published.day if day else 1):
                year -= 1
            while day is not None and not _exists(year, month, day):
                year -= 1
        else:
            if day is None:
                if month < published.month or (strict and month == published.month):
                    year += 1
            elif (month, day) <= (published.month, published.day):
                year += 1
            while day is not None and not _exists(year, month, day):
                year += 1
        if day is not None and not _exists(year, month, day):
            return None
        return f"{year:04d}" if _valid_year(year) else None

    return env.on_publication(resolve)


def _exists(year: int, month: int, day: int) -> bool:
    return day <= _month_length(year, month)


def _weekday_date(published: date, weekday: int, tense: Tense, relation: str = "") -> date:
    """The day of a weekday named relative to publication."""
    if relation in ("last", "this past", "past"):
        back = (published.weekday() - weekday) % 7 or 7
        return published - timedelta(days=back)
    if relation in ("next", "this coming", "coming"):
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    if relation == "this":
        return published + timedelta(days=weekday - published.weekday())
    if tense is Tense.FUTURE:
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _range(first: str | None, last: str | None) -> str | None:
    if first is None or last is None:
        return None
    if first == last:
        return first
    try:
        return parse_date_value(f"{first}/{last}").value
    except ValueError:
        return None


def _month_part(year: int | None, month: int, part: str) -> str | None:
    """Days 1-10, 11-20 or 21 to the end of a month, as a range."""
    year_text = "XXXX" if year is None else f"{year:04d}"
    length = _month_length(2001 if year is None else year, month)
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, length)}[part]
    return f"{year_text}-{month:02d}-{first:02d}/{year_text}-{month:02d}-{last:02d}"


def _year_part(year: int, part: str) -> str:
    first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"


_EDGE_PART = {
    "end": "late",
    "close": "late",
    "beginning": "early",
    "start": "early",
    "turn": "early",
    "middle": "mid",
}


def _season_year(published: date, season: str) -> int:
    """The year TimeML gives the season the publication day falls in or before: winter
    December to February belongs to the year of its December."""
    if season == "WI" and published.month <= 2:
        return published.year - 1
    return published.year


def _season_bounds(year: int, season: str) -> tuple[date, date]:
    first_month, last_month = _SEASON_MONTHS[season]
    last_year, last_month = _shift_month(year, last_month, 0)
    return date(year, first_month, 1), date(
        last_year, last_month, _month_length(last_year, last_month)
    )


# --- Handlers: one per rule; each returns a _Reading, or None when the match is not a date ----


def _read_iso(match: re.Match[str], env: _Env) -> _Reading | None:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    value = _day_value(year, month, day)
    if value is None:
        return _NOT_A_DATE
    if match["hh"]:
        value += f"T{match['hh']}:{match['mi']}"
    return _Reading(value, explicit_year=True)


def _read_numeric(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["s1"] != match["s2"]:
        return _NOT_A_DATE
    before = env.text[max(0, env.start - 1) : env.start]
    if before and (before.isdigit() or before in "./-"):
        return _NOT_A_DATE
    a, b, year_text = int(match["a"]), int(match["b"]), match["y"]
    year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    if len(year_text) == 2 and year > (env.publication.last.year if env.publication else 2099):
        year -= 100
    if env.month_first:
        day, month = (a, b) if a > 12 else (b, a)
    else:
        day, month = (b, a) if b > 12 else (a, b)
    if month > 12 or month < 1 or day < 1:
        return _NOT_A_DATE
    value = _day_value(year, month, day)
    return _Reading(value, explicit_year=True) if value else _NOT_A_DATE


def _read_weekday_date(match: re.Match[str], env: _Env) -> _Reading | None:
    day = int(match["d"] or match["d2"])
    month = _month_number(match["m"] or match["m2"])
    if match["y"]:
        value = _day_value(int(match["y"]), month, day)
        return _Reading(value, explicit_year=True) if value else _NOT_A_DATE
    weekday = _WEEKDAYS[match["wd"].lower()]

    def resolve(published: date) -> str | None:
        # The weekday tells the year: the nearest year around publication where they agree.
        for year in (published.year, published.year - 1, published.year + 1):
            if _exists(year, month, day) and date(year, month, day).weekday() == weekday:
                return _day_value(year, month, day)
        year_text = _choose_year(env, month, day, env.tense())
        return _day_value(int(year_text), month, day) if year_text else None

    value = env.on_publication(resolve) if env.publication else _day_value(None, month, day)
    return _Reading(value)


def _read_day_range(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["d1"]:
        first_day, last_day = int(match["d1"]), int(match["d2"])
        last_month = _month_number(match["m2"])
        first_month = _month_number(match["m1"]) if match["m1"] else last_month
    else:
        first_day, last_day = int(match["d3"]), int(match["d4"])
        first_month = _month_number(match["m3"])
        last_month = _month_number(match["m4"]) if match["m4"] else first_month
    if (first_month, first_day) >= (last_month, last_day) and first_month <= last_month:
        return _NOT_A_DATE  # "3-2 March" is a score, not a range
    if match["y"]:
        last_year = int(match["y"])
    else:
        chosen = _choose_year(env, first_month, first_day, env.tense())
        if chosen is None and env.publication is not None:
            return _Reading(None)
        last_year = int(chosen) if chosen else None  # type: ignore[assignment]
        if last_year is not None and first_month > last_month:
            last_year += 1
    first_year = None if last_year is None else last_year - (first_month > last_month)
    return _Reading(
        _range(
            _day_value(first_year, first_month, first_day),
            _day_value(last_year, last_month, last_day),
        ),
        explicit_year=bool(match["y"]),
    )


def _read_full_date(match: re.Match[str], env: _Env) -> _Reading | None:
    value = _day_value(int(match["y"]), _month_number(match["m"]), int(match["d"]))
    return _Reading(value, explicit_year=True) if value else _NOT_A_DATE


def _read_month_year(match: re.Match[str], env: _Env) -> _Reading | None:
    month, year = _month_number(match["m"]), int(match["y"])
    if match["m"] == "May" and _name_before(env):
        return _NOT_A_DATE
    return _Reading(f"{year:04d}-{month:02d}", explicit_year=True)


def _read_day_month(match: re.Match[str], env: _Env) -> _Reading | None:
    month, day = _month_number(match["m"]), int(match["d"])
    if day > _month_length(2000, month):
        return _NOT_A_DATE
    if match["m"] == "May" and _name_before(env):
        return _NOT_A_DATE
    if _event_name_after(env):
        return _NOT_A_DATE
    if env.publication is None:
        return _Reading(_day_value(None, month, day))
    year = _choose_year(env, month, day, env.tense())
    # A publication date too vague to choose the year ("2024" for "December 30") leaves it X.
    return _Reading(_day_value(int(year) if year else None, month, day))


def _read_clock(match: re.Match[str], env: _Env) -> _Reading | None:
    clock = _clock(match, env, with_day=False)
    if clock is None:
        return _NOT_A_DATE
    # Without a date beside it, a time is on the day of the nearest date of its sentence, or
    # on the publication day.
    anchor = env.anchor(Granularity.DAY)
    sentence_start = _sentence_start(env.text, env.start)
    if anchor is not None and anchor.end >= sentence_start:
        return _Reading(f"{_iso_day(anchor.first)}T{clock}")
    if env.publication is None or env.publication.first != env.publication.last:
        return _Reading(None)
    return _Reading(f"{_iso_day(env.publication.first)}T{clock}")


def _clock(match: re.Match[str], env: _Env, *, with_day: bool) -> str | None:
    """ "HH:MM" for a clock time; None when the digits are not one ("3:1" in a score). A bare
    "14:30" is a time only with a day beside it (`with_day`), a zone, "at", "from"..."""
    if match["named"]:
        named = match["named"].lower()
        hour, minute = (24, 0) if named == "midnight" else (12, 0)
    elif match["ap"]:
        hour, minute = int(match["h"]) % 12, int(match["mi"] or 0)
        hour += 12 if match["ap"] == "p" else 0
    elif match["h2"]:
        before = env.text[max(0, env.start - 1) : env.start]
        after = env.text[env.end : env.end + 2]
        if before.isdigit() or after[:1].isdigit() or (after[:1] == ":" and after[1:2].isdigit()):
            return None
        rest = match.group(0)[len(match["h2"]) + 3 :].strip()
        if not rest and not with_day and not _clock_context(env):
            return None
        hour, minute = int(match["h2"]), int(match["mi2"])
    else:
        hour, minute = int(match["h3"]), int(match["mi3"])
    return f"{hour:02d}:{minute:02d}"


_CLOCK_BEFORE = re.compile(
    r"(?:\b(?:at|from|until|till|to|by|around|about|before|after|since|between|and)|[-–])\s*$",
    re.IGNORECASE,
)


def _clock_context(env: _Env) -> bool:
    return bool(_CLOCK_BEFORE.search(env.text[max(0, env.start - 12) : env.start]))


def _read_deictic_day(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["dir"]:
        offset = -2 if match["dir"].lower().startswith("before") else 2
    else:
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[match["word"].lower()]
        if offset == 0 and _names_today(env):
            return _NOT_A_DATE
    return _Reading(env.on_publication(lambda day: _iso_day(day + timedelta(days=offset))))


def _names_today(env: _Env) -> bool:
    """ "Today" as a name: "USA Today", "Russia Today", BBC's "Today programme"."""
    before = env.text[max(0, env.start - 12) : env.start]
    after = env.text[env.end : env.end + 12]
    return bool(
        re.search(r"(?:USA|Russia|India|Psychology)\s+$", before)
        or (env.text[env.start] == "T" and re.match(r"\s+(?:programme|show)\b", after))
    )


def _read_part_of_day(match: re.Match[str], env: _Env) -> _Reading | None:
    whole = _lower(match.group(0))
    if match["part2"]:
        return _Reading(None)  # "the morning of": only with the date that follows (merged)
    if whole == "tonight":
        code, offset = "NI", 0
        return _Reading(env.on_publication(lambda d: f"{_iso_day(d)}T{code}"))
    if whole == "overnight":
        return _NOT_A_DATE
    code = _PARTS_OF_DAY[match["part"].lower()]
    if match["wd"]:
        weekday = _WEEKDAYS[match["wd"].lower()]
        tense = env.tense()
        return _Reading(
            env.on_publication(lambda d: f"{_iso_day(_weekday_date(d, weekday, tense))}T{code}")
        )
    rel = match["rel"].lower()
    if rel == "early":
        return _NOT_A_DATE  # "early morning": no day
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "this": 0, "last": 0}[rel]
    if rel == "last":
        # "last night" is the night before publication; "last evening" the evening before.
        offset = -1
    return _Reading(env.on_publication(lambda d: f"{_iso_day(d + timedelta(days=offset))}T{code}"))


def _read_relative(match: re.Match[str], env: _Env) -> _Reading | None:
    rel = _lower(match["rel"])
    unit_text = match["unit"]
    unit = unit_text.lower()
    mod = _lower(match["mod"])
    before = _word_before(env)
    if rel in ("past", "coming"):
        return _NOT_A_DATE  # "the past week", "the coming months": durations
    if before in ("the", "over", "within", "throughout", "these", "those"):
        return _NOT_A_DATE  # "over the last week", "the next year": durations or anaphora
    if unit in _WEEKDAYS:
        if mod in ("early", "late", "mid"):
            mod = ""
        weekday = _WEEKDAYS[unit]
        tense = env.tense()
        value = env.on_publication(lambda d: _iso_day(_weekday_date(d, weekday, tense, rel)))
        return _Reading(value)
    if unit in _MONTHS and unit_text[0].isupper():
        month = _MONTHS[unit]

        def month_of(published: date) -> str:
            year = published.year
            if rel in ("last", "this past", "past") and month >= published.month:
                year -= 1
            elif rel in ("next", "this coming", "coming") and month <= published.month:
                year += 1
            return f"{year:04d}-{month:02d}"

        value = env.on_publication(month_of)
        if value is not None and mod in ("early", "mid", "late"):
            value = _month_part(int(value[:4]), month, mod)
        return _Reading(value)
    if unit in _SEASONS:
        return _Reading(_relative_season(env, _SEASONS[unit], rel))
    step = {"last": -1, "this past": -1, "next": 1, "this coming": 1, "this": 0}[rel]
    value = env.on_publication(lambda d: _relative_unit(d, unit, step, mod))
    return _Reading(value)


def _relative_unit(published: date, unit: str, step: int, mod: str) -> str | None:
    if unit == "week":
        return _iso_week(published + timedelta(weeks=step))
    if unit == "weekend":
        return _iso_week(published + timedelta(weeks=step)) + "-WE"
    if unit == "month":
        year, month = _shift_month(published.year, published.month, step)
        if mod in ("early", "mid", "late"):
            return _month_part(year, month, mod)
        return f"{year:04d}-{month:02d}"
    if unit == "year":
        year = published.year + step
        if mod in ("early", "mid", "late"):
            return _year_part(year, mod)
        return f"{year:04d}"
    if unit == "quarter":
        year, month = _shift_month(published.year, published.month, 3 * step)
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if unit == "decade":
        return f"{published.year // 10 + step:03d}"
    if unit == "century":
        return f"{published.year // 100 + step:02d}"
    return None


def _relative_season(env: _Env, season: str, rel: str) -> str | None:
    def resolve(published: date) -> str:
        year = _season_year(published, season)
        if rel in ("last", "this past", "past"):
            while _season_bounds(year, season)[1] >= published:
                year -= 1
        elif rel in ("next", "this coming", "coming"):
            while _season_bounds(year, season)[0] <= published:
                year += 1
        return f"{year:04d}-{season}"

    return env.on_publication(resolve)


_UNIT_GRANULARITY = {
    "day": Granularity.DAY,
    "week": Granularity.WEEK,
    "fortnight": Granularity.WEEK,
    "month": Granularity.MONTH,
    "year": Granularity.YEAR,
    "decade": Granularity.DECADE,
    "century": Granularity.CENTURY,
    "centurie": Granularity.CENTURY,
}


def _shifted(day: date, unit: str, amount: int) -> str | None:
    """The value of `day` moved by `amount` units, at the precision of the unit."""
    if unit == "day":
        return _iso_day(day + timedelta(days=amount))
    if unit in ("week", "fortnight"):
        return _iso_week(day + timedelta(weeks=amount * (2 if unit == "fortnight" else 1)))
    if unit == "month":
        year, month = _shift_month(day.year, day.month, amount)
        return f"{year:04d}-{month:02d}" if _valid_year(year) else None
    if unit == "year":
        return f"{day.year + amount:04d}" if _valid_year(day.year + amount) else None
    if unit == "decade":
        return f"{(day.year + 10 * amount) // 10:03d}"
    if unit in ("century", "centurie"):
        return f"{(day.year + 100 * amount) // 100:02d}"
    return None


def _read_ago(match: re.Match[str], env: _Env) -> _Reading | None:
    amount = _count(match["n"])
    unit = match["unit"].lower()
    if amount is None or amount > 200:
        return _NOT_A_DATE
    if unit in ("hour", "minute"):
        publication = env.publication
        if publication is None or publication.first != publication.last:
            return _Reading(None)
        if publication.moment is None:
            return _Reading(None)
        moment = publication.moment - timedelta(
            **{"hours" if unit == "hour" else "minutes": amount}
        )
        return _Reading(f"{_iso_day(moment.date())}T{moment.hour:02d}:{moment.minute:02d}")
    return _Reading(env.on_publication(lambda d: _shifted(d, unit, -amount)))


def _read_offset(match: re.Match[str], env: _Env) -> _Reading | None:
    amount = _count(match["n"])
    unit = match["unit"].lower()
    direction = match["dir"].lower()
    if amount is None or amount > 200 or unit in ("hour", "minute"):
        return _NOT_A_DATE
    if direction in ("before", "after", "prior") and not _clause_ends(env):
        return _NOT_A_DATE  # "two days before the vote": relative to an event, no value
    sign = 1 if direction in ("later", "after") else -1
    anchor = env.anchor(_UNIT_GRANULARITY[unit])
    if anchor is None:
        return _Reading(None)
    return _Reading(_shifted(anchor.first, unit, sign * amount))


def _read_anaphor(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["unit2"]:
        unit, step = match["unit2"].lower(), 1 if match["dir"].lower() == "after" else -1
        if not _clause_ends(env):
            return _NOT_A_DATE  # "the day before the vote"
        rel = "next" if step > 0 else "previous"
    else:
        unit = match["unit"].lower()
        rel = _lower(match["rel"]) or ("next" if match.group(0)[:4].lower() == "next" else "that")
    if rel in ("next", "following") and _word_after(env) in ("few", "several", "two", "three"):
        return _NOT_A_DATE
    step = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)
    if _word_before(env) in ("for", "over", "within", "throughout", "during") and step != 0:
        return _NOT_A_DATE  # "over the next year": a duration
    if unit in _PARTS_OF_DAY:
        anchor = env.anchor(Granularity.DAY)
        if anchor is None:
            return _Reading(None)
        day = anchor.first + timedelta(days=step)
        return _Reading(f"{_iso_day(day)}T{_PARTS_OF_DAY[unit]}")
    if unit in _WEEKDAYS:
        anchor = env.anchor(Granularity.DAY)
        if anchor is None:
            return _Reading(None)
        weekday = _WEEKDAYS[unit]
        tense = Tense.PAST if step < 0 else Tense.FUTURE
        return _Reading(_iso_day(_weekday_date(anchor.first, weekday, tense)))
    if unit in _SEASONS:
        anchor = env.anchor(Granularity.SEASON)
        if anchor is None or anchor.granularity is not Granularity.SEASON:
            return _Reading(None)
        season = _SEASONS[unit]
        year = int(anchor.value[:4]) + step
        return _Reading(f"{year:04d}-{season}")
    if unit == "weekend":
        anchor = env.anchor(Granularity.WEEK)
        if anchor is None:
            return _Reading(None)
        return _Reading(_iso_week(anchor.first + timedelta(weeks=step)) + "-WE")
    anchor = env.anchor(_UNIT_GRANULARITY[unit])
    if anchor is None:
        return _Reading(None)
    return _Reading(_shifted(anchor.first, unit, step))


_SEASON_MODIFIED = _wordset(
    "storm storms holiday holidays break recess camp camps offensive sale sales collection "
    "olympics games tyres tires clothes clothing wheat crop crops fashion menu palace solstice "
    "equinox school term transfer window"
)


def _read_season(match: re.Match[str], env: _Env) -> _Reading | None:
    season = _SEASONS[match["season"].lower()]
    word = match["season"]
    if match["y"]:
        return _Reading(f"{int(match['y']):04d}-{season}", explicit_year=True)
    whole = match.group(0)
    before = _word_before(env)
    has_the = whole[:4].lower() == "the "
    if word[0].isupper() and not has_the and _capitalised_before(env):
        return _NOT_A_DATE  # "Arab Spring", "Prague Spring"
    if word.lower() == "fall" and not has_the and before not in ("in", "this", "last", "next"):
        return _NOT_A_DATE
    if word.lower() == "fall" and _word_after(env) in ("of", "in"):
        return _NOT_A_DATE  # "the fall of Kabul"
    if not has_the and before not in ("in", "during", "over", "by", "until", "since", "through"):
        return _NOT_A_DATE  # "summer camp", "winter storm"
    if has_the and _word_after(env) == "of":
        return _NOT_A_DATE  # "the spring of discontent"
    after = _word_after(env, keep_case=True)
    if after.lower() in _SEASON_MODIFIED or (after[:1].isupper() and word[0].isupper()):
        return _NOT_A_DATE  # "the winter storm", "the Summer Olympics", "the Winter Palace"
    tense = env.tense(Tense.UNKNOWN)

    def resolve(published: date) -> str:
        year = published.year
        if tense is Tense.PAST and _season_bounds(year, season)[0] > published:
            year -= 1
        return f"{year:04d}-{season}"

    if env.publication is None:
        return _Reading(f"XXXX-{season}")
    return _Reading(env.on_publication(resolve))


def _year_of(env: _Env, which: str | None, explicit: str | None) -> tuple[str | None, bool]:
    """The year an expression names ("2024", "this year", "last year", "next year") or, when
    it names none, the publication year."""
    if explicit:
        return explicit, True
    step = {"last": -1, "next": 1}.get(_lower(which).split(" ")[0], 0)
    if _lower(which).startswith("that"):
        anchor = env.anchor(Granularity.YEAR)
        return (f"{anchor.first.year:04d}" if anchor else None), False
    if env.publication is None:
        return ("XXXX" if step == 0 else None), False
    return env.on_publication(lambda d: f"{d.year + step:04d}"), False


def _read_quarter(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["q"] or match["q3"]:
        quarter = int(match["q"] or match["q3"])
        explicit = match["y2"] or match["y3"] or (f"20{match['yy']}" if match["yy"] else None)
        if not explicit and not _period_code_context(env):
            return _NOT_A_DATE
    else:
        ordinal = match["ord"].lower()
        explicit = match["y"]
        if ordinal == "last" and not (explicit or match["which"]):
            return _NOT_A_DATE  # "the last quarter": "last quarter" reads the previous one
        if not (explicit or match["which"]) and _about_sport(env):
            return _NOT_A_DATE  # "scored in the second quarter"
        quarter = _QUARTER_ORDINALS[ordinal]
    year, given = _year_of(env, match["which"], explicit)
    if year is None:
        return _Reading(None)
    if year != "XXXX" and not given and not match["which"]:
        year = _before_publication(env, year, 3 * quarter - 2)
    return _Reading(f"{year}-Q{quarter}", explicit_year=given)


def _read_half(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["h"] or match["h3"]:
        half = int(match["h"] or match["h3"])
        explicit = match["y2"] or match["y3"]
        if not explicit and not _period_code_context(env):
            return _NOT_A_DATE  # "H2 production", "(H2)": hydrogen
    else:
        bare = not (match["y"] or match["which"] or match["hyphen"])
        if bare and (_word_after(env) == "of" or _about_sport(env)):
            return _NOT_A_DATE  # "the first half of the match", "scored in the second half"
        half = _HALF_ORDINALS[match["ord"].lower()]
        explicit = match["y"]
    year, given = _year_of(env, match["which"], explicit)
    if year is None:
        return _Reading(None)
    if year != "XXXX" and not given and not match["which"]:
        year = _before_publication(env, year, 6 * half - 5)
    return _Reading(f"{year}-H{half}", explicit_year=given)


_PERIOD_NOUNS = _wordset(
    "results result earnings profit profits loss losses sales revenue revenues growth "
    "output guidance figures numbers data gdp performance forecast outlook deliveries"
)


def _period_code_context(env: _Env) -> bool:
    """Whether a bare "Q3" or "H2" is a period: after "in", "for", "the", "during"..., or
    before "results", "earnings", "profit"..."""
    before = _word_before(env)
    return before in ("in", "for", "during", "the", "its", "their", "of", "by", "and", "to") or (
        _word_after(env) in _PERIOD_NOUNS
    )


_SPORT = re.compile(
    r"\b(?:match|game|goal|goals|scored|score|minute|half-time|halftime|innings|striker|"
    r"penalty|kick-off|whistle|league|cup|tournament|points|basket|touchdown|try|tries)\b",
    re.IGNORECASE,
)


def _about_sport(env: _Env) -> bool:
    start = _sentence_start(env.text, env.start)
    return bool(_SPORT.search(env.text, start, _sentence_end(env.text, env.end)))


def _before_publication(env: _Env, year: str, first_month: int) -> str:
    """The year of a quarter, half or season named without one, in a clause about the past:
    the one before publication's year when this year's would begin after publication
    ("reported fourth-quarter profit" in February)."""
    if env.tense(Tense.UNKNOWN) is not Tense.PAST:
        return year

    def resolve(published: date) -> str:
        start = date(published.year, first_month, 1)
        return f"{published.year - (start > published):04d}"

    return env.on_publication(resolve) or year


def _read_part_of_period(match: re.Match[str], env: _Env) -> _Reading | None:
    part = _lower(match["mod"]) or _EDGE_PART[match["edge"].lower()]
    if match["edge"] and match["edge"].lower() == "turn":
        return _NOT_A_DATE  # "the turn of the century": vague
    which = _lower(match["which"])
    if match["m"]:
        month = _month_number(match["m"])
        if match["y"]:
            return _Reading(_month_part(int(match["y"]), month, part), explicit_year=True)
        if env.publication is None:
            return _Reading(_month_part(None, month, part))
        year = _choose_year(env, month, None, env.tense(Tense.UNKNOWN))
        return _Reading(_month_part(int(year), month, part) if year else None)
    if match["y2"]:
        return _Reading(_year_part(int(match["y2"]), part), explicit_year=True)
    if which.endswith("year"):
        if which.startswith("that"):
            anchor = env.anchor(Granularity.YEAR)
            return _Reading(_year_part(anchor.first.year, part) if anchor else None)
        step = {"last": -1, "next": 1}.get(which.split(" ")[0], 0)
        return _Reading(env.on_publication(lambda d: _year_part(d.year + step, part)))
    if which.endswith("month"):
        if which.startswith("that"):
            anchor = env.anchor(Granularity.MONTH)
            if anchor is None:
                return _Reading(None)
            return _Reading(_month_part(anchor.first.year, anchor.first.month, part))
        step = {"last": -1, "next": 1}.get(which.split(" ")[0], 0)

        def month_part(published: date) -> str | None:
            year, month = _shift_month(published.year, published.month, step)
            return _month_part(year, month, part)

        return _Reading(env.on_publication(month_part))
    if which.endswith("week"):
        step = {"last": -1, "next": 1}.get(which.split(" ")[0], 0)
        return _Reading(env.on_publication(lambda d: _iso_week(d + timedelta(weeks=step))))
    if which.endswith("decade"):
        return _Reading(env.on_publication(lambda d: f"{d.year // 10:03d}"))
    if which.endswith("century"):
        return _Reading(env.on_publication(lambda d: f"{d.year // 100:02d}"))
    return _NOT_A_DATE


def _read_decade(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["dec"]:
        return _Reading(f"{match['dec']}{match['d3']}", explicit_year=True)
    digit = (
        int(match["d2"])
        if match["d2"]
        else _DECADE_WORDS[(match["word"] or match["word2"]).lower()]
    )
    if _word_before(env) in ("his", "her", "their", "its", "my", "our", "your"):
        return _NOT_A_DATE  # "in her 60s": an age

    def resolve(published: date) -> str:
        century = published.year // 100
        if century * 100 + digit * 10 > published.year:
            century -= 1
        return f"{century:02d}{digit}"

    if env.publication is None:
        return _Reading(f"{19 if digit >= 3 else 20}{digit}")
    return _Reading(env.on_publication(resolve))


def _read_century(match: re.Match[str], env: _Env) -> _Reading | None:
    if match["rel"]:
        rel = match["rel"].lower()
        step = {"last": -1, "previous": -1, "next": 1}.get(rel, 0)
        if rel == "past":
            return _NOT_A_DATE  # "the past century": a duration
        return _Reading(env.on_publication(lambda d: f"{d.year // 100 + step:02d}"))
    number = int(match["num"]) if match["num"] else ORDINAL_WORDS.get(match["word"].lower(), 0)
    if not 1 <= number <= 99:
        return _NOT_A_DATE
    return _Reading(f"{number - 1:02d}", explicit_year=True)


def _read_weekend(match: re.Match[str], env: _Env) -> _Reading | None:
    if _word_before(env) in ("every", "each"):
        return _NOT_A_DATE
    tense = env.tense()

    def resolve(published: date) -> str:
        if tense is Tense.FUTURE:
            saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        else:
            saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        return _iso_week(saturday) + "-WE"

    return _Reading(env.on_publication(resolve))


_FIXED_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "boxing day": (12, 26),
    "halloween": (10, 31),
    "hallowe'en": (10, 31),
    "valentine's day": (2, 14),
    "st valentine's day": (2, 14),
    "st. valentine's day": (2, 14),
    "saint valentine's day": (2, 14),
    "bastille day": (7, 14),
}
_EASTER_OFFSETS = {"easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2}


def _easter(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    day_of_week = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * day_of_week) // 433
    month = (h + day_of_week - 7 * m + 90) // 25
    return date(year, month, (h + day_of_week - 7 * m + 33 * month + 19) % 32)


def _holiday(name: str, year: int) -> date:
    if name in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[name]
        return date(year, month, day)
    if name in _EASTER_OFFSETS:
        return _easter(year) + timedelta(days=_EASTER_OFFSETS[name])
    november = date(year, 11, 1)  # Thanksgiving (US): the fourth Thursday of November
    return november + timedelta(days=(3 - november.weekday()) % 7 + 21)


def _read_holiday(match: re.Match[str], env: _Env) -> _Reading | None:
    name = _SPACES.sub(" ", match["name"]).lower().replace("’", "'")
    before = _word_before(env)
    bare = name in ("christmas", "easter", "thanksgiving") and not match["y"]
    if bare and before not in _PREPOSITIONS | {"this", "last", "next"}:
        return _NOT_A_DATE  # "Christmas shopping", "the Easter Rising"
    if _word_after(env) in ("rising", "offensive", "truce", "message", "address", "tree"):
        return _NOT_A_DATE
    if match["y"]:
        return _Reading(_iso_day(_holiday(name, int(match["y"]))), explicit_year=True)
    if env.publication is None:
        if name in _FIXED_HOLIDAYS:
            month, day = _FIXED_HOLIDAYS[name]
            return _Reading(f"XXXX-{month:02d}-{day:02d}")
        return _Reading(None)
    tense = {"last": Tense.PAST, "next": Tense.FUTURE}.get(before) or env.tense()

    def resolve(published: date) -> str:
        days = [_holiday(name, year) for year in range(published.year - 1, published.year + 2)]
        if tense is Tense.FUTURE:
            return _iso_day(min(day for day in days if day > published))
        return _iso_day(max(day for day in days if day <= published))

    return _Reading(env.on_publication(resolve))


def _read_year_range(match: re.Match[str], env: _Env) -> _Reading | None:
    first = int(match["y1"])
    second_text = match["y2"]
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second <= first or second - first > 100:
        return _NOT_A_DATE
    if _year_is_quantity(env, first_of_pair=True):
        return _NOT_A_DATE
    return _Reading(f"{first:04d}/{second:04d}", explicit_year=True)


def _read_weekday(match: re.Match[str], env: _Env) -> _Reading | None:
    word = match["wd"]
    before, after = _word_before(env, keep_case=True), _word_after(env, keep_case=True)
    if before.lower() in _WEEKDAY_NAME_BEFORE and before[:1].isupper():
        return _NOT_A_DATE
    if after.lower() in _WEEKDAY_NAME_AFTER and after[:1].isupper():
        return _NOT_A_DATE
    if before.lower() == "on" and _word_before(env, 2).lower() == "mail":
        return _NOT_A_DATE  # the Mail on Sunday
    if before.lower() in ("every", "each") or (word.lower().endswith("s") and False):
        return _NOT_A_DATE
    weekday = _WEEKDAYS[word.lower()]
    tense = env.tense()
    return _Reading(env.on_publication(lambda d: _iso_day(_weekday_date(d, weekday, tense))))


def _read_month(match: re.Match[str], env: _Env) -> _Reading | None:
    word = match["m"]
    before = _word_before(env)
    after = _word_after(env, keep_case=True)
    if word in ("May", "March", "August", "June", "April"):
        if before not in _PREPOSITIONS | {"early", "late", "mid", "last", "next", "this", "and"}:
            return _NOT_A_DATE  # "Theresa May", "the March on Rome", "April said"
    elif after[:1].isupper() and before not in _PREPOSITIONS:
        return _NOT_A_DATE  # "the October Revolution"
    if after.lower() in _EVENT_NOUNS:
        return _NOT_A_DATE
    month = _MONTHS[word.lower()]
    if env.publication is None:
        return _Reading(f"XXXX-{month:02d}")
    year = _choose_year(env, month, None, env.tense())
    return _Reading(f"{year or 'XXXX'}-{month:02d}")


def _read_year(match: re.Match[str], env: _Env) -> _Reading | None:
    year = int(match["y"])
    if _year_is_quantity(env):
        return _NOT_A_DATE
    before = _word_before(env)
    if not 1800 <= year <= 2100 and before not in _PREPOSITIONS:
        return _NOT_A_DATE
    return _Reading(f"{year:04d}", explicit_year=True)


def _year_is_quantity(env: _Env, *, first_of_pair: bool = False) -> bool:
    """Whether the four digits at the candidate are a count, an amount, a code or part of a
    name ("2000 people", "$2024", "Vision 2030", "Boeing 2020"), not a year."""
    text = env.text
    previous = text[max(0, env.start - 1) : env.start]
    if previous and (previous in _CURRENCY or previous in "#-/.:+"):
        return True
    following = text[env.end : env.end + 1]
    if following and following in "%°-/" and not first_of_pair:
        return True
    if re.match(r"\s*(?:per\s*cent|percent|bn|m\b|million|billion)", text[env.end : env.end + 12]):
        return True
    after = _word_after(env)
    if after in _COUNT_NOUNS:
        return True
    before = _word_before(env, keep_case=True)
    if before.lower().rstrip(".") in _COUNT_BEFORE or before.lower() in _COUNT_BEFORE:
        return True
    # A capitalised word before it that is not a month or a sentence's first word: a name.
    return (
        before[:1].isupper()
        and before.lower() not in _MONTHS
        and before.lower().rstrip(".") not in _MONTH_ABBREVIATIONS
        and before.lower() not in _SEASONS
        and before.lower() not in _PREPOSITIONS | _DETERMINERS
        and before.lower() not in ("fiscal", "fy", "ad", "bc", "year")
        and not _sentence_begins_at_word_before(env)
    )


# --- Context -----------------------------------------------------------------------------------

_WORD_BEFORE = re.compile(r"([\w.'’$€£-]+)[^\w\n]{0,3}$")
_WORD_AFTER = re.compile(r"[^\w\n]{0,3}?([\w'’]+)")


def _word_before(env: _Env, count: int = 1, *, keep_case: bool = False) -> str:
    text = env.text[max(0, env.start - 40 * count) : env.start]
    word = ""
    for _ in range(count):
        match = _WORD_BEFORE.search(text)
        if match is None:
            return ""
        word = match[1].strip(".'’") if match[1] not in ("no.", "No.") else match[1]
        text = text[: match.start()]
    return word if keep_case else word.lower()


def _word_after(env: _Env, *, keep_case: bool = False) -> str:
    match = _WORD_AFTER.match(env.text, env.end, min(len(env.text), env.end + 40))
    if match is None:
        return ""
    word = re.sub(r"['’]s$", "", match[1])
    return word if keep_case else word.lower()


def _capitalised_before(env: _Env) -> bool:
    before = _word_before(env, keep_case=True)
    return (
        before[:1].isupper()
        and before.lower() not in _PREPOSITIONS | _DETERMINERS
        and not _sentence_begins_at_word_before(env)
    )


def _name_before(env: _Env) -> bool:
    """ "Theresa May 2019": a capitalised word before "May" that is not a preposition."""
    before = _word_before(env, keep_case=True)
    return before[:1].isupper() and before.lower() not in _PREPOSITIONS | _DETERMINERS | {
        "early",
        "late",
        "mid",
    }


def _event_name_after(env: _Env) -> bool:
    """ "the September 11 attacks", "the October 7 massacre"."""
    return _word_after(env) in _EVENT_NOUNS


def _sentence_begins_at_word_before(env: _Env) -> bool:
    text = env.text[max(0, env.start - 60) : env.start]
    return bool(re.search(r"(?:^|[.!?:;\"“”\n]\s*|\n)[\w'’]+[^\w\n]{0,3}$", text)) or bool(
        re.fullmatch(r"\s*[\w'’]+[^\w\n]{0,3}", text)
    )


def _clause_ends(env: _Env) -> bool:
    rest = env.text[env.end : env.end + 3]
    return not rest or rest[0] in ".,;:!?)”\"'’\n" or rest.startswith(" -") or rest.startswith(" –")


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])|\n")


def _sentence_start(text: str, position: int) -> int:
    window_start = max(0, position - 400)
    start = window_start
    for match in _SENTENCE_END.finditer(text, window_start, position):
        start = match.end()
    return start


def _sentence_end(text: str, position: int) -> int:
    match = _SENTENCE_END.search(text, position, min(len(text), position + 400))
    return match.start() + 1 if match else min(len(text), position + 400)


# Tense cues, read word by word (a scan of each sentence's words is some ten times faster than
# one alternation of all cue words over the sentence).
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[-–—,;:()]")
_FUTURE_AUXILIARIES = frozenset(["will", "shall", "would", "won't", "won’t", "wo"])
_WEAK_MODALS = frozenset(["could", "may", "might", "should", "must"])
_AUXILIARY_FILLERS = _wordset(
    "not also then likely probably again only soon still be have been now finally well never once"
)
_SCHEDULED = _wordset(
    "due set scheduled slated planned expected poised going supposed likely about"
)
_INTENT_VERBS = _wordset(
    "plan plans planning intend intends intending aim aims hope hopes want wants promised "
    "pledged vowed threatened agreed decided prepare prepares preparing"
)
_FUTURE_WORDS = frozenset(["upcoming", "forthcoming"])
_WEAK_FUTURE_WORDS = frozenset(["by", "until", "till"])
_PRESENT_SCHEDULE = _wordset(
    "begins opens kicks meets convenes resumes expires heads travels visits arrives returns "
    "starts ends closes runs falls lasts continues hosts holds gathers go meet begin open "
    "resume arrive travel vote votes gather host launch launches unveils unveil"
)
_NEXT_UNITS = frozenset(
    [
        *_WEEKDAYS,
        *_MONTHS,
        *_SEASONS,
        "week",
        "weekend",
        "month",
        "year",
        "quarter",
        "decade",
        "century",
        "day",
        "morning",
        "few",
        "two",
        "three",
    ]
)
_PAST_WORDS = _wordset(
    "said told was were had did previously already held met came went took made gave began "
    "left saw won lost fell rose struck sent spent spoke wrote found brought kept led ran "
    "stood became got paid sold sought thought knew hit shot cut put beat bought caught "
    "chose drew drove ate flew forgot froze grew hung heard hid laid lent meant overtook "
    "rang rode sang sank shook shone slept stole stuck swore swept swam taught tore threw "
    "understood woke wore withdrew fled broke bore blew bent bled bound built burnt clung "
    "crept dealt dug dove dwelt fed felt fought flung forbade forgave ground knelt leapt "
    "learnt lit misled overcame overheard oversaw overthrew quit rebuilt repaid retook "
    "rewrote sat shed shrank slid sped spun spat split spread sprang strode strove stung "
    "strung swung undertook underwent upheld withheld wound wove wrung"
)
_FUTURE_ED = _wordset(
    "scheduled slated planned expected poised pledged promised vowed threatened agreed "
    "decided proposed"
)
_PERFECT_WORDS = frozenset(["has", "have", "having"])
_PUNCTUATION_BREAKS = frozenset([",", ";", ":", "(", ")", "-", "–", "—"])
_WORD_BREAKS = frozenset(["that", "which", "who", "but", "and", "while", "after", "before"])
_WEEKDAY_ONLY = re.compile(rf"{_WEEKDAY}(?!{_SEP}(?:\d|{_MONTH_ANY}))")


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    tense: Tense
    weak: bool


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A sentence's tense cues and clause breaks, read once for all its candidates."""

    cues: tuple[_Cue, ...]
    breaks: tuple[int, ...]  # offsets of commas, dashes, "that", "who"...


def _read_sentence(text: str, start: int, end: int) -> _Sentence:
    # The words' offsets are asked of their matches only for the few that are cues or breaks;
    # the words themselves are lowered in one call (tokens are ASCII letters, apostrophes and
    # punctuation, which lower alone, and hold no space). A sentence without an end near is
    # read 800 characters wide for each candidate in it: this runs thousands of times.
    matches = list(_TOKEN.finditer(text, start, end))
    words = " ".join(_TOKEN.findall(text, start, end)).lower().split(" ") if matches else []
    cues: list[_Cue] = []
    breaks: list[int] = []
    index = 0
    count = len(words)
    while index < count:
        word = words[index]
        if word in _BREAKS:
            breaks.append(matches[index].start())
            if word in _PUNCTUATION_BREAKS:
                index += 1
                continue
        if word not in _CUE_WORDS and not word.endswith(("ed", "ll")):
            index += 1  # most words are no cue: skip them without a call
            continue
        match = matches[index]
        tense, weak, group_end = _cue(words, match[0], index)
        if tense is not None:
            cues.append(_Cue(match.start(), matches[group_end].end(), tense, weak))
        index = group_end + 1
    return _Sentence(tuple(cues), tuple(breaks))


_BREAKS = _PUNCTUATION_BREAKS | _WORD_BREAKS
_CUE_WORDS = (
    _FUTURE_AUXILIARIES
    | _WEAK_MODALS
    | _SCHEDULED
    | _INTENT_VERBS
    | _FUTURE_WORDS
    | _WEAK_FUTURE_WORDS
    | _PRESENT_SCHEDULE
    | _PAST_WORDS
    | {"is", "are", "ahead", "next"}
)


def _cue(words: Sequence[str], token: str, index: int) -> tuple[Tense | None, bool, int]:
    """The tense the word at `index` signals (None for none), whether weakly, and the index of
    the last word of its verb group ("will not be held" is one future cue)."""
    word = words[index]
    following = words[index + 1] if index + 1 < len(words) else ""
    if word in _FUTURE_AUXILIARIES or word.endswith(("'ll", "’ll")):
        return Tense.FUTURE, False, _verb_group_end(words, index)
    if word in _WEAK_MODALS and token != "May":
        return Tense.FUTURE, True, _verb_group_end(words, index)
    if word in _SCHEDULED and following in ("for", "on", "in", "at", "by"):
        return Tense.FUTURE, False, index + 1
    if word in ("due", "scheduled", "slated", "expected", "poised"):
        return Tense.FUTURE, False, index
    if (
        (word in _SCHEDULED and following == "to")
        or (word in _INTENT_VERBS and following == "to")
        or (word in ("is", "are") and following == "to")
    ):
        return Tense.FUTURE, False, _verb_group_end(words, index + 1)
    if (
        word in _FUTURE_WORDS
        or word in _PRESENT_SCHEDULE
        or (word == "ahead" and following == "of")
        or (word == "next" and following not in _NEXT_UNITS)
    ):
        return Tense.FUTURE, False, index
    if word in _WEAK_FUTURE_WORDS:
        return Tense.FUTURE, True, index
    if (word in _PAST_WORDS or (len(word) > 4 and word.endswith("ed"))) and (
        word not in _FUTURE_ED
    ):
        perfect = index > 0 and (
            words[index - 1] in _PERFECT_WORDS
            or (index > 1 and words[index - 2] in _PERFECT_WORDS)
            or words[index - 1].endswith(("'s", "’s", "'ve", "’ve"))
        )
        if not perfect:  # "has backed" says nothing of which side of publication
            return Tense.PAST, False, index
    return None, False, index


def _verb_group_end(words: Sequence[str], index: int) -> int:
    """The index of the main verb after an auxiliary at `index` ("will not be held")."""
    position = index + 1
    while position < len(words) and words[position] in _AUXILIARY_FILLERS | {"to"}:
        position += 1
    if position < len(words) and words[position] not in _PUNCTUATION_BREAKS:
        return position
    return position - 1


def _tense(
    text: str, start: int, end: int, sentences: dict[tuple[int, int], _Sentence] | None = None
) -> Tense | None:
    """Whether the clause around text[start:end] speaks of the future or the past; None when
    no cue says.

    The nearest tense cue wins: a future verb group ("will be held", "is due to", "plans
    to", "scheduled for", "next") or a past one ("said", "was", "met", a verb in -ed); a comma,
    a dash, "that" or "who" between a cue and the expression puts it further away; a modal,
    "by" or "until" counts less than "will". "for Friday" looks forward, "since" back.
    """
    before = text[max(0, start - 12) : start].lower()
    if re.search(r"\b(?:ahead\s+of|for)\s+$", before) and _WEEKDAY_ONLY.match(text, start):
        return Tense.FUTURE  # "set a hearing for Friday", "ahead of Tuesday's vote"
    if re.search(r"\bsince\s+$", before):
        return Tense.PAST
    bounds = (_sentence_start(text, start), _sentence_end(text, end))
    sentence = sentences.get(bounds) if sentences is not None else None
    if sentence is None:
        sentence = _read_sentence(text, *bounds)
        if sentences is not None:
            sentences[bounds] = sentence
    best: tuple[float, Tense] | None = None
    breaks = sentence.breaks
    for cue in sentence.cues:
        if cue.start < end and cue.end > start:
            continue  # "next" inside the expression itself
        if cue.end <= start:
            gap_start, gap_end, after = cue.end, start, 0.0
        else:
            gap_start, gap_end, after = end, cue.start, 0.5
        # The breaks are in text order: how many lie in the gap is a difference of two bisections.
        crossed = bisect_left(breaks, gap_end) - bisect_left(breaks, gap_start)
        # A cue after the expression reads a little further: "said on Monday that" is past.
        distance = gap_end - gap_start + 40 * crossed + after + (15 if cue.weak else 0)
        if best is None or distance < best[0]:
            best = (distance, cue.tense)
    return None if best is None else best[1]


_HANDLERS: Mapping[str, Callable[[re.Match[str], _Env], _Reading | None]] = {
    "iso": _read_iso,
    "numeric": _read_numeric,
    "weekday-date": _read_weekday_date,
    "day-range": _read_day_range,
    "day-month-year": _read_full_date,
    "month-day-year": _read_full_date,
    "month-year": _read_month_year,
    "part-of-day": _read_part_of_day,
    "day-month": _read_day_month,
    "month-day": _read_day_month,
    "clock": _read_clock,
    "deictic-day": _read_deictic_day,
    "relative": _read_relative,
    "ago": _read_ago,
    "offset": _read_offset,
    "anaphor": _read_anaphor,
    "season": _read_season,
    "quarter": _read_quarter,
    "half": _read_half,
    "part-of-period": _read_part_of_period,
    "decade": _read_decade,
    "century": _read_century,
    "weekend": _read_weekend,
    "year-range": _read_year_range,
    "day-list": _read_day_month,
    "holiday": _read_holiday,
    "weekday": _read_weekday,
    "month": _read_month,
    "year": _read_year,
}
assert set(_HANDLERS) == {rule.name for rule in _RULES}


# --- Finding -----------------------------------------------------------------------------------


def _candidates(text: str) -> list[_Candidate]:
    found = []
    for outer in _ALTERNATION.finditer(text):
        group = outer.lastgroup
        if group is None:
            continue
        rule = _BY_GROUP[group]
        match = _RULE_PATTERNS[rule.name].match(text, outer.start())
        if match is None or match.end() != outer.end():
            continue
        found.append(_Candidate(outer.start(), outer.end(), rule.name, rule.score, match))
    return found


# Joins between two expressions that make one: a time and its day, a part of the day and its
# date, the two ends of a range.
_AT = re.compile(r"(?:[^\S\n]*,)?[^\S\n]+(?:(?:on|at|of)[^\S\n]+)?$|^[^\S\n]+$", re.IGNORECASE)
_RANGE_JOIN = re.compile(
    r"^(?:[^\S\n]*[-–—][^\S\n]*|[^\S\n]+(?:to|until|till|through|thru)[^\S\n]+)$"
)
_AND = re.compile(r"^[^\S\n]+and[^\S\n]+$")
_DAY_RULES = _wordset(
    "iso numeric weekday-date day-month-year month-day-year day-month month-day weekday deictic-day"
)
_RANGE_RULES = _wordset(
    "year month month-year day-month-year month-day-year day-month month-day weekday-date "
    "quarter half season decade century iso numeric"
)


class _Ranges:
    """Ranges asked whether any overlaps a given one, by bisection: a document with thousands
    of DATE annotations was checked against every one of them for each of its thousands of
    time expressions (34 million comparisons, a third of a run over a 1 MB article)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._ends = list(accumulate((end for _, end in ordered), max))
        """The furthest end of the ranges up to each one, in start order."""

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a range starting before `end` ends after `start`."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start


def find_dates(context: DocumentContext) -> list[Proposal]:
    """Every time expression of the document, as DATE proposals with TIMEX3 values.

    Spans that overlap a DATE annotation of the document, and proposals the annotator has
    rejected here, are left out. The value attribute is omitted when the expression cannot be
    placed (a weekday without a publication date, "two days later" with no date before it).
    """
    text = context.text
    done = _Ranges((m.start, m.end) for m in context.annotations if m.label == "DATE")
    existing = _existing_anchors(context)
    readings = _read_all(
        text, Publication.read(context.published), existing, language=context.language
    )
    proposals = []
    for candidate in readings:
        assert candidate.reading is not None
        key = (candidate.start, candidate.end, "DATE")
        if key in context.rejected:
            continue
        if done.overlaps(candidate.start, candidate.end):
            continue
        value = candidate.reading.value
        score = candidate.score if value is not None else min(candidate.score, 0.4)
        proposals.append(
            Proposal(
                candidate.start,
                candidate.end,
                "DATE",
                DATES,
                score,
                rule=candidate.rule,
                attributes={} if value is None else {"value": value},
            )
        )
    return proposals


def _existing_anchors(context: DocumentContext) -> list[_Anchor]:
    anchors = []
    for mention in context.annotations:
        if mention.label != "DATE" or mention.proposed:
            continue
        value = mention.attributes.get("value")
        if not isinstance(value, str):
            continue
        anchor = _anchor(mention.end, value)
        if anchor is not None:
            anchors.append(anchor)
    return anchors


def _anchor(end: int, value: str) -> _Anchor | None:
    known = _value_span(value)
    return None if known is None else _Anchor(end, known[0], known[1], known[2], known[3])


@functools.lru_cache(maxsize=4096)
def _value_span(value: str) -> tuple[str, date, date, Granularity] | None:
    """A value's canonical form, first and last day and granularity (a range's start's)."""
    try:
        parsed = parse_date_value(value)
    except ValueError:
        return None
    start_value = parsed.value.split("/")[0]
    bounds = value_bounds(start_value)
    if bounds is None:
        return None
    granularity = parsed.granularity
    if granularity is Granularity.RANGE:
        granularity = parse_date_value(start_value).granularity
    return parsed.value, bounds[0], bounds[1], granularity


def _month_first(language: str | None) -> bool:
    """Whether numeric dates are written month first: in US English."""
    code = (language or "").replace("_", "-").lower()
    return code in ("en-us", "en-ph")


def _read_all(
    text: str,
    publication: Publication | None,
    existing: Sequence[_Anchor] = (),
    *,
    read_tense: bool = True,
    language: str | None = None,
) -> list[_Candidate]:
    """The candidates of `text`, joined where two make one expression, each with its reading,
    read in text order so that anaphora see the dates before them."""
    candidates = _candidates(text)
    env = _Env(text, publication, sorted(existing, key=lambda a: a.end), read_tense)
    env.month_first = _month_first(language)
    pending_existing = list(env.anchors)
    env.anchors = []
    read: list[_Candidate] = []
    index = 0
    while index < len(candidates):
        candidate = candidates[index]
        while pending_existing and pending_existing[0].end <= candidate.start:
            env.anchors.append(pending_existing.pop(0))
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        joined = _join(text, candidate, following, env)
        if joined is not None:
            index += 2
            candidate = joined
        else:
            index += 1
            env.start, env.end = candidate.start, candidate.end
            reading = _HANDLERS[candidate.rule](candidate.match, env)
            if reading is None:
                continue
            candidate.reading = reading
            if candidate.rule == "part-of-day" and candidate.match["part2"]:
                continue  # "the morning of" with no date after it
        assert candidate.reading is not None
        read.append(candidate)
        if candidate.reading.value is not None:
            anchor = _anchor(candidate.end, candidate.reading.value)
            if anchor is not None:
                env.anchors.append(anchor)
    return _ranges(text, read)


def _join(text: str, first: _Candidate, second: _Candidate | None, env: _Env) -> _Candidate | None:
    """One candidate made of two: a time with its day ("3 p.m. on Tuesday", "Tuesday at 3
    p.m."), or a part of the day with its date ("the morning of 4 March")."""
    if second is None:
        return None
    between = text[first.end : second.start]
    if len(between) > 8 or "\n" in between:
        return None
    pair = {first.rule, second.rule}
    clock = first if first.rule == "clock" else second if second.rule == "clock" else None
    day = second if clock is first else first
    if clock is not None and day.rule in _DAY_RULES | {"part-of-day"} and _AT.search(between):
        if day.rule == "part-of-day" and day.match["part2"]:
            return None
        env.start, env.end = day.start, day.end
        reading = _HANDLERS[day.rule](day.match, env)
        if reading is None:
            return None
        env.start, env.end = clock.start, clock.end
        clock_time = _clock(clock.match, env, with_day=True)
        if clock_time is None:
            return None
        value = None
        if reading.value is not None:
            day_text = reading.value[:10]
            if re.fullmatch(r"[0-9X]{4}-\d\d-\d\d", day_text):
                value = f"{day_text}T{clock_time}"
        return _Candidate(
            first.start,
            second.end,
            f"{day.rule}+clock",
            min(first.score, second.score),
            first.match,
            _Reading(value, reading.explicit_year),
        )
    if first.rule == "part-of-day" and first.match["part2"] and second.rule in _DAY_RULES:
        if between.strip():
            return None
        env.start, env.end = second.start, second.end
        reading = _HANDLERS[second.rule](second.match, env)
        if reading is None:
            return None
        code = _PARTS_OF_DAY[first.match["part2"].lower()]
        value = None
        if reading.value is not None and re.fullmatch(r"[0-9X]{4}-\d\d-\d\d", reading.value):
            value = f"{reading.value}T{code}"
        return _Candidate(
            first.start,
            second.end,
            "part-of-day",
            first.score,
            first.match,
            _Reading(value, reading.explicit_year),
        )
    del pair
    return None


def _ranges(text: str, read: list[_Candidate]) -> list[_Candidate]:
    """Two dates of the same kind joined by a dash, "to" or "until" after "from", or "and"
    after "between", make one range: "2019-2021", "from March to May 2025"."""
    result: list[_Candidate] = []
    index = 0
    while index < len(read):
        first = read[index]
        second = read[index + 1] if index + 1 < len(read) else None
        joined = _range_of(text, first, second) if second is not None else None
        if joined is not None:
            result.append(joined)
            index += 2
        else:
            result.append(first)
            index += 1
    return result


def _range_of(text: str, first: _Candidate, second: _Candidate) -> _Candidate | None:
    if first.rule not in _RANGE_RULES or second.rule not in _RANGE_RULES:
        return None
    assert first.reading is not None and second.reading is not None
    between = text[first.end : second.start]
    before = text[max(0, first.start - 9) : first.start].lower()
    dash = bool(re.fullmatch(r"[^\S\n]*[-–—][^\S\n]*", between))
    joined = (_RANGE_JOIN.match(between) and re.search(r"\bfrom\s+$", before)) or (
        _AND.match(between) and re.search(r"\bbetween\s+$", before)
    )
    if not dash and not joined:
        return None
    one, two = first.reading.value, second.reading.value
    if one is None or two is None:
        return None
    if "/" in one or "/" in two:
        return None
    if (
        first.rule in ("month", "day-month", "month-day")
        and second.reading.explicit_year
        and not first.reading.explicit_year
        and re.match(r"\d{4}-", two)
    ):
        one = two[:4] + one[4:]  # "March to May 2025": March of 2025
        if one > two:
            one = f"{int(two[:4]) - 1:04d}" + one[4:]
    if len(one) != len(two) or not _same_kind(one, two):
        return None
    value = _range(one, two)
    if value is None or value == one:
        return None
    return _Candidate(
        first.start,
        second.end,
        f"{first.rule}-range",
        min(first.score, second.score),
        first.match,
        _Reading(value, second.reading.explicit_year),
    )


def _same_kind(one: str, two: str) -> bool:
    try:
        return parse_date_value(one).granularity is parse_date_value(two).granularity
    except ValueError:
        return False


# --- One expression ----------------------------------------------------------------------------

_LEADING = re.compile(
    r"^(?:(?:on|in|at|during|since|by|until|till|from|of|before|after|around|about|for|"
    r"between|through|throughout|over|within)\s+)+",
    re.IGNORECASE,
)
_EDGES = "\"'“”‘’«»()[]{},;:.!? \t\n"


def read_expression(
    expression: str, published: str | None, *, language: str | None = None
) -> tuple[bool, DateValue | None]:
    """The value of one expression a user marked, read as the finder reads it but without its
    sentence: a bare weekday looks back, a day or month without a year takes the publication
    year, or the year before when that would be more than six months after publication.

    Returns whether the finder reads the whole expression as one time expression (when it
    does not, the caller may try another reader), and its value (None when it has none).
    """
    text = _SPACES.sub(" ", expression).strip(_EDGES)
    text = _LEADING.sub("", text)
    if not text:
        return False, None
    readings = _read_all(text, Publication.read(published), read_tense=False, language=language)
    if len(readings) != 1 or readings[0].start != 0 or readings[0].end < len(text.rstrip(".")):
        return False, None
    reading = readings[0].reading
    assert reading is not None
    if reading.value is None:
        return True, None
    try:
        return True, parse_date_value(reading.value)
    except ValueError:
        return True, None
