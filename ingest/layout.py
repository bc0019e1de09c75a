"""Reading order for the two-column blocks of official documents, and text assembly.

Vietnamese official documents put two columns side by side in the header (issuing body |
national motto, number | place and date) and at the end (``Nơi nhận`` list | signature).
Line-by-line reading interleaves them ("Nơi nhận: CHỦ TỊCH"); here a run of lines that
share one wide gap near the same x is read as a left column, then a right column, each
after a blank line. Used for OCR lines (Tesseract boxes) and PDF text lines (pdfplumber).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LWord:
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    conf: float | None = None


@dataclass
class Line:
    words: list[LWord]  # left to right
    para: bool = False  # starts a new paragraph/block (a blank line before it)


def _split_point(line: Line, width: int) -> float | None:
    ws = line.words
    best: tuple[float, float] | None = None
    for a, b in zip(ws, ws[1:]):
        gap = b.x0 - a.x1
        if best is None or gap > best[0]:
            best = (gap, (a.x1 + b.x0) / 2)
    if best and best[0] >= 0.05 * width and 0.2 * width <= best[1] <= 0.8 * width:
        return best[1]
    return None


def order_columns(lines: list[Line], width: int) -> list[Line]:
    """Lines in reading order: two-column runs become left column, then right column."""
    tol = 0.01 * width
    out: list[Line] = []
    i = 0
    while i < len(lines):
        s = _split_point(lines[i], width)
        if s is None:
            out.append(lines[i])
            i += 1
            continue
        left: list[Line] = []
        right: list[Line] = []
        j = i
        while j < len(lines):
            ws = lines[j].words
            if any(w.x0 < s - tol and w.x1 > s + tol for w in ws):
                break
            lw = [w for w in ws if w.x1 <= s + tol]
            rw = [w for w in ws if w.x0 >= s - tol and w.x1 > s + tol]
            if j > i and lw and rw and _split_point(lines[j], width) is None:
                break  # an ordinary line whose word gap happens to fall on the split
            if lw:
                left.append(Line(lw, lines[j].para and bool(left)))
            if rw:
                right.append(Line(rw, False))
            j += 1
        for col in (left, right):
            if col:
                col[0].para = True
                out.extend(col)
        i = j
        if i < len(lines):
            lines[i].para = True
    return out


def assemble(lines: list[Line]) -> tuple[str, list[tuple[LWord, int, int]]]:
    """Text (lines by "\\n", a blank line before paragraph starts) and each word's offsets."""
    parts: list[str] = []
    placed: list[tuple[LWord, int, int]] = []
    pos = 0
    for n, line in enumerate(lines):
        if n:
            sep = "\n\n" if line.para else "\n"
            parts.append(sep)
            pos += len(sep)
        for k, w in enumerate(line.words):
            if k:
                parts.append(" ")
                pos += 1
            parts.append(w.text)
            placed.append((w, pos, pos + len(w.text)))
            pos += len(w.text)
    return "".join(parts), placed
