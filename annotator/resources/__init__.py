"""Files shipped inside the package (demo article, style sheet), read through importlib."""

from __future__ import annotations

from importlib import resources

_KNOWN = frozenset({"demo-article.json", "style.qss", "guidelines.md", "icon.svg", "user-guide.md"})


def read_text(name: str) -> str:
    """The text of a shipped resource; raises KeyError for a name the package does not ship."""
    if name not in _KNOWN:
        raise KeyError(f"no resource named {name!r}")
    return (resources.files(__package__) / name).read_text(encoding="utf-8")
