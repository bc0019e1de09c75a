"""Shared patterns for Vietnamese document numbers and dates (used by header and references).

A state number is ``NUMBER[/YEAR]/KIND-ISSUER`` ("03/2007/QĐ-BNV", "643/UBND-TTr"); a Party
number is ``NUMBER-KIND/ISSUER`` ("21-KL/TW"). Kind and issuer codes, and the slips that OCR
and typists make in them, are data (``nlp/data/doc_types.json``, ``issuer_codes.json``).
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from chithi.text import fold

DATA = Path(__file__).resolve().parent / "data"
_VIET_UP = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(c for c in map(chr, range(0x1EA0, 0x1EFA)) if c.isupper())
UP = "A-Z" + _VIET_UP  # a regex class body: the Vietnamese capitals
LO = "a-z" + _VIET_UP.lower()  # and the small letters


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """A data file of ``nlp/data`` (JSON), loaded once."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# A code token: capitals (and digits, &, inner dots) with at most a short lower-case run, as in
# "TTr", "TTg", "CTr", "BSGBTr"; never a Vietnamese word such as "Bộ" or "Trung".
_TOK = r"[A-ZĐÐ][A-ZĐÐ0-9&.]*(?:[a-zđ]{1,2}[A-ZĐÐ0-9&.]*)?(?![A-Za-zÀ-ỹĐđ])"
_SEP = r"[ \t]?[-–][ \t]?"
NUMBER_RE = re.compile(
    r"(?<![\w/.\-])"
    r"(?P<num>\d{1,6}(?:-\d{1,3}(?=/))?)"
    r"(?:/(?P<year>(?:19|20)\d{2}))?"
    r"(?:"
    r"[ \t]?/[ \t]?(?P<state>" + _TOK + r"(?:" + _SEP + _TOK + r")*)"
    r"|" + _SEP + r"(?P<party>" + _TOK + r"/" + _TOK + r"(?:" + _SEP + _TOK + r")*)"
    r")"
)

_MONTH = r"th[aáảàạã]ng"
_YEAR = r"n[aăáắâấ]m"
DATE_WORDS_RE = re.compile(
    r"(?P<d>\d{1,2})\s*" + _MONTH + r"\s*(?P<m>\d{1,2})\s*" + _YEAR + r"\s*(?P<y>(?:19|20)\d{2})", re.I)
DATE_NUM_RE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})\s?[/.\-]\s?(?P<y>(?:19|20)\d{2})(?!\d)")
# "ngày 28 tháng 12 năm 2012", "ngày 05/3/2018", "ngày 04.12.2012"
NGAY_DATE_RE = re.compile(
    r"ng[àa]y\s*:?\s*(?:(?P<d>\d{1,2})\s*" + _MONTH + r"\s*(?P<m>\d{1,2})\s*" + _YEAR + r"\s*(?P<y>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})\s?[/.\-]\s?(?P<m2>\d{1,2})\s?[/.\-]\s?(?P<y2>(?:19|20)\d{2})(?!\d))", re.I)


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    """ISO YYYY-MM-DD of a day, month and year, or None when they are no date."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def ngay_date(match: re.Match) -> str | None:
    """The ISO date of a :data:`NGAY_DATE_RE` match."""
    if match.group("d"):
        return iso_date(match.group("d"), match.group("m"), match.group("y"))
    return iso_date(match.group("d2"), match.group("m2"), match.group("y2"))


def parse_date(text: str) -> str | None:
    """The first date written in ``text`` (words or digits), ISO."""
    for rx in (DATE_WORDS_RE, DATE_NUM_RE):
        m = rx.search(text)
        if m:
            return iso_date(m.group("d"), m.group("m"), m.group("y"))
    return None


def _fix_code(token: str) -> str:
    slips = load("doc_types.json")["code_slips"]
    token = token.replace("Ð", "Đ")
    if token in slips:
        return slips[token]
    return _ocr_code(token)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i:] == b[i + 1:] or a[i + 1:] == b[i:]


def _known_codes() -> dict[str, str]:
    types = load("doc_types.json")
    issuers = load("issuer_codes.json")
    known = [*types["codes"], *types["party_codes"], *issuers["suffix"]]
    known += [part for pair in issuers["pair"] for part in pair.split("-")]
    return {code.upper(): code for code in known}


def _ocr_code(token: str) -> str:
    """An OCR slip in a well-known code ("TTEG" for "TTg"): corrected only when the token is no
    known code and dropping one letter gives exactly one known code of three letters or more."""
    known = _known_codes()
    upper = token.upper()
    if len(token) < 3 or upper in known or not token.isalpha():
        return token
    if upper.endswith("ĐĐ") and upper[:-1] in known:
        return known[upper[:-1]]  # "QĐĐ": a letter read twice
    # only a letter added by noise: a changed letter ("SNV"/"BNV") is another body's code
    near = {code for key, code in known.items() if len(key) >= 3 and len(upper) == len(key) + 1
            and _one_edit(upper, key)}
    return near.pop() if len(near) == 1 else token


def normalize_number(raw: str) -> str:
    """The number as the document is numbered: spaces removed, code slips corrected.

    >>> normalize_number("10 /CT-CTUBND")
    '10/CT-CTUBND'
    >>> normalize_number("968/CD-TTg")
    '968/CĐ-TTg'
    """
    text = re.sub(r"\s+", "", raw).replace("–", "-").replace("Ð", "Đ").strip(".,;:")
    m = re.match(r"^(\d[\d\-]*(?:/\d{4})?)([/-])(.*)$", text)
    if not m:
        return text
    head, sep, code = m.groups()
    parts = re.split(r"([/-])", code)
    parts = [p if p in "/-" else _fix_code(p) for p in parts]
    return head + sep + "".join(parts)


def split_number(number: str) -> tuple[str | None, list[str], bool]:
    """(kind code, issuer codes, is_party) of a normalised number."""
    m = re.match(r"^\d[\d\-]*(?:/\d{4})?([/-])(.*)$", number)
    if not m:
        return None, [], False
    sep, code = m.groups()
    if sep == "-":  # Party: 21-KL/TW
        kind, _, rest = code.partition("/")
        return kind, [c for c in re.split(r"[-/]", rest) if c], True
    parts = [c for c in code.split("-") if c]
    return (parts[0] if parts else None), parts[1:], False


def type_of_number(number: str) -> str | None:
    """The document type the number's kind code names ("QĐ" → "Quyết định"), if any."""
    kind, rest, party = split_number(number)
    if not kind:
        return None
    table = load("doc_types.json")
    if party:
        return table["party_codes"].get(kind) or table["codes"].get(kind)
    if re.fullmatch(r"QH\d*", kind):
        return "Luật"
    if kind in table["codes"] and kind not in ("TTg", "BS", "SY"):
        return table["codes"][kind]
    # "643/UBND-TTr", "10894/VPCP-CN": an agency code where the kind would be: a công văn.
    return "Công văn"


def issuer_of_number(number: str) -> str | None:
    """The issuer the number's codes name ("NĐ-CP" → "Chính phủ"), if the code table knows it."""
    kind, rest, party = split_number(number)
    codes = load("issuer_codes.json")
    if kind and rest and f"{kind}-{rest[-1]}" in codes["pair"]:
        return codes["pair"][f"{kind}-{rest[-1]}"]
    if kind and re.fullmatch(r"QH\d*", kind):
        return "Quốc hội"
    is_kind = kind in load("doc_types.json")["codes"] or (party and kind in load("doc_types.json")["party_codes"])
    candidates = ([kind] if kind and not is_kind else []) + list(reversed(rest))
    for code in candidates:
        code = re.sub(r"\d+$", "", code)
        if code in codes["suffix"]:
            return codes["suffix"][code]
    return None


def type_from_word(word: str) -> str | None:
    """The type a type word names ("quyết định", "Văn bản") in normal case."""
    return load("doc_types.json")["words"].get(fold(re.sub(r"\s+", " ", word.strip())))


# --- header text: lines, ALL CAPS lines, normal case, agency units -----------------------

class Line:
    """One line of the text: its offsets, the raw text and a clean form (markdown marks off)."""
    __slots__ = ("start", "end", "raw", "clean")

    def __init__(self, start: int, end: int, raw: str) -> None:
        self.start, self.end, self.raw = start, end, raw
        self.clean = re.sub(r"\s+", " ", re.sub(r"^[#>\s]+|\*\*|__|\|", " ", raw)).strip().strip("*").strip()

    def __repr__(self) -> str:
        return f"Line({self.start}, {self.clean!r})"


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in re.split(r"(?<=\n)|(?<=\f)", text):
        body = raw.rstrip("\n\f\r")
        if raw:
            out.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def is_caps(text: str) -> bool:
    """True for a line written in capitals (at least two letters, none lower case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:] if word else word


def _proper(text: str) -> str:
    for phrase in sorted(load("header_lexicon.json")["proper_words"], key=len, reverse=True):
        text = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(phrase) + r"(?![\wÀ-ỹ])", phrase, text, flags=re.I)
    return text


def _localities(text: str, *, to_end: bool) -> str:
    words = "|".join(sorted(load("header_lexicon.json")["locality_words"], key=len, reverse=True))
    def cap_rest(m: re.Match) -> str:
        rest = m.group(2)
        if not to_end:
            rest = rest.split(" ")
            return m.group(1) + " " + " ".join(_cap(w) for w in rest)
        return m.group(1) + " " + " ".join(_cap(w) for w in rest.split(" "))
    pat = r"(?<![\wÀ-ỹ])(" + words + r") ([\wÀ-ỹ]+(?: [\wÀ-ỹ]+)*)$" if to_end else \
        r"(?<![\wÀ-ỹ])(" + words + r") ([\wÀ-ỹ]+(?: [\wÀ-ỹ]+)?)(?=$|[,;.)]| trên| giai| năm| đến| và| về| tại)"
    return re.sub(pat, cap_rest, text)


def normal_case(caps: str) -> str:
    """An ALL CAPS agency or title line in normal case: "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" →
    "Bộ Văn hóa, Thể thao và Du lịch"; "ỦY BAN NHÂN DÂN TỈNH KON TUM" → "Ủy ban nhân dân tỉnh Kon Tum"."""
    if not is_caps(caps):
        return caps
    for wrong, right in load("header_lexicon.json")["ocr_caps_fixes"].items():
        caps = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(wrong) + r"(?![\wÀ-ỹ])", right, caps)
    for short, full in load("header_lexicon.json")["abbreviations"].items():
        caps = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(short) + r"(?![\wÀ-ỹ])", full.upper(), caps)
    text = caps.lower()
    words = text.split(" ")
    if words and words[0] in ("bộ", "sở", "cục", "tổng", "chi", "vụ", "ban", "phòng", "thuế", "trung", "viện", "học"):
        # a named body: its name's first word and each word after ",", "và", "-" are capitalised
        k = 1 if words[0] not in ("tổng", "chi", "trung", "học") else 2
        if k < len(words) and words[k] not in load("header_lexicon.json")["locality_words"]:
            words[k] = _cap(words[k])
        for n in range(k + 1, len(words)):
            if words[n - 1] in ("và", "-") or words[n - 1].endswith(","):
                words[n] = _cap(words[n])
    text = _cap(" ".join(words))
    text = _proper(_localities(text, to_end=True))
    text = re.sub(r"((?:Tỉnh|Huyện|Thành|Quận|Thị|Đảng) ủy) (.+)$", lambda m: m.group(1) + " " + " ".join(
        _cap(w) for w in m.group(2).split(" ")), text)
    return re.sub(r"^(Văn phòng|Thanh tra|Kho bạc) (tỉnh|thành phố|huyện)", r"\1 \2", text)


def sentence_case(caps: str) -> str:
    """An ALL CAPS title in sentence case (first letter small, as a trích yếu after "về"), keeping
    document numbers, abbreviations, roman numerals, localities, proper words and persons' names."""
    lex = load("header_lexicon.json")
    keep = set(lex["abbreviations"]) | {"UBND", "HĐND", "MTTQ", "IOT", "5G", "TTHC", "CNTT"}
    out: list[str] = []
    for w in caps.split(" "):
        core = w.strip(",.;:()“”\"")
        prev = fold(out[-1]) if out else ""
        if "/" in core and re.match(r"\d", core):
            out.append(w.replace(core, normalize_number(core)))
        elif core in keep or re.fullmatch(r"[IVXL]{3,}", core) or re.fullmatch(r"[IVXL]+", core) and prev in (
                "khoa", "thu", "quy", "phan", "muc", "chuong"):
            out.append(w)
        else:
            out.append(w.lower())
    text = _proper(_localities(" ".join(out), to_end=False))
    text = re.sub(r"(?<![\wÀ-ỹ])(luật|nghị định|nghị quyết|quyết định|chỉ thị|thông tư|kế hoạch|công điện) (số|\d)",
                  lambda m: _cap(m.group(1)) + " " + m.group(2), text)
    text = re.sub(r"(?<![\wÀ-ỹ])luật ([" + LO + r"])", lambda m: "Luật " + m.group(1).upper(), text)
    text = re.sub(r"(?<!cơ )(?<![\wÀ-ỹ])sở ([" + LO + r"])", lambda m: "Sở " + m.group(1).upper(), text)
    surnames = {fold(s) for s in lex["surnames"]}

    def person(m: re.Match) -> str:
        words = m.group(2).split(" ")
        if fold(words[0]) not in surnames:
            return m.group(0)
        return m.group(1) + " ".join(_cap(x) for x in words)
    text = re.sub(r"((?:Chính phủ|Thủ tướng|Chủ tịch|Bộ trưởng|Bí thư|Thường trực) )((?:[\wÀ-ỹ]+ ){1,3}[\wÀ-ỹ]+)"
                  r"(?= tại| -| về| với|,| đã|$)", person, text)
    text = re.sub(r"(?<![\wÀ-ỹ])phó Thủ tướng", "Phó Thủ tướng", text)
    return text


def name_case(name: str) -> str:
    return " ".join(_cap(w.lower()) for w in name.split()) if is_caps(name) else " ".join(name.split())


def agency_units(lines: list[Line]) -> list[list[Line]]:
    """The header's agency lines grouped into units: a line opening with a unit head word
    ("BỘ", "SỞ", "CỤC", "ỦY BAN NHÂN DÂN", …) starts a new unit once the current one is complete."""
    heads = sorted(load("header_lexicon.json")["unit_heads"], key=len, reverse=True)
    units: list[list[Line]] = []
    for ln in lines:
        c = ln.clean.upper().strip(" -*")
        if not c or set(c) <= set("-*_=. "):
            continue
        opens = any(c == h or c.startswith(h + " ") or c.startswith(h + ",") for h in heads)
        cur_words = sum(len(l.clean.split()) for l in units[-1]) if units else 0
        if not units or (opens and cur_words >= 2):
            units.append([ln])
        else:
            units[-1].append(ln)
    return units


def expand_unit(unit: list[Line], parent: list[Line] | None = None) -> str:
    """A header unit in full words; a department without a locality takes its parent's."""
    text = normal_case(re.sub(r"\s+", " ", " ".join(l.clean.strip("*- ") for l in unit)).strip())
    text = re.sub(r"\s*-\s*$", "", text)
    if parent is not None and not locality_of(text) and re.match(r"^(Sở|Phòng|Ban|Văn phòng|Thanh tra|Công an|Trung tâm|Đài|Chi cục)\b", text):
        loc = locality_of(expand_unit(parent))
        if loc:
            text += " " + loc
    return text


def locality_of(name: str) -> str | None:
    """The locality an agency name ends with: "tỉnh Kon Tum", "thành phố Hồ Chí Minh"."""
    words = "|".join(load("header_lexicon.json")["locality_words"])
    m = re.search(r"(?<![\wÀ-ỹ])((?i:" + words + r")) ((?:[" + UP + r"][\wÀ-ỹ]*)(?: [" + UP + r"][\wÀ-ỹ]*)*)\s*$", name)
    if not m or not m.group(2)[:1].isupper():
        m2 = re.search(r"(Tỉnh|Thành|Huyện) ủy ((?:[" + UP + r"][\wÀ-ỹ]*)(?: [" + UP + r"][\wÀ-ỹ]*)*)$", name)
        if m2:
            return {"Tỉnh": "tỉnh", "Thành": "thành phố", "Huyện": "huyện"}[m2.group(1)] + " " + m2.group(2)
        return None
    return m.group(1).lower() + " " + m.group(2)


def find_locality(issuer: str, text: str, registrations) -> str:
    """An issuer named without its place ("Ủy ban nhân dân tỉnh", "Ban Thường vụ Tỉnh ủy") takes the
    place the document names most often at that level ("tỉnh Kon Tum")."""
    level = re.search(r"(?<![\wÀ-ỹ])(tỉnh|thành phố|huyện|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Huyện ủy)$", issuer)
    if not level:
        return issuer
    word = {"Tỉnh ủy": "tỉnh", "Tỉnh uỷ": "tỉnh", "Thành ủy": "thành phố", "Huyện ủy": "huyện"}.get(level.group(1), level.group(1))
    counts: dict[str, int] = {}
    for m in re.finditer(r"(?i:" + word + r") ((?:[" + UP + r"][" + LO + r"]*)(?: [" + UP + r"][" + LO + r"]*){0,3})", text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    for m in re.finditer(r"ĐẢNG BỘ " + word.upper() + r" ([" + UP + r" ]+)", text):
        name = name_case(m.group(1).strip())
        counts[name] = counts.get(name, 0) + 3
    if not counts:
        return issuer
    best = max(counts, key=counts.get)
    return issuer + " " + best
