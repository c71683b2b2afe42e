"""The hand-annotated suggestion gold (set b) is well formed and follows the guideline's shapes.

Every engine figure is measured against these files, so a span whose offsets drift from its
quote, a DATE value no one can read or a SOURCE pointing at a date would silently corrupt every
score. The checks here are structural: what a span is allowed to be, what a link may join.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotator.assist.dates import Granularity, parse_date_value

SUGGEST = Path(__file__).resolve().parents[1] / "data" / "suggest"
GOLD_FILES = (
    "dev/varnel-mayoral-vote.gold.json",
    "dev/aldren-port-strike.gold.json",
    "dev/ibarra-transfer.gold.json",
    "dev/selene-lander-delay.gold.json",
    "heldout/ventilator-tender.gold.json",
    "heldout/salvane-flood-centenary.gold.json",
)

LABELS = {"ACTOR", "DATE", "CLAIM"}
KINDS = {"person", "organization", "state", "media", "group"}
QUOTE_TYPES = {"direct", "indirect", "paraphrase", "unattributed"}
LINKS = {"SOURCE": ("CLAIM", "ACTOR"), "TIME": ("CLAIM", "DATE"), "REPORTED_IN": ("CLAIM", "CLAIM")}
ACTOR_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# The guideline's TimeML forms that parse_date_value does not take (it checks what a user types
# into a DATE's value field, where these are not offered).
_SEASON_QUARTER_HALF = re.compile(r"\d{4}-(?:SP|SU|FA|WI|Q[1-4]|H[12])")
_PART_OF_DAY = re.compile(r"(?P<day>.+)T(?:MO|AF|EV|NI)")


def _load(name: str) -> tuple[dict[str, Any], str]:
    gold = json.loads((SUGGEST / name).read_text(encoding="utf-8"))
    raw = (SUGGEST / name).with_name(gold["document"]).read_bytes()
    return gold, raw.decode("utf-8")


def _is_single_value(value: str) -> bool:
    if _SEASON_QUARTER_HALF.fullmatch(value):
        return True
    if match := _PART_OF_DAY.fullmatch(value):
        try:
            return parse_date_value(match["day"]).granularity is Granularity.DAY
        except ValueError:
            return False
    try:
        parse_date_value(value)
    except ValueError:
        return False
    return True


def _is_date_value(value: str) -> bool:
    """A value parse_date_value accepts, or one of the guideline's extended forms."""
    if value.count("/") == 1:
        return all(_is_single_value(part) for part in value.split("/"))
    return _is_single_value(value)


@pytest.fixture(params=GOLD_FILES, ids=lambda name: name.removesuffix(".gold.json"))
def gold(request: pytest.FixtureRequest) -> tuple[dict[str, Any], str]:
    return _load(request.param)


def test_the_extended_value_forms_are_told_apart_from_nonsense():
    for value in ("2025-SU", "2025-Q1", "2025-H1", "2025-03-04TEV", "2019/2021", "197", "18"):
        assert _is_date_value(value), value
    for value in ("2025-Q5", "2025-03TEV", "2025-02-30TMO", "2019/2021/2023", "spring", ""):
        assert not _is_date_value(value), value


def test_the_document_is_plain_text_with_its_headline_first(gold):
    data, text = gold
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert data["title"] == text.split("\n", 1)[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["published"])
    assert parse_date_value(data["published"]).granularity is Granularity.DAY
    assert data["offsets"] == "unicode code points, 0-based, end exclusive"


def test_every_span_quotes_its_own_offsets(gold):
    data, text = gold
    ids = [span["id"] for span in data["spans"]]
    assert len(ids) == len(set(ids))
    for span in data["spans"]:
        assert span["label"] in LABELS, span
        assert 0 <= span["start"] < span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["quote"], span
        assert span["quote"] == span["quote"].strip(), span


def test_spans_of_one_label_do_not_overlap(gold):
    """Only nesting is allowed, and only for a claim reported inside another (REPORTED_IN)."""
    data, _ = gold
    reported_in = {
        (link["from"], link["to"]) for link in data["relations"] if link["type"] == "REPORTED_IN"
    }
    for label in LABELS:
        spans = sorted(
            (span for span in data["spans"] if span["label"] == label),
            key=lambda span: (span["start"], -span["end"]),
        )
        for index, outer in enumerate(spans):
            for inner in spans[index + 1 :]:
                if inner["start"] >= outer["end"]:
                    break
                nested = inner["end"] <= outer["end"] and (inner["id"], outer["id"]) in reported_in
                assert nested, (outer["quote"], inner["quote"])


def test_links_join_the_labels_the_guideline_says(gold):
    data, text = gold
    spans = {span["id"]: span for span in data["spans"]}
    seen = set()
    for link in data["relations"]:
        assert link["type"] in LINKS, link
        source, target = spans[link["from"]], spans[link["to"]]
        assert (source["label"], target["label"]) == LINKS[link["type"]], link
        key = (link["type"], link["from"], link["to"])
        assert key not in seen, link
        seen.add(key)
        if link["type"] == "REPORTED_IN":  # the inner claim sits inside the one reporting it
            assert target["start"] <= source["start"] and source["end"] <= target["end"], link
        if link["type"] == "TIME":  # inside the claim, or before it in the same paragraph
            assert target["end"] <= source["end"], link
            assert "\n" not in text[min(target["start"], source["start"]) : source["end"]], link


def test_dates_have_a_readable_value(gold):
    data, _ = gold
    for span in data["spans"]:
        if span["label"] == "DATE":
            assert _is_date_value(span["attrs"]["value"]), span


def test_actors_have_a_kind_and_one_identity_key(gold):
    data, _ = gold
    kinds: dict[str, str] = {}
    for span in data["spans"]:
        if span["label"] != "ACTOR":
            continue
        attrs = span["attrs"]
        assert attrs["kind"] in KINDS, span
        assert ACTOR_KEY.fullmatch(attrs["actor"]), span
        # one actor, one kind: "Moscow" and "Russia" are both the state
        assert kinds.setdefault(attrs["actor"], attrs["kind"]) == attrs["kind"], span


def test_claims_are_typed_and_only_attributed_ones_have_a_source(gold):
    data, _ = gold
    sources: dict[str, int] = {}
    for link in data["relations"]:
        if link["type"] == "SOURCE":
            sources[link["from"]] = sources.get(link["from"], 0) + 1
    for span in data["spans"]:
        if span["label"] != "CLAIM":
            continue
        attrs = span["attrs"]
        assert attrs["quote_type"] in QUOTE_TYPES, span
        assert isinstance(attrs["hedged"], bool), span
        if attrs["quote_type"] == "unattributed":
            assert span["id"] not in sources, span
            assert attrs["hedged"] is True, span
            assert "reporting_verb" not in attrs, span
        else:
            assert sources.get(span["id"]) == 1, span
            verb = attrs["reporting_verb"]
            assert verb and verb == verb.lower(), span
