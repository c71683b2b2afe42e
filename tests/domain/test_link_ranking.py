"""Where an actor stands tells how likely it is the SOURCE of a claim."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from annotator.domain.linking import Fit, source_fit
from annotator.domain.model import Span

_NOW = datetime(2025, 1, 1, tzinfo=UTC)
_VERBS = frozenset({"said", "told", "warned"})


def _span(text: str, quote: str, span_id: int, **attributes: str) -> Span:
    at = text.index(quote)
    return Span(span_id, 1, at, at + len(quote), 1, quote, 1, _NOW, _NOW, dict(attributes))


@pytest.mark.parametrize(
    ("text", "claim", "actor", "fit"),
    [
        ("Aaltonen said his government would act.", "his government would act", "Aaltonen", 0),
        ("Aaltonen said his government would act.", "his government would act", "government", 3),
        ("“We will act,” Aaltonen said.", "We will act", "Aaltonen", 0),
        ("“We will act,” said Aaltonen.", "We will act", "Aaltonen", 0),
        ("According to Aaltonen, the plan failed.", "the plan failed", "Aaltonen", 0),
        ("Aaltonen told Lindqvist that the plan failed.", "the plan failed", "Lindqvist", 1),
        ("Aaltonen told Lindqvist that the plan failed.", "the plan failed", "Aaltonen", 0),
        ("Aaltonen arrived. The plan failed, he said.", "The plan failed", "Aaltonen", 2),
        ("“We will act,” Aaltonen said. Lindqvist left.", "We will act", "Lindqvist", 2),
    ],
)
def test_source_fit(text: str, claim: str, actor: str, fit: int) -> None:
    assert source_fit(_span(text, claim, 1), _span(text, actor, 2), text, _VERBS) == Fit(fit)


def test_the_claims_own_reporting_verb_counts_as_a_cue() -> None:
    text = "Aaltonen quipped that the plan failed."
    actor = _span(text, "Aaltonen", 2)
    assert source_fit(_span(text, "the plan failed", 1), actor, text, _VERBS) == Fit.LIKELY
    claim = _span(text, "the plan failed", 1, reporting_verb="quipped")
    assert source_fit(claim, actor, text, _VERBS) == Fit.CUED
