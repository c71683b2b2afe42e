"""The app's tokenizer: code-point token ranges for token-based formats (CoNLL/BIO).

Rules, applied to grapheme clusters (UAX #29, so an emoji ZWJ sequence, a flag or a letter with
combining marks is never split):

- Whitespace (anything `str.isspace()` says is space: NBSP, U+2028, ideographic space...) is
  never part of a token; tokens are separated by it.
- A word is a run of letters, digits and marks. An apostrophe or hyphen between two word
  characters stays inside ("Jong-un", "don't"); a `.` or `,` between two digits stays inside
  ("3,000", "12.5"); an apostrophe after a final "s" stays too ("Workers’ Party").
- Characters of scripts written without spaces (CJK, kana, Thai, Lao, Khmer, Myanmar) are one
  token each.
- Every other cluster (punctuation, symbols, emoji sequences, controls) is a token of its own.

`sentences()` groups tokens into sentences for formats that need them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

from annotator.domain.text import is_spaceless

Token = tuple[int, int]

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)


_SPACE, _WORD, _OTHER = 0, 1, 2
_APOSTROPHES = "'’"
_WORD_JOINERS = "'’-‐‑"  # apostrophes and hyphens (ASCII, U+2010, U+2011)
_NUMBER_JOINERS = ".,"
_SENTENCE_ENDS = frozenset(".!?")
_CJK_SENTENCE_ENDS = frozenset("。！？")


# A text uses few distinct characters; classifying each once is most of the tokenizer's speed.
@lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    if ch.isspace():
        return _SPACE
    if unicodedata.category(ch)[0] in "LNM" and not is_spaceless(ch):
        return _WORD
    return _OTHER


# Characters that can join a neighbour into one grapheme cluster (UAX #29): marks, joiners,
# variation selectors, regional indicators, emoji modifiers and tags, CR (of CRLF), Hangul jamo
# and the prepend marks. A text without any of them is one cluster per code point, which saves
# the segmentation pass (most of the tokenizer's time on news text).
_EXTENDERS = regex.compile(
    r"[\p{M}\u200c\u200d\ufe00-\ufe0f\U0001F1E6-\U0001F1FF\U0001F3FB-\U0001F3FF"
    r"\U000E0000-\U000E007F\U000E0100-\U000E01EF\r\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF"
    r"\p{Prepended_Concatenation_Mark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Extend}"
    r"\p{Grapheme_Cluster_Break=L}\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}]"
)


def _clusters(text: str) -> list[Token]:
    """Grapheme cluster ranges of `text`."""
    if _EXTENDERS.search(text) is None:
        return [(i, i + 1) for i in range(len(text))]
    return [(m.start(), m.end()) for m in _GRAPHEME.finditer(text)]


# A fast path with the same result for the common case: a text whose characters all lie in
# the blocks below (Latin scripts and their punctuation, currency and symbols) and none of
# which extends a grapheme cluster (CR, ZWJ...), so that clusters are code points. Each of
# those characters is classified once, here, by `_kind` itself, and the rules above become
# one regular expression over the classes (tested against the general path in
# tests/interchange/test_tokens_fast_path.py). Agreement tokenizes a whole corpus at once,
# where the general path's loop over characters was most of the time.
_FAST_BLOCKS = ((0x0000, 0x024F), (0x2000, 0x20CF), (0x2100, 0x214F))
_FAST_CHARS = [
    chr(c) for lo, hi in _FAST_BLOCKS for c in range(lo, hi + 1) if _EXTENDERS.match(chr(c)) is None
]


def _char_class(chars: list[str], *, negate: bool = False) -> str:
    """A regular-expression class of these characters, as ranges (the regex module matches a
    class of ranges much faster than one of as many single characters)."""
    points = sorted(ord(c) for c in chars)
    ranges: list[list[int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    body = "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)
    return f"[{'^' if negate else ''}{body}]"


_FAST_WORD = _char_class([c for c in _FAST_CHARS if _kind(c) == _WORD])
_FAST_DIGIT = _char_class([c for c in _FAST_CHARS if c.isdigit()])
_FAST_TOKEN = regex.compile(
    f"{_FAST_WORD}+"
    f"(?:(?:{_char_class(list(_WORD_JOINERS))}"
    f"|(?<={_FAST_DIGIT}){_char_class(list(_NUMBER_JOINERS))}(?={_FAST_DIGIT}))"
    f"{_FAST_WORD}+)*"
    f"(?:(?<=[sS]){_char_class(list(_APOSTROPHES))}(?!{_FAST_WORD}))?"
    f"|{_char_class([c for c in _FAST_CHARS if _kind(c) == _OTHER])}"
)
_OUTSIDE_FAST = regex.compile(_char_class(_FAST_CHARS, negate=True))


def tokenize(text: str) -> list[Token]:
    """The tokens of `text` as code-point (start, end) ranges, in order, end exclusive."""
    if _OUTSIDE_FAST.search(text) is None:
        return [m.span() for m in _FAST_TOKEN.finditer(text)]
    return _tokenize_clusters(text)


def _tokenize_clusters(text: str) -> list[Token]:
    """`tokenize` for any text: the rules applied cluster by cluster."""
    clusters = _clusters(text)
    kinds = [_kind(text[s]) for s, _ in clusters]
    tokens: list[Token] = []
    i, n = 0, len(clusters)
    while i < n:
        start, end = clusters[i]
        kind = kinds[i]
        if kind == _SPACE:
            # A cluster can start with a space and go on with a mark or joiner (" \u0301",
            # "\u00a0\u200d"): the space is skipped, whatever follows is a token of its own.
            pos = start
            while pos < end:
                if text[pos].isspace():
                    pos += 1
                    continue
                rest = pos
                while pos < end and not text[pos].isspace():
                    pos += 1
                tokens.append((rest, pos))
            i += 1
            continue
        if kind == _OTHER:
            tokens.append((start, end))
            i += 1
            continue
        j = i + 1
        while j < n:
            if kinds[j] == _WORD:
                end = clusters[j][1]
                j += 1
                continue
            c_start, c_end = clusters[j]
            if kinds[j] != _OTHER or c_end - c_start != 1:
                break
            ch = text[c_start]
            next_is_word = j + 1 < n and kinds[j + 1] == _WORD
            if next_is_word and (
                ch in _WORD_JOINERS
                or (
                    ch in _NUMBER_JOINERS
                    and text[end - 1].isdigit()
                    and text[clusters[j + 1][0]].isdigit()
                )
            ):
                end = clusters[j + 1][1]
                j += 2
                continue
            if ch in _APOSTROPHES and not next_is_word and text[end - 1] in "sS":
                end = c_end
                j += 1
            break
        tokens.append((start, end))
        i = j
    return tokens


_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group `tokens` (from `tokenize(text)`) into sentences.

    A sentence ends after `.`, `!` or `?` followed by whitespace or the end of the text (but not
    after a single-letter initial such as the "J." of "J. K. Rowling"), after `。`, `！` or `？`,
    and wherever a line break separates two tokens (paragraphs are lines in our texts).
    """
    result: list[list[Token]] = []
    current: list[Token] = []
    # The line breaks are found once; breaks[b] is the first at or after the previous token's
    # end, and a line break separates two tokens when it comes before the second's start.
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    size = len(text)
    breaks.append(size)  # no token starts after the end of the text
    b = 0
    previous = (-1, -1)  # the token before, none at first
    for token in tokens:
        start, end = token
        if current:
            while breaks[b] < previous[1]:
                b += 1
            if breaks[b] < start:
                result.append(current)
                current = []
        current.append(token)
        # Sentence ends are single characters: other tokens need no look.
        if end - start == 1:
            ch = text[start]
            if ch in _CJK_SENTENCE_ENDS:
                result.append(current)
                current = []
            elif ch in _SENTENCE_ENDS and (end == size or text[end].isspace()):
                initial = (
                    ch == "."
                    and previous[1] == start
                    and previous[1] - previous[0] == 1
                    and text[previous[0]].isupper()
                )
                if not initial:
                    result.append(current)
                    current = []
        previous = token
    if current:
        result.append(current)
    return result
