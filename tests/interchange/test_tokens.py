"""The app's tokenizer: words, numbers, punctuation, CJK, emoji; sentences."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.tokens import sentences, tokenize

PIECES = [
    "a",
    "Bo",
    "Jong-un",
    "Workers’",
    "don't",
    "3,000",
    "12.5",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\t",
    ".",
    "!",
    "?",
    ",",
    "-",
    "'",
    "’",
    '"',
    "(",
    "é",
    "e\u0301",
    "\u0301",
    "👍🏽",
    "👩‍👩‍👧",
    "🇰🇵",
    "❤️",
    "1️⃣",
    "\u200d",
    "\u200b",
    "北京",
    "。",
    "ไทย",
    "한국",
    "$",
]


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenize(text)]


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    text = "Kim Jong-un told the Workers’ Party: don't."
    assert words(text) == [
        "Kim", "Jong-un", "told", "the", "Workers’", "Party", ":", "don't", ".",
    ]  # fmt: skip


def test_numbers_keep_inner_separators() -> None:
    assert words("3,000 people, 12.5%, 1.") == ["3,000", "people", ",", "12.5", "%", ",", "1", "."]


def test_punctuation_is_one_token_per_character() -> None:
    assert words('("Hi!")...') == ["(", '"', "Hi", "!", '"', ")", ".", ".", "."]


def test_cjk_and_thai_characters_stand_alone() -> None:
    assert words("北京市。ไทย") == ["北", "京", "市", "。", "ไ", "ท", "ย"]


def test_emoji_clusters_are_one_token() -> None:
    text = "Hi 👩‍👩‍👧 and 🇰🇵, 👍🏽!"
    assert words(text) == ["Hi", "👩‍👩‍👧", "and", "🇰🇵", ",", "👍🏽", "!"]


def test_combining_marks_stay_with_their_letter() -> None:
    assert words("Zu\u0308rich e\u0301te\u0301") == ["Zu\u0308rich", "e\u0301te\u0301"]


def test_unicode_spaces_separate_tokens() -> None:
    assert words("a\u00a0b\u2028c\u3000d\te") == ["a", "b", "c", "d", "e"]


def test_mark_after_space_is_a_token_without_the_space() -> None:
    # " \u0301" is one grapheme cluster; the space stays out, the mark is a token.
    assert tokenize("a \u0301b") == [(0, 1), (2, 3), (3, 4)]


def test_sentences_split_on_end_marks_and_lines() -> None:
    text = "He left. She stayed!\nNew line here\n\nJ. K. Rowling wrote. 北京。上海"
    groups = [[text[s:e] for s, e in group] for group in sentences(text, tokenize(text))]
    assert groups == [
        ["He", "left", "."],
        ["She", "stayed", "!"],
        ["New", "line", "here"],
        ["J", ".", "K", ".", "Rowling", "wrote", "."],
        ["北", "京", "。"],
        ["上", "海"],
    ]


def test_no_split_inside_numbers_or_without_space() -> None:
    text = "It cost 12.5 dollars.Then"
    groups = sentences(text, tokenize(text))
    assert len(groups) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_tokens_are_ordered_disjoint_and_cover_all_non_space(text: str) -> None:
    tokens = tokenize(text)
    covered: set[int] = set()
    previous_end = 0
    for start, end in tokens:
        assert previous_end <= start < end <= len(text)
        assert not any(ch.isspace() for ch in text[start:end])
        covered.update(range(start, end))
        previous_end = end
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}
    flat = [t for group in sentences(text, tokens) for t in group]
    assert flat == tokens


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_tokenizes_cleanly(text: str) -> None:
    tokens = tokenize(text)
    covered = {i for s, e in tokens for i in range(s, e)}
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(tokens))
    assert all(not ch.isspace() for s, e in tokens for ch in text[s:e])


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_cluster_fast_path_agrees_with_full_segmentation(text: str) -> None:
    import regex

    from annotator.domain.tokens import _clusters

    full = [(m.start(), m.end()) for m in regex.finditer(r"\X", text, flags=regex.DOTALL)]
    assert _clusters(text) == full


def test_cluster_fast_path_agrees_on_known_joiners() -> None:
    import regex

    from annotator.domain.tokens import _clusters

    for text in (
        "a\r\nb",
        "e\u0301",
        "👍🏽",
        "🇩🇪",
        "\u0600\u0661",
        "\u1100\u1161",
        "क्षि",
        "👩\u200d👩",
    ):
        full = [(m.start(), m.end()) for m in regex.finditer(r"\X", text, flags=regex.DOTALL)]
        assert _clusters(text) == full, text
