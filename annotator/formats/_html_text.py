"""The readable text of an HTML fragment, and where each DOM position of it lands in that text.

Label Studio's HyperText regions point into the page's DOM: an XPath to a text node (or an
element) and an offset in JavaScript string units (UTF-16). To import them we need a plain text
to store and, for every such position, the code-point offset in that text. Browsers and
libraries that turn HTML into text (trafilatura, html2text, inscriptis) give the text but not
the map from DOM nodes to offsets, so this module renders the text itself and keeps the map.

The text is what a reader sees, close to the browser's rendering: runs of white space in a text
node become one space (none at the start of a line), `<br>` and block elements (paragraphs,
headings, list items, table rows, divs, ...) start a new line, table cells are separated by a
space, `<pre>` keeps its white space, and scripts, styles and comments add nothing. Markup is
never interpreted beyond that: nothing is fetched, entities are decoded by lxml's HTML parser.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd"),
        *("details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure"),
        *("footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr"),
        *("html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary"),
        *("table", "tbody", "tfoot", "thead", "tr", "ul"),
    }
)
_CELLS = frozenset({"td", "th"})
# The paths Label Studio writes: child steps with positions, then perhaps a text node. Nothing
# else is evaluated, so a file cannot hand lxml an expensive query.
_SIMPLE_PATH = re.compile(r"(?:/[A-Za-z][\w.-]*(?:\[\d{1,6}\])?)+(?:/text\(\)(?:\[\d{1,6}\])?)?")
_SILENT = frozenset({"script", "style", "head", "title", "template", "noscript"})


class HtmlText:
    """The rendered text of a fragment and the positions of its nodes in it."""

    def __init__(self, root: Any) -> None:
        self._root = root
        # For each text node, keyed by (element, is its tail), the text offset of each of its
        # UTF-16 units and one past its end. Keyed by the lxml element itself: lxml makes a
        # new proxy object for a node whenever none is alive, so id() would not find it again;
        # holding the proxies keeps them the same.
        self._units: dict[tuple[Any, bool], list[int]] = {}
        self._elements: dict[Any, int] = {}  # element -> where its content starts
        self.text = ""

    def locate(self, xpath: str, offset: int) -> int | None:
        """The text offset of a DOM position (Label Studio's `start`/`startOffset`, relative to
        the fragment's container), or None when the path leads nowhere in this fragment or the
        offset is not inside the node."""
        if _SIMPLE_PATH.fullmatch(xpath) is None or offset < 0:
            return None
        try:
            found = self._root.xpath("." + xpath)
        except etree.XPathError:
            return None
        if not isinstance(found, list) or len(found) != 1:
            return None
        node = found[0]
        if isinstance(node, str):  # a text node: lxml's smart string knows where it hangs
            parent = node.getparent()  # type: ignore[attr-defined]
            if parent is None:
                return None
            is_tail = bool(node.is_tail)  # type: ignore[attr-defined]
            units = self._units.get((parent, is_tail))
            if units is None or offset >= len(units):
                return None
            return units[offset]
        # In a DOM range an element's offset counts its children; only its start is unambiguous.
        return self._elements.get(node) if offset == 0 else None


class _Renderer:
    """Walks the tree once, appending rendered text. White space is owed rather than written
    (`pending`) until visible text follows on the same line, so that no line ends or starts
    with a space and a run of spaces, tabs and newlines shows as one space."""

    def __init__(self, result: HtmlText) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.pending = False
        self.result = result

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _at_line_start(self) -> bool:
        return self.length == 0 or self.parts[-1].endswith("\n")

    def new_line(self) -> None:
        self.pending = False
        if not self._at_line_start():
            self._add("\n")

    def space(self) -> None:
        self.pending = not self._at_line_start()

    def node_text(self, raw: str, owner: Any, is_tail: bool, pre: bool) -> None:
        """Render one text node and record where each of its UTF-16 units lands: a character
        at its place, white space where the owed space (or the next text) goes."""
        units: list[int] = []
        for ch in raw:
            width = 2 if ord(ch) > 0xFFFF else 1
            if not pre and ch in " \t\n\r\f":
                units.extend([self.length] * width)
                self.space()
                continue
            if self.pending:
                self._add(" ")
                self.pending = False
            units.extend([self.length] * width)
            self._add(ch)
        units.append(self.length)
        self.result._units[(owner, is_tail)] = units

    def element(self, el: Any, pre: bool = False) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SILENT or not tag:  # comments and processing instructions have no text
            return
        block = tag in _BLOCKS
        if block or tag == "br":
            self.new_line()
        elif tag in _CELLS:
            self.space()
        start = self.length
        pre = pre or tag == "pre"
        if el.text:
            self.node_text(el.text, el, False, pre)
        for child in el:
            self.element(child, pre)
            if child.tail:
                self.node_text(child.tail, child, True, pre)
        if block:
            self.new_line()
        self.result._elements[el] = start


def html_text(markup: str) -> HtmlText:
    """Render an HTML fragment (or page) to text with a map from its DOM positions."""
    result = HtmlText(html.fragment_fromstring(markup, create_parent="div"))
    renderer = _Renderer(result)
    renderer.element(result._root)
    result.text = "".join(renderer.parts)
    return result
