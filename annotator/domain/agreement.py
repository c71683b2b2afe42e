"""Inter-annotator agreement: how far two or more annotators' layers of the same documents agree.

Pure functions over plain records (`AgreementSpan`, `AgreementLink`, `Layer`); the store reads
them (annotator/store/agreement.py) and the service (annotator/services/agreement.py) scopes
them. Figures that a chance-corrected measure cannot define (nothing to compare, or only one
category in the data, so that expected disagreement is zero) are None, never NaN.

- Spans: F1 of exact matches (same document, label, start and end) and of overlap matches
  (spans of the same label that overlap, paired one to one, largest overlap first): twice the
  matches over the spans of both annotators, per label and over all labels (micro).
- Tokens (annotator.domain.tokens): each token of each document gets, per annotator, the set
  of labels whose spans overlap it. Per label the category is binary (label or not); over all
  labels it is the combination of labels ("O" for none, "ACTOR+CLAIM" for a token both in an
  actor mention and a claim). Cohen's kappa per pair, Fleiss' kappa for the group, and
  Krippendorff's alpha (nominal) for each pair and the group; a confusion matrix per pair.
- Unitized alpha: Krippendorff's alpha for unitizing (see `unitized_alpha`), on characters.
- Attribution: on claims that both annotators marked (paired by overlap as above), the share
  with the same SOURCE actor, the same TIME value and the same quote type; on paired ACTOR
  spans the share with the same registry actor, on paired DATE spans the share with the same
  value. Each share counts the pairs where at least one of the two gave the thing (a pair where
  neither linked a SOURCE says nothing about attribution); the count is reported beside it.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.domain.schema import ACTOR, CLAIM, DATE, DATE_VALUE, SOURCE, TIME
from annotator.domain.tokens import tokenize

QUOTE_TYPE = "quote_type"
NO_LABEL = "O"
# Labels are bits of one int64 per token: the combination of labels is one number.
MAX_LABELS = 62

Figure = float | None
if TYPE_CHECKING:
    # numpy loads where figures are computed: importing it costs the window's start a tenth
    # of a second, and every window imports this module for its types.
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class AgreementSpan:
    """One annotator's span as agreement reads it."""

    span_id: int
    document_id: int
    start: int
    end: int
    label: str
    quote: str = ""
    actor_id: int | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AgreementLink:
    """A SOURCE or TIME relation: from a claim span to an actor or date span."""

    type: str
    source_id: int
    target_id: int


@dataclass(frozen=True, slots=True)
class Layer:
    """What one annotator marked in the documents compared."""

    annotator: str
    spans: Sequence[AgreementSpan]
    links: Sequence[AgreementLink] = ()


@dataclass(frozen=True, slots=True)
class Confusion:
    """Tokens by the first annotator's category (rows) and the second's (columns)."""

    categories: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"categories": list(self.categories), "counts": [list(r) for r in self.counts]}


@dataclass(frozen=True, slots=True)
class PairAgreement:
    annotators: tuple[str, str]
    figures: dict[str, Figure | int]  # over all labels, and the attribution figures
    per_label: dict[str, dict[str, Figure | int]]
    confusion: Confusion


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    annotators: tuple[str, ...]
    figures: dict[str, Figure | int]
    per_label: dict[str, dict[str, Figure | int]]


@dataclass(frozen=True, slots=True)
class AgreementReport:
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    documents: int
    tokens: int
    characters: int
    group: GroupAgreement
    pairs: tuple[PairAgreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "documents": self.documents,
            "tokens": self.tokens,
            "characters": self.characters,
            "overall": {**self.group.figures, "per_label": self.group.per_label},
            "pairs": [
                {
                    "annotators": list(p.annotators),
                    **p.figures,
                    "per_label": p.per_label,
                    "confusion": p.confusion.to_dict(),
                }
                for p in self.pairs
            ],
        }


# Chance-corrected coefficients -----------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> Figure:
    return None if denominator == 0 else float(numerator / denominator)


def cohen_kappa(a: IntArray, b: IntArray) -> Figure:
    """Cohen's kappa of two equal-length arrays of category codes (0 ... k-1)."""
    import numpy as np

    n = len(a)
    if n == 0:
        return None
    k = int(max(a.max(), b.max())) + 1
    observed = np.count_nonzero(a == b) / n
    expected = float(np.dot(np.bincount(a, minlength=k), np.bincount(b, minlength=k))) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _counts(codes: Sequence[IntArray]) -> npt.NDArray[np.int64]:
    """Items x categories: how many annotators put each item in each category."""
    import numpy as np

    k = int(max(int(c.max()) for c in codes)) + 1
    n = len(codes[0])
    table = np.zeros((n, k), dtype=np.int64)
    rows = np.arange(n)
    for c in codes:
        table[rows, c] += 1  # one category per item and annotator: no repeated index
    return table


def fleiss_kappa(table: npt.NDArray[np.int64]) -> Figure:
    """Fleiss' kappa (Fleiss 1971) of an items x categories table of rater counts; every item
    rated by the same number of raters."""
    import numpy as np

    n_items = table.shape[0]
    if n_items == 0:
        return None
    raters = int(table[0].sum())
    if raters < 2:
        return None
    shares = table.sum(axis=0) / (n_items * raters)
    per_item = (np.square(table).sum(axis=1) - raters) / (raters * (raters - 1))
    observed = float(per_item.mean())
    expected = float(np.square(shares).sum())
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(table: npt.NDArray[np.int64]) -> Figure:
    """Krippendorff's alpha for nominal data from an items x categories table of rater counts
    (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011): items with fewer than
    two values are not pairable and left out; alpha = 1 - (n-1) * (n - sum_c o_cc) /
    (n^2 - sum_c n_c^2), where o_cc sums n_uc (n_uc - 1) / (m_u - 1) over items u."""
    import numpy as np

    m = table.sum(axis=1)
    pairable = m >= 2
    table, m = table[pairable], m[pairable]
    n = float(m.sum())
    if n == 0:
        return None
    n_c = table.sum(axis=0).astype(np.float64)
    agreeing = float((table * (table - 1) / (m - 1)[:, None]).sum())
    expected = n * n - float(np.square(n_c).sum())
    if expected == 0:
        return None
    return 1.0 - (n - 1.0) * (n - agreeing) / expected


# Spans ----------------------------------------------------------------------------------------


def _overlap_pairs(a: Sequence[AgreementSpan], b: Sequence[AgreementSpan]) -> list[tuple[int, int]]:
    """Spans of `a` and `b` (one document, one label) paired one to one: overlapping pairs,
    the largest overlap first, then the closest boundaries, then the earliest."""
    if not a or not b:
        return []
    order = sorted(range(len(b)), key=lambda j: b[j].start)
    starts = [b[j].start for j in order]
    longest = max(s.end - s.start for s in b)
    candidates: list[tuple[int, int, int, int, int]] = []
    for i, x in enumerate(a):
        lo = bisect.bisect_right(starts, x.start - longest)
        hi = bisect.bisect_left(starts, x.end)
        for pos in range(lo, hi):
            y = b[order[pos]]
            if y.end <= x.start:
                continue
            overlap = min(x.end, y.end) - max(x.start, y.start)
            distance = abs(x.start - y.start) + abs(x.end - y.end)
            candidates.append((-overlap, distance, i, order[pos], x.start))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, i, j, _ in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _by_document_label(
    spans: Sequence[AgreementSpan],
) -> dict[tuple[int, str], list[AgreementSpan]]:
    groups: dict[tuple[int, str], list[AgreementSpan]] = defaultdict(list)
    for s in spans:
        groups[(s.document_id, s.label)].append(s)
    return groups


def _f1(matches: int, total: int) -> Figure:
    return None if total == 0 else 2.0 * matches / total


class _Matching:
    """Two layers' spans by document and label, and their overlap pairs, each computed once
    for the span F1 and the attribution figures."""

    def __init__(self, a: Sequence[AgreementSpan], b: Sequence[AgreementSpan]) -> None:
        self.a = _by_document_label(a)
        self.b = _by_document_label(b)
        self._pairs: dict[tuple[int, str], list[tuple[int, int]]] = {}

    def pairs(self, key: tuple[int, str]) -> list[tuple[int, int]]:
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = _overlap_pairs(self.a.get(key, []), self.b.get(key, []))
        return found


def span_f1(
    a: Sequence[AgreementSpan],
    b: Sequence[AgreementSpan],
    labels: Sequence[str],
    *,
    matching: _Matching | None = None,
) -> tuple[dict[str, Figure | int], dict[str, dict[str, Figure | int]]]:
    """Exact and overlap F1 of two annotators' spans: over all `labels`, and per label."""
    m = matching or _Matching(a, b)
    wanted = set(labels)
    exact: dict[str, int] = dict.fromkeys(labels, 0)
    overlap: dict[str, int] = dict.fromkeys(labels, 0)
    size_a: dict[str, int] = dict.fromkeys(labels, 0)
    size_b: dict[str, int] = dict.fromkeys(labels, 0)
    for (_, label), spans in m.a.items():
        if label in wanted:
            size_a[label] += len(spans)
    for key, spans in m.b.items():
        label = key[1]
        if label not in wanted:
            continue
        size_b[label] += len(spans)
        other = m.a.get(key)
        if not other:
            continue
        exact[label] += len({(s.start, s.end) for s in spans} & {(s.start, s.end) for s in other})
        overlap[label] += len(m.pairs(key))
    per_label: dict[str, dict[str, Figure | int]] = {
        label: {
            "spans_a": size_a[label],
            "spans_b": size_b[label],
            "span_f1_exact": _f1(exact[label], size_a[label] + size_b[label]),
            "span_f1_overlap": _f1(overlap[label], size_a[label] + size_b[label]),
        }
        for label in labels
    }
    total = sum(size_a.values()) + sum(size_b.values())
    overall: dict[str, Figure | int] = {
        "spans_a": sum(size_a.values()),
        "spans_b": sum(size_b.values()),
        "span_f1_exact": _f1(sum(exact.values()), total),
        "span_f1_overlap": _f1(sum(overlap.values()), total),
    }
    return overall, per_label


# Tokens ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenGrid:
    """Per annotator, one int64 per token of the documents compared: the bits of the labels
    whose spans overlap it (bit i: labels[i])."""

    labels: tuple[str, ...]
    codes: tuple[IntArray, ...]

    @property
    def tokens(self) -> int:
        return len(self.codes[0]) if self.codes else 0


def token_grid(
    texts: Mapping[int, str], layers: Sequence[Sequence[AgreementSpan]], labels: Sequence[str]
) -> TokenGrid:
    """Label bits per token for each layer, over the documents of `texts` in id order."""
    import numpy as np

    if len(labels) > MAX_LABELS:
        raise ValueError(f"token agreement takes at most {MAX_LABELS} labels at once")
    bit = {label: np.int64(1) << np.int64(i) for i, label in enumerate(labels)}
    grouped: list[dict[int, list[AgreementSpan]]] = [defaultdict(list) for _ in layers]
    for spans, groups in zip(layers, grouped, strict=True):
        for s in spans:
            if s.label in bit:
                groups[s.document_id].append(s)
    parts: list[list[IntArray]] = [[] for _ in layers]
    for document_id in sorted(texts):
        tokens = tokenize(texts[document_id])
        if not tokens:
            continue
        bounds = np.asarray(tokens, dtype=np.int64)
        starts, ends = bounds[:, 0], bounds[:, 1]
        for index, groups in enumerate(grouped):
            codes = np.zeros(len(tokens), dtype=np.int64)
            marked = groups.get(document_id)
            if marked:
                first = np.searchsorted(ends, [s.start for s in marked], side="right")
                last = np.searchsorted(starts, [s.end for s in marked], side="left")
                for s, i, j in zip(marked, first.tolist(), last.tolist(), strict=True):
                    codes[i:j] |= bit[s.label]
            parts[index].append(codes)
    codes_per_layer = tuple(np.concatenate(p) if p else np.zeros(0, dtype=np.int64) for p in parts)
    return TokenGrid(tuple(labels), codes_per_layer)


def _category_name(value: int, labels: Sequence[str]) -> str:
    names = [label for i, label in enumerate(labels) if value >> i & 1]
    return "+".join(names) if names else NO_LABEL


def _dense(codes: Sequence[IntArray]) -> tuple[list[int], list[IntArray]]:
    """The distinct values of `codes` (sorted) and each array as indices into them."""
    import numpy as np

    values = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    return values.tolist(), [np.searchsorted(values, c).astype(np.int64) for c in codes]


def _complete_figures(dense: Sequence[IntArray]) -> dict[str, Figure]:
    """Cohen's kappa (two raters), Fleiss' kappa and Krippendorff's alpha of raters who all
    rated every item, from each rater's category totals and the pairs of raters' agreements
    alone (no items x categories table): with m raters and N items, an item's sum over
    categories of n_uc (n_uc - 1) is twice the number of rater pairs that agree on it, so

        Fleiss:  P = 2 sum_{i<j} agree_ij / (N m (m - 1)),  P_e = sum_c (n_c / (N m))^2
        alpha:   sum_c o_cc = 2 sum_{i<j} agree_ij / (m - 1), then as in
                 `krippendorff_alpha_nominal`, with n = N m.

    Both equal `fleiss_kappa` and `krippendorff_alpha_nominal` on the full table (tested)."""
    import numpy as np

    m = len(dense)
    items = len(dense[0]) if m else 0
    out: dict[str, Figure] = {}
    if m == 2:
        out["cohen_kappa"] = cohen_kappa(dense[0], dense[1])
    if items == 0 or m < 2:
        out["fleiss_kappa"] = out["krippendorff_alpha"] = None
        return out
    k = int(max(int(c.max()) for c in dense)) + 1
    totals = sum((np.bincount(c, minlength=k) for c in dense), np.zeros(k, dtype=np.int64))
    agree = sum(
        int(np.count_nonzero(dense[i] == dense[j])) for i in range(m) for j in range(i + 1, m)
    )
    n = float(items * m)
    sum_squares = float(np.dot(totals.astype(np.float64), totals.astype(np.float64)))
    observed = 2.0 * agree / (items * m * (m - 1))
    expected = sum_squares / (n * n)
    out["fleiss_kappa"] = None if expected >= 1.0 else (observed - expected) / (1.0 - expected)
    coincident = 2.0 * agree / (m - 1)
    denominator = n * n - sum_squares
    out["krippendorff_alpha"] = (
        None if denominator == 0 else 1.0 - (n - 1.0) * (n - coincident) / denominator
    )
    return out


def token_figures(codes: Sequence[IntArray], labels: Sequence[str]) -> dict[str, Any]:
    """Kappas and alpha of these layers' token codes: "overall" (label combinations) and
    "per_label" (binary per label); Cohen's kappa when there are two layers, Fleiss' kappa
    when there are two or more."""
    import numpy as np

    result: dict[str, Any] = {"per_label": {}}
    _, dense = _dense(codes)
    result["overall"] = _complete_figures(dense)
    for i, label in enumerate(labels):
        binary = [((c >> i) & 1).astype(np.int64) for c in codes]
        result["per_label"][label] = _complete_figures(binary)
    return result


def confusion(a: IntArray, b: IntArray, labels: Sequence[str]) -> Confusion:
    """Tokens by category of `a` (rows) and of `b` (columns); categories in code order, so
    "O" first."""
    import numpy as np

    values, (da, db) = _dense([a, b])
    k = len(values)
    matrix = np.bincount(da * k + db, minlength=k * k).reshape(k, k) if k else np.zeros((0, 0))
    return Confusion(
        tuple(_category_name(v, labels) for v in values),
        tuple(tuple(int(x) for x in row) for row in matrix),
    )


# Unitized alpha -----------------------------------------------------------------------------


def _layer_units(
    spans: Sequence[AgreementSpan], labels: Sequence[str], offsets: Mapping[int, int]
) -> dict[str, IntArray]:
    """One annotator's units per label on the continuum (documents laid end to end) as
    sorted (begin, end) rows. Overlapping spans of one label are merged into one unit, since
    the measure takes the units of one category by one coder not to overlap."""
    import numpy as np

    index = {label: i for i, label in enumerate(labels)}
    rows = [
        (offsets[s.document_id] + s.start, offsets[s.document_id] + s.end, index[s.label])
        for s in spans
        if s.label in index and s.document_id in offsets
    ]
    table = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    units: dict[str, IntArray] = {}
    for i, label in enumerate(labels):
        mine = table[table[:, 2] == i]
        order = np.lexsort((mine[:, 1], mine[:, 0]))
        starts, ends = mine[order, 0], mine[order, 1]
        if len(starts) == 0:
            units[label] = np.zeros((0, 2), dtype=np.int64)
            continue
        reach = np.maximum.accumulate(ends)
        first = np.flatnonzero(np.concatenate(([True], starts[1:] >= reach[:-1])))
        units[label] = np.column_stack((starts[first], np.maximum.reduceat(ends, first)))
    return units


def _continuum(lengths: Mapping[int, int]) -> tuple[dict[int, int], int]:
    """Where each document starts when they are laid end to end in id order, and the total."""
    offsets: dict[int, int] = {}
    position = 0
    for document_id in sorted(lengths):
        offsets[document_id] = position
        position += lengths[document_id]
    return offsets, position


def _unit_pair_distance(x: IntArray, y: IntArray) -> float:
    """Sum of delta^2 over the segments of two coders (Krippendorff 1995, 2004): overlapping
    units add (b_x - b_y)^2 + (e_x - e_y)^2; a unit that lies inside the other coder's gap
    (overlaps none of its units) adds its length squared; everything else adds nothing. The
    sum runs over ordered pairs of coders and delta^2 is symmetric: this is twice the (x, y)
    term."""
    import numpy as np

    total = 0.0
    hit_x = np.zeros(len(x), dtype=bool)
    hit_y = np.zeros(len(y), dtype=bool)
    if len(x) and len(y):
        # y sorted by begin with no overlaps: its ends are sorted too.
        lo = np.searchsorted(y[:, 1], x[:, 0], side="right")
        hi = np.searchsorted(y[:, 0], x[:, 1], side="left")
        counts = hi - lo
        if counts.sum():
            xi = np.repeat(np.arange(len(x)), counts)
            yj = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True) if b > a])
            db = x[xi, 0] - y[yj, 0]
            de = x[xi, 1] - y[yj, 1]
            total += 2.0 * float(np.dot(db, db) + np.dot(de, de))
            hit_x[xi] = True
            hit_y[yj] = True
    lengths_x = (x[:, 1] - x[:, 0])[~hit_x].astype(np.float64)
    lengths_y = (y[:, 1] - y[:, 0])[~hit_y].astype(np.float64)
    return total + 2.0 * float(np.dot(lengths_x, lengths_x) + np.dot(lengths_y, lengths_y))


def _gaps(units: IntArray, length: int) -> IntArray:
    """Lengths of the stretches of the continuum [0, length) between one coder's units."""
    import numpy as np

    edges = np.concatenate(([0], units.reshape(-1), [length]))
    gaps = edges[1::2] - edges[0::2]
    return gaps[gaps > 0]


def unitized_disagreements(coders: Sequence[IntArray], length: int) -> tuple[float, float]:
    """Observed and expected disagreement of Krippendorff's alpha for unitizing one category
    (the binary u-alpha) on a continuum of `length`, for the units of each coder.

    From K. Krippendorff, "On the reliability of unitizing continuous data", Sociological
    Methodology 25 (1995) 47-76, and Content Analysis: An Introduction to Its Methodology,
    2nd ed. (2004), its chapter on unitizing (the worked example on p. 254 is a test here):

        D_o = sum_i sum_{j != i} sum_g sum_h delta^2(ig, jh) / (m (m - 1) L^2)
        D_e = (2 / L) sum_{units g} [ (N_c - 1)(2 l_g^3 - 3 l_g^2 + l_g) / 3
                                      + l_g^2 sum_{gaps h, l_h >= l_g} (l_h - l_g + 1) ]
              / (m L (m L - 1) - sum_{units g} l_g (l_g - 1))

    with m coders, L the continuum's length, N_c the units of all coders, l their lengths,
    gaps the stretches between one coder's units, and delta^2 as in `_unit_pair_distance`.
    """
    import numpy as np

    m = len(coders)
    observed = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            observed += _unit_pair_distance(coders[i], coders[j])
    observed /= m * (m - 1) * float(length) ** 2
    lengths = np.concatenate([u[:, 1] - u[:, 0] for u in coders]).astype(np.float64)
    gaps = np.sort(np.concatenate([_gaps(u, length) for u in coders])).astype(np.float64)
    n_units = len(lengths)
    # For each unit length l: the gaps at least l long, and their lengths' sum.
    first = np.searchsorted(gaps, lengths, side="left")
    tail = np.concatenate((np.cumsum(gaps[::-1])[::-1], [0.0]))
    long_gaps = len(gaps) - first
    within = tail[first] - (lengths - 1.0) * long_gaps
    terms = (n_units - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3.0 + lengths**2 * within
    denominator = m * float(length) * (m * float(length) - 1) - float(
        np.dot(lengths, lengths - 1.0)
    )
    expected = 2.0 / length * float(terms.sum()) / denominator if denominator else 0.0
    return observed, expected


def unitized_alpha(
    layers: Sequence[Sequence[AgreementSpan]],
    lengths: Mapping[int, int],
    labels: Sequence[str],
) -> tuple[Figure, dict[str, Figure]]:
    """Krippendorff's u-alpha per label, and over the labels pooled (1 - sum D_o / sum D_e,
    as the coefficient for several categories pools their disagreements).

    The documents (`lengths`: characters per document id) are laid end to end in id order as
    one continuum of characters. None where expected disagreement is zero (no units at all).
    """
    offsets, total = _continuum(lengths)
    units = [_layer_units(spans, labels, offsets) for spans in layers]
    return _unitized(units, total, labels)


def _unitized(
    units: Sequence[Mapping[str, IntArray]], total: int, labels: Sequence[str]
) -> tuple[Figure, dict[str, Figure]]:
    if total == 0 or len(units) < 2:
        return None, dict.fromkeys(labels)
    per_label: dict[str, Figure] = {}
    sum_observed = sum_expected = 0.0
    for label in labels:
        observed, expected = unitized_disagreements([u[label] for u in units], total)
        per_label[label] = None if expected == 0 else 1.0 - observed / expected
        sum_observed += observed
        sum_expected += expected
    overall = None if sum_expected == 0 else 1.0 - sum_observed / sum_expected
    return overall, per_label


# Attribution --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_mention(text: str) -> str:
    """A mention's text for comparison: case-folded, runs of whitespace as one space."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True, slots=True)
class _Ref:
    actor_id: int | None
    text: str

    def same(self, other: _Ref) -> bool:
        if self.actor_id is not None and other.actor_id is not None:
            return self.actor_id == other.actor_id
        return self.text == other.text


def _same_refs(a: list[_Ref], b: list[_Ref]) -> bool:
    if len(a) != len(b):
        return False
    left = list(b)
    for ref in a:
        found = next((k for k, other in enumerate(left) if ref.same(other)), None)
        if found is None:
            return False
        left.pop(found)
    return True


def _date_value(span: AgreementSpan) -> str:
    value = span.attributes.get(DATE_VALUE)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return ""


class _Linked:
    """Each claim's SOURCE and TIME targets in one layer."""

    def __init__(self, layer: Layer) -> None:
        by_id = {s.span_id: s for s in layer.spans}
        self.sources: dict[int, list[_Ref]] = defaultdict(list)
        self.times: dict[int, list[str]] = defaultdict(list)
        for link in layer.links:
            target = by_id.get(link.target_id)
            if target is None:
                continue
            if link.type == SOURCE:
                ref = _Ref(target.actor_id, normalise_mention(target.quote))
                self.sources[link.source_id].append(ref)
            elif link.type == TIME:
                value = _date_value(target) or "text:" + normalise_mention(target.quote)
                self.times[link.source_id].append(value)


def _share(agree: int, compared: int) -> Figure:
    return None if compared == 0 else agree / compared


def attribution(
    a: Layer, b: Layer, labels: Sequence[str], *, matching: _Matching | None = None
) -> dict[str, Figure | int]:
    """Agreement on who said it, when, how (claims), which actor and which date: the shares
    and the number of pairs each share is over."""
    m = matching or _Matching(a.spans, b.spans)
    la, lb = _Linked(a), _Linked(b)
    tallies: dict[str, list[int]] = {
        name: [0, 0] for name in ("source", "time", "quote_type", "actor_identity", "date_value")
    }
    matched = dict.fromkeys((CLAIM, ACTOR, DATE), 0)

    def tally(name: str, x: Any, y: Any, same: bool) -> None:
        if x or y:
            tallies[name][1] += 1
            tallies[name][0] += int(same)

    for key in sorted(m.a.keys() & m.b.keys()):
        label = key[1]
        if label not in (CLAIM, ACTOR, DATE) or label not in labels:
            continue
        xs, ys = m.a[key], m.b[key]
        for i, j in m.pairs(key):
            x, y = xs[i], ys[j]
            matched[label] += 1
            if label == CLAIM:
                sx, sy = la.sources.get(x.span_id, []), lb.sources.get(y.span_id, [])
                tally("source", sx, sy, _same_refs(sx, sy))
                tx = sorted(la.times.get(x.span_id, []))
                ty = sorted(lb.times.get(y.span_id, []))
                tally("time", tx, ty, tx == ty)
                qx, qy = x.attributes.get(QUOTE_TYPE), y.attributes.get(QUOTE_TYPE)
                tally("quote_type", qx, qy, qx == qy)
            elif label == ACTOR:
                tally("actor_identity", x.actor_id, y.actor_id, x.actor_id == y.actor_id)
            else:
                vx, vy = _date_value(x), _date_value(y)
                tally("date_value", vx, vy, vx == vy)
    result: dict[str, Figure | int] = {
        "claims_matched": matched[CLAIM],
        "actors_matched": matched[ACTOR],
        "dates_matched": matched[DATE],
    }
    for name, (agree, compared) in tallies.items():
        result[f"{name}_agreement"] = _share(agree, compared)
        result[f"{name}_compared"] = compared
    return result


# The whole report -------------------------------------------------------------------------


def agreement_report(
    layers: Sequence[Layer],
    texts: Mapping[int, str],
    labels: Sequence[str],
    *,
    on_pair: Callable[[int, int], None] | None = None,
) -> AgreementReport:
    """Every figure for these layers (two or more) over the documents of `texts`.

    `on_pair(done, total)` is called after the group's figures (done 0) and after each pair:
    a caller reports progress there, or raises to stop."""
    if len(layers) < 2:
        raise ValueError("agreement needs two or more layers")
    wanted = set(texts)
    layers = [
        Layer(
            layer.annotator,
            [s for s in layer.spans if s.document_id in wanted],
            layer.links,
        )
        for layer in layers
    ]
    in_scope = [[s for s in layer.spans if s.label in labels] for layer in layers]
    grid = token_grid(texts, in_scope, labels)
    lengths = {document_id: len(text) for document_id, text in texts.items()}
    offsets, total = _continuum(lengths)
    units = [_layer_units(spans, labels, offsets) for spans in in_scope]

    group_tokens = token_figures(grid.codes, labels)
    group_u, group_u_labels = _unitized(units, total, labels)
    group_figures: dict[str, Figure | int] = {
        "fleiss_kappa": group_tokens["overall"]["fleiss_kappa"],
        "krippendorff_alpha": group_tokens["overall"]["krippendorff_alpha"],
        "unitized_alpha": group_u,
    }
    group_labels: dict[str, dict[str, Figure | int]] = {
        label: {
            "fleiss_kappa": group_tokens["per_label"][label]["fleiss_kappa"],
            "krippendorff_alpha": group_tokens["per_label"][label]["krippendorff_alpha"],
            "unitized_alpha": group_u_labels[label],
        }
        for label in labels
    }
    pairs: list[PairAgreement] = []
    total_pairs = len(layers) * (len(layers) - 1) // 2
    if on_pair is not None:
        on_pair(0, total_pairs)
    for i in range(len(layers)):
        for j in range(i + 1, len(layers)):
            codes = [grid.codes[i], grid.codes[j]]
            # Two layers: the pair is the group, already computed.
            tokens = group_tokens if len(layers) == 2 else token_figures(codes, labels)
            u_overall, u_labels = (
                (group_u, group_u_labels)
                if len(layers) == 2
                else _unitized([units[i], units[j]], total, labels)
            )
            matching = _Matching(layers[i].spans, layers[j].spans)
            spans_overall, spans_labels = span_f1(
                in_scope[i], in_scope[j], labels, matching=matching
            )
            figures: dict[str, Figure | int] = {
                **spans_overall,
                "cohen_kappa": tokens["overall"]["cohen_kappa"],
                "krippendorff_alpha": tokens["overall"]["krippendorff_alpha"],
                "unitized_alpha": u_overall,
                **attribution(layers[i], layers[j], labels, matching=matching),
            }
            per_label = {
                label: {
                    **spans_labels[label],
                    "cohen_kappa": tokens["per_label"][label]["cohen_kappa"],
                    "krippendorff_alpha": tokens["per_label"][label]["krippendorff_alpha"],
                    "unitized_alpha": u_labels[label],
                }
                for label in labels
            }
            pairs.append(
                PairAgreement(
                    (layers[i].annotator, layers[j].annotator),
                    figures,
                    per_label,
                    confusion(codes[0], codes[1], labels),
                )
            )
            if on_pair is not None:
                on_pair(len(pairs), total_pairs)
    return AgreementReport(
        annotators=tuple(layer.annotator for layer in layers),
        labels=tuple(labels),
        documents=len(texts),
        tokens=grid.tokens,
        characters=total,
        group=GroupAgreement(
            tuple(layer.annotator for layer in layers), group_figures, group_labels
        ),
        pairs=tuple(pairs),
    )
