"""schema.org ClaimReview JSON-LD: one review per claim, author from SOURCE, date from TIME."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, cast

from helpers import INNER_CLAIM, OUTER_CLAIM, RELATION_TYPES, claim_doc, make_doc

from annotator.domain.model import Relation
from annotator.formats import claimreview
from annotator.formats.registry import get_format


def reviews(path: Path) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], json.loads(path.read_text(encoding="utf-8")))


def test_registry_entry() -> None:
    info = get_format("claimreview")
    assert cast(object, info.load()) is claimreview
    assert info.can_write and not info.can_read
    assert "no offsets" in info.carries() and "reviewRating" in info.loses
    assert not claimreview.sniff(Path("x.jsonld"))


def test_one_claim_review_per_claim(tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonld"
    seen: list[int] = []
    report = claimreview.write([claim_doc()], out, progress=seen.append)
    assert (report.documents, report.spans, report.relations, report.problems) == (1, 2, 4, [])
    assert seen == [1] and report.files == [str(out)]
    outer, inner = reviews(out)
    for review in (outer, inner):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["itemReviewed"]["@type"] == "Claim"
        # The verdict, reviewer and review date are the fact-checker's to add.
        assert not {"reviewRating", "author", "datePublished", "url"} & review.keys()
    assert outer["claimReviewed"] == OUTER_CLAIM and inner["claimReviewed"] == INNER_CLAIM
    assert outer["itemReviewed"]["author"] == {
        "@type": "NewsMediaOrganization",
        "name": "Korean Central News Agency",
        "alternateName": ["KCNA"],
        "sameAs": "https://www.wikidata.org/wiki/Q1130405",
    }
    assert inner["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Kim Yo Jong",
        "alternateName": ["Kim Yo-jong"],
    }
    assert inner["itemReviewed"]["datePublished"] == "2024-02-20"  # the TIME date's value
    assert inner["itemReviewed"]["appearance"] == {
        "@type": "NewsArticle",
        "url": "https://example.org/kcna-car",
        "headline": "Putin's car for Kim",
        "datePublished": "2024-02-20",
        "inLanguage": "en",
        "author": {"@type": "Person", "name": "A. Reporter"},
        "publisher": {"@type": "Organization", "name": "Example Wire"},
    }


def test_a_time_value_that_is_no_calendar_date_is_kept_as_coverage(tmp_path: Path) -> None:
    doc = claim_doc()
    spans = tuple(
        dataclasses.replace(s, attributes={"value": "XXXX-02-18"})
        if s.quote == "20 February 2024"
        else s
        for s in doc.spans
    )
    meta = dataclasses.replace(doc.document.meta, published="2024-02-21")
    document = dataclasses.replace(doc.document, meta=meta)
    out = tmp_path / "c.jsonld"
    claimreview.write([dataclasses.replace(doc, spans=spans, document=document)], out)
    item = reviews(out)[0]["itemReviewed"]
    assert item["datePublished"] == "2024-02-21"  # the article's date
    assert item["temporalCoverage"] == "XXXX-02-18"


def test_claims_without_source_and_unlinked_authors(tmp_path: Path) -> None:
    text = "Observers said the summit was historic. Nobody said anything."
    doc = make_doc(
        text,
        [
            (0, 9, "ACTOR", {"kind": "group"}),
            (15, 38, "CLAIM"),
            (40, 60, "CLAIM"),
        ],
    )
    source = Relation(1, 1, 1, doc.spans[1].id, doc.spans[0].id, 1, doc.spans[0].created)
    doc = dataclasses.replace(doc, relations=(source,), relation_types=RELATION_TYPES)
    out = tmp_path / "c.jsonld"
    report = claimreview.write([doc, make_doc("No claims here.", doc_id=2)], out)
    assert (report.documents, report.spans) == (2, 2)
    (problem,) = report.problems
    assert problem.message.startswith("1 claims have no SOURCE")
    first, second = reviews(out)
    assert first["itemReviewed"]["author"] == {"@type": "Organization", "name": "Observers"}
    assert "author" not in second["itemReviewed"]
    assert "datePublished" not in second["itemReviewed"]  # no TIME, no publication date
    assert second["itemReviewed"]["appearance"] == {
        "@type": "NewsArticle",
        "headline": "Test article",
    }


def test_empty_export_is_an_empty_array(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonld"
    report = claimreview.write([], out)
    assert reviews(out) == [] and report.spans == 0
