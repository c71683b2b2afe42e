"""The schema: labels, relation types and the guidelines."""
