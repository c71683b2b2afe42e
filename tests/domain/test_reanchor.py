"""Re-anchoring the KCNA gold's spans in edited versions of the article: inserted paragraphs,
typo fixes inside and next to spans, deleted sentences and reordered paragraphs. Each span lands
where the edit put it, or is listed as unplaced; none is dropped or moved silently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.reanchor import Anchor, Placement, Reanchored, reanchor


@dataclass(frozen=True)
class Gold:
    text: str
    anchors: list[Anchor]


@pytest.fixture
def gold(shared: Path) -> Gold:
    corpus = shared / "corpus"
    text = (corpus / "kcna-car-gift.txt").read_text(encoding="utf-8")
    spans = json.loads((corpus / "kcna-car-gift.gold.json").read_text(encoding="utf-8"))["spans"]
    anchors = [Anchor(s["start"], s["end"], s["quote"]) for s in spans]
    assert all(text[a.start : a.end] == a.quote for a in anchors)
    return Gold(text, anchors)


def assert_placed_at(result: Reanchored, start: int, end: int, new: str) -> None:
    assert result.placement is Placement.PLACED, (result.anchor.quote, result.reason)
    assert (result.start, result.end) == (start, end), result.anchor.quote
    assert result.quote == result.anchor.quote == new[start:end]


# --- Inserted paragraphs ----------------------------------------------------------------------

INSERTED = (
    "Separately, Moscow and Pyongyang announced new flights; Putin and Kim Jong-un were not named "
    "in that report, which KCNA carried on February 19.\n"
)


@pytest.mark.parametrize("paragraph", [0, 1, 2, 3, 4])
def test_an_inserted_paragraph_shifts_every_span_exactly(gold: Gold, paragraph: int) -> None:
    # The inserted paragraph repeats names the spans quote, so a search by quote alone would err.
    starts = [0] + [i + 1 for i, ch in enumerate(gold.text) if ch == "\n"] + [len(gold.text)]
    at = starts[paragraph]
    insert = INSERTED if at < len(gold.text) else "\n" + INSERTED.rstrip("\n")
    new = gold.text[:at] + insert + gold.text[at:]

    results = reanchor(gold.text, new, gold.anchors)

    for result in results:
        shift = len(insert) if result.anchor.start >= at else 0
        assert_placed_at(result, result.anchor.start + shift, result.anchor.end + shift, new)


# --- Typo fixes -------------------------------------------------------------------------------


def with_typo(gold: Gold, at: int) -> tuple[str, list[Anchor]]:
    """The gold text with the character at `at` missing, and the gold spans in that text: the
    version before the typo was fixed."""
    old = gold.text[:at] + gold.text[at + 1 :]
    anchors = []
    for a in gold.anchors:
        start = a.start - 1 if a.start > at else a.start
        end = a.end - 1 if a.end > at else a.end
        anchors.append(Anchor(start, end, old[start:end]))
    return old, anchors


def test_a_typo_fixed_inside_spans_updates_their_quotes_and_flags_them(gold: Gold) -> None:
    at = gold.text.index("Vladimir") + len("Vladim")  # "Vladimr Putin" becomes "Vladimir Putin"
    old, anchors = with_typo(gold, at)
    assert "Vladimr Putin" in old

    results = reanchor(old, gold.text, anchors)

    changed = 0
    for result, target in zip(results, gold.anchors, strict=True):
        if target.start <= at < target.end:
            # The actor and the claim that contains it: placed, the quote corrected, flagged.
            assert result.placement is Placement.CHANGED, result.reason
            assert (result.start, result.end, result.quote) == (
                target.start,
                target.end,
                target.quote,
            )
            assert result.anchor.quote != target.quote
            assert 0.8 <= result.confidence < 1.0
            changed += 1
        else:
            assert_placed_at(result, target.start, target.end, gold.text)
    assert changed == 2


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("the Korean Central", "th Korean Central"),  # just before "Korean Central News Agency"
        ("Moscow and Pyongyang, a", "Moscow nd Pyongyang, a"),  # between two spans
        ("Pyongyang, a dynamic", "Pyongyang a dynamic"),  # the character right after a span
        ("Park Chong Chon, another", "Park Chong Chon, anther"),  # two words after a span
    ],
)
def test_a_typo_fixed_next_to_a_span_leaves_it_placed_unchanged(
    gold: Gold, before: str, after: str
) -> None:
    at = gold.text.index(before) + next(
        i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y
    )
    old, anchors = with_typo(gold, at)
    assert after in old
    assert not any(a.start <= at < a.end for a in gold.anchors), "the typo must be outside spans"

    results = reanchor(old, gold.text, anchors)

    for result, target in zip(results, gold.anchors, strict=True):
        assert_placed_at(result, target.start, target.end, gold.text)


# --- Deleted sentences ------------------------------------------------------------------------

DELETED = [
    "The gift was received on February 18 by Kim Yo Jong, who serves as a high-ranking official "
    "in the Workers’ Party of Korea and who acts as a key liaison within the North Korean "
    "leadership. ",
    "Also present in the exchange was Park Chong Chon, another senior figure within the WPK "
    "Central Committee. ",
]


def test_spans_in_deleted_sentences_are_unplaced_and_the_others_placed(gold: Gold) -> None:
    ranges = []
    new = gold.text
    for sentence in DELETED:
        at = gold.text.index(sentence)
        ranges.append((at, at + len(sentence)))
        new = new.replace(sentence, "")

    def new_offset(pos: int) -> int:
        return pos - sum(e - s for s, e in ranges if e <= pos)

    results = reanchor(gold.text, new, gold.anchors)

    unplaced = []
    for result in results:
        a = result.anchor
        inside = any(s <= a.start and a.end <= e for s, e in ranges)
        assert inside or not any(s < a.end and a.start < e for s, e in ranges), "partial overlap"
        if inside:
            # "Kim Yo Jong" still occurs in the next sentence: it must not jump there.
            assert result.placement is Placement.UNPLACED, (a.quote, result.start)
            assert (result.start, result.end, result.quote) == (None, None, None)
            assert result.reason
            unplaced.append(a.quote)
        else:
            assert_placed_at(result, new_offset(a.start), new_offset(a.end), new)
    assert sorted(unplaced) == sorted(
        [
            "The gift was received on February 18 by Kim Yo Jong",
            "February 18",
            "Kim Yo Jong",
            "Workers’ Party of Korea",
            "Park Chong Chon",
            "WPK Central Committee",
        ]
    )


# --- Reordered paragraphs ---------------------------------------------------------------------


@pytest.mark.parametrize("order", [(3, 1, 0, 2), (1, 0, 2, 3), (0, 2, 1, 3), (3, 2, 1, 0)])
def test_spans_follow_their_paragraphs_when_paragraphs_are_reordered(
    gold: Gold, order: tuple[int, ...]
) -> None:
    paragraphs = gold.text.split("\n")
    assert len(paragraphs) == len(order)
    old_starts = _starts(paragraphs)
    reordered = [paragraphs[i] for i in order]
    new = "\n".join(reordered)
    new_starts = dict(zip(order, _starts(reordered), strict=True))

    results = reanchor(gold.text, new, gold.anchors)

    for result in results:
        a = result.anchor
        index = max(i for i, s in enumerate(old_starts) if s <= a.start)
        shift = new_starts[index] - old_starts[index]
        assert_placed_at(result, a.start + shift, a.end + shift, new)


def _starts(paragraphs: list[str]) -> list[int]:
    starts, at = [], 0
    for p in paragraphs:
        starts.append(at)
        at += len(p) + 1
    return starts


# --- Report -----------------------------------------------------------------------------------


def test_a_quote_rewritten_beyond_recognition_is_unplaced_not_moved(gold: Gold) -> None:
    a = next(x for x in gold.anchors if x.quote == "Park Chong Chon")
    new = gold.text.replace("Park Chong Chon", "a deputy")

    result = reanchor(gold.text, new, [a])[0]

    assert result.placement is Placement.UNPLACED
    assert "quote" in result.reason


def test_an_anchor_that_does_not_quote_the_old_text_is_a_bug() -> None:
    with pytest.raises(ValueError, match="does not quote"):
        reanchor("abc def", "abc def", [Anchor(0, 3, "xyz")])


# --- Properties -------------------------------------------------------------------------------

TEXTS = st.text(alphabet="abcde \n.", min_size=1, max_size=300)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, Anchor]:
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, Anchor(start, end, text[start:end])


@settings(max_examples=200, deadline=None)
@given(text_and_span())
def test_without_an_edit_every_span_maps_to_itself(case: tuple[str, Anchor]) -> None:
    text, anchor = case
    result = reanchor(text, text, [anchor])[0]
    assert_placed_at(result, anchor.start, anchor.end, text)
    assert result.confidence == 1.0


@settings(max_examples=200, deadline=None)
@given(text_and_span(), st.text(alphabet="abcdexyz \n", min_size=1, max_size=80), st.booleans())
def test_an_insertion_far_from_a_span_shifts_it_exactly(
    case: tuple[str, Anchor], insert: str, before: bool
) -> None:
    text, anchor = case
    gap = 40  # beyond the context that is compared
    if before:
        if anchor.start < gap:
            text = "q" * gap + text
            anchor = Anchor(anchor.start + gap, anchor.end + gap, anchor.quote)
        at = anchor.start - gap
    else:
        text = text + "q" * gap
        at = anchor.end + gap
    # Marks the text never has make the insertion's place unambiguous.
    new = text[:at] + "[" + insert + "]" + text[at:]

    result = reanchor(text, new, [anchor])[0]

    shift = len(insert) + 2 if before else 0
    assert_placed_at(result, anchor.start + shift, anchor.end + shift, new)


@settings(max_examples=200, deadline=None)
@given(
    text_and_span(),
    st.integers(0, 300),
    st.integers(0, 30),
    st.text(alphabet="abcxyz \n", max_size=30),
)
def test_any_edit_places_a_span_on_its_quote_or_lists_it(
    case: tuple[str, Anchor], at: int, cut: int, insert: str
) -> None:
    text, anchor = case
    at = min(at, len(text))
    new = text[:at] + insert + text[at + cut :]

    result = reanchor(text, new, [anchor])[0]

    if result.placement is Placement.UNPLACED:
        assert result.start is None and result.quote is None and result.reason
    else:
        assert result.start is not None and result.end is not None
        assert 0 <= result.start < result.end <= len(new)
        assert result.quote == new[result.start : result.end]
        assert (result.placement is Placement.PLACED) == (result.quote == anchor.quote)


# --- Repetitive articles ----------------------------------------------------------------------
def test_spans_in_a_repeated_long_paragraph_with_scattered_typos_stay_placed(gold: Gold) -> None:
    # One long paragraph (the article without its line breaks) three times over, as a
    # boilerplate paragraph repeats; a few one-letter edits in each copy, away from the spans.
    paragraph = gold.text.replace("\n", " ")
    step = len(paragraph) + 2
    old = "\n\n".join([paragraph] * 3)
    anchors = [
        Anchor(a.start + k * step, a.end + k * step, a.quote)
        for k in range(3)
        for a in gold.anchors
    ]
    covered = [(a.start - 40, a.end + 40) for a in anchors]
    free = [
        at
        for at in range(len(old))
        if old[at].isalpha() and not any(s <= at < e for s, e in covered)
    ]
    edits = [free[len(free) * n // 30] for n in range(1, 30)]  # about ten a copy
    assert len({e // step for e in edits}) == 3  # each copy edited
    chars = list(old)
    for at in edits:
        chars[at] = "q" if chars[at] != "q" else "z"
    new = "".join(chars)
    results = reanchor(old, new, anchors)
    for result in results:
        assert_placed_at(result, result.anchor.start, result.anchor.end, new)


def test_a_quote_found_many_times_is_placed_where_its_context_moved(gold: Gold) -> None:
    # "the council" in fifty paragraphs; the one marked moves from the start to the end.
    filler = [
        f"Item {n}: the council met on day {n} and spoke of matter {n * 7}." for n in range(50)
    ]
    marked = "Quite apart from that, the council kept its own counsel on the harbour wall."
    old = "\n".join([marked, *filler])
    new = "\n".join([*filler, marked])
    start = old.index("the council")
    (result,) = reanchor(old, new, [Anchor(start, start + len("the council"), "the council")])
    at = new.index("the council", new.index("Quite apart"))
    assert_placed_at(result, at, at + len("the council"), new)
