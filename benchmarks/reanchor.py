"""Time re-anchoring the spans of a 1 MB article in a new revision of it.

    python benchmarks/reanchor.py

Articles of about 1 MB (unless said) with about 1,000 one-letter edits per MB scattered over
them and a span every 100 characters or so:
- realistic: paragraphs of varied text;
- repeated: one paragraph repeated 180 times, so the diff finds the same lines everywhere
  and each quote occurs 180 times (the pathological case for a diff and for the search by
  quote).
- unpunctuated, 200 KB and 1 MB: one line of repeated words without full stops, so neither
  lines nor sentences split the diff (the pathological case for the word diff).
Prints, for each, the time of the alignment, of placing the spans, how they were placed,
whether the total stays under the floor (FLOOR_S: a revision is saved while the user waits),
and how many spans were placed far (over FAR characters) from where the edits moved them.
"""

from __future__ import annotations

import argparse
import bisect
import random
import time
from collections import Counter
from collections.abc import Callable

from annotator.domain.reanchor import Alignment, Anchor, Reanchored, reanchor_one

SYLLABLES = [c + v for c in "bdklmnrstv" for v in "aeio"]


_RNG = random.Random(1)
# Made-up words, drawn with Zipf-like weights: a few common, most rare, as in news text.
VOCABULARY = ["".join(_RNG.choices(SYLLABLES, k=_RNG.randint(1, 4))) for _ in range(6000)]
WEIGHTS = [1 / (n + 1) for n in range(len(VOCABULARY))]


def paragraph(rng: random.Random, size: int) -> str:
    words: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(6, 18))
        sentence[0] = sentence[0].capitalize()
        if rng.random() < 0.3:
            sentence.insert(rng.randrange(len(sentence)), f"{rng.randint(1, 2030)}")
        words.append(" ".join(sentence) + ".")
        length += len(words[-1]) + 1
    return " ".join(words)


def realistic(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(paragraph(rng, rng.randint(200, 1500)))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)


def repeated(rng: random.Random, size: int, times: int = 180) -> str:
    one = paragraph(rng, size // times)
    return "\n\n".join([one] * times)


def unpunctuated(rng: random.Random, size: int, times: int = 180) -> str:
    """One line of repeated words with no sentence punctuation: no line or sentence to align
    first, so the whole text reaches the word diff."""
    one = paragraph(rng, size // times).replace(".", "").lower()
    return " ".join([one] * times)


def edited(rng: random.Random, text: str, edits: int) -> tuple[str, list[tuple[int, int]]]:
    """`text` with `edits` one-letter edits, and the edits as (old offset, length change)."""
    chars = list(text)
    shifts: list[tuple[int, int]] = []
    for at in sorted(rng.sample(range(len(chars)), edits), reverse=True):
        if chars[at] == "\n":
            continue
        kind = rng.random()
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if kind < 0.4:
            chars[at] = letter
        elif kind < 0.7:
            chars.insert(at, letter)
            shifts.append((at, 1))
        else:
            del chars[at]
            shifts.append((at, -1))
    return "".join(chars), sorted(shifts)


def anchors(rng: random.Random, text: str, every: int) -> list[Anchor]:
    found: list[Anchor] = []
    at = 0
    while at < len(text) - 40:
        start = text.find(" ", at) + 1
        end = min(text.find(" ", start + rng.randint(3, 30)), len(text))
        if 0 < start < end and "\n" not in text[start:end]:
            found.append(Anchor(start, end, text[start:end]))
        at += every
    return found


FLOOR_S = 5.0
# A placed span more than this many characters from where the edits moved it went to another
# copy of its text.
FAR = 100


def far_moved(results: list[Reanchored], shifts: list[tuple[int, int]]) -> int:
    """How many spans were placed or changed more than FAR characters from their true place."""
    ats = [at for at, _ in shifts]
    total = [0]
    for _, change in shifts:
        total.append(total[-1] + change)
    far = 0
    for r in results:
        if r.start is None:
            continue
        true = r.anchor.start + total[bisect.bisect_left(ats, r.anchor.start)]
        far += abs(r.start - true) > FAR
    return far


def run(name: str, old: str, new: str, shifts: list[tuple[int, int]], spans: list[Anchor]) -> None:
    began = time.perf_counter()
    alignment = Alignment(old, new)
    aligned = time.perf_counter()
    results = [reanchor_one(alignment, a) for a in spans]
    placed = time.perf_counter()
    counts = Counter(r.placement.value for r in results)
    shown = ", ".join(f"{counts[k]} {k}" for k in ("placed", "changed", "unplaced"))
    print(
        f"{name:<13} {len(old) / 1e6:5.2f} MB {len(spans):>6} spans  "
        f"align {aligned - began:7.2f} s  place {placed - aligned:7.2f} s  "
        f"total {placed - began:7.2f} s  {'ok' if placed - began < FLOOR_S else 'SLOW'}   {shown}, "
        f"{far_moved(results, shifts)} far moved"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of each article")
    parser.add_argument("--edits", type=int, default=1000, help="one-letter edits per 1 MB")
    parser.add_argument("--every", type=int, default=100, help="a span every so many characters")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    cases: list[tuple[str, Callable[[random.Random, int], str], int]] = [
        ("realistic", realistic, args.size),
        ("repeated", repeated, args.size),
        ("unpunctuated", unpunctuated, args.size // 5),
        ("unpunctuated", unpunctuated, args.size),
    ]
    for name, make, size in cases:
        if args.only and args.only not in name:
            continue
        rng = random.Random(7)
        old = make(rng, size)
        new, shifts = edited(rng, old, max(1, args.edits * size // 1_000_000))
        run(name, old, new, shifts, anchors(rng, old, args.every))


if __name__ == "__main__":
    main()
