"""The corpus: documents, search, import and export, completeness and the actor registry."""
