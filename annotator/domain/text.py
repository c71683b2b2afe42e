"""The text-and-offsets contract as pure functions.

A document's text is stored as decoded, with CRLF and lone CR turned into LF and nothing else
changed: no Unicode normalisation, because quotes must match the source byte for byte.
"""

from __future__ import annotations

import hashlib
import unicodedata

import regex

from annotator.domain.errors import InvalidSpanError

# A grapheme cluster (user-perceived character). The standard library cannot segment these;
# the `regex` module implements UAX #29 extended grapheme clusters.
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)

# How far snapping looks around a selection edge. A word or cluster longer than this is cut at
# the window edge rather than scanned to its end, which keeps snapping O(1) on a 1 MB paragraph.
_WINDOW = 64


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
    if not (0 <= start < end <= len(text)):
        raise InvalidSpanError(
            f"span {start}-{end} is outside the text (length {len(text)}) or empty"
        )
    actual = text[start:end]
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
    for m in _GRAPHEME.finditer(text, begin, min(len(text), offset + _WINDOW)):
        if m.start() <= offset < m.end():
            return m.start(), m.end()
    return offset, offset + 1


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim spaces and punctuation at its edges.

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
