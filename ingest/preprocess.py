"""Scan preprocessing before OCR (OpenCV/numpy): dpi, colour ink, skew, noise.

Each step is a small pure function of a numpy image so the benchmark can switch it on and
off (``bench/ocr.py --steps``). What the default pipeline keeps was measured on
``../shared/scans`` (see the report in ``bench/ocr.py``):

- ``normalise_dpi``: pages under ~250 dpi are upscaled to 300 dpi (Tesseract's sweet spot).
- ``drop_colour_ink``: the grey image is the MAX of the three channels, so red seals and
  blue signatures (one strong channel) turn to paper white while black/grey ink stays dark.
- ``deskew``: projection-profile search over ±6° on a small binarised copy.
- ``denoise``: 3×3 median (salt-and-pepper from cheap scanners).
- ``binarise``: Otsu.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

TARGET_DPI = 300
A4_SHORT_IN = 8.27

DEFAULT_STEPS = ("dpi", "colour", "deskew", "flatten", "denoise", "binarise", "edges")


@dataclass
class Prepared:
    image: np.ndarray  # 8-bit grey (or binary 0/255), what Tesseract reads
    dpi: int
    skew: float = 0.0  # degrees corrected
    scale: float = 1.0
    notes: list[str] = field(default_factory=list)


def guess_dpi(width: int, height: int, declared: int | None) -> int:
    """The dpi of a page image: the declared one if plausible, else from an A4 short side."""
    if declared and 70 <= declared <= 1200:
        return int(declared)
    return max(72, int(round(min(width, height) / A4_SHORT_IN)))


def to_grey(image: np.ndarray, *, colour: bool = True) -> np.ndarray:
    """8-bit grey. With ``colour`` the max channel is used: coloured ink becomes paper, and
    under a red seal the text is recovered from the red channel (:func:`clear_seals`)."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        image = image[:, :, :3]
    if colour:
        hi = image.max(axis=2)
        lo = image.min(axis=2)
        chroma = hi.astype(np.int16) - lo
        grey = hi.copy()
        # strongly coloured ink (seal, signature) becomes paper, with the faint rim of its strokes
        mask = (chroma > 30) & (chroma * 4 > hi.astype(np.int16))
        if mask.any():
            rim = cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
            mask |= rim & (chroma > RIM_CHROMA)
            paper = np.uint8(np.percentile(hi[::4, ::4], 75))
            grey[mask] = paper
            clear_seals(image, grey, chroma, paper)
        return grey
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


RIM_CHROMA = 12
SEAL_TEXT_GAP = 40.0  # text under a seal is this much darker in red than the seal's typical ink
SEAL_MIN = 0.08  # a seal is at least this share of the page width across


def seal_boxes(image: np.ndarray, chroma: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of round red seals: red-dominant ink in a roughly square blob."""
    red = (chroma > 40) & (image[:, :, 0] >= image[:, :, 1]) & (image[:, :, 0] >= image[:, :, 2])
    if not red.any():
        return []
    blob = cv2.dilate(red.astype(np.uint8), np.ones((15, 15), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blob)
    w_page = image.shape[1]
    boxes = [tuple(int(v) for v in stats[k, :4]) for k in range(1, n)
             if min(stats[k, 2], stats[k, 3]) > SEAL_MIN * w_page and 0.6 < stats[k, 2] / stats[k, 3] < 1.6]
    # the star or the inner ring of a seal is part of the seal around it
    return [b for b in boxes if not any(o != b and o[0] <= b[0] and o[1] <= b[1] and o[0] + o[2] >= b[0] + b[2]
                                        and o[1] + o[3] >= b[1] + b[3] for o in boxes)]


def clear_seals(image: np.ndarray, grey: np.ndarray, chroma: np.ndarray, paper: np.uint8) -> None:
    """Inside each red seal, black text printed under the seal is dark in every channel while
    the seal's ink is bright in red: keep the red channel's dark pixels (well darker than the
    seal's typical ink) and make the rest paper. ``grey`` is changed in place."""
    for x, y, w, h in seal_boxes(image, chroma):
        reg = image[y:y + h, x:x + w]
        ch = chroma[y:y + h, x:x + w]
        r = reg[:, :, 0]
        red = (ch > 40) & (r >= reg[:, :, 1]) & (r >= reg[:, :, 2])
        cut = float(np.median(r[red])) - SEAL_TEXT_GAP
        sub = reg.max(axis=2).copy()
        blue = reg[:, :, 2].astype(np.int16) - reg[:, :, 1] > RIM_CHROMA  # a signature's ink, also over the seal
        sub[(sub >= cut) | blue] = paper
        grey[y:y + h, x:x + w] = sub


def normalise_dpi(grey: np.ndarray, dpi: int, *, target: int = TARGET_DPI) -> tuple[np.ndarray, int, float]:
    if dpi >= target * 0.83 or dpi <= 0:
        return grey, dpi, 1.0
    scale = target / dpi
    out = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return out, target, scale


def flatten(grey: np.ndarray) -> np.ndarray:
    """Divide by the estimated paper background so tone, shadows and fading do not
    pull the global threshold (a dilated, blurred copy at 1/8 size is the paper)."""
    h, w = grey.shape[:2]
    small = cv2.resize(grey, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, np.ones((5, 5), np.uint8))
    small = cv2.medianBlur(small, 9)
    bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = grey.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def _otsu(grey: np.ndarray) -> np.ndarray:
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return bw


def estimate_skew(grey: np.ndarray, *, limit: float = 6.0) -> float:
    """The angle (degrees, counter-clockwise positive) that makes text lines horizontal."""
    h, w = grey.shape[:2]
    scale = 1000.0 / max(h, w)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    ink = (255 - _otsu(small)).astype(np.float32)
    if ink.sum() == 0:
        return 0.0
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        prof = rot.sum(axis=1)
        return float(np.square(np.diff(prof)).sum())

    best, best_s = 0.0, score(0.0)
    for a in np.arange(-limit, limit + 1e-6, 0.5):
        s = score(float(a))
        if s > best_s:
            best, best_s = float(a), s
    for a in np.arange(best - 0.4, best + 0.41, 0.1):
        s = score(float(a))
        if s > best_s:
            best, best_s = float(a), s
    return round(best, 2)


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees (counter-clockwise), growing the canvas, white border."""
    h, w = grey.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def rotate90(image: np.ndarray, degrees: int) -> np.ndarray:
    """Turn clockwise by 0/90/180/270 degrees."""
    k = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    code = k[degrees % 360]
    return image if code is None else cv2.rotate(image, code)


def clear_edges(bw: np.ndarray, *, margin: int = 3) -> np.ndarray:
    """White out ink blobs that touch the image edge (scanner borders, punched holes,
    the dark strip beyond the paper). Text never touches the edge of a page image."""
    ink = (bw < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return bw
    h, w = bw.shape[:2]
    x, y, cw, ch = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    touch = (x <= margin) | (y <= margin) | (x + cw >= w - margin) | (y + ch >= h - margin)
    touch[0] = False
    if not touch.any():
        return bw
    out = bw.copy()
    out[touch[labels]] = 255
    return out


def prepare(image: np.ndarray, *, dpi: int, steps: tuple[str, ...] = DEFAULT_STEPS) -> Prepared:
    """Run the chosen ``steps`` on an RGB or grey page image; returns the image to OCR."""
    notes: list[str] = []
    grey = to_grey(image, colour="colour" in steps)
    scale = 1.0
    if "denoise" in steps:
        grey = cv2.medianBlur(grey, 3)
    if "dpi" in steps:
        grey, new_dpi, scale = normalise_dpi(grey, dpi)
        if scale != 1.0:
            notes.append(f"upscaled {dpi}->{new_dpi} dpi")
        dpi = new_dpi
    skew = 0.0
    if "deskew" in steps:
        skew = estimate_skew(grey)
        if abs(skew) >= 0.2:
            grey = rotate(grey, skew)
            notes.append(f"deskewed {skew:+.2f} deg")
        else:
            skew = 0.0
    if "flatten" in steps:
        grey = flatten(grey)
    if "binarise" in steps:
        grey = _otsu(grey)
        if "edges" in steps:
            grey = clear_edges(grey)
    return Prepared(image=np.ascontiguousarray(grey), dpi=dpi, skew=skew, scale=scale, notes=notes)
