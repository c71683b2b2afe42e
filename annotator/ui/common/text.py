"""Untrusted text in widgets that guess between plain and rich text."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally.

    Tool tips render rich text when Qt guesses markup, and an escaped string without markup is
    shown with its entities. Escaping and wrapping in <qt> makes the result always rich and always
    literal.
    """
    return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>"
