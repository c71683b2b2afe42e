"""The interchange formats: what each carries, and its reader and writer.

The CLI (`annotator formats`, `export`, `import --format`) and the UI's export dialog read this
one list. Format modules load on first use: spaCy and dkpro-cassis are slow to import.

Every format module provides what its entry says it can do:

    def write(documents: Iterable[AnnotatedDocument], out: Path, *,
              progress: Callable[[int], None] | None = None) -> WriteReport
    def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]
    def sniff(path: Path) -> bool   # for guessing the format of a file given without --format

`write` streams: it holds one document at a time, calls `progress(n)` after each document with
the number written so far, and lists in the report what the format could not carry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, cast

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    WriteReport,
)


class OffsetUnit(StrEnum):
    CODE_POINTS = "code points"
    UTF16 = "UTF-16 code units"
    TOKENS = "tokens"


class Output(StrEnum):
    FILE = "one file"
    FOLDER = "a folder"


class _Module(Protocol):
    def write(
        self,
        documents: Iterable[AnnotatedDocument],
        out: Path,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> WriteReport: ...

    def read(self, path: Path) -> Iterator[ImportedDocument | FormatProblem]: ...

    def sniff(self, path: Path) -> bool: ...


@dataclass(frozen=True, slots=True)
class FormatInfo:
    name: str
    title: str
    module: str
    extensions: tuple[str, ...]
    unit: OffsetUnit
    output: Output
    can_read: bool
    can_write: bool
    overlaps: bool
    attributes: bool
    relations: bool
    notes: bool
    loses: str
    """What exporting to this format leaves behind, in words for the export dialog."""

    def load(self) -> _Module:
        return cast(_Module, importlib.import_module(f"annotator.formats.{self.module}"))

    def carries(self) -> str:
        parts = [
            f"offsets in {self.unit.value}",
            "overlapping spans" if self.overlaps else "no overlapping spans",
            "attributes" if self.attributes else "no attributes",
            "relations" if self.relations else "no relations",
            "notes" if self.notes else "no notes",
        ]
        return ", ".join(parts)


FORMATS: tuple[FormatInfo, ...] = (
    FormatInfo(
        name="native",
        title="annotator JSON Lines (lossless)",
        module="native",
        extensions=(".jsonl",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,  # relations come with the claim model
        notes=True,
        loses="nothing",
    ),
    FormatInfo(
        name="doccano",
        title="doccano JSONL (sequence labelling)",
        module="doccano",
        extensions=(".jsonl",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=False,
        relations=False,
        notes=False,
        loses="attributes, notes, annotator names and document metadata other than the title",
    ),
    FormatInfo(
        name="label-studio",
        title="Label Studio tasks JSON",
        module="label_studio",
        extensions=(".json",),
        unit=OffsetUnit.UTF16,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=False,
        relations=False,
        notes=False,
        loses="attributes and notes",
    ),
    FormatInfo(
        name="brat",
        title="brat standoff (.txt + .ann, annotation.conf)",
        module="brat",
        extensions=(".ann",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FOLDER,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses="annotator names and document metadata; attribute values other than plain words",
    ),
    FormatInfo(
        name="conll",
        title="CoNLL-2003 style BIO (IOB2)",
        module="conll",
        extensions=(".conll", ".bio"),
        unit=OffsetUnit.TOKENS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=False,
        attributes=False,
        relations=False,
        notes=False,
        loses=(
            "CLAIM spans, nested and overlapping spans, spans that do not start and end on "
            "token edges (all counted in the report), attributes, notes, metadata"
        ),
    ),
    FormatInfo(
        name="spacy",
        title="spaCy v3 DocBin",
        module="spacy_docbin",
        extensions=(".spacy",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses="spans that do not start and end on spaCy token edges (counted in the report)",
    ),
    FormatInfo(
        name="xmi",
        title="UIMA CAS XMI for INCEpTION (with TypeSystem.xml)",
        module="xmi",
        extensions=(".xmi",),
        unit=OffsetUnit.UTF16,
        output=Output.FOLDER,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses=(
            "document metadata other than title and language, and tags; INCEpTION needs a "
            "span layer named ArticleSpan (label, annotator, note, attributes) to show the "
            "spans"
        ),
    ),
    FormatInfo(
        name="w3c",
        title="W3C Web Annotation JSON-LD",
        module="w3c",
        extensions=(".jsonld", ".json"),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses=(
            "nothing about spans; the texts travel in a namespaced annotator:document key "
            "that other W3C tools ignore"
        ),
    ),
    FormatInfo(
        name="csv",
        title="CSV table, one row per span",
        module="tables",
        extensions=(".csv",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=False,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses="the documents' full text (only context around each span)",
    ),
    FormatInfo(
        name="xlsx",
        title="Excel workbook, one row per span",
        module="tables",
        extensions=(".xlsx",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=False,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=False,
        notes=True,
        loses="the documents' full text (only context around each span)",
    ),
)

_BY_NAME = {f.name: f for f in FORMATS}


def get_format(name: str) -> FormatInfo:
    """The format of this name, or an error that lists the names there are."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise AnnotatorError(f"no format named {name!r}; the formats are: {known}") from None


def guess_format(path: Path) -> FormatInfo | None:
    """The readable format a file is in, asking each candidate module to sniff it.

    Folders are never guessed: a folder of articles may hold a stray .xmi or .ann, and taking
    the whole folder for annotation files would import nothing else. Name the format for a
    folder of annotation files (`annotator import --format brat FOLDER`).
    """
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    for info in FORMATS:
        if info.can_read and suffix in info.extensions and info.load().sniff(path):
            return info
    return None
