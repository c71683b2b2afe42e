"""Suggestions: run the engines over documents, store and list what they propose, learn.

Suggestions are stored apart from annotations (annotator/store/suggestions.py); deciding on them
(accept, reject, undo) is annotator/services/decisions.py.

What the annotator has already done teaches the engines: the corpus's ACTOR annotations (typed
or imported) and registry names are propagated, rejected texts are not proposed again, the
reporting verbs of their claims become cues, and a model trained on finished documents (or a
spaCy pipeline named in the settings) judges new names.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from annotator import __version__
from annotator.assist.base import (
    ACTORS,
    CLAIMS,
    DATES,
    ENGINES,
    DocumentContext,
    Mention,
    Proposal,
)
from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.collector import paused_collection
from annotator.domain.errors import AnnotatorError, InvalidAttributeError
from annotator.domain.model import Label, Schema, Span
from annotator.domain.schema import ACTOR, CLAIM
from annotator.domain.suggestions import (
    NewLink,
    NewSuggestion,
    StoredModel,
    Suggestion,
)
from annotator.services.documents import iter_document_ids
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


MarkKey = tuple[str, str | None, str | None]
"""A marked text with its kind and registry key."""


def marks_by_document(
    repo: Repository,
    label_id: int,
    actor_keys: dict[int, str],
    *,
    include: Collection[int] | None = None,
) -> dict[int, Counter[MarkKey]]:
    """Per document (all, or those in `include`), how often each text is annotated with this
    label, with its kind and registry key."""
    found: dict[int, Counter[MarkKey]] = {}
    for document_id, quote, actor_id, attributes in repo.label_spans(label_id):
        if include is not None and document_id not in include:
            continue
        kind = attributes.get("kind")
        key = actor_keys.get(actor_id) if actor_id is not None else None
        found.setdefault(document_id, Counter())[
            (quote, kind if isinstance(kind, str) else None, key)
        ] += 1
    return found


def as_marked_names(counts: Counter[MarkKey]) -> list[Any]:
    """Counted marks as what the actor engine propagates (MarkedName)."""
    from annotator.assist.actors import MarkedName

    return [MarkedName(q, kind, key, n) for (q, kind, key), n in counts.items() if n > 0]


MARKS_READ = 200_000
"""How many of a label's spans teach the engines: those of the newest documents. Read on
every run, so a corpus of millions of spans costs what this many do (counted in the
database, a fifth of a second), not a read of every span."""


def marked_names(repo: Repository, label_id: int, actor_keys: dict[int, str]) -> list[Any]:
    """The texts annotated with this label in the corpus (its newest `MARKS_READ` spans), with
    their kinds, registry keys and how often."""
    counts: Counter[MarkKey] = Counter()
    for quote, actor_id, attributes, n in repo.recent_label_marks(label_id, MARKS_READ):
        kind = attributes.get("kind")
        key = actor_keys.get(actor_id) if actor_id is not None else None
        counts[(quote, kind if isinstance(kind, str) else None, key)] += n
    return as_marked_names(counts)


def _cues(repo: Repository, schema: Schema) -> frozenset[str]:
    claim = schema.label_named(CLAIM)
    if claim is None:
        return frozenset()
    verbs = set()
    for attributes in repo.recent_label_attributes(claim.id, MARKS_READ):
        verb = attributes.get("reporting_verb")
        if isinstance(verb, str) and verb.strip() and len(verb) < 40:
            verbs.add(verb.strip().lower())
    return frozenset(verbs)


class _CancelledError(Exception):
    """The run was cancelled while the engines' teaching was read."""


def _teaching(
    repo: Repository, schema: Schema, cancelled: Callable[[], bool] | None = None
) -> Teaching:
    """What the corpus teaches; `cancelled` is asked between its reads (raising _CancelledError),
    so a window closing waits for one bounded read at most."""
    from annotator.assist.actors import ActorKnowledge, GazetteerEntry, RegistryActor

    def check() -> None:
        if cancelled is not None and cancelled():
            raise _CancelledError

    actors = repo.actors()
    actor_label = schema.label_named(ACTOR)
    marked = (
        marked_names(repo, actor_label.id, {a.id: a.key for a in actors}) if actor_label else []
    )
    check()
    rejected = _rejected_names(repo, actor_label.id) if actor_label else Counter()
    check()
    model = _actor_model(repo)
    check()
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


def _rejected_names(repo: Repository, label_id: int) -> Counter[str]:
    """How often each text was rejected with this label, counting a place only where every
    annotator of its document rejected it.

    The engines make one list for the whole team, so what counts against a name counts for
    everyone's suggestions: counting each annotator's own rejections (or every rejection in the
    database) would let one annotator's "no" take a name out of the others' lists in every
    document, the bias the team's separate layers exist to avoid. A place the whole team of its
    document turned down is a shared judgement, as it was when one rejection spoke for all."""
    places = repo.rejected_places(label_id)
    if not places:
        return Counter()
    audience = _Audience.of(repo)
    with_spans = repo.span_annotators({document_id for document_id, _, _ in places})
    counts: Counter[str] = Counter()
    for (document_id, _, _), (quote, who) in places.items():
        people = audience.people(document_id, with_spans.get(document_id, set()), [who])
        if not people or people <= who:
            counts[quote] += 1
    return counts


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
    rejected_keys: Collection[tuple[int, int, int]],
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
        (start, end, names[label_id]) for label_id, start, end in rejected_keys if label_id in names
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


def checked_attributes(
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
        key = proposal.key  # a property that builds its tuple: once per proposal
        if proposal.label in labels and key not in index:
            index[key] = len(kept)
            kept.append(proposal)
    items = []
    memo: dict[tuple[int, str, type, Any], Any] = {}
    # The verdict on a proposal's whole set of values, by label: a long article's twenty
    # thousand proposals carry a few hundred distinct sets (the types are in the key, as
    # True == 1 but is not the same value).
    verdicts: dict[tuple[int, tuple[Any, ...], tuple[type, ...]], dict[str, Any]] = {}
    # Which relation type links a label to a target label, by type name: asked per relation.
    linkable: dict[tuple[str, int, str], int | None] = {}
    for proposal in kept:
        label = labels[proposal.label]
        links = []
        for relation in proposal.relations:
            route = (relation.type, label.id, relation.target[2])
            if route not in linkable:
                relation_type = schema.relation_type_named(relation.type)
                target_label = labels.get(relation.target[2])
                linkable[route] = (
                    relation_type.id
                    if relation_type is not None
                    and target_label is not None
                    and relation_type.allows(label.id, target_label.id)
                    else None
                )
            type_id = linkable[route]
            if type_id is None:
                continue
            if relation.target in span_ids:
                links.append(NewLink(type_id, target_span_id=span_ids[relation.target]))
            elif relation.target in index:
                links.append(NewLink(type_id, target_index=index[relation.target]))
        values = proposal.attributes
        verdict_key = (label.id, tuple(values.items()), tuple(map(type, values.values())))
        try:
            verdict = verdicts.get(verdict_key)
        except TypeError:  # a value that cannot be a key (a list): checked on its own
            attributes = checked_attributes(label, dict(values), memo)
        else:
            if verdict is None:
                verdict = verdicts[verdict_key] = checked_attributes(label, dict(values), memo)
            attributes = dict(verdict)  # each suggestion its own dict
        items.append(
            NewSuggestion(
                start=proposal.start,
                end=proposal.end,
                label_id=label.id,
                engine=proposal.engine,
                score=proposal.score,
                attributes=attributes,
                actor_id=actor_ids.get(proposal.actor_key) if proposal.actor_key else None,
                model_version=versions.get(proposal.engine, __version__),
                rule=proposal.rule,
                links=tuple(links),
            )
        )
    return items


# --- In two steps: propose (reading only), then store ---------------------------------------

# Reading and writing in one transaction fails beside a window that writes meanwhile (the
# annotator accepting a suggestion): in a SQLite WAL database a transaction that read before
# another connection committed cannot write after it, and fails at once instead of waiting.
# So the work has two steps: `propose_suggestions` only reads (and runs the engines), which never
# contends with a write; `store_proposed` writes, in one short transaction that writes first
# (the window calls it on the thread that makes every other edit). What the annotator did
# between the two steps wins: a proposal since accepted (an annotation now has its offsets and
# label) or rejected is left out, a link to it points at the annotation instead, and links to
# spans or actors deleted meanwhile are dropped.


@dataclass(frozen=True)
class Proposed:
    """What the engines propose for one document, ready to store; `made_by` says of what
    text and by which engines (see `found_nothing_before`)."""

    document_id: int
    engines: tuple[str, ...]
    items: tuple[NewSuggestion, ...]
    made_by: dict[str, Any] | None = None


_NOTHING_FOUND = "suggestions.nothing_found:"
"""A setting per document where a run found nothing to propose: which text (SHA-256) and
which engines of which versions. A document without suggestions is proposed for when it is
opened; without this, one where the engines find nothing would be read again at each start."""


def _made_by(repo: Repository, engines: Sequence[str]) -> dict[str, Any]:
    """The engines a run uses, as `_NOTHING_FOUND` keeps them: the app's version, and the
    actor model's (a learned model's version, or the name of the spaCy pipeline in the
    settings)."""
    model = ""
    if ACTORS in engines:
        pipeline = repo.setting(PIPELINE_SETTING)
        if isinstance(pipeline, str) and pipeline:
            model = f"pipeline:{pipeline}"
        else:
            stored = repo.latest_actor_model()
            model = stored.version if stored is not None else ""
    return {
        "engines": sorted(engines),
        "version": __version__,
        "model": model,
    }


def found_nothing_before(db: Database, *, document_id: int, engines: Sequence[str]) -> bool:
    """Whether a run of these engines (or more) over the document's present text, by the
    engines as they are now, stored nothing."""
    with db.reading() as repo:
        before = repo.setting(f"{_NOTHING_FOUND}{document_id}")
        if not isinstance(before, dict):
            return False
        now = _made_by(repo, engines)
        now["sha256"] = repo.document_digest(document_id)
    ran = before.get("engines")
    return (
        isinstance(ran, list)
        and set(engines) <= set(ran)
        and all(before.get(k) == now[k] for k in ("sha256", "version", "model"))
    )


def propose_suggestions(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    engines: Sequence[str] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Proposed]:
    """Run the engines over documents (all when None), reading only; one `Proposed` per
    document, as each is done. A document deleted meanwhile is skipped. `engines` defaults to
    those switched on for the database."""
    from annotator.assist.pipeline import propose

    if engines:
        unknown = sorted(set(engines) - set(ENGINES))
        if unknown:
            raise AnnotatorError(
                f"unknown engine {unknown[0]!r}; the engines are {', '.join(ENGINES)}"
            )
        chosen = tuple(e for e in ENGINES if e in set(engines))
    else:
        chosen = suggestion_settings(db).engines
    ids = list(document_ids) if document_ids is not None else list(iter_document_ids(db))
    with db.transaction() as repo:
        schema = repo.schema()
        actors = repo.actors()
        try:
            teaching = (
                _teaching(repo, schema, cancelled) if ACTORS in chosen or CLAIMS in chosen else None
            )
        except _CancelledError:
            return
        audience = _Audience.of(repo)
        engines_made_by = _made_by(repo, chosen)
    actor_keys = {a.id: a.key for a in actors}
    actor_ids = {a.key: a.id for a in actors}
    model = teaching.model_version if teaching else ""
    versions = {
        ACTORS: f"{__version__}+{model}" if model else __version__,
        DATES: __version__,
        CLAIMS: __version__,
    }
    names = {label.id: label.name for label in schema.labels}
    for document_id in ids:
        if cancelled is not None and cancelled():
            return
        with db.transaction() as repo:
            if not repo.existing_document_ids([document_id]):
                continue
            # The engines see what everyone has marked: a place only some annotators marked
            # is still proposed (and linked to) for the others.
            every = repo.spans(document_id)
            rejecters = repo.rejecters(document_id)
            shared = audience.shared_places(document_id, every, rejecters)
            spans = [s for s in every if shared.get((s.label_id, s.start, s.end)) == s.id]
            closed = audience.closed_places(document_id, every, rejecters)
            context = _context(repo, document_id, schema, actor_keys, spans, closed)
            span_ids = {(s.start, s.end, names.get(s.label_id, "")): s.id for s in spans}
            made_by = {**engines_made_by, "sha256": repo.document_digest(document_id)}
        proposals = propose(
            context,
            engines=chosen,
            knowledge=teaching.knowledge if teaching else _no_knowledge(),
            cues=teaching.cues if teaching else frozenset(),
        )
        items = proposals_to_store(proposals, context, schema, span_ids, actor_ids, versions)
        yield Proposed(document_id, chosen, tuple(items), made_by)


def store_proposed(db: Database, proposed: Sequence[Proposed]) -> Counter[str]:
    """Store proposals in one transaction, each document's replacing the earlier suggestions
    of its engines there; what was decided since they were made wins (see above). How many
    were stored, per engine."""
    stored: Counter[str] = Counter()
    if not proposed:
        return stored
    # Storing twenty thousand suggestions makes as many objects as proposing them: see
    # domain.collector.
    with paused_collection(), db.transaction() as repo:
        _store(repo, proposed, stored)
    return stored


def store_and_list(
    db: Database, proposed: Proposed, *, annotator_id: int
) -> tuple[Counter[str], list[Suggestion] | None]:
    """Store one document's proposals as `store_proposed` does, and hand back its suggestions
    as `list_suggestions` would read them for this annotator right after (None when the
    document is gone): made from what was stored, not read back."""
    stored: Counter[str] = Counter()
    with paused_collection(), db.transaction() as repo:  # see store_proposed
        listed = _store(repo, [proposed], stored, listed_for=annotator_id)
    return stored, listed


def _store(
    repo: Repository,
    proposed: Sequence[Proposed],
    stored: Counter[str],
    *,
    listed_for: int | None = None,
) -> list[Suggestion] | None:
    """The body of `store_proposed`; with `listed_for`, the last document's suggestions as
    that annotator sees them (see `store_and_list`)."""
    listed: list[Suggestion] | None = None
    # The first statement writes (it clears what is replaced below anyway): SQLite then
    # takes the write lock before anything is read, waiting for another writer instead of
    # failing when that writer commits after this transaction has read.
    repo.replace_suggestions(proposed[0].document_id, proposed[0].engines, [])
    schema = repo.schema()
    label_ids = {label.id for label in schema.labels}
    type_ids = {t.id for t in schema.relation_types}
    actor_ids = {a.id for a in repo.actors()}
    present = repo.existing_document_ids([p.document_id for p in proposed])
    audience = _Audience.of(repo)
    for p in proposed:
        if p.document_id not in present:
            continue
        spans = repo.span_places(p.document_id)
        rejecters = repo.rejecters(p.document_id)
        annotated = audience.shared_places(p.document_id, spans, rejecters)
        items = fresh_items(
            p.items,
            annotated=annotated,
            span_ids={s.id for s in spans},
            rejected=audience.closed_places(p.document_id, spans, rejecters),
            label_ids=label_ids,
            type_ids=type_ids,
            actor_ids=actor_ids,
        )
        everything: list[Suggestion] | None = [] if listed_for is not None else None
        repo.replace_suggestions(p.document_id, p.engines, items, everything)
        if everything is not None and listed_for is not None:
            mine = {key for key, who in rejecters.items() if listed_for in who}
            listed = visible_to(everything, spans, listed_for, mine) if everything else []
        stored.update(item.engine for item in items)
        if not items and p.made_by is not None:
            repo.set_setting(f"{_NOTHING_FOUND}{p.document_id}", p.made_by)
        elif items and p.made_by is not None:
            repo.delete_setting(f"{_NOTHING_FOUND}{p.document_id}")
    return listed


class Placed(Protocol):
    """What is read of a span to decide whose suggestions are whose: a `Span`, or a
    `SpanPlace` where nothing more is needed."""

    @property
    def id(self) -> int: ...
    @property
    def label_id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def annotator_id(self) -> int: ...


@dataclass(frozen=True, slots=True)
class _Audience:
    """Whose layers suggestions are for: gold layers aside, the annotators with spans on a
    document, those it is assigned to and those who rejected a suggestion there."""

    gold: frozenset[int]
    assigned: dict[int, frozenset[int]]

    @classmethod
    def of(cls, repo: Repository) -> _Audience:
        roles = repo.annotator_roles()
        ids = {a.name: a.id for a in repo.annotators()}
        assigned: dict[int, set[int]] = {}
        for a in repo.assignments():
            assigned.setdefault(a.document_id, set()).add(ids[a.annotator])
        return cls(
            frozenset(i for i, role in roles.items() if role == "gold"),
            {d: frozenset(people) for d, people in assigned.items()},
        )

    def people(
        self,
        document_id: int,
        with_spans: Collection[int],
        rejecters: Collection[Collection[int]] = (),
    ) -> set[int]:
        """The annotators of a document, gold aside."""
        people = set(with_spans) | self.assigned.get(document_id, frozenset())
        for who in rejecters:
            people.update(who)
        return people - self.gold

    def shared_places(
        self,
        document_id: int,
        spans: Sequence[Placed],
        rejecters: Mapping[tuple[int, int, int], Collection[int]],
    ) -> dict[tuple[int, int, int], int]:
        """(label id, start, end) -> a span there, for the places every annotator of the
        document has marked: proposing those would ask nobody. A place only some have marked
        stays proposed for the others (each annotator's list leaves out their own)."""
        people = self.people(document_id, {s.annotator_id for s in spans}, rejecters.values())
        layers: dict[int, set[tuple[int, int, int]]] = {a: set() for a in people}
        found: dict[tuple[int, int, int], int] = {}
        for s in spans:
            key = (s.label_id, s.start, s.end)
            if s.annotator_id in layers:
                layers[s.annotator_id].add(key)
            found.setdefault(key, s.id)
        everyone = set.intersection(*layers.values()) if layers else set(found)
        return {key: found[key] for key in everyone}

    def closed_places(
        self,
        document_id: int,
        spans: Sequence[Placed],
        rejecters: Mapping[tuple[int, int, int], Collection[int]],
    ) -> set[tuple[int, int, int]]:
        """The rejected places no annotator of the document has left to decide: each of them
        rejected it or marked it, so the engines stop proposing it. A place only some have
        rejected stays proposed for the others (each annotator's list leaves out their own)."""
        if not rejecters:
            return set()  # nothing rejected: no need to know who marked what
        people = self.people(document_id, {s.annotator_id for s in spans}, rejecters.values())
        marked: dict[tuple[int, int, int], set[int]] = {}
        for s in spans:
            key = (s.label_id, s.start, s.end)
            if key in rejecters:  # only the rejected places are looked up below
                marked.setdefault(key, set()).add(s.annotator_id)
        return {
            key for key, who in rejecters.items() if people <= set(who) | marked.get(key, set())
        }


def fresh_items(
    items: Sequence[NewSuggestion],
    *,
    annotated: dict[tuple[int, int, int], int],
    span_ids: set[int],
    rejected: set[tuple[int, int, int]],
    label_ids: set[int],
    type_ids: set[int],
    actor_ids: set[int],
) -> list[NewSuggestion]:
    """The items still worth proposing, keyed (label id, start, end): not annotated, not
    rejected, of a label and with links of types that still exist; links to an item now
    annotated point at the annotation, links to vanished spans go."""

    def key(item: NewSuggestion) -> tuple[int, int, int]:
        return (item.label_id, item.start, item.end)

    kept: list[NewSuggestion] = []
    moved: dict[int, int] = {}
    for index, item in enumerate(items):
        place = (item.label_id, item.start, item.end)
        if place in annotated or place in rejected or item.label_id not in label_ids:
            continue
        moved[index] = len(kept)
        kept.append(item)
    out = []
    for item in kept:
        if not item.links and (item.actor_id is None or item.actor_id in actor_ids):
            out.append(item)  # nothing to check or move: most items
            continue
        links = []
        for link in item.links:
            if link.type_id not in type_ids:
                continue
            if link.target_span_id is not None:
                if link.target_span_id in span_ids:
                    links.append(link)
            elif link.target_index is not None and 0 <= link.target_index < len(items):
                target = key(items[link.target_index])
                if target in annotated:
                    links.append(NewLink(link.type_id, target_span_id=annotated[target]))
                elif link.target_index in moved:
                    target_index = moved[link.target_index]
                    links.append(
                        link
                        if target_index == link.target_index
                        else NewLink(link.type_id, target_index=target_index)
                    )
        actor_id = item.actor_id if item.actor_id in actor_ids else None
        # Nothing dropped or moved (the usual case): the item as it is, not a copy (a copy of
        # each of 20,000 items was a third of storing a long article's).
        if (
            actor_id == item.actor_id
            and len(links) == len(item.links)
            and all(a is b for a, b in zip(links, item.links, strict=True))
        ):
            out.append(item)
            continue
        out.append(replace(item, links=tuple(links), actor_id=actor_id))
    return out


def run_suggestions(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    engines: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SuggestReport:
    """Run the engines over documents (all when None) and store what they propose, replacing
    their earlier suggestions there, in the two steps above: the engines read, then a batch of
    documents is stored in one short transaction, so an annotator writing meanwhile is never
    locked out. `cancelled` is asked before each document, and a cancelled run keeps every
    document that finished. `progress` hears (done, total) after each batch. `engines` defaults
    to those switched on for the database."""
    chosen = tuple(engines) if engines else suggestion_settings(db).engines
    unknown = set(chosen) - set(ENGINES)
    if unknown:
        raise AnnotatorError(
            f"unknown engine {sorted(unknown)[0]!r}; the engines are {', '.join(ENGINES)}"
        )
    ids = list(document_ids) if document_ids else list(iter_document_ids(db))
    with db.reading() as repo:
        missing = sorted(set(ids) - set(repo.existing_document_ids(ids)))
    if missing:
        raise AnnotatorError(f"document {missing[0]} does not exist")
    report = SuggestReport()
    pending: list[Proposed] = []

    def store() -> None:
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


def list_suggestions(
    db: Database, *, document_id: int, annotator_id: int | None = None
) -> list[Suggestion]:
    """The document's suggestions; with `annotator_id`, as that annotator is to see them
    (see `visible_to`)."""
    with db.reading() as repo:
        found = repo.suggestions(document_id)
        if annotator_id is None or not found:
            return found
        return visible_to(
            found,
            repo.spans(document_id),
            annotator_id,
            rejected_by(repo, document_id, annotator_id),
        )


def rejected_by(repo: Repository, document_id: int, annotator_id: int) -> set[tuple[int, int, int]]:
    """(label id, start, end) of what this annotator rejected in the document."""
    return {key for key, who in repo.rejecters(document_id).items() if annotator_id in who}


def visible_to(
    suggestions: Sequence[Suggestion],
    spans: Sequence[Placed],
    annotator_id: int,
    rejected: Collection[tuple[int, int, int]] = (),
) -> list[Suggestion]:
    """The suggestions one annotator still has to decide, given the document's spans and the
    places (label id, start, end) they rejected: those their own layer already has (same label
    and offsets: accepted, or marked by hand) and those they rejected are left out, so that one
    annotator deciding a suggestion leaves it for the others. A link points at the annotator's
    own span where its target (a suggestion left out, or another layer's span) has one in their
    layer, and is left out where it has none or where they rejected its target."""
    key_of = {s.id: (s.label_id, s.start, s.end) for s in spans}
    at = {key_of[s.id]: s.id for s in spans if s.annotator_id == annotator_id}
    taken = {s.id: at[key] for s in suggestions if (key := (s.label_id, s.start, s.end)) in at}
    refused = {
        s.id for s in suggestions if s.id not in taken and (s.label_id, s.start, s.end) in rejected
    }
    shown = []
    for s in suggestions:
        if s.id in taken or s.id in refused:
            continue
        if not s.links:
            shown.append(s)  # no link to point elsewhere: most suggestions
            continue
        links = []
        for link in s.links:
            if link.target_suggestion_id is not None:
                if link.target_suggestion_id in refused:
                    continue
                if link.target_suggestion_id in taken:
                    target = taken[link.target_suggestion_id]
                    links.append(replace(link, target_span_id=target, target_suggestion_id=None))
                else:
                    links.append(link)
            elif link.target_span_id is not None:
                mine = at.get(key_of.get(link.target_span_id, (0, -1, -1)))
                if mine is not None:
                    links.append(replace(link, target_span_id=mine))
        shown.append(s if links == list(s.links) else replace(s, links=tuple(links)))
    return shown


# --- Learning --------------------------------------------------------------------------------


def training_examples(
    repo: Repository,
    schema: Schema,
    document_ids: Sequence[int],
    cancelled: Callable[[], bool] | None = None,
) -> list[tuple[str, list[tuple[int, int, str | None]]]]:
    """Each document's text with its ACTOR spans; `cancelled` is asked before each document
    (thousands of finished documents take seconds to read), and what was read is returned."""
    actor = schema.label_named(ACTOR)
    examples = []
    for document_id in document_ids:
        if cancelled is not None and cancelled():
            break
        spans = [
            (s.start, s.end, s.attributes.get("kind"))
            for s in repo.spans(document_id)
            if actor is not None and s.label_id == actor.id
        ]
        examples.append((repo.document(document_id).text, spans))
    return examples


def train_actor_model(
    db: Database, *, cancelled: Callable[[], bool] | None = None
) -> StoredModel | None:
    """Learn actors from the finished documents and store the model the actor engine uses;
    None when no finished document has an ACTOR span. Runs for seconds: call it off the GUI
    thread. A model already trained on the same data is not trained again. A cancel is heard
    between the documents read and between training's iterations (TrainingCancelledError)."""
    from annotator.assist.actor_model import TrainingCancelledError
    from annotator.assist.actor_model import train_actor_model as train

    with db.transaction() as repo:
        schema = repo.schema()
        ids = repo.done_documents()
        examples = training_examples(repo, schema, ids, cancelled)
        current = repo.latest_actor_model()
    if cancelled is not None and cancelled():
        raise TrainingCancelledError("training the actor model was cancelled")
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
    with db.reading() as repo:
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
    with db.reading() as repo:
        return len(repo.gazetteer())


# --- JSON Lines ------------------------------------------------------------------------------


def suggestion_records(
    db: Database, *, document_ids: Sequence[int] | None = None, engines: Collection[str] = ENGINES
) -> Iterator[dict[str, Any]]:
    """One record per stored suggestion, in document and text order: offsets of the stored
    text in code points, end exclusive; each link's target (an annotation or a suggestion) by
    offsets, label and quote."""
    ids = list(document_ids) if document_ids else list(iter_document_ids(db))
    with db.reading() as repo:
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
