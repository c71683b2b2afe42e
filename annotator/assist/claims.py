"""CLAIM suggestions: who said what, when, read from the reporting structures of news English.

`find_claims` proposes the claims the guideline asks for (its CLAIM and Links sections), each
with `quote_type`, `reporting_verb`, `hedged` and its links: SOURCE to the speaker's ACTOR
mention, TIME to the DATE mentions that say when the content happens, REPORTED_IN from an inner
claim to the claim that reports it.

It reads, in this order:

1. quotations with their speaker tag before, after or in the middle ("“…,” she said, “…”",
   "X said: “…”"), and quotations that carry on what the last speaker said;
2. reporting verbs with their subject and content: "X said (that) …", "…, X said", "…, said X",
   "X told reporters …", ", adding that …", and verbs of describing ("described Y as Z",
   "called it Z", "accused Y of Z");
3. "according to X, …" and "…, according to X";
4. hedges with no source ("reportedly", "is expected to", "it is understood that …").

Rules, not a parser: news attribution is a small set of fixed shapes, a regex pass finds them in
one sweep (a megabyte in a few tenths of a second), and a dependency parse of that megabyte
would take seconds without telling "said" from "the said agreement" any better. Speakers are
resolved by `annotator.assist._speakers`; sentences and quotations come from
`annotator.assist._layout`.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.assist._claim_words import (
    ADJUNCT,
    AUXILIARIES,
    BE_BEFORE,
    DOCUMENT_NOUNS,
    FINITE,
    HEDGES,
    HEDGING_LEMMAS,
    INFINITIVE_LEMMAS,
    NOT_A_SOURCE,
    NOUN_PHRASE_LEMMAS,
    OBJECT_PRONOUNS,
    PARAPHRASE_LINK,
    PERSON_NOUNS,
    SPEAKER_PRONOUNS,
    THING_NOUNS,
    TOLD_OBJECT,
    UNATTRIBUTED_ADVERBS,
    VERB_PREPOSITIONS,
    VERBS,
    WORD_START,
    Frame,
    Verb,
    cue_verb,
    either_case,
    trie_pattern,
    words,
)
from annotator.assist._layout import Layout, Quote
from annotator.assist._speakers import ActorIndex
from annotator.assist.base import (
    CLAIMS,
    DocumentContext,
    Mention,
    Proposal,
    ProposedRelation,
    SpanKey,
)
from annotator.domain.schema import ACTOR, CLAIM, DATE, REPORTED_IN, SOURCE, TIME

DIRECT = "direct"
INDIRECT = "indirect"
PARAPHRASE = "paraphrase"
UNATTRIBUTED = "unattributed"

# Which proposal wins where two readings of one stretch overlap, and the score it starts from.
_RULE_SCORE = {
    "quote-tag": 0.9,
    "quote-lead": 0.88,
    "quote-colon": 0.75,
    "quote-continued": 0.65,
    "according-to": 0.85,
    "said-that": 0.85,
    "said": 0.78,
    "tag-after": 0.8,
    "tag-middle": 0.6,
    "participle": 0.72,
    "paraphrase": 0.7,
    "hedge": 0.6,
    "hedge-modal": 0.45,
}

# Verbs that introduce a quotation after it ("“…,” she recalled") beyond the reporting verbs.
_TAG_ONLY = """continued recalled replied shouted exclaimed quipped joked laughed sighed cried
mused scoffed snapped wrote tweeted posted explained remarked declared concluded answered
continues recalls replies shouts exclaims quips jokes laughs sighs cries muses scoffs snaps
writes tweets posts explains remarks declares concludes answers"""

# How far back the checks on the words before a verb look: regexes anchored at the end of a
# string are tried from every position, so the string is kept short.
_TAIL = 40
# The most of a sentence read on each side of a verb or a hedge: no claim is longer.
_WINDOW = 1000
_WORD_CHARS = frozenset("_’'&.-")


def _last_word_start(segment: str, lo: int) -> int:
    """Where the word that ends `segment` (spaces stripped) starts; -1 when it ends otherwise.

    A walk over one word's characters: a regex anchored at the end would be tried from every
    position of the segment.
    """
    i = len(segment)
    while i > lo and segment[i - 1].isspace():
        i -= 1
    end = i
    while i > lo and (segment[i - 1].isalnum() or segment[i - 1] in _WORD_CHARS):
        i -= 1
    return i if i < end else -1


_TAIL_COMMA_ADVERB = re.compile(
    r",\s*(?:however|too|also|though|meanwhile|in\s+turn|for\s+(?:his|her|its|their)\s+part"
    r"|in\s+response|in\s+reply)\s*,\s*$",
    re.IGNORECASE,
)
_NOT_ADVERBS = words(
    """family ally assembly rally supply reply monopoly anomaly homily lily jelly belly bully
        tally fly italy july"""
)
_PREPOSITIONS = words(
    """of for from at with by in on to near under within inside among behind about via against
    between polled quoted"""
)


def _governed(before: str) -> str:
    """The preposition that governs what follows `before` ("a spokeswoman for (the) ...",
    "polled by the financial daily ..."), or "": the preposition, a determiner and up to three
    lower-case words."""
    tail = before[-50:].split()[-5:]
    if not before[-1:].isspace() and before:
        return ""
    for i, word in enumerate(reversed(tail)):
        low = word.lower()
        if low in _PREPOSITIONS:
            return low
        if i >= 4 or not word.isalpha() or not word.islower():
            return ""
    return ""


_COORDINATION = re.compile(r"(?:,\s*and|\s+and|\s*&|,)\s+$")
_NP_STOP = words(
    """that which who whom whose and but while as if because when where said says told is was
        were are has have had will would than after before since although though or nor yet so
        then once also"""
)
_DETERMINERS = words(
    """the a an this that these those its his her their our my your some many several"""
)
# What stands just before a reporting verb: "That said,", a form of "be" ("was told": passive;
# "is saying": progressive), "got" (passive), or a determiner ("the reported exchanges").
_BE_WORDS = words("is are was were be been being am")
_GET_WORDS = words("get got gets")
_BEFORE_ADVERBS = words("not also still")
_DETERMINER_WORDS = words(
    """the a an this these those its his her their our some widely so often much previously
    initially recently first as"""
)


def _before_verb(before: str) -> str | None:
    """How the words before a verb read: "that_said" ("That said," opening the sentence
    `before` holds), "be", "get", "determiner" or None."""
    if before.endswith("-"):
        return "determiner"  # "so-called"
    tail = before[-30:].split()
    if not tail:
        return None
    last = tail[-1].lower()
    if last in {"that", "having"} and before.strip().lower() == last:
        return "that_said"
    if last in _DETERMINER_WORDS or last.endswith(("’s", "'s")):
        return "determiner"
    if (last.endswith("ly") or last in _BEFORE_ADVERBS) and len(tail) > 1:
        last = tail[-2].lower()
    if last in _BE_WORDS:
        return "be"
    if last in _GET_WORDS:
        return "get"
    return None


# Patterns used with match() carry no "^": match() anchors at its `pos`, where "^" would not.
_OPENER = re.compile(r"[“\"‘«(\[]+")
_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»", "„": "“", "(": ")", "[": "]"}
_CLOSERS = '”"’»)]'
_TRAILING = " \t\n\r,.;:—–-"
_LEADING = re.compile(r"[\s,;:—–-]+")
# A reporting verb the source does not use to assert anything: refused, negated.
_NOT_SAYING = re.compile(
    r"\b(?:declined|declines|decline|refused|refuses|refuse|would\s+not|wouldn['’]t|did\s+not"
    r"|didn['’]t|does\s+not|doesn['’]t|do\s+not|don['’]t|could\s+not|couldn['’]t|will\s+not"
    r"|won['’]t|never|has\s+not|hasn['’]t|have\s+not|haven['’]t)\s+(?:to\s+)?(?:yet\s+)?$",
    re.IGNORECASE,
)
# An indirect question after the verb: "would not say whether the agency would pay".
_QUESTION = re.compile(r"\s*(?:whether|if|when|why|how|what|who|where|which)\b", re.IGNORECASE)
_THAT = re.compile(r"\s*(?:,\s*)?that\b\s*", re.IGNORECASE)
_COLON = re.compile(r"\s*:\s*")
_TO_VERB = re.compile(r"\s*to\s+\w", re.IGNORECASE)
# Where the content of a reporting verb ends inside its sentence, besides the sentence end.
_CONTENT_STOP = re.compile(
    r";\s|\s+[—–]\s|,\s+(?:according\s+to|adding|saying|noting|arguing|insisting|warning"
    r"|stressing|explaining|claiming|stating|declaring|suggesting|while|whereas)\b"
    # ", after inflation proved stickier": the article's own account, not the speaker's; but
    # ", after the international break" belongs to the statement.
    r"|,\s+after\s+(?=(?:[\w’'-]+\s+){0,5}?(?:[a-z]{3,}ed|was|were|is|are|had|has|have|began"
    r"|fell|rose|went|came|took|made)\b)"
    r"|,\s+(?:he|she|they|it|the\s+\w+|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)\s+(?:said|says"
    r"|added|adds|told|noted|wrote|argued|warned|insisted)\b"
    # ", a move Beijing called protectionism", ", a figure analysts said was too low": what
    # someone else makes of the statement, in an apposition after it.
    r"|,\s+(?:a|an)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:that\s+|which\s+)?(?:he|she|they|critics"
    r"|analysts|officials|residents|opponents|observers|the\s+\w+|[A-Z][\w’'-]+"
    r"(?:\s+[A-Z][\w’'-]+)*)\s+(?:called|describe[sd]|dismissed|termed|labell?ed|branded"
    r"|denied|said|says|welcomed|critici[sz]ed|condemned|rejected|disputed)\b",
)
# Describing verbs stop sooner: "called it the best gift, while expressing gratitude".
_PARAPHRASE_STOP = re.compile(
    r"[;,]\s+(?:while|whereas|but|although|though|adding|saying|noting|which|who|before"
    r"|after|when|because|since|despite|and)\b|\s+while\s+\w+ing\b|;\s|\s+[—–]\s"
    # "called the claims baseless and demanded an apology": a second verb of the speaker
    r"|\s+and\s+(?:then\s+|later\s+|also\s+)?(?=[a-z]{3,}ed\b)"
)
# A comma-closed opener that is not part of a statement: "In September 2023, ...".
_INTRO = re.compile(
    r"(?:(?:But|And|Yet|So|Still|Now|Then)\s+)?(?:(?:In|On|At|During|Earlier|Later|Last|This"
    r"|Next|Since|Meanwhile|However|Separately|Also|Yesterday|Today|Ultimately|Instead"
    r"|Moreover|Furthermore|Nevertheless|Overall|Previously|Until|By|After|Before|Following"
    r"|Back|For\s+now|So\s+far|In\s+addition|By\s+contrast|Earlier\s+in)\b[^,]{0,70},\s+"
    r"|(?:But|And|Yet|So|Still|Now)\s+)",
)
_QUESTION_END = re.compile(r"\?[”\"’»)\]]*$")
_NAMING_BEFORE = re.compile(
    r"(?:\b(?:a|an|is|are|was|were|be|been|so|one|thing|things|something|what|group|programme"
    r"|program|project|operation|plan|place|town|village|city|film|book|song|party|movement"
    r"|initiative|company|firm|man|woman|person|people)|-)\s*$",
    re.IGNORECASE,
)
_CALL_PARTICLE = re.compile(
    r"\s+(?:for|on|upon|off|up|in|out|back|together|it\s+quits|into|at|after|over|by|from"
    r"|to|him\s+back|her\s+back|them\s+back)\b",
    re.IGNORECASE,
)
_PARTICIPLE_BEFORE = re.compile(
    r"(?:,|\bas|\bby|\bwhile|\band|\bafter|\bbefore|\bwithout)\s*$", re.IGNORECASE
)
_LATE_THAT = re.compile(
    r"\s*(?:outside|inside|at|in|on|during|after|before|near|from|to|via|through|over|under"
    r"|with|late|early|last|this|earlier|ahead\s+of|following)\s+[^,.;:!?“”\"()]{0,60}?"
    r"\bthat\s+",
    re.IGNORECASE,
)
# Verbs that come before their subject after a statement: "…, said Okafor".
_INVERTING = words(
    """say add write explain insist warn note argue claim recall reply state declare report
    confirm announce tell continue observe remark admit concede stress"""
)
_ASIDE = re.compile(r",\s+([^,;:!?“”\"]{1,80}?)(?=\s*(?:[.;!?”\"’]|,\s*[“\"‘])|\s*$)")
_SPLIT_TAG = re.compile(r"[^.!?;“”\"\n]{3,160}?,\s*")
_OFFICE_NOUNS = words("office spokesman spokeswoman spokesperson campaign team lawyer lawyers")
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
_NO_CONTENT = words(
    "little nothing much so otherwise something anything more less goodbye hello yes no sorry"
)
# Verbs that may name whom they address before "that": "warned colleagues that".
_ADDRESSING = words("tell warn assure reassure remind inform promise caution advise convince")
_ADDRESSEE_THAT = re.compile(r"\s+(?!to\b)[^,.;:!?“”\"]{1,60}?\bthat\s+")
_TOLD_THAT = re.compile(r"[^.;:!?“”\"]{1,100}?\bthat\s+")
_ASIDE_THAT = re.compile(
    r"\s*,?\s*(?:published|released|issued|posted|seen|obtained|dated|sent|made|delivered"
    r"|given|written|on|in|at|during|after|before|late|earlier)\b[^,.;:!?“”\"]{1,80},\s*that\s+",
    re.IGNORECASE,
)
_MODALS = words("could may might")
_SUBORDINATORS = words("if when whether unless although though while because as once until")
_RELATIVES = words("that which who whom whose where")
_MODAL_VERB = re.compile(
    r"\s+(?:(?:also|well|still|even|soon|yet|eventually|now)\s+)?([a-z]{2,})\b"
)
_ABILITY = words("not see hear feel smell only barely hardly just never")
# Found by the literal " that " first, which re does fast, then the conjunction before it.
_AND_THAT = re.compile(r",?\s(?:and|but)(?= that )\sthat\s")
_CLAUSE_JOINT = re.compile(
    r",\s+(?:and|but|while|whereas|although|though|yet|as|after|because|since|when|so)\s+"
    r"|;\s+|\s+[—–]\s+"
)
_RELATIVE_BEFORE = re.compile(r",\s*(?:which|who)\b[^,]*$", re.IGNORECASE)
_CUE = re.compile(r"[a-z’'-]+(?: [a-z’'-]+)*")
_INNER_STOP = re.compile(r"[.!?]\s")
_SPACE_COMMA = re.compile(r"\s*,?\s*")
_STOP_MARK = re.compile(r"[.;!?]")
_LEAD_END = re.compile(r"(?:,|:|\bthat)\s*$", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+(\w+)\s+")
_CLAUSE_SPLIT = re.compile(r",|\s(?:and|but|or)\s")
_WORD = re.compile(r"[\w’'-]+")
_LINKS = {link: re.compile(rf"\s{link}\s") for link in ("as", "of", "for")}
_AS = re.compile(r"\s+(?:as\s+)?")
_UNTIL_COMMA = re.compile(r"[^,;—–]*")
_EIGHT_WORDS = re.compile(r"(?:[^\s]+\s+){0,7}[^\s]+")
_CLAUSE_COMMA = re.compile(r",(?!\d)")
_RELATIVE_AFTER = re.compile(r",\s*(?:who|which)\b[^,]*,?")
_IT_IS = re.compile(r"^it\s+(?:is|was|has\s+been|had\s+been)\s+")
_POSSESSIVE_END = re.compile(r"[’']s?$")
_UNTIL_MARK = re.compile(r"[^,;:.!?“”\"]*")
_FIRST_WORD = re.compile(r"\s*([\w’'-]+)")
_PLACE_AFTER = re.compile(r"^(?:,?\s*(?:on|in|at)\s+\w+)")
_LONE_THAT = re.compile(r",?\s*that|:")
_NEXT_CLAUSE = re.compile(
    r"\s*[,;]?\s*(?:adding|saying|noting|arguing|insisting|warning|stressing|explaining"
    r"|claiming|and|but|while|as|in\s+a|before|after)\b|\s*[,;]\s*[“\"‘]"
)
# "PORT ALDREN — ", "VALMORA, Feb 3 (Reuters) - ".
_MID_TAG = re.compile(r"[^,.;:!?“”\"]{0,40},\s+(?!and\b|but\b|while\b|adding\b|saying\b)[a-z]")
_DATELINE = re.compile(
    r"[A-Z][A-Z .,'’-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?(?:\s*\([^()]{1,30}\))?"
    r"\s+[—–-]+\s+"
)
_PAST = re.compile(
    r"\b(?:[a-z]{3,}ed|rose|fell|grew|stood|went|came|made|took|gave|left|held|began|became"
    r"|won|lost|saw|knew|got|ran|met|paid|sold|bought|built|kept|led|brought|found|spent"
    r"|drew|drove|flew|wrote|spoke|broke|chose|struck|felt|sent|meant|fled|shot|says|is|are)\b"
)
STRONG_LEMMAS = words(
    """say tell claim argue insist warn believe think contend assert maintain predict estimate
        write add reckon fear suspect stress reiterate declare state allege"""
)
_QUOTED_AS = re.compile(
    r"\b(?:(?:is|was|were|are|been)\s+quoted(?:\s+by\s+.{1,80}?)?"
    r"|quot(?:ed|ing|es)\s+(.{1,120}?))\s+as\s+$",
    re.IGNORECASE,
)
_CLAUSE_OPENER = re.compile(
    r"\b(?:that|whether|because|if|when|as|after|before|while|although|though)\s+", re.IGNORECASE
)


@dataclass(slots=True)
class _Subject:
    """Who a reporting phrase names as its speaker, before it is resolved to a mention."""

    how: str  # mention, pronoun, role, inherit, document, group, name, unknown
    start: int  # where the subject phrase starts in the text
    mentions: tuple[Mention, ...] = ()
    word: str = ""  # the pronoun, or the head noun of a role
    modifiers: tuple[str, ...] = ()
    pos: int = 0  # resolution looks for the actor before this offset

    @property
    def credible(self) -> bool:
        """A subject a claim can stand on: a mention, a speaker word, or a document."""
        return self.how in {
            "mention",
            "relative",
            "pronoun",
            "role",
            "inherit",
            "document",
            "group",
            "plural",
            "name",
        }


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    quote_type: str
    verb: str
    rule: str
    cue_start: int  # the attribution (subject and verb) ...
    cue_end: int  # ... for nesting: an inner claim's cue lies inside the outer claim
    subject: _Subject | None
    sentence: int
    hedged: bool = False
    time_from: int = -1  # a DATE in [time_from, start) fixes the claim's time
    follows: _Candidate | None = None  # a quotation that carries on this one's speaker
    sources: list[Mention] = field(default_factory=list)
    outer: SpanKey | None = None
    score: float = 0.0

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, CLAIM)


def _remove_kept(kept: list[_Candidate], candidate: _Candidate) -> None:
    """`kept.remove(candidate)`: the first element equal to it goes. The list is in order of
    start, and an equal one has the same start, so the search begins where that start does
    (a scan from the front, comparing every field, made settling the claims of a long text
    quadratic)."""
    index = bisect_left(kept, candidate.start, key=lambda c: c.start)
    while not (kept[index] is candidate or kept[index] == candidate):
        index += 1
    del kept[index]


@dataclass(frozen=True, slots=True)
class _Patterns:
    verbs: re.Pattern[str]  # every reporting verb form
    tags: re.Pattern[str]  # verbs that may tag a quotation ("“…,” she recalled")
    coordinated: re.Pattern[str]  # where a content stops for the next verb of its subject
    table: dict[str, Verb]


@functools.lru_cache(maxsize=16)
def _verb_patterns(cues: frozenset[str]) -> _Patterns:
    """The reporting-verb regexes and verb table, with the annotator's `cues` added."""
    table = dict(VERBS)
    for cue in cues:
        form = " ".join(cue.lower().split())
        if form and form != "according to" and _CUE.fullmatch(form):
            table.setdefault(form, cue_verb(form))
    alternation = trie_pattern(either_case(table))
    verbs = re.compile(WORD_START + r"(?:" + alternation + r")\b")
    tags = either_case(set(table) | set(_TAG_ONLY.split()))
    tag_pattern = re.compile(WORD_START + r"(?:" + trie_pattern(tags) + r")\b")
    # "said X and warned that Y", "confirmed X, but said Y": the second verb starts anew.
    participles = trie_pattern(form for form, verb in table.items() if verb.participle)
    alternation = trie_pattern(table)  # after a conjunction: lower case
    coordinated = re.compile(
        r"(?:,\s*|\s+)(?:and|but)\s+(?:(?:also|then|later|has|have|had|separately|again)\s+)*"
        r"(?:" + alternation + r")\b|,\s+(?:and|but)\s+(?=[A-Z])"
        r"|,\s+(?:and|but|while|whereas|which|who)\s+(?:[\w’'-]+\s+){1,5}?"
        # "which was expected to produce": a passive, not a new speaker's verb
        r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)(?<!\bbeen\s)(?:"
        + alternation
        + r")\b"
        r"|,\s+(?:" + participles + r")\b"
        # "the car was a gift, KCNA reported.": a tag after the statement ends it
        r"|,\s+(?:[A-Z][\w’'.-]*(?:\s+[\w’'.-]+){0,4}?|he|she|they|it|the\s+\w+)\s+(?:"
        + alternation
        + r")\b(?=[^,.;:!?]{0,60}[.;!?”\"]?\s*$)",
    )
    return _Patterns(verbs, tag_pattern, coordinated, table)


# One-word reporting verb forms, with the words of the quotation tags ("recalled", "tweeted").
REPORTING_WORDS: frozenset[str] = frozenset(
    form for form in (*VERBS, *_TAG_ONLY.split()) if " " not in form
)


def find_claims(
    context: DocumentContext, mentions: Sequence[Mention], *, cues: frozenset[str] = frozenset()
) -> list[Proposal]:
    """Propose CLAIM spans with their attributes and SOURCE, TIME and REPORTED_IN links.

    `mentions` are the document's ACTOR and DATE spans (annotations and earlier engines'
    proposals); `cues` are reporting verbs the annotator has used, read like the built-in ones.
    No proposal overlaps a CLAIM annotation of `context`, except an inner claim of a nested
    attribution inside it, which links to it by REPORTED_IN.
    """
    return _Engine(context, mentions, cues).run()


class _Engine:
    """One run over one document."""

    def __init__(
        self, context: DocumentContext, mentions: Sequence[Mention], cues: frozenset[str]
    ) -> None:
        self.context = context
        self.text = context.text
        self.layout = Layout(self.text)
        known = [*mentions, *context.annotations]
        self.actors = ActorIndex(self.text, (m for m in known if m.label == ACTOR))
        dates = {m.key: m for m in known if m.label == DATE and 0 <= m.start < m.end}
        self.dates = sorted(dates.values(), key=lambda m: m.start)
        self.date_starts = [m.start for m in self.dates]
        self.existing = sorted(
            (m for m in context.annotations if m.label == CLAIM), key=lambda m: m.start
        )
        patterns = _verb_patterns(cues)
        self.verbs, self.tags, self.table = patterns.verbs, patterns.tags, patterns.table
        self.coordinated = patterns.coordinated
        self.speakers: dict[int, list[Mention]] = {}  # sentence -> resolved speakers
        self._subjects: dict[int, Mention | None] = {}
        self.candidates: list[_Candidate] = []
        self.used_verbs: set[int] = set()  # verbs read as quotation tags already

    # The run -----------------------------------------------------------------------------

    def run(self) -> list[Proposal]:
        if not self.text.strip():
            return []
        self._find_hedges()
        self._quotations()
        self._reporting_verbs()
        self._according_to()
        self._hedges()
        self._mark_hedged()
        self._resolve_speakers()
        kept = self._settle_overlaps()
        return self._proposals(kept)

    # Sentences -----------------------------------------------------------------------------

    def _sentence(self, pos: int) -> tuple[int, int, int]:
        """The sentence around `pos`: its index and its bounds, cut to a window around `pos`
        so that a text with no full stops (a list, a transcript) costs no more per verb than
        one with them."""
        i = self.layout.sentence_at(pos)
        if i < 0:
            return -1, 0, 0
        start, end = self.layout.sentences[i]
        return i, max(start, pos - _WINDOW), min(end, pos + _WINDOW)

    def _skippable(self, sentence: int) -> bool:
        """Headlines and questions carry no claim of their own."""
        _, end = self.layout.sentences[sentence]
        if self.layout.is_headline(self.layout.sentence_paragraph[sentence]):
            return True
        return _QUESTION_END.search(self.text, max(0, end - 6), end) is not None

    # 1. Quotations -------------------------------------------------------------------------

    def _quotations(self) -> None:
        last: _Candidate | None = None
        last_quote: Quote | None = None
        for quote in self.layout.quotes:
            found = self._quotation(quote, last, last_quote)
            if found is not None:
                self.candidates.append(found)
                last, last_quote = found, quote

    def _quotation(
        self, quote: Quote, last: _Candidate | None, last_quote: Quote | None
    ) -> _Candidate | None:
        text = self.text
        sentence, s_start, s_end = self._sentence(quote.open)
        if sentence < 0:
            return None
        inner = text[quote.start : quote.end]
        if len(inner.split()) < 2:
            return None  # a word in quotation marks is a name or a scare quote
        if _QUESTION_END.search(inner) and not _INNER_STOP.search(inner):
            return None  # a question claims nothing
        start, end = _trim(text, quote.start, quote.end)
        # The second half of a quotation broken by its tag: "“…,” said Novak, 54, “and …”".
        if (
            last is not None
            and last_quote is not None
            and last.rule == "quote-tag"
            and last_quote.close <= quote.open
            and _SPLIT_TAG.fullmatch(text, last_quote.close, quote.open)
        ):
            found = self._direct(start, end, last.verb, "quote-tag", None, quote.open, sentence)
            found.follows = last
            return found
        if start >= end:
            return None
        paragraph = self.layout.sentence_paragraph[sentence]
        headline = self.layout.is_headline(paragraph)

        # A tag after the quotation: "“…,” she said", "“…,” said the minister".
        if quote.closed:
            tag = self._tag_after(quote, s_end)
            if tag is not None:
                tag_verb, tag_subject, cue_end = tag
                return self._direct(
                    start, end, tag_verb, "quote-tag", tag_subject, cue_end, sentence
                )
        if headline and not self._lead_is_name(quote, s_start):
            return None
        # A tag before it: "X said: “…”", "X said that “…”", "“…,” he said, “…”".
        lead = self._tag_before(quote, s_start)
        if lead is not None:
            verb, subject, rule = lead
            cue_start = subject.start if subject is not None else quote.open
            return self._direct(start, end, verb, rule, subject, quote.open, sentence, cue_start)
        # A quotation that opens a sentence with no tag carries on what the last speaker said
        # (resolved with the other speakers, once every claim before it is known).
        if text[s_start : quote.open].strip() or len(inner.split()) < 3:
            return None
        carried_on = _Subject("continue", quote.open, pos=quote.open)
        return self._direct(start, end, "", "quote-continued", carried_on, quote.open, sentence)

    def _direct(
        self,
        start: int,
        end: int,
        verb: str,
        rule: str,
        subject: _Subject | None,
        cue_end: int,
        sentence: int,
        cue_start: int | None = None,
    ) -> _Candidate:
        return _Candidate(
            start,
            end,
            DIRECT,
            verb,
            rule,
            cue_start if cue_start is not None else start,
            cue_end,
            subject,
            sentence,
        )

    def _lead_is_name(self, quote: Quote, s_start: int) -> bool:
        """A headline quotation with its speaker: "Novak: “We will appeal”"."""
        lead = self.text[s_start : quote.open].rstrip()
        return lead.endswith(":") and self.actors.ending_at(s_start + len(lead) - 1) is not None

    def _tag_after(self, quote: Quote, s_end: int) -> tuple[str, _Subject, int] | None:
        text = self.text
        limit = min(len(text), quote.close + 160)
        nxt = self.layout.quotes_between(quote.close, limit)
        if nxt:
            limit = min(limit, nxt[0].open)
        paragraph_end = self.layout.paragraphs[self.layout.paragraph_at(quote.open)][1]
        limit = min(limit, paragraph_end)
        window = text[quote.close : limit]
        opening = _SPACE_COMMA.match(window)
        begin = quote.close + (opening.end() if opening else 0)
        closing = text[quote.start : quote.close].rstrip("”\"’'» ")[-1:]
        if closing not in {",", "?", "!", "—", "–", "-", "…"} and "," not in window[:2]:
            return None  # "“theft in broad daylight” from people ...": a quoted phrase
        # The tag stops at the sentence end or the next comma after the verb.
        verb_match = self.tags.search(text, begin, limit)
        if verb_match is None or verb_match.start() - begin > 90:
            return None
        if _STOP_MARK.search(text, begin, verb_match.start()):
            return None
        verb = _verb_text(verb_match.group())
        if verb_match.start() == begin:  # "“…,” said Novak"
            subject, subject_end = self._subject_after(verb_match.end(), limit)
            if subject is None:
                return None
            subject.start = begin
            self.used_verbs.add(verb_match.start())
            return verb, subject, subject_end
        subject = self._subject_before(begin, verb_match.start())
        if subject is None or subject.how in {"unknown", "inherit"}:
            return None
        self.used_verbs.add(verb_match.start())
        return verb, subject, verb_match.end()

    def _tag_before(self, quote: Quote, s_start: int) -> tuple[str, _Subject | None, str] | None:
        text = self.text
        lead_start = max(s_start, quote.open - _TAIL * 5)
        lead = text[lead_start : quote.open]
        if not lead.strip():
            # "Novak said:" may end the sentence or paragraph before the quotation.
            previous = self.layout.sentence_at(quote.open) - 1
            if previous < 0:
                return None
            p_start, p_end = self.layout.sentences[previous]
            p_start = max(p_start, p_end - _TAIL * 5)
            if not text[p_start:p_end].rstrip().endswith(":"):
                return None
            lead_start, lead = p_start, text[p_start:p_end]
        # Everything up to a closed quotation before this one belongs to that one's tag.
        stripped = lead.rstrip()
        tail = _LEAD_END.search(stripped, max(0, len(stripped) - 12))
        verbs = list(self.tags.finditer(text, lead_start, lead_start + len(stripped)))
        if verbs:
            last = verbs[-1]
            between = text[last.end() : lead_start + len(stripped)]
            if _only_adjuncts(between):
                self.used_verbs.add(last.start())
                verb = _verb_text(last.group())
                region_start = _region_start(text, lead_start, last.start())
                if text[last.start() - 1 : last.start()] == "-":
                    return None  # "the so-called “peace plan”"
                subject = self._subject_before(region_start, last.start())
                if subject is None or not subject.credible:
                    return None
                rule = "quote-colon" if stripped.endswith(":") else "quote-lead"
                return verb, subject, rule
        if tail is not None and stripped.endswith(":"):
            # "Novak was blunt: “…”": the speaker is the sentence's subject.
            subject = self._sentence_subject(lead_start, lead_start + len(stripped))
            if subject is not None:
                return "", subject, "quote-colon"
        return None

    # 2. Reporting verbs --------------------------------------------------------------------

    def _reporting_verbs(self) -> None:
        # A long text writes the same few hundred verb forms thousands of times, and a
        # sentence may hold several verbs: each form is read and each sentence judged once.
        forms: dict[str, str] = {}
        skipped: dict[int, bool] = {}
        for match in self.verbs.finditer(self.text):
            pos = match.start()
            if pos in self.used_verbs or self.layout.quote_around(pos) is not None:
                continue
            written = match.group()
            form = forms.get(written)
            if form is None:
                form = forms[written] = _verb_text(written)
            verb = self.table.get(form)
            if verb is None:
                continue
            sentence, s_start, s_end = self._sentence(pos)
            if sentence < 0:
                continue
            skip = skipped.get(sentence)
            if skip is None:
                skip = skipped[sentence] = self._skippable(sentence)
            if skip:
                continue
            if written[0].isupper() and pos > self._statement_start(s_start, s_end):
                continue  # "the United States", "Says Farm": a name, not a verb
            for found in self._reporting_verb(verb, form, pos, match.end(), s_start, s_end):
                found.sentence = sentence
                self.candidates.append(found)

    def _reporting_verb(
        self, verb: Verb, written: str, pos: int, verb_end: int, s_start: int, s_end: int
    ) -> list[_Candidate]:
        text = self.text
        before = text[max(s_start, pos - _TAIL) : pos]
        kind = _before_verb(text[s_start:pos] if pos - s_start < 12 else before)
        if kind == "that_said" and text[verb_end : verb_end + 1] == ",":
            return []  # "That said, ..."
        progressive = kind == "be"
        if verb.participle:
            if not progressive and not _PARTICIPLE_BEFORE.search(before):
                return []
        elif kind in {"be", "get", "determiner"}:
            return []  # "was told", "is said to", "the reported exchanges"
        adjuncts_end = _skip_adjuncts(text, verb_end, s_end)
        after = adjuncts_end
        if verb.lemma == "tell" and not _ends_sentence(text, after, s_end):
            # "…, Kim told KCNA.": a tag whose verb has its addressee after it
            told = TOLD_OBJECT.match(text, verb_end, s_end)
            told_end = _skip_adjuncts(text, told.end(), s_end) if told else after
            if _ends_sentence(text, told_end, s_end):
                after = told_end
        if (
            verb.frame is Frame.WEAK
            and not _ends_sentence(text, after, s_end)
            and not self._weak_content(verb, verb_end, after, s_end)
        ):
            return []  # "signaling a moment of hospitality": no statement follows
        region_start = _region_start(text, s_start, pos)
        if verb.frame is Frame.PARAPHRASE:
            found = self._paraphrase(verb, written, pos, verb_end, region_start, s_start, s_end)
            return [found] if found is not None else []

        subject: _Subject | None
        quoted = None
        if verb.participle and before.rstrip().endswith(" as"):
            offset = max(s_start, pos - 160)
            quoted = _QUOTED_AS.search(text[offset:pos])
        if quoted is not None:
            if quoted.group(1) is not None:  # "KCNA quoted Kim as saying ..."
                subject = self._noun_phrase_subject(
                    offset + quoted.start(1), offset + quoted.end(1)
                )
            else:  # "Kim was quoted (by KCNA) as saying ...": Kim said it
                passive = offset + quoted.start()
                subject = self._subject_before(_region_start(text, s_start, passive), passive)
        elif verb.participle and not progressive:
            subject = _Subject("inherit", region_start, pos=pos)
        else:
            subject = self._subject_before(region_start, pos)

        head = text[region_start:pos].rstrip()
        if subject is not None and subject.credible:
            # Postposed: "The barrier will hold, Okafor said."
            comma = _comma_before(text, s_start, subject.start)
            if comma is not None and _ends_sentence(text, after, s_end):
                found = self._postposed(verb, written, comma, s_start, subject, pos, verb_end)
                return [found] if found is not None else []
            if comma is not None and _MID_TAG.match(text, verb_end, s_end):
                # "The plan, the union said, was a betrayal": the tag splits the statement,
                # which is read whole.
                found = self._postposed(verb, written, s_end, s_start, subject, pos, after)
                if found is not None:
                    found.rule = "tag-middle"
                return [found] if found is not None else []
        elif not head or head.endswith(","):
            # Inverted: "The barrier will hold, said Okafor."
            if verb.lemma not in _INVERTING:
                return []
            inverted, subject_end = self._subject_after(verb_end, s_end)
            comma = _comma_before(text, s_start, pos)
            if inverted is None or comma is None:
                return []
            if not _ends_sentence(text, _skip_adjuncts(text, subject_end, s_end), s_end):
                return []
            inverted.start = pos
            found = self._postposed(verb, written, comma, s_start, inverted, pos, subject_end)
            return [found] if found is not None else []
        if subject is None or (not subject.credible and subject.how != "unknown"):
            return []
        if subject.how == "unknown" and verb.frame is not Frame.CLAUSE:
            return []
        return self._preposed(verb, written, pos, verb_end, s_end, subject, adjuncts_end)

    def _weak_content(self, verb: Verb, verb_end: int, after: int, s_end: int) -> bool:
        """Whether a statement can follow a verb that also takes a plain object: "that", a
        colon, a clause, or what the verb's own frame allows. A quick test, made before the
        subject is looked for; `_preposed` reads the content itself."""
        text = self.text
        if (
            _THAT.match(text, after, s_end)
            or _LATE_THAT.match(text, after, s_end)
            or _ASIDE_THAT.match(text, after, s_end)
            or text[after : after + 1] == ":"
        ):
            return True
        lemma = verb.lemma
        if lemma in NOUN_PHRASE_LEMMAS or lemma in VERB_PREPOSITIONS:
            return True
        rest = text[after : min(s_end, after + 160)]
        if lemma in INFINITIVE_LEMMAS and (_TO_VERB.match(rest) or _object_to(rest)):
            return True
        clause = " ".join(_CLAUSE_SPLIT.split(rest, maxsplit=1)[0].split()[:10])
        return bool(FINITE.search(clause) or _PAST.search(clause))

    def _preposed(
        self,
        verb: Verb,
        written: str,
        pos: int,
        verb_end: int,
        s_end: int,
        subject: _Subject,
        adjuncts_end: int,
    ) -> list[_Candidate]:
        """ "X said (that) …": the content follows the verb and what may stand after it;
        `adjuncts_end` is where the adjuncts right after the verb end (`_skip_adjuncts`)."""
        text = self.text
        cursor = verb_end
        lemma = verb.lemma
        if _NOT_SAYING.search(text, max(0, pos - 40), pos):
            return []  # "declined to say", "did not say that ...": nothing is asserted
        if _QUESTION.match(text, adjuncts_end, s_end):
            return []  # "said whether ...", "asked when ...": an open question, not a claim
        if lemma in _ADDRESSING:
            # "told the club's television channel, Albamar TV, that ...", "warned cabinet
            # colleagues that ...": "that" decides.
            pattern = _TOLD_THAT if lemma == "tell" else _ADDRESSEE_THAT
            told_that = pattern.match(text, cursor, s_end)
            if told_that is not None:
                return self._contents(
                    verb, written, pos, told_that.end(), s_end, subject, "said-that"
                )
        if lemma == "tell":
            told = TOLD_OBJECT.match(text, cursor, s_end)
            if told is None:
                return []
            cursor = told.end()
        prepositions = VERB_PREPOSITIONS.get(lemma)
        if prepositions:
            word = _NEXT_WORD.match(text, cursor, s_end)
            if word and word.group(1).lower() in prepositions:
                # The verb alone is the reporting verb: "warned" of "warned of a flood".
                return self._contents(verb, written, pos, word.end(), s_end, subject, "said")
        # Skipped already when nothing was read after the verb.
        cursor = adjuncts_end if cursor == verb_end else _skip_adjuncts(text, cursor, s_end)
        # "told reporters outside the port gates that ...", "argued at trial that ...".
        late_that = _LATE_THAT.match(text, cursor, s_end) or _ASIDE_THAT.match(text, cursor, s_end)
        if late_that is not None:
            return self._contents(verb, written, pos, late_that.end(), s_end, subject, "said-that")
        that = _THAT.match(text, cursor, s_end)
        if that is not None:
            return self._contents(verb, written, pos, that.end(), s_end, subject, "said-that")
        colon = _COLON.match(text, cursor, s_end)
        if colon is not None and colon.group().strip():
            return self._contents(verb, written, pos, colon.end(), s_end, subject, "said")
        rest = text[cursor : min(s_end, cursor + _TAIL * 8)]
        opening = " ".join(rest.split()[:10])
        # A weak verb's clause starts at once: "agreed a contract and will ..." is no clause.
        clause = " ".join(_CLAUSE_SPLIT.split(rest, maxsplit=1)[0].split()[:10])
        if _TO_VERB.match(rest):
            if lemma not in INFINITIVE_LEMMAS:
                return []
        elif lemma in {"urge", "expect"}:
            # "urged parliament to act", "expects profits to rise": object and infinitive.
            if not _object_to(rest):
                return []
        elif lemma in NOUN_PHRASE_LEMMAS:
            pass
        elif lemma in STRONG_LEMMAS or (verb.lemma == verb.form and verb.frame is Frame.CLAUSE):
            first_words = rest.split()[:4]
            # "has said little about her plans", but "said nothing had changed"
            if (
                first_words
                and first_words[0].lower() in _NO_CONTENT
                and not FINITE.search(" ".join(first_words[1:]))
            ):
                return []
            # "said the barrier would hold", "said prices rose": a clause follows "said".
            if not (FINITE.search(opening) or _PAST.search(opening)) and len(opening.split()) < 3:
                return []
        elif not (FINITE.search(clause) or _PAST.search(clause)):
            return []  # "conceded in a short speech", "confirmed the deal": no statement
        return self._contents(verb, written, pos, cursor, s_end, subject, "said")

    def _contents(
        self,
        verb: Verb,
        written: str,
        pos: int,
        start: int,
        s_end: int,
        subject: _Subject,
        rule: str,
    ) -> list[_Candidate]:
        """The claims after a reporting verb: one, or one per "and that" ("said X and that Y")."""
        text = self.text
        end = self._content_end(start, s_end)
        if subject.how == "relative":
            comma = text.find(",", start, end)
            end = comma if comma > 0 else end
        found = []
        for piece_start, piece_end in _and_that_pieces(text, start, end):
            candidate = self._content(verb, written, pos, piece_start, piece_end, subject, rule)
            if candidate is not None:
                found.append(candidate)
            rule = "said-that"
        return found

    def _content_end(self, start: int, s_end: int) -> int:
        text = self.text
        end = s_end
        stop = _CONTENT_STOP.search(text, start, end)
        if stop is not None:
            end = stop.start()
        coordinated = self.coordinated.search(text, start, end)
        if coordinated is not None and self.layout.quote_around(coordinated.start()) is None:
            end = coordinated.start()
        return end

    def _content(
        self,
        verb: Verb,
        written: str,
        pos: int,
        start: int,
        end: int,
        subject: _Subject,
        rule: str,
    ) -> _Candidate | None:
        text = self.text
        start, end = _trim(text, start, end)
        if start >= end or len(text[start:end].split()) < 2:
            return None
        first = text[start:end].split()[0].lower()
        leftover = first in {"in", "on", "at", "by", "with", "and", "for", "against", "about"} or (
            first == "to" and verb.lemma not in INFINITIVE_LEMMAS
        )
        leftover = leftover and rule != "said-that"
        if leftover and not FINITE.search(text[start : min(end, start + 80)]):
            return None  # leftover adjuncts ("said in Kyiv on ...") are not what was said
        return _Candidate(
            start,
            end,
            DIRECT if _wholly_quoted(text, start, end) else INDIRECT,
            written,
            rule,
            subject.start,
            pos + len(written),
            subject,
            -1,
            hedged=verb.lemma in HEDGING_LEMMAS,
        )

    def _postposed(
        self,
        verb: Verb,
        written: str,
        comma: int,
        s_start: int,
        subject: _Subject,
        pos: int,
        cue_end: int,
    ) -> _Candidate | None:
        """ "The barrier will hold, Okafor said.": the content is the clause before the comma."""
        text = self.text
        start = self._statement_start(s_start, comma)
        start, end = _trim(text, start, comma)
        if start >= end or len(text[start:end].split()) < 3:
            return None
        if self.layout.quote_around(start) is not None or _wholly_quoted(text, start, end):
            return None  # the quotation rule reads quotations
        return _Candidate(
            start,
            end,
            INDIRECT,
            written,
            "tag-after",
            min(subject.start, pos),
            cue_end,
            subject,
            -1,
            hedged=verb.lemma in HEDGING_LEMMAS,
        )

    def _paraphrase(
        self,
        verb: Verb,
        written: str,
        pos: int,
        verb_end: int,
        region_start: int,
        s_start: int,
        s_end: int,
    ) -> _Candidate | None:
        """ "described Y as Z", "called it Z", "accused Y of Z", "dismissed Y as Z"."""
        text = self.text
        lemma = verb.lemma
        if verb.participle and not text[max(s_start, pos - 3) : pos].rstrip().endswith(","):
            return None
        before = text[max(s_start, pos - 40) : pos]
        if lemma == "call":
            if _NAMING_BEFORE.search(before):
                return None  # "a group called X", "is called X"
            particle = _CALL_PARTICLE.match(text, verb_end, s_end)
            if particle is not None:
                word = particle.group().strip().lower()
                if word in {"for", "on", "upon"}:
                    return self._call_for(written, pos, particle.end(), region_start, s_end)
                return None
        subject = (
            _Subject("inherit", region_start, pos=pos)
            if verb.participle
            else self._subject_before(region_start, pos)
        )
        if subject is None or subject.how in {"unknown", "document"}:
            return None
        stop = _PARAPHRASE_STOP.search(text, verb_end, s_end)
        clause_end = stop.start() if stop is not None else s_end
        coordinated = self.coordinated.search(text, verb_end, clause_end)
        if coordinated is not None:
            clause_end = coordinated.start()
        link = PARAPHRASE_LINK.get(lemma, "as")
        leading = _LEADING.match(text, verb_end, clause_end)
        obj = text[leading.end() if leading else verb_end : clause_end]
        obj_start = clause_end - len(obj)
        first = _WORD.match(obj)
        if first is None:
            return None
        pronoun = first.group().lower() in OBJECT_PRONOUNS
        if link:
            found = _LINKS[link].search(text, obj_start, clause_end)
            if found is None:
                return None
            if len(text[obj_start : found.start()].split()) > 14:
                return None
            start = found.end() if pronoun else obj_start
        else:
            as_word = _AS.match(obj, first.end())
            start = obj_start + (as_word.end() if pronoun and as_word else 0)
        start, end = _trim(text, start, clause_end)
        if start >= end or (not pronoun and len(text[start:end].split()) < 2):
            return None
        return _Candidate(
            start, end, PARAPHRASE, written, "paraphrase", subject.start, verb_end, subject, -1
        )

    def _call_for(
        self, written: str, pos: int, start: int, region_start: int, s_end: int
    ) -> _Candidate | None:
        """ "called for a ceasefire", "called on Russia to withdraw": what the speaker urged."""
        subject = self._subject_before(region_start, pos)
        if subject is None or not subject.credible:
            return None
        word = self.text[pos + len(written) : start].strip().lower()
        verb = VERBS["call"]
        found = self._contents(verb, f"{written} {word}", pos, start, s_end, subject, "said")
        for c in found:
            c.quote_type = INDIRECT
        return found[0] if found else None

    # 3. According to -----------------------------------------------------------------------

    def _according_to(self) -> None:
        text = self.text
        at = text.find("ccording to ")
        while at > 0:
            pos, phrase_start = at - 1, at + len("ccording to ")
            at = text.find("ccording to ", phrase_start)
            if text[pos] not in "Aa" or (pos > 0 and text[pos - 1].isalnum()):
                continue
            if self.layout.quote_around(pos) is not None:
                continue
            sentence, s_start, s_end = self._sentence(pos)
            if sentence < 0 or self._skippable(sentence):
                continue
            found = self._according(phrase_start, pos, s_start, s_end)
            if found is not None:
                found.sentence = sentence
                self.candidates.append(found)

    def _according(self, np_start: int, pos: int, s_start: int, s_end: int) -> _Candidate | None:
        text = self.text
        phrase = _UNTIL_COMMA.match(text, np_start, min(s_end, np_start + _TAIL * 5))
        np_end = _trim(text, np_start, phrase.end() if phrase else np_start)[1]
        np_text = text[np_start:np_end]
        if not np_text.strip() or NOT_A_SOURCE.match(np_text):
            return None
        # The speaker is named at the phrase's start: "according to prosecutors in the case".
        first_clause = _EIGHT_WORDS.match(np_text)
        subject = self._noun_phrase_subject(
            np_start,
            np_start + (first_clause.end() if first_clause else len(np_text)),
            head_first=True,
        )
        subject.start = pos
        lead = text[s_start:pos]
        opener = _INTRO.match(lead) or _DATELINE.match(lead)
        if not lead[opener.end() if opener else 0 :].strip(" ,"):
            # "According to X, the plant will open": the content follows the phrase.
            content_start = np_end
            if text.startswith(",", np_end):
                relative = _RELATIVE_AFTER.match(text, np_end, s_end)
                content_start = relative.end() if relative else np_end + 1
            start, end = _trim(text, content_start, self._content_end(content_start, s_end))
        else:
            content_end = s_start + len(lead.rstrip())
            if not _ends_sentence(text, np_end, s_end):
                content_end = s_end  # "The plant, according to X, will open": the whole sentence
            start = self._statement_start(s_start, pos)
            start, end = _trim(text, start, content_end)
        if start >= end or len(text[start:end].split()) < 2:
            return None
        quote_type = DIRECT if _wholly_quoted(text, start, end) else INDIRECT
        return _Candidate(
            start, end, quote_type, "according to", "according-to", pos, np_end, subject, -1
        )

    # 4. Hedges without a source ------------------------------------------------------------

    def _find_hedges(self) -> None:
        """Every hedge of the text, once: where each sits (for the `hedged` attribute) and which
        can open a claim of their own ("reportedly", "is expected to", "It is understood that").
        """
        text = self.text
        self.hedge_starts: list[int] = []
        self.unattributed: list[tuple[int, int, str, bool]] = []  # start, end, phrase, "it..."
        for match in HEDGES.finditer(text):
            pos = match.start()
            if match.group("raised") is not None:
                be = BE_BEFORE.search(text, max(0, pos - 30), pos)
                if be is None or (match.group("link") == "that") != (be.group("it") is not None):
                    continue  # "the expected rise", "said to reporters"; "that" needs "It is"
                pos = be.start()
                phrase = " ".join(text[pos : match.end()].lower().split())
                if be.group("it"):
                    phrase = _IT_IS.sub("it is ", phrase)
                self.unattributed.append((pos, match.end(), phrase, be.group("it") is not None))
            elif match.group("seem") is not None:
                phrase = " ".join(match.group().lower().split())
                self.unattributed.append((pos, match.end(), phrase, False))
            elif match.group("word").lower() in UNATTRIBUTED_ADVERBS:
                self.unattributed.append((pos, match.end(), match.group().lower(), False))
            elif match.group("word") == "could" and self._ability(match.end()):
                continue  # "repairs could not wait": no hedge
            elif match.group("word") in _MODALS and self._modal_statement(pos, match.end()):
                self.unattributed.append((pos, match.end(), match.group(), False))
            self.hedge_starts.append(pos)

    def _ability(self, end: int) -> bool:
        """ "could not", "could see": what someone was able to do, not a possibility."""
        following = _MODAL_VERB.match(self.text, end)
        return following is not None and following.group(1) in _ABILITY

    def _modal_statement(self, pos: int, end: int) -> bool:
        """ "The ruling could also help the council": a main clause the article hedges with a
        modal. Not one in a relative or conditional clause ("sectors that could ...", "if it
        may ..."), and only with a short subject of its own and a verb after the modal."""
        text = self.text
        sentence, s_start, _ = self._sentence(pos)
        if sentence < 0:
            return False
        start, _ = self._clause_start(s_start, pos)
        subject = text[start:pos].split()
        if not 1 <= len(subject) <= 8 or any(not w[-1].isalnum() for w in subject):
            return False
        if subject[0].lower() in _SUBORDINATORS or any(w.lower() in _RELATIVES for w in subject):
            return False
        return _MODAL_VERB.match(text, end) is not None

    def _hedges(self) -> None:
        text = self.text
        covered = sorted(
            (min(c.start, c.cue_start), max(c.end, c.cue_end)) for c in self.candidates
        )
        starts = [c[0] for c in covered]
        for pos, trigger_end, phrase, it_that in self.unattributed:
            if self.layout.quote_around(pos) is not None:
                continue
            sentence, s_start, s_end = self._sentence(pos)
            if sentence < 0 or self._skippable(sentence):
                continue
            if _covered(starts, covered, pos):
                continue
            # The whole clause, its subject and the hedge included: "The plant is expected to
            # open in 2026"; "It is understood that" is left out and the clause after it is
            # the claim.
            start, time_from = (
                (trigger_end, trigger_end) if it_that else self._clause_start(s_start, pos)
            )
            end = self._content_end(max(start, trigger_end), s_end)
            # In a relative clause the claim ends with it: "The deal, which is reportedly
            # worth $2bn, was signed".
            relative = _RELATIVE_BEFORE.search(text, max(s_start, pos - 120), pos)
            if relative is not None:
                start = time_from = pos
                comma = _CLAUSE_COMMA.search(text, trigger_end, end)  # not "120,000"
                end = comma.start() if comma is not None else end
            start, end = _trim(text, start, end)
            if start >= end or len(text[start:end].split()) < 2:
                continue
            candidate = _Candidate(
                start,
                end,
                UNATTRIBUTED,
                phrase,
                "hedge-modal" if phrase in _MODALS else "hedge",
                start,
                start,
                None,
                sentence,
                hedged=True,
                time_from=time_from,
            )
            self.candidates.append(candidate)
            i = bisect_left(starts, start)
            covered.insert(i, (start, end))
            starts.insert(i, start)

    def _mark_hedged(self) -> None:
        """A claim is hedged when a hedge sits in it or in its attribution."""
        hedges = self.hedge_starts
        for c in self.candidates:
            begin = min(c.cue_start, c.start)
            i = bisect_left(hedges, begin)
            if i < len(hedges) and hedges[i] < c.end:
                c.hedged = True

    # Speakers ------------------------------------------------------------------------------

    def _subject_before(self, lo: int, end: int) -> _Subject | None:
        """The subject of a verb at `end`, read back from it to `lo` (the clause start)."""
        text = self.text
        end = self._strip_auxiliaries(lo, end)
        segment = text[lo:end].rstrip()
        if not segment:
            return None
        seg_end = lo + len(segment)
        if segment.endswith(","):
            return self._appositive_subject(lo, seg_end - 1)
        if segment.endswith(")"):
            # "the Port Aldren Dockworkers’ Union (PADU) said": the name before the brackets.
            opening = segment.rfind("(")
            if opening > 0 and seg_end - (lo + opening) < 40:
                named = self._subject_before(lo, lo + opening)
                if named is not None and named.how == "mention":
                    return named
                inner = self.actors.ending_at(seg_end - 1)
                if inner is not None and inner.start == lo + opening + 1:
                    return _Subject("mention", lo + opening, (inner,))
                return named
            return None
        if segment[-1] in '”"’».;:!?]':
            return None
        mention = self.actors.ending_at(seg_end)
        if mention is not None:
            return self._mention_subject(mention, lo, seg_end)
        tail_start = max(0, len(segment) - _TAIL)
        word_begin = _last_word_start(segment, tail_start)
        if word_begin < 0:
            return None
        word = segment[word_begin:]
        low = word.lower()
        word_start = lo + word_begin
        if low in SPEAKER_PRONOUNS:
            if low in {"we", "i"}:
                return None
            return _Subject("pronoun", word_start, word=low, pos=word_start)
        if low in {"who", "which"}:
            antecedent = text[lo:word_start].rstrip()
            if antecedent.endswith(","):
                found = self._subject_before(lo, lo + len(antecedent) - 1)
                if found is not None:
                    found.how = "relative" if found.how == "mention" else found.how
                    if found.how == "relative" or found.credible:
                        return found
            return None
        if low in {"and", "but", "then", "also", "or"}:
            return _Subject("inherit", word_start, pos=word_start)
        return self._noun_phrase_subject(self._noun_phrase_start(lo, seg_end), seg_end)

    def _strip_auxiliaries(self, lo: int, end: int) -> int:
        text = self.text
        for _ in range(6):
            tail_start = max(lo, end - _TAIL)
            segment = text[tail_start:end]
            comma = _TAIL_COMMA_ADVERB.search(segment) if segment.rstrip()[-1:] == "," else None
            if comma is not None:
                end = tail_start + comma.start()
                continue
            stripped = segment.rstrip()
            begin = _last_word_start(stripped, 0)
            if begin < 0:
                break
            last = stripped[begin:]
            low = last.lower()
            adverb = (
                last.islower() and low.endswith("ly") and len(low) > 4 and low not in _NOT_ADVERBS
            )
            if low in AUXILIARIES or adverb:
                end = tail_start + begin
                continue
            break
        return end

    def _appositive_subject(self, lo: int, comma: int) -> _Subject | None:
        """The subject before asides: "Novak, the finance minister, said", "Hart, 54, who has
        led the union since 2019, warned", "The finance minister, Jana Novak, said"."""
        text = self.text
        end = comma
        for _ in range(4):
            segment = text[lo:end].rstrip()
            previous = segment.rfind(",")
            if previous < 0:
                return None
            inner_start = lo + previous + 1
            inner_end = lo + len(segment)
            mention = self.actors.ending_at(inner_end)
            if mention is not None and not text[inner_start : mention.start].strip(" "):
                return _Subject("mention", lo + previous, (mention,))
            if len(text[inner_start:inner_end].split()) > 25:
                return None
            found = self._subject_before(lo, lo + previous)
            if found is not None and found.how not in {"unknown", "inherit"}:
                return found
            end = lo + previous
        return None

    def _mention_subject(self, mention: Mention, lo: int, end: int) -> _Subject:
        text = self.text
        before = text[max(lo, mention.start - 50) : mention.start]
        if _governed(before):
            # "a spokeswoman for the Ministry said", "Reports from KCNA indicate".
            return self._noun_phrase_subject(self._noun_phrase_start(lo, end), end)
        chosen = [mention]
        start = mention.start
        for _ in range(6):
            joint = _COORDINATION.search(text[max(lo, start - 8) : start])
            if joint is None:
                break
            if not chosen[1:] and "and" not in joint.group() and "&" not in joint.group():
                break
            other = self.actors.ending_at(start - len(joint.group()))
            if other is None:
                break
            chosen.insert(0, other)
            start = other.start
        if (
            len(chosen) > 1
            and "and" not in text[chosen[-2].end : chosen[-1].start]
            and ("&" not in text[chosen[-2].end : chosen[-1].start])
        ):
            chosen = [mention]
            start = mention.start
        return _Subject(
            "mention", self._noun_phrase_start(lo, start) if start > lo else start, tuple(chosen)
        )

    def _noun_phrase_start(self, lo: int, end: int) -> int:
        """Where the noun phrase that ends at `end` starts, at most ten words back.

        It stops at punctuation, a clause word ("that", "and", "said") or a DATE ("On Tuesday
        Novak said"), and never inside an ACTOR mention.
        """
        text = self.text
        window = max(lo, end - 100)
        chunk = text[window:end]
        cursor = len(chunk)
        start = end
        for count, word in enumerate(reversed(chunk.split())):
            at = chunk.rfind(word, 0, cursor)
            cursor = at
            last, first = word[-1], word[0]
            if count >= 10 or not (last.isalnum() or last in "’'.") or word.lower() in _NP_STOP:
                break
            if not (first.isalnum() or first in "_’'"):
                lead = len(word) - len(word.lstrip('“"‘«(['))
                start = window + at + lead if lead < len(word) else start
                break
            start = window + at
        if self.dates:
            i = bisect_left(self.date_starts, end) - 1
            if i >= 0 and start <= self.dates[i].start and self.dates[i].end <= end:
                start = max(start, self.dates[i].end)
                start += len(text[start:end]) - len(text[start:end].lstrip())
        inside = self.actors.before(start, lambda m: m.start < start < m.end, limit=80)
        return inside.start if inside is not None else start

    def _noun_phrase_subject(self, start: int, end: int, *, head_first: bool = False) -> _Subject:
        """The speaker a noun phrase names: the head's mention, or a role, or a document."""
        text = self.text
        mentions = self.actors.inside(start, end)
        if mentions and all(_possessive_at(text, m.end) for m in mentions):
            # "Kestria's environment minister": the minister speaks, not Kestria; "Novak's
            # office", "Kestria's government": the owner does.
            last = _WORD.findall(text, mentions[-1].end, end)[-1:]
            if last and last[0].lower() in PERSON_NOUNS and last[0].lower() not in _OFFICE_NOUNS:
                mentions = []
        if mentions:
            head = self._head_mention(mentions, start, end, head_first)
            return _Subject("mention", start, (head,)) if head else _Subject("group", start)
        words = _WORD.findall(text, start, end)
        # The head is the last word before "of"/"for"/"from": "the head of the agency".
        for i, w in enumerate(words):
            if w.lower() in {"of", "for", "from", "at", "in", "with", "on"} and i > 0:
                words = words[:i]
                break
        if not words:
            return _Subject("unknown", start)
        head = words[-1]
        if head.lower() in DOCUMENT_NOUNS or head.lower() in _OFFICE_NOUNS:
            for w in words[:-1]:  # "the agency’s own estimate": the agency speaks
                owner = _POSSESSIVE_END.sub("", w).lower()
                if owner != w.lower() and (owner in PERSON_NOUNS or owner in THING_NOUNS):
                    return _Subject("role", start, word=owner, pos=start)
                if owner in _POSSESSIVE_PRONOUNS:  # "her office said": she does
                    word = _POSSESSIVE_PRONOUNS[owner]
                    return _Subject("pronoun", start, word=word, pos=start)
        low = head.lower()
        modifiers = tuple(w.lower() for w in words[:-1] if w.lower() not in _DETERMINERS)
        singular = low[:-1] if low.endswith("s") else low
        if low in DOCUMENT_NOUNS or singular in DOCUMENT_NOUNS:
            return _Subject("document", start)
        if low in PERSON_NOUNS and words[0].lower() in {"a", "an", "one", "another"}:
            return _Subject("group", start)  # "a spokeswoman said": someone not named before
        if low in PERSON_NOUNS or low in THING_NOUNS:
            return _Subject("role", start, word=low, modifiers=modifiers, pos=start)
        if singular in PERSON_NOUNS or singular in THING_NOUNS:
            return _Subject("group", start)  # "officials said", unmarked: no mention to link
        if head[:1].isupper() and words[0].lower() not in _DETERMINERS:
            return _Subject("name", start)
        if low.endswith("s") and len(words) <= 3 and head.islower():
            return _Subject("plural", start)  # "critics said", "domestic audiences"
        return _Subject("unknown", start)

    def _head_mention(
        self, mentions: Sequence[Mention], start: int, end: int, head_first: bool
    ) -> Mention | None:
        """Of the mentions in a subject phrase, the one that speaks.

        Not one after "of/for/from" ("a spokeswoman for the ministry") nor one before "’s"
        ("Putin’s spokesman Dmitry Peskov") while another remains; not the agent of "by" at all
        unless the phrase is a document ("a report by Amnesty": yes; "economists polled by the
        Ledger": the Ledger did not speak).
        """
        text = self.text

        def governed(m: Mention) -> str:
            return _governed(text[max(start, m.start - 50) : m.start])

        def possessive(m: Mention) -> bool:
            return _possessive_at(text, m.end)

        best = [m for m in mentions if not governed(m) and not possessive(m)]
        if not best:
            # "According to figures published by X" names its source; a subject phrase names
            # a speaker by "by" only when it is a document: "a report by Amnesty said".
            document = head_first or any(
                w.lower() in DOCUMENT_NOUNS for w in _WORD.findall(text, start, mentions[0].start)
            )
            best = [
                m
                for m in mentions
                if not possessive(m) and (document or governed(m) not in {"by", "polled"})
            ] or [m for m in mentions if governed(m) not in {"by", "polled"}]
        if not best:
            return None
        return best[0] if head_first else best[-1]

    def _subject_after(self, start: int, limit: int) -> tuple[_Subject | None, int]:
        """The subject of an inverted tag: "said Novak", "said a spokeswoman for the ministry"."""
        text = self.text
        pos = start + len(text[start:limit]) - len(text[start:limit].lstrip())
        phrase = _UNTIL_MARK.match(text, pos, limit)
        end = phrase.end() if phrase else pos
        end = _trim(text, pos, end)[1]
        if end <= pos:
            return None, start
        word = _WORD.match(text, pos, end)
        if word is not None and word.group().lower() in {"he", "she", "they", "it"}:
            return _Subject("pronoun", pos, word=word.group().lower(), pos=pos), word.end()
        if len(text[pos:end].split()) > 10:
            return None, start
        subject = self._noun_phrase_subject(pos, end, head_first=True)
        # An aside closes the tag: "said Jana Novak, the finance minister." or "said the
        # union's leader, Mark Hart." (then the name is the speaker).
        aside = _ASIDE.match(text, end, limit)
        if aside is not None:
            named = self._noun_phrase_subject(aside.start(1), aside.end(1), head_first=True)
            if named.how == "mention" and subject.how != "mention":
                subject = named
            end = aside.end()
        if not subject.credible or subject.how == "plural":
            return None, start
        if subject.how == "role":
            subject.pos = pos
        return subject, end

    def _sentence_subject(self, start: int, end: int) -> _Subject | None:
        """The first mention or pronoun of a clause that no preposition governs."""
        text = self.text
        lead = _INTRO.match(text, start, end)
        begin = lead.end() if lead else start
        word = _FIRST_WORD.match(text, begin, end)
        if word is not None and word.group(1).lower() in {"he", "she", "they", "it"}:
            low = word.group(1).lower()
            return _Subject("pronoun", begin, word=low, pos=word.start(1))
        for m in self.actors.inside(begin, min(end, begin + 80)):
            if not _governed(text[max(begin, m.start - 50) : m.start]):
                if m.start - begin < 60:
                    return _Subject("mention", begin, (m,))
                break
        return None

    def _clause_start(self, s_start: int, pos: int) -> tuple[int, int]:
        """Where the clause holding `pos` starts: after a conjunction that joins it to the one
        before (", and the IMF reportedly ..."), else at the sentence's start, past a dateline,
        an opening mark and an opener that sets the time ("In 2026, ...").

        Also returns where a DATE may fix the claim's time from: the opener included.
        """
        text = self.text
        begin = self._statement_start(s_start, pos)
        joint = None
        for joint in _CLAUSE_JOINT.finditer(text, begin, pos):  # noqa: B007 - the last one
            pass
        if joint is not None:
            return joint.end(), joint.end()
        intro = _INTRO.match(text, begin, pos)
        return (intro.end() if intro is not None else begin), begin

    def _statement_start(self, s_start: int, limit: int) -> int:
        """Where a statement opens in its sentence: past a dateline and an opening mark."""
        text = self.text
        begin = s_start
        dateline = _DATELINE.match(text, begin, limit)
        if dateline is not None:
            begin = dateline.end()
        opener = _OPENER.match(text, begin, limit)
        if opener is not None and self.layout.quote_around(opener.end()) is None:
            begin = opener.end()
        return begin

    def _sentence_subject_mention(self, sentence: int) -> Mention | None:
        """The sentence's grammatical subject when it is an ACTOR mention (cached)."""
        if sentence in self._subjects:
            return self._subjects[sentence]
        start, end = self.layout.sentences[sentence]
        begin = self._statement_start(start, end)
        found = self._sentence_subject(begin, min(end, begin + _TAIL * 5))
        mention = found.mentions[0] if found is not None and found.mentions else None
        self._subjects[sentence] = mention
        return mention

    def _resolve_speakers(self) -> None:
        """Turn every subject into mentions, in document order.

        A pronoun or a role ("she", "the company") names the most salient fitting actor: a
        speaker or the subject of this sentence or of the ones just before, else the nearest
        fitting mention that is not inside what someone said.
        """
        contents = sorted((c.start, c.end) for c in self.candidates if c.quote_type != UNATTRIBUTED)
        content_starts = [s for s, _ in contents]

        def inside_content(m: Mention) -> bool:
            i = bisect_right(content_starts, m.start) - 1
            for j in range(i, max(-1, i - 4), -1):
                s, e = contents[j]
                if s <= m.start and m.end <= e:
                    return True
            return False

        by_sentence: dict[int, list[_Candidate]] = {}
        previous: _Candidate | None = None  # the last claim someone made
        for c in sorted(self.candidates, key=lambda c: (c.cue_start, c.start)):
            by_sentence.setdefault(c.sentence, []).append(c)
            if c.follows is not None:
                c.sources = list(c.follows.sources)
            elif c.subject is not None and c.subject.how == "continue":
                if previous is not None and self._carries_on(previous, c):
                    c.sources, c.verb = list(previous.sources), previous.verb or "said"
            elif c.subject is not None:
                c.sources = self._speaker_of(c, c.subject, by_sentence, inside_content)
            if c.sources and c.sentence >= 0:
                self.speakers.setdefault(c.sentence, []).extend(c.sources)
            if c.quote_type != UNATTRIBUTED and (c.rule != "quote-continued" or c.verb):
                previous = c

    def _carries_on(self, previous: _Candidate, quotation: _Candidate) -> bool:
        """A quotation with no tag continues a speaker of this paragraph or the one before."""
        paragraph = self.layout.paragraph_at(quotation.start)
        return (
            paragraph - self.layout.paragraph_at(previous.start) <= 1
            and quotation.start - previous.end <= 1200
        )

    def _speaker_of(
        self,
        c: _Candidate,
        subject: _Subject,
        by_sentence: dict[int, list[_Candidate]],
        inside_content: Callable[[Mention], bool],
    ) -> list[Mention]:
        how = subject.how
        if how in {"mention", "relative"}:
            return list(subject.mentions)
        if how == "inherit":
            earlier = [
                o
                for o in by_sentence.get(c.sentence, [])
                if o is not c and o.sources and o.cue_start < c.cue_start
            ]
            if earlier:
                c.cue_start = min(c.cue_start, earlier[-1].cue_end)
                return list(earlier[-1].sources)
            s_start = self.layout.sentences[c.sentence][0] if c.sentence >= 0 else 0
            s_start = max(s_start, subject.pos - _WINDOW)
            found = self._sentence_subject(self._statement_start(s_start, subject.pos), subject.pos)
            if found is None:
                return []
            c.subject = found
            return self._speaker_of(c, found, by_sentence, inside_content)
        if how == "pronoun":
            fits = self.actors.pronoun_filter(subject.word)
            if fits is None:
                return []
            found_mention = self._salient(c.sentence, subject.pos, [], fits, inside_content)
            if found_mention is not None:
                self.actors.learn_gender(found_mention, subject.word)
                return [found_mention]
            return []
        if how == "role":
            filters = self.actors.role_filters(subject.word, subject.modifiers)
            if filters is None:
                return []
            strong, of_kind = filters
            found_mention = self._salient(c.sentence, subject.pos, strong, of_kind, inside_content)
            return [found_mention] if found_mention is not None else []
        return []

    def _salient(
        self,
        sentence: int,
        pos: int,
        strong: Sequence[Callable[[Mention], bool]],
        fits: Callable[[Mention], bool],
        inside_content: Callable[[Mention], bool],
    ) -> Mention | None:
        actors = self.actors
        for test in strong:
            found = actors.before(pos, test)
            if found is not None:
                return actors.same_actor_nearest(found, pos)
        s = sentence
        while s >= 0 and s > sentence - 6:
            s_start = self.layout.sentences[s][0]
            if s_start < pos - 2500:
                break
            heard = [m for m in reversed(self.speakers.get(s, [])) if m.end <= pos]
            subject = self._sentence_subject_mention(s)
            if subject is not None and subject.end <= pos:
                heard.append(subject)
            for m in heard:
                if fits(m):
                    return actors.same_actor_nearest(m, pos)
            s -= 1
        found = actors.before(pos, lambda m: fits(m) and not inside_content(m))
        found = found or actors.before(pos, fits)
        return actors.same_actor_nearest(found, pos) if found is not None else None

    # Overlaps, nesting and output ----------------------------------------------------------

    def _settle_overlaps(self) -> list[_Candidate]:
        """Keep one reading of each stretch; an attribution inside another's content nests."""
        self.candidates = [c for c in self.candidates if c.rule != "quote-continued" or c.verb]
        for c in self.candidates:
            c.score = _RULE_SCORE.get(c.rule, 0.6)
            if c.quote_type != UNATTRIBUTED and not c.sources:
                c.score -= 0.15
        ordered = sorted(self.candidates, key=lambda c: (c.start, -(c.end - c.start), -c.score))
        kept: list[_Candidate] = []
        active: list[_Candidate] = []
        for c in ordered:
            active = [a for a in active if a.end > c.start]
            drop = False
            for a in list(active):
                if (
                    a.start <= c.start
                    and c.end <= a.end
                    and c.cue_start >= a.start
                    and (c.cue_end <= a.end)
                    and (c.start, c.end) != (a.start, a.end)
                ):
                    if self._nests(c, a):
                        c.outer = a.key
                        continue
                    drop = True
                    break
                # Overlap without nesting: the stronger reading stays.
                if c.score > a.score + 0.05 and (c.start, c.end) != (a.start, a.end):
                    _remove_kept(kept, a)
                    active.remove(a)
                    continue
                if (c.start, c.end) == (a.start, a.end) and c.score > a.score:
                    _remove_kept(kept, a)
                    active.remove(a)
                    continue
                drop = True
                break
            if drop:
                continue
            kept.append(c)
            active.append(c)
        return self._against_annotations(kept)

    def _nests(self, inner: _Candidate, outer: _Candidate) -> bool:
        """Nested attribution: someone else's words inside a reported statement."""
        if inner.quote_type == UNATTRIBUTED or inner.rule == "quote-continued":
            return False
        if not inner.sources or not outer.sources:
            return bool(inner.sources) or inner.quote_type == DIRECT
        ident = self.actors.identity
        return {ident[m.key] for m in inner.sources} != {ident[m.key] for m in outer.sources}

    def _against_annotations(self, kept: list[_Candidate]) -> list[_Candidate]:
        if not self.existing:
            return kept
        starts = [m.start for m in self.existing]
        result = []
        for c in kept:
            overlapping = []
            i = bisect_left(starts, c.end) - 1
            lowest = max(0, bisect_left(starts, c.start) - 8)  # the same at every step
            while i >= lowest:
                m = self.existing[i]
                if m.start < c.end and c.start < m.end:
                    overlapping.append(m)
                i -= 1
            if not overlapping:
                result.append(c)
                continue
            holders = [
                m
                for m in overlapping
                if m.start <= c.start
                and c.end <= m.end
                and m.start <= c.cue_start
                and c.cue_end <= m.end
                and (m.start, m.end) != (c.start, c.end)
            ]
            if len(holders) != len(overlapping) or not holders:
                continue
            if c.quote_type == UNATTRIBUTED or not c.sources:
                continue
            innermost = max(holders, key=lambda m: m.start)
            if c.outer is None or not (innermost.start <= c.outer[0]):
                c.outer = innermost.key
            result.append(c)
        return result

    def _proposals(self, kept: list[_Candidate]) -> list[Proposal]:
        rejected = self.context.rejected
        emitted = {c.key for c in kept if c.key not in rejected}
        existing = {m.key for m in self.existing}
        proposals = []
        # A date inside an inner claim is that claim's TIME, not the outer one's.
        inner_spans: dict[SpanKey, list[tuple[int, int]]] = {}
        for c in kept:
            if c.outer is not None:
                inner_spans.setdefault(c.outer, []).append((c.start, c.end))
        for c in sorted(kept, key=lambda c: c.start):
            if c.key in rejected:
                continue
            relations: list[ProposedRelation] = []
            if c.quote_type != UNATTRIBUTED:
                seen: set[SpanKey] = set()
                for m in c.sources:
                    if m.key not in seen:
                        seen.add(m.key)
                        relations.append(ProposedRelation(SOURCE, m.key))
            inners = inner_spans.get(c.key, [])
            relations.extend(
                ProposedRelation(TIME, d.key)
                for d in self._times(c)
                if not any(s <= d.start and d.end <= e for s, e in inners)
            )
            if c.outer is not None and (c.outer in emitted or c.outer in existing):
                relations.append(ProposedRelation(REPORTED_IN, c.outer))
            proposals.append(
                Proposal(
                    c.start,
                    c.end,
                    CLAIM,
                    CLAIMS,
                    round(max(0.05, min(0.99, c.score)), 2),
                    c.rule,
                    {"quote_type": c.quote_type, "reporting_verb": c.verb, "hedged": c.hedged},
                    relations=tuple(relations),
                )
            )
        return proposals

    def _times(self, c: _Candidate) -> Iterable[Mention]:
        """DATE mentions inside the claim, and in the opener before it that fixes its time;
        never one in an attribution inside the claim ("The plant, Novak said on Monday, will
        open in 2026": not Monday)."""
        begin = c.time_from if 0 <= c.time_from < c.start else c.start
        i = bisect_left(self.date_starts, begin)
        while i < len(self.dates) and self.dates[i].start < c.end:
            d = self.dates[i]
            in_cue = c.start <= c.cue_start <= d.start and d.end <= c.cue_end
            if d.end <= c.end and (d.start >= c.start or d.end <= c.start) and not in_cue:
                yield d
            i += 1


# Helpers ------------------------------------------------------------------------------------


def _verb_text(written: str) -> str:
    return " ".join(written.lower().split())


def _content_end(piece: str) -> int:
    """Where `piece` ends without its trailing punctuation and spaces, any kind of space (a
    no-break space before a closing quotation mark, as French and some wire copy set it)."""
    kept = len(piece)
    while kept and (piece[kept - 1] in _TRAILING or piece[kept - 1].isspace()):
        kept -= 1
    return kept


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The content without the spaces, quotation marks and punctuation around it."""
    segment = text[start:end]
    lo, hi = 0, len(segment)
    for _ in range(8):
        left = _LEADING.match(segment, lo, hi)
        if left is not None and left.end() > lo:
            lo = left.end()
            continue
        piece = segment[lo:hi]
        kept = _content_end(piece)
        if 0 < kept < len(piece):
            hi = lo + kept
            continue
        if len(piece) > 2 and _PAIRS.get(piece[0]) == piece[-1] and piece[-1] not in piece[1:-1]:
            lo, hi = lo + 1, hi - 1  # "“We will win,”": the quotation marks around it
            continue
        kept = len(piece.rstrip(_CLOSERS))
        if 0 < kept < len(piece) and _balanced_closer(piece, kept):
            hi = lo + kept
            continue
        opener = _OPENER.match(piece)
        if opener is not None and not _has_closer(piece[opener.end() :], opener.group()):
            lo += opener.end()  # an opening mark whose quotation goes on past the claim
            continue
        break
    return start + lo, start + max(lo, hi)


def _balanced_closer(piece: str, at: int) -> bool:
    """A closing mark at the end belongs around the claim unless it closes an inner quote."""
    mark = piece[at]
    pairs = {"”": "“", "»": "«", ")": "(", "]": "[", "’": "‘", '"': '"'}
    opener = pairs.get(mark, "")
    if mark == '"':
        return piece.count('"') % 2 == 1
    return opener not in piece[:at]


def _has_closer(rest: str, opener: str) -> bool:
    closers = {"“": "”", "«": "»", "(": ")", "[": "]", "‘": "’", '"': '"'}
    return any(closers.get(ch, "") in rest for ch in opener)


def _wholly_quoted(text: str, start: int, end: int) -> bool:
    """Content that is one quotation: "said that “the plan is dead”"."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return (
        before in {"“", '"', "«", "‘"}
        and after in {"”", '"', "»", "’", ",", "."}
        and (not any(ch in text[start:end] for ch in "“”"))
    )


def _skip_adjuncts(text: str, pos: int, limit: int) -> int:
    for _ in range(6):
        match = ADJUNCT.match(text, pos, limit)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    return pos


def _only_adjuncts(between: str) -> bool:
    """What may stand between a verb and the quotation it introduces."""
    rest = between
    for _ in range(6):
        match = ADJUNCT.match(rest)
        if match is None or not match.group():
            break
        rest = rest[match.end() :]
    rest = rest.strip()
    told = TOLD_OBJECT.match(" " + rest)
    if told is not None and told.end() > 1:
        rest = rest[told.end() - 1 :].strip()
        rest = _PLACE_AFTER.sub("", rest).strip()
    return rest in {"", ":", ",", "that", ", that"} or bool(_LONE_THAT.fullmatch(rest))


def _ends_sentence(text: str, pos: int, s_end: int) -> bool:
    """Nothing but closing punctuation, or a new tag or quotation, after `pos`."""
    rest = text[pos:s_end]
    if not rest.strip(' \t.!?;”"’»)]'):
        return True
    return _NEXT_CLAUSE.match(rest) is not None


def _comma_before(text: str, s_start: int, pos: int) -> int | None:
    """The comma (or dash) that closes the content before a postposed tag, if there is one."""
    segment = text[s_start:pos].rstrip()
    if segment.endswith((",", "—", "–")) and len(segment) > 1:
        return s_start + len(segment) - 1
    return None


def _region_start(text: str, s_start: int, pos: int) -> int:
    """Where the clause of a verb at `pos` starts: the sentence, or after a quotation or "that"."""
    lo = max(s_start, pos - 300)
    segment = text[lo:pos]
    cut = max(
        segment.rfind("”"),
        segment.rfind("»"),
        segment.rfind(";"),
        segment.rfind(":"),
        segment.rfind('"'),
        segment.rfind("“"),
    )
    # "Novak, speaking after the vote, said": an opener inside an aside does not count, so
    # only the stretch after the last comma is searched.
    last = None
    for last in _CLAUSE_OPENER.finditer(segment, max(cut, segment.rfind(",")) + 1):  # noqa: B007
        pass
    if last is not None:
        cut = last.end() - 1
    return lo + cut + 1 if cut >= 0 else lo


def _possessive_at(text: str, end: int) -> bool:
    """A mention ending at `end` owns what follows: "Novak’s office", "the workers' union"."""
    return text[end : end + 2] in {"’s", "'s"} or text[end : end + 1] in {"’", "'"}


def _object_to(rest: str) -> bool:
    """ "parliament to pass the bill": an object, then "to" and a verb, within nine words."""
    found = rest.split(None, 10)[:10]
    return "to" in found[1:9] and found.index("to", 1) + 1 < len(found)


def _and_that_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "said X and that Y" (or "but that Y") reports two things: X and Y."""
    pieces = []
    for joint in _AND_THAT.finditer(text, start, end):
        pieces.append((start, joint.start()))
        start = joint.end()
    pieces.append((start, end))
    return pieces


def _covered(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether a claim or its attribution already covers `pos`."""
    i = bisect_right(starts, pos) - 1
    for j in range(i, max(-1, i - 12), -1):
        start, end = spans[j]
        if start <= pos < end:
            return True
    return False
