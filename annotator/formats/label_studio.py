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
Label Studio ignores (it assigns the importing user) and this reader reads back. Use the labeling
config from `labeling_config(names)`. Attributes and notes cannot be written; the report says how
many spans lost each.

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
- `hypertextlabels` (HTML, XPath offsets) and `paragraphlabels` regions are reported, one
  problem each, and not imported; other result types (choices, textarea, relations, ...) too.
- a task whose text is HTML (it has HTML regions, or the text starts with a tag) is refused:
  importing markup as article text would be wrong. Import such pages as HTML sources instead.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta

FROM_NAME = "label"
TO_NAME = "text"
_META_KEYS = ("source", "url", "author", "published", "language")
_RESULT_KEYS = ("annotations", "completions", "predictions")
_HTML_START = re.compile(r"\s*<(?:!doctype|[a-z][a-z0-9]*[\s/>])", re.IGNORECASE)
_SNIFF_DATA = re.compile(r'"data"\s*:\s*\{')
_NOT_IMPORTED = {
    "hypertextlabels": "HTML regions are not imported",
    "paragraphlabels": "paragraph regions are not imported",
}


class Utf16Offsets:
    """Converts between code-point and UTF-16 offsets in one text, in O(log n) per offset."""

    __slots__ = ("_astral", "_astral16")

    def __init__(self, text: str) -> None:
        if text.isascii() or max(text, default="\0") < "\U00010000":
            self._astral: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ch >= "\U00010000"]
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


def labeling_config(names: Sequence[str]) -> str:
    """A Label Studio labeling config that matches what `write` produces."""
    labels = "\n".join(f"    <Label value={quoteattr(name)}/>" for name in names)
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        "</View>\n"
    )


def _task(doc: AnnotatedDocument, lost: Counter[str]) -> dict[str, Any]:
    d = doc.document
    text = d.text
    offsets = Utf16Offsets(text)
    labels = {i: label.name for i, label in doc.labels.items()}
    annotators = {i: a.name for i, a in doc.annotators.items()}
    by_annotator: dict[int, list[dict[str, Any]]] = {}
    for s in doc.spans:
        by_annotator.setdefault(s.annotator_id, []).append(
            {
                "id": f"span-{s.id}",
                "from_name": FROM_NAME,
                "to_name": TO_NAME,
                "type": "labels",
                "origin": "manual",
                "value": {
                    "start": offsets.to_utf16(s.start),
                    "end": offsets.to_utf16(s.end),
                    "text": s.quote,
                    "labels": [labels[s.label_id]],
                },
            }
        )
        if s.attributes:
            lost["attributes"] += 1
        if s.note:
            lost["notes"] += 1
    data: dict[str, Any] = {"text": text, "title": d.meta.title}
    for key in _META_KEYS:
        value = getattr(d.meta, key)
        if value is not None:
            data[key] = value
    if doc.tags:
        data["tags"] = list(doc.tags)
    return {
        "id": d.id,
        "data": data,
        "annotations": [
            {"annotator": annotators[annotator_id], "result": result}
            for annotator_id, result in by_annotator.items()
        ],
    }


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """A JSON array of Label Studio tasks, one per document, written as the documents come."""
    report = WriteReport(files=[str(out)])
    lost: Counter[str] = Counter()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for doc in documents:
            fh.write("\n" if report.documents == 0 else ",\n")
            fh.write(json.dumps(_task(doc, lost), ensure_ascii=False))
            report.documents += 1
            report.spans += len(doc.spans)
            if progress is not None:
                progress(report.documents)
        fh.write("\n]\n")
    if lost["attributes"]:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{lost['attributes']} spans have attributes, which Label Studio tasks do not "
                "carry; they were left out",
            )
        )
    if lost["notes"]:
        report.problems.append(
            FormatProblem(
                str(out),
                f"{lost['notes']} spans have notes, which Label Studio tasks do not carry; "
                "they were left out",
            )
        )
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


def _region_spans(
    item: Any,
    *,
    text: str,
    offsets: Utf16Offsets,
    origin: str,
    annotator: str | None,
    attributes: Mapping[str, Any],
) -> tuple[list[ImportedSpan], list[FormatProblem]]:
    if not isinstance(item, dict):
        return [], [FormatProblem(origin, "a result is not an object; it is not imported")]
    kind = item.get("type")
    if kind != "labels":
        reason = _NOT_IMPORTED.get(str(kind), f"{kind!r} results are not imported")
        return [], [FormatProblem(origin, reason)]
    value = item.get("value")
    if not isinstance(value, dict):
        return [], [FormatProblem(origin, "the region has no value; it is not imported")]
    start16, end16, names = value.get("start"), value.get("end"), value.get("labels")
    if type(start16) is not int or type(end16) is not int:
        return [], [FormatProblem(origin, "the region's start and end are not integers")]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
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
    spans = [
        ImportedSpan(
            start,
            end,
            name,
            quote=quote if isinstance(quote, str) else None,
            annotator=annotator,
            attributes=dict(attributes),
            origin=origin,
        )
        for name in names
    ]
    return spans, []


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
    html = found is not None and _HTML_START.match(text) is not None
    offsets = Utf16Offsets(text)
    spans: list[ImportedSpan] = []
    problems: list[FormatProblem] = []
    unplaced = 0
    for kind in _RESULT_KEYS:
        annotations = task.get(kind) or []
        if not isinstance(annotations, list):
            problems.append(FormatProblem(task_origin, f'"{kind}" is not a list'))
            continue
        for a_number, annotation in enumerate(annotations, start=1):
            if not isinstance(annotation, dict):
                continue
            annotator = _annotator(annotation, kind)
            attributes: dict[str, Any] = {}
            if kind == "predictions":
                attributes = {"prediction": True}
                if annotation.get("model_version") not in (None, ""):
                    attributes["model_version"] = annotation["model_version"]
            results = annotation.get("result") or []
            for r_number, item in enumerate(results if isinstance(results, list) else []):
                region = item.get("id") if isinstance(item, dict) else None
                origin = f"{task_origin} {kind}[{a_number - 1}] result[{r_number}]" + (
                    f" (region {region})" if region else ""
                )
                kind_of_item = item.get("type") if isinstance(item, dict) else None
                if kind_of_item == "hypertextlabels":
                    html = True
                if found is None:  # nothing to check regions against
                    if kind_of_item in _NOT_IMPORTED:
                        problems.append(FormatProblem(origin, _NOT_IMPORTED[kind_of_item]))
                    else:
                        unplaced += 1
                    continue
                got, bad = _region_spans(
                    item,
                    text=text,
                    offsets=offsets,
                    origin=origin,
                    annotator=annotator,
                    attributes=attributes,
                )
                spans.extend(got)
                problems.extend(bad)
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
    if html:
        yield FormatProblem(
            task_origin,
            f"data.{found[0]} is HTML markup, not plain text; the task is not imported "
            "(import the page as an HTML source instead)",
        )
        yield from problems
        if spans:
            yield FormatProblem(task_origin, f"nor are its {len(spans)} text spans")
        return
    yield from problems
    title = data.get("title")
    meta = DocumentMeta(
        title if isinstance(title, str) and title else f"{path.name}, {where}",
        **{k: (v if isinstance(v := data.get(k), str) and v else None) for k in _META_KEYS},
    )
    raw_tags = data.get("tags")
    tags = tuple(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else ()
    yield ImportedDocument(text, meta, tuple(spans), task_origin, tags)


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The tasks of a Label Studio JSON export (an array, or one task) as documents."""
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        yield FormatProblem(f"{path}:{exc.lineno}", f"not JSON ({exc.msg} at column {exc.colno})")
        return
    tasks = value if isinstance(value, list) else [value]
    for n, task in enumerate(tasks, start=1):
        task_id = task.get("id") if isinstance(task, dict) else None
        where = f"task {task_id}" if task_id is not None else f"task #{n}"
        if not isinstance(task, dict):
            yield FormatProblem(f"{path} {where}", "the task is not a JSON object")
            continue
        yield from _task_items(task, path, where)
