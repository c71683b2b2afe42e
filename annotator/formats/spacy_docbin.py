"""spaCy v3 DocBin (`.spacy`): the training-data container that `spacy train` reads.

Writing tokenises each text with `spacy.blank(lang)` (the document's language if spaCy has a
tokenizer for it that needs no extra packages, else the multi-language "xx" tokenizer; the report
says when it falls back) and puts

- every span into `doc.spans["annotator"]` (overlaps allowed), numbered "1", "2", ... within
  its Doc as `span.id_` and, for a mention linked to a registry actor with an external id (a
  Wikidata QID), that id as `span.kb_id_` (what spaCy's entity linker trains on);
- the ACTOR and DATE spans that do not overlap each other into `doc.ents`, chosen as
  `spacy.util.filter_spans` chooses (longest first, then leftmost); the report names each one
  left out of the entities (it is still in `doc.spans`);
- what spaCy has no place for into `doc.user_data["annotator"]`, plain JSON-like data (see
  `_doc_record`): per span its `ref` (the `span.id_`), database id, offsets, label, annotator,
  attributes, note and actor key; the relations `{"id", "type", "from", "to", "annotator"}`
  whose `from`/`to` are span refs, so `{s.id_: s for s in doc.spans["annotator"]}` resolves
  them; the registry entries of the
  linked actors; document metadata and tags. A relation whose span could not be put into the
  Doc is left out and reported.

Span refs are numbered per Doc rather than taken from the database because DocBin stores every
`span.id_` in its string table, and spaCy's vocabulary keeps every string it has seen: database
ids would make both grow with the number of spans (about 150 bytes each, written and read), where
per-Doc numbers repeat from one Doc to the next. Files written before (record version 2) used
the database id as `span.id_`; the reader takes both.

spaCy spans are token spans: a span that does not start and end on token edges cannot be put into
a Doc. It is left out and reported with the nearest token-aligned range, never widened silently.

Reading takes spans from every `doc.spans` group and the entities not already among them, and
restores annotator, attributes, note, actor key, relations and actor registry entries from
`user_data` where this module wrote them. Offsets
are code points in both directions (spaCy's `start_char`/`end_char`).

spaCy is imported inside the functions: it takes most of a second to import.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from annotator.domain.interchange import (
    AnnotatedDocument,
    FormatProblem,
    ImportedActor,
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    WriteReport,
)
from annotator.domain.model import DocumentMeta, Span
from annotator.formats import _docbin
from annotator.formats._links import actor_dict, imported_actor

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

GROUP = "annotator"
"""The `doc.spans` key this module writes, and the `doc.user_data` key of its records."""

ENT_LABELS = frozenset({"ACTOR", "DATE"})
"""Labels that also go into `doc.ents` (named-entity training data); CLAIM does not."""

FALLBACK_LANG = "xx"
_RECORD_VERSION = 3


# --- writing ---------------------------------------------------------------------------------


def write(
    documents: Iterable[AnnotatedDocument],
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write the documents to one `.spacy` file; report spans spaCy cannot hold.

    Memory stays flat however many documents there are: see `_docbin.Writer`.
    """
    report = WriteReport()
    pipelines = _Pipelines()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        with _docbin.Writer(out.parent) as stream:
            for annotated in documents:
                planned = _to_doc(annotated, pipelines, report)
                if planned is not None:
                    stream.add(planned.doc, planned.table, GROUP, planned.spans, planned.ents)
                    report.documents += 1
                if progress is not None:
                    progress(report.documents)
            report.problems[:0] = pipelines.fallback_problems()
            stream.finish(tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    report.files.append(str(out))
    return report


class _Pipelines:
    """One blank pipeline per language code, created on first use."""

    def __init__(self) -> None:
        self._by_lang: dict[str, Language] = {}
        self._unsupported: set[str] = set()
        self._fallbacks: dict[str, tuple[str, int]] = {}  # why -> first document, how many

    def fell_back(self, why: str, origin: str) -> None:
        first, count = self._fallbacks.get(why, (origin, 0))
        self._fallbacks[why] = (first, count + 1)

    def fallback_problems(self) -> list[FormatProblem]:
        """One problem per reason for falling back, not one per document."""
        problems = []
        for why, (first, count) in self._fallbacks.items():
            more = count - 1
            origin = first + (f" and {more} more document{'s' if more > 1 else ''}" if more else "")
            message = f"tokenised with spaCy's multi-language tokenizer {FALLBACK_LANG!r}: {why}"
            problems.append(FormatProblem(origin, message))
        return problems

    def get(self, language: str | None) -> tuple[Language, str, str | None]:
        """The pipeline for this language, its code, and why it fell back (or None)."""
        code = _lang_code(language)
        if code is None:
            why = "no language given" if not language else f"language {language!r} unknown"
            return self._blank(FALLBACK_LANG), FALLBACK_LANG, why
        if code not in self._unsupported:
            try:
                return self._blank(code), code, None
            except Exception:  # ImportError for tokenizers that need extra packages, or unknown
                self._unsupported.add(code)
        why = f"spaCy has no tokenizer for {language!r} that works without extra packages"
        return self._blank(FALLBACK_LANG), FALLBACK_LANG, why

    def _blank(self, code: str) -> Language:
        nlp = self._by_lang.get(code)
        if nlp is None:
            import spacy

            nlp = spacy.blank(code)
            # spaCy refuses texts over max_length (1,000,000 characters) to spare the memory
            # of a parser or tagger; a blank pipeline only tokenises, in linear memory, and an
            # article the store holds must export whatever its length.
            nlp.max_length = 2**31 - 1
            self._by_lang[code] = nlp
        return nlp


def _lang_code(language: str | None) -> str | None:
    """The primary subtag of a BCP 47 tag ("en-GB" -> "en"), or None if there is none."""
    if not language:
        return None
    code = language.replace("_", "-").split("-", 1)[0].strip().lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _doc_origin(annotated: AnnotatedDocument) -> str:
    document = annotated.document
    return f"document {document.id} {document.title!r}"


def _span_origin(annotated: AnnotatedDocument, span: Span) -> str:
    label = annotated.label_name(span)
    return f"{_doc_origin(annotated)}, span {span.id} {label} {span.start}-{span.end}"


class _Planned(NamedTuple):
    """A Doc as it goes into the file: tokenised, with its user data and its token table; its
    span group as columns (`_docbin.Spans`) and its entities as indices into them (the writer
    packs them without spaCy `Span` objects: making those and reading them back cost more than
    tokenising)."""

    doc: Doc
    table: _docbin.TokenTable
    spans: _docbin.Spans
    ents: Any  # numpy int64 indices into `spans`, in token order


_REFS: list[str] = []  # "1", "2", ...: the span refs, made once


def _refs(count: int) -> list[str]:
    if len(_REFS) < count:
        _REFS.extend(str(n) for n in range(len(_REFS) + 1, count + 1))
    return _REFS[:count]


def _to_doc(
    annotated: AnnotatedDocument, pipelines: _Pipelines, report: WriteReport
) -> _Planned | None:
    """What goes into the file for `annotated`; None if it cannot be written.

    The spans are aligned to the tokens with numpy, all of a Doc's at once; what is left per
    span in Python is its record in the user data.
    """
    import numpy

    document = annotated.document
    nlp, lang, why = pipelines.get(document.meta.language)
    if why is not None:
        pipelines.fell_back(why, _doc_origin(annotated))
    text = document.text
    doc = nlp.make_doc(text)
    table = _docbin.token_table(doc, text)
    if table is None:  # spaCy's tokenizer is non-destructive; never trust, check
        report.problems.append(
            FormatProblem(
                _doc_origin(annotated),
                "spaCy's tokenizer changed the text; document left out",
            )
        )
        return None

    # Strict alignment as `Doc.char_span` has it: a span starts where a token starts and ends
    # where a token ends (its trailing whitespace not included).
    count = len(annotated.spans)
    char_starts = numpy.fromiter((s.start for s in annotated.spans), numpy.int64, count)
    char_ends = numpy.fromiter((s.end for s in annotated.spans), numpy.int64, count)
    ids = numpy.fromiter((s.id for s in annotated.spans), numpy.int64, count)
    order = numpy.lexsort((ids, char_ends, char_starts))
    char_starts, char_ends = char_starts[order], char_ends[order]
    spans = [annotated.spans[i] for i in order.tolist()]
    token_starts, token_ends, n = table.starts, table.ends, len(table.starts)
    firsts = numpy.searchsorted(token_starts, char_starts)
    lasts = numpy.searchsorted(token_ends, char_ends)
    if n:
        aligned = (
            (firsts < n)
            & (lasts < n)
            & (token_starts[numpy.minimum(firsts, n - 1)] == char_starts)
            & (token_ends[numpy.minimum(lasts, n - 1)] == char_ends)
        )
    else:
        aligned = numpy.zeros(count, dtype=bool)

    kept = aligned.nonzero()[0]
    refs = _refs(len(kept))
    ref_of = iter(refs)
    label_names = {i: label.name for i, label in annotated.labels.items()}
    annotator_names = {i: annotator.name for i, annotator in annotated.annotators.items()}
    actors = annotated.actors
    labels: list[str] = []
    kb_ids: list[str] = []
    records: list[dict[str, Any]] = []
    for span, ok in zip(spans, aligned.tolist(), strict=True):
        if not ok:
            report.problems.append(
                FormatProblem(_span_origin(annotated, span), _misaligned(doc, span, lang))
            )
            continue
        actor = None if span.actor_id is None else actors.get(span.actor_id)
        label = label_names[span.label_id]
        labels.append(label)
        kb_ids.append((actor.external_id or "") if actor is not None else "")
        attributes = span.attributes
        records.append(
            {
                "ref": next(ref_of),
                "id": span.id,
                "start": span.start,
                "end": span.end,
                "label": label,
                "annotator": annotator_names[span.annotator_id],
                "attributes": _json_attributes(annotated, span, report) if attributes else {},
                "note": span.note,
                "actor": None if actor is None else actor.key,
            }
        )
    columns = _docbin.Spans(
        firsts[kept], lasts[kept] + 1, char_starts[kept], char_ends[kept], labels, kb_ids, refs
    )
    span_ids = [spans[i].id for i in kept.tolist()]  # database ids, in group order
    ents = _choose_ents(annotated, columns, span_ids, report)
    relations = (
        _relation_records(annotated, dict(zip(span_ids, refs, strict=True)), report)
        if annotated.relations
        else []
    )
    doc.user_data[GROUP] = _doc_record(annotated, lang, records, relations)
    report.spans += len(refs)
    report.relations += len(relations)
    return _Planned(doc, table, columns, ents)


def _relation_records(
    annotated: AnnotatedDocument, refs: Mapping[int, str], report: WriteReport
) -> list[dict[str, Any]]:
    records = []
    for relation in annotated.relations:
        name = annotated.relation_type_name(relation)
        if relation.source_id not in refs or relation.target_id not in refs:
            report.problems.append(
                FormatProblem(
                    f"{_doc_origin(annotated)}, relation {relation.id}",
                    f"{name} relation left out: one of its spans is not in the Doc",
                )
            )
            continue
        records.append(
            {
                "id": relation.id,
                "type": name,
                "from": refs[relation.source_id],
                "to": refs[relation.target_id],
                "annotator": annotated.annotators[relation.annotator_id].name,
            }
        )
    return records


def _misaligned(doc: Doc, span: Span, lang: str) -> str:
    quote = span.quote
    message = (
        f"{quote!r} does not start and end on spaCy token edges ({lang!r} tokenizer); "
        "left out of the .spacy file"
    )
    wider = doc.char_span(span.start, span.end, alignment_mode="expand")
    if wider is not None:
        message += (
            f" (the nearest token span is {wider.start_char}-{wider.end_char} {wider.text!r})"
        )
    return message


def _choose_ents(
    annotated: AnnotatedDocument, group: _docbin.Spans, span_ids: list[int], report: WriteReport
) -> Any:
    """The indices into `group` of the non-overlapping ACTOR/DATE spans, chosen as
    `spacy.util.filter_spans` does, in token order."""
    import numpy

    is_ent = [label.upper() in ENT_LABELS for label in group.label]
    candidates = numpy.array(is_ent, dtype=bool).nonzero()[0]
    starts, ends = group.start[candidates], group.end[candidates]
    lengths = ends - starts
    # The group is in text order, so its token starts never decrease: when no candidate
    # starts before one before it ends, filter_spans keeps them all.
    if len(candidates) < 2 or (
        (lengths > 0).all() and (starts[1:] >= numpy.maximum.accumulate(ends)[:-1]).all()
    ):
        return candidates
    # filter_spans: longest first, then leftmost (a stable sort: ties stay in group order); a
    # span that shares a token with a kept one is left out.
    order = candidates[numpy.lexsort((starts, -lengths))].tolist()
    token_starts, token_ends = group.start.tolist(), group.end.tolist()
    char_starts, char_ends = group.start_char.tolist(), group.end_char.tolist()
    kept: list[int] = []
    owner: dict[int, int] = {}  # token index -> kept entity
    for candidate in order:
        span_tokens = range(token_starts[candidate], token_ends[candidate])
        clash = next((owner[i] for i in span_tokens if i in owner), None)
        if clash is None:
            kept.append(candidate)
            owner.update(dict.fromkeys(span_tokens, candidate))
            continue
        where = (char_starts[candidate], char_ends[candidate], group.label[candidate])
        clash_where = (char_starts[clash], char_ends[clash], group.label[clash])
        if where == clash_where:
            continue  # the same entity (another annotator's span): it is in doc.ents already
        _report_ent_clash(annotated, group, span_ids[candidate], candidate, clash, report)
    kept.sort(key=token_starts.__getitem__)
    return numpy.array(kept, dtype=numpy.int64)


def _report_ent_clash(
    annotated: AnnotatedDocument,
    group: _docbin.Spans,
    span_id: int,
    candidate: int,
    clash: int,
    report: WriteReport,
) -> None:
    text = annotated.document.text
    one, other = group.entry(candidate), group.entry(clash)
    quote, clash_quote = (
        text[one.start_char : one.end_char],
        text[other.start_char : other.end_char],
    )
    report.problems.append(
        FormatProblem(
            f"{_doc_origin(annotated)}, span {span_id} {one.label} {one.start_char}-{one.end_char}",
            f"{quote!r} is in doc.spans[{GROUP!r}] but not in doc.ents: it overlaps "
            f"{other.label} {other.start_char}-{other.end_char} {clash_quote!r}",
        )
    )


def _json_attributes(annotated: AnnotatedDocument, span: Span, report: WriteReport) -> Any:
    """The span's attributes as JSON gives them back (lists for tuples, string keys), or none
    if they are not JSON data."""
    try:
        return json.loads(json.dumps(dict(span.attributes)))
    except (TypeError, ValueError) as exc:
        report.problems.append(
            FormatProblem(
                _span_origin(annotated, span),
                f"attributes are not JSON data ({exc}); left out",
            )
        )
        return {}


def _doc_record(
    annotated: AnnotatedDocument,
    lang: str,
    records: list[dict[str, Any]],
    relations: list[dict[str, Any]],
) -> dict[str, Any]:
    """What goes into `doc.user_data["annotator"]`: JSON-like data only."""
    document = annotated.document
    meta = document.meta
    return {
        "version": _RECORD_VERSION,
        "document": {
            "id": document.id,
            "title": meta.title,
            "source": meta.source,
            "url": meta.url,
            "author": meta.author,
            "published": meta.published,
            "language": meta.language,
            "sha256": document.sha256,
            "tags": list(annotated.tags),
        },
        "tokenizer": lang,
        "spans": records,
        "relations": relations,
        "actors": [
            actor_dict(annotated.actors[i])
            for i in sorted({s.actor_id for s in annotated.spans if s.actor_id is not None})
            if i in annotated.actors
        ],
    }


# --- reading ---------------------------------------------------------------------------------


def read(path: Path) -> Iterator[ImportedDocument | FormatProblem]:
    """The documents of a `.spacy` file, with spans from every span group and the entities."""
    import spacy

    # One Doc in memory at a time; the whole file is read and checked before the first comes.
    docs = _docbin.read_docs(path, spacy.blank(FALLBACK_LANG).vocab)
    n = 0
    while True:
        try:
            doc = next(docs, None)
        except _docbin.DocBinError as exc:
            yield FormatProblem(str(path), str(exc))
            return
        if doc is None:
            return
        n += 1
        try:
            items = list(_from_doc(doc, path, n))
        except Exception as exc:  # spaCy's errors on a Doc whose parts do not fit together
            yield FormatProblem(
                f"{path} doc {n}", f"not readable ({_docbin.reason(exc)}); not imported"
            )
            continue
        yield from items


def _plain(value: Any) -> Any:
    """msgpack gives lists back as tuples: turn them back into lists, recursively."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _from_doc(doc: Doc, path: Path, n: int) -> Iterator[ImportedDocument | FormatProblem]:
    origin = f"{path} doc {n}"
    raw = doc.user_data.get(GROUP) if isinstance(doc.user_data, dict) else None
    record: Mapping[str, Any] = _plain(raw) if isinstance(raw, dict) else {}
    info: Mapping[str, Any] = record.get("document") or {}
    by_id: dict[str, Mapping[str, Any]] = {}
    for item in record.get("spans") or []:
        if isinstance(item, dict) and ("ref" in item or "id" in item):
            by_id[str(item.get("ref", item.get("id")))] = item  # version 2 has no "ref"

    spans: list[ImportedSpan] = []
    seen: set[tuple[int, int, str, str | None]] = set()
    labelled: set[tuple[int, int, str]] = set()
    for key in doc.spans:
        for i, spacy_span in enumerate(doc.spans[key]):
            where = f"{origin} spans[{key!r}][{i}]"
            item = by_id.get(spacy_span.id_) if key == GROUP else None
            imported = _imported(spacy_span, where, item)
            if isinstance(imported, FormatProblem):
                yield imported
                continue
            ident = (imported.start, imported.end, imported.label, imported.annotator)
            if ident in seen:  # the same span in two groups
                continue
            seen.add(ident)
            labelled.add(ident[:3])
            spans.append(imported)
    for i, ent in enumerate(doc.ents):
        ent_span = _imported(ent, f"{origin} ents[{i}]", None)
        if isinstance(ent_span, FormatProblem):
            yield ent_span
            continue
        if (ent_span.start, ent_span.end, ent_span.label) not in labelled:
            labelled.add((ent_span.start, ent_span.end, ent_span.label))
            spans.append(ent_span)

    relations, actors, problems = _links(record, origin, {s.ref for s in spans if s.ref})
    yield from problems
    title = _str_or_none(info.get("title")) or (path.stem if n == 1 else f"{path.stem} #{n}")
    meta = DocumentMeta(
        title=title,
        source=_str_or_none(info.get("source")),
        url=_str_or_none(info.get("url")),
        author=_str_or_none(info.get("author")),
        published=_str_or_none(info.get("published")),
        language=_str_or_none(info.get("language")),
    )
    tags = tuple(t for t in info.get("tags") or [] if isinstance(t, str))
    yield ImportedDocument(doc.text, meta, tuple(spans), origin, tags, relations, actors)


def _links(
    record: Mapping[str, Any], origin: str, refs: set[str]
) -> tuple[tuple[ImportedRelation, ...], tuple[ImportedActor, ...], list[FormatProblem]]:
    """The relations and actor registry entries this module wrote into `user_data`."""
    problems: list[FormatProblem] = []
    relations: list[ImportedRelation] = []
    for i, item in enumerate(record.get("relations") or []):
        where = f"{origin} user_data relations[{i}]"
        kind = item.get("type") if isinstance(item, dict) else None
        ends = [str(item.get(k)) for k in ("from", "to")] if isinstance(item, dict) else []
        if not isinstance(kind, str) or not kind or len(ends) != 2:
            problems.append(FormatProblem(where, f"cannot read the relation {item!r}"))
        elif not set(ends) <= refs:
            problems.append(
                FormatProblem(
                    where,
                    f"{kind} relation {ends[0]} -> {ends[1]}: a span it links is not in "
                    f"doc.spans[{GROUP!r}]; not imported",
                )
            )
        else:
            annotator = _str_or_none(item.get("annotator"))
            relations.append(ImportedRelation(kind, ends[0], ends[1], where, annotator))
    actors: list[ImportedActor] = []
    for i, item in enumerate(record.get("actors") or []):
        try:
            actors.append(imported_actor(item))
        except ValueError as exc:
            problems.append(FormatProblem(f"{origin} user_data actors[{i}]", str(exc)))
    return tuple(relations), tuple(actors), problems


def _imported(
    spacy_span: SpacySpan, where: str, item: Mapping[str, Any] | None
) -> ImportedSpan | FormatProblem:
    label = spacy_span.label_
    if not label:
        return FormatProblem(where, f"span {spacy_span.text!r} has no label; not imported")
    if spacy_span.start_char >= spacy_span.end_char:
        return FormatProblem(where, f"{label} span is empty; not imported")
    annotator: str | None = None
    attributes: Mapping[str, Any] = {}
    note: str | None = None
    actor: str | None = None
    if item is not None:
        annotator = _str_or_none(item.get("annotator"))
        raw_attributes = item.get("attributes")
        attributes = raw_attributes if isinstance(raw_attributes, dict) else {}
        note = item.get("note") if isinstance(item.get("note"), str) else None
        actor = _str_or_none(item.get("actor"))
    return ImportedSpan(
        start=spacy_span.start_char,
        end=spacy_span.end_char,
        label=label,
        quote=spacy_span.text,
        annotator=annotator,
        attributes=attributes,
        note=note,
        origin=where,
        actor=actor,
        ref=spacy_span.id_ if item is not None else None,
    )


# --- sniffing --------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """True for a zlib-compressed msgpack map that starts the way DocBin writes it."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096)
        data = zlib.decompressobj().decompress(head, 256)
    except (OSError, zlib.error):
        return False
    # A msgpack map (fixmap 0x80-0x8f, map16 0xde, map32 0xdf) with the keys "version" and
    # "attrs" first, as DocBin.to_bytes writes it.
    is_map = bool(data) and (0x80 <= data[0] <= 0x8F or data[0] in (0xDE, 0xDF))
    return is_map and b"version" in data[:16] and b"attrs" in data[:64]
