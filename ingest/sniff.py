"""What a file is, from its bytes (magic numbers), never from its name."""
from __future__ import annotations

import codecs

PDF, PNG, JPEG, TIFF, IMAGE, TEXT, UNKNOWN = "pdf", "png", "jpeg", "tiff", "image", "text", "unknown"

MEDIA_TYPES = {PDF: "application/pdf", PNG: "image/png", JPEG: "image/jpeg", TIFF: "image/tiff",
               TEXT: "text/plain"}

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
         codecs.BOM_UTF32_BE)


def sniff(head: bytes) -> str:
    """The kind of a file from its first bytes (1-8 KB is enough)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if head[:6] in (b"GIF87a", b"GIF89a") or head[:2] == b"BM" and len(head) > 26 \
            or head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE
    if looks_like_text(head):
        return TEXT
    return UNKNOWN


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith(_BOMS):
        return True
    sample = head[:8192]
    zeros = sample.count(0)
    if zeros:  # UTF-16 without BOM: zeros on every other byte only
        half = len(sample) / 2
        even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
        return (odd > 0.3 and even < 0.05) or (even > 0.3 and odd < 0.05)
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) < 0.01
