"""The hand-annotated suggestion gold standard (tests/data/suggest) is well formed.

Every figure reported for the suggestion engines is measured against these files, so a gold
span whose quote has drifted from its offsets, a date value no reader can parse or a claim with
a dangling link would silently skew every score. These checks hold each file to the guideline's
shape: labels, links and their directions, date values (TIMEX3 plus the guideline's seasons,
quarters, halves, parts of day and ranges), actor kinds and claim attributes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from annotator.assist.dates import parse_date_value

DATA = Path(__file__).resolve().parents[1] / "data" / "suggest"

# Every article of the gold, development and held-out splits alike.
FILES = sorted((DATA / "dev").glob("*.gold.json")) + sorted((DATA / "heldout").glob("*.gold.json"))

LABELS = {"ACTOR", "DATE", "CLAIM"}
KINDS = {"person", "organization", "state", "media", "group"}
QUOTE_TYPES = {"direct", "indirect", "paraphrase", "unattributed"}
LINKS = {"SOURCE": "ACTOR", "TIME": "DATE", "REPORTED_IN": "CLAIM"}
Article = tuple[dict[str, Any], str, bytes]
"""A gold file, its article's text and the article's bytes."""
ACTOR_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# What a span may not start or end with: the guideline leaves the surrounding punctuation and
# spaces out ("p.m." keeps its own full stop).
_EDGE = set(" \t\n,;:“”\"‘’'()[]")


def date_value_ok(value: str) -> bool:
    """A value the app's value field accepts, in its canonical form."""
    try:
        return parse_date_value(value).value == value
    except ValueError:
        return False


def _load(path: Path) -> tuple[dict[str, Any], str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / gold["document"]).read_text(encoding="utf-8")
    return gold, text


@pytest.fixture(params=FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def article(request: pytest.FixtureRequest) -> Article:
    path: Path = request.param
    gold, text = _load(path)
    raw = (path.parent / gold["document"]).read_bytes()
    return gold, text, raw


def test_the_value_checker_tells_good_values_from_bad() -> None:
    good = [
        "2025-02-18",
        "XXXX-02-18",
        "2025-W07",
        "197",
        "18",
        "2025-03-05T15:00",
        "2025-SU",
        "2024-Q3",
        "2026-H1",
        "2025-03-04TEV",
        "2025-02-01/2025-02-10",
        "2019/2021",
    ]
    bad = [
        "2025-02-30",
        "2025-SX",
        "2025-Q5",
        "2025-H3",
        "2025-03TEV",
        "2025-02-10/2025-02-01",
        "2019/2021/2023",
        "next week",
        "",
    ]
    assert [v for v in good if not date_value_ok(v)] == []
    assert [v for v in bad if date_value_ok(v)] == []


def test_the_gold_has_eight_development_articles_and_held_out_ones_with_their_texts() -> None:
    assert len([p for p in FILES if p.parent.name == "dev"]) >= 8
    assert len([p for p in FILES if p.parent.name == "heldout"]) >= 4
    texts = [p.with_name(p.name.replace(".gold.json", ".txt")) for p in FILES]
    assert [str(p) for p in texts if not p.is_file()] == []


def test_text_is_a_news_article(article: Article) -> None:
    gold, text, raw = article
    assert b"\r" not in raw
    assert text.endswith("\n") and not text.endswith("\n\n")
    headline, blank, _ = text.split("\n", 2)
    assert headline and blank == ""
    assert gold["title"] == headline
    assert 350 <= len(text.split()) <= 700
    date.fromisoformat(gold["published"])
    assert gold["offsets"] == "unicode code points, 0-based, end exclusive"


def test_spans_quote_the_text_they_point_at(article: Article) -> None:
    gold, text, _ = article
    ids = [span["id"] for span in gold["spans"]]
    assert len(ids) == len(set(ids))
    for span in gold["spans"]:
        assert span["label"] in LABELS, span
        assert 0 <= span["start"] < span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["quote"], span
        quote = span["quote"]
        elided_century = re.match(r"[’']\d", quote)  # "’70s" keeps its apostrophe
        assert (quote[0] not in _EDGE or elided_century) and quote[-1] not in _EDGE, span
        # A claim ends before the full stop that closes it.
        assert not (span["label"] == "CLAIM" and quote.endswith(".")), span


def _links(gold: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(type, from id) -> the ids it points at."""
    out: dict[tuple[str, str], set[str]] = {}
    for relation in gold["relations"]:
        out.setdefault((relation["type"], relation["from"]), set()).add(relation["to"])
    return out


def test_spans_of_one_label_do_not_overlap(article: Article) -> None:
    gold, _, _ = article
    reported_in = {(r["from"], r["to"]) for r in gold["relations"] if r["type"] == "REPORTED_IN"}
    for label in LABELS:
        spans = sorted(
            (s for s in gold["spans"] if s["label"] == label),
            key=lambda s: (s["start"], -s["end"]),
        )
        for i, first in enumerate(spans):
            for second in spans[i + 1 :]:
                if second["start"] >= first["end"]:
                    break
                # A nested claim lies inside the claim that reports it; nothing else may overlap.
                nested = (second["id"], first["id"]) in reported_in and second["end"] <= first[
                    "end"
                ]
                assert nested, (first["quote"], second["quote"])


def test_relations_join_the_labels_the_guideline_says(article: Article) -> None:
    gold, _, _ = article
    spans = {span["id"]: span for span in gold["spans"]}
    seen = set()
    for relation in gold["relations"]:
        key = (relation["type"], relation["from"], relation["to"])
        assert key not in seen, relation
        seen.add(key)
        assert relation["type"] in LINKS, relation
        assert spans[relation["from"]]["label"] == "CLAIM", relation
        assert spans[relation["to"]]["label"] == LINKS[relation["type"]], relation
        if relation["type"] == "REPORTED_IN":
            inner, outer = spans[relation["from"]], spans[relation["to"]]
            assert outer["start"] <= inner["start"] and inner["end"] <= outer["end"], relation


def test_dates_have_values_the_guideline_allows(article: Article) -> None:
    gold, _, _ = article
    dates = [span for span in gold["spans"] if span["label"] == "DATE"]
    assert dates
    bad = [
        (s["quote"], s["attrs"].get("value"))
        for s in dates
        if not date_value_ok(s["attrs"].get("value", ""))
    ]
    assert bad == []


def test_actors_have_a_kind_and_one_identity_key(article: Article) -> None:
    gold, _, _ = article
    kinds: dict[str, set[str]] = {}
    for span in gold["spans"]:
        if span["label"] != "ACTOR":
            continue
        attrs = span["attrs"]
        assert attrs["kind"] in KINDS, span
        assert ACTOR_KEY.fullmatch(attrs["actor"]), span
        kinds.setdefault(attrs["actor"], set()).add(attrs["kind"])
    assert {key: k for key, k in kinds.items() if len(k) > 1} == {}


def test_claims_have_their_attributes_and_sources(article: Article) -> None:
    gold, _, _ = article
    links = _links(gold)
    claims = [span for span in gold["spans"] if span["label"] == "CLAIM"]
    assert claims
    for claim in claims:
        attrs = claim["attrs"]
        assert attrs["quote_type"] in QUOTE_TYPES, claim
        assert isinstance(attrs["hedged"], bool), claim
        sources = links.get(("SOURCE", claim["id"]), set())
        if attrs["quote_type"] == "unattributed":
            assert not sources, claim
            assert "reporting_verb" not in attrs, claim
            assert attrs["hedged"], claim  # the guideline marks only hedged statements unsourced
        else:
            assert len(sources) == 1, claim
            verb = attrs.get("reporting_verb", "")
            assert verb and verb == verb.lower(), claim


def test_a_claims_time_is_a_date_inside_it_or_before_it_in_its_sentence(article: Article) -> None:
    gold, text, _ = article
    spans = {span["id"]: span for span in gold["spans"]}
    for relation in gold["relations"]:
        if relation["type"] != "TIME":
            continue
        claim, when = spans[relation["from"]], spans[relation["to"]]
        inside = claim["start"] <= when["start"] and when["end"] <= claim["end"]
        between = text[when["end"] : claim["start"]]
        same_sentence_before = when["end"] <= claim["start"] and not re.search(
            r"[.!?][”\"’]?\s|\n", between
        )
        assert inside or same_sentence_before, relation
