"""What every source reader shares: options, the item type, titles and metadata values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from annotator.domain.model import META_FIELDS
from annotator.domain.sources import Refusal, SourceDocument
from annotator.domain.text import grapheme_floor

Item = SourceDocument | Refusal

TITLE_LIMIT = 200

# Names that data from other tools uses for those fields, in order of preference.
META_KEYS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "sitename", "site", "newspaper"),
    "url": ("url", "link", "uri"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date", "published_at", "publication_date", "pubdate", "datetime"),
    "language": ("language", "lang"),
    "tags": ("tags", "keywords"),
}

# The column or key that holds the article text when the user names none, in order of preference.
TEXT_KEYS = ("text", "body", "content", "article")


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """Choices the user makes for tabular and record files (CSV, TSV, JSON).

    `text_column`: the CSV/TSV column, or the JSON key (a dotted path such as `data.ner` reaches
    into nested objects), that holds the article text. Unset: the first of "text", "body",
    "content", "article" found (case-insensitive); for JSON also `data.text` (Label Studio).
    `metadata_columns`: CSV/TSV column -> one of title, source, url, author, published, language,
    tags. Unset: columns named like those fields (or common synonyms: outlet, date, lang, ...).
    `csv_delimiter`: one character; unset: "\\t" for .tsv, else guessed from the header line.
    """

    text_column: str | None = None
    metadata_columns: Mapping[str, str] | None = None
    csv_delimiter: str | None = None

    def __post_init__(self) -> None:
        if self.text_column is not None and not self.text_column.strip():
            raise ValueError("text_column must name a column")
        if self.metadata_columns is not None:
            unknown = sorted(set(self.metadata_columns.values()) - set(META_FIELDS))
            if unknown:
                raise ValueError(
                    f"metadata_columns maps to unknown fields {unknown}; "
                    f"known fields: {', '.join(META_FIELDS)}"
                )
        if self.csv_delimiter is not None and len(self.csv_delimiter) != 1:
            raise ValueError("csv_delimiter must be exactly one character")


@dataclass(frozen=True, slots=True)
class SourceKind:
    """A kind of file the importer reads, for help text and file dialogs."""

    name: str
    extensions: tuple[str, ...]  # lower case, with the dot
    description: str

    @property
    def dialog_filter(self) -> str:
        """A Qt file-dialog filter, e.g. `Plain text (*.txt *.text *.md)`."""
        patterns = " ".join(f"*{ext}" for ext in self.extensions)
        return f"{self.description} ({patterns})"


_SPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")


def collapse_spaces(value: str) -> str:
    """ASCII whitespace runs to one space, trimmed. No-break and other spaces are kept."""
    return _SPACE_RUN.sub(" ", value).strip(" ")


def clip(value: str, limit: int = TITLE_LIMIT) -> str:
    """At most `limit` characters, never cutting a grapheme cluster (emoji, combining marks)."""
    if len(value) <= limit:
        return value
    return value[: grapheme_floor(value, limit)].rstrip()


def shorten(value: str, limit: int = 40) -> str:
    """A name for a message: clipped with an ellipsis when longer than `limit`."""
    return value if len(value) <= limit else clip(value, limit - 1) + "…"


SHORT_TITLE = 80
"""The longest title made up from a document's text (its own metadata may have longer)."""

# A sentence ends at . ! ? (or their CJK forms), after any closing quotes and brackets, where
# a space or the end of the line follows; the CJK forms need no space.
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？][\"'”’」』)）]*)")
# Words after which a period does not end the sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "rev",
        "no",
        "vs",
        "etc",
        "approx",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)


def first_line_title(text: str, limit: int = SHORT_TITLE) -> str:
    """A short title for a text whose metadata has none, or "" when the text has no words.

    The first non-empty line up to the end of its first sentence ("Dr." and "U.S." do not end
    it), cut at a word boundary to at most `limit` characters with an ellipsis when longer.
    """
    line = next((collapse_spaces(raw) for raw in text.splitlines() if raw.strip()), "")
    return _short(_first_sentence(line), limit)


def _first_sentence(line: str) -> str:
    for match in _SENTENCE_END.finditer(line):
        before = line[: match.start()].rsplit(" ", 1)[-1].rsplit(".", 1)[-1]
        if match.group().startswith(".") and (len(before) == 1 or before.lower() in _ABBREVIATIONS):
            continue  # an initial or an abbreviation, not the end of the sentence
        return line[: match.end()]
    return line


def _short(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    cut = grapheme_floor(value, limit - 1)
    space = value.rfind(" ", 0, cut + 1)
    if space > limit // 2:
        cut = space  # a whole word, unless that would leave too little
    return value[:cut].rstrip(" ,;:-–—") + "…"


def clean_title(value: str | None) -> str | None:
    """A title as one line of plain text (whitespace collapsed, clipped), or None if empty."""
    if value is None:
        return None
    cleaned = clip(collapse_spaces(value.replace("\u2028", " ").replace("\u2029", " ")))
    return cleaned or None


def clean_value(value: str | None) -> str | None:
    """A one-line metadata value (whitespace collapsed), or None if empty."""
    if value is None:
        return None
    cleaned = collapse_spaces(value)
    return cleaned or None


_ISO_PARTIAL = re.compile(r"\d{4}(-\d{2})?")


def iso_date(value: str | None) -> str | None:
    """A date as ISO 8601 where it can be read as one, else the value as given (trimmed).

    ISO dates and date-times stay as written (as precise as known: "2020", "2020-05",
    "2020-05-01T10:00:00+02:00"); RFC 2822 dates (RSS, e-mail) become ISO date-times. Anything
    else is kept verbatim rather than guessed (is 05/07/2019 May or July?).
    """
    cleaned = clean_value(value)
    if cleaned is None:
        return None
    if _ISO_PARTIAL.fullmatch(cleaned):
        return cleaned
    try:
        datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return cleaned
    # Imported here: email.utils brings socket and more into every command's start-up.
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(cleaned).isoformat()
    except (TypeError, ValueError, IndexError):
        return cleaned


def iso_datetime(value: datetime | None) -> str | None:
    """A timestamp from document properties as ISO 8601, or None."""
    if value is None:
        return None
    return value.isoformat()


def split_tags(value: object) -> tuple[str, ...]:
    """Tags from a list of strings or a comma- or semicolon-separated string, in order, unique."""
    if isinstance(value, str):
        parts: list[object] = re.split(r"[,;]", value)
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        return ()
    tags: list[str] = []
    for part in parts:
        if isinstance(part, str):
            tag = collapse_spaces(part)
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


def describe_error(exc: BaseException) -> str:
    """An exception from a parser as one short line: `KeyError: 'x'`."""
    lines = str(exc).strip().splitlines()
    detail = lines[0][:200] if lines else "no details"
    return f"{type(exc).__name__}: {detail}"


def kind_of_value(value: object) -> str:
    """How a JSON value is described in messages: "a number", "an array", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string"
