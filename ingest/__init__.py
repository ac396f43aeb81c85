"""Ingest: extract, clean and segment protocol files into Documents."""
