"""Models that find actor names: one learned from the annotator's finished documents, or a
spaCy pipeline the user names.

The learned model is spaCy's blank English pipeline with a small NER component, trained on CPU
in seconds from a few documents (their sentences, with the ACTOR spans the annotator kept, the
span's kind as the entity label). It is deliberately small: the ACTOR engine runs it only over
the sentences where the rules are unsure, and a 1 MB article must not take much more than a
second. Training is deterministic for a seed and can be cancelled between iterations.

spaCy is imported when a model is trained, loaded or read back, never by the rules.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import regex

from annotator.domain.errors import AnnotatorError

Span = tuple[int, int, str | None]
"""An actor span in a text: start, end (code points, end exclusive) and kind or None."""

TrainingExample = tuple[str, Sequence[tuple[int, int, str | None]]]
"""A finished document: its text and its ACTOR spans as (start, end, kind)."""

_FORMAT = 1
_KIND_LABELS = {
    "person": "PERSON",
    "organization": "ORGANIZATION",
    "state": "STATE",
    "media": "MEDIA",
    "group": "GROUP",
}
_UNKNOWN_KIND = "ACTOR"
# Labels of spaCy's own pipelines (OntoNotes and WikiNER schemes) and ours, to our kinds. NORP
# (nationalities, "Russian"), LOC, FAC and the rest are not actors.
_PIPELINE_LABELS: dict[str, str | None] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    "ORGANIZATION": "organization",
    "GPE": "state",
    "STATE": "state",
    "MEDIA": "media",
    "GROUP": "group",
    _UNKNOWN_KIND: None,
}
_MEDIA_WORD = regex.compile(
    r"\b(?:News|Times|Post|Herald|Tribune|Journal|Gazette|Radio|Television|TV|Broadcasting|Press)\b"
)

# Small enough to train in seconds on CPU and to read ~100k words a second.
_NER_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 32,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [2000, 1000, 1000, 500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "depth": 2,
                "window_size": 1,
                "maxout_pieces": 2,
            },
        },
    }
}
_SENTENCE = regex.compile(r"[^\n]+?(?:[.!?][\"”’)]*(?=\s)|$)", regex.MULTILINE)


class TrainingCancelledError(AnnotatorError):
    """Training stopped because the user cancelled it; nothing was learned."""


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as error:  # pragma: no cover - spaCy is a dependency of the app
        raise AnnotatorError("learning actors needs spaCy, which is not installed") from error
    return spacy


class _PipelinePredictor:
    """Runs a spaCy pipeline over short texts and maps its entity labels to actor kinds."""

    def __init__(self, nlp: Any, version: str) -> None:
        self._nlp = nlp
        self._version = version

    @property
    def version(self) -> str:
        return self._version

    @property
    def nlp(self) -> Any:
        return self._nlp

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        """For each text, its actor spans as (start, end, kind), in that text's offsets."""
        results: list[list[Span]] = []
        for doc in self._nlp.pipe(texts, batch_size=64):
            spans: list[Span] = []
            for entity in doc.ents:
                label = entity.label_
                if label not in _PIPELINE_LABELS:
                    continue
                kind = _PIPELINE_LABELS[label]
                if kind == "organization" and _MEDIA_WORD.search(entity.text):
                    kind = "media"
                spans.append((entity.start_char, entity.end_char, kind))
            results.append(spans)
        return results


class LearnedActorModel(_PipelinePredictor):
    """A small NER model learned from finished documents.

    `version` changes whenever the training data, seed or settings change, so a stored model
    can be told stale.
    """

    def to_bytes(self) -> bytes:
        payload = {
            "format": _FORMAT,
            "version": self.version,
            "config": self.nlp.config.to_str(),
            "weights": self.nlp.to_bytes().hex(),
        }
        return json.dumps(payload).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedActorModel:
        """Read a model written by `to_bytes`; raises AnnotatorError if `data` is not one."""
        try:
            payload = json.loads(data.decode("utf-8"))
            if payload.get("format") != _FORMAT:
                raise AnnotatorError(
                    f"the stored actor model has format {payload.get('format')!r}, "
                    f"this version reads {_FORMAT}: train it again"
                )
            config_text, weights = payload["config"], bytes.fromhex(payload["weights"])
            version = str(payload["version"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise AnnotatorError(f"the stored actor model cannot be read: {error}") from error
        spacy = _spacy()
        config = spacy.util.load_config_from_str(config_text)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.from_bytes(weights)
        return cls(nlp, version)


def load_pipeline(name_or_path: str | Path) -> _PipelinePredictor:
    """A spaCy pipeline installed as a package ("en_core_web_sm") or saved to a folder, with
    the same `predict` as a learned model. Raises AnnotatorError if it cannot be loaded."""
    spacy = _spacy()
    try:
        nlp = spacy.load(name_or_path)
    except (OSError, ValueError, ImportError) as error:
        message = f"cannot load the spaCy pipeline {str(name_or_path)!r}: {error}"
        raise AnnotatorError(message) from error
    if "ner" not in nlp.pipe_names and not any(p.endswith("ner") for p in nlp.pipe_names):
        raise AnnotatorError(f"the spaCy pipeline {str(name_or_path)!r} has no NER component")
    meta = nlp.meta
    version = f"{meta.get('lang', '')}_{meta.get('name', 'pipeline')}-{meta.get('version', '')}"
    return _PipelinePredictor(nlp, version)


def _version(examples: Sequence[TrainingExample], seed: int, iterations: int) -> str:
    digest = hashlib.sha256()
    settings = {"format": _FORMAT, "seed": seed, "iterations": iterations, "ner": _NER_CONFIG}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for text, spans in examples:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(json.dumps(sorted((s, e, k or "") for s, e, k in spans)).encode())
    return digest.hexdigest()[:12]


def _sentences(
    text: str, spans: Iterable[tuple[int, int, str | None]]
) -> Iterable[tuple[str, list[tuple[int, int, str]]]]:
    """The text's sentences with the spans inside each, in the sentence's offsets. A span that
    crosses a sentence end keeps its sentence whole."""
    ordered = sorted(spans)
    bounds = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]
    merged: list[list[int]] = []
    for start, end in bounds:
        if merged and any(s < merged[-1][1] < e for s, e, _ in ordered):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    for start, end in merged:
        inside = [
            (s - start, e - start, _KIND_LABELS.get(k or "", _UNKNOWN_KIND))
            for s, e, k in ordered
            if start <= s and e <= end
        ]
        yield text[start:end], inside


def train_actor_model(
    examples: Sequence[TrainingExample],
    *,
    seed: int = 0,
    iterations: int = 15,
    cancelled: Callable[[], bool] | None = None,
) -> LearnedActorModel:
    """Learn actor names from finished documents: (text, [(start, end, kind)]) each.

    Deterministic for a seed. `cancelled` is asked between iterations; when it says yes,
    TrainingCancelledError is raised. Raises AnnotatorError when there is nothing to learn from.
    """
    spacy = _spacy()
    from spacy.training import Example

    if not any(spans for _, spans in examples):
        raise AnnotatorError("no finished document has an ACTOR span to learn from")
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config=_NER_CONFIG)
    training = []
    for text, spans in examples:
        for sentence, inside in _sentences(text, spans):
            doc = nlp.make_doc(sentence)
            entities = []
            for start, end, label in inside:
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    entities.append(span)
            try:
                doc.ents = spacy.util.filter_spans(entities)
            except ValueError:
                continue
            training.append(Example(nlp.make_doc(sentence), doc))
    optimizer = nlp.initialize(lambda: training)
    shuffler = random.Random(seed)
    for _ in range(iterations):
        if cancelled is not None and cancelled():
            raise TrainingCancelledError("training the actor model was cancelled")
        shuffler.shuffle(training)
        for batch in spacy.util.minibatch(training, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses={})
    return LearnedActorModel(nlp, _version(examples, seed, iterations))
