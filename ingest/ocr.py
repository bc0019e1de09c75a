"""OCR of one page image with Tesseract (``lang="vie"``, psm 4) into lines and words.

``ocr_page`` is what a worker process runs: orientation (Tesseract OSD), preprocessing,
``image_to_data``, then the page text with one text line per OCR line and a blank line
between OCR blocks/paragraphs, and every word with its offsets into that page text.
Offsets are page-local here; :mod:`ingest.document` shifts them into the document text.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field

import cv2
import numpy as np
import pytesseract

from chithi.errors import OCRUnavailable
from chithi.text import nfc
from ingest import preprocess
from ingest.layout import Line, LWord, assemble, order_columns
from ingest.missed import read_missed
from ingest.repair import repair_words
from ingest.tones import mend_tones

LANG = "vie"
PSM = 4
REVIEW_BELOW = 0.80  # mean word confidence under which a page is flagged for review
OSD_MIN_CONF = 1.5


@dataclass
class OcrWord:
    text: str
    start: int
    end: int
    bbox: tuple[int, int, int, int]
    conf: float


@dataclass
class OcrPage:
    text: str
    words: list[OcrWord]
    width: int
    height: int
    dpi: int
    rotation: int
    confidence: float | None
    seconds: float
    notes: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)


def check_tesseract() -> None:
    """Raise :class:`OCRUnavailable` unless Tesseract with Vietnamese data is installed."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OCRUnavailable("tesseract binary not found")
    try:
        langs = pytesseract.get_languages(config="")
    except Exception as exc:  # noqa: BLE001 - any failure means no usable OCR
        raise OCRUnavailable(f"tesseract does not run: {exc}") from exc
    if LANG not in langs:
        raise OCRUnavailable("Vietnamese data (tesseract-ocr-vie) is not installed")


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OCONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(grey: np.ndarray, *, dpi: int) -> tuple[int, float]:
    """Clockwise degrees (0/90/180/270) that turn the page upright, and OSD's confidence."""
    scale = min(1.0, 300.0 / max(dpi, 1))
    img = grey
    if scale < 1.0:
        import cv2
        img = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    try:
        osd = pytesseract.image_to_osd(img, config="--psm 0 -c min_characters_to_try=20")
    except pytesseract.TesseractError:
        return 0, 0.0
    rot, conf = _ROTATE.search(osd), _OCONF.search(osd)
    if not rot:
        return 0, 0.0
    return int(rot.group(1)) % 360, float(conf.group(1)) if conf else 0.0


def _data(image: np.ndarray, dpi: int, *, psm: int = PSM, timeout: float = 0) -> dict:
    return pytesseract.image_to_data(
        image, lang=LANG, config=f"--psm {psm} --dpi {dpi}", output_type=pytesseract.Output.DICT,
        timeout=timeout)


def layout(data: dict, width: int) -> tuple[str, list[OcrWord]]:
    """Page text and words from ``image_to_data``: one text line per OCR line, lines top to
    bottom (Tesseract's own block order may put a right-hand block first), a blank line
    between blocks/paragraphs, two-column runs read column by column."""
    groups: dict[tuple[int, int, int], list[LWord]] = {}
    for i, raw in enumerate(data["text"]):
        if data["level"][i] != 5:
            continue
        token = nfc((raw or "").strip())
        if not token:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        word = LWord(token, x, y, x + w, y + h, max(0.0, min(1.0, float(data["conf"][i]) / 100.0)))
        groups.setdefault(key, []).append(word)
    ordered = sorted(groups.items(), key=lambda kv: sorted(w.y0 + w.y1 for w in kv[1])[len(kv[1]) // 2])
    lines: list[Line] = []
    prev: tuple[int, int, int] | None = None
    for key, words in ordered:
        lines.append(Line(sorted(words, key=lambda w: w.x0), para=prev is not None and key[:2] != prev[:2]))
        prev = key
    text, placed = assemble(order_columns(lines, width))
    return text, [OcrWord(w.text, a, b, (w.x0, w.y0, w.x1, w.y1), w.conf or 0.0) for w, a, b in placed]


# An upright page reads with a good mean word confidence; only a page that reads badly is
# asked for its orientation (Tesseract OSD costs ~60% of an OCR pass at 300 dpi, and OSD at half
# resolution is as reliable for whole pages while 2.5x cheaper). Measured in bench/ocr.py.
UPRIGHT_CONF = 0.70
UPRIGHT_MIN_WORDS = 15
OSD_SCALE = 0.5


def _read(image: np.ndarray, *, dpi: int, steps: tuple[str, ...], psm: int, timeout: float):
    prepared = preprocess.prepare(image, dpi=dpi, steps=steps)
    data = _data(prepared.image, prepared.dpi, psm=psm, timeout=timeout)
    if "binarise" in steps:
        data = read_missed(prepared.image, data, dpi=prepared.dpi, lang=LANG, timeout=timeout)
    text, words = layout(data, prepared.image.shape[1])
    confs = [w.conf for w in words]
    return prepared, text, words, (sum(confs) / len(confs)) if confs else 0.0


def ocr_page(image: np.ndarray, *, dpi: int, steps: tuple[str, ...] = preprocess.DEFAULT_STEPS,
             orient: bool = True, repair: bool = True, psm: int = PSM,
             timeout: float = 0) -> OcrPage:
    """OCR one page image (RGB or grey numpy array at ``dpi``). With ``orient``, a page that
    reads badly is turned upright (Tesseract OSD) and read again; the better reading is kept."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    t0 = time.perf_counter()
    notes: list[str] = []
    rotation = 0
    prepared, text, words, conf = _read(image, dpi=dpi, steps=steps, psm=psm, timeout=timeout)
    if orient and (conf < UPRIGHT_CONF or len(words) < UPRIGHT_MIN_WORDS):
        grey0 = preprocess.to_grey(image)
        small = cv2.resize(grey0, None, fx=OSD_SCALE, fy=OSD_SCALE, interpolation=cv2.INTER_AREA)
        turn, oconf = detect_orientation(small, dpi=int(dpi * OSD_SCALE))
        if turn and oconf >= OSD_MIN_CONF:
            turned = _read(preprocess.rotate90(image, turn), dpi=dpi, steps=steps, psm=psm, timeout=timeout)
            if turned[3] > conf or len(turned[2]) > 2 * len(words):
                prepared, text, words, conf = turned
                rotation = turn
                notes.append(f"turned {turn} deg (OSD confidence {oconf:.1f})")
    notes.extend(prepared.notes)
    repairs: list[str] = []
    if repair and words:
        fixed, repairs = repair_words([w.text for w in words])
        fixed, toned = mend_tones(fixed)
        if toned:  # one note for all of them: a review screen needs the count and examples
            repairs.append(f"OCR tone marks mended in {len(toned)} words against word lists, e.g. "
                           + "; ".join(toned[:3]))
        if repairs:
            text, words = _rebuild(text, words, fixed)
    confs = [w.conf for w in words]
    h, w = prepared.image.shape[:2]
    return OcrPage(text=text, words=words, width=int(w), height=int(h), dpi=prepared.dpi,
                   rotation=rotation, confidence=(sum(confs) / len(confs)) if confs else None,
                   seconds=time.perf_counter() - t0, notes=notes, repairs=repairs)


def _rebuild(text: str, words: list[OcrWord], fixed: list[str]) -> tuple[str, list[OcrWord]]:
    """Swap word texts for repaired ones, keeping the separators and shifting offsets."""
    out: list[str] = []
    new_words: list[OcrWord] = []
    last = 0
    pos = 0
    for word, new in zip(words, fixed):
        sep = text[last:word.start]
        out.append(sep)
        pos += len(sep)
        out.append(new)
        new_words.append(OcrWord(new, pos, pos + len(new), word.bbox, word.conf))
        pos += len(new)
        last = word.end
    out.append(text[last:])
    return "".join(out), new_words
