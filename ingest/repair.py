"""Post-OCR repair for the genre, word by word, never inventing text.

Only confusions that are unambiguous in context are repaired, and each repair is reported
(the caller puts them in ``DocumentText.warnings``):

- ``Ð`` (U+00D0, Icelandic eth) for ``Đ`` (U+0110): Tesseract sometimes picks the look-alike.
- Inside a document number (``12/2024/ND-CP``) a code segment read without its Đ, from the
  table ``data/code_fixes.tsv`` (``ND``→``NĐ``, ``QD``→``QĐ``, ...).
- Letters read for digits (``l``/``I``/``|``→1, ``O``/``o``→0) in a number right after
  ``ngày``/``tháng``/``năm``/``Số:``, or inside a date/number shape (``l2/2024/NĐ-CP``,
  ``O5/12/2024``), when the result is a valid day/month.

Words are repaired one by one, so the word boxes and the text layout stay as OCR gave them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
_DIGITISH = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})
_NUMBER = re.compile(r"^(?P<pre>\D*?)(?P<num>[0-9lIO|o]{1,4})/(?:(?P<year>[0-9lIOo]{4})/)?"
                     r"(?P<code>[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*)(?P<post>\W*)$")
_DATE = re.compile(r"^(?P<pre>\D*?)(?P<d>[0-9lIOo]{1,2})([/.-])(?P<m>[0-9lIOo]{1,2})\3"
                   r"(?P<y>[0-9lIOo]{4})(?P<post>\W*)$")
_AFTER = {"ngày": (1, 31), "tháng": (1, 12), "năm": (1900, 2100)}
_BARE = re.compile(r"^(?P<num>[0-9lIO|o]{1,4})(?P<post>[,.;:]?)$")


@lru_cache(maxsize=1)
def code_fixes() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (DATA / "code_fixes.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            wrong, right = line.split("\t")
            table[wrong.strip()] = right.strip()
    return table


def _digits(s: str) -> str | None:
    """``s`` with look-alike letters turned into digits, if it has a real digit already."""
    if not any(c.isdigit() for c in s):
        return None
    out = s.translate(_DIGITISH)
    return out if out.isdigit() else None


def _fix_number(word: str) -> str:
    m = _NUMBER.match(word)
    if not m:
        return word
    num = _digits(m["num"]) or m["num"]
    year = m["year"]
    if year is not None:
        y = _digits(year)
        year = y if y and 1945 <= int(y) <= 2100 else year
    fixes = code_fixes()
    code = "-".join(fixes.get(seg, seg) for seg in m["code"].split("-"))
    return f"{m['pre']}{num}/{year + '/' if year else ''}{code}{m['post']}"


def _fix_date(word: str) -> str:
    m = _DATE.match(word)
    if not m:
        return word
    d, mo, y = _digits(m["d"]), _digits(m["m"]), _digits(m["y"])
    if d and mo and y and 1 <= int(d) <= 31 and 1 <= int(mo) <= 12 and 1900 <= int(y) <= 2100:
        sep = m.group(3)
        return f"{m['pre']}{d}{sep}{mo}{sep}{y}{m['post']}"
    return word


def _fix_after(prev: str, word: str) -> str:
    bounds = _AFTER.get(prev.lower())
    m = _BARE.match(word)
    if not bounds or not m:
        return word
    num = _digits(m["num"])
    if num and bounds[0] <= int(num) <= bounds[1]:
        return num + m["post"]
    return word


def repair_word(word: str, prev: str = "") -> str:
    new = word.replace("\u00d0", "\u0110")
    if "/" in new:
        new = _fix_date(new)
        new = _fix_number(new)
    elif prev:
        new = _fix_after(prev, new)
    return new


def repair_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Repaired words (same count, same order) and a note for each change."""
    out: list[str] = []
    notes: list[str] = []
    prev = ""
    for word in words:
        new = repair_word(word, prev)
        if new != word:
            notes.append(f"OCR repair: {word!r} -> {new!r}")
        out.append(new)
        prev = new
    return out, notes


def impossible_dates(words: list[str]) -> list[str]:
    """Warnings for month/day numbers that cannot be right and were left as read."""
    notes: list[str] = []
    for prev, word in zip(words, words[1:]):
        bounds = _AFTER.get(prev.lower())
        if bounds and word.rstrip(",.;:").isdigit():
            n = int(word.rstrip(",.;:"))
            if not bounds[0] <= n <= bounds[1]:
                notes.append(f"OCR check: '{prev} {word}' is not a possible {prev}")
    return notes
