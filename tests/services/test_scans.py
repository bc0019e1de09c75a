"""A scanned (image) upload through the real ingest: page-level progress and OCR pages stored."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from services import Archive

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = [["ỦY BAN NHÂN DÂN", "Số: 12/CT-UBND"], ["Sở Nội vụ chủ trì thực hiện.", "Giao Sở Tài chính."]]


def two_page_tiff() -> bytes:
    font = ImageFont.truetype(FONT, 40)
    pages = []
    for lines in LINES:
        page = Image.new("L", (1240, 500), 255)
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines):
            draw.text((80, 80 + 90 * i), line, font=font, fill=0)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], dpi=(150, 150))
    return out.getvalue()


def test_scan_reports_pages_and_keeps_ocr_pages(archive: Archive, tmp_path: Path):
    scan = tmp_path / "scan.tiff"
    scan.write_bytes(two_page_tiff())
    events = []
    result = archive.ingest_path(scan, progress=events.append)
    pages = [(e.pages_done, e.pages_total) for e in events if e.stage == "page"]
    assert pages and pages[-1] == (2, 2)
    assert result.pages == 2 and result.status == "done"
    doc = archive.get_document(result.document_id)
    assert doc.media_type == "image/tiff"
    assert [p.method for p in doc.pages] == ["ocr", "ocr"]
    assert all(p.confidence is not None for p in doc.pages)
    assert "Nội vụ" in doc.text and doc.text.count("\f") == 1
