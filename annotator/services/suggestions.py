"""Suggestions: run the engines over documents, list what they propose, accept or reject.

Suggestions are stored apart from annotations (annotator/store/suggestions.py). Accepting one is
one transaction that makes its span (with the engine and model version as provenance) and the
relations its links propose, taking the suggested targets of those links along; rejecting one
remembers it so that it is not proposed again. Both return what undo needs.

What the annotator has already done teaches the engines: the corpus's ACTOR annotations (typed
or imported) and registry names are propagated, rejected texts are not proposed again, the
reporting verbs of their claims become cues, and a model trained on finished documents (or a
spaCy pipeline named in the settings) judges new names.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.assist.base import (
    ENGINES,
    DocumentContext,
    Mention,
    Proposal,
)
from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.errors import AnnotatorError, InvalidAttributeError, InvalidRelationError
from annotator.domain.library import DocumentStatus
from annotator.domain.model import DeletedSpans, Label, Relation, Schema, Span
from annotator.domain.schema import ACTOR, CLAIM
from annotator.domain.suggestions import (
    Accepted,
    NewLink,
    NewSuggestion,
    Rejected,
    StoredModel,
    Suggestion,
)
from annotator.services.spans import restore_in
from annotator.store import Database, Repository
from annotator.store.batches import chunks

ENGINES_SETTING = "suggestions.engines"
PIPELINE_SETTING = "suggestions.spacy_pipeline"
BATCH = 50  # documents read, proposed for and stored per transaction


@dataclass(frozen=True, slots=True)
class SuggestionSettings:
    """Which engines run on this database, and a spaCy pipeline to use for actors, if any."""

    engines: tuple[str, ...] = ENGINES
    pipeline: str | None = None


def suggestion_settings(db: Database) -> SuggestionSettings:
    with db.transaction() as repo:
        engines = repo.setting(ENGINES_SETTING)
        pipeline = repo.setting(PIPELINE_SETTING)
    if not isinstance(engines, list):
        engines = list(ENGINES)
    return SuggestionSettings(
        tuple(e for e in ENGINES if e in engines), pipeline if isinstance(pipeline, str) else None
    )


def save_suggestion_settings(db: Database, settings: SuggestionSettings) -> None:
    unknown = set(settings.engines) - set(ENGINES)
    if unknown:
        raise AnnotatorError(
            f"unknown engine {sorted(unknown)[0]!r}; the engines are {', '.join(ENGINES)}"
        )
    with db.transaction() as repo:
        repo.set_setting(ENGINES_SETTING, [e for e in ENGINES if e in settings.engines])
        repo.set_setting(PIPELINE_SETTING, (settings.pipeline or "").strip() or None)


# --- What the engines know -------------------------------------------------------------------


@dataclass(frozen=True)
class Teaching:
    """What the annotations of the corpus teach the engines, read once per run."""

    knowledge: Any  # annotator.assist.actors.ActorKnowledge (imported lazily: spaCy, regex)
    cues: frozenset[str]
    model_version: str = ""  # of the learned model or pipeline the actor engine uses


def marked_names(
    repo: Repository,
    label_id: int,
    actor_keys: dict[int, str],
    *,
    include: Collection[int] | None = None,
    exclude: Collection[int] = (),
) -> list[Any]:
    """The texts annotated with this label across the corpus (or in `include` only), with
    their kinds, registry keys and how often: what the actor engine propagates."""
    from annotator.assist.actors import MarkedName

    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for document_id, quote, actor_id, attributes in repo.label_spans(label_id):
        if document_id in exclude or (include is not None and document_id not in include):
            continue
        kind = attributes.get("kind")
        key = actor_keys.get(actor_id) if actor_id is not None else None
        counts[(quote, kind if isinstance(kind, str) else None, key)] += 1
    return [MarkedName(q, kind, key, n) for (q, kind, key), n in counts.items()]


def _cues(repo: Repository, schema: Schema) -> frozenset[str]:
    claim = schema.label_named(CLAIM)
    if claim is None:
        return frozenset()
    verbs = set()
    for _, _, _, attributes in repo.label_spans(claim.id):
        verb = attributes.get("reporting_verb")
        if isinstance(verb, str) and verb.strip() and len(verb) < 40:
            verbs.add(verb.strip().lower())
    return frozenset(verbs)


def _teaching(
    repo: Repository,
    schema: Schema,
    *,
    exclude: Collection[int] = (),
    model: Any = None,
    use_stored_model: bool = True,
) -> Teaching:
    from annotator.assist.actors import ActorKnowledge, GazetteerEntry, RegistryActor

    actors = repo.actors()
    actor_label = schema.label_named(ACTOR)
    marked = (
        marked_names(repo, actor_label.id, {a.id: a.key for a in actors}, exclude=exclude)
        if actor_label
        else []
    )
    rejected = repo.rejected_quotes(actor_label.id) if actor_label else {}
    if model is None and use_stored_model:
        model = _actor_model(repo)
    knowledge = ActorKnowledge(
        registry=tuple(RegistryActor(a.key, a.name, a.kind, a.aliases) for a in actors),
        marked=tuple(marked),
        gazetteer=tuple(GazetteerEntry(name, kind) for name, kind in repo.gazetteer()),
        rejected=rejected,
        model=model,
    )
    return Teaching(knowledge, _cues(repo, schema), model.version if model else "")


_pipelines: dict[str, Any] = {}
_pipelines_lock = threading.Lock()


def _actor_model(repo: Repository) -> Any:
    """The spaCy pipeline named in the settings, else the newest learned model, else None."""
    name = repo.setting(PIPELINE_SETTING)
    if isinstance(name, str) and name:
        with _pipelines_lock:
            if name not in _pipelines:
                from annotator.assist.actor_model import load_pipeline

                try:
                    _pipelines[name] = load_pipeline(name)
                except (OSError, ImportError, ValueError) as exc:
                    raise AnnotatorError(
                        f"cannot load the spaCy pipeline {name!r} named in the suggestion "
                        f"settings: {exc}"
                    ) from exc
            return _pipelines[name]
    stored = repo.latest_actor_model()
    if stored is None:
        return None
    from annotator.assist.actor_model import LearnedActorModel

    return LearnedActorModel.from_bytes(stored.data)


# --- Running the engines ---------------------------------------------------------------------


@dataclass
class SuggestReport:
    documents: int = 0
    by_engine: Counter[str] = field(default_factory=Counter)
    cancelled: bool = False

    @property
    def total(self) -> int:
        return sum(self.by_engine.values())

    def summary(self) -> str:
        counts = ", ".join(f"{self.by_engine[e]} {e}" for e in ENGINES if e in self.by_engine)
        what = f"{self.total} suggestion{'' if self.total == 1 else 's'}"
        docs = f"{self.documents} document{'' if self.documents == 1 else 's'}"
        done = f"{what} in {docs}" + (f" ({counts})" if counts else "")
        return done + ("; cancelled, what finished is kept" if self.cancelled else "")


def _context(
    repo: Repository,
    document_id: int,
    schema: Schema,
    actor_keys: dict[int, str],
    spans: Sequence[Span],
) -> DocumentContext:
    document = repo.document(document_id)
    names = {label.id: label.name for label in schema.labels}
    annotations = [
        Mention(
            s.start,
            s.end,
            names.get(s.label_id, ""),
            dict(s.attributes),
            actor_keys.get(s.actor_id) if s.actor_id is not None else None,
        )
        for s in spans
    ]
    rejected = frozenset(
        (start, end, names[label_id])
        for label_id, start, end in repo.rejected_keys(document_id)
        if label_id in names
    )
    return DocumentContext(
        text=document.text,
        published=document.meta.published,
        language=document.meta.language,
        title=document.meta.title,
        annotations=tuple(annotations),
        rejected=rejected,
    )


_DROPPED = object()


def _checked_attributes(
    label: Label, values: dict[str, Any], memo: dict[tuple[int, str, type, Any], Any] | None = None
) -> dict[str, Any]:
    """The engine's values that the label defines and allows; the rest are left out.

    `memo` keeps the verdict on each (label, attribute, value) across one run's proposals: a
    1 MB article repeats a few thousand values among twenty thousand proposals.
    """
    kept: dict[str, Any] = {}
    for definition in label.attributes:
        if definition.name not in values:
            continue
        raw = values[definition.name]
        if memo is not None and isinstance(raw, str | bool | int | float):
            key = (label.id, definition.name, type(raw), raw)  # True == 1, but not as a value
            if key not in memo:
                memo[key] = _check_value(definition, raw)
            value = memo[key]
        else:
            value = _check_value(definition, raw)
        if value is not _DROPPED and value is not None:
            kept[definition.name] = value
    return kept


def _check_value(definition: AttributeDef, value: Any) -> Any:
    from annotator.assist.dates import parse_date_value

    try:
        value = definition.check(value)
        if value is not None and definition.kind is AttributeKind.DATE:
            value = parse_date_value(value).value
    except (InvalidAttributeError, ValueError):
        return _DROPPED
    return value


def proposals_to_store(
    proposals: Sequence[Proposal],
    context: DocumentContext,
    schema: Schema,
    span_ids: dict[tuple[int, int, str], int],
    actor_ids: dict[str, int],
    versions: dict[str, str],
) -> list[NewSuggestion]:
    """The engines' proposals as rows: labels and relation types by id, links resolved to an
    annotation at the target's offsets or to another proposal of the same run."""
    labels = {label.name: label for label in schema.labels}
    index: dict[tuple[int, int, str], int] = {}
    kept: list[Proposal] = []
    for proposal in proposals:
        if proposal.label in labels and proposal.key not in index:
            index[proposal.key] = len(kept)
            kept.append(proposal)
    items = []
    memo: dict[tuple[int, str, type, Any], Any] = {}
    for proposal in kept:
        label = labels[proposal.label]
        links = []
        for relation in proposal.relations:
            relation_type = schema.relation_type_named(relation.type)
            target_label = labels.get(relation.target[2])
            if relation_type is None or target_label is None:
                continue
            if not relation_type.allows(label.id, target_label.id):
                continue
            if relation.target in span_ids:
                links.append(NewLink(relation_type.id, target_span_id=span_ids[relation.target]))
            elif relation.target in index:
                links.append(NewLink(relation_type.id, target_index=index[relation.target]))
        items.append(
            NewSuggestion(
                start=proposal.start,
                end=proposal.end,
                label_id=label.id,
                engine=proposal.engine,
                score=proposal.score,
                attributes=_checked_attributes(label, dict(proposal.attributes), memo),
                actor_id=actor_ids.get(proposal.actor_key) if proposal.actor_key else None,
                model_version=versions.get(proposal.engine, __version__),
                rule=proposal.rule,
                links=tuple(links),
            )
        )
    return items


def run_suggestions(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    engines: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SuggestReport:
    """Run the engines over documents (all when None) and store what they propose, replacing
    their earlier suggestions there. The two steps the window takes (annotator/services/
    proposals.py): the engines read, then a batch of documents is stored in one short
    transaction, so an annotator writing meanwhile is never locked out. `cancelled` is asked
    before each document, and a cancelled run keeps every document that finished. `progress`
    hears (done, total) after each batch. `engines` defaults to those switched on for the
    database."""
    from annotator.assist.pipeline import collector_paused
    from annotator.services.proposals import Proposed, propose_suggestions, store_proposed

    chosen = tuple(engines) if engines else suggestion_settings(db).engines
    unknown = set(chosen) - set(ENGINES)
    if unknown:
        raise AnnotatorError(
            f"unknown engine {sorted(unknown)[0]!r}; the engines are {', '.join(ENGINES)}"
        )
    with db.transaction() as repo:
        ids = list(document_ids) if document_ids else list(_all_document_ids(repo))
        missing = sorted(set(ids) - set(repo.existing_document_ids(ids)))
    if missing:
        raise AnnotatorError(f"document {missing[0]} does not exist")
    report = SuggestReport()
    pending: list[Proposed] = []

    def store() -> None:
        # Storing twenty thousand suggestions makes as many objects as proposing them.
        with collector_paused():
            report.by_engine.update(store_proposed(db, pending))
        report.documents += len(pending)
        pending.clear()
        if progress is not None:
            progress(report.documents, len(ids))

    for proposed in propose_suggestions(db, document_ids=ids, engines=chosen, cancelled=cancelled):
        pending.append(proposed)
        if len(pending) == BATCH:
            store()
    if pending:
        store()
    report.cancelled = report.documents < len(ids) and bool(cancelled and cancelled())
    return report


def _no_knowledge() -> Any:
    from annotator.assist.actors import NO_KNOWLEDGE

    return NO_KNOWLEDGE


def _all_document_ids(repo: Repository) -> Iterator[int]:
    after = 0
    while page := repo.document_ids(after=after, limit=1000):
        yield from page
        after = page[-1]


def list_suggestions(db: Database, *, document_id: int) -> list[Suggestion]:
    with db.transaction() as repo:
        return repo.suggestions(document_id)


def suggestion_counts(db: Database, *, document_ids: Sequence[int] | None = None) -> dict[str, int]:
    with db.transaction() as repo:
        return repo.suggestion_counts(document_ids)


# --- Deciding --------------------------------------------------------------------------------


def accept_suggestions(
    db: Database,
    *,
    suggestion_ids: Sequence[int],
    annotator_id: int,
    label_id: int | None = None,
) -> Accepted:
    """Accept suggestions in one transaction: each becomes a span (or joins an identical span
    already there), with the relations its links propose; a link's suggested target is
    accepted with it. Links of other suggestions to the accepted ones now point at the spans.
    `label_id` accepts a single suggestion under another label (its attributes that the other
    label does not define are left out)."""
    if label_id is not None and len(suggestion_ids) != 1:
        raise AnnotatorError("a label can be chosen when accepting one suggestion only")
    with db.transaction() as repo:
        return _accept(repo, list(suggestion_ids), annotator_id, label_id)


def accept_label(db: Database, *, document_id: int, label_id: int, annotator_id: int) -> Accepted:
    """Accept every suggestion of one label in a document, in one transaction."""
    with db.transaction() as repo:
        ids = [s.id for s in repo.suggestions(document_id) if s.label_id == label_id]
        return _accept(repo, ids, annotator_id, None)


def _accept(
    repo: Repository, suggestion_ids: list[int], annotator_id: int, label_id: int | None
) -> Accepted:
    wanted = repo.suggestions_by_ids(suggestion_ids)
    if len(wanted) != len(set(suggestion_ids)):
        raise AnnotatorError("that suggestion is gone (accepted, rejected or run again)")
    by_id = {s.id: s for s in wanted}
    # The suggested targets of their links come along, as they were before anything changed.
    targets = {
        link.target_suggestion_id
        for s in wanted
        for link in s.links
        if link.target_suggestion_id is not None and link.target_suggestion_id not in by_id
    }
    by_id.update({s.id: s for s in repo.suggestions_by_ids(targets)})
    originals = dict(by_id)
    schema = repo.schema()
    made: dict[int, Span] = {}
    new_ids: list[int] = []
    for suggestion in by_id.values():
        label = schema.label(
            label_id
            if label_id is not None and suggestion.id in suggestion_ids
            else suggestion.label_id
        )
        attributes = (
            dict(suggestion.attributes)
            if label.id == suggestion.label_id
            else _checked_attributes(label, dict(suggestion.attributes))
        )
        existing = repo.span_with(
            suggestion.document_id, label.id, suggestion.start, suggestion.end
        )
        if existing is not None:
            made[suggestion.id] = existing
            continue
        span = repo.add_span(
            document_id=suggestion.document_id,
            start=suggestion.start,
            end=suggestion.end,
            label_id=label.id,
            annotator_id=annotator_id,
            quote=suggestion.quote,
            attributes=attributes,
            actor_id=suggestion.actor_id if label.name == ACTOR else None,
            origin=suggestion.engine,
            origin_version=suggestion.model_version or None,
        )
        made[suggestion.id] = span
        new_ids.append(span.id)
    relations: list[Relation] = []
    for suggestion in by_id.values():
        source = made[suggestion.id]
        for link in suggestion.links:
            if link.target_span_id is not None:
                target_id = link.target_span_id
            elif link.target_suggestion_id in made:
                target_id = made[link.target_suggestion_id].id
            else:
                continue
            try:
                relations.append(
                    repo.add_relation(
                        type_id=link.type_id,
                        source_id=source.id,
                        target_id=target_id,
                        annotator_id=annotator_id,
                    )
                )
            except InvalidRelationError:
                continue  # already linked, or a label changed on accepting: nothing to add
    repointed = [
        (link_id, old)
        for link_id, from_id, old in repo.links_to_suggestions(list(by_id))
        if from_id not in by_id
    ]
    repo.repoint_suggestion_links([(link_id, made[old].id, None) for link_id, old in repointed])
    repo.delete_suggestions(list(by_id))
    _mark_in_progress(repo, {s.document_id for s in by_id.values()}, annotator_id)
    return Accepted(
        spans=tuple(made[suggestion_id] for suggestion_id in originals),
        relations=tuple(relations),
        suggestions=tuple(originals.values()),
        repointed=tuple(repointed),
        new_span_ids=tuple(new_ids),
    )


def _mark_in_progress(repo: Repository, document_ids: Collection[int], annotator_id: int) -> None:
    # As a span made by hand does: a new document becomes "in progress" with its first span.
    for document_id in document_ids:
        status = repo.document_status(document_id=document_id, annotator_id=annotator_id)
        if status is DocumentStatus.NEW:
            repo.set_status(
                document_id=document_id,
                annotator_id=annotator_id,
                status=DocumentStatus.IN_PROGRESS,
            )


def undo_accept(db: Database, *, accepted: Accepted) -> None:
    """Take back what accepting made and put the suggestions back as they were."""
    with db.transaction() as repo:
        repo.restore_suggestions(accepted.suggestions)
        repo.repoint_suggestion_links([(link, None, old) for link, old in accepted.repointed])
        repo.delete_relations([r.id for r in accepted.relations])
        repo.delete_spans(list(accepted.new_span_ids))


def redo_accept(db: Database, *, accepted: Accepted) -> None:
    """Accept again after `undo_accept`, exactly: the same span and relation ids, so that later
    edits to them (redone after this) find them."""
    new = set(accepted.new_span_ids)
    with db.transaction() as repo:
        restore_in(
            repo,
            DeletedSpans(
                tuple(span for span in accepted.spans if span.id in new), accepted.relations
            ),
        )
        span_of = dict(zip((s.id for s in accepted.suggestions), _span_ids(accepted), strict=True))
        repo.repoint_suggestion_links(
            [(link, span_of[old], None) for link, old in accepted.repointed]
        )
        repo.delete_suggestions([s.id for s in accepted.suggestions])


def _span_ids(accepted: Accepted) -> list[int]:
    # `spans` and `suggestions` are in the same order: one span per accepted suggestion.
    return [span.id for span in accepted.spans]


def reject_suggestion(db: Database, *, suggestion_id: int, annotator_id: int) -> Rejected:
    """Turn a suggestion down: it goes, and is not proposed again at these offsets."""
    with db.transaction() as repo:
        found = repo.suggestions_by_ids([suggestion_id])
        if not found:
            raise AnnotatorError("that suggestion is gone (accepted, rejected or run again)")
        suggestion = found[0]
        incoming = tuple(
            (link_id, from_id, type_id)
            for link_id, from_id, type_id in _incoming(repo, suggestion_id)
        )
        rejection = repo.add_rejection(suggestion, annotator_id)
        repo.delete_suggestions([suggestion_id])
        return Rejected(suggestion, rejection, incoming)


def _incoming(repo: Repository, suggestion_id: int) -> list[tuple[int, int, int]]:
    found = []
    for link_id, from_id, _ in repo.links_to_suggestions([suggestion_id]):
        (source,) = repo.suggestions_by_ids([from_id])
        type_id = next(link.type_id for link in source.links if link.id == link_id)
        found.append((link_id, from_id, type_id))
    return found


def undo_reject(db: Database, *, rejected: Rejected) -> None:
    with db.transaction() as repo:
        repo.delete_rejection(rejected.rejection_id)
        repo.restore_suggestions([rejected.suggestion])
        repo.restore_links(rejected.suggestion.id, rejected.incoming)


# --- Learning --------------------------------------------------------------------------------


def training_examples(
    repo: Repository, schema: Schema, document_ids: Sequence[int]
) -> list[tuple[str, list[tuple[int, int, str | None]]]]:
    actor = schema.label_named(ACTOR)
    examples = []
    for document_id in document_ids:
        spans = [
            (s.start, s.end, s.attributes.get("kind"))
            for s in repo.spans(document_id)
            if actor is not None and s.label_id == actor.id
        ]
        examples.append((repo.document(document_id).text, spans))
    return examples


def finished_documents(repo: Repository) -> list[int]:
    """Documents someone marked done, in the order they were finished."""
    return repo.done_documents()


def train_actor_model(
    db: Database, *, cancelled: Callable[[], bool] | None = None
) -> StoredModel | None:
    """Learn actors from the finished documents and store the model the actor engine uses;
    None when no finished document has an ACTOR span. Runs for seconds: call it off the GUI
    thread. A model already trained on the same data is not trained again."""
    from annotator.assist.actor_model import train_actor_model as train

    with db.transaction() as repo:
        schema = repo.schema()
        ids = finished_documents(repo)
        examples = training_examples(repo, schema, ids)
        current = repo.latest_actor_model()
    if not any(spans for _, spans in examples):
        return None
    model = train(examples, cancelled=cancelled)
    if current is not None and current.version == model.version:
        return current
    stored = StoredModel(
        model.version, len(examples), sum(len(spans) for _, spans in examples), model.to_bytes()
    )
    with db.transaction() as repo:
        repo.save_actor_model(stored)
    return stored


def actor_model_info(db: Database) -> StoredModel | None:
    with db.transaction() as repo:
        stored = repo.latest_actor_model()
    return None if stored is None else replace(stored, data=b"")


def import_gazetteer(db: Database, *, path: Path) -> int:
    """Add the names of a gazetteer file (a name and a kind per line); how many were new."""
    from annotator.assist.actors import read_gazetteer

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotatorError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise AnnotatorError(f"cannot read {path}: {exc.strerror or exc}") from exc
    entries = read_gazetteer(text, origin=str(path))
    with db.transaction() as repo:
        return repo.add_gazetteer([(e.name, e.kind) for e in entries])


def gazetteer_size(db: Database) -> int:
    with db.transaction() as repo:
        return len(repo.gazetteer())


# --- JSON Lines ------------------------------------------------------------------------------


def suggestion_records(
    db: Database, *, document_ids: Sequence[int] | None = None, engines: Collection[str] = ENGINES
) -> Iterator[dict[str, Any]]:
    """One record per stored suggestion, in document and text order: offsets of the stored
    text in code points, end exclusive; each link's target (an annotation or a suggestion) by
    offsets, label and quote."""
    with db.transaction() as repo:
        ids = list(document_ids) if document_ids else list(_all_document_ids(repo))
        schema = repo.schema()
    names = {label.id: label.name for label in schema.labels}
    types = {t.id: t.name for t in schema.relation_types}
    for batch in chunks(ids, BATCH):
        with db.transaction() as repo:
            for document_id in batch:
                suggestions = [s for s in repo.suggestions(document_id) if s.engine in engines]
                if not suggestions:
                    continue
                document = repo.document(document_id)
                by_id = {s.id: s for s in repo.suggestions(document_id)}
                spans = {s.id: s for s in repo.spans(document_id)}
                head = {"id": document.id, "sha256": document.sha256, "title": document.title}
                for s in suggestions:
                    relations = []
                    for link in s.links:
                        target: Span | Suggestion | None = (
                            spans.get(link.target_span_id)
                            if link.target_span_id is not None
                            else by_id.get(link.target_suggestion_id or -1)
                        )
                        if target is None:
                            continue
                        relations.append(
                            {
                                "type": types.get(link.type_id, ""),
                                "target": {
                                    "start": target.start,
                                    "end": target.end,
                                    "label": names.get(target.label_id, ""),
                                    "quote": target.quote,
                                    "suggested": isinstance(target, Suggestion),
                                },
                            }
                        )
                    yield {
                        "document": head,
                        "start": s.start,
                        "end": s.end,
                        "label": names.get(s.label_id, ""),
                        "quote": s.quote,
                        "attributes": dict(s.attributes),
                        "relations": relations,
                        "engine": s.engine,
                        "score": round(s.score, 4),
                    }


def write_suggestions_jsonl(
    db: Database,
    *,
    path: Path,
    document_ids: Sequence[int] | None = None,
    engines: Collection[str] = ENGINES,
) -> int:
    """Write the suggestions as JSON Lines, atomically; how many were written."""
    import json
    import os
    import tempfile

    count = 0
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            for record in suggestion_records(db, document_ids=document_ids, engines=engines):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        Path(partial).replace(path)
    except OSError as exc:
        Path(partial).unlink(missing_ok=True)
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return count
