"""The engines run together: the garbage collector is paused for a pass, never left off."""

from __future__ import annotations

import gc
from collections.abc import Sequence

import pytest

from annotator.assist.actors import ActorKnowledge
from annotator.assist.base import ENGINES, DocumentContext
from annotator.assist.pipeline import propose
from annotator.domain import collector
from annotator.domain.collector import paused_collection as collector_paused

TEXT = (
    "Harbour plan approved\n\n"
    "Mayor Ines Okafor said on Tuesday that the barrier would be finished by 2030.\n"
)


class _BrokenModel:
    version = "broken"

    def predict(self, texts: Sequence[str]) -> list[list[tuple[int, int, str | None]]]:
        raise RuntimeError("the model failed")


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_a_pass_leaves_the_collector_on_also_when_an_engine_fails(collector_state):
    gc.enable()
    context = DocumentContext(TEXT, published="2025-11-19")
    assert {p.label for p in propose(context, engines=ENGINES)} == {"ACTOR", "DATE", "CLAIM"}
    assert gc.isenabled()
    # A sentence the rules are unsure of, so the model is asked and fails.
    unsure = DocumentContext("Talks resumed.\n\nHarlow Venn met Brisk Marlo in Tavon.\n")
    with pytest.raises(RuntimeError):
        propose(unsure, engines=ENGINES, knowledge=ActorKnowledge(model=_BrokenModel()))
    assert gc.isenabled()


def test_a_collector_the_caller_switched_off_stays_off(collector_state):
    gc.disable()
    propose(DocumentContext(TEXT), engines=ENGINES)
    assert not gc.isenabled()
    gc.enable()
    with collector_paused():
        propose(DocumentContext(TEXT), engines=ENGINES)
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
    assert gc.isenabled()


def test_a_pass_makes_no_garbage_only_the_collector_could_free(collector_state):
    # Why pausing the collector is safe: reference counting frees everything a pass made.
    gc.collect()
    text = TEXT + "Novak told reporters the deal, signed in March 2024, “will hold”.\n" * 50
    with collector_paused():
        propose(DocumentContext(text, published="2025-11-19"), engines=ENGINES)
    assert gc.collect() == 0


def test_overlapping_pauses_leave_the_collector_off_until_the_last_ends(collector_state):
    # An import and a suggestion run in two threads: the one that began first ends first.
    gc.enable()
    collector.pause()
    with collector_paused():
        collector.resume()
        assert not gc.isenabled()  # the other pause is still on
    assert gc.isenabled()
