"""The signature block: signing form (T/M, KT., TL., Q.), the signer's title and name.

Part of the header extractor (:mod:`nlp.header`), a pure function of the document's lines.
Scans put noise here more than anywhere: the seal and the handwritten signature sit over the
block, so OCR gives lines of scribble between the title and the name, titles with a lost
diacritic ("CHU TỊCH") and surnames with a wrong tone mark ("Nguyên Trung Hiếu"). Titles are
matched without diacritics, scribble lines are skipped, and a surname that is not one is
mended only when exactly one known surname has its letters; a mended name has a lower
confidence, so the review screen shows it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from chithi.models import Span
from chithi.text import fold
from nlp.doc_numbers import LO, UP, Line, is_caps, load, name_case, normal_case

_NAME_TOKEN = re.compile(r"^[" + UP + r"][" + LO + r"']*$")
_SIGNED = re.compile(r"\((?:đã ký|Đã ký|ký)\)|\*")
_JUNK_HEAD = re.compile(r"^(?:[^\w(\[]|_)+")  # OCR specks before a title: "_. CHỦ TỊCH"
_SCRIBBLE = set("|<>“”\"~¬®^_\\[]{}+=`⁄—•°©")


class Signature(NamedTuple):
    name: str | None
    title: str | None
    form: str | None
    span: Span | None
    confidence: float = 0.85


NONE = Signature(None, None, None, None)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], list[str], dict[str, list[str]]]:
    lex = load("header_lexicon.json")
    roles = sorted({fold(r) for r in lex["role_titles"]}, key=len, reverse=True)
    by_letters: dict[str, list[str]] = {}
    for s in lex["surnames"]:
        by_letters.setdefault(fold(s), []).append(s)
    return lex["signing_forms"], roles, by_letters


@lru_cache(maxsize=1)
def _role_spelling() -> dict[str, str]:
    return {fold(r): r for r in load("header_lexicon.json")["role_titles"]}


def name_ok(text: str) -> bool:
    """A person's name: 2-5 capitalised words (a known surname first when in capitals)."""
    toks = text.split()
    if not 2 <= len(toks) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if is_caps(text):
        return toks[0].title() in load("header_lexicon.json")["surnames"]
    return all(_NAME_TOKEN.match(t) for t in toks)


def mend_surname(name: str) -> tuple[str, bool]:
    """The name with an OCR-damaged surname mended, and whether it was: "Nguyên Trung Hiếu" →
    "Nguyễn Trung Hiếu" when the surname list has no "Nguyên" and one surname spelt N-g-u-y-e-n."""
    first, _, rest = name.partition(" ")
    if not rest or first.title() in load("header_lexicon.json")["surnames"]:
        return name, False
    options = _lexicon()[2].get(fold(first), [])
    if len(options) != 1:
        return name, False
    return f"{options[0]} {rest}", True


def scribble(text: str) -> bool:
    """An OCR line read off a signature or a seal: scribble characters, or no real word."""
    if not text:
        return False
    if any(ch in _SCRIBBLE for ch in text):
        return True
    words = [w for w in re.findall(r"[^\W\d_]+", text)]
    letters = sum(len(w) for w in words)
    return letters < 0.6 * len(text.replace(" ", "")) or not any(len(w) >= 3 for w in words)


def _skippable(text: str) -> bool:
    """A line between a signer's title and name that is not the name: scribble, or a word or
    two of OCR noise (never a list item or a label)."""
    return scribble(text) or (len(text.split()) <= 2 and not text.startswith(("-", "+", "•"))
                              and not text.endswith(":"))


def title_case(title: str) -> str:
    """A signer's title in normal case: "PHÓ CHỦ TỊCH" → "Phó Chủ tịch", "THỨ TRƯỞNG" → "Thứ trưởng"."""
    words = title.lower().split()
    if len(words) > 2 and words[0] in ("chủ", "thủ", "bộ", "giám", "cục", "chánh", "trưởng", "bí"):
        return normal_case(title)  # a title with its body: "CHỦ TỊCH ỦY BAN NHÂN DÂN …"
    words[0] = words[0].capitalize()
    if words[0] == "Phó" and len(words) > 1:
        words[1] = words[1].capitalize()
    return " ".join(words)


def _is_title(c: str) -> bool:
    forms, roles, _ = _lexicon()
    if not is_caps(c):
        return False
    head = c.upper().split(" ")[0] if c else ""
    f = fold(c)
    return head in forms or any(f == r or f.startswith(r + " ") for r in roles)


def read_signature(lines: list[Line], zones: list[tuple[int, int]], skip: int) -> Signature:
    """The first signature block from line ``skip`` on, outside the (copy) ``zones``."""
    forms = _lexicon()[0]
    i = skip
    while i < len(lines):
        c = _JUNK_HEAD.sub("", _SIGNED.sub("", lines[i].clean).strip())
        if not _is_title(c) or any(lo <= i < hi for lo, hi in zones):
            i += 1
            continue
        form, title, j, noisy = None, None, i, False
        while j < len(lines) and j - i < 10:
            cj = _SIGNED.sub("", lines[j].clean).strip()
            if j > i and _JUNK_HEAD.sub("", cj) and _is_title(_JUNK_HEAD.sub("", cj)):
                cj = _JUNK_HEAD.sub("", cj)
            elif j == i:
                cj = c
            if not cj or re.fullmatch(r"(?i)\(?đã ký\)?:?|\[.*\]|\(ký.*\)", cj):
                j += 1
                continue
            if _is_title(cj) or (is_caps(cj) and len(cj.split()) > 1 and not scribble(cj) and not name_ok(cj)):
                first = cj.split(" ")[0]
                if first in forms:
                    form = forms[first]
                title = cj
                j += 1
                continue
            sig = _name_at(lines, j, title, form, noisy)
            if sig.name:
                return sig
            if title and _skippable(cj):
                noisy, j = True, j + 1
                continue
            break
        i = j + 1
    return NONE


def _name_at(lines: list[Line], j: int, title: str | None, form: str | None, noisy: bool) -> Signature:
    if j >= len(lines):
        return NONE
    forms = _lexicon()[0]
    name_ln = lines[j]
    nm = re.sub(r"^(?:Đã ký|đã ký)\s*:?\s*", "", name_ln.clean).replace("*", "").strip()
    end = name_ln.end
    nxt = lines[j + 1].clean if j + 1 < len(lines) else ""
    if nxt and len(nxt.split()) <= 2 and name_ok(nm + " " + nxt) and (
            not name_ok(nm) or len(nm.split()) == 2 and len(nxt.split()) == 1):
        nm, end = nm + " " + lines[j + 1].clean, lines[j + 1].end
    if not name_ok(nm):
        return NONE
    if form is None and title and title.split(" ")[0] in forms:
        form = forms[title.split(" ")[0]]
    title_text = re.sub(r"^(?:T/M|TM\.?|KT\.?|TL\.?|T/L|Q\.|TUQ\.?)\s*", "", title or "").strip()
    title_text = _role_spelling().get(fold(title_text), title_text)  # "CHÙ TỊCH" → "CHỦ TỊCH"
    name, mended = mend_surname(name_case(nm))
    conf = 0.6 if mended else (0.75 if noisy else 0.85)
    return Signature(name, title_case(title_text) if title_text else None, form,
                     Span(start=name_ln.start, end=end), conf)
