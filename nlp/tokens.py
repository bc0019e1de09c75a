"""Vietnamese word tokens with offsets: underthesea's ``word_tokenize`` realigned to the text.

underthesea joins the syllables of a word with single spaces and may change characters
(old-style tone marks "Uỷ" → "Ủy", spacing across line breaks). ``tokenize`` maps every word
it returns back onto the source, so that ``text[t.start:t.end] == t.text`` always holds;
a word it cannot place is left out, and the call never raises on odd input.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, NamedTuple

_WINDOW = 200  # how far ahead of the cursor a word may be found


class Token(NamedTuple):
    text: str  # exactly text[start:end] of the source
    start: int
    end: int


@lru_cache(maxsize=1)
def _word_tokenize() -> Callable[[str], list[str]]:
    """underthesea's word_tokenize, imported once (it loads its model on first use)."""
    from underthesea import word_tokenize

    return word_tokenize


@lru_cache(maxsize=4096)
def _key_char(c: str) -> str:
    """One character → one lower-case base character (marks dropped, đ → d)."""
    base = unicodedata.normalize("NFD", c.lower())[:1] or c
    return "d" if base == "đ" else base


def _key(text: str) -> str:
    return "".join(_key_char(c) for c in text)


_FALLBACK = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` (underthesea's segmentation) with offsets into ``text``."""
    if not text or not text.strip():
        return []
    source = unicodedata.normalize("NFC", text)
    if len(source) != len(text):  # decomposed input: offsets must stay those of ``text``
        source = text
    try:
        words = _word_tokenize()(source)
    except Exception:  # noqa: BLE001 - a tokenizer failure must not stop extraction
        words = _FALLBACK.findall(source)
    return realign(text, words)


def realign(text: str, words: list[str]) -> list[Token]:
    """Place each word (syllables separated by spaces) on ``text``, left to right."""
    key = _key(text)
    out: list[Token] = []
    cursor = 0
    for word in words:
        pieces = [p for p in str(word).split() if p]
        if not pieces:
            continue
        start = end = None
        pos = cursor
        for piece in pieces:
            found = _find(key, _key(piece), pos)
            if found is None:
                break
            if start is None:
                start = found
            end = found + len(piece)
            pos = end
        if start is None or end is None or end <= start:
            continue
        out.append(Token(text[start:end], start, end))
        cursor = end
    return out


def _find(key: str, piece: str, pos: int) -> int | None:
    found = key.find(piece, pos, pos + _WINDOW + len(piece))
    return None if found < 0 else found
