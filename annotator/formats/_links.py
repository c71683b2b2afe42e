"""Helpers the format modules share for relations and registry actors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from annotator.domain.interchange import AnnotatedDocument, ImportedActor
from annotator.domain.model import Actor, Label, Relation, RelationType

ACTOR_FIELDS = ("key", "name", "kind", "aliases", "description", "external_id")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def actor_dict(actor: Actor) -> dict[str, Any]:
    """A registry entry as plain JSON data: key, name, kind, aliases, description, external_id."""
    return {
        "key": actor.key,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "description": actor.description,
        "external_id": actor.external_id,
    }


def imported_actor(obj: Any) -> ImportedActor:
    """A registry entry from `actor_dict` data; ValueError saying what is wrong."""
    if not isinstance(obj, Mapping):
        raise ValueError("an actor is not an object")
    key, name = obj.get("key"), obj.get("name")
    if not isinstance(key, str) or not key.strip():
        raise ValueError('an actor needs a "key" string')
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f'actor {key!r} needs a "name" string')
    aliases = obj.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f'actor {key!r}: "aliases" must be a list of strings')
    kind, description, external_id = obj.get("kind"), obj.get("description"), obj.get("external_id")
    for field_name, value in (("kind", kind), ("description", description)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f'actor {key!r}: "{field_name}" must be a string')
    if external_id is not None and not isinstance(external_id, str):
        raise ValueError(f'actor {key!r}: "external_id" must be a string')
    return ImportedActor(
        key=key,
        name=name,
        kind=kind or None,
        aliases=tuple(aliases),
        description=description or "",
        external_id=external_id or None,
    )


def relation_type_dict(relation_type: RelationType, labels: Mapping[int, Label]) -> dict[str, Any]:
    """A relation type with its end labels by name (None: any label)."""

    def name(label_id: int | None) -> str | None:
        if label_id is None:
            return None
        label = labels.get(label_id)
        return None if label is None else label.name

    return {
        "name": relation_type.name,
        "from": name(relation_type.source_label_id),
        "to": name(relation_type.target_label_id),
        "colour": relation_type.colour,
        "description": relation_type.description,
    }


def sorted_relation_types(types: Mapping[int, RelationType]) -> list[RelationType]:
    return sorted(types.values(), key=lambda t: (t.position, t.name))


def carried_relations(doc: AnnotatedDocument, written: Mapping[int, Any]) -> list[Relation]:
    """The document's relations whose two ends are among the written spans (ids in `written`)."""
    return [r for r in doc.relations if r.source_id in written and r.target_id in written]


def wikidata_url(external_id: str | None) -> str | None:
    """The Wikidata page of a QID ("Q7338"), or None for any other identifier."""
    if external_id and _QID.match(external_id.strip()):
        return f"https://www.wikidata.org/wiki/{external_id.strip()}"
    return None
