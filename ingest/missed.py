"""A second look at ink the page reading left out.

Tesseract's layout analysis sometimes drops a whole text line as "image": a signer's name under
the remains of a signature and a seal is the usual case, and it is the line a clerk needs most.
After the page is read, the ink that no word box covers is grouped into line-shaped regions of
the page's text height; each is read again as one text line (``--psm 7``) and its words are
kept only when Tesseract is confident in the line and every word looks like a word, so signature strokes, seal
rings and specks give nothing. Measured on ``../shared/scans`` (``python -m bench ocr``).
"""
from __future__ import annotations

import statistics

import cv2
import numpy as np
import pytesseract

MAX_REGIONS = 8
MIN_CONF = 60.0  # mean Tesseract word confidence (0-100) of a line found on the second look


def _text_height(data: dict) -> float | None:
    hs = [int(data["height"][i]) for i in range(len(data["text"]))
          if data["level"][i] == 5 and (data["text"][i] or "").strip()]
    return float(statistics.median(hs)) if len(hs) >= 5 else None


def unread_regions(image: np.ndarray, data: dict) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of line-shaped ink regions that no OCR word covers."""
    th = _text_height(data)
    if th is None:
        return []
    ink = (image < 128).astype(np.uint8)
    pad = max(2, int(0.3 * th))
    for i in range(len(data["text"])):
        if data["level"][i] == 5 and (data["text"][i] or "").strip():
            x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
            ink[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad] = 0
    if ink.sum() < th * th:
        return []
    kernel = np.ones((max(1, int(0.25 * th)), max(1, int(0.9 * th))), np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, kernel))
    out = []
    for x, y, w, h, _area in stats[1:]:
        if not 0.6 * th <= h <= 2.5 * th or w < 1.5 * th:
            continue
        density = ink[y:y + h, x:x + w].mean()
        if 0.06 <= density <= 0.6:
            out.append((int(x), int(y), int(w), int(h)))
    out.sort(key=lambda b: -b[2] * b[3])
    return out[:MAX_REGIONS]


def _wordlike(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 2 and letters >= 0.8 * len(text.strip(".,;:()"))


def read_missed(image: np.ndarray, data: dict, *, dpi: int, lang: str, timeout: float = 0) -> dict:
    """``data`` (``image_to_data`` output) with the confident words of the unread regions
    added as lines of new blocks; the input is not changed."""
    regions = unread_regions(image, data)
    if not regions:
        return data
    out = {k: list(v) for k, v in data.items()}
    block = max(out["block_num"], default=0) + 1
    H, W = image.shape[:2]
    for x, y, w, h in regions:
        m = max(4, h // 2)
        x0, y0 = max(0, x - m), max(0, y - m)
        crop = image[y0:min(H, y + h + m), x0:min(W, x + w + m)]
        got = pytesseract.image_to_data(crop, lang=lang, config=f"--psm 7 --dpi {dpi}",
                                        output_type=pytesseract.Output.DICT, timeout=timeout)
        words = [i for i in range(len(got["text"])) if got["level"][i] == 5 and (got["text"][i] or "").strip()]
        confs = [float(got["conf"][i]) for i in words]
        if not words or sum(confs) / len(confs) < MIN_CONF or not all(_wordlike(got["text"][i]) for i in words):
            continue
        for n, i in enumerate(words):
            for key, val in (("level", 5), ("page_num", 1), ("block_num", block), ("par_num", 1),
                             ("line_num", 1), ("word_num", n + 1), ("left", x0 + int(got["left"][i])),
                             ("top", y0 + int(got["top"][i])), ("width", int(got["width"][i])),
                             ("height", int(got["height"][i])), ("conf", got["conf"][i]), ("text", got["text"][i])):
                out[key].append(val)
        block += 1
    return out
