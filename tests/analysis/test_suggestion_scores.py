"""The figures suggestions are judged by: matching, value-F1, SOURCE accuracy, effort."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from annotator.analysis.suggestions import (
    Counts,
    EvalDocument,
    EvalRelation,
    EvalSpan,
    Evaluation,
    date_value_counts,
    effort,
    label_counts,
    match,
    source_accuracy,
)


def span(start: int, end: int, label: str = "ACTOR", **kw: object) -> EvalSpan:
    return EvalSpan(start, end, label, **kw)  # type: ignore[arg-type]


def test_exact_overlap_and_jaccard_matching_differ_as_their_names_say() -> None:
    gold = [span(0, 10, "CLAIM"), span(20, 30)]
    predicted = [span(0, 4, "CLAIM"), span(20, 30), span(40, 45)]
    exact = label_counts(predicted, gold, "exact")
    assert (exact["CLAIM"].tp, exact["CLAIM"].fp, exact["CLAIM"].fn) == (0, 1, 1)
    assert (exact["ACTOR"].tp, exact["ACTOR"].fp, exact["ACTOR"].fn) == (1, 1, 0)
    overlap = label_counts(predicted, gold, "overlap")
    assert overlap["CLAIM"].tp == 1
    jaccard = label_counts(predicted, gold, "jaccard")  # 4/10 < 0.5
    assert jaccard["CLAIM"].tp == 0
    assert label_counts([span(0, 6, "CLAIM")], gold, "jaccard")["CLAIM"].tp == 1


def test_a_gold_span_is_matched_once_and_to_the_best_fit() -> None:
    gold = [span(0, 10)]
    predicted = [span(0, 3), span(0, 9)]
    assert match(predicted, gold, "overlap") == [(1, 0)]
    assert label_counts(predicted, gold, "overlap")["ACTOR"].fp == 1


def test_labels_never_match_each_other() -> None:
    assert match([span(0, 5, "DATE")], [span(0, 5, "ACTOR")], "exact") == []


def test_date_values_count_only_when_the_value_is_right() -> None:
    gold = [span(0, 7, "DATE", value="2025-03-04"), span(10, 20, "DATE", value="2025-SU")]
    predicted = [
        span(0, 7, "DATE", value="2025-03-04"),
        span(12, 20, "DATE", value="2025"),
        span(30, 35, "DATE", value="2024"),
    ]
    counts = date_value_counts(predicted, gold)
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 1)
    assert round(counts.f1, 3) == round(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), 3)


def test_source_is_right_on_any_mention_of_the_same_actor_and_strictly_on_that_one() -> None:
    gold = EvalDocument(
        (
            span(0, 5, identity="okafor", ref="a1"),
            span(50, 56, identity="okafor", ref="a2"),
            span(60, 90, "CLAIM", ref="c1"),
            span(100, 130, "CLAIM", ref="c2"),
        ),
        (EvalRelation("SOURCE", "c1", "a2"), EvalRelation("SOURCE", "c2", "a2")),
    )
    predicted = EvalDocument(
        (
            span(0, 5, ref="p1"),
            span(50, 56, ref="p2"),
            span(60, 88, "CLAIM", ref="pc1"),
            span(100, 130, "CLAIM", ref="pc2"),
        ),
        (EvalRelation("SOURCE", "pc1", "p2"), EvalRelation("SOURCE", "pc2", "p1")),
    )
    result = source_accuracy(predicted, gold)
    assert (result.claims, result.right_actor, result.right_mention) == (2, 2, 1)


def test_effort_counts_keystrokes_of_the_model() -> None:
    gold = EvalDocument(
        (
            span(0, 5, ref="a"),  # accepted as proposed: 1
            span(10, 17, "DATE", value="2025-03-04", ref="d"),  # accepted, value wrong: 1 + 2
            span(20, 40, "CLAIM", ref="c"),  # reshaped: 3
            span(50, 55, ref="b"),  # made by hand: 3
        ),
        (EvalRelation("SOURCE", "c", "a"), EvalRelation("TIME", "c", "d")),
    )
    predicted = EvalDocument(
        (
            span(0, 5, ref="pa"),
            span(10, 17, "DATE", value="2025", ref="pd"),
            span(20, 35, "CLAIM", ref="pc"),
            span(70, 80, ref="px"),  # rejected: 1
        ),
        (EvalRelation("SOURCE", "pc", "pa"),),  # SOURCE comes with it; TIME is a link: 2
    )
    result = effort(predicted, gold)
    assert result.by_hand == 4 * 3 + 2 + 2 * 2
    assert result.with_suggestions == 1 + (1 + 2) + 3 + 3 + 1 + 2
    assert (result.accepted, result.reshaped, result.new, result.rejected) == (2, 1, 1, 1)


def test_perfect_suggestions_cost_one_key_a_span() -> None:
    spans = tuple(span(i * 10, i * 10 + 5, ref=f"s{i}") for i in range(8))
    gold = EvalDocument(spans)
    result = effort(gold, gold)
    assert result.with_suggestions == 8 and result.by_hand == 24
    assert round(result.ratio, 3) == round(8 / 24, 3)


def test_evaluation_adds_documents_up() -> None:
    gold = EvalDocument((span(0, 5, ref="a"), span(10, 15, "DATE", value="2025", ref="d")))
    evaluation = Evaluation()
    evaluation.add_document(gold, gold)
    evaluation.add_document(EvalDocument(), gold)
    assert evaluation.documents == 2
    assert (evaluation.exact["ACTOR"].tp, evaluation.exact["ACTOR"].fn) == (1, 1)
    assert (evaluation.date_values.tp, evaluation.date_values.fn) == (1, 1)


spans_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 30), st.sampled_from(["ACTOR", "DATE"])),
    max_size=30,
).map(lambda items: [EvalSpan(s, s + n, label) for s, n, label in items])


@given(spans_strategy, spans_strategy)
def test_matching_is_one_to_one_and_counts_add_up(
    predicted: list[EvalSpan], gold: list[EvalSpan]
) -> None:
    for mode in ("exact", "overlap", "jaccard"):
        pairs = match(predicted, gold, mode)  # type: ignore[arg-type]
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert all(predicted[i].label == gold[j].label for i, j in pairs)
        total = Counts()
        for counts in label_counts(predicted, gold, mode).values():  # type: ignore[arg-type]
            total.add(counts)
        assert total.tp + total.fp == len(predicted)
        assert total.tp + total.fn == len(gold)


def test_matching_thousands_of_spans_is_fast() -> None:
    rng = random.Random(3)
    gold = [EvalSpan(i * 7, i * 7 + rng.randint(2, 6), "ACTOR") for i in range(20_000)]
    predicted = [EvalSpan(s.start + rng.randint(0, 1), s.end, "ACTOR") for s in gold]
    assert len(match(predicted, gold, "overlap")) == 20_000
