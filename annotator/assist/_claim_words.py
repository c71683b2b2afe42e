"""The English words the claim engine reads attribution by: reporting verbs, hedges, speaker nouns.

They are data, kept apart from the rules in `annotator.assist.claims` so that a reader can check
the lists against the guideline's CLAIM section (and add to them) without reading the rules.
Every word list is matched case-insensitively on whole words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


def words(text: str) -> frozenset[str]:
    """A set of words written as one string: long lists read better as prose."""
    return frozenset(text.split())


_Trie = dict[str, "_Trie"]


def trie_pattern(forms: Iterable[str]) -> str:
    """One regex alternation of `forms` shaped as a prefix tree.

    Python's `re` tries alternatives one by one at every position; a tree shares prefixes, so
    a few hundred verbs cost little more than one (measured on 1 MB: 200 ms to 40 ms).
    """
    root: _Trie = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return build(root)


def either_case(forms: Iterable[str]) -> set[str]:
    """Lower-case forms and their capitalised twins: a case-sensitive regex of both runs
    faster than an IGNORECASE one, and leaves out "SAID" in a shouting headline."""
    forms = set(forms)
    return forms | {f[:1].upper() + f[1:] for f in forms}


# A word starts here: faster than \b in front of a long alternation, which re tries at every
# position (a megabyte: 80 ms with \b and IGNORECASE, 27 ms like this).
WORD_START = r"(?<![\w’'-])"


class Frame(Enum):
    """What may follow a reporting verb and still be what was said."""

    CLAUSE = "clause"  # "said (that) the barrier would hold": a clause, "that" optional
    WEAK = "weak"  # "confirmed that ..." or a clause; "confirmed the deal" has no content
    PARAPHRASE = "paraphrase"  # "described Y as Z", "called Y Z", "accused Y of Z"


@dataclass(frozen=True, slots=True)
class Verb:
    """One reporting verb form as written, with the lemma it inflects."""

    form: str
    lemma: str
    frame: Frame
    participle: bool  # an -ing form: "adding that ...", "quoted as saying ..."


# Irregular or doubled-consonant forms; every other verb inflects regularly (see `_forms`).
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "find": ("find", "finds", "found", "finding"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "forecast": ("forecast", "forecasts", "forecasting"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "allege": ("allege", "alleges", "alleged", "alleging"),
    "signal": ("signal", "signals", "signalled", "signaled", "signalling", "signaling"),
    "label": ("label", "labels", "labelled", "labeled", "labelling", "labeling"),
    "brand": ("brand", "brands", "branded", "branding"),
    "hail": ("hail", "hails", "hailed", "hailing"),
    "slam": ("slam", "slams", "slammed", "slamming"),
    "refer": ("refer", "refers", "referred", "referring"),
}

# Verbs whose content follows as a clause ("said the barrier would hold"), "that" optional.
_CLAUSE_VERBS = """
say tell claim argue insist warn contend assert maintain declare believe think reckon predict
estimate allege write add testify speculate retort urge vow pledge promise threaten tweet
"""

# Verbs that also take a plain object ("confirmed the deal", "stressed the need for calm",
# "the fear of war"): the content must open with "that" or read as a clause, else there is no
# claim.
_WEAK_VERBS = """
confirm deny announce report note observe reveal disclose conclude find show indicate signal
hint calculate forecast project underline underscore highlight mention recognise recognize
agree expect state counter caution charge stress emphasise emphasize reiterate acknowledge
admit concede explain suggest fear suspect complain assure reassure post reply respond recall
hope point_out point_to
"""

# Verbs of describing: "described Y as Z", "called it Z", "accused Y of Z".
_PARAPHRASE_VERBS = """
describe call accuse dismiss brand label hail characterise characterize portray depict denounce
condemn decry deride praise term slam blast tout cast paint blame criticise criticize
"""

# A verb of describing without its "as"/"of"/"for" says nothing ("described the visit").
PARAPHRASE_LINK: dict[str, str] = {
    "describe": "as",
    "dismiss": "as",
    "hail": "as",
    "characterise": "as",
    "characterize": "as",
    "portray": "as",
    "depict": "as",
    "denounce": "as",
    "condemn": "as",
    "decry": "as",
    "deride": "as",
    "praise": "as",
    "slam": "as",
    "blast": "as",
    "tout": "as",
    "cast": "as",
    "paint": "as",
    "accuse": "of",
    "blame": "for",
    "criticise": "for",
    "criticize": "for",
    "call": "",  # "called the plan reckless": the complement follows the object directly
    "term": "",
    "brand": "",  # "as" optional: "branded him (as) a traitor"
    "label": "",
}

# Reporting verbs that themselves qualify what they report ("believes" and "estimated"
# report a view or a figure as firmly as "said" does).
HEDGING_LEMMAS = frozenset({"allege", "speculate"})

# Lemmas that may take "to" + verb as their content ("promised to cut taxes").
INFINITIVE_LEMMAS = frozenset(
    {"promise", "pledge", "vow", "threaten", "agree", "claim", "urge", "expect"}
)

# Lemmas whose content may be a plain noun phrase ("predicted a recession"); "denied the
# charges", like "welcomed the decision", has no content of its own.
NOUN_PHRASE_LEMMAS = frozenset({"point to", "predict", "forecast", "estimate"})

# Prepositions a verb takes before its content: "warned of", "called for", "pointed to".
VERB_PREPOSITIONS: dict[str, frozenset[str]] = {
    "warn": frozenset({"of", "against", "about"}),
    "call": frozenset({"for"}),
    "complain": frozenset({"of", "about"}),
    "hint": frozenset({"at"}),
}


def _forms(lemma: str) -> tuple[str, ...]:
    """Base, third person, past and -ing forms of a regular verb (multi-word: the first word)."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if head.endswith("e"):
        forms = (head, head + "s", head + "d", head[:-1] + "ing")
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms = (head, head[:-1] + "ies", head[:-1] + "ied", head + "ing")
    elif head.endswith(("s", "sh", "ch", "x")):
        forms = (head, head + "es", head + "ed", head + "ing")
    else:
        forms = (head, head + "s", head + "ed", head + "ing")
    return tuple(f + tail for f in forms)


def _verbs(lemmas: str, frame: Frame) -> Iterable[Verb]:
    for lemma in (w.replace("_", " ") for w in lemmas.split()):
        for form in _forms(lemma):
            yield Verb(form, lemma, frame, form.split(" ")[0].endswith("ing"))


def _build_verbs() -> dict[str, Verb]:
    table: dict[str, Verb] = {}
    # Later lists do not override earlier ones: a verb in two lists keeps its first frame.
    for words, frame in (
        (_PARAPHRASE_VERBS, Frame.PARAPHRASE),
        (_CLAUSE_VERBS, Frame.CLAUSE),
        (_WEAK_VERBS, Frame.WEAK),
    ):
        for verb in _verbs(words, frame):
            table.setdefault(verb.form, verb)
    return table


VERBS: dict[str, Verb] = _build_verbs()


def cue_verb(form: str) -> Verb:
    """A reporting verb an annotator used, read like the built-in ones where it is one of them."""
    form = " ".join(form.lower().split())
    known = VERBS.get(form)
    if known is not None:
        return known
    return Verb(form, form, Frame.CLAUSE, form.split(" ")[0].endswith("ing"))


# Words that may stand between a subject and its reporting verb: "has also said", "later told".
AUXILIARIES = words(
    """has have had also later previously repeatedly earlier again publicly recently often long
    would will did does do not never already then once further separately reportedly
    allegedly privately openly initially subsequently flatly firmly strongly explicitly
    specifically simply only just even still always since been once more however too both
    each all jointly together"""
)

# Pronouns that can be a speaker, and what they can refer to.
PERSON_PRONOUNS = frozenset({"he", "she"})
THING_PRONOUNS = frozenset({"it"})
PLURAL_PRONOUNS = frozenset({"they"})
SPEAKER_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS | {"we", "i"}
OBJECT_PRONOUNS = words(
    "it him her them this that these those itself himself herself themselves me us you"
)

# Nouns that name a person by role ("the minister said"): resolved to a person mention.
PERSON_NOUNS = words(
    """minister president leader spokesman spokeswoman spokesperson official chief head
    director secretary chairman chairwoman chair governor mayor senator lawmaker legislator
    prosecutor judge ambassador envoy diplomat general commander king queen prince princess
    premier chancellor ceo executive founder economist expert scientist researcher author
    professor lawyer attorney officer negotiator adviser advisor aide deputy representative
    candidate activist analyst manager owner chairperson president-elect sister brother wife
    husband son daughter mother father woman man politician campaigner commissioner
    inspector coach player striker captain spokesperson representative mp mep pope cardinal
    bishop imam rabbi doctor economist strategist official dictator ruler monarch emperor
    general colonel admiral sheriff"""
)

# Nouns that name an organisation, state or outlet, and the kinds of mention they refer to.
THING_NOUNS: dict[str, tuple[str, ...]] = {
    **{
        n: ("organization", "media", "group")
        for n in words(
            """company firm group agency ministry department party bank council committee
            court union organisation organization authority office commission board
            institute university police army military regulator watchdog alliance
            coalition movement federation association foundation charity club team lab
            laboratory school hospital corporation conglomerate maker manufacturer
            carrier operator airline retailer insurer lender producer developer startup
            giant kremlin bureau service parliament congress senate assembly cabinet"""
        )
    },
    **{
        n: ("media", "organization")
        for n in words(
            """newspaper broadcaster outlet network channel daily paper magazine station
            tabloid website publication"""
        )
    },
    **{n: ("state", "organization") for n in ["government", "administration", "regime"]},
    **{n: ("state",) for n in ["country", "state", "nation", "republic", "kingdom"]},
}

# Nouns of documents and messages: "the report said", "a statement from X said". The claim is
# real, its speaker is whoever issued the document (a mention in the phrase, when there is one).
DOCUMENT_NOUNS = words(
    """report reports study studies statement statements survey poll analysis document
    documents letter article paper data research investigation review assessment memo filing
    lawsuit complaint ruling verdict account accounts release communique communiqué post
    message note notice figures figure estimates estimate findings finding record records
    footage evidence calculation calculations forecast forecasts projection projections count
    tally results result numbers statistics dispatch dispatches bulletin commentary editorial
    interview transcript source sources"""
)

# Words that mark a hedge inside a claim or on its reporting verb.
_HEDGES = words(
    """might could reportedly allegedly purportedly reputedly supposedly apparently possibly
    perhaps probably likely unlikely appear appears appeared seem seems seemed unconfirmed
    rumoured rumored"""
)
# Adverbs that hedge a statement with no source: "The minister reportedly resigned".
UNATTRIBUTED_ADVERBS = words("reportedly allegedly purportedly reputedly supposedly")
_RAISING = words(
    """expected believed thought understood said reported alleged rumoured rumored suspected
    feared estimated likely unlikely projected predicted tipped presumed claimed possible
    unclear assumed"""
)

# Every hedge in one pass over the text. A participle counts when a form of "be" stands
# before it (checked by BE_BEFORE): "is expected to", "It is understood that". Anchoring on
# the rarer word keeps the pass fast; a pattern opening with "is|are|was" is tried at every
# common word.
HEDGES = re.compile(
    WORD_START
    + r"(?:(?P<raised>"
    + trie_pattern(either_case(_RAISING))
    + r")\s+(?P<link>to|that)\b|(?P<seem>appears?|appeared|seems?|seemed)\s+to\b|(?P<word>"
    + trie_pattern(either_case(_HEDGES))
    + r"|may)\b)"  # "may" in lower case only: "May" is usually the month
)
BE_BEFORE = re.compile(
    r"\b(?P<it>[Ii]t\s+)?(?:is|are|was|were|has\s+been|have\s+been|had\s+been|'s|’s)\s+"
    r"(?:(?:widely|also|still|now|generally|not)\s+)?$"
)

# What may stand between a reporting verb and its content: "said on Tuesday in a statement that".
ADJUNCT = re.compile(
    r"""(?:\s*,?\s*(?:
        (?:on|in|at|during|late|early|earlier|later|last|this|next|over|after|before|via|through)
          \s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|their\s+|its\s+)?
          (?:[\w’'.-]+\s+){0,4}?(?:statement|interview|briefing|conference|press\s+conference
          |news\s+conference|speech|address|post|posts|tweet|letter|report|message|video|call
          |meeting|summit|session|hearing|broadcast|programme|program|show|visit|trip|debate
          |sidelines|remarks|comments|email|e-mail|note|release|televised\s+address|trial|court
          |rally|event|ceremony|forum|podcast|newsletter|filing|report|blog|op-ed|column
          |Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|morning|afternoon|evening
          |night|week|weekend|month|year|day|today|X|Twitter|Facebook|Telegram|Instagram
          |television|TV|radio|parliament)\b
          (?:\s+(?:with|to|of|on|in|at|by)\s+(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]+){0,4})?
        |(?:yesterday|today|tonight|again|also|earlier|later|recently|previously|repeatedly
          |publicly|privately|separately|bluntly|flatly|firmly|then|too|however|instead
          |simply|openly|explicitly|only|once\s+again|this\s+week|last\s+week|on\s+(?:X|Twitter))
        |to\s+(?:reporters|journalists|the\s+press|the\s+media|lawmakers|parliament|supporters
          |the\s+audience|the\s+crowd|delegates)
        |,)\s*)""",
    re.VERBOSE,
)

# Objects of "told": "told reporters", "told the BBC", "told a news conference in Kyiv".
TOLD_OBJECT = re.compile(
    r"""\s+(?:(?:reporters|journalists|lawmakers|parliament|supporters|the\s+press|the\s+media
        |delegates|MPs|senators|investors|analysts|residents|listeners|viewers|students|staff
        |employees|workers|him|her|them|us|me|you)
      |(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w’'.&-]*\s*){1,6}(?:news\s+agency|newspaper|radio
        |television|TV|channel|daily)?
      |(?:[a-z]+\s+){0,2}[a-z]+(?:s|men|people|staff|press|media)(?=\s)
      |(?:the|a|an)\s+(?:[\w’'-]+\s+){0,3}?(?:conference|briefing|meeting|audience|crowd
        |committee|hearing|gathering|newspaper|broadcaster|channel|station|outlet|agency
        |daily|programme|program|rally|summit|session|parliament|court|jury|council))
    (?:\s+(?:in|at|on)\s+(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})?""",
    re.VERBOSE,
)

# Clause signs: a finite verb or modal near the start of what follows a weak reporting verb.
FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|could|can|may|might|must|should|shall|has|have|had|did"
    r"|does|do|won't|wouldn't|can't|couldn't|isn't|aren't|wasn't|weren't|hasn't|haven't"
    r"|hadn't|didn't|doesn't|don't|needs|remains|remained)\b",
    re.IGNORECASE,
)

# "According to" sources that are not speakers.
NOT_A_SOURCE = re.compile(
    r"^(?:the\s+)?(?:plan|schedule|tradition|custom|the\s+rules?|rules?|law|the\s+law"
    r"|protocol|script|legend|reason|the\s+book|expectations?|instructions?|form)\b",
    re.IGNORECASE,
)

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = words(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep st jr sr mt ft no nos vs etc
    inc ltd co corp dept est approx jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k
    u.n e.g i.e pres rev hon messrs mme mlle fig al cf"""
)
