"""Ingest: one parser per source kind, normalisers, force of a location."""
