"""JSON and JSON Lines: one document per record that has a text.

Shapes read, whatever the extension says:
- JSON Lines: one object per line (doccano, Prodigy, most exports). Blank lines are skipped.
- One JSON array of objects (Label Studio `tasks.json`), or one object (a Label Studio
  annotation file, a single article).
- Pretty-printed objects one after another (doccano writes such a file and names it `.jsonl`).

A record's text is the user's `text_column` (a key, or a dotted path such as `data.ner`), else
the first of `text`, `body`, `content`, `article` at the top level, else the same inside `data`
(Label Studio tasks). Metadata (title, source or outlet, url, author, date or published,
language, tags) is taken from the record, else from its `meta`, else from its `data` object.

Every record's origin is `name:LINE`, the line on which the record starts, so a user can find it
in an editor. A record that cannot become a document (invalid JSON, not an object, no text, a
text that is not a string, an empty text) is a Refusal with that origin, and the other records
still yield their documents. Texts are kept exactly as written (a text starting with "=" stays
so: formula neutralising is the spreadsheet exporters' job).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from annotator.domain.model import DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats import _json_safe
from annotator.formats.sources._common import (
    META_KEYS,
    TEXT_KEYS,
    Item,
    SourceOptions,
    clean_title,
    clean_value,
    first_line_title,
    iso_date,
    kind_of_value,
    shorten,
    split_tags,
)
from annotator.formats.sources.plain import ImportRefusedError, decode_text

_DECODER = _json_safe.DECODER
_WHITESPACE = " \t\n\r"
_KEYS_SHOWN = 12


def read_json(name: str, data: bytes, options: SourceOptions) -> Iterator[Item]:
    """The documents in a JSON or JSON Lines file; see the module documentation."""
    try:
        text = decode_text(data, name=name)
    except ImportRefusedError as exc:
        yield exc.as_refusal()
        return
    try:
        _json_safe.check_raw(text)  # depth: json raises RecursionError, caught below
    except _json_safe.UnsafeJSONError as exc:
        line = exc.line_in(text)
        yield Refusal(origin=name if line is None else f"{name}:{line}", reason=exc.message)
        return
    try:
        yield from _read_checked(name, text, options)
    except _json_safe.UnsafeJSONError as exc:
        yield Refusal(origin=name, reason=f"{exc.message}; the rest of the file is not read")
    except RecursionError:
        yield Refusal(
            origin=name, reason=f"nested deeper than {_json_safe.MAX_DEPTH} arrays and objects"
        )


def _read_checked(name: str, text: str, options: SourceOptions) -> Iterator[Item]:
    start = _skip_space(text, 0)
    if start == len(text):
        yield Refusal(origin=name, reason="the file holds no JSON (only white space)")
        return
    try:
        first, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        if "\n" in text.strip():
            yield from _read_lines(name, text, options)
        else:
            yield Refusal(origin=name, reason=f"not valid JSON ({_describe(exc)})")
        return
    rest = _skip_space(text, end)
    if rest == len(text):  # one JSON value: an array of records, or one record
        if isinstance(first, list):
            yield from _read_array(name, text, start, options)
        else:
            yield _record(name, first, options)
        return
    if "\n" not in text[start:end]:  # the first value fits on its line: JSON Lines
        yield from _read_lines(name, text, options)
    else:
        yield from _read_concatenated(name, text, start, options)


def _read_lines(name: str, text: str, options: SourceOptions) -> Iterator[Item]:
    # Split on LF only: str.splitlines() would also split at U+2028 and U+2029, which JSON
    # strings may contain raw.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{name}:{number}"
        try:
            value = _DECODER.decode(line)  # the whole text is checked already
        except json.JSONDecodeError as exc:
            yield Refusal(origin=origin, reason=f"not valid JSON ({_describe(exc)})")
            continue
        except _json_safe.UnsafeJSONError as exc:
            yield Refusal(origin=origin, reason=exc.message)
            continue
        yield _record(origin, value, options)


def _read_array(name: str, text: str, start: int, options: SourceOptions) -> Iterator[Item]:
    """The array's elements, each with the line it starts on (the array is valid JSON)."""
    position = _skip_space(text, start + 1)  # after "["
    line = 1 + text.count("\n", 0, position)
    counted_to = position
    while position < len(text) and text[position] != "]":
        line += text.count("\n", counted_to, position)
        counted_to = position
        value, position = _DECODER.raw_decode(text, position)
        yield _record(f"{name}:{line}", value, options)
        position = _skip_space(text, position)
        if text[position] == ",":
            position = _skip_space(text, position + 1)


def _read_concatenated(name: str, text: str, start: int, options: SourceOptions) -> Iterator[Item]:
    """Values one after another, each spanning any number of lines."""
    position, line, counted_to = start, 1, 0
    while position < len(text):
        line += text.count("\n", counted_to, position)
        counted_to = position
        origin = f"{name}:{line}"
        try:
            value, position = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield Refusal(
                origin=origin,
                reason=f"not valid JSON ({_describe(exc)}); the rest of the file from here "
                "cannot be read",
            )
            return
        yield _record(origin, value, options)
        position = _skip_space(text, position)


def _record(origin: str, value: object, options: SourceOptions) -> Item:
    if not isinstance(value, dict):
        return Refusal(origin=origin, reason=f"not a JSON object but {kind_of_value(value)}")
    found = _find_text(value, options.text_column)
    if found is None:
        wanted = options.text_column or "text"
        keys = ", ".join(_key_paths(value)) or "none"
        return Refusal(origin=origin, reason=f'no "{wanted}" field (fields found: {keys})')
    key, text = found
    if not isinstance(text, str):
        return Refusal(
            origin=origin, reason=f'the "{key}" field is {kind_of_value(text)}, not a string'
        )
    if not text.strip():
        return Refusal(origin=origin, reason=f'the "{key}" field is empty')
    meta, tags = _metadata(value, text)
    return SourceDocument(text=text, meta=meta, origin=origin, tags=tags)


def _find_text(record: Mapping[str, Any], path: str | None) -> tuple[str, object] | None:
    if path is not None:
        node: object = record
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return path, node
    for scope, prefix in ((record, ""), (record.get("data"), "data.")):
        if isinstance(scope, dict):
            lowered = {key.lower(): key for key in scope}
            for wanted in TEXT_KEYS:
                if wanted in lowered:
                    key = lowered[wanted]
                    return prefix + key, scope[key]
    return None


def _key_paths(record: Mapping[str, Any]) -> list[str]:
    keys = [str(key) for key in record]
    data = record.get("data")
    if isinstance(data, dict):
        keys.extend(f"data.{key}" for key in data)
    shown = [shorten(key) for key in keys[:_KEYS_SHOWN]]
    if len(keys) > _KEYS_SHOWN:
        shown.append(f"and {len(keys) - _KEYS_SHOWN} more")
    return shown


def _metadata(record: Mapping[str, Any], text: str) -> tuple[DocumentMeta, tuple[str, ...]]:
    scopes: list[tuple[Mapping[str, Any], dict[str, str]]] = []
    for scope in (record, record.get("meta"), record.get("data")):
        if isinstance(scope, dict):
            scopes.append((scope, {str(key).lower(): key for key in scope}))

    def value_of(field: str) -> object:
        for scope, lowered in scopes:
            for wanted in META_KEYS[field]:
                key = lowered.get(wanted)
                if key is not None:
                    value = scope[key]
                    if value not in (None, "", []):
                        return value
        return None

    def string(field: str) -> str | None:
        value = value_of(field)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return clean_value(", ".join(value))  # several authors
        return clean_value(value) if isinstance(value, str) else None

    title_value = value_of("title")
    title = clean_title(title_value) if isinstance(title_value, str) else None
    meta = DocumentMeta(
        title=title or first_line_title(text),
        source=string("source"),
        url=string("url"),
        author=string("author"),
        published=iso_date(string("published")),
        language=string("language"),
    )
    return meta, split_tags(value_of("tags"))


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _describe(exc: json.JSONDecodeError) -> str:
    return f"{exc.msg} at column {exc.colno}" if exc.lineno == 1 else str(exc)
