"""The annotation schema: labels with their attributes, relation types; and schema files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.domain.attributes import AttributeDef
from annotator.domain.errors import AnnotatorError, SchemaError
from annotator.domain.model import HighlightStyle, Label, RelationType, Schema
from annotator.domain.schema import LabelSpec
from annotator.store import Database, Repository

SCHEMA_FORMAT = "annotator-schema"
SCHEMA_VERSION = 1
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def get_schema(db: Database) -> Schema:
    with db.transaction() as repo:
        return repo.schema()


def _check_label(spec: LabelSpec) -> LabelSpec:
    name = spec.name.strip()
    if not name:
        raise SchemaError("a label needs a name")
    if not _COLOUR.match(spec.colour):
        raise SchemaError(f"{name}: colour must be #RRGGBB, not {spec.colour!r}")
    hotkey = (spec.hotkey or "").strip() or None
    if hotkey is not None and len(hotkey) != 1:
        raise SchemaError(f"{name}: a hotkey is one key, not {hotkey!r}")
    attributes = tuple(_check_attribute(name, a) for a in spec.attributes)
    names = [a.name for a in attributes]
    if len(set(names)) != len(names):
        raise SchemaError(f"{name}: two attributes have the same name")
    return LabelSpec(name, spec.colour.upper(), hotkey, spec.style, spec.description, attributes)


def _check_attribute(label: str, definition: AttributeDef) -> AttributeDef:
    """The definition as the database will read it back (a choice without options, or a
    nameless attribute, would make the label unreadable)."""
    options = tuple(dict.fromkeys(o.strip() for o in definition.options if o.strip()))
    cleaned = AttributeDef(
        definition.name.strip(), definition.kind, options, definition.description.strip()
    )
    try:
        return AttributeDef.from_dict(cleaned.to_dict())
    except AnnotatorError as exc:
        raise SchemaError(f"{label}: {exc}") from None


def _hotkey_taken(repo: Repository, hotkey: str | None, label_id: int | None) -> str | None:
    """The label that already uses this hotkey, ignoring case ("a" and "A" are one key)."""
    if hotkey is None:
        return None
    for label in repo.labels():
        if label.id != label_id and (label.hotkey or "").casefold() == hotkey.casefold():
            return label.name
    return None


def save_label(db: Database, *, spec: LabelSpec, label_id: int | None = None) -> Label:
    """Add a label, or change the one with `label_id`; a renamed label keeps all its spans."""
    spec = _check_label(spec)
    with db.transaction() as repo:
        holder = _hotkey_taken(repo, spec.hotkey, label_id)
        if holder is not None:
            raise SchemaError(f"{spec.name}: the hotkey {spec.hotkey!r} is already {holder}'s")
        if label_id is None:
            return repo.add_label(spec, position=len(repo.labels()))
        return repo.update_label(label_id, spec)


def delete_label(db: Database, *, label_id: int) -> None:
    """Delete a label no span and no relation type uses (SchemaError says what uses it)."""
    with db.transaction() as repo:
        repo.delete_label(label_id)


def save_relation_type(
    db: Database,
    *,
    name: str,
    source_label_id: int | None,
    target_label_id: int | None,
    colour: str,
    description: str = "",
    type_id: int | None = None,
) -> RelationType:
    """Add a relation type, or change the one with `type_id`; its relations stay."""
    name = name.strip().upper().replace(" ", "_")
    if not name:
        raise SchemaError("a relation type needs a name")
    if not _COLOUR.match(colour):
        raise SchemaError(f"{name}: colour must be #RRGGBB, not {colour!r}")
    with db.transaction() as repo:
        return repo.save_relation_type(
            name=name,
            source_label_id=source_label_id,
            target_label_id=target_label_id,
            colour=colour.upper(),
            description=description.strip(),
            type_id=type_id,
        )


def delete_relation_type(db: Database, *, type_id: int) -> None:
    with db.transaction() as repo:
        repo.delete_relation_type(type_id)


# Schema files --------------------------------------------------------------------------------


def schema_to_dict(schema: Schema) -> dict[str, Any]:
    names = {label.id: label.name for label in schema.labels}
    return {
        "format": SCHEMA_FORMAT,
        "version": SCHEMA_VERSION,
        "labels": [
            {
                "name": label.name,
                "colour": label.colour,
                "hotkey": label.hotkey,
                "style": label.style.value,
                "description": label.description,
                "attributes": [a.to_dict() for a in label.attributes],
            }
            for label in schema.labels
        ],
        "relation_types": [
            {
                "name": t.name,
                "from": names.get(t.source_label_id) if t.source_label_id else None,
                "to": names.get(t.target_label_id) if t.target_label_id else None,
                "colour": t.colour,
                "description": t.description,
            }
            for t in schema.relation_types
        ],
    }


def export_schema(db: Database, *, path: Path) -> Schema:
    """Write the schema as a JSON file that `import_schema` (here or elsewhere) reads."""
    schema = get_schema(db)
    text = json.dumps(schema_to_dict(schema), ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write the schema ({exc.strerror})") from None
    return schema


@dataclass(frozen=True, slots=True)
class SchemaImport:
    labels_added: tuple[str, ...]
    labels_changed: tuple[str, ...]
    relation_types_added: tuple[str, ...]
    relation_types_changed: tuple[str, ...]


def _read_schema_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the file ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemaError(f"{path}: not a JSON schema file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != SCHEMA_FORMAT:
        raise SchemaError(f'{path}: not an annotator schema (no "format": "{SCHEMA_FORMAT}")')
    if data.get("version") != SCHEMA_VERSION:
        raise SchemaError(f"{path}: schema version {data.get('version')!r} is not one this reads")
    return data


def _label_spec(path: Path, raw: Any) -> LabelSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise SchemaError(f"{path}: a label must be an object with a name")
    name = raw["name"]
    try:
        style = HighlightStyle(raw.get("style") or "background")
        attributes = tuple(AttributeDef.from_dict(a) for a in raw.get("attributes") or [])
    except ValueError as exc:
        raise SchemaError(f"{path}: label {name}: {exc}") from None
    except AnnotatorError as exc:
        raise SchemaError(f"{path}: label {name}: {exc}") from None
    try:
        return _check_label(
            LabelSpec(
                name,
                str(raw.get("colour") or "#999999"),
                raw.get("hotkey") if isinstance(raw.get("hotkey"), str) else None,
                style,
                str(raw.get("description") or ""),
                attributes,
            )
        )
    except SchemaError as exc:
        raise SchemaError(f"{path}: {exc}") from None


def import_schema(db: Database, *, path: Path) -> SchemaImport:
    """Merge a schema file into the database's schema, by name, in one transaction.

    Labels and relation types of the file are added or updated; those the file does not name
    are kept (they may hold annotations). Nothing is stored if any part is invalid.
    """
    data = _read_schema_file(path)
    for part in ("labels", "relation_types"):
        if not isinstance(data.get(part) or [], list):
            raise SchemaError(f"{path}: {part} must be a list")
    specs = [_label_spec(path, raw) for raw in data.get("labels") or []]
    for seen, spec in enumerate(specs):
        for other in specs[:seen]:
            if other.name == spec.name:
                raise SchemaError(f"{path}: the label {spec.name} is listed twice")
            if spec.hotkey and (other.hotkey or "").casefold() == spec.hotkey.casefold():
                raise SchemaError(
                    f"{path}: {other.name} and {spec.name} have the same hotkey {spec.hotkey!r}"
                )
    try:
        return _import(db, path, data, specs)
    except SchemaError as exc:
        # Clashes found by the database (a hotkey of a label the file does not name...).
        if str(exc).startswith(f"{path}: "):
            raise
        raise SchemaError(f"{path}: {exc}") from None


def _import(db: Database, path: Path, data: dict[str, Any], specs: list[LabelSpec]) -> SchemaImport:
    added: list[str] = []
    changed: list[str] = []
    types_added: list[str] = []
    types_changed: list[str] = []
    with db.transaction() as repo:
        existing = {label.name: label for label in repo.labels()}
        # Hotkeys move between labels: clear the ones being reassigned first.
        for spec in specs:
            if spec.name in existing and existing[spec.name].hotkey != spec.hotkey:
                old = existing[spec.name]
                repo.update_label(old.id, _spec_of(old, hotkey=None))
        for spec in specs:
            label_id = existing[spec.name].id if spec.name in existing else None
            holder = _hotkey_taken(repo, spec.hotkey, label_id)
            if holder is not None:
                raise SchemaError(f"{spec.name}: the hotkey {spec.hotkey!r} is already {holder}'s")
            if spec.name in existing:
                repo.update_label(existing[spec.name].id, spec)
                changed.append(spec.name)
            else:
                repo.add_label(spec, position=len(existing) + len(added))
                added.append(spec.name)
        types_added, types_changed = _import_relation_types(repo, path, data)
    return SchemaImport(tuple(added), tuple(changed), tuple(types_added), tuple(types_changed))


def _spec_of(label: Label, *, hotkey: str | None) -> LabelSpec:
    return LabelSpec(
        label.name, label.colour, hotkey, label.style, label.description, label.attributes
    )


def _import_relation_types(
    repo: Repository, path: Path, data: dict[str, Any]
) -> tuple[list[str], list[str]]:
    labels = {label.name: label.id for label in repo.labels()}
    types = {t.name: t for t in repo.relation_types()}
    added: list[str] = []
    changed: list[str] = []
    for raw in data.get("relation_types") or []:
        if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
            raise SchemaError(f"{path}: a relation type must be an object with a name")
        raw = {**raw, "name": str(raw["name"]).strip()}
        ends: list[int | None] = []
        for end in ("from", "to"):
            label = raw.get(end)
            if label is not None and (not isinstance(label, str) or label not in labels):
                raise SchemaError(f"{path}: relation type {raw['name']}: no label {label!r}")
            ends.append(None if label is None else labels[label])
        colour = str(raw.get("colour") or "#555555")
        if not _COLOUR.match(colour):
            raise SchemaError(f"{path}: relation type {raw['name']}: bad colour {colour!r}")
        existing = types.get(raw["name"])
        repo.save_relation_type(
            name=raw["name"],
            source_label_id=ends[0],
            target_label_id=ends[1],
            colour=colour.upper(),
            description=str(raw.get("description") or ""),
            type_id=None if existing is None else existing.id,
        )
        (changed if existing else added).append(raw["name"])
    return added, changed
