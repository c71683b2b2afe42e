"""The open document's spans and the undoable edits on them.

Every edit calls a service (one transaction) first and changes what the screen shows only after
the service returned, so the database always equals the screen. Commands carry the document id:
undoing an edit made in another document opens that document first, so the user sees it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain import collector
from annotator.domain.errors import AnnotatorError, SpanChangedError
from annotator.domain.library import DeletedDocuments, StatusChange
from annotator.domain.model import (
    Actor,
    Annotator,
    DeletedSpans,
    Document,
    DocumentFingerprint,
    Label,
    Relation,
    Schema,
    Span,
)
from annotator.domain.suggestions import Accepted, Rejected, Suggestion
from annotator.domain.text import Edge
from annotator.services import Database
from annotator.services import actors as actor_service
from annotator.services import decisions as decision_service
from annotator.services import relations as relation_service
from annotator.services import spans as span_service
from annotator.services import suggestions as suggestion_service
from annotator.services.documents import document_fingerprint, open_document
from annotator.services.library import delete_documents, restore_documents
from annotator.services.schema import get_schema

_T = TypeVar("_T")


def _order(span: Span) -> tuple[int, int, int]:
    """The order of `DocumentEditor.spans` (the text's): by start, the longer first, by id."""
    return (span.start, -span.end, span.id)


class DocumentEditor(QObject):
    """Holds the open document and its spans; the single writer of span state in the UI."""

    sig_document_opened = Signal()
    """Another document (or none) is now open."""

    sig_spans_changed = Signal(list, list)
    """Spans were added or removed: (spans now gone, spans now present), both lists of Span."""

    sig_error = Signal(str)
    """An edit failed for a reason the user can act on; the message says which."""

    sig_documents_changed = Signal(tuple, tuple)
    """Documents were deleted or restored: (removed ids, restored ids)."""

    sig_relations_changed = Signal()
    """The open document's relations changed (`relations` holds them all)."""

    sig_actors_changed = Signal()
    """The actor registry changed (`actors` holds it); links of spans come as span changes."""

    sig_schema_changed = Signal()
    """Labels, their attributes or relation types changed (`schema` holds them)."""

    sig_status_changed = Signal(int)
    """An edit (or its undo) changed the annotator's status of this document id: its first
    span started it, or undoing that made it new again."""

    sig_corpus_changed = Signal()
    """Any annotation changed (for views across the corpus, which re-read when shown)."""

    sig_suggestions_changed = Signal()
    """The open document's suggestions were read again (`suggestions` holds them)."""

    sig_layers_changed = Signal()
    """Other annotators' layers shown beside one's own changed (`others` holds their spans)."""

    sig_annotator_switched = Signal()
    """The window now annotates as another annotator (`annotator`); their layer is open."""

    sig_suggestions_decided = Signal(object)
    """Suggestions were accepted or rejected, or that was undone or redone (a Decision); sent
    before `sig_suggestions_changed` shows the outcome."""

    def __init__(self, db: Database, annotator: Annotator, labels: Sequence[Label]) -> None:
        super().__init__()
        self.db = db
        self.annotator = annotator
        self.labels = list(labels)
        self.schema: Schema = get_schema(db)
        self.actors: dict[int, Actor] = {a.id: a for a in actor_service.list_actors(db)}
        self.document: Document | None = None
        self.spans: list[Span] = []
        self._by_id: tuple[list[Span], dict[int, Span]] = (self.spans, {})
        """`spans` by id, for the list it was made from (made again when that is replaced)."""
        self._by_label: tuple[list[Span], Counter[int]] = (self.spans, Counter())
        """How many of `spans` each label has, for the list it was counted from."""
        self.relations: list[Relation] = []
        self.suggestions: list[Suggestion] = []
        self.layers: tuple[Annotator, ...] = ()
        """Other annotators whose layers are shown read-only (none by default, so that
        nobody is biased)."""
        self.others: list[Span] = []
        self.other_relations: list[Relation] = []
        """The links of the layers in `others` (read-only)."""
        """The open document's spans in those layers: drawn, never edited."""
        self._all_fingerprint: DocumentFingerprint | None = None
        self.undo_stack = QUndoStack(self)
        self._versions: dict[int, datetime] = {}
        """Each span's version (`updated`) as this window last read or wrote it itself; a
        change read from another program (`refresh_from_store`) leaves it, so an undo step
        taken on a span someone else changed since is refused rather than overwrite theirs."""
        self.changed_elsewhere = False
        """True while the signals report what another program wrote (the window then leaves
        the user's selection alone)."""
        self.sig_spans_changed.connect(self.sig_corpus_changed)
        self.sig_relations_changed.connect(self.sig_corpus_changed)
        self.sig_actors_changed.connect(self.sig_corpus_changed)
        self.sig_documents_changed.connect(self.sig_corpus_changed)

    def label(self, label_id: int) -> Label:
        return next(label for label in self.labels if label.id == label_id)

    def reload_schema(self) -> None:
        """Read labels and relation types again (after the schema editor saved)."""
        self.schema = get_schema(self.db)
        self.labels = list(self.schema.labels)
        self.sig_schema_changed.emit()

    def reload_actors(self) -> None:
        self.actors = {a.id: a for a in actor_service.list_actors(self.db)}
        if self.document is not None:
            # Merges and deletions change links of open spans: show the database as it is.
            self.spans = span_service.list_spans(
                self.db, document_id=self.document.id, annotator_ids=self._mine
            )
            self._versions = {s.id: s.updated for s in self.spans}
            self.sig_spans_changed.emit([], [])
        self.sig_actors_changed.emit()

    @property
    def _mine(self) -> tuple[int]:
        """The annotator ids of the layer the window edits: the current annotator's."""
        return (self.annotator.id,)

    def open(self, document_id: int | None) -> None:
        if document_id is not None:
            _collect_after_painting()
        if document_id is None:
            self.document, self.spans, self.relations = None, [], []
            self.suggestions = []
            self.others, self.other_relations = [], []
        else:
            self.document, self.spans = open_document(
                self.db, document_id=document_id, annotator_id=self.annotator.id
            )
            self.relations = relation_service.list_relations(
                self.db, document_id=document_id, annotator_ids=self._mine
            )
            self.suggestions = suggestion_service.list_suggestions(
                self.db, document_id=document_id, annotator_id=self.annotator.id
            )
            self._read_others()
        self._versions = {s.id: s.updated for s in self.spans}
        self.sig_document_opened.emit()

    def _read_others(self) -> None:
        doc = self.document
        ids = [a.id for a in self.layers if a.id != self.annotator.id]
        if doc is None or not ids:
            self.others, self.other_relations, self._all_fingerprint = [], [], None
            return
        self._all_fingerprint = document_fingerprint(self.db, document_id=doc.id)
        self.others = span_service.list_spans(self.db, document_id=doc.id, annotator_ids=ids)
        self.other_relations = relation_service.list_relations(
            self.db, document_id=doc.id, annotator_ids=ids
        )

    def layer_name(self, annotator_id: int) -> str:
        """The name of a shown layer's annotator."""
        return next((a.name for a in self.layers if a.id == annotator_id), "?")

    def show_layers(self, annotators: Sequence[Annotator]) -> None:
        """Show these other annotators' layers read-only (an empty list hides them all)."""
        self.layers = tuple(a for a in annotators if a.id != self.annotator.id)
        self._read_others()
        self.sig_layers_changed.emit()

    def switch_annotator(self, annotator: Annotator) -> None:
        """Annotate as another annotator: their layer of the open document replaces the
        current one. The undo stack is cleared (its steps were another annotator's edits)."""
        self.undo_stack.clear()
        self.annotator = annotator
        self.layers = tuple(a for a in self.layers if a.id != annotator.id)
        self.open(self.document.id if self.document is not None else None)
        self.sig_layers_changed.emit()
        self.sig_annotator_switched.emit()

    def fingerprint_request(self) -> FingerprintRequest | None:
        """What `read_fingerprints` needs to check the open document, taken on the GUI
        thread; None without a document."""
        doc = self.document
        if doc is None:
            return None
        return FingerprintRequest(doc.id, self.annotator.id, bool(self.layers))

    def refresh_from_store(self, known: StoredFingerprints | None = None) -> bool:
        """Read the open document's spans and links again after another program (a second
        window, the command line) wrote to the database, and say what changed through the
        usual signals, so the view keeps its selection and only redraws what moved. Returns
        whether anything differed. The undo stack is kept: a step whose data another program
        changed says so when it is taken (see _EditCommand). `known`: the fingerprints as
        `read_fingerprints` read them off the GUI thread (for another document: ignored)."""
        doc = self.document
        if doc is None:
            return False
        if known is not None and known.document_id != doc.id:
            return False
        # Most commits are this window's own (or touch other documents): two aggregate
        # queries tell, where reading a 10,000-span document again took about 0.25 s.
        if self.layers:
            everyone = (
                known.everyone
                if known is not None and known.everyone is not None
                else document_fingerprint(self.db, document_id=doc.id)
            )
            if everyone != self._all_fingerprint:
                self._read_others()
                self.sig_layers_changed.emit()
        stored = (
            known.mine
            if known is not None
            else document_fingerprint(self.db, document_id=doc.id, annotator_id=self.annotator.id)
        )
        if stored == DocumentFingerprint.of(doc, self.spans, self.relations):
            return False
        try:
            stored_document, spans = open_document(
                self.db, document_id=doc.id, annotator_id=self.annotator.id
            )
        except AnnotatorError:
            self.open(None)  # deleted elsewhere
            return True
        if stored_document.sha256 != doc.sha256:
            # A new version of the article was stored elsewhere: its text and every offset
            # changed, and steps on the undo stack refer to the old text.
            self.undo_stack.clear()
            self.open(doc.id)
            return True
        relations = relation_service.list_relations(
            self.db, document_id=doc.id, annotator_ids=self._mine
        )
        before = {s.id: s for s in self.spans}
        after = {s.id: s for s in spans}
        gone = [s for i, s in before.items() if after.get(i) != s]
        present = [s for i, s in after.items() if before.get(i) != s]
        links_changed = relations != self.relations
        if not gone and not present and not links_changed:
            return False
        self.spans = spans
        self.changed_elsewhere = True
        try:
            if gone or present:
                self.sig_spans_changed.emit(gone, present)
            if links_changed:
                self.relations = relations
                self.sig_relations_changed.emit()
        finally:
            self.changed_elsewhere = False
        return True

    def reload_suggestions(self, document_id: int | None = None) -> None:
        """Read the open document's suggestions again (after a run or a decision). With
        `document_id`, that document is opened first if another one is open."""
        if document_id is not None and (self.document is None or self.document.id != document_id):
            self.open(document_id)
            return
        if self.document is None:
            self.suggestions = []
        else:
            self.suggestions = suggestion_service.list_suggestions(
                self.db, document_id=self.document.id, annotator_id=self.annotator.id
            )
        self.sig_suggestions_changed.emit()

    def show_suggestions(self, suggestions: list[Suggestion]) -> None:
        """Take the open document's suggestions as a run stored them (the same as reading
        them again would give)."""
        self.suggestions = suggestions
        self.sig_suggestions_changed.emit()

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    def ensure_open(self, document_id: int) -> None:
        if self.document is None or self.document.id != document_id:
            self.open(document_id)

    def span(self, span_id: int) -> Span | None:
        if self._by_id[0] is not self.spans:
            self._by_id = (self.spans, {s.id: s for s in self.spans})
        return self._by_id[1].get(span_id)

    def counts_by_label(self) -> Mapping[int, int]:
        """How many of the open document's spans (this annotator's) each label id has."""
        if self._by_label[0] is not self.spans:
            self._by_label = (self.spans, Counter(s.label_id for s in self.spans))
        return self._by_label[1]

    def version(self, span_id: int) -> datetime | None:
        """The span's version as this window last saved or read it itself (see _versions)."""
        return self._versions.get(span_id)

    def relations_of(self, span_id: int) -> list[Relation]:
        return [r for r in self.relations if r.touches(span_id)]

    def _apply(
        self,
        document_id: int,
        gone: Sequence[Span],
        present: Sequence[Span],
        *,
        relations_gone: Sequence[Relation] = (),
        relations_present: Sequence[Relation] = (),
    ) -> None:
        if self.document is None or self.document.id != document_id:
            # The database changed under a document that is not open; opening it shows the
            # change and re-reads its spans and relations.
            self.open(document_id)
            self.sig_spans_changed.emit(list(gone), list(present))
            self.sig_relations_changed.emit()
            return
        gone_ids = {s.id for s in gone}
        self._versions.update((s.id, s.updated) for s in present)
        if gone or present:
            # The list stays in text order: the new spans go in by bisection (re-sorting a
            # long document's 10,000 spans at each keystroke was most of an edit's cost).
            spans = [s for s in self.spans if s.id not in gone_ids] if gone_ids else [*self.spans]
            for s in present:
                spans.insert(bisect_left(spans, _order(s), key=_order), s)
            if self._by_id[0] is self.spans:
                # The index by id follows the few spans changed rather than being built again
                # over a long document's 10,000 at the next look-up.
                by_id = self._by_id[1]
                for s in gone:
                    by_id.pop(s.id, None)
                by_id.update((s.id, s) for s in present)
                self._by_id = (spans, by_id)
            if self._by_label[0] is self.spans:
                counts = self._by_label[1]
                if gone_ids:  # the spans taken out of the list, as the list had them
                    counts.subtract(s.label_id for s in self.spans if s.id in gone_ids)
                counts.update(s.label_id for s in present)
                self._by_label = (spans, counts)
            self.spans = spans
        # Relations go with their spans (ON DELETE CASCADE).
        dropped = {r.id for r in relations_gone}
        deleted = gone_ids - {s.id for s in present}
        kept = [
            r
            for r in self.relations
            if r.id not in dropped and r.source_id not in deleted and r.target_id not in deleted
        ]
        relations_changed = len(kept) != len(self.relations) or bool(relations_present)
        self.relations = sorted(kept + list(relations_present), key=lambda r: r.id)
        if gone or present:
            self.sig_spans_changed.emit(list(gone), list(present))
        if relations_changed:
            self.sig_relations_changed.emit()

    # User actions ----------------------------------------------------------------------------
    def add_span(self, start: int, end: int, label_id: int, *, snap: bool) -> Span | None:
        """Add a span; a DATE gets the value proposed from its text (editable afterwards)."""
        if self.document is None:
            return None
        doc_id = self.document.id
        added = self._attempt(
            lambda: span_service.add_span_reported(
                self.db,
                document_id=doc_id,
                start=start,
                end=end,
                label_id=label_id,
                annotator_id=self.annotator.id,
                snap=snap,
                propose=True,
            )
        )
        if added is None:
            return None
        name = self.label(label_id).name
        self.undo_stack.push(_AddSpans(self, [added.span], f"Add {name}", added.started))
        return added.span

    def delete_spans(self, span_ids: Sequence[int]) -> list[Span]:
        """Delete spans with their links; one undo step puts all of it back."""
        gone = self._attempt(lambda: span_service.delete_spans(self.db, span_ids=span_ids))
        if gone:
            self.undo_stack.push(_DeleteSpans(self, gone))
        return list(gone.spans) if gone else []

    def set_span_details(
        self, span_id: int, attributes: dict[str, object], note: str | None
    ) -> Span | None:
        """Change a span's attribute values and note (one undo step)."""
        before = self.span(span_id)
        if before is None:
            return None
        after = self._attempt(
            lambda: span_service.set_span_details(
                self.db,
                span_id=span_id,
                attributes=dict(attributes),
                note=note,
                version=before.updated,
            )
        )
        if after is not None and (after.attributes, after.note) != (
            before.attributes,
            before.note,
        ):
            self.undo_stack.push(_SetDetails(self, before, after))
        elif after is not None:
            self._apply(after.document_id, [before], [after])  # only its version is new
        return after

    def add_relation(self, type_id: int, source_id: int, target_id: int) -> Relation | None:
        relation = self._attempt(
            lambda: relation_service.add_relation(
                self.db,
                type_id=type_id,
                source_id=source_id,
                target_id=target_id,
                annotator_id=self.annotator.id,
            )
        )
        if relation is not None:
            self.undo_stack.push(_AddRelation(self, relation))
        return relation

    def delete_relations(self, relation_ids: Sequence[int]) -> list[Relation]:
        gone = self._attempt(
            lambda: relation_service.delete_relations(self.db, relation_ids=relation_ids)
        )
        if gone:
            self.undo_stack.push(_DeleteRelations(self, gone))
        return gone or []

    def toggle_relation(self, type_id: int, source_id: int, target_id: int) -> bool:
        """Link the two spans, or unlink them if this very link exists; True if now linked."""
        existing = next(
            (
                r
                for r in self.relations
                if (r.type_id, r.source_id, r.target_id) == (type_id, source_id, target_id)
            ),
            None,
        )
        if existing is not None:
            self.delete_relations([existing.id])
            return False
        return self.add_relation(type_id, source_id, target_id) is not None

    def link_actor(self, span_ids: Sequence[int], actor_id: int | None) -> None:
        """Link mentions of the open document to a registry actor (None unlinks them)."""
        before = [s for s in self.spans if s.id in set(span_ids)]
        if not before:
            return
        versions = {s.id: s.updated for s in before}
        done = self._attempt(
            lambda: actor_service.link_mentions(
                self.db, span_ids=span_ids, actor_id=actor_id, versions=versions
            )
        )
        if done is None:
            return
        self.undo_stack.push(_LinkActor(self, before, actor_id))

    def registry_changed(
        self, text: str, *, undo: Callable[[], object], redo: Callable[[], object]
    ) -> None:
        """Record a change of the actor registry that was just made (one undo step) and show
        it; `undo` and `redo` call the services again."""
        self.undo_stack.push(_RegistryChange(self, text, undo, redo))
        self.reload_actors()

    def update_actor(self, before: Actor, after: Actor) -> Actor | None:
        """Save a registry entry's new fields (one undo step); None if refused."""
        saved = self._attempt(lambda: actor_service.update_actor(self.db, actor=after))
        if saved is not None and saved != before:
            db = self.db
            self.registry_changed(
                f"Edit actor {saved.name}",
                undo=lambda: actor_service.update_actor(db, actor=before),
                redo=lambda: actor_service.update_actor(db, actor=saved),
            )
        return saved

    def link_all_mentions(self, actor: Actor, names: Sequence[str] | None = None) -> int | None:
        """Link every unlinked mention in the corpus written as one of the actor's names (or
        `names`); returns how many (None if refused). One undo step unlinks exactly those."""
        linked = self._attempt(
            lambda: actor_service.link_all_mentions(self.db, actor_id=actor.id, names=names)
        )
        if linked is None:
            return None
        ids = list(linked.span_ids)
        if ids:
            db = self.db
            self.registry_changed(
                f"Link all mentions of {actor.name}",
                undo=lambda: actor_service.link_mentions(db, span_ids=ids, actor_id=None),
                redo=lambda: actor_service.link_mentions(db, span_ids=ids, actor_id=actor.id),
            )
        return len(ids)

    def create_actor(self, span_ids: Sequence[int], **fields: object) -> Actor | None:
        """Add a registry actor from the given fields (name, kind, key...) and link mentions."""
        actor = self._attempt(
            lambda: actor_service.create_actor(
                self.db,
                link_spans=list(span_ids),
                **fields,  # type: ignore[arg-type]
            )
        )
        if actor is not None:
            self.undo_stack.push(_CreateActor(self, actor, list(span_ids)))
        return actor

    def step_span_bound(
        self, span_id: int, edge: Edge, *, forward: bool, by_word: bool
    ) -> Span | None:
        """Move one bound of a span by a word or a character (one undo step)."""
        return self._move_bound(
            span_id,
            lambda version: span_service.step_span_bound(
                self.db,
                span_id=span_id,
                edge=edge,
                forward=forward,
                by_word=by_word,
                version=version,
            ),
        )

    def drag_span_bound(self, span_id: int, edge: Edge, to: int, *, snap: bool) -> Span | None:
        """Move one bound of a span to a dragged-to offset (one undo step)."""
        return self._move_bound(
            span_id,
            lambda version: span_service.drag_span_bound(
                self.db, span_id=span_id, edge=edge, to=to, snap=snap, version=version
            ),
        )

    def _move_bound(self, span_id: int, move: Callable[[datetime], Span]) -> Span | None:
        before = self.span(span_id)
        if before is None:
            return None
        after = self._attempt(lambda: move(before.updated))
        if after is not None and (after.start, after.end) != (before.start, before.end):
            self.undo_stack.push(_MoveBounds(self, before, after))
        elif after is not None:
            self._apply(after.document_id, [before], [after])  # only its version is new
        return after

    def relabel_span(self, span_id: int, label_id: int) -> Span | None:
        before = self.span(span_id)
        if before is None or before.label_id == label_id:
            return None
        after = self._attempt(
            lambda: span_service.relabel_span(
                self.db, span_id=span_id, label_id=label_id, version=before.updated
            )
        )
        if after is not None:
            self.undo_stack.push(_Relabel(self, before, after))
        return after

    def delete_documents(self, document_ids: Sequence[int]) -> None:
        deleted = self._attempt(lambda: delete_documents(self.db, document_ids=document_ids))
        if deleted is not None and deleted.documents:
            self.undo_stack.push(DeleteDocumentsCommand(self, deleted))

    def accept_suggestions(
        self, suggestion_ids: Sequence[int], *, label_id: int | None = None
    ) -> Accepted | None:
        """Accept suggestions (one undo step): spans with their proposed links. `label_id`
        accepts a single suggestion as another label."""
        ids = list(suggestion_ids)
        if self.document is None or not ids:
            return None
        accepted = self._attempt(
            lambda: decision_service.accept_suggestions(
                self.db, suggestion_ids=ids, annotator_id=self.annotator.id, label_id=label_id
            )
        )
        if accepted is None:
            self.reload_suggestions()  # gone meanwhile (a run replaced it): show what is there
            return None
        if len(ids) == 1:
            first = next(s for s in accepted.suggestions if s.id == ids[0])
            name = self.label(label_id if label_id is not None else first.label_id).name
            text = f"Accept {name} “{_short(first.quote)}”"
        else:
            text = f"Accept {len(ids)} suggestions"
        self.undo_stack.push(_AcceptSuggestions(self, accepted, text))
        return accepted

    def accept_label(self, label_id: int) -> Accepted | None:
        """Accept every suggestion of one label in the open document (one undo step)."""
        if self.document is None:
            return None
        doc_id = self.document.id
        accepted = self._attempt(
            lambda: decision_service.accept_label(
                self.db, document_id=doc_id, label_id=label_id, annotator_id=self.annotator.id
            )
        )
        if accepted is None or not accepted.suggestions:
            return None
        n = sum(1 for s in accepted.suggestions if s.label_id == label_id)
        text = f"Accept all {self.label(label_id).name} suggestions ({n})"
        self.undo_stack.push(_AcceptSuggestions(self, accepted, text))
        return accepted

    def reject_suggestion(self, suggestion_id: int) -> Rejected | None:
        """Turn a suggestion down for this annotator (one undo step): it leaves their list, and
        the others still have it to decide."""
        rejected = self._attempt(
            lambda: decision_service.reject_suggestion(
                self.db, suggestion_id=suggestion_id, annotator_id=self.annotator.id
            )
        )
        if rejected is None:
            self.reload_suggestions()
            return None
        self.undo_stack.push(_RejectSuggestion(self, rejected))
        return rejected

    def _documents_changed(
        self, *, removed: tuple[int, ...] = (), restored: tuple[int, ...] = ()
    ) -> None:
        if self.document is not None and self.document.id in removed:
            self.open(None)
        self.sig_documents_changed.emit(removed, restored)

    def _attempt(self, action: Callable[[], _T]) -> _T | None:
        try:
            return action()
        except SpanChangedError as exc:
            # Someone else saved this span first: say what it is now, and show it.
            self.sig_error.emit(str(exc))
            self.refresh_from_store()
            return None
        except AnnotatorError as exc:
            self.sig_error.emit(str(exc))
            return None


@dataclass(frozen=True)
class FingerprintRequest:
    """Which document to check for changes made elsewhere, and for whom."""

    document_id: int
    annotator_id: int
    with_layers: bool  # other annotators' layers are shown: their changes count too


@dataclass(frozen=True)
class StoredFingerprints:
    """A document's fingerprints as stored (`read_fingerprints`)."""

    document_id: int
    mine: DocumentFingerprint
    everyone: DocumentFingerprint | None


def read_fingerprints(db: Database, request: FingerprintRequest) -> StoredFingerprints:
    """The stored fingerprints `refresh_from_store` compares, read in any thread: the
    window's watch reads them in the background, since every commit, its own included, makes
    it look, and their two aggregate queries over a long article's spans took 13 ms of the
    GUI thread each time, a stutter in the edit or scroll they fell on."""
    everyone = None
    if request.with_layers:
        everyone = document_fingerprint(db, document_id=request.document_id)
    mine = document_fingerprint(
        db, document_id=request.document_id, annotator_id=request.annotator_id
    )
    return StoredFingerprints(request.document_id, mine, everyone)


def _collect_after_painting() -> None:
    """No cyclic garbage collection until the window has shown what is being opened: a long
    article's 10,000 spans are new objects without cycles, and a full collection falling due
    among them (its time depends on everything the program holds) would delay the first
    paint; it runs after it instead. A timer, not a queued call: those come before a paint.
    Once it has painted, the open document's objects are kept out of later collections
    (`collector.keep`)."""
    collector.pause()
    QTimer.singleShot(1, _resume_and_keep)


def _resume_and_keep() -> None:
    collector.keep()  # first: collection resumed with them young would walk them all at once
    collector.resume()


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Decision:
    """What `sig_suggestions_decided` reports: suggestions accepted or rejected (`undone`: that
    was just undone, and they are suggestions again)."""

    suggestions: tuple[Suggestion, ...]
    accepted: Accepted | None = None
    undone: bool = False


class _EditCommand(QUndoCommand):
    """First `redo()` is skipped: the edit was already made before the command was pushed."""

    def __init__(self, editor: DocumentEditor, text: str) -> None:
        super().__init__(text)
        self._editor = editor
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except AnnotatorError as exc:
            # Someone else changed the data (another window, another user on the server): show
            # the database as it is and say why the step did not happen.
            self._editor.sig_error.emit(f"{self.text()}: {exc}")
            if self._editor.document is not None:
                self._editor.open(self._editor.document.id)
            self.setObsolete(True)

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class _AddSpans(_EditCommand):
    """Spans added, with the status change that came with them (a new document started):
    undo and redo take both back or make both again, each in one transaction."""

    def __init__(
        self,
        editor: DocumentEditor,
        spans: list[Span],
        text: str,
        started: StatusChange | None = None,
    ) -> None:
        super().__init__(editor, text)
        self._deleted = DeletedSpans(tuple(spans))
        self._started = started
        editor._apply(spans[0].document_id, [], spans)
        self._show_status()

    @property
    def _doc(self) -> int:
        return self._deleted.spans[0].document_id

    def _show_status(self) -> None:
        if self._started is not None:
            self._editor.sig_status_changed.emit(self._started.document_id)

    def _undo(self) -> None:
        ids = [s.id for s in self._deleted.spans]
        # Links made to the span since are undone by their own commands first.
        self._deleted = span_service.delete_spans(
            self._editor.db, span_ids=ids, undo_status=self._started
        )
        self._editor._apply(
            self._doc, self._deleted.spans, [], relations_gone=self._deleted.relations
        )
        self._show_status()

    def _redo(self) -> None:
        back = span_service.restore_spans(
            self._editor.db, deleted=self._deleted, redo_status=self._started
        )
        self._editor._apply(self._doc, [], back, relations_present=self._deleted.relations)
        self._show_status()


class _DeleteSpans(_EditCommand):
    def __init__(self, editor: DocumentEditor, deleted: DeletedSpans) -> None:
        n, links = len(deleted.spans), len(deleted.relations)
        text = "Delete span" if n == 1 else f"Delete {n} spans"
        if links:
            text += f" and {links} link{'s' if links != 1 else ''}"
        super().__init__(editor, text)
        self._deleted = deleted
        editor._apply(self._doc, deleted.spans, [], relations_gone=deleted.relations)

    @property
    def _doc(self) -> int:
        return self._deleted.spans[0].document_id

    def _undo(self) -> None:
        back = span_service.restore_spans(self._editor.db, deleted=self._deleted)
        self._editor._apply(self._doc, [], back, relations_present=self._deleted.relations)

    def _redo(self) -> None:
        ids = [s.id for s in self._deleted.spans]
        self._deleted = span_service.delete_spans(self._editor.db, span_ids=ids)
        self._editor._apply(
            self._doc, self._deleted.spans, [], relations_gone=self._deleted.relations
        )


class _SetDetails(_EditCommand):
    def __init__(self, editor: DocumentEditor, before: Span, after: Span) -> None:
        super().__init__(editor, f"Edit {editor.label(after.label_id).name} details")
        self._before, self._after = before, after
        editor._apply(before.document_id, [before], [after])

    def _set(self, old: Span, new: Span) -> None:
        now = span_service.set_span_details(
            self._editor.db,
            span_id=new.id,
            attributes=dict(new.attributes),
            note=new.note,
            version=self._editor.version(new.id),
        )
        self._editor._apply(now.document_id, [old], [now])

    def _undo(self) -> None:
        self._set(self._after, self._before)

    def _redo(self) -> None:
        self._set(self._before, self._after)


class _AddRelation(_EditCommand):
    def __init__(self, editor: DocumentEditor, relation: Relation) -> None:
        super().__init__(editor, f"Link {editor.schema.relation_type(relation.type_id).name}")
        self._relation = relation
        editor._apply(relation.document_id, [], [], relations_present=[relation])

    def _undo(self) -> None:
        gone = relation_service.delete_relations(self._editor.db, relation_ids=[self._relation.id])
        self._editor._apply(self._relation.document_id, [], [], relations_gone=gone)

    def _redo(self) -> None:
        back = relation_service.restore_relations(self._editor.db, relations=[self._relation])
        self._editor._apply(self._relation.document_id, [], [], relations_present=back)


class _DeleteRelations(_EditCommand):
    def __init__(self, editor: DocumentEditor, relations: list[Relation]) -> None:
        n = len(relations)
        super().__init__(editor, "Unlink" if n == 1 else f"Remove {n} links")
        self._relations = relations
        editor._apply(relations[0].document_id, [], [], relations_gone=relations)

    def _undo(self) -> None:
        back = relation_service.restore_relations(self._editor.db, relations=self._relations)
        self._editor._apply(self._relations[0].document_id, [], [], relations_present=back)

    def _redo(self) -> None:
        gone = relation_service.delete_relations(
            self._editor.db, relation_ids=[r.id for r in self._relations]
        )
        self._editor._apply(self._relations[0].document_id, [], [], relations_gone=gone)


class _LinkActor(_EditCommand):
    """Mentions linked to an actor; undo gives each mention its previous actor back."""

    def __init__(self, editor: DocumentEditor, before: list[Span], actor_id: int | None) -> None:
        name = editor.actors[actor_id].name if actor_id in editor.actors else None
        super().__init__(editor, f"Link to {name}" if name else "Unlink actor")
        self._before = before
        self._actor_id = actor_id
        self._show()

    def _show(self) -> None:
        editor = self._editor
        doc = self._before[0].document_id
        ids = [s.id for s in self._before]
        changed = span_service.get_spans(editor.db, span_ids=ids)
        editor._apply(doc, [s for s in editor.spans if s.id in set(ids)], changed)

    def _undo(self) -> None:
        by_actor: dict[int | None, list[int]] = {}
        for span in self._before:
            by_actor.setdefault(span.actor_id, []).append(span.id)
        for actor_id, ids in by_actor.items():
            actor_service.link_mentions(
                self._editor.db,
                span_ids=ids,
                actor_id=actor_id,
                versions=self._versions(ids),
            )
        self._show()

    def _redo(self) -> None:
        actor_service.link_mentions(
            self._editor.db,
            span_ids=[s.id for s in self._before],
            actor_id=self._actor_id,
            versions=self._versions([s.id for s in self._before]),
        )
        self._show()

    def _versions(self, ids: list[int]) -> dict[int, datetime]:
        held = {i: self._editor.version(i) for i in ids}
        return {i: v for i, v in held.items() if v is not None}


class _RegistryChange(_EditCommand):
    """A registry change already made; each step calls the services, then shows the registry."""

    def __init__(
        self,
        editor: DocumentEditor,
        text: str,
        undo: Callable[[], object],
        redo: Callable[[], object],
    ) -> None:
        super().__init__(editor, text)
        self._undo_step, self._redo_step = undo, redo

    def _undo(self) -> None:
        self._undo_step()

    def _redo(self) -> None:
        self._redo_step()

    def _run(self, step: Callable[[], None]) -> None:
        super()._run(step)
        self._editor.reload_actors()


class _CreateActor(_EditCommand):
    """A new registry actor and the mentions linked to it; undo deletes it (unlinking them)."""

    def __init__(self, editor: DocumentEditor, actor: Actor, span_ids: list[int]) -> None:
        super().__init__(editor, f"New actor {actor.name}")
        self._actor, self._span_ids = actor, span_ids
        editor.reload_actors()

    def _undo(self) -> None:
        actor_service.delete_actor(self._editor.db, actor_id=self._actor.id)
        self._editor.reload_actors()

    def _redo(self) -> None:
        actor_service.restore_actor(self._editor.db, actor=self._actor, span_ids=self._span_ids)
        self._editor.reload_actors()


class _Relabel(_EditCommand):
    def __init__(self, editor: DocumentEditor, before: Span, after: Span) -> None:
        super().__init__(editor, f"Relabel as {editor.label(after.label_id).name}")
        self._before, self._after = before, after
        editor._apply(before.document_id, [before], [after])

    def _undo(self) -> None:
        now = span_service.relabel_span(
            self._editor.db,
            span_id=self._before.id,
            label_id=self._before.label_id,
            version=self._editor.version(self._before.id),
        )
        self._editor._apply(now.document_id, [self._after], [now])

    def _redo(self) -> None:
        now = span_service.relabel_span(
            self._editor.db,
            span_id=self._after.id,
            label_id=self._after.label_id,
            version=self._editor.version(self._after.id),
        )
        self._editor._apply(now.document_id, [self._before], [now])


class _MoveBounds(_EditCommand):
    """A span's start or end moved; undo puts the old offsets (and quote) back."""

    def __init__(self, editor: DocumentEditor, before: Span, after: Span) -> None:
        super().__init__(
            editor, f"Resize {editor.label(after.label_id).name} “{_short(after.quote)}”"
        )
        self._before, self._after = before, after
        editor._apply(before.document_id, [before], [after])

    def _set(self, old: Span, new: Span) -> None:
        now = span_service.set_span_bounds(
            self._editor.db,
            span_id=new.id,
            start=new.start,
            end=new.end,
            version=self._editor.version(new.id),
        )
        self._editor._apply(now.document_id, [old], [now])

    def _undo(self) -> None:
        self._set(self._after, self._before)

    def _redo(self) -> None:
        self._set(self._before, self._after)


class _AcceptSuggestions(_EditCommand):
    """Suggestions accepted: undo takes the spans and links back and restores the suggestions;
    redo makes the very same spans and links again (ids included)."""

    def __init__(self, editor: DocumentEditor, accepted: Accepted, text: str) -> None:
        super().__init__(editor, text)
        self._accepted = accepted
        self._show(made=True)

    def _show(self, *, made: bool) -> None:
        accepted, editor = self._accepted, self._editor
        document_id = accepted.suggestions[0].document_id
        new = set(accepted.new_span_ids)
        spans = list({s.id: s for s in accepted.spans if s.id in new}.values())
        if made:
            editor._apply(document_id, [], spans, relations_present=accepted.relations)
        else:
            editor._apply(document_id, spans, [], relations_gone=accepted.relations)
        editor.sig_suggestions_decided.emit(
            Decision(accepted.suggestions, accepted, undone=not made)
        )
        for change in accepted.started:
            editor.sig_status_changed.emit(change.document_id)
        editor.reload_suggestions(document_id)

    def _undo(self) -> None:
        decision_service.undo_accept(self._editor.db, accepted=self._accepted)
        self._show(made=False)

    def _redo(self) -> None:
        decision_service.redo_accept(self._editor.db, accepted=self._accepted)
        self._show(made=True)


class _RejectSuggestion(_EditCommand):
    """A suggestion turned down; undo proposes it again (with the links to it)."""

    def __init__(self, editor: DocumentEditor, rejected: Rejected) -> None:
        suggestion = rejected.suggestion
        name = editor.label(suggestion.label_id).name
        super().__init__(editor, f"Reject {name} “{_short(suggestion.quote)}”")
        self._rejected = rejected
        self._show(undone=False)

    def _show(self, *, undone: bool) -> None:
        suggestion = self._rejected.suggestion
        self._editor.sig_suggestions_decided.emit(Decision((suggestion,), undone=undone))
        self._editor.reload_suggestions(suggestion.document_id)

    def _undo(self) -> None:
        decision_service.undo_reject(self._editor.db, rejected=self._rejected)
        self._show(undone=True)

    def _redo(self) -> None:
        self._rejected = decision_service.reject_suggestion(
            self._editor.db,
            suggestion_id=self._rejected.suggestion.id,
            annotator_id=self._editor.annotator.id,
        )
        self._show(undone=False)


class DeleteDocumentsCommand(_EditCommand):
    """Deleting documents, undoable within the session: undo puts them back with their spans."""

    def __init__(self, editor: DocumentEditor, deleted: DeletedDocuments) -> None:
        n = len(deleted.documents)
        super().__init__(editor, "Delete document" if n == 1 else f"Delete {n} documents")
        self._deleted = deleted
        editor._documents_changed(removed=deleted.ids)

    def _undo(self) -> None:
        restore_documents(self._editor.db, deleted=self._deleted)
        self._editor._documents_changed(restored=self._deleted.ids)

    def _redo(self) -> None:
        delete_documents(self._editor.db, document_ids=self._deleted.ids)
        self._editor._documents_changed(removed=self._deleted.ids)
