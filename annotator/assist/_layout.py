"""Paragraphs, sentences and quotations of one article, found once for the claim engine.

Attribution is read within a sentence ("Okafor said the barrier would hold") or around a
quotation ("“…,” she said, “…”"), so both are found once, up front, with compiled regexes over
the whole text and bisect lookups afterwards. spaCy's parser would find sentences too, but at a
few hundred kilobytes a second it would use the whole suggestion budget on its own, and news
sentences break where the punctuation says, apart from a known list of abbreviations.

A paragraph is a line: a quotation never runs past one (news style opens a quote again on each
paragraph it continues into, and a claim never spans a paragraph break).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from annotator.assist._claim_words import ABBREVIATIONS

_PARAGRAPH = re.compile(r"[^\n\r\u2028\u2029]+")
# A sentence ends at . ! ? (and any closing quotes or brackets after them) before a space and
# a capital, a digit or an opening quote or bracket.
_BOUNDARY = re.compile(r"[.!?…]+[”\"’'»)\]]*(?=\s+[“\"‘'«(\[]?[A-Z0-9])")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]?")
_DOUBLE_MARK = re.compile(r"[“”„«»\"]")
# Single quotation marks, curly or straight: one opens before a word and after a space, and
# closes after a word and before a space or punctuation; anything else is an apostrophe.
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))([‘'])(?=[A-Za-z…])")
_SINGLE_CLOSE = {
    mark: re.compile(rf"(?<=\S){closer}(?=[\s,.;:!?)\]—–]|$)")
    for mark, closer in (("‘", "’"), ("'", "'"))
}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: its marks and the text between them."""

    open: int  # the opening mark
    close: int  # just after the closing mark; the paragraph's end when it never closes
    start: int  # the first character inside
    end: int  # just after the last character inside
    closed: bool


class Layout:
    """Sentences and quotations of a text, with lookups by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: list[tuple[int, int]] = []
        self.sentences: list[tuple[int, int]] = []
        self.sentence_paragraph: list[int] = []
        self.quotes: list[Quote] = []
        for match in _PARAGRAPH.finditer(text):
            start, end = _strip(text, match.start(), match.end())
            if start >= end:
                continue
            self.paragraphs.append((start, end))
            self._split(start, end)
            self._find_quotes(start, end)
        self._sentence_starts = [s for s, _ in self.sentences]
        self._paragraph_starts = [s for s, _ in self.paragraphs]
        self._quote_starts = [q.start for q in self.quotes]

    # Lookups -------------------------------------------------------------------------------

    def sentence_at(self, pos: int) -> int:
        """The index of the sentence at or before `pos` (-1 before the first)."""
        return bisect_right(self._sentence_starts, pos) - 1

    def paragraph_at(self, pos: int) -> int:
        return bisect_right(self._paragraph_starts, pos) - 1

    def quote_around(self, pos: int) -> Quote | None:
        """The quotation whose inside holds `pos`, if any."""
        i = bisect_right(self._quote_starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def quotes_between(self, start: int, end: int) -> list[Quote]:
        """The quotations that open in [start, end)."""
        i = bisect_right(self._quote_starts, start)
        found = []
        while i < len(self.quotes) and self.quotes[i].open < end:
            found.append(self.quotes[i])
            i += 1
        # A quote whose mark is at `start` has its inside one character later.
        j = bisect_right(self._quote_starts, start) - 1
        if j >= 0 and self.quotes[j].open >= start and self.quotes[j] not in found:
            found.insert(0, self.quotes[j])
        return found

    def is_headline(self, paragraph: int) -> bool:
        """A short line with no closing punctuation: a headline, subhead, byline or caption."""
        start, end = self.paragraphs[paragraph]
        return end - start < 200 and self.text[end - 1] not in ".!?…”\"’'»)]"

    # Building ------------------------------------------------------------------------------

    def _split(self, start: int, end: int) -> None:
        text = self.text
        paragraph = len(self.paragraphs) - 1
        begin = start
        for match in _BOUNDARY.finditer(text, start, end):
            stop = match.end()
            if match.group()[0] == "." and match.group().count(".") == 1:
                words = text[max(begin, match.start() - 30) : match.start()].split()
                if words and _abbreviation(words[-1].lstrip('(“"‘«[')):
                    continue
            self._add_sentence(begin, stop, paragraph)
            begin = stop
        self._add_sentence(begin, end, paragraph)

    def _add_sentence(self, start: int, end: int, paragraph: int) -> None:
        start, end = _strip(self.text, start, end)
        if start < end:
            self.sentences.append((start, end))
            self.sentence_paragraph.append(paragraph)

    def _find_quotes(self, start: int, end: int) -> None:
        text = self.text
        found: list[Quote] = []
        opened = -1
        opener = ""
        for match in _DOUBLE_MARK.finditer(text, start, end):
            pos = match.start()
            mark = match.group()
            if opened < 0:
                if mark in "“„«" or (mark == '"' and _opens(text, pos, end)):
                    opened, opener = pos, mark
                continue
            closes = (
                mark in "”»"
                or (mark == "“" and opener == "„")
                or (
                    mark == '"' and (opener == '"' or (pos > start and not text[pos - 1].isspace()))
                )
            )
            if closes:
                found.append(_quote(text, opened, pos + 1, pos, closed=True))
                opened = -1
            elif mark in "“„«" or mark == '"':
                # A new quotation opens before the last one closed: the last one ran on.
                found.append(_quote(text, opened, pos, pos, closed=False))
                opened, opener = pos, mark
        if opened >= 0:
            found.append(_quote(text, opened, end, end, closed=False))
        paragraph = text[start:end]
        if "‘" in paragraph or " '" in paragraph or paragraph.startswith("'"):
            found.extend(self._single_quotes(start, end, found))
        found.sort(key=lambda q: q.open)
        self.quotes.extend(q for q in found if q.start < q.end)

    def _single_quotes(self, start: int, end: int, double: list[Quote]) -> list[Quote]:
        """British-style ‘…’ or '…' quotations outside double ones.

        One that opens a paragraph and never closes runs to its end, as a quotation that goes
        on into the next paragraph does.
        """
        text = self.text
        found: list[Quote] = []
        pos = start
        while True:
            opening = _SINGLE_OPEN.search(text, pos, end)
            if opening is None:
                return found
            pos = opening.end()
            if any(q.open <= opening.start() < q.close for q in double):
                continue
            closer = _SINGLE_CLOSE[opening.group(1)]
            closing = closer.search(text, pos, end)
            while closing is not None and _possessive(text, closing.start(), end):
                closing = closer.search(text, closing.end(), end)
            if closing is None:
                # It runs to the paragraph's end when it opens it, or when the next paragraph
                # opens with the same mark (news style: no closing mark before a paragraph
                # break inside a quotation).
                following = _PARAGRAPH.search(text, end)
                next_opens = following is not None and following.group().lstrip()[:1] == (
                    opening.group(1)
                )
                if opening.start() == start or next_opens:
                    found.append(_quote(text, opening.start(), end, end, closed=False))
                return found
            found.append(_quote(text, opening.start(), closing.end(), closing.start(), True))
            pos = closing.end()


def _quote(text: str, opened: int, close: int, inner_end: int, closed: bool) -> Quote:
    inner_start, inner_end = _strip(text, opened + 1, inner_end)
    return Quote(opened, close, inner_start, max(inner_start, inner_end), closed)


def _opens(text: str, pos: int, end: int) -> bool:
    """A straight double quote opens when a word follows it and none precedes it."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < end else " "
    return not after.isspace() and (before.isspace() or before in "([—–-:")


def _possessive(text: str, pos: int, end: int) -> bool:
    """“the workers’ demands”: ’ after s and before a word is an apostrophe."""
    return (
        text[pos - 1] in "sS"
        and pos + 2 < end
        and text[pos + 1] == " "
        and text[pos + 2].isalpha()
        and text[pos + 2].islower()
    )


def _abbreviation(word: str) -> bool:
    lowered = word.lower().strip("’'")
    if lowered in ABBREVIATIONS:
        return True
    # Initials ("J. K. Rowling") and dotted acronyms ("U.S.", "U.N.").
    return (len(word) == 1 and word.isupper()) or bool(_DOTTED.fullmatch(lowered))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
