"""How good and how fast the suggestions are: the engines against the hand-annotated gold.

    python benchmarks/suggest.py [--quick] [--rotations 6] [--size-mb 1.0] [--articles 10000]
                                 [--runs 3] [--json FILE] [--skip-speed] [--kcna PATH]

Quality: the engines run the way the app runs them on a document nobody has annotated yet
(`annotator.assist.pipeline.propose`, the text and its publication date, no annotations, an
empty `ActorKnowledge`) over the gold of tests/data/suggest (dev: the engines were tuned on
it; held-out: they never were) and the KCNA article of ../shared/corpus. The figures come from
`annotator.analysis.suggestions`: P/R/F1 per label, exact and overlapping (and Jaccard >= 0.5
for claims), date value-F1, SOURCE accuracy on matched claims, and the keystroke effort.

Learning curve: the annotator has annotated k documents (k = 0, 1, 2, 4); their gold ACTOR
spans become marked names with kinds and identities, and for k > 0 a model is trained on them
with `train_actor_model`. The actor engine is measured on the documents no k used, averaged
(micro) over seeded rotations of the pool dev + held-out + KCNA, and on held-out documents only.

Speed: a news-like article of `--size-mb` built from the gold texts (person names varied per
copy, so propagation has thousands of names to carry) through `propose` with every engine,
against the floor of one regex pass and `str.split`, with its peak memory; then the stored
path, `run_suggestions` on a SQLite database, for that article and for `--articles` articles
of about 5 kB with progress, and once more cancelled after a few batches.

Ends with one table of every target: figure, measured, target, pass or miss.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import regex

from annotator.analysis.suggestions import (
    Counts,
    EvalDocument,
    EvalRelation,
    EvalSpan,
    Evaluation,
)
from annotator.assist.actors import NO_KNOWLEDGE, ActorKnowledge, MarkedName
from annotator.assist.base import ACTORS, ENGINES, DocumentContext, Proposal
from annotator.assist.pipeline import propose

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "suggest"
KCNA = ROOT.parent / "shared" / "corpus" / "kcna-car-gift.txt"
LABELS = ("ACTOR", "DATE", "CLAIM")
KS = (0, 1, 2, 4)


# --- The gold ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldDocument:
    name: str
    split: str  # dev, heldout or kcna
    text: str
    published: str | None
    title: str | None
    spans: tuple[dict[str, Any], ...]
    relations: tuple[dict[str, Any], ...]

    def context(self) -> DocumentContext:
        """What the app hands the engines before anyone has annotated the document."""
        return DocumentContext(text=self.text, published=self.published, title=self.title)

    def evaluation(self) -> EvalDocument:
        spans = tuple(
            EvalSpan(
                s["start"],
                s["end"],
                s["label"],
                value=s.get("attrs", {}).get("value"),
                identity=s.get("attrs", {}).get("actor"),
                ref=s["id"],
            )
            for s in self.spans
        )
        relations = tuple(EvalRelation(r["type"], r["from"], r["to"]) for r in self.relations)
        return EvalDocument(spans, relations)

    def actors(self) -> list[dict[str, Any]]:
        return [s for s in self.spans if s["label"] == "ACTOR"]


def read_gold(path: Path, split: str) -> GoldDocument:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / gold["document"]).read_text(encoding="utf-8")
    return GoldDocument(
        name=path.name.removesuffix(".gold.json"),
        split=split,
        text=text,
        published=gold.get("published"),
        title=gold.get("title"),
        spans=tuple(gold["spans"]),
        relations=tuple(gold["relations"]),
    )


def load_corpus(kcna: Path) -> list[GoldDocument]:
    docs = [read_gold(p, "dev") for p in sorted((DATA / "dev").glob("*.gold.json"))]
    docs += [read_gold(p, "heldout") for p in sorted((DATA / "heldout").glob("*.gold.json"))]
    gold = kcna.with_name(kcna.name.removesuffix(".txt") + ".gold.json")
    if gold.is_file():
        docs.append(read_gold(gold, "kcna"))
    else:
        print(f"(no KCNA gold at {gold}: left out)")
    return docs


def proposals_as_evaluation(proposals: Sequence[Proposal]) -> EvalDocument:
    """Proposals as the quality functions read them: one span per key (as the store keeps
    them), links resolved to the proposal at their target's key."""
    refs: dict[tuple[int, int, str], str] = {}
    kept: list[Proposal] = []
    for p in proposals:
        if p.key not in refs:
            refs[p.key] = f"p{len(kept)}"
            kept.append(p)
    spans = tuple(
        EvalSpan(
            p.start,
            p.end,
            p.label,
            value=p.attributes.get("value"),
            identity=p.actor_key,
            ref=refs[p.key],
        )
        for p in kept
    )
    relations = tuple(
        EvalRelation(r.type, refs[p.key], refs[r.target])
        for p in kept
        for r in p.relations
        if r.target in refs
    )
    return EvalDocument(spans, relations)


def evaluate(
    docs: Sequence[GoldDocument],
    *,
    engines: Sequence[str] = ENGINES,
    knowledge: ActorKnowledge = NO_KNOWLEDGE,
) -> Evaluation:
    result = Evaluation()
    for doc in docs:
        proposals = propose(doc.context(), engines=engines, knowledge=knowledge)
        result.add_document(proposals_as_evaluation(proposals), doc.evaluation())
    return result


# --- Quality -------------------------------------------------------------------------------


def _prf(c: Counts) -> str:
    return f"{c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f}"


def print_quality(title: str, e: Evaluation) -> None:
    print(f"\n== Quality: {title} ==")
    print(
        f"{'label':<6} {'gold':>5} {'sugg':>5} | {'exact P     R    F1':<17} | "
        f"{'overlap P   R    F1':<17} | {'Jaccard P   R    F1':<17}"
    )
    for label in LABELS:
        exact = e.exact.get(label, Counts())
        overlap = e.overlap.get(label, Counts())
        jaccard = e.jaccard.get(label, Counts())
        gold, suggested = exact.tp + exact.fn, exact.tp + exact.fp
        row = f"{label:<6} {gold:5d} {suggested:5d} | {_prf(exact)} | {_prf(overlap)}"
        row += f" | {_prf(jaccard)}" if label == "CLAIM" else " |"
        print(row)
    v = e.date_values
    print(f"date value P/R/F1 {_prf(v)}  ({v.tp} right values of {v.tp + v.fn} gold dates)")
    s = e.source
    print(
        f"SOURCE on {s.claims} matched claims: right actor {s.accuracy:.2f}, "
        f"the very mention {s.strict:.2f}"
    )
    f = e.effort
    print(
        f"effort: {f.with_suggestions} keystrokes with suggestions / {f.by_hand} by hand = "
        f"{f.ratio:.2f}  (accepted {f.accepted}, reshaped {f.reshaped}, new {f.new}, "
        f"rejected {f.rejected})"
    )


def _counts_json(c: Counts) -> dict[str, float]:
    return {
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "precision": round(c.precision, 4),
        "recall": round(c.recall, 4),
        "f1": round(c.f1, 4),
    }


def quality_json(e: Evaluation) -> dict[str, Any]:
    f = e.effort
    return {
        "documents": e.documents,
        "exact": {k: _counts_json(v) for k, v in sorted(e.exact.items())},
        "overlap": {k: _counts_json(v) for k, v in sorted(e.overlap.items())},
        "jaccard": {k: _counts_json(v) for k, v in sorted(e.jaccard.items())},
        "date_values": _counts_json(e.date_values),
        "source": {
            "claims": e.source.claims,
            "right_actor": e.source.right_actor,
            "right_mention": e.source.right_mention,
            "accuracy": round(e.source.accuracy, 4),
            "strict": round(e.source.strict, 4),
        },
        "effort": {
            "with_suggestions": f.with_suggestions,
            "by_hand": f.by_hand,
            "ratio": round(f.ratio, 4),
            "accepted": f.accepted,
            "reshaped": f.reshaped,
            "new": f.new,
            "rejected": f.rejected,
        },
    }


# --- Learning curve ------------------------------------------------------------------------


def knowledge_from(annotated: Sequence[GoldDocument], seed: int) -> ActorKnowledge:
    """What k annotated documents teach the actor engine: their ACTOR spans as marked names
    (kind and identity with them) and, when there are any, a model trained on them."""
    if not annotated:
        return NO_KNOWLEDGE
    from annotator.assist.actor_model import train_actor_model

    marks: Counter[tuple[str, str | None, str | None]] = Counter()
    for doc in annotated:
        for s in doc.actors():
            marks[(s["quote"], s["attrs"].get("kind"), s["attrs"].get("actor"))] += 1
    examples = [
        (doc.text, [(s["start"], s["end"], s["attrs"].get("kind")) for s in doc.actors()])
        for doc in annotated
    ]
    model = train_actor_model(examples, seed=seed)
    marked = tuple(MarkedName(q, kind, key, n) for (q, kind, key), n in sorted(marks.items()))
    return ActorKnowledge(marked=marked, model=model)


@dataclass
class CurvePoint:
    exact: Counts = field(default_factory=Counts)
    overlap: Counts = field(default_factory=Counts)
    documents: int = 0


def learning_curve(
    pool: Sequence[GoldDocument], rotations: int, seed: int
) -> tuple[dict[int, CurvePoint], dict[int, CurvePoint]]:
    """Per k: the actor engine on the documents after the first max(KS) of each rotation (the
    same documents for every k, so the points compare), over all of them and held-out only."""
    everywhere = {k: CurvePoint() for k in KS}
    heldout = {k: CurvePoint() for k in KS}
    first = max(KS)
    for rotation in range(rotations):
        order = list(pool)
        random.Random(seed + rotation).shuffle(order)
        tested = order[first:]
        for k in KS:
            knowledge = knowledge_from(order[:k], seed + rotation)
            for doc in tested:
                e = evaluate([doc], engines=(ACTORS,), knowledge=knowledge)
                points = [everywhere[k]] + ([heldout[k]] if doc.split == "heldout" else [])
                for point in points:
                    point.exact.add(e.exact.get("ACTOR", Counts()))
                    point.overlap.add(e.overlap.get("ACTOR", Counts()))
                    point.documents += 1
    return everywhere, heldout


def print_curve(title: str, curve: dict[int, CurvePoint]) -> None:
    print(f"\n== Actor learning curve: {title} ==")
    print(f"{'k':>2} {'docs':>5} | {'exact P     R    F1':<17} | {'overlap P   R    F1':<17}")
    for k, point in curve.items():
        print(f"{k:2d} {point.documents:5d} | {_prf(point.exact)} | {_prf(point.overlap)}")


def curve_json(curve: dict[int, CurvePoint]) -> dict[str, Any]:
    return {
        str(k): {
            "documents": p.documents,
            "exact": _counts_json(p.exact),
            "overlap": _counts_json(p.overlap),
        }
        for k, p in curve.items()
    }


# --- Speed ---------------------------------------------------------------------------------

_CAPITALISED = regex.compile(r"\b\p{Lu}[\p{Ll}\p{M}]+")
_ONSETS = "bdfghklmnprstvz"
_VOWELS = "aeiou"


def _invented(rng: random.Random) -> str:
    syllables = rng.randint(2, 3)
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    return word.capitalize() + rng.choice(("", "n", "r", "s", "v"))


def varied_copy(doc: GoldDocument, rng: random.Random) -> str:
    """The document's text with every capitalised word of its people's names replaced by an
    invented one, the same word for the same word throughout the copy."""
    mapping: dict[str, str] = {}

    def swap(match: regex.Match[str]) -> str:
        word = match.group()
        if word not in mapping:
            mapping[word] = _invented(rng)
        return mapping[word]

    people = sorted(
        (s["start"], s["end"]) for s in doc.actors() if s["attrs"].get("kind") == "person"
    )
    parts, at = [], 0
    for start, end in people:
        if start < at:
            continue
        parts += [doc.text[at:start], _CAPITALISED.sub(swap, doc.text[start:end])]
        at = end
    parts.append(doc.text[at:])
    return "".join(parts)


def _body(text: str) -> str:
    """An article's text without its headline and the blank line after it."""
    return text.split("\n\n", 1)[1] if "\n\n" in text else text


def big_article(sources: Sequence[GoldDocument], size: int, seed: int) -> str:
    """One article of at least `size` characters: the first copy's headline, then the bodies of
    varied copies of the gold texts in a seeded order."""
    rng = random.Random(seed)
    parts = [varied_copy(sources[0], rng).rstrip("\n")]
    length = len(parts[0])
    while length < size:
        doc = rng.choice(sources)
        body = _body(varied_copy(doc, rng)).rstrip("\n")
        parts.append(body)
        length += len(body) + 1
    return "\n".join(parts) + "\n"


def small_articles(
    sources: Sequence[GoldDocument], n: int, seed: int
) -> list[tuple[str, str, str | None]]:
    """`n` articles of about 5 kB (two gold bodies under one headline): (title, text, date)."""
    rng = random.Random(seed)
    headed = [d for d in sources if d.title]
    out = []
    for _ in range(n):
        first, second = rng.choice(headed), rng.choice(sources)
        text = varied_copy(first, rng).rstrip("\n") + "\n" + _body(varied_copy(second, rng))
        out.append((text.split("\n", 1)[0], text, first.published))
    return out


def best_of(fn: Callable[[], object], runs: int) -> float:
    return timed(fn, runs)[0]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """The best wall-clock time of `runs` calls, and the CPU time of this process (every
    thread) in that call: on a loaded machine the first says how long one waited, the second
    how much work it was."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        took = (time.perf_counter() - t0, time.process_time() - c0)
        best = min(best, took)
    return best


_WORD = regex.compile(r"\w+")


def speed_propose(text: str, published: str, runs: int) -> dict[str, Any]:
    context = DocumentContext(text=text, published=published, title=text.split("\n", 1)[0])
    results: dict[str, Any] = {"characters": len(text)}
    results["floor_regex_s"] = best_of(lambda: _WORD.findall(text), runs)
    results["floor_split_s"] = best_of(text.split, runs)
    proposals: list[Proposal] = []

    def run_all() -> None:
        nonlocal proposals
        proposals = propose(context, engines=ENGINES)

    results["propose_s"], results["propose_cpu_s"] = timed(run_all, runs)
    for engine in ENGINES:
        results[f"{engine}_s"] = best_of(partial(propose, context, engines=(engine,)), 1)
    results["proposals"] = dict(Counter(p.label for p in proposals))
    tracemalloc.start()
    propose(context, engines=ENGINES)
    results["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return results


def speed_stored(
    big: str,
    published: str,
    articles: list[tuple[str, str, str | None]],
    cancel_after: int,
    runs: int,
) -> dict[str, Any]:
    from annotator.domain.library import AddedDocument
    from annotator.domain.model import DocumentMeta
    from annotator.services.database import open_database
    from annotator.services.library import add_documents
    from annotator.services.suggestions import BATCH, run_suggestions

    results: dict[str, Any] = {"articles": len(articles), "batch": BATCH}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "big.sqlite3")
        # Copies that differ in their last line (the store keeps one document per text), so
        # that the first run on a document can be timed more than once: best of `runs`.
        copies = [f"{big}Copy {n}.\n" for n in range(runs)]
        added = add_documents(
            db, items=[(DocumentMeta("Big", published=published), text, ()) for text in copies]
        )
        ids = [a.id for a in added if isinstance(a, AddedDocument)]
        assert len(ids) == runs
        firsts, report = [], None
        for document_id in ids:
            t0 = time.perf_counter()
            report = run_suggestions(db, document_ids=[document_id])
            firsts.append(time.perf_counter() - t0)
        assert report is not None
        results["big_first_s"] = min(firsts)
        results["big_suggestions"] = report.total
        # Again, replacing them: what "Suggest" on a document does after the first time.
        results["big_s"] = best_of(partial(run_suggestions, db, document_ids=ids[:1]), runs)
        db.dispose()

        db = open_database(Path(tmp) / "many.sqlite3")
        t0 = time.perf_counter()
        for start in range(0, len(articles), 2000):
            add_documents(
                db,
                items=[
                    (DocumentMeta(title, published=date), text, ())
                    for title, text, date in articles[start : start + 2000]
                ],
            )
        results["store_s"] = time.perf_counter() - t0
        # The engines alone over a sample of the same articles: what storing adds to them.
        sample = articles[:1000]
        t0 = time.perf_counter()
        for title, text, date in sample:
            propose(DocumentContext(text, published=date, title=title), engines=ENGINES)
        results["engines_per_article_s"] = (time.perf_counter() - t0) / max(1, len(sample))
        calls: list[tuple[float, int, int]] = []

        def progress(done: int, total: int) -> None:
            calls.append((time.perf_counter(), done, total))
            if len(calls) == 1 or done == total or len(calls) % 40 == 0:
                print(f"  {done}/{total} documents", flush=True)

        t0 = time.perf_counter()
        report = run_suggestions(db, progress=progress)
        results["many_s"] = time.perf_counter() - t0
        results["many_documents"] = report.documents
        results["many_suggestions"] = report.total
        results["progress_calls"] = len(calls)

        # Cancelled from another thread, as the GUI's Cancel button is, halfway through the
        # batch after `cancel_after` batches: the run must stop after the article it is reading.
        stop = threading.Event()
        asked: list[float] = []
        batch_s = results["many_s"] / max(1, len(calls))

        def cancel() -> None:
            asked.append(time.perf_counter())
            stop.set()

        timer = threading.Timer(0.0, cancel)

        def progress_then_cancel(done: int, total: int) -> None:
            nonlocal timer
            if done == cancel_after * BATCH:
                timer = threading.Timer(batch_s / 2, cancel)
                timer.start()

        t0 = time.perf_counter()
        report = run_suggestions(db, progress=progress_then_cancel, cancelled=stop.is_set)
        ended = time.perf_counter()
        timer.cancel()
        results["batch_s"] = batch_s
        results["cancel_documents"] = report.documents
        results["cancelled"] = report.cancelled
        results["cancel_took_s"] = ended - asked[0] if asked else None
        results["cancel_run_s"] = ended - t0
        db.dispose()
    return results


def speed(
    sources: Sequence[GoldDocument],
    size_mb: float,
    articles: int,
    runs: int,
    args: argparse.Namespace,
    targets: list[Target],
) -> dict[str, Any]:
    published = "2025-06-01"
    big = big_article(sources, int(size_mb * 1_000_000), args.seed)
    print(f"\n== Speed: propose, one article of {len(big):,} characters ==")
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs: other processes slow every timing)")
    figures = speed_propose(big, published, runs)
    figures["load_average"] = load
    floor = figures["floor_regex_s"]
    rows = [
        ("floor: one regex pass", floor),
        ("floor: str.split", figures["floor_split_s"]),
        *((f"engine {engine} alone", figures[f"{engine}_s"]) for engine in ENGINES),
        ("propose, all engines", figures["propose_s"]),
    ]
    print(f"{'':<28} {'seconds':>8} {'x floor':>8}")
    for name, seconds in rows:
        print(f"{name:<28} {seconds:8.3f} {seconds / floor:8.1f}")
    print(f"proposals: {figures['proposals']}; peak Python memory {figures['peak_mb']:.0f} MB")
    per_mb = 1_000_000 / len(big)
    targets.append(at_most("1 MB article: propose (s)", figures["propose_s"] * per_mb, 2, " s"))

    print(f"\n== Speed: run_suggestions on SQLite ({articles:,} articles of ~5 kB) ==")
    many = small_articles(sources, articles, args.seed + 1)
    cancel_after = 2 if args.quick else 5
    stored = speed_stored(big, published, many, cancel_after, runs)
    print(
        f"the {len(big):,}-character article: {stored['big_first_s']:.2f} s the first time "
        f"({stored['big_suggestions']} suggestions stored), {stored['big_s']:.2f} s again"
    )
    print(f"storing {articles:,} articles: {stored['store_s']:.1f} s (not suggestions)")
    print(
        f"run_suggestions over them: {stored['many_s']:.1f} s, "
        f"{stored['many_suggestions']:,} suggestions, {stored['progress_calls']} progress reports"
    )
    per_article = stored["many_s"] / max(1, stored["many_documents"])
    print(
        f"per article: {per_article * 1000:.1f} ms, of which the engines alone "
        f"{stored['engines_per_article_s'] * 1000:.1f} ms"
    )
    if stored["cancel_took_s"] is None:
        print(f"the cancel after {cancel_after} batches came after the last batch: give more")
    else:
        print(
            f"cancelled halfway through batch {cancel_after + 1} (of {stored['batch']} "
            f"documents): stopped at {stored['cancel_documents']} documents, "
            f"{stored['cancel_took_s']:.2f} s after the cancel (a batch takes "
            f"{stored['batch_s']:.2f} s, an article {per_article:.3f} s)"
        )
    worst = max(stored["big_first_s"], stored["big_s"])
    targets.append(at_most("1 MB article: run_suggestions (s)", worst * per_mb, 2, " s"))
    # Stopped within the batch it was cancelled in, not at the batch's end.
    stopped = (
        stored["cancelled"] and stored["cancel_documents"] < (cancel_after + 1) * stored["batch"]
    )
    took = stored["cancel_took_s"]
    targets.append(Target("cancel takes effect (s)", took, "mid-batch", stopped))
    figures["stored"] = stored
    return figures


def speed_window_steps(text: str, published: str, runs: int) -> dict[str, Any]:
    """The window's "Suggest in this document" over one article, step by step as it goes:
    the engines read and propose (`propose_suggestions`), then the proposals are stored and the
    document's suggestions made from what was stored for the annotator (`store_and_list`), who
    then sees them drawn; both in the background, the window reading nothing back. The first
    run on the
    document, on SQLite; best of `runs` (a copy of the article each, as the store keeps one
    document per text)."""
    from annotator.domain.library import AddedDocument
    from annotator.domain.model import DocumentMeta
    from annotator.services.database import ensure_annotator, open_database
    from annotator.services.library import add_documents

    best: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "window.sqlite3")
        try:
            me = ensure_annotator(db, name="bench").id
            copies = [f"{text}Copy {n}.\n" for n in range(runs)]
            added = add_documents(
                db, items=[(DocumentMeta("B", published=published), t, ()) for t in copies]
            )
            for document_id in [a.id for a in added if isinstance(a, AddedDocument)]:
                took, stored = _window_steps(db, document_id, me)
                wall = sum(t[0] for t in took.values())
                if wall < best.get("total_s", float("inf")):
                    best["stored"] = stored
                    best["total_s"] = wall
                    best["total_cpu_s"] = sum(t[1] for t in took.values())
                    for step, (seconds, cpu) in took.items():
                        best[f"{step}_s"], best[f"{step}_cpu_s"] = seconds, cpu
        finally:
            db.dispose()
    return best


def _window_steps(
    db: Any, document_id: int, annotator_id: int
) -> tuple[dict[str, tuple[float, float]], int]:
    """One run of the window's steps on a document: (wall, CPU) per step, and how many
    suggestions were stored."""
    from annotator.services.suggestions import propose_suggestions, store_and_list

    found: list[Any] = []
    stored: list[int] = []

    def propose() -> None:
        found.extend(propose_suggestions(db, document_ids=[document_id]))

    def store() -> None:
        counts, listed = store_and_list(db, found[0], annotator_id=annotator_id)
        assert listed is not None and len(listed) == sum(counts.values())
        stored.append(sum(counts.values()))

    took = {"propose": timed(propose, 1), "store": timed(store, 1)}
    return took, stored[0]


# --- Summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    figure: str
    measured: float | None
    target: str
    passed: bool | None


def at_least(figure: str, value: float, floor: float) -> Target:
    return Target(figure, value, f">= {floor:.2f}", value >= floor)


def at_most(figure: str, value: float, ceiling: float, unit: str = "") -> Target:
    return Target(figure, value, f"<= {ceiling:g}{unit}", value <= ceiling)


def quality_targets(split: str, e: Evaluation) -> list[Target]:
    actors = e.exact.get("ACTOR", Counts())
    claims = e.jaccard.get("CLAIM", Counts())
    return [
        at_least(f"{split}: date value-F1", e.date_values.f1, 0.85),
        at_least(f"{split}: ACTOR recall, nothing learned (exact)", actors.recall, 0.70),
        at_least(f"{split}: ACTOR precision, nothing learned (exact)", actors.precision, 0.75),
        at_least(f"{split}: CLAIM F1 (Jaccard >= 0.5)", claims.f1, 0.65),
        at_least(f"{split}: SOURCE right actor", e.source.accuracy, 0.75),
        at_most(f"{split}: effort ratio", e.effort.ratio, 0.5),
    ]


def print_summary(targets: Sequence[Target]) -> None:
    print("\n== Summary ==")
    width = max(len(t.figure) for t in targets)
    print(f"{'figure':<{width}}  {'measured':>9}  {'target':>9}  result")
    for t in targets:
        measured = "-" if t.measured is None else f"{t.measured:9.2f}"
        result = "-" if t.passed is None else ("pass" if t.passed else "MISS")
        print(f"{t.figure:<{width}}  {measured:>9}  {t.target:>9}  {result}")


# --- For benchmarks/run --------------------------------------------------------------------


def speed_annotated(size_mb: float, spans: int) -> dict[str, float]:
    """The engines over an annotated article, as the window runs them on opening it: article B
    of benchmarks/window.py (text of a few dozen words, `spans` stored spans the engines learn
    from), stored in SQLite, through `propose_suggestions`."""
    import window

    from annotator.services.database import open_database
    from annotator.services.suggestions import propose_suggestions

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annotated.sqlite3"
        _a, b = window.build(path, size_mb, spans)
        db = open_database(path)
        try:
            t0 = time.perf_counter()
            for _ in propose_suggestions(db, document_ids=[b]):
                pass
            elapsed = time.perf_counter() - t0
        finally:
            db.dispose()
    return {"propose_s": elapsed, "spans": float(spans)}


def speed_annotated_news(text: str, published: str, spans: int, runs: int) -> dict[str, float]:
    """The engines over the news-like article once an annotator has annotated it, as the
    window runs them on opening it: its first `spans` proposals in text order (the article
    annotated from the top by accepting suggestions, as a user of the app does) stored as the
    annotator's spans, which the engines then learn from (names carried to the rest of the
    text), then proposed and stored as the window does it (`_window_steps`). Best of `runs`,
    each on a database of its own."""
    from annotator.domain.model import DocumentMeta, NewSpan
    from annotator.services.database import ensure_annotator, open_database
    from annotator.services.documents import add_document, list_labels

    title = text.split("\n", 1)[0]
    found = propose(DocumentContext(text=text, published=published, title=title), engines=ENGINES)
    chosen = sorted(found, key=lambda p: (p.start, p.end, p.label))[:spans]
    best = float("inf")
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            db = open_database(Path(tmp) / f"annotated-news-{run}.sqlite3")
            try:
                me = ensure_annotator(db, name="bench").id
                doc = add_document(db, text=text, meta=DocumentMeta(title, published=published))
                label_of = {label.name: label.id for label in list_labels(db)}
                with db.transaction() as repo:
                    repo.add_spans(
                        doc.id, [NewSpan(p.start, p.end, label_of[p.label], me) for p in chosen]
                    )
                took, _stored = _window_steps(db, doc.id, me)
                if sum(t[0] for t in took.values()) < best:
                    best = sum(t[0] for t in took.values())
                    steps = {f"{step}_s": wall for step, (wall, _cpu) in took.items()}
            finally:
                db.dispose()
    return {"total_s": best, **steps, "spans": float(len(chosen))}


def figures(size: str) -> list[Any]:
    """The propose speed on one big article (1 MB in the full run), against one regex pass over
    it: the speed figure of the Speed issue (quality is this script's own table)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _figures import Figure

    size_mb, runs = (1.0, 3) if size == "full" else (0.05, 1)
    corpus = load_corpus(KCNA)
    sources = [d for d in corpus if d.split in ("dev", "kcna")]
    big = big_article(sources, int(size_mb * 1_000_000), 2025)
    got = speed_propose(big, "2025-06-01", runs)
    steps = speed_window_steps(big, "2025-06-01", runs)
    floor = got["floor_regex_s"]
    what = f"one {size_mb:g} MB article"
    annotated = speed_annotated(size_mb, 10_000 if size == "full" else 300)
    news = speed_annotated_news(big, "2025-06-01", 10_000 if size == "full" else 300, runs)
    return [
        Figure(
            f"suggest over {what} annotated from the top ({news['spans']:,.0f} spans): "
            "proposed and stored as the window does (s)",
            news["total_s"],
            "s",
            floor,
            "one regex pass",
            max_value=2 * size_mb,
        ),
        Figure(
            f"suggest over {what} annotated from the top: proposing (s)", news["propose_s"], "s"
        ),
        Figure(
            f"suggest: propose on article B of benchmarks/window.py ({size_mb:g} MB) with its "
            f"{annotated['spans']:,.0f} spans (s)",
            annotated["propose_s"],
            "s",
            floor,
            "one regex pass over the news-like article",
            max_value=2 * size_mb,
        ),
        Figure(
            f"suggest: propose on {what} (s)",
            got["propose_s"],
            "s",
            floor,
            "one regex pass",
            max_value=2 * size_mb,
        ),
        Figure(f"suggest: propose on {what}, CPU time (s)", got["propose_cpu_s"], "s"),
        # What the annotator waits for after "Suggest in this document" (drawing aside).
        Figure(
            f"suggest over {what}: proposed and stored as the window does, nothing read back (s)",
            steps["total_s"],
            "s",
            floor,
            "one regex pass",
            max_value=2 * size_mb,
        ),
        *(
            Figure(
                f"suggest over {what}: {name}, CPU time (s)",
                steps[f"{step}_cpu_s"],
                "s",
            )
            for step, name in (
                ("total", "proposed and stored"),
                ("propose", "proposing (engines, reading the document)"),
                ("store", "storing its suggestions, handed to the window as stored"),
            )
        ),
    ]


# --- Main ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    parser.add_argument("--rotations", type=int, help="learning-curve rotations (default 6)")
    parser.add_argument("--size-mb", type=float, help="the big article's size (default 1.0)")
    parser.add_argument("--articles", type=int, help="articles of ~5 kB stored (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timing runs, best kept")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--kcna", type=Path, default=KCNA, help="the KCNA article's .txt")
    parser.add_argument("--skip-speed", action="store_true", help="quality figures only")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)
    rotations = args.rotations or (1 if args.quick else 6)
    size_mb = args.size_mb or (0.05 if args.quick else 1.0)
    articles = args.articles or (250 if args.quick else 10_000)
    runs = 1 if args.quick else args.runs

    corpus = load_corpus(args.kcna)
    splits = {
        "dev": [d for d in corpus if d.split == "dev"],
        "heldout": [d for d in corpus if d.split == "heldout"],
        "kcna": [d for d in corpus if d.split == "kcna"],
        "all": corpus,
    }
    titles = {
        "dev": "dev ({n} documents; the engines were tuned on these)",
        "heldout": "held-out ({n} documents; the engines were never tuned on these)",
        "kcna": "KCNA ({n} document; no publication date)",
        "all": "all ({n} documents)",
    }
    figures: dict[str, Any] = {"seed": args.seed, "quality": {}}
    targets: list[Target] = []
    evaluations: dict[str, Evaluation] = {}
    for split, docs in splits.items():
        if not docs:
            continue
        t0 = time.perf_counter()
        evaluations[split] = evaluate(docs)
        print_quality(titles[split].format(n=len(docs)), evaluations[split])
        print(f"({time.perf_counter() - t0:.2f} s)")
        figures["quality"][split] = quality_json(evaluations[split])
    for split in ("dev", "heldout", "all"):
        if split in evaluations:
            targets += quality_targets(split, evaluations[split])

    t0 = time.perf_counter()
    everywhere, heldout = learning_curve(corpus, rotations, args.seed)
    tested = len(corpus) - max(KS)
    print_curve(
        f"{rotations} rotation(s) of {len(corpus)} documents, tested on the {tested} after "
        "the first 4 of each",
        everywhere,
    )
    print_curve("the same, held-out documents only", heldout)
    print(f"({time.perf_counter() - t0:.1f} s)")
    figures["learning_curve"] = {
        "rotations": rotations,
        "all": curve_json(everywhere),
        "heldout": curve_json(heldout),
    }
    for name, curve in (("pool", everywhere), ("held-out", heldout)):
        if curve[2].documents:
            exact = curve[2].exact
            targets.append(at_least(f"{name}: ACTOR recall after 2 docs", exact.recall, 0.80))
            targets.append(at_least(f"{name}: ACTOR precision after 2 docs", exact.precision, 0.80))

    if not args.skip_speed:
        sources = splits["dev"] + splits["kcna"]
        figures["speed"] = speed(sources, size_mb, articles, runs, args, targets)

    print_summary(targets)
    figures["summary"] = [
        {"figure": t.figure, "measured": t.measured, "target": t.target, "passed": t.passed}
        for t in targets
    ]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
