"""Timestamps as ISO 8601 text, each distinct one formatted once.

`datetime.isoformat` costs more than the rest of writing a span; the spans of a document mostly
share a few timestamps (an unedited span's `updated` is its `created`, spans imported or
accepted together were made at once). Writers keep one `IsoTimes` per document, so the table
never outgrows a document.
"""

from __future__ import annotations

from datetime import datetime


class IsoTimes(dict[datetime, str]):
    """`times[t]` is `t.isoformat()`, remembered."""

    def __missing__(self, key: datetime) -> str:
        value = self[key] = key.isoformat()
        return value
