"""Importing files: folders, archives and every source kind, with a summary per file.

One service behind `annotator import` and File > Import: `import_files` routes what the user
chose (annotation files to `import_annotations`, everything else read as articles), so both
give the same documents for the same files. Each file's documents are stored in the
same transaction, so a file is imported whole or not at all; a refused file or line is reported
and the batch goes on. Cancelling stops at the next file boundary: what finished is kept.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePosixPath

from annotator.domain.collector import collect_batch, paused_collection
from annotator.domain.errors import DuplicateDocumentError
from annotator.domain.library import AddedDocument, DuplicateOf
from annotator.domain.model import Document
from annotator.domain.revisions import StoredRevision, normalise_url
from annotator.domain.sources import Refusal, SourceDocument
from annotator.domain.text import normalise_newlines
from annotator.formats.registry import guess_format
from annotator.formats.sources import (
    ImportRefusedError,
    SourceOptions,
    decode_text,
    guess_kind,
    read_source,
)
from annotator.services.interchange import AnnotationImportReport, import_annotations
from annotator.store import Database, Repository

MAX_FILE_BYTES = 200 * 1024 * 1024
# A member that inflates more than this many times is treated as a zip bomb.
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_MEMBERS = 100_000


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    REVISED = "revised"  # a new version of a stored article (same URL): a revision of it
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one document, line or file."""

    origin: str
    outcome: Outcome
    detail: str = ""
    document_id: int | None = None
    revision: StoredRevision | None = None  # for REVISED: what the new version did to spans


@dataclass(slots=True)
class ImportReport:
    results: list[ImportResult] = field(default_factory=list)
    cancelled: bool = False
    annotations: str = ""  # the summary of annotation files read in the same run, if any
    annotation_report: AnnotationImportReport | None = None  # those files' whole report

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def imported_ids(self) -> list[int]:
        return [
            r.document_id
            for r in self.results
            if r.document_id is not None and r.outcome is Outcome.IMPORTED
        ]

    @property
    def revised(self) -> list[StoredRevision]:
        return [r.revision for r in self.results if r.revision is not None]

    def revised_summary(self) -> str:
        """E.g. "1 revised (41 spans placed, 2 to review)"; empty when nothing was revised."""
        revised = self.revised
        if not revised:
            return ""
        placed = sum(r.placed for r in revised)
        review = sum(r.to_review for r in revised)
        return f"{len(revised)} revised ({placed} spans placed, {review} to review)"

    def summary(self) -> str:
        text = f"{self.count(Outcome.IMPORTED)} imported, "
        if self.revised:
            text += self.revised_summary() + ", "
        text += f"{self.count(Outcome.DUPLICATE)} duplicate, {self.count(Outcome.REFUSED)} refused"
        text += f"; annotation files: {self.annotations}" if self.annotations else ""
        return text + (" (cancelled: the rest was not read)" if self.cancelled else "")


@dataclass(frozen=True, slots=True)
class ImportProgress:
    done_bytes: int
    total_bytes: int
    done_files: int
    total_files: int
    current: str


@dataclass(frozen=True, slots=True)
class _Input:
    """A file to read: on disk, or a member of a zip archive on disk."""

    display: str
    size: int
    path: Path
    member: str | None = None


def _walk(paths: Sequence[Path], report: ImportReport) -> list[_Input]:
    """Files to read, in a stable order: folders recursively (hidden entries skipped), zip
    archives member by member, wherever they are found."""
    inputs: list[_Input] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            reason = exc.strerror or "cannot read"
            report.results.append(ImportResult(str(path), Outcome.REFUSED, reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            files = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not p.is_symlink()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        else:
            files = [path]
        for file in files:
            if file.suffix.lower() == ".zip":
                inputs.extend(_archive_members(file, report))
            else:
                inputs.append(_Input(str(file), file.stat().st_size, file))
    return inputs


def _archive_members(path: Path, report: ImportReport) -> list[_Input]:
    """The members of a zip that are safe to read; the others are refused with the reason.

    Nothing is ever extracted to disk, so a member named `../x` or `/etc/x` cannot write
    anywhere; it is still refused, because a name like that is a sign of a hostile archive.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        report.results.append(
            ImportResult(str(path), Outcome.REFUSED, f"not a readable zip archive ({exc})")
        )
        return []
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        report.results.append(
            ImportResult(str(path), Outcome.REFUSED, f"more than {MAX_ARCHIVE_MEMBERS} members")
        )
        return []
    members: list[_Input] = []
    for info in infos:
        if info.is_dir():
            continue
        display = f"{path}!{info.filename}"
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or (info.filename[1:2] == ":"):
            report.results.append(
                ImportResult(display, Outcome.REFUSED, "unsafe member path (absolute or with ..)")
            )
            continue
        if info.file_size > MAX_FILE_BYTES:
            report.results.append(
                ImportResult(display, Outcome.REFUSED, f"larger than {MAX_FILE_BYTES} bytes")
            )
            continue
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            report.results.append(
                ImportResult(
                    display, Outcome.REFUSED, "compressed more than a text can be (zip bomb?)"
                )
            )
            continue
        if any(part.startswith(".") or part == "__MACOSX" for part in name.parts):
            continue
        members.append(_Input(display, info.file_size, path, info.filename))
    return members


def _read_bytes(item: _Input) -> bytes:
    if item.member is None:
        if item.size > MAX_FILE_BYTES:
            raise ImportRefusedError(item.display, f"larger than {MAX_FILE_BYTES} bytes")
        return item.path.read_bytes()
    with zipfile.ZipFile(item.path) as archive, archive.open(item.member) as fh:
        # Read at most one byte past the limit: the header's size can lie.
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefusedError(item.display, f"larger than {MAX_FILE_BYTES} bytes")
    return data


# Files are read in batches of whole files (one transaction per small file would cost more than
# reading it); a batch is stored in transactions of at most STORE_DOCUMENTS documents or
# STORE_CHARACTERS characters (about 0.2 s of writing each), so that a window annotating while
# a large file imports is never locked out for long.
BATCH_DOCUMENTS = 2000
BATCH_CHARACTERS = 32_000_000
STORE_DOCUMENTS = 500
STORE_CHARACTERS = 4_000_000


@dataclass(slots=True)
class _Read:
    """One file read but not yet stored: its refusals and its documents, in file order."""

    display: str
    name: str
    refusals: list[ImportResult]
    documents: list[SourceDocument]


def route_paths(
    paths: Sequence[Path], *, format_name: str | None = None
) -> tuple[list[Path], list[Path]]:
    """(annotation files, articles): with `format_name` every path is read in that format;
    without, a file that an annotation format recognises is one (brat, XMI, doccano...) and
    anything else (folders and archives included) is read for articles."""
    if format_name:
        return list(paths), []
    annotated = [p for p in paths if guess_format(p) is not None]
    return annotated, [p for p in paths if p not in annotated]


def import_files(
    db: Database,
    *,
    paths: Sequence[Path],
    annotator_name: str,
    annotator_overrides: bool = False,
    options: SourceOptions | None = None,
    format_name: str | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    annotation_progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    as_new: bool = False,
) -> ImportReport:
    """What the user chose to import, routed by `route_paths`: annotation files first (their
    spans are `annotator_name`'s where the file names nobody, and all of them with
    `annotator_overrides`), then articles (a text already
    stored from an annotation file is a duplicate). Problems with annotation files are
    refused results of the report; `annotation_report` has the rest of what they brought.

    An article whose URL is a stored document's and whose text differs is a new version of
    it: a revision of that document (see `import_paths`), unless `as_new`."""
    annotated, articles = route_paths(paths, format_name=format_name)
    report = ImportReport()
    if annotated:
        spans = import_annotations(
            db,
            paths=annotated,
            format_name=format_name,
            annotator_name=annotator_name,
            annotator_overrides=annotator_overrides,
            progress=annotation_progress,
            cancelled=cancelled,
            as_new=as_new,
        )
        report.results.extend(
            ImportResult(p.origin, Outcome.REFUSED, p.message) for p in spans.problems
        )
        report.annotations = spans.summary()
        report.annotation_report = spans
        report.cancelled = cancelled()
    if articles and not report.cancelled:
        read = import_paths(
            db,
            paths=articles,
            options=options,
            progress=progress,
            cancelled=cancelled,
            as_new=as_new,
        )
        report.results.extend(read.results)
        report.cancelled = read.cancelled
    return report


def import_paths(
    db: Database,
    *,
    paths: Sequence[Path],
    options: SourceOptions | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    as_new: bool = False,
) -> ImportReport:
    """Import files, folders (recursively) and zip archives; never raises for bad input.

    Cancelling stops before the next file; the files read so far are stored, whole. An article
    with the URL of a stored document (compared by `normalise_url`) and another text revises
    that document: its spans follow to the new text or go to review (services.revisions).
    The same text is a duplicate, as always; with `as_new` a new version is a new document.
    """
    report = ImportReport()
    inputs = _walk(paths, report)
    total = sum(i.size for i in inputs)
    done = 0
    batch: list[_Read] = []
    batch_documents = batch_characters = 0
    with paused_collection():  # see domain.collector
        for n, item in enumerate(inputs):
            if cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(ImportProgress(done, total, n, len(inputs), item.display))
            read = _read_one(item, options or SourceOptions())
            batch.append(read)
            batch_documents += len(read.documents)
            batch_characters += sum(len(d.text) for d in read.documents)
            if batch_documents >= BATCH_DOCUMENTS or batch_characters >= BATCH_CHARACTERS:
                report.results.extend(_store(db, batch, as_new=as_new))
                collect_batch()
                batch, batch_documents, batch_characters = [], 0, 0
            done += item.size
        report.results.extend(_store(db, batch, as_new=as_new))
        collect_batch()
    if progress is not None and not report.cancelled:
        progress(ImportProgress(total, total, len(inputs), len(inputs), ""))
    return report


def _read_one(item: _Input, options: SourceOptions) -> _Read:
    name = item.member or item.path.name
    read = _Read(item.display, name, [], [])
    try:
        data = _read_bytes(item)
    except ImportRefusedError as exc:
        read.refusals.append(ImportResult(item.display, Outcome.REFUSED, exc.reason))
        return read
    except (OSError, zipfile.BadZipFile) as exc:
        read.refusals.append(ImportResult(item.display, Outcome.REFUSED, f"cannot read ({exc})"))
        return read
    carried = _annotation_keys(name, data)
    if carried:
        keys = ", ".join(f'"{k}"' for k in carried)
        read.refusals.append(
            ImportResult(
                item.display,
                Outcome.REFUSED,
                f"holds annotations ({keys}) that reading it for articles would drop; import it "
                "in its annotation format (annotator import --format doccano, label-studio, "
                "w3c or native)",
            )
        )
        return read
    for found in read_source(name, data, options=options):
        if isinstance(found, Refusal):
            origin = _origin(item.display, name, found.origin)
            read.refusals.append(ImportResult(origin, Outcome.REFUSED, found.reason))
        else:
            read.documents.append(found)
    return read


# A JSON key whose value is a non-empty list or object of annotations. A key inside a JSON
# string has its quotes escaped: a match after a backslash is skipped (checked by hand, as a
# look-behind in the pattern makes it 50 times slower on a large file).
_ANNOTATION_KEY = re.compile(
    rb'"(label|labels|entities|annotations|predictions|relations)"\s*:\s*[\[{]\s*[^\s\]}]'
)


def _annotation_keys(name: str, data: bytes) -> list[str]:
    """The annotation keys a JSON file carries that the article reader would ignore."""
    if guess_kind(name, data) != "json":
        return []
    found = {
        m.group(1).decode("ascii")
        for m in _ANNOTATION_KEY.finditer(data)
        if data[m.start() - 1 : m.start()] != b"\\"
    }
    return sorted(found)


def _origin(display: str, name: str, origin: str) -> str:
    return display + origin[len(name) :] if origin.startswith(name) else f"{display}: {origin}"


def _revise(
    repo: Repository, at_url: dict[str, list[tuple[int, str]]], doc: SourceDocument, text: str
) -> StoredRevision | None:
    """Store `text` as a new version of the stored document at the article's URL (found in
    `at_url`, by normalised URL), if there is one with another text; None when the article is
    to be added (or is a duplicate)."""
    found = at_url.get(normalise_url(doc.meta.url)) if doc.meta.url else None
    if not found or repo.document_with_text(text) is not None:
        return None  # a new article, or a text already stored (a duplicate)
    document_id = found[-1][0]  # the latest document at this URL
    from annotator.services.revisions import plan_revision  # re-anchoring: loaded when used

    return repo.store_revision(plan_revision(repo, document_id, text))


def _store(db: Database, batch: list[_Read], *, as_new: bool = False) -> list[ImportResult]:
    """Store the documents of whole files; results per file: refusals, then its documents.

    They are written in transactions of at most `STORE_DOCUMENTS` documents (or
    `STORE_CHARACTERS` characters), so that another writer (a window annotating while a large
    file imports) waits a fraction of a second, not the whole import; each document is whole
    in one of them. Articles at one URL within the batch are versions of one document: the
    first is added (or revises a stored one), each later one revises it in turn."""
    documents = [d for read in batch for d in read.documents]
    texts = [normalise_newlines(d.text) for d in documents]
    stored: dict[int, AddedDocument | DuplicateOf | StoredRevision] = {}  # by position
    start = 0
    while start < len(documents):
        end, characters = start, 0
        while end < len(documents) and (
            end == start
            or (end - start < STORE_DOCUMENTS and characters + len(texts[end]) <= STORE_CHARACTERS)
        ):
            characters += len(texts[end])
            end += 1
        with db.transaction() as repo:
            _store_positions(repo, documents, texts, range(start, end), stored, as_new=as_new)
        start = end
    results: list[ImportResult] = []
    position = 0
    for read in batch:
        results.extend(read.refusals)
        for doc in read.documents:
            origin = _origin(read.display, read.name, doc.origin)
            outcome = stored[position]
            position += 1
            if isinstance(outcome, StoredRevision):
                revision = outcome
                results.append(
                    ImportResult(
                        origin,
                        Outcome.REVISED,
                        f"new version of document {revision.document_id}: "
                        f"{revision.placed} spans placed, {revision.to_review} to review",
                        revision.document_id,
                        revision,
                    )
                )
                continue
            if isinstance(outcome, DuplicateOf):
                where = "earlier in this import" if outcome.in_batch else "already stored"
                results.append(
                    ImportResult(
                        origin,
                        Outcome.DUPLICATE,
                        f"same text as document {outcome.existing_id} ({where})",
                        outcome.existing_id,
                    )
                )
            else:
                results.append(ImportResult(origin, Outcome.IMPORTED, doc.meta.title, outcome.id))
    return results


def _store_positions(
    repo: Repository,
    documents: list[SourceDocument],
    texts: list[str],
    positions: range,
    stored: dict[int, AddedDocument | DuplicateOf | StoredRevision],
    *,
    as_new: bool,
) -> None:
    """Store the documents at these positions in one transaction, into `stored`."""
    urls = {url for i in positions if (url := documents[i].meta.url) and not as_new}
    at_url = repo.documents_at_urls(urls) if urls else {}
    new: list[int] = []
    later: list[int] = []  # a URL that an earlier new article of this batch has
    coming: set[str] = set()
    for i in positions:
        doc, text = documents[i], texts[i]
        url = normalise_url(doc.meta.url) if doc.meta.url and not as_new else None
        revision = _revise(repo, at_url, doc, text) if url is not None else None
        if revision is not None:
            stored[i] = revision
        elif url is not None and url in coming:
            later.append(i)
        else:
            new.append(i)
            if url is not None and url not in at_url:
                coming.add(url)
    added = repo.add_documents(
        [(documents[i].meta, texts[i], documents[i].tags) for i in new], defer_search=True
    )
    this_import = {o.id for o in stored.values() if isinstance(o, AddedDocument)}
    for i, one in zip(new, added, strict=True):
        if isinstance(one, DuplicateOf) and one.existing_id in this_import:
            one = replace(one, in_batch=True)  # a text an earlier transaction of it stored
        stored[i] = one
        url = documents[i].meta.url
        if isinstance(one, AddedDocument) and url and not as_new:
            at_url.setdefault(normalise_url(url), []).append((one.id, ""))
    for i in later:
        revision = _revise(repo, at_url, documents[i], texts[i])
        if revision is None:  # its text is stored (or its URL's first was a duplicate)
            (one,) = repo.add_documents(
                [(documents[i].meta, texts[i], documents[i].tags)], defer_search=True
            )
            if isinstance(one, DuplicateOf) and any(
                isinstance(o, AddedDocument) and o.id == one.existing_id for o in stored.values()
            ):
                one = replace(one, in_batch=True)
            stored[i] = one
            url = documents[i].meta.url
            if isinstance(one, AddedDocument) and url:
                at_url.setdefault(normalise_url(url), []).append((one.id, ""))
        else:
            stored[i] = revision


def import_text_file(db: Database, *, path: Path) -> Document:
    """Import one file that must hold exactly one new document; raise with the reason if not."""
    report = import_paths(db, paths=[path])
    for result in report.results:
        if result.outcome is Outcome.REFUSED:
            raise ImportRefusedError(result.origin, result.detail)
        if result.outcome is Outcome.DUPLICATE and result.document_id is not None:
            raise DuplicateDocumentError(f"{path}: {result.detail}", existing_id=result.document_id)
    for result in report.results:
        if result.outcome is Outcome.IMPORTED and result.document_id is not None:
            with db.reading() as repo:
                return repo.document(result.document_id)
    raise ImportRefusedError(str(path), "no document found in the file")


__all__ = [
    "ImportProgress",
    "ImportRefusedError",
    "ImportReport",
    "ImportResult",
    "Outcome",
    "decode_text",
    "import_paths",
    "import_text_file",
]
