"""Interchange formats, one module each, listed in `annotator.formats.registry`."""
