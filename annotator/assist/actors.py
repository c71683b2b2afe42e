"""The ACTOR engine: proposes the people, organisations, states, outlets and groups a news
article names, to the guideline's boundaries (annotator/resources/guidelines.md, ACTOR).

It works in layers, the most precise first, and a span taken by one layer is not proposed again
by a later one:

1. Propagation: every mention of a name the corpus already knows (the actor registry, names
   the annotator marked, an imported gazetteer), with the surnames and acronyms of those names.
   One token index per document serves all names, so a registry of thousands costs no more
   than a few.
2. New names by rule: capitalised sequences read with their cues (titles before a person,
   organisation and outlet words at the end of a name, reporting verbs around a speaker,
   countries and capitals acting as states), unnamed groups and speakers in speaker position;
   names found this way are propagated through the rest of the document, with their surnames
   and acronyms.
3. A learned model (annotator.assist.actor_model), when the knowledge carries one: it adds the
   names the rules cannot see and vetoes the rules' weakest guesses where it reads otherwise.

Everything here is plain Python over `regex`; spaCy is imported only by the model module.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import regex

from annotator.assist import actor_words as words
from annotator.assist.actor_words import words_of
from annotator.assist.base import ACTORS, DocumentContext, Proposal
from annotator.domain.errors import AnnotatorError

LABEL = "ACTOR"
KINDS = ("person", "organization", "state", "media", "group")

# --- What the engine knows about the corpus ------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistryActor:
    """An actor of the app's registry: its key, name, kind and other names."""

    key: str
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MarkedName:
    """A text the annotator marked as ACTOR somewhere in the corpus, and how often.

    Common nouns ("analysts", "local fishermen") count too: they are matched in lower case and
    with a capital first letter.
    """

    quote: str
    kind: str | None = None
    actor_key: str | None = None
    count: int = 1


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A name and its kind from a list the user imported."""

    name: str
    kind: str | None = None


class ActorModel(Protocol):
    """A model that finds actor names in short texts: the learned one or a user's pipeline."""

    @property
    def version(self) -> str: ...

    def predict(self, texts: Sequence[str]) -> list[list[tuple[int, int, str | None]]]:
        """For each text, its actor spans as (start, end, kind) in the text's own offsets."""
        ...


@dataclass(frozen=True)
class ActorKnowledge:
    """What the engine knows about the corpus beyond the document it reads.

    `rejected` maps a quote the annotator turned down as ACTOR to how often: rules do not
    propose that text again unless it was marked more often than rejected.
    """

    registry: tuple[RegistryActor, ...] = ()
    marked: tuple[MarkedName, ...] = ()
    gazetteer: tuple[GazetteerEntry, ...] = ()
    rejected: Mapping[str, int] = field(default_factory=dict)
    model: ActorModel | None = None
    _table: _NameTable = field(init=False, repr=False, compare=False)
    _refused: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        marked_counts: Counter[str] = Counter()
        for mark in self.marked:
            marked_counts[_norm_text(mark.quote)] += mark.count
        refused = frozenset(
            name
            for quote, count in self.rejected.items()
            if count > marked_counts[name := _norm_text(quote)]
        )
        object.__setattr__(self, "_refused", refused)
        object.__setattr__(self, "_table", _knowledge_table(self, refused))


# --- Gazetteer files -------------------------------------------------------------------------

_KIND_NAMES = {
    **{kind: kind for kind in KINDS},
    "organisation": "organization",
    "org": "organization",
    "per": "person",
    "people": "person",
    "country": "state",
    "government": "state",
    "gpe": "state",
    "outlet": "media",
    "news": "media",
}


def read_gazetteer(text: str, *, origin: str) -> list[GazetteerEntry]:
    """Read one "name<TAB>kind" or "name,kind" a line; blank lines and `#` comments skipped.

    The kind is one of person, organization, state, media, group (a few spellings such as
    "organisation" or "country" are understood) or empty. Raises AnnotatorError naming
    `origin`, the line number and what is wrong.
    """
    entries: list[GazetteerEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line:
            name, _, kind_text = line.rpartition("\t")
        elif "," in line:
            name, _, kind_text = line.rpartition(",")
        else:
            name, kind_text = line, ""
        name, kind_text = name.strip(), kind_text.strip().casefold()
        where = f"{origin}, line {number}"
        if not name:
            raise AnnotatorError(f"{where}: the name is empty in {raw.strip()!r}")
        if "\t" in name:
            raise AnnotatorError(f"{where}: more than two tab-separated columns")
        if kind_text and kind_text not in _KIND_NAMES:
            known = ", ".join(KINDS)
            raise AnnotatorError(f"{where}: unknown kind {kind_text!r} (use {known} or none)")
        entries.append(GazetteerEntry(name, _KIND_NAMES.get(kind_text) if kind_text else None))
    return entries


# --- Tokens ----------------------------------------------------------------------------------

# Words with inner hyphens and apostrophes ("Jong-un", "O'Brien"), but not a possessive "'s";
# "Workers’" keeps its apostrophe before a capitalised word; dotted acronyms ("U.S.").
_TOKEN = regex.compile(
    r"(?:\p{Lu}\.){2,}"
    r"|[\p{L}\p{M}\p{N}]+(?:(?:[-‐‑]|['’](?![sS]\b))[\p{L}\p{M}\p{N}]+)*"
    r"(?:(?<=s)['’](?=[ \u00a0]+\p{Lu})"
    # Plurals without an s keep theirs too: "People’s Council", "Women’s Union".
    r"|(?<=\b(?:People|Children|Women|Men))['’]s(?=[ \u00a0]+\p{Lu}))?"
)
_LETTERS = regex.compile(r"[\p{L}\p{M}\p{N}]")
_UPPER = regex.compile(r"\p{Lu}")
_WORD = regex.compile(r"\w")


@functools.lru_cache(maxsize=64)
def _token_pattern(chars: frozenset[str]) -> re.Pattern[str]:
    """`_TOKEN` for a text made of these characters, in the standard library's `re`, which
    runs it in about two thirds of the time. `re` has no Unicode classes: each class is
    spelled out as the text's characters that `regex` itself puts in it (and a word boundary
    as no word character on the side away from the word), so it matches exactly what
    `_TOKEN` does in that text."""

    def each(pattern: regex.Pattern[str]) -> str:
        found = "".join(re.escape(c) for c in sorted(chars) if pattern.fullmatch(c))
        return f"[{found}]" if found else r"[^\s\S]"

    letters, upper, word = each(_LETTERS), each(_UPPER), each(_WORD)
    plural = "|".join(f"(?<=(?<!{word}){w})" for w in ("People", "Children", "Women", "Men"))
    return re.compile(
        rf"(?:{upper}\.){{2,}}"
        rf"|{letters}+(?:(?:[-‐‑]|['’](?![sS](?!{word}))){letters}+)*"
        rf"(?:(?<=s)['’](?=[ \u00a0]+{upper})"
        rf"|(?:{plural})['’]s(?=[ \u00a0]+{upper}))?"
    )


@functools.lru_cache(maxsize=64)
def _split_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A token pattern as one group, for `split` to keep the tokens between the gaps."""
    return re.compile(f"({pattern.pattern})")


_ORDINALS = frozenset({"first", "second", "third"})
_PREFIXED_NAME = regex.compile(r"(?:al|el|ad|as|ash|at|az|ar|an|ibn|bin|d|l)[-'’]\p{Lu}")
_PARTICLES = words_of(
    """
    of de da del della di du des la le van von der den ten ter bin ibn al el y the for and
    &
    """
)
_SPLIT_PARTICLES = frozenset({"and", "&"})
_ABBREVIATIONS = frozenset(
    {
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "St",
        "Gen",
        "Col",
        "Lt",
        "Sgt",
        "Rep",
        "Sen",
        "Gov",
        "Prof",
        "Capt",
        "Maj",
        "Adm",
        "Rev",
        "Mt",
        "Ft",
    }
)
_SPACE_GAP = regex.compile(r"[ \t\u00a0\u2009\u202f]{1,3}")
_AMP_GAP = regex.compile(r"[ \u00a0]?&[ \u00a0]?")
_DOT_GAP = regex.compile(r"\.[ \u00a0]{1,2}")
_ACRONYM = regex.compile(r"(?:\p{Lu}[\p{Lu}\d&]{1,6}s?|(?:\p{Lu}\.){2,})")
_BRACKETED = regex.compile(r"[ \u00a0]?\((\p{Lu}[\p{Lu}\d&.]{1,7})\)")
_COMPOUND_TAILS = words_of(
    """
    made based backed led owned run born funded controlled style era linked allied
    friendly bound language speaking built designed produced occupied annexed held aligned
    """
)
_EAST_ASIAN_SURNAMES = words_of(
    """
    Kim Park Lee Choi Jung Kang Cho Yoon Jang Lim Han Shin Oh Seo Kwon Hwang Ahn Song Ri
    Pak Xi Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao
    Luo Deng Mao Jiang Wen
    """
)
_SENTENCE_BEFORE = regex.compile(r"(?:^|[.!?:;“\"‘(\[—–]|\n|\s-)[\s“\"‘'(\[]*$")
_HEADLINE_SCAN_LIMIT = 300  # longer lines are prose, whatever their capitals


_JOINERS = frozenset("-'")
_NORMALISED_CHARACTERS = (("’", "'"), ("‐", "-"), ("‑", "-"))
_NORMALISE = str.maketrans(dict(_NORMALISED_CHARACTERS))


def _norm(token: str) -> str:
    return token.translate(_NORMALISE)


def _norm_text(text: str) -> str:
    return " ".join(_norm(t) for t in _TOKEN.findall(text))


@functools.lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(_norm(t) for t in _TOKEN.findall(name))


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or _PREFIXED_NAME.match(word) is not None


# --- Known names: one table, matched over the document's tokens -----------------------------


@dataclass(frozen=True, slots=True)
class _Known:
    tokens: tuple[str, ...]
    kind: str | None
    actor_key: str | None
    rule: str
    score: float
    place_like: bool  # a state's name: not proposed where it is only a location
    standalone: bool = False  # a surname or acronym: not inside a longer capitalised name


class _TrieNode:
    """One token of the names in a `_NameTable`: the tokens that may follow, and the name that
    ends here, if any."""

    __slots__ = ("children", "known")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.known: _Known | None = None


class _NameTable:
    """Names by their tokens, in a trie, so one pass over the tokens finds them all: at each
    token, a walk along the tokens that follow reaches exactly the names that start there,
    whatever the number of names and their lengths. (A look-up per length of name that starts
    with the token made a tuple and a hash per length; a document whose thousands of
    annotations share a few first words, with names of up to twenty words, spent most of its
    matching there.)"""

    def __init__(self) -> None:
        self.by_tokens: dict[tuple[str, ...], _Known] = {}
        self.root = _TrieNode()

    def add(self, known: _Known) -> None:
        if not known.tokens or known.tokens in self.by_tokens:
            return  # an earlier (more trusted) source named it first
        self.by_tokens[known.tokens] = known
        node = self.root
        for token in known.tokens:
            child = node.children.get(token)
            if child is None:
                child = node.children[token] = _TrieNode()
            node = child
        node.known = known

    def names(self) -> Iterable[tuple[str, ...]]:
        return self.by_tokens.keys()

    def __len__(self) -> int:
        return len(self.by_tokens)


def _is_common(name: str) -> bool:
    return name[:1].islower()


def _capitalised(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return (tokens[0][:1].upper() + tokens[0][1:], *tokens[1:])


def _add_name(
    table: _NameTable,
    name: str,
    kind: str | None,
    actor_key: str | None,
    rule: str,
    score: float,
    refused: frozenset[str],
) -> None:
    tokens = _name_tokens(name)
    if not tokens or " ".join(tokens) in refused:
        return
    place_like = kind == "state" or name in words.STATES
    table.add(_Known(tokens, kind, actor_key, rule, score, place_like))
    if _is_common(name):
        table.add(_Known(_capitalised(tokens), kind, actor_key, rule, score, place_like))


def _looks_like_person(tokens: tuple[str, ...]) -> bool:
    return (
        2 <= len(tokens) <= 4
        and all(t[:1].isupper() or t in _PARTICLES for t in tokens)
        and not any(t in words.ORG_WORDS or t in words.MEDIA_WORDS for t in tokens)
        and "of" not in tokens
        and " ".join(tokens) not in words.STATES
    )


def _has_org_word(tokens: tuple[str, ...]) -> bool:
    return any(t in words.ORG_WORDS for t in tokens)


def _surname(tokens: tuple[str, ...]) -> str | None:
    """The token a person is named by alone: the family name, first in East Asian order."""
    if len(tokens) < 2:
        return None
    last = tokens[0] if tokens[0] in _EAST_ASIAN_SURNAMES and len(tokens) >= 2 else tokens[-1]
    if (
        len(last) < 2
        or not last[:1].isupper()
        or last.lower() in words.FUNCTION_WORDS
        or last in words.DEMONYMS
        or last in words.STATES
        or last.lower() in words.PERSON_TITLES
    ):
        return None
    return last


def _initials(tokens: tuple[str, ...]) -> str | None:
    """ "Korean Central News Agency" -> "KCNA"; "Workers' Party of Korea" -> "WPK"."""
    capitals = [t for t in tokens if t[:1].isupper()]
    if len(capitals) < 2 or any(t.isupper() and len(t) > 1 for t in capitals):
        return None
    return "".join(t[0] for t in capitals)


def _add_derived(
    table: _NameTable,
    names: Iterable[tuple[tuple[str, ...], str | None, str | None]],
    score: float,
    refused: frozenset[str],
) -> None:
    """Surnames of people and acronyms of organisations; a surname two actors share is kept
    without an actor key."""
    surnames: dict[str, set[str | None]] = defaultdict(set)
    acronyms: dict[str, tuple[str | None, str | None]] = {}
    for tokens, kind, key in names:
        if kind == "person" or (kind is None and _looks_like_person(tokens)):
            if (surname := _surname(tokens)) is not None:
                surnames[surname].add(key)
        elif (
            (kind in ("organization", "media") or (kind is None and _has_org_word(tokens)))
            and (acronym := _initials(tokens)) is not None
            and acronym not in words.NON_ACTOR_ACRONYMS
        ):
            acronyms.setdefault(acronym, (kind or "organization", key))
    for surname, keys in surnames.items():
        if surname not in refused:
            key = next(iter(keys)) if len(keys) == 1 else None
            table.add(_Known((surname,), "person", key, "surname", score, False, True))
    for acronym, (kind, key) in acronyms.items():
        if acronym not in refused:
            table.add(_Known((acronym,), kind, key, "acronym", score, False, True))


def _knowledge_table(knowledge: ActorKnowledge, refused: frozenset[str]) -> _NameTable:
    table = _NameTable()
    full_names: list[tuple[tuple[str, ...], str | None, str | None]] = []
    for actor in knowledge.registry:
        for name in (actor.name, *actor.aliases):
            _add_name(table, name, actor.kind, actor.key, "registry", 0.95, refused)
            full_names.append((_name_tokens(name), actor.kind, actor.key))
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    keys: dict[str, Counter[str]] = defaultdict(Counter)
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for mark in knowledge.marked:
        name = mark.quote.strip()
        counts[name] += mark.count
        shown.setdefault(name, name)
        if mark.kind:
            kinds[name][mark.kind] += mark.count
        if mark.actor_key:
            keys[name][mark.actor_key] += mark.count
    for name, _count in counts.most_common():
        kind = kinds[name].most_common(1)[0][0] if kinds[name] else None
        key = keys[name].most_common(1)[0][0] if keys[name] else None
        _add_name(table, name, kind, key, "marked", 0.9, refused)
        full_names.append((_name_tokens(name), kind, key))
    for entry in knowledge.gazetteer:
        _add_name(table, entry.name, entry.kind, None, "gazetteer", 0.85, refused)
        full_names.append((_name_tokens(entry.name), entry.kind, None))
    _add_derived(table, full_names, 0.8, refused)
    return table


def _builtin_table() -> _NameTable:
    table = _NameTable()
    for name in words.STATES:
        if name not in words.AMBIGUOUS_STATE_NAMES:
            table.add(_Known(_name_tokens(name), "state", None, "state", 0.8, True))
    for name in words.OUTLETS:
        table.add(_Known(_name_tokens(name), "media", None, "outlet", 0.8, False))
    for name in words.ONE_WORD_ORGANIZATIONS:
        table.add(_Known(_name_tokens(name), "organization", None, "organisation", 0.8, False))
    return table


_BUILTIN = _builtin_table()


def _both_cases(nouns: Iterable[str]) -> frozenset[str]:
    return frozenset(f for noun in nouns for f in (noun, noun[:1].upper() + noun[1:]))


_GROUP_FORMS = _both_cases(words.GROUP_NOUNS)
_SPEAKER_FORMS = _both_cases(words.SPEAKER_NOUNS)
NO_KNOWLEDGE = ActorKnowledge()


# --- One document ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: str | None
    score: float
    rule: str
    actor_key: str | None = None
    tier: int = 0  # 0: known names and strong cues; 1: weak guesses; 2: the model's


class _Document:
    """A document's tokens and the facts about them the rules ask for more than once."""

    def __init__(self, text: str) -> None:
        self.text = text
        # The replacements keep the length, so offsets in the normalised text are the text's.
        # (`str.replace` per character, not `str.translate`: a fiftieth of the time.)
        normalised = text
        for before, after in _NORMALISED_CHARACTERS:
            normalised = normalised.replace(before, after)
        # The tokens and the gaps between them, by one `split` on the token pattern as a group
        # (every other part a token, the first a gap, maybe empty); the offsets are the running
        # sums of the parts' lengths. A quarter faster than a match object per token.
        pattern = _token_pattern(frozenset(normalised))
        parts = _split_pattern(pattern).split(normalised)
        offsets = list(itertools.accumulate(map(len, parts)))
        toks = parts[1::2]
        self.starts = offsets[0:-1:2]
        self.ends = offsets[1::2]
        self.words = toks
        # Whether only spaces (`_SPACE_GAP`) part token `index` from the next: asked per
        # distinct gap (most are one space). The replacements above touch no space.
        gaps = parts[2:-1:2]
        self.gaps = gaps
        spaced = {gap: _SPACE_GAP.fullmatch(gap) is not None for gap in set(gaps)}
        self.spaced = list(map(spaced.__getitem__, gaps))
        self._initial: dict[int, bool] = {}
        # Per distinct word, not per token: a long text repeats its words.
        counts = Counter(toks)
        self.lower_vocabulary = frozenset(w for w in counts if w[:1].islower())
        self.headlines = self._headlines()
        # Which tokens can be part of a name; in a headline, only words the text never writes
        # in lower case.
        is_capital = {w: w[:1].isupper() or (w[2:3] in _JOINERS and _is_cap(w)) for w in counts}
        capital = [is_capital[w] for w in toks]
        for first, last in self._headline_tokens():
            for index in range(first, last):
                lowered = toks[index].lower()
                if lowered in self.lower_vocabulary or lowered in words.FUNCTION_WORDS:
                    capital[index] = False
        self.capital = capital
        # A name whose demonym the text uses is a state's: "Kestria" beside "Kestrian".
        capitalised = {w for w, c in is_capital.items() if c}
        self.states = frozenset(
            w
            for w in capitalised
            if len(w) > 3
            and (f"{w}n" in capitalised or f"{w}an" in capitalised or f"{w}ian" in capitalised)
            and w not in words.DEMONYMS
        )
        self.capital_counts = Counter({w: counts[w] for w in capitalised})
        self.non_actors: set[str] = set()
        self.demonyms = frozenset(
            d for w in self.states for d in (f"{w}n", f"{w}an", f"{w}ian") if d in capitalised
        )
        groups = _GROUP_FORMS & counts.keys()
        speakers = _SPEAKER_FORMS & counts.keys()
        self.group_heads = list(
            itertools.compress(itertools.count(), map(groups.__contains__, toks))
        )
        self.speaker_heads = list(
            itertools.compress(itertools.count(), map(speakers.__contains__, toks))
        )

    def _headline_tokens(self) -> Iterable[tuple[int, int]]:
        for start, end in self.headlines:
            yield bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)

    def _headlines(self) -> list[tuple[int, int]]:
        """Lines set in title case: their capitals say nothing about names."""
        found: list[tuple[int, int]] = []
        for line in regex.finditer(r"[^\n]+", self.text):
            if len(line.group()) > _HEADLINE_SCAN_LIMIT or line.group().rstrip()[-1:] in '."”':
                continue
            long_words = [w for w in _TOKEN.findall(line.group()) if len(w) > 3 and w.isalpha()]
            capitals = sum(1 for w in long_words if w[:1].isupper())
            if len(long_words) >= 3 and capitals >= 0.7 * len(long_words):
                found.append(line.span())
        return found

    def in_headline(self, offset: int) -> bool:
        index = bisect.bisect_right(self.headlines, (offset, len(self.text) + 1)) - 1
        return index >= 0 and self.headlines[index][0] <= offset < self.headlines[index][1]

    def sentence_initial(self, index: int) -> bool:
        # Asked up to three times per name by the rules: answered once per token.
        known = self._initial.get(index)
        if known is None:
            start = self.starts[index]
            known = _SENTENCE_BEFORE.search(self.text, max(0, start - 6), start) is not None
            self._initial[index] = known
        return known

    def gap(self, index: int) -> str:
        """The text between token `index` and the next one."""
        return self.text[self.ends[index] : self.starts[index + 1]]

    def lower(self, index: int) -> str:
        return self.words[index].lower() if 0 <= index < len(self.words) else ""

    def possessive(self, index: int) -> bool:
        end = self.ends[index]
        return self.text[end : end + 2] in ("'s", "’s") or (
            self.words[index].endswith("s") and self.text[end : end + 1] in ("'", "’")
        )


def _match_names(doc: _Document, tables: Sequence[_NameTable], out: list[_Candidate]) -> None:
    """Every mention of the tables' names: one pass over the tokens, longest name first. A
    name in more than one table is taken from the first (as if the tables were one, filled in
    their order)."""
    toks = doc.words
    count = len(toks)
    roots = [table.root.children for table in tables]
    # The words any name begins with, so that most tokens cost one look-up whatever the tables.
    firsts = roots[0].keys() if len(roots) == 1 else set().union(*roots)
    # The tokens that begin a name, found in one pass in C; a match skips those it covers.
    following = 0
    for index in itertools.compress(itertools.count(), map(firsts.__contains__, toks)):
        if index < following:
            continue
        # The names that start at this token, by the index of their last token (made only
        # for a token that begins one: most begin none).
        ends: dict[int, _Known] | None = None
        for root in roots:
            node = root.get(toks[index])
            if node is None:
                continue
            if ends is None:
                ends = {}
            last = index
            while node is not None:
                if node.known is not None and last not in ends:
                    ends[last] = node.known
                last += 1
                if last == count:
                    break
                node = node.children.get(toks[last])
        if not ends:
            continue
        lasts = sorted(ends, reverse=True) if len(ends) > 1 else list(ends)
        # How far the tokens run on with only spaces between them: a name is matched whole.
        joined = index
        while joined < lasts[0] and doc.spaced[joined]:
            joined += 1
        for last in lasts:
            if last > joined:
                continue
            known = ends[last]
            if _continues_name(doc, index, last):
                continue
            if known.standalone and _inside_longer_name(doc, index, last):
                continue
            if known.place_like and _location_only(doc, index, last):
                break
            out.append(
                _Candidate(
                    doc.starts[index],
                    doc.ends[last],
                    known.kind,
                    known.score,
                    known.rule,
                    known.actor_key,
                )
            )
            following = last + 1
            break


def _continues_name(doc: _Document, first: int, last: int) -> bool:
    """Whether a matched name is part of a longer hyphenated word ("Russian-made")."""
    text = doc.text
    start, end = doc.starts[first], doc.ends[last]
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 1]
    return before in ("-", "‐") or (after in ("-", "‐") and text[end + 1 : end + 2].isalpha())


def _inside_longer_name(doc: _Document, first: int, last: int) -> bool:
    """Whether capitalised words run on around a match: "Musk" in "Elon Musk"."""
    before = first - 1
    if before >= 0 and _is_cap(doc.words[before]) and doc.spaced[before]:
        return not doc.sentence_initial(before) or doc.lower(before) not in words.FUNCTION_WORDS
    after = last + 1
    return (
        after < len(doc.words)
        and _is_cap(doc.words[after])
        and doc.spaced[last]
        and doc.lower(after) not in words.FUNCTION_WORDS
    )


def _location_only(doc: _Document, first: int, last: int, depth: int = 0) -> bool:
    """A state's name used as a place: "made in Russia", "a visit to Russia", "the capital of
    Russia", "the Moscow region". A possessive ("Russia's decision") is never only a place."""
    if doc.possessive(last):
        return False
    previous = first - 1
    if doc.lower(previous) == "the":
        previous -= 1
    word = doc.lower(previous)
    if word in words.LOCATION_PREPOSITIONS or word in words.DIRECTION_ADJECTIVES:
        return True
    if word == "for" and doc.lower(previous - 1) in ("bound", "headed", "heading", "destined"):
        return True
    if word in ("and", "or") and previous > 0 and doc.capital[previous - 1] and depth == 0:
        other = previous - 1  # "bound for Germany and the Netherlands": both places
        while other > 0 and doc.capital[other - 1] and doc.spaced[other - 1]:
            other -= 1
        return _location_only(doc, other, previous - 1, depth + 1)
    following = doc.lower(last + 1)
    if (
        doc.lower(first - 1) == "the"
        and first == last
        and last + 1 < len(doc.words)
        and following[:1].isalpha()
        and following == doc.words[last + 1]
        and following not in words.GROUP_VERBS
        and following not in words.VERB_BRIDGES
        and following not in words.FUNCTION_WORDS
    ):
        return True  # "the Madrid sports daily": the name qualifies a noun
    if word == "of" and doc.lower(previous - 1) in words.PLACE_OF_NOUNS:
        return True
    return doc.lower(last + 1) in words.PLACE_OR_THING_NOUNS


# --- Capitalised sequences -------------------------------------------------------------------


def _joined(doc: _Document, index: int) -> bool:
    """Whether token `index` and the next one can belong to one name."""
    if doc.spaced[index]:
        return True
    gap = doc.gap(index)
    word = doc.words[index]
    if _DOT_GAP.fullmatch(gap):
        return (len(word) == 1 and word.isupper()) or word in _ABBREVIATIONS
    return _AMP_GAP.fullmatch(gap) is not None


def _sequences(doc: _Document) -> Iterable[list[int]]:
    """Maximal runs of capitalised tokens with the particles between them."""
    count = len(doc.words)
    capital = doc.capital
    spaced = doc.spaced
    following = 0
    for index in itertools.compress(itertools.count(), capital):
        if index < following:
            continue
        run = [index]
        last_cap = index
        cursor = index
        while cursor + 1 < count and (spaced[cursor] or _joined(doc, cursor)):
            nxt = cursor + 1
            if capital[nxt]:
                last_cap = nxt
            elif doc.words[nxt] not in _PARTICLES:
                break
            if doc.gaps[cursor].strip() == "&":
                run.append(-1)  # an ampersand between two names splits them like "and"
            run.append(nxt)
            cursor = nxt
        run = run[: run.index(last_cap) + 1]
        yield run
        following = last_cap + 1


def _pieces(doc: _Document, run: list[int]) -> list[list[int]]:
    """Split a run at "and" and at particles that do not belong inside a name."""
    pieces: list[list[int]] = []
    current: list[int] = []
    for index in run:
        if index == -1 or doc.words[index] in _SPLIT_PARTICLES:
            if current:
                pieces.append(current)
            current = []
            continue
        word = doc.words[index]
        if word in ("of", "for", "the"):
            head = doc.words[current[-1]] if current else ""
            keep = bool(current) and (
                head in words.ORG_WORDS
                or head.lower() in words.PERSON_TITLES
                or head in ("Republic", "Kingdom", "State", "States", "Emirate", "Islands")
                or (word == "the" and head in ("of", "for"))
            )
            if not keep:
                if current:
                    pieces.append([i for i in current if doc.words[i] not in _PARTICLES])
                current = []
                continue
        current.append(index)
    if current:
        pieces.append(current)
    cleaned = []
    for piece in pieces:
        while piece and doc.words[piece[-1]] in _PARTICLES:
            piece.pop()
        while piece and doc.words[piece[0]] in _PARTICLES:
            piece.pop(0)
        if piece:
            cleaned.append(piece)
    return cleaned


def _adjectival(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """ "Russian", "North Korean" (as the second word checks), "Russian-made", "Sino-Russian"."""
    if word in words.DEMONYMS or word in extra:
        return True
    if "-" not in word:
        return False
    parts = word.split("-")
    if len(parts) < 2:
        return False
    if parts[-1] in _COMPOUND_TAILS:
        return True
    return all(
        p in words.DEMONYMS or p in words.STATES or p in ("Sino", "North", "South", "Pro", "Anti")
        for p in parts
    ) or ((parts[0] in words.DEMONYMS or parts[0] in words.STATES) and parts[-1].islower())


def _title_run(doc: _Document, piece: list[int], start: int) -> int:
    """The number of tokens of a title at piece[start:] ("Deputy Prime Minister"), or 0."""
    end = start
    last = -1
    titled = False
    while end < len(piece):
        lowered = doc.words[piece[end]].lower()
        if lowered in words.PERSON_TITLES:
            titled = True
            last = end
        elif lowered in words.TITLE_MODIFIERS:
            last = end
        elif lowered not in ("of", "for", "the"):
            break
        end += 1
    return last + 1 - start if titled else 0


def _split_at_title(doc: _Document, piece: list[int]) -> list[tuple[list[int], bool]]:
    """ "U.S. Secretary of State Antony Blinken" -> "U.S.", and "Antony Blinken" as a person."""
    if doc.words[piece[-1]] in words.ORG_WORDS:
        return [(piece, False)]
    for position in range(1, len(piece) - 1):
        if doc.words[piece[position]].lower() not in words.PERSON_TITLES:
            continue
        begin = position
        while begin > 1 and doc.words[piece[begin - 1]].lower() in words.TITLE_MODIFIERS:
            begin -= 1
        size = _title_run(doc, piece, begin)
        if size and begin + size < len(piece):
            left = piece[:begin]
            portfolio = doc.words[left[-1]]
            if (
                len(left) == 1
                and not portfolio.isupper()
                and portfolio not in words.STATES
                and portfolio not in doc.states
                and not _adjectival(portfolio)
            ):
                left = []  # "Transport Minister Yoon Seo-yeon": a portfolio, not a name
            return [(left, False), (piece[begin + size :], True)]
    return [(piece, False)]


def _strip(doc: _Document, piece: list[int]) -> tuple[list[int], bool]:
    """Drop what precedes a name inside a capitalised run: determiners and sentence-initial
    words, adjectives of nationality, months and weekdays, and titles (a cue of a person)."""
    person = False
    first_is_initial = doc.sentence_initial(piece[0])
    last_word = doc.words[piece[-1]]
    # An organisation keeps its own adjectives: "Korean Central News Agency".
    named_body = len(piece) > 1 and (last_word in words.ORG_WORDS or last_word in words.MEDIA_WORDS)
    position = 0
    while position < len(piece):
        index = piece[position]
        word = doc.words[index]
        lowered = word.lower()
        if ((lowered in words.FUNCTION_WORDS and len(word) > 1) or word in ("A", "I")) and not (
            named_body and lowered in _ORDINALS
        ):  # "Second Environmental Court"
            position += 1
            continue
        if _adjectival(word, doc.demonyms) and not named_body:
            position += 1
            continue
        if (
            not named_body
            and len(piece) - position > 1
            and f"{word} {doc.words[piece[position + 1]]}" in words.DEMONYMS
        ):
            position += 2
            continue
        if (word in words.MONTHS or word in words.WEEKDAYS) and not (
            person or (position == 0 and _title_before(doc, index))
        ):
            position += 1  # "In March Putin": but "spokesman Jan Ohl", "Minister Theresa May"
            continue
        titles = _title_run(doc, piece, position)
        if titles:
            remaining = piece[position + titles :]
            if remaining and doc.words[remaining[-1]] not in words.ORG_WORDS:
                person = True
                position += titles
                continue
            break
        if position == 0 and first_is_initial and lowered in doc.lower_vocabulary:
            position += 1
            continue
        break
    return piece[position:], person


def _title_before(doc: _Document, index: int) -> bool:
    """A lower-case role just before a name: "leader Kim Jong-un", "spokeswoman Ines Okafor"."""
    previous = index - 1
    return (
        previous >= 0
        and doc.words[previous][:1].islower()
        and doc.words[previous] in words.PERSON_TITLES
        and doc.spaced[previous]
    )


def _employer(doc: _Document, toks: list[str], last: int) -> bool:
    """A name before a lower-case role and a person's name is whom the person works for, used
    as a modifier: "Volkswagen chief executive Oliver Blume", "Rovers manager Jussi Korhonen".
    Not a portfolio ("Finance minister"), a party adjective ("Republican senator") or a word
    the text also writes in lower case ("Government spokesman")."""
    last_word = toks[-1]
    lowered = last_word.lower()
    if (
        lowered in words.TITLE_MODIFIERS
        or lowered in words.PERSON_TITLES
        or lowered in doc.lower_vocabulary
        or (len(toks) == 1 and last_word in words.PARTY_ADJECTIVES)
    ):
        return False
    index, titled = last + 1, False
    while index < len(doc.words) and index <= last + 4:
        if not doc.spaced[index - 1]:
            return False
        word = doc.words[index]
        if not word[:1].islower():
            break
        if word in words.PERSON_TITLES:
            titled = True
        elif word not in words.TITLE_MODIFIERS:
            return False
        index += 1
    return titled and index < len(doc.words) and doc.capital[index]


def _reporting_after(doc: _Document, last: int) -> bool:
    """A reporting verb after the name: "Okafor said", "Okafor has also said", "Okafor, the
    mayor, said"."""
    count = len(doc.words)
    nxt = last + 1
    if nxt >= count:
        return False
    gap = doc.gaps[last]  # normalised: "’s" reads "'s"
    if gap.strip() in ("", "'s") and "\n" not in gap:
        for _ in range(3):
            if nxt >= count:
                return False
            lowered = doc.lower(nxt)
            if lowered in words.REPORTING_VERBS:
                return True
            if lowered not in words.VERB_BRIDGES:
                return False
            nxt += 1
        return False
    if gap.strip() == ",":
        for cursor in range(nxt, min(count, nxt + 12)):
            between = doc.gaps[cursor - 1]
            if not _CLAUSE_MARKS.isdisjoint(between):
                return False
            if "," in between and cursor > nxt and doc.lower(cursor) in words.REPORTING_VERBS:
                return True
    return False


def _reporting_before(doc: _Document, first: int) -> bool:
    """A reporting verb or "according to" just before the name: "said Okafor"."""
    previous = first - 1
    if previous < 0 or not doc.spaced[previous]:
        return False
    word = doc.lower(previous)
    if word == "to" and doc.lower(previous - 1) == "according":
        return True
    return word in ("said", "says", "told", "added", "wrote", "asked", "warned", "noted")


def _candidate_for(
    doc: _Document, piece: list[int], headline: bool, titled: bool = False
) -> _Candidate | None:
    if not piece:
        return None
    title_cue = titled or _title_before(doc, piece[0])
    first_is_initial = doc.sentence_initial(piece[0])
    piece, person = _strip(doc, piece)
    if not piece:
        return None
    person = person or title_cue
    first, last = piece[0], piece[-1]
    start, end = doc.starts[first], doc.ends[last]
    toks = [doc.words[i] for i in piece]
    text = " ".join(toks)
    last_word = toks[-1]
    initial = first_is_initial and first == piece[0] and doc.sentence_initial(first)
    if _MONTHS_AND_WEEKDAYS.issuperset(toks) or text in words.DEMONYMS:
        return None
    if _adjectival(last_word, doc.demonyms) or last_word.lower() in words.FUNCTION_WORDS:
        return None
    if len(toks) == 1 and (
        toks[0].lower() in words.GROUP_NOUNS or toks[0].lower() in words.SPEAKER_NOUNS
    ):
        return None  # "Residents said": an unnamed group, read by the group rule
    if _continues_name(doc, first, last):
        return None
    media = (
        not words.MEDIA_WORDS.isdisjoint(toks)
        and (last_word in words.MEDIA_WORDS or last_word in words.WEAK_MEDIA_WORDS)
    ) or (toks[0] in words.BROADCAST_FIRSTS and not _ACRONYM.fullmatch(last_word))
    if len(toks) >= 2 and media:
        return _Candidate(start, end, "media", 0.85, "outlet-name")
    if len(toks) >= 2 and (
        last_word in words.ORG_WORDS
        or (
            ("of" in toks or "for" in toks)
            and any(
                toks[i] in words.ORG_WORDS and toks[i + 1] in ("of", "for")
                for i in range(len(toks) - 1)
            )
        )
    ):
        return _Candidate(start, end, "organization", 0.85, "organisation-name")
    if len(toks) >= 2 and (toks[0] in words.CLUB_WORDS or last_word in words.CLUB_WORDS):
        return _Candidate(start, end, "organization", 0.8, "club-name")
    if text in words.STATES or text in _BUILTIN_NAMES or text in doc.states:
        return None  # the built-in names are matched with the known names
    if not headline and _employer(doc, toks, last):
        return _Candidate(start, end, "organization", 0.7, "employer")
    if person and not (len(toks) == 1 and toks[0].isupper()):
        return _Candidate(start, end, "person", 0.85, "title")
    cue = doc.lower(first - 1)
    if cue in words.MEDIA_CUES and not initial:
        return _Candidate(start, end, "media", 0.75, "outlet-cue")
    if cue in words.ORGANIZATION_CUES and not initial:
        return _Candidate(start, end, "organization", 0.7, "organisation-cue")
    if len(toks) >= 2 and toks[0] in words.NON_ACTOR_FIRSTS:
        doc.non_actors.update(toks[1:])  # "Hallie" after "Storm Hallie"
        return None
    if len(toks) >= 2 and all(t.isupper() and len(t) > 2 for t in toks):
        return None  # a dateline or a shouted headline: "PORT ALDREN —"
    if len(toks) == 1 and last_word in doc.non_actors:
        return None
    acronym = len(toks) == 1 and _ACRONYM.fullmatch(last_word) is not None
    if acronym and (last_word in words.NON_ACTOR_ACRONYMS or _roman(last_word)):
        return None
    speaks = _reporting_after(doc, last)
    if not speaks and (
        last_word in words.NON_ACTOR_HEADS or doc.lower(last + 1) in words.PLACE_OR_THING_NOUNS
    ):
        return None
    if (speaks or _reporting_before(doc, first)) and not headline:
        kind = (
            "organization"
            if acronym or last_word in words.NON_ACTOR_HEADS
            else "person"
            if len(toks) > 1
            else None
        )
        return _Candidate(start, end, kind, 0.75, "speaker")
    if headline:
        return None
    place = doc.lower(first - 1) in ("in", "at", "near", "across", "inside", "throughout")
    if acronym and not place and not initial:
        return _Candidate(start, end, "organization", 0.7, "acronym")
    if place:
        return None
    if len(toks) >= 2:
        return _Candidate(start, end, "person", 0.6, "name", tier=1)
    if doc.possessive(last) and len(toks[0]) > 2:
        return _Candidate(start, end, None, 0.5, "possessive", tier=1)
    if initial and doc.capital_counts[last_word] > 1 and _SUBJECT_VERB.match(doc.text, end):
        return _Candidate(start, end, None, 0.5, "subject", tier=1)
    # A lone capitalised word without a cue: only the model may take it.
    return _Candidate(start, end, None, 0.3, "capitalised", tier=3)


# A verb after a sentence's first word: "Kestria borrowed", "Haddad has said".
_SUBJECT_VERB = regex.compile(
    r"[ \u00a0]+(?:(?:has|have|had|is|was|will|would|could|can|must|may|also|later|then)\b|"
    r"\p{Ll}+ed\b|(?:says|said|told|denies|denied|insists|wants|plans|expects)\b)"
)


_MONTHS_AND_WEEKDAYS = words.MONTHS | words.WEEKDAYS
_CLAUSE_MARKS = frozenset(".;!?:\n")


def _roman(word: str) -> bool:
    return regex.fullmatch(r"[IVXLC]+", word) is not None


# The built-in names as joined tokens: the rules leave them to the name matcher.
_BUILTIN_NAMES = frozenset(" ".join(k) for k in _BUILTIN.names())


def _rule_candidates(doc: _Document, out: list[_Candidate]) -> None:
    for run in _sequences(doc):
        headline = bool(doc.headlines) and doc.in_headline(doc.starts[run[0]])
        for whole in _pieces(doc, run):
            for piece, titled in _split_at_title(doc, whole):
                candidate = _candidate_for(doc, piece, headline, titled)
                if candidate is None:
                    continue
                out.append(candidate)
                if candidate.kind not in ("organization", "media"):
                    continue
                bracket = _BRACKETED.match(doc.text, candidate.end)
                if bracket:
                    out.append(
                        _Candidate(
                            bracket.start(1), bracket.end(1), candidate.kind, 0.85, "acronym"
                        )
                    )


# --- Unnamed groups and speakers -------------------------------------------------------------


_MODIFIER_BEFORE = regex.compile(r"\b([\p{L}-]+)[ \u00a0]$")
_DETERMINER_BEFORE = regex.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)[ \u00a0](?:[\p{L}-]+[ \u00a0]){0,2}$"
)
_WORD_AFTER = regex.compile(r"[ \u00a0]+([\p{L}'’-]+)")
_CLAUSE_AFTER = regex.compile(r"[^.;!?\n“”\"]{0,120}")
_SAID_BEFORE = regex.compile(
    r"(?:\b(?:said|says|added|according[ \u00a0]to|quoted)[ \u00a0]+)$", regex.IGNORECASE
)
_CAPITAL_AFTER = regex.compile(r",?[ \u00a0]+\p{Lu}")
_APPOSITION_BEFORE = regex.compile(r"\p{Lu}[\p{L}\p{M}'’.-]*,[ \u00a0]$")
_GROUP_PREPOSITIONS = words_of(
    """
    at from in with for of on across
    """
)
_NAME_AFTER = regex.compile(r",?[ \u00a0]+\p{Lu}\p{Ll}+[ \u00a0]+\p{Lu}")


def _acts_after(text: str, end: int, verbs: frozenset[str], bridges: int = 2) -> bool:
    cursor = end
    for _ in range(bridges + 1):
        match = _WORD_AFTER.match(text, cursor)
        if match is None:
            return False
        word = match.group(1).lower()
        if word in verbs:
            return True
        if word not in words.VERB_BRIDGES:
            return False
        cursor = match.end()
    return False


def _speaks_in_clause(text: str, end: int) -> bool:
    """A reporting verb later in the clause: "a spokeswoman for the ministry said"."""
    clause = _CLAUSE_AFTER.match(text, end)
    assert clause is not None
    return any(
        w.lower() in words.REPORTING_VERBS for w in regex.findall(r"\p{L}+", clause.group())[:14]
    )


_CLAUSE_STOPS = words_of(
    """
    and but or nor that which who whom whose because while if when after before than as
    be been being by to
    """
)
_NOT_DEFINING = words_of(
    """
    senior top other various numerous certain unnamed anonymous former new some many most
    few several more two three four five six seven eight nine ten dozens hundreds thousands
    """
)


def _group_acts(text: str, end: int) -> bool:
    """Whether the group is the subject of a verb of saying, thinking or acting in its
    clause: "analysts point to", "Economists polled by the daily expect", "Party officials,
    speaking privately, described". A passive ("were evacuated") or the end of the clause
    stops the search."""
    clause = _CLAUSE_AFTER.match(text, end)
    assert clause is not None
    for position, word in enumerate(regex.findall(r"\p{L}[\p{L}'’-]*", clause.group())[:10]):
        lowered = word.lower()
        if lowered in words.GROUP_VERBS:
            return True
        if lowered in _CLAUSE_STOPS and not (position == 0 and lowered in ("to", "by")):
            return False
    return False


def _defines_group(doc: _Document, word: str, offset: int) -> bool:
    """Whether the word before a group noun names its kind ("opposition lawmakers", "Fan
    groups"), not a quantity, a rank or a nationality ("many", "senior", "Russian")."""
    lowered = word.lower()
    if lowered in words.GROUP_MODIFIERS:
        return True
    if sum(1 for ch in word if ch.isupper()) > 1:
        return False  # an acronym: "WPK officials"
    if word[:1].isupper() and _SENTENCE_BEFORE.search(doc.text, max(0, offset - 6), offset) is None:
        return False  # a name before the group ("Pentagon officials") is its own actor
    return (
        len(word) > 2
        and word.isalpha()
        and lowered not in words.FUNCTION_WORDS
        and lowered not in words.GROUP_VERBS
        and lowered not in words.VERB_BRIDGES
        and lowered not in _NOT_DEFINING
        and not lowered.endswith(("ly", "ed", "ing"))
        and not _adjectival(word, doc.demonyms)
    )


def _speaks_later(text: str, end: int) -> bool:
    """A group placed by a phrase before its verb: "analysts at Moody's expect"."""
    match = _WORD_AFTER.match(text, end)
    if match is None or match.group(1).lower() not in _GROUP_PREPOSITIONS:
        return False
    clause = _CLAUSE_AFTER.match(text, end)
    assert clause is not None
    following = regex.findall(r"[\p{L}'’]+", clause.group())[1:8]
    return any(w.lower() in words.REPORTING_VERBS for w in following)


def _group_candidates(doc: _Document, out: list[_Candidate]) -> None:
    text = doc.text
    for head in doc.group_heads:
        start, end = doc.starts[head], doc.ends[head]
        modifier = _MODIFIER_BEFORE.search(text, max(0, start - 30), start)
        if modifier is not None and _defines_group(doc, modifier.group(1), modifier.start()):
            start = modifier.start()
        if _NAME_AFTER.match(text, end):
            continue
        said_before = _SAID_BEFORE.search(text, max(0, start - 30), start)
        acts = _group_acts(text, end)
        if said_before is not None or acts:
            out.append(_Candidate(start, end, "group", 0.7, "group"))
    for head in doc.speaker_heads:
        start, end = doc.starts[head], doc.ends[head]
        phrase = _DETERMINER_BEFORE.search(text, max(0, start - 40), start)
        if phrase is None:
            continue
        if _NAME_AFTER.match(text, end) or _CAPITAL_AFTER.match(text, end):
            continue
        if _APPOSITION_BEFORE.search(text, max(0, phrase.start() - 40), phrase.start()):
            continue  # "Lena Hart, a climate scientist at ...": the name is the actor
        said_before = _SAID_BEFORE.search(text, max(0, phrase.start() - 30), phrase.start())
        if said_before is not None or _speaks_in_clause(text, end):
            out.append(_Candidate(start, end, "person", 0.65, "unnamed-speaker"))


# --- Names found in this document, propagated through it -------------------------------------


def _document_table(
    doc: _Document, found: Sequence[_Candidate], refused: frozenset[str]
) -> _NameTable:
    table = _NameTable()
    full: list[tuple[tuple[str, ...], str | None, str | None]] = []
    # Names with a kind first: a surname learnt from a full name beats a bare "Okafor said".
    # (Those that teach no name are left out before the sort, which keeps the order of the rest.)
    ordered = sorted(
        (
            c
            for c in found
            if c.tier <= 1
            and c.kind != "group"
            and c.rule not in ("unnamed-speaker", "subject", "possessive")
        ),
        key=lambda c: (c.tier, c.kind is None, c.start - c.end),
    )
    unkinded: list[_Known] = []
    text = doc.text
    for candidate in ordered:
        tokens = _name_tokens(text[candidate.start : candidate.end])
        if not tokens or (refused and " ".join(tokens) in refused):
            continue
        score = 0.75 if candidate.tier == 0 else 0.6
        kind, key = candidate.kind, candidate.actor_key
        if kind is None:
            unkinded.append(_Known(tokens, kind, key, "same-name", score, False, True))
            continue
        if tokens not in table.by_tokens:  # else `add` keeps the name met first
            table.add(_Known(tokens, kind, key, "same-name", score, False, True))
        full.append((tokens, kind, key))
        if kind == "organization" and len(tokens) == 2:
            short = _short_name(doc, tokens)
            if short is not None and short not in refused:
                table.add(_Known((short,), kind, key, "short-name", score - 0.05, True, True))
        legal = len(tokens) > 2 and tokens[-1] in words.CORPORATE_SUFFIXES
        if kind == "organization" and legal and " ".join(tokens[:-1]) not in refused:
            table.add(_Known(tokens[:-1], kind, key, "short-name", score - 0.05, False, True))
    # A name met again teaches no other surname or acronym: each is read once, in order.
    _add_derived(table, dict.fromkeys(full), 0.7, refused)
    for known in unkinded:
        table.add(known)
    for state in doc.states:
        table.add(_Known((state,), "state", None, "state", 0.7, True))
    return table


def _short_name(doc: _Document, tokens: tuple[str, ...]) -> str | None:
    """How an article names an organisation the second time: "Meridia" for "Meridia
    Terminals", "Rovers" for "Northgate Rovers", "Albamar" for "Deportivo Albamar"."""
    first, last = tokens
    if first in words.CLUB_WORDS or last in words.CLUB_WORDS:
        short = last
    elif last in words.ORG_WORDS:
        short = first
    else:
        return None
    lowered = short.lower()
    if (
        lowered in doc.lower_vocabulary
        or lowered in words.FUNCTION_WORDS
        or (short in words.ORG_WORDS and short not in words.CLUB_WORDS)
        or short in words.STATES
        or _adjectival(short)
    ):
        return None
    return short


# --- Putting the layers together -------------------------------------------------------------


def find_actors(
    context: DocumentContext, knowledge: ActorKnowledge = NO_KNOWLEDGE
) -> list[Proposal]:
    """Propose ACTOR spans for one document, best first within each layer, sorted by offset.

    Spans overlapping an ACTOR annotation already in the document, and keys the annotator
    rejected in it, are not proposed. Each proposal says its `kind` when known, links to the
    registry actor when the name is a known one, and names the rule that found it.
    """
    text = context.text
    if not text.strip():
        return []
    doc = _Document(text)
    refused = knowledge._refused

    rules: list[_Candidate] = []
    _rule_candidates(doc, rules)
    _group_candidates(doc, rules)
    if refused:
        rules = [c for c in rules if _norm_text(text[c.start : c.end]) not in refused]

    found: list[_Candidate] = []
    _match_names(doc, (knowledge._table,), found)
    document_names = _document_table(doc, rules + found, refused)
    _match_names(doc, (_BUILTIN, document_names) if len(document_names) else (_BUILTIN,), found)
    candidates = found + rules

    if knowledge.model is not None:
        candidates = _apply_model(knowledge.model, doc, candidates, refused)

    return _resolve(context, candidates)


# The model reads at most this many characters of a document: about half a second of CPU for the
# small learned pipeline, whatever the article's length. Sentences with the rules' weakest
# guesses come first.
MODEL_CHARACTER_BUDGET = 80_000
_MODEL_SCORE = 0.5


def _apply_model(
    model: ActorModel, doc: _Document, candidates: list[_Candidate], refused: frozenset[str]
) -> list[_Candidate]:
    """Let the model read the sentences where the rules are unsure, add the names it finds
    there, confirm the rules' weak guesses it agrees with and drop those it does not."""
    text = doc.text
    strong = bytearray(len(text))
    for c in candidates:
        if c.tier == 0:
            strong[c.start : c.end] = b"\x01" * (c.end - c.start)
    unsure = sorted(c.start for c in candidates if c.tier > 0)
    open_capitals = [
        doc.starts[i]
        for i, capital in enumerate(doc.capital)
        if capital and not strong[doc.starts[i]] and not doc.sentence_initial(i)
    ]
    sentences = _sentence_spans(text)
    firsts = [start for start, _ in sentences]
    wanted: dict[int, int] = {}  # sentence index -> priority (0: weak guesses, 1: capitals)
    for priority, offsets in ((0, unsure), (1, open_capitals)):
        for offset in offsets:
            index = bisect.bisect_right(firsts, offset) - 1
            if index >= 0 and offset < sentences[index][1]:
                wanted.setdefault(index, priority)
    chosen: list[tuple[int, int]] = []
    budget = MODEL_CHARACTER_BUDGET
    for index in sorted(wanted, key=lambda i: (wanted[i], i)):
        start, end = sentences[index]
        if end - start > budget:
            continue
        budget -= end - start
        chosen.append((start, end))
    chosen.sort()
    if not chosen:
        return candidates
    read = bytearray(len(text))
    found: list[_Candidate] = []
    # The model only judges what the rules saw as a possible name: alone, a model trained on a
    # few documents proposes too much (measured: precision fell from 0.98 to 0.92).
    guesses = {(c.start, c.end) for c in candidates if c.tier > 0}
    predictions = model.predict([text[start:end] for start, end in chosen])
    for (offset, end), spans in zip(chosen, predictions, strict=True):
        read[offset:end] = b"\x01" * (end - offset)
        for start, stop, kind in spans:
            start, stop = _trim(text, offset + start, offset + stop)
            if (start, stop) in guesses and _norm_text(text[start:stop]) not in refused:
                found.append(_Candidate(start, stop, kind, _MODEL_SCORE, "model", tier=2))
    predicted = bytearray(len(text))
    for c in found:
        predicted[c.start : c.end] = b"\x01" * (c.end - c.start)
    kept: list[_Candidate] = []
    for c in candidates:
        if c.tier == 0 or not read[c.start]:
            kept.append(c)
        elif 1 in predicted[c.start : c.end]:
            c.score = min(0.7, c.score + 0.1)
            kept.append(c)  # the model agrees with a weak guess
        # else: the model read the sentence and saw no actor there
    return kept + found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave the spaces and quotes around a model's span out, as the guideline does."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".’'"):
        end -= 1
    return start, end


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        if match.group().strip():
            spans.append(match.span())
    return spans


_SENTENCE = regex.compile(r"[^\n]+?(?:[.!?][\"”’)]*(?=\s)|$)", regex.MULTILINE)


def _resolve(context: DocumentContext, candidates: list[_Candidate]) -> list[Proposal]:
    """One proposal per stretch of text: known names and strong cues first, longest first."""
    text = context.text
    taken = bytearray(len(text))
    for mention in context.annotations:
        if mention.label == LABEL:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    rejected = context.rejected
    kinds: dict[tuple[int, int], str] = {}
    for c in candidates:
        if c.kind is not None and c.rule != "speaker":
            kinds.setdefault((c.start, c.end), c.kind)
    ordered = sorted(
        (c for c in candidates if c.tier < 3),
        key=lambda c: (c.tier, c.start - c.end, -c.score, c.start),
    )
    proposals: list[Proposal] = []
    for candidate in ordered:
        start, end = candidate.start, candidate.end
        if (start, end, LABEL) in rejected or taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        # A speaker's kind is a guess from its length; a name's kind is known.
        guessed = candidate.rule == "speaker"
        kind = (kinds.get((start, end)) if guessed else None) or candidate.kind
        kind = kind or kinds.get((start, end))
        attributes = {"kind": kind} if kind else {}
        proposals.append(
            Proposal(
                start,
                end,
                LABEL,
                ACTORS,
                round(candidate.score, 3),
                candidate.rule,
                attributes,
                candidate.actor_key,
            )
        )
    proposals.sort(key=lambda p: p.start)
    return proposals


__all__ = [
    "KINDS",
    "LABEL",
    "NO_KNOWLEDGE",
    "ActorKnowledge",
    "ActorModel",
    "GazetteerEntry",
    "MarkedName",
    "RegistryActor",
    "find_actors",
    "read_gazetteer",
]
