"""Export to and import from the interchange formats listed in `annotator.formats.registry`.

Exports stream: documents are read a page of ids at a time, one document with its spans per
transaction, and handed to the format's writer one by one; the output is written to a
temporary name and moved into place only when complete, so a cancelled or failed export never
leaves a half-written file where the user expects one. Imports check every span against the
text (offsets and quote) and store each document with its spans in one transaction.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.errors import AnnotatorError, InvalidSpanError
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    WriteReport,
)
from annotator.domain.library import DocumentStatus, DuplicateOf, LibraryFilter, LibrarySort
from annotator.domain.model import HighlightStyle, Label
from annotator.domain.schema import LabelSpec
from annotator.domain.text import check_span, normalise_newlines_mapping
from annotator.formats.registry import FormatInfo, Output, get_format, guess_format
from annotator.store import Database, Repository

PAGE = 500
# Colours for labels that arrive with imported files, after the default schema's three
# (Okabe-Ito again: distinguishable with common colour-vision deficiencies).
EXTRA_COLOURS = ("#009E73", "#0072B2", "#D55E00", "#F0E442", "#999999", "#000000")


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


def _annotated_documents(
    db: Database,
    selection: ExportSelection,
    cancelled: Callable[[], bool],
) -> Iterator[AnnotatedDocument]:
    with db.transaction() as repo:
        labels = {label.id: label for label in repo.labels()}
        annotators = {a.id: a for a in repo.annotators()}
    label_ids = {i for i, label in labels.items() if label.name in selection.label_names}
    annotator_ids = {i for i, a in annotators.items() if a.name in selection.annotator_names}
    ids: Iterable[int]
    if selection.document_ids:
        ids = selection.document_ids
    elif selection.tag is not None or selection.status is not None:
        ids = _filtered_ids(db, selection)
    else:
        ids = _all_document_ids(db)
    for doc_id in ids:
        if cancelled():
            raise ExportCancelledError("export cancelled; nothing was written")
        with db.transaction() as repo:
            document = repo.document(doc_id)
            spans = repo.spans(doc_id)
            tags = repo.document_tags(doc_id)
        kept = tuple(
            s
            for s in spans
            if (not label_ids or s.label_id in label_ids)
            and (not annotator_ids or s.annotator_id in annotator_ids)
        )
        yield AnnotatedDocument(document, kept, labels, annotators, tags)


def _all_document_ids(db: Database) -> Iterator[int]:
    after = 0
    while True:
        with db.transaction() as repo:
            page = repo.document_ids(after=after, limit=PAGE)
        if not page:
            return
        yield from page
        after = page[-1]


def _filtered_ids(db: Database, selection: ExportSelection) -> Iterator[int]:
    with db.transaction() as repo:
        owner = repo.annotator_named(selection.status_of).id if selection.status_of else 0
    filters = LibraryFilter(status=selection.status, tag=selection.tag)
    offset = 0
    while True:
        with db.transaction() as repo:
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
    out = out.expanduser()
    if out.exists() and info.output is Output.FOLDER and not out.is_dir():
        raise AnnotatorError(f"{out} is a file; the {info.name} format writes a folder")
    if out.is_dir() and info.output is Output.FILE:
        raise AnnotatorError(f"{out} is a folder; the {info.name} format writes one file")
    parent = out.parent
    if not parent.is_dir():
        raise AnnotatorError(f"the folder {parent} does not exist")
    module = info.load()
    with tempfile.TemporaryDirectory(dir=parent, prefix=f".{out.name}.") as tmp:
        partial = Path(tmp) / out.name
        report = module.write(
            _annotated_documents(db, selection, cancelled), partial, progress=progress
        )
        _replace(partial, out)
    report.files = [
        str(out / Path(f).relative_to(partial)) if Path(f).is_relative_to(partial) else str(out)
        for f in report.files
    ] or [str(out)]
    return report


def _replace(partial: Path, out: Path) -> None:
    """Move a finished export into place, replacing an earlier export of the same name."""
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    partial.rename(out)


# Import ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class AnnotationImportReport:
    documents_added: int = 0
    documents_matched: int = 0  # the same text was already stored: its spans were added to it
    spans_added: int = 0
    spans_already_there: int = 0
    labels_added: list[str] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.documents_added} documents added, {self.documents_matched} matched stored "
            f"texts; {self.spans_added} spans added, {self.spans_already_there} already there; "
            f"{len(self.problems)} problems"
        )


def import_annotations(
    db: Database,
    *,
    paths: Sequence[Path],
    format_name: str | None = None,
    annotator_name: str,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> AnnotationImportReport:
    """Read annotated documents in an interchange format and store them with their spans.

    Without `format_name` the format is guessed per path. Spans without an annotator are
    `annotator_name`'s. Labels unknown to the schema are added to it.
    """
    report = AnnotationImportReport()
    done = 0
    for path in paths:
        info = get_format(format_name) if format_name else guess_format(path)
        if info is None:
            report.problems.append(
                FormatProblem(str(path), "not a file of any annotation format this app reads")
            )
            continue
        if not info.can_read:
            report.problems.append(FormatProblem(str(path), f"{info.name} files cannot be read"))
            continue
        _add_file_labels(db, info, path, report)
        for item in _read(info, path):
            if cancelled():
                return report
            if isinstance(item, FormatProblem):
                report.problems.append(item)
                continue
            _store_document(db, item, annotator_name, report)
            done += 1
            if progress is not None:
                progress(done)
    return report


def _add_file_labels(
    db: Database, info: FormatInfo, path: Path, report: AnnotationImportReport
) -> None:
    """Labels a file defines (native files do), added with their colour, style and hotkey."""
    read_labels = getattr(info.load(), "read_labels", None)
    if read_labels is None or not path.is_file():
        return
    with db.transaction() as repo:
        labels = {label.name: label for label in repo.labels()}
        hotkeys = {label.hotkey for label in labels.values()}
        for definition in read_labels(path):
            name = definition.get("name")
            if not isinstance(name, str) or name in labels:
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
            )
            labels[name] = repo.add_label(spec, position=len(labels))
            hotkeys.add(spec.hotkey)
            report.labels_added.append(name)


def _read(info: FormatInfo, path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    try:
        yield from info.load().read(path)
    except OSError as exc:
        yield FormatProblem(str(path), f"cannot read ({exc.strerror or exc})")


def _store_document(
    db: Database, item: ImportedDocument, annotator_name: str, report: AnnotationImportReport
) -> None:
    text, mapping = normalise_newlines_mapping(item.text)
    with db.transaction() as repo:
        (added,) = repo.add_documents([(item.meta, text, item.tags)])
        if isinstance(added, DuplicateOf):
            doc_id = added.existing_id
            report.documents_matched += 1
        else:
            doc_id = added.id
            report.documents_added += 1
        existing = {(s.start, s.end, s.label_id, s.annotator_id) for s in repo.spans(doc_id)}
        labels = {label.name: label for label in repo.labels()}
        for span in item.spans:
            origin = span.origin or item.origin
            if not (0 <= span.start <= span.end <= len(item.text)):
                report.problems.append(
                    FormatProblem(origin, f"span {span.start}-{span.end} is outside the text")
                )
                continue
            start, end = mapping[span.start], mapping[span.end]
            quote = None if span.quote is None else normalise_newlines_mapping(span.quote)[0]
            try:
                check_span(text, start, end, quote)
            except InvalidSpanError as exc:
                report.problems.append(FormatProblem(origin, str(exc)))
                continue
            label = labels.get(span.label) or _add_label(repo, span.label, labels, report)
            annotator = repo.annotator_named(span.annotator or annotator_name)
            key = (start, end, label.id, annotator.id)
            if key in existing:
                report.spans_already_there += 1
                continue
            repo.add_span(
                document_id=doc_id,
                start=start,
                end=end,
                label_id=label.id,
                annotator_id=annotator.id,
                attributes=dict(span.attributes),
                note=span.note,
            )
            existing.add(key)
            report.spans_added += 1


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
