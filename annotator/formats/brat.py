"""brat standoff: a folder of `.txt` + `.ann` pairs, with `annotation.conf` and `visual.conf`.

Writing (`out` is a folder, created if missing):

- per document `<id>-<slug>.txt`: the exact stored text, UTF-8, LF line ends, and
  `<id>-<slug>.ann` with, per span (in start order):
  - `T<n>\\t<LABEL> <start> <end>\\t<quote>`: offsets in code points (Python indices).
    A label with whitespace is written with `_` for each space and reported.
  - **Line breaks.** An `.ann` line cannot hold a newline, so a span whose quote contains one
    is written the way brat itself stores a selection across lines: as fragments split at the
    newlines, `T1\\tACTOR 0 5;6 11\\tfirst second` (the text column joins the fragments with
    one space). Our reader joins fragments again when only line breaks separate them, so the
    span round-trips. A span that starts or ends with a line break is written without it
    (reported), and a span of nothing but line breaks is left out (reported).
  - `A<n>\\t<Name> T<n>` for a binary attribute (value `True`) and `A<n>\\t<Name> T<n> <Value>`
    for a valued one. Names and values must be plain tokens: word characters, `.` and `-`
    (`2024-05-01` is fine); anything else (spaces, `|`, `,`, lists...) is reported and left
    out, and so is a `False`/`None` binary attribute (brat has no "false"). Numbers are
    written as their text and read back as strings.
  - the attribute `norm` holding `RefDB:ID` is written as a normalization line
    `N<n>\\tReference T<n> RefDB:ID\\t<quote>`, which is how brat stores it.
  - `#<n>\\tAnnotatorNotes T<n>\\t<note>` for a note; line breaks in a note are written as
    spaces (reported).
  - after the T lines, per relation `R<n>\t<TYPE> Arg1:T<source> Arg2:T<target>` (SOURCE:
    Arg1 the claim, Arg2 the actor). A relation whose end was left out is reported.
- at the end `annotation.conf` (`[entities]` with every label used or named by a relation type,
  `[relations]` with every relation type, `SOURCE\tArg1:CLAIM, Arg2:ACTOR` (`<ENTITY>` for "any
  label"), `[events]` empty, `[attributes]` with each attribute name seen and its values, and
  every option of a choice attribute) and `visual.conf` (one `bgColor` per label, from the
  label's colour).

Annotator names and document metadata other than the file name are not carried.

Reading (`path` is a folder, searched recursively for `.ann`, or one `.ann` next to its `.txt`;
bconv's layout with the `.txt` in a sibling `txt/` folder is found too):

- `T` lines become spans. Every quote is checked against the text; a mismatch is reported with
  file:line and not imported. A discontinuous `a b;c d` T line is reported and not imported
  (our model has no discontinuous spans) unless only line breaks separate its fragments, which
  is brat's form of a span across lines: that one is joined into one span.
- `A` lines (and `M`, their legacy form) become attributes (binary: `True`); the attribute
  `actor` becomes the span's actor key.
- `N` lines become the attribute `norm` = `RefDB:ID`.
- `#` AnnotatorNotes on a T become the span's note (other `#` types, such as TDT's `Lemma`,
  too, prefixed with the type: `Lemma: ...`; several notes are joined by newlines), except
  `Attribute` notes written as above, which become attributes.
- `R` lines become relations: `Arg1` is the source, `Arg2` the target (other role names: the
  first argument is the source). A relation on an event, or on a T line that was not imported,
  is reported.
- `E` and `*` lines (events, equivalences) are not imported: one problem per file gives their
  counts. Attributes and notes on events and relations are reported too.
- `.txt` offsets are code points of the file as decoded; a `.txt` with CRLF line ends is
  normalised to LF (as the app stores text) and offsets are shifted to match.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.domain.attributes import AttributeKind
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Label, Span
from annotator.domain.text import normalise_newlines

_TOKEN = re.compile(r"^[\w.\-]+$")
_NORM = re.compile(r"^[^\s:]+:\S+$")
_ID = re.compile(r"^(?:[TAMNREF#]\d+|\*)\t")
_LINE_BREAKS = frozenset("\n\r")
NORM_ATTRIBUTE = "norm"
ACTOR_ATTRIBUTE = "actor"
ATTRIBUTE_NOTE = "Attribute"
ANY_LABEL = "<ENTITY>"


# --- writing ------------------------------------------------------------------------------


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(words)[:40].strip("-")
    return slug or "document"


def _fragments(start: int, quote: str) -> list[tuple[int, int]]:
    """Split a span at line breaks (LF, CR) into non-empty fragments, as brat stores a
    multi-line span; a CR must not reach the .ann file, where it would end the line."""
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\r\n]+", quote)]


def _describe(doc: AnnotatedDocument, span: Span) -> str:
    quote = span.quote if len(span.quote) <= 40 else span.quote[:37] + "..."
    return (
        f"document {doc.document.id} ({doc.document.title!r}), span {span.id} "
        f"({doc.label_name(span)} {span.start}-{span.end} {quote!r})"
    )


def _where(ann: Path, doc: AnnotatedDocument, span: Span) -> str:
    """Where a problem is, for the report: the .ann file and the span."""
    return f"{ann}: {_describe(doc, span)}"


def _brat_type(name: str) -> str:
    return re.sub(r"\s", "_", name)


@dataclass
class _Conf:
    labels: dict[str, str] = field(default_factory=dict)  # brat type -> colour
    attributes: dict[str, set[str]] = field(default_factory=dict)  # name -> values (empty: binary)
    relations: dict[str, tuple[str, str]] = field(default_factory=dict)  # type -> (Arg1, Arg2)

    def add_relation_types(self, doc: AnnotatedDocument) -> None:
        for relation_type in sorted(doc.relation_types.values(), key=lambda t: t.position):
            name = _brat_type(relation_type.name)
            if name in self.relations:
                continue
            ends = []
            for label_id in (relation_type.source_label_id, relation_type.target_label_id):
                label = None if label_id is None else doc.labels.get(label_id)
                if label is None:
                    ends.append(ANY_LABEL)
                else:
                    ends.append(_brat_type(label.name))
                    self.labels.setdefault(_brat_type(label.name), label.colour)
            self.relations[name] = (ends[0], ends[1])

    def add_options(self, label: Label) -> None:
        for definition in label.attributes:
            if definition.kind is AttributeKind.CHOICE and _TOKEN.match(definition.name):
                values = self.attributes.setdefault(definition.name, set())
                values.update(o for o in definition.options if _TOKEN.match(o))


def _write_document(doc: AnnotatedDocument, folder: Path, conf: _Conf, report: WriteReport) -> None:
    document = doc.document
    stem = f"{document.id}-{_slug(document.title)}"
    txt = folder / f"{stem}.txt"
    ann = folder / f"{stem}.ann"
    txt.write_text(document.text, encoding="utf-8", newline="\n")
    text = document.text
    lines: list[str] = []
    counters = Counter[str]()
    tids: dict[int, str] = {}
    conf.add_relation_types(doc)
    types = {label_id: _brat_type(label.name) for label_id, label in doc.labels.items()}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    names = {label_id: label.name for label_id, label in doc.labels.items()}
    optioned: set[int] = set()  # labels whose colour and attribute options are in the conf
    entities = 0
    for span in sorted(doc.spans, key=lambda s: (s.start, s.end, s.id)):
        label_id = span.label_id
        brat_type = types[label_id]
        if brat_type != names[label_id]:
            report.problems.append(
                FormatProblem(
                    _where(ann, doc, span),
                    f"label {names[label_id]!r} written as {brat_type!r}: brat types cannot "
                    "contain spaces",
                )
            )
        conf.labels.setdefault(brat_type, doc.labels[label_id].colour)
        start, end = span.start, span.end
        quote = text[start:end]
        if quote and "\n" not in quote and "\r" not in quote:
            offsets, column = f"{start} {end}", quote  # one fragment: most spans
        else:
            fragments = _fragments(start, quote)
            if not fragments:
                report.problems.append(
                    FormatProblem(
                        _where(ann, doc, span),
                        "a span of nothing but line breaks cannot be written in brat; left out",
                    )
                )
                continue
            if fragments[0][0] != start or fragments[-1][1] != end:
                report.problems.append(
                    FormatProblem(
                        _where(ann, doc, span),
                        f"brat cannot carry a line break at a span's edge; written "
                        f"as {fragments[0][0]}-{fragments[-1][1]}",
                    )
                )
            offsets = ";".join(f"{a} {b}" for a, b in fragments)
            column = " ".join(text[a:b] for a, b in fragments)
        entities += 1
        tid = f"T{entities}"
        tids[span.id] = tid
        lines.append(f"{tid}\t{brat_type} {offsets}\t{column}")
        report.spans += 1
        if label_id not in optioned:
            optioned.add(label_id)
            conf.add_options(doc.labels[label_id])
        if not span.attributes and span.actor_id is None and not span.note:
            continue  # most spans: nothing more to write
        where = _where(ann, doc, span)
        values: list[tuple[str, Any]] = list(span.attributes.items())
        actor = doc.actor_of(span)
        if actor is not None:
            if ACTOR_ATTRIBUTE in span.attributes:
                report.problems.append(
                    FormatProblem(
                        where,
                        f"the attribute {ACTOR_ATTRIBUTE!r} is left out: brat files use that "
                        "name for the actor link",
                    )
                )
                values = [(n, v) for n, v in values if n != ACTOR_ATTRIBUTE]
            values.append((ACTOR_ATTRIBUTE, actor.key))
        for name, value in values:
            if name == NORM_ATTRIBUTE and isinstance(value, str) and _NORM.match(value):
                lines.append(f"{next_id('N')}\tReference {tid} {value}\t{column}")
                continue
            problem = _attribute_problem(name, value)
            if problem is not None:
                if isinstance(value, str) and _TOKEN.match(name) and "\n" not in value:
                    lines.append(f"{next_id('#')}\t{ATTRIBUTE_NOTE} {tid}\t{name}={value}")
                    report.problems.append(
                        FormatProblem(
                            where,
                            f"attribute {name!r} value {value!r} has spaces or characters brat "
                            f"attribute values cannot hold; written as a note line "
                            f"'{ATTRIBUTE_NOTE} {tid}\t{name}=...'",
                        )
                    )
                else:
                    report.problems.append(FormatProblem(where, problem))
                continue
            values_seen = conf.attributes.setdefault(name, set())
            if value is True:
                lines.append(f"{next_id('A')}\t{name} {tid}")
            else:
                text_value = str(value)
                values_seen.add(text_value)
                lines.append(f"{next_id('A')}\t{name} {tid} {text_value}")
        if span.note:
            note = span.note
            if "\n" in note or "\r" in note:
                note = re.sub(r"[\r\n]+", " ", note)
                report.problems.append(
                    FormatProblem(where, "the note's line breaks are written as spaces")
                )
            lines.append(f"{next_id('#')}\tAnnotatorNotes {tid}\t{note}")
    for relation in doc.relations:
        name = doc.relation_type_name(relation)
        source, target = tids.get(relation.source_id), tids.get(relation.target_id)
        if source is None or target is None:
            report.problems.append(
                FormatProblem(
                    f"{ann}: document {document.id}, relation {relation.id}",
                    f"{name} relation left out: its "
                    f"{'source' if source is None else 'target'} span was left out",
                )
            )
            continue
        lines.append(f"{next_id('R')}\t{_brat_type(name)} Arg1:{source} Arg2:{target}")
        report.relations += 1
    ann.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    report.files.extend([str(txt), str(ann)])


def _attribute_problem(name: str, value: Any) -> str | None:
    if not _TOKEN.match(name):
        return f"attribute name {name!r} is not a plain word; left out"
    if value is True:
        return None
    if value is False or value is None:
        return f"attribute {name!r} is {value}: brat has no false binary attribute; left out"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return f"attribute {name!r} has a {type(value).__name__} value; left out"
    if not _TOKEN.match(str(value)):
        return (
            f"attribute {name!r} value {value!r} has spaces or characters brat values cannot "
            "hold; left out"
        )
    return None


def _write_conf(folder: Path, conf: _Conf, report: WriteReport) -> None:
    lines = ["# Written by annotator.", "[entities]"]
    lines += sorted(conf.labels)
    lines += ["", "[relations]"]
    lines += [f"{name}\tArg1:{a}, Arg2:{b}" for name, (a, b) in conf.relations.items()]
    lines += ["", "[events]", "", "[attributes]"]
    for name in sorted(conf.attributes):
        values = sorted(conf.attributes[name])
        if values:
            lines.append(f"{name}\tArg:<ENTITY>, Value:{'|'.join(values)}")
        else:
            lines.append(f"{name}\tArg:<ENTITY>")
    annotation_conf = folder / "annotation.conf"
    annotation_conf.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    visual = ["[labels]"]
    visual += [f"{name} | {name}" for name in sorted(conf.labels)]
    visual += ["", "[drawing]"]
    visual += [f"{name}\tbgColor:{colour}" for name, colour in sorted(conf.labels.items())]
    visual_conf = folder / "visual.conf"
    visual_conf.write_text("\n".join(visual) + "\n", encoding="utf-8", newline="\n")
    report.files.extend([str(annotation_conf), str(visual_conf)])


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write each document as a `.txt` + `.ann` pair into the folder `out`, then the confs."""
    out.mkdir(parents=True, exist_ok=True)
    report = WriteReport()
    conf = _Conf()
    for doc in documents:
        _write_document(doc, out, conf, report)
        report.documents += 1
        if progress is not None:
            progress(report.documents)
    _write_conf(out, conf, report)
    return report


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Entity:
    line: int
    label: str
    start: int
    end: int
    quote: str | None
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    actor: str | None = None


def _find_txt(ann: Path) -> Path | None:
    for candidate in (ann.with_suffix(".txt"), ann.parent.parent / "txt" / f"{ann.stem}.txt"):
        if candidate.is_file():
            return candidate
    return None


class _Offsets:
    """Maps offsets in the text as read to offsets in the text with CRLF turned into LF."""

    def __init__(self, raw: str) -> None:
        self._removed = [m.start() for m in re.finditer("\r\n", raw)]

    def __call__(self, offset: int) -> int:
        return offset - bisect.bisect_left(self._removed, offset)


_OFFSET = re.compile(r"[0-9]{1,18}")


def _parse_offsets(field_text: str) -> list[tuple[int, int]] | None:
    fragments = []
    for part in field_text.split(";"):
        bits = part.split()
        # ASCII digits only (str.isdigit takes "²", which int() refuses), and few enough for
        # an offset: a run of thousands of digits is not one.
        if len(bits) != 2 or not all(_OFFSET.fullmatch(b) for b in bits):
            return None
        fragments.append((int(bits[0]), int(bits[1])))
    return fragments


def _read_pair(ann: Path) -> Iterator[ImportedDocument | FormatProblem]:
    txt = _find_txt(ann)
    if txt is None:
        yield FormatProblem(str(ann), f"no text file {ann.stem}.txt next to it; not imported")
        return
    try:
        with txt.open(encoding="utf-8", newline="") as handle:
            raw = handle.read()
        ann_text = ann.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield FormatProblem(str(ann), f"cannot read the pair: {error}")
        return
    to_text = _Offsets(raw)
    text = normalise_newlines(raw)
    entities: dict[str, _Entity] = {}
    refused: set[str] = set()  # T ids whose lines were not imported
    others: set[str] = set()  # ids of events and relations
    skipped: Counter[str] = Counter()
    problems: list[FormatProblem] = []
    later: list[tuple[int, str, list[str]]] = []  # A/M/N/# lines, resolved after all T lines
    relation_lines: list[tuple[int, str, list[str]]] = []

    for number, line in enumerate(ann_text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{ann}:{number}"
        fields = line.split("\t")
        ident = fields[0]
        kind = ident[:1]
        if kind == "T" and len(fields) >= 2:
            entity = _entity(number, where, fields, raw, text, to_text, problems)
            if entity is None:
                refused.add(ident)
            else:
                entities[ident] = entity
        elif kind in "AMN#" and len(fields) >= 2:
            later.append((number, line, fields))
        elif kind == "R" and len(fields) >= 2:
            others.add(ident)
            relation_lines.append((number, line, fields))
        elif kind in "EF*" and len(fields) >= 2:
            others.add(ident)
            skipped[{"E": "events", "F": "events", "*": "equivalences"}[kind]] += 1
        else:
            problems.append(FormatProblem(where, f"cannot read the line {line!r}"))

    for number, line, fields in later:
        _annotate(f"{ann}:{number}", line, fields, entities, refused, problems)
    relations = [
        relation
        for number, line, fields in relation_lines
        if (relation := _relation(f"{ann}:{number}", line, fields, entities, refused, problems))
    ]

    if skipped:
        counts = ", ".join(f"{count} {what}" for what, count in sorted(skipped.items()))
        problems.append(
            FormatProblem(str(ann), f"events and equivalences are not imported: {counts}")
        )
    spans = tuple(
        ImportedSpan(
            start=e.start,
            end=e.end,
            label=e.label,
            quote=e.quote,
            attributes=e.attributes,
            note="\n".join(e.notes) if e.notes else None,
            origin=f"{ann}:{e.line}",
            actor=e.actor,
            ref=ident,
        )
        for ident, e in entities.items()
    )
    yield from problems
    yield ImportedDocument(
        text=text,
        meta=DocumentMeta(title=ann.stem),
        spans=spans,
        origin=str(ann),
        relations=tuple(relations),
    )


def _entity(
    number: int,
    where: str,
    fields: list[str],
    raw: str,
    text: str,
    to_text: _Offsets,
    problems: list[FormatProblem],
) -> _Entity | None:
    """The span of a T line, or None (with a problem) if it cannot be imported."""
    ident, line = fields[0], "\t".join(fields)
    type_and_offsets = fields[1].split(" ", 1)
    fragments = _parse_offsets(type_and_offsets[1]) if len(type_and_offsets) == 2 else None
    if fragments is None:
        problems.append(FormatProblem(where, f"cannot read the T line {line!r}"))
        return None
    quote = "\t".join(fields[2:]) if len(fields) >= 3 else None
    if any(not (0 <= a <= b <= len(raw)) for a, b in fragments) or any(
        a >= b for a, b in fragments
    ):
        problems.append(
            FormatProblem(
                where,
                f"{ident}: offsets {type_and_offsets[1]} are outside "
                f"the text (length {len(raw)}) or empty; not imported",
            )
        )
        return None
    gaps = [raw[fragments[i][1] : fragments[i + 1][0]] for i in range(len(fragments) - 1)]
    if gaps and not all(gap and set(gap) <= _LINE_BREAKS for gap in gaps):
        problems.append(
            FormatProblem(
                where,
                f"{ident}: discontinuous span {type_and_offsets[1]} "
                f"({quote!r}) cannot be held by our model; not imported",
            )
        )
        return None
    joined = " ".join(raw[a:b] for a, b in fragments)
    if quote is not None and quote != joined:
        problems.append(
            FormatProblem(
                where,
                f"{ident}: the quote {quote!r} does not match the text "
                f"at {type_and_offsets[1]}, which reads {joined!r}; not "
                "imported",
            )
        )
        return None
    start, end = to_text(fragments[0][0]), to_text(fragments[-1][1])
    return _Entity(number, type_and_offsets[0], start, end, text[start:end])


def _annotate(
    where: str,
    line: str,
    fields: list[str],
    entities: dict[str, _Entity],
    refused: set[str],
    problems: list[FormatProblem],
) -> None:
    """Apply an A, M, N or # line to the entity it names, or report why it cannot be."""
    kind = fields[0][:1]
    args = fields[1].split()
    target_id = args[1] if len(args) >= 2 else ""
    entity = entities.get(target_id)
    if entity is None:
        if target_id[:1] in ("E", "R"):
            what = "an event" if target_id[:1] == "E" else "a relation"
            message = f"{fields[0]} is on {what} ({target_id}); not imported"
        elif target_id in refused:
            message = f"{fields[0]} is on {target_id}, which was not imported"
        elif target_id[:1] == "T":
            message = f"{fields[0]} is on {target_id}, which is not in the file"
        else:
            message = f"cannot read the line {line!r}"
        problems.append(FormatProblem(where, message))
        return
    if kind in "AM":
        if len(args) == 2:
            entity.attributes[args[0]] = True
        elif len(args) == 3 and args[0] == ACTOR_ATTRIBUTE:
            entity.actor = args[2]
        elif len(args) == 3:
            entity.attributes[args[0]] = args[2]
        else:
            problems.append(FormatProblem(where, f"cannot read the attribute {line!r}"))
    elif kind == "N":
        if len(args) != 3:
            problems.append(FormatProblem(where, f"cannot read the normalization {line!r}"))
        elif NORM_ATTRIBUTE in entity.attributes:
            problems.append(
                FormatProblem(
                    where,
                    f"{target_id} has a second normalization {args[2]!r}; "
                    f"only the first ({entity.attributes[NORM_ATTRIBUTE]!r}) is "
                    "imported",
                )
            )
        else:
            entity.attributes[NORM_ATTRIBUTE] = args[2]
    else:  # '#': AnnotatorNotes, an attribute value brat could not hold, or another type
        note = "\t".join(fields[2:])
        name, equals, value = note.partition("=")
        if args[0] == ATTRIBUTE_NOTE and equals and _TOKEN.match(name):
            if name == ACTOR_ATTRIBUTE:
                entity.actor = value
            else:
                entity.attributes[name] = value
        else:
            entity.notes.append(note if args[0] == "AnnotatorNotes" else f"{args[0]}: {note}")


def _relation(
    where: str,
    line: str,
    fields: list[str],
    entities: dict[str, _Entity],
    refused: set[str],
    problems: list[FormatProblem],
) -> ImportedRelation | None:
    """The relation of an R line (Arg1 -> Arg2), or None with a problem."""
    parts = fields[1].split()
    args = [part.split(":", 1) for part in parts[1:]]
    if len(parts) != 3 or any(len(a) != 2 for a in args):
        problems.append(FormatProblem(where, f"cannot read the relation {line!r}"))
        return None
    roles = dict((role, ident) for role, ident in args)
    source = roles.get("Arg1", args[0][1])
    target = roles.get("Arg2", args[1][1])
    for end in (source, target):
        if end in entities:
            continue
        if end in refused:
            reason = f"{end} was not imported (see its line)"
        elif end[:1] in ("E", "R"):
            reason = f"{end} is an event or relation, and relations link spans"
        else:
            reason = f"{end} is not in the file"
        problems.append(FormatProblem(where, f"{fields[0]} ({parts[0]}) is not imported: {reason}"))
        return None
    return ImportedRelation(parts[0], source, target, where)


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The documents of a brat folder (or of one `.ann`), with problems for what is left out."""
    if path.is_dir():
        anns = sorted(path.rglob("*.ann"))
        if not anns:
            yield FormatProblem(str(path), "no .ann files in this folder")
        for ann in anns:
            yield from _read_pair(ann)
        return
    ann = path.with_suffix(".ann") if path.suffix.lower() == ".txt" else path
    if not ann.is_file():
        yield FormatProblem(str(path), "no such brat .ann file")
        return
    yield from _read_pair(ann)


def _looks_like_ann(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            for _, line in zip(range(20), handle, strict=False):
                if line.strip():
                    return bool(_ID.match(line))
    except (OSError, UnicodeDecodeError):
        return False
    return _find_txt(path) is not None  # an empty .ann beside its text


def sniff(path: Path) -> bool:
    """True for a brat `.ann` file, or a folder holding at least one."""
    if path.is_dir():
        return any(_looks_like_ann(p) for p in path.rglob("*.ann"))
    return path.suffix.lower() == ".ann" and _looks_like_ann(path)
