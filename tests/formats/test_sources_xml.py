"""XML and annotation files are not articles; XML with entity declarations is never parsed."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from annotator.domain.sources import Refusal
from annotator.formats.sources import read_source


def test_billion_laughs_is_refused_unread_with_flat_memory(shared: Path) -> None:
    data = (shared / "corpus" / "edge" / "billion-laughs.xmi").read_bytes()
    tracemalloc.start()
    items = list(read_source("billion-laughs.xmi", data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], Refusal)
    assert "entity" in items[0].reason and items[0].origin == "billion-laughs.xmi"
    assert peak < 5_000_000  # an expanded lol9 entity would be gigabytes


def test_entity_bomb_without_telltale_extension_is_refused_too() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>'
    (item,) = read_source("download", bomb)
    assert isinstance(item, Refusal) and "entity" in item.reason


def test_plain_xml_and_annotation_files_are_not_imported_as_articles() -> None:
    for name, data in (
        ("notes.xml", b"<?xml version='1.0'?><a>text</a>"),
        ("x.ann", b"T1\tA 0 1\tx"),
    ):
        (item,) = read_source(name, data)
        assert isinstance(item, Refusal) and "not an article" in item.reason


def test_xhtml_served_with_an_xml_declaration_still_reads_as_a_page() -> None:
    page = (
        b'<?xml version="1.0"?><html><body><p>Officials met in Geneva on Monday.</p></body></html>'
    )
    (item,) = read_source("page", page)
    assert not isinstance(item, Refusal) and "Geneva" in item.text
