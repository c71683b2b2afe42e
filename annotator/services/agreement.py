"""Inter-annotator agreement over the documents that every chosen annotator worked on.

A document counts as worked on by an annotator when it holds a span of theirs or when they
gave it a status other than new (read and found to hold nothing is an answer too). The
figures are computed over the documents that all the chosen annotators worked on, the same
set for every pair, so that the pairs can be compared with each other.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.domain.agreement import AgreementReport, Layer, agreement_report
from annotator.domain.collector import paused_collection
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.store import Database

GOLD_ROLE = "gold"

Progress = Callable[[int, int], None]
"""(done, total): pairs compared, or annotators compared against the reference."""


class AgreementCancelledError(AnnotatorError):
    """The user stopped the computation."""


@dataclass(frozen=True, slots=True)
class AnnotatorChoice:
    """An annotator as agreement offers it: by name, whether the layer is a gold layer, and
    how many documents it worked on."""

    name: str
    gold: bool
    documents: int


def agreement_annotators(db: Database) -> list[AnnotatorChoice]:
    """Every annotator, gold layers included, in the order they were made."""
    with db.reading() as repo:
        roles = repo.annotator_roles()
        everyone = sorted(repo.annotators(), key=lambda a: a.id)
        worked = repo.worked_documents([a.id for a in everyone])
        return [
            AnnotatorChoice(a.name, roles.get(a.id) == GOLD_ROLE, len(worked.get(a.id, ())))
            for a in everyone
        ]


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def compute_agreement(
    db: Database,
    *,
    annotators: Sequence[str] = (),
    document_ids: Sequence[int] = (),
    labels: Sequence[str] = (),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AgreementReport:
    """Agreement of `annotators` (by name; default: everyone who worked on a document in
    scope) over the documents they all worked on (of `document_ids`, when given), for
    `labels` (by name; default: every label of the schema).

    `progress(done, total)` hears of each pair compared; when `cancelled()` turns true the
    work stops at the next pair with AgreementCancelledError.

    Raises an AnnotatorError the user can act on: an unknown annotator, label or document,
    fewer than two annotators, or no document that they all worked on.
    """

    def on_pair(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise AgreementCancelledError("agreement cancelled")
        if progress is not None:
            progress(done, total)

    with paused_collection():  # see domain.collector
        return _compute(db, annotators, document_ids, labels, on_pair)


def _compute(
    db: Database,
    annotators: Sequence[str],
    document_ids: Sequence[int],
    labels: Sequence[str],
    on_pair: Progress,
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
    return agreement_report(layers, texts, chosen_labels, on_pair=on_pair)


@dataclass(frozen=True, slots=True)
class AgainstReport:
    """Each annotator against one reference layer (gold): one two-layer report per
    annotator, each over the documents that annotator and the reference both worked on."""

    reference: str
    reports: tuple[AgreementReport, ...]
    without_shared: tuple[str, ...] = ()
    """Annotators named who share no document with the reference (so have no figures)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "against": self.reference,
            "annotators": [r.annotators[0] for r in self.reports],
            "without_shared_documents": list(self.without_shared),
            "reports": [r.to_dict() for r in self.reports],
        }


def compute_against(
    db: Database,
    *,
    against: str,
    annotators: Sequence[str] = (),
    document_ids: Sequence[int] = (),
    labels: Sequence[str] = (),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AgainstReport:
    """Each of `annotators` (default: every layer that is not a gold layer and shares a
    document with the reference) against the layer named `against`, over the documents the
    two both worked on (of `document_ids`, when given), for `labels`.

    Raises an AnnotatorError the user can act on: an unknown name, label or document, or no
    annotator that shares a document with the reference."""
    reference = against.strip()
    wanted = sorted(set(document_ids)) if document_ids else None
    with db.reading() as repo:
        everyone = sorted(repo.annotators(), key=lambda a: a.id)
        known = {a.name: a.id for a in everyone}
        roles = repo.annotator_roles()
        if reference not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise NotFoundError(f"no annotator is named {reference!r} (annotators: {listed})")
        names = [n for n in _unique(annotators) if n != reference]
        unknown = [n for n in names if n not in known]
        if unknown:
            listed = ", ".join(sorted(known))
            raise NotFoundError(f"no annotator is named {unknown[0]!r} (annotators: {listed})")
        if not names:
            names = [
                a.name for a in everyone if a.name != reference and roles.get(a.id) != GOLD_ROLE
            ]
        if wanted is not None:
            missing = sorted(set(wanted) - repo.existing_document_ids(wanted))
            if missing:
                raise NotFoundError(f"no document has the id {missing[0]}")
        worked = repo.worked_documents([known[n] for n in [reference, *names]], wanted)
    mine = worked[known[reference]]
    sharing = [n for n in names if worked[known[n]] & mine]
    if not sharing:
        where = " among those chosen" if wanted is not None else ""
        raise AnnotatorError(
            f"no annotator shares a document with {reference!r}{where}"
            + ("" if mine else f": {reference!r} has no document yet")
        )
    explicit = bool(_unique(annotators))
    reports: list[AgreementReport] = []
    for done, name in enumerate(sharing):
        if cancelled is not None and cancelled():
            raise AgreementCancelledError("agreement cancelled")
        if progress is not None:
            progress(done, len(sharing))
        reports.append(
            compute_agreement(
                db,
                annotators=[name, reference],
                document_ids=document_ids,
                labels=labels,
                cancelled=cancelled,
            )
        )
    if progress is not None:
        progress(len(sharing), len(sharing))
    without = tuple(n for n in names if n not in sharing) if explicit else ()
    return AgainstReport(reference, tuple(reports), without)


# The report as files: the same text from the command line and from the window -----------------


def agreement_rows(
    data: dict[str, Any], *, group: bool = True
) -> Iterator[tuple[str, str, str, Any]]:
    """(annotators, label or "", figure, value) for every figure of a report's `to_dict()`:
    the group's (unless `group` is false) and each pair's."""
    scopes = [("+".join(data["annotators"]), data["overall"])] if group else []
    scopes += [(" vs ".join(p["annotators"]), p) for p in data["pairs"]]
    for who, figures in scopes:
        for name, value in figures.items():
            if name not in ("annotators", "per_label", "confusion"):
                yield who, "", name, value
        for label, per_label in figures["per_label"].items():
            for name, value in per_label.items():
                yield who, label, name, value


def _csv(rows: Iterator[tuple[str, str, str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["annotators", "label", "figure", "value"])
    for who, label, name, value in rows:
        writer.writerow([who, label, name, "" if value is None else value])
    return out.getvalue()


def _against_rows(report: AgainstReport) -> Iterator[tuple[str, str, str, Any]]:
    for each in report.reports:
        data = each.to_dict()
        yield " vs ".join(data["annotators"]), "", "documents", data["documents"]
        yield from agreement_rows(data, group=False)


def report_csv(report: AgreementReport | AgainstReport) -> str:
    """The report as CSV, one figure a row (an undefined figure is an empty cell)."""
    if isinstance(report, AgainstReport):
        return _csv(_against_rows(report))
    return _csv(agreement_rows(report.to_dict()))


def report_json(report: AgreementReport | AgainstReport) -> str:
    """The report as JSON (an undefined figure is null), ending in a newline."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
