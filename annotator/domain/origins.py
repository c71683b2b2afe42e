"""Where a span came from: made by hand, or accepted from a suggestion engine's proposal.

The names are stored with each suggestion and on the spans accepted from one; they live here,
apart from the engines, so that the command line can offer them without loading the engines.
"""

from __future__ import annotations

MANUAL = "manual"
"""A span made by hand, or imported without an origin."""

# Engine names, as stored with each suggestion and on the spans accepted from them.
DATES = "dates"
ACTORS = "actors"
CLAIMS = "claims"
ENGINES = (ACTORS, DATES, CLAIMS)
