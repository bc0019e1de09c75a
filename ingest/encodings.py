"""Decoding plain-text files: Unicode (BOMs, UTF-16 without BOM), legacy Vietnamese
(TCVN3 "ABC", VNI-Windows, Windows-1258) and, for the rest, charset-normalizer.

Legacy tables are data files (``data/tcvn3.tsv``, ``data/vni.tsv``). Every candidate
decoding is scored by how Vietnamese it looks (precomposed Vietnamese letters) against
how broken it looks (mojibake symbols, control characters); the best one wins. Text that
no candidate turns into sensible text raises :class:`chithi.errors.UnknownEncoding`.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from chithi.errors import UnknownEncoding

DATA = Path(__file__).with_name("data")

_VI_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")
# characters that appear in Latin-1/cp1252 views of legacy Vietnamese or of UTF-8 mojibake
_MOJIBAKE = set("¸µ¶·¹»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞß«¬¡¢£¤¥¦§¨ÃÂ€‚ƒ„…†‡ˆ‰Š‹ŒŽ˜™š›œžŸ¿÷þøûïåäæîñöëüÄÅËÏÖØÛÜÞ") - _VI_LETTERS


@lru_cache(maxsize=1)
def tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in (DATA / "tcvn3.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, char = line.split("\t")
            table[int(code, 16)] = char
    return table


@lru_cache(maxsize=1)
def _vni() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for line in (DATA / "vni.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            seq, char = line.split("\t")
            table[seq] = char
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), table


def from_tcvn3(data: bytes | str) -> str:
    """TCVN3 bytes (or their Latin-1 view) to Unicode NFC."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    table = tcvn3_table()
    return unicodedata.normalize("NFC", "".join(table.get(ord(c), c) for c in text))


def to_tcvn3(text: str) -> bytes:
    """Unicode to TCVN3 bytes (for tests and round trips); lower-case letters only differ."""
    back = {c: b for b, c in tcvn3_table().items()}
    return bytes(back[c] if c in back else ord(c) for c in unicodedata.normalize("NFC", text))


def from_vni(data: bytes | str) -> str:
    text = data.decode("cp1252", errors="replace") if isinstance(data, bytes) else data
    pattern, table = _vni()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: table[m.group(0)], text))


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Vietnamese syllables (lower case NFC), ``data/syllables.txt``."""
    lines = (DATA / "syllables.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


_TOKEN = re.compile(r"[^\W\d_]+")


def syllable_ratio(text: str, *, accented_only: bool = False) -> float:
    """Share of the letter tokens of ``text`` that are Vietnamese syllables."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", text).lower())
    if not tokens:
        return 0.0
    known = syllables()
    hits = sum(1 for t in tokens if t in known and (not accented_only or not t.isascii()))
    return hits / len(tokens)


def vietnamese_score(text: str) -> float:
    """> 0 when ``text`` reads as Vietnamese Unicode; mojibake and control bytes pull it down."""
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return 0.0
    bad = sum(1 for c in text if c in _MOJIBAKE or c == "\ufffd"
              or (unicodedata.category(c) == "Cc" and c not in "\n\r\t\f"))
    return syllable_ratio(text, accented_only=True) - 3 * bad / letters


def _is_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text (not yet NFC) and the name of the encoding used."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UnknownEncoding(f"{name} byte order mark but the text does not decode") from exc
    wide = _is_utf16_without_bom(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            text = ""
        if text and (vietnamese_score(text) > 0.02 or _plain_enough(text)):
            return text, wide
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append((data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    else:
        text = candidates[0][0]
        if text.isascii() or vietnamese_score(text) > 0.02 or not _looks_legacy(text):
            return text, "utf-8"
        # UTF-8 that carries legacy-font text (pasted from a .VnTime document)
        candidates += [(from_tcvn3(text), "utf-8+tcvn3"), (from_vni(text), "utf-8+vni")]
    if b"\x00" in data:
        raise UnknownEncoding("binary data (NUL bytes) in a text file")
    if not candidates:
        try:  # first, so that it wins ties (text that is not Vietnamese at all)
            from charset_normalizer import from_bytes
            best = from_bytes(data).best()
            if best is not None and best.encoding:
                candidates.append((str(best), best.encoding))
        except Exception:  # noqa: BLE001 - a detector failure just means one fewer candidate
            pass
        candidates += [(from_tcvn3(data), "tcvn3"), (from_vni(data), "vni"),
                       (data.decode("cp1258", errors="replace"), "cp1258")]
    text, name = max(candidates, key=lambda c: vietnamese_score(c[0]))
    if vietnamese_score(text) <= 0.02 and not _plain_enough(text):
        raise UnknownEncoding("the text does not decode as Unicode or a Vietnamese legacy code page")
    return text, name


def _looks_legacy(text: str) -> bool:
    letters = sum(1 for c in text if c.isalpha()) or 1
    return sum(1 for c in text if c in _MOJIBAKE) / letters > 0.03


def _plain_enough(text: str) -> bool:
    """Text in another language is fine if it has no mojibake and no control bytes."""
    if not text.strip():
        return False
    bad = sum(1 for c in text if c in _MOJIBAKE or c == "\ufffd"
              or (unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t\f"))
    return bad / len(text) < 0.01
