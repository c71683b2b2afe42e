"""Agreement figures against the reference implementations (scikit-learn's Cohen's kappa, the
krippendorff package, statsmodels' Fleiss' kappa) and against hand-worked cases."""

from __future__ import annotations

import math
import random
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.domain.agreement import (
    AgreementLink,
    AgreementSpan,
    Layer,
    agreement_report,
    attribution,
    cohen_kappa,
    confusion,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    span_f1,
    token_figures,
    token_grid,
    unitized_alpha,
    unitized_disagreements,
)


def _table(codes: list[np.ndarray], k: int) -> np.ndarray:
    table = np.zeros((len(codes[0]), k), dtype=np.int64)
    for c in codes:
        table[np.arange(len(c)), c] += 1
    return table


def _sklearn_kappa(a: np.ndarray, b: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b))


def _reference_alpha(codes: list[np.ndarray]) -> float | None:
    try:
        return float(
            krippendorff.alpha(
                reliability_data=np.vstack(codes).astype(float), level_of_measurement="nominal"
            )
        )
    except ValueError:  # "There has to be more than one value in the domain."
        return None


@pytest.mark.parametrize("seed", range(8))
def test_kappas_and_alpha_match_the_reference_implementations_on_random_data(seed):
    rng = np.random.default_rng(seed)
    n, k, raters = int(rng.integers(20, 400)), int(rng.integers(2, 6)), int(rng.integers(2, 6))
    truth = rng.integers(0, k, n)
    # Raters agree with a shared truth most of the time, so the figures are far from zero.
    codes = [np.where(rng.random(n) < 0.7, truth, rng.integers(0, k, n)) for _ in range(raters)]
    table = _table(codes, k)
    assert cohen_kappa(codes[0], codes[1]) == pytest.approx(_sklearn_kappa(codes[0], codes[1]))
    assert fleiss_kappa(table) == pytest.approx(sm_fleiss_kappa(table, method="fleiss"))
    assert krippendorff_alpha_nominal(table) == pytest.approx(_reference_alpha(codes))


def test_alpha_with_missing_values_matches_the_reference():
    rng = np.random.default_rng(3)
    data = rng.integers(0, 3, (4, 60)).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    table = np.zeros((60, 3), dtype=np.int64)
    for row in data:
        for unit, value in enumerate(row):
            if not math.isnan(value):
                table[unit, int(value)] += 1
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(table) == pytest.approx(expected)


TEXT = "Kim said hello to Putin in Pyongyang on Monday ."
#       tokens: Kim said hello to Putin in Pyongyang on Monday .


def span(start_word: str, end_word: str, label: str, doc: int = 1, sid: int = 0, **kw):
    start = TEXT.index(start_word)
    end = TEXT.index(end_word) + len(end_word)
    return AgreementSpan(sid, doc, start, end, label, TEXT[start:end], **kw)


LABELS = ("ACTOR", "DATE", "CLAIM")


def _grid_figures(a, b):
    grid = token_grid({1: TEXT}, [a, b], LABELS)
    return grid, token_figures(grid.codes, LABELS)


def test_tokens_carry_the_labels_of_the_spans_that_overlap_them():
    a = [span("Kim", "Kim", "ACTOR"), span("Kim", "hello", "CLAIM")]
    b = [span("Kim", "said", "ACTOR")]
    grid, _ = _grid_figures(a, b)
    assert grid.tokens == 10
    # bit 0 ACTOR, bit 2 CLAIM
    assert grid.codes[0].tolist() == [5, 4, 4, 0, 0, 0, 0, 0, 0, 0]
    assert grid.codes[1].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    matrix = confusion(grid.codes[0], grid.codes[1], LABELS)
    assert matrix.categories == ("O", "ACTOR", "CLAIM", "ACTOR+CLAIM")
    assert matrix.counts == ((7, 0, 0, 0), (0, 0, 0, 0), (1, 1, 0, 0), (0, 1, 0, 0))


def test_token_figures_match_the_references_per_label_and_overall():
    a = [
        span("Kim", "Kim", "ACTOR"),
        span("Putin", "Putin", "ACTOR"),
        span("Monday", "Monday", "DATE"),
    ]
    b = [
        span("Kim", "Kim", "ACTOR"),
        span("Pyongyang", "Pyongyang", "ACTOR"),
        span("on", "Monday", "DATE"),
    ]
    grid, figures = _grid_figures(a, b)
    actor = [(c & 1).astype(np.int64) for c in grid.codes]
    assert figures["per_label"]["ACTOR"]["cohen_kappa"] == pytest.approx(_sklearn_kappa(*actor))
    assert figures["per_label"]["ACTOR"]["krippendorff_alpha"] == pytest.approx(
        _reference_alpha(actor)
    )
    assert figures["overall"]["cohen_kappa"] == pytest.approx(_sklearn_kappa(*grid.codes))
    assert figures["overall"]["krippendorff_alpha"] == pytest.approx(
        _reference_alpha(list(grid.codes))
    )
    # CLAIM: neither marked a claim: one category only, so nothing to say.
    assert figures["per_label"]["CLAIM"]["cohen_kappa"] is None
    assert figures["per_label"]["CLAIM"]["krippendorff_alpha"] is None
    assert _reference_alpha([(c >> 2 & 1) for c in grid.codes]) is None


def test_one_annotator_empty():
    a = [span("Kim", "Kim", "ACTOR"), span("Putin", "Putin", "ACTOR")]
    grid, figures = _grid_figures(a, [])
    actor = [(c & 1).astype(np.int64) for c in grid.codes]
    assert figures["per_label"]["ACTOR"]["cohen_kappa"] == pytest.approx(0.0)
    assert _sklearn_kappa(*actor) == pytest.approx(0.0)
    assert figures["per_label"]["ACTOR"]["krippendorff_alpha"] == pytest.approx(
        _reference_alpha(actor)
    )
    assert figures["per_label"]["ACTOR"]["krippendorff_alpha"] < 0
    overall, per_label = span_f1(a, [], LABELS)
    assert overall["span_f1_exact"] == 0.0 and overall["span_f1_overlap"] == 0.0
    assert per_label["DATE"]["span_f1_exact"] is None  # no DATE span on either side


def test_all_agree():
    a = [
        span("Kim", "Kim", "ACTOR"),
        span("Kim", "hello", "CLAIM"),
        span("Monday", "Monday", "DATE"),
    ]
    _, figures = _grid_figures(a, list(a))
    for label in LABELS:
        assert figures["per_label"][label]["cohen_kappa"] == pytest.approx(1.0)
        assert figures["per_label"][label]["krippendorff_alpha"] == pytest.approx(1.0)
    assert figures["overall"]["fleiss_kappa"] == pytest.approx(1.0)
    overall, _ = span_f1(a, list(a), LABELS)
    assert overall["span_f1_exact"] == 1.0
    u_overall, u_labels = unitized_alpha([a, list(a)], {1: len(TEXT)}, LABELS)
    assert u_overall == pytest.approx(1.0)
    assert list(u_labels.values()) == [pytest.approx(1.0)] * 3


def test_no_overlap_at_all():
    a = [span("Kim", "Kim", "ACTOR"), span("Pyongyang", "Pyongyang", "ACTOR")]
    b = [span("Putin", "Putin", "ACTOR"), span("Monday", "Monday", "ACTOR")]
    grid, figures = _grid_figures(a, b)
    actor = [(c & 1).astype(np.int64) for c in grid.codes]
    kappa = figures["per_label"]["ACTOR"]["cohen_kappa"]
    assert kappa == pytest.approx(_sklearn_kappa(*actor))
    assert kappa < 0
    overall, _ = span_f1(a, b, LABELS)
    assert overall["span_f1_exact"] == 0.0 and overall["span_f1_overlap"] == 0.0
    u_overall, _ = unitized_alpha([a, b], {1: len(TEXT)}, ["ACTOR"])
    assert u_overall is not None and u_overall < 0


def test_both_empty_is_undefined_everywhere():
    grid, figures = _grid_figures([], [])
    assert figures["overall"]["cohen_kappa"] is None
    assert math.isnan(_sklearn_kappa(*grid.codes))
    assert figures["overall"]["krippendorff_alpha"] is None
    assert figures["overall"]["fleiss_kappa"] is None
    overall, _ = span_f1([], [], LABELS)
    assert overall["span_f1_exact"] is None
    assert unitized_alpha([[], []], {1: len(TEXT)}, LABELS)[0] is None


def test_overlap_f1_pairs_spans_one_to_one():
    long = [span("Kim", "Putin", "CLAIM")]
    short = [
        span("Kim", "said", "CLAIM"),
        span("hello", "hello", "CLAIM"),
        span("to", "Putin", "CLAIM"),
    ]
    overall, per_label = span_f1(long, short, LABELS)
    assert per_label["CLAIM"]["span_f1_exact"] == 0.0
    assert per_label["CLAIM"]["span_f1_overlap"] == pytest.approx(2 * 1 / 4)
    # Different labels never match.
    overall, _ = span_f1([span("Kim", "Kim", "ACTOR")], [span("Kim", "Kim", "DATE")], LABELS)
    assert overall["span_f1_overlap"] == 0.0


def test_unitized_alpha_reproduces_krippendorffs_worked_example():
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 254: a continuum from 150 to 450,
    two observers, categories c and k. His figures: c D_o 0.0144, D_e 0.0532, alpha 0.7286;
    k alpha 1; both pooled 0.8591."""

    def units(rows):
        return np.asarray(sorted((b - 150, b - 150 + n) for b, n in rows), dtype=np.int64)

    i_c, j_c = units([(225, 70), (370, 30)]), units([(220, 80), (355, 20), (400, 20)])
    observed, expected = unitized_disagreements([i_c, j_c], 300)
    assert observed == pytest.approx(0.0144, abs=5e-5)
    assert expected == pytest.approx(0.0532, abs=5e-5)
    assert 1 - observed / expected == pytest.approx(0.7286, abs=5e-4)

    text_length = 300
    doc = "x" * text_length

    def spans(rows, label):
        return [AgreementSpan(0, 1, b - 150, b - 150 + n, label, doc[:n]) for b, n in rows]

    i = spans([(225, 70), (370, 30)], "c") + spans([(180, 60), (300, 50)], "k")
    j = spans([(220, 80), (355, 20), (400, 20)], "c") + spans([(180, 60), (300, 50)], "k")
    pooled, per_label = unitized_alpha([i, j], {1: text_length}, ["c", "k"])
    assert per_label["c"] == pytest.approx(0.7286, abs=5e-4)
    assert per_label["k"] == pytest.approx(1.0)
    assert pooled == pytest.approx(0.8591, abs=5e-4)


def _claims_layer(name: str, source: AgreementSpan, date_value: str, quote_type: str) -> Layer:
    claim = span("Kim", "Monday", "CLAIM", sid=1, attributes={"quote_type": quote_type})
    date = span("Monday", "Monday", "DATE", sid=3, attributes={"value": date_value})
    return Layer(
        name,
        [claim, source, date],
        [AgreementLink("SOURCE", 1, source.span_id), AgreementLink("TIME", 1, 3)],
    )


def test_attribution_compares_source_time_and_quote_type_of_matched_claims():
    kim_linked = span("Kim", "Kim", "ACTOR", sid=2, actor_id=7)
    kim_text = span("Kim", "Kim", "ACTOR", sid=2)
    putin = span("Putin", "Putin", "ACTOR", sid=2, actor_id=9)
    a = _claims_layer("a", kim_linked, "2024-03-04", "direct")
    same = attribution(a, _claims_layer("b", kim_linked, "2024-03-04", "direct"), LABELS)
    assert same["claims_matched"] == 1
    assert same["source_agreement"] == 1.0
    assert same["time_agreement"] == 1.0
    assert same["quote_type_agreement"] == 1.0
    assert same["actor_identity_agreement"] == 1.0
    assert same["date_value_agreement"] == 1.0
    # An unlinked mention compares by its text.
    by_text = attribution(
        _claims_layer("a", kim_text, "2024", "direct"),
        _claims_layer("b", kim_text, "2024", "direct"),
        LABELS,
    )
    assert by_text["source_agreement"] == 1.0
    assert by_text["actor_identity_compared"] == 0  # neither linked to the registry
    other = attribution(a, _claims_layer("b", putin, "2024-03", "indirect"), LABELS)
    assert other["source_agreement"] == 0.0
    assert other["time_agreement"] == 0.0
    assert other["quote_type_agreement"] == 0.0
    assert other["date_value_agreement"] == 0.0
    assert other["actors_matched"] == 0  # "Kim" and "Putin" do not overlap
    # No claim on one side: nothing matched, so no share at all.
    empty = attribution(a, Layer("b", []), LABELS)
    assert empty["claims_matched"] == 0 and empty["source_agreement"] is None


def test_report_figures_on_random_layers_agree_with_the_references():
    rng = random.Random(11)
    words = ["word"] * 400
    text = " ".join(words)
    starts = [i * 5 for i in range(400)]

    def layer(seed_spans):
        return [
            AgreementSpan(k, 1, starts[w], starts[w + n - 1] + 4, label, "")
            for k, (w, n, label) in enumerate(seed_spans)
        ]

    base = sorted(
        {(rng.randrange(0, 390), rng.randint(1, 5), rng.choice(LABELS)) for _ in range(60)}
    )
    layers = []
    for _ in range(3):
        kept = [s for s in base if rng.random() < 0.8]
        layers.append(Layer(f"a{len(layers)}", layer(kept)))
    report = agreement_report(layers, {1: text}, LABELS)
    grid = token_grid({1: text}, [la.spans for la in layers], LABELS)
    for pair in report.pairs:
        i, j = (int(name[1]) for name in pair.annotators)
        assert pair.figures["cohen_kappa"] == pytest.approx(
            _sklearn_kappa(grid.codes[i], grid.codes[j])
        )
        for bit, label in enumerate(LABELS):
            binary = [(grid.codes[x] >> bit & 1) for x in (i, j)]
            assert pair.per_label[label]["cohen_kappa"] == pytest.approx(_sklearn_kappa(*binary))
    values, dense = np.unique(np.concatenate(grid.codes), return_inverse=True)
    dense = dense.reshape(3, -1)
    table = _table(list(dense), len(values))
    assert report.group.figures["fleiss_kappa"] == pytest.approx(sm_fleiss_kappa(table))
    assert report.group.figures["krippendorff_alpha"] == pytest.approx(
        _reference_alpha(list(dense))
    )
