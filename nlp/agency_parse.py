"""A small grammar of agency names over syllable tokens, shared by split_names and find_agencies.

A unit is one name: an optional role word ("Thủ trưởng", "Chủ tịch"), then either a head
from the kinds lexicon with its name words ("Sở Nội vụ", "Ủy ban nhân dân tỉnh Kon Tum",
"Ủy ban nhân dân các huyện, thị xã"), or a collective ("các sở, ban, ngành",
"cán bộ, công chức, viên chức", "cơ quan, địa phương liên quan"). A distributive list
("các Bộ: Quốc phòng, Công an") gives one member per name.
"""
from __future__ import annotations

from chithi.text import fold
from nlp.agency_collective import DETERMINERS, STOP_WORDS, CollectiveMixin, Unit
from nlp.agency_lexicon import Tok, central_cities, tables

class Parser(CollectiveMixin):
    def __init__(self, toks: list[Tok], *, find: bool) -> None:
        self.toks = toks
        self.find = find
        self.t = tables()

    # --- small matchers ---------------------------------------------------------------
    def word(self, i: int) -> Tok | None:
        return self.toks[i] if i < len(self.toks) and self.toks[i].word else None

    def is_punct(self, i: int, chars: str) -> bool:
        return i < len(self.toks) and not self.toks[i].word and self.toks[i].text in chars

    def m(self, name: str, i: int):
        if i >= len(self.toks) or not (self.toks[i].word or self.toks[i].text == "-"):
            return None
        if name == "localities" and self.t["not_localities"].match(self.toks, i):
            return None
        return self.t[name].match(self.toks, i)

    def head(self, i: int):
        hit = self.m("heads", i) or self.m("heads_folded", i)
        if not hit:
            return None
        n, h = hit
        tok = self.toks[i]
        nxt = self.word(i + n)
        if h["named"]:
            # the head needs a proper name: "Sở Nội vụ", "phòng Tư pháp", "Sở KH&ĐT"; a
            # head of two syllables may take a lower-case one ("Hội đồng dân tộc")
            if nxt is None or nxt.n in DETERMINERS:
                return None
            if not nxt.cap and (n < 2 or not tok.cap or self.boundary(i + n) or self.noun(i + n)
                                or self.m("localities", i + n) or self.m("related", i + n)):
                return None
        elif self.find and not tok.cap:
            return None
        if self.find and h.get("needs_more"):
            if nxt is None or not (nxt.cap or self.m("localities", i + n) or self.m("levels", i + n)):
                return None
        return n, h

    def role(self, i: int):
        hit = self.m("roles", i)
        if not hit:
            return None
        n, r = hit
        if self.find and not self.toks[i].cap:
            # lower-case role words are common nouns/verbs ("tăng trưởng", "lãnh đạo")
            if not (self.head(i + n) or self.word(i + n) and self.word(i + n).n in DETERMINERS):
                return None
        return n, r

    def noun(self, i: int):
        """A generic noun of a collective, a class of persons or a locality kind."""
        hit = self.m("persons", i) or self.m("generic", i) or self.m("localities", i)
        if hit:
            b = self.m("boundary", i)
            if b and b[0] > hit[0]:
                return None
        return hit

    def boundary(self, i: int) -> bool:
        tok = self.word(i)
        if tok is None:
            return True
        return bool(self.m("boundary", i) or self.m("scope", i))

    # --- units ------------------------------------------------------------------------
    def glued(self, i: int) -> bool:
        """A word glued to a preceding "-" or "/" is part of a document number ("QĐ-TTg")."""
        return i > 0 and self.toks[i - 1].text in "-/" and self.toks[i - 1].end == self.toks[i].start

    def unit(self, i: int) -> Unit | None:
        if self.find and self.glued(i):
            return None
        role_start, role_words, ministers = i, [], False
        while True:
            r = self.role(i)
            if not r:
                break
            role_words.append(self.toks[i:i + r[0]])
            i += r[0]
            if self.is_punct(i, ",") and self.m("roles", i + 1):
                if r[1] == "Bộ trưởng":
                    ministers = True
                i += 1
                continue
            break
        role = None
        if role_words:
            first, last = role_words[0][0], role_words[-1][-1]
            role = (first.start, last.end)
        self.role_pending = bool(role_words)
        u = self.named(i) or self.collective(i)
        if u is None:
            if role and not self.find:
                # a bare role word ("lãnh đạo") is kept as the name of a person
                return Unit(role_start, i, role=None, head={"kind": "nguoi"}, collective=False)
            return None
        if role:
            u.role = role
            u.role_start = role_start
        u.ministers = ministers and u.collective
        return u

    def named(self, i: int) -> Unit | None:
        h = self.head(i)
        if not h:
            return None
        n, head = h
        u = Unit(i, i + n, head=head)
        u.end = self.extend(u, i + n, head)
        return u

    def extend(self, u: Unit, j: int, head: dict) -> int:
        """Name words after a head, up to a boundary."""
        toks, words_in_name = self.toks, 0
        while j < len(toks):
            tok = toks[j]
            if tok.word:
                if tok.n in ("các",) and self.m("localities", j + 1):
                    j = self.locality_list(u, j + 1)
                    u.collective = True
                    break
                hh = self.head(j)
                if hh and (words_in_name == 0 or not hh[1]["named"]) and tok.cap:
                    j += hh[0]
                    words_in_name += 1
                    continue
                loc = self.m("localities", j)
                if loc:
                    if self.is_punct(j + loc[0], ",") and self.m("localities", j + loc[0] + 1) \
                            and not self.head(j + loc[0] + 1):
                        nxt = j + loc[0] + 1
                        if not self.word(nxt + self.m("localities", nxt)[0]) or \
                                not self.word(nxt + self.m("localities", nxt)[0]).cap:
                            j = self.locality_list(u, j)
                            u.collective = True
                            break
                    j = self.proper(j + loc[0])
                    return self.bracket(j)
                lev = self.m("levels", j) or self.m("related", j)
                if lev:
                    j += lev[0]
                    if self.m("related", j - lev[0]) and toks[j - 1].n in ("quan", "quyền"):
                        break
                    if self.is_punct(j, ",") and self.m("levels", j + 1):
                        continue_j = j + 1
                        j = continue_j
                    continue
                if tok.n == "và":
                    nxt = self.word(j + 1)
                    if nxt is None:
                        break
                    nh = self.head(j + 1)
                    if nh:
                        if head.get("head") == "Văn phòng" and not nh[1]["named"] and words_in_name <= 2:
                            j += 1
                            continue
                        break
                    if nxt.cap and not self.m("roles", j + 1):
                        j += 1
                        continue
                    if words_in_name and not (nxt.n in STOP_WORDS or self.noun(j + 1) or self.boundary(j + 1)):
                        j += 1
                        continue
                    break
                if tok.n in ("thuộc", "trực") and words_in_name:
                    k = j + (2 if tok.n == "trực" and self.word(j + 1) and self.word(j + 1).n == "thuộc" else 1)
                    if self.head(k) or (self.word(k) and self.word(k).cap):
                        j = k
                        continue
                    break
                if tok.n == "của" and words_in_name:
                    hh = self.head(j + 1)
                    if hh and hh[1].get("central") and not hh[1]["named"]:
                        j += 1
                        continue
                    break
                if tok.cap:
                    if self.m("roles", j) or (words_in_name and self.head(j)):
                        break
                    j += 1
                    words_in_name += 1
                    continue
                if head.get("central") and not head.get("named") or head.get("kind") == "nguoi" \
                        or tok.text[0].isdigit():
                    break
                nn = self.noun(j)
                if nn and (nn[0] == 1 and toks[j - 1].word and words_in_name):
                    nn = None  # "Môi trường", "Quốc hội": a noun syllable inside a name
                if tok.n in STOP_WORDS or self.boundary(j) or nn or self.m("lead", j) \
                        or self.m("roles", j):
                    break
                j += 1
                words_in_name += 1
                continue
            # punctuation
            if tok.text in "-–" and self.word(j + 1) and words_in_name:
                if toks[j + 1].cap or not toks[j - 1].cap:
                    j += 1
                    continue
                break
            if tok.text == "," and words_in_name and self.comma_name(j):
                j += 1
                continue
            if tok.text == "(" and words_in_name:
                return self.bracket(j)
            break
        return j

    def bracket(self, j: int) -> int:
        """"(Sở Nội vụ)" after a name: its parent, kept in the name."""
        if self.find or not self.is_punct(j, "("):
            return j
        close = self.closing(j)
        if close is not None:
            inner = Parser(self.toks[j + 1:close], find=False).unit(0)
            if inner and inner.head and inner.end == close - j - 1 and not inner.collective \
                    and inner.role is None:
                return close + 1
        return j

    def comma_name(self, j: int) -> bool:
        """", Thể thao và Du lịch": a comma inside a name (the stretch ends with 'và' + name)."""
        k = j + 1
        nxt = self.word(k)
        if nxt is None or not nxt.cap or self.head(k) or self.m("roles", k) or nxt.n in DETERMINERS:
            return False
        while k < len(self.toks) and self.toks[k].word and k < j + 8:
            if self.toks[k].n == "và":
                return bool(self.word(k + 1) and self.toks[k + 1].cap and not self.head(k + 1))
            k += 1
        return False

    def closing(self, j: int) -> int | None:
        for k in range(j + 1, min(len(self.toks), j + 40)):
            if self.toks[k].text == ")":
                return k
            if self.toks[k].text in "(;":
                return None
        return None

    def proper(self, j: int) -> int:
        """A locality's proper name: capitalised words ("Kon Tum", "Bà Rịa - Vũng Tàu")."""
        while j < len(self.toks):
            tok = self.toks[j]
            if tok.word and tok.cap and not self.head(j) and not self.m("roles", j):
                j += 1
            elif tok.text in "-–" and self.word(j + 1) and self.toks[j + 1].cap and self.toks[j - 1].cap:
                j += 1
            else:
                break
        if self.word(j) and self.toks[j].n == "trực" and self.word(j + 1) and self.toks[j + 1].n == "thuộc":
            k = j + 2
            lev = self.m("levels", k)
            if lev:
                return k + lev[0]
            if self.word(k) and self.toks[k].cap:
                return self.proper(k)
        return j

    def locality_list(self, u: Unit, j: int) -> int:
        """"huyện, thị xã, thành phố" after "các": locality kinds joined by commas and "và"."""
        kinds = []
        while True:
            loc = self.m("localities", j)
            if not loc:
                break
            kinds.append(" ".join(t.n for t in self.toks[j:j + loc[0]]))
            j += loc[0]
            j = self.proper(j) if self.word(j) and self.toks[j].n == "trực" else j
            if (self.is_punct(j, ",") or self.word(j) and self.toks[j].n == "và") and self.m("localities", j + 1):
                j += 1
                continue
            break
        u.head = dict(u.head or {}, loc_kinds=kinds)
        if self.is_punct(j, ":") and not self.find or self.is_punct(j, ":") and self.word(j + 1) \
                and self.toks[j + 1].cap:
            j = self.members(u, j + 1, kinds)
        return j

def central_kind(member: str, kinds: list[str]) -> str:
    """The locality kind of one member of "các tỉnh, thành phố …: Hà Tĩnh, Huế"."""
    if "thành phố" in kinds and fold(member) in central_cities():
        return "thành phố"
    return kinds[0] if kinds else ""
