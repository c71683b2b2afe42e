"""How good suggestions are, measured against annotations: pure functions over plain spans.

Used by the quality view (against the annotator's own decisions and finished documents) and
by benchmarks/suggest.py (against the hand-annotated gold in tests/data/suggest). The figures:

- precision, recall and F1 per label, with three ways of matching a suggestion to an
  annotation one to one: `exact` (same offsets), `overlap` (any shared character) and
  `jaccard` (shared characters over the union at least 0.5, the usual claim criterion);
- date value-F1: a DATE counts when it overlaps an annotated DATE and has its value;
- SOURCE accuracy on matched claims: the suggested SOURCE is right when it overlaps a mention
  of the same actor as the annotated SOURCE (and, strictly, when it overlaps that mention);
- effort: keystrokes to reach the annotation from the suggestions, against annotating by hand
  (accept 1, reject 1, new or reshaped span 3, date value 2, link 2).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["exact", "overlap", "jaccard"]

# The keystroke model's costs.
ACCEPT = 1
REJECT = 1
NEW_SPAN = 3
DATE_VALUE = 2
LINK = 2


@dataclass(frozen=True, slots=True)
class EvalSpan:
    start: int
    end: int
    label: str
    value: str | None = None  # a DATE's value
    identity: str | None = None  # an ACTOR's registry key
    ref: str = ""  # what relations call it by

    def overlap(self, other: EvalSpan) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True, slots=True)
class EvalRelation:
    type: str
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class EvalDocument:
    spans: tuple[EvalSpan, ...] = ()
    relations: tuple[EvalRelation, ...] = ()

    def by_ref(self) -> dict[str, EvalSpan]:
        return {s.ref: s for s in self.spans if s.ref}

    def links(self, relation_type: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for r in self.relations:
            if r.type == relation_type:
                found.setdefault(r.source, []).append(r.target)
        return found


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _fits(a: EvalSpan, b: EvalSpan, mode: Mode, threshold: float) -> float:
    """How well two spans of one label match (0: not at all)."""
    if a.label != b.label:
        return 0.0
    if mode == "exact":
        return 1.0 if (a.start, a.end) == (b.start, b.end) else 0.0
    shared = a.overlap(b)
    if not shared:
        return 0.0
    union = max(a.end, b.end) - min(a.start, b.start)
    jaccard = shared / union
    if mode == "jaccard" and jaccard < threshold:
        return 0.0
    return jaccard


def match(
    predicted: Sequence[EvalSpan],
    gold: Sequence[EvalSpan],
    mode: Mode = "overlap",
    threshold: float = 0.5,
    *,
    same_value: bool = False,
) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index) of one label, best fits first; with
    `same_value`, only spans with equal values pair.

    Gold spans are sorted per label and searched by bisection, so thousands of spans cost about
    n log n, not n squared.
    """
    candidates: list[tuple[float, int, int]] = []
    for label in {s.label for s in predicted} & {s.label for s in gold}:
        g_items = sorted((s.start, j) for j, s in enumerate(gold) if s.label == label)
        starts = [start for start, _ in g_items]
        longest = max(gold[j].end - gold[j].start for _, j in g_items)
        for i, p_span in enumerate(predicted):
            if p_span.label != label:
                continue
            lo = bisect_left(starts, p_span.start - longest)
            hi = bisect_left(starts, p_span.end)
            for _, j in g_items[lo:hi]:
                if same_value and p_span.value != gold[j].value:
                    continue
                fit = _fits(p_span, gold[j], mode, threshold)
                if fit > 0:
                    candidates.append((fit, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def label_counts(
    predicted: Sequence[EvalSpan], gold: Sequence[EvalSpan], mode: Mode, threshold: float = 0.5
) -> dict[str, Counts]:
    """True positives, false positives and false negatives per label."""
    counts: dict[str, Counts] = {}
    for s in [*predicted, *gold]:
        counts.setdefault(s.label, Counts())
    pairs = match(predicted, gold, mode, threshold)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    for i, _ in pairs:
        counts[predicted[i].label].tp += 1
    for i, s in enumerate(predicted):
        if i not in matched_p:
            counts[s.label].fp += 1
    for j, s in enumerate(gold):
        if j not in matched_g:
            counts[s.label].fn += 1
    return counts


def date_value_counts(
    predicted: Sequence[EvalSpan], gold: Sequence[EvalSpan], label: str = "DATE"
) -> Counts:
    """A predicted DATE is right when it overlaps a gold DATE with the same value."""
    p = [s for s in predicted if s.label == label and s.value]
    g = [s for s in gold if s.label == label]
    right = len(match(p, g, "overlap", same_value=True))
    return Counts(right, len(p) - right, len(g) - right)


@dataclass
class SourceAccuracy:
    """SOURCE on claims matched (Jaccard >= 0.5) to annotated claims that have one."""

    claims: int = 0  # matched claims whose annotation has a SOURCE
    right_actor: int = 0  # suggested SOURCE overlaps a mention of the same actor
    right_mention: int = 0  # ... overlaps the very mention annotated as SOURCE

    def add(self, other: SourceAccuracy) -> None:
        self.claims += other.claims
        self.right_actor += other.right_actor
        self.right_mention += other.right_mention

    @property
    def accuracy(self) -> float:
        return self.right_actor / self.claims if self.claims else 0.0

    @property
    def strict(self) -> float:
        return self.right_mention / self.claims if self.claims else 0.0


def source_accuracy(
    predicted: EvalDocument, gold: EvalDocument, claim: str = "CLAIM", relation: str = "SOURCE"
) -> SourceAccuracy:
    p_claims = [s for s in predicted.spans if s.label == claim]
    g_claims = [s for s in gold.spans if s.label == claim]
    p_refs, g_refs = predicted.by_ref(), gold.by_ref()
    p_links, g_links = predicted.links(relation), gold.links(relation)
    result = SourceAccuracy()
    for i, j in match(p_claims, g_claims, "jaccard"):
        wanted = [g_refs[t] for t in g_links.get(g_claims[j].ref, []) if t in g_refs]
        if not wanted:
            continue
        result.claims += 1
        given = [p_refs[t] for t in p_links.get(p_claims[i].ref, []) if t in p_refs]
        identities = {w.identity or f"@{w.start}" for w in wanted}
        same_actor = [
            g
            for g in gold.spans
            if g.label == wanted[0].label and (g.identity or f"@{g.start}") in identities
        ]
        if any(s.overlap(w) for s in given for w in wanted):
            result.right_mention += 1
            result.right_actor += 1
        elif any(s.overlap(m) for s in given for m in same_actor):
            result.right_actor += 1
    return result


@dataclass
class Effort:
    """Keystrokes to reach the annotation: from the suggestions, and by hand."""

    with_suggestions: int = 0
    by_hand: int = 0
    accepted: int = 0
    reshaped: int = 0
    rejected: int = 0
    new: int = 0

    def add(self, other: Effort) -> None:
        for name in ("with_suggestions", "by_hand", "accepted", "reshaped", "rejected", "new"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def ratio(self) -> float:
        return self.with_suggestions / self.by_hand if self.by_hand else 0.0


def effort(predicted: EvalDocument, gold: EvalDocument, date_label: str = "DATE") -> Effort:
    """The keystroke model: each annotated span is accepted (1) when a suggestion has its
    offsets and label, reshaped (3) when one overlaps it, or made (3); a DATE whose value the
    suggestion does not give costs 2 more; every suggestion left over is rejected (1); an
    annotated link costs 2 unless the suggestions link the two spans that way."""
    result = Effort()
    g_spans, p_spans = list(gold.spans), list(predicted.spans)
    for s in g_spans:
        result.by_hand += NEW_SPAN + (DATE_VALUE if s.label == date_label and s.value else 0)
    result.by_hand += LINK * len(gold.relations)
    exact = {j: i for i, j in match(p_spans, g_spans, "exact")}
    rest_p = [i for i in range(len(p_spans)) if i not in exact.values()]
    rest_g = [j for j in range(len(g_spans)) if j not in exact]
    loose = {
        rest_g[j]: rest_p[i]
        for i, j in match([p_spans[i] for i in rest_p], [g_spans[j] for j in rest_g], "overlap")
    }
    used = {**exact, **loose}
    for j, s in enumerate(g_spans):
        if j in exact:
            result.with_suggestions += ACCEPT
            result.accepted += 1
        elif j in loose:
            result.with_suggestions += NEW_SPAN
            result.reshaped += 1
        else:
            result.with_suggestions += NEW_SPAN
            result.new += 1
        value_given = j in used and p_spans[used[j]].value == s.value
        if s.label == date_label and s.value and not value_given:
            result.with_suggestions += DATE_VALUE
    rejected = len(p_spans) - len(used)
    result.with_suggestions += REJECT * rejected
    result.rejected = rejected
    g_refs = {s.ref: j for j, s in enumerate(g_spans) if s.ref}
    p_refs = {i: s.ref for i, s in enumerate(p_spans)}
    proposed = {(r.type, r.source, r.target) for r in predicted.relations}
    for r in gold.relations:
        source, target = g_refs.get(r.source), g_refs.get(r.target)
        if source in used and target in used:
            key = (r.type, p_refs[used[source]], p_refs[used[target]])
            if key in proposed:
                continue
        result.with_suggestions += LINK
    return result


@dataclass
class Evaluation:
    """Every figure over a set of documents."""

    exact: dict[str, Counts] = field(default_factory=dict)
    overlap: dict[str, Counts] = field(default_factory=dict)
    jaccard: dict[str, Counts] = field(default_factory=dict)
    date_values: Counts = field(default_factory=Counts)
    source: SourceAccuracy = field(default_factory=SourceAccuracy)
    effort: Effort = field(default_factory=Effort)
    documents: int = 0

    def add_document(self, predicted: EvalDocument, gold: EvalDocument) -> None:
        self.documents += 1
        modes: tuple[tuple[Mode, dict[str, Counts]], ...] = (
            ("exact", self.exact),
            ("overlap", self.overlap),
            ("jaccard", self.jaccard),
        )
        for mode, table in modes:
            for label, counts in label_counts(predicted.spans, gold.spans, mode).items():
                table.setdefault(label, Counts()).add(counts)
        self.date_values.add(date_value_counts(predicted.spans, gold.spans))
        self.source.add(source_accuracy(predicted, gold))
        self.effort.add(effort(predicted, gold))
