"""UIMA CAS XMI for INCEpTION: dkpro-cassis reads what we write, peers from INCEpTION import."""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import regex
from cassis import Cas, load_cas_from_xmi, load_typesystem
from helpers import INNER_CLAIM, actor_keys, claim_doc, make_doc, relations_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.model import DocumentMeta
from annotator.formats import xmi
from annotator.formats.registry import get_format

TEXT = (
    "Kim Jong-un 🇰🇵 met Moon Jae-in on 18 September 2018.\n"
    "Observers 👩‍👩‍👧 said the summit was historic, e\u0301te\u0301."
)
XMI_NS = "{http://www.omg.org/XMI}"
CUSTOM_NS = "{http:///webanno/custom.ecore}"
CAS_NS = "{http:///uima/cas.ecore}"


def _at(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def _read(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in xmi.read(path):
        (docs if isinstance(item, ImportedDocument) else problems).append(item)
    return docs, problems


def _sample() -> AnnotatedDocument:
    return make_doc(
        TEXT,
        [
            (*_at(TEXT, "Kim Jong-un"), "ACTOR", {"identity": "Q56226", "n": [1, 2.5, None]}, "n"),
            (*_at(TEXT, "🇰🇵"), "ACTOR"),
            (*_at(TEXT, "Moon Jae-in"), "ACTOR", {}, "line one\nline two\ttab"),
            (*_at(TEXT, "18 September 2018"), "DATE", {"value": "2018-09-18"}),
            (*_at(TEXT, "September"), "DATE"),
            (*_at(TEXT, "Observers 👩‍👩‍👧"), "ACTOR"),
            (*_at(TEXT, "👩‍👩‍👧 said the summit was historic, e\u0301te\u0301"), "CLAIM"),
            (*_at(TEXT, "te\u0301."), "CLAIM", {"quote": '✓ "q" <&>'}),  # splits a grapheme
        ],
        meta=DocumentMeta(title="Summit: “Peace” / 2018", language="en"),
        doc_id=42,
    )


def _raw_spans(path: Path) -> tuple[str, list[dict[str, str]]]:
    """The sofa string and the ArticleSpan attributes, read with the standard library alone."""
    root = ET.parse(path).getroot()
    sofa = root.find(f"{CAS_NS}Sofa")
    assert sofa is not None
    return sofa.attrib["sofaString"], [dict(e.attrib) for e in root.iter(f"{CUSTOM_NS}ArticleSpan")]


def test_registry_entry_points_here() -> None:
    info = get_format("xmi")
    assert info.load() is xmi
    assert info.extensions == (".xmi",)


def test_cassis_reads_our_files_with_our_type_system(tmp_path: Path) -> None:
    original = _sample()
    report = xmi.write([original], tmp_path)
    assert report.documents == 1 and report.spans == 8 and report.problems == []
    assert report.files == [
        str(tmp_path / "TypeSystem.xml"),
        str(tmp_path / "42-summit-peace-2018.xmi"),
    ]

    with (tmp_path / "TypeSystem.xml").open("rb") as f:
        ts = load_typesystem(f)
    with (tmp_path / "42-summit-peace-2018.xmi").open("rb") as f:
        cas = load_cas_from_xmi(f, typesystem=ts)
    assert cas.sofa_string == TEXT
    (meta,) = cas.select(xmi.DOCUMENT_META)
    assert meta.documentTitle == "Summit: “Peace” / 2018" and meta.language == "en"
    got = sorted(
        (a.begin, a.end, a.get_covered_text(), a.label) for a in cas.select(xmi.ARTICLE_SPAN)
    )
    want = sorted((s.start, s.end, s.quote, original.label_name(s)) for s in original.spans)
    assert got == want  # cassis hands back code points

    # In the file itself the offsets are UTF-16 code units, as UIMA and INCEpTION count.
    sofa, raw = _raw_spans(tmp_path / "42-summit-peace-2018.xmi")
    assert sofa == TEXT
    assert sorted((int(a["begin"]), int(a["end"])) for a in raw) == sorted(
        (_utf16(TEXT, s.start), _utf16(TEXT, s.end)) for s in original.spans
    )
    flag = next(a for a in raw if int(a["end"]) - int(a["begin"]) == 4)  # 🇰🇵: 2 x 2 units
    assert flag["label"] == "ACTOR" and flag["annotator"] == "tester"


def test_round_trip_keeps_everything_it_says_it_keeps(tmp_path: Path) -> None:
    original = _sample()
    xmi.write([original], tmp_path / "out")
    (doc,), problems = _read(tmp_path / "out")
    assert problems == []
    assert doc.text == TEXT
    assert doc.meta == DocumentMeta(title="Summit: “Peace” / 2018", language="en")
    got = sorted(
        (s.start, s.end, s.label, s.quote, s.annotator, dict(s.attributes), s.note)
        for s in doc.spans
    )
    want = sorted(
        (s.start, s.end, original.label_name(s), s.quote, "tester", s.attributes, s.note)
        for s in original.spans
    )
    assert got == want


def test_lost_metadata_and_unwritable_text_are_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    docs = [
        make_doc(
            "Ana met Bo.",
            [(0, 3, "ACTOR")],
            meta=DocumentMeta("With meta", source="KCNA", published="2024-05-01"),
            tags=("x",),
        ),
        make_doc("Form\x0cfeed text", [(0, 4, "ACTOR")], doc_id=2, title="Feed"),
        make_doc("Plain.", [(0, 5, "CLAIM", {}, "bad \x01 note")], doc_id=3, title="Plain"),
    ]
    report = xmi.write(docs, tmp_path, progress=seen.append)
    assert report.documents == 2 and report.spans == 2
    assert seen == [1, 1, 2]
    by_origin = {p.origin: p.message for p in report.problems}
    assert "source, published, tags" in by_origin["document 1 'With meta'"]
    assert "U+000C" in by_origin["document 2 'Feed'"]
    assert "note left out" in by_origin["document 3 'Plain', span 1 CLAIM 0-5"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "1-with-meta.xmi",
        "3-plain.xmi",
        "TypeSystem.xml",
    ]


def test_emoji_round_trip(shared: Path, tmp_path: Path) -> None:
    """Every grapheme cluster of the emoji edge file as a span: offsets and quotes survive."""
    text = (shared / "corpus" / "edge" / "emoji.txt").read_text(encoding="utf-8")
    text = text.replace("\r\n", "\n")
    clusters = [m.span() for m in regex.finditer(r"\X", text) if not m.group().isspace()]
    assert any(end - start > 1 for start, end in clusters)
    original = make_doc(text, [(s, e, "ACTOR") for s, e in clusters])
    xmi.write([original], tmp_path)
    (doc,), problems = _read(tmp_path)
    assert problems == []
    assert doc.text == text
    assert sorted((s.start, s.end, s.quote) for s in doc.spans) == sorted(
        (s.start, s.end, s.quote) for s in original.spans
    )


# --- peers ------------------------------------------------------------------------------------

SMILEY_QUOTES = ["Transformers", "Transformers", "Transformers", "PyTorch", "TensorFlow"]


def test_inception_file_with_emoji_and_crlf(shared: Path, tmp_path: Path) -> None:
    peers = shared / "peers" / "dkpro-cassis"
    source = peers / "xmi" / "cas_with_smileys.xmi"
    assert b"&#13;&#10;" in source.read_bytes()
    (doc,), problems = _read(source)  # no type system beside it: the built-in one
    assert problems == []
    assert "\r" not in doc.text and len(doc.text) == 836 - 2
    assert doc.meta.title == "huggingface.txt"
    assert [s.quote for s in doc.spans] == SMILEY_QUOTES
    assert {s.label for s in doc.spans} == {"OTH"}
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.quote
    # The third "Transformers" comes after two CRLFs: shifted by two.
    with (peers / "typesystems" / "important_dkpro_types.xml").open("rb") as f:
        ts = load_typesystem(f)
    with source.open("rb") as f:
        cas = load_cas_from_xmi(f, typesystem=ts)
    begins = [a.begin for a in cas.select(xmi.NAMED_ENTITY)]
    assert [s.start for s in doc.spans] == [begins[0], begins[1] - 1, *(b - 2 for b in begins[2:])]

    # With INCEpTION's full type system beside it (as TypeSystem.xml), the same result.
    shutil.copy(source, tmp_path / source.name)
    shutil.copy(peers / "typesystems" / "important_dkpro_types.xml", tmp_path / "typesystem.xml")
    (again,), problems = _read(tmp_path / source.name)
    assert problems == []
    assert [(s.start, s.end, s.label, s.quote) for s in again.spans] == [
        (s.start, s.end, s.label, s.quote) for s in doc.spans
    ]


def test_all_dkpro_cassis_xmi_peers_import(shared: Path) -> None:
    folder = shared / "peers" / "dkpro-cassis" / "xmi"
    docs, problems = _read(folder)
    assert len(docs) == 6
    by_name = {Path(d.origin).name: d for d in docs}
    assert [s.quote for s in by_name["cas_with_smileys.xmi"].spans] == SMILEY_QUOTES
    for name in ("cas_with_empty_array_reference.xmi", "cas_with_references.xmi", "small_cas.xmi"):
        assert by_name[name].spans == () and by_name[name].text
    assert by_name["cas_with_empty_array_reference.xmi"].text == "just a short test file"
    assert by_name["cas_with_empty_array_reference.xmi"].meta.title == "test_file.txt"
    assert by_name["empty_cas.xmi"].text == "Joe waited for the train . The train was late ."
    # The second view of the two-sofa CAS is not imported, and the reader says so.
    (problem,) = problems
    assert problem.origin.endswith("cas_with_two_sofas.xmi view _SecondView")


# NamedEntity annotations per INCEpTION TSV3 reference.xmi: (imported, zero-width refused).
REFERENCE_ENTITIES = {
    "testAnnotationWithLeadingWhitespace": (1, 0),
    "testCrossSentenceSpanWithFeatureValue": (1, 0),
    "testDependencyWithValues": (0, 0),
    "testMultiTokenSpanWithFeatureValue": (1, 0),
    "testMultiTokenStackedSpanWithFeatureValue": (2, 0),
    "testSentenceWithEmoji": (1, 0),
    "testSentenceWithLineBreak": (1, 0),
    "testSentenceWithTab": (1, 0),
    "testSimpleChain": (0, 0),
    "testSimpleSlotFeature": (0, 0),
    "testSingleNonMultiTokenRelationWithMultipleFeatureValues": (2, 0),
    "testSingleTokenRelationWithFeatureValue": (0, 0),
    "testSubMultiTokenSpanWithFeatureValue": (9, 3),
    "testTokenBoundedSpanWithSpecialSymbolsValue": (5, 0),
    "testTwoSentencesWithNoSpaceInBetween": (0, 0),
    "testZeroLengthSpansWithFeatureValues": (0, 2),
}


def test_inception_tsv_reference_xmi_named_entities(shared: Path) -> None:
    suite = shared / "peers" / "inception-webanno-tsv" / "tsv3-suite"
    assert sorted(p.name for p in suite.iterdir()) == sorted(REFERENCE_ENTITIES)
    for case, (count, zero_width) in REFERENCE_ENTITIES.items():
        path = suite / case / "reference.xmi"
        (doc,), problems = _read(path)
        assert len(doc.spans) == count, case
        empty = [p for p in problems if "zero width" in p.message]
        assert len(empty) == zero_width, case
        # Independent check: slice the sofa string by UTF-16 units, as INCEpTION counts.
        root = ET.parse(path).getroot()
        sofa = root.find(f"{CAS_NS}Sofa")
        assert sofa is not None
        units = sofa.attrib["sofaString"].encode("utf-16-le")
        expected = sorted(
            (units[2 * int(e.attrib["begin"]) : 2 * int(e.attrib["end"])].decode("utf-16-le"))
            for e in root.iter(
                "{http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore}NamedEntity"
            )
            if e.attrib["begin"] != e.attrib["end"]
        )
        assert sorted(s.quote or "" for s in doc.spans) == expected, case
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.quote
    (emoji,), _ = _read(suite / "testSentenceWithEmoji" / "reference.xmi")
    assert [(s.start, s.end, s.quote, s.label) for s in emoji.spans] == [
        (10, 11, "😊", "NamedEntity")
    ]
    (stacked,), _ = _read(suite / "testMultiTokenStackedSpanWithFeatureValue" / "reference.xmi")
    assert sorted(s.label for s in stacked.spans) == ["LOCATION", "PERSON"]
    _, problems = _read(suite / "testSimpleSlotFeature" / "reference.xmi")
    assert any("webanno.custom.SimpleSpan" in p.message for p in problems)


def test_crlf_boundaries_shift_exactly(tmp_path: Path) -> None:
    raw = "ab\r\ncd\r\n\r\nef\rgh"
    ts = xmi.type_system()
    cas = Cas(typesystem=ts)
    cas.sofa_string = raw
    span_type = ts.get_type(xmi.ARTICLE_SPAN)
    ranges = [(0, 2), (0, 3), (2, 4), (3, 6), (1, 9), (4, 12), (10, 15), (12, 13), (2, 3)]
    for begin, end in ranges:
        cas.add(span_type(begin=begin, end=end, label="ACTOR"))
    cas.to_xmi(tmp_path / "crlf.xmi")
    (doc,), problems = _read(tmp_path / "crlf.xmi")
    assert problems == []
    assert doc.text == "ab\ncd\n\nef\ngh"
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.quote
    got = sorted((s.start, s.end) for s in doc.spans)
    assert got == sorted([(0, 2), (0, 3), (2, 3), (2, 5), (1, 7), (3, 9), (7, 12), (9, 10), (2, 3)])


# --- refusals ---------------------------------------------------------------------------------


def test_billion_laughs_is_refused_quickly_with_flat_memory(shared: Path) -> None:
    path = shared / "corpus" / "edge" / "billion-laughs.xmi"
    assert xmi.sniff(path)
    tracemalloc.start()
    began = time.perf_counter()
    try:
        docs, problems = _read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - began < 1.0
    assert peak < 2_000_000
    assert docs == []
    (problem,) = problems
    assert problem.origin == str(path) and "DOCTYPE" in problem.message


def test_doctype_in_a_type_system_file_is_refused(tmp_path: Path, shared: Path) -> None:
    source = shared / "peers" / "dkpro-cassis" / "xmi" / "small_cas.xmi"
    shutil.copy(source, tmp_path / "small.xmi")
    (tmp_path / "TypeSystem.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier"/>'
    )
    docs, problems = _read(tmp_path)
    assert [p.origin for p in problems] == [str(tmp_path / "TypeSystem.xml")]
    assert len(docs) == 1  # read with the built-in type system instead


def test_broken_and_foreign_files_are_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xmi"
    broken.write_text('<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"><unclosed')
    not_xml = tmp_path / "binary.xmi"
    not_xml.write_bytes(b"\x00\x01\x02 no markup here")
    docs, problems = _read(tmp_path)
    assert docs == []
    assert sorted(p.origin for p in problems) == sorted([str(not_xml), str(broken)])
    assert not xmi.sniff(not_xml)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not xmi.sniff(empty)
    assert [p.origin for p in xmi.read(empty)] == [str(empty)]


# --- property: code-point offsets survive the trip through UTF-16 ------------------------------

PIECES = st.sampled_from(
    [
        "Kim",
        " ",
        "\n",
        "👩‍👩‍👧",
        "👍🏽",
        "🇰🇷",
        "🇺🇦",
        "e\u0301",
        "o\u0308\u0304",
        "日本",
        "❤️",
        "𝕏",
        "\t",
        "&<>\"'",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> AnnotatedDocument:
    text = "".join(draw(st.lists(PIECES, min_size=1, max_size=15)))
    specs = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        specs.append((start, end, draw(st.sampled_from(["ACTOR", "DATE", "CLAIM"]))))
    return make_doc(text, specs, title="p")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(annotated=documents())
def test_offsets_survive_utf16(tmp_path: Path, annotated: AnnotatedDocument) -> None:
    out = tmp_path / "prop"
    report = xmi.write([annotated], out)
    assert report.problems == []
    (doc,), problems = _read(out)
    assert problems == []
    text = annotated.document.text
    assert doc.text == text
    assert sorted((s.start, s.end, s.label, s.quote) for s in doc.spans) == sorted(
        (s.start, s.end, annotated.label_name(s), s.quote) for s in annotated.spans
    )
    _, raw = _raw_spans(out / "1-p.xmi")
    assert sorted((int(a["begin"]), int(a["end"])) for a in raw) == sorted(
        (_utf16(text, s.start), _utf16(text, s.end)) for s in annotated.spans
    )


def test_export_onto_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(AnnotatorError, match="writes a folder"):
        xmi.write([], target)


# --- the claim model: ArticleRelation (Governor/Dependent), actor keys --------------------------


def test_cassis_reads_relations_as_inception_would(tmp_path: Path) -> None:
    original = claim_doc()
    report = xmi.write([original], tmp_path)
    assert (report.spans, report.relations) == (7, 5)
    assert ["XMI keeps the title" in p.message for p in report.problems] == [True]
    with (tmp_path / "TypeSystem.xml").open("rb") as f:
        ts = load_typesystem(f)
    relation_type = ts.get_type(xmi.ARTICLE_RELATION)
    assert relation_type.supertype.name == "uima.tcas.Annotation"
    assert {f.name: f.rangeType.name for f in relation_type.features if f.name[0].isupper()} == {
        "Governor": xmi.ARTICLE_SPAN,
        "Dependent": xmi.ARTICLE_SPAN,
    }
    (xmi_file,) = tmp_path.glob("*.xmi")
    with xmi_file.open("rb") as f:
        cas = load_cas_from_xmi(f, typesystem=ts)
    links = set()
    for relation in cas.select(xmi.ARTICLE_RELATION):
        governor, dependent = relation.Governor, relation.Dependent
        assert (relation.begin, relation.end) == (dependent.begin, dependent.end)
        links.add((relation.label, governor.get_covered_text(), dependent.get_covered_text()))
    assert links == relations_of(original)
    actors = {a.get_covered_text(): a.actor for a in cas.select(xmi.ARTICLE_SPAN) if a.actor}
    assert actors == {"KCNA": "kcna", "Kim Yo Jong": "kim-yo-jong", "Vladimir Putin": "putin"}


_PRIMITIVE = {
    "uima.cas.String",
    "uima.cas.Boolean",
    "uima.cas.Byte",
    "uima.cas.Short",
    "uima.cas.Integer",
    "uima.cas.Long",
    "uima.cas.Float",
    "uima.cas.Double",
}


def _inception_layers(ts) -> dict[str, tuple[str, str | None, dict[str, str]]]:
    """The layers INCEpTION's "import layers" would make of a type system, by the rules it
    documents: built-in uima.tcas types and document-level types are skipped; a type with
    exactly two reference features, named Governor and Dependent and both of one annotation
    type, is a relation layer attached to that type; an annotation type whose own features are
    all primitive is a span layer. Returns name -> (kind, attached layer, features)."""

    def is_a(t, name: str) -> bool:
        while t is not None:
            if t.name == name:
                return True
            t = t.supertype
        return False

    layers = {}
    for t in ts.get_types():
        if t.name.startswith("uima.") or is_a(t, "uima.tcas.DocumentAnnotation"):
            continue
        own = {f.name: f.rangeType.name for f in t.features if f.name not in ("begin", "end")}
        own.pop("sofa", None)
        refs = {n: r for n, r in own.items() if r not in _PRIMITIVE}
        primitive = {n: r for n, r in own.items() if r in _PRIMITIVE}
        if not is_a(t, "uima.tcas.Annotation"):
            continue
        if (
            set(refs) == {"Governor", "Dependent"}
            and len(set(refs.values())) == 1
            and is_a(ts.get_type(refs["Governor"]), "uima.tcas.Annotation")
        ):
            layers[t.name] = ("relation", refs["Governor"], primitive)
        elif not refs:
            layers[t.name] = ("span", None, primitive)
    return layers


def test_inception_would_import_our_type_system_as_a_span_and_a_relation_layer(
    tmp_path: Path,
) -> None:
    xmi.write([claim_doc()], tmp_path)
    with (tmp_path / "TypeSystem.xml").open("rb") as f:
        ts = load_typesystem(f)
    text = "uima.cas.String"
    assert _inception_layers(ts) == {
        xmi.ARTICLE_SPAN: (
            "span",
            None,
            {"label": text, "annotator": text, "note": text, "attributes": text, "actor": text},
        ),
        xmi.ARTICLE_RELATION: (
            "relation",
            xmi.ARTICLE_SPAN,
            {"label": text, "annotator": text},
        ),
    }


def test_claim_model_reads_back(tmp_path: Path) -> None:
    original = claim_doc()
    xmi.write([original], tmp_path)
    (doc,), problems = _read(tmp_path)
    assert problems == []
    assert relations_of(doc) == relations_of(original)
    assert actor_keys(doc) == actor_keys(original)
    inner = next(s for s in doc.spans if s.quote == INNER_CLAIM)
    assert inner.attributes["hedged"] is True and inner.note is not None


def test_a_relation_between_spans_of_other_layers_is_reported(tmp_path: Path) -> None:
    original = claim_doc()
    xmi.write([original], tmp_path)
    (xmi_file,) = tmp_path.glob("*.xmi")
    text = xmi_file.read_text(encoding="utf-8")
    # Point one Governor at the DocumentMetaData annotation instead of a span.
    meta_id = re.search(r'<type\d?:DocumentMetaData xmi:id="(\d+)"', text)
    assert meta_id is not None
    text = re.sub(r'Governor="\d+"', f'Governor="{meta_id.group(1)}"', text, count=1)
    xmi_file.write_text(text, encoding="utf-8")
    (doc,), problems = _read(tmp_path)
    assert len(doc.relations) == 4
    (problem,) = problems
    assert "Governor or Dependent is not an imported span" in problem.message


def test_our_xmi_is_byte_for_byte_what_cassis_writes(tmp_path: Path) -> None:
    # The writer builds the XMI itself rather than through cassis: cassis, given what it reads
    # from our files, must write the very same bytes (ids, order, namespaces, UTF-16 offsets).
    docs = [
        _sample(),
        claim_doc(),
        make_doc("Nothing marked.", doc_id=5, meta=DocumentMeta(title='"A" & <b>', language="de")),
    ]
    report = xmi.write(docs, tmp_path)
    assert report.documents == 3 and report.relations > 0
    ts = xmi.type_system()
    files = sorted(tmp_path.glob("*.xmi"))
    assert len(files) == 3
    for file in files:
        with file.open("rb") as f:
            cas = load_cas_from_xmi(f, typesystem=ts)
        assert cas.to_xmi(pretty_print=True).encode("utf-8") == file.read_bytes(), file.name
