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


def _extent(line: Line) -> tuple[int, int]:
    return min(w.x0 for w in line.words), max(w.x1 for w in line.words)


def _crossed(line: Line, grid: list[float], tol: float) -> set[float]:
    """The candidate split positions that a word of ``line`` lies across."""
    return {s for s in grid if any(w.x0 < s - tol and w.x1 > s + tol for w in line.words)}


def order_columns(lines: list[Line], width: int) -> list[Line]:
    """Lines in reading order: a run of lines that all leave free one vertical lane (and
    put words on both sides of it) is read as its left column, then its right column."""
    tol = 0.005 * width
    grid = [width * k / 100 for k in range(30, 71)]
    out: list[Line] = []
    i = 0
    while i < len(lines):
        free = _wide(set(grid) - _crossed(lines[i], grid, tol), width)
        j = i + 1
        while free and j < len(lines):
            nxt = _wide(free - _crossed(lines[j], grid, tol), width)
            if not nxt:
                break
            free, j = nxt, j + 1
        s = _lane(free)
        run = lines[i:j]
        if s is None or j - i < 2 or not _both_sides(run, s):
            out.append(lines[i])
            i += 1
            continue
        left = [Line([w for w in ln.words if w.x1 <= s], ln.para) for ln in run]
        right = [Line([w for w in ln.words if w.x0 >= s], False) for ln in run]
        for col in (left, right):
            col = [ln for ln in col if ln.words]
            if col:
                col[0].para = True
                out.extend(col)
        i = j
        if i < len(lines):
            lines[i].para = True
    return out


def _runs(free: set[float], step: float) -> list[list[float]]:
    runs: list[list[float]] = []
    for p in sorted(free):
        if runs and p - runs[-1][-1] < 1.5 * step:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _wide(free: set[float], width: int) -> set[float]:
    """Only lanes at least 4% of the page wide: word spaces are not column gaps."""
    return {p for r in _runs(free, width / 100) if r[-1] - r[0] >= 0.04 * width for p in r}


def _lane(free: set[float]) -> float | None:
    """The middle of the widest run of free split positions."""
    if not free:
        return None
    pts = sorted(free)
    runs: list[list[float]] = [[pts[0]]]
    for p in pts[1:]:
        if p - runs[-1][-1] < 1.5 * (pts[1] - pts[0] if len(pts) > 1 else 1):
            runs[-1].append(p)
        else:
            runs.append([p])
    best = max(runs, key=lambda r: r[-1] - r[0])
    return (best[0] + best[-1]) / 2


def _both_sides(run: list[Line], s: float) -> bool:
    left = any(w.x1 <= s for ln in run for w in ln.words)
    right = any(w.x0 >= s for ln in run for w in ln.words)
    return left and right


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
