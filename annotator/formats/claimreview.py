"""Claims as schema.org ClaimReview JSON-LD, for fact-checkers. Write only.

One UTF-8 file holding a JSON array with one `ClaimReview` object per CLAIM span (written one
document at a time, so the writer streams):

    {"@context": "https://schema.org", "@type": "ClaimReview",
     "claimReviewed": "<the claim's quote>",
     "itemReviewed": {
       "@type": "Claim",
       "author": {"@type": "Person", "name": "Vladimir Putin",
                  "sameAs": "https://www.wikidata.org/wiki/Q7747"},
       "datePublished": "2024-02-18",
       "appearance": {"@type": "NewsArticle", "url": ..., "headline": <title>,
                      "datePublished": <publication date>, "inLanguage": ...,
                      "author": {"@type": "Person", "name": <byline>},
                      "publisher": {"@type": "Organization", "name": <outlet>}}}}

- `author` is who makes the claim: the target of each SOURCE relation from the claim (a list if
  there are several). A mention linked to a registry actor gives the actor's name, its aliases
  as `alternateName` and, when its external id is a Wikidata QID, `sameAs` the Wikidata page;
  an unlinked mention gives its quote. `@type` follows the actor's kind (or the mention's
  `kind` attribute): person -> Person, media -> NewsMediaOrganization, state ->
  GovernmentOrganization, organization and group -> Organization; with no kind it is left out.
- `datePublished` of the Claim is the value of the DATE its TIME relation points to, when that
  value is a calendar date (`2024`, `2024-02`, `2024-02-18`); otherwise the article's
  publication date. A TIME value that is not a calendar date (`XXXX-02-18`, a decade) is kept
  as `temporalCoverage`, so it is not lost.
- `appearance` is the article: its URL, title, publication date, language, byline and outlet
  (each only when known).

What a fact-check adds is left for the fact-checker to fill in, on purpose: `reviewRating`
(the verdict), the review's own `author` (the fact-checking organisation), `datePublished` and
`url`. Google and other consumers require them before they show a ClaimReview; this export is
the starting point for writing those reviews, not a finished one.

Everything else is left out: spans of other labels (used only as authors and dates), offsets,
attributes, notes, other relation types (REPORTED_IN among them) and annotator names. The
report counts the claims written without an author (no SOURCE).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, WriteReport
from annotator.domain.model import Span
from annotator.domain.schema import ACTOR_KIND, CLAIM, DATE_VALUE, SOURCE, TIME
from annotator.formats._links import wikidata_url

CONTEXT = "https://schema.org"
AUTHOR_TYPES = {
    "person": "Person",
    "media": "NewsMediaOrganization",
    "state": "GovernmentOrganization",
    "organization": "Organization",
    "organisation": "Organization",
    "group": "Organization",
}
_CALENDAR_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


def sniff(path: Path) -> bool:
    """ClaimReview files are never read back."""
    return False


def _author(doc: AnnotatedDocument, mention: Span) -> dict[str, Any]:
    actor = doc.actor_of(mention)
    kind = actor.kind if actor is not None and actor.kind else mention.attributes.get(ACTOR_KIND)
    author: dict[str, Any] = {}
    schema_type = AUTHOR_TYPES.get(kind) if isinstance(kind, str) else None
    if schema_type is not None:
        author["@type"] = schema_type
    if actor is None:
        author["name"] = mention.quote
        return author
    author["name"] = actor.name
    if actor.aliases:
        author["alternateName"] = list(actor.aliases)
    page = wikidata_url(actor.external_id)
    if page is not None:
        author["sameAs"] = page
    return author


def _appearance(doc: AnnotatedDocument) -> dict[str, Any]:
    meta = doc.document.meta
    appearance: dict[str, Any] = {"@type": "NewsArticle"}
    if meta.url:
        appearance["url"] = meta.url
    appearance["headline"] = meta.title
    if meta.published:
        appearance["datePublished"] = meta.published
    if meta.language:
        appearance["inLanguage"] = meta.language
    if meta.author:
        appearance["author"] = {"@type": "Person", "name": meta.author}
    if meta.source:
        appearance["publisher"] = {"@type": "Organization", "name": meta.source}
    return appearance


def _reviews(doc: AnnotatedDocument) -> tuple[list[dict[str, Any]], int, int]:
    """The ClaimReview objects of a document, the relations used, the claims without author."""
    spans = {s.id: s for s in doc.spans}
    outgoing: dict[int, list[tuple[str, Span]]] = {}
    for relation in doc.relations:
        target = spans.get(relation.target_id)
        if target is not None:
            outgoing.setdefault(relation.source_id, []).append(
                (doc.relation_type_name(relation), target)
            )
    appearance = _appearance(doc)
    reviews = []
    used = 0
    anonymous = 0
    for claim in sorted(doc.spans, key=lambda s: (s.start, s.end, s.id)):
        if doc.label_name(claim) != CLAIM:
            continue
        links = outgoing.get(claim.id, [])
        authors = [_author(doc, target) for name, target in links if name == SOURCE]
        dates = [
            value
            for name, target in links
            if name == TIME and isinstance(value := target.attributes.get(DATE_VALUE), str)
        ]
        used += len(authors) + len(dates)
        item: dict[str, Any] = {"@type": "Claim"}
        if authors:
            item["author"] = authors[0] if len(authors) == 1 else authors
        else:
            anonymous += 1
        calendar = next((d for d in dates if _CALENDAR_DATE.match(d)), None)
        if calendar is not None:
            item["datePublished"] = calendar
        else:
            if doc.document.meta.published:
                item["datePublished"] = doc.document.meta.published
            if dates:
                item["temporalCoverage"] = dates[0]
        item["appearance"] = appearance
        reviews.append(
            {
                "@context": CONTEXT,
                "@type": "ClaimReview",
                "claimReviewed": claim.quote,
                "itemReviewed": item,
            }
        )
    return reviews, used, anonymous


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write a JSON array of ClaimReview objects, one per CLAIM span, to the file `out`."""
    report = WriteReport(files=[str(out)])
    anonymous = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for doc in documents:
            reviews, used, without = _reviews(doc)
            for review in reviews:
                handle.write("\n" if report.spans == 0 else ",\n")
                handle.write(json.dumps(review, ensure_ascii=False, indent=1))
                report.spans += 1
            report.relations += used
            anonymous += without
            report.documents += 1
            if progress is not None:
                progress(report.documents)
        handle.write("\n]\n")
    if anonymous:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{anonymous} claims have no SOURCE relation: written without an author",
            )
        )
    return report
