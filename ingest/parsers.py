"""Parsers behind a small Protocol, chosen by score from the file's first bytes.

A parser does not OCR: it checks the file (errors before any work), counts pages and
returns a *plan*, one job per page: a :class:`TextJob` (the text is already there) or an
:class:`ImageJob` (a page image to load in a worker and OCR). :mod:`ingest.document`
runs the plan.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from chithi.errors import (CorruptFile, EncryptedPDF, ImageTooLarge, NoPages, TooManyPages,
                           UnsupportedFormat)
from chithi.text import nfc
from ingest import sniff
from ingest.encodings import decode_text
from ingest.layout import Line, LWord, assemble, order_columns
from ingest.textlayer import judge

RENDER_DPI = 300


@dataclass
class TextJob:
    text: str
    method: str  # "text" | "pdf-text"
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    words: list[tuple[str, int, int, tuple[int, int, int, int]]] = field(default_factory=list)


@dataclass
class ImageJob:
    kind: str  # "pdf" | "image"
    path: str
    index: int
    dpi: int | None = None  # render dpi for PDFs; declared dpi for images
    note: str = ""


@dataclass
class Plan:
    jobs: list[TextJob | ImageJob]
    source_kind: str
    media_type: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


class Parser(Protocol):
    name: str

    def score(self, kind: str, *, filename: str | None) -> float: ...

    def plan(self, path: Path, data: bytes, *, max_pages: int, max_image_pixels: int) -> Plan: ...


class TextParser:
    name = "text"

    def score(self, kind: str, *, filename: str | None) -> float:
        return 1.0 if kind == sniff.TEXT else 0.0

    def plan(self, path: Path, data: bytes, *, max_pages: int, max_image_pixels: int) -> Plan:
        text, encoding = decode_text(data)
        text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\f", "\n")
        return Plan([TextJob(text, "text")], "text", "text/plain", encoding)


class PdfParser:
    name = "pdf"

    def score(self, kind: str, *, filename: str | None) -> float:
        return 1.0 if kind == sniff.PDF else 0.0

    def plan(self, path: Path, data: bytes, *, max_pages: int, max_image_pixels: int) -> Plan:
        import pypdfium2 as pdfium

        doc = open_pdf(path)
        try:
            n = len(doc)
            if n == 0:
                raise NoPages("the PDF has no pages")
            if n > max_pages:
                raise TooManyPages(f"{n} pages, the limit is {max_pages}", pages=n, limit=max_pages)
            layers = _text_layers(path, n)
            jobs: list[TextJob | ImageJob] = []
            notes: list[str] = []
            for i in range(n):
                page = doc[i]
                w_pt, h_pt = page.get_size()
                raw, words = layers[i] if layers[i] is not None else (
                    page.get_textpage().get_text_range(), [])
                verdict = judge(raw)
                if verdict.ok:
                    jobs.append(TextJob(verdict.text, "pdf-text", int(w_pt), int(h_pt), 72,
                                        words if verdict.text == raw else []))
                    continue
                if raw.strip():
                    notes.append(f"page {i + 1}: {verdict.reason}; read by OCR")
                dpi = RENDER_DPI
                pixels = (w_pt / 72 * dpi) * (h_pt / 72 * dpi)
                if pixels > max_image_pixels:
                    dpi = int(dpi * (max_image_pixels / pixels) ** 0.5)
                    if dpi < 72:
                        raise ImageTooLarge(f"page {i + 1} is {w_pt:.0f}x{h_pt:.0f} pt")
                jobs.append(ImageJob("pdf", str(path), i, dpi))
        except pdfium.PdfiumError as exc:
            raise CorruptFile(f"the PDF cannot be read: {exc}") from exc
        finally:
            doc.close()
        kind = "pdf-text" if all(isinstance(j, TextJob) for j in jobs) else "pdf-image"
        return Plan(jobs, kind, "application/pdf", warnings=notes)


def open_pdf(path: Path | str):
    """Open with pdfium, trying the empty password; coded errors for the failures."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise EncryptedPDF("the PDF needs a password to open") from exc
        raise CorruptFile(f"the PDF cannot be read: {exc}") from exc


def _text_layers(path: Path, n: int) -> list[tuple[str, list] | None]:
    """Each page's text and words from pdfplumber, two-column runs read column by column
    (None where pdfminer fails: pdfium's text is used)."""
    out: list[tuple[str, list] | None] = [None] * n
    try:
        import pdfplumber

        with pdfplumber.open(str(path), password="") as pdf:
            for i, page in enumerate(pdf.pages[:n]):
                try:
                    out[i] = _page_text(page.extract_words(), int(page.width))
                except Exception:  # noqa: BLE001 - a page pdfminer cannot read falls back
                    out[i] = None
    except Exception:  # noqa: BLE001 - pdfminer refusing the file is not fatal: pdfium read it
        pass
    return out


def _page_text(raw_words: list[dict], width: int) -> tuple[str, list]:
    lines: list[Line] = []
    top = None
    for w in sorted(raw_words, key=lambda w: (round(w["top"]), w["x0"])):
        word = LWord(nfc(w["text"]), int(w["x0"]), int(w["top"]), int(round(w["x1"])),
                     int(round(w["bottom"])))
        if top is None or abs(w["top"] - top) > 3:
            lines.append(Line([]))
            top = w["top"]
        lines[-1].words.append(word)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    text, placed = assemble(order_columns(lines, width))
    return text, [(w.text, a, b, (w.x0, w.y0, w.x1, w.y1)) for w, a, b in placed]


class ImageParser:
    name = "image"

    def score(self, kind: str, *, filename: str | None) -> float:
        return 1.0 if kind in (sniff.PNG, sniff.JPEG, sniff.TIFF, sniff.IMAGE) else 0.0

    def plan(self, path: Path, data: bytes, *, max_pages: int, max_image_pixels: int) -> Plan:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                img = Image.open(io.BytesIO(data))  # reads the header only
            except Image.DecompressionBombError as exc:
                raise ImageTooLarge(str(exc)) from exc
            except Exception as exc:  # noqa: BLE001 - PIL raises many kinds for broken files
                raise CorruptFile(f"the image cannot be read: {exc}") from exc
            n = getattr(img, "n_frames", 1)
            if n > max_pages:
                raise TooManyPages(f"{n} pages, the limit is {max_pages}", pages=n, limit=max_pages)
            jobs: list[TextJob | ImageJob] = []
            for i in range(n):
                img.seek(i)
                w, h = img.size
                if w * h > max_image_pixels:
                    raise ImageTooLarge(f"page {i + 1} is {w}x{h} pixels", width=w, height=h)
                dpi = img.info.get("dpi", (0, 0))[0]
                jobs.append(ImageJob("image", str(path), i, int(round(float(dpi))) if dpi else None))
            media = Image.MIME.get(img.format or "", "image/" + (img.format or "unknown").lower())
        return Plan(jobs, "image", media)


PARSERS: tuple[Parser, ...] = (PdfParser(), ImageParser(), TextParser())


def choose(head: bytes, *, filename: str | None) -> Parser:
    """The best parser for these bytes; a name that claims PDF must hold a PDF."""
    kind = sniff.sniff(head)
    if filename and filename.lower().endswith(".pdf") and kind != sniff.PDF:
        raise CorruptFile(f"{filename} is named as a PDF but is not one (no %PDF header)")
    score, parser = max(((p.score(kind, filename=filename), p) for p in PARSERS), key=lambda x: x[0])
    if score <= 0:
        raise UnsupportedFormat("the file is not a PDF, an image or plain text")
    return parser
