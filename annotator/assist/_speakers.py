"""Who is speaking: the ACTOR mention a reporting phrase points at, by name, pronoun or role.

The guideline links a claim to the mention that is the subject of its reporting verb, and when
that subject is a pronoun or a role ("she said", "the minister added") to the nearest earlier
mention of the same actor. `ActorIndex` holds the document's ACTOR mentions sorted by offset,
so every lookup is a bisect plus a short walk back, never a scan of the document; it reads each
person's titles once ("Finance Minister Jana Novak", "Novak, the finance minister,") so that
"the minister" finds Novak.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from annotator.assist._claim_words import PERSON_NOUNS, THING_NOUNS
from annotator.assist.base import Mention

PERSON = "person"
ORGANIZATION = "organization"
STATE = "state"
MEDIA = "media"
GROUP = "group"

# How far back a pronoun or role looks for its actor: about two paragraphs of news.
_LOOKBACK = 1500
_TITLE_AFTER = re.compile(r",\s+((?:the|a|an|its|his|her)\s+(?:[\w’'-]+\s+){0,5}?[\w’'-]+)\s*,")
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord)\.?\s+")
_STOP_TITLE = frozenset({"the", "a", "an", "and", "of", "said", "by", "with", "to", "that"})
_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Party|Agency|Company|Corp|Corporation|Inc|Ltd|Bank|Council|Committee|Court"
    r"|Union|Organi[sz]ation|Authority|Office|Commission|Board|Institute|University|Police"
    r"|Army|Association|Foundation|Group|Department|Government|Parliament|Congress|Senate"
    r"|Kremlin|Pentagon|Ministry|Fund|Federation|Alliance|Times|News|Post|Press|Journal"
    r"|Agency|Broadcasting|Television|Radio|Reuters|KCNA|BBC|CNN|AFP)\b"
)
_MEDIA_WORDS = re.compile(
    r"\b(?:News|Times|Post|Press|Journal|Agency|Broadcasting|Television|Radio|Reuters|KCNA"
    r"|BBC|CNN|AFP|Gazette|Herald|Tribune|Telegraph|Guardian)\b"
)


def kind_of(mention: Mention) -> str:
    """The mention's `kind` attribute; guessed from its words when an engine left it out."""
    kind = mention.attributes.get("kind")
    if isinstance(kind, str) and kind:
        return kind
    return ""


def guess_kind(text: str) -> str:
    if _MEDIA_WORDS.search(text):
        return MEDIA
    if _ORG_WORDS.search(text) or (text.isupper() and len(text) > 1):
        return ORGANIZATION
    if text[:1].islower():
        return GROUP
    return PERSON


class ActorIndex:
    """The document's ACTOR mentions, sorted, with what is known of each actor."""

    def __init__(self, text: str, mentions: Iterable[Mention]) -> None:
        self.text = text
        # Keys built once here (`Mention.key` makes a tuple at each call): a long text has
        # thousands of mentions, each looked up by key in every table below.
        size = len(text)
        unique = {(m.start, m.end, m.label): m for m in mentions if 0 <= m.start < m.end <= size}
        ordered = sorted(unique.items(), key=lambda item: (item[1].start, -item[1].end))
        keys = [key for key, _ in ordered]
        self.mentions: list[Mention] = [m for _, m in ordered]
        self.starts = [m.start for m in self.mentions]
        self.by_end: dict[int, Mention] = {}
        self.by_start: dict[int, Mention] = {}
        for m in self.mentions:  # the longest mention wins an offset: sorted by start, -end
            self.by_end.setdefault(m.end, m)
            self.by_start.setdefault(m.start, m)
        # A long text names the same actors again and again: each quote's kind is guessed once.
        guessed: dict[str, str] = {}

        def kind(m: Mention) -> str:
            known = kind_of(m)
            if known:
                return known
            quote = text[m.start : m.end]
            found = guessed.get(quote)
            if found is None:
                found = guessed[quote] = guess_kind(quote)
            return found

        self.kinds: dict[tuple[int, int, str], str] = {
            key: kind(m) for key, m in zip(keys, self.mentions, strict=True)
        }
        self.identity: dict[tuple[int, int, str], str] = {}
        self._by_identity: dict[str, list[int]] = defaultdict(list)
        self._identify(keys)
        self._titles: dict[str, set[str]] = {}  # identity -> title words, read when asked
        self.gender: dict[str, str] = {}  # identity -> "he" / "she", when the text says
        self._honorifics_read: set[str] = set()

    # Identity ------------------------------------------------------------------------------

    def _identify(self, keys: Sequence[tuple[int, int, str]]) -> None:
        """Group mentions by actor (`keys`: theirs, in order): the registry key when known,
        else by name.

        A person's surname on its own ("Novak") joins the full name seen before ("Jana Novak").
        """
        surnames: dict[str, str] = {}
        names: dict[str, str] = {}  # quote -> name: a long text repeats its names
        kinds = self.kinds
        for key, m in zip(keys, self.mentions, strict=True):
            if m.actor_key:
                ident = "key:" + m.actor_key
            else:
                quote = self.text[m.start : m.end]
                name = names.get(quote)
                if name is None:
                    name = " ".join(quote.lower().split())
                    name = names[quote] = name[4:] if name.startswith("the ") else name
                ident = "name:" + name
                if kinds[key] == PERSON:
                    words = name.split()
                    if len(words) == 1 and words[0] in surnames:
                        ident = surnames[words[0]]
                    elif len(words) > 1:
                        surnames.setdefault(words[-1], ident)
            self.identity[key] = ident
            self._by_identity[ident].append(m.start)

    def same_actor_nearest(self, mention: Mention, before: int) -> Mention:
        """The nearest mention of `mention`'s actor that starts before `before`."""
        starts = self._by_identity[self.identity[mention.key]]
        i = bisect_left(starts, before) - 1
        if i < 0:
            return mention
        found = self.by_start.get(starts[i])
        return (
            found
            if found is not None and self.identity[found.key] == self.identity[mention.key]
            else mention
        )

    def titles(self, mention: Mention) -> set[str]:
        """The title words seen with any mention of this actor ("finance", "minister")."""
        ident = self.identity[mention.key]
        found = self._titles.get(ident)
        if found is None:
            found = set()
            for start in self._by_identity[ident]:
                m = self.by_start[start]
                found |= self._title_words(m)
            self._titles[ident] = found
        return found

    def _title_words(self, m: Mention) -> set[str]:
        text = self.text
        before = text[max(0, m.start - 60) : m.start].split("\n")[-1]
        found: set[str] = set()
        if before[-1:].isspace():
            # The run of title words that ends at the name: "Finance Minister", "North Korean
            # leader", "Rovers manager"; not "met" in "Novak met Hart", nor another name.
            end = m.start - (len(before) - len(before.rstrip()))
            for word in reversed(before.split()[-4:]):
                low = word.lower().strip("’'")
                titled = word[:1].isupper() or low in PERSON_NOUNS
                if low in _STOP_TITLE or not word[-1:].isalpha() or not titled:
                    break
                if end in self.by_end:
                    break
                found.add(low)
                end -= len(word) + 1
        after = _TITLE_AFTER.match(text, m.end, min(len(text), m.end + 80))
        if after is not None:
            found.update(w.lower() for w in after.group(1).split()[1:])
        return found

    def read_honorifics(self, mention: Mention) -> None:
        """Learn the actor's gender from "Mr"/"Ms" before its mentions, once per actor."""
        ident = self.identity[mention.key]
        if ident in self._honorifics_read:
            return
        self._honorifics_read.add(ident)
        for start in self._by_identity[ident]:
            honorific = _HONORIFIC.search(self.text, max(0, start - 8), start)
            if honorific is not None:
                male = honorific.group(1) in {"Mr", "Sir", "Lord"}
                self.gender[ident] = "he" if male else "she"

    # Lookups -------------------------------------------------------------------------------

    def kind(self, mention: Mention) -> str:
        return self.kinds[mention.key]

    def ending_at(self, pos: int) -> Mention | None:
        return self.by_end.get(pos)

    def inside(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.starts, start)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                found.append(self.mentions[i])
            i += 1
        return found

    def before(
        self, pos: int, accept: Callable[[Mention], bool], *, limit: int = _LOOKBACK
    ) -> Mention | None:
        """The nearest mention ending at or before `pos` that `accept` takes, within `limit`."""
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.start < pos - limit:
                return None
            if m.end <= pos and accept(m):
                return m
            i -= 1
        return None

    # Resolution ----------------------------------------------------------------------------

    def pronoun_filter(self, word: str) -> Callable[[Mention], bool] | None:
        """Which mentions a speaker pronoun can stand for: he/she a person (of that gender when
        the text has said), it an organisation, state or outlet, they a group or body."""
        word = word.lower()
        if word in {"he", "she"}:
            kinds: frozenset[str] = frozenset({PERSON})
        elif word == "it":
            kinds = frozenset({ORGANIZATION, MEDIA, STATE})
        elif word in {"they", "we"}:
            kinds = frozenset({GROUP, ORGANIZATION, STATE, MEDIA})
        else:
            return None

        def fits(m: Mention) -> bool:
            if self.kinds[m.key] not in kinds:
                return False
            if word in {"he", "she"}:
                self.read_honorifics(m)
            known = self.gender.get(self.identity[m.key])
            return known is None or word not in {"he", "she"} or known == word

        return fits

    def learn_gender(self, mention: Mention, word: str) -> None:
        if word in {"he", "she"}:
            self.gender.setdefault(self.identity[mention.key], word)

    def role_filters(
        self, head: str, modifiers: Sequence[str]
    ) -> tuple[list[Callable[[Mention], bool]], Callable[[Mention], bool]] | None:
        """What a role or a kind of organisation can name: "the minister", "the company".

        Returns the strong tests, tried first over the whole look-back (a person whose title
        holds the role, "Finance Minister Jana Novak ... the minister"; an organisation whose
        name holds the noun, "the Ministry of Finance ... the ministry"), and the kind test
        that salience and nearness use after them.
        """
        head = head.lower()
        if head in PERSON_NOUNS or head.rstrip("s") in PERSON_NOUNS:
            wanted = {w.lower() for w in modifiers} - {"the", "a", "an"}

            def person(m: Mention) -> bool:
                return self.kinds[m.key] == PERSON

            def titled(m: Mention) -> bool:
                if not person(m):
                    return False
                titles = self.titles(m)
                return head in titles and wanted <= titles | {head}

            def titled_loosely(m: Mention) -> bool:
                return person(m) and head in self.titles(m)

            return [titled, titled_loosely], person
        kinds = THING_NOUNS.get(head)
        if kinds is None:
            return None

        def named(m: Mention) -> bool:
            return head in self.text[m.start : m.end].lower()

        def of_kind(m: Mention) -> bool:
            return self.kinds[m.key] in kinds

        return [named], of_kind
