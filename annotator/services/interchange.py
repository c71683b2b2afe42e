"""Export to and import from the interchange formats listed in `annotator.formats.registry`.

Exports stream: document ids are read a page at a time, the documents with their spans,
relations and linked registry actors a batch per transaction, and handed to the format's writer
one by one. The output is written to a temporary name and moved into place only when complete
(with any file the format writes beside it), so a cancelled, failed or killed export never leaves
a half-written file where the user expects one: at every moment the path holds the earlier export
or the new one, whole (see `annotator.services.atomic`), and the next export cleans up what a
killed one left beside it.

Imports check every span against the text (offsets and quote) and store each document with its
spans, relations and actor links in one transaction. Labels, attribute definitions and relation
types that a file defines (the native format does) are added to the schema first; relation
types a file only names are added as "any label to any label" with a neutral colour. Actors are
matched by key and created when new, from the file's registry entry or named after their first
mention. Every relation that cannot be stored (an end refused, a type that does not allow the
labels) is reported, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.collector import collect_batch, paused_collection
from annotator.domain.errors import AnnotatorError, InvalidSpanError
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.library import (
    DocumentContents,
    DocumentStatus,
    DuplicateOf,
    LibraryFilter,
    LibrarySort,
    check_new_documents,
)
from annotator.domain.model import (
    Actor,
    Annotator,
    HighlightStyle,
    Label,
    NewRelation,
    NewSpan,
    RelationType,
)
from annotator.domain.origins import MANUAL as MANUAL
from annotator.domain.revisions import normalise_url
from annotator.domain.schema import ACTOR_KIND, ACTOR_KINDS, LabelSpec
from annotator.domain.text import (
    check_span,
    normalise_newlines,
    normalise_newlines_mapping,
    sha256_of,
)
from annotator.formats.registry import FORMATS, FormatInfo, Output, get_format, guess_format
from annotator.services.atomic import partial_folder, recover, replace_file, replace_folder
from annotator.services.documents import iter_document_ids
from annotator.store import Database, Repository

PAGE = 500
# Documents read per transaction while exporting: few queries, a bounded number in memory.
EXPORT_BATCH = 50
# Colours for labels that arrive with imported files, after the default schema's three
# (Okabe-Ito again: distinguishable with common colour-vision deficiencies).
EXTRA_COLOURS = ("#009E73", "#0072B2", "#D55E00", "#F0E442", "#999999", "#000000")
# Relation types that arrive with imported files without a definition.
NEUTRAL_COLOUR = "#777777"
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_TRUE = frozenset({"yes", "true", "1"})
_FALSE = frozenset({"no", "false", "0"})


class ExportCancelledError(AnnotatorError):
    """The user cancelled an export; nothing was written."""


@dataclass(frozen=True, slots=True)
class ExportSelection:
    """Which documents and spans go out. Empty selections mean everything."""

    document_ids: tuple[int, ...] = ()
    label_names: tuple[str, ...] = ()
    annotator_names: tuple[str, ...] = ()
    tag: str | None = None
    status: DocumentStatus | None = None
    status_of: str | None = None
    """Whose status `status` means (an annotator name); required with `status`."""
    origins: tuple[str, ...] = ()
    """Only spans of this provenance: an engine's name (accepted from its suggestions) or
    MANUAL (made by hand or imported without one)."""


def _annotated_documents(
    db: Database,
    selection: ExportSelection,
    cancelled: Callable[[], bool],
) -> Iterator[AnnotatedDocument]:
    with db.reading() as repo:
        labels = {label.id: label for label in repo.labels()}
        annotators = {a.id: a for a in repo.annotators()}
        relation_types = {t.id: t for t in repo.relation_types()}
    label_ids = {i for i, label in labels.items() if label.name in selection.label_names}
    annotator_ids = {i for i, a in annotators.items() if a.name in selection.annotator_names}
    ids: Iterable[int]
    if selection.document_ids:
        ids = dict.fromkeys(selection.document_ids)  # each once, in the order chosen
    elif selection.tag is not None or selection.status is not None:
        ids = _filtered_ids(db, selection)
    else:
        ids = iter_document_ids(db)
    known_actors: dict[int, Actor] = {}  # registry entries fetched so far (the registry is small)
    id_iter = iter(ids)
    while batch := list(itertools.islice(id_iter, EXPORT_BATCH)):
        with db.reading() as repo:
            contents = repo.document_contents(batch)
            linked = {
                s.actor_id
                for c in contents
                for s in c.spans
                if s.actor_id is not None and s.actor_id not in known_actors
            }
            if linked:
                known_actors.update((a.id, a) for a in repo.actors_by_ids(linked))
            if any(  # an annotator added while the export runs
                i not in annotators
                for c in contents
                for i in itertools.chain(
                    (s.annotator_id for s in c.spans),
                    (r.annotator_id for r in c.relations),
                    c.statuses,
                )
            ):
                annotators = {a.id: a for a in repo.annotators()}
        for c in contents:
            if cancelled():
                raise ExportCancelledError("export cancelled; nothing was written")
            yield _annotated(
                c,
                label_ids,
                annotator_ids,
                labels,
                annotators,
                relation_types,
                known_actors,
                set(selection.origins),
            )


def _annotated(
    contents: DocumentContents,
    label_ids: set[int],
    annotator_ids: set[int],
    labels: dict[int, Label],
    annotators: dict[int, Annotator],
    relation_types: dict[int, RelationType],
    known_actors: dict[int, Actor],
    origins: set[str],
) -> AnnotatedDocument:
    """One document as the writers take it: the chosen labels' and annotators' spans, the
    relations between them and the registry actors they link to."""
    kept = tuple(
        s
        for s in contents.spans
        if (not label_ids or s.label_id in label_ids)
        and (not annotator_ids or s.annotator_id in annotator_ids)
        and (not origins or (s.origin or MANUAL) in origins)
    )
    kept_ids = {s.id for s in kept}
    carried = tuple(
        r for r in contents.relations if r.source_id in kept_ids and r.target_id in kept_ids
    )
    linked = sorted({s.actor_id for s in kept if s.actor_id is not None})
    actors = {i: known_actors[i] for i in linked if i in known_actors}
    statuses = {i: status.value for i, status in contents.statuses.items()}
    return AnnotatedDocument(
        contents.document,
        kept,
        labels,
        annotators,
        contents.tags,
        carried,
        relation_types,
        actors,
        statuses,
    )


def _library_query(repo: Repository, selection: ExportSelection) -> tuple[int, LibraryFilter]:
    """The library filter for a tag or status selection, and whose status it reads."""
    owner = repo.annotator_named(selection.status_of).id if selection.status_of else 0
    return owner, LibraryFilter(status=selection.status, tag=selection.tag)


def _filtered_ids(db: Database, selection: ExportSelection) -> Iterator[int]:
    with db.transaction() as repo:
        owner, filters = _library_query(repo, selection)
    offset = 0
    while True:
        with db.reading() as repo:
            page = repo.page_documents(
                annotator_id=owner,
                sort=LibrarySort.CREATED,
                descending=False,
                filters=filters,
                offset=offset,
                limit=PAGE,
            )
        if not page:
            return
        yield from (row.id for row in page)
        offset += len(page)


def count_export_documents(db: Database, selection: ExportSelection) -> int:
    """How many documents an export of this selection writes: the total of its progress."""
    if selection.document_ids:
        return len(set(selection.document_ids))
    with db.transaction() as repo:
        if selection.tag is None and selection.status is None:
            return repo.document_count()
        owner, filters = _library_query(repo, selection)
        return repo.count_documents(annotator_id=owner, filters=filters)


def export_corpus(
    db: Database,
    *,
    format_name: str,
    out: Path,
    selection: ExportSelection | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> WriteReport:
    """Write the selected documents in a format; returns counts, files and what was lost."""
    info = get_format(format_name)
    if not info.can_write:
        raise AnnotatorError(f"the {info.name} format can only be read")
    selection = selection or ExportSelection()
    if selection.status is not None and not selection.status_of:
        raise AnnotatorError("a status filter needs the annotator whose status it is")
    out = check_export_target(info.name, out)
    recover(out)  # what an export here that was killed left beside it
    tmp = partial_folder(out)
    try:
        partial = tmp / out.name
        # The format chosen decides what is written, whatever the file is called.
        report = info.write(
            _annotated_documents(db, selection, cancelled), partial, progress=progress
        )
        # A one-file format may write files beside its file (Label Studio's labeling config):
        # they move next to `out` with it, the main file last.
        placed = {
            Path(f): out.parent / Path(f).name
            for f in report.files
            if Path(f).parent == tmp and Path(f) != partial
        } | {partial: out}
        for written, target in placed.items():
            if written.is_dir():
                replace_folder(written, target)
            else:
                replace_file(written, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # Writers name the file they wrote in their messages: the temporary one, until now.
    report.problems = [
        dataclasses.replace(p, origin=p.origin.replace(str(partial), str(out)))
        for p in report.problems
    ]
    report.files = [_final_name(Path(f), placed, partial, out) for f in report.files] or [str(out)]
    return report


def check_export_target(format_name: str, out: Path) -> Path:
    """`out` with ~ expanded, or the error an export there would stop at before writing: a
    missing folder, a file where the format writes a folder (or the other way), a file named as
    another format's. The export dialog asks before it closes."""
    info = get_format(format_name)
    out = out.expanduser()
    if not out.name:
        raise AnnotatorError("say where to export to")
    if out.exists() and info.output is Output.FOLDER and not out.is_dir():
        raise AnnotatorError(f"{out} is a file; the {info.name} format writes a folder")
    if out.is_dir() and info.output is Output.FILE:
        raise AnnotatorError(f"{out} is a folder; the {info.name} format writes one file")
    _check_suffix(info, out)
    parent = out.parent
    if not parent.is_dir():
        raise AnnotatorError(f"the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise AnnotatorError(f"the folder {parent} cannot be written to")
    return out


def _check_suffix(info: FormatInfo, out: Path) -> None:
    """Refuse a file named as another format's (an XLSX workbook called `table.csv`): other
    programs open files by their suffix and would misread it. No suffix, or one no format
    uses, is the user's choice."""
    suffix = out.suffix.lower()
    if info.output is not Output.FILE or not suffix or suffix in info.extensions:
        return
    others = [
        f.name
        for f in FORMATS
        if f.can_write and f.output is Output.FILE and suffix in f.extensions
    ]
    if others:
        raise AnnotatorError(
            f"{out.name} ends in {suffix}, the suffix of {' and '.join(others)} files, but the "
            f"{info.name} format writes {info.extensions[0]}: rename the file or choose "
            f"{'that format' if len(others) == 1 else 'one of those formats'}"
        )


def _final_name(written: Path, placed: Mapping[Path, Path], partial: Path, out: Path) -> str:
    """Where a file the writer wrote in the temporary folder ends up."""
    if written in placed:
        return str(placed[written])
    return str(out / written.relative_to(partial))  # inside a folder export


# Import ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class AnnotationImportReport:
    documents_added: int = 0
    documents_matched: int = 0  # the same text was already stored: its spans were added to it
    # A new text at a stored document's URL: a revision of it, the spans added on the new text.
    documents_revised: int = 0
    spans_to_review: int = 0  # of the stored spans, those the new texts put up for review
    spans_added: int = 0
    spans_already_there: int = 0
    relations_added: int = 0
    relations_already_there: int = 0
    labels_added: list[str] = field(default_factory=list)
    attributes_added: list[str] = field(default_factory=list)  # "LABEL.attribute"
    relation_types_added: list[str] = field(default_factory=list)
    actors_added: list[str] = field(default_factory=list)  # keys
    problems: list[FormatProblem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.documents_added} documents added, {self.documents_matched} matched stored "
            f"texts; {self.spans_added} spans added, {self.spans_already_there} already there"
        ]
        if self.documents_revised:
            parts.insert(
                0,
                f"{self.documents_revised} revised ({self.spans_to_review} stored spans to review)",
            )
        if self.relations_added or self.relations_already_there:
            parts.append(
                f"{self.relations_added} relations added, "
                f"{self.relations_already_there} already there"
            )
        if self.actors_added:
            parts.append(f"{len(self.actors_added)} actors added to the registry")
        if self.relation_types_added:
            parts.append(f"relation types added: {', '.join(self.relation_types_added)}")
        if self.attributes_added:
            parts.append(f"attributes added to labels: {', '.join(self.attributes_added)}")
        parts.append(f"{len(self.problems)} problems")
        return "; ".join(parts)


def import_annotations(
    db: Database,
    *,
    paths: Sequence[Path],
    format_name: str | None = None,
    annotator_name: str,
    annotator_overrides: bool = False,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    as_new: bool = False,
) -> AnnotationImportReport:
    """Read annotated documents in an interchange format and store them with their spans,
    relations and actor links.

    Without `format_name` the format is guessed per path. Spans and relations without an
    annotator are `annotator_name`'s; with `annotator_overrides` (the user named whose they
    are) every span, relation and status is `annotator_name`'s, whatever the file says.
    Labels and relation types unknown to the schema are added to it; actors unknown to the
    registry are added to it (matched by key). A document whose URL is a stored document's
    and whose text is new revises that document first (its spans follow or go to review) and
    gets the file's annotations on the new text; with `as_new` it is stored as a new document
    instead.
    """
    report = AnnotationImportReport()
    actor_ids: dict[str, int] = {}
    done = 0
    with paused_collection():
        for path in paths:
            info = get_format(format_name) if format_name else guess_format(path)
            if info is None:
                report.problems.append(
                    FormatProblem(str(path), "not a file of any annotation format this app reads")
                )
                continue
            if not info.can_read:
                report.problems.append(
                    FormatProblem(str(path), f"{info.name} files cannot be read")
                )
                continue
            _add_file_labels(db, info, path, report)
            _add_file_relation_types(db, info, path, report)
            batch: list[ImportedDocument | FormatProblem] = []
            documents = characters = spans = 0
            for item in _read(info, path):
                if cancelled():  # the batch being read is dropped: never part of a document
                    return report
                if isinstance(item, ImportedDocument):
                    if annotator_overrides:
                        item = _owned_by(item, annotator_name)
                    documents += 1
                    characters += len(item.text)
                    spans += len(item.spans) + len(item.relations)
                batch.append(item)
                if (
                    documents >= BATCH_DOCUMENTS
                    or characters >= BATCH_CHARACTERS
                    or spans >= BATCH_SPANS
                ):
                    _store_batch(db, batch, annotator_name, report, actor_ids, as_new=as_new)
                    collect_batch()
                    done += documents
                    if progress is not None:
                        progress(done)
                    batch, documents, characters, spans = [], 0, 0, 0
            if batch:
                _store_batch(db, batch, annotator_name, report, actor_ids, as_new=as_new)
                collect_batch()
                done += documents
                if progress is not None and documents:
                    progress(done)
    return report


def _attribute_defs(
    definition: Mapping[str, object], path: Path, report: AnnotationImportReport
) -> tuple[AttributeDef, ...]:
    found: list[AttributeDef] = []
    raw = definition.get("attributes")
    for item in raw if isinstance(raw, list) else []:
        try:
            attribute = AttributeDef.from_dict(item)
        except AnnotatorError as exc:
            report.problems.append(
                FormatProblem(str(path), f"label {definition.get('name')!r}: {exc}; not added")
            )
            continue
        if all(a.name != attribute.name for a in found):
            found.append(attribute)
    return tuple(found)


def _add_file_labels(
    db: Database, info: FormatInfo, path: Path, report: AnnotationImportReport
) -> None:
    """Labels a file defines (native files do), added with their colour, style, hotkey and
    attribute definitions; a label already there gets the attribute definitions it lacks."""
    read_labels = getattr(info.load(), "read_labels", None)
    if read_labels is None or not path.is_file():
        return
    with db.transaction() as repo:
        labels = {label.name: label for label in repo.labels()}
        hotkeys = {label.hotkey for label in labels.values()}
        for definition in read_labels(path):
            name = definition.get("name")
            if not isinstance(name, str):
                continue
            attributes = _attribute_defs(definition, path, report)
            if name in labels:
                label = labels[name]
                new = tuple(a for a in attributes if label.attribute(a.name) is None)
                if new:
                    spec = LabelSpec(
                        label.name,
                        label.colour,
                        label.hotkey,
                        label.style,
                        label.description,
                        (*label.attributes, *new),
                    )
                    labels[name] = repo.update_label(label.id, spec)
                    report.attributes_added.extend(f"{name}.{a.name}" for a in new)
                continue
            hotkey = definition.get("hotkey")
            style = definition.get("style")
            spec = LabelSpec(
                name,
                str(definition.get("colour") or EXTRA_COLOURS[0]),
                hotkey if isinstance(hotkey, str) and hotkey not in hotkeys else None,
                HighlightStyle(style)
                if style in ("background", "underline")
                else HighlightStyle.BACKGROUND,
                str(definition.get("description") or ""),
                attributes,
            )
            labels[name] = repo.add_label(spec, position=len(labels))
            hotkeys.add(spec.hotkey)
            report.labels_added.append(name)


def _add_file_relation_types(
    db: Database, info: FormatInfo, path: Path, report: AnnotationImportReport
) -> None:
    """Relation types a file defines (native files do) that the schema lacks, with their ends."""
    read_types = getattr(info.load(), "read_relation_types", None)
    if read_types is None or not path.is_file():
        return
    with db.transaction() as repo:
        labels = {label.name: label.id for label in repo.labels()}
        known = {t.name for t in repo.relation_types()}
        for definition in read_types(path):
            name = definition.get("name")
            if not isinstance(name, str) or not name.strip() or name in known:
                continue
            ends: list[int | None] = []
            for end in ("from", "to"):
                label = definition.get(end)
                if isinstance(label, str) and label not in labels:
                    report.problems.append(
                        FormatProblem(
                            str(path),
                            f"relation type {name}: no label {label!r}; it links any label",
                        )
                    )
                ends.append(labels.get(label) if isinstance(label, str) else None)
            colour = definition.get("colour")
            repo.save_relation_type(
                name=name,
                source_label_id=ends[0],
                target_label_id=ends[1],
                colour=colour.upper()
                if isinstance(colour, str) and _COLOUR.match(colour)
                else NEUTRAL_COLOUR,
                description=str(definition.get("description") or ""),
            )
            known.add(name)
            report.relation_types_added.append(name)


def _read(info: FormatInfo, path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    try:
        yield from info.load().read(path)
    except OSError as exc:
        yield FormatProblem(str(path), f"cannot read ({exc.strerror or exc})")


def _coerced(label: Label, attributes: Mapping[str, object]) -> dict[str, object]:
    """Attribute values as the schema types them: "yes"/"no" text for a yes/no attribute
    (formats without booleans write them so) becomes True/False. Other values stay as read."""
    if not label.attributes:
        return dict(attributes) if attributes else {}
    values = dict(attributes)
    for definition in label.attributes:
        value = values.get(definition.name)
        if definition.kind is AttributeKind.BOOLEAN and isinstance(value, str):
            folded = value.strip().casefold()
            if folded in _TRUE:
                values[definition.name] = True
            elif folded in _FALSE:
                values[definition.name] = False
    return values


def _owned_by(item: ImportedDocument, name: str) -> ImportedDocument:
    """The document with every span, relation and status given to `name`."""
    statuses = item.statuses
    if statuses:
        # The most advanced status the file gives (done over in progress).
        best = "done" if "done" in statuses.values() else next(iter(statuses.values()))
        statuses = {name: best}
    return dataclasses.replace(
        item,
        spans=tuple(dataclasses.replace(s, annotator=name) for s in item.spans),
        relations=tuple(dataclasses.replace(r, annotator=name) for r in item.relations),
        statuses=statuses,
    )


# Documents stored per transaction by an annotation import. A commit (a full fsync) per batch
# instead of one per document; a window that writes meanwhile waits for one batch at most (a
# fraction of a second), and a cancelled import keeps the batches it finished. A batch always
# holds whole documents.
BATCH_DOCUMENTS = 500
BATCH_CHARACTERS = 4_000_000
BATCH_SPANS = 20_000

SpanKey = tuple[int, int, int, int]  # start, end, label id, annotator id


@dataclass(slots=True)
class _Placed:
    """One imported document of a batch: its text as stored and where it went."""

    item: ImportedDocument
    text: str
    mapping: Sequence[int] | None  # file offsets -> stored offsets, when line ends changed
    digest: str
    doc_id: int = 0
    added: bool = False  # a new document (not a matched text, not a revision)
    # Its problems in file order; None holds the place of a relation not yet stored.
    problems: list[FormatProblem | None] = field(default_factory=list)


@dataclass(slots=True)
class _Batch:
    """One batch's transaction, and what it resolves once: labels, annotators, relation types."""

    repo: Repository
    annotator_name: str
    report: AnnotationImportReport
    actor_ids: dict[str, int]
    labels: dict[str, Label]
    annotators: dict[str, int] = field(default_factory=dict)
    types: dict[str, RelationType] | None = None

    def annotator_id(self, name: str) -> int:
        if name not in self.annotators:
            self.annotators[name] = self.repo.annotator_named(name).id
        return self.annotators[name]


def _store_batch(
    db: Database,
    entries: Sequence[ImportedDocument | FormatProblem],
    annotator_name: str,
    report: AnnotationImportReport,
    actor_ids: dict[str, int],
    *,
    as_new: bool = False,
) -> None:
    """Store a batch of read documents with their spans, relations and statuses in one
    transaction: one duplicate query, one URL lookup for revisions, one insert of spans and
    one of relations (a revision first stores the documents before it the same way).

    A document whose URL matches a stored one's (or an earlier one's in the file) and whose
    text is new revises the latest document at that URL, unless `as_new`: matched by URL only
    (a row id of a doccano or Label Studio file names no article). Problems are reported in
    file order."""
    placed: list[_Placed | FormatProblem] = []
    for entry in entries:
        if isinstance(entry, FormatProblem):
            placed.append(entry)
            continue
        # Most files have LF line ends only: then offsets need no mapping.
        text, mapping = (
            normalise_newlines_mapping(entry.text) if "\r" in entry.text else (entry.text, None)
        )
        placed.append(_Placed(entry, text, mapping, sha256_of(text)))
    docs = [p for p in placed if isinstance(p, _Placed)]
    keys = {
        id(p): normalise_url(p.item.meta.url) if p.item.meta.url and not as_new else None
        for p in docs
    }
    with db.transaction() as repo:
        batch = _Batch(repo, annotator_name, report, actor_ids, {x.name: x for x in repo.labels()})
        # Documents at the batch's URLs, latest last: stored ids, then this batch's documents.
        at_url: dict[str, list[int | _Placed]] = {}
        if any(keys.values()):
            urls = {p.item.meta.url for p in docs if p.item.meta.url and keys[id(p)]}
            for url_key, found in repo.documents_at_urls(urls).items():
                at_url[url_key] = [doc_id for doc_id, _ in found]
        # The texts of the documents that may be revisions (a URL stored or seen earlier in the
        # batch) are looked up once; add_documents finds the other duplicates.
        seen: set[str | None] = set()
        maybe = []
        for p in docs:
            wanted = keys[id(p)]
            if wanted is not None and (wanted in at_url or wanted in seen):
                maybe.append(p.digest)
            seen.add(wanted)
        known = set(repo.documents_with_digests(maybe)) if maybe else set()
        segment: list[_Placed | FormatProblem] = []
        for part in placed:
            key = keys[id(part)] if isinstance(part, _Placed) else None
            if isinstance(part, _Placed) and key is not None:
                if key in at_url and part.digest not in known:
                    # Store what came before whole, so that the revision carries its spans.
                    _store_segment(batch, segment)
                    target = next(
                        (
                            ref if isinstance(ref, int) else ref.doc_id
                            for ref in reversed(at_url[key])
                            if isinstance(ref, int) or ref.added
                        ),
                        None,
                    )
                    if target is not None:
                        # Loaded only now: re-anchoring is a tenth of an import's start.
                        from annotator.services.revisions import plan_revision

                        known.discard(repo.document(target).sha256)
                        revised = repo.store_revision(plan_revision(repo, target, part.text))
                        part.doc_id = revised.document_id
                        report.documents_revised += 1
                        report.spans_to_review += revised.to_review
                at_url.setdefault(key, []).append(part)
            if isinstance(part, _Placed):
                known.add(part.digest)
            segment.append(part)
        _store_segment(batch, segment)
    for part in placed:
        problems = [part] if isinstance(part, FormatProblem) else part.problems
        report.problems.extend(x for x in problems if x is not None)


def _store_segment(batch: _Batch, segment: list[_Placed | FormatProblem]) -> None:
    """Store the documents of `segment` (one insert), then their spans (one insert), relations
    (one insert) and statuses; empties `segment`.

    The texts stored already are looked up first, so that the spans of the new documents are
    checked before their rows go in, with their `span_count` (no UPDATE of each row after)."""
    repo, report = batch.repo, batch.report
    docs = [p for p in segment if isinstance(p, _Placed)]
    segment.clear()
    if not docs:
        return
    fresh = [p for p in docs if not p.doc_id]  # the others are revisions, already stored
    before = {p.doc_id for p in docs if p.doc_id}  # documents that may hold spans already
    items = [(p.item.meta, p.text, p.item.tags) for p in fresh]
    check_new_documents(items)  # refused before anything else, as `add_documents` refuses
    stored = repo.documents_with_digests([p.digest for p in fresh]) if fresh else {}
    first: dict[str, _Placed] = {}  # digest -> the fresh document that becomes its new row
    for p in fresh:
        if p.digest in stored:
            before.add(stored[p.digest])
        else:
            first.setdefault(p.digest, p)
    existing = repo.span_keys(before) if before else {}
    new: dict[int, dict[SpanKey, NewSpan]] = {}  # spans of documents stored before
    new_spans = {digest: dict[SpanKey, NewSpan]() for digest in first}  # of the new ones
    linked: list[tuple[_Placed, dict[str, SpanKey], set[str]]] = []
    for p in docs:
        doc_id = p.doc_id or stored.get(p.digest)
        if doc_id:
            refs, refused = _collect_spans(
                batch, p, existing.setdefault(doc_id, {}), new.setdefault(doc_id, {})
            )
        else:  # a new document, or a later copy of its text: no spans stored yet
            refs, refused = _collect_spans(batch, p, {}, new_spans[p.digest])
        if p.item.relations:
            linked.append((p, refs, refused))
    added = repo.add_documents(
        items,
        created=[p.item.created for p in fresh],
        digests=[p.digest for p in fresh],
        span_counts=[len(new_spans.get(p.digest, ())) for p in fresh],
        defer_search=True,
    )
    counted: set[int] = set()
    for p, outcome in zip(fresh, added, strict=True):
        if isinstance(outcome, DuplicateOf) == (first.get(p.digest) is p):
            # Another program stored or deleted the text since the look-up (PostgreSQL).
            raise AnnotatorError(
                "another user stored or deleted some of these documents at the same moment; "
                "import the file again"
            )
        if isinstance(outcome, DuplicateOf):
            p.doc_id = outcome.existing_id
            report.documents_matched += 1
        else:
            p.doc_id = outcome.id
            p.added = True
            report.documents_added += 1
            new[p.doc_id] = new_spans[p.digest]
            counted.add(p.doc_id)
    # The spans carry their quotes as checked against the texts stored (a matched text has the
    # same SHA-256, a revision's was stored as `p.text`).
    report.spans_added += repo.add_spans_of(
        {d: list(s.values()) for d, s in new.items() if s}, checked=True, counted=counted
    )
    if linked:
        _store_relations(batch, linked, before)
    for p in docs:
        if p.item.statuses:
            current = repo.document_statuses(p.doc_id)
            for name, status in p.item.statuses.items():
                annotator_id = batch.annotator_id(name)
                if annotator_id not in current:  # never undo progress recorded here
                    repo.set_status(document_id=p.doc_id, annotator_id=annotator_id, status=status)


def _collect_spans(
    batch: _Batch,
    p: _Placed,
    existing: Mapping[SpanKey, int],
    new: dict[SpanKey, NewSpan],
) -> tuple[dict[str, SpanKey], set[str]]:
    """Check the document's spans and add the new ones to `new` (its document's spans to
    insert, each with its quote: the text it covers, so the store need not check it again);
    the file's span refs -> their keys, and the refs refused."""
    item, text, mapping, report = p.item, p.text, p.mapping, batch.report
    old_refs: dict[str, SpanKey] = {}  # refs of spans already stored win, as they always did
    new_refs: dict[str, SpanKey] = {}
    refused: set[str] = set()
    labels, annotators = batch.labels, batch.annotators
    file_length, length = len(item.text), len(text)
    for span in item.spans:
        start, end = span.start, span.end
        if not (0 <= start <= end <= file_length):
            p.problems.append(
                FormatProblem(span.origin or item.origin, f"span {start}-{end} is outside the text")
            )
            if span.ref is not None:
                refused.add(span.ref)
            continue
        if mapping is not None:
            start, end = mapping[start], mapping[end]
        quote = span.quote
        if quote is not None and "\r" in quote:
            quote = normalise_newlines(quote)
        actual = text[start:end]
        if not (0 <= start < end <= length and (quote is None or quote == actual)):
            try:
                check_span(text, start, end, quote)  # raises, saying why
            except InvalidSpanError as exc:
                p.problems.append(FormatProblem(span.origin or item.origin, str(exc)))
                if span.ref is not None:
                    refused.add(span.ref)
                continue
        label = labels.get(span.label) or _add_label(batch.repo, span.label, labels, report)
        name = span.annotator or batch.annotator_name
        annotator_id = annotators.get(name) or batch.annotator_id(name)
        key = (start, end, label.id, annotator_id)
        if key in existing:
            report.spans_already_there += 1
            if span.ref is not None:
                old_refs.setdefault(span.ref, key)
            continue
        if key in new:
            report.spans_already_there += 1
        else:
            actor_id = (
                _actor_id(batch.repo, span, actual, item, report, batch.actor_ids)
                if span.actor and span.actor.strip()
                else None
            )
            attributes = span.attributes
            new[key] = NewSpan(
                start,
                end,
                label.id,
                annotator_id,
                actual,
                _coerced(label, attributes) if label.attributes else dict(attributes),
                span.note,
                actor_id,
                span.created,
                span.updated,
                span.engine[:40] if span.engine else None,
                span.engine_version[:64] if span.engine_version else None,
            )
        if span.ref is not None:
            new_refs.setdefault(span.ref, key)
    return new_refs | old_refs, refused


def _store_relations(
    batch: _Batch,
    linked: Sequence[tuple[_Placed, Mapping[str, SpanKey], set[str]]],
    before: set[int],
) -> None:
    """The relations of these documents, with one insert; each that cannot be stored is a
    problem of its document, in file order."""
    repo, report = batch.repo, batch.report
    if batch.types is None:
        batch.types = {t.name: t for t in repo.relation_types()}
    types = batch.types
    ids = repo.span_keys({p.doc_id for p, _, _ in linked})
    known: dict[int, set[tuple[int, int, int]]] = {
        doc_id: {(r.type_id, r.source_id, r.target_id) for r in repo.relations(doc_id)}
        for doc_id in {p.doc_id for p, _, _ in linked} & before
    }
    queue: list[NewRelation] = []
    queued: dict[tuple[int, int, int], int] = {}
    # Per relation sent: its document, its place among the document's problems, the relation,
    # its index in `queue` and whether it is the first with its key.
    sent: list[tuple[_Placed, int, ImportedRelation, int, bool]] = []
    for p, refs, refused in linked:
        span_ids = ids.get(p.doc_id, {})
        stored = {ref: span_ids[key] for ref, key in refs.items()}
        there = known.setdefault(p.doc_id, set())
        for relation in p.item.relations:
            source, target = stored.get(relation.source), stored.get(relation.target)
            if source is None or target is None:
                p.problems.append(
                    FormatProblem(
                        relation.origin or p.item.origin,
                        _unplaced(relation, stored, refused) + "; not imported",
                    )
                )
                continue
            relation_type = types.get(relation.type) or _add_relation_type(
                repo, relation.type, types, report
            )
            key = (relation_type.id, source, target)
            if key in there:
                report.relations_already_there += 1
                continue
            first = key not in queued
            if first:
                queued[key] = len(queue)
                queue.append(
                    NewRelation(
                        relation_type.id,
                        source,
                        target,
                        batch.annotator_id(relation.annotator or batch.annotator_name),
                        relation.created,
                    )
                )
            sent.append((p, len(p.problems), relation, queued[key], first))
            p.problems.append(None)
    reasons = repo.add_relations(queue)
    for p, place, relation, index, first in sent:
        reason = reasons[index]
        if reason is None:
            if first:
                report.relations_added += 1
            else:
                report.relations_already_there += 1
        else:
            p.problems[place] = FormatProblem(
                relation.origin or p.item.origin,
                f"{relation.type} relation {relation.source} -> {relation.target}: {reason}; "
                "not imported",
            )


def _unplaced(relation: ImportedRelation, stored: Mapping[str, int], refused: set[str]) -> str:
    reasons = []
    for role, ref in (("source", relation.source), ("target", relation.target)):
        if ref in stored:
            continue
        if ref in refused:
            reasons.append(f"its {role} span {ref} was refused (see its problem)")
        else:
            reasons.append(f"its {role} {ref} is not a span of this document")
    return f"{relation.type} relation {relation.source} -> {relation.target}: " + " and ".join(
        reasons
    )


def _actor_id(
    repo: Repository,
    span: ImportedSpan,
    quote: str,
    item: ImportedDocument,
    report: AnnotationImportReport,
    actor_ids: dict[str, int],
) -> int:
    """The registry actor with the span's key: known, or created from the file's registry
    entry, or (a format that carries only keys) named after this first mention."""
    key = (span.actor or "").strip()
    if key in actor_ids:
        return actor_ids[key]
    found = repo.actor_by_key(key)
    if found is None:
        entry = next((a for a in item.actors if a.key == key), None)
        if entry is not None:
            actor = Actor(
                0,
                key,
                entry.name.strip(),
                entry.kind,
                entry.aliases,
                entry.description,
                entry.external_id,
            )
        else:
            kind = span.attributes.get(ACTOR_KIND)
            actor = Actor(0, key, quote.strip() or key, kind if kind in ACTOR_KINDS else None)
        found = repo.save_actor(actor, new=True)
        report.actors_added.append(key)
    actor_ids[key] = found.id
    return found.id


def _add_label(
    repo: Repository, name: str, labels: dict[str, Label], report: AnnotationImportReport
) -> Label:
    used_keys = {label.hotkey for label in labels.values()}
    hotkey = next((k for k in "456789" if k not in used_keys), None)
    colour = EXTRA_COLOURS[len(report.labels_added) % len(EXTRA_COLOURS)]
    spec = LabelSpec(name, colour, hotkey, HighlightStyle.BACKGROUND, "added by an import")
    label = repo.add_label(spec, position=len(labels))
    labels[name] = label
    report.labels_added.append(name)
    return label


def _add_relation_type(
    repo: Repository,
    name: str,
    types: dict[str, RelationType],
    report: AnnotationImportReport,
) -> RelationType:
    """A relation type the file names but does not define: any label to any label."""
    relation_type = repo.save_relation_type(
        name=name,
        source_label_id=None,
        target_label_id=None,
        colour=NEUTRAL_COLOUR,
        description="added by an import",
    )
    types[name] = relation_type
    report.relation_types_added.append(name)
    return relation_type
