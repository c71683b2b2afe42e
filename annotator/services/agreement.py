"""Inter-annotator agreement over the documents that every chosen annotator worked on.

A document counts as worked on by an annotator when it holds a span of theirs or when they
gave it a status other than new (read and found to hold nothing is an answer too). The
figures are computed over the documents that all the chosen annotators worked on, the same
set for every pair, so that the pairs can be compared with each other.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from annotator.domain.agreement import AgreementReport, Layer, agreement_report
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.store import Database


@contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while the spans of a corpus are read and compared: they
    hold no cycles, and the collector's passes over them cost more than the work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def compute_agreement(
    db: Database,
    *,
    annotators: Sequence[str] = (),
    document_ids: Sequence[int] = (),
    labels: Sequence[str] = (),
) -> AgreementReport:
    """Agreement of `annotators` (by name; default: everyone who worked on a document in
    scope) over the documents they all worked on (of `document_ids`, when given), for
    `labels` (by name; default: every label of the schema).

    Raises an AnnotatorError the user can act on: an unknown annotator, label or document,
    fewer than two annotators, or no document that they all worked on.
    """
    with _bulk():
        return _compute(db, annotators, document_ids, labels)


def _compute(
    db: Database, annotators: Sequence[str], document_ids: Sequence[int], labels: Sequence[str]
) -> AgreementReport:
    with db.reading() as repo:
        known = {a.name: a.id for a in repo.annotators()}
        schema_labels = [label.name for label in repo.labels()]
        chosen_labels = _unique(labels) or schema_labels
        unknown_labels = [name for name in chosen_labels if name not in schema_labels]
        if unknown_labels:
            raise NotFoundError(
                f"no label is named {unknown_labels[0]!r} (labels: {', '.join(schema_labels)})"
            )
        wanted_documents = sorted(set(document_ids)) if document_ids else None
        if wanted_documents is not None:
            missing = sorted(set(wanted_documents) - repo.existing_document_ids(wanted_documents))
            if missing:
                raise NotFoundError(f"no document has the id {missing[0]}")
        names = _unique(annotators)
        unknown = [name for name in names if name not in known]
        if unknown:
            listed = ", ".join(sorted(known)) or "none yet"
            raise NotFoundError(f"no annotator is named {unknown[0]!r} (annotators: {listed})")
        worked = repo.worked_documents(
            [known[n] for n in names] if names else list(known.values()), wanted_documents
        )
        if not names:
            names = [n for n, i in sorted(known.items(), key=lambda kv: kv[1]) if worked.get(i)]
        if len(names) < 2:
            said = f"only {names[0]!r} has" if names else "nobody has"
            raise AnnotatorError(
                "agreement needs two or more annotators: "
                + (f"{said} worked on the documents chosen" if not annotators else "name another")
            )
        ids = [known[n] for n in names]
        shared = set.intersection(*(worked[i] for i in ids))
        if not shared:
            raise AnnotatorError(
                f"{', '.join(names)} have no document that they all worked on"
                + (" among those chosen" if wanted_documents is not None else "")
            )
        scope = sorted(shared)
        spans, links = repo.agreement_layers(ids, scope)
        texts = repo.document_texts(scope)
    layers = [Layer(name, spans[i], links[i]) for name, i in zip(names, ids, strict=True)]
    return agreement_report(layers, texts, chosen_labels)
