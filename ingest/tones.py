"""Tone marks that OCR confuses, mended against a Vietnamese word list.

At low resolution Tesseract reads the hook above (dấu hỏi, U+0309) as an acute (dấu sắc,
U+0301) and back: "tố chức", "kiếm tra", "biếu dương". Each reading is a real syllable, so a
syllable alone cannot tell; its neighbours can. A syllable is changed only when, as read, it
forms no known pair with either neighbour (underthesea's Viet74K two-syllable words, and pairs
seen in real directives), and the swap of its one mark makes a pair with the next syllable that
real directives use ("tố chức" → "tổ chức"; never "cả nước" → "cá nước"). Words stay
in place (same count, same order) and each change is reported, as in :mod:`ingest.repair`.
Measured on ``../shared/scans`` with ``python -m bench ocr``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

MARKS = ("\u0301", "\u0309")  # acute, hook above: the marks OCR confuses
_SWAP = {MARKS[0]: MARKS[1], MARKS[1]: MARKS[0]}
_CORE = re.compile(r"^(\W*)(.*?)(\W*)$")


@lru_cache(maxsize=1)
def pairs() -> frozenset[str]:
    """Two-syllable words (lower case, NFC) of underthesea's Viet74K list."""
    path = resources.files("underthesea.corpus") / "data" / "Viet74K.txt"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip().lower())
        if w.count(" ") == 1:
            out.add(w)
    return frozenset(out)


@lru_cache(maxsize=1)
def attested() -> frozenset[str]:
    """Syllable pairs with an acute or hook mark seen in real directives (``data/tone_bigrams.txt``,
    built by ``scripts/build_tone_bigrams.py``)."""
    lines = (Path(__file__).with_name("data") / "tone_bigrams.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln for ln in lines if ln and not ln.startswith("#"))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return pairs() | attested()


def _swapped(syllable: str) -> str | None:
    nfd = unicodedata.normalize("NFD", syllable)
    marks = [c for c in nfd if c in _SWAP]
    if len(marks) != 1:
        return None
    return unicodedata.normalize("NFC", "".join(_SWAP.get(c, c) for c in nfd))


def _core(word: str) -> tuple[str, str, str]:
    m = _CORE.match(word)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", word, "")


def mend_tones(words: list[str]) -> tuple[list[str], list[str]]:
    """Words with confused tone marks mended, and a note ("'tố' -> 'tổ'") for each change."""
    seen, known = attested(), _known()
    cores = [_core(w) for w in words]
    low = [c[1].lower() for c in cores]
    out = list(words)
    notes: list[str] = []
    for i, syl in enumerate(low):
        alt = _swapped(syl) if syl.isalpha() else None
        if alt is None:
            continue
        left = low[i - 1] if i > 0 and not cores[i - 1][2] and low[i - 1].isalpha() else None
        right = low[i + 1] if i + 1 < len(low) and not cores[i][2] and low[i + 1].isalpha() else None
        if not right or (left and f"{left} {syl}" in known) or f"{syl} {right}" in known \
                or f"{alt} {right}" not in seen:
            continue
        pre, core, post = cores[i]
        out[i] = pre + _swapped(core) + post
        low[i] = alt
        notes.append(f"{words[i]!r} -> {out[i]!r}")
    return out, notes
