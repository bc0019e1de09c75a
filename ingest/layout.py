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


def _allowed(line: Line, grid: list[float], tol: float, width: int) -> set[float]:
    """The split positions a column lane may take through ``line``: no word lies across it,
    and where the line has words on both sides the gap between them is a column gap (at
    least 4% of the page wide), not a word space."""
    xs = sorted((w.x0, w.x1) for w in line.words)
    out: set[float] = set()
    for s in grid:
        if any(x0 < s - tol and x1 > s + tol for x0, x1 in xs):
            continue
        left = [x1 for x0, x1 in xs if x1 <= s + tol]
        right = [x0 for x0, x1 in xs if x0 >= s - tol]
        if left and right and min(right) - max(left) < 0.04 * width:
            continue
        out.add(s)
    return out


def _sides(line: Line, s: float) -> tuple[bool, bool]:
    return any(w.x1 <= s for w in line.words), any(w.x0 >= s for w in line.words)


def _continues(above: list[Line], line: Line, s: float, pitch: float, width: int) -> bool:
    """``line`` goes on from the lines ``above`` it in its column: no gap well over the pitch,
    and left-aligned with (a list) or centred on (the header's "V/v" lines) the nearest line
    above on its side."""
    if pitch > 0 and _top(line) - _top(above[-1]) > 1.6 * pitch:
        return False
    side = _side(line, s)
    mine: list[LWord] = []
    for prev in reversed(above):
        mine = [w for w in prev.words if (w.x1 <= s if side < 0 else w.x0 >= s)]
        if mine:
            break
    if not mine:
        return False
    x0, x1 = min(w.x0 for w in line.words), max(w.x1 for w in line.words)
    p0, p1 = min(w.x0 for w in mine), max(w.x1 for w in mine)
    return abs(x0 - p0) <= 0.01 * width or abs((x0 + x1) - (p0 + p1)) / 2 <= 0.02 * width


def order_columns(lines: list[Line], width: int) -> list[Line]:
    """Lines in reading order: a run of lines that all leave free one vertical lane (and
    put words on both sides of it) is read as its left column, then its right column.

    Lines on one side only join a run at its ends under the rules of :func:`_trim`, so the
    "Kính gửi" under a two-column header and a signature above a copy's header are read
    where they stand."""
    tol = 0.005 * width
    grid = [width * k / 200 for k in range(60, 141)]
    allowed = [_allowed(ln, grid, tol, width) for ln in lines]
    out: list[Line] = []
    i = 0
    while i < len(lines):
        free, j = allowed[i], i + 1
        while free and j < len(lines) and free & allowed[j]:
            free, j = free & allowed[j], j + 1
        s = _lane(free)
        if s is not None and j - i >= 2 and _both_sides(lines[i:j], s):
            a, b = _trim(lines, i, j, s, width)
            free = set.intersection(*allowed[a:b]) if b > a else set()
            s = _lane(free)
            if s is not None and b - a >= 2 and _both_sides(lines[a:b], s):
                out.extend(lines[i:a])
                _emit_columns(lines[a:b], s, out)
                i = b
                if i < len(lines):
                    lines[i].para = True
                continue
        s = _lane(allowed[i])
        if s is not None and _side(lines[i], s) == 0:  # one line of two columns: two lines
            left, right = _split(lines[i], s)
            out.extend((left, right))
        else:
            out.append(lines[i])
        i += 1
    return out


def _split(line: Line, s: float) -> tuple[Line, Line]:
    return (Line([w for w in line.words if w.x1 <= s], line.para),
            Line([w for w in line.words if w.x0 >= s], False))


def _side(line: Line, s: float) -> int:
    left, right = _sides(line, s)
    return 0 if left and right else (-1 if left else 1)


def _trim(lines: list[Line], i: int, j: int, s: float, width: int) -> tuple[int, int]:
    """The run ``lines[i:j]`` without some one-sided lines at its ends. Two columns start
    level (issuer | motto, "Nơi nhận" | signature title), so a leading line joins only at the
    height of the first line reaching the other side; a column may run on below the other
    (the header's "V/v" lines, the "Nơi nhận" list), so a trailing line joins while it goes on
    from the line above it (:func:`_continues`)."""
    run = lines[i:j]
    pitch = _pitch(run)
    sides = [_side(ln, s) for ln in run]
    first = next(k for k, sd in enumerate(sides) if sd != sides[0] or sd == 0)
    top = _top(run[first])
    a = first
    while a > 0 and top - _top(run[a - 1]) <= 0.5 * pitch:
        a -= 1
    last = next(k for k in range(len(run) - 1, -1, -1) if sides[k] != sides[-1] or sides[k] == 0)
    b = last + 1
    while b < len(run) and _continues(run[:b], run[b], s, pitch, width):
        b += 1
    return i + a, i + b


def _emit_columns(run: list[Line], s: float, out: list[Line]) -> None:
    parts = [_split(ln, s) for ln in run]
    for col in ([p[0] for p in parts], [p[1] for p in parts]):
        col = [ln for ln in col if ln.words]
        if col:
            col[0].para = True
            out.extend(col)


def _top(line: Line) -> int:
    return min(w.y0 for w in line.words)


def _pitch(run: list[Line]) -> float:
    tops = [min(w.y0 for w in ln.words) for ln in run]
    steps = sorted(b - a for a, b in zip(tops, tops[1:]) if b > a)
    return float(steps[len(steps) // 2]) if steps else 0.0


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
