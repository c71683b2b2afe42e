"""CoNLL-2003 style IOB2: seqeval reads what we write; peer IOB files read back; round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import claim_doc, make_doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report  # type: ignore[import-untyped]
from seqeval.metrics.sequence_labeling import get_entities  # type: ignore[import-untyped]

from annotator.domain.interchange import AnnotatedDocument, FormatProblem, ImportedDocument
from annotator.domain.tokens import tokenize
from annotator.formats import conll
from annotator.formats.registry import get_format


def read_all(path: Path) -> tuple[list[ImportedDocument], list[FormatProblem]]:
    docs: list[ImportedDocument] = []
    problems: list[FormatProblem] = []
    for item in conll.read(path):
        if isinstance(item, ImportedDocument):
            docs.append(item)
        else:
            problems.append(item)
    return docs, problems


def conll_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """The file as the CoNLL-2003 evaluation reads it: -DOCSTART- skipped, blank = break."""
    result: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-") or not line.strip():
            if current:
                result.append(current)
            current = []
            continue
        token, tag = line.split("\t")
        current.append((token, tag))
    if current:
        result.append(current)
    return result


def entity_quotes(path: Path) -> list[tuple[str, str]]:
    found = []
    for sentence in conll_sentences(path):
        tags = [tag for _, tag in sentence]
        for label, first, last in get_entities(tags):
            found.append((label, " ".join(tok for tok, _ in sentence[first : last + 1])))
    return found


TEXT = (
    "Kim Jong-un met the Workers’ Party on 3 May 2024. The U.S. Army said so!\n"
    "On Tuesday 👩‍👩‍👧 observers in 北京 left."
)


def at(quote: str, start_from: int = 0) -> tuple[int, int]:
    start = TEXT.index(quote, start_from)
    return start, start + len(quote)


def sample() -> AnnotatedDocument:
    return make_doc(
        TEXT,
        spans=[
            (*at("Kim Jong-un"), "ACTOR"),
            (*at("the Workers’ Party"), "ACTOR"),
            (*at("Workers’ Party"), "ACTOR"),  # nested in the one before: reported
            (*at("3 May 2024"), "DATE"),
            (*at("U.S. Army"), "ACTOR"),  # crosses a would-be sentence break after "U.S."
            (*at("Kim Jong-un met the Workers’ Party on 3 May 2024."), "CLAIM"),
            (*at("The U.S. Army said so!"), "CLAIM"),
            (*at("Tuesday"), "DATE"),
            (*at("👩‍👩‍👧 observers"), "ACTOR"),
            (*at("Jong"), "ACTOR"),  # not on token edges: reported
            (*at("京"), "ACTOR"),  # a CJK character is a token
            (*at("Army said"), "ACTOR"),  # overlaps U.S. Army: reported
        ],
    )


def test_seqeval_finds_exactly_the_carried_entities(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    report = conll.write([sample()], out)
    assert report.documents == 1 and report.spans == 7
    assert entity_quotes(out) == [
        ("ACTOR", "Kim Jong-un"),
        ("ACTOR", "the Workers’ Party"),
        ("DATE", "3 May 2024"),
        ("ACTOR", "U . S . Army"),
        ("DATE", "Tuesday"),
        ("ACTOR", "👩‍👩‍👧 observers"),
        ("ACTOR", "京"),
    ]
    tags = [[tag for _, tag in s] for s in conll_sentences(out)]
    text_report = classification_report(tags, tags, mode=None, zero_division=0)
    assert "ACTOR" in text_report and "DATE" in text_report and "CLAIM" not in text_report


def test_everything_left_out_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    report = conll.write([sample()], out)
    messages = [(p.origin, p.message) for p in report.problems]
    claims = [m for o, m in messages if "CLAIM" in m]
    assert claims == ["2 CLAIM spans not carried: CoNLL BIO holds only ACTOR and DATE"]
    assert sum("token edges" in m for _, m in messages) == 1
    nested = [(o, m) for o, m in messages if "nests in" in m]
    overlapping = [(o, m) for o, m in messages if "overlaps" in m]
    assert len(nested) == 1 and "'Workers’ Party'" in nested[0][0]
    assert len(overlapping) == 1 and "'Army said'" in overlapping[0][0]
    assert len(report.problems) == 4
    assert all("span" in o for o, m in messages if "CLAIM" not in m)


def test_layout_docstart_and_sentences(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    docs = [make_doc("Ana left. Bo came.", spans=[(0, 3, "ACTOR")]), make_doc("Hi.", doc_id=2)]
    seen: list[int] = []
    conll.write(docs, out, progress=seen.append)
    assert seen == [1, 2]
    assert out.read_text(encoding="utf-8") == (
        "-DOCSTART- -X- O O\n\n"
        "Ana\tB-ACTOR\nleft\tO\n.\tO\n\nBo\tO\ncame\tO\n.\tO\n\n"
        "-DOCSTART- -X- O O\n\n"
        "Hi\tO\n.\tO\n\n"
    )


def test_no_sentence_break_inside_a_span(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    conll.write([make_doc("Ana left.\nBo came. Cy", spans=[(4, 12, "DATE")])], out)
    assert entity_quotes(out) == [("DATE", "left . Bo")]
    assert len(conll_sentences(out)) == 2


def test_round_trip_of_token_aligned_spans(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    docs = [sample(), make_doc("Second: Bo in Paris.", spans=[(8, 10, "ACTOR")], doc_id=2)]
    conll.write(docs, out)
    back, problems = read_all(out)
    assert problems == []
    assert len(back) == 2
    first = back[0]
    assert first.text.split("\n")[0] == "Kim Jong-un met the Workers’ Party on 3 May 2024 ."
    assert [(s.label, s.quote) for s in first.spans] == [
        ("ACTOR", "Kim Jong-un"),
        ("ACTOR", "the Workers’ Party"),
        ("DATE", "3 May 2024"),
        ("ACTOR", "U . S . Army"),
        ("DATE", "Tuesday"),
        ("ACTOR", "👩‍👩‍👧 observers"),
        ("ACTOR", "京"),
    ]
    for span in first.spans:
        assert first.text[span.start : span.end] == span.quote
    assert [(s.label, s.quote) for s in back[1].spans] == [("ACTOR", "Bo")]


IOB = Path("peers/spacy/extra/example_data/ner_example_data")


@pytest.mark.parametrize(
    "name", ["ner-token-per-line.iob", "ner-token-per-line-conll2003.iob", "ner-sent-per-line.iob"]
)
def test_spacy_iob_examples(shared: Path, name: str) -> None:
    docs, problems = read_all(shared / IOB / name)
    assert problems == [] and len(docs) == 1
    doc = docs[0]
    assert [(s.label, s.quote) for s in doc.spans] == [
        ("PERSON", "Sebastian Thrun"),
        ("ORG", "Google"),
        ("DATE", "2007"),
        ("NORP", "American"),
        ("PERSON", "Thrun"),
        ("ORG", "Recode"),
        ("DATE", "earlier this week"),
    ]
    assert doc.text.startswith("When Sebastian Thrun started working on self - driving cars")
    assert conll.sniff(shared / IOB / name)


def test_doccano_conll_files(shared: Path) -> None:
    base = shared / "peers/doccano/data_import"
    docs, problems = read_all(base / "tests/data/sequence_labeling/example.conll")
    assert problems == [] and [(s.label, s.quote) for s in docs[0].spans] == [
        ("LOC", "JAPAN"),
        ("PER", "Nadim Ladki"),
    ]
    assert docs[0].text == "JAPAN GET\nNadim Ladki"
    docs, problems = read_all(base / "pipeline/examples/sequence_labeling/example.txt")
    assert problems == [] and len(docs[0].spans) == 4  # one or two spaces between the columns
    docs, problems = read_all(base / "tests/data/sequence_labeling/labeling.invalid.conll")
    assert len(problems) == 1 and problems[0].origin.endswith("labeling.invalid.conll:1")
    assert len(docs[0].spans) == 5
    docs, problems = read_all(base / "tests/data/sequence_labeling/labeling.trailing.conll")
    assert problems == [] and len(docs) == 1 and len(docs[0].spans) == 2


def test_iob1_and_bioes_variants(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bio"
    path.write_text(
        "A\tI-PER\nB\tI-PER\nC\tI-ORG\nD\tO\nE\tI-LOC\n\n"
        "F\tS-PER\nG\tB-ORG\nH\tE-ORG\nI\tU-LOC\nJ\tB-PER\nK\tL-PER\n\nL\tI-PER\n",
        encoding="utf-8",
    )
    docs, problems = read_all(path)
    assert problems == []
    assert [(s.label, s.quote) for s in docs[0].spans] == [
        ("PER", "A B"),
        ("ORG", "C"),
        ("LOC", "E"),
        ("PER", "F"),
        ("ORG", "G H"),
        ("LOC", "I"),
        ("PER", "J K"),
        ("PER", "L"),
    ]


def test_registry_and_sniff(tmp_path: Path) -> None:
    assert get_format("conll").load() is conll
    path = tmp_path / "x.conll"
    path.write_text("not a conll file at all\n", encoding="utf-8")
    assert not conll.sniff(path)


WORDS = ["Ana", "Bo", "Jong-un", "3,000", "👩‍👩‍👧", "北", ".", ",", "!", "é", "🇰🇵"]
SEPARATORS = [" ", "  ", "\n", "\u00a0", " ", " "]


@st.composite
def aligned(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    pieces = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=20))
    text = ""
    for n, piece in enumerate(pieces):
        text += (draw(st.sampled_from(SEPARATORS)) if n else "") + piece
    tokens = tokenize(text)
    spans = []
    used_until = -1
    for _ in range(draw(st.integers(0, 4))):
        first = draw(st.integers(0, len(tokens) - 1))
        last = draw(st.integers(first, min(len(tokens) - 1, first + 3)))
        if first <= used_until:
            continue
        used_until = last
        spans.append((tokens[first][0], tokens[last][1], draw(st.sampled_from(["ACTOR", "DATE"]))))
    return text, spans


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(aligned())
def test_round_trip_property(tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, spans = case
    out = tmp_path / "rt.conll"
    report = conll.write([make_doc(text, spans=spans)], out)
    assert report.problems == []
    back, problems = read_all(out)
    assert problems == []
    tokens = tokenize(text)
    assert back[0].text.split() == [text[s:e] for s, e in tokens]
    expected = [(label, " ".join(text[s:e] for s, e in tokens if a <= s and e <= b))
                for a, b, label in sorted(spans)]  # fmt: skip
    assert [(s.label, s.quote) for s in back[0].spans] == expected


def test_relations_and_actor_links_are_reported_as_not_carried(tmp_path: Path) -> None:
    report = conll.write([claim_doc()], tmp_path / "c.conll")
    messages = [p.message for p in report.problems]
    assert "5 relations not carried: CoNLL BIO has no links" in messages
    assert any(m.startswith("3 actor links not carried") for m in messages)
    assert any(m.startswith("2 CLAIM spans not carried") for m in messages)


def test_a_file_that_is_not_utf8_is_refused_whole(tmp_path: Path) -> None:
    # The bad byte comes after a whole first document: still nothing of the file is taken.
    path = tmp_path / "latin1.conll"
    path.write_bytes(b"-DOCSTART- O\n\nAna B-ACTOR\nsaid O\n\n-DOCSTART- O\n\nJos\xe9 B-ACTOR\n")
    docs, problems = read_all(path)
    assert docs == []
    (problem,) = problems
    assert problem.origin == str(path) and "byte 0xe9 at byte offset 51, line 8" in problem.message
