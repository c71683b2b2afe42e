"""The tokenizer's fast path (Latin-script texts) gives what the general path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import tokens
from annotator.domain.tokens import tokenize

# Every character of the fast path's blocks, and pieces that exercise the joining rules.
FAST = [chr(c) for lo, hi in tokens._FAST_BLOCKS for c in range(lo, hi + 1)]
PIECES = ["Jong-un", "don't", "Workers’", "3,000", "12.5", "²,3", "s'", "S’ ", "a-", "-b", "1.a"]
TRICKY = list("'’-‐‑.,sS0129²³ aZ\t\n\u00a0\u2009\u2028_")


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(FAST), st.sampled_from(PIECES), st.sampled_from(TRICKY)),
        max_size=40,
    ).map("".join)
)
def test_the_fast_path_agrees_with_the_general_one(text):
    assert tokenize(text) == tokens._tokenize_clusters(text)


def test_every_character_of_the_fast_blocks_alone_and_between_words():
    for ch in FAST:
        for text in (ch, f"a{ch}b", f"1{ch}2", f"s{ch}", f"{ch}{ch}x"):
            assert tokenize(text) == tokens._tokenize_clusters(text), repr(text)


def test_texts_outside_the_fast_blocks_take_the_general_path():
    for text in ("Kim 김정은 said", "e\u0301t\u00e9", "👍🏽 yes", "a\r\nb", "東京で"):
        assert tokenize(text) == tokens._tokenize_clusters(text)
