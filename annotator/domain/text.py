"""The text-and-offsets contract as pure functions.

A document's text is stored as decoded, with CRLF and lone CR turned into LF and nothing else
changed: no Unicode normalisation, because quotes must match the source byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from annotator.domain.errors import InvalidSpanError

if TYPE_CHECKING:
    import regex


# How far snapping looks around a selection edge. A word or cluster longer than this is cut at
# the window edge rather than scanned to its end, which keeps snapping O(1) on a 1 MB paragraph.
_WINDOW = 64


@functools.cache
def _grapheme() -> regex.Pattern[str]:
    """A grapheme cluster (user-perceived character). The standard library cannot segment
    these; the `regex` module implements UAX #29 extended grapheme clusters. Compiled on first
    use: importing `regex` costs a command that never snaps a selection about 40 ms."""
    import regex

    return regex.compile(r"\X", regex.DOTALL)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF; change nothing else."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_of(text: str) -> str:
    """The SHA-256 of the text's UTF-8 bytes, as lowercase hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_span(text: str, start: int, end: int, quote: str | None = None) -> str:
    """Return `text[start:end]` if the range is a valid span of `text`, else raise.

    With `quote`, also require that it equals the slice exactly.
    """
    check_range(len(text), start, end)
    return check_quote(text[start:end], start, end, quote)


def check_range(length: int, start: int, end: int) -> None:
    """Raise unless `start`-`end` is a non-empty range of a text of `length` code points."""
    if not (0 <= start < end <= length):
        raise InvalidSpanError(f"span {start}-{end} is outside the text (length {length}) or empty")


def check_quote(actual: str, start: int, end: int, quote: str | None) -> str:
    """`actual` (the text at `start`-`end`), after checking that a given `quote` equals it."""
    if quote is not None and quote != actual:
        raise InvalidSpanError(
            f"quote {quote!r} does not match the text at {start}-{end}, which reads {actual!r}"
        )
    return actual


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # Letters, digits and marks; the joiners keep emoji ZWJ sequences whole.
    return cat[0] in "LNM" or ch in "\u200d\ufe0f"


def _is_inner_punct(ch: str) -> bool:
    # Characters that can sit inside a word: Kim Jong-un, Workers’ Party, U.S., 3,000, 12:30.
    return ch in "-‐‑'’.,:/&_@"


_SPACELESS_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x30FF),  # CJK punctuation, Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Katakana extensions
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # Half-width and full-width forms
    (0x20000, 0x3FFFF),  # CJK Extensions B and later
)


def is_spaceless(ch: str) -> bool:
    """True for scripts written without spaces, where each character is a snapping unit."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _SPACELESS_SCRIPTS)


def _base_char(text: str, index: int) -> str:
    """The character that `text[index]` belongs to: itself, or for a combining mark or joiner
    the character it extends (the "e" of "e\u0301", the emoji of an emoji + U+FE0F)."""
    limit = max(0, index - _WINDOW)
    while index > limit and (
        unicodedata.category(text[index])[0] == "M" or text[index] == "\u200d"
    ):
        index -= 1
    return text[index]


def _is_joining_word_char(text: str, index: int) -> bool:
    """True if `text[index]` can join a neighbour into a word: a word character, judged by the
    character it extends, and not from a script where each character stands alone."""
    ch = _base_char(text, index)
    return _is_word_char(ch) and not is_spaceless(ch)


def _joins(text: str, left: int) -> bool:
    """True if the characters at `left` and `left + 1` belong to one word."""
    a_word = _is_joining_word_char(text, left)
    b_word = _is_joining_word_char(text, left + 1)
    if a_word and b_word:
        return True
    # Inner punctuation joins only when a word character stands on both sides of it.
    if _is_inner_punct(text[left + 1]) and a_word:
        return left + 2 < len(text) and _is_joining_word_char(text, left + 2)
    if _is_inner_punct(text[left]) and b_word:
        return left >= 1 and _is_joining_word_char(text, left - 1)
    return False


def _is_trimmable(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return ch.isspace() or (cat[0] in "PZC" and ch not in "\u200d")


def grapheme_floor(text: str, offset: int) -> int:
    """The start of the grapheme cluster that contains `offset` (or `offset` at a boundary)."""
    return _grapheme_bounds(text, offset)[0]


def grapheme_ceil(text: str, offset: int) -> int:
    """The end of the grapheme cluster that contains `offset - 1`: never splits a cluster."""
    if offset <= 0:
        return 0
    lo, hi = _grapheme_bounds(text, offset - 1)
    return hi if offset > lo else offset


def _grapheme_bounds(text: str, offset: int) -> tuple[int, int]:
    if offset >= len(text):
        return len(text), len(text)
    # Segment from a safe point: a line break always ends a cluster (UAX #29 GB4/GB5).
    begin = max(0, offset - _WINDOW)
    nl = text.rfind("\n", begin, offset)
    begin = nl + 1 if nl >= 0 else begin
    for m in _grapheme().finditer(text, begin, min(len(text), offset + _WINDOW)):
        if m.start() <= offset < m.end():
            return m.start(), m.end()
    return offset, offset + 1


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim spaces and punctuation at its edges.

    Paired marks (quotation marks, brackets) stay together: a mark trimmed from one edge comes
    back when its partner is inside the span, and a mark whose partner is outside is trimmed.

    Returns an empty range `(start, start)` when nothing but spaces and punctuation was selected.
    In scripts written without spaces (Chinese, Japanese, Thai) each character stands alone, so
    snapping never blocks a selection there. Grapheme clusters (emoji sequences, combining marks)
    are never split.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    if start == end:
        return start, start
    limit = max(0, start - _WINDOW)
    while start > limit and _joins(text, start - 1):
        start -= 1
    limit = min(len(text), end + _WINDOW)
    while end < limit and _joins(text, end - 1):
        end += 1
    # An initialism keeps its final period ("U.S.", "e.g."): a single letter between two periods
    # ends the abbreviation, not the sentence, even when nothing follows it.
    if end < len(text) and text[end] == "." and _is_initialism_end(text, start, end):
        end += 1
    # A quotation or bracket opened inside the span and closed just after it (or the reverse)
    # goes with its partner: `said “the pact was signed in Valmora”` keeps its closing mark.
    start, end = grapheme_floor(text, start), grapheme_ceil(text, end)
    end = close_pairs_after(text, start, end)
    start = open_pairs_before(text, start, end)
    return grapheme_floor(text, start), grapheme_ceil(text, end)


def _is_initialism_end(text: str, start: int, end: int) -> bool:
    """True if `text[start:end]` ends in period + single letter, as "U.S" and "e.g" do."""
    return end - 2 > start and text[end - 2] == "." and text[end - 1].isalpha()


def normalise_newlines_mapping(text: str) -> tuple[str, list[int]]:
    """`normalise_newlines(text)` and where each old offset lands in the new text.

    `mapping[i]` is the new offset of old offset `i` (0..len(text)); a CR removed from a CRLF
    maps to the position of its LF, so a span that ends after the CR ends after the LF.
    """
    new: list[str] = []
    mapping: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        mapping.append(len(new))
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1  # the CR of a CRLF disappears; its offset maps onto the LF
                mapping.append(len(new))
            new.append("\n")
        else:
            new.append(ch)
        i += 1
    mapping.append(len(new))
    return "".join(new), mapping


# Paired quotation marks and brackets ----------------------------------------------------------

PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("\u201c", "\u201d"),  # “ ”
        ("\u2018", "\u2019"),  # ‘ ’
        ("\u00ab", "\u00bb"),  # « »
        ("\u2039", "\u203a"),  # ‹ ›
        ("\u201e", "\u201c"),  # „ “ (German)
        ("\u201e", "\u201d"),  # „ ” (Polish, Hungarian)
        ('"', '"'),
        ("(", ")"),
        ("[", "]"),
        ("{", "}"),
        ("\u300c", "\u300d"),  # 「 」
        ("\u300e", "\u300f"),  # 『 』
        ("\uff08", "\uff09"),  # （ ）
    }
)
"""(opening, closing) marks. “ closes „ and opens ”; " is both."""

OPENING_MARKS = frozenset(a for a, _ in PAIRS)
CLOSING_MARKS = frozenset(b for _, b in PAIRS)
SYMMETRIC_MARKS = frozenset(a for a, b in PAIRS if a == b)

# How far past a span's edge a partner is looked for: only punctuation, no space, lies between
# (`Valmora.”` and `Valmora”)` close at the end; `Valmora” and “` does not).
_PAIR_REACH = 8

SNAP_REACH = 1024
"""Past how much text around a selection `snap_to_words` never looks (it looks at most about
4 * _WINDOW + 2 * _PAIR_REACH code points out): snapping the text cut this far around the
selection (or to the text's ends) gives what snapping the whole text gives."""


def _symmetric_opens(text: str, index: int) -> bool:
    """Whether the symmetric mark at `index` (") opens: it follows a space, an opening mark
    or the start of the text, and a space does not follow it."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in OPENING_MARKS) and not after.isspace()


def _open_marks(text: str, start: int, end: int) -> list[str]:
    """The marks opened in `text[start:end]` and not closed there, innermost last.

    A closing mark with nothing open to close is not counted: ’ is also an apostrophe.
    """
    stack: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if ch in SYMMETRIC_MARKS and _symmetric_opens(text, i):
            stack.append(ch)
        elif stack and (stack[-1], ch) in PAIRS:
            stack.pop()
        elif ch in OPENING_MARKS and ch not in SYMMETRIC_MARKS:
            stack.append(ch)
    return stack


def _closed_marks(text: str, start: int, end: int) -> list[str]:
    """The marks closed in `text[start:end]` and not opened there, innermost last (read from
    the right: the mirror of `_open_marks`)."""
    stack: list[str] = []
    for i in range(end - 1, start - 1, -1):
        ch = text[i]
        if ch in SYMMETRIC_MARKS and not _symmetric_opens(text, i):
            stack.append(ch)
        elif stack and (ch, stack[-1]) in PAIRS:
            stack.pop()
        elif ch in CLOSING_MARKS and ch not in SYMMETRIC_MARKS:
            stack.append(ch)
    return stack


def _is_gap_punct(ch: str) -> bool:
    """Punctuation that may stand between a span's edge and a partner mark (no spaces)."""
    return not ch.isspace() and _is_trimmable(ch)


def close_pairs_after(text: str, start: int, end: int) -> int:
    """`end`, moved past the closing partners of marks opened in the span that follow it with
    only punctuation between (`“signed in Valmora` + `.”` -> `“signed in Valmora.”`)."""
    stack = _open_marks(text, start, end)
    new_end = end
    p = end
    while stack and p < min(len(text), end + _PAIR_REACH) and _is_gap_punct(text[p]):
        ch = text[p]
        p += 1
        if (stack[-1], ch) in PAIRS:
            stack.pop()
            new_end = p
        elif ch in OPENING_MARKS or ch in CLOSING_MARKS:
            break
    return new_end


def open_pairs_before(text: str, start: int, end: int) -> int:
    """`start`, moved before the opening partners of marks closed in the span that precede it
    with only punctuation between (the mirror of `close_pairs_after`)."""
    stack = _closed_marks(text, start, end)
    new_start = start
    p = start
    while stack and p > max(0, start - _PAIR_REACH) and _is_gap_punct(text[p - 1]):
        p -= 1
        ch = text[p]
        if (ch, stack[-1]) in PAIRS:
            stack.pop()
            new_start = p
        elif ch in OPENING_MARKS or ch in CLOSING_MARKS:
            break
    return new_start


# Moving one bound of a span -------------------------------------------------------------------

# How far a bound looks for the next word; a longer run of spaces and punctuation stops it.
_STEP_REACH = 1000


class Edge(StrEnum):
    """Which bound of a span moves."""

    START = "start"
    END = "end"


def _is_unit(text: str, index: int) -> bool:
    """True if the cluster at `index` is part of a word (letters, digits, symbols, emoji)."""
    return not _is_trimmable(_base_char(text, index))


def _is_word_end(text: str, offset: int) -> bool:
    return (
        offset > 0
        and _is_unit(text, offset - 1)
        and (offset == len(text) or not _joins(text, offset - 1))
    )


def _is_word_start(text: str, offset: int) -> bool:
    return (
        offset < len(text)
        and _is_unit(text, offset)
        and (offset == 0 or not _joins(text, offset - 1))
    )


def _next_boundary(text: str, offset: int) -> int:
    """The grapheme cluster boundary after `offset` (the text's end at the end)."""
    return min(len(text), grapheme_ceil(text, offset + 1))


def _previous_boundary(text: str, offset: int) -> int:
    """The grapheme cluster boundary before `offset` (0 at the start)."""
    return max(0, grapheme_floor(text, offset - 1))


def _step_to(text: str, offset: int, forward: bool, stop: Callable[[str, int], bool]) -> int | None:
    """The nearest cluster boundary past `offset` in the direction given where `stop` holds."""
    limit = _STEP_REACH
    while limit > 0:
        nxt = _next_boundary(text, offset) if forward else _previous_boundary(text, offset)
        if nxt == offset:
            return None
        offset = nxt
        if stop(text, offset):
            return offset
        limit -= 1
    return None


def move_bound(
    text: str, start: int, end: int, *, edge: Edge, forward: bool, by_word: bool
) -> tuple[int, int] | None:
    """The span `start`..`end` with one bound moved by a word or by a grapheme cluster.

    The end moves to the previous or next end of a word, the start to the previous or next start
    of a word (so moving over spaces and punctuation takes the word behind them too); by cluster,
    each bound moves to the neighbouring cluster boundary. Growing by a word also takes the
    partner of a quotation mark or bracket that the span opens (see `close_pairs_after`).
    Returns None when the bound cannot move that way: past the text, or so far that the span
    would be empty.
    """
    moved: int | None
    if edge is Edge.END:
        if by_word:
            moved = _step_to(text, end, forward, _is_word_end)
            if moved is not None and forward:
                moved = close_pairs_after(text, start, moved)
        elif (forward and end < len(text)) or (not forward and end > 0):
            moved = _next_boundary(text, end) if forward else _previous_boundary(text, end)
        else:
            moved = None
        if moved is None or moved <= start or moved == end:
            return None
        return start, moved
    if by_word:
        moved = _step_to(text, start, forward, _is_word_start)
        if moved is not None and not forward:
            moved = open_pairs_before(text, moved, end)
    elif (forward and start < len(text)) or (not forward and start > 0):
        moved = _next_boundary(text, start) if forward else _previous_boundary(text, start)
    else:
        moved = None
    if moved is None or moved >= end or moved == start:
        return None
    return moved, end


def snap_bound(text: str, start: int, end: int, *, edge: Edge) -> tuple[int, int]:
    """`start`..`end` with only the given bound snapped to a word edge, as `snap_to_words`
    would place it (the other bound stays where it is). Never empty: a bound that would meet
    or pass the other one stays one cluster away from it."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    s, e = snap_to_words(text, start, end)
    if edge is Edge.END:
        end = max(e if s < e else end, _next_boundary(text, start))
        return start, grapheme_ceil(text, close_pairs_after(text, start, end))
    start = min(s if s < e else start, _previous_boundary(text, end))
    return grapheme_floor(text, open_pairs_before(text, start, end)), end


def drag_bound(
    text: str, start: int, end: int, *, edge: Edge, to: int, snap: bool
) -> tuple[int, int]:
    """The span `start`..`end` with one bound dragged to offset `to`.

    With `snap`, the bound goes to a word edge as a selection's would (`snap_bound`); without,
    to the nearest grapheme cluster edge. The bound stops one cluster short of the other: the
    span is never empty or turned inside out.
    """
    to = max(0, min(to, len(text)))
    if edge is Edge.END:
        start, end = start, max(to, _next_boundary(text, start))
    else:
        start, end = min(to, _previous_boundary(text, end)), end
    if snap:
        return snap_bound(text, start, end, edge=edge)
    if edge is Edge.END:
        return start, grapheme_ceil(text, end)
    return grapheme_floor(text, start), end
