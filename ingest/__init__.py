"""Ingestion: load programme documents, structure and chunk them, embed and index them.

This is the lower layer: it knows nothing of ``assistant``.
"""
