"""A seeded mutation fuzzer over every importer, run in a child process with limits.

    python fuzz_importers.py WORKDIR SEED ROUNDS SECONDS_PER_FILE [FORMAT,FORMAT...]

Writes one small valid file per importer (native, doccano, Label Studio, W3C, brat, UIMA CAS
XMI and its type system, CoNLL, spaCy DocBin, and the article readers: text, JSON, CSV, HTML)
with the formats' own writers, then ROUNDS times per importer mutates it (flipped and cut
bytes, spliced slices, and hostile tokens: long digit runs, deep nesting, huge integers, lone
surrogate escapes, invalid UTF-8, a list as a type; for XML entity declarations, references
and huge offsets; for CoNLL thousands of columns and very long lines; for DocBin msgpack
headers claiming gigabytes, mutated both in the zlib stream and in the msgpack inside it) and
reads it. What a reader may do: yield documents and problems, or raise an AnnotatorError.
Anything else, a read longer than SECONDS_PER_FILE, or a yielded string that no database can
store (a lone surrogate) is printed as a FAIL line; the exit status is the number of failures
(capped). A comma-separated list of seed names (native, xmi, conll, spacy, articles-json...)
limits the run to those. The caller sets the memory limit (resource.setrlimit) and a
wall-clock timeout.
"""

from __future__ import annotations

import random
import signal
import sys
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import claim_doc, make_doc

from annotator.domain.errors import AnnotatorError
from annotator.domain.interchange import ImportedDocument
from annotator.domain.sources import Refusal
from annotator.formats import (
    brat,
    conll,
    doccano,
    label_studio,
    native,
    spacy_docbin,
    w3c,
    xmi,
)
from annotator.formats.sources import read_source

HOSTILE: tuple[bytes, ...] = (
    b"9" * 5000,
    b"-" + b"1" * 40,
    b"18446744073709551616",
    b"1e99999",
    b"NaN",
    b"[" * 20000,
    b"{" * 3000,
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b"\\ud800",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\xc3",
    b'["labels", "choices"]',
    b'{"type": ["labels"]}',
    b"null",
    b"\x00",
    b"\r\n",
    b"\xef\xbb\xbf",
)


XML_HOSTILE: tuple[bytes, ...] = (
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b"&a;",
    b"&e;",
    b"<!-- <a -->",
    b"<a>" * 3000,
    b' begin="99999999999999999999999"',
    b' end="-7"',
    b' sofa="424242"',
    b' xmi:id="1"',
    b' Governor="999999"',
    b"&#0;",
    b"&#xD800;",
    b"<![CDATA[",
    b"]]>",
    b'<?xml version="1.0" encoding="UTF-16"?>',
    b"9" * 5000,
    b"\xff",
    b"\xc3",
    b"\x00",
)
CONLL_HOSTILE: tuple[bytes, ...] = (
    b"\t" * 20000,
    b"x\tO" * 5000,
    b"B-",
    b"I-ACTOR",
    b"E-DATE",
    b"\n-DOCSTART-\n",
    b"|",
    b"a|B|B-X b|I|I-X",
    b"x" * 200_000,
    b"#",
    b"\r",
    b"\n\n\n",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\x00",
)
MSGPACK_HOSTILE: tuple[bytes, ...] = (
    b"\xdd\xff\xff\xff\xff",  # an array of 4 billion items
    b"\xdd\x00\x0f\xff\xff" + b"\xc0" * 1000,
    b"\xc6\xff\xff\xff\xff",  # 4 GiB of binary data
    b"\xc6\x00\x0f\xff\xff",
    b"\xdf\xff\xff\xff\xff",  # a map of 4 billion pairs
    b"\xdb\xff\xff\xff\xff",  # a string of 4 GiB
    b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00",
    b"\xd2\xff\xff\xff\xff",
    b"\xff\xff\xff\x7f",
    b"\x00\x00\x00\x80",
    b"\xc1",
    b"\xc0",
    b"\x90",
    b"\x80",
    b"\xd4\x01\x00",
    b"\xc7\xff\x05",
    b"\x91" * 5000,
    b"\xa2nd",
)


class FileTimeoutError(Exception):
    pass


Seeds = dict[str, tuple[Path, Callable[[Path], Iterator[Any]], tuple[bytes, ...]]]


def _seeds(folder: Path, formats: set[str] | None = None) -> Seeds:
    docs = [
        claim_doc(),
        make_doc("Ana met Bo in Seoul. 😀 ok", spans=[(0, 3, "ACTOR"), (8, 10, "ACTOR")]),
    ]
    seeds: Seeds = {}
    for name, module, file in (
        ("native", native, "seed.jsonl"),
        ("doccano", doccano, "seed.doccano.jsonl"),
        ("label-studio", label_studio, "seed.json"),
        ("w3c", w3c, "seed.jsonld"),
    ):
        path = folder / file
        module.write(docs, path)
        seeds[name] = (path, module.read, HOSTILE)
    brat.write(docs, folder / "brat")
    ann = sorted((folder / "brat").rglob("*.ann"))[0]
    seeds["brat"] = (ann, brat.read, HOSTILE)
    articles = {
        "text": ("seed.txt", "Title line\n\nPyongyang, 5 May 2024. Some text 😀.\n"),
        "json": ("seed.json", '[{"title": "T", "text": "Some text here.", "date": 12}]\n'),
        "csv": ("seed.csv", 'title,text\nT,"Some text, 12 here"\n'),
        "html": ("seed.html", "<html><head><title>T</title></head><body><p>A b.</p></body>"),
    }
    for kind, (file, content) in articles.items():
        path = folder / "articles" / file
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")

        def read(p: Path, name: str = file) -> Iterator[Any]:
            return read_source(name, p.read_bytes())

        seeds[f"articles-{kind}"] = (path, read, HOSTILE)
    _more_seeds(folder, docs, seeds)
    if formats is not None:
        seeds = {k: v for k, v in seeds.items() if k in formats}
    return seeds


def _more_seeds(folder: Path, docs: list[Any], seeds: Seeds) -> None:
    """XMI (a document and its type system), CoNLL and spaCy DocBin, by their own writers."""
    xmi.write(docs, folder / "xmi")
    document = sorted((folder / "xmi").glob("*.xmi"))[0]
    seeds["xmi"] = (document, xmi.read, XML_HOSTILE)
    seeds["xmi-typesystem"] = (
        folder / "xmi" / xmi.TYPE_SYSTEM_FILE,
        lambda p, doc=document: xmi.read(doc),
        XML_HOSTILE,
    )
    conll.write(docs, folder / "seed.conll")
    seeds["conll"] = (folder / "seed.conll", conll.read, CONLL_HOSTILE)
    spacy_docbin.write(docs, folder / "seed.spacy")
    seeds["spacy"] = (folder / "seed.spacy", spacy_docbin.read, MSGPACK_HOSTILE)
    # The same DocBin with its msgpack mutated before compression: most raw mutations only
    # break the zlib stream.
    inflated = folder / "seed.spacy.msgpack"
    inflated.write_bytes(zlib.decompress((folder / "seed.spacy").read_bytes()))

    def read_inflated(p: Path) -> Iterator[Any]:
        out = p.with_suffix("")
        out.write_bytes(zlib.compress(p.read_bytes()))
        return spacy_docbin.read(out)

    seeds["spacy-msgpack"] = (inflated, read_inflated, MSGPACK_HOSTILE)


def _mutate(data: bytes, rng: random.Random, hostile: tuple[bytes, ...] = HOSTILE) -> bytes:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(data))
        choice = rng.random()
        if choice < 0.45:
            token = rng.choice(hostile)
            if rng.random() < 0.5 and data[:at].count(b"[") > 0:
                # Replace the value after a key or a comma near `at`: keeps JSON mostly valid.
                colon = data.find(b":", at)
                if colon != -1:
                    end = colon + 1
                    while end < len(data) and data[end : end + 1] not in b",}]":
                        end += 1
                    data = data[: colon + 1] + b" " + token + data[end:]
                    continue
            data = data[:at] + token + data[at:]
        elif choice < 0.65:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif choice < 0.8:
            data = data[:at]
        else:
            start = rng.randint(0, len(data))
            data = data[:at] + data[start : start + rng.randint(1, 200)] + data[at:]
    return data


def _check_strings(item: object) -> None:
    """Everything a reader yields must be storable: no lone surrogates in its strings."""
    if isinstance(item, ImportedDocument):
        strings = [item.text, item.meta.title, *[s.label for s in item.spans]]
    elif isinstance(item, Refusal):
        strings = []
    else:
        return
    for string in strings:
        string.encode("utf-8")


def _alarm(_signum: int, _frame: object) -> None:
    raise FileTimeoutError


def main() -> int:
    workdir, seed, rounds, seconds = (
        Path(sys.argv[1]),
        int(sys.argv[2]),
        int(sys.argv[3]),
        float(sys.argv[4]),
    )
    formats = set(sys.argv[5].split(",")) if len(sys.argv) > 5 else None
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(seed)
    failures = 0
    runs = 0
    slowest = (0.0, "")
    for name, (path, reader, hostile) in _seeds(workdir, formats).items():
        original = path.read_bytes()
        for n in range(rounds):
            mutated = _mutate(original, rng, hostile)
            path.write_bytes(mutated)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            began = time.monotonic()
            try:
                for item in reader(path):
                    _check_strings(item)
            except AnnotatorError:
                pass
            except FileTimeoutError:
                failures += 1
                print(f"FAIL {name} round {n}: longer than {seconds} s", flush=True)
                (workdir / f"fail-{name}-{n}.bin").write_bytes(mutated)
            except BaseException:
                failures += 1
                print(f"FAIL {name} round {n}: {traceback.format_exc(limit=-3)}", flush=True)
                (workdir / f"fail-{name}-{n}.bin").write_bytes(mutated)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            slowest = max(slowest, (time.monotonic() - began, f"{name} round {n}"))
            runs += 1
        path.write_bytes(original)
    print(f"{runs} files read, {failures} failures; slowest {slowest[1]}: {slowest[0]:.2f} s")
    return min(failures, 100)


if __name__ == "__main__":
    sys.exit(main())
