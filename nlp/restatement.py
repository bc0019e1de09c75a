"""Whether an item's own addressee only restates the inherited ones in shorter or general
words ("yêu cầu các đơn vị" under "các phòng, ban, đơn vị, phường xã"; "Các cơ quan, đơn vị, địa
phương" under "các sở, ban ngành; đơn vị …; UBND các huyện"), and name de-duplication."""
from __future__ import annotations

import re

from chithi.models import Agency
from chithi.text import fold


def _key(a: Agency) -> str:
    return fold(a.name).replace("cac ", "").strip()


def is_dup(a: Agency, among: list[Agency]) -> bool:
    return any(_key(a) == _key(b) for b in among)


def unique(items: list[Agency]) -> list[Agency]:
    out: list[Agency] = []
    for a in items:
        if not is_dup(a, out):
            out.append(a)
    return out


_GENERIC_WORDS = {"bo": "agency", "nganh": "agency", "co": "agency", "quan": "agency",
                  "don": "unit", "vi": "unit", "dia": "locality", "phuong": "locality"}


_CATEGORY = {**_GENERIC_WORDS, "so": "agency", "ban": "agency", "phong": "agency", "huyen": "locality",
             "xa": "locality", "tinh": "locality", "thanh": "locality", "pho": "locality",
             "uy": "locality", "nhan": "locality", "dan": "locality", "ubnd": "locality"}


_FILLER = {"cac", "va", "lien", "to", "chuc", "cap", "khac", "thuoc", "truc"}


def _categories(agencies_: list[Agency], *, strict: bool, need_cac: bool = True) -> set[str] | None:
    """The kinds of body a name covers; ``strict``: None unless it uses only general words."""
    cats: set[str] = set()
    table = _GENERIC_WORDS if strict else _CATEGORY
    for a in agencies_:
        text = fold(a.name)
        if strict and need_cac and not text.startswith("cac "):
            return None
        for w in re.findall(r"\w+", text):
            if w in table:
                cats.add(table[w])
            elif strict and w not in _FILLER:
                return None
    return cats


def generic_restatement(own: list[Agency], inherited: list[Agency], *, need_cac: bool = True) -> bool:
    """"Các cơ quan, đơn vị, địa phương" under "các sở, ban ngành; đơn vị …; UBND các huyện": the
    same addressees in general words. Wider words ("các Bộ, cơ quan, địa phương" under "các bộ,
    ngành") are not a restatement."""
    mine = _categories(own, strict=True, need_cac=need_cac)
    theirs = _categories(inherited, strict=False) or set()
    return bool(mine) and mine <= theirs


def restates(agency: Agency, inherited: list[Agency]) -> bool:
    """"yêu cầu các đơn vị" under "các phòng, ban, đơn vị, phường xã": the same addressees."""
    words = set(re.findall(r"\w+", _key(agency)))
    return bool(words) and any(words <= set(re.findall(r"\w+", _key(b))) for b in inherited)
