"""Web pages: the article's main text and its metadata, extracted with trafilatura.

Nothing is fetched or read: the page is parsed from the bytes given (lxml's HTML parser loads no
DTD, image, frame or script), and trafilatura only ever sees the parsed tree. Scripts, styles,
forms and frames never reach the text; markup in the title (`<title>Summit <b>report</b>`) is
text by HTML's own rules and stays literal characters, never interpreted.

The text is built from trafilatura's XML body: one paragraph per block (paragraph, heading,
list item, quotation), paragraphs separated by a blank line, a `<br>` kept as a line break,
table rows as lines with cells separated by tabs. White space inside a block is collapsed as a
browser does (ASCII white space only: no-break spaces stay).

Choices made on top of trafilatura, each tested on real pages:
- precision mode, plus pruning of "next post" / "related stories" blocks, which trafilatura
  otherwise glues under short articles;
- the title is the page's `<h1>` headline when the `<title>` or og:title contains it (those
  usually add the site's name or section: "Chronik: Lotte Tobisch ist tot"), else trafilatura's;
- a lead paragraph ("standfirst") that the page shows outside the article body, recognised by
  being exactly the page's own description, is put back before the body.
"""

from __future__ import annotations

import codecs
import copy
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree, html

from annotator.domain.model import DocumentMeta
from annotator.domain.sources import Refusal, SourceDocument
from annotator.formats.sources._common import (
    Item,
    clean_title,
    clean_value,
    collapse_spaces,
    describe_error,
    first_line_title,
    iso_date,
)
from annotator.formats.sources.plain import guess_legacy_encoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PRESCAN_BYTES = 16384

# Labels that the HTML standard maps to another decoder than Python's codec of that name.
_WHATWG_LABELS = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    # A page that says UTF-16 in an ASCII-readable <meta> is not UTF-16.
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

# Characters that XML (and so trafilatura's tree) cannot hold.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")

_PRUNE_TOKENS = (
    "next-post",
    "previous-post",
    "prev-post",
    "related-post",
    "related-article",
    "related-stor",
    "more-stories",
    "recommended",
    "read-next",
    "most-read",
    "most-viewed",
    "most-popular",
)
_PRUNE_XPATH = [
    "//*["
    + " or ".join(f"contains(@id,'{t}') or contains(@class,'{t}')" for t in _PRUNE_TOKENS)
    + "]"
]

_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "quote", "code", "table", "div", "row"})
_SKIPPED_TAGS = frozenset({"graphic", "fw", "note"})
_LEAD_TAGS = ("p", "strong", "span", "em", "b", "h2")
_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)

# trafilatura and htmldate log every page they find hard; the importer reports in its own words.
for _logger in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_logger).setLevel(logging.CRITICAL)


def read_html(name: str, data: bytes) -> Iterator[Item]:
    """One document: the page's main text, with its title, author, date, site, URL, language."""
    if not data.strip():
        yield Refusal(origin=name, reason="the file is empty")
        return
    markup = decode_html(data)
    if markup is None:
        yield Refusal(origin=name, reason="not a web page (it contains NUL bytes)")
        return
    tree = _parse(markup)
    if tree is None:
        yield Refusal(origin=name, reason="not a web page (the HTML cannot be parsed)")
        return
    try:
        page = _PageFacts(tree)
        working = copy.deepcopy(tree)
        keep = _Protected(working, markup)
        extracted = _extract(working)
    except Exception as exc:  # a damaged page can fail anywhere inside trafilatura or lxml
        yield Refusal(origin=name, reason=f"the page could not be analysed ({describe_error(exc)})")
        return

    def found(field: str) -> str | None:
        value = getattr(extracted, field, None)
        return keep.restore(value) if isinstance(value, str) else None

    body = getattr(extracted, "body", None)
    blocks = [keep.restore(block) for block in _render_blocks(body)] if body is not None else []
    title = clean_title(_headline(page, found("title")))
    if blocks and title is not None and collapse_spaces(blocks[0]) == title:
        blocks.pop(0)  # the headline is the title, not the first paragraph
    lead = _lead(page, found("description"), blocks)
    if lead is not None:
        blocks.insert(0, lead)
    text = "\n\n".join(blocks)
    if not text.strip():
        yield Refusal(
            origin=name,
            reason="no article text found in the page (it may be an index page, a form, "
            "or a page that builds its text with scripts)",
        )
        return
    meta = DocumentMeta(
        title=title or first_line_title(text),
        source=clean_value(found("sitename")),
        url=_http_url(found("url")) or page.canonical_url,
        author=_author(page, found("author")),
        published=iso_date(found("date")),
        language=page.language,
    )
    yield SourceDocument(text=text, meta=meta, origin=name)


def _extract(tree: html.HtmlElement) -> Any:
    """trafilatura on the parsed tree: precision mode, dates from markup only."""
    return trafilatura.bare_extraction(
        tree,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
        deduplicate=False,
        prune_xpath=_PRUNE_XPATH,
        # Only dates the page marks up as its own (meta tags, JSON-LD, <time>, the URL): a
        # date guessed from the body is as often the event's as the article's.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def decode_html(data: bytes) -> str | None:
    """The page as text: byte-order mark, declared charset, UTF-8, a guessed legacy encoding.

    Like a browser, a page that fits no encoding is decoded with replacement characters rather
    than refused. None for data with NUL bytes (not a page).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data:
        return None
    declared = _declared_encoding(data[:_PRESCAN_BYTES])
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guessed = guess_legacy_encoding(data)
    if guessed is not None:
        return data.decode(guessed)
    return data.decode(declared or "utf-8", errors="replace")


def _declared_encoding(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _WHATWG_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _parse(markup: str) -> html.HtmlElement | None:
    # A form feed is white space to HTML but no character XML can hold: a space, then.
    markup = _XML_DECLARATION.sub("", markup, count=1).replace("\f", " ")
    markup = _CONTROL_CHARS.sub("", markup)
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
    )
    try:
        tree = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return tree if isinstance(tree, html.HtmlElement) else None


class _Protected:
    """Characters trafilatura would change, swapped for stand-ins while it works.

    trafilatura turns every Unicode space into a plain space and drops format characters, but
    the stored text must keep what the page says: the no-break spaces of French typography, the
    zero-width joiners of emoji and the non-joiners of Persian, the direction marks of Arabic and
    Hebrew. Each such character is replaced in the tree's text by a Braille pattern that the
    page does not contain (trafilatura keeps those as they are), and restored afterwards.
    """

    def __init__(self, tree: html.HtmlElement, markup: str) -> None:
        texts: set[str] = set()
        for element in tree.iter():
            texts.update(element.text or "", element.tail or "")  # entities already decoded
        present = set(markup) | texts
        specials = sorted(ch for ch in texts if _is_fragile(ch))
        spare = (chr(cp) for cp in range(0x2800, 0x2900) if chr(cp) not in present)
        pairs = list(zip(specials, spare, strict=False))
        self._hide = str.maketrans(dict(pairs))
        self._show = str.maketrans({stand_in: ch for ch, stand_in in pairs})
        if not pairs:
            return
        for element in tree.iter():
            if isinstance(element.text, str):
                element.text = element.text.translate(self._hide)
            if isinstance(element.tail, str):
                element.tail = element.tail.translate(self._hide)

    def restore(self, value: str) -> str:
        return value.translate(self._show)


def _is_fragile(ch: str) -> bool:
    return ch > "\x7f" and (ch.isspace() or unicodedata.category(ch) == "Cf")


class _PageFacts:
    """What the reader takes from the page itself, before trafilatura changes the tree."""

    def __init__(self, tree: html.HtmlElement) -> None:
        self.tree = tree
        self.titles = [
            collapse_spaces(t)
            for t in tree.xpath(
                "//head/title/text() | //meta[@property='og:title']/@content"
                " | //meta[@name='twitter:title']/@content"
            )
            if isinstance(t, str)
        ]
        self.headlines = [_visible_text(h1) for h1 in tree.iter("h1")]
        self.language = _language(tree)
        self.authors = _declared_authors(tree)
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        self.canonical_url = _http_url(str(canonical[0])) if canonical else None


def _visible_text(element: html.HtmlElement) -> str:
    """The element's text without ruby readings (<rt>, <rp>), whitespace collapsed."""
    clone = copy.deepcopy(element)
    for reading in clone.xpath(".//rt | .//rp"):
        reading.drop_tree()
    return collapse_spaces(clone.text_content())


def _headline(page: _PageFacts, extracted_title: str | None) -> str | None:
    """The longest <h1> that a <title>-like value contains, else trafilatura's title."""
    titles = [*page.titles, collapse_spaces(extracted_title or "")]
    contained = [h for h in page.headlines if h and any(h in t for t in titles if t)]
    if contained:
        return max(contained, key=len)
    return extracted_title


def _author(page: _PageFacts, extracted: str | None) -> str | None:
    """trafilatura's author, in the page's own spelling when it only re-cased or re-punctuated
    it ("red, wien.ORF.at/Agenturen" rather than "Red; Wien Orf At; Agenturen")."""
    author = clean_value(extracted)
    if author is None:
        return None
    words = _WORD.findall(author.casefold())
    for declared in page.authors:
        if _WORD.findall(declared.casefold()) == words:
            return declared
    return author


def _declared_authors(tree: html.HtmlElement) -> list[str]:
    """Author names as the page writes them: <meta> tags, JSON-LD `author` names, bylines."""
    found = [
        str(value)
        for value in tree.xpath(
            "//meta[@name='author']/@content | //meta[@property='article:author']/@content"
        )
    ]
    found.extend(
        element.text_content()
        for element in tree.xpath(
            "//body//*[contains(@class,'byline') or @itemprop='author' or @rel='author']"
        )
    )
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            found.extend(_json_ld_authors(json.loads(str(script))))
        except (ValueError, RecursionError):
            continue
    return [value for value in (clean_value(v) for v in found) if value]


def _json_ld_authors(node: object) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _json_ld_authors(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "author":
                yield from _author_names(value)
            elif isinstance(value, dict | list):
                yield from _json_ld_authors(value)


def _author_names(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _author_names(item)
    elif isinstance(value, dict) and isinstance(value.get("name"), str):
        yield value["name"]


def _lead(page: _PageFacts, description: str | None, blocks: list[str]) -> str | None:
    """The page's description when the page shows it as a paragraph the body left out."""
    if not description:
        return None
    lead = collapse_spaces(description)
    if len(lead) < 40 or any(lead in collapse_spaces(block) for block in blocks):
        return None
    body = page.tree.find("body")
    if body is None:
        return None
    for element in body.iter(*_LEAD_TAGS):
        if collapse_spaces(element.text_content()) == lead:
            return lead
    return None


def _language(tree: html.HtmlElement) -> str | None:
    for value in tree.xpath(
        "/html/@lang | /html/@xml:lang"
        " | //meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
        "='content-language']/@content"
        " | //meta[@property='og:locale']/@content",
        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
    ):
        cleaned = clean_value(str(value).replace("_", "-").split(",")[0])
        if cleaned:
            return cleaned
    return None


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    match = _URL.fullmatch(value.strip())
    return match.group() if match else None


def _render_blocks(body: etree._Element) -> list[str]:
    blocks: list[str] = []
    _collect_blocks(body, blocks)
    return [block for block in blocks if block]


def _collect_blocks(element: etree._Element, blocks: list[str]) -> None:
    if element.tag == "table":
        rows = [_table_row(row) for row in element.iter("row")]
        blocks.append("\n".join(row for row in rows if row))
        return
    if not any(child.tag in _BLOCK_TAGS for child in element):
        blocks.append(_clean_block(_inline_text(element)))
        return
    pending = element.text or ""
    for child in element:
        if child.tag in _BLOCK_TAGS:
            blocks.append(_clean_block(pending))
            _collect_blocks(child, blocks)
            pending = child.tail or ""
        else:
            pending += _inline_text(child) + (child.tail or "")
    blocks.append(_clean_block(pending))


def _table_row(row: etree._Element) -> str:
    cells = [collapse_spaces(_inline_text(cell).replace("\n", " ")) for cell in row]
    return "\t".join(cells).strip("\t") if any(cells) else ""


def _inline_text(element: etree._Element) -> str:
    if element.tag == "lb":
        return "\n"
    if element.tag in _SKIPPED_TAGS:
        return ""
    parts = [element.text or ""]
    for child in element:
        parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean_block(value: str) -> str:
    lines = (collapse_spaces(line) for line in value.split("\n"))
    return "\n".join(line for line in lines if line)
