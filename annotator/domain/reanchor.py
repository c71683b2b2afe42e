"""Re-anchoring spans when an article's text changes.

A changed article is a new revision; its spans must follow the text they marked. Each span is
placed in the new text by what it quoted, the text around it (prefix and suffix) and where a diff
of the two texts says it should now be. Nothing is dropped or moved silently: a span that cannot
be placed with confidence comes back unplaced, with the reason, for a person to review.

Candidates for a span's new place come from three sources, each scored the same way:

1. the diff: the old text aligned to the new (paragraphs, then sentences, then words, then
   characters inside small changed regions) maps the span's bounds; this follows typo fixes
   inside the span;
2. every exact occurrence of the quote in the new text, which finds spans in moved paragraphs
   and tells occurrences apart by their context;
3. the old prefix and suffix found in the new text, which brackets a quote that was both moved
   and edited.

A candidate's confidence weighs how alike the quotes are most, then the prefix and suffix, and a
little the distance from the place the diff expects.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

# Characters of context kept on each side of a span.
CONTEXT = 32
# Below this confidence a span is not placed but listed for review.
THRESHOLD = 0.8
# A changed quote must still be at least this alike to the old one.
MIN_QUOTE_SIMILARITY = 0.75
# Changed regions up to this many characters (on each side) are aligned character by character;
# larger ones only word by word, which keeps a diff of long articles fast.
_CHAR_DIFF_LIMIT = 4000
# Weights of the score: quote, prefix, suffix, position.
_W_QUOTE, _W_PREFIX, _W_SUFFIX, _W_POSITION = 50.0, 20.0, 20.0, 4.0
# A diff placement with the same quote and at least this confidence is taken without a search.
_SURE = 0.95
# Candidates whose confidence differs by less than this have equal evidence.
_EQUAL = 0.02
# Of places with equal evidence, one at most this many characters from where the diff expects
# the span is taken; farther, the span is listed for review.
_NEAR = 2 * CONTEXT
# A span is moved farther only when the place it moves to beats every other by this much.
_FAR_MARGIN = 0.05
# What bounds the work of placing one span that the diff did not place with certainty: scoring
# compares strings with SequenceMatcher (tens of microseconds each, three per candidate), and a
# short quote in a repetitive article occurs hundreds of times; with thousands of such spans
# that was minutes. So of a quote's occurrences only the `_MAX_OCCURRENCES` nearest to the
# expected place are looked at, ranked by a cheap measure (how many characters of the old
# context each keeps exactly, next to the quote), and only the `_MAX_SCORED` best ranked are
# scored. The place that keeps its context ranks first, so a moved paragraph is still found;
# when many keep it equally, enough of them are scored to call the span ambiguous.
_MAX_OCCURRENCES = 200
_MAX_SCORED = 12

# Sentences come between paragraphs and words: a long paragraph with a few edits was diffed word
# by word, and there SequenceMatcher's autojunk (which keeps the diff of long texts fast) drops
# the spaces and common words, so most of the paragraph stayed unaligned (a third of the words
# aligned in a 5,000-character paragraph with five one-letter edits). Every span in it then
# went through the search by quote, which in a repetitive article is slow and often ambiguous.
# By sentence, the changed regions left for the word diff are a sentence or two long.


@cache
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Sentences and word tokens (`regex`'s \\w is Unicode's word class, combining marks
    included). Compiled on first use: the store imports this module, and a command that never
    re-anchors should not load `regex` at start-up."""
    import regex

    return (
        regex.compile(r"[^.!?]*[.!?]+\s*|[^.!?]+"),
        regex.compile(r"\w+|\s+|.", regex.DOTALL),
    )


# The levels of the diff: lines, sentences, words, characters.
_LINES, _SENTENCES, _WORDS, _CHARS = range(4)


class Placement(StrEnum):
    PLACED = "placed"  # the same quote, found with confidence
    CHANGED = "changed"  # found with confidence, but the quote's text changed
    UNPLACED = "unplaced"  # not found with confidence: listed for review


@dataclass(frozen=True, slots=True)
class Anchor:
    """A span of the old text: code point offsets, end exclusive, and its quote."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Reanchored:
    """Where an anchor went. `start`, `end` and `quote` are None when it is unplaced."""

    anchor: Anchor
    placement: Placement
    start: int | None
    end: int | None
    quote: str | None
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Block:
    old: int
    new: int
    size: int


class Alignment:
    """The unchanged runs of characters between an old and a new text, and the offset map they
    define. Computed once per pair of texts and shared by all their spans."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        # The common head and tail are unchanged for certain; only the middle is diffed.
        head = _common_prefix(old, new)
        tail = _common_prefix(old[head:][::-1], new[head:][::-1])
        allowance = _Allowance(_ALLOWANCE)
        middle = _align(
            old[head : len(old) - tail], new[head : len(new) - tail], head, head, 0, allowance
        )
        ends = [_Block(0, 0, head), *middle, _Block(len(old) - tail, len(new) - tail, tail)]
        blocks = list(_merge(iter(ends)))
        # A sentinel at each end makes every gap lie between two blocks.
        self._blocks = [_Block(0, 0, 0), *blocks, _Block(len(old), len(new), 0)]
        self._olds = [b.old for b in self._blocks]
        self.found: dict[str, list[int]] = {}
        """Where each quote looked for occurs in the new text, in order: spans of a repetitive
        article share quotes, and each search reads the whole text."""

    def map_start(self, pos: int) -> int:
        """The new offset of a span's start at old offset `pos` (follows the character at it)."""
        return self._map(pos, pos)

    def map_end(self, pos: int) -> int:
        """The new offset of a span's end at old offset `pos` (follows the character before)."""
        return self._map(pos, pos - 1)

    def _map(self, pos: int, char: int) -> int:
        i = bisect.bisect_right(self._olds, char) - 1
        block = self._blocks[i]
        if block.size and block.old <= char < block.old + block.size:
            return block.new + (pos - block.old)
        # `pos` lies in a changed gap between block i and the next one: spread it over the
        # gap's new text in proportion.
        nxt = self._blocks[i + 1]
        gap_old_start, gap_new_start = block.old + block.size, block.new + block.size
        old_len, new_len = nxt.old - gap_old_start, nxt.new - gap_new_start
        if old_len <= 0:
            return gap_new_start if pos <= gap_old_start else nxt.new
        offset = min(max(pos - gap_old_start, 0), old_len)
        return gap_new_start + round(offset * new_len / old_len)

    def unchanged(self, start: int, end: int) -> bool:
        """Whether old `start:end` lies inside one unchanged run."""
        i = bisect.bisect_right(self._olds, start) - 1
        block = self._blocks[i]
        return block.old <= start and end <= block.old + block.size


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of `a` and `b`, by halving."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _pieces(text: str, level: int) -> list[str]:
    if level == _LINES:
        return text.splitlines(keepends=True)
    if level == _SENTENCES:
        return _patterns()[0].findall(text)
    if level == _WORDS:
        return _patterns()[1].findall(text)
    return list(text)


def _align(
    old: str, new: str, old_at: int, new_at: int, level: int, allowance: _Allowance
) -> Iterator[_Block]:
    """Unchanged runs of `old` against `new`, as blocks in absolute offsets, in order."""
    if not old or not new:
        return
    if old == new:
        yield _Block(old_at, new_at, len(old))
        return
    if level == _CHARS and (len(old) > _CHAR_DIFF_LIMIT or len(new) > _CHAR_DIFF_LIMIT):
        return
    a, b = _pieces(old, level), _pieces(new, level)
    # Offsets of each piece, so piece indices turn into character offsets.
    a_at = _offsets(a)
    b_at = _offsets(b)
    i = j = 0  # the ends of the last equal run, in pieces
    budget = _BUDGET if level < _WORDS else _WORD_BUDGET
    # Characters are not cut at unique runs: their stretches are short, and runs of a few
    # letters are rarely unique.
    depth = _ANCHOR_DEPTH if level == _CHARS else 0
    matches = _matches(a, b, 0, 0, depth, budget, allowance)
    for mi, mj, size in [*matches, (len(a), len(b), 0)]:
        if mi > i and mj > j and level < _CHARS:
            yield from _align(
                old[a_at[i] : a_at[mi]],
                new[b_at[j] : b_at[mj]],
                old_at + a_at[i],
                new_at + b_at[j],
                level + 1,
                allowance,
            )
        if size:
            yield _Block(old_at + a_at[mi], new_at + b_at[mj], a_at[mi + size] - a_at[mi])
        i, j = mi + size, mj + size


# What bounds the diff of a pair of texts, whatever they hold: difflib's SequenceMatcher takes
# time that grows with the product of the lengths it is given, and far worse when the same
# pieces recur (one line of words repeated without a full stop took minutes at 200 KB): one
# search for the longest match compares each piece of one side with every equal piece of the
# other, and it searches once per run found. So:
# - SequenceMatcher gets a stretch of at most `_DIRECT` pieces a side, only when one search
#   costs at most `_BUDGET` comparisons (`_search_cost`), and only while the alignment's
#   `_ALLOWANCE` of comparisons lasts (each diff is charged a search per run it found). Words
#   and characters, which recur even in ordinary text, get it only for a short stretch
#   (`_WORD_BUDGET`): in a longer one it lines a run up with the longest equal run anywhere,
#   often in another copy of a repeated passage;
# - a longer stretch is first cut at runs of `_RUN` pieces that occur exactly once in each
#   text, in the same order (anchors that cannot belong to another copy of a repeated passage),
#   recursively at most `_ANCHOR_DEPTH` times, each cut reading its stretch once;
# - what is left is walked along the diagonal: equal pieces are taken as they come; where the
#   texts differ the walk resyncs at the nearest `_RUN` equal pieces within `_RESYNC` pieces
#   on each side (a typo, a word added or dropped: a few hundred comparisons), else within
#   `_WINDOW` pieces on each side (one pass over each window, by a table of runs), else it
#   skips a window on both sides. A resync reads at most two windows and is followed by at
#   least `_RUN` equal pieces; a skip moves on by a window: linear in the length of the text.
# The walk also keeps the diff local: it cannot line a passage up with an identical copy far
# away, which SequenceMatcher (it prefers the earliest of equally long matches) does.
_WINDOW = 200
_DIRECT = 2000
_BUDGET = 100_000
_WORD_BUDGET = 2_500
_ALLOWANCE = 10_000_000
_RESYNC = 8
_RUN = 4
_ANCHOR_DEPTH = 3


@dataclass(slots=True)
class _Allowance:
    """Comparisons SequenceMatcher may still make for one alignment."""

    left: int


def _matches(
    a: Sequence[str],
    b: Sequence[str],
    a_at: int,
    b_at: int,
    depth: int,
    budget: int,
    allowance: _Allowance,
) -> Iterator[tuple[int, int, int]]:
    """Runs of equal pieces of `a` and `b`, as (index in a, index in b, length), in order and
    not crossing; `a_at` and `b_at` are added to the indices."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head:
        yield a_at, b_at, head
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    a_at, b_at = a_at + head, b_at + head
    if not a_mid or not b_mid:
        pass
    elif (cost := _search_cost(a_mid, b_mid, budget)) <= min(budget, allowance.left):
        # Without autojunk: it drops the pieces that fill over 1% of a long side (spaces,
        # common words), and the runs left are single words that it lines up with the
        # earliest equal word, anywhere.
        matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        found = matcher.get_matching_blocks()
        # Each run found cost a search, and so did each gap left between runs.
        allowance.left -= cost * len(found)
        for i, j, size in found:
            if size:
                yield a_at + i, b_at + j, size
    else:
        anchors = _unique_anchors(a_mid, b_mid) if depth < _ANCHOR_DEPTH else []
        if anchors:
            i = j = 0
            for ai, bj in [*anchors, (len(a_mid), len(b_mid))]:
                yield from _matches(
                    a_mid[i:ai], b_mid[j:bj], a_at + i, b_at + j, depth + 1, budget, allowance
                )
                if ai < len(a_mid):
                    yield a_at + ai, b_at + bj, 1
                i, j = ai + 1, bj + 1
        else:
            yield from _walk(a_mid, b_mid, a_at, b_at)
    if tail:
        yield a_at + len(a_mid), b_at + len(b_mid), tail


def _search_cost(a: Sequence[str], b: Sequence[str], budget: int) -> int:
    """How many pairs of equal pieces one longest-match search of SequenceMatcher looks at
    (`budget + 1` once it is clearly more)."""
    if len(a) * len(b) <= budget:
        return len(a) * len(b)
    if len(a) > _DIRECT or len(b) > _DIRECT:
        return budget + 1
    count_a = Counter(a)
    return sum(count_a[piece] for piece in b)


def _unique_anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of indices where a run of `_RUN` pieces occurs once in `a` and once in `b`: the
    longest chain of them in the same order in both. (A single piece can be unique by chance,
    such as a word cut in two at the edge of a stretch, and then occur once in the other
    text, anywhere.)"""
    # Not the first or last piece: the stretch may begin or end inside a word.
    runs_a = [tuple(a[i : i + _RUN]) for i in range(1, len(a) - _RUN)]
    runs_b = [tuple(b[j : j + _RUN]) for j in range(1, len(b) - _RUN)]
    count_a = Counter(runs_a)
    count_b = Counter(runs_b)
    where_b = {run: j + 1 for j, run in enumerate(runs_b) if count_b[run] == 1}
    pairs = [
        (i + 1, where_b[run])
        for i, run in enumerate(runs_a)
        if count_a[run] == 1 and run in where_b
    ]
    # The longest increasing run of new indices (patience sorting), kept with back links.
    tops: list[int] = []  # the smallest new index ending a chain of each length
    ends: list[int] = []  # the pair ending that chain
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tops, j)
        back.append(ends[k - 1] if k else -1)
        if k == len(tops):
            tops.append(j)
            ends.append(n)
        else:
            tops[k] = j
            ends[k] = n
    chain: list[tuple[int, int]] = []
    n = ends[-1] if ends else -1
    while n != -1:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def _walk(
    a: Sequence[str], b: Sequence[str], a_at: int, b_at: int
) -> Iterator[tuple[int, int, int]]:
    """Equal runs of `a` and `b` found by walking both along the diagonal (see `_WINDOW`)."""
    i = j = 0
    while i < len(a) and j < len(b):
        run = 0
        while i + run < len(a) and j + run < len(b) and a[i + run] == b[j + run]:
            run += 1
        if run:
            yield a_at + i, b_at + j, run
            i, j = i + run, j + run
            continue
        nearby = _resync(a, b, i, j)
        if nearby is not None:
            i, j = nearby
            continue
        # Nothing agrees nearby: resync at the nearest `_RUN` equal pieces within a window of
        # `_WINDOW` pieces each side (one pass over each), else skip the window on both sides.
        i, j = _resync_far(a, b, i, j)


def _resync_far(a: Sequence[str], b: Sequence[str], i: int, j: int) -> tuple[int, int]:
    where_b: dict[tuple[str, ...], int] = {}
    for jj in range(min(len(b), j + _WINDOW) - _RUN, j - 1, -1):
        where_b[tuple(b[jj : jj + _RUN])] = jj  # the first of equal runs wins
    best: tuple[int, int] | None = None
    for ii in range(i, min(len(a), i + _WINDOW) - _RUN + 1):
        if best is not None and ii - i >= best[0] - i + best[1] - j:
            break
        jj = where_b.get(tuple(a[ii : ii + _RUN]), -1)
        if jj != -1 and (best is None or ii - i + jj - j < best[0] - i + best[1] - j):
            best = (ii, jj)
    return best if best is not None else (min(len(a), i + _WINDOW), min(len(b), j + _WINDOW))


def _resync(a: Sequence[str], b: Sequence[str], i: int, j: int) -> tuple[int, int] | None:
    """The nearest place after a[i] and b[j] differ where `_RUN` pieces agree again, skipping
    at most `_RESYNC` pieces on each side: a typo, an inserted or deleted word."""
    for distance in range(1, 2 * _RESYNC + 1):
        for di in range(max(0, distance - _RESYNC), min(distance, _RESYNC) + 1):
            dj = distance - di
            if a[i + di : i + di + _RUN] == b[j + dj : j + dj + _RUN] and (
                i + di + _RUN <= len(a) and j + dj + _RUN <= len(b)
            ):
                return i + di, j + dj
    return None


def _offsets(pieces: Sequence[str]) -> list[int]:
    out = [0]
    for piece in pieces:
        out.append(out[-1] + len(piece))
    return out


def _merge(blocks: Iterator[_Block]) -> Iterator[_Block]:
    """Join blocks that touch on both sides into one."""
    current: _Block | None = None
    for block in blocks:
        if block.size == 0:
            continue
        if (
            current is not None
            and current.old + current.size == block.old
            and current.new + current.size == block.new
        ):
            current = _Block(current.old, current.new, current.size + block.size)
            continue
        if current is not None:
            yield current
        current = block
    if current is not None:
        yield current


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _prefix(text: str, at: int) -> str:
    """Up to CONTEXT characters before `at`, within its paragraph: paragraphs are what moves,
    so the end of the paragraph before is no evidence of where a span belongs."""
    before = text[max(0, at - CONTEXT) : at]
    return before[before.rfind("\n") + 1 :]


def _suffix(text: str, at: int) -> str:
    """Up to CONTEXT characters after `at`, within its paragraph."""
    after = text[at : at + CONTEXT]
    cut = after.find("\n")
    return after if cut == -1 else after[:cut]


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    confidence: float
    quote_similarity: float
    source: str


class _Scorer:
    def __init__(self, old: str, new: str, anchor: Anchor, expected: int) -> None:
        self.old = old
        self.new = new
        self.anchor = anchor
        self.prefix = _prefix(old, anchor.start)
        self.suffix = _suffix(old, anchor.end)
        self.expected = expected

    def repeated(self) -> bool:
        """Whether the span's quote with its prefix and suffix occurs more than once in the
        old text (stops at the second occurrence)."""
        window = self.prefix + self.anchor.quote + self.suffix
        first = self.old.find(window)
        return self.old.find(window, first + 1) != -1

    def score(self, start: int, end: int, source: str) -> _Candidate:
        new = self.new
        quote = _similarity(self.anchor.quote, new[start:end])
        prefix = _similarity(self.prefix, _prefix(new, start))
        suffix = _similarity(self.suffix, _suffix(new, end))
        distance = abs(start - self.expected) / max(len(new), 1)
        position = max(0.0, 1.0 - distance)
        total = _W_QUOTE + _W_PREFIX + _W_SUFFIX + _W_POSITION
        confidence = (
            _W_QUOTE * quote + _W_PREFIX * prefix + _W_SUFFIX * suffix + _W_POSITION * position
        ) / total
        return _Candidate(start, end, confidence, quote, source)


def reanchor(old: str, new: str, anchors: Sequence[Anchor]) -> list[Reanchored]:
    """Place each anchor of `old` in `new`; one result per anchor, in the same order."""
    alignment = Alignment(old, new)
    return [reanchor_one(alignment, anchor) for anchor in anchors]


def reanchor_one(alignment: Alignment, anchor: Anchor) -> Reanchored:
    old, new = alignment.old, alignment.new
    if old[anchor.start : anchor.end] != anchor.quote or anchor.start >= anchor.end:
        raise ValueError(
            f"anchor {anchor.start}-{anchor.end} does not quote the old text: {anchor.quote!r}"
        )
    expected_start = alignment.map_start(anchor.start)
    expected_end = alignment.map_end(anchor.end)
    # The quick path: an unchanged run covers the span and its context.
    if alignment.unchanged(max(0, anchor.start - CONTEXT), min(len(old), anchor.end + CONTEXT)):
        return Reanchored(
            anchor,
            Placement.PLACED,
            expected_start,
            expected_end,
            anchor.quote,
            1.0,
            "unchanged with its context",
        )
    scorer = _Scorer(old, new, anchor, expected_start)
    candidates: list[_Candidate] = []
    if expected_end > expected_start:
        mapped = scorer.score(expected_start, expected_end, "diff")
        if mapped.quote_similarity == 1.0 and mapped.confidence >= _SURE:
            # The diff keeps the quote and nearly all its context: no other place can beat it,
            # and scoring every occurrence of a common word near each edit would be slow.
            return _decide(anchor, new, [mapped], expected_start, scorer)
        candidates.append(mapped)
    for at in _likeliest(new, scorer, _occurrences(alignment, anchor.quote, expected_start)):
        if at != expected_start or expected_end - expected_start != len(anchor.quote):
            candidates.append(scorer.score(at, at + len(anchor.quote), "quote"))
    if not any(c.quote_similarity == 1.0 for c in candidates):
        bracket = _bracketed(new, scorer, anchor)
        if bracket is not None:
            candidates.append(scorer.score(*bracket, "context"))
    return _decide(anchor, new, candidates, expected_start, scorer)


def _occurrences(alignment: Alignment, quote: str, expected: int) -> list[int]:
    """Where `quote` occurs in the new text: the `_MAX_OCCURRENCES` nearest to `expected`."""
    found = alignment.found.get(quote)
    if found is None:
        new = alignment.new
        found = []
        at = new.find(quote)
        while at != -1:
            found.append(at)
            at = new.find(quote, at + 1)
        alignment.found[quote] = found
    if len(found) <= _MAX_OCCURRENCES:
        return found
    # The nearest lie among the `_MAX_OCCURRENCES` on each side of `expected`.
    middle = bisect.bisect_left(found, expected)
    near = found[max(0, middle - _MAX_OCCURRENCES) : middle + _MAX_OCCURRENCES]
    return sorted(near, key=lambda x: abs(x - expected))[:_MAX_OCCURRENCES]


def _likeliest(new: str, scorer: _Scorer, found: list[int]) -> list[int]:
    """The `_MAX_SCORED` occurrences that keep the old context next to the quote exactly (all
    of it, else its nearest 8 characters; on a tie, the nearest to the expected place): the
    only ones worth the full score. Each test is one comparison of a few characters."""
    if len(found) <= _MAX_SCORED:
        return found
    length = len(scorer.anchor.quote)
    prefix, suffix = scorer.prefix, scorer.suffix
    near_prefix, near_suffix = prefix[-8:], suffix[:8]

    def kept(at: int) -> tuple[int, int, int]:
        end = at + length
        whole = (at >= len(prefix) and new.startswith(prefix, at - len(prefix))) + (
            new.startswith(suffix, end)
        )
        near = (at >= len(near_prefix) and new.startswith(near_prefix, at - len(near_prefix))) + (
            new.startswith(near_suffix, end)
        )
        return -whole, -near, abs(at - scorer.expected)

    return sorted(found, key=kept)[:_MAX_SCORED]


def _bracketed(new: str, scorer: _Scorer, anchor: Anchor) -> tuple[int, int] | None:
    """The text between the old prefix and the old suffix, where both occur once in the new
    text, in order, and enclose about as much text as the quote had."""
    prefix, suffix = scorer.prefix, scorer.suffix
    if len(prefix) < CONTEXT // 2 or len(suffix) < CONTEXT // 2:
        return None
    if new.count(prefix) != 1 or new.count(suffix) != 1:
        return None
    start = new.index(prefix) + len(prefix)
    end = new.index(suffix)
    length = len(anchor.quote)
    if end <= start or abs((end - start) - length) > max(4, length // 4):
        return None
    return start, end


def _decide(
    anchor: Anchor, new: str, candidates: list[_Candidate], expected: int, scorer: _Scorer
) -> Reanchored:
    """The best candidate, if it is good enough and not one of several equally good places far
    from `expected`, where the diff (the edits before the span) says the span should now be."""
    if not candidates:
        return _unplaced(anchor, 0.0, "the quote is gone and its context was not found")
    best = max(candidates, key=lambda c: c.confidence)
    if best.confidence < THRESHOLD:
        why = (
            "the quote occurs but not in its context"
            if best.quote_similarity == 1.0
            else "the quote was not found"
        )
        return _unplaced(anchor, best.confidence, f"{why} (best confidence {best.confidence:.2f})")
    # Places with as much evidence as the best (copies of a repeated passage): the nearest to
    # the expected place wins, and only if it is near it; a span is never moved silently to
    # one of several identical copies far away. A single best place may be far: a moved
    # paragraph.
    equal = {(c.start, c.end): c for c in candidates if best.confidence - c.confidence < _EQUAL}
    if len(equal) > 1:
        best = min(equal.values(), key=lambda c: (abs(c.start - expected), -c.confidence))
        if abs(best.start - expected) > _NEAR:
            return _unplaced(
                anchor,
                best.confidence,
                f"ambiguous: {len(equal)} places fit equally well, none where it was",
            )
    # A good enough place where the span should be beats a better one far away: the text
    # there was edited (a typo in one copy of a repeated passage leaves the other copies the
    # best match); only a span whose place holds nothing like it any more moves away. If the
    # quote there changed too much, the span is listed for review below.
    far = ""
    if abs(best.start - expected) > _NEAR:
        near = [
            c for c in candidates if abs(c.start - expected) <= _NEAR and c.confidence >= THRESHOLD
        ]
        if near:
            best = max(near, key=lambda c: c.confidence)
            far = "; a closer match lies far from here"
        elif scorer.repeated():
            # The span's text with its context stood in other places of the old text too (a
            # copy of a repeated passage): finding it far away is finding another copy.
            return _unplaced(
                anchor,
                best.confidence,
                "not found where it was; its text and context repeat elsewhere",
            )
        elif any(
            (c.start, c.end) != (best.start, best.end)
            and best.confidence - c.confidence < _FAR_MARGIN
            for c in candidates
        ):
            # Moved far away, but another place is nearly as good: a copy of a repeated
            # passage whose context differs by a letter is no evidence of a move.
            return _unplaced(
                anchor,
                best.confidence,
                "ambiguous: the best places are far from where it was and nearly alike",
            )
    quote = new[best.start : best.end]
    if quote == anchor.quote:
        return Reanchored(
            anchor,
            Placement.PLACED,
            best.start,
            best.end,
            quote,
            best.confidence,
            f"found by {best.source}{far}",
        )
    if best.quote_similarity < MIN_QUOTE_SIMILARITY:
        return _unplaced(
            anchor,
            best.confidence,
            f"the quote changed too much (similarity {best.quote_similarity:.3f})",
        )
    return Reanchored(
        anchor,
        Placement.CHANGED,
        best.start,
        best.end,
        quote,
        best.confidence,
        f"found by {best.source}; the quote changed (similarity {best.quote_similarity:.3f}){far}",
    )


def _unplaced(anchor: Anchor, confidence: float, reason: str) -> Reanchored:
    return Reanchored(anchor, Placement.UNPLACED, None, None, None, confidence, reason)


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The text just before `start` and just after `end`, each within its paragraph: what a
    person reads to recognise a span."""
    return _prefix(text, start), _suffix(text, end)
