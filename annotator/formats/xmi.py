"""UIMA CAS XMI for INCEpTION: a folder of `<id>-<slug>.xmi` files plus `TypeSystem.xml`.

Type system
-----------
Every span is one `webanno.custom.ArticleSpan` annotation (supertype `uima.tcas.Annotation`,
string features `label`, `annotator`, `note`, `attributes` (a JSON object) and `actor` (the key
of the registry actor the mention links to; the registry entry itself does not travel)). That is
INCEpTION's convention for a custom span layer (`webanno.custom.<Name>`, primitive features), so a
project with a span layer named "ArticleSpan" with those string features imports the files
(allow overlapping and stacked spans and character granularity on that layer: claims contain
actors, and spans need not follow INCEpTION's tokens).

Every relation is one `webanno.custom.ArticleRelation` annotation, INCEpTION's convention for a
relation layer attached to ArticleSpan: features `Governor` (the source span, e.g. the claim)
and `Dependent` (the target, e.g. the actor who makes it), both ArticleSpan references, and the
string features `label` (the relation type's name) and `annotator`; its begin and end are the
Dependent's, as INCEpTION sets them. A relation whose span was left out is reported.

Attributes stay one JSON feature rather than one feature per attribute: a type system is fixed
before the first document is written, INCEpTION shows every feature of a layer on every label,
and JSON keeps values typed (yes/no, lists) and attributes that the schema does not define.

One span layer rather than DKPro's `NamedEntity` for ACTOR and DATE plus a custom layer for
CLAIM: `NamedEntity` has only `value` and `identifier`, so attributes, notes and annotators would
be lost or split across two layers, and one layer keeps the labels together in one tag set. The
reader also takes DKPro `NamedEntity` annotations (`value` is the label, `identifier` becomes the
attribute "identifier"), so documents from INCEpTION's built-in named-entity layer import as
well.

Each CAS also carries DKPro's `DocumentMetaData` (title, id, language), as INCEpTION writes it.
Sentences and tokens are not written: INCEpTION segments documents that have none.

Offsets
-------
Our offsets are code points; XMI counts UTF-16 code units. The writer converts them (a character
above U+FFFF counts twice); when reading, dkpro-cassis converts them back. A CAS written
elsewhere may store CRLF inside its sofaString (`&#13;&#10;`); the reader turns CRLF and lone CR
into LF, as every import does, and shifts the offsets after each removed CR.

Security
--------
XMI is XML. A file (or type system) that declares a DOCTYPE is refused before cassis parses it:
internal entities allow "billion laughs" expansion, external ones read local files. lxml reads
the prolog for that check with entities unexpanded, no DTD, no network and libxml2's default
limits (no "huge tree": nesting and text node sizes are bounded); cassis parses with the same
limits. A file that says it is UTF-8 and is not is refused naming the first bad byte's offset.

Writing builds the XMI with lxml exactly as dkpro-cassis writes it for our type system (a test
has cassis read each file and write it again, byte for byte); cassis itself took two thirds of
an export's time. Reading goes through cassis. dkpro-cassis and lxml are imported inside the
functions, like every format library.
"""

from __future__ import annotations

import json
import re
import warnings
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Relation, Span
from annotator.domain.text import normalise_newlines
from annotator.formats._files import utf8_error

ARTICLE_SPAN = "webanno.custom.ArticleSpan"
ARTICLE_RELATION = "webanno.custom.ArticleRelation"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
DOCUMENT_ANNOTATION = "uima.tcas.DocumentAnnotation"
TYPE_SYSTEM_FILE = "TypeSystem.xml"
INITIAL_VIEW = "_InitialView"
UNSPECIFIED_LANGUAGE = "x-unspecified"

_STRING = "uima.cas.String"
_ARTICLE_SPAN_FEATURES = ("label", "annotator", "note", "attributes", "actor")

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_MISSING_TYPE = re.compile(r"Type with name \[([^\]]+)\] not found")


# --- type system -----------------------------------------------------------------------------


_ANNOTATION = "uima.tcas.Annotation"
_TypeSpec = tuple[str, str, tuple[tuple[str, str], ...]]

_WRITTEN_TYPES: tuple[_TypeSpec, ...] = (
    (
        DOCUMENT_META,
        DOCUMENT_ANNOTATION,
        (
            ("documentTitle", _STRING),
            ("documentId", _STRING),
            ("documentUri", _STRING),
            ("collectionId", _STRING),
            ("documentBaseUri", _STRING),
            ("isLastSegment", "uima.cas.Boolean"),
        ),
    ),
    (ARTICLE_SPAN, _ANNOTATION, tuple((name, _STRING) for name in _ARTICLE_SPAN_FEATURES)),
    (
        ARTICLE_RELATION,
        _ANNOTATION,
        (
            ("Governor", ARTICLE_SPAN),
            ("Dependent", ARTICLE_SPAN),
            ("label", _STRING),
            ("annotator", _STRING),
        ),
    ),
)
_READ_TYPES: tuple[_TypeSpec, ...] = (
    *_WRITTEN_TYPES,
    (NAMED_ENTITY, _ANNOTATION, (("value", _STRING), ("identifier", _STRING))),
)


def type_system(*, for_reading: bool = False) -> Any:
    """Our type system: DKPro's DocumentMetaData, the ArticleSpan and ArticleRelation layers.

    For reading, also DKPro's NamedEntity, so INCEpTION named-entity layers import without a
    type system file beside the XMI.
    """
    from cassis import TypeSystem  # type: ignore[import-untyped]

    return _complete(TypeSystem(), _READ_TYPES if for_reading else _WRITTEN_TYPES)


def _complete(ts: Any, specs: tuple[_TypeSpec, ...]) -> Any:
    """Add the types and features of `specs` that `ts` lacks; keep what it has."""
    for name, supertype, features in specs:
        if ts.contains_type(name, match_exactly=True):
            t = ts.get_type(name)
        else:
            t = ts.create_type(name, supertypeName=supertype)
        for feature, range_type in features:
            if t.get_feature(feature) is None:
                ts.create_feature(t, feature, range_type)
    return ts


# --- writing ---------------------------------------------------------------------------------


_XMI_NS = "http://www.omg.org/XMI"
_CAS_NS = "http:///uima/cas.ecore"
_XMI_ID = "{http://www.omg.org/XMI}id"


def _namespace(type_name: str) -> tuple[str, str, str]:
    """The XML namespace prefix, URI and element name of a UIMA type, as cassis derives them
    (`webanno.custom.ArticleSpan`: "custom", "http:///webanno/custom.ecore", "ArticleSpan")."""
    *package, name = type_name.split(".")
    return package[-1], "http:///" + "/".join(package) + ".ecore", name


_META_NS, _SPAN_NS, _RELATION_NS = (
    _namespace(t) for t in (DOCUMENT_META, ARTICLE_SPAN, ARTICLE_RELATION)
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write one XMI file per document and `TypeSystem.xml` into the folder `out`.

    The XMI is built here with lxml, element for element and attribute for attribute as
    dkpro-cassis's `Cas.to_xmi(pretty_print=True)` writes it for our type system (the tests
    compare the bytes): cassis looked up each feature's type for every annotation and mapped
    offsets to UTF-16 one character at a time, two thirds of an export's time.
    """
    from lxml import etree

    report = WriteReport()
    if out.exists() and not out.is_dir():
        raise AnnotatorError(f"{out} is a file: the XMI export writes a folder")
    out.mkdir(parents=True, exist_ok=True)
    ts = type_system()
    ts_path = out / TYPE_SYSTEM_FILE
    _write_atomically(ts_path, ts.to_xml())
    report.files.append(str(ts_path))
    for annotated in documents:
        document = annotated.document
        origin = _doc_origin(annotated)
        bad = _NOT_XML.search(document.text)
        if bad is not None:
            report.problems.append(
                FormatProblem(
                    origin,
                    f"the text contains U+{ord(bad.group()):04X} at {bad.start()}, which XML "
                    f"cannot carry; document left out with its {len(annotated.spans)} spans",
                )
            )
            if progress is not None:
                progress(report.documents)
            continue
        _report_lost_metadata(annotated, report)
        text = document.text
        utf16 = _utf16_offsets(text)
        nsmap = {"xmi": _XMI_NS, "cas": _CAS_NS}
        root = etree.Element(f"{{{_XMI_NS}}}XMI", {f"{{{_XMI_NS}}}version": "2.0"}, nsmap=nsmap)
        etree.SubElement(root, f"{{{_CAS_NS}}}NULL", {_XMI_ID: "0"})
        meta = {
            _XMI_ID: "2",
            "sofa": "1",
            "begin": "0",
            "end": str(utf16(len(text))),
            "language": document.meta.language or UNSPECIFIED_LANGUAGE,
            "documentTitle": _xml_safe(document.title),
            "documentId": str(document.id),
            "isLastSegment": "false",
        }
        etree.SubElement(root, f"{{{_META_NS[1]}}}{_META_NS[2]}", meta)
        nsmap[_META_NS[0]] = _META_NS[1]
        span_tag = f"{{{_SPAN_NS[1]}}}{_SPAN_NS[2]}"
        next_id = 3
        written: dict[int, tuple[str, str, str]] = {}  # span id -> xmi:id, begin, end
        for span in sorted(annotated.spans, key=lambda s: (s.start, s.end, s.id)):
            features = _span_features(annotated, span, report)
            if features is None:
                continue
            begin, end = str(utf16(span.start)), str(utf16(span.end))
            attributes = {_XMI_ID: str(next_id), "sofa": "1", "begin": begin, "end": end}
            attributes.update(features)
            etree.SubElement(root, span_tag, attributes)
            written[span.id] = (str(next_id), begin, end)
            next_id += 1
        relation_tag = f"{{{_RELATION_NS[1]}}}{_RELATION_NS[2]}"
        for relation in annotated.relations:
            link = _relation_attributes(annotated, relation, written, report)
            if link is not None:
                attributes = {_XMI_ID: str(next_id)}
                attributes.update(link)
                etree.SubElement(root, relation_tag, attributes)
                next_id += 1
                report.relations += 1
        if next_id > 3:
            nsmap[_SPAN_NS[0]] = _SPAN_NS[1]
        sofa = {
            _XMI_ID: "1",
            "sofaNum": "1",
            "sofaID": INITIAL_VIEW,
            "mimeType": "text/plain",
            "sofaString": text,
        }
        etree.SubElement(root, f"{{{_CAS_NS}}}Sofa", sofa)
        members = " ".join(map(str, range(2, next_id)))
        etree.SubElement(root, f"{{{_CAS_NS}}}View", {"sofa": "1", "members": members})
        tree = etree.ElementTree(root)
        etree.cleanup_namespaces(tree, top_nsmap=nsmap)
        content = etree.tostring(tree, xml_declaration=True, pretty_print=True, encoding="UTF-8")
        path = out / f"{document.id}-{_slug(document.title)}.xmi"
        _write_atomically(path, content)
        report.files.append(str(path))
        report.spans += len(written)
        report.documents += 1
        if progress is not None:
            progress(report.documents)
    return report


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """Code-point offsets into `text` -> UTF-16 offsets (UIMA's): a character above U+FFFF
    counts twice."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return int
    return lambda offset: offset + bisect_left(astral, offset)


def _write_atomically(path: Path, content: str | bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    if isinstance(content, bytes):
        tmp.write_bytes(content)
    else:
        tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)


def _doc_origin(annotated: AnnotatedDocument) -> str:
    return f"document {annotated.document.id} {annotated.document.title!r}"


def _span_origin(annotated: AnnotatedDocument, span: Span) -> str:
    label = annotated.label_name(span)
    return f"{_doc_origin(annotated)}, span {span.id} {label} {span.start}-{span.end}"


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _report_lost_metadata(annotated: AnnotatedDocument, report: WriteReport) -> None:
    meta = annotated.document.meta
    lost = [
        name
        for name in ("source", "url", "author", "published")
        if getattr(meta, name) not in (None, "")
    ]
    if annotated.tags:
        lost.append("tags")
    if _NOT_XML.search(meta.title):
        lost.append("characters XML cannot carry in the title (written as U+FFFD)")
    if lost:
        report.problems.append(
            FormatProblem(
                _doc_origin(annotated),
                "XMI keeps the title and language only; left out: " + ", ".join(lost),
            )
        )


def _span_features(
    annotated: AnnotatedDocument, span: Span, report: WriteReport
) -> dict[str, str] | None:
    text = annotated.document.text
    if not (0 <= span.start < span.end <= len(text)) or text[span.start : span.end] != span.quote:
        report.problems.append(
            FormatProblem(
                _span_origin(annotated, span), "offsets do not match the text; span left out"
            )
        )
        return None
    label = annotated.label_name(span)
    annotator = annotated.annotator_name(span)
    if _NOT_XML.search(label) or _NOT_XML.search(annotator):
        report.problems.append(
            FormatProblem(
                _span_origin(annotated, span),
                "label or annotator name has characters XML cannot carry",
            )
        )
        return None
    # In the type's feature order (`_ARTICLE_SPAN_FEATURES`), as cassis writes them.
    features = {"label": label, "annotator": annotator}
    if span.note:
        if _NOT_XML.search(span.note):
            report.problems.append(
                FormatProblem(
                    _span_origin(annotated, span),
                    "the note has characters XML cannot carry; note left out",
                )
            )
        else:
            features["note"] = span.note
    if span.attributes:
        try:
            encoded = json.dumps(span.attributes, ensure_ascii=False)
            if _NOT_XML.search(encoded):  # lone surrogates, U+FFFE: escape them as \uXXXX
                encoded = json.dumps(span.attributes, ensure_ascii=True)
            features["attributes"] = encoded
        except (TypeError, ValueError) as exc:
            report.problems.append(
                FormatProblem(
                    _span_origin(annotated, span), f"attributes are not JSON data ({exc}); left out"
                )
            )
    actor = annotated.actor_of(span)
    if actor is not None and not _NOT_XML.search(actor.key):
        features["actor"] = actor.key
    return features


def _relation_attributes(
    annotated: AnnotatedDocument,
    relation: Relation,
    written: dict[int, tuple[str, str, str]],
    report: WriteReport,
) -> dict[str, str] | None:
    """The XMI attributes of an ArticleRelation after its xmi:id; None if it is left out."""
    name = annotated.relation_type_name(relation)
    governor, dependent = written.get(relation.source_id), written.get(relation.target_id)
    origin = f"{_doc_origin(annotated)}, relation {relation.id}"
    if governor is None or dependent is None:
        report.problems.append(
            FormatProblem(origin, f"{name} relation left out: one of its spans was left out")
        )
        return None
    annotator = annotated.annotators[relation.annotator_id].name
    if _NOT_XML.search(name) or _NOT_XML.search(annotator):
        report.problems.append(
            FormatProblem(origin, "relation type or annotator name has characters XML cannot carry")
        )
        return None
    return {  # begin and end are the Dependent's, as INCEpTION sets them
        "sofa": "1",
        "begin": dependent[1],
        "end": dependent[2],
        "Governor": governor[0],
        "Dependent": dependent[0],
        "label": name,
        "annotator": annotator,
    }


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    return slug or "document"


# --- reading ---------------------------------------------------------------------------------


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """Documents from one `.xmi` file or a folder of them.

    The type system is `TypeSystem.xml` (or `typesystem.xml`) beside each file, completed with
    our types; without one, ours (with DKPro NamedEntity) is used. Annotations of types the type
    system lacks are skipped (reported if they are INCEpTION custom layers).
    """
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".xmi" and p.is_file())
        if not files:
            yield FormatProblem(str(path), "no .xmi files in this folder")
            return
    else:
        files = [path]
    type_systems: dict[Path, Any] = {}
    for file in files:
        ts = type_systems.get(file.parent)
        if ts is None:
            loaded = _type_system_for(file.parent)
            if isinstance(loaded, FormatProblem):
                yield loaded
                ts = type_system(for_reading=True)
            else:
                ts = loaded
            type_systems[file.parent] = ts
        yield from _read_file(file, ts)


def _type_system_for(folder: Path) -> Any:
    """The folder's type system file, completed with our reading types; or ours alone."""
    from cassis import load_typesystem

    candidates = [p for p in _children(folder) if p.name.lower() == TYPE_SYSTEM_FILE.lower()]
    if not candidates:
        return type_system(for_reading=True)
    ts_file = sorted(candidates)[0]
    refused = _utf8_problem(ts_file) or _refuse_dtd(ts_file)
    if refused is not None:
        return refused
    try:
        with ts_file.open("rb") as f, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a feature declared twice: cassis keeps one
            return _complete(load_typesystem(f), _READ_TYPES)
    except Exception as exc:  # a broken or conflicting type system: carry on with ours
        return FormatProblem(
            str(ts_file), f"type system not usable ({_reason(exc)}); reading with the built-in one"
        )


def _reason(exc: Exception) -> str:
    """What went wrong in cassis or lxml, in words: a KeyError's message is only the key."""
    if isinstance(exc, KeyError):
        return f"it refers to xmi:id {exc.args[0]!r}, which is not in the file"
    text = str(exc)
    if "integer string conversion" in text:
        return "a number of more than 4,300 digits"
    if "Invalid state transition" in text:  # cassis: an element inside an array element
        return "elements nested deeper than XMI nests them"
    text = text if text.strip() else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _children(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _refuse_dtd(path: Path) -> FormatProblem | None:
    """A problem if the file declares a DOCTYPE (and with it entities), or has no root element.

    libxml2 itself reads the prolog, with entities left unexpanded, no DTD loaded and no
    network, and stops at the root element's start tag: comments, processing instructions and
    encodings are its business, so nothing can hide a declaration from this check.
    """
    from lxml import etree

    try:
        with path.open("rb") as f:
            events = etree.iterparse(
                f,
                events=("start",),
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
            )
            _, root = next(events)
            info = root.getroottree().docinfo
            declared = bool(info.doctype) or info.internalDTD is not None
    except StopIteration:
        return FormatProblem(str(path), "not an XML document: no root element found")
    except etree.XMLSyntaxError as exc:
        return FormatProblem(str(path), f"not well-formed XML: {exc.msg}")
    except OSError as exc:
        return FormatProblem(str(path), f"cannot be read: {exc}")
    if declared:
        return FormatProblem(
            str(path),
            "refused: the file declares a DOCTYPE or entities, which XMI never needs and which "
            "can expand without bound or read other files",
        )
    return None


def _utf8_problem(path: Path) -> FormatProblem | None:
    """A problem naming the first byte that is not UTF-8, in a file that says it is UTF-8
    (the XML declaration names no other encoding and there is no UTF-16 byte order mark)."""
    try:
        with path.open("rb") as f:
            head = f.read(256)
    except OSError:
        return None  # the parser says so
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    declared = _ENCODING.search(head.split(b"?>", 1)[0]) if head.startswith(b"<?xml") else None
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    error = utf8_error(path)
    return None if error is None else FormatProblem(str(path), error)


def _read_file(file: Path, ts: Any) -> Iterator[ImportedDocument | FormatProblem]:
    from cassis import load_cas_from_xmi

    refused = _utf8_problem(file) or _refuse_dtd(file)
    if refused is not None:
        yield refused
        return
    origin = str(file)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with file.open("rb") as f:
                cas = load_cas_from_xmi(f, typesystem=ts, lenient=True)
    except Exception as exc:  # lxml and cassis errors alike: the file is not a CAS we can read
        yield FormatProblem(origin, f"not readable as UIMA CAS XMI: {_reason(exc)}")
        return
    skipped = {m.group(1) for w in caught if (m := _MISSING_TYPE.search(str(w.message)))}

    raw = cas.sofa_string or ""
    if not raw:
        yield FormatProblem(origin, "the CAS has no text in its initial view; not imported")
        return
    for view in cas.views:
        if view.sofa.sofaID != INITIAL_VIEW and view.sofa.sofaString:
            yield FormatProblem(
                f"{origin} view {view.sofa.sofaID}",
                "only the initial view is imported; this view's text and annotations are not",
            )
    yield from _other_layers(cas, ts, skipped, origin)

    text = normalise_newlines(raw)
    shift = _Shift(raw)
    spans: list[ImportedSpan] = []
    problems: list[FormatProblem] = []
    for type_name in (ARTICLE_SPAN, NAMED_ENTITY):
        if not ts.contains_type(type_name, match_exactly=True):
            continue
        for annotation in sorted(cas.select(type_name), key=lambda a: (a.begin, a.end, a.xmiID)):
            imported = _imported(annotation, type_name, raw, text, shift, origin)
            if isinstance(imported, ImportedSpan):
                spans.append(imported)
            else:
                problems.append(imported)
    relations = _relations(cas, ts, {s.ref for s in spans}, origin, problems)
    yield from problems
    yield ImportedDocument(
        text, _meta(cas, ts, file), tuple(spans), origin, relations=tuple(relations)
    )


def _relations(
    cas: Any, ts: Any, refs: set[str | None], origin: str, problems: list[FormatProblem]
) -> list[ImportedRelation]:
    """ArticleRelation annotations between imported spans (Governor -> Dependent)."""
    if not ts.contains_type(ARTICLE_RELATION, match_exactly=True):
        return []
    relations = []
    for annotation in sorted(cas.select(ARTICLE_RELATION), key=lambda a: a.xmiID):
        where = f"{origin} xmi:id {annotation.xmiID}"
        label = annotation.label
        ends = [getattr(annotation, "Governor", None), getattr(annotation, "Dependent", None)]
        refs_of = [None if end is None else str(end.xmiID) for end in ends]
        if not label:
            problems.append(FormatProblem(where, "ArticleRelation has no label; not imported"))
        elif any(ref is None or ref not in refs for ref in refs_of):
            problems.append(
                FormatProblem(
                    where,
                    f"{label} relation: its Governor or Dependent is not an imported span; "
                    "not imported",
                )
            )
        else:
            source, target = refs_of
            assert source is not None and target is not None
            relations.append(
                ImportedRelation(label, source, target, where, annotation.annotator or None)
            )
    return relations


def _other_layers(cas: Any, ts: Any, skipped: set[str], origin: str) -> Iterator[FormatProblem]:
    """INCEpTION custom layers other than ours: annotations a user made that we do not import."""
    counts: Counter[str] = Counter()
    for t in ts.get_types():
        if t.name.startswith("webanno.custom.") and t.name not in (ARTICLE_SPAN, ARTICLE_RELATION):
            n = sum(1 for _ in cas.select(t.name))
            if n:
                counts[t.name] = n
    for name in sorted(counts):
        yield FormatProblem(origin, f"{counts[name]} annotations of layer {name} are not imported")
    for name in sorted(skipped):
        if name.startswith("webanno.custom."):
            yield FormatProblem(
                origin, f"annotations of layer {name} are not imported (not in the type system)"
            )


class _Shift:
    """Maps code-point offsets in a text with CRLF to offsets in its LF-only form."""

    def __init__(self, raw: str) -> None:
        self._crs = [m.start() for m in re.finditer("\r\n", raw)]

    def begin(self, offset: int) -> int:
        # A start on the LF of a CRLF lands on the LF that replaces the pair.
        return offset - bisect_left(self._crs, offset)

    def end(self, offset: int) -> int:
        # An end between CR and LF keeps the line break the CR stood for.
        return offset - bisect_left(self._crs, offset - 1)


def _imported(
    annotation: Any, type_name: str, raw: str, text: str, shift: _Shift, origin: str
) -> ImportedSpan | FormatProblem:
    where = f"{origin} xmi:id {annotation.xmiID}"
    short = type_name.rsplit(".", 1)[1]
    begin, end = annotation.begin, annotation.end
    if not (0 <= begin <= end <= len(raw)):
        return FormatProblem(where, f"{short} {begin}-{end} lies outside the text; not imported")
    if type_name == ARTICLE_SPAN:
        label = annotation.label
        attributes: dict[str, Any] = {}
        if annotation.attributes:
            try:
                parsed = json.loads(annotation.attributes)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                return FormatProblem(
                    where, f"attributes {annotation.attributes!r} are not a JSON object"
                )
            attributes = parsed
        annotator, note = annotation.annotator or None, annotation.note or None
        actor = getattr(annotation, "actor", None) or None
    else:
        label = annotation.value or short
        attributes = {"identifier": annotation.identifier} if annotation.identifier else {}
        annotator, note, actor = None, None, None
    if not label:
        return FormatProblem(where, f"{short} {begin}-{end} has no label; not imported")
    start, stop = shift.begin(begin), shift.end(end)
    if start >= stop:
        return FormatProblem(
            where, f"{short} {label!r} at {begin}-{end} is empty (zero width); not imported"
        )
    quote = normalise_newlines(raw[begin:end])
    if text[start:stop] != quote:  # cannot happen unless the shift is wrong: say so, loudly
        return FormatProblem(where, f"{short} {label!r} at {begin}-{end}: offsets do not map")
    return ImportedSpan(
        start=start,
        end=stop,
        label=label,
        quote=quote,
        annotator=annotator,
        attributes=attributes,
        note=note,
        origin=where,
        actor=actor,
        ref=str(annotation.xmiID),
    )


def _meta(cas: Any, ts: Any, file: Path) -> DocumentMeta:
    title: str | None = None
    language: str | None = None
    for annotation in cas.select(DOCUMENT_ANNOTATION):
        language = language or getattr(annotation, "language", None)
        if annotation.type.name == DOCUMENT_META or ts.subsumes(DOCUMENT_META, annotation.type):
            title = title or annotation.documentTitle
    if language == UNSPECIFIED_LANGUAGE:
        language = None
    return DocumentMeta(title=title or file.stem, language=language or None)


# --- sniffing --------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """True for an XMI file, or a folder with one at its top level."""
    if path.is_dir():
        return any(p.suffix.lower() == ".xmi" and _is_xmi(p) for p in _children(path)[:200])
    return _is_xmi(path)


def _is_xmi(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b"http://www.omg.org/XMI" in head
