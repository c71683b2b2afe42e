"""How good the suggestions are on this database, as INCEpTION's recommender evaluation shows.

Two measures, per engine and label:

- **Decisions**: what the annotator did with the suggestions. Precision is accepted over
  accepted and rejected; recall counts the spans of that label made by hand in documents the
  engine made suggestions for as missed.
- **Finished documents**: each document marked done is suggested for again as if it were new
  (no annotations, and only what the *other* finished documents teach: their marked names),
  and the suggestions are compared with its annotations (overlap for actors and dates,
  Jaccard >= 0.5 for claims), with date value-F1 and SOURCE accuracy.

And the actor learning curve: the engine taught by the first k finished documents (their
marked names and a model trained on them), scored on the documents finished after them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.analysis.suggestions import (
    Counts,
    EvalDocument,
    EvalRelation,
    EvalSpan,
    Evaluation,
    label_counts,
)
from annotator.assist.base import ACTORS, CLAIMS, DATES, ENGINES, DocumentContext, Proposal
from annotator.domain.schema import ACTOR, CLAIM, DATE
from annotator.services.suggestions import (
    MarkKey,
    as_marked_names,
    marks_by_document,
    training_examples,
)
from annotator.store import Database, Repository

if TYPE_CHECKING:
    from annotator.assist.actors import ActorKnowledge, ActorModel

ENGINE_OF_LABEL = {ACTOR: ACTORS, DATE: DATES, CLAIM: CLAIMS}
CURVE_SIZES = (0, 1, 2, 4, 8, 16)


@dataclass(frozen=True, slots=True)
class QualityRow:
    engine: str
    label: str
    basis: str  # "decisions" or "finished documents"
    tp: int
    fp: int
    fn: int

    @property
    def counts(self) -> Counts:
        return Counts(self.tp, self.fp, self.fn)


@dataclass(frozen=True, slots=True)
class CurvePoint:
    documents: int  # finished documents the actor engine learned from
    evaluated: int  # documents it was scored on
    tp: int
    fp: int
    fn: int

    @property
    def counts(self) -> Counts:
        return Counts(self.tp, self.fp, self.fn)


@dataclass(frozen=True, slots=True)
class QualityReport:
    rows: tuple[QualityRow, ...]
    curve: tuple[CurvePoint, ...]
    finished: int  # finished documents
    date_values: tuple[int, int, int] = (0, 0, 0)  # tp, fp, fn on finished documents
    sources: tuple[int, int] = (0, 0)  # right SOURCE actor, matched claims with a SOURCE
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class _Names:
    """Label, relation type and actor names by id, read once per measurement."""

    labels: dict[int, str]
    types: dict[int, str]
    actor_keys: dict[int, str]

    @classmethod
    def read(cls, repo: Repository) -> _Names:
        schema = repo.schema()
        return cls(
            {label.id: label.name for label in schema.labels},
            {t.id: t.name for t in schema.relation_types},
            {a.id: a.key for a in repo.actors()},
        )


def document_as_gold(repo: Repository, document_id: int, names: _Names) -> EvalDocument:
    """A document's annotations (every annotator's) as scoring input."""
    spans = tuple(
        EvalSpan(
            s.start,
            s.end,
            names.labels.get(s.label_id, ""),
            value=value if isinstance(value := s.attributes.get("value"), str) else None,
            identity=names.actor_keys.get(s.actor_id) if s.actor_id is not None else None,
            ref=str(s.id),
        )
        for s in repo.spans(document_id)
    )
    relations = tuple(
        EvalRelation(names.types.get(r.type_id, ""), str(r.source_id), str(r.target_id))
        for r in repo.relations(document_id)
    )
    return EvalDocument(spans, relations)


def proposals_as_eval(proposals: Sequence[Proposal]) -> EvalDocument:
    """Engine proposals as scoring input; relations point at targets by their keys."""
    spans = []
    relations = []
    for p in proposals:
        ref = f"{p.start}:{p.end}:{p.label}"
        value = p.attributes.get("value")
        spans.append(
            EvalSpan(
                p.start,
                p.end,
                p.label,
                value=value if isinstance(value, str) else None,
                identity=p.actor_key,
                ref=ref,
            )
        )
        for r in p.relations:
            start, end, label = r.target
            relations.append(EvalRelation(r.type, ref, f"{start}:{end}:{label}"))
    return EvalDocument(tuple(spans), tuple(relations))


def _fresh_context(repo: Repository, document_id: int) -> DocumentContext:
    document = repo.document(document_id)
    return DocumentContext(
        text=document.text,
        published=document.meta.published,
        language=document.meta.language,
        title=document.meta.title,
    )


_Marks = dict[int, Counter[MarkKey]]
"""Per document, its counted marks."""


def _marks(repo: Repository, names: _Names, documents: Collection[int]) -> _Marks:
    schema = repo.schema()
    actor = schema.label_named(ACTOR)
    if actor is None:
        return {}
    return marks_by_document(repo, actor.id, names.actor_keys, include=set(documents))


def _knowledge(
    marks: _Marks, documents: Collection[int], model: ActorModel | None
) -> ActorKnowledge:
    """What these documents' marks teach the actor engine. No registry: it holds the names of
    the document being scored, which would make the figures look better than a new document
    would find them."""
    from annotator.assist.actors import ActorKnowledge

    counts: Counter[MarkKey] = Counter()
    for document_id in documents:
        counts.update(marks.get(document_id, {}))
    return ActorKnowledge(marked=tuple(as_marked_names(counts)), model=model)


def suggestion_quality(
    db: Database,
    *,
    curve_sizes: Sequence[int] = CURVE_SIZES,
    train: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> QualityReport:
    """Every figure of the quality view. Scoring finished documents runs the engines once per
    document and trains one model per point of the curve: seconds to minutes, so call it off
    the GUI thread. `train=False` leaves the model out of the curve (marked names only)."""
    from annotator.assist.pipeline import propose

    with db.transaction() as repo:
        names = _Names.read(repo)
        rows = _decision_rows(repo, names.labels)
        finished = repo.done_documents()
        marks = _marks(repo, names, finished)
    sizes = [k for k in curve_sizes if k < len(finished)]
    steps = len(finished) + len(sizes)
    step = 0
    evaluation = Evaluation()
    for document_id in finished:
        if cancelled is not None and cancelled():
            return QualityReport(tuple(rows), (), len(finished), cancelled=True)
        with db.transaction() as repo:
            others = [d for d in finished if d != document_id]
            knowledge = _knowledge(marks, others, model=None)
            context = _fresh_context(repo, document_id)
            proposals = propose(context, engines=ENGINES, knowledge=knowledge)
            gold = document_as_gold(repo, document_id, names)
            evaluation.add_document(proposals_as_eval(proposals), gold)
        step += 1
        if progress is not None:
            progress(step, steps)
    for label, counts in sorted(evaluation.jaccard.items()):
        if label == CLAIM:
            rows.append(_row(label, "finished documents", counts))
    for label, counts in sorted(evaluation.overlap.items()):
        if label != CLAIM:
            rows.append(_row(label, "finished documents", counts))
    curve = []
    for k in sizes:
        if cancelled is not None and cancelled():
            break
        curve.append(_curve_point(db, finished, k, train, names, marks))
        step += 1
        if progress is not None:
            progress(step, steps)
    values = evaluation.date_values
    return QualityReport(
        rows=tuple(rows),
        curve=tuple(curve),
        finished=len(finished),
        date_values=(values.tp, values.fp, values.fn),
        sources=(evaluation.source.right_actor, evaluation.source.claims),
        cancelled=cancelled() if cancelled is not None else False,
    )


def _row(label: str, basis: str, counts: Counts) -> QualityRow:
    return QualityRow(ENGINE_OF_LABEL.get(label, ""), label, basis, counts.tp, counts.fp, counts.fn)


def _decision_rows(repo: Repository, names: dict[int, str]) -> list[QualityRow]:
    rows = []
    for (engine, label_id), decided in sorted(repo.decision_counts().items()):
        missed = repo.hand_made_spans_where(engine=engine, label_id=label_id)
        rows.append(
            QualityRow(
                engine,
                names.get(label_id, "?"),
                "decisions",
                decided.get("accepted", 0),
                decided.get("rejected", 0),
                missed,
            )
        )
    return rows


def _curve_point(
    db: Database, finished: Sequence[int], k: int, train: bool, names: _Names, marks: _Marks
) -> CurvePoint:
    from annotator.assist.actors import find_actors

    learned, scored = list(finished[:k]), list(finished[k:])
    model: ActorModel | None = None
    if train and k:
        with db.transaction() as repo:
            examples = training_examples(repo, repo.schema(), learned)
        # Trained with no transaction open: it takes seconds.
        if any(spans for _, spans in examples):
            from annotator.assist.actor_model import train_actor_model

            model = train_actor_model(examples)
    total = Counts()
    with db.transaction() as repo:
        knowledge = _knowledge(marks, learned, model)
        for document_id in scored:
            gold = document_as_gold(repo, document_id, names)
            proposals = find_actors(_fresh_context(repo, document_id), knowledge)
            predicted = proposals_as_eval(proposals)
            counts = label_counts(
                predicted.spans, [s for s in gold.spans if s.label == ACTOR], "overlap"
            )
            total.add(counts.get(ACTOR, Counts()))
    return CurvePoint(k, len(scored), total.tp, total.fp, total.fn)
