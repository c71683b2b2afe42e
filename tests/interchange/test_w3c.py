"""W3C Web Annotation JSON-LD: shape, round trips, re-anchoring by quote and context."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import INNER_CLAIM, OUTER_CLAIM, actor_keys, claim_doc, make_doc, relations_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import DocumentMeta
from annotator.domain.text import normalise_newlines
from annotator.formats import w3c
from annotator.formats.registry import get_format


def read_all(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in w3c.read(path):
        if isinstance(item, ImportedDocument):
            docs.append(item)
        else:
            problems.append(item)
    return docs, problems


def selectors(annotation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["type"]: s for s in annotation["target"]["selector"]}


TEXT = "Kim Jong-un 👩‍👩‍👧 met envoys from 🇰🇵 on 1 May 2024.\nZu\u0308rich said so, at the end"


def sample(url: str | None = "https://example.org/kim") -> AnnotatedDocument:
    return make_doc(
        TEXT,
        spans=[
            (0, 3, "ACTOR", {"role": "leader", "ids": [1, 2], "sure": True}, "first\nnote"),
            (TEXT.index("👩"), TEXT.index(" met"), "ACTOR"),
            (TEXT.index("1 May"), TEXT.index("."), "DATE", {"value": "2024-05-01"}),
            (TEXT.index("end"), len(TEXT), "CLAIM"),
        ],
        meta=DocumentMeta(title="Kim", url=url, author="KCNA", language="en"),
    )


def test_json_ld_shape(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonld"
    seen: list[int] = []
    report = w3c.write([sample(), sample(url=None)], out, progress=seen.append)
    assert seen == [1, 2] and report.documents == 2 and report.spans == 8
    assert report.problems == []
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 2
    for collection, doc in zip(data, [sample(), sample(url=None)], strict=True):
        text = doc.document.text
        assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
        assert collection["@context"][1] == {"annotator": w3c.NAMESPACE}
        assert collection["type"] == "AnnotationCollection"
        assert collection["total"] == 4
        assert collection["annotator:document"]["text"] == text
        items = collection["first"]["items"]
        assert collection["first"]["type"] == "AnnotationPage" and len(items) == 4
        source = doc.document.meta.url or f"urn:annotator:document:{doc.document.sha256}"
        for annotation in items:
            assert annotation["type"] == "Annotation"
            assert annotation["target"]["source"] == source
            sel = selectors(annotation)
            quote, position = sel["TextQuoteSelector"], sel["TextPositionSelector"]
            start, end = position["start"], position["end"]
            assert quote["exact"] == text[start:end]
            assert quote["prefix"] == text[max(0, start - 32) : start]
            assert quote["suffix"] == text[end : end + 32]
            assert annotation["creator"] == {"type": "Person", "name": "tester"}
            assert annotation["created"] == "2024-05-01T12:00:00Z"
            assert annotation["modified"] == "2024-05-01T12:00:00Z"
            tagging = [b for b in annotation["body"] if b["purpose"] == "tagging"]
            assert len(tagging) == 1 and tagging[0]["type"] == "TextualBody"
        first, last = items[0], items[-1]
        assert selectors(first)["TextQuoteSelector"]["prefix"] == ""  # at the text's start
        assert selectors(last)["TextQuoteSelector"]["suffix"] == ""  # at the text's end
        assert len(selectors(items[2])["TextQuoteSelector"]["prefix"]) == 32
        assert first["annotator:attributes"] == {"role": "leader", "ids": [1, 2], "sure": True}
        assert {"type": "TextualBody", "purpose": "commenting", "value": "first\nnote"} in first[
            "body"
        ]
        assert "annotator:attributes" not in items[1]


def test_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    docs = [sample(), make_doc("Second by Bo.", spans=[(10, 12, "ACTOR")], doc_id=2)]
    w3c.write(docs, out)
    back, problems = read_all(out)
    assert problems == []
    assert [d.text for d in back] == [d.document.text for d in docs]
    assert back[0].meta == DocumentMeta(title="Kim", url="https://example.org/kim",
                                        author="KCNA", language="en")  # fmt: skip
    for original, read_back in zip(docs, back, strict=True):
        assert [
            (s.label, s.start, s.end, s.quote, dict(s.attributes), s.note, s.annotator)
            for s in read_back.spans
        ] == [
            (original.label_name(s), s.start, s.end, s.quote, s.attributes, s.note, "tester")
            for s in sorted(original.spans, key=lambda s: (s.start, s.end))
        ]
    assert w3c.sniff(out)
    assert get_format("w3c").load() is w3c


def edit_text(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for collection in data:
        collection["annotator:document"]["text"] = change(collection["annotator:document"]["text"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_reanchoring_when_text_gained_characters_before_the_span(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    w3c.write([sample()], out)
    edit_text(out, lambda text: "BREAKING 🚨: " + text)
    back, problems = read_all(out)
    assert problems == []
    spans = back[0].spans
    assert [(s.quote, s.start) for s in spans] == [
        ("Kim", 12),
        ("👩‍👩‍👧", 12 + TEXT.index("👩")),
        ("1 May 2024", 12 + TEXT.index("1 May")),
        ("end", 12 + TEXT.index("end")),
    ]


def test_reanchoring_prefers_context_then_exact_alone(tmp_path: Path) -> None:
    text = "Bo met Bo. Then Bo left."
    doc = make_doc(text, spans=[(16, 18, "ACTOR")])
    out = tmp_path / "out.json"
    w3c.write([doc], out)
    # Shift everything: the position now points at another "Bo"; the context finds the right one.
    edit_text(out, lambda t: t.replace("Then", "Then,", 1).replace("Bo met", "Bo, met"))
    back, problems = read_all(out)
    assert problems == []
    (span,) = back[0].spans
    new_text = back[0].text
    assert new_text[span.start - 6 : span.end] == "Then, Bo"
    # No context matches any more: the exact quote nearest the old position wins.
    edit_text(out, lambda t: "Bo and Xo; Bo.")
    back, problems = read_all(out)
    assert problems == [] and [(s.start, s.end) for s in back[0].spans] == [(11, 13)]
    # The quote is gone: reported, not placed somewhere wrong.
    edit_text(out, lambda t: "Nobody here.")
    back, problems = read_all(out)
    assert back[0].spans == ()
    assert len(problems) == 1 and "cannot place 'Bo'" in problems[0].message


def test_anchor_function() -> None:
    text = "ab ab ab"
    assert w3c.anchor(text, "ab", start=3, end=5) == (3, 5)
    # The position wins while the text there is the quote; context only when it is not.
    assert w3c.anchor(text, "ab", prefix="ab ab ", start=0, end=2) == (0, 2)
    assert w3c.anchor(text, "ab", prefix="ab ab ", start=1, end=3) == (6, 8)
    assert w3c.anchor(text, "ab", prefix="ab ", start=1, end=3) == (3, 5)
    assert w3c.anchor(text, "ab", prefix="zz", start=4, end=6) == (3, 5)
    assert w3c.anchor(text, "ab", start=7, end=9) == (6, 8)
    assert w3c.anchor(text, "zz", start=0, end=2) is None
    assert w3c.anchor(text, "", start=0, end=2) == (0, 2)


def test_foreign_file_without_text_is_reported_or_uses_a_sidecar(tmp_path: Path) -> None:
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno1",
        "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "ACTOR"},
        "creator": "http://example.org/user1",
        "target": {
            "source": "http://example.org/page1",
            "selector": {"type": "TextQuoteSelector", "exact": "Bo", "prefix": "met "},
        },
    }
    path = tmp_path / "foreign.jsonld"
    path.write_text(json.dumps(annotation), encoding="utf-8")
    docs, problems = read_all(path)
    assert docs == []
    assert len(problems) == 1 and "http://example.org/page1" in problems[0].message
    (tmp_path / "foreign.txt").write_text("Bo met Bo.", encoding="utf-8")
    docs, problems = read_all(path)
    assert problems == []
    assert [(s.label, s.start, s.end, s.annotator) for s in docs[0].spans] == [
        ("ACTOR", 7, 9, "http://example.org/user1")
    ]


def test_annotations_without_a_label_or_target_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "annotator:document": {"id": "urn:x", "title": "x", "text": "Ana"},
        "first": {
            "type": "AnnotationPage",
            "items": [
                {"id": "a1", "type": "Annotation", "body": [], "target": "urn:x"},
                {
                    "id": "a2",
                    "type": "Annotation",
                    "body": {"type": "TextualBody", "purpose": "tagging", "value": "ACTOR"},
                },
                "not an object",
            ],
        },
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    docs, problems = read_all(path)
    assert len(docs) == 1 and docs[0].spans == ()
    assert [p.origin.rsplit(" ", 1)[-1] for p in problems] == ["a1", "a2", "3"]


def test_unserialisable_attribute_is_reported(tmp_path: Path) -> None:
    doc = make_doc("Ana", spans=[(0, 3, "ACTOR", {"when": object(), "ok": 1})])
    report = w3c.write([doc], tmp_path / "x.json")
    assert len(report.problems) == 1 and "'when'" in report.problems[0].message
    back, _ = read_all(tmp_path / "x.json")
    assert back[0].spans[0].attributes == {"ok": 1}


PIECES = [
    "a", "Bo", " ", "é", "e\u0301", "👍🏽", "👩‍👩‍👧", "🇺🇳", "❤️", "中文", "\u2028", "\u00a0",
    "\n", "\r\n", "\r", "\t", ".", '"', "\\",
]  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = normalise_newlines("".join(draw(st.lists(st.sampled_from(PIECES), min_size=1))))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append((start, end, draw(st.sampled_from(["ACTOR", "DATE", "CLAIM"]))))
    return text, spans


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents())
def test_round_trip_property(tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, spans = case
    out = tmp_path / "rt.json"
    doc = make_doc(text, spans=spans)
    assert w3c.write([doc], out).problems == []
    back, problems = read_all(out)
    assert problems == []
    assert back[0].text == text
    assert sorted((s.label, s.start, s.end, s.quote) for s in back[0].spans) == sorted(
        (doc.label_name(s), s.start, s.end, s.quote) for s in doc.spans
    )


# --- the claim model: linking annotations, actor identities -----------------------------------


def test_links_are_linking_annotations_between_span_annotations(tmp_path: Path) -> None:
    original = claim_doc()
    out = tmp_path / "w.jsonld"
    report = w3c.write([original], out)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    (collection,) = json.loads(out.read_text(encoding="utf-8"))
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 12
    spans = {a["id"]: a for a in items if a["motivation"] == "tagging"}
    quote = {i: selectors(a)["TextQuoteSelector"]["exact"] for i, a in spans.items()}
    links = [a for a in items if a["motivation"] == "linking"]
    found = set()
    for link in links:
        assert link["type"] == "Annotation" and link["creator"]["name"] == "tester"
        (linked, tag) = link["body"]
        assert linked["type"] == "SpecificResource" and linked["purpose"] == "linking"
        assert tag["type"] == "TextualBody" and tag["purpose"] == "tagging"
        found.add((tag["value"], quote[link["target"]], quote[linked["source"]]))
    assert found == relations_of(original)
    assert ("REPORTED_IN", INNER_CLAIM, OUTER_CLAIM) in found
    putin = next(a for a in spans.values() if a.get("annotator:actor") == "putin")
    assert {"type": "SpecificResource", "purpose": "identifying",
            "source": "https://www.wikidata.org/wiki/Q7747"} in putin["body"]  # fmt: skip
    inner = next(a for i, a in spans.items() if quote[i] == INNER_CLAIM)
    assert inner["annotator:attributes"]["hedged"] is True
    assert {"type": "TextualBody", "purpose": "commenting",
            "value": "Needs a second source: the 👍 is KCNA's."} in inner["body"]  # fmt: skip
    assert [a["key"] for a in collection["annotator:actors"]] == ["kcna", "kim-yo-jong", "putin"]


def test_claim_model_reads_back(tmp_path: Path) -> None:
    original = claim_doc()
    out = tmp_path / "w.jsonld"
    w3c.write([original], out)
    (doc,), problems = read_all(out)
    assert problems == []
    assert relations_of(doc) == relations_of(original)
    assert actor_keys(doc) == actor_keys(original)
    assert {a.key: a.external_id for a in doc.actors}["putin"] == "Q7747"


def test_foreign_links_two_targets_and_dangling_links(tmp_path: Path) -> None:
    text = "Ana met Bo."

    def span(ident: str, start: int, end: int) -> dict[str, Any]:
        return {
            "id": ident,
            "type": "Annotation",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": "PER"},
            "target": {
                "source": "x",
                "selector": {"type": "TextPositionSelector", "start": start, "end": end},
            },
        }

    page = {
        "type": "AnnotationPage",
        "items": [
            span("a", 0, 3),
            span("b", 8, 10),
            {"id": "l1", "motivation": "linking", "target": ["a", "b"]},
            {"id": "l2", "motivation": "linking", "target": "a", "body": {"id": "zz"}},
        ],
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    path.with_suffix(".txt").write_text(text, encoding="utf-8")
    (doc,), problems = read_all(path)
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("linking", "a", "b")]
    (problem,) = problems
    assert "zz" in problem.message and problem.origin.endswith("l2")
