"""Collectives and distributive lists in the agency grammar (a mixin of :class:`nlp.agency_parse.Parser`).

"các sở, ban, ngành", "cán bộ, công chức, viên chức", "cơ quan, địa phương liên quan",
"các Bộ: Quốc phòng, Công an" (a distributive list: one name per member), and the
qualifiers a generic noun takes ("sự nghiệp công lập", "thuộc Ủy ban nhân dân tỉnh").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DETERMINERS = {"các", "những", "toàn thể", "tất cả"}
STOP_WORDS = {"các", "những", "và", "hoặc", "cùng"}


@dataclass
class Unit:
    start: int  # token index where the name starts (after the role word)
    end: int  # token index just past the name
    role: tuple[int, int] | None = None  # offsets of the role word(s) in the text
    head: dict | None = None
    collective: bool = False
    locality_actor: bool = False  # a locality standing for its government ("tỉnh Phú Thọ")
    ministers: bool = False  # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ ..."
    members: list[tuple[str, int, int]] = field(default_factory=list)  # distributive: (name, tok from, tok to)
    skip: list[tuple[int, int]] = field(default_factory=list)  # token ranges dropped from the name
    role_start: int | None = None


class CollectiveMixin:
    """Needs the Parser's matchers: m, head, noun, word, is_punct, boundary, extend, proper, closing."""

    toks: Any
    find: bool

    def members(self, u: Unit, j: int, kinds: list[str] | None) -> int:
        """A distributive list after a colon: "Hà Tĩnh, Quảng Trị", "Quốc phòng, Công an"."""
        start_j = j
        while j < len(self.toks):
            tok = self.toks[j]
            if not tok.word or not tok.cap:
                break
            if self.head(j):
                inner = self.unit(j)
                if inner is None:
                    break
                u.members.append(("", j, inner.end))
                j = inner.end
            else:
                k = j + 1
                while k < len(self.toks) and (self.toks[k].word and self.toks[k].n not in ("và", "v") and (
                        self.toks[k].cap or not kinds and not self.boundary(k)) or self.toks[k].text in "-–"
                        and self.word(k + 1) and self.toks[k + 1].cap):
                    k += 1
                u.members.append(("", j, k))
                j = k
            if self.is_punct(j, ",;") or self.word(j) and self.toks[j].n == "và":
                if self.word(j + 1) and self.toks[j + 1].cap:
                    j += 1
                    continue
            break
        if self.is_punct(j, ".…") or self.toks[j].text == "..." if j < len(self.toks) else False:
            j += 1
        if not u.members or self.find and len(u.members) < 2:
            u.members = []
            return start_j - 1
        return j

    def collective(self, i: int) -> Unit | None:
        j = i
        det = self.word(j)
        has_det = bool(det and det.n in DETERMINERS)
        if has_det:
            j += 2 if det.n in ("toàn", "tất") else 1
        first = self.noun(j)
        if not first:
            return None
        u = Unit(i, j, collective=True)
        nouns, loc_only, persons = 0, True, True
        while True:
            nn = self.noun(j)
            if not nn:
                break
            nouns += 1
            loc_only = loc_only and bool(self.m("localities", j))
            persons = persons and bool(self.m("persons", j))
            j += nn[0]
            j = self.qualifiers(u, j)
            if self.noun(j) and not (self.toks[j].cap and self.head(j)) and not self.m("localities", j) \
                    and bool(self.m("persons", j)) == bool(self.m("persons", j - nn[0])):
                continue  # "ban ngành", "bộ ngành địa phương", "cán bộ công chức"
            if (self.is_punct(j, ",") or self.word(j) and self.toks[j].n == "và") and self.noun(j + 1):
                nxt = self.toks[j + 1]
                if self.head(j + 1) and nxt.cap:
                    break
                j += 1
                continue
            break
        u.end = j
        if loc_only:
            u.head = {"kind": "ubnd", "loc_kinds": []}
            u.locality_actor = True
            u.collective = has_det or nouns > 1
            if self.find:
                return None
        if persons:
            u.head = {"kind": "nguoi"}
        if self.is_punct(j, ":") and nouns == 1 and self.word(j + 1) and self.toks[j + 1].cap:
            u.end = self.members(u, j + 1, None)
        elif self.is_punct(j, "(") and not self.find:
            close = self.closing(j)
            if close is not None:
                sub = type(self)(self.toks[j + 1:close], find=False)
                inner, k, found = None, 0, []
                while k < close - j - 1:
                    inner = sub.unit(k)
                    if not inner or inner.collective:
                        found = []
                        break
                    found.append(("", j + 1 + k, j + 1 + inner.end))
                    k = inner.end
                    if k < close - j - 1 and sub.toks[k].text in ",;" or sub.word(k) and sub.toks[k].n == "và":
                        k += 1
                    elif k < close - j - 1:
                        found = []
                        break
                if found:
                    u.members = found
                u.skip.append((j, close + 1))
                u.end = close + 1
        if self.find and not (has_det or persons or nouns >= 3 or self.related_end(u.end)
                              or getattr(self, "role_pending", False) or self.addressed(i)):
            return None
        return u

    def related_end(self, j: int) -> bool:
        return j >= 2 and self.toks[j - 1].n in ("quan", "quyền", "trên")

    def addressed(self, i: int) -> bool:
        """A bare generic noun counts in running text after "giao", "phối hợp với", "báo cáo" …,
        or as a sentence's capitalised subject ("Chủ đầu tư phối hợp …")."""
        first = self.noun(i)
        if self.toks[i].cap and (i == 0 or self.toks[i - 1].text in ".;:") and first and first[0] >= 2:
            return True
        for k in range(max(0, i - 4), i):
            hit = self.m("lead", k)
            if hit and k + hit[0] == i:
                return True
        return False

    def qualifiers(self, u: Unit, j: int) -> int:
        """Words that qualify a generic noun: "sự nghiệp công lập", "liên quan", "thuộc UBND tỉnh"."""
        free = 0
        single = j >= 1 and self.toks[j - 1].n in ("bộ", "sở", "ban", "phòng", "ngành", "hội", "đoàn")
        while j < len(self.toks):
            tok = self.toks[j]
            if not tok.word:
                if tok.text in "-–" and self.word(j + 1) and not self.toks[j + 1].cap and self.word(j - 1):
                    j += 1
                    continue
                break
            rel = self.m("related", j) or self.m("levels", j)
            if rel:
                j += rel[0]
                continue
            if tok.n in ("thuộc", "trực"):
                k = j + (2 if tok.n == "trực" and self.word(j + 1) and self.toks[j + 1].n == "thuộc" else 1)
                if self.head(k):
                    sub = Unit(k, k)
                    return self.extend(sub, k + self.head(k)[0], self.head(k)[1])
                if self.word(k) and self.toks[k].cap:
                    j = k
                    continue
                break
            if tok.n == "của":
                hh = self.head(j + 1)
                if hh and hh[1].get("central") and not hh[1]["named"]:
                    j += 1 + hh[0]
                    continue
                break
            loc = self.m("localities", j)
            if loc and not (self.is_punct(j + loc[0], ",") or self.word(j + loc[0]) and self.toks[j + loc[0]].n == "và"):
                return self.proper(j + loc[0])
            if tok.cap:
                hh = self.head(j)
                if self.m("roles", j) or tok.n in DETERMINERS:
                    break
                if hh:
                    if hh[1]["named"] or not hh[1].get("central"):
                        break
                    j += hh[0]
                    continue
                j += 1
                continue
            if tok.n in STOP_WORDS or self.boundary(j) or self.noun(j) or self.m("lead", j) or self.m("roles", j) \
                    or tok.text[0].isdigit():
                break
            if self.find and (free >= 4 or single):
                break
            free += 1
            j += 1
        return j


