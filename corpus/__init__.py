"""The corpus: shared data model, settings, errors and the SQLite store."""
