"""What a curator removed from a gold layer, remembered so that merging agreed items does not
bring it back.

Kept per document in the database's settings (next to the curation rejections), as span keys
(label, start, end) and link keys (type, source key, target key). Deleting a gold span or link
records it; undoing that deletion (putting it back) forgets it. Moving or relabelling a gold
span records its old place. Spans and links of other layers
are not recorded. A link deleted together with its span is not recorded on its own: the span's
removal already keeps the link out of gold (a link waits for both its ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.domain.curation import LinkKey, SpanKey, span_key
from annotator.domain.model import Relation, Span
from annotator.store import Repository

GOLD_ROLE = "gold"


def _key(document_id: int) -> str:
    return f"curation.removed.{document_id}"


@dataclass(frozen=True, slots=True)
class Removed:
    """A document's gold removals."""

    spans: frozenset[SpanKey] = frozenset()
    links: frozenset[LinkKey] = frozenset()


def _as_span_key(value: object) -> SpanKey | None:
    if isinstance(value, list) and len(value) == 3 and all(isinstance(v, int) for v in value):
        return (value[0], value[1], value[2])
    return None


def removed(repo: Repository, document_id: int) -> Removed:
    """Inside a transaction: what the curator removed from gold on this document."""
    value = repo.setting(_key(document_id))
    if not isinstance(value, dict):
        return Removed()
    spans = {k for v in value.get("spans", []) if (k := _as_span_key(v)) is not None}
    links: set[LinkKey] = set()
    for v in value.get("links", []):
        if isinstance(v, list) and len(v) == 3 and isinstance(v[0], int):
            source, target = _as_span_key(v[1]), _as_span_key(v[2])
            if source is not None and target is not None:
                links.add((v[0], source, target))
    return Removed(frozenset(spans), frozenset(links))


def _store(repo: Repository, document_id: int, now: Removed) -> None:
    repo.set_setting(
        _key(document_id),
        {
            "spans": [list(k) for k in sorted(now.spans)],
            "links": [[t, list(s), list(e)] for t, s, e in sorted(now.links)],
        },
    )


def _gold_ids(repo: Repository) -> set[int]:
    return {i for i, role in repo.annotator_roles().items() if role == GOLD_ROLE}


def _link_keys(
    repo: Repository, relations: Iterable[Relation], known: Sequence[Span]
) -> dict[int, list[LinkKey]]:
    """Link keys of these relations per document; ends from `known` or else the store."""
    by_id = {s.id: s for s in known}
    found: dict[int, list[LinkKey]] = {}
    for r in relations:
        ends = []
        for span_id in (r.source_id, r.target_id):
            if span_id not in by_id:
                by_id[span_id] = repo.span(span_id)
            ends.append(by_id[span_id])
        source, target = ends
        found.setdefault(source.document_id, []).append(
            (r.type_id, span_key(source), span_key(target))
        )
    return found


def _change(
    repo: Repository,
    spans: Sequence[Span],
    relations: Sequence[Relation],
    *,
    ends: Sequence[Span],
    remove: bool,
) -> None:
    if not spans and not relations:
        return
    gold = _gold_ids(repo)
    spans = [s for s in spans if s.annotator_id in gold]
    relations = [r for r in relations if r.annotator_id in gold]
    if not spans and not relations:
        return
    span_keys: dict[int, list[SpanKey]] = {}
    for s in spans:
        span_keys.setdefault(s.document_id, []).append(span_key(s))
    link_keys = _link_keys(repo, relations, ends)
    for document_id in {*span_keys, *link_keys}:
        now = removed(repo, document_id)
        s_keys, l_keys = set(span_keys.get(document_id, ())), set(link_keys.get(document_id, ()))
        if remove:
            changed = Removed(now.spans | s_keys, now.links | l_keys)
        else:
            changed = Removed(now.spans - s_keys, now.links - l_keys)
        if changed != now:
            _store(repo, document_id, changed)


def note_spans_removed(repo: Repository, spans: Sequence[Span]) -> None:
    """Inside the transaction that deleted them: record the gold spans among these."""
    _change(repo, spans, (), ends=spans, remove=True)


def note_links_removed(repo: Repository, relations: Sequence[Relation]) -> None:
    """Inside the transaction that deleted them (their ends still stored): record gold links."""
    _change(repo, (), relations, ends=(), remove=True)


def note_restored(repo: Repository, spans: Sequence[Span], relations: Sequence[Relation]) -> None:
    """Inside the transaction that put them back: forget their removal."""
    _change(repo, spans, relations, ends=spans, remove=False)


def note_changed(repo: Repository, before: Span, after: Span) -> None:
    """Inside the transaction that moved or relabelled a span: for a gold span, its old place
    counts as removed (a merge must not bring the agreed span back beside the changed one)
    and its new place as not."""
    if span_key(before) == span_key(after):
        return
    _change(repo, [before], (), ends=(), remove=True)
    _change(repo, [after], (), ends=(), remove=False)
