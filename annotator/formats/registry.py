"""The interchange formats: what each carries, and its reader and writer.

The CLI (`annotator formats`, `export`, `import --format`) and the UI's export dialog read this
one list. Format modules load on first use: spaCy and dkpro-cassis are slow to import.

Every format module provides what its entry says it can do:

    def write(documents: Iterable[AnnotatedDocument], out: Path, *,
              progress: Callable[[int], None] | None = None) -> WriteReport
    def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]
    def sniff(path: Path) -> bool   # for guessing the format of a file given without --format

and optionally, for formats that define a schema (native):

    def read_labels(path: Path) -> list[dict]           # label definitions with attributes
    def read_relation_types(path: Path) -> list[dict]   # {name, from, to, colour, description}

`write` streams: it holds one document at a time, calls `progress(n)` after each document with
the number written so far, and lists in the report what the format could not carry. Writers
get each document's relations, relation types and linked registry actors too; readers yield
relations between the file's span ids (`ImportedSpan.ref`) and actor keys. The entries below
say which of these each format carries (`carries()`), and in words what it loses.
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
    NONE = "none"  # quotes only, no offsets


class Output(StrEnum):
    FILE = "one file"
    FOLDER = "a folder"


class _Writer(Protocol):
    def __call__(
        self,
        documents: Iterable[AnnotatedDocument],
        out: Path,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> WriteReport: ...


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
    actors: bool
    """Whether mentions keep their link to the actor registry (at least the actor's key)."""
    loses: str
    """What exporting to this format leaves behind, in words for the export dialog."""
    beside: str = ""
    """What an export writes besides its one file, or inside its folder, in words."""
    writer: str = "write"
    """The module's function that writes this format (a module may write two)."""
    lossless: bool = False
    """Everything the database holds about the documents written goes along."""

    def load(self) -> _Module:
        return cast(_Module, importlib.import_module(f"annotator.formats.{self.module}"))

    def write(
        self,
        documents: Iterable[AnnotatedDocument],
        out: Path,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> WriteReport:
        """Write `documents` to `out` in this format, whatever `out`'s suffix."""
        function = cast(_Writer, getattr(self.load(), self.writer))
        return function(documents, out, progress=progress)

    def writes(self) -> str:
        """What an export writes, for the export dialog: 'one .json file and ...'."""
        if self.output is Output.FOLDER:
            return f"a folder of {self.beside}"
        main = f"one {self.extensions[0]} file"
        return f"{main} and {self.beside}" if self.beside else main

    def carries(self) -> str:
        parts = [
            "no offsets (quotes only)"
            if self.unit is OffsetUnit.NONE
            else f"offsets in {self.unit.value}",
            "overlapping spans" if self.overlaps else "no overlapping spans",
            "attributes" if self.attributes else "no attributes",
            "relations" if self.relations else "no relations",
            "notes" if self.notes else "no notes",
            "actor links" if self.actors else "no actor links",
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "nothing (the schema, relations, the actor registry entries used, statuses and "
            "times go along; ids are numbered within the file, not taken from the database)"
        ),
        lossless=True,
    ),
    FormatInfo(
        name="doccano",
        title="doccano JSONL (sequence labelling with relations)",
        module="doccano",
        extensions=(".jsonl",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=False,
        relations=True,
        notes=False,
        actors=False,
        loses=(
            "attributes, notes, actor links, annotator names and document metadata other than "
            "the title"
        ),
    ),
    FormatInfo(
        name="label-studio",
        title="Label Studio tasks JSON and labeling config",
        module="label_studio",
        extensions=(".json",),
        unit=OffsetUnit.UTF16,
        output=Output.FILE,
        can_read=True,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "the actor registry (each mention keeps its actor key); relations between two "
            "annotators' spans and attribute values that are not text, numbers, yes/no or lists "
            "of text (all counted in the report); yes/no travel as the choices yes and no"
        ),
        beside="beside it the labeling config for the project (NAME.label-config.xml)",
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "annotator names and document metadata; the actor registry (each mention keeps its "
            "actor key as the attribute actor); 'no' values of yes/no attributes; text values "
            "with spaces become note lines (reported)"
        ),
        beside="a .txt and an .ann file per document, with annotation.conf and visual.conf",
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
        actors=False,
        loses=(
            "CLAIM spans, nested and overlapping spans, spans that do not start and end on "
            "token edges, relations and actor links (all counted in the report), attributes, "
            "notes, metadata"
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "spans that do not start and end on spaCy token edges and the relations to them "
            "(counted in the report); relations, attributes and actors travel in "
            'doc.user_data["annotator"]'
        ),
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "document metadata other than title and language, tags, and the actor registry "
            "(each mention keeps its actor key); INCEpTION needs a span layer named ArticleSpan "
            "(label, annotator, note, attributes, actor) and a relation layer ArticleRelation "
            "on it (label, annotator) to show them"
        ),
        beside="an .xmi file per document, with TypeSystem.xml",
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "nothing about spans, links or actors; the texts, attributes and actor registry "
            "travel in namespaced annotator: keys that other W3C tools ignore"
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
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "the documents' full text (only context around each span); relations only as each "
            "span's links column; of the actor registry only key and name"
        ),
        writer="write_csv",
    ),
    FormatInfo(
        name="xlsx",
        title="Excel workbook, one row per span, a sheet of relations",
        module="tables",
        extensions=(".xlsx",),
        unit=OffsetUnit.CODE_POINTS,
        output=Output.FILE,
        can_read=False,
        can_write=True,
        overlaps=True,
        attributes=True,
        relations=True,
        notes=True,
        actors=True,
        loses=(
            "the documents' full text (only context around each span); of the actor registry "
            "only key and name"
        ),
        writer="write_xlsx",
    ),
    FormatInfo(
        name="claimreview",
        title="schema.org ClaimReview JSON-LD (claims, for fact-checkers)",
        module="claimreview",
        extensions=(".jsonld", ".json"),
        unit=OffsetUnit.NONE,
        output=Output.FILE,
        can_read=False,
        can_write=True,
        overlaps=True,
        attributes=False,
        relations=False,
        notes=False,
        actors=True,
        loses=(
            "everything but the claims: each CLAIM becomes one ClaimReview with its quote, its "
            "SOURCE actor as author (name, Wikidata page), its TIME date and the article; "
            "offsets, attributes, notes and other spans and relations are left out, and the "
            "verdict (reviewRating), reviewer and review date are for the fact-checker to add"
        ),
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
