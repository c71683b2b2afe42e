"""The annotation schema: labels with their attributes, relation types; and schema files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.domain.attributes import AttributeDef
from annotator.domain.errors import AnnotatorError, SchemaError
from annotator.domain.model import HighlightStyle, Label, RelationType, Schema
from annotator.domain.schema import (
    COLOUR,
    LabelSpec,
    RelationTypeSpec,
    check_label,
    check_relation_type,
    check_schema,
)
from annotator.services.guidelines import guidelines_text, store_guidelines_in
from annotator.store import Database, Repository

SCHEMA_FORMAT = "annotator-schema"
SCHEMA_VERSION = 1


def get_schema(db: Database) -> Schema:
    with db.reading() as repo:
        return repo.schema()


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
    spec = check_label(spec)
    with db.transaction() as repo:
        holder = _hotkey_taken(repo, spec.hotkey, label_id)
        if holder is not None:
            raise SchemaError(f"{spec.name}: the hotkey {spec.hotkey!r} is already {holder}'s")
        if label_id is None:
            return repo.add_label(spec, position=len(repo.labels()))
        return repo.update_label(label_id, spec)


@dataclass(frozen=True, slots=True)
class LabelEdit:
    """A label as edited: a new one (no id) or a change of the stored one with `label_id`."""

    spec: LabelSpec
    label_id: int | None = None


@dataclass(frozen=True, slots=True)
class RelationTypeEdit:
    """A relation type as edited; its ends name labels of the same edit."""

    spec: RelationTypeSpec
    type_id: int | None = None


@dataclass(frozen=True, slots=True)
class SchemaEdit:
    """The whole edited schema, saved at once by `save_schema`. `guidelines` None leaves the
    database's guidelines as they are."""

    labels: tuple[LabelEdit, ...]
    relation_types: tuple[RelationTypeEdit, ...] = ()
    guidelines: str | None = None


def save_schema(
    db: Database, *, edit: SchemaEdit, reserved_keys: Mapping[str, str] | None = None
) -> Schema:
    """Store an edited schema in one transaction: every label and relation type of the edit
    is added or changed (renamed ones keep their annotations; those the edit leaves out are
    kept), and the guidelines replaced. Checked whole first (`check_schema`, with the keys
    the caller uses for other things in `reserved_keys`): SchemaError, and nothing stored,
    for any mistake. Returns the schema as stored."""
    labels, types = check_schema(
        [e.spec for e in edit.labels],
        [e.spec for e in edit.relation_types],
        reserved_keys=reserved_keys,
    )
    with db.transaction() as repo:
        stored = {label.id: label for label in repo.labels()}
        changed = [
            (e.label_id, spec)
            for e, spec in zip(edit.labels, labels, strict=True)
            if e.label_id is None or _as_stored(stored[e.label_id]) != spec
        ]
        # Hotkeys may change hands (ACTOR 1 -> 2, DATE 2 -> 1): free the old ones first.
        for label_id, spec in changed:
            old = stored.get(label_id) if label_id is not None else None
            if old is not None and old.hotkey and old.hotkey != spec.hotkey:
                repo.update_label(old.id, _spec_of(old, hotkey=None))
        for label_id, spec in changed:
            holder = _hotkey_taken(repo, spec.hotkey, label_id)
            if holder is not None:
                raise SchemaError(f"{spec.name}: the hotkey {spec.hotkey!r} is already {holder}'s")
            if label_id is None:
                repo.add_label(spec, position=len(repo.labels()))
            else:
                repo.update_label(label_id, spec)
        ids = {label.name: label.id for label in repo.labels()}
        current = {t.id: t for t in repo.relation_types()}
        for t, kind in zip(edit.relation_types, types, strict=True):
            source = None if kind.source_label is None else ids[kind.source_label]
            target = None if kind.target_label is None else ids[kind.target_label]
            old_type = current.get(t.type_id) if t.type_id is not None else None
            wanted = (kind.name, source, target, kind.colour, kind.description)
            if old_type is not None and wanted == (
                old_type.name,
                old_type.source_label_id,
                old_type.target_label_id,
                old_type.colour.upper(),
                old_type.description,
            ):
                continue
            try:
                repo.save_relation_type(
                    name=kind.name,
                    source_label_id=source,
                    target_label_id=target,
                    colour=kind.colour,
                    description=kind.description,
                    type_id=t.type_id,
                )
            except SchemaError as exc:
                raise SchemaError(f"{kind.name}: {exc}") from None
        if edit.guidelines is not None:
            store_guidelines_in(repo, edit.guidelines)
        return repo.schema()


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
    spec = check_relation_type(RelationTypeSpec(name, None, None, colour, description))
    with db.transaction() as repo:
        return repo.save_relation_type(
            name=spec.name,
            source_label_id=source_label_id,
            target_label_id=target_label_id,
            colour=spec.colour,
            description=spec.description,
            type_id=type_id,
        )


def delete_relation_type(db: Database, *, type_id: int) -> None:
    with db.transaction() as repo:
        repo.delete_relation_type(type_id)


# Schema files --------------------------------------------------------------------------------


def schema_to_dict(schema: Schema, guidelines: str | None = None) -> dict[str, Any]:
    """A schema file's content; with `guidelines`, the annotation guidelines (Markdown)."""
    names = {label.id: label.name for label in schema.labels}
    data: dict[str, Any] = {
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
    if guidelines is not None:
        data["guidelines"] = guidelines
    return data


def export_schema(db: Database, *, path: Path) -> Schema:
    """Write the schema, with the annotation guidelines, as a JSON file that `import_schema`
    (here or elsewhere) reads."""
    with db.reading() as repo:
        schema = repo.schema()
    data = schema_to_dict(schema, guidelines_text(db))
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
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
    guidelines: bool = False  # the file's guidelines replaced the database's


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
        return check_label(
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
    are kept (they may hold annotations). Guidelines in the file replace the database's.
    Nothing is stored if any part is invalid.
    """
    data = _read_schema_file(path)
    for part in ("labels", "relation_types"):
        if not isinstance(data.get(part) or [], list):
            raise SchemaError(f"{path}: {part} must be a list")
    if not isinstance(data.get("guidelines", ""), str):
        raise SchemaError(f"{path}: guidelines must be a text (Markdown)")
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
        guidelines = data.get("guidelines")
        if isinstance(guidelines, str):
            store_guidelines_in(repo, guidelines)
    return SchemaImport(
        tuple(added),
        tuple(changed),
        tuple(types_added),
        tuple(types_changed),
        guidelines=isinstance(guidelines, str),
    )


def _as_stored(label: Label) -> LabelSpec:
    return LabelSpec(
        label.name,
        label.colour.upper(),
        label.hotkey,
        label.style,
        label.description,
        label.attributes,
    )


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
        if not COLOUR.match(colour):
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
