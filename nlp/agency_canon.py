"""Canonical agency names: full words, unified tone marks, the document's locality added.

``canonicalize("Sở Nội vụ", locality="tỉnh Kon Tum")`` → canonical "Sở Nội vụ tỉnh Kon Tum",
kind "so", level "tinh". ``agency_key`` is a stable ASCII slug of a name's full-word form
(role words, "các" and punctuation left out), and ``names_match`` is the tolerant match used
to look an agency up by what a person types.
"""
from __future__ import annotations

import re
from functools import lru_cache

from chithi.models import Agency
from chithi.text import fold, nfc, squash
from nlp.agency_lexicon import central_cities, expand_abbreviations, fix_tones, roles, syllables, tables
from nlp.agency_parse import DETERMINERS, Parser

_SLIP_RE = re.compile(r"\b(Ủy ban nhân)(\s+)(\w+)", re.IGNORECASE)
_TRAIL = " \t\n\f.,;:!?-–—\"'“”*/"
_CENTRAL_MARKS = ("chinh phu", "quoc hoi", "trung uong", "viet nam", "nha nuoc", "quoc gia")
LEVEL_OF_KIND = {"tỉnh": "tinh", "huyện": "huyen", "quận": "huyen", "thị xã": "huyen",
                 "xã": "xa", "phường": "xa", "thị trấn": "xa", "đặc khu": "xa"}


def clean(name: str) -> str:
    """NFC, one space between words, new tone placement, no trailing punctuation."""
    text = squash(fix_tones(nfc(name))).strip(_TRAIL)
    return text.lstrip(" -–+•*").strip()


@lru_cache(maxsize=1)
def _folded_roles() -> list[tuple[str, str]]:
    return [(role, fold(role)) for role in roles()]


def strip_role(name: str) -> tuple[str, str | None]:
    """("Chủ tịch UBND tỉnh") → ("UBND tỉnh", "Chủ tịch"); a bare role word stays the name."""
    low = fold(name)
    for role, r in _folded_roles():
        if low.startswith((r + " ", r + ",")):
            rest = name[len(role):].lstrip(" ,")
            rest2, more = strip_role(rest)
            return rest2, role if more is None else role + ", " + more
    return name, None


def _full(name: str) -> str:
    text = expand_abbreviations(clean(name))
    # "Ủy ban nhân Thành phố", an obvious slip, is written "Ủy ban nhân dân Thành phố"
    return _SLIP_RE.sub(lambda m: m.group(0) if fold(m.group(3)) == "dan"
                        else f"{m.group(1)} dân{m.group(2)}{m.group(3)}", text)


def agency_key(name: str) -> str:
    """Stable ASCII id of a name: "Chủ tịch UBND tỉnh Kon Tum" → "uy-ban-nhan-dan-tinh-kon-tum"."""
    text, _ = strip_role(_full(name))
    words = re.findall(r"[a-z0-9]+", fold(text))
    words = [w for w in words if w not in ("cac", "nhung")]
    return "-".join(words)


def _locality_parts(locality: str | None) -> tuple[str, str, str] | None:
    """"tỉnh Kon Tum" → ("tỉnh", "Kon Tum", "tinh") (kind, proper name, level)."""
    if not locality:
        return None
    loc = clean(locality)
    toks = syllables(loc)
    hit = tables()["localities"].match(toks, 0)
    if not hit:
        return None
    kind = " ".join(t.n for t in toks[:hit[0]])
    proper = loc[toks[hit[0] - 1].end:].strip()
    level = LEVEL_OF_KIND.get(kind)
    if kind == "thành phố":
        level = "tinh" if fold(proper) in central_cities() else "huyen"
    return kind, proper, level or "tinh"


def _level_in(canonical: str) -> tuple[str | None, str | None]:
    """(level, locality phrase) of the last locality written in a name."""
    toks = syllables(canonical)
    p = Parser(toks, find=False)
    found = (None, None)
    i = 0
    while i < len(toks):
        party = p.m("heads", i) if toks[i].word and toks[i].cap else None
        if party and party[1].get("party_locality"):
            found = (party[1].get("level") or found[0], found[1])
            i += party[0]
            continue
        hit = p.m("localities", i) if toks[i].word else None
        lev = p.m("levels", i) if toks[i].word else None
        if hit:
            kind = " ".join(t.n for t in toks[i:i + hit[0]])
            end = p.proper(i + hit[0])
            proper = canonical[toks[i + hit[0] - 1].end:toks[end - 1].end].strip() if end > i + hit[0] else ""
            level = LEVEL_OF_KIND.get(kind)
            if kind == "thành phố":
                level = "tinh" if proper and fold(proper) in central_cities() else ("huyen" if proper else None)
            if proper:
                found = (level, kind + " " + proper)
            elif level:
                found = (level, None)
            i = max(end, i + hit[0])
            continue
        if lev:
            found = (lev[1], None)
            i += lev[0]
            continue
        i += 1
    return found


def _first_level(name: str) -> str | None:
    """The level of a collective: its first locality kind ("Ủy ban nhân dân các huyện, xã" → huyen)."""
    toks = syllables(name)
    p = Parser(toks, find=False)
    for i, tok in enumerate(toks):
        if tok.word and not (tok.cap and p.m("heads", i)):
            hit = p.m("localities", i) or p.m("levels", i)
            if hit:
                value = hit[1]
                return None if value == "huyen" and tok.n == "thành" else value
    return None


def _has_locality_word(name: str) -> bool:
    toks = syllables(name)
    p = Parser(toks, find=False)
    return any(tok.word and not (tok.cap and p.m("heads", i)) and (p.m("localities", i) or p.m("levels", i))
               and fold(tok.text) != "trung" for i, tok in enumerate(toks))


def canonicalize(name: str, *, locality: str | None = None) -> Agency:
    """A name as written → an Agency with the canonical full-word name, kind, level, key."""
    return _canonicalize(name, locality).model_copy()


@lru_cache(maxsize=8192)
def _canonicalize(name: str, locality: str | None) -> Agency:
    written = clean(name)
    bare, role = strip_role(written)
    full = _full(bare) or _full(written)
    toks = syllables(full)
    p = Parser(toks, find=False)
    head = None
    collective = False
    if toks:
        exact, folded = p.m("heads", 0), p.m("heads_folded", 0)
        if folded and (not exact or exact[0] < folded[0]):  # OCR-damaged marks on a long head ("Uy ban nhân đân") → the lexicon's words
            full = folded[1]["head"] + full[toks[folded[0] - 1].end:]
            toks = syllables(full)
            p = Parser(toks, find=False)
    if toks:
        hit = p.head(0) or (p.m("heads", 0) if toks[0].cap else None)
        if hit:
            head = hit[1]
        u = p.unit(0)
        if u is not None:
            collective = u.collective or bool(u.head and u.head.get("kind") == "nguoi" and u.head is not head)
            if head is None and u.locality_actor:
                head = {"kind": "ubnd"}
                if not full.lower().startswith("ủy ban nhân dân"):
                    full = "Ủy ban nhân dân " + (full[0].lower() + full[1:] if full[:1].isupper() else full)
        if toks[0].n in DETERMINERS:
            collective = True
    if head is not None and not collective and full:
        full = full[0].upper() + full[1:]
    kind = head.get("kind") if head else ("tap_the" if collective else None)
    if head and head.get("kind") == "nguoi" or (p.m("persons", 0) if toks else None) \
            or (role and not bare):
        kind = "nguoi"
    loc = _locality_parts(locality)
    canonical = full
    central = bool(head and head.get("central")) or (
        any(m in fold(full) for m in _CENTRAL_MARKS) and not _has_locality_word(full))
    if loc and not collective and not central and head is not None:
        canonical = _add_locality(full, head, loc)
    level, loc_phrase = _level_in(canonical)
    if collective:
        level, loc_phrase = _first_level(canonical), None
    if central and level is None:
        level = "trung_uong"
    if level is None and head is not None:
        level = head.get("level")
    agency_locality = loc_phrase
    if agency_locality is None and loc and not central and (collective or head is not None):
        if collective or canonical != full:
            agency_locality = f"{loc[0]} {loc[1]}"
            if level is None and collective:
                level = loc[2]
    return Agency(name=bare or written, canonical=canonical, key=agency_key(canonical), kind=kind,
                  level=level, locality=agency_locality, collective=collective, role_word=role)


def _add_locality(full: str, head: dict, loc: tuple[str, str, str]) -> str:
    kind, proper, level = loc
    toks = syllables(full)
    p = Parser(toks, find=False)
    i = 0
    while i < len(toks):
        hh = p.m("heads", i) if toks[i].word and toks[i].cap else None
        if hh:
            # "Ban Thường vụ Tỉnh ủy" + "tỉnh Sóc Trăng" → "Ban Thường vụ Tỉnh ủy Sóc Trăng"
            end = i + hh[0]
            if hh[1].get("party_locality") and end == len(toks) and fold(hh[1]["party_locality"]) == fold(kind):
                return f"{full} {proper}"
            i = end
            continue
        hit = p.m("localities", i) if toks[i].word else None
        if hit:
            end = p.proper(i + hit[0])
            written_kind = " ".join(t.n for t in toks[i:i + hit[0]])
            if end == i + hit[0] and written_kind == kind:
                # a bare kind ("Ủy ban nhân dân tỉnh", "Thanh tra Thành phố") → the document's place
                return full[:toks[i].start] + f"{kind} {proper}" + full[toks[i + hit[0] - 1].end:]
            if end > i + hit[0] or written_kind != kind:
                return full  # the name writes its own locality
        i += 1
    if any(p.m("heads", k) and p.m("heads", k)[1].get("party_locality") for k in range(len(toks))):
        return full
    if _level_in(full)[0] is not None:
        return full  # "cấp xã", "Trung ương": a level word, not a place to add
    need = head.get("local_level")
    if need and need != level:
        return full
    if head.get("kind") in _LOCAL_KINDS:
        return f"{full} {kind} {proper}"
    return full


_LOCAL_KINDS = {"so", "phong", "thanh_tra", "cong_an", "quan_su", "van_phong", "su_nghiep", "ban", "ban_chi_dao",
                "ban_chi_huy", "ban_quan_ly", "dang", "doan_the", "ubnd", "hdnd", "thue", "hai_quan", "bhxh",
                "kho_bac", "chi_cuc", "hoi"}


def _key_words(name: str) -> list[str]:
    return [w for w in agency_key(name).split("-") if w]


_LOC_WORDS = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran", "dac khu", "tp")


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i:] == b[i + 1:] or a[i + 1:] == b[i:]


def names_match(query: str, name: str) -> bool:
    """Does a typed query name this agency? Case, marks, UBND/Ủy ban nhân dân, Uỷ/Ủy and a
    locality left out are tolerated: "Sở Nội vụ" matches "Sở Nội vụ tỉnh Kon Tum", not "Bộ Nội vụ"."""
    q, n = _key_words(query), _key_words(name)
    if not q or not n:
        return False
    if q == n:
        return True
    if len(q) == len(n) and len(q) >= 3:
        diffs = [(a, b) for a, b in zip(q, n) if a != b]
        if len(diffs) <= 2 and all(_one_edit(a, b) for a, b in diffs):
            return True
    short, long_ = (q, n) if len(q) < len(n) else (n, q)
    if long_[:len(short)] != short:
        return False
    rest = " ".join(long_[len(short):])
    if short[-1] in ("tinh", "huyen", "xa", "phuong", "quan") or " ".join(short[-2:]) in ("thanh pho", "thi xa", "thi tran"):
        return True  # "UBND tỉnh" and "UBND tỉnh Kon Tum"
    return any(rest == w or rest.startswith(w + " ") for w in _LOC_WORDS)
