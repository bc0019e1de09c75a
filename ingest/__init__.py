"""ingest: any uploaded file (PDF, scan, image, plain text) → ``DocumentText``.

``read_document`` is the one entry point; see ``ingest/document.py``.
"""
from ingest.document import read_document

__all__ = ["read_document"]
