"""Plain text: decoding bytes of unknown encoding, and the plain-text reader.

`decode_text` is shared by every reader of text-based formats (CSV, TSV, JSON). Order: byte-order
mark; strict UTF-8; else a legacy encoding chosen by `guess_legacy_encoding`, but only when the
bytes do not look like damaged UTF-8.

Choosing the legacy encoding. charset-normalizer ranks code pages by a "chaos" ratio and a
language "coherence", which on a short text carry almost no evidence: `Il est l\\xe0 \\xe0 Paris`
ranks cp1257 ("lą ą") first, and "Путин сказал" in cp1251 comes back as Shift_JIS. So each
candidate decoding is scored here by how implausible its words look, counting only signs that do
not depend on the language being known:

- a word mixing letters of two scripts ("lа" with a Cyrillic а, "lΰ"),
- a lower-case letter followed by a non-ASCII capital inside a word ("jaŸñ", "рТЕЪЙ"),
- a Latin word of three or more letters most of which are non-ASCII ("Ïðåçèäåíò": no language
  written in Latin script accents most letters of a word),
- a symbol between two letters ("Za¿ó³æ"), apostrophes, dashes and the middle dot excepted,
- characters that running text almost never contains but mis-decoded bytes often produce:
  C1 controls, half-width katakana, box drawing, and ¢¤¦¨¬¯´¸¹²³¼½¾×÷µ¶ þÞðÐ.

The lowest score wins. On a tie Windows-1252 wins (the prior: it is by far the most common legacy
8-bit encoding, and the HTML standard's default for Western locales), then charset-normalizer's
ranking. Known costs: Icelandic text (þ, ð) in an 8-bit encoding decodes wrongly (as Central
European, because þ and ð are on the rare list), and Hungarian in cp1250 reads ő ű as õ û
(cp1252), since both spellings look like plausible Latin words.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources._common import Item, first_line_title

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")

# Legacy encodings always tried, besides whatever charset-normalizer proposes: the Windows code
# pages of Europe and the Middle East, KOI8, and the common East Asian multi-byte encodings.
_LEGACY_CANDIDATES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "koi8_r",
    "koi8_u",
    "cp1255",
    "cp1256",
    "iso8859_2",
    "iso8859_15",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_PREFERRED = "cp1252"

# Words that contain a non-ASCII byte. ASCII white space never occurs inside a multi-byte
# character of the candidate encodings, so each such word decodes on its own.
# Anchored at a word's start: unanchored, a long run without spaces costs quadratic time.
_NON_ASCII_WORD = re.compile(rb"(?<!\S)\S*[\x80-\xff]\S*")
_ASCII_WORD = re.compile(rb"(?<![^\s])[A-Za-z]+(?![^\s.,;:!?])")
_SAMPLE_WORDS = 4000

_RARE_CHARS = frozenset("¢¤¦¨¬¯´¸¹²³¼½¾×÷µ¶þÞðÐ")
_WORD_INNER_MARKS = frozenset("'’‘ʼ-‐‑‒–—·")


class ImportRefusedError(AnnotatorError):
    """A file (or part of one) that cannot become a document, with the reason.

    `str(error)` is `"{origin}: {reason}"`, one line, for the user.
    """

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def as_refusal(self) -> Refusal:
        return Refusal(origin=self.origin, reason=self.reason)


def decode_text(data: bytes, *, name: str) -> str:
    """Decode a text file's bytes, or raise ImportRefusedError naming the file and the problem.

    Order: byte-order mark; strict UTF-8; a legacy 8-bit or East Asian encoding chosen by
    `guess_legacy_encoding`, accepted only when every run of several non-ASCII bytes touches a
    letter. A run of several such bytes touching no letter is damage in a UTF-8 file, and is
    refused with its byte position rather than decoded into plausible garbage. Line ends are left
    as they are (the service turns CRLF and CR into LF).
    """
    if not data:
        raise ImportRefusedError(name, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportRefusedError(
                    name,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"at byte {exc.start}",
                ) from exc
    if b"\x00" in data:
        raise ImportRefusedError(name, "not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_damaged_utf8(data):
        raise ImportRefusedError(
            name,
            f"not valid UTF-8 (bad bytes at byte {utf8_error.start}) and not "
            "a recognisable legacy encoding either",
        )
    legacy = guess_legacy_encoding(data)
    if legacy is None:
        raise ImportRefusedError(name, "not a text file (no text encoding fits its bytes)")
    return data.decode(legacy)


def _looks_like_damaged_utf8(data: bytes) -> bool:
    """True for mostly-ASCII text with a run of several non-ASCII bytes touching no letter.

    In a legacy Latin-script text each accented letter is one byte inside a word, and symbols
    (« » € …) are one byte each: a run of several bytes that touches no ASCII letter is damage.
    In Cyrillic, Greek, Arabic or East Asian text whole words are such runs, so the rule only
    applies while ASCII words outnumber non-ASCII ones three to one; below that the text is
    taken for a non-Latin legacy encoding (an English article quoting a few words in Cyrillic
    in a legacy encoding is refused: a clear refusal beats plausible garbage).
    """
    suspicious = False
    for run in _NON_ASCII_RUN.finditer(data):
        before = data[run.start() - 1 : run.start()]
        after = data[run.end() : run.end() + 1]
        if len(run.group()) > 1 and not (before.isalpha() or after.isalpha()):
            suspicious = True
            break
    if not suspicious:
        return False
    non_ascii_words = len(_NON_ASCII_WORD.findall(data))
    ascii_words = len(_ASCII_WORD.findall(data))
    return non_ascii_words * 3 < ascii_words


def guess_legacy_encoding(data: bytes) -> str | None:
    """The legacy encoding whose decoding of `data` looks least like mojibake, or None.

    See the module documentation for the scoring rule.
    """
    words = [m.group() for m in itertools.islice(_NON_ASCII_WORD.finditer(data), _SAMPLE_WORDS)]
    # Fast path: Western European text in Windows-1252 (the common case) decodes without a
    # single sign of mojibake; then the ranking below, which costs milliseconds a file in
    # charset-normalizer, cannot find anything better.
    preferred = _codec_name(_PREFERRED)
    if preferred is not None and _implausibility(words, preferred) == 0:
        try:
            data.decode(preferred)
        except UnicodeDecodeError:
            pass
        else:
            return preferred
    ranked = _charset_normalizer_ranking(data)
    candidates = [_PREFERRED, *ranked, *_LEGACY_CANDIDATES]
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for order, encoding in enumerate(candidates):
        name = _codec_name(encoding)
        if name is None or name in seen:
            continue
        seen.add(name)
        score = _implausibility(words, name)
        if score is not None:
            scored.append((score, order, name))
    for _score, _order, name in sorted(scored):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    return None


def _charset_normalizer_ranking(data: bytes) -> list[str]:
    # Imported on first use: only a file that is not UTF-8 needs it, and every command that
    # imports nothing would pay for it at start-up.
    from charset_normalizer import from_bytes

    ranked: list[str] = []
    for match in from_bytes(data):
        ranked.extend(match.could_be_from_charset or [match.encoding])
    return ranked


@lru_cache(maxsize=64)
def _codec_name(encoding: str) -> str | None:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return None
    # Unicode encodings were tried (and failed) before; they are no legacy candidates.
    if info.name.startswith(("utf", "ascii")):
        return None
    return info.name


def _implausibility(words: list[bytes], encoding: str) -> int | None:
    """How many signs of mojibake the decoded words show; None if a word does not decode."""
    score = 0
    for raw in words:
        try:
            word = raw.decode(encoding)
        except UnicodeDecodeError:
            return None
        score += _word_implausibility(word)
    return score


def _word_implausibility(word: str) -> int:
    score = 0
    scripts: set[str] = set()
    latin_letters = non_ascii_latin = 0
    previous = ""
    for index, ch in enumerate(word):
        if ch in _RARE_CHARS or _is_rare(ch):
            score += 1
        category = unicodedata.category(ch)
        if category[0] == "L":
            script = _script(ch)
            scripts.add(script)
            if script == "LATIN":
                latin_letters += 1
                non_ascii_latin += ch > "\x7f"
            if category == "Lu" and previous.islower() and (ch > "\x7f" or previous > "\x7f"):
                score += 1
        elif (
            ch > "\x7f"
            and category[0] != "M"
            and ch not in _WORD_INNER_MARKS
            and previous.isalpha()
            and index + 1 < len(word)
            and word[index + 1].isalpha()
        ):
            score += 1
        previous = ch
    if len(scripts) > 1:
        score += 2
    if latin_letters >= 3 and non_ascii_latin * 2 > latin_letters:
        score += 1
    return score


def _is_rare(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x80 <= cp <= 0x9F  # C1 controls
        or 0xFF61 <= cp <= 0xFF9F  # half-width katakana
        or 0x2500 <= cp <= 0x259F  # box drawing, block elements
        or 0xE000 <= cp <= 0xF8FF  # private use
    )


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    head = name.split(" ", 1)[0]
    if head in ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC"):
        return "CJK"
    return head


def read_plain(name: str, data: bytes) -> Iterator[Item]:
    """One document: the decoded text as it is, titled after its first non-empty line."""
    try:
        text = decode_text(data, name=name)
    except ImportRefusedError as exc:
        yield exc.as_refusal()
        return
    if not text.strip():
        yield Refusal(origin=name, reason="the file holds no text (only white space)")
        return
    yield SourceDocument(text=text, meta=DocumentMeta(title=first_line_title(text)), origin=name)
