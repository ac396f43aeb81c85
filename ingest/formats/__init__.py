"""Readers of one file format each: path -> page texts (ingest.extract dispatches)."""
