"""Extraction: a directive's text → header, references, obligations (see docs/architecture.md).

``extract`` runs the extractors (each a pure function of the text, grouped by kind as in
LexNLP) and then locates every span on its page (and its box, for scans).
"""
from __future__ import annotations

import hashlib

from chithi.models import (BBox, DocumentText, Extraction, Model, Page, PageInfo, Span)
from chithi.text import nfc

EXTRACTOR_VERSION = "1"


def as_document_text(doc: DocumentText | str) -> DocumentText:
    if isinstance(doc, DocumentText):
        return doc
    text = nfc(doc).replace("\r\n", "\n").replace("\r", "\n")
    return DocumentText(text=text, pages=[Page(number=1, start=0, end=len(text), method="text")],
                        source_kind="text")


def extract(doc: DocumentText | str, *, file: str | None = None) -> Extraction:
    from .header import extract_header
    from .obligations import extract_obligations
    from .references import extract_references

    dt = as_document_text(doc)
    text = dt.text
    header = extract_header(text)
    references = extract_references(text, header=header)
    obligations = extract_obligations(text, header)
    extraction = Extraction(
        file=file, document=header, references=references, obligations=obligations,
        pages=[PageInfo(number=p.number, start=p.start, end=p.end, method=p.method,
                        confidence=p.confidence, needs_review=p.needs_review) for p in dt.pages],
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        warnings=list(dt.warnings))
    _locate(extraction, dt)
    return extraction


def _locate(obj: object, dt: DocumentText) -> None:
    """Give every Span its page, and its box on the page image where the page was OCR'd."""
    has_boxes = any(p.words for p in dt.pages)
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, Span):
            item.page = dt.page_of(item.start)
            if has_boxes:
                box: BBox | None = dt.bbox_of(item.start, item.end)
                item.bbox = box
        elif isinstance(item, Model):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
