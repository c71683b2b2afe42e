"""Placeholder: the throwaway PostgreSQL server fixture is being written."""
