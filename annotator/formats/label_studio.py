"""Label Studio tasks JSON: a JSON array of tasks, span offsets in UTF-16 code units.

Label Studio's editor is JavaScript, so `start`/`end` of a `<Text>` region are string indices
in UTF-16 code units: an emoji outside the Basic Multilingual Plane counts 2. The writer
converts our code-point offsets to UTF-16 and the reader converts back.

Writing (streams: the array is opened, each task written as its document arrives, then
closed):

    [{"id": 7,
      "data": {"text": "...", "title": "...", "source": ..., "url": ..., "author": ...,
               "published": ..., "language": ..., "tags": [...]},   # only the fields set
      "annotations": [{"annotator": "tester",
                       "result": [{"id": "span-12", "from_name": "label", "to_name": "text",
                                   "type": "labels", "origin": "manual",
                                   "value": {"start": 0, "end": 3, "text": "Ana",
                                             "labels": ["ACTOR"]}}]}]}, ...]

One annotation per annotator, in the order their first span comes. Label Studio wants
`completed_by` to be a member's e-mail address (an unknown one makes it refuse the whole
import), so the writer does not set it; the annotator's name goes in an `annotator` key, which
Label Studio ignores (it assigns the importing user) and this reader reads back.

Beside each `labels` region, in the same annotation, Label Studio's per-region results (same
`id` as the region, `value` with the region's `start`/`end`):

- a choice attribute: `{"type": "choices", "from_name": <attribute>, "value": {..., "choices":
  [<value>]}}`; a yes/no attribute the same with `"yes"` or `"no"` (Label Studio has no
  booleans; the importer turns them back into yes/no values where the schema says so);
- a text or date attribute (and a number, as its text): `{"type": "textarea", "from_name":
  <attribute>, "value": {..., "text": [<value>]}}`;
- the note: a `textarea` result from `note`; the registry actor's key: a `textarea` from
  `actor` (only the key travels). So `note`, `actor` and `label` are reserved names here.

Relations are results `{"type": "relation", "from_id": "span-12", "to_id": "span-11",
"direction": "right", "labels": ["SOURCE"]}` in the annotation that holds both spans; one whose
spans belong to two annotators (Label Studio relations stay inside one annotation) is left out
and reported.

Beside the tasks file goes the labeling config a Label Studio project needs to show them
(`corpus.json` -> `corpus.label-config.xml`, paste it under the project's Labeling Interface):
`<Labels>` in schema order, a per-region `<Choices>` or `<TextArea>` for every attribute that
was written (shown only for its label's regions when one label has it), `note` and `actor`
text areas, and the `<Relations>`.

Reading (the whole file is parsed at once; Label Studio exports are one JSON value): a task
array, or a single task object. Per task:

- the text is `data.text`; failing that, the one string field of `data` that contains
  whitespace (Label Studio configs may name the field anything, e.g. `$ner`); a task without
  one is reported. Title and other metadata come from `data` when present.
- results are taken from `annotations`, `completions` (Label Studio 0.x) and `predictions`.
  Predictions are imported too, with `{"prediction": true, "model_version": ...}` in the
  span's attributes and the model version (or "prediction") as the annotator, so they can be
  told apart and filtered; they are never merged into a person's work.
- `labels` regions become one span per label. Each region's `text` is checked against the
  text at its offsets; a mismatch (stale offsets) or an offset inside a surrogate pair is
  reported and the region is not imported.
- per-region `choices` and `textarea` results (same `id` as a `labels` region of the same
  annotation) become the region's attributes (one choice: the value; several: a list), note
  (`note`) and actor key (`actor`); `relation` results between two regions of the annotation
  become relations, one per label (`RELATED` without a label; `direction: "left"` swaps the
  ends). Span refs are scoped to their annotation, since Label Studio copies region ids from a
  prediction into the annotation made from it.
- a task whose text is HTML (it starts with a tag, or the task has `hypertextlabels`
  regions) is imported as the page's readable text, never as markup (`_html_text`: block
  elements on their own lines, white space collapsed as a browser shows it). Its
  `hypertextlabels` regions name each end by an XPath into the page and an offset in UTF-16
  units; they are placed on that text and checked against their `text` (white space aside,
  since a browser's selection has line breaks of its own). A region that leads nowhere in the
  page or whose text differs is reported; a plain-text `labels` region on an HTML task is too
  (its offsets count markup).
- `paragraphlabels` regions are reported, one problem each, and not imported; other result
  types (document-level choices, ratings, ...) too.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain.attributes import AttributeKind
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Span
from annotator.formats import _json_stream

if TYPE_CHECKING:
    from annotator.formats._html_text import HtmlText

FROM_NAME = "label"
TO_NAME = "text"
NOTE_NAME = "note"
ACTOR_NAME = "actor"
UNLABELLED_RELATION = "RELATED"
_RESERVED = frozenset({FROM_NAME, NOTE_NAME, ACTOR_NAME})
_PER_REGION = frozenset({"choices", "textarea"})
_META_KEYS = ("source", "url", "author", "published", "language")
_RESULT_KEYS = ("annotations", "completions", "predictions")
_HTML_START = re.compile(r"\s*<(?:!doctype|[a-z][a-z0-9]*[\s/>])", re.IGNORECASE)
_SNIFF_DATA = re.compile(r'"data"\s*:\s*\{')
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NOT_IMPORTED = {"paragraphlabels": "paragraph regions are not imported"}


class Utf16Offsets:
    """Converts between code-point and UTF-16 offsets in one text, in O(log n) per offset."""

    __slots__ = ("_astral", "_astral16")

    def __init__(self, text: str) -> None:
        # Found by a scan in C: a loop in Python (or `max`) over a 1 MB text took a tenth of a
        # second.
        self._astral: list[int] = (
            [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        )
        # Where each astral character starts, in UTF-16 units.
        self._astral16 = [p + k for k, p in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_code_points(self, unit: int) -> int | None:
        """The code-point offset of a UTF-16 offset; None if it falls inside a surrogate pair."""
        if not self._astral16:
            return unit
        before = bisect_left(self._astral16, unit)
        if before and self._astral16[before - 1] + 1 == unit:
            return None
        return unit - before


def labeling_config(
    names: Sequence[str],
    *,
    choices: Mapping[str, Sequence[str]] | None = None,
    texts: Sequence[str] = (),
    relations: Sequence[str] = (),
    only_for: Mapping[str, str] | None = None,
    multiple: Collection[str] = (),
) -> str:
    """A Label Studio labeling config that matches what `write` produces: the labels, a
    per-region `<Choices>` per choice (or yes/no) attribute with its options, a per-region
    `<TextArea>` per text attribute (add "note" and "actor" to carry those), and the relation
    types. `only_for` maps an attribute to the one label that has it: Label Studio then shows
    its control only when a region of that label is selected. The choices named in `multiple`
    take several answers."""
    from xml.sax.saxutils import quoteattr  # writing only (it imports urllib and http)

    only_for = only_for or {}

    def shown(name: str) -> str:
        label = only_for.get(name)
        if label is None:
            return ""
        return f' visibleWhen="region-selected" whenLabelValue={quoteattr(label)}'

    labels = "\n".join(f"    <Label value={quoteattr(name)}/>" for name in names)
    parts = [
        "<View>",
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">',
        labels,
        "  </Labels>",
        f'  <Text name="{TO_NAME}" value="$text"/>',
    ]
    if relations:
        parts.append("  <Relations>")
        parts += [f"    <Relation value={quoteattr(name)}/>" for name in relations]
        parts.append("  </Relations>")
    for name, options in (choices or {}).items():
        several = ' choice="multiple"' if name in multiple else ""
        parts.append(
            f'  <Choices name={quoteattr(name)} toName="{TO_NAME}" perRegion="true"'
            f"{several}{shown(name)}>"
        )
        parts += [f"    <Choice value={quoteattr(option)}/>" for option in options]
        parts.append("  </Choices>")
    for name in texts:
        parts.append(
            f'  <TextArea name={quoteattr(name)} toName="{TO_NAME}" perRegion="true" '
            f'maxSubmissions="1" editable="true"{shown(name)}/>'
        )
    parts.append("</View>")
    return "\n".join(parts) + "\n"


class _Config:
    """What the labeling config written beside the tasks needs, gathered as documents pass:
    the labels, a control per attribute (from the schema, and from values of attributes the
    schema does not define) and the relation types."""

    def __init__(self) -> None:
        self.labels: dict[str, int] = {}
        self.choices: dict[str, list[str]] = {}
        self.texts: dict[str, None] = {}
        self.owners: dict[str, set[str]] = {}
        self.multiple: set[str] = set()
        self.relations: dict[str, None] = {}

    def add(self, doc: AnnotatedDocument) -> None:
        for label in doc.labels.values():
            if label.name in self.labels:
                continue
            self.labels[label.name] = label.position
            for attribute in label.attributes:
                if attribute.kind is AttributeKind.CHOICE:
                    self._choices(attribute.name, label.name, attribute.options)
                elif attribute.kind is AttributeKind.BOOLEAN:
                    self._choices(attribute.name, label.name, ("yes", "no"))
                else:
                    self._text(attribute.name, label.name)
        for t in sorted(doc.relation_types.values(), key=lambda t: (t.position, t.name)):
            self.relations[t.name] = None

    def value(self, name: str, label: str, kind: str, values: Sequence[str]) -> None:
        """A per-region result written for an attribute (choices or textarea)."""
        if kind == "textarea":
            self._text(name, label)
            return
        self._choices(name, label, values)
        if len(values) > 1:
            self.multiple.add(name)

    def _choices(self, name: str, label: str, options: Iterable[str]) -> None:
        self.owners.setdefault(name, set()).add(label)
        known = self.choices.setdefault(name, [])
        known += [o for o in options if o not in known]

    def _text(self, name: str, label: str) -> None:
        self.owners.setdefault(name, set()).add(label)
        self.texts[name] = None

    def xml(self) -> str:
        names = sorted(self.labels, key=lambda n: (self.labels[n], n))
        texts = [n for n in self.texts if n not in self.choices]
        return labeling_config(
            names,
            choices=self.choices,
            texts=[*texts, NOTE_NAME, ACTOR_NAME],
            relations=list(self.relations),
            only_for={n: next(iter(o)) for n, o in self.owners.items() if len(o) == 1},
            multiple=self.multiple,
        )


def config_path(out: Path) -> Path:
    """Where the labeling config goes beside a tasks file: `corpus.json` ->
    `corpus.label-config.xml`."""
    return out.with_name(f"{out.stem}.label-config.xml")


def _region_id(span: Span) -> str:
    return f"span-{span.id}"


def _per_region(
    region: str, name: str, kind: str, value: dict[str, Any], key: str, values: list[str]
) -> dict[str, Any]:
    return {
        "id": region,
        "from_name": name,
        "to_name": TO_NAME,
        "type": kind,
        "origin": "manual",
        "value": {**value, key: values},
    }


def _span_results(
    doc: AnnotatedDocument, span: Span, offsets: Utf16Offsets, lost: Counter[str], config: _Config
) -> list[dict[str, Any]]:
    label = doc.labels[span.label_id]
    region = f"span-{span.id}"
    start, end = offsets.to_utf16(span.start), offsets.to_utf16(span.end)
    results: list[dict[str, Any]] = [
        {
            "id": region,
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "origin": "manual",
            "value": {"start": start, "end": end, "text": span.quote, "labels": [label.name]},
        }
    ]
    if not span.attributes and not span.note and span.actor_id is None:
        return results  # most spans: one result, nothing more to look at
    where = {"start": start, "end": end}
    choice_value = {**where, "text": span.quote}
    for name, value in span.attributes.items():
        definition = label.attribute(name)
        if name in _RESERVED:
            lost["reserved"] += 1
        elif isinstance(value, bool):
            results.append(
                _per_region(
                    region, name, "choices", choice_value, "choices", ["yes" if value else "no"]
                )
            )
        elif isinstance(value, str) and (
            definition is not None
            and definition.kind in (AttributeKind.CHOICE, AttributeKind.BOOLEAN)
        ):
            results.append(_per_region(region, name, "choices", choice_value, "choices", [value]))
        elif isinstance(value, str | int | float):
            results.append(_per_region(region, name, "textarea", where, "text", [str(value)]))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            results.append(_per_region(region, name, "choices", choice_value, "choices", value))
        else:
            lost["values"] += 1
    for result in results[1:]:
        value = result["value"]
        config.value(result["from_name"], label.name, result["type"], value.get("choices", ()))
    if span.note:
        results.append(_per_region(region, NOTE_NAME, "textarea", where, "text", [span.note]))
    actor = doc.actor_of(span)
    if actor is not None:
        results.append(_per_region(region, ACTOR_NAME, "textarea", where, "text", [actor.key]))
    return results


def _task(
    doc: AnnotatedDocument, lost: Counter[str], config: _Config
) -> tuple[dict[str, Any], int]:
    d = doc.document
    text = d.text
    offsets = Utf16Offsets(text)
    annotators = {i: a.name for i, a in doc.annotators.items()}
    by_annotator: dict[int, list[dict[str, Any]]] = {}
    owner: dict[int, int] = {}
    for s in doc.spans:
        by_annotator.setdefault(s.annotator_id, []).extend(
            _span_results(doc, s, offsets, lost, config)
        )
        owner[s.id] = s.annotator_id
    written = 0
    for r in doc.relations:
        source, target = owner.get(r.source_id), owner.get(r.target_id)
        if source is None or target is None or source != target:
            lost["relations"] += 1
            continue
        by_annotator[source].append(
            {
                "from_id": f"span-{r.source_id}",
                "to_id": f"span-{r.target_id}",
                "type": "relation",
                "direction": "right",
                "labels": [doc.relation_type_name(r)],
            }
        )
        written += 1
    data: dict[str, Any] = {"text": text, "title": d.meta.title}
    for key in _META_KEYS:
        value = getattr(d.meta, key)
        if value is not None:
            data[key] = value
    if doc.tags:
        data["tags"] = list(doc.tags)
    task = {
        "id": d.id,
        "data": data,
        "annotations": [
            {"annotator": annotators[annotator_id], "result": result}
            for annotator_id, result in by_annotator.items()
        ],
    }
    return task, written


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """A JSON array of Label Studio tasks, one per document, written as the documents come,
    and beside it the labeling config a Label Studio project needs to show them (`config_path`):
    the labels, attribute controls and relation types of the documents written."""
    report = WriteReport(files=[str(out)])
    lost: Counter[str] = Counter()
    config = _Config()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for doc in documents:
            fh.write("\n" if report.documents == 0 else ",\n")
            config.add(doc)
            task, relations = _task(doc, lost, config)
            fh.write(json.dumps(task, ensure_ascii=False))
            report.documents += 1
            report.spans += len(doc.spans)
            report.relations += relations
            if progress is not None:
                progress(report.documents)
        fh.write("\n]\n")
    xml = config_path(out)
    xml.write_text(config.xml(), encoding="utf-8", newline="\n")
    report.files.append(str(xml))
    messages = {
        "reserved": "{} attribute values are named label, note or actor, names this file "
        "uses for the label, the note and the actor link; they were left out",
        "values": "{} attribute values are neither text, numbers, yes/no nor lists of text, "
        "which Label Studio results cannot hold; they were left out",
        "relations": "{} relations link spans of two annotators; Label Studio keeps relations "
        "inside one annotator's annotation, so they were left out",
    }
    for key, template in messages.items():
        if lost[key]:
            report.problems.append(FormatProblem(str(out), template.format(lost[key])))
    return report


# Reading ---------------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """True for JSON that looks like Label Studio tasks: a `"data": {...}` object near the start."""
    if not path.is_file():
        return False
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    if not head.lstrip().startswith(("[", "{")) or '"@context"' in head:
        return False
    return _SNIFF_DATA.search(head) is not None


def _text_field(data: Mapping[str, Any]) -> tuple[str, str] | None:
    text = data.get("text")
    if isinstance(text, str):
        return "text", text
    candidates = [
        (key, value)
        for key, value in data.items()
        if isinstance(value, str) and any(ch.isspace() for ch in value)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _annotator(annotation: Mapping[str, Any], kind: str) -> str | None:
    if kind == "predictions":
        version = annotation.get("model_version")
        return str(version) if version not in (None, "") else "prediction"
    name = annotation.get("annotator")
    if isinstance(name, str) and name:
        return name
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        for key in ("email", "username"):
            if isinstance(by.get(key), str) and by[key]:
                return str(by[key])
        full = " ".join(str(by.get(k) or "") for k in ("first_name", "last_name")).strip()
        if full:
            return full
        by = by.get("id")
    if type(by) is int:
        return f"Label Studio user {by}"
    return None


def _all_strings(values: list[Any]) -> bool:
    if len(values) == 1:  # most regions have one label
        return isinstance(values[0], str)
    return all(map(isinstance, values, itertools.repeat(str)))  # the loop runs in C


def _region_spans(
    item: Any,
    *,
    text: str,
    offsets: Utf16Offsets,
    origin: str,
    annotator: str | None,
    attributes: Mapping[str, Any],
    ref: str | None = None,
    page: HtmlText | None = None,
) -> tuple[list[ImportedSpan], list[FormatProblem]]:
    if not isinstance(item, dict):
        return [], [FormatProblem(origin, "a result is not an object; it is not imported")]
    kind = item.get("type")
    if page is not None:
        return _html_region_spans(
            item, page=page, origin=origin, annotator=annotator, attributes=attributes, ref=ref
        )
    if kind != "labels":
        reason = _NOT_IMPORTED.get(str(kind), f"{kind!r} results are not imported")
        return [], [FormatProblem(origin, reason)]
    value = item.get("value")
    if not isinstance(value, dict):
        return [], [FormatProblem(origin, "the region has no value; it is not imported")]
    start16, end16, names = value.get("start"), value.get("end"), value.get("labels")
    if type(start16) is not int or type(end16) is not int:
        return [], [FormatProblem(origin, "the region's start and end are not integers")]
    if not isinstance(names, list) or not names or not _all_strings(names):
        return [], [FormatProblem(origin, "the region has no label names; it is not imported")]
    start, end = offsets.to_code_points(start16), offsets.to_code_points(end16)
    if start is None or end is None:
        return [], [
            FormatProblem(
                origin,
                f"offsets {start16}-{end16} split a character outside the Basic Multilingual "
                "Plane (a surrogate pair); the region is not imported",
            )
        ]
    quote = value.get("text")
    if isinstance(quote, str) and text[start:end] != quote:
        return [], [
            FormatProblem(
                origin,
                f"the region says it covers {quote!r} but the text at {start16}-{end16} reads "
                f"{text[start:end]!r} (stale offsets?); it is not imported",
            )
        ]
    kept = quote if isinstance(quote, str) else None
    return _one_span_per_label(names, start, end, kept, annotator, attributes, origin, ref), []


def _html_region_spans(
    item: Mapping[str, Any],
    *,
    page: HtmlText,
    origin: str,
    annotator: str | None,
    attributes: Mapping[str, Any],
    ref: str | None,
) -> tuple[list[ImportedSpan], list[FormatProblem]]:
    """A HyperText region (XPath and offset at each end) placed on the page's rendered text.

    Its `text` is the browser's selection, with its own line breaks, so it is compared with
    the text it lands on white space aside; `globalOffsets` count characters of the markup's
    text content, which the rendered text does not keep, so they are not used.
    """
    kind = item.get("type")
    if kind != "hypertextlabels":
        reason = (
            "a plain-text region on a task whose text is HTML; it is not imported"
            if kind == "labels"
            else _NOT_IMPORTED.get(str(kind), f"{kind!r} results are not imported")
        )
        return [], [FormatProblem(origin, reason)]
    value = item.get("value")
    if not isinstance(value, dict):
        return [], [FormatProblem(origin, "the region has no value; it is not imported")]
    names = value.get("hypertextlabels")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        return [], [FormatProblem(origin, "the region has no label names; it is not imported")]
    ends = []
    for path_key, offset_key in (("start", "startOffset"), ("end", "endOffset")):
        xpath, offset = value.get(path_key), value.get(offset_key)
        where = (
            page.locate(xpath, offset) if isinstance(xpath, str) and type(offset) is int else None
        )
        if where is None:
            return [], [
                FormatProblem(
                    origin,
                    f"cannot find {path_key} {xpath!r} offset {offset!r} in the page; "
                    "the region is not imported",
                )
            ]
        ends.append(where)
    start, end = ends
    quote = page.text[start:end]
    said = value.get("text")
    if start >= end or (isinstance(said, str) and said.split() != quote.split()):
        return [], [
            FormatProblem(
                origin,
                f"the region says it covers {said!r} but its place in the page reads "
                f"{quote!r}; it is not imported",
            )
        ]
    return _one_span_per_label(names, start, end, quote, annotator, attributes, origin, ref), []


def _one_span_per_label(
    names: Sequence[str],
    start: int,
    end: int,
    quote: str | None,
    annotator: str | None,
    attributes: Mapping[str, Any],
    origin: str,
    ref: str | None,
) -> list[ImportedSpan]:
    """A region with several labels is one span per label, as we hold them."""
    if len(names) == 1:  # most regions
        return [
            ImportedSpan(
                start,
                end,
                names[0],
                quote,
                annotator,
                dict(attributes),
                origin=origin,
                ref=ref,
            )
        ]
    return [
        ImportedSpan(
            start,
            end,
            name,
            quote=quote,
            annotator=annotator,
            attributes=dict(attributes),
            origin=origin,
            ref=ref,
        )
        for name in names
    ]


@dataclass
class _Region:
    """What per-region results add to a labels region."""

    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    actor: str | None = None


@dataclass
class _Annotation:
    """The spans, relations and problems of one annotation (or prediction) of a task."""

    spans: list[ImportedSpan] = field(default_factory=list)
    relations: list[ImportedRelation] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)
    unplaced: int = 0


def _per_region_values(item: Mapping[str, Any]) -> list[str] | None:
    value = item.get("value")
    if not isinstance(value, dict):
        return None
    key = "choices" if item.get("type") == "choices" else "text"
    found = value.get(key)
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list) or not all(isinstance(v, str) for v in found):
        return None
    return list(found)


def _attach(item: Mapping[str, Any], region: _Region, origin: str) -> FormatProblem | None:
    """Add a per-region choices/textarea result to its region."""
    values = _per_region_values(item)
    name = item.get("from_name")
    if values is None or not isinstance(name, str) or not name:
        return FormatProblem(origin, "a per-region result without values; it is not imported")
    if name == NOTE_NAME:
        region.notes.extend(values)
    elif name == ACTOR_NAME:
        region.actor = values[0] if values else None
    elif values:
        region.attributes[name] = values[0] if len(values) == 1 else values
    return None


def _relations(
    item: Mapping[str, Any], scope: str, regions: Collection[str], origin: str
) -> tuple[list[ImportedRelation], FormatProblem | None]:
    ends = [item.get("from_id"), item.get("to_id")]
    if item.get("direction") == "left":
        ends.reverse()
    missing = [str(end) for end in ends if not isinstance(end, str) or end not in regions]
    if missing:
        return [], FormatProblem(
            origin,
            f"a relation between {ends[0]} and {ends[1]}: {', '.join(missing)} is not a text "
            "region of this annotation that was imported; the relation is not imported",
        )
    raw_labels = item.get("labels")
    names = (
        [n for n in raw_labels if isinstance(n, str) and n] if isinstance(raw_labels, list) else []
    )
    source, target = f"{scope}/{ends[0]}", f"{scope}/{ends[1]}"
    return [
        ImportedRelation(name, source, target, origin) for name in names or [UNLABELLED_RELATION]
    ], None


def _annotation_items(
    annotation: Mapping[str, Any],
    kind: str,
    index: int,
    *,
    text: str | None,
    offsets: Utf16Offsets,
    task_origin: str,
    page: HtmlText | None = None,
) -> _Annotation:
    """Regions, per-region values and relations of one annotation; `text` None: no text."""
    found = _Annotation()
    annotator = _annotator(annotation, kind)
    attributes: dict[str, Any] = {}
    if kind == "predictions":
        attributes = {"prediction": True}
        if annotation.get("model_version") not in (None, ""):
            attributes["model_version"] = annotation["model_version"]
    results = annotation.get("result") or []
    scope = f"{kind}[{index}]"
    placed: set[str] = set()  # ids of the regions imported
    regions: dict[str, _Region] = {}  # what per-region results add, by region id
    later: list[tuple[str, Mapping[str, Any]]] = []
    for r_number, item in enumerate(results if isinstance(results, list) else []):
        region_id = item.get("id") if isinstance(item, dict) else None
        origin = f"{task_origin} {scope} result[{r_number}]" + (
            f" (region {region_id})" if region_id else ""
        )
        kind_of_item = item.get("type") if isinstance(item, dict) else None
        if kind_of_item is not None and not isinstance(kind_of_item, str):
            found.problems.append(
                FormatProblem(
                    origin,
                    f'the result\'s "type" is {type(kind_of_item).__name__}, not a name; '
                    "it is not imported",
                )
            )
            continue
        if text is None:  # nothing to check regions against
            if kind_of_item in _NOT_IMPORTED:
                found.problems.append(FormatProblem(origin, _NOT_IMPORTED[kind_of_item]))
            else:
                found.unplaced += 1
            continue
        if (
            isinstance(item, dict)
            and kind_of_item not in ("labels", "hypertextlabels")
            and (kind_of_item == "relation" or (kind_of_item in _PER_REGION and region_id))
        ):
            later.append((origin, item))
            continue
        ref = f"{scope}/{region_id}" if isinstance(region_id, str) and region_id else None
        got, bad = _region_spans(
            item,
            text=text,
            offsets=offsets,
            origin=origin,
            annotator=annotator,
            attributes=attributes,
            ref=ref,
            page=page,
        )
        found.spans.extend(got)
        found.problems.extend(bad)
        if got and isinstance(region_id, str) and region_id:
            placed.add(region_id)
    for origin, item in later:
        if item.get("type") == "relation":
            relations, problem = _relations(item, scope, placed, origin)
            found.relations.extend(relations)
        elif item.get("id") in placed:
            problem = _attach(item, regions.setdefault(item["id"], _Region()), origin)
        else:
            problem = FormatProblem(
                origin,
                f"a {item.get('type')!r} result for a region that is not an imported text "
                "region; it is not imported",
            )
        if problem is not None:
            found.problems.append(problem)
    if any(r.attributes or r.notes or r.actor for r in regions.values()):
        found.spans = [_with_region(span, scope, regions) for span in found.spans]
    return found


def _with_region(span: ImportedSpan, scope: str, regions: Mapping[str, _Region]) -> ImportedSpan:
    region = regions.get((span.ref or "").removeprefix(f"{scope}/"))
    if region is None or not (region.attributes or region.notes or region.actor):
        return span
    return dataclasses.replace(
        span,
        attributes={**span.attributes, **region.attributes},
        note="\n".join(region.notes) if region.notes else span.note,
        actor=region.actor,
    )


def _task_items(
    task: Mapping[str, Any], path: Path, where: str
) -> Iterator[ImportedDocument | FormatProblem]:
    task_origin = f"{path} {where}"
    raw_data = task.get("data")
    data: Mapping[str, Any] = (
        raw_data
        if isinstance(raw_data, dict)
        else {k: v for k, v in task.items() if k not in (*_RESULT_KEYS, "id")}
    )
    found = _text_field(data)
    text = found[1] if found else ""
    page: HtmlText | None = None
    if found is not None and (_HTML_START.match(text) or _has_html_regions(task)):
        # Only for HTML tasks: lxml is a tenth of the start-up of an import of plain text.
        from lxml import etree

        from annotator.formats._html_text import html_text

        try:
            page = html_text(text)
        except (etree.LxmlError, ValueError) as exc:
            yield FormatProblem(
                task_origin, f"data.{found[0]} looks like HTML but cannot be read ({exc})"
            )
            return
        text = page.text
    offsets = Utf16Offsets(text)
    spans: list[ImportedSpan] = []
    relations: list[ImportedRelation] = []
    problems: list[FormatProblem] = []
    unplaced = 0
    for kind in _RESULT_KEYS:
        annotations = task.get(kind) or []
        if not isinstance(annotations, list):
            problems.append(FormatProblem(task_origin, f'"{kind}" is not a list'))
            continue
        for index, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                continue
            got = _annotation_items(
                annotation,
                kind,
                index,
                text=text if found is not None else None,
                offsets=offsets,
                task_origin=task_origin,
                page=page,
            )
            spans.extend(got.spans)
            relations.extend(got.relations)
            problems.extend(got.problems)
            unplaced += got.unplaced
    if found is None:
        keys = ", ".join(sorted(data)) or "none"
        also = f", nor are its {unplaced} other results" if unplaced else ""
        yield FormatProblem(
            task_origin,
            f'the task has no text (data has no "text" and no single text field; its keys: '
            f"{keys}); it is not imported{also}",
        )
        yield from problems
        return
    if page is not None and not text:
        yield FormatProblem(
            task_origin, f"data.{found[0]} is HTML with no text in it; it is not imported"
        )
        yield from problems
        return
    yield from problems
    title = data.get("title")
    meta = DocumentMeta(
        title if isinstance(title, str) and title else f"{path.name}, {where}",
        **{k: (v if isinstance(v := data.get(k), str) and v else None) for k in _META_KEYS},
    )
    raw_tags = data.get("tags")
    tags = tuple(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else ()
    yield ImportedDocument(text, meta, tuple(spans), task_origin, tags, tuple(relations))


def _has_html_regions(task: Mapping[str, Any]) -> bool:
    for kind in _RESULT_KEYS:
        annotations = task.get(kind)
        for annotation in annotations if isinstance(annotations, list) else []:
            results = annotation.get("result") if isinstance(annotation, dict) else None
            for item in results if isinstance(results, list) else []:
                if isinstance(item, dict) and item.get("type") == "hypertextlabels":
                    return True
    return False


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The tasks of a Label Studio JSON export (an array, or one task) as documents."""
    tasks = _json_stream.items(path)  # one task in memory at a time
    try:
        first = next(tasks, None)
    except _json_stream.JSONFileError as exc:
        yield FormatProblem(exc.where, exc.message)
        return
    if first is None:
        return
    for n, task in enumerate(itertools.chain([first], tasks), start=1):
        task_id = task.get("id") if isinstance(task, dict) else None
        where = f"task {task_id}" if task_id is not None else f"task #{n}"
        if not isinstance(task, dict):
            yield FormatProblem(f"{path} {where}", "the task is not a JSON object")
            continue
        yield from _task_items(task, path, where)
