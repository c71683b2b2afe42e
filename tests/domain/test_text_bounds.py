"""Span bounds in the text: paired marks kept together by snapping, bounds moved by a word or a
character, a bound dragged to an offset."""

from __future__ import annotations

import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.text import Edge, drag_bound, move_bound, snap_to_words

FAMILY = "👩\u200d👩\u200d👧"
FLAG_DE = "🇩🇪"

# (opening, closing): every pair snapping keeps together.
PAIRS = [
    ("“", "”"),
    ("‘", "’"),
    ("«", "»"),
    ("„", "“"),
    ('"', '"'),
    ("(", ")"),
    ("[", "]"),
    ("{", "}"),
    ("「", "」"),
]


def snapped(text: str, start: int, end: int) -> str:
    s, e = snap_to_words(text, start, end)
    return text[s:e]


def between(text: str, first: str, last: str) -> tuple[int, int]:
    """A drag from the start of `first` to the end of `last` (the last occurrence)."""
    return text.index(first), text.rindex(last) + len(last)


# Paired marks: examples ----------------------------------------------------------------------


def test_the_closing_quote_of_a_quote_opened_inside_the_selection_is_kept():
    """The reported case: the opening mark was selected, snapping dropped the closing one."""
    text = "The minister said “the pact was signed in Valmora” on Monday."
    start, end = between(text, "said", "Valmora”")
    assert snapped(text, start, end) == "said “the pact was signed in Valmora”"


def test_the_closing_quote_comes_back_even_when_the_drag_stopped_short_of_it():
    text = "The minister said “the pact was signed in Valmora” on Monday."
    start, end = between(text, "said", "Valmo")
    assert snapped(text, start, end) == "said “the pact was signed in Valmora”"


@pytest.mark.parametrize(("opening", "closing"), PAIRS)
def test_every_kind_of_pair_is_kept_together_at_the_end(opening, closing):
    text = f"He said {opening}no deal{closing} and left"
    start, end = between(text, "said", "deal")
    assert snapped(text, start, end) == f"said {opening}no deal{closing}"


@pytest.mark.parametrize(("opening", "closing"), PAIRS)
def test_every_kind_of_pair_is_kept_together_at_the_start(opening, closing):
    text = f"He said {opening}no deal{closing} and left"
    start, end = between(text, "no", "and")
    assert snapped(text, start, end) == f"{opening}no deal{closing} and"


@pytest.mark.parametrize(("opening", "closing"), PAIRS)
def test_a_pair_wholly_at_the_edges_is_trimmed_whole(opening, closing):
    text = f"He said {opening}no deal{closing} and left"
    start, end = between(text, opening, closing)
    assert snapped(text, start, end) == "no deal"


@pytest.mark.parametrize(("opening", "closing"), PAIRS)
def test_a_mark_whose_partner_is_outside_is_trimmed_from_the_edge(opening, closing):
    text = f"He said {opening}no deal{closing} and left"
    # The closing mark selected, its opening one not: the mark goes.
    start, end = between(text, "deal", closing)
    assert snapped(text, start, end) == "deal"
    start, end = between(text, opening, "no")
    assert snapped(text, start, end) == "no"


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        # Punctuation between the word and the closing mark goes with the mark.
        ("She said “it is over.” Then", "said", "over", "said “it is over.”"),
        ("She said “it is over!”) Then", "said", "over", "said “it is over!”"),
        # Nested pairs close in order.
        ("it said (he “no”) later", "said", "no", "said (he “no”)"),
        ("a [see “Valmora”] b", "see", "Valmora", "see “Valmora”"),
        ("a [see “Valmora”] b", "Valmora", "b", "“Valmora”] b"),
        # German quotes: „ opens, “ closes.
        ("Er sagte „nie wieder“ und ging", "sagte", "wieder", "sagte „nie wieder“"),
        ("Er sagte „nie wieder“ und ging", "nie", "und", "„nie wieder“ und"),
        # Straight quotes: a " after a space opens, one after a word closes.
        ('she said "no comment" and left', "said", "comment", 'said "no comment"'),
        ('she said "no comment" and left', "comment", "and", 'comment" and'),
        # A partner beyond a space is not "right after": the mark stays inside, alone.
        ("said “the pact” was signed", "said", "pact", "said “the pact”"),
        ("said “the pact and more", "said", "pact", "said “the pact"),
        # A mismatched mark right after does not close.
        ("said (the pact] later", "said", "pact", "said (the pact"),
        # Apostrophes are not quotation marks.
        ("the Workers’ Party said", "Workers", "Party", "Workers’ Party"),
        ("the workers’ rights", "workers", "rights", "workers’ rights"),
        # Corner brackets in Japanese: each character stands alone, the brackets still pair.
        ("彼は「平和」と言った", "彼", "和", "彼は「平和」"),
    ],
)
def test_pairs_in_real_phrases(text, first, last, expected):
    start, end = between(text, first, last)
    assert snapped(text, start, end) == expected


# Paired marks: properties ----------------------------------------------------------------------

WORDS = ["a", "bc", "Xy", "12", "习", "e\u0301", FLAG_DE]
PUNCT = [".", ",", "!", "?", ";", "—", "-"]
QUOTES = [p for p in PAIRS if p[0] not in "([{"]
BRACKETS = [p for p in PAIRS if p[0] in "([{"]


@st.composite
def quoted_text(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """Words, spaces and punctuation with well-nested quotations and brackets in them: the text
    and where each pair's opening and closing marks are. One kind of quotation mark per text,
    so that the pairs are never ambiguous („“ next to “” would be)."""
    quote = draw(st.sampled_from(QUOTES))
    out: list[str] = []
    pairs: list[tuple[int, int]] = []

    def length() -> int:
        return sum(len(piece) for piece in out)

    def sequence(depth: int, inside: frozenset[str]) -> None:
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(["word", "word", "space", "punct", "group"]))
            if kind == "word":
                out.append(draw(st.sampled_from(WORDS)))
            elif kind == "space":
                out.append(" ")
            elif kind == "punct":
                out.append(draw(st.sampled_from(PUNCT)))
            elif depth < 3:
                opening, closing = draw(st.sampled_from([quote, *BRACKETS]))
                if opening == closing:
                    if opening in inside:
                        continue  # "" directly inside "" cannot be told apart
                    # A straight quote opens after a space and before a word (how it is read).
                    if out and not (out[-1].isspace() or out[-1][-1] in "([{“‘«„「"):
                        out.append(" ")
                o = length()
                out.append(opening)
                out.append(draw(st.sampled_from(WORDS)))
                sequence(depth + 1, inside | {opening})
                if out[-1].isspace():
                    out.pop()
                pairs.append((o, length()))
                out.append(closing)

    sequence(0, frozenset())
    return "".join(out), pairs


@st.composite
def quoted_text_and_selection(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], int, int]:
    text, pairs = draw(quoted_text())
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(0, len(text)))
    return text, pairs, a, b


def _only_punctuation(gap: str) -> bool:
    return all(unicodedata.category(ch)[0] == "P" for ch in gap)


PROPERTY_SETTINGS = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(quoted_text_and_selection())
def test_a_pair_is_never_split_across_a_snapped_edge_by_punctuation_alone(case):
    """No opening mark inside the span whose closing mark follows the end with nothing but a
    few punctuation marks between; the mirror at the start."""
    text, pairs, a, b = case
    s, e = snap_to_words(text, a, b)
    if s == e:
        return
    for o, c in pairs:
        if s <= o < e <= c and c + 1 - e <= 8:
            assert not _only_punctuation(text[e : c + 1]), (text, text[s:e], text[o : c + 1])
        if o < s <= c < e and s - o <= 8:
            assert not _only_punctuation(text[o:s]), (text, text[s:e], text[o : c + 1])


@PROPERTY_SETTINGS
@given(quoted_text_and_selection())
def test_no_mark_stands_alone_at_a_snapped_edge(case):
    """A mark at the span's edge has its partner inside the span."""
    text, pairs, a, b = case
    s, e = snap_to_words(text, a, b)
    if s == e:
        return
    for o, c in pairs:
        if o == s:
            assert c < e, (text, text[s:e])
        if c == e - 1:
            assert o >= s, (text, text[s:e])


@PROPERTY_SETTINGS
@given(quoted_text_and_selection())
def test_snapping_text_with_pairs_is_idempotent_and_keeps_the_selected_words(case):
    text, _, a, b = case
    s, e = snap_to_words(text, a, b)
    if s < e:
        assert snap_to_words(text, s, e) == (s, e), repr(text[s:e])
        # Every word character selected is still in the span.
        for i in range(min(a, b), max(a, b)):
            if text[i].isalnum():
                assert s <= i < e, (text, i, text[s:e])


# Moving a bound by a word or a character -------------------------------------------------------


def moved(text: str, span: str, edge: Edge, *, forward: bool, by_word: bool = True) -> str | None:
    start = text.index(span)
    result = move_bound(text, start, start + len(span), edge=edge, forward=forward, by_word=by_word)
    return None if result is None else text[result[0] : result[1]]


TEXT = "Officials in Port Aldren said “the pact was signed in Valmora.” on Monday."


@pytest.mark.parametrize(
    ("span", "edge", "forward", "expected"),
    [
        ("Port", Edge.END, True, "Port Aldren"),
        ("Port Aldren said", Edge.END, False, "Port Aldren"),
        ("Port Aldren", Edge.START, False, "in Port Aldren"),
        ("in Port Aldren", Edge.START, True, "Port Aldren"),
        # Over a quotation mark: the start takes the word behind it, and the mark with it.
        ("the pact", Edge.START, False, "said “the pact"),
        # Growing the end to the last word of a quotation takes the closing mark along.
        ("the pact was signed in", Edge.END, True, "the pact was signed in Valmora"),
        ("“the pact was signed in", Edge.END, True, "“the pact was signed in Valmora.”"),
        ("“the pact was signed in Valmora.”", Edge.END, False, "“the pact was signed in Valmora"),
        # A span of one word does not shrink to nothing, and the text's edges stop a bound.
        ("Port", Edge.END, False, None),
        ("Port", Edge.START, True, None),
        ("Officials", Edge.START, False, None),
        ("Monday.", Edge.END, True, None),
    ],
)
def test_a_bound_moves_by_a_word(span, edge, forward, expected):
    assert moved(TEXT, span, edge, forward=forward) == expected


@pytest.mark.parametrize(
    ("span", "edge", "forward", "expected"),
    [
        ("Valmora", Edge.END, True, "Valmora."),
        ("Valmora.", Edge.END, True, "Valmora.”"),
        ("Valmora", Edge.END, False, "Valmor"),
        ("Valmora", Edge.START, True, "almora"),
        ("Valmora", Edge.START, False, " Valmora"),
        ("V", Edge.END, False, None),
        ("V", Edge.START, True, None),
    ],
)
def test_a_bound_moves_by_a_character(span, edge, forward, expected):
    assert moved(TEXT, span, edge, forward=forward, by_word=False) == expected


@pytest.mark.parametrize("cluster", [FAMILY, FLAG_DE, "e\u0301"])
def test_a_bound_moves_over_a_whole_grapheme_cluster(cluster):
    text = f"ab{cluster}cd"
    at = text.index(cluster)
    assert move_bound(text, 0, at, edge=Edge.END, forward=True, by_word=False) == (
        0,
        at + len(cluster),
    )
    end = at + len(cluster)
    assert move_bound(text, 0, end, edge=Edge.END, forward=False, by_word=False) == (0, at)
    assert move_bound(text, end, len(text), edge=Edge.START, forward=False, by_word=False) == (
        at,
        len(text),
    )


def _boundaries(text: str) -> set[int]:
    return {0} | {m.end() for m in regex.finditer(r"\X", text, flags=regex.DOTALL)}


MOVE_PIECES = [*WORDS, " ", "  ", *PUNCT, "“", "”", "(", ")", FAMILY, "\n", "’"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MOVE_PIECES), min_size=1, max_size=30).map("".join), st.data())
def test_a_moved_bound_is_never_empty_and_lands_between_clusters(text, data):
    bounds = sorted(_boundaries(text))
    start = data.draw(st.sampled_from(bounds[:-1]))
    end = data.draw(st.sampled_from([b for b in bounds if b > start]))
    edge = data.draw(st.sampled_from(list(Edge)))
    forward = data.draw(st.booleans())
    by_word = data.draw(st.booleans())
    result = move_bound(text, start, end, edge=edge, forward=forward, by_word=by_word)
    if result is None:
        return
    s, e = result
    assert 0 <= s < e <= len(text)
    assert s in bounds and e in bounds
    # Only the bound asked for moves, and the way asked for.
    moving, fixed = (e, s) if edge is Edge.END else (s, e)
    assert fixed == (start if edge is Edge.END else end)
    old = end if edge is Edge.END else start
    assert (moving > old) if forward else (moving < old)


# Dragging a bound ------------------------------------------------------------------------------


def test_a_dragged_end_snaps_to_the_word_it_is_in_and_keeps_the_start():
    start = TEXT.index("Port")
    to = TEXT.index("Aldren") + 2
    assert drag_bound(TEXT, start, start + 4, edge=Edge.END, to=to, snap=True) == (
        start,
        start + len("Port Aldren"),
    )
    # Exact: where it was let go.
    assert drag_bound(TEXT, start, start + 4, edge=Edge.END, to=to, snap=False) == (start, to)


def test_a_dragged_start_snaps_and_takes_the_opening_mark_of_a_quote_it_closes():
    end = TEXT.index("Valmora.”") + len("Valmora.”")
    to = TEXT.index("the pact") + 1
    s, e = drag_bound(TEXT, end - 3, end, edge=Edge.START, to=to, snap=True)
    assert TEXT[s:e] == "“the pact was signed in Valmora.”"


def test_a_bound_dragged_past_the_other_stops_one_cluster_short():
    text = f"say {FAMILY} now"
    at = text.index(FAMILY)
    end = at + len(FAMILY)
    assert drag_bound(text, at, end, edge=Edge.END, to=0, snap=False) == (at, end)
    assert drag_bound(text, at, end, edge=Edge.START, to=len(text), snap=False) == (at, end)
    # Snapped, the one character left is widened to its word again.
    assert drag_bound(text, 0, 3, edge=Edge.END, to=0, snap=True) == (0, 3)
