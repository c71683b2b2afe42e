"""The actor registry: canonical actors, the mentions linked to them, merge and split."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import regex

from annotator.domain.errors import NotFoundError, SchemaError
from annotator.domain.model import Actor, Span
from annotator.domain.schema import ACTOR
from annotator.store import Database, Repository


def slug(name: str) -> str:
    """A key for an actor name: "Kim Yo Jong" -> "kim-yo-jong" (letters of any script kept)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return regex.sub(r"[^\p{L}\p{N}]+", "-", folded).strip("-") or "actor"


def list_actors(db: Database) -> list[Actor]:
    with db.reading() as repo:
        return repo.actors()


def get_actor(db: Database, *, actor_id: int) -> Actor:
    with db.reading() as repo:
        return repo.actor(actor_id)


def _clean(actor: Actor) -> Actor:
    name = actor.name.strip()
    if not name:
        raise SchemaError("an actor needs a name")
    stripped = (a.strip() for a in actor.aliases)
    aliases = tuple(dict.fromkeys(a for a in stripped if a and a != name))
    return replace(
        actor,
        name=name,
        key=actor.key.strip() or slug(name),
        aliases=aliases,
        kind=actor.kind or None,
        external_id=(actor.external_id or "").strip() or None,
        description=actor.description.strip(),
    )


def _unique_key(repo: Repository, key: str) -> str:
    candidate, n = key, 1
    while repo.actor_by_key(candidate) is not None:
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def create_actor(
    db: Database,
    *,
    name: str,
    key: str | None = None,
    kind: str | None = None,
    aliases: Sequence[str] = (),
    description: str = "",
    external_id: str | None = None,
    link_spans: Collection[int] = (),
) -> Actor:
    """Add an actor to the registry (a free key derived from the name unless one is given)
    and link the given mentions to it, in one transaction."""
    with db.transaction() as repo:
        actor = _clean(Actor(0, key or "", name, kind, tuple(aliases), description, external_id))
        if not key:
            actor = replace(actor, key=_unique_key(repo, actor.key))
        saved = repo.save_actor(actor, new=True)
        if link_spans:
            repo.link_spans_to_actor(link_spans, saved.id)
        return saved


def update_actor(db: Database, *, actor: Actor) -> Actor:
    with db.transaction() as repo:
        return repo.save_actor(_clean(actor), new=False)


def delete_actor(db: Database, *, actor_id: int) -> list[int]:
    """Delete a registry entry; returns the ids of the mentions that were linked to it."""
    with db.transaction() as repo:
        mentions = [s.id for s in repo.actor_mentions(actor_id)]
        repo.delete_actor(actor_id)
        return mentions


@dataclass(frozen=True, slots=True)
class DeletedActor:
    """A registry entry that was deleted, with the mentions that were linked to it."""

    actor: Actor
    span_ids: tuple[int, ...]


def delete_actors(db: Database, *, actor_ids: Sequence[int]) -> list[DeletedActor]:
    """Delete registry entries in one transaction (all or none: NotFoundError if one is
    gone); their mentions stay, unlinked. Returns what `restore_actors` needs."""
    with db.transaction() as repo:
        deleted = []
        for actor_id in dict.fromkeys(actor_ids):
            actor = repo.actor(actor_id)
            mentions = tuple(s.id for s in repo.actor_mentions(actor_id))
            repo.delete_actor(actor_id)
            deleted.append(DeletedActor(actor, mentions))
        return deleted


def restore_actors(db: Database, *, deleted: Sequence[DeletedActor]) -> list[Actor]:
    """Undo of `delete_actors`, in one transaction: the entries under their old ids, with
    their mentions linked again."""
    with db.transaction() as repo:
        restored = []
        for entry in deleted:
            saved = repo.save_actor(entry.actor, new=True)
            repo.link_spans_to_actor(entry.span_ids, saved.id)
            restored.append(saved)
        return restored


def restore_actor(db: Database, *, actor: Actor, span_ids: Collection[int]) -> Actor:
    """Undo of `delete_actor`: the entry under its old id, with its mentions linked again."""
    with db.transaction() as repo:
        saved = repo.save_actor(actor, new=True)
        repo.link_spans_to_actor(span_ids, saved.id)
        return saved


def link_mentions(
    db: Database,
    *,
    span_ids: Collection[int],
    actor_id: int | None,
    versions: dict[int, datetime] | None = None,
) -> int:
    """Link mentions to an actor (None unlinks them); returns how many. With `versions` (span
    id -> the `updated` the caller holds), a mention someone else changed meanwhile raises
    SpanChangedError and nothing is linked."""
    with db.transaction() as repo:
        repo.link_spans_to_actor(span_ids, actor_id, versions=versions)
        return len(span_ids)


@dataclass(frozen=True, slots=True)
class LinkedMentions:
    actor_id: int
    span_ids: tuple[int, ...]  # the mentions newly linked


def link_all_mentions(
    db: Database, *, actor_id: int, names: Collection[str] | None = None
) -> LinkedMentions:
    """Link every unlinked ACTOR mention across the corpus whose text is one of the actor's
    names (its name and aliases, or `names`), ignoring case."""
    with db.transaction() as repo:
        actor = repo.actor(actor_id)
        label = next((lb for lb in repo.labels() if lb.name == ACTOR), None)
        if label is None:
            raise NotFoundError("there is no ACTOR label")
        wanted = names if names is not None else actor.names()
        spans = repo.spans_quoting(label.id, wanted, unlinked_only=True)
        ids = tuple(s.id for s in spans)
        repo.link_spans_to_actor(ids, actor_id)
        return LinkedMentions(actor_id, ids)


def actor_mentions(db: Database, *, actor_id: int) -> list[Span]:
    with db.reading() as repo:
        return repo.actor_mentions(actor_id)


@dataclass(frozen=True, slots=True)
class Merged:
    """What `merge_actors` did, enough for `unmerge_actors` to undo it."""

    kept_before: Actor
    kept_after: Actor
    absorbed: tuple[Actor, ...]
    moved: dict[int, tuple[int, ...]]  # absorbed actor id -> its mentions


def merge_actors(db: Database, *, keep_id: int, absorb_ids: Sequence[int]) -> Merged:
    """Merge actors into one: their mentions link to `keep_id`, their names become aliases."""
    with db.transaction() as repo:
        kept = repo.actor(keep_id)
        absorbed = tuple(repo.actor(i) for i in absorb_ids if i != keep_id)
        moved: dict[int, tuple[int, ...]] = {}
        aliases = list(kept.aliases)
        for other in absorbed:
            moved[other.id] = tuple(s.id for s in repo.actor_mentions(other.id))
            repo.link_spans_to_actor(moved[other.id], keep_id)
            aliases += [n for n in other.names() if n != kept.name]
            repo.delete_actor(other.id)
        after = replace(
            kept,
            aliases=tuple(dict.fromkeys(aliases)),
            kind=kept.kind or next((o.kind for o in absorbed if o.kind), None),
            external_id=kept.external_id
            or next((o.external_id for o in absorbed if o.external_id), None),
        )
        return Merged(kept, repo.save_actor(after, new=False), absorbed, moved)


def unmerge_actors(db: Database, *, merged: Merged) -> None:
    """Undo of `merge_actors`."""
    with db.transaction() as repo:
        repo.save_actor(merged.kept_before, new=False)
        for other in merged.absorbed:
            repo.save_actor(other, new=True)
            repo.link_spans_to_actor(merged.moved[other.id], other.id)


def split_actor(
    db: Database, *, actor_id: int, span_ids: Collection[int], name: str, key: str | None = None
) -> Actor:
    """Move some mentions of an actor to a new actor (for two people who share a name)."""
    with db.transaction() as repo:
        source = repo.actor(actor_id)
        mentions = {s.id for s in repo.actor_mentions(actor_id)}
        strangers = set(span_ids) - mentions
        if strangers:
            raise SchemaError(f"{len(strangers)} of the chosen mentions are not {source.name}")
        new = _clean(Actor(0, key or "", name, source.kind))
        if not key:
            new = replace(new, key=_unique_key(repo, new.key))
        saved = repo.save_actor(new, new=True)
        repo.link_spans_to_actor(span_ids, saved.id)
        return saved


def mention_counts(db: Database) -> dict[int, int]:
    """Actor id -> how many mentions link to it, for every actor of the registry."""
    with db.reading() as repo:
        counts = repo.actor_mention_counts()
        return {actor.id: counts.get(actor.id, 0) for actor in repo.actors()}


@dataclass(frozen=True, slots=True)
class MentionInContext:
    """A mention with its document's title and the text around it (for choosing in a list)."""

    span: Span
    document_title: str
    before: str
    after: str


def mentions_in_context(db: Database, *, actor_id: int, width: int = 60) -> list[MentionInContext]:
    """The mentions of an actor, each with up to `width` characters of text on either side."""
    with db.reading() as repo:
        mentions = repo.actor_mentions(actor_id)
        documents = {m.document_id: repo.document(m.document_id) for m in mentions}
    out = []
    for mention in mentions:
        doc = documents[mention.document_id]
        before = doc.text[max(0, mention.start - width) : mention.start]
        after = doc.text[mention.end : mention.end + width]
        out.append(MentionInContext(mention, doc.title, before, after))
    return out
