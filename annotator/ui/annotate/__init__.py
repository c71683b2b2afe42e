"""Annotating one article: the article view, spans, links, details and suggestions."""
