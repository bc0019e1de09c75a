"""Vietnamese text helpers shared by every stage: NFC, ASCII folding, whitespace."""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII fold: 'Ủy ban', 'Uỷ ban' and 'uy ban' all become 'uy ban'."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def squash(text: str) -> str:
    """Line breaks and runs of spaces as single spaces, trimmed."""
    return _WS.sub(" ", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
