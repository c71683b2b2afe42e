"""Helpers for the source-reader tests: pick documents and refusals out of a reader's items."""

from __future__ import annotations

from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources import Item


def documents(items: list[Item]) -> list[SourceDocument]:
    return [item for item in items if isinstance(item, SourceDocument)]


def refusals(items: list[Item]) -> list[Refusal]:
    return [item for item in items if isinstance(item, Refusal)]


def only_document(items: list[Item]) -> SourceDocument:
    assert len(items) == 1, items
    [item] = items
    assert isinstance(item, SourceDocument), item
    return item


def only_refusal(items: list[Item]) -> Refusal:
    """The single Refusal, whose reason is one line for the import summary."""
    assert len(items) == 1, items
    [item] = items
    assert isinstance(item, Refusal), item
    assert item.reason
    assert "\n" not in item.reason
    return item
