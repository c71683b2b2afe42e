"""The text-and-offsets contract: word snapping, grapheme edges, line ends, span checks, hashes."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.errors import InvalidSpanError
from annotator.domain.text import (
    SNAP_REACH,
    check_span,
    grapheme_ceil,
    grapheme_floor,
    normalise_newlines,
    sha256_of,
    snap_to_words,
)

FAMILY = "👩\u200d👩\u200d👧"  # woman, ZWJ, woman, ZWJ, girl: one cluster of five code points
FLAG_DE = "🇩🇪"  # two regional indicators
THUMBS_MEDIUM = "👍🏽"  # emoji + skin-tone modifier
E_ACUTE_NFD = "e\u0301"  # e + combining acute accent


def grapheme_boundaries(text: str) -> set[int]:
    """Every offset between two grapheme clusters of the whole text (UAX #29, via `regex`)."""
    bounds = {0}
    for m in regex.finditer(r"\X", text, flags=regex.DOTALL):
        bounds.add(m.end())
    return bounds


def snapped(text: str, start: int, end: int) -> str:
    s, e = snap_to_words(text, start, end)
    return text[s:e]


def select(text: str, needle: str, *, inner: tuple[int, int] | None = None) -> tuple[int, int]:
    """Offsets of `needle` in `text`, or of `needle[inner[0]:inner[1]]` (a drag inside it)."""
    at = text.index(needle)
    if inner is None:
        return at, at + len(needle)
    return at + inner[0], at + inner[1]


# Snapping on real phrases ---------------------------------------------------------------------

WIDENING_CASES = [
    # (text, the phrase the drag happens in, part of it dragged over, expected result)
    ("North Korea's leader Kim Jong-un said on Monday", "Jong-un", (1, 3), "Jong-un"),
    ("North Korea's leader Kim Jong-un said on Monday", "Kim Jong-un", (1, 6), "Kim Jong-un"),
    ("a congress of the Workers’ Party of Korea", "Workers’ Party", (2, 11), "Workers’ Party"),
    ("a congress of the Workers’ Party of Korea", "Workers’ Party", (0, 14), "Workers’ Party"),
    ("the U.S. said on Friday", "U.S.", (0, 1), "U.S."),
    ("sanctions imposed by the U.S. on Friday", "U.S.", (2, 3), "U.S."),
    ("sanctions imposed by the U.S.", "U.S.", (0, 3), "U.S."),
    ("about 3,000 people marched", "3,000", (3, 4), "3,000"),
    ("Ms Merkel said that", "Merkel", (2, 4), "Merkel"),
    ("Zoe\u0308 Kravitz attended", "Zoe\u0308", (0, 2), "Zoe\u0308"),
]


@pytest.mark.parametrize(("text", "phrase", "inner", "expected"), WIDENING_CASES)
def test_a_drag_inside_a_word_widens_to_the_whole_word(text, phrase, inner, expected):
    start, end = select(text, phrase, inner=inner)
    assert snapped(text, start, end) == expected


TRIMMING_CASES = [
    ("  Putin, ", "  Putin, ", "Putin"),
    ("Russia's president,  Putin, said", ",  Putin, ", "Putin"),
    ("he called it “a historic day” on Tuesday", "“a historic day”", "a historic day"),
    ("he called it “a historic day” on Tuesday", " “a historic day” ", "a historic day"),
    ('she said "no comment." and left', '"no comment."', "no comment"),
    ("(Reuters) - Lagos", "(Reuters)", "Reuters"),
    ("Prime\u00a0Minister said\u2028", "said\u2028", "said"),
]


@pytest.mark.parametrize(("text", "selection", "expected"), TRIMMING_CASES)
def test_spaces_and_punctuation_at_the_edges_are_trimmed(text, selection, expected):
    start, end = select(text, selection)
    assert snapped(text, start, end) == expected


@pytest.mark.parametrize(
    ("text", "selection"),
    [
        ("Putin ,  said", " ,  "),
        ("end of sentence. “Next", ". “"),
        ("a — b", " — "),
        ("x\u00a0\u2028\u2029y", "\u00a0\u2028\u2029"),
    ],
)
def test_a_selection_of_only_spaces_and_punctuation_is_empty(text, selection):
    start, end = select(text, selection)
    s, e = snap_to_words(text, start, end)
    assert s == e
    assert 0 <= s <= len(text)


def test_snapping_accepts_a_backwards_drag():
    text = "Kim Jong-un said"
    assert snapped(text, 7, 5) == "Jong-un"


def test_snapping_clamps_a_selection_that_runs_past_the_text():
    text = "said Putin"
    s, e = snap_to_words(text, 6, 500)
    assert text[s:e] == "Putin"
    assert e == len(text)


@pytest.fixture
def cjk_text(shared: Path) -> str:
    return normalise_newlines((shared / "corpus" / "edge" / "cjk.txt").read_text(encoding="utf-8"))


def test_one_or_two_chinese_characters_are_kept_exactly(cjk_text):
    """Chinese has no spaces between words: snapping must never grow or block the selection."""
    hanzi = [
        i
        for i, ch in enumerate(cjk_text)
        if unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")
    ]
    assert len(hanzi) > 20, "the corpus file should be mostly Chinese"
    for i in hanzi:
        assert snap_to_words(cjk_text, i, i + 1) == (i, i + 1)
        if i + 1 in hanzi:
            assert snap_to_words(cjk_text, i, i + 2) == (i, i + 2)


def test_a_chinese_name_is_selected_as_dragged(cjk_text):
    s, e = select(cjk_text, "习近平")
    assert snap_to_words(cjk_text, s, e) == (s, e)
    s, e = select(cjk_text, "莫斯科")
    assert snap_to_words(cjk_text, s, e) == (s, e)


def test_full_width_punctuation_is_trimmed_from_chinese(cjk_text):
    s, e = select(cjk_text, "“处于历史最高水平”。")
    assert snapped(cjk_text, s, e) == "处于历史最高水平"


@pytest.mark.parametrize("cluster", [FAMILY, FLAG_DE, THUMBS_MEDIUM, E_ACUTE_NFD])
def test_a_grapheme_cluster_is_never_split_at_either_edge(cluster):
    text = f"Before {cluster} after"
    at = text.index(cluster)
    for inside in range(at, at + len(cluster)):
        # A selection starting or ending anywhere inside the cluster takes all of it.
        s, e = snap_to_words(text, inside, inside + 1)
        assert s <= at and e >= at + len(cluster), (inside, s, e)
        s, e = snap_to_words(text, inside, at + len(cluster))
        assert s <= at, (inside, s, e)
        s, e = snap_to_words(text, at, inside + 1)
        assert e >= at + len(cluster), (inside, s, e)


@pytest.mark.parametrize(
    ("text", "cluster"),
    [
        (f"Minister {FAMILY} Ana", FAMILY),
        (f"the {FLAG_DE} budget", FLAG_DE),
        (f"ok {THUMBS_MEDIUM} yes", THUMBS_MEDIUM),
    ],
)
def test_an_emoji_between_words_is_selected_alone(text, cluster):
    at = text.index(cluster)
    assert snapped(text, at + 1, at + 2) == cluster


@pytest.mark.parametrize("emoji", ["☎\ufe0f", "🏛\ufe0f", "😀\u0301"])
def test_an_emoji_written_against_a_word_stays_apart_from_it(emoji):
    """An emoji's variation selector or mark does not glue the emoji to the next word."""
    text = f"Call {emoji}Hotline now"
    at = text.index(emoji)
    word = text.index("Hotline")
    assert snapped(text, word + 2, word + 4) == "Hotline"
    s, e = snap_to_words(text, at, at + 1)
    assert text[s:e] == emoji
    assert snap_to_words(text, s, e) == (s, e)


def test_a_word_with_a_combining_accent_is_kept_whole():
    text = f"the caf{E_ACUTE_NFD} owner"
    at = text.index(E_ACUTE_NFD)
    assert snapped(text, at + 1, at + 2) == f"caf{E_ACUTE_NFD}"
    assert snapped(text, at - 3, at + 1) == f"caf{E_ACUTE_NFD}"


def test_adjacent_flags_are_split_between_flags_not_inside_them():
    text = "🇩🇪🇫🇷🇮🇹"
    assert snapped(text, 2, 3) == "🇫🇷"
    assert snapped(text, 1, 3) == "🇩🇪🇫🇷"


# grapheme_floor / grapheme_ceil ---------------------------------------------------------------


@pytest.mark.parametrize("cluster", [FAMILY, FLAG_DE, THUMBS_MEDIUM, E_ACUTE_NFD])
def test_grapheme_floor_and_ceil_move_to_the_cluster_edges(cluster):
    text = f"a {cluster} b"
    at = text.index(cluster)
    end = at + len(cluster)
    assert grapheme_floor(text, at) == at
    assert grapheme_ceil(text, end) == end
    for inside in range(at + 1, end):
        assert grapheme_floor(text, inside) == at
        assert grapheme_ceil(text, inside) == end


def test_grapheme_floor_and_ceil_at_the_text_ends():
    text = f"{FAMILY}x"
    assert grapheme_floor(text, 0) == 0
    assert grapheme_ceil(text, 0) == 0
    assert grapheme_floor(text, len(text)) == len(text)
    assert grapheme_ceil(text, len(text)) == len(text)
    assert grapheme_floor("", 0) == 0
    assert grapheme_ceil("", 0) == 0


def test_grapheme_edges_are_right_far_into_a_long_text():
    """Segmentation near offset 10 000 must agree with segmenting the whole text."""
    text = ("word " * 2000) + f"{FLAG_DE}{FLAG_DE}{FAMILY}" + " tail"
    bounds = grapheme_boundaries(text)
    for offset in range(9995, len(text) + 1):
        assert grapheme_floor(text, offset) in bounds
        assert grapheme_ceil(text, offset) in bounds
        assert grapheme_floor(text, offset) <= offset <= grapheme_ceil(text, offset)


# Properties -----------------------------------------------------------------------------------

PIECES = [
    *"abcXYZ",
    *"0123",
    " ",
    "  ",
    *".,;:!?-'\"()",
    "’",
    "“",
    "”",
    *"‘«»„[]{}「」",  # paired marks, which snapping keeps together
    "—",
    "\u00a0",
    "\u2028",
    "\n",
    "\u0301",  # combining acute, possibly after a space or punctuation
    "\u0308",
    E_ACUTE_NFD,
    "习",
    "近",
    "平",
    "，",
    "。",
    FAMILY,
    FLAG_DE,
    "🇫🇷",
    "\U0001f1e9",  # a lone regional indicator
    THUMBS_MEDIUM,
    "🏛\ufe0f",
    "\u200d",
    "😀",
]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@st.composite
def text_and_selection(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(0, len(text)))
    return text, a, b


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The selection without spaces and punctuation (per Unicode category) at its edges."""
    start, end = min(start, end), max(start, end)

    def trimmable(ch: str) -> bool:
        return ch.isspace() or (unicodedata.category(ch)[0] in "PZC" and ch != "\u200d")

    while start < end and trimmable(text[start]):
        start += 1
    while end > start and trimmable(text[end - 1]):
        end -= 1
    return start, end


PROPERTY_SETTINGS = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(text_and_selection())
def test_snapped_range_lies_within_the_text(case):
    text, a, b = case
    s, e = snap_to_words(text, a, b)
    assert 0 <= s <= e <= len(text)


@PROPERTY_SETTINGS
@given(text_and_selection())
def test_snapping_only_widens_the_trimmed_selection(case):
    text, a, b = case
    s, e = snap_to_words(text, a, b)
    ts, te = trimmed(text, a, b)
    if s < e:
        assert s <= ts and te <= e, (text[ts:te], text[s:e])
    else:
        # Empty only when nothing but spaces and punctuation was selected.
        assert ts == te


@PROPERTY_SETTINGS
@given(text_and_selection())
def test_snapping_is_idempotent(case):
    text, a, b = case
    s, e = snap_to_words(text, a, b)
    if s < e:
        assert snap_to_words(text, s, e) == (s, e), repr(text[s:e])


@PROPERTY_SETTINGS
@given(text_and_selection())
def test_snapped_range_never_splits_a_grapheme_cluster(case):
    text, a, b = case
    s, e = snap_to_words(text, a, b)
    if s < e:
        bounds = grapheme_boundaries(text)
        assert s in bounds, (text, s)
        assert e in bounds, (text, e)


@PROPERTY_SETTINGS
@given(texts, st.data())
def test_grapheme_floor_and_ceil_land_on_cluster_boundaries(text, data):
    offset = data.draw(st.integers(0, len(text)))
    bounds = grapheme_boundaries(text)
    floor, ceil = grapheme_floor(text, offset), grapheme_ceil(text, offset)
    assert floor in bounds and ceil in bounds
    assert floor <= offset <= ceil
    # Nearest boundaries: no boundary lies strictly between floor and offset, or offset and ceil.
    assert not any(floor < x < offset or offset < x < ceil for x in bounds)


# normalise_newlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("\r\n\r\n", "\n\n"),
        ("end\r", "end\n"),
    ],
)
def test_crlf_and_lone_cr_become_lf(raw, expected):
    assert normalise_newlines(raw) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "Jos\u00e9",  # NFC
        "Jose\u0301",  # NFD
        "line\u2028separator",
        "para\u2029separator",
        "next\u0085line",
        "no\u00a0break",
        "tab\there",
        "form\x0cfeed",
        FAMILY + FLAG_DE,
        "\ufeffbom",
    ],
)
def test_normalise_newlines_keeps_everything_else(kept):
    assert normalise_newlines(kept) == kept
    assert normalise_newlines(kept + "\r\n") == kept + "\n"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "\r", "\n", "\r\n", "é", "e\u0301", "\u2028", "\u0085"])
    ).map("".join)
)
def test_normalise_newlines_property(raw):
    out = normalise_newlines(raw)
    assert "\r" not in out
    # Every CRLF pair and every lone CR becomes exactly one LF ...
    assert out.count("\n") == raw.count("\n") + raw.count("\r") - raw.count("\r\n")
    # ... and everything between the line breaks is untouched.
    assert out.split("\n") == raw.replace("\r\n", "\r").replace("\n", "\r").split("\r")
    assert normalise_newlines(out) == out


# check_span -----------------------------------------------------------------------------------


def test_check_span_returns_the_slice():
    text = f"Minister {FAMILY} Ana Souza said"
    at = text.index("Ana")
    assert check_span(text, at, at + 9) == "Ana Souza"
    assert check_span(text, at, at + 9, "Ana Souza") == "Ana Souza"
    assert check_span(text, 0, len(text)) == text


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (4, 3), (0, 11), (10, 11), (11, 12)])
def test_check_span_refuses_ranges_outside_the_text_or_empty(start, end):
    with pytest.raises(InvalidSpanError):
        check_span("Ana Souza.", start, end)


def test_check_span_refuses_a_quote_that_does_not_match():
    text = "Jose\u0301 Martí said"
    with pytest.raises(InvalidSpanError) as info:
        check_span(text, 0, 5, "José")  # NFC quote against NFD text: must not match
    assert "José" in str(info.value) or "Jos" in str(info.value)
    with pytest.raises(InvalidSpanError):
        check_span(text, 0, 5, "Jose\u0301 ")


@settings(max_examples=200, deadline=None)
@given(texts, st.data())
def test_check_span_accepts_exactly_the_non_empty_ranges_inside_the_text(text, data):
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    if 0 <= start < end <= len(text):
        assert check_span(text, start, end, text[start:end]) == text[start:end]
    else:
        with pytest.raises(InvalidSpanError):
            check_span(text, start, end)


# sha256_of ------------------------------------------------------------------------------------


def test_sha256_of_hashes_the_utf8_bytes():
    assert sha256_of("") == hashlib.sha256(b"").hexdigest()
    text = f"Zoe\u0308 {FAMILY}"
    assert sha256_of(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(sha256_of(text)) == 64 and sha256_of(text) == sha256_of(text).lower()


def test_sha256_of_tells_apart_texts_that_look_the_same():
    assert sha256_of("Jos\u00e9") != sha256_of("Jose\u0301")
    assert sha256_of("a\u00a0b") != sha256_of("a b")


_PIECES = st.sampled_from(
    [
        "Kim",
        "Jong-un",
        "U.S.",
        " ",
        "  ",
        ".",
        ",",
        "“",
        "”",
        "(",
        ")",
        "\n",
        "3,000",
        "e.g.",
        FAMILY,
        FLAG_DE,
        E_ACUTE_NFD,
        "北京",
        "a" * 70,
        "-" * 70,
        " " * 70,
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_PIECES, min_size=1, max_size=400),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=200),
)
def test_snapping_the_text_around_a_selection_is_snapping_the_whole_text(
    pieces: list[str], at: int, width: int
) -> None:
    # What the store reads to snap a selection: the text SNAP_REACH around it, not all of it.
    text = "".join(pieces)
    start = at % (len(text) + 1)
    end = min(len(text), start + width)
    lo = max(0, start - SNAP_REACH)
    around = text[lo : end + SNAP_REACH]
    s, e = snap_to_words(around, start - lo, end - lo)
    assert (s + lo, e + lo) == snap_to_words(text, start, end)
