"""Is a PDF page's text layer real text? (scanner OCR layers are often not)

A layer is rejected, and the page re-read by OCR, when it is empty or tiny, when it is
garbage (``(cid:12)``, private-use glyphs, replacement characters, symbol soup), when it is
Vietnamese written without diacritics ("UY BAN NHAN DAN": cheap scanner OCR), or when
diacritics stay split from their letters after NFC. Legacy TCVN3/VNI font text is converted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chithi.text import fold
from ingest.encodings import _looks_legacy, from_tcvn3, from_vni, syllable_ratio, syllables

MIN_LETTERS = 40
_CID = re.compile(r"\(cid:\d+\)")
_TOKEN = re.compile(r"[^\W\d_]+")
# words so common in the genre that their unaccented spelling betrays a layer without diacritics
_UNACCENTED = ("uy ban", "nhan dan", "cong hoa", "viet nam", "quyet dinh", "chi thi",
               "doc lap", "hanh phuc", "thuc hien", "co quan", "trach nhiem")


@dataclass
class Verdict:
    ok: bool
    text: str  # repaired text (NFC, legacy fonts converted)
    reason: str = ""


def judge(raw: str) -> Verdict:
    """Whether to trust a page's text layer, and the text to use if so."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_LETTERS:
        return Verdict(False, text, "no text layer" if not letters else "too little text")
    if _CID.search(text) or _bad_share(text) > 0.05:
        return Verdict(False, text, "garbage text layer")
    if _looks_legacy(text):
        best = max((from_tcvn3(text), from_vni(text)), key=syllable_ratio)
        if syllable_ratio(best) > syllable_ratio(text):
            text = best
    loose = sum(1 for c in text if unicodedata.category(c) == "Mn" or c in "´`¨ˆ˜˘¸")
    if loose / letters > 0.01:
        return Verdict(False, text, "diacritics split from letters")
    tokens = _TOKEN.findall(text.lower())
    accented = sum(1 for t in tokens if not t.isascii())
    folded = fold(text)
    if tokens and accented / len(tokens) < 0.15:
        hits = sum(folded.count(w) for w in _UNACCENTED)
        if hits >= 1 or syllable_ratio(folded) > 0.3 or len(tokens) >= 20:
            return Verdict(False, text, "Vietnamese text layer without diacritics")
    if tokens and len(tokens) >= 20 and _known_share(tokens) < 0.4:
        return Verdict(False, text, "text layer is mostly not Vietnamese words")
    return Verdict(True, text)


def _bad_share(text: str) -> float:
    bad = sum(1 for c in text if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cn", "Cc")
              and c not in "\n\t\f")
    return bad / max(1, len(text))


def _known_share(tokens: list[str]) -> float:
    known = syllables()
    return sum(1 for t in tokens if t in known or len(t) <= 2) / len(tokens)
