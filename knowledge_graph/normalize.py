"""Names, numbers and localities as the graph compares them (folded, abbreviations spelled out).

Data tables live in ``knowledge_graph/data/``; the agency heads (kind and level of "Sở",
"Phòng", ...) are read from ``nlp/data/agency_kinds.json`` when the nlp stage ships it.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from chithi.text import fold, nfc, slug, squash

DATA = Path(__file__).resolve().parent / "data"
_NLP_KINDS = Path(__file__).resolve().parents[1] / "nlp" / "data" / "agency_kinds.json"
_PUNCT = re.compile(r"[^\w/ -]+")
_LEVEL_WORD = re.compile(r"^(tinh|thanh pho|huyen|quan|thi xa|thi tran|xa|phuong)\b ?(.*)$")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=200_000)
def norm(text: str) -> str:
    """Search form: folded, abbreviations ("UBND", "TP.") spelled out, punctuation dropped."""
    t = fold(nfc(text)) + " "
    for short, long in load("localities.json")["abbreviations"].items():
        if short.endswith((".", " ")):
            t = re.sub(r"(?<!\w)" + re.escape(short), long, t)
        else:
            t = re.sub(r"\b" + re.escape(short) + r"\b", long, t)
    return squash(_PUNCT.sub(" ", t.replace(",", " ")))


def norm_number(number: str | None) -> str | None:
    """'10 /CT-CTUBND' -> '10/ct-ctubnd'; '968/CĐ-TTg' and '968/CD-TTg' agree."""
    if not number:
        return None
    t = fold(nfc(number)).replace("–", "-").replace("—", "-").replace("‐", "-")
    t = re.sub(r"^s[oố]\s*", "", t)
    t = re.sub(r"\s+", "", t).strip(".,;:")
    return t or None


def has_year(number: str) -> bool:
    return bool(_YEAR.search(number))


@lru_cache(maxsize=200_000)
def key_of(canonical: str) -> str:
    """The key of a canonical name, as nlp computes it (``nlp.agencies.agency_key``) if present."""
    fn = _nlp_agency_key()
    return fn(canonical) if fn else slug(canonical)


@lru_cache(maxsize=1)
def _nlp_agency_key():
    try:
        from nlp.agencies import agency_key  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - nlp.agencies is written in parallel; fall back
        return None
    return agency_key


@lru_cache(maxsize=1)
def _nlp_canonicalize():
    try:
        from nlp.agencies import canonicalize  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    return canonicalize


@lru_cache(maxsize=100_000)
def locality_level(locality: str | None) -> str | None:
    """'tỉnh Kon Tum' -> 'tinh', 'huyện Đăk Hà' -> 'huyen', 'thành phố Hà Nội' -> 'tinh'."""
    if not locality:
        return None
    m = _LEVEL_WORD.match(fold(squash(locality)))
    if not m:
        return None
    word, rest = m.groups()
    table = load("localities.json")
    if word == "thanh pho" and rest in table["central_cities"]:
        return "tinh"
    return table["levels"][word]


def is_locality(text: str | None) -> bool:
    return locality_level(text) is not None and bool(_LEVEL_WORD.match(fold(squash(text or ""))).group(2))


@lru_cache(maxsize=1)
def _heads() -> list[tuple[str, dict]]:
    if _NLP_KINDS.is_file():
        heads = json.loads(_NLP_KINDS.read_text(encoding="utf-8")).get("heads", [])
    else:  # a minimal table so the graph works without the nlp lexicon
        heads = [{"head": h, "kind": k, "level": lv} for h, k, lv in (
            ("Ủy ban nhân dân", "ubnd", None), ("Sở", "so", "tinh"), ("Phòng", "phong", "huyen"),
            ("Bộ", "bo", "trung_uong"), ("Thanh tra", "thanh_tra", None), ("Văn phòng", "van_phong", None),
            ("Đài", "su_nghiep", None), ("Trung tâm", "su_nghiep", None), ("Ban", "ban", None))]
    out = [(norm(h["head"]), h) for h in heads]
    out.sort(key=lambda x: -len(x[0]))
    return out


def head_of(name: str) -> dict | None:
    """The lexicon entry of the name's head ("Sở ..." -> kind so, level tinh), if any."""
    n = norm(name)
    n = re.sub(r"^(cac|nhung) ", "", n)
    for head, entry in _heads():
        if n == head or n.startswith(head + " "):
            return entry
    return None


def central_kinds() -> set[str]:
    return set(load("localities.json")["central_kinds"])


def gov_name(locality: str) -> str:
    """The government body of a locality: 'tỉnh Kon Tum' -> 'Ủy ban nhân dân tỉnh Kon Tum'."""
    return "Ủy ban nhân dân " + squash(nfc(locality))


def province_of(text: str | None) -> str | None:
    """A provincial locality ('tỉnh X', or a centrally run 'thành phố X') at the end of a header line."""
    if not text:
        return None
    m = re.search(r"((?:tỉnh|thành phố)\s+[^,;()]+)$", squash(nfc(text)), re.IGNORECASE)
    if not m:
        return None
    word, _, rest = m.group(1).partition(" ")
    word = fold(word) == "tinh" and "tỉnh" or "thành phố"
    if rest.isupper():
        rest = rest.title()
    if word == "thành phố":
        rest = rest.partition(" ")[2] if fold(rest).startswith("pho ") else rest
    loc = f"{word} {squash(rest)}"
    return loc if locality_level(loc) == "tinh" else None


def with_locality(name: str, locality: str) -> str:
    """A fallback canonical name: 'Sở Nội vụ' + 'tỉnh Kon Tum' -> 'Sở Nội vụ tỉnh Kon Tum';
    'Thanh tra tỉnh' -> 'Thanh tra tỉnh Kon Tum' (a bare level word takes the proper name)."""
    name, locality = squash(nfc(name)), squash(nfc(locality))
    if norm(locality) in norm(name):
        return name
    loc_word = _LEVEL_WORD.match(fold(locality))
    words = name.split(" ")
    for n in (2, 1):
        if len(words) > n and loc_word and fold(" ".join(words[-n:])) == loc_word.group(1):
            return " ".join(words[:-n] + [locality])
    return f"{name} {locality}"


_LOC_IN = re.compile(r"\b((?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)"
                     r"(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ0-9][^\s,;()]*)+)\s*$")


def locality_in(name: str) -> str | None:
    """The locality a name ends with: 'Ủy ban nhân dân huyện Đăk Hà' -> 'huyện Đăk Hà'."""
    m = _LOC_IN.search(squash(nfc(name)))
    return m.group(1) if m else None
