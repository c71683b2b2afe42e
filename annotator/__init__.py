"""Annotate news articles: actors, dates and claims, and who said what, when."""

__version__ = "0.1.0"
